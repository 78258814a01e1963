//! Timers until a time (BPMN `timeDate`): a fixed date-time, or the one a case variable holds.

use std::sync::Arc;

use zhengwu_core::{Channel, Role};
use zhengwu_workflow::{Case, Command, NodeKind, Process, Rejection, TimerDuration, export_bpmn, import_bpmn};

use crate::modeler::{complete, ctx, rejection};
use crate::shapes::{kinds, open, system};

const DATED: &str = r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="hearing" name="听证">
    <startEvent id="start"/>
    <userTask id="notify" name="通知听证"/>
    <boundaryEvent id="deadline" attachedToRef="notify">
      <timerEventDefinition><timeDate>#{hearingDay}</timeDate></timerEventDefinition>
    </boundaryEvent>
    <userTask id="late" name="逾期处理"/>
    <intermediateCatchEvent id="publish_at">
      <timerEventDefinition><timeDate>2025-06-10T09:00:00</timeDate></timerEventDefinition>
    </intermediateCatchEvent>
    <userTask id="publish" name="公示"/>
    <endEvent id="end"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="notify"/>
    <sequenceFlow id="f2" sourceRef="notify" targetRef="publish_at"/>
    <sequenceFlow id="f3" sourceRef="deadline" targetRef="late"/>
    <sequenceFlow id="f4" sourceRef="late" targetRef="end"/>
    <sequenceFlow id="f5" sourceRef="publish_at" targetRef="publish"/>
    <sequenceFlow id="f6" sourceRef="publish" targetRef="end"/>
  </process>
</definitions>"#;

#[test]
fn time_dates_are_read_as_a_variable_or_a_china_time() {
    let definition = import_bpmn(DATED).unwrap();
    let after = |id: &str| match &definition.nodes.iter().find(|n| n.id == id).unwrap().kind {
        NodeKind::Timer { after, .. } => after.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(after("deadline"), TimerDuration::AtVariable("hearingDay".into()));
    let TimerDuration::At(at) = after("publish_at") else { panic!() };
    assert_eq!(at.to_rfc3339(), "2025-06-10T09:00:00+08:00");
}

/// A case of [`DATED`] received with `data`, not yet accepted.
fn received(data: serde_json::Map<String, serde_json::Value>) -> Case {
    let process = Arc::new(Process::new(import_bpmn(DATED).unwrap()).unwrap());
    let mut case = Case::new(process, "S1".into(), "HC-001".into(), "bgs".into(), "530100".parse().unwrap());
    let receive = Command::Receive { channel: Channel::Window, materials: vec![], data };
    case.execute(receive, &ctx("w1", Role::WindowClerk, "bgs", "02T09:00")).unwrap();
    case
}

fn accept() -> Command {
    Command::Accept
}

#[test]
fn a_timer_fires_at_the_time_it_waits_for() {
    // Without the hearing day the notice cannot open: its deadline could never fire.
    let mut case = received(Default::default());
    let before = case.events().len();
    assert_eq!(
        rejection(case.execute(accept(), &ctx("w1", Role::WindowClerk, "bgs", "02T09:05")).unwrap_err()),
        Rejection::TimerTimeUnset { timer: "deadline".into(), variable: "hearingDay".into() }
    );
    assert_eq!(case.events().len(), before);
    // With it (a day: its start, China time), the deadline fires then.
    let mut data = serde_json::Map::new();
    data.insert("hearingDay".into(), "2025-06-05".into());
    let mut case = received(data);
    case.execute(accept(), &ctx("w1", Role::WindowClerk, "bgs", "02T09:05")).unwrap();
    assert!(kinds(case.execute(Command::Tick, &system("04T23:59")).unwrap()).is_empty());
    assert_eq!(
        kinds(case.execute(Command::Tick, &system("05T00:00")).unwrap()),
        ["timer_fired", "step_cancelled", "step_started"]
    );
    assert_eq!(open(&case), ["late"]);
}

#[test]
fn an_intermediate_timer_waits_until_its_date() {
    let mut data = serde_json::Map::new();
    data.insert("hearingDay".into(), "2025-06-30T17:00:00+08:00".into());
    let mut case = received(data);
    case.execute(accept(), &ctx("w1", Role::WindowClerk, "bgs", "02T09:05")).unwrap();
    case.execute(complete("notify"), &ctx("h1", Role::Handler, "bgs", "03T10:00")).unwrap();
    assert_eq!(open(&case), ["publish_at"]);
    assert!(kinds(case.execute(Command::Tick, &system("10T08:59")).unwrap()).is_empty());
    assert_eq!(
        kinds(case.execute(Command::Tick, &system("10T09:00")).unwrap()),
        ["timer_fired", "step_completed", "step_started"]
    );
    assert_eq!(open(&case), ["publish"]);
    let definition = import_bpmn(DATED).unwrap();
    assert_eq!(import_bpmn(&export_bpmn(&definition)).unwrap(), definition);
}
