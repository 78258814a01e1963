//! The formats the engine writes for others to read back, pinned by snapshots: a process
//! definition (JSON and TOML) and a case snapshot, each with its `version`.

use std::sync::Arc;

use chrono::DateTime;
use zhengwu_core::{Actor, Channel, Role};
use zhengwu_workflow::{Case, CaseSnapshot, Command, Context, DEFINITION_VERSION, Process, ProcessDefinition};

use crate::validate::establish_enterprise;

fn ctx(id: &str, role: Role, department: &str, at: &str) -> Context {
    Context {
        actor: Actor { id: id.into(), name: None, role: Some(role) },
        department: department.into(),
        at: DateTime::parse_from_rfc3339(at).unwrap(),
    }
}

fn complete(step: &str) -> Command {
    Command::Complete { step: step.into(), opinion: Some("同意".into()), data: Default::default() }
}

/// A case of the enterprise process inside its fork: one of three branches done.
fn case_in_the_fork() -> Case {
    let process = Arc::new(Process::new(establish_enterprise()).unwrap());
    let mut case = Case::new(process, "KB-1".into(), "QYKB-001".into(), "scjg".into(), "530102".parse().unwrap());
    let clerk = |at: &str| ctx("w01", Role::WindowClerk, "scjg", at);
    let handler = |department: &str, at: &str| ctx(&format!("{department}-01"), Role::Handler, department, at);
    let receive =
        Command::Receive { channel: Channel::Online, materials: vec!["章程".into()], data: Default::default() };
    case.execute(receive, &clerk("2025-03-03T09:00:00+08:00")).unwrap();
    case.execute(Command::Accept, &clerk("2025-03-03T09:10:00+08:00")).unwrap();
    case.execute(complete("accept"), &clerk("2025-03-03T09:20:00+08:00")).unwrap();
    case.execute(complete("register"), &handler("scjg", "2025-03-04T10:00:00+08:00")).unwrap();
    case.execute(complete("seal"), &handler("ga", "2025-03-05T11:00:00+08:00")).unwrap();
    case
}

#[test]
fn the_definition_format_is_pinned() {
    let definition = establish_enterprise();
    let json = definition.to_json();
    insta::assert_snapshot!("definition_v1_json", json);
    insta::assert_snapshot!("definition_v1_toml", definition.to_toml().unwrap());
    assert_eq!(ProcessDefinition::from_json(&json).unwrap(), definition);
    assert_eq!(ProcessDefinition::from_toml(&definition.to_toml().unwrap()).unwrap(), definition);
}

#[test]
fn a_definition_of_another_version_is_refused_by_name() {
    let json = establish_enterprise().to_json();
    assert!(json.starts_with(&format!("{{\n  \"version\": {DEFINITION_VERSION},")), "{json}");
    // Files written by hand without a version are read as version 1.
    let unversioned = json.replacen(&format!("\"version\": {DEFINITION_VERSION},"), "", 1);
    assert_eq!(ProcessDefinition::from_json(&unversioned).unwrap(), establish_enterprise());
    let newer = json.replacen(&format!("\"version\": {DEFINITION_VERSION},"), "\"version\": 2,", 1);
    assert_eq!(
        ProcessDefinition::from_json(&newer).unwrap_err().to_string(),
        "cannot parse process definition: format version 2 is not one this library reads (it reads version 1)"
    );
    let toml = establish_enterprise().to_toml().unwrap().replacen("version = 1", "version = \"1\"", 1);
    assert_eq!(
        ProcessDefinition::from_toml(&toml).unwrap_err().to_string(),
        "cannot parse process definition: format version 0 is not one this library reads (it reads version 1)"
    );
}

#[test]
fn the_snapshot_format_is_pinned() {
    let case = case_in_the_fork();
    let json = case.snapshot().to_json();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    insta::assert_json_snapshot!("case_snapshot_v1", value);
    let read = CaseSnapshot::from_json(&json).unwrap();
    assert_eq!(read, case.snapshot());
    // A case restored from the stored snapshot goes on as the live one does.
    let mut restored = Case::restore(case.process().clone(), read, case.events().to_vec());
    let mut live = case;
    for (department, at) in [("sw", "2025-03-06T09:00:00+08:00"), ("rs", "2025-03-06T10:00:00+08:00")] {
        let step = if department == "sw" { "tax" } else { "insurance" };
        let context = ctx(&format!("{department}-01"), Role::Handler, department, at);
        live.execute(complete(step), &context).unwrap();
        restored.execute(complete(step), &context).unwrap();
    }
    assert_eq!(restored.snapshot(), live.snapshot());
    assert_eq!(restored.open_tasks()[0].step, "deliver");
}

#[test]
fn a_snapshot_without_its_version_is_refused() {
    let json = case_in_the_fork().snapshot().to_json();
    let bare = json.replacen("\"version\":1,", "", 1);
    assert_eq!(
        CaseSnapshot::from_json(&bare).unwrap_err().to_string(),
        "cannot parse case snapshot: the `version` member is missing (version 1)"
    );
    let newer = json.replacen("\"version\":1,", "\"version\":7,", 1);
    assert!(CaseSnapshot::from_json(&newer).unwrap_err().to_string().contains("format version 7"));
}

/// The node kinds modeler files brought (boundary events with their triggers, an event start,
/// a multi-instance step, timers until a date), pinned as the definition format writes them:
/// additions to version 1, which older definitions without them read as before.
#[test]
fn the_modeler_node_kinds_are_pinned() {
    let xml = r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <message id="M" name="paid"/>
  <process id="modeler" name="建模">
    <startEvent id="start"/>
    <userTask id="review" name="审查">
      <multiInstanceLoopCharacteristics isSequential="true"><loopCardinality>${reviewers}</loopCardinality></multiInstanceLoopCharacteristics>
    </userTask>
    <boundaryEvent id="paid" attachedToRef="review" cancelActivity="false"><messageEventDefinition messageRef="M"/></boundaryEvent>
    <boundaryEvent id="failed" attachedToRef="review"><errorEventDefinition/></boundaryEvent>
    <boundaryEvent id="due" attachedToRef="review"><timerEventDefinition><timeDate>${dueAt}</timeDate></timerEventDefinition></boundaryEvent>
    <intermediateCatchEvent id="wait"><timerEventDefinition><timeDate>2025-06-30T17:00:00+08:00</timeDate></timerEventDefinition></intermediateCatchEvent>
    <endEvent id="end"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <sequenceFlow id="f2" sourceRef="review" targetRef="wait"/>
    <sequenceFlow id="f3" sourceRef="wait" targetRef="end"/>
    <sequenceFlow id="f4" sourceRef="failed" targetRef="end"/>
    <sequenceFlow id="f5" sourceRef="due" targetRef="end"/>
    <subProcess id="withdrawal" triggeredByEvent="true">
      <startEvent id="withdrawn"><signalEventDefinition signalRef="withdraw"/></startEvent>
    </subProcess>
  </process>
</definitions>"#;
    let definition = zhengwu_workflow::import_bpmn(xml).unwrap();
    Process::new(definition.clone()).unwrap();
    let json = definition.to_json();
    insta::assert_snapshot!("definition_v1_modeler_json", json);
    assert_eq!(ProcessDefinition::from_json(&json).unwrap(), definition);
    assert_eq!(ProcessDefinition::from_toml(&definition.to_toml().unwrap()).unwrap(), definition);
}
