//! The test suite every backend passes: appends and reads, retries, optimistic concurrency,
//! snapshots, and tampering found at its position. `suite!(module, backend)` instantiates it.

use chrono::DateTime;
use zhengwu_core::{CaseId, EventKind};
use zhengwu_store::{Admitted, Error, EventStore};

use crate::{event, received};

/// What the suite needs of a backend.
pub(crate) trait Backend {
    type Store: EventStore;
    /// An empty log.
    fn fresh(&self) -> Self::Store;
    /// Another connection to the log `fresh` made last (a second application server).
    fn another(&self) -> Self::Store;
    /// Runs raw SQL on the log (tampering).
    fn raw(&self, store: &mut Self::Store, sql: &str);
    /// The events table.
    fn table(&self) -> &'static str;
    /// A byte-string literal.
    fn blob(&self, bytes: &[u8]) -> String;
    /// The time column and its value for an event.
    fn time(&self, at: &str) -> (&'static str, String);
}

pub(crate) fn filled<B: Backend>(backend: &B) -> B::Store {
    let mut store = backend.fresh();
    store
        .append(
            &[
                received("C1", "scjg", "2025-03-03T09:00:00+08:00"),
                event("C1", 2, "scjg", "2025-03-03T10:00:00+08:00", EventKind::Accepted),
            ],
            &[(CaseId::new("C1"), 0)],
        )
        .unwrap();
    store.append(&[received("C2", "zjj", "2025-04-01T09:00:00+08:00")], &[(CaseId::new("C2"), 0)]).unwrap();
    store
}

pub(crate) fn appends_and_reads_by_case_time_and_department<B: Backend>(backend: &B) {
    let mut store = filled(backend);
    assert_eq!(store.read_case(&"C1".into()).unwrap().len(), 2);
    assert_eq!(store.last_sequence(&"C1".into()).unwrap(), 2);
    assert_eq!(store.last_sequence(&"C9".into()).unwrap(), 0);
    let april = store
        .read_time_range(
            DateTime::parse_from_rfc3339("2025-04-01T00:00:00+08:00").unwrap(),
            DateTime::parse_from_rfc3339("2025-05-01T00:00:00+08:00").unwrap(),
        )
        .unwrap();
    assert_eq!(april.iter().map(|e| e.event.case_id.as_str()).collect::<Vec<_>>(), ["C2"]);
    assert_eq!(store.read_department("zjj").unwrap().len(), 1);
    let after = |store: &mut B::Store, position, limit| -> Vec<i64> {
        store.read_after(position, limit).unwrap().iter().map(|e| e.position).collect()
    };
    assert_eq!(after(&mut store, 0, 2), [1, 2]);
    assert_eq!(after(&mut store, 2, 10), [3]);
    assert_eq!(after(&mut store, 3, 10), Vec::<i64>::new());
    let verification = store.verify().unwrap();
    assert_eq!((verification.events, verification.cases, verification.first_break), (3, 2, None));
    // The same events give the same chain, whatever the backend.
    let last = store.read_all().unwrap().pop().unwrap();
    assert_eq!(last.position, 3);
    assert_eq!(last.hash.len(), 64);
}

pub(crate) fn retries_are_no_ops_and_reused_keys_are_errors<B: Backend>(backend: &B) {
    let mut store = filled(backend);
    let retry = store.append(&[received("C2", "zjj", "2025-04-01T09:00:00+08:00")], &[]).unwrap();
    assert_eq!((retry.written, retry.duplicates), (0, 1));
    let forged = received("C2", "zjj", "2025-04-02T09:00:00+08:00");
    assert!(matches!(store.append(&[forged], &[]), Err(Error::KeyReused { ref key }) if key == "C2#1"));
    assert_eq!(store.read_all().unwrap().len(), 3);
}

pub(crate) fn each_event_is_written_skipped_or_refused_alone<B: Backend>(backend: &B) {
    let mut store = filled(backend);
    let accepted = event("C2", 2, "zjj", "2025-04-01T10:00:00+08:00", EventKind::Accepted);
    let batch = [
        // A retry of a stored event, and the same new event twice in one batch.
        received("C2", "zjj", "2025-04-01T09:00:00+08:00"),
        accepted.clone(),
        accepted,
        // A gap: C1 holds 2, this is 4.
        event("C1", 4, "scjg", "2025-03-04T10:00:00+08:00", EventKind::Accepted),
        // A stored key under another content.
        received("C2", "zjj", "2025-04-02T09:00:00+08:00"),
        // The caller refuses C3's first event, so its second no longer follows.
        received("C3", "scjg", "2025-05-06T09:00:00+08:00"),
        event("C3", 2, "scjg", "2025-05-06T10:00:00+08:00", EventKind::Accepted),
        received("C4", "scjg", "2025-05-07T09:00:00+08:00"),
    ];
    let mut asked = Vec::new();
    let outcomes = store
        .append_each(&batch, &mut |event| {
            asked.push(format!("{}#{}", event.case_id, event.sequence));
            if event.case_id.as_str() == "C3" { Err("case `C3` is not ours".to_owned()) } else { Ok(()) }
        })
        .unwrap();
    let refused = |outcome: &Admitted| match outcome {
        Admitted::Refused(reason) => reason.clone(),
        other => format!("{other:?}"),
    };
    assert_eq!(outcomes[0], Admitted::Duplicate);
    assert_eq!(outcomes[1], Admitted::Written);
    assert_eq!(outcomes[2], Admitted::Duplicate);
    assert_eq!(refused(&outcomes[3]), "case `C1`: event sequence 4 does not follow 2, the case's last stored sequence");
    assert!(refused(&outcomes[4]).starts_with("idempotency key `C2#1` is already used by a different event"));
    assert_eq!(refused(&outcomes[5]), "case `C3` is not ours");
    assert_eq!(refused(&outcomes[6]), "case `C3`: event sequence 2 does not follow 0, the case's last stored sequence");
    assert_eq!(outcomes[7], Admitted::Written);
    // The caller is asked only about events the log would take.
    assert_eq!(asked, ["C2#2", "C3#1", "C4#1"]);
    let stored: Vec<String> =
        store.read_all().unwrap().iter().map(|e| format!("{}#{}", e.event.case_id, e.event.sequence)).collect();
    assert_eq!(stored, ["C1#1", "C1#2", "C2#1", "C2#2", "C4#1"]);
    assert_eq!(store.verify().unwrap().first_break, None);
    // The whole batch again: nothing new.
    let again = store.append_each(&batch, &mut |_| Ok(())).unwrap();
    assert_eq!(again.iter().filter(|o| **o == Admitted::Written).count(), 2, "only C3's two, now admitted");
    assert_eq!(store.read_all().unwrap().len(), 7);
}

pub(crate) fn a_follower_sees_the_other_writers_events_before_its_own<B: Backend>(backend: &B) {
    let mut first = filled(backend);
    let mut second = backend.another();
    // The other server appends C5's first event; the first server last saw position 3.
    let (_, seen) = second
        .append_each_following(3, &[received("C5", "scjg", "2025-05-06T09:00:00+08:00")], &mut |_| {}, &mut |_| Ok(()))
        .unwrap();
    assert_eq!(seen, 4);
    let mut followed = Vec::new();
    let (outcomes, last) = first
        .append_each_following(
            3,
            &[event("C5", 2, "scjg", "2025-05-06T10:00:00+08:00", EventKind::Accepted)],
            &mut |event| followed.push(format!("{}#{}", event.case_id, event.sequence)),
            &mut |_| Ok(()),
        )
        .unwrap();
    assert_eq!(followed, ["C5#1"]);
    assert_eq!((outcomes, last), (vec![Admitted::Written], 5));
    // Nothing new since: nothing handed over.
    let (_, last) = first.append_each_following(5, &[], &mut |_| panic!("nothing is newer"), &mut |_| Ok(())).unwrap();
    assert_eq!(last, 5);
}

pub(crate) fn records_are_kept_by_kind_and_id<B: Backend>(backend: &B) {
    let mut store = filled(backend);
    let record = |id: &str, body: &str| (id.to_owned(), body.to_owned());
    store.put_records("alert", &[record("C1:A", r#"{"v":1}"#), record("C2:B", r#"{"v":1}"#)]).unwrap();
    store.put_records("alert", &[record("C1:A", r#"{"v":2}"#)]).unwrap();
    store.put_records("other", &[record("C1:A", "x")]).unwrap();
    store.put_records("alert", &[]).unwrap();
    assert_eq!(store.records("alert").unwrap(), [record("C1:A", r#"{"v":2}"#), record("C2:B", r#"{"v":1}"#)]);
    assert_eq!(store.records("none").unwrap(), []);
    // Records are beside the chain, not in it.
    assert_eq!(store.verify().unwrap().first_break, None);
    assert_eq!(backend.another().records("other").unwrap(), [record("C1:A", "x")]);
}

pub(crate) fn two_servers_cannot_both_win<B: Backend>(backend: &B) {
    let mut first = filled(backend);
    let mut second = backend.another();
    let complete = |by: &str| {
        let mut e = event(
            "C1",
            3,
            "scjg",
            "2025-03-04T10:00:00+08:00",
            EventKind::StepCompleted { step: "review".into(), opinion: Some(by.into()) },
        );
        e.idempotency_key = format!("C1#3-{by}").into();
        e
    };
    // Both servers saw sequence 2; the first wins, the second is told.
    first.append(&[complete("a")], &[(CaseId::new("C1"), 2)]).unwrap();
    let error = second.append(&[complete("b")], &[(CaseId::new("C1"), 2)]).unwrap_err();
    assert_eq!(error.to_string(), "case `C1`: expected the last sequence to be 2, it is 3");
    // A gap is refused too, and nothing of a refused batch is written.
    let gap = event("C1", 5, "scjg", "2025-03-05T10:00:00+08:00", EventKind::Accepted);
    let ok = event("C2", 2, "zjj", "2025-04-01T10:00:00+08:00", EventKind::Accepted);
    assert!(matches!(second.append(&[ok, gap], &[]), Err(Error::Sequence { previous: 3, found: 5, .. })));
    assert_eq!(first.last_sequence(&"C2".into()).unwrap(), 1);
    // Appends from both servers make one chain.
    second.append(&[event("C2", 2, "zjj", "2025-04-02T10:00:00+08:00", EventKind::Accepted)], &[]).unwrap();
    assert_eq!(first.verify().unwrap().first_break, None);
    assert_eq!(first.read_all().unwrap().len(), 5);
}

pub(crate) fn snapshots_are_kept_per_case_and_never_move_back<B: Backend>(backend: &B) {
    let mut store = filled(backend);
    let case = CaseId::new("C1");
    store.put_snapshot(&case, "workflow", 1, r#"{"at":1}"#).unwrap();
    store.put_snapshot(&case, "workflow", 2, r#"{"at":2}"#).unwrap();
    store.put_snapshot(&case, "workflow", 1, r#"{"at":1}"#).unwrap();
    assert_eq!(store.snapshot(&case, "workflow").unwrap(), Some((2, r#"{"at":2}"#.to_owned())));
    assert_eq!(store.snapshot(&case, "supervision").unwrap(), None);
    assert!(matches!(
        store.put_snapshot(&case, "workflow", 5, "{}"),
        Err(Error::Conflict { expected: 5, actual: 2, .. })
    ));
}

pub(crate) fn tampering_is_found_at_its_position<B: Backend>(backend: &B) {
    let table = backend.table();
    let hash_mismatch = "the hash does not match the event and the one before it".to_owned();
    // Editing an event.
    let mut store = filled(backend);
    backend.raw(
        &mut store,
        &format!("UPDATE {table} SET body = replace(body, '10:00:00', '08:00:00') WHERE position = 2"),
    );
    assert_eq!(store.verify().unwrap().first_break, Some((2, hash_mismatch.clone())));
    // Deleting one.
    let mut store = filled(backend);
    backend.raw(&mut store, &format!("DELETE FROM {table} WHERE position = 2"));
    assert_eq!(store.verify().unwrap().first_break.map(|(p, _)| p), Some(3));
    // Reordering two (swapping their positions).
    let mut store = filled(backend);
    backend.raw(&mut store, &format!("UPDATE {table} SET position = -position WHERE position IN (1, 2)"));
    backend.raw(&mut store, &format!("UPDATE {table} SET position = 3 + position WHERE position IN (-1, -2)"));
    assert_eq!(store.verify().unwrap().first_break.map(|(p, _)| p), Some(1));
    // Inserting one: a forger who knows the hash algorithm links the new event to the one before
    // it; the break shows at the event after it.
    let mut store = filled(backend);
    let first = store.read_all().unwrap().remove(0);
    let body = received("C9", "scjg", "2025-03-03T09:30:00+08:00").to_json();
    let previous: Vec<u8> =
        (0..first.hash.len()).step_by(2).map(|i| u8::from_str_radix(&first.hash[i..i + 2], 16).unwrap()).collect();
    let appended = first.appended_at.expect("the store keeps append times").timestamp_micros();
    let hash = store.chain_hash().digest(&[&previous, body.as_bytes(), b"\n", appended.to_string().as_bytes()]);
    backend.raw(&mut store, &format!("UPDATE {table} SET position = position + 10 WHERE position >= 2"));
    let (time_column, time) = backend.time("2025-03-03T09:30:00+08:00");
    backend.raw(
        &mut store,
        &format!(
            "INSERT INTO {table} (position, case_id, sequence, idempotency_key, department, {time_column}, body, hash, \
             appended_at_us) VALUES (2, 'C9', 1, 'C9#1', 'scjg', {time}, '{body}', {}, {appended})",
            backend.blob(&hash)
        ),
    );
    assert_eq!(store.verify().unwrap().first_break, Some((12, hash_mismatch.clone())));
    // A row forged the way rows were before stores kept append times is found at itself.
    backend.raw(&mut store, &format!("UPDATE {table} SET appended_at_us = NULL WHERE position = 2"));
    assert_eq!(
        store.verify().unwrap().first_break,
        Some((2, "the row has no append time, which every row from position 1 on carries".to_owned()))
    );
    // The append time is covered by the chain: moving it is an edit.
    let mut store = filled(backend);
    backend.raw(
        &mut store,
        &format!("UPDATE {table} SET appended_at_us = appended_at_us - 86400000000 WHERE position = 3"),
    );
    assert_eq!(store.verify().unwrap().first_break, Some((3, hash_mismatch.clone())));
    // The columns reads go by (case, department, business time) say what the hashed event says.
    let (time_column, forged_time) = backend.time("2020-01-01T00:00:00+08:00");
    for (set, reason) in [
        ("department = 'forged'".to_owned(), "column `department` says `forged`, the hashed event `scjg`"),
        ("case_id = 'X9'".to_owned(), "column `case_id` says `X9`, the hashed event `C1`"),
        ("idempotency_key = 'K'".to_owned(), "column `idempotency_key` says `K`, the hashed event `C1#2`"),
        (
            format!("{time_column} = {forged_time}"),
            "column `occurred_at` differs from the hashed event's `2025-03-03T10:00:00+08:00`",
        ),
    ] {
        let mut store = filled(backend);
        backend.raw(&mut store, &format!("UPDATE {table} SET {set} WHERE position = 2"));
        assert_eq!(store.verify().unwrap().first_break, Some((2, reason.to_owned())), "{set}");
    }
}

macro_rules! suite {
    ($module:ident, $backend:expr) => {
        mod $module {
            #[test]
            fn appends_and_reads_by_case_time_and_department() {
                $crate::suite::appends_and_reads_by_case_time_and_department(&$backend);
            }

            #[test]
            fn retries_are_no_ops_and_reused_keys_are_errors() {
                $crate::suite::retries_are_no_ops_and_reused_keys_are_errors(&$backend);
            }

            #[test]
            fn each_event_is_written_skipped_or_refused_alone() {
                $crate::suite::each_event_is_written_skipped_or_refused_alone(&$backend);
            }

            #[test]
            fn a_follower_sees_the_other_writers_events_before_its_own() {
                $crate::suite::a_follower_sees_the_other_writers_events_before_its_own(&$backend);
            }

            #[test]
            fn records_are_kept_by_kind_and_id() {
                $crate::suite::records_are_kept_by_kind_and_id(&$backend);
            }

            #[test]
            fn two_servers_cannot_both_win() {
                $crate::suite::two_servers_cannot_both_win(&$backend);
            }

            #[test]
            fn snapshots_are_kept_per_case_and_never_move_back() {
                $crate::suite::snapshots_are_kept_per_case_and_never_move_back(&$backend);
            }

            #[test]
            fn tampering_is_found_at_its_position() {
                $crate::suite::tampering_is_found_at_its_position(&$backend);
            }
        }
    };
}

pub(crate) use suite;
