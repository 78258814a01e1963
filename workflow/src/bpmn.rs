//! BPMN 2.0 XML import and export, for processes drawn in the Flowable or Camunda modelers.
//!
//! Supported: `process`, `startEvent`, `endEvent`, `userTask`, `manualTask` and `task` (done by
//! officials), `serviceTask`, `scriptTask`, `sendTask`, `businessRuleTask` and `receiveTask`
//! (automatic steps the host completes, with what they name to run and their `resultVariable`),
//! `parallelGateway`, `exclusiveGateway` (with `default`), `sequenceFlow` with
//! `conditionExpression`, and `multiInstanceLoopCharacteristics` with `isSequential` and
//! `completionCondition`. Assignment in the `flowable:`, `camunda:` or `activiti:` namespace:
//! `assignee` and `candidateUsers` name officials, or a case variable (`${name}`, `$INITIATOR`),
//! or a list (`${'u1, u2'}`); `candidateGroups` names a built-in role, `dept:` a department, or
//! candidate groups the directory resolves; a task without assignment is its department's. Diagram
//! interchange (`bpmndi`), documentation, extension elements, lanes and text annotations are read
//! past. Any other element is an error naming it and its line: nothing is silently dropped.
//!
//! zhengwu's own attributes (namespace `https://zhengwu.dev/bpmn`): `zhengwu:department`,
//! `zhengwu:limit` and `zhengwu:limitUnit` (`working_days`, `calendar_days`) on tasks,
//! `zhengwu:branchLimit` on a diverging parallel gateway, `zhengwu:outcome` (`granted`, `refused`,
//! `forwarded`, `terminated`) on end events — without it, an end named with 不予 is `refused`,
//! with 转报 `forwarded`, with 终止 `terminated`, otherwise `granted` — and `zhengwu:policy="veto"`
//! on a multi-instance for 一票否决.

use std::collections::BTreeMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use zhengwu_core::{Decision, DepartmentId, OfficialId, Problems, Role, TimeLimit};

use crate::definition::{
    Assignee, Automatic, AutomaticKind, CompletionPolicy, Countersign, Flow, Node, NodeKind, ProcessDefinition,
    SigningOrder,
};
use crate::error::{Error, Result};

const ZHENGWU_NS: &str = "https://zhengwu.dev/bpmn";

/// The task elements: user and manual tasks (and BPMN's untyped `task`) are done by officials;
/// the others are [`Automatic`] steps the host performs.
const TASKS: &[&str] =
    &["userTask", "manualTask", "task", "serviceTask", "scriptTask", "sendTask", "businessRuleTask", "receiveTask"];

/// The attributes (in the engine namespaces) that name what an automatic step runs.
const IMPLEMENTATION: &[&str] = &["class", "delegateExpression", "expression", "topic", "type"];

/// Root elements that only declare what flow elements refer to.
const DECLARATIONS: &[&str] = &[
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
const IGNORED: &[&str] = &[
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
];

struct Pending {
    id: String,
    name: String,
    line: usize,
    kind: PendingKind,
}

enum PendingKind {
    Start,
    End(Option<String>),
    Task {
        element: &'static str,
        attributes: BTreeMap<String, String>,
        multi: Option<Multi>,
        script: Option<String>,
    },
    Parallel(Option<String>),
    Exclusive(Option<String>),
    /// The way into or out of an embedded subprocess, flattened: a merge.
    PassThrough,
}

#[derive(Default)]
struct Multi {
    sequential: bool,
    completion: Option<String>,
    policy: Option<String>,
    /// `collection`: the case variable listing the signers.
    collection: Option<String>,
    /// `elementVariable`: the name each instance's signer goes by.
    element: Option<String>,
    /// A `loopCardinality` (a count of instances, not signers).
    cardinality: bool,
}

fn local(name: &str) -> String {
    match name.rsplit_once(':') {
        Some((_, local)) => local.to_owned(),
        None => name.to_owned(),
    }
}

fn attributes(element: &BytesStart<'_>) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for attribute in element.attributes().flatten() {
        let key = attribute.key.as_ref().to_owned();
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| attribute.value.to_string());
        map.insert(key, value);
    }
    map
}

/// The value of an attribute in any of the given prefixes (`flowable:assignee`, ...).
fn prefixed<'a>(attributes: &'a BTreeMap<String, String>, name: &str) -> Option<&'a String> {
    ["flowable", "camunda", "activiti"].iter().find_map(|prefix| attributes.get(&format!("{prefix}:{name}")))
}

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
    // Embedded subprocesses: (id, name, line, the subprocess they are in), and the open ones with
    // the depth of their element; `within[i]` is the subprocess `pending[i]` was drawn in.
    let mut subprocesses: Vec<(String, String, usize, Option<String>)> = Vec::new();
    let mut open_subprocesses: Vec<(String, usize)> = Vec::new();
    let mut within: Vec<Option<String>> = Vec::new();
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
                            problems.push(
                                format!("line {line}"),
                                format!(
                                    "a second process `{id}`: one process per file, or mark the one to run with \
                                     isExecutable=\"true\""
                                ),
                            );
                            skip_from = Some(depth);
                        }
                    }
                    _ if IGNORED.contains(&name.as_str()) => skip_from = Some(depth),
                    // Declarations beside the process (messages, signals, errors, item types): what
                    // uses them (an event definition) is refused where it stands, so they are read past.
                    _ if parent == Some("definitions") && DECLARATIONS.contains(&name.as_str()) => {
                        skip_from = Some(depth)
                    }
                    "startEvent" if in_process => {
                        pending.push(Pending { id, name: attr(&attrs, "name"), line, kind: PendingKind::Start })
                    }
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
                    definition if definition.ends_with("EventDefinition") && in_process => {
                        event_definition(definition, parent, line, pending.last_mut(), &mut problems);
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
                    "subProcess" if in_process && attrs.get("triggeredByEvent").is_some_and(|v| v == "true") => {
                        problems.push(
                            format!("line {line}"),
                            format!("event subprocess `{id}` is not supported: draw its trigger as a step"),
                        );
                        skip_from = Some(depth);
                    }
                    "subProcess" if in_process && !empty => {
                        let parent_subprocess = open_subprocesses.last().map(|(id, _)| id.clone());
                        subprocesses.push((id.clone(), attr(&attrs, "name"), line, parent_subprocess));
                        open_subprocesses.push((id.clone(), depth));
                    }
                    "multiInstanceLoopCharacteristics" if parent == Some("subProcess") => {
                        let id = open_subprocesses.last().map(|(id, _)| id.clone()).unwrap_or_default();
                        problems.push(
                            format!("line {line}"),
                            format!("multi-instance subprocess `{id}` is not supported yet: draw one instance"),
                        );
                    }
                    "parallelGateway" if in_process => pending.push(Pending {
                        id,
                        name: attr(&attrs, "name"),
                        line,
                        kind: PendingKind::Parallel(attrs.get("zhengwu:branchLimit").cloned()),
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
                                cardinality: false,
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
                            multi.cardinality = true;
                        }
                    }
                    _ => {
                        let what = if id.is_empty() { String::new() } else { format!(" (id `{id}`)") };
                        problems.push(format!("line {line}"), format!("unsupported BPMN element `{name}`{what}"));
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
    let mut taken: std::collections::BTreeSet<String> = flows.iter().map(|f| f.id.clone()).collect();
    for flow in flows.iter_mut().filter(|f| f.id.is_empty()) {
        let base = format!("flow_{}_{}", flow.from, flow.to);
        let mut id = base.clone();
        let mut n = 1;
        while taken.contains(&id) {
            n += 1;
            id = format!("{base}_{n}");
        }
        taken.insert(id.clone());
        flow.id = id;
    }
    flatten_subprocesses(&subprocesses, &within, &mut pending, &mut flows, &mut taken, &mut problems);
    for item in pending.iter().filter(|p| p.id.is_empty()) {
        problems.push(format!("line {}", item.line), "a node without an `id`: no flow can reach it or leave it");
    }
    let Some((process_id, process_name)) = process else {
        problems.push("document", "has no `process` element");
        return Err(Error::Bpmn(problems));
    };

    let mut incoming: BTreeMap<&str, usize> = BTreeMap::new();
    let mut outgoing: BTreeMap<&str, usize> = BTreeMap::new();
    for flow in &flows {
        *outgoing.entry(flow.from.as_str()).or_default() += 1;
        *incoming.entry(flow.to.as_str()).or_default() += 1;
    }
    let mut nodes = Vec::new();
    for item in &pending {
        let at = format!("line {}", item.line);
        let (ins, outs) = (
            incoming.get(item.id.as_str()).copied().unwrap_or(0),
            outgoing.get(item.id.as_str()).copied().unwrap_or(0),
        );
        let kind = match &item.kind {
            PendingKind::Start => NodeKind::Start,
            PendingKind::PassThrough => NodeKind::Merge,
            PendingKind::End(outcome) => match end_outcome(outcome.as_deref(), &item.name) {
                Ok(outcome) => NodeKind::End { outcome },
                Err(message) => {
                    problems.push(&at, message);
                    continue;
                }
            },
            PendingKind::Task { element, attributes, multi, script } => {
                match task(&item.id, element, attributes, multi.as_ref(), script.as_deref()) {
                    Ok(kind) => kind,
                    Err(message) => {
                        problems.push(&at, message);
                        continue;
                    }
                }
            }
            PendingKind::Parallel(branch_limit) => {
                if outs >= 2 && ins >= 2 {
                    problems.push(&at, format!("parallel gateway `{}` both forks and joins; split it in two", item.id));
                    continue;
                }
                if outs >= 2 {
                    let branch_limit = match branch_limit.as_deref().map(str::parse::<u32>) {
                        None => TimeLimit::working_days(7),
                        Some(Ok(days)) => TimeLimit::working_days(days),
                        Some(Err(_)) => {
                            problems
                                .push(&at, format!("`zhengwu:branchLimit` of `{}` is not a number of days", item.id));
                            continue;
                        }
                    };
                    NodeKind::Fork { branch_limit }
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
                    continue;
                }
                if outs >= 2 { NodeKind::Exclusive { default: default.clone() } } else { NodeKind::Merge }
            }
        };
        nodes.push(Node { id: item.id.clone(), name: item.name.clone(), kind });
    }
    if !problems.is_empty() {
        return Err(Error::Bpmn(problems));
    }
    Ok(ProcessDefinition { id: process_id, name: process_name, nodes, flows })
}

/// A JUEL condition (`${decision == 'approve' and amount gt 1000}`) as CEL over the case data:
/// JUEL's word operators (`and`, `or`, `not`, `eq`, `ne`, `lt`, `gt`, `le`, `ge`) become CEL's;
/// a method call (`execution.getVariable('x')`, `customer.prop('age')`) is refused, as zhengwu
/// has no such objects to call. Text outside `${...}` is left as written (plain CEL).
fn juel_to_cel(condition: &str) -> std::result::Result<String, String> {
    let trimmed = condition.trim();
    let Some(inner) =
        trimmed.strip_prefix("${").or_else(|| trimmed.strip_prefix("#{")).and_then(|rest| rest.strip_suffix('}'))
    else {
        return Ok(condition.to_owned());
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.char_indices().peekable();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String, next: Option<char>| -> std::result::Result<(), String> {
        if word.is_empty() {
            return Ok(());
        }
        let replaced = match word.as_str() {
            "and" => "&&",
            "or" => "||",
            "not" => "!",
            "eq" => "==",
            "ne" => "!=",
            "lt" => "<",
            "gt" => ">",
            "le" => "<=",
            "ge" => ">=",
            "empty" => {
                return Err(format!(
                    "the condition `{}` uses JUEL's `empty`; compare with '' instead",
                    condition.trim()
                ));
            }
            other if next == Some('(') && !matches!(other, "size" | "has" | "int" | "double" | "string") => {
                return Err(format!(
                    "the condition `{}` calls `{other}(…)`: zhengwu evaluates expressions over case data, not \
                     method calls",
                    condition.trim()
                ));
            }
            other => other,
        };
        out.push_str(replaced);
        word.clear();
        Ok(())
    };
    while let Some((_, c)) = chars.next() {
        if c == '\'' || c == '"' {
            flush(&mut word, &mut out, Some(c))?;
            out.push(c);
            for (_, inner) in chars.by_ref() {
                out.push(inner);
                if inner == c {
                    break;
                }
            }
        } else if c.is_alphanumeric() || c == '_' || (c == '.' && !word.is_empty()) {
            word.push(c);
        } else {
            let next = if c.is_whitespace() { chars.peek().map(|(_, n)| *n).filter(|n| *n == '(') } else { Some(c) };
            flush(&mut word, &mut out, next)?;
            out.push(c);
        }
    }
    flush(&mut word, &mut out, None)?;
    Ok(format!("${{{}}}", out.trim()))
}

/// Of a file's several processes (a collaboration's pools), the one marked
/// `isExecutable="true"`, when exactly one is; `None` otherwise (one process, or no telling which).
fn executable_process(xml: &str) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    let mut processes = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(element) | Event::Empty(element)) if local(element.name().as_ref()) == "process" => {
                let attributes = attributes(&element);
                let executable = attributes.get("isExecutable").is_some_and(|v| v == "true");
                processes.push((attributes.get("id").cloned().unwrap_or_default(), executable));
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    let mut executable = processes.iter().filter(|(_, executable)| *executable);
    match (processes.len(), executable.next(), executable.next()) {
        (2.., Some((id, _)), None) => Some(id.clone()),
        _ => None,
    }
}

/// An event definition inside an event: how each is run, or the problem naming it.
/// - On a start event (message, timer, signal, conditional): the host starts the case when it
///   comes; the start is a start.
/// - On an end event: terminate ends every open step, as any conclusion does; an error ends the
///   case as 终止 (`terminated`) unless `zhengwu:outcome` says otherwise; message, signal and
///   escalation are the host's to send on conclusion.
/// - On an intermediate throw event: message, signal and escalation make it a send step the host
///   completes.
/// - On an intermediate catch event: message, signal and conditional make it a receive step; a
///   timer needs timers, which the engine does not have yet.
fn event_definition(
    definition: &str,
    parent: Option<&str>,
    line: usize,
    event: Option<&mut Pending>,
    problems: &mut Problems,
) {
    let at = format!("line {line}");
    let kind = definition.trim_end_matches("EventDefinition");
    let Some(event) = event else { return };
    match (parent, kind) {
        (Some("startEvent"), "message" | "timer" | "signal" | "conditional") => {}
        (Some("endEvent"), "terminate" | "message" | "signal" | "escalation") => {}
        (Some("endEvent"), "error") => {
            if let PendingKind::End(outcome) = &mut event.kind {
                outcome.get_or_insert_with(|| "terminated".to_owned());
            }
        }
        (Some("intermediateThrowEvent"), "message" | "signal" | "escalation") => {
            event.kind =
                PendingKind::Task { element: "sendTask", attributes: BTreeMap::new(), multi: None, script: None };
        }
        (Some("intermediateCatchEvent"), "message" | "signal" | "conditional") => {}
        (Some("intermediateCatchEvent"), "timer") => problems
            .push(at, format!("timer catch event `{}` is not supported yet: the engine has no timers", event.id)),
        (Some(parent), kind) => {
            problems.push(at, format!("a {kind} event definition on {parent} `{}` is not supported", event.id))
        }
        (None, kind) => problems.push(at, format!("a {kind} event definition outside an event is not supported")),
    }
}

/// Embedded subprocesses drawn inline: the subprocess's start event becomes a merge that the flows
/// into the subprocess reach, each of its end events a merge that flows on to the subprocess
/// itself, which becomes the merge its outgoing flows leave. Control flow is unchanged (a fork
/// inside must join inside: validation checks it), and the flattened graph exports and imports as
/// itself.
fn flatten_subprocesses(
    subprocesses: &[(String, String, usize, Option<String>)],
    within: &[Option<String>],
    pending: &mut Vec<Pending>,
    flows: &mut Vec<Flow>,
    taken: &mut std::collections::BTreeSet<String>,
    problems: &mut Problems,
) {
    for (id, name, line, _) in subprocesses {
        let at = format!("line {line}");
        let inside: Vec<usize> =
            (0..pending.len()).filter(|&i| within.get(i).cloned().flatten().as_ref() == Some(id)).collect();
        let starts: Vec<usize> =
            inside.iter().copied().filter(|&i| matches!(pending[i].kind, PendingKind::Start)).collect();
        let ends: Vec<usize> =
            inside.iter().copied().filter(|&i| matches!(pending[i].kind, PendingKind::End(_))).collect();
        if starts.len() != 1 {
            problems.push(
                &at,
                format!("subprocess `{id}` has {} start events; an embedded subprocess has one", starts.len()),
            );
            continue;
        }
        if ends.is_empty() {
            problems.push(&at, format!("subprocess `{id}` has no end event"));
            continue;
        }
        let start = pending[starts[0]].id.clone();
        pending[starts[0]].kind = PendingKind::PassThrough;
        for flow in flows.iter_mut().filter(|f| &f.to == id) {
            flow.to = start.clone();
        }
        for &end in &ends {
            pending[end].kind = PendingKind::PassThrough;
            let base = format!("flow_{}_{id}", pending[end].id);
            let mut flow_id = base.clone();
            let mut n = 1;
            while taken.contains(&flow_id) {
                n += 1;
                flow_id = format!("{base}_{n}");
            }
            taken.insert(flow_id.clone());
            flows.push(Flow { id: flow_id, from: pending[end].id.clone(), to: id.clone(), condition: None });
        }
        pending.push(Pending { id: id.clone(), name: name.clone(), line: *line, kind: PendingKind::PassThrough });
    }
}

/// The text of an entity or character reference: XML's five entities, `&#NN;` and `&#xHH;`.
fn entity(name: &str) -> Option<String> {
    let character = |code: u32| char::from_u32(code).map(String::from);
    match name {
        "lt" => Some("<".to_owned()),
        "gt" => Some(">".to_owned()),
        "amp" => Some("&".to_owned()),
        "quot" => Some("\"".to_owned()),
        "apos" => Some("'".to_owned()),
        _ => match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
            Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(character),
            None => name.strip_prefix('#').and_then(|decimal| decimal.parse().ok()).and_then(character),
        },
    }
}

fn attr(attributes: &BTreeMap<String, String>, name: &str) -> String {
    attributes.get(name).cloned().unwrap_or_default()
}

fn append_text(target: Option<&str>, value: &str, flows: &mut [Flow], pending: &mut [Pending]) {
    match target {
        Some("condition") => {
            if let Some(flow) = flows.last_mut() {
                flow.condition.get_or_insert_with(String::new).push_str(value);
            }
        }
        Some("script") => {
            if let Some(Pending { kind: PendingKind::Task { script, .. }, .. }) = pending.last_mut() {
                script.get_or_insert_with(String::new).push_str(value);
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

fn end_outcome(outcome: Option<&str>, name: &str) -> std::result::Result<Decision, String> {
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

/// A `${...}` or `#{...}` expression in an assignment attribute, or Activiti's `$INITIATOR`.
enum Expression {
    /// `${name}`: a case variable.
    Variable(String),
    /// `${'a, b'}`: a string literal.
    Literal(String),
    /// Anything else (a method call, an operator).
    Other(String),
}

/// The expression an assignment attribute holds, or `None` for plain text.
fn expression(value: &str) -> Option<Expression> {
    let value = value.trim();
    if value == "$INITIATOR" {
        return Some(Expression::Variable("initiator".to_owned()));
    }
    let inner = value.strip_prefix("${").or_else(|| value.strip_prefix("#{"))?;
    let Some(inner) = inner.strip_suffix('}') else { return Some(Expression::Other(value.to_owned())) };
    let inner = inner.trim();
    let identifier = !inner.is_empty()
        && inner.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !inner.starts_with(|c: char| c.is_ascii_digit());
    if identifier {
        return Some(Expression::Variable(inner.to_owned()));
    }
    for quote in ['\'', '"'] {
        if let Some(text) = inner.strip_prefix(quote).and_then(|t| t.strip_suffix(quote))
            && !text.contains(quote)
        {
            return Some(Expression::Literal(text.to_owned()));
        }
    }
    Some(Expression::Other(value.to_owned()))
}

fn role(name: &str) -> Option<Role> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}

fn task(
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
    let assignee = match multi {
        None => assignee,
        Some(Multi { cardinality: true, .. }) => {
            return Err(format!(
                "task `{id}`: a multi-instance task counted by loopCardinality is not supported; list the signers \
                 in candidateUsers or in a collection variable"
            ));
        }
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
                Some(other) => {
                    return Err(format!(
                        "task `{id}`: `zhengwu:limitUnit` `{other}` is not working_days or calendar_days"
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
    })
}

/// Reads the usual Flowable / Camunda completion conditions.
fn completion_policy(condition: Option<&str>) -> std::result::Result<CompletionPolicy, String> {
    let Some(condition) = condition else { return Ok(CompletionPolicy::All) };
    let compact: String = crate::process::condition_source(condition).chars().filter(|c| !c.is_whitespace()).collect();
    let ratio_prefix = "nrOfCompletedInstances/nrOfInstances";
    match compact.as_str() {
        "" | "nrOfCompletedInstances==nrOfInstances" | "nrOfCompletedInstances>=nrOfInstances" => {
            Ok(CompletionPolicy::All)
        }
        "nrOfCompletedInstances>=1" | "nrOfCompletedInstances>0" => Ok(CompletionPolicy::Any),
        other if other.starts_with(ratio_prefix) => {
            let rest = &other[ratio_prefix.len()..];
            let (strict, number) = if let Some(n) = rest.strip_prefix(">=") {
                (false, n)
            } else if let Some(n) = rest.strip_prefix('>') {
                (true, n)
            } else {
                return Err(format!("completionCondition `{condition}` is not supported"));
            };
            let ratio: f64 =
                number.parse().map_err(|_| format!("completionCondition `{condition}` is not supported"))?;
            if strict && (ratio - 0.5).abs() < f64::EPSILON {
                Ok(CompletionPolicy::Majority)
            } else if strict {
                Err(format!("completionCondition `{condition}`: use `>=` with a ratio, or `> 0.5` for a majority"))
            } else {
                Ok(CompletionPolicy::Ratio(ratio))
            }
        }
        _ => Err(format!("completionCondition `{condition}` is not supported")),
    }
}

/// Text escaped for an attribute or element: the five markup characters, and the whitespace
/// characters an attribute's normalisation would turn into spaces (a name drawn on two lines
/// keeps its line break).
fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).replace('\n', "&#10;").replace('\r', "&#13;").replace('\t', "&#9;")
}

/// Exports a definition as BPMN 2.0 XML (Flowable attributes, zhengwu extension attributes; no
/// diagram layout), which [`import_bpmn`] reads back to the same definition.
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
    for node in &definition.nodes {
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
            NodeKind::Task { assignee, department, limit, countersign, automatic } => {
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
                };
                if let Some(department) = department {
                    let _ = write!(attributes, r#" zhengwu:department="{}""#, escape(department.as_str()));
                }
                if let Some(limit) = limit {
                    let unit = match limit.unit {
                        zhengwu_core::DayUnit::WorkingDays => "working_days",
                        zhengwu_core::DayUnit::CalendarDays => "calendar_days",
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
                    None if script.is_some() => {
                        let _ = writeln!(out, r#"    <{element} id="{id}" name="{name}"{attributes}>"#);
                        let _ = writeln!(out, "      <script>{}</script>", escape(script.map_or("", |s| s.as_str())));
                        let _ = writeln!(out, "    </{element}>");
                    }
                    None => {
                        let _ = writeln!(out, r#"    <{element} id="{id}" name="{name}"{attributes}/>"#);
                    }
                    Some(countersign) => {
                        let sequential = countersign.order == SigningOrder::Sequential;
                        let (condition, veto) = match countersign.policy {
                            CompletionPolicy::All => ("${nrOfCompletedInstances == nrOfInstances}".to_owned(), ""),
                            CompletionPolicy::Any => ("${nrOfCompletedInstances >= 1}".to_owned(), ""),
                            CompletionPolicy::Majority => {
                                ("${nrOfCompletedInstances / nrOfInstances > 0.5}".to_owned(), "")
                            }
                            CompletionPolicy::Ratio(ratio) => {
                                (format!("${{nrOfCompletedInstances / nrOfInstances >= {ratio}}}"), "")
                            }
                            CompletionPolicy::Veto => {
                                ("${nrOfCompletedInstances == nrOfInstances}".to_owned(), r#" zhengwu:policy="veto""#)
                            }
                        };
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
                        let _ =
                            writeln!(out, "        <completionCondition>{}</completionCondition>", escape(&condition));
                        let _ = writeln!(out, "      </multiInstanceLoopCharacteristics>");
                        let _ = writeln!(out, "    </userTask>");
                    }
                }
            }
            NodeKind::Fork { branch_limit } => {
                let _ = writeln!(
                    out,
                    r#"    <parallelGateway id="{id}" name="{name}" zhengwu:branchLimit="{}"/>"#,
                    branch_limit.days
                );
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
        }
    }
    for flow in &definition.flows {
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
    let _ = writeln!(out, "  </process>");
    let _ = writeln!(out, "</definitions>");
    out
}
