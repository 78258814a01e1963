//! Ingest: duplicates ignored, bad events rejected with reasons, nothing dropped silently.

use zhengwu_core::{Decision, EventKind};
use zhengwu_supervision::{Ingested, Rule};

use crate::{CaseLog, at, received, supervisor};

#[test]
fn duplicates_are_ignored() {
    let log = CaseLog::opened("C1", "SC-001", "2025-03-03");
    let mut supervisor = supervisor();
    assert_eq!(supervisor.ingest(log.events[0].clone()), Ingested::Applied);
    assert_eq!(supervisor.ingest(log.events[0].clone()), Ingested::Duplicate);
    assert_eq!(supervisor.ingest(log.events[1].clone()), Ingested::Applied);
    let summary = supervisor.ingest_summary();
    assert_eq!((summary.applied, summary.duplicates, summary.rejected), (2, 1, 0));
}

#[test]
fn a_retry_is_recognised_however_long_the_case_and_a_key_is_scoped_to_its_case() {
    // Ten events: the case's keys outgrow the inline four and move to a set.
    let mut log = CaseLog::opened("C1", "SC-001", "2025-03-03");
    for day in 4..12 {
        log.add(&format!("2025-03-{day:02}"), EventKind::TaskUrged { step: "review".into(), note: None });
    }
    let mut supervisor = supervisor();
    for (n, event) in log.events.iter().enumerate() {
        assert_eq!(supervisor.ingest(event.clone()), Ingested::Applied, "event {}", n + 1);
        // Every earlier event, delivered again, is a duplicate.
        for earlier in &log.events[..=n] {
            assert_eq!(supervisor.ingest(earlier.clone()), Ingested::Duplicate);
        }
    }
    // A rejected event's key is not kept: the corrected event may come with the same key.
    assert_eq!(log.events.len(), 10);
    let mut next = log.events[9].clone();
    next.idempotency_key = "C1#next".into();
    next.sequence = 12; // a gap: 11 is next
    assert!(matches!(supervisor.ingest(next.clone()), Ingested::Rejected { .. }));
    next.sequence = 11;
    assert_eq!(supervisor.ingest(next), Ingested::Applied);
    // The same key on another case is that case's event, not a retry of this one.
    let mut other = CaseLog::opened("C2", "SC-001", "2025-03-03").events[0].clone();
    other.idempotency_key = log.events[0].idempotency_key.clone();
    assert_eq!(supervisor.ingest(other), Ingested::Applied);
}

#[test]
fn out_of_order_and_contradictory_events_are_rejected_with_reasons() {
    let mut log = CaseLog::opened("C1", "SC-001", "2025-03-03");
    log.add("2025-03-04", EventKind::StepCompleted { step: "review".into(), opinion: None });
    log.add("2025-03-05", EventKind::Concluded { decision: Decision::Granted, reason: None, document_number: None });
    log.add("2025-03-06", EventKind::Concluded { decision: Decision::Granted, reason: None, document_number: None });
    let mut supervisor = supervisor();
    // Sequence 2 before 1.
    assert_eq!(
        supervisor.ingest(log.events[1].clone()),
        Ingested::Rejected {
            reason: "case `C1` is unknown and this event has sequence 2; a case starts at sequence 1".into()
        }
    );
    supervisor.ingest(log.events[0].clone());
    supervisor.ingest(log.events[1].clone());
    // Completing a step that never started.
    assert_eq!(
        supervisor.ingest(log.events[2].clone()),
        Ingested::Rejected { reason: "step `review` of case `C1` was not started".into() }
    );
    // A gap: sequence 4 after 2.
    assert_eq!(
        supervisor.ingest(log.events[3].clone()),
        Ingested::Rejected { reason: "sequence 4 of case `C1` arrived after 2 (expected 3)".into() }
    );
    assert_eq!(supervisor.rejections().len(), 3);
    assert_eq!(supervisor.rejections()[1].sequence, Some(3));
    // The case is unchanged by the rejected events.
    let case = supervisor.case(&"C1".into()).unwrap();
    assert_eq!(case.last_sequence(), 2);
    assert_eq!(case.steps().count(), 0);
}

#[test]
fn nothing_follows_a_conclusion_but_delivery_ratings_and_answers() {
    let mut log = CaseLog::opened("C1", "IM-001", "2025-03-03");
    log.add(
        "2025-03-03T10:00:00+08:00",
        EventKind::Concluded { decision: Decision::Granted, reason: None, document_number: Some("1号".into()) },
    );
    log.add("2025-03-03T11:00:00+08:00", EventKind::Withdrawn { reason: None });
    let mut supervisor = supervisor();
    let outcomes: Vec<Ingested> = log.events.iter().cloned().map(|e| supervisor.ingest(e)).collect();
    assert_eq!(
        outcomes[3],
        Ingested::Rejected {
            reason: "case `C1` is already concluded; only `result_delivered`, `rated`, `reply_sent` and \
                     `rating_followed_up` may follow"
                .into()
        }
    );
}

#[test]
fn malformed_lines_and_unknown_items_are_reported_with_line_numbers() {
    let good = CaseLog::opened("C1", "SC-001", "2025-03-03");
    let mut unknown = CaseLog::new("C2", "XX-999");
    unknown.add("2025-03-03", received(&[]));
    let text = format!(
        "{}\n{{\"schema\":1,\"case_id\":\n\n{}\n{}\n{}\n",
        good.events[0].to_json(),
        good.events[1].to_json(),
        unknown.events[0].to_json(),
        good.events[1].to_json(),
    );
    let mut supervisor = supervisor();
    let summary = supervisor.ingest_json_lines(&text);
    assert_eq!((summary.applied, summary.duplicates, summary.rejected), (2, 1, 2));
    let rejections = supervisor.rejections();
    assert_eq!(rejections[0].line, Some(2));
    // The line ends inside the event: the member whose value is missing is named.
    assert_eq!(rejections[0].reason, "`case_id`: EOF while parsing a value at line 1 column 22");
    assert_eq!((rejections[1].line, rejections[1].reason.as_str()), (Some(5), "item `XX-999` is not in the catalogue"));
}

#[test]
fn an_alert_never_fires_twice_for_the_same_fact() {
    let log = CaseLog::opened("C1", "SC-001", "2025-03-03");
    let mut supervisor = supervisor();
    supervisor.ingest_all(log.events);
    let first = supervisor.evaluate(at("2025-03-18T09:00:00+08:00"));
    assert_eq!(first.raised, ["C1:TIME_OVER_PROMISE:running"]);
    for day in ["2025-03-19", "2025-03-20", "2025-03-21"] {
        assert_eq!(supervisor.evaluate(at(day)).raised, Vec::<String>::new());
    }
    assert_eq!(supervisor.alerts().count(), 1);
    // Later, a different fact of the same rule (the legal limit) raises its own alert.
    let later = supervisor.evaluate(at("2025-04-01"));
    assert_eq!(later.raised, ["C1:TIME_OVER_LEGAL:running"]);
    assert_eq!(supervisor.alert("C1:TIME_OVER_PROMISE:running").unwrap().rule, Rule::TimeOverPromise);
}

#[test]
fn cases_outside_the_calendar_are_reported_not_fatal() {
    let log = CaseLog::opened("C1", "SC-001", "2026-12-28");
    let mut supervisor = supervisor();
    supervisor.ingest_all(log.events);
    let evaluation = supervisor.evaluate(at("2026-12-29"));
    assert_eq!(evaluation.unevaluated.len(), 1);
    assert_eq!(
        evaluation.unevaluated[0].reason,
        "year 2027 has no published holiday schedule (the calendar covers 2004–2026)"
    );
}

#[test]
fn a_reused_key_with_other_content_is_a_named_conflict_not_a_duplicate() {
    // A forged 10-yuan fee under the key of the real 30-yuan one arrives first: the real one is
    // a different event under the same key, rejected by name, not dropped as a retry.
    let mut log = CaseLog::opened("K2", "SC-001", "2025-03-04");
    log.add("2025-03-05T10:00:00+08:00", EventKind::FeeCharged { fee_code: "F01".into(), amount_fen: 1000 });
    let mut supervisor = supervisor();
    for event in &log.events {
        assert_eq!(supervisor.ingest(event.clone()), Ingested::Applied);
    }
    let mut real = log.events[2].clone();
    real.kind = EventKind::FeeCharged { fee_code: "F01".into(), amount_fen: 3000 };
    let outcome = supervisor.ingest(real.clone());
    assert_eq!(
        outcome,
        Ingested::Rejected {
            reason: "idempotency key `K2#3` of case `K2` is already used by a different event; a retried delivery \
                     repeats the event exactly"
                .into()
        }
    );
    // Any member counts: the same event entered a minute later is not a retry either.
    let mut later = log.events[2].clone();
    later.recorded_at += chrono::Duration::minutes(1);
    assert!(matches!(supervisor.ingest(later), Ingested::Rejected { .. }));
    // The identical event again is a retry.
    assert_eq!(supervisor.ingest(log.events[2].clone()), Ingested::Duplicate);
    let summary = supervisor.ingest_summary();
    assert_eq!((summary.applied, summary.duplicates, summary.rejected), (3, 1, 2));
    assert_eq!(supervisor.rejections()[0].idempotency_key.as_deref(), Some("K2#3"));
}

#[test]
fn an_event_recorded_before_it_happened_is_refused_and_cannot_move_the_default_as_of() {
    let log = CaseLog::opened("F1", "SC-001", "2025-03-03");
    let mut supervisor = supervisor();
    supervisor.ingest_all(log.events.clone());
    // Business time 9999-12-31, entered in 2025: refused, named.
    let mut forged = log.events[1].clone();
    forged.idempotency_key = "F1#3".into();
    forged.sequence = 3;
    forged.kind = EventKind::TaskUrged { step: "review".into(), note: None };
    forged.occurred_at = at("9999-12-31T09:00:00+08:00");
    assert_eq!(
        supervisor.ingest(forged.clone()),
        Ingested::Rejected {
            reason:
                "business time 9999-12-31T09:00:00+08:00 is after the entry time 2025-03-03T09:30:00+08:00: an event \
                     is not recorded before it happens (allowed skew 5 minutes)"
                    .into()
        }
    );
    assert_eq!(supervisor.latest_recorded_at(), Some(at("2025-03-03T09:30:00+08:00")));
    // Within the skew (clocks four minutes apart) it is accepted.
    forged.occurred_at = forged.recorded_at + chrono::Duration::minutes(4);
    assert_eq!(supervisor.ingest(forged), Ingested::Applied);
    // The skew is configurable.
    let config = zhengwu_supervision::SupervisionConfig::from_toml("max_clock_skew_minutes = 0").unwrap();
    assert_eq!(config.max_clock_skew_minutes, 0);
}
