//! 信访 (《信访工作条例》 2022) through the petition template and the stage items: the workflow
//! engine runs each stage, supervision times each on its own clock.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use zhengwu_core::{Actor, Calendar, Catalogue, CatalogueFile, Channel, LimitReference, Role, SpecialProcedureKind};
use zhengwu_supervision::{Rule, SupervisionConfig, Supervisor};
use zhengwu_workflow::{Case, CaseStatus, Command, Context, templates};

fn authorities() -> templates::PetitionAuthorities {
    templates::PetitionAuthorities {
        office: "xfj".into(),
        handling: "scjg".into(),
        review: "szf".into(),
        recheck: "sjf".into(),
    }
}

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(&format!("{text}:00+08:00")).unwrap()
}

fn ctx(department: &str, role: Role, when: &str) -> Context {
    let id = format!("{department}-{role:?}");
    Context {
        actor: Actor { id: id.as_str().into(), name: None, role: Some(role) },
        department: department.into(),
        at: at(when),
    }
}

fn supervisor() -> Supervisor {
    let items = templates::petition_items("XF", &authorities());
    let file = CatalogueFile { items };
    let departments = file.departments();
    Supervisor::new(Calendar::china(), Catalogue::new(file, &departments).unwrap(), SupervisionConfig::default())
}

/// The extension rule of a stage item (the case engine checks extensions against it).
fn regime(item: &str) -> zhengwu_core::HandlingRegime {
    let items = templates::petition_items("XF", &authorities());
    items.iter().find(|i| i.code.as_str() == item).unwrap().handling_regime()
}

/// Runs a case of `item` received on `received` through acceptance and the four steps, each
/// finished on the day given, the answer on the last.
fn run(item: &str, department: &str, received: &str, steps: [&str; 4], extra: impl FnOnce(&mut Case)) -> Case {
    let process = Arc::new(templates::petition().unwrap());
    let mut case = Case::new(
        process,
        format!("{item}-1").as_str().into(),
        item.into(),
        department.into(),
        "530102".parse().unwrap(),
    )
    .with_regime(regime(item));
    let clerk = |when: &str| ctx(department, Role::WindowClerk, when);
    case.execute(
        Command::Receive { channel: Channel::Window, materials: vec![], data: Default::default() },
        &clerk(&format!("{received}T09:00")),
    )
    .unwrap();
    case.execute(Command::Accept, &clerk(&format!("{received}T10:00"))).unwrap();
    extra(&mut case);
    for (step, (day, role)) in ["investigate", "propose", "approve", "reply"].into_iter().zip(steps.into_iter().zip([
        Role::Handler,
        Role::Reviewer,
        Role::DepartmentHead,
        Role::Handler,
    ])) {
        // The written answer carries its number (答复意见书文号), which the conclusion records.
        let mut data = serde_json::Map::new();
        if step == "reply" {
            data.insert("document_number".into(), format!("{item}答〔2025〕1号").into());
        }
        case.execute(
            Command::Complete { step: step.into(), opinion: Some("同意".into()), data },
            &ctx(department, role, &format!("{day}T16:00")),
        )
        .unwrap();
    }
    case
}

#[test]
fn the_stage_items_carry_the_regulation_s_limits() {
    let items = templates::petition_items("XF", &authorities());
    let codes: Vec<&str> = items.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(codes, ["XF-DJ", "XF-BL", "XF-FC", "XF-FH"]);
    let limits: Vec<(u32, u32)> =
        items.iter().map(|i| (i.legal_limit.days, i.handling_regime().extension_rule().0)).collect();
    assert_eq!(limits, [(15, 0), (60, 30), (30, 0), (30, 0)]);
    assert!(items.iter().all(|i| i.legal_limit.unit == zhengwu_core::DayUnit::CalendarDays));
    // A 复核 听证 is not counted; 公示 would be.
    assert!(!items[3].procedure_counted(SpecialProcedureKind::Hearing));
    assert!(items[3].procedure_counted(SpecialProcedureKind::Publicity));
}

#[test]
fn handling_extended_by_30_days_is_on_time_and_supervised_without_alerts() {
    // Accepted 2025-03-03: due 60 days later, 05-02, in the Labour Day holiday → 05-06; +30 →
    // 2025-06-01 (Sunday, in the Dragon Boat holiday) → 06-03.
    let case = run("XF-BL", "scjg", "2025-03-03", ["2025-04-20", "2025-05-20", "2025-05-28", "2025-06-03"], |case| {
        case.execute(
            Command::ApproveExtension { days: 30, reason: Some("涉及多部门，情况复杂".into()) },
            &ctx("scjg", Role::DepartmentHead, "2025-04-18T10:00"),
        )
        .unwrap();
    });
    assert!(matches!(case.status(), CaseStatus::Concluded(_)));
    let item = &templates::petition_items("XF", &authorities())[1];
    let progress =
        case.progress(&Calendar::china(), item, LimitReference::Legal, "2025-06-03".parse().unwrap()).unwrap();
    let clock = progress.clock.unwrap();
    assert_eq!((clock.due_on.unwrap().to_string(), clock.granted_extension_days), ("2025-06-03".to_owned(), 30));
    let mut supervisor = supervisor();
    supervisor.ingest_all(case.events().iter().cloned());
    let evaluation = supervisor.evaluate(at("2025-06-10T18:00"));
    let rules: Vec<Rule> = evaluation.raised.iter().map(|id| supervisor.alert(id).unwrap().rule).collect();
    assert_eq!(rules, []);
}

/// A 听证 from 2025-05-20 to 05-27 at the 复核机关.
fn hearing(case: &mut Case) {
    case.execute(
        Command::StartSpecialProcedure { procedure: SpecialProcedureKind::Hearing },
        &ctx("sjf", Role::Handler, "2025-05-20T09:00"),
    )
    .unwrap();
    case.execute(Command::EndSpecialProcedure, &ctx("sjf", Role::Handler, "2025-05-27T17:00")).unwrap();
}

#[test]
fn a_review_with_a_hearing_is_timed_without_the_hearing() {
    // 复查机关 receives the request on 2025-05-06: 30 days → 06-05; a 听证 from 05-20 to 05-27
    // stops the clock for 7 days → 06-12. Answered 06-12: on time.
    let case = run("XF-FH", "sjf", "2025-05-06", ["2025-05-28", "2025-06-05", "2025-06-10", "2025-06-12"], hearing);
    let item = &templates::petition_items("XF", &authorities())[3];
    let clock = case
        .progress(&Calendar::china(), item, LimitReference::Legal, "2025-06-12".parse().unwrap())
        .unwrap()
        .clock
        .unwrap();
    assert_eq!(
        (clock.due_on.unwrap().to_string(), clock.paused_days, clock.remaining_days),
        ("2025-06-12".to_owned(), 7, 0)
    );
    let mut on_time = supervisor();
    on_time.ingest_all(case.events().iter().cloned());
    assert_eq!(on_time.evaluate(at("2025-06-20T18:00")).raised, Vec::<String>::new());
    // The same answer two days later is 2 日 over.
    let late = run("XF-FH", "sjf", "2025-05-06", ["2025-05-28", "2025-06-05", "2025-06-10", "2025-06-14"], hearing);
    let mut supervisor = supervisor();
    supervisor.ingest_all(late.events().iter().cloned());
    let evaluation = supervisor.evaluate(at("2025-06-20T18:00"));
    let legal =
        evaluation.raised.iter().map(|id| supervisor.alert(id).unwrap()).find(|a| a.rule == Rule::TimeOverLegal);
    assert_eq!(
        legal.unwrap().message,
        "【红牌】超过法定时限：办件XF-FH-1（XF-FH）超过法定时限2日办结（截止2025-06-12）"
    );
}

#[test]
fn a_matter_handed_back_late_is_an_objection_out_of_time() {
    let process = Arc::new(templates::petition().unwrap());
    let mut case = Case::new(process, "XF-BL-2".into(), "XF-BL".into(), "scjg".into(), "530102".parse().unwrap());
    let clerk = |when: &str| ctx("scjg", Role::WindowClerk, when);
    case.execute(
        Command::Receive { channel: Channel::Window, materials: vec![], data: Default::default() },
        &clerk("2025-06-03T09:00"),
    )
    .unwrap();
    // An objection without reasons is refused by the engine.
    assert!(case.execute(Command::ObjectToAssignment { reason: " ".into() }, &clerk("2025-06-11T09:00")).is_err());
    case.execute(Command::ObjectToAssignment { reason: "反映事项属区人民政府职责".into() }, &clerk("2025-06-11T09:00"))
        .unwrap();
    assert_eq!(case.status(), CaseStatus::HandedBack);
    assert!(case.execute(Command::Accept, &clerk("2025-06-12T09:00")).is_err());
    let mut supervisor = supervisor();
    supervisor.ingest_all(case.events().iter().cloned());
    let evaluation = supervisor.evaluate(at("2025-06-12T18:00"));
    let alert = supervisor.alert(&evaluation.raised[0]).unwrap();
    assert_eq!(
        alert.message,
        "【黄牌】交办异议不符合规定：办件XF-BL-2（XF-BL）2025-06-03收到交办事项，2025-06-11才提出异议，超过五个工作日（截止2025-06-10）"
    );
    assert_eq!(evaluation.raised.len(), 1);
}
