//! The centre's shared state: the supervisor the writer feeds and the readers ask, the alert
//! stream, and the queue's budget.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;
use tokio::sync::{Notify, broadcast, oneshot};
use zhengwu_core::{CaseEvent, OfficialId, Organization};
use zhengwu_supervision::{Alert, CorrectionAction, ScoringScheme, Supervisor};

use crate::access::Clients;
use crate::forward::ForwardState;
use crate::tls::ClientTrust;

/// The centre's clock: the one place `zhengwu-serve` reads the time, in China time. The
/// engines take it as a value, as everywhere.
#[allow(clippy::disallowed_methods)]
pub fn now() -> DateTime<FixedOffset> {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let utc = DateTime::<Utc>::from_timestamp(since.as_secs() as i64, since.subsec_nanos()).unwrap_or_default();
    utc.with_timezone(&zhengwu_core::china_offset())
}

/// The writer's timer for scheduling evaluations (a host's monotonic clock, not a measurement).
#[allow(clippy::disallowed_methods)]
pub(crate) fn monotonic() -> std::time::Instant {
    std::time::Instant::now()
}

/// A line of a batch refused, by its 1-based number in the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineRejection {
    /// The line, 1-based.
    pub line: usize,
    /// Why: the field and what was wrong, or what the case holds that the event contradicts.
    pub reason: String,
}

/// The answer to `POST /v1/events`, sent once the batch is committed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BatchReply {
    /// Events written (and applied to the supervisor).
    pub accepted: usize,
    /// Events already in the log (a retried delivery): not written again.
    pub duplicates: usize,
    /// Lines refused, with their reasons; the other lines were kept.
    pub rejected: Vec<LineRejection>,
}

/// A batch on its way to the writer: its readable events with their line numbers, and where to
/// send the outcome (the lines refused there, or why nothing could be committed).
#[derive(Debug)]
pub(crate) struct Submission {
    pub(crate) events: Vec<(usize, CaseEvent)>,
    pub(crate) reply: oneshot::Sender<Result<BatchReply, String>>,
}

/// A correction step on its way to the writer, which records it and keeps the alert's state
/// before answering.
#[derive(Debug)]
pub(crate) struct Correction {
    pub(crate) alert: String,
    pub(crate) action: CorrectionAction,
    pub(crate) actor: OfficialId,
    pub(crate) reply: oneshot::Sender<Result<Arc<Alert>, Refused>>,
}

/// Why a correction step was not recorded.
#[derive(Debug)]
pub(crate) enum Refused {
    /// The step does not fit the alert's state (409).
    Conflict(String),
    /// The store could not keep it (503): try again.
    Unavailable(String),
}

/// What the writer does: commit a batch, or record a correction step.
#[derive(Debug)]
pub(crate) enum Job {
    /// Events to commit.
    Batch(Submission),
    /// A step of an alert's correction process.
    Correct(Correction),
}

/// Bounds that keep the centre's memory and time in hand under load or attack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest request body, in bytes (larger: 413).
    pub max_body_bytes: usize,
    /// Events waiting for the writer at most; beyond them a batch is answered 503 with
    /// Retry-After.
    pub max_queued_events: usize,
    /// Seconds a client has to send a request's headers, and then its body (slowloris).
    pub request_timeout_secs: u64,
    /// Seconds a TLS handshake may take.
    pub handshake_timeout_secs: u64,
    /// Connections open at once; further clients wait in the listen backlog.
    pub max_connections: usize,
    /// Events one commit takes at most from the queue (group commit).
    pub max_group_events: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 8 << 20,
            max_queued_events: 200_000,
            request_timeout_secs: 10,
            handshake_timeout_secs: 10,
            max_connections: 512,
            max_group_events: 20_000,
        }
    }
}

/// What the HTTP side shares with the writer.
#[derive(Debug)]
pub(crate) struct Centre {
    supervisor: RwLock<Supervisor>,
    pub(crate) organization: Option<Organization>,
    pub(crate) scheme: ScoringScheme,
    pub(crate) clients: Clients,
    pub(crate) trust: Arc<ClientTrust>,
    pub(crate) limits: Limits,
    pub(crate) alerts: broadcast::Sender<Arc<Alert>>,
    queued_events: AtomicUsize,
    submit: SyncSender<Job>,
    closing: AtomicBool,
    /// Notified after each commit that wrote events (the forwarder waits on it).
    pub(crate) committed: Arc<Notify>,
    /// The forwarder's progress, when this centre forwards.
    pub(crate) forward: Option<Arc<Mutex<ForwardState>>>,
}

/// Why a batch was not queued.
#[derive(Debug)]
pub(crate) enum Busy {
    /// The queue is full: come back later.
    Full,
    /// The writer has stopped (the store failed): the centre is going down.
    Stopped,
}

impl Centre {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        supervisor: Supervisor,
        organization: Option<Organization>,
        scheme: ScoringScheme,
        clients: Clients,
        trust: Arc<ClientTrust>,
        limits: Limits,
        submit: SyncSender<Job>,
        forward: Option<Arc<Mutex<ForwardState>>>,
    ) -> Self {
        let (alerts, _) = broadcast::channel(1024);
        Centre {
            supervisor: RwLock::new(supervisor),
            organization,
            scheme,
            clients,
            trust,
            limits,
            alerts,
            queued_events: AtomicUsize::new(0),
            submit,
            closing: AtomicBool::new(false),
            committed: Arc::new(Notify::new()),
            forward,
        }
    }

    /// The supervisor, to read. A poisoned lock (a panic in the writer) is taken as it is: the
    /// writer's state changes are all-or-nothing per event.
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, Supervisor> {
        self.supervisor.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, Supervisor> {
        self.supervisor.write().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// No more batches: the writer commits what is queued and stops.
    pub(crate) fn close(&self) {
        self.closing.store(true, Ordering::Release);
    }

    /// Whether [`Centre::close`] was called.
    pub(crate) fn closing(&self) -> bool {
        self.closing.load(Ordering::Acquire)
    }

    /// Queues a job for the writer, within the queue's budget (a batch's events count against
    /// it).
    pub(crate) fn queue(&self, job: Job) -> Result<(), Busy> {
        if self.closing() {
            return Err(Busy::Stopped);
        }
        let count = match &job {
            Job::Batch(submission) => submission.events.len(),
            Job::Correct(_) => 0,
        };
        let before = self.queued_events.fetch_add(count, Ordering::AcqRel);
        if before + count > self.limits.max_queued_events && before > 0 {
            self.queued_events.fetch_sub(count, Ordering::AcqRel);
            return Err(Busy::Full);
        }
        match self.submit.try_send(job) {
            Ok(()) => Ok(()),
            Err(error) => {
                self.queued_events.fetch_sub(count, Ordering::AcqRel);
                Err(match error {
                    TrySendError::Full(_) => Busy::Full,
                    TrySendError::Disconnected(_) => Busy::Stopped,
                })
            }
        }
    }

    /// The writer took `count` events off the queue.
    pub(crate) fn dequeued(&self, count: usize) {
        self.queued_events.fetch_sub(count, Ordering::AcqRel);
    }

    /// Events waiting for the writer.
    pub(crate) fn queued(&self) -> usize {
        self.queued_events.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zhengwu_core::{Calendar, Catalogue};
    use zhengwu_supervision::SupervisionConfig;

    fn centre(limits: Limits, capacity: usize) -> (Centre, std::sync::mpsc::Receiver<Job>) {
        let (submit, queue) = std::sync::mpsc::sync_channel(capacity);
        let supervisor = Supervisor::new(Calendar::china(), Catalogue::default(), SupervisionConfig::default());
        let trust = ClientTrust::empty();
        let centre = Centre::new(
            supervisor,
            None,
            ScoringScheme::default(),
            Clients::default(),
            Arc::new(trust),
            limits,
            submit,
            None,
        );
        (centre, queue)
    }

    fn batch(events: usize) -> Job {
        let line = r#"{"schema":1,"idempotency_key":"C#1","case_id":"C","sequence":1,"item_code":"I","department":"d","region":"530102","occurred_at":"2026-11-02T09:00:00+08:00","recorded_at":"2026-11-02T09:00:00+08:00","actor":{"id":"w"},"type":"accepted"}"#;
        let event = CaseEvent::from_json(line).unwrap();
        Job::Batch(Submission { events: vec![(1, event); events], reply: oneshot::channel().0 })
    }

    #[test]
    fn beyond_the_budget_a_batch_is_turned_away_and_the_budget_returns() {
        let (centre, queue) = centre(Limits { max_queued_events: 10, ..Limits::default() }, 100);
        assert!(centre.queue(batch(6)).is_ok());
        assert!(matches!(centre.queue(batch(6)), Err(Busy::Full)));
        assert_eq!(centre.queued(), 6);
        assert!(centre.queue(batch(4)).is_ok());
        // The writer takes them: room again.
        let taken: usize = queue
            .try_iter()
            .map(|job| match job {
                Job::Batch(s) => s.events.len(),
                Job::Correct(_) => 0,
            })
            .sum();
        centre.dequeued(taken);
        assert_eq!(centre.queued(), 0);
        // A batch larger than the whole budget still goes when nothing waits (it is not starved).
        assert!(centre.queue(batch(25)).is_ok());
        centre.close();
        assert!(matches!(centre.queue(batch(1)), Err(Busy::Stopped)));
    }

    #[test]
    fn a_full_queue_is_turned_away_too() {
        let (centre, _queue) = centre(Limits::default(), 1);
        assert!(centre.queue(batch(1)).is_ok());
        assert!(matches!(centre.queue(batch(1)), Err(Busy::Full)));
        assert_eq!(centre.queued(), 1);
    }
}
