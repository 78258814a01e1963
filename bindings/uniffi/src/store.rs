//! 事件库: the embedded SQLite event store with its tamper-evident hash chain.

use std::sync::{Arc, Mutex};

use crate::error::{ZhengwuError, invalid, lock};
use crate::event::CaseEventRecord;
use crate::time::Instant;

/// A case's last sequence as the caller last read it (optimistic concurrency: an append whose
/// expectation no longer holds is refused, nothing written).
#[derive(Debug, Clone, uniffi::Record)]
pub struct ExpectedSequence {
    pub case_id: String,
    /// The case's last sequence the caller saw (0: a new case).
    pub sequence: i64,
}

/// What an append wrote.
#[derive(Debug, Clone, uniffi::Record)]
pub struct AppendResult {
    pub written: i64,
    /// Events already stored (same idempotency key and content), skipped.
    pub duplicates: i64,
}

/// An event as stored: its position in the log and its chain hash.
#[derive(Debug, Clone, uniffi::Record)]
pub struct StoredEventRecord {
    pub position: i64,
    pub hash: String,
    pub event: CaseEventRecord,
}

/// The hash chain checked from the first event.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ChainVerification {
    pub events: i64,
    pub cases: i64,
    /// Whether every stored event matches its chain hash.
    pub intact: bool,
    /// The position of the first event that does not, and why.
    pub first_break_position: Option<i64>,
    pub first_break_reason: Option<String>,
}

fn store_error(error: zhengwu_store::Error) -> ZhengwuError {
    ZhengwuError::Store { reason: error.to_string() }
}

/// 事件库: an SQLite file (created when missing) holding every case's events.
#[derive(Debug, uniffi::Object)]
pub struct EventStore {
    inner: Mutex<zhengwu_store::SqliteStore>,
}

fn stored(events: Vec<zhengwu_store::StoredEvent>) -> Vec<StoredEventRecord> {
    events
        .into_iter()
        .map(|stored| StoredEventRecord {
            position: stored.position,
            hash: stored.hash,
            event: CaseEventRecord::from(&stored.event),
        })
        .collect()
}

#[uniffi::export]
impl EventStore {
    /// Opens (or creates) the store at `path`.
    #[uniffi::constructor]
    pub fn open(path: String) -> Result<Arc<Self>, ZhengwuError> {
        Ok(Arc::new(EventStore { inner: Mutex::new(zhengwu_store::SqliteStore::open(&path).map_err(store_error)?) }))
    }

    /// A store in memory (tests, previews).
    #[uniffi::constructor]
    pub fn in_memory() -> Result<Arc<Self>, ZhengwuError> {
        Ok(Arc::new(EventStore {
            inner: Mutex::new(zhengwu_store::SqliteStore::open_in_memory().map_err(store_error)?),
        }))
    }

    /// Appends events in one transaction, if every expected sequence still holds; an event
    /// out of order, a gap, or a changed expectation refuses the whole append.
    pub fn append(
        &self,
        events: Vec<CaseEventRecord>,
        expected: Vec<ExpectedSequence>,
    ) -> Result<AppendResult, ZhengwuError> {
        let mut parsed = Vec::with_capacity(events.len());
        for event in &events {
            parsed.push(zhengwu_core::CaseEvent::from_json(&event.json).map_err(|e| invalid(e.to_string()))?);
        }
        let mut expectations = Vec::with_capacity(expected.len());
        for e in expected {
            let sequence = u64::try_from(e.sequence).map_err(|_| invalid(format!("sequence {}", e.sequence)))?;
            expectations.push((e.case_id.as_str().into(), sequence));
        }
        let mut store = lock(&self.inner, "store")?;
        let appended = store.append(&parsed, &expectations).map_err(store_error)?;
        Ok(AppendResult {
            written: i64::try_from(appended.written).unwrap_or(i64::MAX),
            duplicates: i64::try_from(appended.duplicates).unwrap_or(i64::MAX),
        })
    }

    /// A case's last stored sequence (0 when it has none).
    pub fn last_sequence(&self, case_id: String) -> Result<i64, ZhengwuError> {
        let store = lock(&self.inner, "store")?;
        let last = store.last_sequence(&case_id.as_str().into()).map_err(store_error)?;
        Ok(i64::try_from(last).unwrap_or(i64::MAX))
    }

    /// A case's events, in order.
    pub fn read_case(&self, case_id: String) -> Result<Vec<StoredEventRecord>, ZhengwuError> {
        let store = lock(&self.inner, "store")?;
        Ok(stored(store.read_case(&case_id.as_str().into()).map_err(store_error)?))
    }

    /// The events that occurred in `[from, to)`.
    pub fn read_time_range(&self, from: Instant, to: Instant) -> Result<Vec<StoredEventRecord>, ZhengwuError> {
        let store = lock(&self.inner, "store")?;
        Ok(stored(store.read_time_range(from, to).map_err(store_error)?))
    }

    /// A department's events.
    pub fn read_department(&self, department: String) -> Result<Vec<StoredEventRecord>, ZhengwuError> {
        let store = lock(&self.inner, "store")?;
        Ok(stored(store.read_department(&department).map_err(store_error)?))
    }

    /// Checks the hash chain from the first event: whether anything stored was changed.
    pub fn verify(&self) -> Result<ChainVerification, ZhengwuError> {
        let store = lock(&self.inner, "store")?;
        let verification = store.verify().map_err(store_error)?;
        Ok(ChainVerification {
            events: i64::try_from(verification.events).unwrap_or(i64::MAX),
            cases: i64::try_from(verification.cases).unwrap_or(i64::MAX),
            intact: verification.first_break.is_none(),
            first_break_position: verification.first_break.as_ref().map(|(position, _)| *position),
            first_break_reason: verification.first_break.map(|(_, reason)| reason),
        })
    }
}
