//! Tokens through the graph: where the flows leaving a node land (tasks, forks, the end), with
//! the join arrivals and fired joins they leave behind.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset};
use zhengwu_core::{Decision, EventKind};

use super::engine::{Case, Plan};
use super::task::variable_count;
use super::timers::variable_time;
use crate::definition::{Assignee, InstanceCount, Instances, NodeKind, TimerDuration};
use crate::rejection::Rejection;

/// Where a token lands.
enum Landing {
    Task(String),
    End(Decision),
    /// The end of an open fork's branch: the case concludes there only if no other branch is open.
    BranchEnd(Decision),
    Fork(String),
}

impl Case {
    /// The events of tokens leaving `node` (the start, or a step just completed) with the case's
    /// data, or `data` where given: tasks opened, or the end. `closing` are the open steps the
    /// command ends (the one completed, the ones cancelled): an open fork's branch that ends
    /// concludes the case when no other step stays open.
    pub(super) fn landings_from(
        &self,
        node: &str,
        data: Option<&serde_json::Map<String, serde_json::Value>>,
        closing: &[&str],
    ) -> Plan {
        let mut arrivals = self.state.arrivals.clone();
        let mut fired = self.state.fired.clone();
        let mut landings = Vec::new();
        let data = data.unwrap_or(&self.state.data);
        self.traverse(node, data, &mut arrivals, &mut fired, &mut landings)?;
        if let Some(last) = landings.iter().rposition(|l| matches!(l, Landing::BranchEnd(_))) {
            let open = |step: &str| !self.process.in_side_path(step);
            let staying = self.state.tasks.iter().any(|t| !closing.contains(&t.step.as_str()) && open(&t.step));
            let opening = landings.iter().any(|l| matches!(l, Landing::Task(step) if open(step)));
            if !staying
                && !opening
                && let Landing::BranchEnd(decision) = landings[last]
            {
                landings[last] = Landing::End(decision);
            }
        }
        Ok(landing_events(landings, data))
    }

    /// Moves tokens out of `from` along the graph: through forks, exclusive branches, merges and
    /// joins (recording arrivals), to tasks and ends.
    fn traverse(
        &self,
        from: &str,
        data: &serde_json::Map<String, serde_json::Value>,
        arrivals: &mut BTreeMap<String, BTreeSet<String>>,
        fired: &mut BTreeSet<String>,
        landings: &mut Vec<Landing>,
    ) -> std::result::Result<(), Rejection> {
        let chosen;
        let flows: Box<dyn Iterator<Item = &crate::definition::Flow>> = match self.process.node(from).map(|n| &n.kind) {
            Some(NodeKind::Exclusive { .. }) => {
                chosen = self.process.choose(from, data).map_err(|e| Rejection::NoRoute { reason: e.to_string() })?;
                Box::new(std::iter::once(chosen))
            }
            Some(NodeKind::Fork { inclusive: true, .. }) => {
                let taken =
                    self.process.choose_all(from, data).map_err(|e| Rejection::NoRoute { reason: e.to_string() })?;
                // A branch not taken has arrived at the join already: the join waits for the others.
                if let Some(join) = self.process.join_of(from) {
                    for branch in self.process.outgoing_iter(from) {
                        if !taken.iter().any(|t| t.id == branch.id)
                            && let Some(end) = self.process.branch_end(&branch.id)
                        {
                            arrivals.entry(join.to_owned()).or_default().insert(end.to_owned());
                        }
                    }
                }
                Box::new(taken.into_iter())
            }
            _ => Box::new(self.process.outgoing_iter(from)),
        };
        for flow in flows {
            let Some(target) = self.process.node(&flow.to) else { continue };
            match &target.kind {
                NodeKind::Task { assignee: Assignee::Variable(collection), countersign: Some(_), .. }
                    if self.variable_officials_in(data, collection).is_empty() =>
                {
                    // A countersign with nobody to sign could never end.
                    return Err(Rejection::AssigneeUnset { step: target.id.clone(), variable: collection.clone() });
                }
                NodeKind::Task {
                    instances: Some(Instances { count: InstanceCount::Variable(variable), .. }), ..
                } if variable_count(data, variable).is_none() => {
                    // A step run as many times as a variable says, and it says no number.
                    return Err(Rejection::InstancesUnset { step: target.id.clone(), variable: variable.clone() });
                }
                NodeKind::Task { .. } | NodeKind::Timer { .. } => {
                    // A timer armed here (the step's boundary timers, or the timer itself) that
                    // waits for a time the case does not hold could never fire.
                    let attached = self.process.boundary_events_of(&target.id).iter().map(String::as_str);
                    for timer in std::iter::once(target.id.as_str()).chain(attached) {
                        if let Some(NodeKind::Timer { after: TimerDuration::AtVariable(variable), .. }) =
                            self.process.node(timer).map(|n| &n.kind)
                            && variable_time(data, variable).is_none()
                        {
                            return Err(Rejection::TimerTimeUnset {
                                timer: timer.to_owned(),
                                variable: variable.clone(),
                            });
                        }
                    }
                    landings.push(Landing::Task(target.id.clone()))
                }
                // The end of a non-interrupting timer's path: the path's token is consumed.
                NodeKind::End { .. } if self.process.in_side_path(from) => {}
                NodeKind::End { outcome } if self.process.in_open_branch(from) => {
                    landings.push(Landing::BranchEnd(*outcome))
                }
                NodeKind::End { outcome } => landings.push(Landing::End(*outcome)),
                NodeKind::Join => {
                    let arrived = arrivals.entry(target.id.clone()).or_default();
                    arrived.insert(flow.id.clone());
                    if arrived.len() == self.process.incoming_count(&target.id) {
                        arrivals.remove(&target.id);
                        fired.insert(target.id.clone());
                        self.traverse(&target.id, data, arrivals, fired, landings)?;
                    }
                }
                NodeKind::Fork { .. } => {
                    // A fork opening again resets what its join remembers.
                    if let Some(join) = self.process.join_of(&target.id) {
                        fired.remove(join);
                    }
                    landings.push(Landing::Fork(target.id.clone()));
                    self.traverse(&target.id, data, arrivals, fired, landings)?
                }
                _ => self.traverse(&target.id, data, arrivals, fired, landings)?,
            }
        }
        Ok(())
    }

    /// Records the join arrivals and fired joins of tokens leaving `from` (the tasks and the end
    /// they reach arrive as their own events).
    pub(super) fn advance(&mut self, from: &str, at: DateTime<FixedOffset>) -> std::result::Result<(), String> {
        let mut arrivals = std::mem::take(&mut self.state.arrivals);
        let mut fired = std::mem::take(&mut self.state.fired);
        let mut landings = Vec::new();
        let result = self.traverse(from, &self.state.data, &mut arrivals, &mut fired, &mut landings);
        self.state.arrivals = arrivals;
        self.state.fired = fired;
        for landing in landings {
            if let Landing::Fork(fork) = landing {
                self.state.forks_opened.insert(fork, at);
            }
        }
        result.map_err(|rejection| rejection.to_string())
    }
}

/// The events of landings; a conclusion carries the 结果文书文号 (`document_number`) and the reason
/// (`reason`) the case data holds, when it holds them.
fn landing_events(landings: Vec<Landing>, data: &serde_json::Map<String, serde_json::Value>) -> Vec<EventKind> {
    let text = |key: &str| data.get(key).and_then(|v| v.as_str()).filter(|s| !s.trim().is_empty()).map(str::to_owned);
    let mut kinds = Vec::new();
    for landing in landings {
        match landing {
            Landing::Task(step) => kinds.push(EventKind::StepStarted { step }),
            Landing::End(decision) => {
                kinds.push(EventKind::Concluded {
                    decision,
                    reason: text("reason"),
                    document_number: text("document_number"),
                });
                break;
            }
            Landing::Fork(_) | Landing::BranchEnd(_) => {}
        }
    }
    kinds
}
