//! Reading a BPMN 2.0 document into a process definition.

use std::collections::{BTreeMap, BTreeSet};

use quick_xml::Reader;
use quick_xml::events::Event;
use zhengwu_core::{Decision, Problems, TimeLimit};

use super::expressions::{juel_to_cel, timer_date, timer_duration};
use super::pending::{Multi, Pending, PendingKind, Subprocess};
use super::shapes::{
    declarations, event_definition, event_groups, executable_process, flatten_subprocesses, fresh_id, implicit_splits,
    start_problem,
};
use super::task::{TASKS, task};
use super::xml::{attr, attributes, entity, local, prefixed};
use crate::definition::{Flow, Node, NodeKind, ProcessDefinition};
use crate::error::{Error, Result};

/// Root elements that only declare what flow elements refer to.
pub(super) const DECLARATIONS: &[&str] = &[
    "message",
    "signal",
    "error",
    "escalation",
    "itemDefinition",
    "interface",
    "dataStore",
    "import",
    "resource",
    "category",
    "extension",
];

/// Elements read past without effect.
pub(super) const IGNORED: &[&str] = &[
    "documentation",
    "extensionElements",
    "incoming",
    "outgoing",
    "laneSet",
    "lane",
    "flowNodeRef",
    "textAnnotation",
    "association",
    "text",
    "BPMNDiagram",
    "BPMNPlane",
    "BPMNShape",
    "BPMNEdge",
    "BPMNLabel",
    "Bounds",
    "waypoint",
    // Data objects, stores and their associations describe the data a step reads and writes;
    // the host passes data with its commands, so they are read past.
    "dataObject",
    "dataObjectReference",
    "dataStoreReference",
    "dataInputAssociation",
    "dataOutputAssociation",
    "ioSpecification",
    "property",
];

/// Imports a BPMN 2.0 document's (first) process.
///
/// ```
/// let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
/// <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
///              xmlns:flowable="http://flowable.org/bpmn">
///   <process id="simple" name="简易程序">
///     <startEvent id="start"/>
///     <userTask id="accept" name="受理" flowable:candidateGroups="window_clerk"/>
///     <endEvent id="end" name="准予"/>
///     <sequenceFlow id="f1" sourceRef="start" targetRef="accept"/>
///     <sequenceFlow id="f2" sourceRef="accept" targetRef="end"/>
///   </process>
/// </definitions>"#;
/// let definition = zhengwu_workflow::import_bpmn(xml)?;
/// let process = zhengwu_workflow::Process::new(definition)?;
/// assert_eq!(process.name(), "简易程序");
/// # Ok::<(), zhengwu_workflow::Error>(())
/// ```
pub fn import_bpmn(xml: &str) -> Result<ProcessDefinition> {
    let line_starts: Vec<usize> = std::iter::once(0).chain(xml.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let line_of = |offset: usize| line_starts.partition_point(|&start| start <= offset);
    let chosen = executable_process(xml);
    let declared = declarations(xml);
    let mut reader = Reader::from_str(xml);
    let mut problems = Problems::default();
    let mut process: Option<(String, String)> = None;
    let mut processes = 0;
    let mut pending: Vec<Pending> = Vec::new();
    let mut flows: Vec<Flow> = Vec::new();
    // Where we are: the names of the open elements.
    let mut stack: Vec<String> = Vec::new();
    // Skipping the subtree of an ignored element: the depth it started at.
    let mut skip_from: Option<usize> = None;
    let mut text_target: Option<&'static str> = None;
    // Embedded and event subprocesses, and the open ones with the depth of their element;
    // `within[i]` is the subprocess `pending[i]` was drawn in.
    let mut subprocesses: Vec<Subprocess> = Vec::new();
    let mut open_subprocesses: Vec<(String, usize)> = Vec::new();
    let mut within: Vec<Option<String>> = Vec::new();
    // The document's first element: a BPMN file's is `definitions`.
    let mut root: Option<String> = None;
    loop {
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(0);
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                let at = usize::try_from(reader.error_position()).unwrap_or(offset);
                let message = error.to_string().replace('\n', "\\n");
                problems.push(format!("line {}", line_of(at)), format!("XML error: {message}"));
                break;
            }
        };
        let (element, empty) = match &event {
            Event::Start(element) => (Some(element), false),
            Event::Empty(element) => (Some(element), true),
            _ => (None, false),
        };
        if let Some(element) = element {
            let name = local(element.name().as_ref());
            root.get_or_insert_with(|| name.clone());
            let line = line_of(offset);
            let attrs = attributes(element);
            let id = attrs.get("id").cloned().unwrap_or_default();
            let depth = stack.len();
            if skip_from.is_none() {
                let in_process = stack.iter().any(|s| s == "process");
                let parent = stack.last().map(String::as_str);
                match name.as_str() {
                    "definitions" | "collaboration" if depth <= 1 => {
                        if name == "collaboration" {
                            skip_from = Some(depth);
                        }
                    }
                    "process" if chosen.as_ref().is_some_and(|chosen| chosen != &id) => skip_from = Some(depth),
                    "process" => {
                        processes += 1;
                        if processes == 1 {
                            process = Some((id.clone(), attrs.get("name").cloned().unwrap_or_default()));
                        } else {
                            let problem = if attrs.get("isExecutable").is_some_and(|v| v == "true") {
                                format!(
                                    "a second executable process `{id}`: a definition is one process; put each in \
                                     a file of its own"
                                )
                            } else {
                                format!(
                                    "a second process `{id}`: one process per file, or mark the one to run with \
                                     isExecutable=\"true\""
                                )
                            };
                            problems.push(format!("line {line}"), problem);
                            skip_from = Some(depth);
                        }
                    }
                    _ if IGNORED.contains(&name.as_str()) => skip_from = Some(depth),
                    // Declarations beside the process (messages, signals, errors, item types): what
                    // uses them (an event definition) is refused where it stands, so they are read past.
                    _ if parent == Some("definitions") && DECLARATIONS.contains(&name.as_str()) => {
                        skip_from = Some(depth)
                    }
                    "startEvent" if in_process => pending.push(Pending {
                        id,
                        name: attr(&attrs, "name"),
                        line,
                        kind: PendingKind::Start {
                            trigger: None,
                            other: None,
                            interrupting: attrs.get("isInterrupting").is_none_or(|v| v != "false"),
                        },
                    }),
                    "endEvent" if in_process => pending.push(Pending {
                        id,
                        name: attr(&attrs, "name"),
                        line,
                        kind: PendingKind::End(attrs.get("zhengwu:outcome").cloned()),
                    }),
                    // An intermediate throw event without a definition only marks a point: a merge. With
                    // a message or signal it becomes a send step (below).
                    "intermediateThrowEvent" if in_process => {
                        pending.push(Pending { id, name: attr(&attrs, "name"), line, kind: PendingKind::PassThrough })
                    }
                    // A catch event waits for what the host correlates: a receive step.
                    "intermediateCatchEvent" if in_process => pending.push(Pending {
                        id,
                        name: attr(&attrs, "name"),
                        line,
                        kind: PendingKind::Task {
                            element: "receiveTask",
                            attributes: attrs.clone(),
                            multi: None,
                            script: None,
                        },
                    }),
                    // A boundary event is a timer on its task (other kinds are refused with their
                    // definition).
                    "boundaryEvent" if in_process => pending.push(Pending {
                        id,
                        name: attr(&attrs, "name"),
                        line,
                        kind: PendingKind::Timer {
                            attached_to: Some(attr(&attrs, "attachedToRef")),
                            interrupting: attrs.get("cancelActivity").is_none_or(|v| v != "false"),
                            duration: None,
                            date: None,
                            unit: attrs.get("zhengwu:unit").cloned(),
                        },
                    }),
                    "timerEventDefinition"
                        if in_process && matches!(parent, Some("boundaryEvent" | "intermediateCatchEvent")) =>
                    {
                        if let Some(event) = pending.last_mut()
                            && matches!(event.kind, PendingKind::Task { .. })
                        {
                            let unit = match &event.kind {
                                PendingKind::Task { attributes, .. } => attributes.get("zhengwu:unit").cloned(),
                                _ => None,
                            };
                            event.kind = PendingKind::Timer {
                                attached_to: None,
                                interrupting: true,
                                duration: None,
                                date: None,
                                unit,
                            };
                        }
                    }
                    "timeDuration" if parent == Some("timerEventDefinition") => text_target = Some("duration"),
                    "timeDate" if parent == Some("timerEventDefinition") => text_target = Some("date"),
                    "timeCycle" if parent == Some("timerEventDefinition") => {
                        problems.push(
                            format!("line {line}"),
                            "a timer by timeCycle is not supported; give it a timeDuration or a timeDate",
                        );
                        // Refused: not a timer missing its duration.
                        if let Some(timer) = pending.last_mut() {
                            timer.kind = PendingKind::PassThrough;
                        }
                        skip_from = Some(depth);
                    }
                    definition if definition.ends_with("EventDefinition") && in_process => {
                        event_definition(
                            definition,
                            parent,
                            line,
                            &attrs,
                            &declared,
                            pending.last_mut(),
                            &mut problems,
                        );
                        skip_from = Some(depth);
                    }
                    task if in_process && TASKS.contains(&task) => pending.push(Pending {
                        id,
                        name: attr(&attrs, "name"),
                        line,
                        kind: PendingKind::Task {
                            element: TASKS.iter().find(|t| **t == task).copied().unwrap_or("userTask"),
                            attributes: attrs.clone(),
                            multi: None,
                            script: None,
                        },
                    }),
                    "script" if parent == Some("scriptTask") => text_target = Some("script"),
                    "subProcess"
                        if in_process
                            && attrs.get("triggeredByEvent").is_some_and(|v| v == "true")
                            && !open_subprocesses.is_empty() =>
                    {
                        problems.push(
                            format!("line {line}"),
                            format!(
                                "event subprocess `{id}` inside a subprocess is not supported yet: draw it at the \
                                 process level"
                            ),
                        );
                        skip_from = Some(depth);
                    }
                    "subProcess" if in_process && !empty => {
                        subprocesses.push(Subprocess {
                            id: id.clone(),
                            name: attr(&attrs, "name"),
                            line,
                            parent: open_subprocesses.last().map(|(id, _)| id.clone()),
                            triggered: attrs.get("triggeredByEvent").is_some_and(|v| v == "true"),
                        });
                        open_subprocesses.push((id.clone(), depth));
                    }
                    "multiInstanceLoopCharacteristics" if parent == Some("subProcess") => {
                        let id = open_subprocesses.last().map(|(id, _)| id.clone()).unwrap_or_default();
                        problems.push(
                            format!("line {line}"),
                            format!("multi-instance subprocess `{id}` is not supported yet: draw one instance"),
                        );
                    }
                    "parallelGateway" | "inclusiveGateway" if in_process => pending.push(Pending {
                        id,
                        name: attr(&attrs, "name"),
                        line,
                        kind: PendingKind::Parallel {
                            branch_limit: attrs.get("zhengwu:branchLimit").cloned(),
                            inclusive: (name == "inclusiveGateway").then(|| attrs.get("default").cloned()),
                        },
                    }),
                    "exclusiveGateway" if in_process => pending.push(Pending {
                        id,
                        name: attr(&attrs, "name"),
                        line,
                        kind: PendingKind::Exclusive(attrs.get("default").cloned()),
                    }),
                    "sequenceFlow" if in_process => flows.push(Flow {
                        id,
                        from: attr(&attrs, "sourceRef"),
                        to: attr(&attrs, "targetRef"),
                        condition: None,
                    }),
                    // BPMN's own assignment: a human performer is the assignee, potential owners the
                    // candidates (`user(kermit), group(management)`; a plain name is a group).
                    "humanPerformer" | "potentialOwner" | "resourceAssignmentExpression"
                        if in_process
                            && parent.is_some_and(|p| {
                                TASKS.contains(&p) || p == "humanPerformer" || p == "potentialOwner"
                            }) => {}
                    "formalExpression" if parent == Some("resourceAssignmentExpression") => {
                        let owner = stack.iter().rev().nth(1).map(String::as_str);
                        match attrs.get("language") {
                            Some(language) => {
                                problems.push(
                                    format!("line {line}"),
                                    format!(
                                        "a resource assignment in {language} is not supported; name users and groups"
                                    ),
                                );
                                skip_from = Some(depth);
                            }
                            None => {
                                text_target = Some(if owner == Some("humanPerformer") { "performer" } else { "owners" })
                            }
                        }
                    }
                    "conditionExpression" if parent == Some("sequenceFlow") => {
                        match attrs.get("language").map(|l| l.to_ascii_lowercase()) {
                            None => text_target = Some("condition"),
                            Some(language) if language == "juel" || language == "cel" => {
                                text_target = Some("condition")
                            }
                            Some(_) => {
                                let flow = flows.last().map(|f| f.id.clone()).unwrap_or_default();
                                problems.push(
                                    format!("line {line}"),
                                    format!(
                                        "flow `{flow}`: a condition in {} is not supported; write it as an \
                                         expression over case data (`${{amount > 1000}}`)",
                                        attr(&attrs, "language")
                                    ),
                                );
                                skip_from = Some(depth);
                            }
                        }
                    }
                    "multiInstanceLoopCharacteristics" if parent.is_some_and(|p| TASKS.contains(&p)) => {
                        if let Some(Pending { kind: PendingKind::Task { multi, .. }, .. }) = pending.last_mut() {
                            *multi = Some(Multi {
                                sequential: attrs.get("isSequential").is_some_and(|v| v == "true"),
                                completion: None,
                                policy: attrs.get("zhengwu:policy").cloned(),
                                collection: prefixed(&attrs, "collection").cloned(),
                                element: prefixed(&attrs, "elementVariable").cloned(),
                                cardinality: None,
                            });
                        }
                    }
                    "completionCondition" if parent == Some("multiInstanceLoopCharacteristics") => {
                        text_target = Some("completion")
                    }
                    "loopCardinality" if parent == Some("multiInstanceLoopCharacteristics") => {
                        if let Some(Pending { kind: PendingKind::Task { multi: Some(multi), .. }, .. }) =
                            pending.last_mut()
                        {
                            multi.cardinality = Some(String::new());
                        }
                        text_target = Some("cardinality");
                    }
                    _ => {
                        let what = if id.is_empty() { String::new() } else { format!(" (id `{id}`)") };
                        problems.push(format!("line {line}"), format!("unsupported BPMN element `{name}`{what}"));
                        // A flow node: it stands as a step while the rest is checked.
                        if in_process && !id.is_empty() && matches!(parent, Some("process" | "subProcess")) {
                            pending.push(Pending { id, name: String::new(), line, kind: PendingKind::Refused });
                        }
                        skip_from = Some(depth);
                    }
                }
            }
            while within.len() < pending.len() {
                within.push(open_subprocesses.last().map(|(id, _)| id.clone()));
            }
            if empty {
                if skip_from == Some(depth) {
                    skip_from = None;
                }
                text_target = None;
            } else {
                stack.push(name);
            }
            continue;
        }
        match event {
            Event::End(_) => {
                stack.pop();
                if open_subprocesses.last().is_some_and(|(_, depth)| *depth == stack.len()) {
                    open_subprocesses.pop();
                }
                if skip_from == Some(stack.len()) {
                    skip_from = None;
                }
                text_target = None;
            }
            Event::Text(text) if skip_from.is_none() => {
                let value = text.xml_content(quick_xml::XmlVersion::Implicit1_0).into_owned();
                append_text(text_target, &value, &mut flows, &mut pending);
            }
            Event::CData(text) if skip_from.is_none() => {
                let value = text.to_string();
                append_text(text_target, &value, &mut flows, &mut pending);
            }
            Event::GeneralRef(reference) if skip_from.is_none() => {
                let name = String::from(&*reference);
                match entity(&name) {
                    Some(value) => append_text(text_target, &value, &mut flows, &mut pending),
                    None => problems.push(
                        format!("line {}", line_of(offset)),
                        format!("`&{name};` is not a character reference or one of XML's five entities"),
                    ),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    for flow in &mut flows {
        if let Some(condition) = &flow.condition {
            match juel_to_cel(condition) {
                Ok(translated) => flow.condition = Some(translated),
                Err(message) => problems.push(format!("flow `{}`", flow.id), message),
            }
        }
    }
    // A flow drawn without an id (BPMN requires one; Flowable and Camunda make one up) gets
    // `flow_{source}_{target}`, numbered when that is taken; an unnamed node cannot be the end of
    // a flow, so it is refused.
    let mut taken: BTreeSet<String> =
        flows.iter().map(|f| f.id.clone()).chain(pending.iter().map(|p| p.id.clone())).collect();
    for flow in flows.iter_mut().filter(|f| f.id.is_empty()) {
        flow.id = fresh_id(format!("flow_{}_{}", flow.from, flow.to), &mut taken);
    }
    flatten_subprocesses(&subprocesses, &mut within, &mut pending, &mut flows, &mut taken, &mut problems);
    implicit_splits(&mut pending, &mut flows, &mut taken);
    for item in pending.iter().filter(|p| p.id.is_empty()) {
        problems.push(format!("line {}", item.line), "a node without an `id`: no flow can reach it or leave it");
    }
    let Some((process_id, process_name)) = process else {
        problems.push("document", not_a_process(xml, root.as_deref()));
        return Err(Error::Bpmn(problems));
    };

    let mut incoming: BTreeMap<&str, usize> = BTreeMap::new();
    let mut outgoing: BTreeMap<&str, usize> = BTreeMap::new();
    for flow in &flows {
        *outgoing.entry(flow.from.as_str()).or_default() += 1;
        *incoming.entry(flow.to.as_str()).or_default() += 1;
    }
    let mut nodes = Vec::new();
    let mut implicit_flows = Vec::new();
    for item in &pending {
        let at = format!("line {}", item.line);
        let (ins, outs) = (
            incoming.get(item.id.as_str()).copied().unwrap_or(0),
            outgoing.get(item.id.as_str()).copied().unwrap_or(0),
        );
        // A refused element no flow touches is left out of the graph altogether.
        if matches!(item.kind, PendingKind::Refused) && ins == 0 && outs == 0 {
            continue;
        }
        let kind: Option<NodeKind> = 'kind: {
            Some(match &item.kind {
                PendingKind::Start { trigger, other, .. } => {
                    if let Some(problem) = start_problem(&item.id, trigger.as_ref(), other.as_deref()) {
                        problems.push(&at, problem);
                        break 'kind None;
                    }
                    NodeKind::Start
                }
                PendingKind::EventStart { trigger, interrupting } => {
                    NodeKind::EventStart { trigger: trigger.clone(), interrupting: *interrupting }
                }
                PendingKind::Boundary { attached_to, interrupting, trigger } => NodeKind::Boundary {
                    attached_to: attached_to.clone(),
                    trigger: trigger.clone(),
                    interrupting: *interrupting,
                },
                PendingKind::PassThrough => NodeKind::Merge,
                PendingKind::Refused => break 'kind None,
                PendingKind::Timer { attached_to, interrupting, duration, date, unit } => {
                    let after = match date {
                        Some(date) => timer_date(date),
                        None => timer_duration(duration.as_deref(), unit.as_deref()),
                    };
                    match after {
                        Ok(after) => {
                            NodeKind::Timer { attached_to: attached_to.clone(), after, interrupting: *interrupting }
                        }
                        Err(message) => {
                            problems.push(&at, format!("timer `{}`: {message}", item.id));
                            break 'kind None;
                        }
                    }
                }
                PendingKind::End(outcome) => match end_outcome(outcome.as_deref(), &item.name) {
                    Ok(outcome) => NodeKind::End { outcome },
                    Err(message) => {
                        problems.push(&at, message);
                        break 'kind None;
                    }
                },
                PendingKind::Task { element, attributes, multi, script } => {
                    match task(&item.id, element, attributes, multi.as_ref(), script.as_deref()) {
                        Ok(kind) => kind,
                        Err(message) => {
                            problems.push(&at, message);
                            break 'kind None;
                        }
                    }
                }
                PendingKind::Parallel { branch_limit, inclusive } => {
                    if outs >= 2 && ins >= 2 {
                        let what = if inclusive.is_some() { "inclusive" } else { "parallel" };
                        problems
                            .push(&at, format!("{what} gateway `{}` both forks and joins; split it in two", item.id));
                        break 'kind None;
                    }
                    if outs >= 2 {
                        let branch_limit = match branch_limit.as_deref().map(str::parse::<u32>) {
                            None => TimeLimit::working_days(7),
                            Some(Ok(days)) => TimeLimit::working_days(days),
                            Some(Err(_)) => {
                                problems.push(
                                    &at,
                                    format!("`zhengwu:branchLimit` of `{}` is not a number of days", item.id),
                                );
                                break 'kind None;
                            }
                        };
                        NodeKind::Fork {
                            branch_limit,
                            inclusive: inclusive.is_some(),
                            default: inclusive.clone().flatten(),
                        }
                    } else {
                        NodeKind::Join
                    }
                }
                PendingKind::Exclusive(default) => {
                    if outs >= 2 && ins >= 2 {
                        problems.push(
                            &at,
                            format!("exclusive gateway `{}` both branches and merges; split it in two", item.id),
                        );
                        break 'kind None;
                    }
                    if outs >= 2 { NodeKind::Exclusive { default: default.clone() } } else { NodeKind::Merge }
                }
            })
        };
        // A refused element stands as what it most nearly is, so that the graph's own problems
        // can be listed too (see below).
        let kind = kind.unwrap_or_else(|| match &item.kind {
            PendingKind::Start { .. } => NodeKind::Start,
            PendingKind::End(_) => NodeKind::End { outcome: Decision::Granted },
            PendingKind::Task { .. } | PendingKind::Refused => task_placeholder(),
            _ => NodeKind::Merge,
        });
        let ends_here = outs == 0 && !matches!(kind, NodeKind::End { .. });
        nodes.push(Node { id: item.id.clone(), name: item.name.clone(), kind });
        // BPMN's implicit end: a step that flows nowhere ends its path there (a whole case, or a
        // non-interrupting timer's path), as an end event drawn after it would.
        if ends_here && !item.id.is_empty() {
            let end = fresh_id(format!("{}_end", item.id), &mut taken);
            let flow = fresh_id(format!("flow_{}_{end}", item.id), &mut taken);
            nodes.push(Node {
                id: end.clone(),
                name: String::new(),
                kind: NodeKind::End { outcome: Decision::Granted },
            });
            implicit_flows.push(Flow { id: flow, from: item.id.clone(), to: end, condition: None });
        }
    }
    flows.extend(implicit_flows);
    // BPMN's implicit start: a process drawn without a start event starts at the one step nothing
    // flows into.
    if !nodes.iter().any(|n| matches!(n.kind, NodeKind::Start)) {
        let entries: Vec<&Node> = nodes
            .iter()
            .filter(|n| !matches!(n.kind, NodeKind::Timer { attached_to: Some(_), .. } | NodeKind::Boundary { .. }))
            .filter(|n| !flows.iter().any(|f| f.to == n.id))
            .collect();
        if let [entry] = entries.as_slice() {
            let entry = entry.id.clone();
            let start = fresh_id(format!("{entry}_start"), &mut taken);
            let flow = fresh_id(format!("flow_{start}_{entry}"), &mut taken);
            nodes.insert(0, Node { id: start.clone(), name: String::new(), kind: NodeKind::Start });
            flows.push(Flow { id: flow, from: start, to: entry, condition: None });
        }
    }
    // Event subprocesses last, each with its flows, in the order export writes them.
    let groups = event_groups(&nodes, &flows);
    if !groups.is_empty() {
        let group_of = |id: &str| groups.iter().position(|(_, members)| members.contains(id)).map_or(0, |g| g + 1);
        nodes.sort_by_cached_key(|n| group_of(&n.id));
        flows.sort_by_cached_key(|f| group_of(&f.from));
    }
    if !problems.is_empty() {
        // Every problem: the graph's too, with refused elements standing as steps, except those
        // a refused element may have caused (what names it; what is reachable from where, and
        // how many starts and ends there are). An XML error or a node without an id leaves too
        // little to check.
        let unreadable =
            |p: &zhengwu_core::Problem| p.message.starts_with("XML error") || p.message.starts_with("a node without");
        if !problems.iter().any(unreadable)
            && !process_id.is_empty()
            && let Err(Error::InvalidProcess { problems: graph, .. }) =
                crate::process::Process::new(ProcessDefinition { id: process_id, name: process_name, nodes, flows })
        {
            let named: BTreeSet<String> = problems.iter().flat_map(|p| quoted(&p.message)).collect();
            let caused = |message: &str| {
                ["cannot be reached from the start", "is a dead end", "start nodes, expected 1", "has no end node"]
                    .iter()
                    .any(|shape| message.contains(shape))
            };
            for problem in graph.iter().filter(|p| !caused(&p.message)) {
                let mut quoted_here = quoted(&problem.location).chain(quoted(&problem.message));
                if !quoted_here.any(|name| named.contains(&name)) {
                    problems.push(problem.location.clone(), problem.message.clone());
                }
            }
        }
        return Err(Error::Bpmn(problems));
    }
    Ok(ProcessDefinition { id: process_id, name: process_name, nodes, flows })
}

/// What a refused task stands as while the graph is checked.
/// Why a document without a `process` has none: it is empty, not XML at all, or XML of another
/// kind, or a BPMN file that draws no process (a collaboration or declarations only).
fn not_a_process(xml: &str, root: Option<&str>) -> String {
    const BPMN: &str = "a BPMN file is XML whose root element is `definitions`";
    if xml.trim().is_empty() {
        return format!("the document is empty: {BPMN}");
    }
    match root {
        None => {
            // Control characters (a binary file) shown escaped.
            let start: String = xml
                .trim_start()
                .chars()
                .take(24)
                .flat_map(|c| if c.is_control() { c.escape_default().collect::<Vec<_>>() } else { vec![c] })
                .collect();
            format!("no XML element in it (it starts with `{start}`): {BPMN}")
        }
        Some(root) if root != "definitions" => format!("the root element is `{root}`: {BPMN}"),
        Some(_) => "has no `process` element".to_owned(),
    }
}

fn task_placeholder() -> NodeKind {
    NodeKind::Task {
        assignee: crate::definition::Assignee::Anyone,
        department: None,
        limit: None,
        countersign: None,
        automatic: None,
        instances: None,
    }
}

/// The names a problem quotes (between backticks).
fn quoted(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split('`').skip(1).step_by(2).map(str::to_owned)
}

pub(super) fn append_text(target: Option<&str>, value: &str, flows: &mut [Flow], pending: &mut [Pending]) {
    fn task_attributes(pending: &mut [Pending]) -> Option<&mut BTreeMap<String, String>> {
        match pending.last_mut() {
            Some(Pending { kind: PendingKind::Task { attributes, .. }, .. }) => Some(attributes),
            _ => None,
        }
    }
    match target {
        Some("performer") => {
            if let Some(attributes) = task_attributes(pending) {
                attributes.entry("flowable:assignee".to_owned()).or_default().push_str(value.trim());
            }
        }
        Some("owners") => {
            if let Some(attributes) = task_attributes(pending) {
                for owner in value.split(',').map(str::trim).filter(|o| !o.is_empty()) {
                    let (key, name) = match owner.strip_prefix("user(").and_then(|o| o.strip_suffix(')')) {
                        Some(user) => ("flowable:candidateUsers", user),
                        None => (
                            "flowable:candidateGroups",
                            owner.strip_prefix("group(").and_then(|o| o.strip_suffix(')')).unwrap_or(owner),
                        ),
                    };
                    let list = attributes.entry(key.to_owned()).or_default();
                    if !list.is_empty() {
                        list.push(',');
                    }
                    list.push_str(name.trim());
                }
            }
        }
        Some("condition") => {
            if let Some(flow) = flows.last_mut() {
                flow.condition.get_or_insert_with(String::new).push_str(value);
            }
        }
        Some("date") => {
            if let Some(Pending { kind: PendingKind::Timer { date, .. }, .. }) = pending.last_mut() {
                date.get_or_insert_with(String::new).push_str(value);
            }
        }
        Some("duration") => {
            if let Some(Pending { kind: PendingKind::Timer { duration, .. }, .. }) = pending.last_mut() {
                duration.get_or_insert_with(String::new).push_str(value);
            }
        }
        Some("script") => {
            if let Some(Pending { kind: PendingKind::Task { script, .. }, .. }) = pending.last_mut() {
                script.get_or_insert_with(String::new).push_str(value);
            }
        }
        Some("cardinality") => {
            if let Some(Pending { kind: PendingKind::Task { multi: Some(multi), .. }, .. }) = pending.last_mut() {
                multi.cardinality.get_or_insert_with(String::new).push_str(value);
            }
        }
        Some("completion") => {
            if let Some(Pending { kind: PendingKind::Task { multi: Some(multi), .. }, .. }) = pending.last_mut() {
                multi.completion.get_or_insert_with(String::new).push_str(value);
            }
        }
        _ => {}
    }
}

pub(super) fn end_outcome(outcome: Option<&str>, name: &str) -> std::result::Result<Decision, String> {
    match outcome {
        Some("granted") => Ok(Decision::Granted),
        Some("refused") => Ok(Decision::Refused),
        Some("forwarded") => Ok(Decision::Forwarded),
        Some("terminated") => Ok(Decision::Terminated),
        Some(other) => {
            Err(format!("`zhengwu:outcome` is `{other}`; expected granted, refused, forwarded or terminated"))
        }
        None if name.contains("不予") => Ok(Decision::Refused),
        None if name.contains("转报") => Ok(Decision::Forwarded),
        None if name.contains("终止") => Ok(Decision::Terminated),
        None => Ok(Decision::Granted),
    }
}
