//! Integration tests of zhengwu-supervision, one binary.

mod beyond;
mod config;
mod correction;
mod custom;
mod formats;
mod ingest;
mod props;
mod rollup;
mod rules;
mod scoring;
mod seed;

use chrono::{DateTime, FixedOffset};
use zhengwu_core::{Actor, Calendar, CaseEvent, Catalogue, DepartmentId, EventKind, SCHEMA_VERSION};
use zhengwu_supervision::{SupervisionConfig, Supervisor};

/// The test catalogue: a 承诺件 with fees, materials and two required steps, a 即办件 and a 联办件.
pub(crate) const CATALOGUE: &str = r#"
[[item]]
code = "SC-001"
name = "食品经营许可"
department = "scjg"
kind = "promised"
legal_limit = { days = 20 }
promised_limit = { days = 10 }
[[item.fee]]
code = "F01"
name = "工本费"
standard_fen = 1000
[[item.material]]
code = "M01"
name = "申请书"
[[item.material]]
code = "M02"
name = "营业执照"
[[item.step]]
code = "review"
name = "审核"
limit = { days = 3 }
[[item.step]]
code = "approve"
name = "审批"
limit = { days = 2 }

[[item]]
code = "IM-001"
name = "个体工商户名称变更"
department = "scjg"
kind = "immediate"
legal_limit = { days = 20 }
promised_limit = { days = 0 }

[[item]]
code = "JT-001"
name = "建设工程施工许可（并联）"
department = "zjj"
kind = "joint"
legal_limit = { days = 45 }
promised_limit = { days = 30 }
"#;

pub(crate) fn catalogue() -> Catalogue {
    Catalogue::from_toml(CATALOGUE, &[DepartmentId::new("scjg"), DepartmentId::new("zjj")]).unwrap()
}

pub(crate) fn supervisor() -> Supervisor {
    Supervisor::new(Calendar::china(), catalogue(), SupervisionConfig::default())
}

pub(crate) fn at(text: &str) -> DateTime<FixedOffset> {
    let text = if text.len() == 10 { format!("{text}T10:00:00+08:00") } else { text.to_owned() };
    DateTime::parse_from_rfc3339(&text).unwrap_or_else(|_| panic!("bad instant `{text}`"))
}

/// Builds the events of one case with consecutive sequence numbers.
pub(crate) struct CaseLog {
    pub(crate) case: String,
    pub(crate) item: String,
    pub(crate) department: String,
    pub(crate) events: Vec<CaseEvent>,
}

impl CaseLog {
    pub(crate) fn new(case: &str, item: &str) -> Self {
        let department = if item == "JT-001" { "zjj" } else { "scjg" };
        Self { case: case.to_owned(), item: item.to_owned(), department: department.to_owned(), events: Vec::new() }
    }

    /// Adds an event at `when` (recorded at the same instant).
    pub(crate) fn add(&mut self, when: &str, kind: EventKind) -> &mut Self {
        self.add_recorded(when, when, kind)
    }

    /// Adds an event with a separate entry time.
    pub(crate) fn add_recorded(&mut self, when: &str, recorded: &str, kind: EventKind) -> &mut Self {
        let sequence = self.events.len() as u64 + 1;
        self.events.push(CaseEvent {
            schema: SCHEMA_VERSION,
            idempotency_key: format!("{}#{sequence}", self.case).into(),
            case_id: self.case.as_str().into(),
            sequence,
            item_code: self.item.as_str().into(),
            department: self.department.as_str().into(),
            region: "530102".parse().unwrap(),
            occurred_at: at(when),
            recorded_at: at(recorded),
            actor: Actor { id: "w01".into(), name: None, role: None },
            kind,
            signature: None,
        });
        self
    }

    /// Received and accepted on the same day.
    pub(crate) fn opened(case: &str, item: &str, day: &str) -> Self {
        let mut log = Self::new(case, item);
        log.add(&format!("{day}T09:00:00+08:00"), received(&["M01", "M02"]));
        log.add(&format!("{day}T09:30:00+08:00"), EventKind::Accepted);
        log
    }
}

pub(crate) fn received(materials: &[&str]) -> EventKind {
    EventKind::Received {
        channel: zhengwu_core::Channel::Window,
        materials: materials.iter().map(|m| (*m).to_owned()).collect(),
    }
}
