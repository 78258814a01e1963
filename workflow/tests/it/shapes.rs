//! What BPMN leaves implicit, made explicit on import and run: a process or subprocess drawn
//! without a start event starts at the one step nothing flows into; a step that flows nowhere ends
//! its path. Boundary events (messages, signals, errors, escalations) the host reports.

use std::sync::Arc;

use zhengwu_core::{Actor, Decision, Role};
use zhengwu_workflow::{
    Case, CaseStatus, Command, Context, NodeKind, Process, Rejection, TriggerKind, export_bpmn, import_bpmn,
};

use crate::modeler::{at, complete, ctx, receive_and_accept, rejection};

pub(crate) fn run(xml: &str) -> (Arc<Process>, Case) {
    let definition = import_bpmn(xml).unwrap();
    assert_eq!(import_bpmn(&export_bpmn(&definition)).unwrap(), definition, "export and re-import");
    let process = Arc::new(Process::new(definition).unwrap());
    let mut case = Case::new(process.clone(), "S1".into(), "HC-001".into(), "bgs".into(), "530100".parse().unwrap());
    receive_and_accept(&mut case, "02");
    (process, case)
}

pub(crate) fn open(case: &Case) -> Vec<&str> {
    let mut open: Vec<&str> = case.open_tasks().iter().map(|t| t.step.as_str()).collect();
    open.sort_unstable();
    open
}

#[test]
fn a_process_without_start_or_end_events_runs_from_its_first_step_to_its_last() {
    let xml = r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="p" name="简易">
    <userTask id="check" name="审查"/>
    <userTask id="sign" name="签发"/>
    <sequenceFlow id="f1" sourceRef="check" targetRef="sign"/>
  </process>
</definitions>"#;
    let (process, mut case) = run(xml);
    assert_eq!(process.start().id, "check_start");
    assert_eq!(process.outgoing("sign")[0].to, "sign_end");
    assert!(matches!(process.node("sign_end").unwrap().kind, NodeKind::End { outcome: Decision::Granted }));
    assert_eq!(open(&case), ["check"]);
    case.execute(complete("check"), &ctx("h1", Role::Handler, "bgs", "02T10:00")).unwrap();
    assert_eq!(open(&case), ["sign"]);
    case.execute(complete("sign"), &ctx("h1", Role::Handler, "bgs", "02T11:00")).unwrap();
    assert_eq!(case.status(), CaseStatus::Concluded(Decision::Granted));
}

#[test]
fn a_start_event_alone_is_a_process_that_ends_at_once() {
    let xml = r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="p"><startEvent id="s"/></process>
</definitions>"#;
    let definition = import_bpmn(xml).unwrap();
    assert_eq!(definition.nodes.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(), ["s", "s_end"]);
    Process::new(definition).unwrap();
}

#[test]
fn implicit_ids_do_not_take_ids_the_file_uses() {
    let xml = r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="p">
    <startEvent id="s"/>
    <userTask id="t"/>
    <userTask id="t_end"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
  </process>
</definitions>"#;
    let error = import_bpmn(xml).map(Process::new).unwrap().unwrap_err().to_string();
    // `t_end` is the file's task (unreachable), so `t`'s implicit end is `t_end_2`.
    assert!(error.contains("task `t_end`: cannot be reached from the start"), "{error}");
    let definition = import_bpmn(xml).unwrap();
    assert!(definition.nodes.iter().any(|n| n.id == "t_end_2" && matches!(n.kind, NodeKind::End { .. })));
}

#[test]
fn a_subprocess_without_start_or_end_events_runs_inline() {
    let xml = r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="p">
    <startEvent id="start"/>
    <subProcess id="site" name="现场核查">
      <userTask id="photos" name="拍照"/>
      <userTask id="measure" name="测量"/>
      <sequenceFlow id="s1" sourceRef="photos" targetRef="measure"/>
    </subProcess>
    <userTask id="decide" name="决定"/>
    <endEvent id="end"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="site"/>
    <sequenceFlow id="f2" sourceRef="site" targetRef="decide"/>
    <sequenceFlow id="f3" sourceRef="decide" targetRef="end"/>
  </process>
</definitions>"#;
    let (process, mut case) = run(xml);
    assert_eq!(process.outgoing("start")[0].to, "photos");
    assert_eq!(process.outgoing("measure")[0].to, "site");
    assert_eq!(open(&case), ["photos"]);
    case.execute(complete("photos"), &ctx("h1", Role::Handler, "bgs", "02T10:00")).unwrap();
    case.execute(complete("measure"), &ctx("h1", Role::Handler, "bgs", "02T10:30")).unwrap();
    assert_eq!(open(&case), ["decide"]);
    case.execute(complete("decide"), &ctx("h1", Role::Handler, "bgs", "02T11:00")).unwrap();
    assert_eq!(case.status(), CaseStatus::Concluded(Decision::Granted));
}

#[test]
fn a_subprocess_with_two_first_steps_is_refused_naming_them() {
    let xml = r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="p">
    <startEvent id="start"/>
    <subProcess id="site">
      <userTask id="photos"/>
      <userTask id="measure"/>
    </subProcess>
    <endEvent id="end"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="site"/>
    <sequenceFlow id="f2" sourceRef="site" targetRef="end"/>
  </process>
</definitions>"#;
    let error = import_bpmn(xml).unwrap_err().to_string();
    assert!(
        error.contains("subprocess `site` has no start event and 2 steps nothing flows into; draw its start event"),
        "{error}"
    );
}

/// Boundary events the host reports with `Command::Catch`: a payment message that interrupts the
/// wait, a signal that opens a reminder beside the open review, an error an automatic step ends
/// in (the external-task pattern), each named by its declaration or its id.
const BOUNDARIES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn">
  <message id="Message_paid" name="fee-paid"/>
  <signal id="Signal_recall" name="policy-changed"/>
  <error id="Error_blacklist" errorCode="BLACKLISTED"/>
  <process id="licence" name="许可证制发">
    <startEvent id="start"/>
    <serviceTask id="check" name="查询信用" camunda:type="external" camunda:topic="credit"/>
    <boundaryEvent id="listed" attachedToRef="check"><errorEventDefinition errorRef="Error_blacklist"/></boundaryEvent>
    <boundaryEvent id="failed" attachedToRef="check"><errorEventDefinition/></boundaryEvent>
    <userTask id="review" name="审查"/>
    <boundaryEvent id="changed" attachedToRef="review" cancelActivity="false">
      <signalEventDefinition signalRef="Signal_recall"/>
    </boundaryEvent>
    <userTask id="recheck" name="按新政复核"/>
    <receiveTask id="await_fee" name="等待缴费"/>
    <boundaryEvent id="paid" attachedToRef="await_fee"><messageEventDefinition messageRef="Message_paid"/></boundaryEvent>
    <userTask id="sign" name="签发"/>
    <endEvent id="granted" name="准予"/>
    <endEvent id="refused" name="不予许可"/>
    <endEvent id="terminated" name="终止"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="check"/>
    <sequenceFlow id="f2" sourceRef="check" targetRef="review"/>
    <sequenceFlow id="f3" sourceRef="listed" targetRef="refused"/>
    <sequenceFlow id="f4" sourceRef="failed" targetRef="terminated"/>
    <sequenceFlow id="f5" sourceRef="review" targetRef="await_fee"/>
    <sequenceFlow id="f6" sourceRef="changed" targetRef="recheck"/>
    <sequenceFlow id="f7" sourceRef="recheck" targetRef="granted"/>
    <sequenceFlow id="f8" sourceRef="paid" targetRef="sign"/>
    <sequenceFlow id="f9" sourceRef="await_fee" targetRef="terminated"/>
    <sequenceFlow id="f10" sourceRef="sign" targetRef="granted"/>
  </process>
</definitions>"#;

pub(crate) fn system(time: &str) -> Context {
    Context { actor: Actor { id: "gateway".into(), name: None, role: None }, department: "bgs".into(), at: at(time) }
}

fn catch(event: &str) -> Command {
    Command::Catch { event: event.into(), data: Default::default() }
}

pub(crate) fn kinds(events: &[zhengwu_core::CaseEvent]) -> Vec<&'static str> {
    events.iter().map(|e| e.kind.type_name()).collect()
}

#[test]
fn boundary_events_are_read_with_their_declarations_and_export_as_themselves() {
    let definition = import_bpmn(BOUNDARIES).unwrap();
    let process = Process::new(definition.clone()).unwrap();
    let trigger = |id: &str| match &process.node(id).unwrap().kind {
        NodeKind::Boundary { trigger, interrupting, attached_to } => {
            (trigger.kind, trigger.name.clone(), *interrupting, attached_to.clone())
        }
        other => panic!("{id}: {other:?}"),
    };
    assert_eq!(trigger("listed"), (TriggerKind::Error, Some("BLACKLISTED".into()), true, "check".into()));
    assert_eq!(trigger("failed"), (TriggerKind::Error, None, true, "check".into()));
    assert_eq!(trigger("changed"), (TriggerKind::Signal, Some("policy-changed".into()), false, "review".into()));
    assert_eq!(trigger("paid"), (TriggerKind::Message, Some("fee-paid".into()), true, "await_fee".into()));
    assert_eq!(process.boundary_events_of("check"), ["listed", "failed"]);
    let exported = export_bpmn(&definition);
    assert!(exported.contains(r#"<error id="error_listed" errorCode="BLACKLISTED"/>"#), "{exported}");
    assert_eq!(import_bpmn(&exported).unwrap(), definition);
}

#[test]
fn a_message_interrupts_the_wait_and_a_signal_opens_a_path_beside_the_step() {
    let (process, mut case) = run(BOUNDARIES);
    case.execute(complete("check"), &system("02T09:10")).unwrap();
    // Nothing waits for a payment yet: the wait has not opened.
    assert_eq!(
        rejection(case.execute(catch("fee-paid"), &system("02T09:20")).unwrap_err()),
        Rejection::NotAwaited { event: "fee-paid".into() }
    );
    // The policy changes while the review is open: a recheck opens beside it.
    let events = case.execute(catch("policy-changed"), &system("02T10:00")).unwrap();
    assert_eq!(kinds(events), ["event_caught", "step_started"]);
    assert_eq!(open(&case), ["recheck", "review"]);
    case.execute(complete("review"), &ctx("h1", Role::Handler, "bgs", "02T11:00")).unwrap();
    assert_eq!(open(&case), ["await_fee", "recheck"]);
    // The gateway reports the payment by its message name, with the receipt number.
    let mut data = serde_json::Map::new();
    data.insert("receipt".into(), "PJ-0042".into());
    let events = case.execute(Command::Catch { event: "fee-paid".into(), data }, &system("03T15:20")).unwrap();
    assert_eq!(kinds(events), ["data_recorded", "event_caught", "step_cancelled", "step_started"]);
    assert_eq!(open(&case), ["recheck", "sign"]);
    assert_eq!(case.data()["receipt"], "PJ-0042");
    // The recheck's path ends on its own; signing concludes the case.
    case.execute(complete("recheck"), &ctx("h1", Role::Handler, "bgs", "03T16:00")).unwrap();
    assert_eq!(case.status(), CaseStatus::Running);
    case.execute(complete("sign"), &ctx("h1", Role::Handler, "bgs", "03T17:00")).unwrap();
    assert_eq!(case.status(), CaseStatus::Concluded(Decision::Granted));
    assert_eq!(Case::replay(process, case.events()).unwrap().snapshot(), case.snapshot());
}

#[test]
fn an_automatic_step_that_fails_takes_its_error_path() {
    let (_, mut case) = run(BOUNDARIES);
    // Two error events wait on the check: a code chooses one, an unnamed error needs the id.
    let events = case.execute(catch("BLACKLISTED"), &system("02T09:10")).unwrap();
    assert_eq!(kinds(events), ["event_caught", "step_cancelled", "concluded"]);
    assert_eq!(case.status(), CaseStatus::Concluded(Decision::Refused));

    let (_, mut case) = run(BOUNDARIES);
    let before = case.events().len();
    assert_eq!(
        rejection(case.execute(catch("TIMEOUT"), &system("02T09:10")).unwrap_err()),
        Rejection::NotAwaited { event: "TIMEOUT".into() }
    );
    assert_eq!(case.events().len(), before, "a refused command records nothing");
    case.execute(catch("failed"), &system("02T09:10")).unwrap();
    assert_eq!(case.status(), CaseStatus::Concluded(Decision::Terminated));
}

#[test]
fn a_name_two_open_steps_wait_for_must_be_told_apart_by_id() {
    let xml = r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="p">
    <startEvent id="s"/>
    <parallelGateway id="fork"/>
    <userTask id="a"/><userTask id="b"/>
    <boundaryEvent id="a_stop" attachedToRef="a" cancelActivity="false"><signalEventDefinition signalRef="stop"/></boundaryEvent>
    <boundaryEvent id="b_stop" attachedToRef="b" cancelActivity="false"><signalEventDefinition signalRef="stop"/></boundaryEvent>
    <parallelGateway id="join"/>
    <endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="fork"/>
    <sequenceFlow id="f2" sourceRef="fork" targetRef="a"/>
    <sequenceFlow id="f3" sourceRef="fork" targetRef="b"/>
    <sequenceFlow id="f4" sourceRef="a" targetRef="join"/>
    <sequenceFlow id="f5" sourceRef="b" targetRef="join"/>
    <sequenceFlow id="f6" sourceRef="join" targetRef="e"/>
  </process>
</definitions>"#;
    let (_, mut case) = run(xml);
    assert_eq!(
        rejection(case.execute(catch("stop"), &system("02T10:00")).unwrap_err()),
        Rejection::AmbiguousEvent { event: "stop".into(), boundaries: vec!["a_stop".into(), "b_stop".into()] }
    );
    // By id, one fires; its path (an implicit end) closes at once and the step stays open.
    let events = case.execute(catch("b_stop"), &system("02T10:00")).unwrap();
    assert_eq!(kinds(events)[0], "event_caught");
    assert_eq!(open(&case), ["a", "b"]);
}

#[test]
fn an_error_event_cannot_leave_its_step_open() {
    let xml = r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="p">
    <startEvent id="s"/>
    <serviceTask id="t"/>
    <boundaryEvent id="oops" attachedToRef="t" cancelActivity="false"><errorEventDefinition/></boundaryEvent>
    <endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
    <sequenceFlow id="f3" sourceRef="oops" targetRef="e"/>
  </process>
</definitions>"#;
    let error = Process::new(import_bpmn(xml).unwrap()).unwrap_err().to_string();
    assert!(
        error.contains(
            "node `oops` (boundary event): catches an error, which always ends the step: it cannot leave it open"
        ),
        "{error}"
    );
}

/// 多实例 counted by `loopCardinality`: three experts' reviews of which two complete the step,
/// then as many certificate prints as the case variable `copies` says, done by the host.
const INSTANCES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn">
  <process id="review" name="专家评审">
    <startEvent id="start"/>
    <userTask id="experts" name="专家评审">
      <multiInstanceLoopCharacteristics isSequential="false">
        <loopCardinality>3</loopCardinality>
        <completionCondition>${nrOfCompletedInstances/nrOfInstances &gt; 0.5}</completionCondition>
      </multiInstanceLoopCharacteristics>
    </userTask>
    <serviceTask id="print" name="打印证书" camunda:type="external" camunda:topic="print">
      <multiInstanceLoopCharacteristics isSequential="true">
        <loopCardinality>${copies}</loopCardinality>
      </multiInstanceLoopCharacteristics>
    </serviceTask>
    <endEvent id="end" name="准予"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="experts"/>
    <sequenceFlow id="f2" sourceRef="experts" targetRef="print"/>
    <sequenceFlow id="f3" sourceRef="print" targetRef="end"/>
  </process>
</definitions>"#;

#[test]
fn a_step_counted_by_loop_cardinality_completes_when_enough_instances_are_done() {
    use zhengwu_workflow::{CompletionPolicy, InstanceCount, Instances, SigningOrder};
    let definition = import_bpmn(INSTANCES).unwrap();
    let instances = |id: &str| match &definition.nodes.iter().find(|n| n.id == id).unwrap().kind {
        NodeKind::Task { instances, countersign: None, .. } => instances.clone().unwrap(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        instances("experts"),
        Instances { count: InstanceCount::Fixed(3), policy: CompletionPolicy::Majority, order: SigningOrder::Parallel }
    );
    assert_eq!(instances("print").count, InstanceCount::Variable("copies".into()));
    let (process, mut case) = run(INSTANCES);
    let expert = |id: &str, time: &str| ctx(id, Role::Handler, "bgs", time);
    let with_opinion = |opinion: &str| Command::Complete {
        step: "experts".into(),
        opinion: Some(opinion.into()),
        data: Default::default(),
    };
    let events = case.execute(with_opinion("同意"), &expert("h1", "02T10:00")).unwrap();
    assert_eq!(kinds(events), ["instance_completed"]);
    assert_eq!(open(&case), ["experts"]);
    // Two of three complete it; `copies` is not set, so the prints cannot open: nothing changes.
    let before = case.events().len();
    assert_eq!(
        rejection(case.execute(with_opinion("同意"), &expert("h2", "02T11:00")).unwrap_err()),
        Rejection::InstancesUnset { step: "print".into(), variable: "copies".into() }
    );
    assert_eq!(case.events().len(), before);
    let mut data = serde_json::Map::new();
    data.insert("copies".into(), 2.into());
    let second = Command::Complete { step: "experts".into(), opinion: None, data };
    assert_eq!(
        kinds(case.execute(second, &expert("h2", "02T11:00")).unwrap()),
        ["data_recorded", "step_completed", "step_started"]
    );
    // The host prints twice.
    assert_eq!(kinds(case.execute(complete("print"), &system("02T11:05")).unwrap()), ["instance_completed"]);
    assert_eq!(kinds(case.execute(complete("print"), &system("02T11:06")).unwrap()), ["step_completed", "concluded"]);
    assert_eq!(case.status(), CaseStatus::Concluded(Decision::Granted));
    let instances: Vec<u32> = case
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            zhengwu_core::EventKind::InstanceCompleted { instance, .. } => Some(*instance),
            _ => None,
        })
        .collect();
    assert_eq!(instances, [1, 1]);
    assert_eq!(Case::replay(process, case.events()).unwrap().snapshot(), case.snapshot());
    let definition = import_bpmn(INSTANCES).unwrap();
    assert_eq!(import_bpmn(&export_bpmn(&definition)).unwrap(), definition);
}

#[test]
fn instance_counts_that_cannot_run_are_refused_by_name() {
    let with = |multi: &str| {
        format!(
            r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn">
  <process id="p"><startEvent id="s"/>
    <userTask id="t">{multi}</userTask>
    <endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="t"/><sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
  </process>
</definitions>"#
        )
    };
    let problems = |multi: &str| match import_bpmn(&with(multi)) {
        Err(error) => error.to_string(),
        Ok(definition) => Process::new(definition).map(|_| String::new()).unwrap_or_else(|e| e.to_string()),
    };
    let cases = [
        (
            "<multiInstanceLoopCharacteristics><loopCardinality/></multiInstanceLoopCharacteristics>",
            "task `t`: its loopCardinality is empty",
        ),
        (
            "<multiInstanceLoopCharacteristics><loopCardinality>${list.size()}</loopCardinality></multiInstanceLoopCharacteristics>",
            "task `t`: loopCardinality `${list.size()}` is not a number or a case variable",
        ),
        (
            "<multiInstanceLoopCharacteristics><loopCardinality>0</loopCardinality></multiInstanceLoopCharacteristics>",
            "task `t`: runs 0 instances; from 1 to 1000 are run",
        ),
        (
            r#"<multiInstanceLoopCharacteristics camunda:collection="${a}" camunda:elementVariable="x"><loopCardinality>2</loopCardinality></multiInstanceLoopCharacteristics>"#,
            "by loopCardinality or by a collection, not both",
        ),
    ];
    for (multi, expected) in cases {
        let text = problems(multi);
        assert!(text.contains(expected), "{multi}: {text}");
    }
}

/// Event subprocesses at the process level: a withdrawal message that ends every open step and
/// runs its own path to 终止, and a policy signal that opens a note beside the steps.
const EVENT_SUBPROCESSES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <message id="Message_withdraw" name="withdrawn-online"/>
  <process id="permit" name="许可">
    <startEvent id="start"/>
    <parallelGateway id="fork"/>
    <userTask id="tax" name="税务"/>
    <userTask id="police" name="公安"/>
    <parallelGateway id="join"/>
    <endEvent id="granted" name="准予"/>
    <subProcess id="withdrawal" triggeredByEvent="true">
      <startEvent id="withdraw"><messageEventDefinition messageRef="Message_withdraw"/></startEvent>
      <userTask id="close" name="撤件登记"/>
      <endEvent id="ended" name="终止"/>
      <sequenceFlow id="w1" sourceRef="withdraw" targetRef="close"/>
      <sequenceFlow id="w2" sourceRef="close" targetRef="ended"/>
    </subProcess>
    <subProcess id="policy" triggeredByEvent="true">
      <startEvent id="changed" isInterrupting="false"><signalEventDefinition signalRef="policy-changed"/></startEvent>
      <userTask id="note" name="记录新政"/>
      <sequenceFlow id="p1" sourceRef="changed" targetRef="note"/>
    </subProcess>
    <sequenceFlow id="f1" sourceRef="start" targetRef="fork"/>
    <sequenceFlow id="f2" sourceRef="fork" targetRef="tax"/>
    <sequenceFlow id="f3" sourceRef="fork" targetRef="police"/>
    <sequenceFlow id="f4" sourceRef="tax" targetRef="join"/>
    <sequenceFlow id="f5" sourceRef="police" targetRef="join"/>
    <sequenceFlow id="f6" sourceRef="join" targetRef="granted"/>
  </process>
</definitions>"#;

#[test]
fn an_event_subprocess_waits_while_the_case_runs() {
    let (process, mut case) = run(EVENT_SUBPROCESSES);
    let starts: Vec<&str> = process.event_starts().map(|n| n.id.as_str()).collect();
    assert_eq!(starts, ["withdraw", "changed"]);
    // The non-interrupting signal opens a note beside the branches; its path ends on its own.
    assert_eq!(
        kinds(case.execute(catch("policy-changed"), &system("02T10:00")).unwrap()),
        ["event_caught", "step_started"]
    );
    assert_eq!(open(&case), ["note", "police", "tax"]);
    assert_eq!(
        kinds(case.execute(complete("note"), &ctx("h1", Role::Handler, "bgs", "02T10:30")).unwrap()),
        ["step_completed"]
    );
    case.execute(complete("tax"), &ctx("h1", Role::Handler, "bgs", "02T11:00")).unwrap();
    // The applicant withdraws online: the open branch ends, the withdrawal's path runs.
    let events = case.execute(catch("withdrawn-online"), &system("02T12:00")).unwrap();
    assert_eq!(kinds(events), ["event_caught", "step_cancelled", "step_started"]);
    assert_eq!(open(&case), ["close"]);
    case.execute(complete("close"), &ctx("h1", Role::Handler, "bgs", "02T12:10")).unwrap();
    assert_eq!(case.status(), CaseStatus::Concluded(Decision::Terminated));
    assert_eq!(Case::replay(process, case.events()).unwrap().snapshot(), case.snapshot());
}

#[test]
fn event_subprocesses_export_as_event_subprocesses() {
    let definition = import_bpmn(EVENT_SUBPROCESSES).unwrap();
    // The event paths come last, each with its flows (the implicit end of `note` too).
    let ids: Vec<&str> = definition.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "start", "fork", "tax", "police", "join", "granted", "withdraw", "close", "ended", "changed", "note",
            "note_end"
        ]
    );
    let exported = export_bpmn(&definition);
    assert!(exported.contains(r#"<subProcess id="withdraw_events" triggeredByEvent="true">"#), "{exported}");
    assert!(exported.contains(r#"<startEvent id="changed" name="" isInterrupting="false">"#), "{exported}");
    assert_eq!(import_bpmn(&exported).unwrap(), definition);
}

#[test]
fn event_subprocesses_that_cannot_run_are_refused_by_name() {
    let nested = r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="p"><startEvent id="s"/>
    <subProcess id="outer">
      <startEvent id="os"/><userTask id="t"/><endEvent id="oe"/>
      <sequenceFlow id="o1" sourceRef="os" targetRef="t"/><sequenceFlow id="o2" sourceRef="t" targetRef="oe"/>
      <subProcess id="inner" triggeredByEvent="true"><startEvent id="is"><signalEventDefinition/></startEvent></subProcess>
    </subProcess>
    <endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="outer"/><sequenceFlow id="f2" sourceRef="outer" targetRef="e"/>
  </process>
</definitions>"#;
    let error = import_bpmn(nested).unwrap_err().to_string();
    assert!(error.contains("event subprocess `inner` inside a subprocess is not supported yet"), "{error}");
    let timer = r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="p"><startEvent id="s"/><endEvent id="e"/><sequenceFlow id="f1" sourceRef="s" targetRef="e"/>
    <subProcess id="late" triggeredByEvent="true">
      <startEvent id="ls"><timerEventDefinition><timeDuration>P1D</timeDuration></timerEventDefinition></startEvent>
    </subProcess>
  </process>
</definitions>"#;
    let error = import_bpmn(timer).unwrap_err().to_string();
    assert!(error.contains("event subprocess `late` starts on a timer event"), "{error}");
    let joining = r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="p"><startEvent id="s"/><userTask id="t"/><endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="t"/><sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
    <subProcess id="x" triggeredByEvent="true">
      <startEvent id="xs"><messageEventDefinition messageRef="m"/></startEvent>
    </subProcess>
    <sequenceFlow id="f3" sourceRef="xs" targetRef="t"/>
  </process>
</definitions>"#;
    let error = Process::new(import_bpmn(joining).unwrap()).unwrap_err().to_string();
    assert!(error.contains("node `xs` (event start): its path joins the process at `t`"), "{error}");
}
