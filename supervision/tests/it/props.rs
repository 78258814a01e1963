//! Property tests: partial statistics merge in any grouping; replay is deterministic, also with
//! duplicates delivered again; an alert never fires twice for the same fact.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use zhengwu_core::{Decision, EventKind};
use zhengwu_supervision::{Dimension, Partial, Period, ScoringScheme, Statistics, Supervisor};

use crate::{CaseLog, at, received, supervisor};

/// A small random case: item, receipt day, a 补正 or not, a fee, a conclusion delay or none.
fn case_log() -> impl Strategy<Value = (u8, u16, bool, i64, Option<u8>, bool)> {
    (0u8..3, 0u16..250, any::<bool>(), 0i64..2000, prop::option::of(0u8..30), any::<bool>())
}

fn build(id: usize, spec: &(u8, u16, bool, i64, Option<u8>, bool)) -> CaseLog {
    let (item, day, supplement, fee, conclude, granted) = *spec;
    let item = ["SC-001", "IM-001", "JT-001"][item as usize];
    let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 2).unwrap() + chrono::Days::new(u64::from(day));
    let t = |offset: u64, hour: u32| format!("{}T{hour:02}:00:00+08:00", start + chrono::Days::new(offset));
    let mut log = CaseLog::new(&format!("P{id:04}"), item);
    log.add(&t(0, 9), received(&["M01"]));
    if supplement {
        log.add(&t(0, 10), EventKind::SupplementRequested { items: vec!["M02".into()], note: None });
        log.add(&t(1, 10), EventKind::SupplementReceived { items: vec!["M02".into()] });
    }
    log.add(&t(1, 11), EventKind::Accepted);
    log.add(&t(1, 12), EventKind::FeeCharged { fee_code: "F01".into(), amount_fen: fee });
    if let Some(after) = conclude {
        let decision = if granted { Decision::Granted } else { Decision::Refused };
        log.add(&t(1 + u64::from(after), 15), EventKind::Concluded { decision, reason: None, document_number: None });
    }
    log
}

fn statistics(supervisor: &Supervisor) -> Statistics {
    supervisor.statistics(at("2025-12-31T23:00:00+08:00"), Dimension::Department, Period::Month, None)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn partial_statistics_merge_in_any_grouping(specs in prop::collection::vec(case_log(), 1..30), parts in 1usize..5) {
        let logs: Vec<CaseLog> = specs.iter().enumerate().map(|(i, s)| build(i, s)).collect();
        let mut whole = supervisor();
        for log in &logs {
            whole.ingest_all(log.events.clone());
        }
        whole.evaluate(at("2025-12-31T23:00:00+08:00"));
        let expected = statistics(&whole);

        let mut partials = Vec::new();
        for part in 0..parts {
            let mut supervisor = supervisor();
            for log in logs.iter().skip(part).step_by(parts) {
                supervisor.ingest_all(log.events.clone());
            }
            supervisor.evaluate(at("2025-12-31T23:00:00+08:00"));
            partials.push(statistics(&supervisor));
        }
        // Left to right and right to left.
        let mut forward = Statistics::new(Dimension::Department, Period::Month);
        for partial in &partials {
            forward.merge(partial).unwrap();
        }
        let mut backward = Statistics::new(Dimension::Department, Period::Month);
        for partial in partials.iter().rev() {
            backward.merge(partial).unwrap();
        }
        prop_assert_eq!(&forward, &expected);
        prop_assert_eq!(&backward, &expected);
    }

    #[test]
    fn partials_of_disjoint_cases_merge_into_the_whole_replay(
        specs in prop::collection::vec(case_log(), 1..30),
        parts in 1usize..5,
    ) {
        let as_of = at("2025-12-31T23:00:00+08:00");
        let logs: Vec<CaseLog> = specs.iter().enumerate().map(|(i, s)| build(i, s)).collect();
        let mut whole = supervisor();
        for log in &logs {
            whole.ingest_all(log.events.clone());
        }
        whole.evaluate(as_of);
        let expected = whole.partial(as_of, Dimension::Item, Period::Quarter);
        let mut merged: Option<Partial> = None;
        let mut partials = Vec::new();
        for part in 0..parts {
            let mut supervisor = supervisor();
            for log in logs.iter().skip(part).step_by(parts) {
                supervisor.ingest_all(log.events.clone());
            }
            supervisor.evaluate(as_of);
            // Through JSON, as a partial travels from a worker.
            let partial = Partial::from_json(&supervisor.partial(as_of, Dimension::Item, Period::Quarter).to_json()).unwrap();
            match &mut merged {
                Some(merged) => merged.merge(&partial).unwrap(),
                None => merged = Some(partial.clone()),
            }
            partials.push(partial);
        }
        let merged = merged.unwrap();
        // All at once: the same partial as one by one.
        let parts: Vec<&Partial> = partials.iter().collect();
        prop_assert_eq!(Partial::merge_all(&parts).unwrap(), Some(merged.clone()));
        prop_assert_eq!(merged.statistics(), expected.statistics());
        prop_assert_eq!(merged.alerts(), expected.alerts());
        prop_assert_eq!(merged.ingest(), expected.ingest());
        prop_assert_eq!(merged.cases(), logs.len());
        let scheme = ScoringScheme::default();
        let ranking = whole.rank(as_of, Period::All, "all", &scheme, &BTreeMap::new());
        prop_assert_eq!(&merged.rank(&scheme, &BTreeMap::new()), &ranking);
        prop_assert_eq!(&expected.rank(&scheme, &BTreeMap::new()), &ranking);
    }

    #[test]
    fn replay_is_deterministic_and_duplicates_change_nothing(specs in prop::collection::vec(case_log(), 1..20)) {
        let logs: Vec<CaseLog> = specs.iter().enumerate().map(|(i, s)| build(i, s)).collect();
        let run = |with_duplicates: bool| {
            let mut supervisor = supervisor();
            for log in &logs {
                for event in &log.events {
                    supervisor.ingest(event.clone());
                    if with_duplicates {
                        supervisor.ingest(event.clone());
                    }
                }
            }
            let mut raised = Vec::new();
            for day in ["2025-03-01", "2025-06-01", "2025-09-01", "2025-12-31"] {
                raised.extend(supervisor.evaluate(at(day)).raised);
            }
            let alerts: Vec<String> = supervisor.alerts().map(|a| serde_json::to_string(a).unwrap()).collect();
            (raised, alerts, statistics(&supervisor))
        };
        let (raised, alerts, stats) = run(false);
        let (raised_again, alerts_again, stats_again) = run(true);
        prop_assert_eq!(&raised, &raised_again);
        prop_assert_eq!(alerts, alerts_again);
        prop_assert_eq!(stats, stats_again);
        // No alert id was raised twice across the evaluations.
        let unique: BTreeSet<&String> = raised.iter().collect();
        prop_assert_eq!(unique.len(), raised.len());
    }
}

#[test]
fn partials_that_share_a_case_are_not_merged() {
    let as_of = at("2025-12-31T23:00:00+08:00");
    let log = build(7, &(0, 40, true, 100, Some(25), true));
    // The case's events split over two partitions: the first holds its receipt, the second the
    // rest, which it rejects (the case is unknown there).
    let (head, tail) = log.events.split_at(2);
    let replay = |events: &[zhengwu_core::CaseEvent]| {
        let mut supervisor = supervisor();
        supervisor.ingest_all(events.to_vec());
        supervisor.evaluate(as_of);
        supervisor.partial(as_of, Dimension::Department, Period::Month)
    };
    let (mut first, second) = (replay(head), replay(tail));
    assert!(second.ingest().rejected > 0);
    let before = first.clone();
    let error = first.merge(&second).unwrap_err().to_string();
    assert_eq!(
        error,
        "cannot merge the partials: 1 case(s) appear in both partitions (P0007): a case's events must be replayed \
         together; partition the events by case (city, region, case id), not by event"
    );
    assert_eq!(first, before, "a refused merge changes nothing");
    // All at once, with a third partial beside them: refused, naming the case.
    let other = replay(&build(9, &(0, 40, false, 0, None, true)).events);
    let error = Partial::merge_all(&[&other, &first, &second]).unwrap_err().to_string();
    assert_eq!(
        error,
        "cannot merge the partials: 1 case(s) appear in more than one partition (P0007): a case's events must be \
         replayed together; partition the events by case (city, region, case id), not by event"
    );
    assert_eq!(Partial::merge_all(&[]).unwrap(), None);
    // Other instants do not merge either.
    let mut supervisor = supervisor();
    supervisor.ingest_all(build(8, &(0, 40, false, 0, None, true)).events);
    let later = supervisor.partial(at("2026-01-31T23:00:00+08:00"), Dimension::Department, Period::Month);
    let error = first.merge(&later).unwrap_err().to_string();
    assert!(error.contains("evaluate every partition as of one instant"), "{error}");
    // Another version of the format is refused by name.
    let error = Partial::from_json(&first.to_json().replacen("\"version\":1", "\"version\":9", 1)).unwrap_err();
    assert!(error.to_string().contains("partial"), "{error}");
}
