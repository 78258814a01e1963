//! The fold: one event applied to the state, the only place the state changes.

use std::collections::BTreeSet;

use compact_str::CompactString;
use zhengwu_core::{CaseEvent, EventKind, SignerPosition};

use super::engine::Case;
use super::state::OpenTask;
use super::task::instance_count;
use crate::definition::{Assignee, NodeKind};
use crate::status::CaseStatus;

impl Case {
    /// Applies one event to the state: the only place the state changes.
    pub(super) fn apply(&mut self, event: &CaseEvent) -> std::result::Result<(), String> {
        use CaseStatus as S;
        let state = &mut self.state;
        if event.sequence != state.sequence + 1 {
            return Err(format!(
                "sequence {} after {} (expected {})",
                event.sequence,
                state.sequence,
                state.sequence + 1
            ));
        }
        if event.case_id != state.case_id {
            return Err(format!("the event is for case `{}`", event.case_id));
        }
        let at = event.occurred_at;
        match &event.kind {
            EventKind::Received { .. } => state.status = S::Received,
            EventKind::DataRecorded { data } => state.data.extend(data.clone()),
            EventKind::CreditChecked { measures, .. } => state.credit_measures = measures.clone(),
            EventKind::Accepted => {
                state.status = S::Running;
                let start = self.process.start().id.clone();
                self.advance(&start, at)?;
            }
            EventKind::RefusedAtIntake { .. } => state.status = S::RefusedAtIntake,
            EventKind::SupplementRequested { .. } => {
                state.supplement_open = true;
                if state.status == S::Received {
                    state.status = S::Supplementing;
                }
            }
            EventKind::SupplementReceived { .. } => {
                state.supplement_open = false;
                if state.status == S::Supplementing {
                    state.status = S::Received;
                }
            }
            EventKind::StepStarted { step } => {
                let opened_by = state.completed.last().map(|(s, _, _)| s.clone());
                let reopening = std::mem::take(&mut state.reopening);
                let signers = match self.process.node(step).map(|n| &n.kind) {
                    Some(NodeKind::Task { assignee: Assignee::Officials(officials), countersign: Some(_), .. }) => {
                        officials.clone()
                    }
                    // The signers the collection variable lists when the countersign opens.
                    Some(NodeKind::Task { assignee: Assignee::Variable(collection), countersign: Some(_), .. }) => {
                        self.variable_officials(collection)
                    }
                    _ => Vec::new(),
                };
                let instances = match self.process.node(step).map(|n| &n.kind) {
                    Some(NodeKind::Task { instances: Some(instances), .. }) => {
                        instance_count(&instances.count, &self.state.data).unwrap_or(0)
                    }
                    _ => 0,
                };
                let state = &mut self.state;
                state.tasks.push(OpenTask {
                    step: CompactString::new(step),
                    opened_at: at,
                    opened_by: if reopening { None } else { opened_by },
                    holder: None,
                    votes: Vec::new(),
                    touched: false,
                    signers,
                    delegated_by: None,
                    timers_fired: Vec::new(),
                    instances,
                    instances_done: 0,
                });
            }
            EventKind::StepCompleted { step, .. } => {
                let Some(position) = state.tasks.iter().position(|t| t.step == step) else {
                    return Err(format!("step `{step}` is not open"));
                };
                state.tasks.remove(position);
                state.completed.push((CompactString::new(step), event.actor.id.clone(), at));
                // Record join arrivals on the way out (tasks and the end come as their own events).
                self.advance(step, at)?;
            }
            EventKind::InstanceCompleted { step, instance, .. } => {
                let task = state
                    .tasks
                    .iter_mut()
                    .find(|t| t.step == *step)
                    .ok_or_else(|| format!("step `{step}` is not open"))?;
                if *instance != task.instances_done + 1 || *instance >= task.instances.max(1) {
                    return Err(format!(
                        "instance {instance} of step `{step}` does not follow the {} of {} completed",
                        task.instances_done, task.instances
                    ));
                }
                task.instances_done = *instance;
                task.touched = true;
            }
            EventKind::VoteCast { step, approve, .. } => {
                let task = state
                    .tasks
                    .iter_mut()
                    .find(|t| t.step == step)
                    .ok_or_else(|| format!("step `{step}` is not open"))?;
                task.votes.push((event.actor.id.clone(), *approve));
                task.touched = true;
            }
            EventKind::TaskReturned { step, to, .. } => {
                let downstream = self.process.downstream_of(to);
                let state = &mut self.state;
                state.reopening = true;
                state.tasks.retain(|t| t.step != step);
                // Joins the returned work will pass again wait for the branches it redoes; a join
                // already passed keeps the branches it does not redo.
                for join in
                    downstream.iter().filter(|n| matches!(self.process.node(n).map(|n| &n.kind), Some(NodeKind::Join)))
                {
                    let redo: BTreeSet<String> = self
                        .process
                        .incoming(join)
                        .into_iter()
                        .filter(|f| &f.from == to || downstream.contains(&f.from))
                        .map(|f| f.id.clone())
                        .collect();
                    if state.fired.remove(join) {
                        let kept: BTreeSet<String> = self
                            .process
                            .incoming(join)
                            .into_iter()
                            .map(|f| f.id.clone())
                            .filter(|f| !redo.contains(f))
                            .collect();
                        state.arrivals.insert(join.clone(), kept);
                    } else if let Some(arrived) = state.arrivals.get_mut(join) {
                        arrived.retain(|f| !redo.contains(f));
                    }
                }
            }
            EventKind::TaskRecalled { step } => {
                state.reopening = true;
                if let Some(position) = state.completed.iter().rposition(|(s, _, _)| s == step) {
                    state.completed.remove(position);
                }
                // The join arrival the completion made is taken back; a join it fired waits again
                // for this branch only.
                for flow in self.process.outgoing(step) {
                    if !matches!(self.process.node(&flow.to).map(|n| &n.kind), Some(NodeKind::Join)) {
                        continue;
                    }
                    let state = &mut self.state;
                    if state.fired.remove(&flow.to) {
                        let others: BTreeSet<String> = self
                            .process
                            .incoming(&flow.to)
                            .into_iter()
                            .map(|f| f.id.clone())
                            .filter(|f| f != &flow.id)
                            .collect();
                        state.arrivals.insert(flow.to.clone(), others);
                    } else if let Some(arrived) = state.arrivals.get_mut(&flow.to) {
                        arrived.remove(&flow.id);
                    }
                }
            }
            EventKind::StepCancelled { step } => {
                let Some(position) = state.tasks.iter().position(|t| t.step == step) else {
                    return Err(format!("step `{step}` is not open"));
                };
                state.tasks.remove(position);
            }
            EventKind::TaskReassigned { step, to, delegated } => {
                let task = state
                    .tasks
                    .iter_mut()
                    .find(|t| t.step == step)
                    .ok_or_else(|| format!("step `{step}` is not open"))?;
                task.holder = Some(to.clone());
                task.delegated_by = delegated.then(|| event.actor.id.clone());
                task.touched = true;
            }
            EventKind::SignerAdded { step, signer, position } => {
                let task = state
                    .tasks
                    .iter_mut()
                    .find(|t| t.step == step)
                    .ok_or_else(|| format!("step `{step}` is not open"))?;
                let turn = task
                    .signers
                    .iter()
                    .position(|s| !task.votes.iter().any(|(v, _)| v == s))
                    .unwrap_or(task.signers.len());
                let index = match position {
                    SignerPosition::Before => turn,
                    SignerPosition::After => (turn + 1).min(task.signers.len()),
                    SignerPosition::Parallel => task.signers.len(),
                };
                task.signers.insert(index, signer.clone());
                task.touched = true;
            }
            EventKind::SignerRemoved { step, signer } => {
                let task = state
                    .tasks
                    .iter_mut()
                    .find(|t| t.step == step)
                    .ok_or_else(|| format!("step `{step}` is not open"))?;
                task.signers.retain(|s| s != signer);
                task.touched = true;
            }
            EventKind::TaskUrged { .. } => {}
            // A boundary timer: remembered on its open step (so that it fires once per opening),
            // then its path recorded as a completion's is; an intermediate timer completes as a
            // step (`step_completed` follows).
            EventKind::TimerFired { timer, step } if timer != step => {
                let task = state
                    .tasks
                    .iter_mut()
                    .find(|t| t.step == step)
                    .ok_or_else(|| format!("step `{step}` is not open"))?;
                task.timers_fired.push(timer.clone());
                self.advance(timer, at)?;
            }
            EventKind::TimerFired { .. } => {}
            // A boundary event (or an event subprocess: `step` is the event): its path recorded as a
            // completion's is (the cancellation of interrupted steps comes as their own events).
            EventKind::EventCaught { event, step } => {
                if step != event && !state.tasks.iter().any(|t| t.step == *step) {
                    return Err(format!("step `{step}` is not open"));
                }
                self.advance(event, at)?;
            }
            EventKind::CopySent { to } => state.copies.extend(to.iter().cloned()),
            EventKind::Suspended { .. } => {
                state.suspended_from = Some(Box::new(state.status));
                state.status = S::Suspended;
            }
            EventKind::Resumed => {
                state.status = state.suspended_from.take().map_or(S::Running, |s| *s);
            }
            EventKind::SpecialProcedureStarted { procedure, .. } => state.special = Some(*procedure),
            EventKind::SpecialProcedureEnded { .. } => state.special = None,
            EventKind::ExtensionApproved { days, .. } => state.extended_days += days,
            EventKind::FeeCharged { .. } | EventKind::HearingNoticed { .. } | EventKind::RenewalApplied { .. } => {}
            EventKind::ResultDelivered { .. } => state.delivered = true,
            EventKind::AssignmentObjected { .. } => {
                state.status = S::HandedBack;
                state.tasks.clear();
            }
            EventKind::Concluded { decision, .. } => {
                state.status = S::Concluded(*decision);
                state.tasks.clear();
            }
            EventKind::Withdrawn { .. } => {
                state.status = S::Withdrawn;
                state.tasks.clear();
            }
            // 评价, 办复 and a 差评's follow-up come from the systems around the case (the 好差评
            // platform, the 建议 office) after it closes; the engine keeps them in the log and its
            // state does not change.
            EventKind::Rated { .. } | EventKind::ReplySent { .. } | EventKind::RatingFollowedUp { .. } => {}
            other => return Err(format!("event type `{}` is not part of a workflow case", other.type_name())),
        }
        self.state.sequence = event.sequence;
        self.state.last_event_at = Some(self.state.last_event_at.map_or(at, |last| last.max(at)));
        Ok(())
    }
}
