//! Credit changes how approvals treat an applicant: the standing computed by zhengwu-credit gives
//! measures; the workflow case applies them at acceptance and records the decision as an event;
//! supervision sees it.

use std::sync::Arc;

use chrono::DateTime;
use zhengwu_core::{Actor, Calendar, Catalogue, Channel, CreditMeasure, Decision, DepartmentId, EventKind, Role};
use zhengwu_credit::{CreditCode, CreditRecord, PublicationRules, RecordKind, ScoringModel, measures};
use zhengwu_supervision::{SupervisionConfig, Supervisor};
use zhengwu_workflow::{Assignee, Case, CaseStatus, Command, Context, Process, ProcessBuilder};

fn ctx(role: Role, at: &str) -> Context {
    Context {
        actor: Actor { id: "w01".into(), name: None, role: Some(role) },
        department: "scjg".into(),
        at: DateTime::parse_from_rfc3339(&format!("{at}:00+08:00")).unwrap(),
    }
}

/// A process whose extra review runs only for applicants the credit check flags.
fn process() -> Arc<Process> {
    Arc::new(
        Process::new(
            ProcessBuilder::new("permit", "食品经营许可")
                .start("start")
                .task("review", "审核", Assignee::Role(Role::Reviewer))
                .exclusive("credit", Some("normal"))
                .task("extra", "从严复核", Assignee::Role(Role::Approver))
                .merge("merge")
                .end("granted", "准予", Decision::Granted)
                .chain(&["start", "review", "credit"])
                .flow("flagged", "credit", "extra", Some("extra_review == true"))
                .flow("normal", "credit", "merge", None)
                .chain(&["extra", "merge", "granted"])
                .build(),
        )
        .unwrap(),
    )
}

fn standing_measures(kind: Option<RecordKind>, restricts: bool) -> (String, Vec<CreditMeasure>) {
    let code: CreditCode = "91440300708461136T".parse().unwrap();
    let records: Vec<CreditRecord> = kind
        .into_iter()
        .map(|kind| CreditRecord {
            id: "L1".into(),
            code: code.clone(),
            kind,
            decision_number: String::new(),
            authority: String::new(),
            decided_on: "2025-01-01".parse().unwrap(),
            published_on: Some("2025-01-01".parse().unwrap()),
            until: None,
            repaired: None,
        })
        .collect();
    let standing =
        ScoringModel::default().standing(&PublicationRules::default(), &code, &records, "2025-03-03".parse().unwrap());
    (standing.grade.clone(), measures(&standing, restricts))
}

fn received(id: &str) -> Case {
    let mut case = Case::new(process(), id.into(), "SP-001".into(), "scjg".into(), "530102".parse().unwrap());
    case.execute(
        Command::Receive { channel: Channel::Window, materials: vec![], data: Default::default() },
        &ctx(Role::WindowClerk, "2025-03-03T09:00"),
    )
    .unwrap();
    case
}

fn check(case: &mut Case, grade: String, measures: Vec<CreditMeasure>) {
    case.execute(
        Command::ApplyCreditMeasures { applicant: "91440300708461136T".into(), grade, measures },
        &ctx(Role::WindowClerk, "2025-03-03T09:05"),
    )
    .unwrap();
}

#[test]
fn a_black_listed_applicant_gets_the_extra_review_and_supervision_sees_the_check() {
    let (grade, measures) = standing_measures(Some(RecordKind::BlackList), false);
    assert_eq!(
        (grade.as_str(), measures.as_slice()),
        ("D", [CreditMeasure::StrictReview, CreditMeasure::ExtraReview].as_slice())
    );
    let mut case = received("B1");
    check(&mut case, grade, measures);
    case.execute(Command::Accept, &ctx(Role::WindowClerk, "2025-03-03T09:10")).unwrap();
    case.execute(
        Command::Complete { step: "review".into(), opinion: None, data: Default::default() },
        &ctx(Role::Reviewer, "2025-03-04T09:00"),
    )
    .unwrap();
    // The flagged applicant goes through 从严复核.
    assert_eq!(case.open_tasks()[0].step.as_str(), "extra");

    let catalogue = Catalogue::from_toml(
        "[[item]]\ncode = \"SP-001\"\nname = \"食品经营许可\"\ndepartment = \"scjg\"\nkind = \"promised\"\nlegal_limit = { days = 20 }\npromised_limit = { days = 10 }\n",
        &[DepartmentId::new("scjg")],
    )
    .unwrap();
    let mut supervisor = Supervisor::new(Calendar::china(), catalogue, SupervisionConfig::default());
    supervisor.ingest_all(case.events().to_vec());
    assert_eq!(supervisor.rejections(), []);
    let state = supervisor.case(&"B1".into()).unwrap();
    assert_eq!(state.credit_measures(), [CreditMeasure::StrictReview, CreditMeasure::ExtraReview]);
    assert!(case.events().iter().any(|e| matches!(&e.kind, EventKind::CreditChecked { grade, .. } if grade == "D")));
}

#[test]
fn a_red_listed_applicant_is_accepted_with_gaps_and_skips_the_extra_review() {
    let (grade, measures) = standing_measures(Some(RecordKind::RedList), false);
    assert_eq!(measures, [CreditMeasure::GreenChannel, CreditMeasure::AcceptWithGaps]);
    let mut case = received("R1");
    case.execute(Command::RequestSupplement { items: vec!["M03".into()] }, &ctx(Role::WindowClerk, "2025-03-03T09:02"))
        .unwrap();
    check(&mut case, grade, measures);
    // 容缺受理: accepted while the 补正 request is still open.
    case.execute(Command::Accept, &ctx(Role::WindowClerk, "2025-03-03T09:10")).unwrap();
    assert_eq!(case.status(), CaseStatus::Running);
    assert_eq!(case.data()["green_channel"], true);
    case.execute(Command::ReceiveSupplement { items: vec!["M03".into()] }, &ctx(Role::WindowClerk, "2025-03-05T09:00"))
        .unwrap();
    case.execute(
        Command::Complete { step: "review".into(), opinion: None, data: Default::default() },
        &ctx(Role::Reviewer, "2025-03-05T10:00"),
    )
    .unwrap();
    assert_eq!(case.status(), CaseStatus::Concluded(Decision::Granted));
    let replayed = Case::replay(process(), case.events()).unwrap();
    assert_eq!(replayed.snapshot(), case.snapshot());
}

#[test]
fn a_barred_applicant_cannot_be_accepted() {
    let (grade, measures) = standing_measures(Some(RecordKind::BlackList), true);
    let mut case = received("X1");
    check(&mut case, grade, measures);
    let error = case.execute(Command::Accept, &ctx(Role::WindowClerk, "2025-03-03T09:10")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "case `X1`: the applicant is on the black list and the item's rules bar it (限制准入): refuse at intake"
    );
    case.execute(
        Command::RefuseAtIntake { reason: "申请人被列入严重失信主体名单，依法限制准入".into() },
        &ctx(Role::WindowClerk, "2025-03-03T09:15"),
    )
    .unwrap();
    assert_eq!(case.status(), CaseStatus::RefusedAtIntake);
}

/// 双公示: a penalty published late shows up in supervision as a late case of the publication item.
#[test]
fn late_publication_is_visible_to_supervision() {
    let text = std::fs::read_to_string(zhengwu_tests::data_dir().join("supervision/beyond-approval.toml")).unwrap();
    let file = zhengwu_core::CatalogueFile::from_toml(&text).unwrap();
    let departments = file.departments();
    let mut supervisor =
        Supervisor::new(Calendar::china(), Catalogue::new(file, &departments).unwrap(), SupervisionConfig::default());
    let record = |id: &str, published: &str| CreditRecord {
        id: id.into(),
        code: "91440300708461136T".parse().unwrap(),
        kind: RecordKind::Penalty { serious: false, special_field: false },
        decision_number: format!("深市监罚〔2025〕{id}号"),
        authority: "深圳市市场监督管理局".into(),
        decided_on: "2025-09-26".parse().unwrap(),
        published_on: Some(published.parse().unwrap()),
        until: None,
        repaired: None,
    };
    let actor = Actor { id: "xy01".into(), name: None, role: None };
    for r in [record("1", "2025-10-13"), record("2", "2025-10-15")] {
        supervisor.ingest_all(r.publication_events(
            &"SGS-XK".into(),
            &"xyb".into(),
            &"440300".parse().unwrap(),
            &actor,
        ));
    }
    assert_eq!(supervisor.rejections(), []);
    let evaluation = supervisor.evaluate(DateTime::parse_from_rfc3339("2025-10-31T12:00:00+08:00").unwrap());
    let late: Vec<&str> =
        evaluation.raised.iter().map(String::as_str).filter(|id| id.contains("TIME_OVER_PROMISE")).collect();
    assert_eq!(late, ["SGS-2:TIME_OVER_PROMISE:concluded"]);
}
