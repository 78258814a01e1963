//! The state of one case, folded from its events, with the checks that reject contradictory
//! events.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset};
use zhengwu_core::{
    CaseEvent, CaseId, CaseTimeline, Channel, Decision, DepartmentId, EventKind, ItemCode, OfficialId, RegionCode,
};

/// One run of a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StepRun {
    /// Step code.
    pub(crate) step: String,
    /// The department that ran it.
    pub(crate) department: DepartmentId,
    /// When the step started (its `step_started` event's business time).
    pub(crate) started_at: DateTime<FixedOffset>,
    /// When completed.
    pub(crate) completed_at: Option<DateTime<FixedOffset>>,
    /// Who completed it.
    pub(crate) completed_by: Option<OfficialId>,
    /// The recorded time of completion (entry time).
    pub(crate) completion_recorded_at: Option<DateTime<FixedOffset>>,
    /// When the run was cancelled (退回 or 撤回 past it) instead of completed.
    pub(crate) cancelled_at: Option<DateTime<FixedOffset>>,
}

impl StepRun {
    /// Neither completed nor cancelled.
    pub(crate) fn is_open(&self) -> bool {
        self.completed_at.is_none() && self.cancelled_at.is_none()
    }
}

/// A fee as charged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FeeRecord {
    /// Fee code.
    pub(crate) fee_code: String,
    /// Amount in 分.
    pub(crate) amount_fen: i64,
}

/// The conclusion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Conclusion {
    /// When it was concluded (business time of the `concluded` event).
    pub(crate) at: DateTime<FixedOffset>,
    /// The decision (准予, 不予许可, 转报, 终止).
    pub(crate) decision: Decision,
    /// The reason given with a refusal or termination, if any.
    pub(crate) reason: Option<String>,
    /// 决定书文号.
    pub(crate) document_number: Option<String>,
}

/// 评价: a grade given to the case (好差评, or a 代表's or 委员's view of an answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RatingRecord {
    /// When it was given.
    pub(crate) at: DateTime<FixedOffset>,
    /// The grade.
    pub(crate) grade: zhengwu_core::Grade,
}

/// The largest gap seen between an event's business time and its entry time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EntryLag {
    /// Sequence of the event.
    pub(crate) sequence: u64,
    /// Its type.
    pub(crate) event_type: String,
    /// Gap in minutes.
    pub(crate) minutes: i64,
}

/// 办件状态: what supervision knows of one case, folded from its events. Its fields are the
/// engine's own and change as rules need; read it through its accessors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseState {
    /// 办件编号.
    pub(crate) case_id: CaseId,
    /// 事项编码.
    pub(crate) item_code: ItemCode,
    /// The lead department (the department of the first event).
    pub(crate) department: DepartmentId,
    /// Region of the case.
    pub(crate) region: RegionCode,
    /// 收件渠道.
    pub(crate) channel: Option<Channel>,
    /// The window (account) that received it.
    pub(crate) window: Option<OfficialId>,
    /// 收件时间.
    pub(crate) received_at: Option<DateTime<FixedOffset>>,
    /// Materials handed in or supplemented.
    pub(crate) materials: BTreeSet<String>,
    /// Materials asked for in 补正 notices.
    pub(crate) requested_materials: BTreeSet<String>,
    /// 受理时间.
    pub(crate) accepted_at: Option<DateTime<FixedOffset>>,
    /// 不予受理: when and why.
    pub(crate) refused_at: Option<DateTime<FixedOffset>>,
    /// The refusal's reason.
    pub(crate) refusal_reason: Option<String>,
    /// 交办异议 (信访): when the matter was handed back, and why.
    pub(crate) objected_at: Option<DateTime<FixedOffset>>,
    /// The objection's reason.
    pub(crate) objection_reason: Option<String>,
    /// The days the statutory clock reads (补正, 特殊环节, 挂起, 延期, 听证通知, 延续, 办结, 送达),
    /// folded by `zhengwu_core::CaseTimeline`: the one fold every engine uses.
    pub(crate) timeline: CaseTimeline,
    /// Step runs in order of start.
    pub(crate) steps: Vec<StepRun>,
    /// Fees charged, in order, for the over-charging rule.
    pub(crate) fees: Vec<FeeRecord>,
    /// 办结.
    pub(crate) conclusion: Option<Conclusion>,
    /// 撤回.
    pub(crate) withdrawn_at: Option<DateTime<FixedOffset>>,
    /// 送达.
    pub(crate) delivered_at: Option<DateTime<FixedOffset>>,
    /// The last sequence number applied.
    pub(crate) last_sequence: u64,
    /// The largest positive gap seen between business and entry time (`None`: none).
    pub(crate) max_entry_lag: Option<EntryLag>,
    /// Business time of the last event.
    pub(crate) last_event_at: DateTime<FixedOffset>,
    /// Events whose business time is earlier than the event before them (sequence, minutes back).
    pub(crate) time_reversals: Vec<(u64, i64)>,
    /// 退回 count.
    pub(crate) returns: u32,
    /// 催办 count.
    pub(crate) urges: u32,
    /// The credit measures applied at acceptance (信用核查).
    pub(crate) credit_measures: Vec<zhengwu_core::CreditMeasure>,
    /// 评价, in order.
    pub(crate) ratings: Vec<RatingRecord>,
    /// 办复 of a 建议 or 提案: when each answer was sent, with its class.
    pub(crate) replies: Vec<(DateTime<FixedOffset>, zhengwu_core::AnswerClass)>,
    /// 差评 follow-up steps, in order.
    pub(crate) follow_ups: Vec<(DateTime<FixedOffset>, zhengwu_core::FollowUpStage)>,
}

impl CaseState {
    /// 办件编号.
    pub fn case_id(&self) -> &CaseId {
        &self.case_id
    }

    /// 事项编码.
    pub fn item_code(&self) -> &ItemCode {
        &self.item_code
    }

    /// The lead department (the department of the first event).
    pub fn department(&self) -> &DepartmentId {
        &self.department
    }

    /// The region of the case.
    pub fn region(&self) -> &RegionCode {
        &self.region
    }

    /// The last sequence number applied.
    pub fn last_sequence(&self) -> u64 {
        self.last_sequence
    }

    /// 收件时间.
    pub fn received_at(&self) -> Option<DateTime<FixedOffset>> {
        self.received_at
    }

    /// 受理时间.
    pub fn accepted_at(&self) -> Option<DateTime<FixedOffset>> {
        self.accepted_at
    }

    /// 办结: when, and the decision.
    pub fn concluded(&self) -> Option<(DateTime<FixedOffset>, Decision)> {
        self.conclusion.as_ref().map(|c| (c.at, c.decision))
    }

    /// The days the statutory clock reads, as `zhengwu_core::CaseTimeline` folded them.
    pub fn timeline(&self) -> &CaseTimeline {
        &self.timeline
    }

    /// The steps started so far (a step run again after 退回 counts again), in order.
    pub fn steps(&self) -> impl Iterator<Item = &str> {
        self.steps.iter().map(|run| run.step.as_str())
    }

    /// The steps open now.
    pub fn open_steps(&self) -> impl Iterator<Item = &str> {
        self.steps.iter().filter(|run| run.is_open()).map(|run| run.step.as_str())
    }

    /// 退回 count.
    pub fn returns(&self) -> u32 {
        self.returns
    }

    /// 催办 count.
    pub fn urges(&self) -> u32 {
        self.urges
    }

    /// The credit measures applied at acceptance (信用核查).
    pub fn credit_measures(&self) -> &[zhengwu_core::CreditMeasure] {
        &self.credit_measures
    }

    /// A new case from its first event (sequence 1).
    pub(crate) fn open(event: &mut CaseEvent) -> Result<Self, String> {
        if event.sequence != 1 {
            return Err(format!(
                "case `{}` is unknown and this event has sequence {}; a case starts at sequence 1",
                event.case_id, event.sequence
            ));
        }
        let mut state = Self {
            case_id: event.case_id.clone(),
            item_code: event.item_code.clone(),
            department: event.department.clone(),
            region: event.region.clone(),
            channel: None,
            window: None,
            received_at: None,
            materials: BTreeSet::new(),
            requested_materials: BTreeSet::new(),
            accepted_at: None,
            refused_at: None,
            refusal_reason: None,
            objected_at: None,
            objection_reason: None,
            timeline: CaseTimeline::default(),
            steps: Vec::new(),
            fees: Vec::new(),
            conclusion: None,
            withdrawn_at: None,
            delivered_at: None,
            last_sequence: 0,
            max_entry_lag: None,
            last_event_at: event.occurred_at,
            time_reversals: Vec::new(),
            returns: 0,
            urges: 0,
            credit_measures: Vec::new(),
            ratings: Vec::new(),
            replies: Vec::new(),
            follow_ups: Vec::new(),
        };
        state.apply(event)?;
        Ok(state)
    }

    /// Whether the case has ended (concluded, refused at intake, handed back or withdrawn).
    pub fn is_closed(&self) -> bool {
        self.conclusion.is_some()
            || self.refused_at.is_some()
            || self.objected_at.is_some()
            || self.withdrawn_at.is_some()
    }

    fn supplement_open(&self) -> bool {
        self.timeline.supplements.iter().any(|s| s.received_on.is_none())
    }

    fn procedure_running(&self) -> bool {
        self.timeline.procedures.iter().any(|p| p.until.is_none())
    }

    fn suspended(&self) -> bool {
        self.timeline.suspensions.iter().any(|s| s.until.is_none())
    }

    /// Checks `event` against the state and applies it; on error nothing changes (every arm
    /// checks before it writes). Text the state keeps is moved out of the event, which is spent
    /// once applied.
    pub(crate) fn apply(&mut self, event: &mut CaseEvent) -> Result<(), String> {
        let expected = self.last_sequence + 1;
        if event.sequence != expected {
            return Err(format!(
                "sequence {} of case `{}` arrived after {} (expected {expected})",
                event.sequence, self.case_id, self.last_sequence
            ));
        }
        if event.item_code != self.item_code {
            return Err(format!(
                "case `{}` is of item `{}`, this event says `{}`",
                self.case_id, self.item_code, event.item_code
            ));
        }
        let at = event.occurred_at;
        let closed_error = |what: &str| format!("case `{}` is already {what}", self.case_id);
        // A rating, an answer and a 差评's follow-up come after the case is closed.
        let after_closing = matches!(
            event.kind,
            EventKind::Rated { .. } | EventKind::ReplySent { .. } | EventKind::RatingFollowedUp { .. }
        );
        if self.conclusion.is_some() && !after_closing && !matches!(event.kind, EventKind::ResultDelivered { .. }) {
            return Err(format!(
                "{}; only `result_delivered`, `rated`, `reply_sent` and `rating_followed_up` may follow",
                closed_error("concluded")
            ));
        }
        if !after_closing {
            if self.refused_at.is_some() {
                return Err(closed_error("refused at intake"));
            }
            if self.withdrawn_at.is_some() {
                return Err(closed_error("withdrawn"));
            }
            if self.objected_at.is_some() {
                return Err(closed_error("handed back to the 信访部门 (交办异议)"));
            }
        }
        let actor = &mut event.actor.id;
        let department = &event.department;
        match &mut event.kind {
            EventKind::Received { channel, materials } => {
                if self.received_at.is_some() {
                    return Err(format!("case `{}` was already received", self.case_id));
                }
                self.received_at = Some(at);
                self.channel = Some(*channel);
                self.window = Some(std::mem::take(actor));
                self.materials.extend(materials.drain(..));
            }
            EventKind::Accepted => {
                self.require_received("accepted")?;
                if self.accepted_at.is_some() {
                    return Err(format!("case `{}` was already accepted", self.case_id));
                }
                if self.supplement_open() {
                    return Err(format!(
                        "case `{}` is accepted while a 补正 request is still open; send `supplement_received` first",
                        self.case_id
                    ));
                }
                self.accepted_at = Some(at);
            }
            EventKind::RefusedAtIntake { reason } => {
                self.require_received("refused")?;
                if self.accepted_at.is_some() {
                    return Err(format!(
                        "case `{}` was accepted; a refusal after acceptance is a `concluded` with decision `refused`",
                        self.case_id
                    ));
                }
                self.refused_at = Some(at);
                self.refusal_reason = reason.clone();
            }
            EventKind::SupplementRequested { items, .. } => {
                self.require_received("sent a 补正 notice")?;
                if self.supplement_open() {
                    return Err(format!("case `{}` already has an open 补正 request", self.case_id));
                }
                self.requested_materials.extend(items.iter().cloned());
            }
            EventKind::SupplementReceived { items } => {
                if !self.supplement_open() {
                    return Err(format!("case `{}` has no open 补正 request", self.case_id));
                }
                self.materials.extend(items.iter().cloned());
            }
            EventKind::StepStarted { step } => {
                self.require_accepted("start a step")?;
                if self.steps.iter().any(|s| &s.step == step && s.is_open()) {
                    return Err(format!("step `{step}` of case `{}` is already running", self.case_id));
                }
                self.steps.push(StepRun {
                    step: std::mem::take(step),
                    department: department.clone(),
                    started_at: at,
                    completed_at: None,
                    completed_by: None,
                    completion_recorded_at: None,
                    cancelled_at: None,
                });
            }
            EventKind::StepCompleted { step, .. } => {
                let Some(run) = self.steps.iter_mut().rev().find(|s| &s.step == step && s.is_open()) else {
                    return Err(format!("step `{step}` of case `{}` was not started", self.case_id));
                };
                run.completed_at = Some(at);
                run.completed_by = Some(std::mem::take(actor));
                run.completion_recorded_at = Some(event.recorded_at);
            }
            EventKind::SpecialProcedureStarted { .. } => {
                self.require_accepted("start a special procedure")?;
                if self.procedure_running() {
                    return Err(format!("case `{}` already has a special procedure running", self.case_id));
                }
            }
            EventKind::SpecialProcedureEnded { procedure } => {
                if !self.timeline.procedures.iter().any(|p| p.until.is_none() && p.procedure == *procedure) {
                    return Err(format!(
                        "special procedure `{}` of case `{}` was not started",
                        procedure.chinese(),
                        self.case_id
                    ));
                }
            }
            EventKind::HearingNoticed { hearing_on, .. } => {
                self.require_accepted("notify a hearing")?;
                if *hearing_on < zhengwu_core::china_day(at) {
                    return Err(format!(
                        "the hearing of case `{}` is noticed for {hearing_on}, before the notice itself",
                        self.case_id
                    ));
                }
            }
            EventKind::RenewalApplied { .. } => {
                self.require_received("a renewal")?;
                if self.timeline.renewal_expires_on.is_some() {
                    return Err(format!("case `{}` already names the licence it renews", self.case_id));
                }
            }
            EventKind::AssignmentObjected { reason } => {
                self.require_received("handed back")?;
                if self.accepted_at.is_some() {
                    return Err(format!(
                        "case `{}` was accepted; a matter is handed back (交办异议) before acceptance",
                        self.case_id
                    ));
                }
                self.objected_at = Some(at);
                self.objection_reason = reason.clone();
            }
            EventKind::ExtensionApproved { .. } => {
                self.require_accepted("be extended")?;
            }
            EventKind::FeeCharged { fee_code, amount_fen } => {
                self.require_received("charged")?;
                self.fees.push(FeeRecord { fee_code: fee_code.clone(), amount_fen: *amount_fen });
            }
            EventKind::Concluded { decision, reason, document_number } => {
                self.require_accepted("be concluded")?;
                if self.procedure_running() {
                    return Err(format!(
                        "case `{}` is concluded while a special procedure is running; end it first",
                        self.case_id
                    ));
                }
                if self.suspended() {
                    return Err(format!("case `{}` is concluded while suspended; resume it first", self.case_id));
                }
                self.conclusion = Some(Conclusion {
                    at,
                    decision: *decision,
                    reason: reason.clone(),
                    document_number: document_number.clone(),
                });
            }
            EventKind::Withdrawn { .. } => {
                self.withdrawn_at = Some(at);
            }
            EventKind::ResultDelivered { .. } => {
                if self.conclusion.is_none() {
                    return Err(format!("case `{}` has no conclusion to deliver", self.case_id));
                }
                if self.delivered_at.is_some() {
                    return Err(format!("the result of case `{}` was already delivered", self.case_id));
                }
                self.delivered_at = Some(at);
            }
            EventKind::Suspended { .. } => {
                self.require_accepted("be suspended")?;
                if self.suspended() {
                    return Err(format!("case `{}` is already suspended", self.case_id));
                }
            }
            EventKind::Resumed => {
                if !self.suspended() {
                    return Err(format!("case `{}` is not suspended", self.case_id));
                }
            }
            EventKind::TaskReturned { step, .. } | EventKind::StepCancelled { step } => {
                self.require_accepted("return or cancel a step")?;
                // The returned (or cancelled) step's open run ends here, not completed.
                if let Some(run) = self.steps.iter_mut().rev().find(|s| &s.step == step && s.is_open()) {
                    run.cancelled_at = Some(at);
                }
                if matches!(event.kind, EventKind::TaskReturned { .. }) {
                    self.returns += 1;
                }
            }
            EventKind::TaskUrged { .. } => self.urges += 1,
            // The cancellation or the steps a timer's path opens come as their own events.
            EventKind::TimerFired { .. } | EventKind::EventCaught { .. } => {}
            // One instance of a step done several times over: the step stays open.
            EventKind::InstanceCompleted { .. } => {}
            EventKind::CreditChecked { measures, .. } => self.credit_measures = measures.clone(),
            EventKind::Rated { grade, .. } => {
                self.require_received("rated")?;
                self.ratings.push(RatingRecord { at, grade: *grade });
            }
            EventKind::ReplySent { class, .. } => {
                if self.conclusion.is_none() {
                    return Err(format!("case `{}` is answered (reply_sent) before its `concluded`", self.case_id));
                }
                self.replies.push((at, *class));
            }
            EventKind::RatingFollowedUp { stage, .. } => {
                if !self.ratings.iter().any(|r| r.grade.is_bad()) {
                    return Err(format!("case `{}` has no 差评 to follow up", self.case_id));
                }
                self.follow_ups.push((at, *stage));
            }
            // Workflow bookkeeping that supervision's rules do not read.
            EventKind::DataRecorded { .. }
            | EventKind::VoteCast { .. }
            | EventKind::TaskRecalled { .. }
            | EventKind::TaskReassigned { .. }
            | EventKind::SignerAdded { .. }
            | EventKind::SignerRemoved { .. }
            | EventKind::CopySent { .. } => {}
            other => {
                return Err(format!("event type `{}` is not supported by supervision", other.type_name()));
            }
        }
        // Every check passed: the clock's fold takes the event too.
        self.timeline.observe(at, &event.kind);
        // Only a positive gap is recorded: `None` means every entry was on time.
        let lag = (event.recorded_at - event.occurred_at).num_minutes();
        if lag > 0 && self.max_entry_lag.as_ref().is_none_or(|l| lag > l.minutes) {
            self.max_entry_lag = Some(EntryLag {
                sequence: event.sequence,
                event_type: event.kind.type_name().to_owned(),
                minutes: lag,
            });
        }
        if at < self.last_event_at {
            self.time_reversals.push((event.sequence, (self.last_event_at - at).num_minutes()));
        }
        self.last_sequence = event.sequence;
        self.last_event_at = at;
        Ok(())
    }

    fn require_received(&self, what: &str) -> Result<(), String> {
        if self.received_at.is_none() {
            return Err(format!("case `{}` cannot be {what} before it is received", self.case_id));
        }
        Ok(())
    }

    fn require_accepted(&self, what: &str) -> Result<(), String> {
        if self.accepted_at.is_none() {
            return Err(format!("case `{}` must be accepted to {what}", self.case_id));
        }
        Ok(())
    }

    /// Completed step runs by code, the latest completion per step.
    pub(crate) fn completed_steps(&self) -> BTreeMap<&str, &StepRun> {
        let mut map = BTreeMap::new();
        for run in self.steps.iter().filter(|s| s.completed_at.is_some()) {
            map.insert(run.step.as_str(), run);
        }
        map
    }
}
