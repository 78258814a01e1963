//! 流程: processes from BPMN, JSON or TOML, and the cases that run on them.

use std::sync::{Arc, Mutex};

use zhengwu_core::Calendar;
use zhengwu_workflow::CaseStatus;

use crate::command::CaseCommand;
use crate::error::{ZhengwuError, case_error, invalid, lock, workflow_error};
use crate::event::CaseEventRecord;
use crate::time::{Day, Instant};
use crate::types::Role;

/// An open task and its due dates.
#[derive(Debug, uniffi::Record)]
pub struct TaskDue {
    pub step: String,
    pub name: String,
    pub step_due: Option<Day>,
    pub branch_due: Option<Day>,
}

/// Where a case stands.
#[derive(Debug, uniffi::Record)]
pub struct CaseProgress {
    /// The statutory due date, once the case is accepted.
    pub due_on: Option<Day>,
    pub used_days: Option<i64>,
    pub remaining_days: Option<i64>,
    pub tasks: Vec<TaskDue>,
}

/// An open task: the step, since when, and who holds it when it was handed to someone.
#[derive(Debug, uniffi::Record)]
pub struct OpenTaskRecord {
    pub step: String,
    pub name: String,
    pub opened_at: Instant,
    pub holder: Option<String>,
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

    /// A process from its TOML definition.
    #[uniffi::constructor]
    pub fn from_toml(toml: String) -> Result<Arc<Self>, ZhengwuError> {
        Self::build(zhengwu_workflow::ProcessDefinition::from_toml(&toml))
    }

    /// The process id.
    pub fn id(&self) -> String {
        self.process.id().to_owned()
    }

    /// The task steps, in definition order.
    pub fn tasks(&self) -> Vec<String> {
        self.process.tasks().map(|node| node.id.clone()).collect()
    }

    /// The definition as JSON (`fromJson` reads it back).
    pub fn to_json(&self) -> String {
        self.process.definition().to_json()
    }

    /// The definition as TOML (`fromToml` reads it back).
    pub fn to_toml(&self) -> Result<String, ZhengwuError> {
        self.process.definition().to_toml().map_err(workflow_error)
    }

    /// The definition as BPMN 2.0 XML, which any BPMN modeler opens.
    pub fn to_bpmn(&self) -> String {
        zhengwu_workflow::export_bpmn(self.process.definition())
    }

    /// A case rebuilt from its events (read back from the store, or another process's log): the
    /// events are checked against the process as they are replayed.
    pub fn replay(&self, events: Vec<CaseEventRecord>) -> Result<Arc<WorkflowCase>, ZhengwuError> {
        let mut parsed = Vec::with_capacity(events.len());
        for event in &events {
            parsed.push(zhengwu_core::CaseEvent::from_json(&event.json).map_err(|e| invalid(e.to_string()))?);
        }
        let case = zhengwu_workflow::Case::replay(self.process.clone(), &parsed)
            .map_err(case_error)?
            .with_calendar(Arc::new(self.calendar.clone()));
        Ok(Arc::new(WorkflowCase { inner: Mutex::new(case), calendar: self.calendar.clone() }))
    }

    /// A new case of this process.
    pub fn start_case(
        &self,
        case_id: String,
        item: String,
        department: String,
        region: String,
    ) -> Result<Arc<WorkflowCase>, ZhengwuError> {
        let region = zhengwu_core::RegionCode::new(&region).map_err(|e| invalid(e.to_string()))?;
        let case = zhengwu_workflow::Case::new(
            self.process.clone(),
            case_id.as_str().into(),
            item.as_str().into(),
            department.as_str().into(),
            region,
        )
        .with_calendar(Arc::new(self.calendar.clone()));
        Ok(Arc::new(WorkflowCase { inner: Mutex::new(case), calendar: self.calendar.clone() }))
    }
}

impl WorkflowEngine {
    pub(crate) fn process(&self) -> &zhengwu_workflow::Process {
        &self.process
    }

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
    /// Runs `command` as the official `actor_id` acting as `role` for `department` at `at`: the
    /// events it recorded, or the refusal (`ZhengwuError.Rejected`, by kind) with nothing
    /// recorded.
    pub fn execute(
        &self,
        command: CaseCommand,
        actor_id: String,
        role: Option<Role>,
        department: String,
        at: Instant,
    ) -> Result<Vec<CaseEventRecord>, ZhengwuError> {
        let context = zhengwu_workflow::Context {
            actor: zhengwu_core::Actor { id: actor_id.as_str().into(), name: None, role: role.map(Into::into) },
            department: department.as_str().into(),
            at,
        };
        let command = command.into_command()?;
        let mut case = lock(&self.inner, "case")?;
        let events = case.execute(command, &context).map_err(case_error)?;
        Ok(events.iter().map(CaseEventRecord::from).collect())
    }

    /// The case id.
    pub fn id(&self) -> Result<String, ZhengwuError> {
        Ok(lock(&self.inner, "case")?.case_id().to_string())
    }

    /// The open tasks, in the order they opened.
    pub fn open_tasks(&self) -> Result<Vec<OpenTaskRecord>, ZhengwuError> {
        let case = lock(&self.inner, "case")?;
        Ok(case
            .open_tasks()
            .iter()
            .map(|task| OpenTaskRecord {
                step: task.step.to_string(),
                name: case.process().node(&task.step).map(|n| n.name.clone()).unwrap_or_default(),
                opened_at: task.opened_at,
                holder: task.holder.as_ref().map(ToString::to_string),
            })
            .collect())
    }

    /// Where the case stands.
    pub fn status(&self) -> Result<CaseStatus, ZhengwuError> {
        Ok(lock(&self.inner, "case")?.status())
    }

    /// Every event the case recorded, in order.
    pub fn events(&self) -> Result<Vec<CaseEventRecord>, ZhengwuError> {
        Ok(lock(&self.inner, "case")?.events().iter().map(CaseEventRecord::from).collect())
    }

    /// The statutory clock against `limit_days` working days (single handling) and each open
    /// task's due dates, as of `as_of`.
    pub fn progress(&self, limit_days: i32, as_of: Day) -> Result<CaseProgress, ZhengwuError> {
        let limit = u32::try_from(limit_days).map_err(|_| invalid(format!("a limit of {limit_days} days")))?;
        let case = lock(&self.inner, "case")?;
        let progress = case
            .progress(
                &self.calendar,
                &clock_item(zhengwu_core::ItemKind::Promised, limit),
                zhengwu_core::LimitReference::Legal,
                as_of,
            )
            .map_err(workflow_error)?;
        Ok(CaseProgress {
            due_on: progress.clock.as_ref().and_then(|c| c.due_on),
            used_days: progress.clock.as_ref().map(|c| c.used_days),
            remaining_days: progress.clock.as_ref().map(|c| c.remaining_days),
            tasks: progress
                .tasks
                .into_iter()
                .map(|t| TaskDue { step: t.step, name: t.name, step_due: t.step_due, branch_due: t.branch_due })
                .collect(),
        })
    }
}

/// The item a foreign caller's limit stands for: a 行政许可 item of `kind` whose legal and
/// promised limits are `limit_days` working days.
fn clock_item(kind: zhengwu_core::ItemKind, limit_days: u32) -> zhengwu_core::ServiceItem {
    let limit = zhengwu_core::TimeLimit::working_days(limit_days);
    zhengwu_core::ServiceItem::new("-".into(), "-", "-".into(), kind, limit, limit)
}
