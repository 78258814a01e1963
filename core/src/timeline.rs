//! 办件时间线: the one fold from a case's events to its statutory clock. Workflow progress,
//! supervision's rules, the bindings and the command line all read a case's due date, used days
//! and status through [`CaseTimeline`]; no engine builds a [`StatutoryClock`] itself.
//!
//! The statutes the fold applies (`ServiceItem::statute`):
//! - 受理 (行政许可法 Art. 32(4)): an application whose 补正 notice does not come within 5
//!   working days of receipt counts as accepted on the day of receipt ("逾期不告知的，自收到申请材料
//!   之日起即为受理"); the late notice's waiting time is then not a stop of the clock.
//! - 特殊环节 (Art. 45, a closed list): the time of 听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审 is
//!   not counted; any other procedure counts unless the item names the provision that excludes it.
//! - 补正 after acceptance, 挂起 and uncounted special procedures stop the clock; extensions are
//!   checked against the item's regime (Art. 42: +10 / +15; Art. 43: none).
//! - 起算 (`ClockStart`): from acceptance, or from receipt (信访 复查 / 复核), a 补正 before
//!   acceptance then restarting it from the completed request.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::catalogue::{ClockStart, ItemKind, ServiceItem, Statute};
use crate::clock::{
    ClockReport, Extension, LimitReference, Pause, PauseKind, SpecialProcedureKind, StatutoryClock, TimeLimit,
};
use crate::error::Result;
use crate::event::{CaseEvent, Decision, EventKind};

/// China Standard Time (UTC+8), the offset every statutory day is read in.
const CHINA_OFFSET_SECONDS: i32 = 8 * 3600;

/// The day in China (UTC+8) of an instant, whatever offset it was written with: the day a
/// statute counts. `2025-03-03T23:30:00-05:00` is 4 March in China.
///
/// ```
/// use zhengwu_core::china_day;
/// let instant = "2025-03-03T23:30:00-05:00".parse().unwrap();
/// assert_eq!(china_day(instant).to_string(), "2025-03-04");
/// ```
pub fn china_day(instant: DateTime<FixedOffset>) -> NaiveDate {
    instant.with_timezone(&china_offset()).date_naive()
}

/// China Standard Time (UTC+8) as an offset, for writing an instant of a China day.
pub fn china_offset() -> FixedOffset {
    FixedOffset::east_opt(CHINA_OFFSET_SECONDS).expect("+08:00 is a valid offset")
}

/// 行政许可法 Art. 44: a licence is issued and delivered within 10 working days of 准予许可.
pub const LICENCE_DELIVERY_LIMIT: TimeLimit = TimeLimit::working_days(10);
/// 行政许可法 Art. 47: a requested hearing is held within 20 working days of the request.
pub const HEARING_LIMIT: TimeLimit = TimeLimit::working_days(20);
/// 行政许可法 Art. 48(1): the hearing's time and place are notified 7 working days before it.
pub const HEARING_NOTICE_LEAD: u32 = 7;
/// 信访工作条例 (2022): an authority that thinks an assigned matter is not its own says so within
/// 5 working days of receiving it.
pub const OBJECTION_LIMIT: TimeLimit = TimeLimit::working_days(5);
/// 行政许可法 Art. 50: a renewal is applied for 30 working days before the licence expires.
pub const RENEWAL_LEAD: u32 = 30;

/// A 补正 request and, once they arrive, the materials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplementSpan {
    /// The day the notice went out.
    #[serde(with = "crate::serde_date")]
    pub requested_on: NaiveDate,
    /// The day the materials arrived.
    #[serde(default, with = "crate::serde_date::option")]
    pub received_on: Option<NaiveDate>,
    /// Whether the case was (formally) accepted when the notice went out: after acceptance the
    /// wait stops the clock; before it, the notice answers the application (Art. 32(4)).
    pub after_acceptance: bool,
}

/// A run of a special procedure (特殊环节).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureSpan {
    /// Which procedure.
    pub procedure: SpecialProcedureKind,
    /// The day it started (for a 听证, the request).
    #[serde(with = "crate::serde_date")]
    pub from: NaiveDate,
    /// The day it ended (for a 听证, the day it was held).
    #[serde(default, with = "crate::serde_date::option")]
    pub until: Option<NaiveDate>,
}

/// A 挂起 period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// The first day.
    #[serde(with = "crate::serde_date")]
    pub from: NaiveDate,
    /// The day it ended, once it has.
    #[serde(default, with = "crate::serde_date::option")]
    pub until: Option<NaiveDate>,
}

/// A 听证通知: sent on one day for a hearing on another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HearingNotice {
    /// The day the notice went out.
    #[serde(with = "crate::serde_date")]
    pub noticed_on: NaiveDate,
    /// The day of the hearing.
    #[serde(with = "crate::serde_date")]
    pub hearing_on: NaiveDate,
}

/// How the day a case's clock starts from was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcceptanceBasis {
    /// 受理: the `accepted` event.
    Accepted,
    /// 视为受理 (行政许可法 Art. 32(4)): no 补正 notice within the window after receipt, so the
    /// application counts as accepted on the day of receipt.
    Deemed,
    /// The item's limit runs from receipt (`ClockStart::Receipt`).
    Received,
    /// A 补正 before acceptance completed the application on this day: under 行政许可法 the day
    /// the complete materials arrive is the day of acceptance (a later `accepted` event does not
    /// delay the clock); for items counted from receipt, the limit runs from the completed
    /// request.
    Completed,
}

/// The day a case's limit runs from (never counted itself), and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    /// The day.
    #[serde(with = "crate::serde_date")]
    pub on: NaiveDate,
    /// Why that day.
    pub basis: AcceptanceBasis,
}

/// 办件时间线: the days of a case's events that its statutory clock reads, folded one event at a
/// time ([`CaseTimeline::observe`]) or from a whole log ([`CaseTimeline::from_events`]). The fold
/// does not judge the events; the engines check their order before they apply them.
///
/// ```
/// use zhengwu_core::{Calendar, CaseTimeline, ClockStatus, EventKind, ItemCode, LimitReference, ServiceItem};
/// use zhengwu_core::{AcceptanceBasis, Decision, DepartmentId, ItemKind, TimeLimit};
///
/// let calendar = Calendar::china();
/// let item = ServiceItem::new(
///     ItemCode::new("SC-001"), "食品经营许可", DepartmentId::new("scjg"), ItemKind::Promised,
///     TimeLimit::working_days(20), TimeLimit::working_days(10),
/// );
/// let at = |s: &str| s.parse().unwrap();
/// let mut timeline = CaseTimeline::default();
/// timeline.observe(at("2025-03-03T09:00:00+08:00"), &EventKind::Received {
///     channel: zhengwu_core::Channel::Window, materials: vec![] });
/// // The 补正 notice comes on 14 March: the five working days ended on 10 March.
/// timeline.observe(at("2025-03-14T09:00:00+08:00"), &EventKind::SupplementRequested { items: vec![], note: None });
/// timeline.observe(at("2025-03-19T09:00:00+08:00"), &EventKind::SupplementReceived { items: vec![] });
/// timeline.observe(at("2025-03-20T09:00:00+08:00"), &EventKind::Accepted);
/// timeline.observe(at("2025-04-10T09:00:00+08:00"), &EventKind::Concluded {
///     decision: Decision::Granted, reason: None, document_number: None });
/// let today = "2025-04-10".parse().unwrap();
/// let acceptance = timeline.acceptance(&item, &calendar, today)?.unwrap();
/// assert_eq!((acceptance.on.to_string(), acceptance.basis), ("2025-03-03".into(), AcceptanceBasis::Deemed));
/// let legal = timeline.report(&item, LimitReference::Legal, &calendar, today)?.unwrap();
/// assert_eq!(legal.due_on.unwrap().to_string(), "2025-03-31");
/// // Concluded 7 working days late (4 April is 清明).
/// assert_eq!((legal.status, legal.remaining_days), (ClockStatus::Overdue, -7));
/// # Ok::<(), zhengwu_core::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseTimeline {
    /// 收件.
    #[serde(default, with = "crate::serde_date::option")]
    pub received_on: Option<NaiveDate>,
    /// 受理 (the `accepted` event).
    #[serde(default, with = "crate::serde_date::option")]
    pub accepted_on: Option<NaiveDate>,
    /// 不予受理.
    #[serde(default, with = "crate::serde_date::option")]
    pub refused_on: Option<NaiveDate>,
    /// 交办异议 (信访).
    #[serde(default, with = "crate::serde_date::option")]
    pub objected_on: Option<NaiveDate>,
    /// 撤回 by the applicant.
    #[serde(default, with = "crate::serde_date::option")]
    pub withdrawn_on: Option<NaiveDate>,
    /// 补正 requests, in order.
    #[serde(default)]
    pub supplements: Vec<SupplementSpan>,
    /// 特殊环节 runs, in order of start.
    #[serde(default)]
    pub procedures: Vec<ProcedureSpan>,
    /// 挂起 periods.
    #[serde(default)]
    pub suspensions: Vec<Span>,
    /// 延期 as approved (granted or not: the clock decides).
    #[serde(default)]
    pub extensions: Vec<Extension>,
    /// 听证通知.
    #[serde(default)]
    pub hearing_notices: Vec<HearingNotice>,
    /// 延续: the last day of the licence being renewed.
    #[serde(default, with = "crate::serde_date::option")]
    pub renewal_expires_on: Option<NaiveDate>,
    /// 办结.
    #[serde(default, with = "crate::serde_date::option")]
    pub concluded_on: Option<NaiveDate>,
    /// The decision that concluded it.
    #[serde(default)]
    pub decision: Option<Decision>,
    /// 送达.
    #[serde(default, with = "crate::serde_date::option")]
    pub delivered_on: Option<NaiveDate>,
}

impl CaseTimeline {
    /// The timeline of a case's events, in their order.
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a CaseEvent>) -> Self {
        let mut timeline = Self::default();
        for event in events {
            timeline.observe(event.occurred_at, &event.kind);
        }
        timeline
    }

    /// Folds one event, at its business time. Events the clock does not read are ignored.
    pub fn observe(&mut self, at: DateTime<FixedOffset>, kind: &EventKind) {
        let day = china_day(at);
        match kind {
            EventKind::Received { .. } => self.received_on = Some(day),
            EventKind::Accepted => self.accepted_on = Some(day),
            EventKind::RefusedAtIntake { .. } => self.refused_on = Some(day),
            EventKind::AssignmentObjected { .. } => self.objected_on = Some(day),
            EventKind::Withdrawn { .. } => self.withdrawn_on = Some(day),
            EventKind::SupplementRequested { .. } => self.supplements.push(SupplementSpan {
                requested_on: day,
                received_on: None,
                after_acceptance: self.accepted_on.is_some(),
            }),
            EventKind::SupplementReceived { .. } => {
                if let Some(open) = self.supplements.iter_mut().rev().find(|s| s.received_on.is_none()) {
                    open.received_on = Some(day);
                }
            }
            EventKind::SpecialProcedureStarted { procedure, .. } => {
                self.procedures.push(ProcedureSpan { procedure: *procedure, from: day, until: None })
            }
            EventKind::SpecialProcedureEnded { procedure } => {
                if let Some(open) =
                    self.procedures.iter_mut().rev().find(|p| p.until.is_none() && p.procedure == *procedure)
                {
                    open.until = Some(day);
                }
            }
            EventKind::Suspended { .. } => self.suspensions.push(Span { from: day, until: None }),
            EventKind::Resumed => {
                if let Some(open) = self.suspensions.iter_mut().rev().find(|s| s.until.is_none()) {
                    open.until = Some(day);
                }
            }
            EventKind::ExtensionApproved { days, authority, .. } => {
                self.extensions.push(Extension { approved_on: day, days: *days, authority: *authority })
            }
            EventKind::HearingNoticed { hearing_on, .. } => {
                self.hearing_notices.push(HearingNotice { noticed_on: day, hearing_on: *hearing_on })
            }
            EventKind::RenewalApplied { expires_on, .. } => self.renewal_expires_on = Some(*expires_on),
            EventKind::Concluded { decision, .. } => {
                self.concluded_on = Some(day);
                self.decision = Some(*decision);
            }
            EventKind::ResultDelivered { .. } => self.delivered_on = Some(day),
            _ => {}
        }
    }

    /// Whether the case ended without a decision on the merits: refused at intake, handed back
    /// (交办异议) or withdrawn. No statutory clock runs for it.
    pub fn ended_at_intake(&self) -> bool {
        self.refused_on.is_some() || self.objected_on.is_some() || self.withdrawn_on.is_some()
    }

    /// The first 补正 notice sent before acceptance.
    pub fn first_intake_notice(&self) -> Option<NaiveDate> {
        self.supplements.iter().find(|s| !s.after_acceptance).map(|s| s.requested_on)
    }

    /// The day of the first answer to the application: 受理, 不予受理, a 补正 notice or a 交办异议.
    pub fn first_answer(&self) -> Option<NaiveDate> {
        [self.accepted_on, self.refused_on, self.first_intake_notice(), self.objected_on].into_iter().flatten().min()
    }

    /// The last day for the first answer: the item's acceptance window after receipt
    /// (`ServiceItem::acceptance_window`, or `default` where neither the item nor its statute
    /// sets one). `None` before receipt.
    pub fn answer_due(&self, item: &ServiceItem, default: TimeLimit, calendar: &Calendar) -> Result<Option<NaiveDate>> {
        let Some(received) = self.received_on else { return Ok(None) };
        let window = item.acceptance_window().unwrap_or(default);
        window.due_from(received, calendar).map(Some)
    }

    /// The day the item's limit runs from, as of `today`: the acceptance; under 行政许可法 the
    /// Art. 32(4) deemed acceptance on the day of receipt when no answer came within 5 working
    /// days, or the day a timely 补正 completed the materials if the formal acceptance came later;
    /// receipt (or the completed request) for items that count from it. `None` while the clock
    /// has not started.
    pub fn acceptance(&self, item: &ServiceItem, calendar: &Calendar, today: NaiveDate) -> Result<Option<Acceptance>> {
        if item.clock_start == ClockStart::Receipt {
            let Some(received) = self.received_on else { return Ok(None) };
            let before: Vec<&SupplementSpan> = self.supplements.iter().filter(|s| !s.after_acceptance).collect();
            return Ok(match before.last() {
                None => Some(Acceptance { on: received, basis: AcceptanceBasis::Received }),
                // Waiting for the completed request: the clock has not started.
                Some(last) => last.received_on.map(|on| Acceptance { on, basis: AcceptanceBasis::Completed }),
            });
        }
        let formal = self.accepted_on.map(|on| Acceptance { on, basis: AcceptanceBasis::Accepted });
        if item.statute != Statute::AdministrativeLicensing {
            return Ok(formal);
        }
        let (Some(received), Some(window)) = (self.received_on, item.acceptance_window()) else {
            return Ok(formal);
        };
        let window_ends = window.due_from(received, calendar)?;
        let answered = [self.accepted_on, self.first_intake_notice()].into_iter().flatten().min();
        let late = match answered {
            Some(day) => day > window_ends,
            None => today > window_ends,
        };
        if late {
            return Ok(Some(Acceptance { on: received, basis: AcceptanceBasis::Deemed }));
        }
        // After a timely 补正 notice the application is accepted the day the complete materials
        // arrive ("受理日期应为申请人交齐补正材料之日"): a later formal acceptance does not delay the
        // clock; an earlier one (容缺受理) starts it.
        let intake: Vec<&SupplementSpan> = self.supplements.iter().filter(|s| !s.after_acceptance).collect();
        let completed = match intake.last() {
            Some(last) => last.received_on,
            None => return Ok(formal),
        };
        Ok(match (formal, completed) {
            (Some(formal), Some(completed)) if formal.on <= completed => Some(formal),
            (_, Some(completed)) => Some(Acceptance { on: completed, basis: AcceptanceBasis::Completed }),
            (formal, None) => formal,
        })
    }

    /// The statutory clock of the case against the item's `reference` limit, as of `today`:
    /// `None` before it starts, and for a case that ended at intake.
    pub fn clock(
        &self,
        item: &ServiceItem,
        reference: LimitReference,
        calendar: &Calendar,
        today: NaiveDate,
    ) -> Result<Option<StatutoryClock>> {
        if self.ended_at_intake() {
            return Ok(None);
        }
        let Some(acceptance) = self.acceptance(item, calendar, today)? else { return Ok(None) };
        let mut clock = StatutoryClock::new(acceptance.on, item.limit(reference));
        clock.regime = item.handling_regime();
        clock.immediate = item.kind == ItemKind::Immediate;
        for supplement in self.supplements.iter().filter(|s| s.after_acceptance) {
            clock.pauses.push(Pause {
                kind: PauseKind::Supplement,
                from: supplement.requested_on,
                until: supplement.received_on,
            });
        }
        for run in self.procedures.iter().filter(|run| !item.procedure_counted(run.procedure)) {
            clock.pauses.push(Pause {
                kind: PauseKind::SpecialProcedure(run.procedure),
                from: run.from,
                until: run.until,
            });
        }
        for suspension in &self.suspensions {
            clock.pauses.push(Pause { kind: PauseKind::Suspension, from: suspension.from, until: suspension.until });
        }
        clock.extensions.clone_from(&self.extensions);
        clock.concluded_on = self.concluded_on;
        Ok(Some(clock))
    }

    /// The clock's report as of `today` (the day is never before the clock's start).
    pub fn report(
        &self,
        item: &ServiceItem,
        reference: LimitReference,
        calendar: &Calendar,
        today: NaiveDate,
    ) -> Result<Option<ClockReport>> {
        match self.clock(item, reference, calendar, today)? {
            Some(clock) => clock.evaluate(calendar, today.max(clock.accepted_on)).map(Some),
            None => Ok(None),
        }
    }

    /// 行政许可法 Art. 44: the last day to issue and deliver the licence of a case granted under
    /// the statute; `None` otherwise.
    pub fn delivery_due(&self, item: &ServiceItem, calendar: &Calendar) -> Result<Option<NaiveDate>> {
        match (item.statute, self.decision, self.concluded_on) {
            (Statute::AdministrativeLicensing, Some(Decision::Granted), Some(granted)) => {
                LICENCE_DELIVERY_LIMIT.due_from(granted, calendar).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// The 听证 runs of the case (Art. 47: each held within 20 working days of its request).
    pub fn hearings(&self) -> impl Iterator<Item = &ProcedureSpan> {
        self.procedures.iter().filter(|p| p.procedure == SpecialProcedureKind::Hearing)
    }
}
