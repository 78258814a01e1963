//! The writer: one thread that owns the event store, commits the queued batches together (group
//! commit: one transaction, one fsync, for every batch waiting), applies each event to the
//! supervisor as the store admits it, answers each batch after the commit, and evaluates the
//! rules as time goes on, sending the alerts they raise to the stream.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use zhengwu_core::CaseEvent;
use zhengwu_store::{Admitted, EventStore};
use zhengwu_supervision::{Alert, Ingested, Supervisor};

use crate::centre::{BatchReply, Centre, Correction, Job, LineRejection, Refused, Submission, monotonic, now};

/// The least time between two evaluations of every rule; the writer waits longer when an
/// evaluation took long (four times its duration), so that evaluating never takes more than a
/// fifth of the writer's time.
const EVALUATE_EVERY: Duration = Duration::from_millis(500);

/// Replays the whole store into a supervisor (at start, and after a failed commit): the events,
/// then the alerts the centre kept (their correction steps) in place of those the replay would
/// raise afresh.
/// Returns the events replayed and the log's last position.
pub(crate) fn replay(store: &mut dyn EventStore, supervisor: &mut Supervisor) -> Result<(usize, i64), String> {
    let events = store.read_all().map_err(|e| e.to_string())?;
    let count = events.len();
    let last = events.last().map_or(0, |stored| stored.position);
    supervisor.reserve(count / 4);
    for stored in events {
        supervisor.ingest(stored.event);
    }
    for (id, body) in store.records(ALERT_RECORDS).map_err(|e| e.to_string())? {
        let alert: Alert =
            serde_json::from_str(&body).map_err(|e| format!("the stored state of alert `{id}` is unreadable: {e}"))?;
        supervisor.restore_alert(alert);
    }
    Ok((count, last))
}

/// The kind of the store's records that keep alerts.
const ALERT_RECORDS: &str = "alert";

/// Keeps alerts' states in the store.
fn keep(store: &mut dyn EventStore, alerts: &[&Alert]) -> Result<(), String> {
    let records: Vec<(String, String)> = alerts
        .iter()
        .map(|alert| serde_json::to_string(alert).map(|body| (alert.id.clone(), body)).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    store.put_records(ALERT_RECORDS, &records).map_err(|e| e.to_string())
}

/// After a store failure, the supervisor may hold what the store does not: it is rebuilt from
/// the store, and `seen` set to the log's last position. `Err` when the store cannot be read
/// either.
fn rebuild(
    store: &mut dyn EventStore,
    supervisor: &mut Supervisor,
    fresh: &impl Fn() -> Supervisor,
    seen: &mut i64,
) -> Result<(), String> {
    let mut rebuilt = fresh();
    let replayed = replay(store, &mut rebuilt);
    *supervisor = rebuilt;
    *seen = replayed?.1;
    Ok(())
}

/// Applies what other servers sharing the log appended since `seen` (none when the centre is
/// the log's only writer): the supervisor holds the whole log, whoever wrote it.
fn catch_up(store: &mut dyn EventStore, supervisor: &mut Supervisor, seen: &mut i64) -> Result<(), String> {
    loop {
        let newer = store.read_after(*seen, 10_000).map_err(|e| e.to_string())?;
        let Some(last) = newer.last().map(|stored| stored.position) else { return Ok(()) };
        for stored in newer {
            supervisor.ingest(stored.event);
        }
        *seen = last;
    }
}

/// Runs the writer until the centre closes (`Ok`), or until the store can be neither written
/// nor read (`Err`, why). `fresh` builds an empty supervisor, for rebuilding after a failed write;
/// `seen` is the log position the supervisor holds up to.
pub(crate) fn run(
    mut store: Box<dyn EventStore + Send>,
    centre: Arc<Centre>,
    queue: Receiver<Job>,
    fresh: impl Fn() -> Supervisor,
    mut seen: i64,
) -> Result<(), String> {
    let mut next_evaluation = monotonic();
    loop {
        let wait = next_evaluation.saturating_duration_since(monotonic());
        let mut batches = Vec::new();
        let mut corrections = Vec::new();
        match queue.recv_timeout(wait.max(Duration::from_millis(1))) {
            Ok(first) => {
                let mut events = 0;
                let mut next = Some(first);
                while let Some(job) = next {
                    match job {
                        Job::Batch(batch) => {
                            events += batch.events.len();
                            batches.push(batch);
                        }
                        Job::Correct(correction) => corrections.push(correction),
                    }
                    next = if events < centre.limits.max_group_events { queue.try_recv().ok() } else { None };
                }
            }
            Err(RecvTimeoutError::Timeout) if centre.closing() => return Ok(()),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
        if !batches.is_empty() {
            commit(store.as_mut(), &centre, batches, &fresh, &mut seen)?;
        }
        for correction in corrections {
            correct(store.as_mut(), &centre, correction, &fresh, &mut seen)?;
        }
        if monotonic() >= next_evaluation {
            let started = monotonic();
            evaluate(store.as_mut(), &centre, &fresh, &mut seen)?;
            next_evaluation = monotonic() + EVALUATE_EVERY.max(started.elapsed() * 4);
        }
    }
}
/// Commits a group of batches in one transaction and answers each. `Err` when a commit failed
/// and the store could not be read back either.
fn commit(
    store: &mut dyn EventStore,
    centre: &Centre,
    group: Vec<Submission>,
    fresh: &impl Fn() -> Supervisor,
    seen: &mut i64,
) -> Result<(), String> {
    let mut lines = Vec::new();
    let mut events: Vec<CaseEvent> = Vec::new();
    let mut replies = Vec::with_capacity(group.len());
    for submission in group {
        let mut numbers = Vec::with_capacity(submission.events.len());
        for (line, event) in submission.events {
            numbers.push(line);
            events.push(event);
        }
        lines.push(numbers);
        replies.push(submission.reply);
    }
    let count = events.len();
    let mut supervisor = centre.write();
    // Two closures change the supervisor in turn (the store calls one, then the other): a
    // `RefCell` lets both hold it.
    let shared = std::cell::RefCell::new(&mut *supervisor);
    let outcome = store.append_each_following(
        *seen,
        &events,
        &mut |event| {
            shared.borrow_mut().ingest(event);
        },
        &mut |event| match shared.borrow_mut().ingest(event.clone()) {
            Ingested::Applied => Ok(()),
            Ingested::Rejected { reason } => Err(reason),
            // The store did not hold the key, the supervisor did: they disagree, and the event is
            // not written (the supervisor is rebuilt from the store on the next failure).
            Ingested::Duplicate => Err("the supervisor already holds this event; it was not written".to_owned()),
        },
    );
    match outcome {
        Ok((outcomes, last)) => {
            *seen = last;
            drop(supervisor);
            centre.dequeued(count);
            if outcomes.contains(&Admitted::Written) {
                centre.committed.notify_one();
            }
            let mut outcomes = outcomes.into_iter();
            for (numbers, reply) in lines.into_iter().zip(replies) {
                let mut answer = BatchReply::default();
                for (line, outcome) in numbers.into_iter().zip(outcomes.by_ref()) {
                    match outcome {
                        Admitted::Written => answer.accepted += 1,
                        Admitted::Duplicate => answer.duplicates += 1,
                        Admitted::Refused(reason) => answer.rejected.push(LineRejection { line, reason }),
                        _ => answer.rejected.push(LineRejection { line, reason: "not written".to_owned() }),
                    }
                }
                // The client may have gone: what was committed stays committed.
                let _ = reply.send(Ok(answer));
            }
        }
        Err(error) => {
            // Nothing was written, but the supervisor applied what the store admitted: it is
            // rebuilt from the store, and every batch of the group hears why.
            let rebuilt = rebuild(store, &mut supervisor, fresh, seen);
            drop(supervisor);
            centre.dequeued(count);
            let reason = format!("the event store could not commit: {error}");
            for reply in replies {
                let _ = reply.send(Err(reason.clone()));
            }
            // The store can be neither written nor read: the writer stops, and the centre
            // with it (batches queued meanwhile are answered 503).
            rebuilt.map_err(|again| format!("{reason}; reading it back failed too: {again}"))?;
        }
    }
    Ok(())
}

/// Records one correction step and keeps the alert's new state before answering.
fn correct(
    store: &mut dyn EventStore,
    centre: &Centre,
    correction: Correction,
    fresh: &impl Fn() -> Supervisor,
    seen: &mut i64,
) -> Result<(), String> {
    let Correction { alert, action, actor, reply } = correction;
    let mut supervisor = centre.write();
    if let Err(error) = supervisor.correct(&alert, action, now(), actor) {
        let _ = reply.send(Err(Refused::Conflict(error.to_string())));
        return Ok(());
    }
    let Some(state) = supervisor.alert(&alert).cloned() else {
        let _ = reply.send(Err(Refused::Conflict(format!("no alert `{alert}`"))));
        return Ok(());
    };
    match keep(store, &[&state]) {
        Ok(()) => {
            drop(supervisor);
            let state = Arc::new(state);
            let _ = centre.alerts.send(state.clone());
            let _ = reply.send(Ok(state));
            Ok(())
        }
        Err(error) => {
            let rebuilt = rebuild(store, &mut supervisor, fresh, seen);
            let reason = format!("the step could not be stored: {error}");
            let _ = reply.send(Err(Refused::Unavailable(reason.clone())));
            rebuilt.map_err(|again| format!("{reason}; reading the store back failed too: {again}"))
        }
    }
}

/// Catches up with the log, evaluates every rule as of now, keeps what it raised or escalated,
/// and streams it.
fn evaluate(
    store: &mut dyn EventStore,
    centre: &Centre,
    fresh: &impl Fn() -> Supervisor,
    seen: &mut i64,
) -> Result<(), String> {
    let mut supervisor = centre.write();
    if let Err(error) = catch_up(store, &mut supervisor, seen) {
        return rebuild(store, &mut supervisor, fresh, seen)
            .map_err(|again| format!("following the log failed ({error}); and {again}"));
    }
    let evaluation = supervisor.evaluate(now());
    let changed: Vec<&Alert> =
        evaluation.raised.iter().chain(&evaluation.escalated).filter_map(|id| supervisor.alert(id)).collect();
    if changed.is_empty() {
        return Ok(());
    }
    if let Err(error) = keep(store, &changed) {
        // Alerts not kept would be raised again after a restart, with a later instant: rebuild
        // from the store so that the next evaluation raises (and keeps) them again.
        let reason = format!("the alerts could not be stored: {error}");
        return rebuild(store, &mut supervisor, fresh, seen).map_err(|again| format!("{reason}; and {again}"));
    }
    if centre.alerts.receiver_count() > 0 {
        for alert in changed {
            let _ = centre.alerts.send(Arc::new(alert.clone()));
        }
    }
    Ok(())
}
