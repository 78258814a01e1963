//! Shapes the reader turns into the engine's: the executable pool of a collaboration, event
//! definitions, embedded subprocesses.

use std::collections::{BTreeMap, BTreeSet};

use quick_xml::Reader;
use quick_xml::events::Event;
use zhengwu_core::Problems;

use super::pending::{Pending, PendingKind, Subprocess};
use super::xml::{attributes, local};
use crate::definition::{Flow, Node, NodeKind, Trigger, TriggerKind};

/// Of a file's several processes (a collaboration's pools), the one marked
/// `isExecutable="true"`, when exactly one is; `None` otherwise (one process, or no telling which).
pub(super) fn executable_process(xml: &str) -> Option<String> {
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

/// The messages, signals, errors and escalations a file declares, by id: the name a boundary
/// event referring to one waits for (a message's or signal's name, an error's or escalation's
/// code; `None` for an error or escalation without a code, which catches every one).
pub(super) fn declarations(xml: &str) -> BTreeMap<String, Option<String>> {
    let mut reader = Reader::from_str(xml);
    let mut declared = BTreeMap::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(element) | Event::Empty(element)) => {
                let name = local(element.name().as_ref());
                let code = match name.as_str() {
                    "message" | "signal" => "name",
                    "error" => "errorCode",
                    "escalation" => "escalationCode",
                    _ => continue,
                };
                let attributes = attributes(&element);
                if let Some(id) = attributes.get("id") {
                    let value = attributes.get(code).cloned();
                    let value = if code == "name" { value.or_else(|| Some(id.clone())) } else { value };
                    declared.insert(id.clone(), value);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    declared
}

/// An event definition inside an event: how each is run, or the problem naming it.
/// - On a start event: kept; a process's start is a start (the host starts the case when a
///   message, timer, signal or condition comes; other kinds are refused), an event subprocess's
///   start what the case waits for.
/// - On an end event: terminate ends every open step, as any conclusion does; an error ends the
///   case as 终止 (`terminated`) unless `zhengwu:outcome` says otherwise; message, signal and
///   escalation are the host's to send on conclusion.
/// - On an intermediate throw event: message, signal and escalation make it a send step the host
///   completes.
/// - On an intermediate catch event: message, signal and conditional make it a receive step; a
///   timer needs timers, which the engine does not have yet.
pub(super) fn event_definition(
    definition: &str,
    parent: Option<&str>,
    line: usize,
    attributes: &BTreeMap<String, String>,
    declared: &BTreeMap<String, Option<String>>,
    event: Option<&mut Pending>,
    problems: &mut Problems,
) {
    let at = format!("line {line}");
    let kind = definition.trim_end_matches("EventDefinition");
    let Some(event) = event else { return };
    // What a catching event waits for: the name is the declaration's, or the reference itself
    // when the file declares nothing by that id.
    let trigger = || {
        let trigger_kind = match kind {
            "message" => TriggerKind::Message,
            "signal" => TriggerKind::Signal,
            "error" => TriggerKind::Error,
            _ => TriggerKind::Escalation,
        };
        let name = attributes
            .get(&format!("{kind}Ref"))
            .map(|reference| declared.get(reference).cloned().unwrap_or_else(|| Some(reference.clone())))
            .unwrap_or_default();
        Trigger { kind: trigger_kind, name }
    };
    match (parent, kind) {
        // Kept for an event subprocess's start; a process's own start ignores it (the host
        // starts the case when the message comes), or refuses it (see `start_problem`).
        (Some("startEvent"), kind) => {
            if let PendingKind::Start { trigger: caught, other, .. } = &mut event.kind {
                if matches!(kind, "message" | "signal" | "error" | "escalation") {
                    *caught = Some(trigger());
                } else {
                    *other = Some(kind.to_owned());
                }
            }
        }
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
        (Some("boundaryEvent"), "message" | "signal" | "error" | "escalation") => {
            if let PendingKind::Timer { attached_to, interrupting, .. } = &event.kind {
                event.kind = PendingKind::Boundary {
                    attached_to: attached_to.clone().unwrap_or_default(),
                    interrupting: *interrupting,
                    trigger: trigger(),
                };
            }
        }
        (Some("boundaryEvent"), kind) => {
            problems.push(
                at,
                format!(
                    "a {kind} boundary event (`{}`) is not supported: timers, messages, signals, errors and \
                     escalations run on a task's boundary",
                    event.id
                ),
            );
            // Refused: not a timer missing its duration.
            event.kind = PendingKind::PassThrough;
        }
        (Some(parent), kind) => {
            problems.push(at, format!("a {kind} event definition on {parent} `{}` is not supported", event.id))
        }
        (None, kind) => problems.push(at, format!("a {kind} event definition outside an event is not supported")),
    }
}

/// An id made from `base` that nothing in `taken` has (numbered from 2), now taken.
pub(super) fn fresh_id(base: String, taken: &mut BTreeSet<String>) -> String {
    let mut id = base.clone();
    let mut n = 1;
    while taken.contains(&id) {
        n += 1;
        id = format!("{base}_{n}");
    }
    taken.insert(id.clone());
    id
}

/// Embedded subprocesses drawn inline: the subprocess's start event becomes a merge that the flows
/// into the subprocess reach, each of its end events a merge that flows on to the subprocess
/// itself, which becomes the merge its outgoing flows leave. As BPMN says, a subprocess without a
/// start event starts at the one step nothing flows into, and a step inside that flows nowhere
/// ends it (as an end event would). Control flow is unchanged (a fork inside must join inside:
/// validation checks it), and the flattened graph exports and imports as itself. Inner
/// subprocesses are flattened before the ones they are in, so that they are steps of those.
pub(super) fn flatten_subprocesses(
    subprocesses: &[Subprocess],
    within: &mut Vec<Option<String>>,
    pending: &mut Vec<Pending>,
    flows: &mut Vec<Flow>,
    taken: &mut BTreeSet<String>,
    problems: &mut Problems,
) {
    for item in pending.iter() {
        let (what, target) = match &item.kind {
            PendingKind::Timer { attached_to: Some(target), .. } => ("timer", target),
            PendingKind::Boundary { attached_to, .. } => ("event", attached_to),
            _ => continue,
        };
        if subprocesses.iter().any(|s| &s.id == target) {
            problems.push(
                format!("line {}", item.line),
                format!(
                    "boundary {what} `{}` on subprocess `{target}` is not supported yet: boundary events run on tasks",
                    item.id
                ),
            );
        }
    }
    for Subprocess { id, name, line, parent, triggered } in subprocesses.iter().rev() {
        let at = format!("line {line}");
        let inside: Vec<usize> =
            (0..pending.len()).filter(|&i| within.get(i).cloned().flatten().as_ref() == Some(id)).collect();
        let starts: Vec<usize> =
            inside.iter().copied().filter(|&i| matches!(pending[i].kind, PendingKind::Start { .. })).collect();
        if *triggered {
            event_subprocess(id, &at, &starts, pending, problems);
            continue;
        }
        let attached = |i: usize| {
            matches!(pending[i].kind, PendingKind::Timer { attached_to: Some(_), .. } | PendingKind::Boundary { .. })
        };
        let entry = match starts.as_slice() {
            [start] => {
                pending[*start].kind = PendingKind::PassThrough;
                *start
            }
            [] => {
                let entries: Vec<usize> = inside
                    .iter()
                    .copied()
                    .filter(|&i| !attached(i) && !flows.iter().any(|f| f.to == pending[i].id))
                    .collect();
                match entries.as_slice() {
                    [entry] => *entry,
                    _ => {
                        problems.push(
                            &at,
                            format!(
                                "subprocess `{id}` has no start event and {} steps nothing flows into; draw its \
                                 start event",
                                entries.len()
                            ),
                        );
                        continue;
                    }
                }
            }
            _ => {
                problems.push(
                    &at,
                    format!("subprocess `{id}` has {} start events; an embedded subprocess has one", starts.len()),
                );
                continue;
            }
        };
        // Its ends: the end events, and the steps that flow nowhere (a boundary timer's too).
        let exits: Vec<usize> =
            inside.iter().copied().filter(|&i| !flows.iter().any(|f| f.from == pending[i].id)).collect();
        if exits.is_empty() {
            problems.push(&at, format!("subprocess `{id}` has no end event"));
            continue;
        }
        let entry_id = pending[entry].id.clone();
        for flow in flows.iter_mut().filter(|f| &f.to == id) {
            flow.to = entry_id.clone();
        }
        for &exit in &exits {
            if matches!(pending[exit].kind, PendingKind::End(_)) {
                pending[exit].kind = PendingKind::PassThrough;
            }
            let flow_id = fresh_id(format!("flow_{}_{id}", pending[exit].id), taken);
            flows.push(Flow { id: flow_id, from: pending[exit].id.clone(), to: id.clone(), condition: None });
        }
        pending.push(Pending { id: id.clone(), name: name.clone(), line: *line, kind: PendingKind::PassThrough });
        within.push(parent.clone());
    }
}

/// The event starts of a process with the nodes each one's path reaches (itself first): the
/// event subprocesses, as export draws them and import orders them (after the process's own
/// nodes and flows, so that a definition exports and imports as itself).
pub(super) fn event_groups(nodes: &[Node], flows: &[Flow]) -> Vec<(String, BTreeSet<String>)> {
    let mut groups = Vec::new();
    for start in nodes.iter().filter(|n| matches!(n.kind, NodeKind::EventStart { .. })) {
        let mut members = BTreeSet::from([start.id.clone()]);
        let mut queue = vec![start.id.as_str()];
        while let Some(at) = queue.pop() {
            for flow in flows.iter().filter(|f| f.from == at) {
                if members.insert(flow.to.clone()) {
                    queue.push(&flow.to);
                }
            }
            // The boundary events on its steps are its too.
            for boundary in nodes.iter().filter(|n| match &n.kind {
                NodeKind::Timer { attached_to: Some(task), .. } | NodeKind::Boundary { attached_to: task, .. } => {
                    task == at
                }
                _ => false,
            }) {
                if members.insert(boundary.id.clone()) {
                    queue.push(&boundary.id);
                }
            }
        }
        groups.push((start.id.clone(), members));
    }
    groups
}

/// The problem with a process's own start event, by what it waits for: none for a plain start or
/// one the host starts the case on (message, signal, timer, conditional).
pub(super) fn start_problem(id: &str, trigger: Option<&Trigger>, other: Option<&str>) -> Option<String> {
    let kind = match (trigger, other) {
        (Some(trigger), _) if matches!(trigger.kind, TriggerKind::Message | TriggerKind::Signal) => return None,
        (Some(trigger), _) => trigger.kind.element(),
        (None, Some("timer" | "conditional") | None) => return None,
        (None, Some(other)) => other,
    };
    Some(format!("a {kind} event definition on startEvent `{id}` is not supported"))
}

/// An event subprocess drawn at the process level: its start becomes the event start the case
/// waits for; its steps and ends stay as they are (its ends conclude the case, or close the path
/// of a non-interrupting one), and nothing flows into or out of it.
fn event_subprocess(id: &str, at: &str, starts: &[usize], pending: &mut [Pending], problems: &mut Problems) {
    let [start] = starts else {
        problems.push(at, format!("event subprocess `{id}` has {} start events; it has one", starts.len()));
        return;
    };
    let PendingKind::Start { trigger, other, interrupting } = &pending[*start].kind else { return };
    match (trigger, other) {
        (Some(trigger), _) => {
            pending[*start].kind = PendingKind::EventStart { trigger: trigger.clone(), interrupting: *interrupting }
        }
        (None, Some(other)) => problems.push(
            at,
            format!(
                "event subprocess `{id}` starts on a {other} event; zhengwu catches messages, signals, errors and \
                 escalations the host reports"
            ),
        ),
        (None, None) => problems.push(
            at,
            format!(
                "event subprocess `{id}` starts on no event; give its start a message, signal, error or escalation"
            ),
        ),
    }
}

/// BPMN's implicit split: a step or event with several outgoing flows sends a token down each
/// (a parallel split), or, when some carry conditions, down each whose condition holds and each
/// without one (an inclusive split). The split is made explicit as a gateway after it
/// (`{id}_split`), so the definition exports as it runs.
pub(super) fn implicit_splits(pending: &mut Vec<Pending>, flows: &mut Vec<Flow>, taken: &mut BTreeSet<String>) {
    let mut splits = Vec::new();
    for item in pending.iter() {
        let splits_here = matches!(
            item.kind,
            PendingKind::Start { .. }
                | PendingKind::Task { .. }
                | PendingKind::Timer { .. }
                | PendingKind::Boundary { .. }
                | PendingKind::EventStart { .. }
                | PendingKind::PassThrough
        );
        let outgoing = flows.iter().filter(|f| f.from == item.id).count();
        if splits_here && outgoing >= 2 && !item.id.is_empty() {
            splits.push((item.id.clone(), item.line));
        }
    }
    let mut added = Vec::new();
    for (id, line) in splits {
        let split = fresh_id(format!("{id}_split"), taken);
        let conditional = flows.iter().any(|f| f.from == id && f.condition.is_some());
        for flow in flows.iter_mut().filter(|f| f.from == id) {
            flow.from = split.clone();
        }
        let flow = fresh_id(format!("flow_{id}_{split}"), taken);
        added.push(Flow { id: flow, from: id, to: split.clone(), condition: None });
        pending.push(Pending {
            id: split,
            name: String::new(),
            line,
            kind: PendingKind::Parallel { branch_limit: None, inclusive: conditional.then_some(None) },
        });
    }
    flows.extend(added);
}
