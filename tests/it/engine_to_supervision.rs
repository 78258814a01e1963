//! The workflow engine's events are the supervision data interface: a case run by the engine,
//! with 退回, 撤回 and a suspension, is ingested by supervision without a single rejection, and its
//! clock agrees.

use std::sync::Arc;

use chrono::DateTime;
use zhengwu_core::{Actor, Calendar, Catalogue, Channel, DepartmentId, Role};
use zhengwu_supervision::{Dimension, Period, SupervisionConfig, Supervisor};
use zhengwu_tests::data_dir;
use zhengwu_workflow::{Case, CaseStatus, Command, Context, Process, import_bpmn};

fn ctx(id: &str, role: Role, department: &str, at: &str) -> Context {
    Context {
        actor: Actor { id: id.into(), name: None, role: Some(role) },
        department: department.into(),
        at: DateTime::parse_from_rfc3339(&format!("{at}:00+08:00")).unwrap(),
    }
}

fn complete(step: &str) -> Command {
    Command::Complete { step: step.into(), opinion: Some("同意".into()), data: Default::default() }
}

#[test]
fn an_engine_case_feeds_supervision_cleanly() {
    let xml = std::fs::read_to_string(data_dir().join("workflow/establish-enterprise.flowable.bpmn20.xml")).unwrap();
    let process = Arc::new(Process::new(import_bpmn(&xml).unwrap()).unwrap());
    let mut case = Case::new(process, "KB-2025-0001".into(), "KB-001".into(), "scjg".into(), "530102".parse().unwrap());
    let clerk = |at: &str| ctx("w01", Role::WindowClerk, "scjg", at);
    let handler = |department: &str, at: &str| ctx(&format!("{department}01"), Role::Handler, department, at);
    let head = |at: &str| ctx("d01", Role::DepartmentHead, "scjg", at);
    let run = |case: &mut Case, command: Command, context: Context| {
        case.execute(command, &context).unwrap_or_else(|e| panic!("{e}"));
    };
    run(
        &mut case,
        Command::Receive { channel: Channel::Window, materials: vec!["M01".into()], data: Default::default() },
        clerk("2025-03-03T09:00"),
    );
    run(&mut case, Command::Accept, clerk("2025-03-03T09:20"));
    run(&mut case, complete("accept"), clerk("2025-03-03T10:00"));
    run(&mut case, complete("register"), handler("scjg", "2025-03-04T10:00"));
    run(&mut case, Command::Recall { step: "register".into() }, handler("scjg", "2025-03-04T10:05"));
    run(&mut case, complete("register"), handler("scjg", "2025-03-04T11:00"));
    run(&mut case, complete("tax"), handler("sw", "2025-03-05T10:00"));
    // 退回 from one branch to before the fork: tax and insurance are cancelled.
    run(
        &mut case,
        Command::Return { step: "seal".into(), to: "register".into(), reason: Some("经营范围需调整".into()) },
        handler("ga", "2025-03-05T11:00"),
    );
    run(&mut case, Command::Suspend { reason: Some("申请人补充股东会决议".into()) }, head("2025-03-05T15:00"));
    run(&mut case, Command::Resume, head("2025-03-10T09:00"));
    run(&mut case, complete("register"), handler("scjg", "2025-03-10T10:00"));
    // (Three completions within minutes would be a burst the OFFLINE rule reports.)
    for (step, department, at) in
        [("tax", "sw", "2025-03-11T10:00"), ("seal", "ga", "2025-03-11T14:00"), ("insurance", "rs", "2025-03-11T16:30")]
    {
        run(&mut case, complete(step), handler(department, at));
    }
    run(&mut case, complete("deliver"), clerk("2025-03-12T09:00"));
    assert!(matches!(case.status(), CaseStatus::Concluded(_)));

    let catalogue = Catalogue::from_toml(
        r#"
        [[item]]
        code = "KB-001"
        name = "企业开办"
        department = "scjg"
        kind = "joint"
        legal_limit = { days = 45 }
        promised_limit = { days = 5 }
        "#,
        &[DepartmentId::new("scjg")],
    )
    .unwrap();
    let mut supervisor = Supervisor::new(Calendar::china(), catalogue, SupervisionConfig::default());
    let summary = supervisor.ingest_all(case.events().to_vec());
    assert_eq!(supervisor.rejections(), []);
    assert_eq!(summary.applied, case.events().len() as u64);
    let state = supervisor.case(&"KB-2025-0001".into()).unwrap();
    assert_eq!((state.returns(), state.timeline().suspensions.len()), (1, 1));
    let evaluation = supervisor.evaluate(DateTime::parse_from_rfc3339("2025-03-12T18:00:00+08:00").unwrap());
    // Accepted 2025-03-03 with a 5-working-day promise (due 2025-03-10); the suspension from
    // 03-05 to 03-10 stops 3 working days (03-06, 03-07, 03-10), so the promise moves to
    // 2025-03-13 and the conclusion on 03-12 is early: no alert. (The grant carries no
    // decision document number: that is the one finding.)
    let rules: Vec<&str> = evaluation.raised.iter().map(|id| id.split(':').nth(1).unwrap()).collect();
    assert_eq!(rules, ["ABNORMAL_END"]);
    let stats = supervisor.statistics(
        DateTime::parse_from_rfc3339("2025-03-31T00:00:00+08:00").unwrap(),
        Dimension::Total,
        Period::All,
        None,
    );
    let total = stats.row("total", "all").unwrap();
    assert_eq!((total.received, total.concluded, total.early), (1, 1, 1));
}
