//! Events in: applied to their case, ignored as a retried delivery, or rejected with the reason.

use zhengwu_core::CaseEvent;

use super::facts::FOLDED;
use super::keys::{CaseKeys, fingerprint};
use super::outcome::{IngestSummary, Ingested, Rejection};
use super::{MAX_RESERVED_CASES, Supervisor};
use crate::case::CaseState;

impl Supervisor {
    /// Ingests one event: applies it, ignores it as a duplicate, or rejects it with a reason
    /// (kept in [`Supervisor::rejections`]).
    pub fn ingest(&mut self, event: CaseEvent) -> Ingested {
        self.ingest_at(event, None)
    }

    fn ingest_at(&mut self, mut event: CaseEvent, line: Option<usize>) -> Ingested {
        // A retried delivery carries the same key for the same case: the keys are kept per case,
        // where the event is looked up anyway, not in one table the size of the log.
        let position = match self.index.get(&event.case_id).copied() {
            Some(slot) if slot & FOLDED != 0 => Err(()),
            Some(position) => Ok(Some(position)),
            None => {
                // A new case: the log has moved on from the latest one.
                self.fold_latest();
                Ok(None)
            }
        };
        // The event's content, to tell a retried delivery (the same event again) from a different
        // event under a reused key.
        let fingerprint = fingerprint(&event);
        let outcome = match position {
            Err(()) => {
                self.fold.broken.get_or_insert_with(|| event.case_id.clone());
                Err(format!(
                    "case `{}` was folded away as complete when the log moved on to another case, and this \
                     event comes after: the log is not in case order; replay it without folding",
                    event.case_id
                ))
            }
            Ok(position) => match position.and_then(|position| self.keys[position].get(&event.idempotency_key)) {
                Some(stored) if stored == fingerprint => {
                    self.summary.duplicates += 1;
                    return Ingested::Duplicate;
                }
                Some(_) => Err(format!(
                    "idempotency key `{}` of case `{}` is already used by a different event; a retried delivery \
                 repeats the event exactly",
                    event.idempotency_key, event.case_id
                )),
                None => self.apply(&mut event, position),
            },
        };
        match outcome {
            Ok(position) => {
                if self.latest.is_none_or(|latest| event.occurred_at > latest) {
                    self.latest = Some(event.occurred_at);
                }
                if self.latest_recorded.is_none_or(|latest| event.recorded_at > latest) {
                    self.latest_recorded = Some(event.recorded_at);
                }
                self.keys[position].insert(event.idempotency_key, fingerprint);
                self.summary.applied += 1;
                Ingested::Applied
            }
            Err(reason) => {
                self.summary.rejected += 1;
                self.rejections.push(Rejection {
                    line,
                    case_id: Some(event.case_id),
                    sequence: Some(event.sequence),
                    idempotency_key: Some(event.idempotency_key.to_string()),
                    reason: reason.clone(),
                });
                Ingested::Rejected { reason }
            }
        }
    }

    /// Applies an event to its case (at `position`, or a new one); the case's position.
    fn apply(&mut self, event: &mut CaseEvent, position: Option<usize>) -> std::result::Result<usize, String> {
        event.validate().map_err(|e| e.to_string())?;
        let skew = chrono::Duration::minutes(i64::from(self.config.max_clock_skew_minutes));
        if event.occurred_at - event.recorded_at > skew {
            return Err(format!(
                "business time {} is after the entry time {}: an event is not recorded before it happens \
                 (allowed skew {} minutes)",
                event.occurred_at.to_rfc3339(),
                event.recorded_at.to_rfc3339(),
                self.config.max_clock_skew_minutes
            ));
        }
        match position {
            // `CaseState::apply` checks everything before it changes anything, so a rejected
            // event leaves the case as it was.
            Some(position) => {
                self.cases[position].apply(event)?;
                self.settled[position] = false;
                Ok(position)
            }
            None => {
                // A known case's item was checked on its first event; later events must name
                // the same item (`CaseState::apply`).
                if self.catalogue.item(&event.item_code).is_none() {
                    return Err(format!("item `{}` is not in the catalogue", event.item_code));
                }
                let case = CaseState::open(event)?;
                let position = self.cases.len();
                self.index.insert(event.case_id.clone(), position);
                self.cases.push(case);
                self.settled.push(false);
                self.keys.push(CaseKeys::default());
                Ok(position)
            }
        }
    }

    /// Ingests JSON lines; a malformed line is rejected with its line number, the rest go on.
    pub fn ingest_json_lines(&mut self, text: &str) -> IngestSummary {
        let before = self.summary;
        for (index, line) in text.lines().enumerate() {
            self.ingest_json_line(index + 1, Ok(line));
        }
        self.summary.since(before)
    }

    /// Ingests line `number` (1-based) of a JSON-lines source, as [`zhengwu_core::each_line`]
    /// hands it over: an event, or why the line could not be read (not UTF-8). A blank line is
    /// skipped (`None`); a line that is not an event is rejected with its number.
    ///
    /// ```
    /// # use zhengwu_core::{Calendar, Catalogue};
    /// # use zhengwu_supervision::{SupervisionConfig, Supervisor};
    /// let mut supervisor = Supervisor::new(Calendar::china(), Catalogue::default(), SupervisionConfig::default());
    /// zhengwu_core::each_line(&b"\n{\"schema\": 1\n\xff\n"[..], |number, line| {
    ///     supervisor.ingest_json_line(number, line);
    ///     Ok::<(), zhengwu_core::LineFailure>(())
    /// })?;
    /// let rejected: Vec<_> = supervisor.rejections().iter().map(|r| r.line).collect();
    /// assert_eq!(rejected, [Some(2), Some(3)]);
    /// # Ok::<(), zhengwu_core::LineFailure>(())
    /// ```
    pub fn ingest_json_line(&mut self, number: usize, line: Result<&str, String>) -> Option<Ingested> {
        let text = match line {
            Ok(text) if text.trim().is_empty() => return None,
            Ok(text) => text,
            Err(reason) => {
                self.reject_unreadable(number, reason.clone());
                return Some(Ingested::Rejected { reason });
            }
        };
        match CaseEvent::from_json_line(text, number) {
            Ok(event) => Some(self.ingest_from(event, number)),
            Err(error) => {
                let reason = match error {
                    zhengwu_core::Error::InvalidEvent { reason, .. } => reason,
                    other => other.to_string(),
                };
                self.reject_unreadable(number, reason.clone());
                Some(Ingested::Rejected { reason })
            }
        }
    }

    /// Makes room for `cases` more cases (at most [`MAX_RESERVED_CASES`]), so that a large ingest
    /// does not grow (and rehash) its tables step by step. A hint: the supervisor takes any
    /// number of cases either way.
    pub fn reserve(&mut self, cases: usize) {
        // A hint, not a promise: a caller's row count (which may be wrong, or hostile) never
        // reserves more than `MAX_RESERVED_CASES` at once; the tables grow past it as cases come.
        let cases = cases.min(MAX_RESERVED_CASES);
        self.index.reserve(cases);
        if self.fold.as_of.is_some() {
            // Folded cases leave their places; the cases open at once are few.
            self.fold.cases.reserve(cases);
            return;
        }
        self.cases.reserve(cases);
        self.settled.reserve(cases);
        self.keys.reserve(cases);
    }

    /// Ingests an event read from position `line` (1-based) of a source: a line of a JSON-lines
    /// text, a row of a table. A rejection names the position.
    pub fn ingest_from(&mut self, event: CaseEvent, line: usize) -> Ingested {
        self.ingest_at(event, Some(line))
    }

    /// Records that the event at position `line` (1-based) of a source could not be read as an
    /// event at all, and why: it counts as rejected and is listed in
    /// [`Supervisor::rejections`] without a case.
    pub fn reject_unreadable(&mut self, line: usize, reason: String) {
        self.summary.rejected += 1;
        self.rejections.push(Rejection {
            line: Some(line),
            case_id: None,
            sequence: None,
            idempotency_key: None,
            reason,
        });
    }

    /// Ingests every event of an iterator.
    pub fn ingest_all(&mut self, events: impl IntoIterator<Item = CaseEvent>) -> IngestSummary {
        let before = self.summary;
        for event in events {
            self.ingest(event);
        }
        self.summary.since(before)
    }
}
