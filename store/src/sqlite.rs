//! The embedded SQLite event log: WAL journal, one transaction per append (group commit), an
//! idempotency key per event, an expected sequence per case, and a SHA-256 hash chain over the
//! whole log.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use zhengwu_core::{CaseEvent, CaseId};

use crate::each::{Admit, Admitted, Batch, Follow};
use crate::error::{Error, Result};
use crate::log::{
    Appended, CHECKPOINT_VERSION, ChainCheck, ChainHash, Checkpoint, GENESIS, Occurred, StoredEvent, StoredRow,
    Verification, appended_at, now_micros, row_digest,
};

/// 事件库: the durable, append-only event log on an embedded SQLite file.
///
/// ```
/// use zhengwu_store::SqliteStore;
/// let store = SqliteStore::open_in_memory()?;
/// assert_eq!(store.verify()?.first_break, None);
/// # Ok::<(), zhengwu_store::Error>(())
/// ```
#[derive(Debug)]
pub struct SqliteStore {
    connection: Connection,
    hash: ChainHash,
    /// Whether the events table has the `appended_at_us` column (a version-1 store opened
    /// read-only has not).
    appended_column: bool,
    checkpoints: Option<Checkpoints>,
}

/// Where a store hands the checkpoints it writes itself ([`SqliteStore::write_checkpoints`]): the
/// host signs each (with the operator's key, through `zhengwu-identity`) and keeps it outside the
/// database, where whoever can edit the database cannot reach it.
pub trait CheckpointSink: Send {
    /// Keeps `checkpoint`; an error is reported to the appender (the events stay committed).
    fn keep(&mut self, checkpoint: &Checkpoint) -> std::result::Result<(), String>;
}

/// Checkpointing every `every` events into `sink`.
struct Checkpoints {
    every: u64,
    since: u64,
    sink: Box<dyn CheckpointSink>,
}

impl std::fmt::Debug for Checkpoints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checkpoints").field("every", &self.every).field("since", &self.since).finish_non_exhaustive()
    }
}

/// The SQLite `application_id` of a zhengwu store (`ZHWU`): `file(1)` and the store itself
/// tell a zhengwu log from any other SQLite file by it.
pub const APPLICATION_ID: i32 = 0x5a48_5755;

/// The version of the store's tables (`PRAGMA user_version`): 2 since events carry the store's
/// append time (`appended_at_us`); a version-1 store is upgraded when opened for writing.
pub const STORE_VERSION: i32 = 2;

/// How both append paths write a row.
const INSERT_EVENT: &str =
    "INSERT INTO events (case_id, sequence, idempotency_key, department, occurred_at, body, hash, appended_at_us)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

/// The tables of a zhengwu store.
const TABLES: [&str; 4] = ["events", "meta", "snapshots", "records"];

impl SqliteStore {
    /// Opens a log file, creating it (with a SHA-256 chain) if needed; an existing log keeps the
    /// hash it was created with. Another program's SQLite file is refused and left unchanged.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_file(path.as_ref(), None)
    }

    /// Opens a log file with the given chain hash; an existing log made with another is an error.
    pub fn open_with(path: impl AsRef<Path>, hash: ChainHash) -> Result<Self> {
        Self::open_file(path.as_ref(), Some(hash))
    }

    /// Opens an existing log to read and verify it: read-only, so that nothing is created or
    /// changed (a mistyped path is an error, not a new empty store), and refused unless the file
    /// is a zhengwu store.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Self> {
        use rusqlite::OpenFlags;
        let path = path.as_ref();
        if !path.is_file() {
            return Err(Error::Missing { path: path.display().to_string() });
        }
        let connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| not_a_store(path, &e.to_string()))?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        match identify(&connection).map_err(|e| not_a_store(path, &e.to_string()))? {
            Identity::Store | Identity::LegacyStore => {}
            Identity::Empty => return Err(not_a_store(path, "the database is empty")),
            Identity::Other(reason) => return Err(not_a_store(path, &reason)),
        }
        let stored: Option<String> =
            connection.query_row("SELECT value FROM meta WHERE key = 'chain_hash'", [], |row| row.get(0)).optional()?;
        let (hash, _) = ChainHash::resolve(stored.as_deref(), None)?;
        let appended_column = has_column(&connection, "events", "appended_at_us")?;
        Ok(Self { connection, hash, appended_column, checkpoints: None })
    }

    /// A log in memory (tests, previews).
    pub fn open_in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?, None, Path::new(":memory:"))
    }

    fn open_file(path: &Path, requested: Option<ChainHash>) -> Result<Self> {
        create_private(path)?;
        Self::init(Connection::open(path)?, requested, path)
    }

    /// The chain hash of this log.
    pub fn chain_hash(&self) -> ChainHash {
        self.hash
    }

    /// Identifies the file and creates (or marks) the store in one immediate transaction, so
    /// that concurrent opens of a fresh file wait for each other and see it whole; a file that is
    /// not a store is left untouched. Only then WAL and FULL synchronous are set.
    fn init(mut connection: Connection, requested: Option<ChainHash>, path: &Path) -> Result<Self> {
        // Before anything that may need the lock, so that concurrent opens wait for each other.
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| not_a_store(path, &e.to_string()))?;
        match identify(&transaction).map_err(|e| not_a_store(path, &e.to_string()))? {
            Identity::Store | Identity::LegacyStore | Identity::Empty => {}
            // Dropping the transaction rolls it back: nothing was written.
            Identity::Other(reason) => return Err(not_a_store(path, &reason)),
        }
        transaction.pragma_update(None, "application_id", APPLICATION_ID)?;
        transaction.pragma_update(None, "user_version", STORE_VERSION)?;
        transaction.execute_batch(
            "CREATE TABLE IF NOT EXISTS events (
                position INTEGER PRIMARY KEY AUTOINCREMENT,
                case_id TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                idempotency_key TEXT NOT NULL UNIQUE,
                department TEXT NOT NULL,
                occurred_at TEXT NOT NULL,
                body TEXT NOT NULL,
                hash BLOB NOT NULL,
                appended_at_us INTEGER,
                UNIQUE (case_id, sequence)
            );
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS snapshots (
                case_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                body TEXT NOT NULL,
                PRIMARY KEY (case_id, kind)
            );
            CREATE TABLE IF NOT EXISTS records (
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                body TEXT NOT NULL,
                PRIMARY KEY (kind, id)
            );
            CREATE INDEX IF NOT EXISTS events_by_time ON events (occurred_at);
            CREATE INDEX IF NOT EXISTS events_by_department ON events (department, occurred_at);",
        )?;
        if !has_column(&transaction, "events", "appended_at_us")? {
            // A version-1 store: its rows keep no append time; rows from now on do.
            transaction.execute_batch("ALTER TABLE events ADD COLUMN appended_at_us INTEGER")?;
        }
        let stored: Option<String> = transaction
            .query_row("SELECT value FROM meta WHERE key = 'chain_hash'", [], |row| row.get(0))
            .optional()?;
        let hash = match ChainHash::resolve(stored.as_deref(), requested)? {
            (hash, false) => hash,
            (hash, true) => {
                transaction.execute("INSERT INTO meta (key, value) VALUES ('chain_hash', ?1)", params![hash.name()])?;
                hash
            }
        };
        transaction.commit()?;
        // WAL: readers do not block the writer; FULL: an acknowledged append survives a crash.
        // The mode is kept in the file: only the first opener switches it. The switch needs the
        // file to itself, and SQLite answers "busy" at once rather than wait when another
        // connection holds it, so it is retried, every 5 ms for five seconds.
        let mut attempts = 0;
        loop {
            attempts += 1;
            let mode: rusqlite::Result<String> =
                connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0));
            match mode {
                Ok(_) => break,
                Err(rusqlite::Error::SqliteFailure(error, _))
                    if error.code == rusqlite::ErrorCode::DatabaseBusy && attempts < 1_000 =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                Err(error) => return Err(error.into()),
            }
        }
        connection.pragma_update(None, "synchronous", "FULL")?;
        Ok(Self { connection, hash, appended_column: true, checkpoints: None })
    }

    /// The last sequence stored for a case (0 for an unknown case).
    pub fn last_sequence(&self, case: &CaseId) -> Result<u64> {
        let sequence: Option<i64> = self.connection.query_row(
            "SELECT MAX(sequence) FROM events WHERE case_id = ?1",
            params![case.as_str()],
            |row| row.get(0),
        )?;
        Ok(sequence.map_or(0, |s| s as u64))
    }

    /// Appends events in one transaction. For each case in the batch, `expected` gives the last
    /// sequence the writer saw (optimistic concurrency): if the log holds another, nothing is
    /// written. An event whose idempotency key is already stored with the same content is
    /// skipped (a retry); with different content it is an error.
    pub fn append(&mut self, events: &[CaseEvent], expected: &[(CaseId, u64)]) -> Result<Appended> {
        let transaction = self.connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // The last sequence of every case this batch touches, as the batch goes on.
        let mut last_sequence: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
        let mut appended = Appended { written: 0, duplicates: 0 };
        {
            let mut max_sequence = transaction.prepare_cached("SELECT MAX(sequence) FROM events WHERE case_id = ?1")?;
            let mut stored_body = transaction.prepare_cached("SELECT body FROM events WHERE idempotency_key = ?1")?;
            let mut insert = transaction.prepare_cached(INSERT_EVENT)?;
            // One append time for the batch: the store's clock when the transaction began.
            let now = now_micros();
            let mut sequence_of = |case: &str| -> Result<u64> {
                let actual: Option<i64> = max_sequence.query_row(params![case], |row| row.get(0))?;
                Ok(actual.map_or(0, |s| s as u64))
            };
            for (case, expected) in expected {
                let actual = sequence_of(case.as_str())?;
                if actual != *expected {
                    return Err(Error::Conflict { case: case.to_string(), expected: *expected, actual });
                }
                last_sequence.insert(case.as_str(), actual);
            }
            let mut previous: Vec<u8> = transaction
                .query_row("SELECT hash FROM events ORDER BY position DESC LIMIT 1", [], |row| row.get(0))
                .optional()?
                .unwrap_or_else(|| GENESIS.to_vec());
            for event in events {
                let body = event.to_json();
                let stored: Option<String> =
                    stored_body.query_row(params![event.idempotency_key.as_str()], |row| row.get(0)).optional()?;
                match stored {
                    Some(stored) if stored == body => {
                        appended.duplicates += 1;
                        continue;
                    }
                    Some(_) => return Err(Error::KeyReused { key: event.idempotency_key.to_string() }),
                    None => {}
                }
                let last = match last_sequence.get(event.case_id.as_str()) {
                    Some(&last) => last,
                    None => sequence_of(event.case_id.as_str())?,
                };
                if event.sequence != last + 1 {
                    return Err(Error::Sequence {
                        case: event.case_id.to_string(),
                        previous: last,
                        found: event.sequence,
                    });
                }
                let hash = row_digest(self.hash, &previous, &body, Some(now));
                insert.execute(params![
                    event.case_id.as_str(),
                    event.sequence as i64,
                    event.idempotency_key.as_str(),
                    event.department.as_str(),
                    event.occurred_at.to_rfc3339(),
                    body,
                    hash,
                    now,
                ])?;
                last_sequence.insert(event.case_id.as_str(), event.sequence);
                previous = hash;
                appended.written += 1;
            }
        }
        transaction.commit()?;
        self.count_toward_checkpoint(appended.written as u64)?;
        Ok(appended)
    }

    /// Appends events one by one in one transaction (see [`EventStore::append_each`](crate::EventStore::append_each)).
    pub fn append_each(&mut self, events: &[CaseEvent], admit: &mut Admit<'_>) -> Result<Vec<Admitted>> {
        Ok(self.append_each_following(i64::MAX, events, &mut |_| {}, admit)?.0)
    }

    /// Appends events one by one after handing over what others appended since `seen` (see
    /// [`EventStore::append_each_following`](crate::EventStore::append_each_following)).
    pub fn append_each_following(
        &mut self,
        seen: i64,
        events: &[CaseEvent],
        follow: &mut Follow<'_>,
        admit: &mut Admit<'_>,
    ) -> Result<(Vec<Admitted>, i64)> {
        let transaction = self.connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut outcomes = Vec::with_capacity(events.len());
        let mut written = 0u64;
        {
            let mut newer = transaction
                .prepare_cached("SELECT position, body FROM events WHERE position > ?1 ORDER BY position")?;
            let rows = newer.query_map(params![seen], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))?;
            for row in rows {
                let (position, body) = row?;
                let event =
                    CaseEvent::from_json(&body).map_err(|e| Error::Corrupt { position, message: e.to_string() })?;
                follow(event);
            }
        }
        {
            let mut max_sequence = transaction.prepare_cached("SELECT MAX(sequence) FROM events WHERE case_id = ?1")?;
            let mut stored_body = transaction.prepare_cached("SELECT body FROM events WHERE idempotency_key = ?1")?;
            let mut insert = transaction.prepare_cached(INSERT_EVENT)?;
            let now = now_micros();
            let mut previous: Vec<u8> = transaction
                .query_row("SELECT hash FROM events ORDER BY position DESC LIMIT 1", [], |row| row.get(0))
                .optional()?
                .unwrap_or_else(|| GENESIS.to_vec());
            let mut batch = Batch::default();
            for event in events {
                let stored: Option<String> =
                    stored_body.query_row(params![event.idempotency_key.as_str()], |row| row.get(0)).optional()?;
                let logged_last = || -> Result<u64> {
                    let actual: Option<i64> =
                        max_sequence.query_row(params![event.case_id.as_str()], |row| row.get(0))?;
                    Ok(actual.map_or(0, |s| s as u64))
                };
                let (outcome, row) = batch.decide(event, stored.as_deref(), logged_last, admit)?;
                if let Some(row) = row {
                    let hash = row_digest(self.hash, &previous, &row.body, Some(now));
                    insert.execute(params![
                        row.case_id.as_str(),
                        row.sequence as i64,
                        row.idempotency_key,
                        row.department.as_str(),
                        row.occurred_at.to_rfc3339(),
                        row.body,
                        hash,
                        now,
                    ])?;
                    previous = hash;
                    written += 1;
                }
                outcomes.push(outcome);
            }
        }
        let last: i64 = transaction.query_row("SELECT COALESCE(MAX(position), 0) FROM events", [], |row| row.get(0))?;
        transaction.commit()?;
        self.count_toward_checkpoint(written)?;
        Ok((outcomes, last))
    }

    /// Counts appended events toward the next checkpoint the store writes itself, and writes it
    /// when due.
    fn count_toward_checkpoint(&mut self, written: u64) -> Result<()> {
        let due = self.checkpoints.as_mut().is_some_and(|checkpoints| {
            checkpoints.since += written;
            let due = checkpoints.since >= checkpoints.every;
            if due {
                checkpoints.since = 0;
            }
            due
        });
        if due {
            let checkpoint = self.checkpoint()?;
            if let Some(checkpoints) = &mut self.checkpoints {
                checkpoints.sink.keep(&checkpoint).map_err(Error::Checkpoint)?;
            }
        }
        Ok(())
    }

    /// From now on, the store writes its own checkpoint (as [`SqliteStore::checkpoint`]) into
    /// `sink` at once and then after every `every` events appended (at the end of the append
    /// that reaches the count), so that truncating or rewriting the log is found against the
    /// latest checkpoint kept outside, not only one someone remembered to take. A checkpoint
    /// the sink refuses makes that append return [`Error::Checkpoint`]; its events stay
    /// committed (a retry is a no-op that tries the checkpoint again at the next count).
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use zhengwu_store::{Checkpoint, CheckpointSink, SqliteStore};
    ///
    /// struct Kept(Arc<Mutex<Vec<Checkpoint>>>);
    /// impl CheckpointSink for Kept {
    ///     fn keep(&mut self, checkpoint: &Checkpoint) -> Result<(), String> {
    ///         self.0.lock().unwrap().push(checkpoint.clone());
    ///         Ok(())
    ///     }
    /// }
    /// let kept = Arc::new(Mutex::new(Vec::new()));
    /// let mut store = SqliteStore::open_in_memory()?;
    /// store.write_checkpoints(1_000, Box::new(Kept(kept.clone())))?;
    /// assert_eq!(kept.lock().unwrap()[0].events, 0);
    /// # Ok::<(), zhengwu_store::Error>(())
    /// ```
    pub fn write_checkpoints(&mut self, every: u64, mut sink: Box<dyn CheckpointSink>) -> Result<()> {
        sink.keep(&self.checkpoint()?).map_err(Error::Checkpoint)?;
        self.checkpoints = Some(Checkpoints { every: every.max(1), since: 0, sink });
        Ok(())
    }

    /// The events of `FROM events …` (the rest of a query), with their hashes and append times.
    fn read(&self, from: &str, parameters: &[&dyn rusqlite::ToSql]) -> Result<Vec<StoredEvent>> {
        let appended = if self.appended_column { "appended_at_us" } else { "NULL" };
        let mut statement = self.connection.prepare(&format!("SELECT position, body, hash, {appended} {from}"))?;
        let rows = statement.query_map(parameters, |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Vec<u8>>(2)?,
                row.get::<_, Option<i64>>(3)?,
            ))
        })?;
        let mut events = Vec::new();
        for row in rows {
            let (position, body, hash, appended) = row?;
            let event = CaseEvent::from_json(&body).map_err(|e| Error::Corrupt { position, message: e.to_string() })?;
            events.push(StoredEvent { position, event, hash: hex::encode(hash), appended_at: appended_at(appended) });
        }
        Ok(events)
    }

    /// A case's events in sequence order.
    pub fn read_case(&self, case: &CaseId) -> Result<Vec<StoredEvent>> {
        self.read("FROM events WHERE case_id = ?1 ORDER BY sequence", &[&case.as_str()])
    }

    /// Events whose business time lies in `[from, to)` (RFC 3339 instants), in log order.
    pub fn read_time_range(
        &self,
        from: chrono::DateTime<chrono::FixedOffset>,
        to: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<Vec<StoredEvent>> {
        // Stored as RFC 3339 with their own offsets: compare as instants after reading.
        let all = self.read("FROM events ORDER BY position", &[])?;
        Ok(all.into_iter().filter(|e| e.event.occurred_at >= from && e.event.occurred_at < to).collect())
    }

    /// A department's events, in log order.
    pub fn read_department(&self, department: &str) -> Result<Vec<StoredEvent>> {
        self.read("FROM events WHERE department = ?1 ORDER BY position", &[&department])
    }

    /// The whole log in order.
    pub fn read_all(&self) -> Result<Vec<StoredEvent>> {
        self.read("FROM events ORDER BY position", &[])
    }

    /// At most `limit` events after log position `position`, in order.
    pub fn read_after(&self, position: i64, limit: usize) -> Result<Vec<StoredEvent>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read("FROM events WHERE position > ?1 ORDER BY position LIMIT ?2", &[&position, &limit])
    }

    /// Checks the hash chain and every case's sequence numbers; reports the first break.
    pub fn verify(&self) -> Result<Verification> {
        self.verify_against(None)
    }

    /// Checks the chain as [`SqliteStore::verify`] does and, with a checkpoint kept outside the
    /// database, that the log still holds what it held then: at least as many events, the event
    /// at the checkpoint's position with the checkpoint's hash. Deleting the last events, or
    /// rewriting the log with its chain recomputed, is a break at the checkpoint's position.
    pub fn verify_against(&self, checkpoint: Option<&Checkpoint>) -> Result<Verification> {
        let appended = if self.appended_column { "appended_at_us" } else { "NULL" };
        let mut statement = self.connection.prepare(&format!(
            "SELECT position, case_id, sequence, idempotency_key, department, occurred_at, body, hash, {appended}
             FROM events ORDER BY position"
        ))?;
        let mut rows = statement.query([])?;
        let mut check = ChainCheck::new(self.hash, checkpoint);
        while let Some(row) = rows.next()? {
            let (position, case, sequence, key, department, occurred_at, body, hash): (
                i64,
                String,
                i64,
                String,
                String,
                String,
                String,
                Vec<u8>,
            ) = (
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
                row.get(6)?,
                row.get(7)?,
            );
            let row = StoredRow {
                position,
                case_id: &case,
                sequence,
                idempotency_key: &key,
                department: &department,
                occurred_at: Occurred::Text(&occurred_at),
                body: &body,
                hash: &hash,
                appended_at_us: row.get(8)?,
            };
            if !check.row(row) {
                break;
            }
        }
        Ok(check.finish())
    }

    /// The log's checkpoint now: how many events it holds and the hash of the last, to be kept
    /// outside the database (signed, with `zhengwu store checkpoint`) and checked later by
    /// [`SqliteStore::verify_against`].
    pub fn checkpoint(&self) -> Result<Checkpoint> {
        let last: Option<(i64, Vec<u8>)> = self
            .connection
            .query_row("SELECT position, hash FROM events ORDER BY position DESC LIMIT 1", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()?;
        let events: i64 = self.connection.query_row("SELECT COUNT(*) FROM events", [], |row| row.get(0))?;
        Ok(Checkpoint {
            version: CHECKPOINT_VERSION,
            chain_hash: self.hash.name().to_owned(),
            events: events as u64,
            last_position: last.as_ref().map_or(0, |(position, _)| *position),
            head: last.map_or_else(|| hex::encode(GENESIS), |(_, hash)| hex::encode(hash)),
        })
    }

    /// Stores a snapshot of a case's state as of `sequence` (the state's serialised form, e.g. a
    /// workflow `CaseSnapshot` or a supervision `CaseState`, under `kind`), replacing an older one.
    /// A snapshot past the case's last stored event is refused: it would describe events the log
    /// does not have.
    pub fn put_snapshot(&mut self, case: &CaseId, kind: &str, sequence: u64, body: &str) -> Result<()> {
        let last = self.last_sequence(case)?;
        if sequence > last {
            return Err(Error::Conflict { case: case.to_string(), expected: sequence, actual: last });
        }
        self.connection.execute(
            "INSERT INTO snapshots (case_id, kind, sequence, body) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (case_id, kind) DO UPDATE SET sequence = excluded.sequence, body = excluded.body
             WHERE excluded.sequence >= snapshots.sequence",
            params![case.as_str(), kind, sequence as i64, body],
        )?;
        Ok(())
    }

    /// Stores records of `kind` by id in one transaction, replacing those with the same id (see
    /// [`EventStore::put_records`](crate::EventStore::put_records)).
    pub fn put_records(&mut self, kind: &str, records: &[(String, String)]) -> Result<()> {
        let transaction = self.connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        {
            let mut upsert = transaction.prepare_cached(
                "INSERT INTO records (kind, id, body) VALUES (?1, ?2, ?3)
                 ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body",
            )?;
            for (id, body) in records {
                upsert.execute(params![kind, id, body])?;
            }
        }
        transaction.commit()?;
        Ok(())
    }

    /// The records of `kind`, by id.
    pub fn records(&self, kind: &str) -> Result<Vec<(String, String)>> {
        let mut statement =
            self.connection.prepare_cached("SELECT id, body FROM records WHERE kind = ?1 ORDER BY id")?;
        let rows = statement.query_map(params![kind], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The latest snapshot of a case under `kind`: its sequence and body. Replay the events after
    /// that sequence ([`SqliteStore::read_case`]) to bring it up to date.
    pub fn snapshot(&self, case: &CaseId, kind: &str) -> Result<Option<(u64, String)>> {
        Ok(self
            .connection
            .query_row(
                "SELECT sequence, body FROM snapshots WHERE case_id = ?1 AND kind = ?2",
                params![case.as_str(), kind],
                |row| Ok((row.get::<_, i64>(0)? as u64, row.get::<_, String>(1)?)),
            )
            .optional()?)
    }

    /// Runs raw SQL (tests use it to tamper with the log).
    #[doc(hidden)]
    pub fn execute_raw(&self, sql: &str) -> Result<usize> {
        Ok(self.connection.execute(sql, [])?)
    }
}

impl crate::event_store::EventStore for SqliteStore {
    fn chain_hash(&self) -> ChainHash {
        self.hash
    }

    fn last_sequence(&mut self, case: &CaseId) -> Result<u64> {
        SqliteStore::last_sequence(self, case)
    }

    fn append(&mut self, events: &[CaseEvent], expected: &[(CaseId, u64)]) -> Result<Appended> {
        SqliteStore::append(self, events, expected)
    }

    fn append_each_following(
        &mut self,
        seen: i64,
        events: &[CaseEvent],
        follow: &mut Follow<'_>,
        admit: &mut Admit<'_>,
    ) -> Result<(Vec<Admitted>, i64)> {
        SqliteStore::append_each_following(self, seen, events, follow, admit)
    }

    fn read_case(&mut self, case: &CaseId) -> Result<Vec<StoredEvent>> {
        SqliteStore::read_case(self, case)
    }

    fn read_time_range(
        &mut self,
        from: chrono::DateTime<chrono::FixedOffset>,
        to: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<Vec<StoredEvent>> {
        SqliteStore::read_time_range(self, from, to)
    }

    fn read_department(&mut self, department: &str) -> Result<Vec<StoredEvent>> {
        SqliteStore::read_department(self, department)
    }

    fn read_all(&mut self) -> Result<Vec<StoredEvent>> {
        SqliteStore::read_all(self)
    }

    fn read_after(&mut self, position: i64, limit: usize) -> Result<Vec<StoredEvent>> {
        SqliteStore::read_after(self, position, limit)
    }

    fn verify(&mut self) -> Result<Verification> {
        SqliteStore::verify(self)
    }

    fn put_snapshot(&mut self, case: &CaseId, kind: &str, sequence: u64, body: &str) -> Result<()> {
        SqliteStore::put_snapshot(self, case, kind, sequence, body)
    }

    fn snapshot(&mut self, case: &CaseId, kind: &str) -> Result<Option<(u64, String)>> {
        SqliteStore::snapshot(self, case, kind)
    }

    fn put_records(&mut self, kind: &str, records: &[(String, String)]) -> Result<()> {
        SqliteStore::put_records(self, kind, records)
    }

    fn records(&mut self, kind: &str) -> Result<Vec<(String, String)>> {
        SqliteStore::records(self, kind)
    }
}

/// What an opened SQLite file is.
enum Identity {
    /// A zhengwu store of a version this crate reads.
    Store,
    /// A zhengwu store made before stores carried their `application_id` (its tables and its
    /// chain hash are there): opened for writing, it is marked.
    LegacyStore,
    /// A new, empty database.
    Empty,
    /// Something else, and why.
    Other(String),
}

/// Whether `table` has `column`.
fn has_column(connection: &Connection, table: &str, column: &str) -> rusqlite::Result<bool> {
    let mut statement = connection.prepare(&format!("SELECT 1 FROM pragma_table_info('{table}') WHERE name = ?1"))?;
    statement.exists(params![column])
}

fn identify(connection: &Connection) -> rusqlite::Result<Identity> {
    let application_id: i32 = connection.query_row("PRAGMA application_id", [], |row| row.get(0))?;
    let version: i32 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let mut statement = connection.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?;
    let tables: Vec<String> = statement.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
    let tables: Vec<String> = tables.into_iter().filter(|t| !t.starts_with("sqlite_")).collect();
    if application_id == APPLICATION_ID {
        return Ok(if version > STORE_VERSION {
            Identity::Other(format!("a zhengwu store of version {version}, newer than this program's {STORE_VERSION}"))
        } else {
            Identity::Store
        });
    }
    if application_id != 0 {
        return Ok(Identity::Other(format!("its SQLite application_id is {application_id:#010x}")));
    }
    if tables.is_empty() {
        return Ok(Identity::Empty);
    }
    let ours = tables.iter().all(|t| TABLES.contains(&t.as_str())) && tables.iter().any(|t| t == "events");
    let chain: Option<String> = if ours {
        connection.query_row("SELECT value FROM meta WHERE key = 'chain_hash'", [], |row| row.get(0)).optional()?
    } else {
        None
    };
    Ok(match chain {
        Some(_) => Identity::LegacyStore,
        None => Identity::Other(format!("it holds the tables {}", tables.join(", "))),
    })
}

fn not_a_store(path: &Path, reason: &str) -> Error {
    Error::NotAStore { path: path.display().to_string(), reason: reason.to_owned() }
}

/// Creates a new store file readable and writable by its owner only (0600: the log holds 公民身份号码
/// and credit codes; SQLite's -wal and -shm files take the same mode). Created exclusively, so a
/// link planted at the path is not followed; an existing file is left as it is.
fn create_private(path: &Path) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        // A link to nothing: SQLite would create its target, wherever it points.
        Ok(meta) if meta.file_type().is_symlink() && !path.exists() => {
            return Err(Error::Create {
                path: path.display().to_string(),
                message: "it is a dangling symbolic link; a new store is not created through it".to_owned(),
            });
        }
        Ok(_) => return Ok(()),
        Err(_) => {}
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        // Another writer created it first: it goes on with that file.
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(Error::Create { path: path.display().to_string(), message: error.to_string() }),
    }
}
