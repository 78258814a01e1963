//! Forks whose branches end on their own (BPMN: each end consumes its branch's token; the case
//! ends when the last one does), parallel and inclusive.

use zhengwu_core::{Decision, Role};
use zhengwu_workflow::{Case, CaseStatus, Command, Process, import_bpmn};

use crate::modeler::{complete, ctx};
use crate::shapes::{kinds, open, run, system};

const PARALLEL: &str = r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="notify" name="告知">
    <startEvent id="start"/>
    <parallelGateway id="fork"/>
    <userTask id="sms" name="短信告知"/>
    <userTask id="letter" name="书面告知"/>
    <endEvent id="sms_done" name="已告知"/>
    <endEvent id="letter_done" name="不予许可"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="fork"/>
    <sequenceFlow id="f2" sourceRef="fork" targetRef="sms"/>
    <sequenceFlow id="f3" sourceRef="fork" targetRef="letter"/>
    <sequenceFlow id="f4" sourceRef="sms" targetRef="sms_done"/>
    <sequenceFlow id="f5" sourceRef="letter" targetRef="letter_done"/>
  </process>
</definitions>"#;

#[test]
fn the_case_ends_when_the_last_branch_does() {
    let (process, mut case) = run(PARALLEL);
    assert!(process.in_open_branch("sms") && process.in_open_branch("fork") && !process.in_open_branch("start"));
    assert_eq!(process.join_of("fork"), None);
    assert_eq!(process.fork_of("letter"), Some("fork"));
    assert_eq!(open(&case), ["letter", "sms"]);
    // The letter's branch ends at a 不予 end, but the SMS branch is still open.
    let events = case.execute(complete("letter"), &ctx("h1", Role::Handler, "bgs", "02T10:00")).unwrap();
    assert_eq!(kinds(events), ["step_completed"]);
    assert_eq!(case.status(), CaseStatus::Running);
    // The last branch concludes the case, with its end's outcome.
    let events = case.execute(complete("sms"), &ctx("h1", Role::Handler, "bgs", "02T11:00")).unwrap();
    assert_eq!(kinds(events), ["step_completed", "concluded"]);
    assert_eq!(case.status(), CaseStatus::Concluded(Decision::Granted));
    assert_eq!(Case::replay(process, case.events()).unwrap().snapshot(), case.snapshot());
}

#[test]
fn an_inclusive_fork_s_branch_may_end_at_once() {
    let xml = r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="p">
    <startEvent id="start"/>
    <inclusiveGateway id="choose"/>
    <endEvent id="nothing_more"/>
    <serviceTask id="archive" name="归档"/>
    <endEvent id="archived"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="choose"/>
    <sequenceFlow id="f2" sourceRef="choose" targetRef="nothing_more"/>
    <sequenceFlow id="f3" sourceRef="choose" targetRef="archive"><conditionExpression>${keep == true}</conditionExpression></sequenceFlow>
    <sequenceFlow id="f4" sourceRef="archive" targetRef="archived"/>
  </process>
</definitions>"#;
    let process = std::sync::Arc::new(Process::new(import_bpmn(xml).unwrap()).unwrap());
    let receive = |keep: bool| {
        let mut data = serde_json::Map::new();
        data.insert("keep".into(), keep.into());
        Command::Receive { channel: zhengwu_core::Channel::Window, materials: vec![], data }
    };
    let new_case = || Case::new(process.clone(), "S1".into(), "HC-001".into(), "bgs".into(), "530100".parse().unwrap());
    // Both branches: the bare one ends at once, the archive stays open.
    let mut case = new_case();
    case.execute(receive(true), &ctx("w1", Role::WindowClerk, "bgs", "02T09:00")).unwrap();
    let events = case.execute(Command::Accept, &ctx("w1", Role::WindowClerk, "bgs", "02T09:05")).unwrap();
    assert_eq!(kinds(events), ["accepted", "step_started"]);
    assert_eq!(open(&case), ["archive"]);
    case.execute(complete("archive"), &system("02T09:10")).unwrap();
    assert_eq!(case.status(), CaseStatus::Concluded(Decision::Granted));
    // Only the bare branch: the case concludes on acceptance.
    let mut case = new_case();
    case.execute(receive(false), &ctx("w1", Role::WindowClerk, "bgs", "02T09:00")).unwrap();
    let events = case.execute(Command::Accept, &ctx("w1", Role::WindowClerk, "bgs", "02T09:05")).unwrap();
    assert_eq!(kinds(events), ["accepted", "concluded"]);
}
