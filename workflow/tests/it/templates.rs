//! The 公文 flow templates run on the case engine.

use std::sync::Arc;

use chrono::DateTime;
use zhengwu_core::{Actor, Channel, Decision, Role};
use zhengwu_workflow::{Case, CaseStatus, Command, Context, templates};

fn ctx(id: &str, role: Role, at: &str) -> Context {
    Context {
        actor: Actor { id: id.into(), name: None, role: Some(role) },
        department: "bgs".into(),
        at: DateTime::parse_from_rfc3339(&format!("{at}:00+08:00")).unwrap(),
    }
}

fn complete(step: &str, data: serde_json::Value) -> Command {
    let data = match data {
        serde_json::Value::Object(map) => map,
        _ => Default::default(),
    };
    Command::Complete { step: step.into(), opinion: Some("同意".into()), data }
}

fn open(case: &Case) -> Vec<&str> {
    let mut steps: Vec<&str> = case.open_tasks().iter().map(|t| t.step.as_str()).collect();
    steps.sort();
    steps
}

fn start(process: Arc<zhengwu_workflow::Process>, id: &str) -> Case {
    let mut case = Case::new(process, id.into(), "GW-SW".into(), "bgs".into(), "530102".parse().unwrap());
    let clerk = ctx("jy01", Role::DocumentClerk, "2025-03-10T09:00");
    case.execute(Command::Receive { channel: Channel::Online, materials: vec![], data: Default::default() }, &clerk)
        .unwrap();
    case.execute(Command::Accept, &clerk).unwrap();
    case
}

#[test]
fn the_outgoing_flow_runs_from_draft_to_dispatch_with_a_countersign() {
    let process = Arc::new(templates::outgoing_document(&["cz-head".into(), "fg-head".into()]).unwrap());
    assert_eq!(process.tasks().count(), 8);
    let mut case = start(process, "FW-2025-001");
    assert_eq!(open(&case), ["draft"]);
    case.execute(complete("draft", serde_json::json!({})), &ctx("ng01", Role::Handler, "2025-03-10T10:00")).unwrap();
    case.execute(complete("check", serde_json::json!({})), &ctx("hg01", Role::Reviewer, "2025-03-10T15:00")).unwrap();
    assert_eq!(open(&case), ["countersign"]);
    for (signer, time) in [("cz-head", "2025-03-11T09:00"), ("fg-head", "2025-03-11T10:00")] {
        case.execute(
            Command::Vote { step: "countersign".into(), approve: true, opinion: None },
            &ctx(signer, Role::DepartmentHead, time),
        )
        .unwrap();
    }
    assert_eq!(open(&case), ["sign_off"]);
    case.execute(complete("sign_off", serde_json::json!({})), &ctx("head", Role::DepartmentHead, "2025-03-11T16:00"))
        .unwrap();
    for (step, time) in [
        ("recheck", "2025-03-12T09:00"),
        ("register", "2025-03-12T10:00"),
        ("print", "2025-03-12T14:00"),
        ("dispatch", "2025-03-12T16:00"),
    ] {
        case.execute(complete(step, serde_json::json!({})), &ctx("jy01", Role::DocumentClerk, time)).unwrap();
    }
    assert_eq!(case.status(), CaseStatus::Concluded(Decision::Granted));
}

#[test]
fn the_incoming_flow_handles_circulates_and_replies() {
    let process = Arc::new(templates::incoming_document().unwrap());
    let mut case = start(process, "SW-2025-001");
    let clerk = |time| ctx("jy01", Role::DocumentClerk, time);
    case.execute(complete("sign_for", serde_json::json!({})), &clerk("2025-03-10T09:10")).unwrap();
    case.execute(complete("register", serde_json::json!({})), &clerk("2025-03-10T09:20")).unwrap();
    case.execute(
        complete("screen", serde_json::json!({"returned": false, "for_reading": false})),
        &ctx("ys01", Role::Reviewer, "2025-03-10T10:00"),
    )
    .unwrap();
    case.execute(complete("propose", serde_json::json!({})), &ctx("ys01", Role::Reviewer, "2025-03-10T11:00")).unwrap();
    case.execute(complete("instruct", serde_json::json!({})), &ctx("head", Role::DepartmentHead, "2025-03-10T15:00"))
        .unwrap();
    assert_eq!(open(&case), ["circulate", "handle"]);
    // 催办 on the open 承办 step.
    let events = case
        .execute(
            Command::Urge { step: "handle".into(), note: Some("请于3月14日前办结".into()) },
            &clerk("2025-03-11T08:00"),
        )
        .unwrap();
    assert_eq!(events[0].kind.type_name(), "task_urged");
    case.execute(complete("circulate", serde_json::json!({})), &ctx("ld01", Role::Approver, "2025-03-11T09:00"))
        .unwrap();
    case.execute(complete("handle", serde_json::json!({})), &ctx("cb01", Role::Handler, "2025-03-13T16:00")).unwrap();
    assert_eq!(open(&case), ["reply"]);
    case.execute(complete("reply", serde_json::json!({})), &ctx("cb01", Role::Handler, "2025-03-14T09:00")).unwrap();
    assert_eq!(case.status(), CaseStatus::Concluded(Decision::Granted));
}

#[test]
fn screening_can_return_the_document_or_send_it_round_for_reading() {
    let process = Arc::new(templates::incoming_document().unwrap());
    for (data, outcome, steps) in [
        (serde_json::json!({"returned": true, "for_reading": false}), Decision::Terminated, 0),
        (serde_json::json!({"returned": false, "for_reading": true}), Decision::Granted, 1),
    ] {
        let mut case = start(process.clone(), "SW-2025-002");
        let clerk = |time| ctx("jy01", Role::DocumentClerk, time);
        case.execute(complete("sign_for", serde_json::json!({})), &clerk("2025-03-10T09:10")).unwrap();
        case.execute(complete("register", serde_json::json!({})), &clerk("2025-03-10T09:20")).unwrap();
        case.execute(complete("screen", data), &ctx("ys01", Role::Reviewer, "2025-03-10T10:00")).unwrap();
        assert_eq!(open(&case).len(), steps);
        if steps == 1 {
            case.execute(
                complete("read_only", serde_json::json!({})),
                &ctx("ld01", Role::Reviewer, "2025-03-11T10:00"),
            )
            .unwrap();
        }
        assert_eq!(case.status(), CaseStatus::Concluded(outcome));
    }
}

#[test]
fn the_conclusion_carries_the_document_number_the_case_data_holds() {
    let process = Arc::new(templates::incoming_document().unwrap());
    let mut case = start(process, "SW-2025-003");
    let clerk = |time| ctx("jy01", Role::DocumentClerk, time);
    case.execute(complete("sign_for", serde_json::json!({})), &clerk("2025-03-10T09:10")).unwrap();
    case.execute(complete("register", serde_json::json!({})), &clerk("2025-03-10T09:20")).unwrap();
    let events = case
        .execute(
            complete("screen", serde_json::json!({"returned": true, "reason": "非本机关职权范围", "document_number": "昆退〔2025〕3号"})),
            &ctx("ys01", Role::Reviewer, "2025-03-10T10:00"),
        )
        .unwrap();
    match &events.last().unwrap().kind {
        zhengwu_core::EventKind::Concluded { decision, reason, document_number } => {
            assert_eq!(*decision, Decision::Terminated);
            assert_eq!(reason.as_deref(), Some("非本机关职权范围"));
            assert_eq!(document_number.as_deref(), Some("昆退〔2025〕3号"));
        }
        other => panic!("{other:?}"),
    }
}
