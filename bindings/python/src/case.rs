//! `Case`: a case run by commands on the engine.

use crate::args::{Count, Day, Instant, Object, Text};
use crate::calendar::Calendar;
use crate::errors::{WorkflowError, case_error, workflow_error};
use crate::process::Process;
use pyo3::prelude::*;

/// 办件: a case run by commands on the engine.
#[pyclass(module = "zhengwu._zhengwu")]
pub(crate) struct Case {
    inner: zhengwu_workflow::Case,
}

#[pymethods]
impl Case {
    #[new]
    fn new(
        process: Object<'_, Process>,
        case_id: Text<'_>,
        item: Text<'_>,
        department: Text<'_>,
        region: Text<'_>,
    ) -> PyResult<Self> {
        let (case_id, item, department) = (case_id.0, item.0, department.0);
        let process = process.0.get();
        let region = zhengwu_core::RegionCode::new(region.0).map_err(workflow_error)?;
        Ok(Case {
            inner: zhengwu_workflow::Case::new(
                process.inner.clone(),
                case_id.into(),
                item.into(),
                department.into(),
                region,
            ),
        })
    }

    /// Runs one command (JSON text, `{"type": "complete", "step": ...}`) as `actor` (JSON text,
    /// `{"id": ..., "role": ...}`) of `department` at `at`; the events it produced as JSON text.
    fn execute(
        &mut self,
        py: Python<'_>,
        command: Text<'_>,
        actor: Text<'_>,
        department: Text<'_>,
        at: Instant,
    ) -> PyResult<String> {
        let (command, actor, department, at) = (command.0, actor.0, department.0, at.0);
        let command: zhengwu_workflow::Command =
            serde_json::from_str(command).map_err(|e| WorkflowError::new_err(format!("bad command: {e}")))?;
        let actor: zhengwu_core::Actor =
            serde_json::from_str(actor).map_err(|e| WorkflowError::new_err(format!("bad actor: {e}")))?;
        let context = zhengwu_workflow::Context { actor, department: department.into(), at };
        let events = self.inner.execute(command, &context).map_err(|error| case_error(py, error))?;
        Ok(format!("[{}]", events.iter().map(|e| e.to_json()).collect::<Vec<_>>().join(",")))
    }

    /// The status as the engine serialises it.
    fn status(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner.status()).map_err(workflow_error)
    }

    /// The open tasks' steps.
    fn open_tasks(&self) -> Vec<String> {
        self.inner.open_tasks().iter().map(|task| task.step.to_string()).collect()
    }

    /// Every event so far as JSON text.
    fn events(&self) -> String {
        format!("[{}]", self.inner.events().iter().map(|e| e.to_json()).collect::<Vec<_>>().join(","))
    }

    /// Where the case stands as JSON: the statutory clock against `limit_days` working days of
    /// the regime (`single` or `joint`), and each open task's due dates.
    fn progress(
        &self,
        calendar: Object<'_, Calendar>,
        limit_days: Count,
        regime: Text<'_>,
        as_of: Day,
    ) -> PyResult<String> {
        let (calendar, limit_days, regime, as_of) = (calendar.0.get(), limit_days.0, regime.0, as_of.0);
        // The regime is the kind of item the limit belongs to: single handling (Art. 42 ¶1) or
        // joint handling (¶2).
        let kind = match regime {
            "single" => zhengwu_core::ItemKind::Promised,
            "joint" => zhengwu_core::ItemKind::Joint,
            other => return Err(WorkflowError::new_err(format!("unknown regime `{other}` (single or joint)"))),
        };
        let limit = zhengwu_core::TimeLimit::working_days(limit_days);
        let item = zhengwu_core::ServiceItem::new("-".into(), "-", "-".into(), kind, limit, limit);
        let progress = self
            .inner
            .progress(&calendar.inner, &item, zhengwu_core::LimitReference::Legal, as_of)
            .map_err(workflow_error)?;
        serde_json::to_string(&progress).map_err(workflow_error)
    }
}
