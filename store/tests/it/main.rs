//! Integration tests of zhengwu-store, one binary.

use chrono::DateTime;
use zhengwu_core::{Actor, CaseEvent, CaseId, Channel, EventKind, SCHEMA_VERSION};
use zhengwu_store::{Error, SqliteStore};

fn event(case: &str, sequence: u64, department: &str, at: &str, kind: EventKind) -> CaseEvent {
    let at = DateTime::parse_from_rfc3339(at).unwrap();
    CaseEvent {
        schema: SCHEMA_VERSION,
        idempotency_key: format!("{case}#{sequence}").into(),
        case_id: case.into(),
        sequence,
        item_code: "SC-001".into(),
        department: department.into(),
        region: "530102".parse().unwrap(),
        occurred_at: at,
        recorded_at: at,
        actor: Actor { id: "w01".into(), name: None, role: None },
        kind,
        signature: None,
    }
}

fn received(case: &str, department: &str, at: &str) -> CaseEvent {
    event(case, 1, department, at, EventKind::Received { channel: Channel::Window, materials: vec![] })
}

fn filled() -> SqliteStore {
    let mut store = SqliteStore::open_in_memory().unwrap();
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

#[test]
fn appends_and_reads_by_case_time_and_department() {
    let store = filled();
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
    let verification = store.verify().unwrap();
    assert_eq!((verification.events, verification.cases, verification.first_break), (3, 2, None));
}

#[test]
fn retries_are_no_ops_and_reused_keys_are_errors() {
    let mut store = filled();
    let retry = store.append(&[received("C2", "zjj", "2025-04-01T09:00:00+08:00")], &[]).unwrap();
    assert_eq!((retry.written, retry.duplicates), (0, 1));
    let forged = received("C2", "zjj", "2025-04-02T09:00:00+08:00");
    assert!(matches!(store.append(&[forged], &[]), Err(Error::KeyReused { ref key }) if key == "C2#1"));
    assert_eq!(store.read_all().unwrap().len(), 3);
}

#[test]
fn two_writers_cannot_both_win() {
    let mut store = filled();
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
    store.append(&[complete("a")], &[(CaseId::new("C1"), 2)]).unwrap();
    let error = store.append(&[complete("b")], &[(CaseId::new("C1"), 2)]).unwrap_err();
    assert_eq!(error.to_string(), "case `C1`: expected the last sequence to be 2, it is 3");
    // A gap is refused too, and nothing of a refused batch is written.
    let gap = event("C1", 5, "scjg", "2025-03-05T10:00:00+08:00", EventKind::Accepted);
    let ok = event("C2", 2, "zjj", "2025-04-01T10:00:00+08:00", EventKind::Accepted);
    assert!(matches!(store.append(&[ok, gap], &[]), Err(Error::Sequence { previous: 3, found: 5, .. })));
    assert_eq!(store.last_sequence(&"C2".into()).unwrap(), 1);
}

#[test]
fn tampering_is_found_at_its_position() {
    // Editing an event.
    let store = filled();
    store.execute_raw("UPDATE events SET body = replace(body, '10:00:00', '08:00:00') WHERE position = 2").unwrap();
    let (position, reason) = store.verify().unwrap().first_break.unwrap();
    assert_eq!((position, reason.as_str()), (2, "the hash does not match the event and the one before it"));
    // Deleting one.
    let store = filled();
    store.execute_raw("DELETE FROM events WHERE position = 2").unwrap();
    assert_eq!(store.verify().unwrap().first_break.map(|(p, _)| p), Some(3));
    // Reordering two (swapping their positions).
    let store = filled();
    store.execute_raw("UPDATE events SET position = -position WHERE position IN (1, 2)").unwrap();
    store.execute_raw("UPDATE events SET position = 3 + position WHERE position IN (-1, -2)").unwrap();
    assert_eq!(store.verify().unwrap().first_break.map(|(p, _)| p), Some(1));
    // Inserting one: a forger who knows the hash algorithm links the new event to the one before
    // it, and the break shows at the event after it (whose hash no longer follows).
    let store = filled();
    let first = store.read_all().unwrap().remove(0);
    let forged_body = received("C9", "scjg", "2025-03-03T09:30:00+08:00").to_json();
    let previous = hex_bytes(&first.hash);
    let hash = store.chain_hash().digest(&[&previous, forged_body.as_bytes()]);
    store.execute_raw("UPDATE events SET position = position + 10 WHERE position >= 2").unwrap();
    store
        .execute_raw(&format!(
            "INSERT INTO events (position, case_id, sequence, idempotency_key, department, occurred_at, body, hash) \
             VALUES (2, 'C9', 1, 'C9#1', 'scjg', '2025-03-03T09:30:00+08:00', '{forged_body}', X'{}')",
            hex_string(&hash)
        ))
        .unwrap();
    assert_eq!(
        store.verify().unwrap().first_break,
        Some((12, "the hash does not match the event and the one before it".to_owned()))
    );
}

fn hex_bytes(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn a_file_log_survives_reopening() {
    let dir = std::env::temp_dir().join(format!("zhengwu-store-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("log.sqlite");
    {
        let mut store = SqliteStore::open(&path).unwrap();
        store.append(&[received("F1", "scjg", "2025-03-03T09:00:00+08:00")], &[]).unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.read_all().unwrap().len(), 1);
    assert_eq!(store.verify().unwrap().first_break, None);
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn snapshots_are_kept_per_case_and_never_move_back() {
    let mut store = filled();
    let case = CaseId::new("C1");
    store.put_snapshot(&case, "workflow", 1, r#"{"at":1}"#).unwrap();
    store.put_snapshot(&case, "workflow", 2, r#"{"at":2}"#).unwrap();
    // An older snapshot does not replace a newer one.
    store.put_snapshot(&case, "workflow", 1, r#"{"at":1}"#).unwrap();
    assert_eq!(store.snapshot(&case, "workflow").unwrap(), Some((2, r#"{"at":2}"#.to_owned())));
    assert_eq!(store.snapshot(&case, "supervision").unwrap(), None);
    // Beyond the log: refused.
    assert!(matches!(
        store.put_snapshot(&case, "workflow", 5, "{}"),
        Err(Error::Conflict { expected: 5, actual: 2, .. })
    ));
}

#[test]
fn the_chain_can_use_sm3() {
    use zhengwu_store::ChainHash;
    // GB/T 32905's test vector (also `openssl dgst -sm3`): SM3("abc").
    assert_eq!(
        hex_string(&ChainHash::Sm3.digest(&[b"a", b"bc"])),
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    );
    let dir = std::env::temp_dir().join(format!("zhengwu-sm3-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("log.sqlite");
    {
        let mut store = SqliteStore::open_with(&path, ChainHash::Sm3).unwrap();
        store.append(&[received("S1", "scjg", "2025-03-03T09:00:00+08:00")], &[]).unwrap();
        assert_eq!(store.verify().unwrap().first_break, None);
    }
    // Reopened plainly, the log keeps SM3; asking for SHA-256 is an error.
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.chain_hash(), ChainHash::Sm3);
    assert_eq!(store.verify().unwrap().first_break, None);
    drop(store);
    assert_eq!(
        SqliteStore::open_with(&path, ChainHash::Sha256).unwrap_err().to_string(),
        "the log's chain uses sm3, not sha256"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

fn hex_string(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
