//! Where a case stands: its statutory clock, its open tasks with their due dates, and the steps a
//! task can be returned to.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use zhengwu_core::OfficialId;

use super::engine::Case;
use crate::definition::{Assignee, NodeKind};
use crate::error::Result;
use crate::status::CaseStatus;

/// An open task as [`Case::progress`] reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskProgress {
    /// The task.
    pub step: String,
    /// Its name.
    pub name: String,
    /// The official it was handed to, if any.
    pub holder: Option<OfficialId>,
    /// Who it is for by definition.
    pub assignee: Option<Assignee>,
    /// When it opened.
    pub opened_at: DateTime<FixedOffset>,
    /// Its step limit's due date.
    pub step_due: Option<chrono::NaiveDate>,
    /// The fork whose branch it is in.
    pub branch: Option<String>,
    /// The branch's sub-deadline.
    pub branch_due: Option<chrono::NaiveDate>,
}

/// Where a case stands: the answer of [`Case::progress`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Where the case stands (received, running, concluded …).
    pub status: CaseStatus,
    /// The statutory clock, once accepted.
    pub clock: Option<zhengwu_core::ClockReport>,
    /// Open tasks.
    pub tasks: Vec<TaskProgress>,
}

impl Case {
    /// Where the case stands as of a day: its statutory clock against the item's `reference`
    /// limit, folded from the events by `zhengwu_core::CaseTimeline` (the fold supervision uses:
    /// Art. 32(4) deemed acceptance, 补正 after acceptance, uncounted special procedures,
    /// suspensions, extensions, conclusion), and each open task with its holder, its step due
    /// date and its branch's due date.
    pub fn progress(
        &self,
        calendar: &zhengwu_core::Calendar,
        item: &zhengwu_core::ServiceItem,
        reference: zhengwu_core::LimitReference,
        as_of: chrono::NaiveDate,
    ) -> Result<Progress> {
        use zhengwu_core::china_day as china;
        let timeline = zhengwu_core::CaseTimeline::from_events(&self.log);
        let clock = timeline.report(item, reference, calendar, as_of)?;
        let due = |from: chrono::NaiveDate, limit: zhengwu_core::TimeLimit| limit.due_from(from, calendar);
        let mut tasks = Vec::new();
        for task in &self.state.tasks {
            let node = self.process.node(&task.step);
            let (step_limit, assignee) = match node.map(|n| &n.kind) {
                Some(NodeKind::Task { limit, assignee, .. }) => (*limit, Some(assignee.clone())),
                _ => (None, None),
            };
            let step_due = step_limit.map(|l| due(china(task.opened_at), l)).transpose()?;
            let branch = self.process.fork_of(&task.step).map(str::to_owned);
            let branch_due = match &branch {
                Some(fork) => match (self.process.node(fork).map(|n| &n.kind), self.state.forks_opened.get(fork)) {
                    (Some(NodeKind::Fork { branch_limit, .. }), Some(opened)) => {
                        Some(due(china(*opened), *branch_limit)?)
                    }
                    _ => None,
                },
                None => None,
            };
            tasks.push(TaskProgress {
                step: task.step.to_string(),
                name: node.map(|n| n.name.clone()).unwrap_or_default(),
                holder: task.holder.clone(),
                assignee,
                opened_at: task.opened_at,
                step_due,
                branch,
                branch_due,
            });
        }
        Ok(Progress { status: self.state.status, clock, tasks })
    }

    /// 可退回环节: the earlier steps `step` can be returned to (completed tasks upstream of it).
    pub fn returnable(&self, step: &str) -> Vec<String> {
        let completed: BTreeSet<&str> = self.state.completed.iter().map(|(s, _, _)| s.as_str()).collect();
        self.process
            .predecessors_of(step)
            .into_iter()
            .filter(|n| matches!(n.kind, NodeKind::Task { .. }) && completed.contains(n.id.as_str()))
            .map(|n| n.id.clone())
            .collect()
    }
}
