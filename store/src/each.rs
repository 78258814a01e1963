//! Appending event by event: what [`crate::EventStore::append_each`] decides for each event,
//! shared by both backends so that they refuse the same events for the same reasons.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};
use zhengwu_core::{CaseEvent, CaseId, DepartmentId};

/// What became of one event of [`crate::EventStore::append_each`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Admitted {
    /// Written to the log.
    Written,
    /// Already in the log under its key with the same content (a retried delivery): not written
    /// again.
    Duplicate,
    /// Not written, and why: its sequence does not follow the case's last one, its key is used by
    /// a different event, or the caller's check refused it (the check's own reason).
    Refused(String),
}

/// The caller's check of an event the log would take (its key is new and its sequence follows):
/// `Ok` to write it, `Err` with the reason to refuse it. It runs once per such event, in order,
/// so a caller may apply the event to its own state as it admits it (a supervisor's ingest).
pub type Admit<'a> = dyn FnMut(&CaseEvent) -> Result<(), String> + 'a;

/// What a reader that follows the log does with an event other writers appended since it last
/// looked ([`crate::EventStore::append_each_following`]): it is handed over, in log order, before
/// the reader's own events are decided.
pub type Follow<'a> = dyn FnMut(CaseEvent) + 'a;

/// An event `append_each` writes: the columns both backends store.
#[derive(Debug)]
pub(crate) struct NewRow {
    pub(crate) case_id: CaseId,
    pub(crate) sequence: u64,
    pub(crate) idempotency_key: String,
    pub(crate) department: DepartmentId,
    pub(crate) occurred_at: DateTime<FixedOffset>,
    pub(crate) body: String,
}

/// The decisions of one `append_each`: the last sequence of each case and the body under each
/// key written so far in the batch, beside what the log held before it.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    last_sequence: HashMap<CaseId, u64>,
    written_keys: HashMap<String, String>,
}

impl Batch {
    /// Decides one event. `stored` is the body the log holds under the event's key (before the
    /// batch), `logged_last` the case's last sequence in the log (asked only for a case the batch
    /// has not written to yet). Returns the outcome and, when written, the row.
    pub(crate) fn decide(
        &mut self,
        event: &CaseEvent,
        stored: Option<&str>,
        logged_last: impl FnOnce() -> crate::error::Result<u64>,
        admit: &mut Admit<'_>,
    ) -> crate::error::Result<(Admitted, Option<NewRow>)> {
        let body = event.to_json();
        let key = event.idempotency_key.as_str();
        match stored.or_else(|| self.written_keys.get(key).map(String::as_str)) {
            Some(stored) if stored == body => return Ok((Admitted::Duplicate, None)),
            Some(_) => {
                return Ok((
                    Admitted::Refused(format!(
                        "idempotency key `{key}` is already used by a different event; a retried delivery repeats \
                         the event exactly"
                    )),
                    None,
                ));
            }
            None => {}
        }
        let last = match self.last_sequence.get(&event.case_id) {
            Some(&last) => last,
            None => {
                let last = logged_last()?;
                self.last_sequence.insert(event.case_id.clone(), last);
                last
            }
        };
        if event.sequence != last + 1 {
            return Ok((
                Admitted::Refused(format!(
                    "case `{}`: event sequence {} does not follow {last}, the case's last stored sequence",
                    event.case_id, event.sequence
                )),
                None,
            ));
        }
        if let Err(reason) = admit(event) {
            return Ok((Admitted::Refused(reason), None));
        }
        self.last_sequence.insert(event.case_id.clone(), event.sequence);
        self.written_keys.insert(key.to_owned(), body.clone());
        Ok((
            Admitted::Written,
            Some(NewRow {
                case_id: event.case_id.clone(),
                sequence: event.sequence,
                idempotency_key: key.to_owned(),
                department: event.department.clone(),
                occurred_at: event.occurred_at,
                body,
            }),
        ))
    }
}
