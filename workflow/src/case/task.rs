//! Work on tasks: 完成, 退回, 撤回, 委派, 转办, 催办, 抄送, and who may act on a task.

use zhengwu_core::{EventKind, OfficialId, Role};

use super::command::Context;
use super::engine::{Case, Plan};
use super::state::OpenTask;
use crate::definition::{Assignee, InstanceCount, NodeKind};
use crate::process::MAX_INSTANCES;
use crate::rejection::Rejection;

impl Case {
    pub(super) fn task(&self, step: &str) -> std::result::Result<&OpenTask, Rejection> {
        self.state.tasks.iter().find(|t| t.step == step).ok_or_else(|| {
            if self.process.node(step).is_none() {
                Rejection::UnknownStep { step: step.to_owned(), process: self.process.id().to_string() }
            } else {
                let open = self.state.tasks.iter().map(|t| t.step.to_string()).collect();
                Rejection::StepNotOpen { step: step.to_owned(), open }
            }
        })
    }

    /// Whether the actor may act on the task.
    pub(super) fn may_handle(&self, task: &OpenTask, context: &Context) -> std::result::Result<(), Rejection> {
        let actor = &context.actor;
        let step = || task.step.to_string();
        if let Some(holder) = &task.holder {
            return if &actor.id == holder {
                Ok(())
            } else {
                Err(Rejection::HandedToAnother { step: step(), holder: holder.clone(), actor: actor.id.clone() })
            };
        }
        let Some(node) = self.process.node(&task.step) else {
            return Err(Rejection::UnknownStep { step: step(), process: self.process.id().to_string() });
        };
        let NodeKind::Task { assignee, department, .. } = &node.kind else {
            return Err(Rejection::NotATask { step: step() });
        };
        if let Some(department) = department
            && department != &context.department
        {
            return Err(Rejection::OtherDepartmentsStep {
                step: step(),
                department: department.clone(),
                acting_for: context.department.clone(),
            });
        }
        match assignee {
            Assignee::Role(role) if actor.role.as_ref() == Some(role) => Ok(()),
            Assignee::Role(role) => Err(Rejection::WrongRole {
                step: step(),
                role: role.clone(),
                actor: actor.id.clone(),
                acting_as: actor.role.clone(),
            }),
            Assignee::Department(department) if department == &context.department => Ok(()),
            Assignee::Department(department) => Err(Rejection::AssignedToDepartment {
                step: step(),
                department: department.clone(),
                acting_for: context.department.clone(),
            }),
            Assignee::Officials(officials) if officials.contains(&actor.id) => Ok(()),
            Assignee::Officials(officials) => Err(Rejection::NotAmongOfficials {
                step: step(),
                officials: officials.clone(),
                actor: actor.id.clone(),
            }),
            Assignee::Anyone => {
                // A task without a department of its own is the lead department's.
                let department = department.as_ref().unwrap_or(&self.state.department);
                if department == &context.department {
                    Ok(())
                } else {
                    Err(Rejection::AssignedToDepartment {
                        step: step(),
                        department: department.clone(),
                        acting_for: context.department.clone(),
                    })
                }
            }
            Assignee::Candidates { officials, .. } if officials.contains(&actor.id) => Ok(()),
            Assignee::Groups(groups) | Assignee::Candidates { groups, .. } => {
                let Some(directory) = &self.directory else {
                    return Err(Rejection::NoDirectory { step: step(), groups: groups.clone() });
                };
                let mut member = false;
                for name in groups {
                    let Some(group) = directory.group(name) else {
                        return Err(Rejection::UnknownGroup { step: step(), group: name.clone() });
                    };
                    member |= group.includes(&actor.id, actor.role.as_ref(), &context.department);
                }
                if member {
                    Ok(())
                } else {
                    Err(Rejection::NotInGroups { step: step(), groups: groups.clone(), actor: actor.id.clone() })
                }
            }
            Assignee::Variable(variable) => {
                let assignees = self.variable_officials(variable);
                if assignees.is_empty() {
                    Err(Rejection::AssigneeUnset { step: step(), variable: variable.clone() })
                } else if assignees.contains(&actor.id) {
                    Ok(())
                } else {
                    Err(Rejection::NotTheAssignee {
                        step: step(),
                        variable: variable.clone(),
                        assignees,
                        actor: actor.id.clone(),
                    })
                }
            }
        }
    }

    /// The officials a case variable names: a string, or a list of strings (empty strings and
    /// other values name nobody). `initiator`, unset, is the official who received the case.
    pub(super) fn variable_officials(&self, variable: &str) -> Vec<OfficialId> {
        self.variable_officials_in(&self.state.data, variable)
    }

    /// [`Case::variable_officials`] as `data` (the case's data with a command's) has them.
    pub(super) fn variable_officials_in(
        &self,
        data: &serde_json::Map<String, serde_json::Value>,
        variable: &str,
    ) -> Vec<OfficialId> {
        match data.get(variable) {
            Some(serde_json::Value::String(id)) if !id.trim().is_empty() => vec![OfficialId::new(id.trim())],
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .filter_map(|item| item.as_str())
                .filter(|id| !id.trim().is_empty())
                .map(|id| OfficialId::new(id.trim()))
                .collect(),
            None if variable == "initiator" => self
                .log
                .iter()
                .find(|event| matches!(event.kind, zhengwu_core::EventKind::Received { .. }))
                .map(|event| vec![event.actor.id.clone()])
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    pub(super) fn plan_complete(
        &self,
        step: String,
        opinion: Option<String>,
        data: serde_json::Map<String, serde_json::Value>,
        context: &Context,
    ) -> Plan {
        self.require_running()?;
        let task = self.task(&step)?;
        self.may_handle(task, context)?;
        if let Some(delegator) = &task.delegated_by {
            // 委派: the delegate's work goes back to the delegator, who completes the step.
            let mut kinds = Vec::new();
            if !data.is_empty() {
                kinds.push(EventKind::DataRecorded { data });
            }
            kinds.push(EventKind::TaskReassigned { step, to: delegator.clone(), delegated: false });
            return Ok(kinds);
        }
        if self.countersign(&step).is_some() {
            return Err(Rejection::IsCountersign { step });
        }
        let mut kinds = Vec::new();
        if !data.is_empty() {
            kinds.push(EventKind::DataRecorded { data: data.clone() });
        }
        // 多实例: an instance completed; the step completes with the one the policy needs.
        if let Some(NodeKind::Task { instances: Some(instances), .. }) = self.process.node(&step).map(|n| &n.kind)
            && task.instances_done + 1 < instances.policy.needed(task.instances)
        {
            kinds.push(EventKind::InstanceCompleted { step, instance: task.instances_done + 1, opinion });
            return Ok(kinds);
        }
        kinds.push(EventKind::StepCompleted { step: step.clone(), opinion });
        let mut merged = self.state.data.clone();
        merged.extend(data);
        kinds.extend(self.landings_from(&step, Some(&merged), &[&step])?);
        Ok(kinds)
    }

    pub(super) fn plan_return(&self, step: String, to: String, reason: Option<String>, context: &Context) -> Plan {
        self.require_running()?;
        let task = self.task(&step)?;
        self.may_handle(task, context)?;
        let allowed = self.returnable(&step);
        if !allowed.contains(&to) {
            return Err(Rejection::NotReturnable { step, to, returnable: allowed });
        }
        // Every other open task downstream of `to` is cancelled: it will be reached again.
        let downstream = self.process.downstream_of(&to);
        let mut kinds = vec![EventKind::TaskReturned { step: step.clone(), to: to.clone(), reason }];
        for task in self.state.tasks.iter().filter(|t| t.step != step && downstream.contains(t.step.as_str())) {
            kinds.push(EventKind::StepCancelled { step: task.step.to_string() });
        }
        kinds.push(EventKind::StepStarted { step: to });
        Ok(kinds)
    }

    pub(super) fn plan_recall(&self, step: String, context: &Context) -> Plan {
        self.require_running()?;
        let Some((last, by, _)) = self.state.completed.last() else {
            return Err(Rejection::NotCompleted { step });
        };
        if last != step {
            return Err(Rejection::NotLatestCompletion { step, latest: last.to_string() });
        }
        if by != &context.actor.id {
            return Err(Rejection::NotTheCompleter { step, by: by.clone() });
        }
        let opened: Vec<&OpenTask> =
            self.state.tasks.iter().filter(|t| t.opened_by.as_deref() == Some(step.as_str())).collect();
        if opened.is_empty() {
            return Err(Rejection::NothingToRecall { step });
        }
        if let Some(acted) = opened.iter().find(|t| t.touched) {
            return Err(Rejection::AlreadyActedOn { step, acted: acted.step.to_string() });
        }
        let mut kinds: Vec<EventKind> =
            opened.iter().map(|t| EventKind::StepCancelled { step: t.step.to_string() }).collect();
        kinds.push(EventKind::TaskRecalled { step: step.clone() });
        kinds.push(EventKind::StepStarted { step });
        Ok(kinds)
    }

    pub(super) fn plan_delegate(&self, step: String, to: OfficialId, context: &Context) -> Plan {
        self.require_running()?;
        let task = self.task(&step)?;
        self.may_handle(task, context)?;
        if to == context.actor.id {
            return Err(Rejection::DelegateToSelf);
        }
        Ok(vec![EventKind::TaskReassigned { step, to, delegated: true }])
    }

    pub(super) fn plan_reassign(&self, step: String, to: OfficialId, context: &Context) -> Plan {
        self.require_running()?;
        let task = self.task(&step)?;
        if Self::require_role(context, &[Role::DepartmentHead], "转办").is_err() {
            self.may_handle(task, context)?;
        }
        Ok(vec![EventKind::TaskReassigned { step, to, delegated: false }])
    }

    pub(super) fn plan_urge(&self, step: String, note: Option<String>) -> Plan {
        self.task(&step)?;
        Ok(vec![EventKind::TaskUrged { step, note }])
    }

    pub(super) fn plan_copy(&self, to: Vec<OfficialId>) -> Plan {
        if to.is_empty() {
            return Err(Rejection::NobodyToCopy);
        }
        Ok(vec![EventKind::CopySent { to }])
    }
}

/// The number of instances a multi-instance step runs, as `data` has it: the fixed count, or the
/// case variable's.
pub(super) fn instance_count(count: &InstanceCount, data: &serde_json::Map<String, serde_json::Value>) -> Option<u32> {
    match count {
        InstanceCount::Fixed(n) => Some(*n),
        InstanceCount::Variable(name) => variable_count(data, name),
    }
}

/// A case variable's whole number of instances (a number or a numeric string, at least 1, at most
/// [`MAX_INSTANCES`]); `None` when it holds none.
pub(super) fn variable_count(data: &serde_json::Map<String, serde_json::Value>, name: &str) -> Option<u32> {
    let value = data.get(name)?;
    let n = value.as_u64().or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))?;
    u32::try_from(n).ok().filter(|n| (1..=MAX_INSTANCES).contains(n))
}
