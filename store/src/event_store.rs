//! The one interface over both backends.

use chrono::{DateTime, FixedOffset};
use zhengwu_core::{CaseEvent, CaseId};

use crate::each::{Admit, Admitted, Follow};
use crate::error::Result;
use crate::log::{Appended, ChainHash, StoredEvent, Verification};

/// 事件库: the append-only event log, whichever database holds it. [`SqliteStore`](crate::SqliteStore) (embedded,
/// the default) and `PostgresStore` (feature `postgres`: shared by several application servers)
/// pass the same test suite.
pub trait EventStore {
    /// The chain hash of the log.
    fn chain_hash(&self) -> ChainHash;
    /// The last sequence stored for a case (0 for an unknown case).
    fn last_sequence(&mut self, case: &CaseId) -> Result<u64>;
    /// Appends events in one transaction. For each case in `expected`, the last sequence the
    /// writer saw (optimistic concurrency): if the log holds another, nothing is written. An event
    /// whose idempotency key is stored with the same content is skipped (a retry); with different
    /// content it is an error.
    fn append(&mut self, events: &[CaseEvent], expected: &[(CaseId, u64)]) -> Result<Appended>;
    /// Appends events one by one in one transaction: each is written, skipped as a retry (its
    /// key stored with the same content), or refused with the reason (its sequence does not
    /// follow the case's last, its key is used by a different event, or `admit` refused it),
    /// while the others are written. `admit` is asked about each event the log would take, in
    /// order. Nothing is written when the transaction fails (`Err`): then `admit` may have
    /// accepted events that are not in the log.
    ///
    /// ```
    /// use zhengwu_store::{Admitted, SqliteStore};
    /// # let event = |sequence: u64| {
    /// #     let line = format!(r#"{{"schema":1,"idempotency_key":"C1#{sequence}","case_id":"C1","sequence":{sequence},"item_code":"X","department":"d","region":"530102","occurred_at":"2026-03-02T09:00:00+08:00","recorded_at":"2026-03-02T09:00:00+08:00","actor":{{"id":"w1"}},"type":"received","channel":"window"}}"#);
    /// #     zhengwu_core::CaseEvent::from_json(&line).unwrap()
    /// # };
    /// let mut store = SqliteStore::open_in_memory()?;
    /// // Sequence 3 does not follow 1: refused, while 1 and 2 are written.
    /// let outcomes = store.append_each(&[event(1), event(3), event(2)], &mut |_| Ok(()))?;
    /// assert_eq!(outcomes[0], Admitted::Written);
    /// assert!(matches!(&outcomes[1], Admitted::Refused(reason) if reason.contains("does not follow 1")));
    /// assert_eq!(outcomes[2], Admitted::Written);
    /// # Ok::<(), zhengwu_store::Error>(())
    /// ```
    fn append_each(&mut self, events: &[CaseEvent], admit: &mut Admit<'_>) -> Result<Vec<Admitted>> {
        Ok(self.append_each_following(i64::MAX, events, &mut |_| {}, admit)?.0)
    }
    /// [`EventStore::append_each`] for a writer that keeps its own state of the log (a
    /// supervision centre's supervisor) while other writers append to it too (servers sharing
    /// one PostgreSQL log): inside the transaction, once the log is its own, every event after
    /// position `seen` is handed to `follow` in log order, then the batch is decided; returns the
    /// outcomes and the log's last position after the append (the next `seen`).
    fn append_each_following(
        &mut self,
        seen: i64,
        events: &[CaseEvent],
        follow: &mut Follow<'_>,
        admit: &mut Admit<'_>,
    ) -> Result<(Vec<Admitted>, i64)>;
    /// A case's events in sequence order.
    fn read_case(&mut self, case: &CaseId) -> Result<Vec<StoredEvent>>;
    /// Events whose business time lies in `[from, to)`, in log order.
    fn read_time_range(&mut self, from: DateTime<FixedOffset>, to: DateTime<FixedOffset>) -> Result<Vec<StoredEvent>>;
    /// A department's events, in log order.
    fn read_department(&mut self, department: &str) -> Result<Vec<StoredEvent>>;
    /// The whole log in order.
    fn read_all(&mut self) -> Result<Vec<StoredEvent>>;
    /// At most `limit` events after log position `position` (0: from the start), in order: a
    /// reader that follows the log (a county centre forwarding to the city) keeps its position.
    fn read_after(&mut self, position: i64, limit: usize) -> Result<Vec<StoredEvent>>;
    /// Checks the hash chain and every case's sequence numbers; reports the first break.
    fn verify(&mut self) -> Result<Verification>;
    /// Stores a snapshot of a case's state as of `sequence` under `kind`, replacing an older one;
    /// a snapshot past the case's last event is refused.
    fn put_snapshot(&mut self, case: &CaseId, kind: &str, sequence: u64, body: &str) -> Result<()>;
    /// The latest snapshot of a case under `kind`: its sequence and body.
    fn snapshot(&mut self, case: &CaseId, kind: &str) -> Result<Option<(u64, String)>>;
    /// Stores a host's records of `kind` by id in one transaction, replacing those with the same
    /// id: state that is not a case's events but must survive a restart beside them (the
    /// supervision centre keeps each alert's state here, its correction steps included). Not
    /// part of the hash chain.
    fn put_records(&mut self, kind: &str, records: &[(String, String)]) -> Result<()>;
    /// The records of `kind`, by id.
    fn records(&mut self, kind: &str) -> Result<Vec<(String, String)>>;
}
