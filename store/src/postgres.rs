//! The PostgreSQL event log, for deployments where several application servers share one log:
//! the same guarantees as the SQLite log (idempotency keys, expected sequences, the hash chain,
//! snapshots), with appends from all servers serialised by a transaction-scoped advisory lock so
//! that the chain stays one line.

use chrono::{DateTime, FixedOffset};
use postgres::{Client, NoTls};
use zhengwu_core::{CaseEvent, CaseId};

use crate::each::{Admit, Admitted, Batch, Follow, NewRow};
use crate::error::{Error, Result};
use crate::log::{Appended, ChainCheck, ChainHash, GENESIS, StoredEvent, Verification};

/// The advisory lock key every append takes (`hashtext('zhengwu_events')` would do as well; a
/// constant keeps it independent of the server's hash function).
const APPEND_LOCK: i64 = 0x007a_6865_6e67_7775;

/// 事件库 on PostgreSQL (or a PostgreSQL-compatible database).
///
/// ```no_run
/// use zhengwu_store::{EventStore, PostgresStore};
/// let mut store = PostgresStore::connect("host=127.0.0.1 user=zhengwu password=zhengwu dbname=zhengwu")?;
/// assert_eq!(store.verify()?.first_break, None);
/// # Ok::<(), zhengwu_store::Error>(())
/// ```
pub struct PostgresStore {
    client: Client,
    hash: ChainHash,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore").field("hash", &self.hash).finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// Connects (libpq-style parameters or a `postgresql://` URL) and creates the tables if
    /// needed; a new log gets a SHA-256 chain, an existing one keeps its own.
    pub fn connect(parameters: &str) -> Result<Self> {
        Self::init(Client::connect(parameters, NoTls)?, None)
    }

    /// Connects with the given chain hash; an existing log made with another is an error.
    pub fn connect_with(parameters: &str, hash: ChainHash) -> Result<Self> {
        Self::init(Client::connect(parameters, NoTls)?, Some(hash))
    }

    fn init(mut client: Client, requested: Option<ChainHash>) -> Result<Self> {
        client.batch_execute(
            "SELECT pg_advisory_lock(8245437011);
             CREATE TABLE IF NOT EXISTS zhengwu_events (
                position BIGSERIAL PRIMARY KEY,
                case_id TEXT NOT NULL,
                sequence BIGINT NOT NULL,
                idempotency_key TEXT NOT NULL UNIQUE,
                department TEXT NOT NULL,
                occurred_at_us BIGINT NOT NULL,
                body TEXT NOT NULL,
                hash BYTEA NOT NULL,
                appended_at_us BIGINT,
                UNIQUE (case_id, sequence)
             );
             ALTER TABLE zhengwu_events ADD COLUMN IF NOT EXISTS appended_at_us BIGINT;
             CREATE TABLE IF NOT EXISTS zhengwu_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS zhengwu_snapshots (
                case_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                sequence BIGINT NOT NULL,
                body TEXT NOT NULL,
                PRIMARY KEY (case_id, kind)
             );
             CREATE TABLE IF NOT EXISTS zhengwu_records (
                 kind TEXT NOT NULL,
                 id TEXT NOT NULL,
                 body TEXT NOT NULL,
                 PRIMARY KEY (kind, id)
             );
             CREATE INDEX IF NOT EXISTS zhengwu_events_by_time ON zhengwu_events (occurred_at_us);
             CREATE INDEX IF NOT EXISTS zhengwu_events_by_department ON zhengwu_events (department, occurred_at_us);
             SELECT pg_advisory_unlock(8245437011);",
        )?;
        let stored: Option<String> =
            client.query_opt("SELECT value FROM zhengwu_meta WHERE key = 'chain_hash'", &[])?.map(|row| row.get(0));
        let hash = match ChainHash::resolve(stored.as_deref(), requested)? {
            (hash, false) => hash,
            (hash, true) => {
                client.execute(
                    "INSERT INTO zhengwu_meta (key, value) VALUES ('chain_hash', $1) ON CONFLICT (key) DO NOTHING",
                    &[&hash.name()],
                )?;
                // Another server may have created the log first: keep what is stored.
                let stored: String =
                    client.query_one("SELECT value FROM zhengwu_meta WHERE key = 'chain_hash'", &[])?.get(0);
                ChainHash::resolve(Some(&stored), requested)?.0
            }
        };
        Ok(Self { client, hash })
    }

    /// Removes every event, snapshot and setting (tests; a fresh log for a demo).
    #[doc(hidden)]
    pub fn reset(&mut self) -> Result<()> {
        self.client.batch_execute("TRUNCATE zhengwu_events, zhengwu_snapshots, zhengwu_records RESTART IDENTITY")?;
        Ok(())
    }

    /// Runs raw SQL (tests use it to tamper with the log).
    #[doc(hidden)]
    pub fn execute_raw(&mut self, sql: &str) -> Result<u64> {
        Ok(self.client.execute(sql, &[])?)
    }

    fn read(&mut self, sql: &str, parameters: &[&(dyn postgres::types::ToSql + Sync)]) -> Result<Vec<StoredEvent>> {
        let rows = self.client.query(sql, parameters)?;
        rows.into_iter()
            .map(|row| {
                let (position, body, hash, appended): (i64, String, Vec<u8>, Option<i64>) =
                    (row.get(0), row.get(1), row.get(2), row.get(3));
                let event =
                    CaseEvent::from_json(&body).map_err(|e| Error::Corrupt { position, message: e.to_string() })?;
                Ok(StoredEvent {
                    position,
                    event,
                    hash: hex::encode(hash),
                    appended_at: crate::log::appended_at(appended),
                })
            })
            .collect()
    }
}

fn micros(at: DateTime<FixedOffset>) -> i64 {
    at.timestamp_micros()
}

impl crate::event_store::EventStore for PostgresStore {
    fn chain_hash(&self) -> ChainHash {
        self.hash
    }

    fn last_sequence(&mut self, case: &CaseId) -> Result<u64> {
        let row =
            self.client.query_one("SELECT MAX(sequence) FROM zhengwu_events WHERE case_id = $1", &[&case.as_str()])?;
        Ok(row.get::<_, Option<i64>>(0).map_or(0, |s| s as u64))
    }

    fn append(&mut self, events: &[CaseEvent], expected: &[(CaseId, u64)]) -> Result<Appended> {
        let hash = self.hash;
        let mut transaction = self.client.transaction()?;
        let expected_cases: Vec<&str> = expected.iter().map(|(case, _)| case.as_str()).collect();
        let Before { mut last_sequence, stored, mut previous } =
            Before::read(&mut transaction, &expected_cases, events)?;
        for (case, expected) in expected {
            let actual = last_sequence.get(case.as_str()).copied().unwrap_or(0);
            if actual != *expected {
                return Err(Error::Conflict { case: case.to_string(), expected: *expected, actual });
            }
        }
        let mut appended = Appended { written: 0, duplicates: 0 };
        // One append time for the batch, by the store's clock.
        let now = crate::log::now_micros();
        let mut rows = Rows::default();
        for event in events {
            let body = event.to_json();
            match stored.get(event.idempotency_key.as_str()) {
                Some(stored) if *stored == body => {
                    appended.duplicates += 1;
                    continue;
                }
                Some(_) => return Err(Error::KeyReused { key: event.idempotency_key.to_string() }),
                None => {}
            }
            let last = last_sequence.get(event.case_id.as_str()).copied().unwrap_or(0);
            if event.sequence != last + 1 {
                return Err(Error::Sequence { case: event.case_id.to_string(), previous: last, found: event.sequence });
            }
            let digest = crate::log::row_digest(hash, &previous, &body, Some(now));
            last_sequence.insert(event.case_id.to_string(), event.sequence);
            previous.clone_from(&digest);
            let row = NewRow {
                case_id: event.case_id.clone(),
                sequence: event.sequence,
                idempotency_key: event.idempotency_key.to_string(),
                department: event.department.clone(),
                occurred_at: event.occurred_at,
                body,
            };
            rows.push(row, digest);
            appended.written += 1;
        }
        rows.insert(&mut transaction, now)?;
        transaction.commit()?;
        Ok(appended)
    }

    fn append_each_following(
        &mut self,
        seen: i64,
        events: &[CaseEvent],
        follow: &mut Follow<'_>,
        admit: &mut Admit<'_>,
    ) -> Result<(Vec<Admitted>, i64)> {
        let hash = self.hash;
        let mut transaction = self.client.transaction()?;
        // The same three round trips as `append`: the decisions are made in memory after them.
        let Before { last_sequence, stored, mut previous } = Before::read(&mut transaction, &[], events)?;
        // Under the lock, what the other servers appended since `seen`, before deciding.
        for row in transaction
            .query("SELECT position, body FROM zhengwu_events WHERE position > $1 ORDER BY position", &[&seen])?
        {
            let (position, body): (i64, String) = (row.get(0), row.get(1));
            follow(CaseEvent::from_json(&body).map_err(|e| Error::Corrupt { position, message: e.to_string() })?);
        }
        let now = crate::log::now_micros();
        let mut rows = Rows::default();
        let mut batch = Batch::default();
        let mut outcomes = Vec::with_capacity(events.len());
        for event in events {
            let logged_last = || Ok(last_sequence.get(event.case_id.as_str()).copied().unwrap_or(0));
            let (outcome, row) = batch.decide(
                event,
                stored.get(event.idempotency_key.as_str()).map(String::as_str),
                logged_last,
                admit,
            )?;
            if let Some(row) = row {
                let digest = crate::log::row_digest(hash, &previous, &row.body, Some(now));
                previous.clone_from(&digest);
                rows.push(row, digest);
            }
            outcomes.push(outcome);
        }
        rows.insert(&mut transaction, now)?;
        let last: i64 = transaction.query_one("SELECT COALESCE(MAX(position), 0) FROM zhengwu_events", &[])?.get(0);
        transaction.commit()?;
        Ok((outcomes, last))
    }

    fn put_records(&mut self, kind: &str, records: &[(String, String)]) -> Result<()> {
        let mut transaction = self.client.transaction()?;
        let (ids, bodies): (Vec<&str>, Vec<&str>) =
            records.iter().map(|(id, body)| (id.as_str(), body.as_str())).unzip();
        transaction.execute(
            "INSERT INTO zhengwu_records (kind, id, body) SELECT $1, id, body FROM UNNEST($2::text[], $3::text[]) AS r(id, body)
             ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body",
            &[&kind, &ids, &bodies],
        )?;
        transaction.commit()?;
        Ok(())
    }

    fn records(&mut self, kind: &str) -> Result<Vec<(String, String)>> {
        let rows = self.client.query("SELECT id, body FROM zhengwu_records WHERE kind = $1 ORDER BY id", &[&kind])?;
        Ok(rows.into_iter().map(|row| (row.get(0), row.get(1))).collect())
    }

    fn read_case(&mut self, case: &CaseId) -> Result<Vec<StoredEvent>> {
        self.read(
            "SELECT position, body, hash, appended_at_us FROM zhengwu_events WHERE case_id = $1 ORDER BY sequence",
            &[&case.as_str()],
        )
    }

    fn read_time_range(&mut self, from: DateTime<FixedOffset>, to: DateTime<FixedOffset>) -> Result<Vec<StoredEvent>> {
        self.read(
            "SELECT position, body, hash, appended_at_us FROM zhengwu_events WHERE occurred_at_us >= $1 AND occurred_at_us < $2
             ORDER BY position",
            &[&micros(from), &micros(to)],
        )
    }

    fn read_department(&mut self, department: &str) -> Result<Vec<StoredEvent>> {
        self.read(
            "SELECT position, body, hash, appended_at_us FROM zhengwu_events WHERE department = $1 ORDER BY position",
            &[&department],
        )
    }

    fn read_all(&mut self) -> Result<Vec<StoredEvent>> {
        self.read("SELECT position, body, hash, appended_at_us FROM zhengwu_events ORDER BY position", &[])
    }

    fn read_after(&mut self, position: i64, limit: usize) -> Result<Vec<StoredEvent>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read(
            "SELECT position, body, hash, appended_at_us FROM zhengwu_events WHERE position > $1 ORDER BY position LIMIT $2",
            &[&position, &limit],
        )
    }

    fn verify(&mut self) -> Result<Verification> {
        let mut check = ChainCheck::new(self.hash, None);
        let rows = self.client.query(
            "SELECT position, case_id, sequence, idempotency_key, department, occurred_at_us, body, hash, appended_at_us
             FROM zhengwu_events ORDER BY position",
            &[],
        )?;
        for row in rows {
            let (case, key, department, body, hash): (String, String, String, String, Vec<u8>) =
                (row.get(1), row.get(3), row.get(4), row.get(6), row.get(7));
            let stored = crate::log::StoredRow {
                position: row.get(0),
                case_id: &case,
                sequence: row.get(2),
                idempotency_key: &key,
                department: &department,
                occurred_at: crate::log::Occurred::Micros(row.get(5)),
                body: &body,
                hash: &hash,
                appended_at_us: row.get(8),
            };
            if !check.row(stored) {
                break;
            }
        }
        Ok(check.finish())
    }

    fn put_snapshot(&mut self, case: &CaseId, kind: &str, sequence: u64, body: &str) -> Result<()> {
        let last = self.last_sequence(case)?;
        if sequence > last {
            return Err(Error::Conflict { case: case.to_string(), expected: sequence, actual: last });
        }
        self.client.execute(
            "INSERT INTO zhengwu_snapshots (case_id, kind, sequence, body) VALUES ($1, $2, $3, $4)
             ON CONFLICT (case_id, kind) DO UPDATE SET sequence = excluded.sequence, body = excluded.body
             WHERE excluded.sequence >= zhengwu_snapshots.sequence",
            &[&case.as_str(), &kind, &(sequence as i64), &body],
        )?;
        Ok(())
    }

    fn snapshot(&mut self, case: &CaseId, kind: &str) -> Result<Option<(u64, String)>> {
        Ok(self
            .client
            .query_opt(
                "SELECT sequence, body FROM zhengwu_snapshots WHERE case_id = $1 AND kind = $2",
                &[&case.as_str(), &kind],
            )?
            .map(|row| (row.get::<_, i64>(0) as u64, row.get::<_, String>(1))))
    }
}

/// What an append reads before deciding, under the append lock: the last sequence of each case,
/// the bodies stored under the batch's keys, and the chain's last hash.
struct Before {
    last_sequence: std::collections::HashMap<String, u64>,
    stored: std::collections::HashMap<String, String>,
    previous: Vec<u8>,
}

impl Before {
    /// Takes the append lock and reads, in three round trips whatever the batch's size.
    fn read(transaction: &mut postgres::Transaction<'_>, cases: &[&str], events: &[CaseEvent]) -> Result<Self> {
        // One appender at a time across every server: the chain is one line.
        transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&APPEND_LOCK])?;
        let mut cases: Vec<&str> = cases.iter().copied().chain(events.iter().map(|e| e.case_id.as_str())).collect();
        cases.sort_unstable();
        cases.dedup();
        let last_sequence = transaction
            .query(
                "SELECT case_id, MAX(sequence) FROM zhengwu_events WHERE case_id = ANY($1) GROUP BY case_id",
                &[&cases],
            )?
            .into_iter()
            .map(|row| (row.get::<_, String>(0), row.get::<_, i64>(1) as u64))
            .collect();
        let keys: Vec<&str> = events.iter().map(|e| e.idempotency_key.as_str()).collect();
        let stored = transaction
            .query("SELECT idempotency_key, body FROM zhengwu_events WHERE idempotency_key = ANY($1)", &[&keys])?
            .into_iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect();
        let previous = transaction
            .query_opt("SELECT hash FROM zhengwu_events ORDER BY position DESC LIMIT 1", &[])?
            .map_or_else(|| GENESIS.to_vec(), |row| row.get(0));
        Ok(Before { last_sequence, stored, previous })
    }
}

/// The columns of the rows one append writes, for one `INSERT … SELECT FROM UNNEST`.
#[derive(Default)]
struct Rows {
    case_ids: Vec<String>,
    sequences: Vec<i64>,
    idempotency_keys: Vec<String>,
    departments: Vec<String>,
    times: Vec<i64>,
    bodies: Vec<String>,
    hashes: Vec<Vec<u8>>,
}

impl Rows {
    fn push(&mut self, row: NewRow, hash: Vec<u8>) {
        self.case_ids.push(row.case_id.to_string());
        self.sequences.push(row.sequence as i64);
        self.idempotency_keys.push(row.idempotency_key);
        self.departments.push(row.department.to_string());
        self.times.push(micros(row.occurred_at));
        self.bodies.push(row.body);
        self.hashes.push(hash);
    }

    fn insert(&self, transaction: &mut postgres::Transaction<'_>, now: i64) -> Result<()> {
        if self.case_ids.is_empty() {
            return Ok(());
        }
        // UNNEST keeps the rows' order, so positions follow the chain.
        transaction.execute(
            "INSERT INTO zhengwu_events (case_id, sequence, idempotency_key, department, occurred_at_us, body, hash, appended_at_us)
             SELECT case_id, sequence, idempotency_key, department, occurred_at_us, body, hash, $8::bigint FROM UNNEST($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::bytea[])
             WITH ORDINALITY AS rows(case_id, sequence, idempotency_key, department, occurred_at_us, body, hash, n)
             ORDER BY n",
            &[
                &self.case_ids,
                &self.sequences,
                &self.idempotency_keys,
                &self.departments,
                &self.times,
                &self.bodies,
                &self.hashes,
                &now,
            ],
        )?;
        Ok(())
    }
}
