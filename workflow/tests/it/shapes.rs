//! What BPMN leaves implicit, made explicit on import and run: a process or subprocess drawn
//! without a start event starts at the one step nothing flows into; a step that flows nowhere ends
//! its path.

use std::sync::Arc;

use zhengwu_core::{Decision, Role};
use zhengwu_workflow::{Case, CaseStatus, NodeKind, Process, export_bpmn, import_bpmn};

use crate::modeler::{complete, ctx, receive_and_accept};

fn run(xml: &str) -> (Arc<Process>, Case) {
    let definition = import_bpmn(xml).unwrap();
    assert_eq!(import_bpmn(&export_bpmn(&definition)).unwrap(), definition, "export and re-import");
    let process = Arc::new(Process::new(definition).unwrap());
    let mut case = Case::new(process.clone(), "S1".into(), "HC-001".into(), "bgs".into(), "530100".parse().unwrap());
    receive_and_accept(&mut case, "02");
    (process, case)
}

fn open(case: &Case) -> Vec<&str> {
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
