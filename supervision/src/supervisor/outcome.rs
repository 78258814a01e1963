//! What ingesting and evaluating report: the outcome of one event, rejected lines, counts, and
//! an evaluation's raised and escalated alerts.

use serde::{Deserialize, Serialize};
use zhengwu_core::CaseId;

/// What happened to one ingested event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Ingested {
    /// Applied to its case.
    Applied,
    /// Its idempotency key was seen before: ignored.
    Duplicate,
    /// Rejected, with the reason; the case is unchanged.
    Rejected {
        /// What contradicts the case: the event, the fact and what the case holds.
        reason: String,
    },
}

/// A rejected event or line, kept for the report: nothing is dropped silently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    /// 1-based position of the event in its source: the line of a JSON-lines text, the row of a
    /// table.
    pub line: Option<usize>,
    /// The case, when the event could be read.
    pub case_id: Option<CaseId>,
    /// The sequence, when the event could be read.
    pub sequence: Option<u64>,
    /// The idempotency key, when the event could be read.
    pub idempotency_key: Option<String>,
    /// Why the line was not applied, naming the field or the fact.
    pub reason: String,
}

/// Counts of an ingest run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestSummary {
    /// Events applied.
    pub applied: u64,
    /// Duplicates ignored.
    pub duplicates: u64,
    /// Events or lines rejected.
    pub rejected: u64,
}

impl IngestSummary {
    /// What was counted after `before` (an earlier reading of the running totals).
    pub fn since(self, before: IngestSummary) -> IngestSummary {
        IngestSummary {
            applied: self.applied - before.applied,
            duplicates: self.duplicates - before.duplicates,
            rejected: self.rejected - before.rejected,
        }
    }
}

/// A case that could not be evaluated (e.g. its dates lie in a year without a calendar).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unevaluated {
    /// The case.
    pub case_id: CaseId,
    /// Why no rule could be evaluated for it (an item missing from the catalogue, a calendar year).
    pub reason: String,
}

/// The result of one evaluation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Ids of alerts raised by this evaluation, in order.
    pub raised: Vec<String>,
    /// Ids of alerts escalated by time (督办 deadline passed).
    pub escalated: Vec<String>,
    /// Cases that could not be evaluated, with reasons.
    pub unevaluated: Vec<Unevaluated>,
}
