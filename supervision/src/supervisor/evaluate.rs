//! Alerts: rules evaluated as of an instant, and each alert's correction process.

use chrono::{DateTime, FixedOffset};
use zhengwu_core::{OfficialId, china_day};

use super::Supervisor;
use super::outcome::{Evaluation, Unevaluated};
use crate::alert::{Alert, AlertStatus, CorrectionAction, Transition};
use crate::case::CaseState;
use crate::config::Language;
use crate::error::{Error, Result};
use crate::rule::Level;
use crate::rules::{Finding, evaluate_case, time_invariant};

/// Below this many cases per core, rules are evaluated on one thread: starting threads would
/// cost more than it saves.
const PARALLEL_CASES: usize = 8_192;

/// One case's evaluation: its new alerts and whether it is settled now, or why it could not be
/// evaluated.
type CaseOutcome = std::result::Result<(Vec<Alert>, bool), String>;

impl Supervisor {
    /// The alert a finding raises on a case, unless it was raised before.
    pub(super) fn new_alert(&self, case: &CaseState, finding: Finding, as_of: DateTime<FixedOffset>) -> Option<Alert> {
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
}
