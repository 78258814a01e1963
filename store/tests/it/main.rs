//! Integration tests of zhengwu-store, one binary: the shared suite on SQLite (and on PostgreSQL
//! with the `postgres-tests` feature and `ZHENGWU_POSTGRES_URL`), and SQLite's own tests.

mod suite;

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::DateTime;
use zhengwu_core::{Actor, CaseEvent, Channel, EventKind, SCHEMA_VERSION};
use zhengwu_store::SqliteStore;

/// SQLite logs in files (two connections to one file are two servers).
pub(crate) struct Sqlite {
    /// Every log `fresh` made, removed on drop.
    paths: RefCell<Vec<PathBuf>>,
}

impl Sqlite {
    pub(crate) fn new() -> Self {
        Sqlite { paths: RefCell::new(Vec::new()) }
    }
}

impl Drop for Sqlite {
    fn drop(&mut self) {
        for path in self.paths.borrow().iter() {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
    }
}

static LOGS: AtomicUsize = AtomicUsize::new(0);

impl suite::Backend for Sqlite {
    type Store = SqliteStore;

    fn fresh(&self) -> SqliteStore {
        let n = LOGS.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("zhengwu-store-suite-{}-{n}.sqlite", std::process::id()));
        self.paths.borrow_mut().push(path.clone());
        SqliteStore::open(path).unwrap()
    }

    fn another(&self) -> SqliteStore {
        let paths = self.paths.borrow();
        SqliteStore::open(paths.last().expect("`fresh` made a log")).unwrap()
    }

    fn raw(&self, store: &mut SqliteStore, sql: &str) {
        store.execute_raw(sql).unwrap();
    }

    fn table(&self) -> &'static str {
        "events"
    }

    fn blob(&self, bytes: &[u8]) -> String {
        format!("X'{}'", hex_string(bytes))
    }

    fn time(&self, at: &str) -> (&'static str, String) {
        ("occurred_at", format!("'{at}'"))
    }
}

suite::suite!(sqlite, crate::Sqlite::new());

/// The PostgreSQL server of `ZHENGWU_POSTGRES_URL`; tests take turns (they reset the log).
#[cfg(feature = "postgres-tests")]
pub(crate) struct Postgres {
    _turn: std::sync::MutexGuard<'static, ()>,
}

#[cfg(feature = "postgres-tests")]
static POSTGRES_TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[cfg(feature = "postgres-tests")]
impl Postgres {
    pub(crate) fn new() -> Self {
        Postgres { _turn: POSTGRES_TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner) }
    }

    fn url() -> String {
        std::env::var("ZHENGWU_POSTGRES_URL")
            .expect("the postgres-tests feature needs ZHENGWU_POSTGRES_URL (scripts/test.sh starts a server)")
    }
}

#[cfg(feature = "postgres-tests")]
impl suite::Backend for Postgres {
    type Store = zhengwu_store::PostgresStore;

    fn fresh(&self) -> Self::Store {
        let mut store = zhengwu_store::PostgresStore::connect(&Self::url()).unwrap();
        store.reset().unwrap();
        store
    }

    fn another(&self) -> Self::Store {
        zhengwu_store::PostgresStore::connect(&Self::url()).unwrap()
    }

    fn raw(&self, store: &mut Self::Store, sql: &str) {
        store.execute_raw(sql).unwrap();
    }

    fn table(&self) -> &'static str {
        "zhengwu_events"
    }

    fn blob(&self, bytes: &[u8]) -> String {
        format!("'\\x{}'::bytea", hex_string(bytes))
    }

    fn time(&self, at: &str) -> (&'static str, String) {
        let micros = DateTime::parse_from_rfc3339(at).unwrap().timestamp_micros();
        ("occurred_at_us", micros.to_string())
    }
}

#[cfg(feature = "postgres-tests")]
suite::suite!(postgres, crate::Postgres::new());

pub(crate) fn event(case: &str, sequence: u64, department: &str, at: &str, kind: EventKind) -> CaseEvent {
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

pub(crate) fn received(case: &str, department: &str, at: &str) -> CaseEvent {
    event(case, 1, department, at, EventKind::Received { channel: Channel::Window, materials: vec![] })
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
#[allow(clippy::disallowed_methods)] // the test reads the clock the store reads
fn every_event_carries_the_store_s_own_append_time() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    let since_epoch = || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros() as i64;
    let before = since_epoch();
    // Business and entry times years in the past: the append time is the store's, not theirs.
    store.append(&[received("A1", "scjg", "2020-03-03T09:00:00+08:00")], &[]).unwrap();
    let after = since_epoch();
    let stored = store.read_all().unwrap().remove(0);
    let appended = stored.appended_at.expect("an append time").timestamp_micros();
    assert!((before..=after).contains(&appended), "{before} <= {appended} <= {after}");
    assert_eq!(stored.event.recorded_at.to_rfc3339(), "2020-03-03T09:00:00+08:00");
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

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("zhengwu-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_store_identifies_itself_and_verification_never_creates_or_changes_a_file() {
    let dir = scratch("identity");
    // A mistyped path: an error, and no file appears.
    let missing = dir.join("evnets.db");
    let error = SqliteStore::open_read_only(&missing).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("`{}`: no such event store (verification never creates one)", missing.display())
    );
    assert!(!missing.exists());
    // A new store carries zhengwu's application_id and its version.
    let path = dir.join("log.sqlite");
    {
        let mut store = SqliteStore::open(&path).unwrap();
        store.append(&[received("I1", "scjg", "2025-03-03T09:00:00+08:00")], &[]).unwrap();
    }
    let raw = rusqlite::Connection::open(&path).unwrap();
    let id: i32 = raw.query_row("PRAGMA application_id", [], |row| row.get(0)).unwrap();
    let version: i32 = raw.query_row("PRAGMA user_version", [], |row| row.get(0)).unwrap();
    assert_eq!((id, version), (zhengwu_store::APPLICATION_ID, zhengwu_store::STORE_VERSION));
    drop(raw);
    let store = SqliteStore::open_read_only(&path).unwrap();
    assert_eq!(store.verify().unwrap().events, 1);
    drop(store);
    // Another program's database is refused by both opens and left as it was.
    let other = dir.join("other.db");
    let foreign = rusqlite::Connection::open(&other).unwrap();
    foreign.execute_batch("CREATE TABLE accounts (id INTEGER); INSERT INTO accounts VALUES (1);").unwrap();
    drop(foreign);
    let before = std::fs::read(&other).unwrap();
    for error in [SqliteStore::open(&other).unwrap_err(), SqliteStore::open_read_only(&other).unwrap_err()] {
        assert_eq!(
            error.to_string(),
            format!("`{}` is not a zhengwu event store: it holds the tables accounts", other.display())
        );
    }
    assert_eq!(std::fs::read(&other).unwrap(), before);
    assert!(!dir.join("other.db-wal").exists());
    // Not SQLite at all; another application's id.
    let text = dir.join("notes.txt");
    std::fs::write(&text, "这不是数据库\n".repeat(200)).unwrap();
    assert_eq!(
        SqliteStore::open_read_only(&text).unwrap_err().to_string(),
        format!("`{}` is not a zhengwu event store: file is not a database", text.display())
    );
    let tagged = dir.join("tagged.db");
    rusqlite::Connection::open(&tagged).unwrap().execute_batch("PRAGMA application_id = 1234;").unwrap();
    assert_eq!(
        SqliteStore::open(&tagged).unwrap_err().to_string(),
        format!("`{}` is not a zhengwu event store: its SQLite application_id is 0x000004d2", tagged.display())
    );
    // An empty database is not a store to verify.
    let empty = dir.join("empty.db");
    rusqlite::Connection::open(&empty).unwrap().execute_batch("VACUUM;").unwrap();
    assert!(SqliteStore::open_read_only(&empty).unwrap_err().to_string().ends_with("the database is empty"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_store_made_before_it_carried_its_id_still_opens_and_is_marked() {
    let dir = scratch("legacy");
    let path = dir.join("log.sqlite");
    {
        let mut store = SqliteStore::open(&path).unwrap();
        store.append(&[received("L1", "scjg", "2025-03-03T09:00:00+08:00")], &[]).unwrap();
    }
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA application_id = 0; PRAGMA user_version = 0;")
        .unwrap();
    assert_eq!(SqliteStore::open_read_only(&path).unwrap().verify().unwrap().events, 1);
    drop(SqliteStore::open(&path).unwrap());
    let id: i32 =
        rusqlite::Connection::open(&path).unwrap().query_row("PRAGMA application_id", [], |row| row.get(0)).unwrap();
    assert_eq!(id, zhengwu_store::APPLICATION_ID);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn concurrent_opens_of_a_fresh_store_wait_for_each_other() {
    let dir = scratch("race");
    let path = dir.join("log.sqlite");
    let results: Vec<Result<(), String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..12)
            .map(|n| {
                let path = &path;
                scope.spawn(move || {
                    let mut store = SqliteStore::open(path).map_err(|e| e.to_string())?;
                    let case = format!("R{n}");
                    store
                        .append(&[received(&case, "scjg", "2025-03-03T09:00:00+08:00")], &[])
                        .map(|_| ())
                        .map_err(|e| e.to_string())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(results, vec![Ok(()); 12]);
    let store = SqliteStore::open_read_only(&path).unwrap();
    let verification = store.verify().unwrap();
    assert_eq!((verification.events, verification.first_break), (12, None));
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn a_new_store_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("mode");
    let path = dir.join("log.sqlite");
    let mut store = SqliteStore::open(&path).unwrap();
    store.append(&[received("P1", "scjg", "2025-03-03T09:00:00+08:00")], &[]).unwrap();
    for file in [path.clone(), dir.join("log.sqlite-wal")] {
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    }
    drop(store);
    // A dangling link planted where a new store would go is not followed.
    let planted = dir.join("planted.sqlite");
    let target = dir.join("elsewhere.sqlite");
    std::os::unix::fs::symlink(&target, &planted).unwrap();
    assert!(SqliteStore::open(&planted).is_err());
    assert!(!target.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_checkpoint_kept_outside_detects_truncation_and_a_recomputed_chain() {
    use zhengwu_store::ChainHash;
    let dir = scratch("checkpoint");
    // One log of 1,200 events, copied for each tampering, so every copy has its chain (append
    // times included) and checkpoint.
    {
        let mut store = SqliteStore::open(dir.join("base.sqlite")).unwrap();
        let events: Vec<CaseEvent> =
            (0..1_200).map(|n| received(&format!("T{n}"), "scjg", "2025-03-03T09:00:00+08:00")).collect();
        store.append(&events, &[]).unwrap();
    } // closed: the WAL is folded into the file
    let build = |name: &str| {
        std::fs::copy(dir.join("base.sqlite"), dir.join(name)).unwrap();
        SqliteStore::open(dir.join(name)).unwrap()
    };
    let mut store = build("log.sqlite");
    let checkpoint = store.checkpoint().unwrap();
    assert_eq!((checkpoint.events, checkpoint.last_position, checkpoint.chain_hash.as_str()), (1_200, 1_200, "sha256"));
    assert_eq!(store.verify_against(Some(&checkpoint)).unwrap().first_break, None);
    // The log may grow after its checkpoint.
    store.append(&[received("T9999", "scjg", "2025-03-04T09:00:00+08:00")], &[]).unwrap();
    assert_eq!(store.verify_against(Some(&checkpoint)).unwrap().first_break, None);
    let removed = |left: u64| {
        format!(
            "the log holds {left} events; the checkpoint recorded 1200, the last at position 1200: events were removed"
        )
    };
    // Deleting the last event, or the last thousand: a plain verify finds nothing wrong.
    for count in [1u64, 1_000] {
        let cut = build(&format!("cut-{count}.sqlite"));
        cut.execute_raw(&format!("DELETE FROM events WHERE position > {}", 1_200 - count)).unwrap();
        assert_eq!(cut.verify().unwrap().first_break, None);
        assert_eq!(cut.verify_against(Some(&checkpoint)).unwrap().first_break, Some((1_200, removed(1_200 - count))));
    }
    // An emptied table.
    let empty = build("emptied.sqlite");
    empty.execute_raw("DELETE FROM events").unwrap();
    assert_eq!(empty.verify_against(Some(&checkpoint)).unwrap().first_break, Some((1_200, removed(0))));
    // An edit with the whole chain recomputed: every hash links, but the head is not the one kept.
    let forged = build("rewritten.sqlite");
    forged
        .execute_raw(
            "UPDATE events SET body = replace(body, '\"scjg\"', '\"zjj\"'), department = 'zjj' WHERE position = 5",
        )
        .unwrap();
    let rows = forged.read_all().unwrap();
    let mut previous = vec![0u8; 32];
    for row in &rows {
        let appended = row.appended_at.unwrap().timestamp_micros().to_string();
        let hash = ChainHash::Sha256.digest(&[&previous, row.event.to_json().as_bytes(), b"\n", appended.as_bytes()]);
        let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        forged.execute_raw(&format!("UPDATE events SET hash = x'{hex}' WHERE position = {}", row.position)).unwrap();
        previous = hash;
    }
    assert_eq!(forged.verify().unwrap().first_break, None);
    assert_eq!(
        forged.verify_against(Some(&checkpoint)).unwrap().first_break,
        Some((1_200, "the event's hash is not the one the checkpoint recorded: the log was rewritten".to_owned()))
    );
    drop((store, forged, empty));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_store_writes_its_own_checkpoints_every_so_many_events() {
    use std::sync::{Arc, Mutex};
    use zhengwu_store::{Checkpoint, CheckpointSink, Error};

    struct Kept(Arc<Mutex<Vec<Checkpoint>>>, bool);
    impl CheckpointSink for Kept {
        fn keep(&mut self, checkpoint: &Checkpoint) -> Result<(), String> {
            if self.1 && checkpoint.events > 0 {
                return Err("the checkpoint volume is full".to_owned());
            }
            self.0.lock().unwrap().push(checkpoint.clone());
            Ok(())
        }
    }
    let dir = scratch("self-checkpoints");
    let kept = Arc::new(Mutex::new(Vec::new()));
    let mut store = SqliteStore::open(dir.join("log.sqlite")).unwrap();
    store.write_checkpoints(100, Box::new(Kept(kept.clone(), false))).unwrap();
    for batch in 0..5 {
        let events: Vec<CaseEvent> =
            (0..50).map(|n| received(&format!("B{batch}-{n}"), "scjg", "2025-03-03T09:00:00+08:00")).collect();
        store.append(&events, &[]).unwrap();
    }
    let counts: Vec<(u64, i64)> = kept.lock().unwrap().iter().map(|c| (c.events, c.last_position)).collect();
    assert_eq!(counts, [(0, 0), (100, 100), (200, 200)]);
    // Whoever deletes the log's last events is found against the latest checkpoint written.
    store.execute_raw("DELETE FROM events WHERE position > 150").unwrap();
    let latest = kept.lock().unwrap().last().cloned().unwrap();
    assert_eq!(store.verify().unwrap().first_break, None);
    assert_eq!(store.verify_against(Some(&latest)).unwrap().first_break.map(|(position, _)| position), Some(200));
    // A sink that fails is reported; the events are committed all the same.
    let mut store = SqliteStore::open(dir.join("full.sqlite")).unwrap();
    store.write_checkpoints(10, Box::new(Kept(Arc::new(Mutex::new(Vec::new())), true))).unwrap();
    let events: Vec<CaseEvent> =
        (0..10).map(|n| received(&format!("F{n}"), "scjg", "2025-03-03T09:00:00+08:00")).collect();
    let error = store.append(&events, &[]).unwrap_err();
    assert!(matches!(error, Error::Checkpoint(_)));
    assert_eq!(
        error.to_string(),
        "the events were committed, but the checkpoint could not be written: the checkpoint volume is full"
    );
    assert_eq!(store.read_all().unwrap().len(), 10);
    drop(store);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Twenty-two ways to edit a finished log, each found by verification (with a checkpoint kept
/// outside, as `zhengwu store verify --checkpoint` does) at the position it names.
#[test]
fn twenty_two_tamperings_are_each_found_at_their_position() {
    let dir = scratch("twenty-two");
    {
        // 20 cases of 3 events each: positions 1..=60, case T{n} at 3n+1..=3n+3.
        let mut store = SqliteStore::open(dir.join("base.sqlite")).unwrap();
        for n in 0..20 {
            let case = format!("T{n}");
            let events = [
                received(&case, "scjg", "2025-03-03T09:00:00+08:00"),
                event(&case, 2, "scjg", "2025-03-03T10:00:00+08:00", EventKind::Accepted),
                event(&case, 3, "scjg", "2025-03-04T10:00:00+08:00", EventKind::Accepted),
            ];
            store.append(&events, &[]).unwrap();
        }
    }
    let checkpoint = SqliteStore::open_read_only(dir.join("base.sqlite")).unwrap().checkpoint().unwrap();
    assert_eq!(checkpoint.events, 60);
    let mismatch = "the hash does not match the event and the one before it";
    let removed = |left: u64| {
        format!("the log holds {left} events; the checkpoint recorded 60, the last at position 60: events were removed")
    };
    let rewritten = "the event's hash is not the one the checkpoint recorded: the log was rewritten";
    let tamperings: Vec<(&str, String, i64, String)> = vec![
        ("edit a body", "UPDATE events SET body = replace(body, '10:00:00', '08:00:00') WHERE position = 5".into(), 5, mismatch.into()),
        ("edit the first body", "UPDATE events SET body = replace(body, 'scjg', 'zjj') WHERE position = 1".into(), 1, mismatch.into()),
        ("edit the last body", "UPDATE events SET body = replace(body, '10:00:00', '11:00:00') WHERE position = 60".into(), 60, mismatch.into()),
        ("edit a hash", "UPDATE events SET hash = zeroblob(32) WHERE position = 7".into(), 7, mismatch.into()),
        ("edit the append time", "UPDATE events SET appended_at_us = appended_at_us + 1 WHERE position = 9".into(), 9, mismatch.into()),
        ("drop the append time", "UPDATE events SET appended_at_us = NULL WHERE position = 11".into(), 11, "the row has no append time, which every row from position 1 on carries".into()),
        ("edit the department column", "UPDATE events SET department = 'zjj' WHERE position = 13".into(), 13, "column `department` says `zjj`, the hashed event `scjg`".into()),
        ("edit the case column", "UPDATE events SET case_id = 'X' WHERE position = 14".into(), 14, "column `case_id` says `X`, the hashed event `T4`".into()),
        ("edit the key column", "UPDATE events SET idempotency_key = 'K' WHERE position = 15".into(), 15, "column `idempotency_key` says `K`, the hashed event `T4#3`".into()),
        ("edit the time column", "UPDATE events SET occurred_at = '2020-01-01T00:00:00+08:00' WHERE position = 16".into(), 16, "column `occurred_at` differs from the hashed event's `2025-03-03T09:00:00+08:00`".into()),
        ("edit the sequence column", "UPDATE events SET sequence = 9 WHERE position = 17".into(), 17, "column `sequence` says `9`, the hashed event `2`".into()),
        ("delete one in the middle", "DELETE FROM events WHERE position = 20".into(), 21, mismatch.into()),
        ("delete the first", "DELETE FROM events WHERE position = 1".into(), 2, mismatch.into()),
        ("delete the last", "DELETE FROM events WHERE position = 60".into(), 60, removed(59)),
        ("delete the last ten", "DELETE FROM events WHERE position > 50".into(), 60, removed(50)),
        ("empty the table", "DELETE FROM events".into(), 60, removed(0)),
        ("swap two", "UPDATE events SET position = -position WHERE position IN (30, 31); UPDATE events SET position = 61 + position WHERE position IN (-30, -31)".into(), 30, mismatch.into()),
        ("move one to the end", "UPDATE events SET position = 99 WHERE position = 40".into(), 41, mismatch.into()),
        ("change the chain's hash name", "UPDATE meta SET value = 'sm3' WHERE key = 'chain_hash'".into(), 1, mismatch.into()),
        ("edit a body and recompute the chain", "UPDATE events SET body = replace(body, 'scjg', 'zjj'), department = 'zjj' WHERE position = 25".into(), 60, rewritten.into()),
        ("delete the last and recompute", "DELETE FROM events WHERE position = 60".into(), 60, removed(59)),
        ("delete one in the middle and recompute", "DELETE FROM events WHERE position = 33".into(), 60, rewritten.into()),
    ];
    assert_eq!(tamperings.len(), 22);
    let mut found = 0;
    for (index, (name, sql, position, reason)) in tamperings.into_iter().enumerate() {
        let path = dir.join(format!("t{index}.sqlite"));
        std::fs::copy(dir.join("base.sqlite"), &path).unwrap();
        {
            let store = SqliteStore::open(&path).unwrap();
            for statement in sql.split("; ") {
                store.execute_raw(statement).unwrap();
            }
            if name.ends_with("recompute the chain") || name.ends_with("and recompute") {
                // The chain recomputed over the edited rows, as a forger who knows the format would.
                let rows = store.read_all().unwrap();
                let mut previous = vec![0u8; 32];
                for row in &rows {
                    let appended = row.appended_at.unwrap().timestamp_micros().to_string();
                    let body = row.event.to_json();
                    let hash = zhengwu_store::ChainHash::Sha256.digest(&[
                        &previous,
                        body.as_bytes(),
                        b"\n",
                        appended.as_bytes(),
                    ]);
                    store
                        .execute_raw(&format!(
                            "UPDATE events SET hash = x'{}' WHERE position = {}",
                            hex_string(&hash),
                            row.position
                        ))
                        .unwrap();
                    previous = hash;
                }
                // Recomputed, the log passes a check without the checkpoint.
                assert_eq!(store.verify().unwrap().first_break, None, "{name}");
            }
        }
        let store = SqliteStore::open_read_only(&path).unwrap();
        let verification = store.verify_against(Some(&checkpoint)).unwrap();
        assert_eq!(verification.first_break, Some((position, reason)), "{name}");
        found += 1;
    }
    assert_eq!(found, 22);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The checkpoint format, pinned: what an operator keeps outside the database (and signs) must
/// read back in every later release.
#[test]
fn the_checkpoint_format_is_pinned() {
    let checkpoint = zhengwu_store::Checkpoint {
        version: zhengwu_store::CHECKPOINT_VERSION,
        chain_hash: "sm3".into(),
        events: 230_412,
        last_position: 230_412,
        head: "5f1d".repeat(16),
    };
    let signed = String::from_utf8(checkpoint.signed_bytes()).unwrap();
    insta::assert_snapshot!("checkpoint_v1", signed);
    assert_eq!(zhengwu_store::Checkpoint::from_json(&signed).unwrap(), checkpoint);
    let newer = signed.replacen("\"version\":1", "\"version\":2", 1);
    assert_eq!(
        zhengwu_store::Checkpoint::from_json(&newer).unwrap_err().to_string(),
        "cannot parse store checkpoint: format version 2 is not one this library reads (it reads version 1)"
    );
}
