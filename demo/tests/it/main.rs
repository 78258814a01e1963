//! Integration tests of zhengwu-demo, one binary.

use std::collections::BTreeMap;

use zhengwu_demo::{Demo, DemoConfig};
use zhengwu_store::SqliteStore;
use zhengwu_supervision::Rule;

fn run(seed: u64, cases: u64) -> (SqliteStore, zhengwu_demo::DemoRun) {
    let demo = Demo::new(DemoConfig { seed, year: 2025, cases }).unwrap();
    let mut store = SqliteStore::open_in_memory().unwrap();
    let mut calls = 0;
    let run = demo.run(&mut store, &mut |_, _| calls += 1).unwrap();
    assert!(calls >= 1);
    (store, run)
}

#[test]
fn the_same_seed_gives_the_same_log_and_another_seed_another() {
    let (first, outcome) = run(7, 600);
    let (second, _) = run(7, 600);
    let (third, _) = run(8, 600);
    // The events are the same; the chain hashes differ, since they cover the store's own append
    // times, which are the wall clock's.
    let events = |store: &SqliteStore| store.read_all().unwrap().into_iter().map(|e| e.event).collect::<Vec<_>>();
    assert_eq!(events(&first), events(&second));
    assert_ne!(events(&first), events(&third));
    assert_eq!(first.verify().unwrap().first_break, None);
    assert_eq!(outcome.cases, 600);
    assert_eq!(outcome.events, first.verify().unwrap().events);
    // Every case and every notice recipient is in the store: 600 cases, 140 receipt cases, a
    // new receipt case for each copy sent again after a return, and the other applications' 27
    // (15 信访 matters, 7 信息公开 requests, 5 建议 and 提案).
    let cases = first.verify().unwrap().cases;
    assert!((767..=777).contains(&cases), "{cases}");
    assert_eq!(outcome.exchange.recipients, 140);
}

#[test]
fn misbehaving_departments_raise_their_rules() {
    let (_, run) = run(2025, 4000);
    let mut by_rule: BTreeMap<Rule, BTreeMap<String, usize>> = BTreeMap::new();
    for alert in run.supervisor.alerts() {
        *by_rule.entry(alert.rule).or_default().entry(alert.department.to_string()).or_default() += 1;
    }
    let departments =
        |rule: Rule| by_rule.get(&rule).map(|d| d.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
    // Over-charging happens only where the simulation over-charges.
    assert!(!departments(Rule::FeeOver).is_empty());
    assert!(
        departments(Rule::FeeOver).iter().all(|d| ["wlj", "gzw"].contains(&d.as_str())),
        "{:?}",
        departments(Rule::FeeOver)
    );
    // Backdated conclusions (entered six days late) only in the backdating departments.
    assert!(
        departments(Rule::Offline).iter().all(|d| ["cgj", "slj"].contains(&d.as_str())),
        "{:?}",
        departments(Rule::Offline)
    );
    assert!(!departments(Rule::Offline).is_empty());
    // Repeated 补正 mostly where it is repeated on purpose.
    let repeated = &by_rule[&Rule::MultiBuzheng];
    let on_purpose: usize = ["sthjj", "wjw"].iter().map(|d| repeated.get(*d).copied().unwrap_or(0)).sum();
    assert_eq!(on_purpose, repeated.values().sum::<usize>());
    // The slow departments have the most late cases.
    let late = &by_rule[&Rule::TimeOverPromise];
    let mut worst: Vec<(&String, &usize)> = late.iter().collect();
    worst.sort_by(|a, b| b.1.cmp(a.1));
    assert!(["zjj", "zrzyj", "jtj"].contains(&worst[0].0.as_str()), "{worst:?}");
    // Licences delivered after Art. 44's 10 working days only where the simulation is slow to.
    assert_eq!(departments(Rule::DeliveryLate), ["swj"]);
    // The other applications' events are all taken, and their rules fire: 差评 reported back
    // late, a 信息公开 补正 notice after its 7 working days at the government office.
    assert_eq!(run.supervisor.rejections().len(), 0, "{:?}", run.supervisor.rejections().first());
    assert!(!departments(Rule::RatingNotRectified).is_empty());
    assert!(departments(Rule::NotAcceptInTime).contains(&"bgt".to_owned()), "{:?}", departments(Rule::NotAcceptInTime));
}

/// One clock: for every case of a demo year, the due date, days used and left and the status
/// the workflow engine reports equal what supervision computes, against both limits.
#[test]
fn workflow_and_supervision_read_one_clock_for_every_case_of_a_year() {
    use zhengwu_core::{CaseEvent, LimitReference, china_day};
    let demo = Demo::new(DemoConfig::default()).unwrap();
    let mut store = SqliteStore::open_in_memory().unwrap();
    let run = demo.run(&mut store, &mut |_, _| {}).unwrap();
    let mut by_case: BTreeMap<String, Vec<CaseEvent>> = BTreeMap::new();
    for stored in store.read_all().unwrap() {
        by_case.entry(stored.event.case_id.to_string()).or_default().push(stored.event);
    }
    let catalogue = &demo.city().catalogue;
    let today = china_day(run.as_of);
    let (mut compared, mut with_clock) = (0, 0);
    let mut statuses = std::collections::BTreeSet::new();
    for events in by_case.values() {
        let first = &events[0];
        let Some(process) = demo.city().process(first.item_code.as_str()) else { continue };
        let item = catalogue.items.iter().find(|i| i.code == first.item_code).unwrap();
        let case = zhengwu_workflow::Case::replay(process.clone(), events).unwrap();
        for reference in [LimitReference::Legal, LimitReference::Promised] {
            let workflow = case.progress(demo.calendar(), item, reference, today).unwrap().clock;
            let supervision = run.supervisor.clock(&first.case_id, reference, run.as_of).unwrap();
            let summary = |r: &Option<zhengwu_core::ClockReport>| {
                r.as_ref().map(|r| (r.due_on, r.used_days, r.remaining_days, r.status, r.unit))
            };
            assert_eq!(summary(&workflow), summary(&supervision), "case {} ({reference:?})", first.case_id);
            if let Some(report) = workflow {
                with_clock += 1;
                statuses.insert(format!("{:?}", report.status));
            }
            compared += 1;
        }
    }
    assert_eq!(compared, 2 * 24_000);
    // Refused and withdrawn cases have no clock; the others do, in every status.
    assert!(with_clock > 2 * 23_000, "{with_clock}");
    assert_eq!(
        statuses.into_iter().collect::<Vec<_>>(),
        ["Early", "Immediate", "OnTime", "Overdue", "OverdueRunning", "Running"]
    );
}
