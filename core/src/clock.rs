//! The statutory clock (法定时限): due dates, days used and remaining, and the 提前 / 按时 / 超期 /
//! 即办 outcome of a case, counted in working days (行政许可法 Art. 82) or calendar days.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::error::{Error, Result};

/// The unit a time limit is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DayUnit {
    /// 工作日: 行政许可法 Art. 82 counts every limit of the law in working days.
    #[default]
    WorkingDays,
    /// 自然日: e.g. 信访 limits; a last day that is not a working day moves to the next working
    /// day (民法典 Art. 203).
    CalendarDays,
}

/// 办理时限: a number of days in a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimeLimit {
    /// The number of days.
    pub days: u32,
    /// The unit (working days unless stated).
    #[serde(default)]
    pub unit: DayUnit,
}

impl TimeLimit {
    /// A limit in working days.
    pub const fn working_days(days: u32) -> Self {
        Self { days, unit: DayUnit::WorkingDays }
    }

    /// A limit in calendar days.
    pub const fn calendar_days(days: u32) -> Self {
        Self { days, unit: DayUnit::CalendarDays }
    }
}

/// Which limit a case is measured against: schemes differ (`domain.md` §1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitReference {
    /// 承诺时限: the limit the service centre published (≤ the legal one).
    Promised,
    /// 法定时限: the limit the law sets.
    Legal,
}

/// Who approved an extension (延期).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Authority {
    /// 本行政机关负责人 (Art. 42 ¶1: +10 working days).
    DepartmentHead,
    /// 本级人民政府负责人 (Art. 42 ¶2: +15 working days for unified or joint handling).
    GovernmentHead,
}

impl Authority {
    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            Authority::DepartmentHead => "本行政机关负责人",
            Authority::GovernmentHead => "本级人民政府负责人",
        }
    }
}

/// How a case is handled, which fixes how far and by whom its limit may be extended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HandlingRegime {
    /// 单独办理: one department; 20 working days + 10 with the department head's approval.
    #[default]
    Single,
    /// 统一办理 / 联合办理 / 集中办理 (并联审批): 45 working days + 15 with the government head's
    /// approval.
    Joint,
    /// Another law's rule: at most `max_extension_days`, approved by `authority` or higher.
    Custom {
        /// The most the limit may be extended by, in total.
        max_extension_days: u32,
        /// The lowest authority that may approve.
        authority: Authority,
    },
}

impl HandlingRegime {
    /// The statutory legal limit of the regime (20 or 45 working days); `None` for custom regimes.
    pub fn legal_limit(self) -> Option<TimeLimit> {
        match self {
            HandlingRegime::Single => Some(TimeLimit::working_days(20)),
            HandlingRegime::Joint => Some(TimeLimit::working_days(45)),
            HandlingRegime::Custom { .. } => None,
        }
    }

    /// The most the limit may be extended by, and the lowest authority that may approve it.
    pub fn extension_rule(self) -> (u32, Authority) {
        match self {
            HandlingRegime::Single => (10, Authority::DepartmentHead),
            HandlingRegime::Joint => (15, Authority::GovernmentHead),
            HandlingRegime::Custom { max_extension_days, authority } => (max_extension_days, authority),
        }
    }
}

/// The eight procedures whose time 行政许可法 Art. 45 excludes from the limit (特殊环节), and the
/// 公示 some local rules add.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SpecialProcedureKind {
    /// 听证.
    Hearing,
    /// 招标.
    Tender,
    /// 拍卖.
    Auction,
    /// 检验.
    Inspection,
    /// 检测.
    Testing,
    /// 检疫.
    Quarantine,
    /// 鉴定.
    Appraisal,
    /// 专家评审.
    ExpertReview,
    /// 公示 (local rules, not Art. 45).
    Publicity,
}

impl SpecialProcedureKind {
    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            SpecialProcedureKind::Hearing => "听证",
            SpecialProcedureKind::Tender => "招标",
            SpecialProcedureKind::Auction => "拍卖",
            SpecialProcedureKind::Inspection => "检验",
            SpecialProcedureKind::Testing => "检测",
            SpecialProcedureKind::Quarantine => "检疫",
            SpecialProcedureKind::Appraisal => "鉴定",
            SpecialProcedureKind::ExpertReview => "专家评审",
            SpecialProcedureKind::Publicity => "公示",
        }
    }
}

/// Why the clock stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "procedure", rename_all = "snake_case")]
pub enum PauseKind {
    /// 补正: waiting for the applicant's supplementary materials after acceptance, where the local
    /// rule stops the clock. (Before acceptance, 补正 moves the acceptance date instead.)
    Supplement,
    /// 特殊环节: an Art. 45 special procedure.
    SpecialProcedure(SpecialProcedureKind),
    /// 中止 / 暂停: any other suspension the rules allow.
    Suspension,
}

/// A stop of the clock. The days after `from` up to and including `until` are not counted: the
/// start day was worked, and counting resumes the day after `until` (the Art. 201 rule applied to
/// the resumption).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    /// Why.
    pub kind: PauseKind,
    /// The day the clock stopped.
    #[serde(with = "crate::serde_date")]
    pub from: NaiveDate,
    /// The day the stop ended; `None` while it lasts.
    #[serde(default)]
    #[serde(with = "crate::serde_date::option")]
    pub until: Option<NaiveDate>,
}

/// 延期: an approved extension of the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// The day it was approved.
    #[serde(with = "crate::serde_date")]
    pub approved_on: NaiveDate,
    /// Days added, in the limit's unit.
    pub days: u32,
    /// Who approved it.
    pub authority: Authority,
}

/// An extension the clock did not grant (in full), with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedExtension {
    /// The extension as requested.
    pub extension: Extension,
    /// Days of it that were not granted.
    pub rejected_days: u32,
    /// Why, in Chinese, for officials.
    pub reason: String,
}

/// 法定时限计算: the statutory clock of one case against one limit.
///
/// ```
/// use chrono::NaiveDate;
/// use zhengwu_core::{Calendar, ClockStatus, Pause, PauseKind, SpecialProcedureKind, StatutoryClock, TimeLimit};
///
/// let d = |s: &str| s.parse::<NaiveDate>().unwrap();
/// let calendar = Calendar::china();
/// let mut clock = StatutoryClock::new(d("2025-09-30"), TimeLimit::working_days(20));
/// // Without stops the 20th working day is 4 November. An expert review (专家评审) from 3 to
/// // 5 November stops the clock for 4 and 5 November, so the due date moves to 6 November.
/// clock.pauses.push(Pause {
///     kind: PauseKind::SpecialProcedure(SpecialProcedureKind::ExpertReview),
///     from: d("2025-11-03"),
///     until: Some(d("2025-11-05")),
/// });
/// clock.concluded_on = Some(d("2025-11-06"));
/// let report = clock.evaluate(&calendar, d("2025-11-30"))?;
/// assert_eq!(report.due_on, Some(d("2025-11-06")));
/// assert_eq!(report.paused_days, 2);
/// assert_eq!(report.status, ClockStatus::OnTime);
/// # Ok::<(), zhengwu_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatutoryClock {
    /// 受理日期: the day of acceptance (after 补正, the day the complete materials arrived). Never
    /// counted itself.
    #[serde(with = "crate::serde_date")]
    pub accepted_on: NaiveDate,
    /// The limit measured against.
    pub limit: TimeLimit,
    /// The handling regime, for checking extensions.
    #[serde(default)]
    pub regime: HandlingRegime,
    /// 即办件: concluded on the day of acceptance, the outcome is 即办.
    #[serde(default)]
    pub immediate: bool,
    /// Stops of the clock.
    #[serde(default)]
    pub pauses: Vec<Pause>,
    /// Approved extensions.
    #[serde(default)]
    pub extensions: Vec<Extension>,
    /// 办结日期, once concluded.
    #[serde(default)]
    #[serde(with = "crate::serde_date::option")]
    pub concluded_on: Option<NaiveDate>,
}

/// 办结状态: where a case stands against its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStatus {
    /// 即办: an immediate item concluded on the day of acceptance.
    Immediate,
    /// 提前办结: concluded with days to spare.
    Early,
    /// 按时办结: concluded on the last day.
    OnTime,
    /// 超期办结: concluded after the due date.
    Overdue,
    /// 在办: running, not yet due.
    Running,
    /// 逾期在办: running past the due date.
    OverdueRunning,
    /// 暂停: the clock is stopped (补正, 特殊环节, 中止).
    Suspended,
}

impl ClockStatus {
    /// The Chinese label used in statistics.
    pub fn chinese(self) -> &'static str {
        match self {
            ClockStatus::Immediate => "即办",
            ClockStatus::Early => "提前",
            ClockStatus::OnTime => "按时",
            ClockStatus::Overdue => "超期",
            ClockStatus::Running => "在办",
            ClockStatus::OverdueRunning => "逾期在办",
            ClockStatus::Suspended => "暂停",
        }
    }
}

/// What the clock says about a case on a given day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockReport {
    /// 截止日期; `None` while the clock is stopped by an open pause.
    #[serde(with = "crate::serde_date::option")]
    pub due_on: Option<NaiveDate>,
    /// The limit including granted extensions, in the limit's unit.
    pub limit_days: u32,
    /// Days used from the day after acceptance to the conclusion (or the evaluation day), minus
    /// stopped days.
    pub used_days: i64,
    /// `limit_days - used_days`; negative when over.
    pub remaining_days: i64,
    /// Days not counted because the clock was stopped (up to the conclusion or evaluation day).
    pub paused_days: u32,
    /// Extension days granted.
    pub granted_extension_days: u32,
    /// Extensions not granted, with reasons.
    pub rejected_extensions: Vec<RejectedExtension>,
    /// The outcome class or running state.
    pub status: ClockStatus,
    /// The first year without a published notice that this report rests on (a year projected
    /// with `Calendar::with_provisional_year`); `None` when every day used is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisional_year: Option<i32>,
}

impl StatutoryClock {
    /// A clock for a case accepted on `accepted_on` with `limit`, single-department regime, no
    /// pauses or extensions, not concluded.
    pub fn new(accepted_on: NaiveDate, limit: TimeLimit) -> Self {
        Self {
            accepted_on,
            limit,
            regime: HandlingRegime::Single,
            immediate: false,
            pauses: Vec::new(),
            extensions: Vec::new(),
            concluded_on: None,
        }
    }

    /// Evaluates the clock as of `as_of` (used only while the case is not concluded).
    pub fn evaluate(&self, calendar: &Calendar, as_of: NaiveDate) -> Result<ClockReport> {
        let accepted = self.accepted_on;
        if let Some(concluded) = self.concluded_on {
            if concluded < accepted {
                return Err(Error::InvalidClock(format!(
                    "concluded on {concluded}, before the acceptance date {accepted}"
                )));
            }
        } else if as_of < accepted {
            return Err(Error::InvalidClock(format!("evaluated as of {as_of}, before the acceptance date {accepted}")));
        }
        let now = self.concluded_on.unwrap_or(as_of);
        let intervals = self.pause_intervals()?;
        let counter = Counter { calendar, unit: self.limit.unit };

        // Extensions in approval order; each must come before the due date it extends.
        let (max_extension, required) = self.regime.extension_rule();
        let mut extensions = self.extensions.clone();
        extensions.sort_by_key(|e| e.approved_on);
        let mut granted = 0u32;
        let mut rejected = Vec::new();
        let mut due = counter.due(accepted, self.limit.days, &intervals)?;
        for extension in extensions {
            let reject = |days: u32, reason: String| RejectedExtension { extension, rejected_days: days, reason };
            if extension.authority < required {
                rejected.push(reject(
                    extension.days,
                    format!("延期须经{}批准，批准人为{}", required.chinese(), extension.authority.chinese()),
                ));
                continue;
            }
            if let Some(current) = due
                && extension.approved_on > current
            {
                rejected.push(reject(
                    extension.days,
                    format!("延期于{}批准，已过截止日期{}", extension.approved_on, current),
                ));
                continue;
            }
            let allowed = max_extension - granted;
            let days = extension.days.min(allowed);
            if days < extension.days {
                rejected.push(reject(
                    extension.days - days,
                    format!("延期累计不得超过{max_extension}日，超出{}日", extension.days - days),
                ));
            }
            if days > 0 {
                granted += days;
                due = counter.due(accepted, self.limit.days + granted, &intervals)?;
            }
        }

        let limit_days = self.limit.days + granted;
        let paused: i64 = intervals
            .iter()
            .map(|&(from, until)| {
                let until = until.map_or(now, |u| u.min(now));
                if until > from { counter.count(from, until) } else { Ok(0) }
            })
            .sum::<Result<i64>>()?;
        let used = counter.count(accepted, now)? - paused;
        let open_pause = intervals.iter().any(|&(from, until)| until.is_none() && from <= now);
        let status = match self.concluded_on {
            Some(concluded) if self.immediate && concluded == accepted => ClockStatus::Immediate,
            Some(concluded) => match due {
                Some(due) if concluded > due => ClockStatus::Overdue,
                _ if used < i64::from(limit_days) => ClockStatus::Early,
                _ => ClockStatus::OnTime,
            },
            None if open_pause => ClockStatus::Suspended,
            None => match due {
                Some(due) if as_of > due => ClockStatus::OverdueRunning,
                _ => ClockStatus::Running,
            },
        };
        let horizon = due.map_or(now, |due| due.max(now));
        Ok(ClockReport {
            provisional_year: calendar.provisional_year_in(accepted, horizon),
            due_on: due,
            limit_days,
            used_days: used,
            remaining_days: i64::from(limit_days) - used,
            paused_days: u32::try_from(paused).unwrap_or(u32::MAX),
            granted_extension_days: granted,
            rejected_extensions: rejected,
            status,
        })
    }

    /// The pauses as sorted, merged `(from, until)` intervals after acceptance; `None` = open.
    /// An open pause of a concluded case ends on the conclusion day.
    fn pause_intervals(&self) -> Result<Vec<(NaiveDate, Option<NaiveDate>)>> {
        let mut intervals = Vec::with_capacity(self.pauses.len());
        for pause in &self.pauses {
            if let Some(until) = pause.until
                && until < pause.from
            {
                return Err(Error::InvalidClock(format!(
                    "pause `{}` ends on {until}, before it starts on {}",
                    pause_label(pause.kind),
                    pause.from
                )));
            }
            let until = match (pause.until, self.concluded_on) {
                (None, Some(concluded)) => Some(concluded.max(pause.from)),
                (until, _) => until,
            };
            let from = pause.from.max(self.accepted_on);
            if until.is_some_and(|u| u <= from) {
                continue;
            }
            intervals.push((from, until));
        }
        intervals.sort_by_key(|&(from, _)| from);
        let mut merged: Vec<(NaiveDate, Option<NaiveDate>)> = Vec::with_capacity(intervals.len());
        for (from, until) in intervals {
            match merged.last_mut() {
                Some((_, last_until)) if last_until.is_none_or(|u| from <= u) => {
                    *last_until = match (*last_until, until) {
                        (Some(a), Some(b)) => Some(a.max(b)),
                        _ => None,
                    };
                }
                _ => merged.push((from, until)),
            }
        }
        Ok(merged)
    }
}

fn pause_label(kind: PauseKind) -> &'static str {
    match kind {
        PauseKind::Supplement => "补正",
        PauseKind::SpecialProcedure(procedure) => procedure.chinese(),
        PauseKind::Suspension => "中止",
    }
}

/// Counting in one unit.
struct Counter<'a> {
    calendar: &'a Calendar,
    unit: DayUnit,
}

impl Counter<'_> {
    /// Units in `(from, to]`.
    fn count(&self, from: NaiveDate, to: NaiveDate) -> Result<i64> {
        match self.unit {
            DayUnit::WorkingDays => self.calendar.working_days_between(from, to),
            DayUnit::CalendarDays => Ok((to - from).num_days()),
        }
    }

    /// The `n`-th counted day after `from` (no Art. 203 adjustment).
    fn advance(&self, from: NaiveDate, n: u32) -> Result<NaiveDate> {
        match self.unit {
            DayUnit::WorkingDays => self.calendar.add_working_days(from, n),
            DayUnit::CalendarDays => {
                self.calendar.is_workday(from)?;
                Ok(from + chrono::Days::new(u64::from(n)))
            }
        }
    }

    /// The due date of `n` units after `accepted`, skipping the stopped intervals; `None` if an
    /// open pause stops the clock before the limit is reached.
    fn due(&self, accepted: NaiveDate, n: u32, pauses: &[(NaiveDate, Option<NaiveDate>)]) -> Result<Option<NaiveDate>> {
        let mut remaining = n;
        let mut cursor = accepted;
        for &(from, until) in pauses {
            if from >= cursor {
                let candidate = self.advance(cursor, remaining)?;
                if candidate <= from {
                    return self.finish(candidate).map(Some);
                }
                let counted = self.count(cursor, from)?;
                remaining -= u32::try_from(counted).unwrap_or(remaining);
            }
            match until {
                Some(until) => cursor = cursor.max(until),
                None => return Ok(None),
            }
        }
        self.advance(cursor, remaining).and_then(|d| self.finish(d)).map(Some)
    }

    /// Art. 203: a calendar-day limit ending on a day off ends on the next working day.
    fn finish(&self, day: NaiveDate) -> Result<NaiveDate> {
        match self.unit {
            DayUnit::WorkingDays => Ok(day),
            DayUnit::CalendarDays => self.calendar.next_workday_on_or_after(day),
        }
    }
}
