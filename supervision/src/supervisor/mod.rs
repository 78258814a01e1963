//! The entry type: [`Supervisor`] ingests case events, keeps every case's state, raises alerts as
//! of an instant, runs their correction process and computes statistics.
//!
//! `ingest` takes events in (duplicates and contradictions named), `evaluate` raises alerts and
//! runs their correction process, `report` computes statistics and rankings.

mod evaluate;
mod facts;
mod fold;
mod ingest;
mod keys;
pub(crate) mod outcome;
mod report;

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use rustc_hash::FxHashMap;
use zhengwu_core::{Calendar, CaseId, Catalogue, LimitReference, china_day};

pub use outcome::{Evaluation, IngestSummary, Ingested, Rejection, Unevaluated};

use crate::alert::Alert;
use crate::case::CaseState;
use crate::config::SupervisionConfig;
use crate::error::{Error, Result};
use keys::CaseKeys;

/// 电子监察: watches every case from receipt to conclusion.
///
/// ```
/// use zhengwu_core::{Calendar, Catalogue, DepartmentId};
/// use zhengwu_supervision::{Rule, SupervisionConfig, Supervisor};
///
/// let catalogue = Catalogue::from_toml(r#"
///     [[item]]
///     code = "SC-001"
///     name = "食品经营许可"
///     department = "scjg"
///     kind = "promised"
///     legal_limit = { days = 20 }
///     promised_limit = { days = 10 }
/// "#, &[DepartmentId::new("scjg")])?;
/// let mut supervisor = Supervisor::new(Calendar::china(), catalogue, SupervisionConfig::default());
/// let line = |seq: u64, at: &str, kind: &str| format!(concat!(
///     r#"{{"schema":1,"idempotency_key":"C1#{}","case_id":"C1","sequence":{},"item_code":"SC-001","#,
///     r#""department":"scjg","region":"530102","occurred_at":"{}","recorded_at":"{}","#,
///     r#""actor":{{"id":"w1"}},{}}}"#), seq, seq, at, at, kind);
/// let log = [
///     line(1, "2025-03-03T09:00:00+08:00", r#""type":"received","channel":"window""#),
///     line(2, "2025-03-03T09:30:00+08:00", r#""type":"accepted""#),
/// ].join("\n");
/// let summary = supervisor.ingest_json_lines(&log);
/// assert_eq!(summary.applied, 2);
/// // Ten working days later the promise (due 2025-03-17) is broken: a yellow card.
/// let evaluation = supervisor.evaluate("2025-03-18T09:00:00+08:00".parse().unwrap());
/// let alert = supervisor.alert(&evaluation.raised[0]).unwrap();
/// assert_eq!(alert.rule, Rule::TimeOverPromise);
/// assert_eq!(alert.message, "【黄牌】超过承诺时限：办件C1（SC-001）已超过承诺时限1个工作日仍未办结（截止2025-03-17）");
/// # Ok::<(), zhengwu_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Supervisor {
    calendar: Calendar,
    catalogue: Catalogue,
    config: SupervisionConfig,
    /// Cases in order of their first event.
    cases: Vec<CaseState>,
    /// Per case: closed and evaluated since its last event, so no rule can find anything new.
    settled: Vec<bool>,
    /// Each case's position in `cases`, or (with the `FOLDED` bit) among the folded cases.
    index: FxHashMap<CaseId, usize>,
    /// The idempotency keys applied, per case (by position).
    keys: Vec<CaseKeys>,
    rejections: Vec<Rejection>,
    alerts: BTreeMap<String, Alert>,
    summary: IngestSummary,
    /// The latest business time of an applied event.
    latest: Option<DateTime<FixedOffset>>,
    /// The latest entry time of an applied event: where the log ends, as its systems recorded it.
    latest_recorded: Option<DateTime<FixedOffset>>,
    /// Complete cases folded away ([`Supervisor::fold_complete_cases`]).
    fold: facts::Folding,
}

/// The most cases [`Supervisor::reserve`] makes room for at once (4,194,304: two years of a
/// province's cases); a larger hint is cut to it.
pub const MAX_RESERVED_CASES: usize = 1 << 22;

impl Supervisor {
    /// A supervisor over a calendar and a catalogue, with a rule configuration.
    pub fn new(calendar: Calendar, catalogue: Catalogue, config: SupervisionConfig) -> Self {
        Self {
            calendar,
            catalogue,
            config,
            cases: Vec::new(),
            settled: Vec::new(),
            index: FxHashMap::default(),
            keys: Vec::new(),
            rejections: Vec::new(),
            alerts: BTreeMap::new(),
            summary: IngestSummary::default(),
            latest: None,
            latest_recorded: None,
            fold: facts::Folding::default(),
        }
    }

    /// Puts back an alert as a host kept it (its level, status, deadline and correction steps),
    /// replacing the one with its id: a restarted supervision centre replays the events, restores
    /// the alerts it stored, and evaluates on; a fact already alerted raises nothing new.
    pub fn restore_alert(&mut self, alert: Alert) {
        self.alerts.insert(alert.id.clone(), alert);
    }

    /// One alert by id.
    pub fn alert(&self, id: &str) -> Option<&Alert> {
        self.alerts.get(id)
    }

    /// Every alert, ordered by id (case, rule, fact).
    pub fn alerts(&self) -> impl Iterator<Item = &Alert> {
        self.alerts.values()
    }

    /// One case's state (`None` for an unknown case, or one folded away).
    pub fn case(&self, id: &CaseId) -> Option<&CaseState> {
        self.position(id).map(|position| &self.cases[position])
    }

    /// The position of a case not folded away.
    fn position(&self, id: &CaseId) -> Option<usize> {
        self.index.get(id).copied().filter(|slot| slot & facts::FOLDED == 0)
    }

    /// A case's statutory clock against its item's `reference` limit as of `as_of`, as the rules
    /// read it (`zhengwu_core::CaseTimeline`): `None` for an unknown case, an item no longer in
    /// the catalogue, or a clock that has not started; `Err` for a day outside the calendar.
    pub fn clock(
        &self,
        id: &CaseId,
        reference: LimitReference,
        as_of: DateTime<FixedOffset>,
    ) -> Result<Option<zhengwu_core::ClockReport>> {
        let Some(case) = self.case(id) else { return Ok(None) };
        let Some(item) = self.catalogue.item(&case.item_code) else { return Ok(None) };
        case.timeline.report(item, reference, &self.calendar, china_day(as_of)).map_err(Error::Core)
    }

    /// Every case not folded away, in the order of their first events.
    pub fn cases(&self) -> impl Iterator<Item = &CaseState> {
        self.cases.iter()
    }

    /// The catalogue the supervisor reads items from.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// Every rejected event or line, in arrival order.
    pub fn rejections(&self) -> &[Rejection] {
        &self.rejections
    }

    /// The latest business time (`occurred_at`) among the applied events: where the log ends,
    /// the natural instant to evaluate a finished log as of.
    pub fn latest_occurred_at(&self) -> Option<DateTime<FixedOffset>> {
        self.latest
    }

    /// The latest entry time (`recorded_at`) among the applied events: the default instant to
    /// evaluate as of, which a single event with a far business time cannot move (its business
    /// time may not lie after its entry time).
    pub fn latest_recorded_at(&self) -> Option<DateTime<FixedOffset>> {
        self.latest_recorded
    }

    /// Counts since the supervisor was made.
    pub fn ingest_summary(&self) -> IngestSummary {
        self.summary
    }

    /// The configuration.
    pub fn config(&self) -> &SupervisionConfig {
        &self.config
    }
}
