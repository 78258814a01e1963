//! Running cases: parallel approval, conditions, countersigns, 退回, 撤回, 转办, 挂起, and replay.

use std::sync::Arc;

use chrono::DateTime;
use zhengwu_core::{Actor, Channel, Decision, EventKind, ItemKind, Role, TimeLimit};
use zhengwu_workflow::{
    Assignee, Case, CaseSnapshot, CaseStatus, Command, CompletionPolicy, Context, Error, Process, ProcessBuilder,
    SigningOrder,
};

use crate::validate::establish_enterprise;

fn ctx(id: &str, role: Option<Role>, department: &str, at: &str) -> Context {
    Context {
        actor: Actor { id: id.into(), name: None, role },
        department: department.into(),
        at: DateTime::parse_from_rfc3339(&format!("{at}:00+08:00")).unwrap(),
    }
}

fn clerk(at: &str) -> Context {
    ctx("w01", Some(Role::WindowClerk), "scjg", at)
}

fn dept(department: &str, at: &str) -> Context {
    ctx(&format!("{department}-01"), Some(Role::Handler), department, at)
}

fn complete(step: &str) -> Command {
    Command::Complete { step: step.into(), opinion: Some("同意".into()), data: Default::default() }
}

fn open(case: &Case) -> Vec<&str> {
    let mut steps: Vec<&str> = case.open_tasks().iter().map(|t| t.step.as_str()).collect();
    steps.sort();
    steps
}

/// Replaying the case's events gives the live state.
fn assert_replays(case: &Case) {
    let replayed = Case::replay(case.process().clone(), case.events()).unwrap();
    assert_eq!(replayed.snapshot(), case.snapshot());
}

fn started(process: &Arc<Process>) -> Case {
    let mut case = Case::new(process.clone(), "E1".into(), "SCJG-KB".into(), "scjg".into(), "530102".parse().unwrap());
    case.execute(
        Command::Receive { channel: Channel::Online, materials: vec!["M01".into()], data: Default::default() },
        &clerk("2025-03-03T09:00"),
    )
    .unwrap();
    case.execute(Command::Accept, &clerk("2025-03-03T09:30")).unwrap();
    case
}

fn enterprise() -> Arc<Process> {
    Arc::new(Process::new(establish_enterprise()).unwrap())
}

#[test]
fn parallel_branches_complete_independently_and_the_join_fires_once() {
    let process = enterprise();
    let mut case = started(&process);
    assert_eq!(open(&case), ["accept"]);
    case.execute(complete("accept"), &clerk("2025-03-03T10:00")).unwrap();
    case.execute(complete("register"), &dept("scjg", "2025-03-04T10:00")).unwrap();
    assert_eq!(open(&case), ["insurance", "seal", "tax"]);
    // Each branch by its own department; another department may not act on it.
    let error = case.execute(complete("tax"), &dept("ga", "2025-03-05T10:00")).unwrap_err();
    assert_eq!(error.to_string(), "case `E1`: step `tax` belongs to department `sw`, not `ga`");
    case.execute(complete("seal"), &dept("ga", "2025-03-05T10:00")).unwrap();
    case.execute(complete("tax"), &dept("sw", "2025-03-05T11:00")).unwrap();
    assert_eq!(open(&case), ["insurance"]);
    let events = case.execute(complete("insurance"), &dept("rs", "2025-03-05T15:00")).unwrap();
    // The last branch fires the join, which opens 统一出件 once.
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.type_name()).collect();
    assert_eq!(kinds, ["step_completed", "step_started"]);
    assert_eq!(open(&case), ["deliver"]);
    let events = case.execute(complete("deliver"), &clerk("2025-03-06T09:00")).unwrap();
    assert!(matches!(events.last().unwrap().kind, EventKind::Concluded { decision: Decision::Granted, .. }));
    assert_eq!(case.status(), CaseStatus::Concluded(Decision::Granted));
    assert_eq!(case.events().len(), 15);
    assert_replays(&case);
    // Closed: nothing more.
    let error =
        case.execute(Command::Urge { step: "deliver".into(), note: None }, &clerk("2025-03-07T09:00")).unwrap_err();
    assert_eq!(error.to_string(), "case `E1`: the case is closed (Concluded(Granted))");
}

#[test]
fn returning_inside_a_branch_after_a_join_and_out_of_a_fork() {
    let process = enterprise();
    let mut case = started(&process);
    case.execute(complete("accept"), &clerk("2025-03-03T10:00")).unwrap();
    case.execute(complete("register"), &dept("scjg", "2025-03-04T10:00")).unwrap();
    case.execute(complete("tax"), &dept("sw", "2025-03-05T10:00")).unwrap();
    // Returnable steps from 公安刻章: the completed upstream tasks.
    assert_eq!(case.returnable("seal"), ["accept", "register"]);
    // 退回 from inside one branch to before the fork: the whole parallel section starts again.
    case.execute(
        Command::Return { step: "seal".into(), to: "register".into(), reason: Some("登记信息有误".into()) },
        &dept("ga", "2025-03-05T11:00"),
    )
    .unwrap();
    assert_eq!(open(&case), ["register"]);
    case.execute(complete("register"), &dept("scjg", "2025-03-06T10:00")).unwrap();
    assert_eq!(open(&case), ["insurance", "seal", "tax"]);
    for (step, department) in [("tax", "sw"), ("seal", "ga"), ("insurance", "rs")] {
        case.execute(complete(step), &dept(department, "2025-03-07T10:00")).unwrap();
    }
    assert_eq!(open(&case), ["deliver"]);
    // 退回 from after the join to one branch: only that branch re-opens; the join waits for it.
    case.execute(
        Command::Return { step: "deliver".into(), to: "seal".into(), reason: Some("印章备案号缺失".into()) },
        &clerk("2025-03-10T09:00"),
    )
    .unwrap();
    assert_eq!(open(&case), ["seal"]);
    case.execute(complete("seal"), &dept("ga", "2025-03-10T10:00")).unwrap();
    assert_eq!(open(&case), ["deliver"]);
    // Returning to a step that never ran, or downstream, is refused with the candidates.
    let error = case
        .execute(
            Command::Return { step: "deliver".into(), to: "granted".into(), reason: None },
            &clerk("2025-03-10T11:00"),
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "case `E1`: step `deliver` cannot be returned to `granted` (returnable: accept, register, tax, seal, insurance)"
    );
    assert_replays(&case);
}

#[test]
fn returning_within_one_branch_leaves_the_others_running() {
    // A branch with two steps.
    let process = Arc::new(
        Process::new(
            ProcessBuilder::new("two-step-branch", "")
                .start("start")
                .task("accept", "受理", Assignee::Role(Role::WindowClerk))
                .fork("fork", TimeLimit::working_days(7))
                .department_task("check", "税务审核", "sw", TimeLimit::working_days(2))
                .department_task("issue", "税务发证", "sw", TimeLimit::working_days(2))
                .department_task("seal", "公安刻章", "ga", TimeLimit::working_days(2))
                .join("join")
                .end("end", "准予", Decision::Granted)
                .chain(&["start", "accept", "fork", "check", "issue", "join"])
                .chain(&["fork", "seal", "join", "end"])
                .build(),
        )
        .unwrap(),
    );
    let mut case = started(&process);
    case.execute(complete("accept"), &clerk("2025-03-03T10:00")).unwrap();
    case.execute(complete("check"), &dept("sw", "2025-03-04T10:00")).unwrap();
    assert_eq!(open(&case), ["issue", "seal"]);
    case.execute(
        Command::Return { step: "issue".into(), to: "check".into(), reason: None },
        &dept("sw", "2025-03-04T11:00"),
    )
    .unwrap();
    assert_eq!(open(&case), ["check", "seal"]);
    case.execute(complete("seal"), &dept("ga", "2025-03-04T12:00")).unwrap();
    case.execute(complete("check"), &dept("sw", "2025-03-05T10:00")).unwrap();
    case.execute(complete("issue"), &dept("sw", "2025-03-05T11:00")).unwrap();
    assert_eq!(case.status(), CaseStatus::Concluded(Decision::Granted));
    assert_replays(&case);
}

#[test]
fn recall_takes_back_the_latest_completion_before_anyone_acts() {
    let process = enterprise();
    let mut case = started(&process);
    case.execute(complete("accept"), &clerk("2025-03-03T10:00")).unwrap();
    case.execute(complete("register"), &dept("scjg", "2025-03-04T10:00")).unwrap();
    // Someone else may not recall it.
    let error = case.execute(Command::Recall { step: "register".into() }, &clerk("2025-03-04T10:30")).unwrap_err();
    assert_eq!(error.to_string(), "case `E1`: only `scjg-01`, who completed `register`, may recall it");
    case.execute(Command::Recall { step: "register".into() }, &dept("scjg", "2025-03-04T10:31")).unwrap();
    assert_eq!(open(&case), ["register"]);
    case.execute(complete("register"), &dept("scjg", "2025-03-04T11:00")).unwrap();
    case.execute(complete("tax"), &dept("sw", "2025-03-04T12:00")).unwrap();
    let error =
        case.execute(Command::Recall { step: "register".into() }, &dept("scjg", "2025-03-04T12:30")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "case `E1`: `tax` was completed after `register`; only the latest completion can be recalled"
    );
    assert_replays(&case);
}

#[test]
fn countersigns_follow_their_policy_and_order() {
    let process = Arc::new(
        Process::new(
            ProcessBuilder::new("sign", "")
                .start("start")
                .countersign(
                    "experts",
                    "专家评审",
                    &["a", "b", "c"],
                    CompletionPolicy::Ratio(0.6),
                    SigningOrder::Parallel,
                )
                .countersign("leaders", "领导签批", &["x", "y"], CompletionPolicy::Veto, SigningOrder::Sequential)
                .exclusive("result", Some("ok"))
                .end("granted", "准予", Decision::Granted)
                .end("refused", "不予许可", Decision::Refused)
                .chain(&["start", "experts", "leaders", "result"])
                .flow("ok", "result", "granted", None)
                .flow("no", "result", "refused", Some("leaders_approved == false"))
                .build(),
        )
        .unwrap(),
    );
    let mut case = started(&process);
    let vote = |approve| Command::Vote { step: "experts".into(), approve, opinion: None };
    let signer = |id: &str, at: &str| ctx(id, None, "scjg", at);
    case.execute(vote(true), &signer("a", "2025-03-04T09:00")).unwrap();
    assert_eq!(
        case.execute(vote(true), &signer("a", "2025-03-04T09:05")).unwrap_err().to_string(),
        "case `E1`: `a` has already voted on `experts`"
    );
    assert_eq!(
        case.execute(vote(true), &signer("z", "2025-03-04T09:05")).unwrap_err().to_string(),
        "case `E1`: `z` is not a signer of `experts`"
    );
    // 2 of 3 reach the 0.6 ratio: decided without the third vote.
    case.execute(vote(true), &signer("b", "2025-03-04T09:10")).unwrap();
    assert_eq!(open(&case), ["leaders"]);
    assert_eq!(case.data()["experts_approved"], true);
    let sign = |approve| Command::Vote { step: "leaders".into(), approve, opinion: None };
    assert_eq!(
        case.execute(sign(true), &signer("y", "2025-03-05T09:00")).unwrap_err().to_string(),
        "case `E1`: `leaders` is signed in order: `x` signs next"
    );
    case.execute(sign(true), &signer("x", "2025-03-05T09:00")).unwrap();
    // One veto rejects.
    case.execute(sign(false), &signer("y", "2025-03-05T10:00")).unwrap();
    assert_eq!(case.status(), CaseStatus::Concluded(Decision::Refused));
    assert_replays(&case);
}

#[test]
fn conditions_read_case_data() {
    let process = Arc::new(
        Process::new(
            ProcessBuilder::new("cond", "")
                .start("start")
                .task("review", "审核", Assignee::Role(Role::Reviewer))
                .exclusive("scale", Some("small"))
                .task("site", "现场核查", Assignee::Role(Role::Handler))
                .merge("merge")
                .end("end", "准予", Decision::Granted)
                .chain(&["start", "review", "scale"])
                .flow("large", "scale", "site", Some("${area > 1000}"))
                .flow("small", "scale", "merge", None)
                .chain(&["site", "merge", "end"])
                .build(),
        )
        .unwrap(),
    );
    let mut case = started(&process);
    let reviewer = ctx("r1", Some(Role::Reviewer), "scjg", "2025-03-04T09:00");
    // Without the data the condition reads, completing is refused and nothing changes.
    let error = case.execute(complete("review"), &reviewer).unwrap_err();
    assert!(error.to_string().contains("reads `area`, which the case data lacks"), "{error}");
    assert_eq!(open(&case), ["review"]);
    let mut data = serde_json::Map::new();
    data.insert("area".into(), 1500.into());
    case.execute(Command::Complete { step: "review".into(), opinion: None, data }, &reviewer).unwrap();
    assert_eq!(open(&case), ["site"]);
    assert_replays(&case);
}

#[test]
fn suspension_reassignment_urging_copies_and_authority() {
    let process = enterprise();
    let mut case = started(&process);
    let head = ctx("d01", Some(Role::DepartmentHead), "scjg", "2025-03-03T11:00");
    case.execute(Command::Suspend { reason: Some("申请人申请暂缓".into()) }, &head).unwrap();
    assert_eq!(case.status(), CaseStatus::Suspended);
    assert_eq!(
        case.execute(complete("accept"), &clerk("2025-03-03T12:00")).unwrap_err().to_string(),
        "case `E1`: the case is suspended; resume it first"
    );
    case.execute(Command::Urge { step: "accept".into(), note: Some("请尽快".into()) }, &head).unwrap();
    case.execute(Command::Resume, &head).unwrap();
    assert_eq!(case.status(), CaseStatus::Running);
    // 转办 by the department head to a named official: only they may now act.
    case.execute(Command::Reassign { step: "accept".into(), to: "w02".into() }, &head).unwrap();
    assert_eq!(
        case.execute(complete("accept"), &clerk("2025-03-03T13:00")).unwrap_err().to_string(),
        "case `E1`: step `accept` was handed to `w02`; `w01` may not act on it"
    );
    case.execute(complete("accept"), &ctx("w02", Some(Role::WindowClerk), "scjg", "2025-03-03T11:00")).unwrap();
    case.execute(Command::Copy { to: vec!["jc01".into()] }, &head).unwrap();
    // A handler may not approve an extension; the department head may.
    let handler = dept("scjg", "2025-03-04T09:00");
    assert!(case.execute(Command::ApproveExtension { days: 10, reason: None }, &handler).is_err());
    case.execute(Command::ApproveExtension { days: 10, reason: Some("情况复杂".into()) }, &head).unwrap();
    // Unknown steps are named.
    assert_eq!(
        case.execute(complete("nope"), &handler).unwrap_err().to_string(),
        "case `E1`: step `nope` is not in process `establish-enterprise`"
    );
    assert_eq!(
        case.execute(complete("deliver"), &clerk("2025-03-04T09:30")).unwrap_err().to_string(),
        "case `E1`: step `deliver` is not open (open: register)"
    );
    case.execute(Command::Terminate { reason: "申请人主体资格灭失".into() }, &head).unwrap();
    assert_eq!(case.status(), CaseStatus::Concluded(Decision::Terminated));
    assert_replays(&case);
}

#[test]
fn snapshots_serialise_and_restore() {
    let process = enterprise();
    let mut case = started(&process);
    case.execute(complete("accept"), &clerk("2025-03-03T10:00")).unwrap();
    let json = serde_json::to_string(&case.snapshot()).unwrap();
    let snapshot: CaseSnapshot = serde_json::from_str(&json).unwrap();
    let mut restored = Case::restore(process.clone(), snapshot, case.events().to_vec());
    assert_eq!(restored.snapshot(), case.snapshot());
    restored.execute(complete("register"), &dept("scjg", "2025-03-04T10:00")).unwrap();
    case.execute(complete("register"), &dept("scjg", "2025-03-04T10:00")).unwrap();
    assert_eq!(restored.snapshot(), case.snapshot());
    assert_eq!(restored.events(), case.events());
}

#[test]
fn replaying_a_tampered_log_fails_with_the_position() {
    let process = enterprise();
    let case = started(&process);
    let mut events = case.events().to_vec();
    events.remove(1);
    let error = Case::replay(process, &events).unwrap_err();
    assert!(matches!(error, Error::Replay { sequence: 3, .. }), "{error}");
    assert_eq!(error.to_string(), "case `E1`, event 3: sequence 3 after 1 (expected 2)");
}

#[test]
fn progress_reports_due_dates_of_the_case_its_steps_and_branches() {
    let process = enterprise();
    let mut case = started(&process);
    case.execute(complete("accept"), &clerk("2025-03-03T10:00")).unwrap();
    case.execute(complete("register"), &dept("scjg", "2025-03-04T10:00")).unwrap();
    case.execute(complete("tax"), &dept("sw", "2025-03-05T10:00")).unwrap();
    let calendar = zhengwu_core::Calendar::china();
    let as_of = "2025-03-06".parse().unwrap();
    let limit = TimeLimit::working_days(10);
    let item = zhengwu_core::ServiceItem::new("E".into(), "企业开办", "scjg".into(), ItemKind::Joint, limit, limit);
    let progress = case.progress(&calendar, &item, zhengwu_core::LimitReference::Promised, as_of).unwrap();
    // Accepted Monday 2025-03-03: 10 working days → 2025-03-17; 3 used by 03-06.
    let clock = progress.clock.unwrap();
    assert_eq!((clock.due_on, clock.used_days, clock.remaining_days), (Some("2025-03-17".parse().unwrap()), 3, 7));
    let seal = progress.tasks.iter().find(|t| t.step == "seal").unwrap();
    // Opened 03-04 with a 1-working-day step limit; the fork's branches have 2 working days.
    assert_eq!(seal.step_due, Some("2025-03-05".parse().unwrap()));
    assert_eq!((seal.branch.as_deref(), seal.branch_due), (Some("fork"), Some("2025-03-06".parse().unwrap())));
    assert_eq!(seal.name, "公安刻章备案");
}

#[test]
fn delegation_comes_back_to_the_delegator() {
    let process = enterprise();
    let mut case = started(&process);
    case.execute(Command::Delegate { step: "accept".into(), to: "w09".into() }, &clerk("2025-03-03T10:00")).unwrap();
    let delegate = ctx("w09", Some(Role::WindowClerk), "scjg", "2025-03-03T11:00");
    // The delegate's completion hands the task back; the step is still open.
    let events = case.execute(complete("accept"), &delegate).unwrap();
    assert!(matches!(&events[0].kind, EventKind::TaskReassigned { to, delegated: false, .. } if to.as_str() == "w01"));
    assert_eq!(open(&case), ["accept"]);
    assert!(case.execute(complete("accept"), &delegate).is_err());
    case.execute(complete("accept"), &clerk("2025-03-03T12:00")).unwrap();
    assert_eq!(open(&case), ["register"]);
    assert_replays(&case);
}

#[test]
fn signers_are_added_and_removed_while_a_countersign_runs() {
    let process = Arc::new(
        Process::new(
            ProcessBuilder::new("sign", "")
                .start("start")
                .countersign("leaders", "领导签批", &["x", "y"], CompletionPolicy::All, SigningOrder::Sequential)
                .end("granted", "准予", Decision::Granted)
                .chain(&["start", "leaders", "granted"])
                .build(),
        )
        .unwrap(),
    );
    let mut case = started(&process);
    let head = ctx("d01", Some(Role::DepartmentHead), "scjg", "2025-03-04T09:00");
    let sign = |id: &str| {
        (
            Command::Vote { step: "leaders".into(), approve: true, opinion: None },
            ctx(id, None, "scjg", "2025-03-04T09:00"),
        )
    };
    let (vote, who) = sign("x");
    case.execute(vote, &who).unwrap();
    // 前加签 before y (whose turn it is), and 后加签 right after.
    case.execute(
        Command::AddSigner {
            step: "leaders".into(),
            signer: "v".into(),
            position: zhengwu_core::SignerPosition::Before,
        },
        &head,
    )
    .unwrap();
    case.execute(
        Command::AddSigner {
            step: "leaders".into(),
            signer: "w".into(),
            position: zhengwu_core::SignerPosition::After,
        },
        &head,
    )
    .unwrap();
    let signers: Vec<&str> = case.open_tasks()[0].signers.iter().map(|s| s.as_str()).collect();
    assert_eq!(signers, ["x", "v", "w", "y"]);
    let (vote, who) = sign("y");
    assert_eq!(
        case.execute(vote, &who).unwrap_err().to_string(),
        "case `E1`: `leaders` is signed in order: `v` signs next"
    );
    // 减签: w leaves; a cast vote cannot be removed.
    case.execute(Command::RemoveSigner { step: "leaders".into(), signer: "w".into() }, &head).unwrap();
    assert_eq!(
        case.execute(Command::RemoveSigner { step: "leaders".into(), signer: "x".into() }, &head)
            .unwrap_err()
            .to_string(),
        "case `E1`: `x` has already voted on `leaders`; a cast vote stays"
    );
    for id in ["v", "y"] {
        let (vote, who) = sign(id);
        case.execute(vote, &who).unwrap();
    }
    assert_eq!(case.status(), CaseStatus::Concluded(Decision::Granted));
    assert_replays(&case);
}

#[test]
fn extensions_follow_the_regime_at_command_time() {
    let process = enterprise();
    let case = Case::new(process.clone(), "J1".into(), "KB-001".into(), "scjg".into(), "530102".parse().unwrap())
        .with_regime(zhengwu_core::HandlingRegime::Joint);
    let mut case = case;
    case.execute(
        Command::Receive { channel: Channel::Window, materials: vec![], data: Default::default() },
        &clerk("2025-03-03T09:00"),
    )
    .unwrap();
    case.execute(Command::Accept, &clerk("2025-03-03T09:30")).unwrap();
    let department_head = ctx("d01", Some(Role::DepartmentHead), "scjg", "2025-03-20T09:00");
    let government_head = ctx("g01", Some(Role::GovernmentHead), "scjg", "2025-03-20T10:00");
    assert_eq!(
        case.execute(Command::ApproveExtension { days: 15, reason: None }, &department_head).unwrap_err().to_string(),
        "case `J1`: 延期 of this case needs 本级人民政府负责人; `d01` is 本行政机关负责人"
    );
    case.execute(Command::ApproveExtension { days: 10, reason: None }, &government_head).unwrap();
    assert_eq!(
        case.execute(Command::ApproveExtension { days: 6, reason: None }, &government_head).unwrap_err().to_string(),
        "case `J1`: 延期 may total 15 days; 10 are approved already, 6 more would exceed it"
    );
    case.execute(Command::ApproveExtension { days: 5, reason: None }, &government_head).unwrap();
    let replayed = Case::replay(process, case.events()).unwrap().with_regime(zhengwu_core::HandlingRegime::Joint);
    assert_eq!(replayed.snapshot(), case.snapshot());
}

#[test]
fn a_directory_checks_who_acts() {
    let directory = Arc::new(
        zhengwu_core::Organization::from_toml(
            r#"
            [[region]]
            code = "530102"
            name = "五华区"
            [[department]]
            id = "scjg"
            name = "市场监督管理局"
            region = "530102"
            [[department]]
            id = "sw"
            name = "税务局"
            region = "530102"
            [[official]]
            id = "w01"
            name = "李敏"
            department = "scjg"
            roles = ["window_clerk"]
            [[official]]
            id = "t01"
            name = "王强"
            department = "sw"
            roles = ["handler"]
            "#,
        )
        .unwrap(),
    );
    let mut case = Case::new(enterprise(), "D1".into(), "KB-001".into(), "scjg".into(), "530102".parse().unwrap())
        .with_directory(directory);
    let receive = || Command::Receive { channel: Channel::Window, materials: vec![], data: Default::default() };
    assert_eq!(
        case.execute(receive(), &ctx("x99", Some(Role::WindowClerk), "scjg", "2025-03-03T09:00"))
            .unwrap_err()
            .to_string(),
        "case `D1`: `x99` is not an official in the directory"
    );
    assert_eq!(
        case.execute(receive(), &ctx("t01", Some(Role::WindowClerk), "sw", "2025-03-03T09:00"))
            .unwrap_err()
            .to_string(),
        "case `D1`: `t01` (王强) does not hold the role 窗口受理人员"
    );
    assert_eq!(
        case.execute(receive(), &ctx("w01", Some(Role::WindowClerk), "sw", "2025-03-03T09:00"))
            .unwrap_err()
            .to_string(),
        "case `D1`: `w01` (李敏) works in `scjg`, not `sw`"
    );
    case.execute(receive(), &ctx("w01", Some(Role::WindowClerk), "scjg", "2025-03-03T09:00")).unwrap();
    assert_eq!(case.events().len(), 1);
}

fn one_step() -> Arc<Process> {
    let definition = ProcessBuilder::new("one-step", "")
        .start("start")
        .task("decide", "审批", Assignee::Role(Role::WindowClerk))
        .end("end", "准予", Decision::Granted)
        .flow("f1", "start", "decide", None)
        .flow("f2", "decide", "end", None)
        .build();
    Arc::new(Process::new(definition).unwrap())
}

#[test]
fn a_granted_licence_is_delivered_once_after_the_conclusion() {
    let mut case = started(&one_step());
    let error = case.execute(Command::DeliverResult { method: None }, &clerk("2025-03-04T09:00")).unwrap_err();
    assert_eq!(error.to_string(), "case `E1`: only a concluded case has a result to deliver (it is Running)");
    case.execute(complete("decide"), &clerk("2025-03-04T10:00")).unwrap();
    assert_eq!(case.status(), CaseStatus::Concluded(Decision::Granted));
    let events =
        case.execute(Command::DeliverResult { method: Some("邮寄".into()) }, &clerk("2025-03-05T10:00")).unwrap();
    assert!(matches!(&events[0].kind, EventKind::ResultDelivered { method: Some(m) } if m == "邮寄"));
    let error = case.execute(Command::DeliverResult { method: None }, &clerk("2025-03-05T11:00")).unwrap_err();
    assert_eq!(error.to_string(), "case `E1`: the result was already delivered");
    // Any other command on the concluded case is still refused.
    assert!(case.execute(Command::Urge { step: "decide".into(), note: None }, &clerk("2025-03-05T12:00")).is_err());
    assert_replays(&case);
}

#[test]
fn hearings_are_noticed_while_they_run_and_renewals_named_before_acceptance() {
    let process = one_step();
    let mut case = Case::new(process, "R1".into(), "SCJG-YX".into(), "scjg".into(), "530102".parse().unwrap());
    case.execute(
        Command::Receive { channel: Channel::Online, materials: vec![], data: Default::default() },
        &clerk("2025-06-03T09:00"),
    )
    .unwrap();
    let expires_on = "2025-06-30".parse().unwrap();
    case.execute(Command::ApplyForRenewal { licence: Some("JY1".into()), expires_on }, &clerk("2025-06-03T09:05"))
        .unwrap();
    let again = case.execute(Command::ApplyForRenewal { licence: None, expires_on }, &clerk("2025-06-03T09:06"));
    assert_eq!(again.unwrap_err().to_string(), "case `R1`: the case already names the licence it renews");
    case.execute(Command::Accept, &clerk("2025-06-03T10:00")).unwrap();
    let hearing_on = "2025-06-20".parse().unwrap();
    let early = case.execute(Command::NoticeHearing { hearing_on, place: None }, &clerk("2025-06-04T09:00"));
    assert_eq!(early.unwrap_err().to_string(), "case `R1`: a hearing is noticed while the 听证 special procedure runs");
    case.execute(
        Command::StartSpecialProcedure { procedure: zhengwu_core::SpecialProcedureKind::Hearing },
        &clerk("2025-06-04T09:00"),
    )
    .unwrap();
    let past = case.execute(
        Command::NoticeHearing { hearing_on: "2025-06-01".parse().unwrap(), place: None },
        &clerk("2025-06-05T09:00"),
    );
    assert_eq!(past.unwrap_err().to_string(), "case `R1`: the hearing day 2025-06-01 is before the notice");
    let events = case
        .execute(Command::NoticeHearing { hearing_on, place: Some("听证室".into()) }, &clerk("2025-06-05T09:00"))
        .unwrap();
    assert!(matches!(events[0].kind, EventKind::HearingNoticed { hearing_on: day, .. } if day == hearing_on));
    assert_replays(&case);
}

#[test]
fn a_command_before_the_last_event_and_empty_ids_are_refused() {
    let mut case = started(&one_step());
    // `accept` was at 2025-03-03 09:30; a completion dated 400 days earlier is refused.
    let error = case.execute(complete("decide"), &clerk("2024-01-28T09:00")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "case `E1`: the command's time 2024-01-28T09:00:00+08:00 is before the case's last event at \
         2025-03-03T09:30:00+08:00: a case's events are in time order"
    );
    // Received, accepted and the step opened: nothing was added.
    assert_eq!(case.events().len(), 3);
    // The same instant as the last event is in order.
    case.execute(complete("decide"), &clerk("2025-03-03T09:30")).unwrap();
    let mut blank = Case::new(one_step(), " ".into(), "SCJG-KB".into(), "scjg".into(), "530102".parse().unwrap());
    let receive = Command::Receive { channel: Channel::Online, materials: vec![], data: Default::default() };
    assert_eq!(
        blank.execute(receive.clone(), &clerk("2025-03-03T09:00")).unwrap_err().to_string(),
        "case ` `: the case id is empty"
    );
    let mut nobody = Case::new(one_step(), "E2".into(), "SCJG-KB".into(), "scjg".into(), "530102".parse().unwrap());
    let anonymous = ctx("", Some(Role::WindowClerk), "scjg", "2025-03-03T09:00");
    assert_eq!(nobody.execute(receive, &anonymous).unwrap_err().to_string(), "case `E2`: the actor id is empty");
}

#[test]
fn a_refusal_is_typed_so_a_host_can_branch_on_it() {
    use zhengwu_workflow::Rejection;
    let process = enterprise();
    let mut case = started(&process);
    let kind = |error: Error| match error {
        Error::Rejected { case, rejection } => {
            assert_eq!(case, "E1");
            (rejection.kind(), rejection.is_about_the_actor(), *rejection)
        }
        other => panic!("not a rejection: {other}"),
    };
    // Someone else's branch: about the actor.
    case.execute(complete("accept"), &clerk("2025-03-03T10:00")).unwrap();
    case.execute(complete("register"), &dept("scjg", "2025-03-04T10:00")).unwrap();
    let (name, about_actor, rejection) =
        kind(case.execute(complete("tax"), &dept("ga", "2025-03-05T10:00")).unwrap_err());
    assert_eq!((name, about_actor), ("other_departments_step", true));
    assert_eq!(
        rejection,
        Rejection::OtherDepartmentsStep { step: "tax".into(), department: "sw".into(), acting_for: "ga".into() }
    );
    // A step that is not open: about the case, with the steps that are.
    let (name, about_actor, rejection) =
        kind(case.execute(complete("deliver"), &dept("scjg", "2025-03-05T10:00")).unwrap_err());
    assert_eq!((name, about_actor), ("step_not_open", false));
    assert_eq!(
        rejection,
        Rejection::StepNotOpen { step: "deliver".into(), open: vec!["tax".into(), "seal".into(), "insurance".into()] }
    );
    // A role the command needs.
    let (name, _, rejection) =
        kind(case.execute(Command::Suspend { reason: None }, &clerk("2025-03-05T11:00")).unwrap_err());
    assert_eq!(name, "role_required");
    assert_eq!(rejection.to_string(), "挂起 needs 部门负责人 or 审批人; `w01` acts as 窗口受理人员");
    // Nothing changed.
    assert_eq!(open(&case), ["insurance", "seal", "tax"]);
    assert_replays(&case);
}
