#![doc = include_str!("../README.md")]
// UniFFI's macros expand to items the workspace lints cannot see documented.
#![allow(missing_docs, unreachable_pub)]

use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset, NaiveDate};
use zhengwu_core::{Calendar, Catalogue, CatalogueFile};
use zhengwu_supervision::{Dimension, Period, SupervisionConfig};

uniffi::setup_scaffolding!();

/// What went wrong, one variant per area a caller acts on.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum ZhengwuError {
    /// A date or schedule the calendar cannot answer for.
    #[error("{reason}")]
    Calendar { reason: String },
    /// A process that is not valid, or a case that cannot be read or restored.
    #[error("{reason}")]
    Workflow { reason: String },
    /// A command the case refuses; `kind` names why, stably (`case_closed`, `step_not_open`,
    /// `handed_to_another`, `wrong_role`, `not_your_turn`, ...: `zhengwu_workflow::Rejection::kind`),
    /// so that a host branches on it without reading `reason`.
    #[error("{reason}")]
    Rejected { case_id: String, kind: String, reason: String },
    /// A catalogue or event log that cannot be read.
    #[error("{reason}")]
    Supervision { reason: String },
    /// Malformed input: a date, an instant, JSON.
    #[error("{reason}")]
    InvalidInput { reason: String },
}

fn calendar_error(error: impl std::fmt::Display) -> ZhengwuError {
    ZhengwuError::Calendar { reason: error.to_string() }
}

fn workflow_error(error: impl std::fmt::Display) -> ZhengwuError {
    ZhengwuError::Workflow { reason: error.to_string() }
}

/// A case's refusal with its kind; any other workflow error as `Workflow`.
fn case_error(error: zhengwu_workflow::Error) -> ZhengwuError {
    match &error {
        zhengwu_workflow::Error::Rejected { case, rejection } => ZhengwuError::Rejected {
            case_id: case.clone(),
            kind: rejection.kind().to_owned(),
            reason: error.to_string(),
        },
        _ => workflow_error(error),
    }
}

fn supervision_error(error: impl std::fmt::Display) -> ZhengwuError {
    ZhengwuError::Supervision { reason: error.to_string() }
}

fn date(text: &str) -> Result<NaiveDate, ZhengwuError> {
    text.parse().map_err(|_| ZhengwuError::InvalidInput { reason: format!("`{text}` is not a date (YYYY-MM-DD)") })
}

fn instant(text: &str) -> Result<DateTime<FixedOffset>, ZhengwuError> {
    DateTime::parse_from_rfc3339(text)
        .map_err(|_| ZhengwuError::InvalidInput { reason: format!("`{text}` is not an RFC 3339 instant with offset") })
}

/// 工作日历: the statutory working-day calendar. Dates are `YYYY-MM-DD` strings.
#[derive(Debug, uniffi::Object)]
pub struct WorkingCalendar {
    inner: Calendar,
}

#[uniffi::export]
impl WorkingCalendar {
    /// The embedded State Council notices (2004–2026).
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(WorkingCalendar { inner: Calendar::china() })
    }

    /// Whether the day is a working day.
    pub fn is_workday(&self, day: String) -> Result<bool, ZhengwuError> {
        self.inner.is_workday(date(&day)?).map_err(calendar_error)
    }

    /// The due date `days` working days after `start` (the start day not counted).
    pub fn deadline_working_days(&self, start: String, days: u32) -> Result<String, ZhengwuError> {
        Ok(self.inner.add_working_days(date(&start)?, days).map_err(calendar_error)?.to_string())
    }

    /// The due date `days` calendar days after `start`, moved off a last day off.
    pub fn deadline_calendar_days(&self, start: String, days: u32) -> Result<String, ZhengwuError> {
        Ok(self.inner.add_calendar_days(date(&start)?, days).map_err(calendar_error)?.to_string())
    }
}

/// The result of checking a 统一社会信用代码.
#[derive(Debug, uniffi::Record)]
pub struct CreditCheck {
    pub code: String,
    pub valid: bool,
    /// Why not, when invalid.
    pub reason: Option<String>,
    /// 登记管理部门, when valid.
    pub registration_authority: Option<String>,
}

/// 信用代码校验.
#[derive(Debug, uniffi::Object)]
pub struct CreditChecker;

#[uniffi::export]
impl CreditChecker {
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(CreditChecker)
    }

    /// Checks one code (both check characters and the structure).
    pub fn check(&self, code: String) -> CreditCheck {
        match zhengwu_credit::CreditCode::new(&code) {
            Ok(valid) => CreditCheck {
                registration_authority: Some(valid.registration_authority().chinese().to_owned()),
                code,
                valid: true,
                reason: None,
            },
            Err(error) => {
                CreditCheck { code, valid: false, reason: Some(error.to_string()), registration_authority: None }
            }
        }
    }
}

/// An open task and its due dates.
#[derive(Debug, uniffi::Record)]
pub struct TaskDue {
    pub step: String,
    pub name: String,
    pub step_due: Option<String>,
    pub branch_due: Option<String>,
}

/// Where a case stands.
#[derive(Debug, uniffi::Record)]
pub struct CaseProgress {
    /// The statutory due date, once the case is accepted.
    pub due_on: Option<String>,
    pub used_days: Option<i64>,
    pub remaining_days: Option<i64>,
    pub tasks: Vec<TaskDue>,
}

/// 流程引擎: one validated process; starts cases on it.
#[derive(Debug, uniffi::Object)]
pub struct WorkflowEngine {
    process: Arc<zhengwu_workflow::Process>,
    calendar: Calendar,
}

#[uniffi::export]
impl WorkflowEngine {
    /// A process from BPMN 2.0 XML (Flowable or Camunda files).
    #[uniffi::constructor]
    pub fn from_bpmn(xml: String) -> Result<Arc<Self>, ZhengwuError> {
        Self::build(zhengwu_workflow::import_bpmn(&xml))
    }

    /// A process from its JSON definition.
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Arc<Self>, ZhengwuError> {
        Self::build(zhengwu_workflow::ProcessDefinition::from_json(&json))
    }

    /// The task steps, in definition order.
    pub fn tasks(&self) -> Vec<String> {
        self.process.tasks().map(|node| node.id.clone()).collect()
    }

    /// A new case of this process.
    pub fn start_case(
        &self,
        case_id: String,
        item: String,
        department: String,
        region: String,
    ) -> Result<Arc<WorkflowCase>, ZhengwuError> {
        let region =
            zhengwu_core::RegionCode::new(&region).map_err(|e| ZhengwuError::InvalidInput { reason: e.to_string() })?;
        let case = zhengwu_workflow::Case::new(
            self.process.clone(),
            case_id.as_str().into(),
            item.as_str().into(),
            department.as_str().into(),
            region,
        );
        Ok(Arc::new(WorkflowCase { inner: Mutex::new(case), calendar: self.calendar.clone() }))
    }
}

impl WorkflowEngine {
    fn build(
        definition: zhengwu_workflow::Result<zhengwu_workflow::ProcessDefinition>,
    ) -> Result<Arc<Self>, ZhengwuError> {
        let process = zhengwu_workflow::Process::new(definition.map_err(workflow_error)?).map_err(workflow_error)?;
        Ok(Arc::new(WorkflowEngine { process: Arc::new(process), calendar: Calendar::china() }))
    }
}

/// 办件: a case on the engine.
#[derive(Debug, uniffi::Object)]
pub struct WorkflowCase {
    inner: Mutex<zhengwu_workflow::Case>,
    calendar: Calendar,
}

#[uniffi::export]
impl WorkflowCase {
    /// Runs a command given as JSON (`{"type": "complete", "step": "review"}`) as the official
    /// `actor_id` in `role` (`window_clerk`, `handler`, …) of `department` at `at` (RFC 3339);
    /// the events it produced, as JSON.
    pub fn execute(
        &self,
        command: String,
        actor_id: String,
        role: Option<String>,
        department: String,
        at: String,
    ) -> Result<Vec<String>, ZhengwuError> {
        let command: zhengwu_workflow::Command = serde_json::from_str(&command)
            .map_err(|e| ZhengwuError::InvalidInput { reason: format!("bad command: {e}") })?;
        let role = role
            .map(|role| serde_json::from_value(serde_json::Value::String(role.clone())))
            .transpose()
            .map_err(|_| ZhengwuError::InvalidInput { reason: "unknown role".to_owned() })?;
        let context = zhengwu_workflow::Context {
            actor: zhengwu_core::Actor { id: actor_id.as_str().into(), name: None, role },
            department: department.as_str().into(),
            at: instant(&at)?,
        };
        let mut case = self.inner.lock().map_err(|_| workflow_error("the case's lock is poisoned"))?;
        let events = case.execute(command, &context).map_err(case_error)?;
        Ok(events.iter().map(zhengwu_core::CaseEvent::to_json).collect())
    }

    /// The open tasks' steps.
    pub fn open_tasks(&self) -> Vec<String> {
        self.inner.lock().map(|case| case.open_tasks().iter().map(|t| t.step.to_string()).collect()).unwrap_or_default()
    }

    /// The status as JSON (`"running"`, `{"concluded":"granted"}`, …).
    pub fn status(&self) -> String {
        self.inner.lock().ok().and_then(|case| serde_json::to_string(&case.status()).ok()).unwrap_or_default()
    }

    /// The statutory clock against `limit_days` working days (single handling) and each open
    /// task's due dates, as of `as_of` (`YYYY-MM-DD`).
    pub fn progress(&self, limit_days: u32, as_of: String) -> Result<CaseProgress, ZhengwuError> {
        let case = self.inner.lock().map_err(|_| workflow_error("the case's lock is poisoned"))?;
        let progress = case
            .progress(
                &self.calendar,
                &clock_item(zhengwu_core::ItemKind::Promised, limit_days),
                zhengwu_core::LimitReference::Legal,
                date(&as_of)?,
            )
            .map_err(workflow_error)?;
        Ok(CaseProgress {
            due_on: progress.clock.as_ref().and_then(|c| c.due_on).map(|d| d.to_string()),
            used_days: progress.clock.as_ref().map(|c| c.used_days),
            remaining_days: progress.clock.as_ref().map(|c| c.remaining_days),
            tasks: progress
                .tasks
                .into_iter()
                .map(|t| TaskDue {
                    step: t.step,
                    name: t.name,
                    step_due: t.step_due.map(|d| d.to_string()),
                    branch_due: t.branch_due.map(|d| d.to_string()),
                })
                .collect(),
        })
    }
}

/// Counts of an ingest.
#[derive(Debug, uniffi::Record)]
pub struct IngestCounts {
    pub applied: u64,
    pub duplicates: u64,
    pub rejected: u64,
}

/// The headline statistics (the seed's table).
#[derive(Debug, uniffi::Record)]
pub struct Totals {
    pub received: u64,
    pub concluded: u64,
    pub early: u64,
    pub overdue: u64,
    pub warnings: u64,
    pub yellow_cards: u64,
    pub red_cards: u64,
    pub conclusion_rate: Option<f64>,
    pub early_rate: Option<f64>,
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
        let departments = file.departments();
        let catalogue = Catalogue::new(file, &departments).map_err(supervision_error)?;
        let supervisor =
            zhengwu_supervision::Supervisor::new(Calendar::china(), catalogue, SupervisionConfig::default());
        Ok(Arc::new(Supervision { inner: Mutex::new(supervisor) }))
    }

    /// Ingests JSON-lines events.
    pub fn ingest_json_lines(&self, text: String) -> Result<IngestCounts, ZhengwuError> {
        let mut supervisor = self.inner.lock().map_err(|_| supervision_error("the supervisor's lock is poisoned"))?;
        let summary = supervisor.ingest_json_lines(&text);
        Ok(IngestCounts { applied: summary.applied, duplicates: summary.duplicates, rejected: summary.rejected })
    }

    /// Evaluates every rule as of `as_of` (RFC 3339); the number of alerts raised.
    pub fn evaluate(&self, as_of: String) -> Result<u64, ZhengwuError> {
        let as_of = instant(&as_of)?;
        let mut supervisor = self.inner.lock().map_err(|_| supervision_error("the supervisor's lock is poisoned"))?;
        Ok(supervisor.evaluate(as_of).raised.len() as u64)
    }

    /// The totals as of `as_of` (RFC 3339).
    pub fn totals(&self, as_of: String) -> Result<Totals, ZhengwuError> {
        let as_of = instant(&as_of)?;
        let supervisor = self.inner.lock().map_err(|_| supervision_error("the supervisor's lock is poisoned"))?;
        let statistics = supervisor.statistics(as_of, Dimension::Total, Period::All, None);
        let counters = statistics.rows.values().copied().next().unwrap_or_default();
        let rates = counters.rates();
        Ok(Totals {
            received: counters.received,
            concluded: counters.concluded,
            early: counters.early,
            overdue: counters.overdue,
            warnings: counters.warnings,
            yellow_cards: counters.yellow_cards,
            red_cards: counters.red_cards,
            conclusion_rate: rates.conclusion_rate,
            early_rate: rates.early_rate,
        })
    }
}

/// The item a foreign caller's limit stands for: a 行政许可 item of `kind` whose legal and
/// promised limits are `limit_days` working days.
fn clock_item(kind: zhengwu_core::ItemKind, limit_days: u32) -> zhengwu_core::ServiceItem {
    let limit = zhengwu_core::TimeLimit::working_days(limit_days);
    zhengwu_core::ServiceItem::new("-".into(), "-", "-".into(), kind, limit, limit)
}
