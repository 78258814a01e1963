//! 电子监察: a supervisor over a catalogue, fed events.

use std::sync::{Arc, Mutex};

use std::collections::{BTreeMap, HashMap};

use zhengwu_core::{Calendar, CatalogueFile};
use zhengwu_supervision::{
    AccountabilityForm, AlertStatus, CorrectionAction, Dimension, Grade, Level, Period, ScoringScheme,
    SupervisionConfig,
};

use crate::catalogue::catalogue;
use crate::error::{ZhengwuError, invalid, lock, supervision_error};
use crate::event::CaseEventRecord;
use crate::time::{Day, Instant};

/// What statistics rows group by.
#[uniffi::remote(Enum)]
pub enum Dimension {
    Total,
    Department,
    Item,
    Region,
    Window,
}

/// How statistics rows are cut in time.
#[uniffi::remote(Enum)]
pub enum Period {
    All,
    Year,
    Quarter,
    Month,
}

/// 预警 / 黄牌 / 红牌.
#[uniffi::remote(Enum)]
pub enum Level {
    Notice,
    Warning,
    Yellow,
    Red,
}

/// Where an alert's correction process stands.
#[uniffi::remote(Enum)]
pub enum AlertStatus {
    Raised,
    Notified,
    Explained,
    Confirmed,
    Corrected,
    Supervised,
    Escalated,
    Accountability,
    Dismissed,
    Closed,
}

/// 问责方式.
#[uniffi::remote(Enum)]
pub enum AccountabilityForm {
    Admonition,
    WrittenSelfCriticism,
    PublicCriticism,
    Reassignment,
    OrderedResignation,
    DisciplinarySanction,
}

/// 考核等次.
#[uniffi::remote(Enum)]
pub enum Grade {
    Excellent,
    Good,
    Pass,
    Fail,
}

/// One step of an alert's correction process (explain → review → 督办 → escalate).
#[derive(Debug, Clone, uniffi::Enum)]
pub enum AlertAction {
    /// 通知: the department is told.
    Notify { recipients: Vec<String> },
    /// 说明: the department explains.
    Explain { text: String },
    /// 审核: the explanation is judged.
    Review { valid: bool, reason: String },
    /// 整改: the department corrects.
    Correct { note: String },
    /// 督办, by a deadline.
    Supervise { deadline: Day },
    /// 升级.
    Escalate { reason: String },
    /// 问责.
    HoldAccountable { form: AccountabilityForm },
    /// 办结.
    Close,
}

/// An alert with its evidence and where its correction stands.
#[derive(Debug, Clone, uniffi::Record)]
pub struct AlertRecord {
    pub id: String,
    /// The rule's stable code (`LATE`, `FEE_OVER`, …).
    pub code: String,
    pub level: Level,
    pub raised_level: Level,
    pub case_id: String,
    pub item_code: String,
    pub department: String,
    pub region: String,
    pub raised_at: Instant,
    pub evidence: HashMap<String, String>,
    pub message: String,
    pub status: AlertStatus,
    /// The deadline of the step it waits for (说明, 督办).
    pub deadline: Option<Day>,
}

/// One row of statistics: a group in a period, its counters and rates.
#[derive(Debug, Clone, uniffi::Record)]
pub struct StatisticsRow {
    pub group: String,
    pub period: String,
    pub received: i64,
    pub accepted: i64,
    pub concluded: i64,
    pub early: i64,
    pub on_time: i64,
    pub overdue: i64,
    pub running: i64,
    pub warnings: i64,
    pub yellow_cards: i64,
    pub red_cards: i64,
    /// 办结率.
    pub conclusion_rate: Option<f64>,
    /// 提前办结率.
    pub early_rate: Option<f64>,
    /// 按时办结率.
    pub timely_rate: Option<f64>,
}

/// A department's place in the ranking.
#[derive(Debug, Clone, uniffi::Record)]
pub struct DepartmentRank {
    pub department: String,
    pub rank: i32,
    pub score: f64,
    pub grade: Grade,
    pub red_cards: i64,
    pub early_rate: f64,
    pub vetoed: bool,
    /// Why the score is what it is, line by line.
    pub explanation: Vec<String>,
}

fn alert_record(alert: &zhengwu_supervision::Alert) -> AlertRecord {
    AlertRecord {
        id: alert.id.clone(),
        code: alert.code.clone(),
        level: alert.level,
        raised_level: alert.raised_level,
        case_id: alert.case_id.to_string(),
        item_code: alert.item_code.to_string(),
        department: alert.department.to_string(),
        region: alert.region.to_string(),
        raised_at: alert.raised_at,
        evidence: alert.evidence.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        message: alert.message.clone(),
        status: alert.status,
        deadline: alert.deadline,
    }
}

/// Counts of an ingest.
#[derive(Debug, uniffi::Record)]
pub struct IngestCounts {
    pub applied: i64,
    pub duplicates: i64,
    pub rejected: i64,
}

/// The headline statistics.
#[derive(Debug, uniffi::Record)]
pub struct Totals {
    pub received: i64,
    pub concluded: i64,
    pub early: i64,
    pub overdue: i64,
    pub warnings: i64,
    pub yellow_cards: i64,
    pub red_cards: i64,
    pub conclusion_rate: Option<f64>,
    pub early_rate: Option<f64>,
    /// 评价 given, and 满意率 among them.
    pub rated: i64,
    pub satisfaction_rate: Option<f64>,
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// 电子监察: a supervisor over a catalogue, fed JSON-lines events.
#[derive(Debug, uniffi::Object)]
pub struct Supervision {
    inner: Mutex<zhengwu_supervision::Supervisor>,
}

#[uniffi::export]
impl Supervision {
    /// A supervisor over a catalogue given as TOML text, with the default rules.
    #[uniffi::constructor]
    pub fn new(catalogue_toml: String) -> Result<Arc<Self>, ZhengwuError> {
        let file = CatalogueFile::from_toml(&catalogue_toml).map_err(supervision_error)?;
        let supervisor =
            zhengwu_supervision::Supervisor::new(Calendar::china(), catalogue(file)?, SupervisionConfig::default());
        Ok(Arc::new(Supervision { inner: Mutex::new(supervisor) }))
    }

    /// Ingests typed events (those a `WorkflowCase` recorded, or read back from the store).
    pub fn ingest(&self, events: Vec<CaseEventRecord>) -> Result<IngestCounts, ZhengwuError> {
        let mut parsed = Vec::with_capacity(events.len());
        for event in &events {
            parsed.push(zhengwu_core::CaseEvent::from_json(&event.json).map_err(|e| invalid(e.to_string()))?);
        }
        let mut supervisor = lock(&self.inner, "supervisor")?;
        let summary = supervisor.ingest_all(parsed);
        Ok(IngestCounts {
            applied: count(summary.applied),
            duplicates: count(summary.duplicates),
            rejected: count(summary.rejected),
        })
    }

    /// Statistics rows as of `as_of`, grouped by `by` and cut by `period`.
    pub fn statistics(
        &self,
        as_of: Instant,
        by: Dimension,
        period: Period,
    ) -> Result<Vec<StatisticsRow>, ZhengwuError> {
        let supervisor = lock(&self.inner, "supervisor")?;
        let statistics = supervisor.statistics(as_of, by, period, None);
        Ok(statistics
            .rows
            .iter()
            .map(|((group, period), c)| {
                let rates = c.rates();
                StatisticsRow {
                    group: group.clone(),
                    period: period.clone(),
                    received: count(c.received),
                    accepted: count(c.accepted),
                    concluded: count(c.concluded),
                    early: count(c.early),
                    on_time: count(c.on_time),
                    overdue: count(c.overdue),
                    running: count(c.running),
                    warnings: count(c.warnings),
                    yellow_cards: count(c.yellow_cards),
                    red_cards: count(c.red_cards),
                    conclusion_rate: rates.conclusion_rate,
                    early_rate: rates.early_rate,
                    timely_rate: rates.timely_rate,
                }
            })
            .collect())
    }

    /// Every alert, with where its correction stands.
    pub fn alerts(&self) -> Result<Vec<AlertRecord>, ZhengwuError> {
        let supervisor = lock(&self.inner, "supervisor")?;
        Ok(supervisor.alerts().map(alert_record).collect())
    }

    /// Records one step of an alert's correction by `actor` at `at`: the alert as it now stands;
    /// a step that does not fit the alert's state is an error naming both.
    pub fn correct(
        &self,
        alert_id: String,
        action: AlertAction,
        actor: String,
        at: Instant,
    ) -> Result<AlertRecord, ZhengwuError> {
        let action = match action {
            AlertAction::Notify { recipients } => {
                CorrectionAction::Notify { recipients: recipients.iter().map(|r| r.as_str().into()).collect() }
            }
            AlertAction::Explain { text } => CorrectionAction::Explain { text },
            AlertAction::Review { valid, reason } => CorrectionAction::Review { valid, reason },
            AlertAction::Correct { note } => CorrectionAction::Correct { note },
            AlertAction::Supervise { deadline } => CorrectionAction::Supervise { deadline },
            AlertAction::Escalate { reason } => CorrectionAction::Escalate { reason },
            AlertAction::HoldAccountable { form } => CorrectionAction::HoldAccountable { form },
            AlertAction::Close => CorrectionAction::Close,
        };
        let mut supervisor = lock(&self.inner, "supervisor")?;
        supervisor.correct(&alert_id, action, at, actor.as_str().into()).map_err(supervision_error)?;
        supervisor.alert(&alert_id).map(alert_record).ok_or_else(|| supervision_error(format!("no alert `{alert_id}`")))
    }

    /// The department ranking as of `as_of` (the default scoring scheme, every period).
    pub fn ranking(&self, as_of: Instant) -> Result<Vec<DepartmentRank>, ZhengwuError> {
        let supervisor = lock(&self.inner, "supervisor")?;
        let ranking = supervisor.rank(as_of, Period::All, "all", &ScoringScheme::default(), &BTreeMap::new());
        Ok(ranking
            .into_iter()
            .map(|score| DepartmentRank {
                department: score.department.to_string(),
                rank: i32::try_from(score.rank).unwrap_or(i32::MAX),
                score: score.score,
                grade: score.grade,
                red_cards: count(score.red_cards),
                early_rate: score.early_rate,
                vetoed: score.vetoed,
                explanation: score.explanation,
            })
            .collect())
    }

    /// Ingests JSON-lines events (the wire format).
    pub fn ingest_json_lines(&self, text: String) -> Result<IngestCounts, ZhengwuError> {
        let mut supervisor = lock(&self.inner, "supervisor")?;
        let summary = supervisor.ingest_json_lines(&text);
        Ok(IngestCounts {
            applied: count(summary.applied),
            duplicates: count(summary.duplicates),
            rejected: count(summary.rejected),
        })
    }

    /// Evaluates every rule as of `as_of`; the number of alerts raised.
    pub fn evaluate(&self, as_of: Instant) -> Result<i64, ZhengwuError> {
        let mut supervisor = lock(&self.inner, "supervisor")?;
        Ok(count(supervisor.evaluate(as_of).raised.len() as u64))
    }

    /// The totals as of `as_of`.
    pub fn totals(&self, as_of: Instant) -> Result<Totals, ZhengwuError> {
        let supervisor = lock(&self.inner, "supervisor")?;
        let statistics = supervisor.statistics(as_of, Dimension::Total, Period::All, None);
        let counters = statistics.rows.values().copied().next().unwrap_or_default();
        let rates = counters.rates();
        Ok(Totals {
            received: count(counters.received),
            concluded: count(counters.concluded),
            early: count(counters.early),
            overdue: count(counters.overdue),
            warnings: count(counters.warnings),
            yellow_cards: count(counters.yellow_cards),
            red_cards: count(counters.red_cards),
            conclusion_rate: rates.conclusion_rate,
            early_rate: rates.early_rate,
            rated: count(counters.rated),
            satisfaction_rate: rates.satisfaction_rate,
        })
    }
}
