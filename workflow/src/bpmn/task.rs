//! Task elements as steps: who does them (assignment as modelers write it), their limits, their
//! countersign, and the automatic steps the host performs.

use std::collections::BTreeMap;

use zhengwu_core::{DepartmentId, OfficialId, Role, TimeLimit};

use super::expressions::{Expression, completion_policy, expression};
use super::pending::Multi;
use super::xml::prefixed;
use crate::definition::{
    Assignee, Automatic, AutomaticKind, CompletionPolicy, Countersign, InstanceCount, Instances, NodeKind, SigningOrder,
};

/// The task elements: user and manual tasks (and BPMN's untyped `task`) are done by officials;
/// the others are [`Automatic`] steps the host performs.
pub(super) const TASKS: &[&str] =
    &["userTask", "manualTask", "task", "serviceTask", "scriptTask", "sendTask", "businessRuleTask", "receiveTask"];

/// The attributes (in the engine namespaces) that name what an automatic step runs.
pub(super) const IMPLEMENTATION: &[&str] = &["class", "delegateExpression", "expression", "topic", "type"];

pub(super) fn role(name: &str) -> Option<Role> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}

pub(super) fn task(
    id: &str,
    element: &str,
    attributes: &BTreeMap<String, String>,
    multi: Option<&Multi>,
    script: Option<&str>,
) -> std::result::Result<NodeKind, String> {
    let kind = match element {
        "serviceTask" => Some(AutomaticKind::Service),
        "scriptTask" => Some(AutomaticKind::Script),
        "sendTask" => Some(AutomaticKind::Send),
        "businessRuleTask" => Some(AutomaticKind::BusinessRule),
        "receiveTask" => Some(AutomaticKind::Receive),
        _ => None,
    };
    let automatic = kind.map(|kind| {
        let mut implementation: Vec<(String, String)> = IMPLEMENTATION
            .iter()
            .filter_map(|name| prefixed(attributes, name).map(|value| ((*name).to_owned(), value.clone())))
            .collect();
        if let Some(format) = attributes.get("scriptFormat") {
            implementation.push(("scriptFormat".to_owned(), format.clone()));
        }
        if let Some(script) = script.map(str::trim).filter(|s| !s.is_empty()) {
            implementation.push(("script".to_owned(), script.to_owned()));
        }
        Automatic { kind, implementation, result_variable: prefixed(attributes, "resultVariable").cloned() }
    });
    let list = |value: &str| -> Vec<String> {
        value.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
    };
    let assignee = if let Some(assignee) = prefixed(attributes, "assignee") {
        match expression(assignee) {
            None => Assignee::Officials(vec![OfficialId::new(assignee.trim())]),
            Some(Expression::Variable(name)) => Assignee::Variable(name),
            Some(Expression::Literal(users)) => Assignee::Officials(list(&users).iter().map(OfficialId::new).collect()),
            Some(Expression::Other(source)) => {
                return Err(format!(
                    "task `{id}`: the assignee expression `{source}` is not a case variable (`${{name}}`) or a list \
                     of officials (`${{'u1, u2'}}`)"
                ));
            }
        }
    } else if let (Some(users), Some(groups)) =
        (prefixed(attributes, "candidateUsers"), prefixed(attributes, "candidateGroups"))
    {
        if expression(users).is_some() || expression(groups).is_some() {
            return Err(format!(
                "task `{id}`: candidate users and groups together are read as lists of names, not expressions"
            ));
        }
        Assignee::Candidates {
            officials: list(users).iter().map(OfficialId::new).collect(),
            groups: list(groups).iter().map(|g| g.strip_prefix("group:").unwrap_or(g).to_owned()).collect(),
        }
    } else if let Some(users) = prefixed(attributes, "candidateUsers") {
        match expression(users) {
            None => Assignee::Officials(list(users).iter().map(OfficialId::new).collect()),
            Some(Expression::Variable(name)) => Assignee::Variable(name),
            Some(Expression::Literal(users)) => Assignee::Officials(list(&users).iter().map(OfficialId::new).collect()),
            Some(Expression::Other(source)) => {
                return Err(format!(
                    "task `{id}`: the candidateUsers expression `{source}` is not a case variable or a list of officials"
                ));
            }
        }
    } else if let Some(groups) = prefixed(attributes, "candidateGroups") {
        let groups = match expression(groups) {
            None => list(groups),
            Some(Expression::Literal(groups)) => list(&groups),
            Some(Expression::Variable(_) | Expression::Other(_)) => {
                return Err(format!(
                    "task `{id}`: the candidateGroups expression `{}` is not supported; name the groups",
                    groups.trim()
                ));
            }
        };
        match groups.as_slice() {
            [] => Assignee::Anyone,
            [group] if group.starts_with("dept:") => Assignee::Department(DepartmentId::new(&group["dept:".len()..])),
            [group] if group.starts_with("role:") => {
                let name = &group["role:".len()..];
                Assignee::Role(
                    role(name).ok_or_else(|| format!("task `{id}`: unknown role `{name}` in candidateGroups"))?,
                )
            }
            [group] if role(group).is_some() => Assignee::Role(role(group).unwrap_or(Role::Handler)),
            groups => {
                Assignee::Groups(groups.iter().map(|g| g.strip_prefix("group:").unwrap_or(g).to_owned()).collect())
            }
        }
    } else if let Some(department) = attributes.get("zhengwu:department") {
        Assignee::Department(DepartmentId::new(department))
    } else {
        Assignee::Anyone
    };
    // 会签 as Flowable and Camunda draw it: `collection="${signers}"`, `elementVariable="signer"`,
    // `assignee="${signer}"`: the signers are the officials the case variable lists.
    // 多实例 counted by `loopCardinality`: the step is done that many times, each time by whoever
    // its assignment allows (not a countersign over listed signers).
    let (instances, multi) = match multi {
        Some(multi @ Multi { cardinality: Some(cardinality), .. }) => {
            (Some(counted_instances(id, multi, cardinality)?), None)
        }
        multi => (None, multi),
    };
    let assignee = match multi {
        None => assignee,
        Some(Multi { collection: Some(collection), element, .. }) => {
            let collection = match expression(collection) {
                None => collection.trim().to_owned(),
                Some(Expression::Variable(name)) => name,
                Some(_) => {
                    return Err(format!(
                        "task `{id}`: the multi-instance collection `{collection}` is not a case variable"
                    ));
                }
            };
            match (&assignee, element) {
                (Assignee::Variable(each), Some(element)) if each == element => Assignee::Variable(collection),
                _ => {
                    return Err(format!(
                        "task `{id}`: a multi-instance task over `{collection}` must be assigned to its element \
                         variable (`assignee=\"${{{}}}\"`)",
                        element.as_deref().unwrap_or("elementVariable")
                    ));
                }
            }
        }
        Some(_) if matches!(assignee, Assignee::Officials(_)) => assignee,
        Some(_) => {
            return Err(format!(
                "task `{id}`: a multi-instance task names its signers in candidateUsers or in a collection variable"
            ));
        }
    };
    let limit = match attributes.get("zhengwu:limit") {
        None => None,
        Some(days) => {
            let days: u32 =
                days.parse().map_err(|_| format!("task `{id}`: `zhengwu:limit` `{days}` is not a number of days"))?;
            match attributes.get("zhengwu:limitUnit").map(String::as_str) {
                None | Some("working_days") => Some(TimeLimit::working_days(days)),
                Some("calendar_days") => Some(TimeLimit::calendar_days(days)),
                Some("months") => Some(TimeLimit::months(days)),
                Some(other) => {
                    return Err(format!(
                        "task `{id}`: `zhengwu:limitUnit` `{other}` is not working_days, calendar_days or months"
                    ));
                }
            }
        }
    };
    let countersign = match multi {
        None => None,
        Some(multi) => {
            let policy = if multi.policy.as_deref() == Some("veto") {
                CompletionPolicy::Veto
            } else {
                completion_policy(multi.completion.as_deref()).map_err(|e| format!("task `{id}`: {e}"))?
            };
            let order = if multi.sequential { SigningOrder::Sequential } else { SigningOrder::Parallel };
            Some(Countersign { policy, order })
        }
    };
    Ok(NodeKind::Task {
        assignee,
        department: attributes.get("zhengwu:department").map(DepartmentId::new),
        limit,
        countersign,
        automatic,
        instances,
    })
}

/// A multi-instance counted by `loopCardinality` (a number or `${variable}`).
fn counted_instances(id: &str, multi: &Multi, cardinality: &str) -> std::result::Result<Instances, String> {
    if multi.collection.is_some() {
        return Err(format!(
            "task `{id}`: a multi-instance task counts its instances by loopCardinality or by a collection, not both"
        ));
    }
    let number = |text: &str| text.trim().parse::<u32>().ok().map(InstanceCount::Fixed);
    let count = match expression(cardinality) {
        None if cardinality.trim().is_empty() => {
            return Err(format!("task `{id}`: its loopCardinality is empty; give a number or `${{variable}}`"));
        }
        None => number(cardinality),
        Some(Expression::Variable(name)) => Some(InstanceCount::Variable(name)),
        Some(Expression::Literal(text)) => number(&text),
        Some(Expression::Other(_)) => None,
    };
    let Some(count) = count else {
        return Err(format!(
            "task `{id}`: loopCardinality `{}` is not a number or a case variable",
            cardinality.trim()
        ));
    };
    let policy = if multi.policy.as_deref() == Some("veto") {
        CompletionPolicy::Veto
    } else {
        completion_policy(multi.completion.as_deref()).map_err(|e| format!("task `{id}`: {e}"))?
    };
    let order = if multi.sequential { SigningOrder::Sequential } else { SigningOrder::Parallel };
    Ok(Instances { count, policy, order })
}
