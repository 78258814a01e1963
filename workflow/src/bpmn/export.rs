//! Writing a process definition as BPMN 2.0 XML.

use zhengwu_core::Decision;

use super::shapes::event_groups;
use super::xml::escape;
use crate::definition::{
    Assignee, CompletionPolicy, Flow, InstanceCount, Node, NodeKind, ProcessDefinition, SigningOrder, TimerDuration,
    Trigger, TriggerKind,
};

pub(super) const ZHENGWU_NS: &str = "https://zhengwu.dev/bpmn";

/// Exports a definition as BPMN 2.0 XML (Flowable attributes, zhengwu extension attributes; no
/// diagram layout), which [`import_bpmn`](crate::import_bpmn) reads back to the same definition.
pub fn export_bpmn(definition: &ProcessDefinition) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        out,
        r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:flowable="http://flowable.org/bpmn" xmlns:zhengwu="{ZHENGWU_NS}" targetNamespace="https://zhengwu.dev/processes">"#
    );
    let _ = writeln!(
        out,
        r#"  <process id="{}" name="{}" isExecutable="true">"#,
        escape(&definition.id),
        escape(&definition.name)
    );
    // The joins of inclusive forks are inclusive gateways too, so that other engines wait for the
    // branches taken only (the definition does not say which join is whose: validation does).
    let validated = crate::process::Process::new(definition.clone()).ok();
    let inclusive_joins: std::collections::BTreeSet<&str> = validated
        .as_ref()
        .map(|process| {
            definition
                .nodes
                .iter()
                .filter(|n| matches!(n.kind, NodeKind::Fork { inclusive: true, .. }))
                .filter_map(|n| process.join_of(&n.id))
                .collect()
        })
        .unwrap_or_default();
    // The messages, signals, errors and escalations boundary events refer to.
    let mut declarations = Vec::new();
    let groups = event_groups(&definition.nodes, &definition.flows);
    let grouped: std::collections::BTreeSet<&str> =
        groups.iter().flat_map(|(_, members)| members.iter().map(String::as_str)).collect();
    for node in definition.nodes.iter().filter(|n| !grouped.contains(n.id.as_str())) {
        write_node(&mut out, node, &mut declarations, &inclusive_joins);
    }
    for flow in definition.flows.iter().filter(|f| !grouped.contains(f.from.as_str())) {
        write_flow(&mut out, flow);
    }
    // Each event start and the path it opens: an event subprocess.
    let mut written = std::collections::BTreeSet::new();
    for (start, members) in &groups {
        let mut scope = format!("{start}_events");
        while definition.nodes.iter().any(|n| n.id == scope) || definition.flows.iter().any(|f| f.id == scope) {
            scope.push('_');
        }
        let _ = writeln!(out, r#"    <subProcess id="{}" triggeredByEvent="true">"#, escape(&scope));
        // A node two event paths reach is drawn in the first.
        let mine: std::collections::BTreeSet<&str> =
            members.iter().map(String::as_str).filter(|&id| written.insert(id)).collect();
        for node in definition.nodes.iter().filter(|n| mine.contains(n.id.as_str())) {
            write_node(&mut out, node, &mut declarations, &inclusive_joins);
        }
        for flow in definition.flows.iter().filter(|f| mine.contains(f.from.as_str())) {
            write_flow(&mut out, flow);
        }
        let _ = writeln!(out, "    </subProcess>");
    }
    let _ = writeln!(out, "  </process>");
    for declaration in declarations {
        let _ = writeln!(out, "{declaration}");
    }
    let _ = writeln!(out, "</definitions>");
    out
}

/// A completion policy as Flowable's `completionCondition`, and zhengwu's attribute for 一票否决.
fn completion_condition(policy: CompletionPolicy) -> (String, &'static str) {
    match policy {
        CompletionPolicy::All => ("${nrOfCompletedInstances == nrOfInstances}".to_owned(), ""),
        CompletionPolicy::Any => ("${nrOfCompletedInstances >= 1}".to_owned(), ""),
        CompletionPolicy::Majority => ("${nrOfCompletedInstances / nrOfInstances > 0.5}".to_owned(), ""),
        CompletionPolicy::Ratio(ratio) => (format!("${{nrOfCompletedInstances / nrOfInstances >= {ratio}}}"), ""),
        CompletionPolicy::Veto => {
            ("${nrOfCompletedInstances == nrOfInstances}".to_owned(), r#" zhengwu:policy="veto""#)
        }
    }
}

/// Writes one node as its BPMN element (the messages, signals, errors and escalations it refers to
/// go to `declarations`).
fn write_node(
    out: &mut String,
    node: &Node,
    declarations: &mut Vec<String>,
    inclusive_joins: &std::collections::BTreeSet<&str>,
) {
    use std::fmt::Write;
    let (id, name) = (escape(&node.id), escape(&node.name));
    match &node.kind {
        NodeKind::Start => {
            let _ = writeln!(out, r#"    <startEvent id="{id}" name="{name}"/>"#);
        }
        NodeKind::End { outcome } => {
            let outcome = match outcome {
                Decision::Granted => "granted",
                Decision::Refused => "refused",
                Decision::Forwarded => "forwarded",
                Decision::Terminated => "terminated",
            };
            let _ = writeln!(out, r#"    <endEvent id="{id}" name="{name}" zhengwu:outcome="{outcome}"/>"#);
        }
        NodeKind::Task { assignee, department, limit, countersign, automatic, instances } => {
            // A countersign over a collection variable: each instance's signer goes by `each`.
            let each = match assignee {
                Assignee::Variable(collection) if collection == "signer" => "signer_item",
                _ => "signer",
            };
            let mut attributes = match assignee {
                Assignee::Variable(_) if countersign.is_some() => format!(r#" flowable:assignee="${{{each}}}""#),
                Assignee::Officials(officials) if officials.len() == 1 && countersign.is_none() => {
                    format!(r#" flowable:assignee="{}""#, escape(officials[0].as_str()))
                }
                Assignee::Officials(officials) => format!(
                    r#" flowable:candidateUsers="{}""#,
                    escape(&officials.iter().map(|o| o.as_str()).collect::<Vec<_>>().join(","))
                ),
                Assignee::Role(role) => format!(
                    r#" flowable:candidateGroups="{}""#,
                    serde_json::to_value(role).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
                ),
                Assignee::Department(department) => {
                    format!(r#" flowable:candidateGroups="dept:{}""#, escape(department.as_str()))
                }
                Assignee::Groups(groups) => format!(
                    r#" flowable:candidateGroups="{}""#,
                    escape(&groups.iter().map(|g| format!("group:{g}")).collect::<Vec<_>>().join(","))
                ),
                Assignee::Variable(variable) => format!(r#" flowable:assignee="${{{}}}""#, escape(variable)),
                Assignee::Anyone => String::new(),
                Assignee::Candidates { officials, groups } => format!(
                    r#" flowable:candidateUsers="{}" flowable:candidateGroups="{}""#,
                    escape(&officials.iter().map(|o| o.as_str()).collect::<Vec<_>>().join(",")),
                    escape(&groups.iter().map(|g| format!("group:{g}")).collect::<Vec<_>>().join(","))
                ),
            };
            if let Some(department) = department {
                let _ = write!(attributes, r#" zhengwu:department="{}""#, escape(department.as_str()));
            }
            if let Some(limit) = limit {
                let unit = match limit.unit {
                    zhengwu_core::DayUnit::WorkingDays => "working_days",
                    zhengwu_core::DayUnit::CalendarDays => "calendar_days",
                    zhengwu_core::DayUnit::Months => "months",
                };
                let _ = write!(attributes, r#" zhengwu:limit="{}" zhengwu:limitUnit="{unit}""#, limit.days);
            }
            let element = automatic.as_ref().map_or("userTask", |a| a.kind.element());
            let mut script = None;
            if let Some(automatic) = automatic {
                for (name, value) in &automatic.implementation {
                    match name.as_str() {
                        "script" => script = Some(value),
                        "scriptFormat" => {
                            let _ = write!(attributes, r#" scriptFormat="{}""#, escape(value));
                        }
                        name => {
                            let _ = write!(attributes, r#" flowable:{name}="{}""#, escape(value));
                        }
                    }
                }
                if let Some(variable) = &automatic.result_variable {
                    let _ = write!(attributes, r#" flowable:resultVariable="{}""#, escape(variable));
                }
            }
            match countersign {
                None if script.is_some() || instances.is_some() => {
                    let _ = writeln!(out, r#"    <{element} id="{id}" name="{name}"{attributes}>"#);
                    if let Some(instances) = instances {
                        let sequential = instances.order == SigningOrder::Sequential;
                        let (condition, veto) = completion_condition(instances.policy);
                        let count = match &instances.count {
                            InstanceCount::Fixed(n) => n.to_string(),
                            InstanceCount::Variable(name) => format!("${{{name}}}"),
                        };
                        let _ = writeln!(
                            out,
                            r#"      <multiInstanceLoopCharacteristics isSequential="{sequential}"{veto}>"#
                        );
                        let _ = writeln!(out, "        <loopCardinality>{}</loopCardinality>", escape(&count));
                        let _ =
                            writeln!(out, "        <completionCondition>{}</completionCondition>", escape(&condition));
                        let _ = writeln!(out, "      </multiInstanceLoopCharacteristics>");
                    }
                    if let Some(script) = script {
                        let _ = writeln!(out, "      <script>{}</script>", escape(script));
                    }
                    let _ = writeln!(out, "    </{element}>");
                }
                None => {
                    let _ = writeln!(out, r#"    <{element} id="{id}" name="{name}"{attributes}/>"#);
                }
                Some(countersign) => {
                    let sequential = countersign.order == SigningOrder::Sequential;
                    let (condition, veto) = completion_condition(countersign.policy);
                    let _ = writeln!(out, r#"    <userTask id="{id}" name="{name}"{attributes}>"#);
                    let collection = match assignee {
                        Assignee::Variable(collection) => format!(
                            r#" flowable:collection="${{{}}}" flowable:elementVariable="{each}""#,
                            escape(collection)
                        ),
                        _ => String::new(),
                    };
                    let _ = writeln!(
                        out,
                        r#"      <multiInstanceLoopCharacteristics isSequential="{sequential}"{collection}{veto}>"#
                    );
                    let _ = writeln!(out, "        <completionCondition>{}</completionCondition>", escape(&condition));
                    let _ = writeln!(out, "      </multiInstanceLoopCharacteristics>");
                    let _ = writeln!(out, "    </userTask>");
                }
            }
        }
        NodeKind::Fork { branch_limit, inclusive: false, .. } => {
            let _ = writeln!(
                out,
                r#"    <parallelGateway id="{id}" name="{name}" zhengwu:branchLimit="{}"/>"#,
                branch_limit.days
            );
        }
        NodeKind::Fork { branch_limit, inclusive: true, default } => {
            let default = default.as_ref().map(|flow| format!(r#" default="{}""#, escape(flow))).unwrap_or_default();
            let _ = writeln!(
                out,
                r#"    <inclusiveGateway id="{id}" name="{name}"{default} zhengwu:branchLimit="{}"/>"#,
                branch_limit.days
            );
        }
        NodeKind::Join if inclusive_joins.contains(node.id.as_str()) => {
            let _ = writeln!(out, r#"    <inclusiveGateway id="{id}" name="{name}"/>"#);
        }
        NodeKind::Join => {
            let _ = writeln!(out, r#"    <parallelGateway id="{id}" name="{name}"/>"#);
        }
        NodeKind::Exclusive { default } => {
            let default = default.as_ref().map(|d| format!(r#" default="{}""#, escape(d))).unwrap_or_default();
            let _ = writeln!(out, r#"    <exclusiveGateway id="{id}" name="{name}"{default}/>"#);
        }
        NodeKind::Merge => {
            let _ = writeln!(out, r#"    <exclusiveGateway id="{id}" name="{name}"/>"#);
        }
        NodeKind::Timer { attached_to, after, interrupting } => {
            let (definition, unit) = match after {
                TimerDuration::Seconds(seconds) => (format!("<timeDuration>PT{seconds}S</timeDuration>"), ""),
                TimerDuration::WorkingDays(days) => {
                    (format!("<timeDuration>P{days}D</timeDuration>"), r#" zhengwu:unit="working_days""#)
                }
                TimerDuration::At(at) => (format!("<timeDate>{}</timeDate>", at.to_rfc3339()), ""),
                TimerDuration::AtVariable(variable) => (format!("<timeDate>${{{}}}</timeDate>", escape(variable)), ""),
            };
            let (element, attached) = match attached_to {
                Some(task) => {
                    ("boundaryEvent", format!(r#" attachedToRef="{}" cancelActivity="{interrupting}""#, escape(task)))
                }
                None => ("intermediateCatchEvent", String::new()),
            };
            let _ = writeln!(out, r#"    <{element} id="{id}" name="{name}"{attached}{unit}>"#);
            let _ = writeln!(out, "      <timerEventDefinition>{definition}</timerEventDefinition>");
            let _ = writeln!(out, "    </{element}>");
        }
        NodeKind::Boundary { attached_to, trigger, interrupting } => {
            let definition = trigger_definition(trigger, &id, declarations);
            let _ = writeln!(
                out,
                r#"    <boundaryEvent id="{id}" name="{name}" attachedToRef="{}" cancelActivity="{interrupting}">"#,
                escape(attached_to)
            );
            let _ = writeln!(out, "      {definition}");
            let _ = writeln!(out, "    </boundaryEvent>");
        }
        NodeKind::EventStart { trigger, interrupting } => {
            let definition = trigger_definition(trigger, &id, declarations);
            let _ = writeln!(out, r#"    <startEvent id="{id}" name="{name}" isInterrupting="{interrupting}">"#);
            let _ = writeln!(out, "      {definition}");
            let _ = writeln!(out, "    </startEvent>");
        }
    }
}

/// Writes one sequence flow.
fn write_flow(out: &mut String, flow: &Flow) {
    use std::fmt::Write;
    let (id, from, to) = (escape(&flow.id), escape(&flow.from), escape(&flow.to));
    match &flow.condition {
        None => {
            let _ = writeln!(out, r#"    <sequenceFlow id="{id}" sourceRef="{from}" targetRef="{to}"/>"#);
        }
        Some(condition) => {
            let _ = writeln!(out, r#"    <sequenceFlow id="{id}" sourceRef="{from}" targetRef="{to}">"#);
            let _ = writeln!(
                out,
                r#"      <conditionExpression xsi:type="tFormalExpression">{}</conditionExpression>"#,
                escape(condition)
            );
            let _ = writeln!(out, "    </sequenceFlow>");
        }
    }
}

/// A trigger's event definition element, its message, signal, error or escalation declared (by an
/// id made from the event's) in `declarations`.
fn trigger_definition(trigger: &Trigger, id: &str, declarations: &mut Vec<String>) -> String {
    let kind = trigger.kind.element();
    let reference = match &trigger.name {
        Some(name) => {
            let code = match trigger.kind {
                TriggerKind::Message | TriggerKind::Signal => "name",
                TriggerKind::Error => "errorCode",
                TriggerKind::Escalation => "escalationCode",
            };
            declarations.push(format!(r#"  <{kind} id="{kind}_{id}" {code}="{}"/>"#, escape(name)));
            format!(r#" {kind}Ref="{kind}_{id}""#)
        }
        None => String::new(),
    };
    format!("<{kind}EventDefinition{reference}/>")
}
