//! The writer: one thread that owns the event store, commits the queued batches together (group
//! commit: one transaction, one fsync, for every batch waiting), applies each event to the
//! supervisor as the store admits it, answers each batch after the commit, and evaluates the
//! rules as time goes on, sending the alerts they raise to the stream.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use zhengwu_core::CaseEvent;
use zhengwu_store::{Admitted, EventStore};
use zhengwu_supervision::{Ingested, Supervisor};

use crate::centre::{BatchReply, Centre, LineRejection, Submission, monotonic, now};

/// The least time between two evaluations of every rule; the writer waits longer when an
/// evaluation took long (four times its duration), so that evaluating never takes more than a
/// fifth of the writer's time.
const EVALUATE_EVERY: Duration = Duration::from_millis(500);

/// Replays the whole store into a supervisor (at start, and after a failed commit).
pub(crate) fn replay(store: &mut dyn EventStore, supervisor: &mut Supervisor) -> zhengwu_store::Result<usize> {
    let events = store.read_all()?;
    let count = events.len();
    supervisor.reserve(count / 4);
    for stored in events {
        supervisor.ingest(stored.event);
    }
    Ok(count)
}

/// Runs the writer until every sender is gone (`Ok`), or until the store can be neither written
/// nor read (`Err`, why). `fresh` builds an empty supervisor, for rebuilding after a commit that
/// failed (the supervisor may have applied events the store did not keep).
pub(crate) fn run(
    mut store: Box<dyn EventStore + Send>,
    centre: Arc<Centre>,
    queue: Receiver<Submission>,
    fresh: impl Fn() -> Supervisor,
) -> Result<(), String> {
    let mut next_evaluation = monotonic();
    loop {
        let wait = next_evaluation.saturating_duration_since(monotonic());
        let mut group = Vec::new();
        match queue.recv_timeout(wait.max(Duration::from_millis(1))) {
            Ok(first) => {
                let mut events = first.events.len();
                group.push(first);
                while events < centre.limits.max_group_events {
                    match queue.try_recv() {
                        Ok(next) => {
                            events += next.events.len();
                            group.push(next);
                        }
                        Err(_) => break,
                    }
                }
            }
            Err(RecvTimeoutError::Timeout) if centre.closing() => return Ok(()),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
        if !group.is_empty() {
            commit(store.as_mut(), &centre, group, &fresh)?;
        }
        if monotonic() >= next_evaluation {
            let started = monotonic();
            evaluate(&centre);
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
    let outcome = store.append_each(&events, &mut |event| match supervisor.ingest(event.clone()) {
        Ingested::Applied => Ok(()),
        Ingested::Rejected { reason } => Err(reason),
        // The store did not hold the key, the supervisor did: they disagree, and the event is
        // not written (the supervisor is rebuilt from the store on the next failure).
        Ingested::Duplicate => Err("the supervisor already holds this event; it was not written".to_owned()),
    });
    match outcome {
        Ok(outcomes) => {
            drop(supervisor);
            centre.dequeued(count);
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
            let mut rebuilt = fresh();
            let replayed = replay(store, &mut rebuilt);
            *supervisor = rebuilt;
            drop(supervisor);
            centre.dequeued(count);
            let reason = format!("the event store could not commit: {error}");
            for reply in replies {
                let _ = reply.send(Err(reason.clone()));
            }
            if let Err(again) = replayed {
                // The store can be neither written nor read: the writer stops, and the centre
                // with it (batches queued meanwhile are answered 503).
                return Err(format!("{reason}; reading it back failed too: {again}"));
            }
        }
    }
    Ok(())
}

/// Evaluates every rule as of now and streams what it raised or escalated.
fn evaluate(centre: &Centre) {
    let mut supervisor = centre.write();
    let evaluation = supervisor.evaluate(now());
    if centre.alerts.receiver_count() == 0 {
        return;
    }
    for id in evaluation.raised.iter().chain(&evaluation.escalated) {
        if let Some(alert) = supervisor.alert(id) {
            let _ = centre.alerts.send(Arc::new(alert.clone()));
        }
    }
}
