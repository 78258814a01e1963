//! Partials: what one partition of the events gives to be merged with the others (a Dask or
//! Spark task's result), refusing to merge two partials that both saw one case.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use zhengwu_core::DepartmentId;

use crate::alert::Alert;
use crate::error::{Error, Result};
use crate::scoring::{DepartmentScore, ExternalScores, ScoringScheme};
use crate::stats::{Counters, Statistics};
use crate::supervisor::outcome::{IngestSummary, Rejection};

/// The version of the format [`Partial::to_json`] writes.
pub const PARTIAL_VERSION: u32 = 1;

/// How many of the cases two partials share an error names.
const NAMED_CASES: usize = 5;

/// The replay of one partition of the events, as of one instant: its statistics (grouped and cut
/// as asked), every alert raised, the departments' counters the ranking reads, the ingest counts
/// and rejections, and the cases it saw.
///
/// Partials of disjoint partitions merge ([`Partial::merge`]) into what one replay of all the
/// events gives: the same statistics, alerts and ranking. A case is replayed whole or not at
/// all, so two partials that both saw one case (its events split over two partitions) are not
/// merged: the error names the case, and the partitions must be cut by case (by city, by case
/// id) instead. Cases seen include those whose events were all rejected.
#[derive(Debug, Clone, PartialEq)]
pub struct Partial {
    as_of: DateTime<FixedOffset>,
    statistics: Statistics,
    departments: BTreeMap<DepartmentId, Counters>,
    alerts: Vec<Alert>,
    ingest: IngestSummary,
    rejections: Vec<Rejection>,
    /// Sorted and distinct.
    cases: Vec<String>,
}

/// A partial as JSON: statistics in their own stored form.
#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    as_of: DateTime<FixedOffset>,
    statistics: serde_json::Value,
    departments: BTreeMap<DepartmentId, Counters>,
    alerts: Vec<Alert>,
    ingest: IngestSummary,
    rejections: Vec<Rejection>,
    cases: Vec<String>,
}

impl Partial {
    /// A partial from its parts (see `Supervisor::partial`); `cases` in any order.
    pub(crate) fn new(
        as_of: DateTime<FixedOffset>,
        statistics: Statistics,
        departments: BTreeMap<DepartmentId, Counters>,
        mut alerts: Vec<Alert>,
        ingest: IngestSummary,
        rejections: Vec<Rejection>,
        mut cases: Vec<String>,
    ) -> Self {
        alerts.sort_by(|a, b| a.id.cmp(&b.id));
        cases.sort_unstable();
        cases.dedup();
        Partial { as_of, statistics, departments, alerts, ingest, rejections, cases }
    }

    /// The instant it was evaluated as of.
    pub fn as_of(&self) -> DateTime<FixedOffset> {
        self.as_of
    }

    /// The statistics.
    pub fn statistics(&self) -> &Statistics {
        &self.statistics
    }

    /// Every alert raised, by id.
    pub fn alerts(&self) -> &[Alert] {
        &self.alerts
    }

    /// Events applied, duplicates and rejections.
    pub fn ingest(&self) -> IngestSummary {
        self.ingest
    }

    /// The rejected events.
    pub fn rejections(&self) -> &[Rejection] {
        &self.rejections
    }

    /// How many cases it saw.
    pub fn cases(&self) -> usize {
        self.cases.len()
    }

    /// 绩效排名 over the whole period, as [`crate::Supervisor::rank`] gives it for `Period::All`.
    pub fn rank(
        &self,
        scheme: &ScoringScheme,
        external: &BTreeMap<DepartmentId, ExternalScores>,
    ) -> Vec<DepartmentScore> {
        let alerts = self.alerts.iter().filter(|a| a.raised_at <= self.as_of);
        scheme.rank(&self.departments, alerts, external)
    }

    /// Adds another partition's partial. Both must be as of the same instant, with statistics
    /// of the same grouping and period, and have seen no case in common; otherwise nothing
    /// changes and the error says why, naming up to five shared cases.
    pub fn merge(&mut self, other: &Partial) -> Result<()> {
        self.check_compatible(other)?;
        let shared = shared(&self.cases, &other.cases);
        if !shared.is_empty() {
            return Err(shared_cases(&shared, "both partitions"));
        }
        // Of the same grouping and period (checked above): the addition cannot fail half-way.
        self.add_counts(other)?;
        // Both lists are sorted: merged in one pass each.
        self.alerts = merge_sorted(std::mem::take(&mut self.alerts), &other.alerts, |a, b| a.id.cmp(&b.id));
        self.cases = merge_sorted(std::mem::take(&mut self.cases), &other.cases, Ord::cmp);
        Ok(())
    }

    /// Every partial of `parts` added together, as [`Partial::merge`] adds them one after the
    /// other (the same partial, the same refusals), but with each list sorted once instead of
    /// merged again at every step: 21 cities of a province's year (336,000 alerts, 2.85 M
    /// cases) one by one took 3.9 s. `None` for no partial. Cases seen by more than one
    /// partition are named, up to five, and nothing is merged.
    pub fn merge_all(parts: &[&Partial]) -> Result<Option<Partial>> {
        let Some((first, rest)) = parts.split_first() else { return Ok(None) };
        for part in rest {
            first.check_compatible(part)?;
        }
        // Runs sorted already, one per partial: a stable sort merges them.
        let mut cases: Vec<&String> = parts.iter().flat_map(|part| &part.cases).collect();
        cases.sort();
        let mut shared: Vec<&str> =
            cases.windows(2).filter(|pair| pair[0] == pair[1]).map(|pair| pair[0].as_str()).collect();
        shared.dedup();
        if !shared.is_empty() {
            return Err(shared_cases(&shared, "more than one partition"));
        }
        let mut merged = Partial {
            as_of: first.as_of,
            statistics: first.statistics.clone(),
            departments: first.departments.clone(),
            alerts: Vec::with_capacity(parts.iter().map(|part| part.alerts.len()).sum()),
            ingest: first.ingest,
            rejections: first.rejections.clone(),
            cases: cases.into_iter().cloned().collect(),
        };
        for part in rest {
            merged.add_counts(part)?;
        }
        // Runs sorted by id, one per partial: the sort merges the runs. Alert ids begin with
        // their case, and no case is in two partials, so no two ids are equal.
        merged.alerts.extend(parts.iter().flat_map(|part| part.alerts.iter().cloned()));
        merged.alerts.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Some(merged))
    }

    /// Refuses to add `other` unless it is as of the same instant, with statistics of the same
    /// grouping and period.
    fn check_compatible(&self, other: &Partial) -> Result<()> {
        if self.as_of != other.as_of {
            return Err(Error::Merge(format!(
                "one partial is as of {} and the other as of {}: evaluate every partition as of one instant",
                self.as_of, other.as_of
            )));
        }
        let (ours, theirs) = (&self.statistics, &other.statistics);
        if (ours.dimension, ours.period) != (theirs.dimension, theirs.period) {
            return Err(Error::Merge(format!(
                "statistics by {:?}/{:?} do not add to statistics by {:?}/{:?}: ask every partition for the same \
                 grouping and period",
                theirs.dimension, theirs.period, ours.dimension, ours.period
            )));
        }
        Ok(())
    }

    /// Adds the statistics, the departments' counters, the ingest counts and the rejections of a
    /// compatible partial ([`Partial::check_compatible`]).
    fn add_counts(&mut self, other: &Partial) -> Result<()> {
        self.statistics.merge(&other.statistics).map_err(Error::Merge)?;
        for (department, counters) in &other.departments {
            *self.departments.entry(department.clone()).or_default() += *counters;
        }
        self.ingest = IngestSummary {
            applied: self.ingest.applied + other.ingest.applied,
            duplicates: self.ingest.duplicates + other.ingest.duplicates,
            rejected: self.ingest.rejected + other.ingest.rejected,
        };
        self.rejections.extend(other.rejections.iter().cloned());
        Ok(())
    }

    /// The partial as JSON, to travel between processes.
    pub fn to_json(&self) -> String {
        let stored = Stored {
            version: PARTIAL_VERSION,
            as_of: self.as_of,
            statistics: serde_json::from_str(&self.statistics.to_json()).expect("statistics JSON reads back"),
            departments: self.departments.clone(),
            alerts: self.alerts.clone(),
            ingest: self.ingest,
            rejections: self.rejections.clone(),
            cases: self.cases.clone(),
        };
        serde_json::to_string(&stored).expect("a partial always serialises to JSON")
    }

    /// Reads what [`Partial::to_json`] wrote; another version, or none, is refused by name.
    pub fn from_json(text: &str) -> Result<Self> {
        let parse = |message: String| zhengwu_core::Error::Parse { what: "partial", message };
        let header: zhengwu_core::FormatHeader = zhengwu_core::from_json(text).map_err(parse)?;
        zhengwu_core::check_format_version("partial", header.version, PARTIAL_VERSION, true)?;
        let stored: Stored = zhengwu_core::from_json(text).map_err(parse)?;
        let statistics = Statistics::from_json(&stored.statistics.to_string())?;
        let mut cases = stored.cases;
        cases.sort_unstable();
        cases.dedup();
        Ok(Partial {
            as_of: stored.as_of,
            statistics,
            departments: stored.departments,
            alerts: stored.alerts,
            ingest: stored.ingest,
            rejections: stored.rejections,
            cases,
        })
    }
}

/// Two sorted lists as one sorted list.
fn merge_sorted<T: Clone>(left: Vec<T>, right: &[T], order: impl Fn(&T, &T) -> std::cmp::Ordering) -> Vec<T> {
    let mut merged = Vec::with_capacity(left.len() + right.len());
    let mut right = right.iter().peekable();
    for item in left {
        while let Some(next) = right.next_if(|next| order(next, &item) == std::cmp::Ordering::Less) {
            merged.push(next.clone());
        }
        merged.push(item);
    }
    merged.extend(right.cloned());
    merged
}

/// The refusal of cases seen in `where_` (up to five named).
fn shared_cases(shared: &[&str], where_: &str) -> Error {
    let named: Vec<&str> = shared.iter().take(NAMED_CASES).copied().collect();
    Error::Merge(format!(
        "{} case(s) appear in {where_} ({}{}): a case's events must be replayed together; partition the events by \
         case (city, region, case id), not by event",
        shared.len(),
        named.join(", "),
        if shared.len() > NAMED_CASES { ", …" } else { "" }
    ))
}

/// The cases in both sorted lists.
fn shared<'a>(left: &'a [String], right: &[String]) -> Vec<&'a str> {
    let (mut i, mut j, mut both) = (0, 0, Vec::new());
    while i < left.len() && j < right.len() {
        match left[i].cmp(&right[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both.push(left[i].as_str());
                i += 1;
                j += 1;
            }
        }
    }
    both
}
