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
    /// 月: e.g. 人大代表建议 and 政协提案 answered within 3 months of 交办. The period ends on the
    /// day of the last month corresponding to the start day, or that month's last day when it has
    /// none (民法典 Art. 202), moved to the next working day when it is not one (Art. 203).
    /// Amounts used, left or over are counted in calendar days.
    Months,
}

impl DayUnit {
    /// How an amount in this unit is written in Chinese after its number: `个工作日` or `日`
    /// (`超过法定时限3个工作日`, `超过法定时限1日`).
    pub fn chinese(self) -> &'static str {
        match self {
            DayUnit::WorkingDays => "个工作日",
            DayUnit::CalendarDays => "日",
            DayUnit::Months => "个月",
        }
    }

    /// How an amount in this unit is written in English after its number: `working day(s)` or
    /// `day(s)`.
    pub fn english(self) -> &'static str {
        match self {
            DayUnit::WorkingDays => "working day(s)",
            DayUnit::CalendarDays => "day(s)",
            DayUnit::Months => "month(s)",
        }
    }

    /// The unit amounts of a limit in this unit are counted in: calendar days for months.
    pub fn counted_in(self) -> DayUnit {
        match self {
            DayUnit::Months => DayUnit::CalendarDays,
            unit => unit,
        }
    }
}

/// 办理时限: a number of days (or months) in a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimeLimit {
    /// The number of days (of months, for [`DayUnit::Months`]).
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

    /// A limit in months.
    pub const fn months(months: u32) -> Self {
        Self { days: months, unit: DayUnit::Months }
    }

    /// The due date of the limit counted from `start`, the one place every engine computes it:
    /// the start day is not counted (民法典 Art. 201); in working days, the `days`-th working day
    /// after `start` (行政许可法 Art. 82); in calendar days, the `days`-th day after `start`, moved
    /// to the next working day when it is not one (Art. 203); in months, the corresponding day of
    /// the last month, or its last day (Art. 202), moved likewise. A limit of 0 working days is the
    /// start day itself.
    ///
    /// ```
    /// use zhengwu_core::{Calendar, TimeLimit};
    /// let calendar = Calendar::china();
    /// let from = "2025-08-04".parse().unwrap();
    /// // 60 days after 4 August 2025 is 3 October, in the National Day holiday: due 9 October.
    /// assert_eq!(TimeLimit::calendar_days(60).due_from(from, &calendar)?.to_string(), "2025-10-09");
    /// assert_eq!(TimeLimit::working_days(5).due_from(from, &calendar)?.to_string(), "2025-08-11");
    /// // 3 months from 30 November 2025: February has no 30th, so its last day, 28 February 2026,
    /// // a 调休 working day before the Spring Festival holiday.
    /// let from = "2025-11-30".parse().unwrap();
    /// assert_eq!(TimeLimit::months(3).due_from(from, &calendar)?.to_string(), "2026-02-28");
    /// # Ok::<(), zhengwu_core::Error>(())
    /// ```
    pub fn due_from(self, start: NaiveDate, calendar: &Calendar) -> Result<NaiveDate> {
        match self.unit {
            DayUnit::WorkingDays => calendar.add_working_days(start, self.days),
            DayUnit::CalendarDays => calendar.add_calendar_days(start, self.days),
            DayUnit::Months => calendar.next_workday_on_or_after(add_months(start, self.days)?),
        }
    }
}

/// 民法典 Art. 202: `months` after `start`, on the corresponding day of the last month, or its
/// last day when it has none.
pub(crate) fn add_months(start: NaiveDate, months: u32) -> Result<NaiveDate> {
    start
        .checked_add_months(chrono::Months::new(months))
        .ok_or_else(|| Error::InvalidClock(format!("{months} months after {start} is beyond the calendar")))
}

impl DayUnit {
    /// Days of this unit in `(from, to]`: after `from`, up to and including `to`; negative when
    /// `to` is before `from`.
    pub fn count(self, calendar: &Calendar, from: NaiveDate, to: NaiveDate) -> Result<i64> {
        match self {
            DayUnit::WorkingDays => calendar.working_days_between(from, to),
            DayUnit::CalendarDays | DayUnit::Months => {
                calendar.is_workday(from)?;
                calendar.is_workday(to)?;
                Ok((to - from).num_days())
            }
        }
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
    /// 上报件 (行政许可法 Art. 43): the lower authority examines within 20 working days and sends
    /// the case up; the article has no extension clause, so no extension is lawful.
    Preliminary,
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
            HandlingRegime::Single | HandlingRegime::Preliminary => Some(TimeLimit::working_days(20)),
            HandlingRegime::Joint => Some(TimeLimit::working_days(45)),
            HandlingRegime::Custom { .. } => None,
        }
    }

    /// The most the limit may be extended by, and the lowest authority that may approve it.
    pub fn extension_rule(self) -> (u32, Authority) {
        match self {
            HandlingRegime::Single => (10, Authority::DepartmentHead),
            HandlingRegime::Joint => (15, Authority::GovernmentHead),
            HandlingRegime::Preliminary => (0, Authority::GovernmentHead),
            HandlingRegime::Custom { max_extension_days, authority } => (max_extension_days, authority),
        }
    }

    /// Why an extension is refused outright under this regime, when no extension is lawful.
    pub fn no_extension_reason(self) -> Option<&'static str> {
        match self {
            HandlingRegime::Preliminary => Some("上报件下级机关审查期限（行政许可法第四十三条）不得延长"),
            HandlingRegime::Custom { max_extension_days: 0, .. } => Some("本事项办理时限不得延长"),
            _ => None,
        }
    }
}

/// 特殊环节: the eight procedures whose time 行政许可法 Art. 45 excludes from the limit (a closed
/// list), and procedures outside it (公示, 现场踏勘, 征求意见) whose time counts unless a named
/// provision says otherwise.
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
    /// 公示 (not in Art. 45: counted unless the item names the provision that excludes it).
    Publicity,
    /// 现场踏勘 / 现场核查 (not in Art. 45: counted unless the item names a provision).
    SiteInspection,
    /// 征求意见 (not in Art. 45: counted unless the item names a provision).
    Consultation,
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
            SpecialProcedureKind::SiteInspection => "现场踏勘",
            SpecialProcedureKind::Consultation => "征求意见",
        }
    }

    /// Whether 行政许可法 Art. 45 names the procedure (听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审),
    /// so that its time is not counted in the limit by the statute itself.
    pub fn named_in_article_45(self) -> bool {
        !matches!(
            self,
            SpecialProcedureKind::Publicity | SpecialProcedureKind::SiteInspection | SpecialProcedureKind::Consultation
        )
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
    /// What stopped the clock: 补正, a special procedure, or 挂起.
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
    /// The limit including granted extensions, in the limit's unit (months for a month limit).
    pub limit_days: u32,
    /// The unit of every other amount of the report (working or calendar days; calendar days
    /// for a month limit).
    #[serde(default)]
    pub unit: DayUnit,
    /// Days used from the day after acceptance to the conclusion (or the evaluation day), minus
    /// stopped days.
    pub used_days: i64,
    /// Days from the conclusion (or the evaluation day) to the due date, less stopped days;
    /// negative when over, then the days from the due date on (民法典 Art. 203 may move a
    /// calendar-day due date past the limit-th day: the amount is counted from the due date).
    /// While an open stop holds the clock, `limit_days - used_days`.
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
        let counter =
            Counter { calendar, unit: self.limit.unit.counted_in(), months: self.limit.unit == DayUnit::Months };

        // Extensions in approval order; each must come before the due date it extends.
        let (max_extension, required) = self.regime.extension_rule();
        let mut extensions = self.extensions.clone();
        extensions.sort_by_key(|e| e.approved_on);
        let mut granted = 0u32;
        let mut rejected = Vec::new();
        let mut due = counter.due(accepted, self.limit.days, &intervals)?;
        for extension in extensions {
            let reject = |days: u32, reason: String| RejectedExtension { extension, rejected_days: days, reason };
            if let Some(reason) = self.regime.no_extension_reason() {
                rejected.push(reject(extension.days, reason.to_owned()));
                continue;
            }
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
        let paused = counter.paused(&intervals, accepted, now)?;
        let used = counter.count(accepted, now)? - paused;
        // Measured from the due date: for calendar-day limits Art. 203 may have moved the due
        // date past the limit-th day, and the amounts over or left are days from that date, in
        // the limit's own unit, less any stopped days between.
        let remaining = match due {
            Some(due) if now > due => -(counter.count(due, now)? - counter.paused(&intervals, due, now)?),
            Some(due) => counter.count(now, due)? - counter.paused(&intervals, now, due)?,
            None if counter.months => counter.count(accepted, add_months(accepted, limit_days)?)? - used,
            None => i64::from(limit_days) - used,
        };
        let open_pause = intervals.iter().any(|&(from, until)| until.is_none() && from <= now);
        let status = match self.concluded_on {
            Some(concluded) if self.immediate && concluded == accepted => ClockStatus::Immediate,
            Some(concluded) => match due {
                Some(due) if concluded > due => ClockStatus::Overdue,
                Some(due) if concluded == due => ClockStatus::OnTime,
                Some(_) => ClockStatus::Early,
                None if remaining > 0 => ClockStatus::Early,
                None => ClockStatus::OnTime,
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
            unit: self.limit.unit.counted_in(),
            used_days: used,
            remaining_days: remaining,
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
    /// The unit amounts are counted in.
    unit: DayUnit,
    /// The limit is in months: its period ends by Art. 202, then runs on by the stopped days.
    months: bool,
}

impl Counter<'_> {
    /// Units in `(from, to]`.
    fn count(&self, from: NaiveDate, to: NaiveDate) -> Result<i64> {
        self.unit.count(self.calendar, from, to)
    }

    /// The `n`-th counted day after `from` (no Art. 203 adjustment).
    fn advance(&self, from: NaiveDate, n: u32) -> Result<NaiveDate> {
        match self.unit {
            DayUnit::WorkingDays => self.calendar.add_working_days(from, n),
            DayUnit::CalendarDays | DayUnit::Months => {
                self.calendar.is_workday(from)?;
                Ok(from + chrono::Days::new(u64::from(n)))
            }
        }
    }

    /// Stopped units in `(from, to]`.
    fn paused(&self, intervals: &[(NaiveDate, Option<NaiveDate>)], from: NaiveDate, to: NaiveDate) -> Result<i64> {
        let mut total = 0;
        for &(start, until) in intervals {
            let start = start.max(from);
            let end = until.map_or(to, |u| u.min(to));
            if end > start {
                total += self.count(start, end)?;
            }
        }
        Ok(total)
    }

    /// The due date of `n` units after `accepted`, skipping the stopped intervals; `None` if an
    /// open pause stops the clock before the limit is reached.
    fn due(&self, accepted: NaiveDate, n: u32, pauses: &[(NaiveDate, Option<NaiveDate>)]) -> Result<Option<NaiveDate>> {
        if self.months {
            // The month period, then as many calendar days more as the clock stood still inside
            // it (and inside what those days add).
            let mut due = add_months(accepted, n)?;
            loop {
                if pauses.iter().any(|&(from, until)| until.is_none() && from < due) {
                    return Ok(None);
                }
                let stopped = u64::try_from(self.paused(pauses, accepted, due)?).unwrap_or(0);
                let moved = add_months(accepted, n)? + chrono::Days::new(stopped);
                if moved == due {
                    return self.finish(due).map(Some);
                }
                due = moved;
            }
        }
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
            DayUnit::CalendarDays | DayUnit::Months => self.calendar.next_workday_on_or_after(day),
        }
    }
}
