//! 政府信息公开 requests (《政府信息公开条例》 2019, 国务院令第711号) on the statutory clock, with
//! due dates worked out by hand from the articles on the 2026 calendar (March 2026 has no holiday
//! or 调休 day; 清明 is 4–6 April; the chinesecalendar package agrees), and supervised.

use chrono::{DateTime, FixedOffset};
use zhengwu_core::{Calendar, CaseEvent, Catalogue, CatalogueFile, ClockStatus, LimitReference};
use zhengwu_supervision::{Rule, SupervisionConfig, Supervisor};
use zhengwu_workflow::templates;

const ITEM: &str = "530100-XXGK-001";

fn supervisor() -> Supervisor {
    let file = CatalogueFile { items: vec![templates::information_disclosure_item(ITEM, &"km-xxgk".into())] };
    let departments = file.departments();
    Supervisor::new(Calendar::china(), Catalogue::new(file, &departments).unwrap(), SupervisionConfig::default())
}

fn at(day: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(&format!("{day}T10:00:00+08:00")).unwrap()
}

/// One request's events, each `(day, kind members)` in order.
fn request(case: &str, steps: &[(&str, &str)]) -> Vec<CaseEvent> {
    steps
        .iter()
        .enumerate()
        .map(|(index, (day, kind))| {
            let sequence = index + 1;
            let line = format!(
                r#"{{"schema":1,"idempotency_key":"{case}#{sequence}","case_id":"{case}","sequence":{sequence},"item_code":"{ITEM}","department":"km-xxgk","region":"530102","occurred_at":"{day}T10:00:00+08:00","recorded_at":"{day}T10:00:00+08:00","actor":{{"id":"gk01"}},{kind}}}"#
            );
            CaseEvent::from_json(&line).unwrap()
        })
        .collect()
}

const RECEIVED: &str = r#""type":"received","channel":"online""#;
/// 登记: the request registered (the platform's 受理); with the clock counted from receipt it
/// does not move the start.
const REGISTERED: &str = r#""type":"accepted""#;
const SUPPLEMENT: &str = r#""type":"supplement_requested","items":["所需信息的名称"]"#;
const COMPLETED: &str = r#""type":"supplement_received","items":["所需信息的名称"]"#;
const CONSULTATION: &str = r#""type":"special_procedure_started","procedure":"consultation""#;
const CONSULTED: &str = r#""type":"special_procedure_ended","procedure":"consultation""#;
const ANSWERED: &str = r#""type":"concluded","decision":"granted","document_number":"昆政信公〔2026〕1号""#;

/// The due date (legal limit) and status of a request as of `day`, with the rules it raised.
fn supervise(events: Vec<CaseEvent>, day: &str) -> (String, ClockStatus, Vec<Rule>) {
    let case = events[0].case_id.clone();
    let mut supervisor = supervisor();
    let summary = supervisor.ingest_all(events);
    assert_eq!(summary.rejected, 0, "{:?}", supervisor.rejections());
    let evaluation = supervisor.evaluate(at(day));
    let mut rules: Vec<Rule> = evaluation.raised.iter().map(|id| supervisor.alert(id).unwrap().rule).collect();
    rules.sort_by_key(|r| r.code());
    rules.dedup();
    let clock = supervisor.clock(&case, LimitReference::Legal, at(day)).unwrap().unwrap();
    (clock.due_on.unwrap().to_string(), clock.status, rules)
}

#[test]
fn the_answer_is_due_20_working_days_after_receipt() {
    // Art. 33(2): 自收到申请之日起20个工作日内予以答复; Art. 31(3): an online request is received
    // the day it is confirmed. Received Monday 2 March 2026 (the day itself not counted): the
    // 20th working day is Monday 30 March.
    let events = request("GK-1", &[("2026-03-02", RECEIVED), ("2026-03-02", REGISTERED), ("2026-03-27", ANSWERED)]);
    let (due, status, rules) = supervise(events, "2026-03-31");
    assert_eq!(due, "2026-03-30");
    assert_eq!(status, ClockStatus::Early);
    assert_eq!(rules, []);
}

#[test]
fn after_the_one_supplement_notice_the_limit_runs_from_the_completed_request() {
    // Art. 30: one notice within 7 working days of receipt (9 March is the 5th); the limit then
    // runs from the day the completed request arrives, Thursday 12 March: 19 working days in
    // March and April to the 3rd, then 清明 (4–6 April), the 20th is Friday 10 April.
    let events = request(
        "GK-2",
        &[
            ("2026-03-02", RECEIVED),
            ("2026-03-09", SUPPLEMENT),
            ("2026-03-12", COMPLETED),
            ("2026-03-12", REGISTERED),
            ("2026-04-10", ANSWERED),
        ],
    );
    let (due, status, rules) = supervise(events, "2026-04-13");
    assert_eq!(due, "2026-04-10");
    assert_eq!(status, ClockStatus::OnTime);
    assert_eq!(rules, []);
}

#[test]
fn a_late_or_second_supplement_notice_is_supervised() {
    // Art. 30: the window for the notice ends on the 7th working day, Wednesday 11 March; a
    // notice on the 12th is late. A second notice breaks the 一次性告知 of the same article.
    let late = request(
        "GK-3",
        &[("2026-03-02", RECEIVED), ("2026-03-12", SUPPLEMENT), ("2026-03-13", COMPLETED), ("2026-03-13", REGISTERED)],
    );
    let (_, _, rules) = supervise(late, "2026-03-16");
    assert!(rules.contains(&Rule::NotAcceptInTime), "{rules:?}");
    let twice = request(
        "GK-4",
        &[
            ("2026-03-02", RECEIVED),
            ("2026-03-04", SUPPLEMENT),
            ("2026-03-05", COMPLETED),
            ("2026-03-06", SUPPLEMENT),
            ("2026-03-09", COMPLETED),
            ("2026-03-09", REGISTERED),
        ],
    );
    let (_, _, rules) = supervise(twice, "2026-03-10");
    assert!(rules.contains(&Rule::MultiBuzheng), "{rules:?}");
}

#[test]
fn a_third_party_consultation_is_not_counted() {
    // Art. 32: the time of 征求第三方意见 is not counted. Received 2 March, consultation from
    // Wednesday 4 March (counted) to Wednesday 18 March (the 10 working days from 5 March on not
    // counted): 2 working days before it, then from 19 March the 18 others, across 清明, to
    // Tuesday 14 April.
    let events = request(
        "GK-5",
        &[
            ("2026-03-02", RECEIVED),
            ("2026-03-02", REGISTERED),
            ("2026-03-04", CONSULTATION),
            ("2026-03-18", CONSULTED),
            ("2026-04-14", ANSWERED),
        ],
    );
    let (due, status, rules) = supervise(events, "2026-04-15");
    assert_eq!(due, "2026-04-14");
    assert_eq!(status, ClockStatus::OnTime);
    assert_eq!(rules, []);
}

#[test]
fn one_extension_of_at_most_20_working_days_with_the_heads_approval() {
    // Art. 33(2): 需要延长答复期限的，应当经政府信息公开工作机构负责人同意并告知申请人，延长的
    // 期限最长不得超过20个工作日. Due 30 March, extended by 20: 31 March, 1–3 April, 清明, 7 April
    // on, the 20th is Tuesday 28 April.
    let extended = r#""type":"extension_approved","days":20,"authority":"department_head","reason":"需要调取档案""#;
    let events = request(
        "GK-6",
        &[("2026-03-02", RECEIVED), ("2026-03-02", REGISTERED), ("2026-03-25", extended), ("2026-04-28", ANSWERED)],
    );
    let (due, status, rules) = supervise(events, "2026-04-29");
    assert_eq!(due, "2026-04-28");
    assert_eq!(status, ClockStatus::OnTime);
    assert_eq!(rules, []);
    // 25 days is beyond the article: the clock grants the lawful 20 and refuses the other 5, and
    // supervision raises the unlawful extension.
    let beyond = r#""type":"extension_approved","days":25,"authority":"department_head","reason":"材料多""#;
    let events = request("GK-7", &[("2026-03-02", RECEIVED), ("2026-03-02", REGISTERED), ("2026-03-25", beyond)]);
    let (due, _, rules) = supervise(events, "2026-03-31");
    assert_eq!(due, "2026-04-28");
    assert!(rules.contains(&Rule::ExtUnapproved), "{rules:?}");
}

#[test]
fn an_answer_past_the_limit_is_overdue() {
    // Due 30 March; answered 31 March.
    let events = request("GK-8", &[("2026-03-02", RECEIVED), ("2026-03-02", REGISTERED), ("2026-03-31", ANSWERED)]);
    let (due, status, rules) = supervise(events, "2026-04-01");
    assert_eq!((due.as_str(), status), ("2026-03-30", ClockStatus::Overdue));
    assert!(rules.contains(&Rule::TimeOverLegal), "{rules:?}");
}
