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

/// Flowable's `testUnbalancedForkJoin`, drawn again: three branches, two of which meet at a join
/// of their own before the fork's join.
const UNBALANCED: &str = r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="unbalanced">
    <startEvent id="start"/>
    <parallelGateway id="fork"/>
    <userTask id="task1" name="Task 1"/>
    <userTask id="task2" name="Task 2"/>
    <userTask id="task3" name="Task 3"/>
    <parallelGateway id="join"/>
    <userTask id="task4" name="Task 4"/>
    <parallelGateway id="join2"/>
    <endEvent id="end"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="fork"/>
    <sequenceFlow id="f2" sourceRef="fork" targetRef="task1"/>
    <sequenceFlow id="f3" sourceRef="fork" targetRef="task2"/>
    <sequenceFlow id="f4" sourceRef="fork" targetRef="task3"/>
    <sequenceFlow id="f5" sourceRef="task1" targetRef="join"/>
    <sequenceFlow id="f6" sourceRef="task2" targetRef="join"/>
    <sequenceFlow id="f7" sourceRef="join" targetRef="task4"/>
    <sequenceFlow id="f8" sourceRef="task3" targetRef="join2"/>
    <sequenceFlow id="f9" sourceRef="task4" targetRef="join2"/>
    <sequenceFlow id="f10" sourceRef="join2" targetRef="end"/>
  </process>
</definitions>"#;

#[test]
fn an_unbalanced_fork_and_its_joins_run_as_drawn() {
    let (process, mut case) = run(UNBALANCED);
    assert_eq!(process.join_of("fork"), Some("join2"));
    assert_eq!(open(&case), ["task1", "task2", "task3"]);
    let handler = |time: &str| ctx("h1", Role::Handler, "bgs", time);
    // Completing the first task does not pass the inner join; the second does.
    case.execute(complete("task1"), &handler("02T10:00")).unwrap();
    assert_eq!(open(&case), ["task2", "task3"]);
    case.execute(complete("task2"), &handler("02T10:10")).unwrap();
    assert_eq!(open(&case), ["task3", "task4"]);
    case.execute(complete("task3"), &handler("02T10:20")).unwrap();
    assert_eq!(case.status(), CaseStatus::Running);
    case.execute(complete("task4"), &handler("02T10:30")).unwrap();
    assert_eq!(case.status(), CaseStatus::Concluded(Decision::Granted));
    assert_eq!(Case::replay(process, case.events()).unwrap().snapshot(), case.snapshot());
}

#[test]
fn an_unbalanced_fork_with_a_choice_or_a_boundary_event_in_its_branches_is_refused() {
    let problems = |xml: &str| Process::new(import_bpmn(xml).unwrap()).unwrap_err().to_string();
    // An exclusive choice in a branch: the fork's join cannot count its arrivals.
    let choice = UNBALANCED
        .replace(r#"<userTask id="task4" name="Task 4"/>"#, r#"<exclusiveGateway id="task4" default="f9"/><endEvent id="early"/>"#)
        .replace("</process>", r#"<sequenceFlow id="f11" sourceRef="task4" targetRef="early"><conditionExpression>${x}</conditionExpression></sequenceFlow></process>"#);
    let text = problems(&choice);
    assert!(text.contains("fork `fork`"), "{text}");
    // A boundary event on a step of the branches.
    let boundary = UNBALANCED.replace(
        "</process>",
        r#"<boundaryEvent id="late" attachedToRef="task1"><timerEventDefinition><timeDuration>P1D</timeDuration></timerEventDefinition></boundaryEvent><sequenceFlow id="f12" sourceRef="late" targetRef="join"/></process>"#,
    );
    let text = problems(&boundary);
    assert!(text.contains("has boundary events, so the join cannot count on every branch"), "{text}");
}

/// BPMN's implicit splits: a step with two plain outgoing flows starts both (a parallel split);
/// flows with conditions out of a step start those whose condition holds (an inclusive split).
#[test]
fn flows_leaving_a_step_split_implicitly() {
    let xml = r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="p">
    <startEvent id="start"/>
    <userTask id="accept" name="受理"/>
    <userTask id="tax" name="税务"/>
    <userTask id="police" name="公安"/>
    <parallelGateway id="join"/>
    <userTask id="decide" name="决定"/>
    <userTask id="big" name="大额复核"/>
    <userTask id="notify" name="告知"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="accept"/>
    <sequenceFlow id="f2" sourceRef="accept" targetRef="tax"/>
    <sequenceFlow id="f3" sourceRef="accept" targetRef="police"/>
    <sequenceFlow id="f4" sourceRef="tax" targetRef="join"/>
    <sequenceFlow id="f5" sourceRef="police" targetRef="join"/>
    <sequenceFlow id="f6" sourceRef="join" targetRef="decide"/>
    <sequenceFlow id="f7" sourceRef="decide" targetRef="big"><conditionExpression>${amount &gt; 1000}</conditionExpression></sequenceFlow>
    <sequenceFlow id="f8" sourceRef="decide" targetRef="notify"/>
  </process>
</definitions>"#;
    let (process, mut case) = run(xml);
    assert!(matches!(
        process.node("accept_split").unwrap().kind,
        zhengwu_workflow::NodeKind::Fork { inclusive: false, .. }
    ));
    assert!(matches!(
        process.node("decide_split").unwrap().kind,
        zhengwu_workflow::NodeKind::Fork { inclusive: true, .. }
    ));
    let handler = |time: &str| ctx("h1", Role::Handler, "bgs", time);
    case.execute(complete("accept"), &handler("02T10:00")).unwrap();
    assert_eq!(open(&case), ["police", "tax"]);
    case.execute(complete("tax"), &handler("02T10:10")).unwrap();
    case.execute(complete("police"), &handler("02T10:20")).unwrap();
    // A small amount: only the unconditioned flow runs, and the case ends with it.
    let mut data = serde_json::Map::new();
    data.insert("amount".into(), 500.into());
    case.execute(Command::Complete { step: "decide".into(), opinion: None, data }, &handler("02T11:00")).unwrap();
    assert_eq!(open(&case), ["notify"]);
    case.execute(complete("notify"), &handler("02T11:10")).unwrap();
    assert_eq!(case.status(), CaseStatus::Concluded(Decision::Granted));
    assert_eq!(Case::replay(process, case.events()).unwrap().snapshot(), case.snapshot());
}
