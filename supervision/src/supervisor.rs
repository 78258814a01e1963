//! The entry type: [`Supervisor`] ingests case events, keeps every case's state, raises alerts as
//! of an instant, runs their correction process and computes statistics.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use zhengwu_core::{
    Calendar, CaseEvent, CaseId, Catalogue, ClockStatus, Decision, DepartmentId, ItemCode, ItemKind, LimitReference,
    OfficialId, Organization, RegionCode, china_day,
};

use crate::alert::{Alert, AlertStatus, CorrectionAction, Transition};
use crate::case::CaseState;
use crate::config::{Language, SupervisionConfig};
use crate::error::{Error, Result};
use crate::rule::Level;
use crate::rules::{Finding, evaluate_case, time_invariant};
use crate::scoring::{DepartmentScore, ExternalScores, ScoringScheme};
use crate::stats::{Dimension, Period, Statistics, Tally};

/// Below this many cases per core, rules are evaluated on one thread: starting threads would
/// cost more than it saves.
const PARALLEL_CASES: usize = 8_192;

/// One case's evaluation: its new alerts and whether it is settled now, or why it could not be
/// evaluated.
type CaseOutcome = std::result::Result<(Vec<Alert>, bool), String>;

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
        }
    }

    /// Ingests one event: applies it, ignores it as a duplicate, or rejects it with a reason
    /// (kept in [`Supervisor::rejections`]).
    pub fn ingest(&mut self, event: CaseEvent) -> Ingested {
        self.ingest_at(event, None)
    }

    fn ingest_at(&mut self, mut event: CaseEvent, line: Option<usize>) -> Ingested {
        // A retried delivery carries the same key for the same case: the keys are kept per case,
        // where the event is looked up anyway, not in one table the size of the log.
        let position = self.index.get(&event.case_id).copied();
        // The event's content, to tell a retried delivery (the same event again) from a different
        // event under a reused key.
        let fingerprint = fingerprint(&event);
        let known = position.and_then(|position| self.keys[position].get(&event.idempotency_key));
        let outcome = match known {
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

    /// The alert a finding raises on a case, unless it was raised before.
    fn new_alert(&self, case: &CaseState, finding: Finding, as_of: DateTime<FixedOffset>) -> Option<Alert> {
        let id = format!("{}:{}:{}", case.case_id, finding.code, finding.fact);
        if self.alerts.contains_key(&id) {
            return None;
        }
        let level = finding
            .level
            .unwrap_or_else(|| self.config.settings(finding.rule, &case.item_code, &case.department).level);
        let name = match finding.rule {
            crate::rule::Rule::Custom => self
                .config
                .custom
                .iter()
                .find(|c| c.spec.code == finding.code)
                .map_or(finding.code.as_str(), |c| c.spec.name.as_str()),
            rule => rule.chinese(),
        };
        let message = match self.config.language {
            Language::Zh => {
                format!("【{}】{}：办件{}（{}）{}", level.chinese(), name, case.case_id, case.item_code, finding.zh)
            }
            Language::En => format!(
                "[{}] {}: case {} ({}) {}",
                level.english(),
                finding.code,
                case.case_id,
                case.item_code,
                finding.en
            ),
        };
        Some(Alert {
            id,
            rule: finding.rule,
            code: finding.code,
            level,
            raised_level: level,
            case_id: case.case_id.clone(),
            item_code: case.item_code.clone(),
            department: case.department.clone(),
            region: case.region.clone(),
            raised_at: as_of,
            evidence: finding.evidence,
            message,
            status: AlertStatus::Raised,
            deadline: None,
            history: Vec::new(),
        })
    }

    /// For every case not settled, with its position: its new alerts and whether it is settled
    /// now, or why it could not be evaluated (cases with nothing to report are left out). A
    /// closed case's facts no longer change with time: once evaluated, it is skipped until a new
    /// event arrives (evaluations run forward in time). Large logs are evaluated on every core.
    fn findings(&self, as_of: DateTime<FixedOffset>) -> Vec<(usize, CaseOutcome)> {
        let evaluate = |range: std::ops::Range<usize>| {
            let mut out = Vec::new();
            for position in range {
                if self.settled[position] {
                    continue;
                }
                let case = &self.cases[position];
                let Some(item) = self.catalogue.item(&case.item_code) else { continue };
                match evaluate_case(&self.config, &self.calendar, item, case, as_of) {
                    Ok(findings) => {
                        let alerts: Vec<Alert> =
                            findings.into_iter().filter_map(|finding| self.new_alert(case, finding, as_of)).collect();
                        let settled =
                            case.last_event_at <= as_of && time_invariant(case, item, &self.calendar, china_day(as_of));
                        if !alerts.is_empty() || settled {
                            out.push((position, Ok((alerts, settled))));
                        }
                    }
                    Err(reason) => out.push((position, Err(reason))),
                }
            }
            out
        };
        let cases = self.cases.len();
        let threads = std::thread::available_parallelism().map_or(1, usize::from).min(cases / PARALLEL_CASES).max(1);
        if threads == 1 {
            return evaluate(0..cases);
        }
        let chunk = cases.div_ceil(threads);
        std::thread::scope(|scope| {
            let parts: Vec<_> = (0..threads)
                .map(|part| {
                    let range = part * chunk..((part + 1) * chunk).min(cases);
                    scope.spawn(move || evaluate(range))
                })
                .collect();
            // A rule that panics is a bug; its panic goes on in this thread.
            parts
                .into_iter()
                .flat_map(|part| part.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
                .collect()
        })
    }

    /// Runs every rule on every case as of `as_of`: raises alerts for facts not alerted before,
    /// and escalates yellow cards whose 督办 deadline has passed to red.
    pub fn evaluate(&mut self, as_of: DateTime<FixedOffset>) -> Evaluation {
        let mut evaluation = Evaluation::default();
        // The rules read one case at a time: the cases are split between the cores, and the
        // findings gathered in case order, so alerts are raised as a single thread would.
        for (position, outcome) in self.findings(as_of) {
            let case = &self.cases[position];
            let (alerts, settled) = match outcome {
                Ok(outcome) => outcome,
                Err(reason) => {
                    evaluation.unevaluated.push(Unevaluated { case_id: case.case_id.clone(), reason });
                    continue;
                }
            };
            for alert in alerts {
                // A case may find the same fact twice in one evaluation: it is raised once.
                if let std::collections::btree_map::Entry::Vacant(entry) = self.alerts.entry(alert.id.clone()) {
                    evaluation.raised.push(alert.id.clone());
                    entry.insert(alert);
                }
            }
            self.settled[position] = settled;
        }
        let today = china_day(as_of);
        for alert in self.alerts.values_mut() {
            let overdue = alert.status == AlertStatus::Supervised && alert.deadline.is_some_and(|d| today > d);
            if overdue && alert.level == Level::Yellow {
                let deadline = alert.deadline.map(|d| d.to_string()).unwrap_or_default();
                alert.level = Level::Red;
                alert.status = AlertStatus::Escalated;
                alert.history.push(Transition {
                    at: as_of,
                    actor: OfficialId::new("system"),
                    action: CorrectionAction::Escalate {
                        reason: format!("督办期限{deadline}届满仍未整改，黄牌升级为红牌"),
                    },
                    status: AlertStatus::Escalated,
                    level: Level::Red,
                });
                evaluation.escalated.push(alert.id.clone());
            }
        }
        evaluation
    }

    /// Records one step of an alert's correction process. Transitions that do not fit the
    /// alert's state are errors; recorded transitions are never changed.
    pub fn correct(
        &mut self,
        alert_id: &str,
        action: CorrectionAction,
        at: DateTime<FixedOffset>,
        actor: OfficialId,
    ) -> Result<AlertStatus> {
        let explain_days = self.config.explain_within_days;
        let calendar = self.calendar.clone();
        let alert = self
            .alerts
            .get_mut(alert_id)
            .ok_or_else(|| Error::Correction { alert: alert_id.to_owned(), reason: "no such alert".to_owned() })?;
        let refuse = |status: AlertStatus, action: &CorrectionAction| Error::Correction {
            alert: alert_id.to_owned(),
            reason: format!("cannot `{}` an alert that is {} ({:?})", action.name(), status.chinese(), status),
        };
        if let Some(last) = alert.history.last()
            && at < last.at
        {
            return Err(Error::Correction {
                alert: alert_id.to_owned(),
                reason: format!("`{}` at {at} is earlier than the last transition at {}", action.name(), last.at),
            });
        }
        use AlertStatus as S;
        let (status, level, deadline) = match (&action, alert.status) {
            (CorrectionAction::Notify { .. }, S::Raised) => {
                let due = calendar.add_working_days(china_day(at), explain_days).map_err(Error::Core)?;
                (S::Notified, alert.level, Some(due))
            }
            (CorrectionAction::Explain { text }, S::Notified) => {
                if text.trim().is_empty() {
                    return Err(Error::Correction {
                        alert: alert_id.to_owned(),
                        reason: "the explanation is empty".into(),
                    });
                }
                (S::Explained, alert.level, alert.deadline)
            }
            (CorrectionAction::Review { valid, reason }, S::Raised | S::Notified | S::Explained) => {
                if reason.trim().is_empty() {
                    return Err(Error::Correction {
                        alert: alert_id.to_owned(),
                        reason: "a review needs a reason".into(),
                    });
                }
                (if *valid { S::Confirmed } else { S::Dismissed }, alert.level, None)
            }
            (CorrectionAction::Correct { .. }, S::Confirmed | S::Supervised | S::Escalated) => {
                (S::Corrected, alert.level, None)
            }
            (CorrectionAction::Supervise { deadline }, S::Confirmed) => {
                if *deadline < china_day(at) {
                    return Err(Error::Correction {
                        alert: alert_id.to_owned(),
                        reason: format!("the 督办 deadline {deadline} is before the notice ({})", china_day(at)),
                    });
                }
                (S::Supervised, alert.level, Some(*deadline))
            }
            (CorrectionAction::Escalate { .. }, S::Confirmed | S::Supervised) => {
                (S::Escalated, alert.level.max(Level::Red), alert.deadline)
            }
            (CorrectionAction::HoldAccountable { .. }, S::Confirmed | S::Escalated | S::Supervised) => {
                (S::Accountability, alert.level, None)
            }
            (CorrectionAction::Close, S::Corrected | S::Dismissed | S::Accountability) => {
                (S::Closed, alert.level, None)
            }
            (action, status) => return Err(refuse(status, action)),
        };
        alert.status = status;
        alert.level = level;
        alert.deadline = deadline;
        alert.history.push(Transition { at, actor, action, status, level });
        Ok(status)
    }

    /// One alert by id.
    pub fn alert(&self, id: &str) -> Option<&Alert> {
        self.alerts.get(id)
    }

    /// Every alert, ordered by id (case, rule, fact).
    pub fn alerts(&self) -> impl Iterator<Item = &Alert> {
        self.alerts.values()
    }

    /// One case's state.
    pub fn case(&self, id: &CaseId) -> Option<&CaseState> {
        self.index.get(id).map(|&position| &self.cases[position])
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

    /// Every case, in the order of their first events.
    pub fn cases(&self) -> impl Iterator<Item = &CaseState> {
        self.cases.iter()
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

    /// 绩效排名: scores and ranks the departments for one period (`period` and its `label`, e.g.
    /// `Period::Month` and `"2025-03"`), from the alerts raised in it and its statistics, as of
    /// `as_of`.
    pub fn rank(
        &self,
        as_of: DateTime<FixedOffset>,
        period: Period,
        label: &str,
        scheme: &ScoringScheme,
        external: &BTreeMap<zhengwu_core::DepartmentId, ExternalScores>,
    ) -> Vec<DepartmentScore> {
        let statistics = self.statistics(as_of, Dimension::Department, period, None);
        let counters = statistics
            .rows
            .iter()
            .filter(|((_, p), _)| p == label)
            .map(|((department, _), counters)| (zhengwu_core::DepartmentId::new(department.clone()), *counters))
            .collect();
        let alerts =
            self.alerts.values().filter(|a| a.raised_at <= as_of && period.label(china_day(a.raised_at)) == label);
        scheme.rank(&counters, alerts, external)
    }

    /// 半年 / 年度 scores as the mean of monthly scores (`domain.md` §2.4): each department's
    /// monthly scores over `months` (labels `YYYY-MM`) are averaged — a month without activity
    /// counts as a month at the score the scheme gives an idle department — and ranked with the
    /// same tie-breaks, red cards and early completions summed over the months.
    pub fn rank_mean_of_months(
        &self,
        as_of: DateTime<FixedOffset>,
        months: &[&str],
        scheme: &ScoringScheme,
        external: &BTreeMap<zhengwu_core::DepartmentId, ExternalScores>,
    ) -> Vec<DepartmentScore> {
        let monthly: Vec<Vec<DepartmentScore>> =
            months.iter().map(|month| self.rank(as_of, Period::Month, month, scheme, external)).collect();
        let mut departments: Vec<zhengwu_core::DepartmentId> =
            monthly.iter().flatten().map(|s| s.department.clone()).collect();
        departments.sort();
        departments.dedup();
        let idle = scheme.rank(
            &BTreeMap::from([(zhengwu_core::DepartmentId::new("idle"), crate::stats::Counters::default())]),
            std::iter::empty(),
            &BTreeMap::new(),
        );
        let idle_score = idle.first().map_or(100.0, |s| s.score);
        let mut results = Vec::new();
        for department in departments {
            let scores: Vec<&DepartmentScore> =
                monthly.iter().filter_map(|m| m.iter().find(|s| s.department == department)).collect();
            let active = scores.len();
            let total: f64 = scores.iter().map(|s| s.score).sum::<f64>() + (months.len() - active) as f64 * idle_score;
            let mean = (total / months.len().max(1) as f64 * 100.0).round() / 100.0;
            let mut explanation = vec![format!(
                "{}个月平均：{}个月有办件，其余{}个月按{}分计",
                months.len(),
                active,
                months.len() - active,
                idle_score
            )];
            explanation.extend(scores.iter().map(|s| format!("{}分", s.score)));
            // A month's 一票否决 caps the period's grade as well.
            let vetoed = scores.iter().any(|s| s.vetoed);
            let mut grade = scheme.grade(mean);
            if let Some(veto) = scheme.veto.filter(|_| vetoed) {
                explanation.push(format!("一票否决：期内有月份被否决，等次至多为{}", veto.cap.chinese()));
                grade = grade.max(veto.cap);
            }
            results.push(DepartmentScore {
                department,
                rank: 0,
                score: mean,
                grade,
                vetoed,
                parts: Vec::new(),
                bonus: scores.iter().map(|s| s.bonus).sum::<f64>() / months.len().max(1) as f64,
                red_cards: scores.iter().map(|s| s.red_cards).sum(),
                early_rate: scores.iter().map(|s| s.early_rate).sum::<f64>() / active.max(1) as f64,
                explanation,
            });
        }
        crate::scoring::order(&mut results);
        results
    }

    /// Statistics as of `as_of`, grouped by `dimension` and cut by `period`. With an organisation
    /// directory, the region dimension rolls each case up through every region above its own.
    /// Events after `as_of` are not counted.
    pub fn statistics(
        &self,
        as_of: DateTime<FixedOffset>,
        dimension: Dimension,
        period: Period,
        organization: Option<&Organization>,
    ) -> Statistics {
        let today = china_day(as_of);
        let mut table = Tally::new(dimension, period);
        for case in &self.cases {
            let Some(item) = self.catalogue.item(&case.item_code) else { continue };
            let groups = Self::groups(
                dimension,
                organization,
                &case.department,
                &case.item_code,
                case.window.as_ref(),
                &case.region,
            );
            let in_scope = |at: Option<DateTime<FixedOffset>>| at.filter(|t| *t <= as_of).map(china_day);
            let received = in_scope(case.received_at);
            let accepted = in_scope(case.accepted_at);
            let refused_at_intake = in_scope(case.refused_at);
            let withdrawn = in_scope(case.withdrawn_at);
            let conclusion = case.conclusion.as_ref().filter(|c| c.at <= as_of);
            let promised = case.timeline.report(item, LimitReference::Promised, &self.calendar, today).ok().flatten();
            for group in groups.iter() {
                if let Some(day) = received {
                    table.add(group.clone(), day, |c| c.received += 1);
                }
                if let Some(day) = accepted {
                    table.add(group.clone(), day, |c| c.accepted += 1);
                }
                if let Some(day) = refused_at_intake {
                    table.add(group.clone(), day, |c| c.refused_at_intake += 1);
                }
                if let Some(day) = withdrawn {
                    table.add(group.clone(), day, |c| c.withdrawn += 1);
                }
                if let Some(conclusion) = conclusion {
                    let day = china_day(conclusion.at);
                    let status = promised.as_ref().map(|r| r.status);
                    table.add(group.clone(), day, |c| {
                        c.concluded += 1;
                        match conclusion.decision {
                            Decision::Granted | Decision::Forwarded if item.kind == ItemKind::Immediate => {
                                c.immediate += 1
                            }
                            Decision::Granted | Decision::Forwarded => {
                                c.promised += 1;
                                match status {
                                    Some(ClockStatus::Early) => c.early += 1,
                                    Some(ClockStatus::Overdue) => c.overdue += 1,
                                    _ => c.on_time += 1,
                                }
                            }
                            Decision::Refused => c.refused += 1,
                            Decision::Terminated => c.terminated += 1,
                        }
                    });
                } else if accepted.is_some() && withdrawn.is_none() {
                    match promised.as_ref().map(|r| r.status) {
                        Some(ClockStatus::OverdueRunning) => {
                            table.add(group.clone(), today, |c| c.overdue_running += 1)
                        }
                        Some(ClockStatus::Suspended) => table.add(group.clone(), today, |c| c.suspended += 1),
                        _ => table.add(group.clone(), today, |c| c.running += 1),
                    }
                }
            }
        }
        for alert in self.alerts.values().filter(|a| a.raised_at <= as_of) {
            let window = match dimension {
                Dimension::Window => self.case(&alert.case_id).and_then(|c| c.window.as_ref()),
                _ => None,
            };
            let groups =
                Self::groups(dimension, organization, &alert.department, &alert.item_code, window, &alert.region);
            for group in groups.iter() {
                table.add(group.clone(), china_day(alert.raised_at), |c| match alert.raised_level {
                    Level::Notice => c.notices += 1,
                    Level::Warning => c.warnings += 1,
                    Level::Yellow => c.yellow_cards += 1,
                    Level::Red => c.red_cards += 1,
                });
            }
        }
        table.finish()
    }

    /// The groups a case (or an alert) counts in: one, or a region and its ancestors.
    fn groups<'s>(
        dimension: Dimension,
        organization: Option<&'s Organization>,
        department: &'s DepartmentId,
        item: &'s ItemCode,
        window: Option<&'s OfficialId>,
        region: &'s RegionCode,
    ) -> SmallGroups<'s> {
        match dimension {
            Dimension::Total => SmallGroups::One(Cow::Borrowed("total")),
            Dimension::Department => SmallGroups::One(Cow::Borrowed(department.as_str())),
            Dimension::Item => SmallGroups::One(Cow::Borrowed(item.as_str())),
            Dimension::Window => SmallGroups::One(Cow::Borrowed(window.map_or("-", |w| w.as_str()))),
            Dimension::Region => match organization {
                Some(org) if org.region(region).is_some() => {
                    SmallGroups::Many(org.ancestors(region).map(|r| Cow::Borrowed(r.code.as_str())).collect())
                }
                _ => SmallGroups::One(Cow::Borrowed(region.as_str())),
            },
        }
    }
}

/// The groups of one case: almost always one, so no vector is made for it.
enum SmallGroups<'a> {
    One(Cow<'a, str>),
    Many(Vec<Cow<'a, str>>),
}

impl<'a> std::ops::Deref for SmallGroups<'a> {
    type Target = [Cow<'a, str>];

    fn deref(&self) -> &Self::Target {
        match self {
            SmallGroups::One(group) => std::slice::from_ref(group),
            SmallGroups::Many(groups) => groups,
        }
    }
}

/// The content of an event as a number: equal events give equal numbers (FxHash over every
/// member, `CaseEvent`'s `Hash`).
fn fingerprint(event: &CaseEvent) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    event.hash(&mut hasher);
    hasher.finish()
}

/// The idempotency keys of one case with their events' fingerprints: up to four kept inline (no
/// allocation for most cases), then a map.
#[derive(Debug, Clone)]
enum CaseKeys {
    Few(usize, [(compact_str::CompactString, u64); 4]),
    Many(FxHashMap<compact_str::CompactString, u64>),
}

impl Default for CaseKeys {
    fn default() -> Self {
        CaseKeys::Few(0, Default::default())
    }
}

impl CaseKeys {
    /// The fingerprint of the event stored under `key`.
    fn get(&self, key: &compact_str::CompactString) -> Option<u64> {
        match self {
            CaseKeys::Few(len, keys) => keys[..*len].iter().find(|(k, _)| k == key).map(|(_, f)| *f),
            CaseKeys::Many(keys) => keys.get(key).copied(),
        }
    }

    fn insert(&mut self, key: compact_str::CompactString, fingerprint: u64) {
        match self {
            CaseKeys::Few(len, keys) if *len < keys.len() => {
                keys[*len] = (key, fingerprint);
                *len += 1;
            }
            CaseKeys::Few(_, keys) => {
                let mut map: FxHashMap<_, _> = keys.iter_mut().map(std::mem::take).collect();
                map.insert(key, fingerprint);
                *self = CaseKeys::Many(map);
            }
            CaseKeys::Many(keys) => {
                keys.insert(key, fingerprint);
            }
        }
    }
}
