//! 人大代表建议 and 政协提案 on the statutory clock, and the 好差评 that follow a case, with due
//! dates worked out by hand on the 2026 calendar (March 2026 has no holiday or 调休 day; the
//! chinesecalendar package agrees on every day named here).
//!
//! The rules: the answer within 3 months of 交办, a matter 涉及面广、处理难度大 within 6
//! (《全国人民代表大会代表建议、批评和意见处理办法》 and the local 办法; the 提案工作条例 alike); the
//! 会办 units' views within 1 month; a 不满意 view handled again and answered within 1 month
//! (domain.md §5a). Months are counted by 民法典 Art. 202 (the corresponding day of the last
//! month) and Art. 203 (a day off moves the end to the next working day). A 差评 is followed up
//! (回访核实 → 整改 → 反馈) within 15 working days (domain.md §2.5, Sichuan's rule).

use chrono::{DateTime, FixedOffset};
use zhengwu_core::{Calendar, CaseEvent, Catalogue, CatalogueFile, ClockStatus, LimitReference};
use zhengwu_supervision::{Dimension, Period, Rule, SupervisionConfig, Supervisor};
use zhengwu_workflow::templates::{self, ProposalKind};

const PROPOSAL: &str = "530100-RDJY-001";
const LICENCE: &str = "530100-SCJG-001";

fn supervisor() -> Supervisor {
    let mut file = CatalogueFile::from_toml(&format!(
        r#"
[[item]]
code = "{LICENCE}"
name = "食品经营许可"
department = "km-scjg"
kind = "promised"
legal_limit = {{ days = 20 }}
promised_limit = {{ days = 10 }}
"#
    ))
    .unwrap();
    file.items.push(templates::proposal_item(PROPOSAL, ProposalKind::DeputySuggestion, &"km-scjg".into()));
    let departments = file.departments();
    Supervisor::new(Calendar::china(), Catalogue::new(file, &departments).unwrap(), SupervisionConfig::default())
}

fn at(day: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(&format!("{day}T10:00:00+08:00")).unwrap()
}

/// One case's events, each `(day, department, kind members)` in order.
fn case(id: &str, item: &str, steps: &[(&str, &str, &str)]) -> Vec<CaseEvent> {
    steps
        .iter()
        .enumerate()
        .map(|(index, (day, department, kind))| {
            let sequence = index + 1;
            CaseEvent::from_json(&format!(
                r#"{{"schema":1,"idempotency_key":"{id}#{sequence}","case_id":"{id}","sequence":{sequence},"item_code":"{item}","department":"{department}","region":"530100","occurred_at":"{day}T10:00:00+08:00","recorded_at":"{day}T10:00:00+08:00","actor":{{"id":"jy01"}},{kind}}}"#
            ))
            .unwrap()
        })
        .collect()
}

const RECEIVED: &str = r#""type":"received","channel":"online""#;
/// 交办: the 主办 unit receives the assignment and takes it the same day; the clock runs from
/// here.
const ASSIGNED: &str = r#""type":"accepted""#;
const HUIBAN: &str = r#""type":"step_started","step":"huiban""#;
const HUIBAN_DONE: &str = r#""type":"step_completed","step":"huiban","opinion":"会办意见：同意主办单位意见""#;
const ANSWERED: &str = r#""type":"concluded","decision":"granted","document_number":"昆市监建复〔2026〕1号""#;
const CLASS_A: &str = r#""type":"reply_sent","class":"A""#;
const CLASS_B: &str = r#""type":"reply_sent","class":"B""#;
const SATISFIED: &str = r#""type":"rated","grade":"satisfied""#;
const DISSATISFIED: &str = r#""type":"rated","grade":"dissatisfied""#;
const COMPLEX: &str =
    r#""type":"extension_approved","days":3,"authority":"department_head","reason":"涉及面广、处理难度大""#;

/// The legal due date and status of one case as of `day`, and the rules raised, in code order.
fn supervise(events: Vec<CaseEvent>, day: &str) -> (Option<String>, ClockStatus, Vec<Rule>, Supervisor) {
    let id = events[0].case_id.clone();
    let mut supervisor = supervisor();
    let summary = supervisor.ingest_all(events);
    assert_eq!(summary.rejected, 0, "{:?}", supervisor.rejections());
    let evaluation = supervisor.evaluate(at(day));
    let mut rules: Vec<Rule> = evaluation.raised.iter().map(|a| supervisor.alert(a).unwrap().rule).collect();
    rules.sort_by_key(|r| r.code());
    rules.dedup();
    let clock = supervisor.clock(&id, LimitReference::Legal, at(day)).unwrap().unwrap();
    (clock.due_on.map(|d| d.to_string()), clock.status, rules, supervisor)
}

#[test]
fn a_suggestion_is_answered_within_three_months_of_assignment() {
    // 交办 on Tuesday 10 March 2026: the corresponding day three months on is Wednesday 10 June.
    // The 会办 unit's view, due a month after its start (10 April), came on 9 April.
    let events = case(
        "JY-1",
        PROPOSAL,
        &[
            ("2026-03-10", "km-scjg", RECEIVED),
            ("2026-03-10", "km-scjg", ASSIGNED),
            ("2026-03-10", "km-fgw", HUIBAN),
            ("2026-04-09", "km-fgw", HUIBAN_DONE),
            ("2026-06-10", "km-scjg", ANSWERED),
            ("2026-06-10", "km-scjg", CLASS_A),
            ("2026-06-20", "km-scjg", SATISFIED),
        ],
    );
    let (due, status, rules, supervisor) = supervise(events, "2026-07-31");
    assert_eq!((due.as_deref(), status), (Some("2026-06-10"), ClockStatus::OnTime));
    assert_eq!(rules, []);
    let statistics = supervisor.statistics(at("2026-07-31"), Dimension::Department, Period::All, None);
    let row = statistics.row("km-scjg", "all").unwrap();
    assert_eq!((row.concluded, row.rated, row.satisfied, row.bad_ratings), (1, 1, 1, 0));
    assert_eq!(row.rates().satisfaction_rate, Some(1.0));
}

#[test]
fn a_day_past_the_three_months_is_overdue_and_a_late_huiban_view_is_raised() {
    // Answered Thursday 11 June, the day after the corresponding day: 超期. The 会办 view came on
    // Monday 13 April, after its month ended on Friday 10 April.
    let events = case(
        "JY-2",
        PROPOSAL,
        &[
            ("2026-03-10", "km-scjg", RECEIVED),
            ("2026-03-10", "km-scjg", ASSIGNED),
            ("2026-03-10", "km-fgw", HUIBAN),
            ("2026-04-13", "km-fgw", HUIBAN_DONE),
            ("2026-06-11", "km-scjg", ANSWERED),
            ("2026-06-11", "km-scjg", CLASS_B),
        ],
    );
    let (due, status, rules, _) = supervise(events, "2026-06-30");
    assert_eq!((due.as_deref(), status), (Some("2026-06-10"), ClockStatus::Overdue));
    assert_eq!(rules, [Rule::StepOvertime, Rule::TimeOverLegal, Rule::TimeOverPromise]);
}

#[test]
fn a_complex_matter_has_six_months_and_a_month_end_without_its_day_takes_the_last_day() {
    // 交办 on Monday 31 August 2026 with the matter found 涉及面广 (3 months more): six months on,
    // February 2027 has no 31st, so its last day, Sunday 28 February 2027; the 2027 notice is
    // not out, so the example stops at three months: 30 November 2026 (November has no 31st),
    // a Monday.
    let events = case("JY-3", PROPOSAL, &[("2026-08-31", "km-scjg", RECEIVED), ("2026-08-31", "km-scjg", ASSIGNED)]);
    let (due, status, rules, _) = supervise(events, "2026-11-30");
    // On the last day the 临近时限 notice is up.
    assert_eq!((due.as_deref(), status, rules), (Some("2026-11-30"), ClockStatus::Running, vec![Rule::TimeNear]));
    // 交办 10 March, extension approved 1 April: six months, Thursday 10 September.
    let events = case(
        "JY-4",
        PROPOSAL,
        &[
            ("2026-03-10", "km-scjg", RECEIVED),
            ("2026-03-10", "km-scjg", ASSIGNED),
            ("2026-04-01", "km-scjg", COMPLEX),
            ("2026-08-20", "km-scjg", ANSWERED),
            ("2026-08-20", "km-scjg", CLASS_B),
        ],
    );
    let (due, status, rules, _) = supervise(events, "2026-09-30");
    assert_eq!((due.as_deref(), status, rules), (Some("2026-09-10"), ClockStatus::Early, vec![]));
}

#[test]
fn a_dissatisfied_view_must_be_answered_again_within_a_month() {
    // The view came on Saturday 20 June 2026; a month on is Monday 20 July.
    let steps = [
        ("2026-03-10", "km-scjg", RECEIVED),
        ("2026-03-10", "km-scjg", ASSIGNED),
        ("2026-06-10", "km-scjg", ANSWERED),
        ("2026-06-10", "km-scjg", CLASS_C),
        ("2026-06-20", "km-scjg", DISSATISFIED),
    ];
    let (_, _, rules, _) = supervise(case("JY-5", PROPOSAL, &steps), "2026-07-20");
    assert_eq!(rules, []);
    let (_, _, rules, supervisor) = supervise(case("JY-5", PROPOSAL, &steps), "2026-07-21");
    assert_eq!(rules, [Rule::ProposalNotRehandled]);
    let alert = supervisor.alerts().find(|a| a.rule == Rule::ProposalNotRehandled).unwrap();
    assert_eq!(alert.evidence["due_on"], "2026-07-20");
    assert!(
        alert
            .message
            .ends_with("办件JY-5（530100-RDJY-001）2026-06-20的不满意评价逾期未重新办理并答复（截止2026-07-20）"),
        "{}",
        alert.message
    );
    // Answered again on 15 July: nothing to raise, and the satisfaction rate counts the view.
    let mut again = steps.to_vec();
    again.push(("2026-07-15", "km-scjg", CLASS_B));
    let (_, _, rules, supervisor) = supervise(case("JY-5", PROPOSAL, &again), "2026-08-31");
    assert_eq!(rules, []);
    let row = supervisor.statistics(at("2026-08-31"), Dimension::Total, Period::All, None).total(None);
    assert_eq!((row.rated, row.satisfied, row.bad_ratings, row.rates().satisfaction_rate), (1, 0, 1, Some(0.0)));
}

const CLASS_C: &str = r#""type":"reply_sent","class":"C""#;

#[test]
fn a_bad_rating_is_followed_up_within_fifteen_working_days() {
    // 差评 on Friday 6 March 2026: the 15th working day after it is Friday 27 March.
    let steps = [
        ("2026-03-02", "km-scjg", RECEIVED),
        ("2026-03-02", "km-scjg", ASSIGNED),
        ("2026-03-05", "km-scjg", r#""type":"concluded","decision":"granted","document_number":"昆市监许〔2026〕5号""#),
        ("2026-03-05", "km-scjg", r#""type":"result_delivered","method":"window""#),
        (
            "2026-03-06",
            "km-scjg",
            r#""type":"rated","grade":"very_dissatisfied","channel":"online","indicators":{"办事效率":"very_dissatisfied"}"#,
        ),
        ("2026-03-10", "km-scjg", r#""type":"rating_followed_up","stage":"revisited","note":"电话回访核实""#),
    ];
    let reported = |day: &'static str| {
        let mut all = steps.to_vec();
        all.push((day, "km-scjg", r#""type":"rating_followed_up","stage":"reported""#));
        case("HC-1", LICENCE, &all)
    };
    assert_eq!(supervise(reported("2026-03-27"), "2026-04-30").2, []);
    let (_, _, rules, supervisor) = supervise(reported("2026-03-30"), "2026-04-30");
    assert_eq!(rules, [Rule::RatingNotRectified]);
    let alert = supervisor.alerts().find(|a| a.rule == Rule::RatingNotRectified).unwrap();
    assert!(
        alert.message.ends_with(
            "2026-03-06的非常不满意评价于2026-03-30才回访核实、整改并反馈，超过15个工作日（截止2026-03-27）"
        ),
        "{}",
        alert.message
    );
    // Not reported at all: raised once the 27th has passed, not before.
    assert_eq!(supervise(case("HC-1", LICENCE, &steps), "2026-03-27").2, []);
    assert_eq!(supervise(case("HC-1", LICENCE, &steps), "2026-03-30").2, [Rule::RatingNotRectified]);
    // A follow-up without a 差评 to follow is refused.
    let mut supervisor = supervisor_only();
    let refused = supervisor.ingest_all(case("HC-2", LICENCE, &[steps[0], steps[1], steps[2], steps[5]]));
    assert_eq!(refused.rejected, 1);
}

fn supervisor_only() -> Supervisor {
    supervisor()
}

#[test]
fn the_satisfaction_part_of_the_score_comes_from_the_ratings() {
    // Two 评价 in 2026-06 for km-scjg: one 满意, one 不满意 (answered again in time): 满意率 50 %,
    // so the 满意度评价 part (10 points in the default scheme) scores 5, not the full marks a
    // department without 评价 is given.
    let mut events = case(
        "JY-6",
        PROPOSAL,
        &[
            ("2026-03-10", "km-scjg", RECEIVED),
            ("2026-03-10", "km-scjg", ASSIGNED),
            ("2026-06-01", "km-scjg", ANSWERED),
            ("2026-06-01", "km-scjg", CLASS_A),
            ("2026-06-05", "km-scjg", SATISFIED),
        ],
    );
    events.extend(case(
        "JY-7",
        PROPOSAL,
        &[
            ("2026-03-10", "km-scjg", RECEIVED),
            ("2026-03-10", "km-scjg", ASSIGNED),
            ("2026-06-02", "km-scjg", ANSWERED),
            ("2026-06-02", "km-scjg", CLASS_B),
            ("2026-06-08", "km-scjg", DISSATISFIED),
            ("2026-06-30", "km-scjg", CLASS_B),
        ],
    ));
    let mut supervisor = supervisor();
    assert_eq!(supervisor.ingest_all(events).rejected, 0);
    supervisor.evaluate(at("2026-06-30"));
    let scheme = zhengwu_supervision::ScoringScheme::default();
    let ranking = supervisor.rank(at("2026-06-30"), Period::Month, "2026-06", &scheme, &Default::default());
    let scjg = ranking.iter().find(|s| s.department.as_str() == "km-scjg").unwrap();
    let satisfaction = scjg.parts.iter().find(|p| p.code == zhengwu_supervision::SATISFACTION_PART).unwrap();
    assert_eq!((satisfaction.score, satisfaction.from_supervision), (5.0, true));
    assert!(
        scjg.explanation.iter().any(|line| line == "满意度评价：评价2次，满意1次，满意率50.0%，得5分"),
        "{:?}",
        scjg.explanation
    );
}

/// The engine's 建议提案 flow, its events supervised: two 会办 units' views in the 会签 (one late),
/// the 主办's steps, the answer with its class.
#[test]
fn the_proposal_flow_runs_on_the_engine_and_supervision_times_it() {
    use std::sync::Arc;
    use zhengwu_core::{Actor, Channel, Role};
    use zhengwu_workflow::{Case, CaseStatus, Command, Context};

    let ctx = |id: &str, department: &str, role: Option<Role>, day: &str| Context {
        actor: Actor { id: id.into(), name: None, role },
        department: department.into(),
        at: at(day),
    };
    let process = Arc::new(templates::proposal(&["fgw-h1".into(), "czj-h1".into()]).unwrap());
    let item = templates::proposal_item(PROPOSAL, ProposalKind::DeputySuggestion, &"km-scjg".into());
    let mut case = Case::new(process, "JY-9".into(), PROPOSAL.into(), "km-scjg".into(), "530100".parse().unwrap())
        .with_regime(item.handling_regime());
    let clerk = |day| ctx("scjg-w1", "km-scjg", Some(Role::WindowClerk), day);
    case.execute(
        Command::Receive { channel: Channel::Window, materials: vec![], data: Default::default() },
        &clerk("2026-03-10"),
    )
    .unwrap();
    case.execute(Command::Accept, &clerk("2026-03-10")).unwrap();
    let vote = |step: &str| Command::Vote { step: step.into(), approve: true, opinion: Some("会办意见".into()) };
    case.execute(vote("huiban"), &ctx("fgw-h1", "km-fgw", None, "2026-04-01")).unwrap();
    // The second view comes on Monday 13 April, after the month ended on Friday 10 April.
    case.execute(vote("huiban"), &ctx("czj-h1", "km-czj", None, "2026-04-13")).unwrap();
    for (step, role, day) in [
        ("study", Role::Handler, "2026-05-20"),
        ("draft", Role::Reviewer, "2026-05-25"),
        ("sign", Role::DepartmentHead, "2026-05-27"),
        ("reply", Role::Handler, "2026-05-28"),
    ] {
        // The answer carries its number (办复文号), which the conclusion records.
        let mut data = serde_json::Map::new();
        if step == "reply" {
            data.insert("document_number".into(), "昆市监建复〔2026〕9号".into());
        }
        let complete = Command::Complete { step: step.into(), opinion: Some("同意".into()), data };
        case.execute(complete, &ctx(&format!("scjg-{role:?}"), "km-scjg", Some(role), day)).unwrap();
    }
    assert_eq!(case.status(), CaseStatus::Concluded(zhengwu_core::Decision::Granted));
    let mut events = case.events().to_vec();
    let answer = CaseEvent::from_json(&format!(
        r#"{{"schema":1,"idempotency_key":"JY-9#{n}","case_id":"JY-9","sequence":{n},"item_code":"{PROPOSAL}","department":"km-scjg","region":"530100","occurred_at":"2026-05-28T17:00:00+08:00","recorded_at":"2026-05-28T17:00:00+08:00","actor":{{"id":"scjg-h1"}},{CLASS_A}}}"#,
        n = events.len() + 1
    ))
    .unwrap();
    events.push(answer);
    let (due, status, rules, _) = supervise(events, "2026-06-30");
    assert_eq!((due.as_deref(), status), (Some("2026-06-10"), ClockStatus::Early));
    assert_eq!(rules, [Rule::StepOvertime]);
    // Without 会办 units the flow is the 主办's alone.
    let alone = templates::proposal(&[]).unwrap();
    assert!(alone.node("huiban").is_none() && alone.node("study").is_some());
}
