//! 拒绝: why a case refuses a command, as data a host can branch on.
//!
//! Every refusal of [`crate::Case::execute`] is one [`Rejection`]; its `Display` is the sentence an
//! official reads, and [`Rejection::kind`] the stable name a UI (or a Kotlin or Python host)
//! matches on, so that "not your task" and "the case is closed" are told apart without reading a
//! message.

use chrono::{DateTime, FixedOffset, NaiveDate};
use zhengwu_core::{Authority, DepartmentId, OfficialId, Role};

use crate::status::CaseStatus;

/// Why a command was refused. The case is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    // -- the command itself --
    /// An identifier of the case or the context is empty.
    #[error("the {what} is empty")]
    EmptyField {
        /// Which (`case id`, `item code`, `department`, `acting department`, `actor id`).
        what: &'static str,
    },
    /// The command is dated before the case's last event.
    #[error(
        "the command's time {} is before the case's last event at {}: a case's events are in time order",
        at.to_rfc3339(),
        last.to_rfc3339()
    )]
    OutOfOrder {
        /// The command's time.
        at: DateTime<FixedOffset>,
        /// The last event's time.
        last: DateTime<FixedOffset>,
    },
    /// A command that needs a reason came without one.
    #[error("{command} needs a reason")]
    ReasonRequired {
        /// The command, as officials name it (不予受理, 终止, 交办异议).
        command: &'static str,
    },
    /// A negative fee.
    #[error("fee `{fee_code}`: a negative amount {amount_fen} 分")]
    NegativeFee {
        /// The fee's code.
        fee_code: String,
        /// The amount, in 分.
        amount_fen: i64,
    },
    /// 抄送 to nobody.
    #[error("抄送 names nobody")]
    NobodyToCopy,

    // -- who acts --
    /// The actor is not in the directory the case checks against.
    #[error("`{actor}` is not an official in the directory")]
    NotInDirectory {
        /// The actor.
        actor: OfficialId,
    },
    /// The actor claims a role the directory does not give them.
    #[error("`{actor}` ({name}) does not hold the role {}", role.chinese())]
    RoleNotHeld {
        /// The actor.
        actor: OfficialId,
        /// Their name in the directory.
        name: String,
        /// The role claimed.
        role: Role,
    },
    /// The actor acts for a department they do not work in.
    #[error("`{actor}` ({name}) works in `{works_in}`, not `{acting_for}`")]
    OtherDepartment {
        /// The actor.
        actor: OfficialId,
        /// Their name in the directory.
        name: String,
        /// Their department.
        works_in: DepartmentId,
        /// The department the command is made for.
        acting_for: DepartmentId,
    },
    /// The command needs one of some roles.
    #[error(
        "{command} needs {}; `{actor}` acts as {}",
        roles.iter().map(|r| r.chinese()).collect::<Vec<_>>().join(" or "),
        acting_as.as_ref().map_or("no role", |r| r.chinese())
    )]
    RoleRequired {
        /// The command, as officials name it (受理, 加签, 挂起, ...).
        command: &'static str,
        /// The roles that may.
        roles: Vec<Role>,
        /// The actor.
        actor: OfficialId,
        /// The role they act in.
        acting_as: Option<Role>,
    },
    /// 延期 by someone who is neither department head nor government head.
    #[error("延期 needs the department head or the government head; `{actor}` is neither")]
    NoExtensionAuthority {
        /// The actor.
        actor: OfficialId,
    },
    /// 延期 of this case needs a higher authority.
    #[error("延期 of this case needs {}; `{actor}` is {}", required.chinese(), authority.chinese())]
    ExtensionNeedsHigherAuthority {
        /// The authority the case's regime asks.
        required: Authority,
        /// The actor.
        actor: OfficialId,
        /// Their authority.
        authority: Authority,
    },

    // -- the case's state --
    /// The case is closed: concluded, refused at intake, withdrawn or handed back.
    #[error("the case is closed ({status:?})")]
    CaseClosed {
        /// Its status.
        status: CaseStatus,
    },
    /// The case is suspended; only resuming, withdrawing, urging and copying are accepted.
    #[error("the case is suspended; resume it first")]
    Suspended,
    /// The command needs the case in another status.
    #[error("{needed} (it is {status:?})")]
    WrongStatus {
        /// What the command needs, as a sentence.
        needed: &'static str,
        /// The case's status.
        status: CaseStatus,
    },
    /// The case was already received.
    #[error("the case was already received")]
    AlreadyReceived,
    /// The case is not received yet.
    #[error("the case is not received yet")]
    NotReceived,
    /// The case is not suspended.
    #[error("the case is not suspended")]
    NotSuspended,
    /// The applicant is on the black list and the item bars them.
    #[error("the applicant is on the black list and the item's rules bar it (限制准入): refuse at intake")]
    BlackListed,
    /// A 补正 request is already open.
    #[error("a 补正 request is already open")]
    SupplementAlreadyOpen,
    /// No 补正 request is open.
    #[error("no 补正 request is open")]
    NoSupplementOpen,
    /// The result was already delivered.
    #[error("the result was already delivered")]
    AlreadyDelivered,
    /// A terminated case has no result to deliver.
    #[error("a terminated case has no result to deliver")]
    NothingToDeliver,
    /// The case already names the licence it renews.
    #[error("the case already names the licence it renews")]
    RenewalAlreadyRecorded,
    /// A hearing notice outside the 听证 procedure.
    #[error("a hearing is noticed while the 听证 special procedure runs")]
    NoHearingProcedure,
    /// A hearing day before the notice.
    #[error("the hearing day {hearing_on} is before the notice")]
    HearingBeforeNotice {
        /// The hearing day given.
        hearing_on: NaiveDate,
    },
    /// A special procedure is already running.
    #[error("a special procedure is already running")]
    SpecialProcedureRunning,
    /// No special procedure is running.
    #[error("no special procedure is running")]
    NoSpecialProcedure,
    /// An extension of no days.
    #[error("an extension of 0 days")]
    EmptyExtension,
    /// Extensions beyond what the regime allows.
    #[error("延期 may total {cap} days; {approved} are approved already, {days} more would exceed it")]
    ExtensionCapExceeded {
        /// The most days the regime allows.
        cap: u32,
        /// Days approved before.
        approved: u32,
        /// Days asked.
        days: u32,
    },

    // -- the task --
    /// The step is not in the process.
    #[error("step `{step}` is not in process `{process}`")]
    UnknownStep {
        /// The step.
        step: String,
        /// The process.
        process: String,
    },
    /// The step is in the process but not open.
    #[error("step `{step}` is not open (open: {})", if open.is_empty() { "none".to_owned() } else { open.join(", ") })]
    StepNotOpen {
        /// The step.
        step: String,
        /// The steps that are open.
        open: Vec<String>,
    },
    /// The step is not a task.
    #[error("`{step}` is not a task")]
    NotATask {
        /// The step.
        step: String,
    },
    /// The task was handed to someone else (转办, 委派).
    #[error("step `{step}` was handed to `{holder}`; `{actor}` may not act on it")]
    HandedToAnother {
        /// The step.
        step: String,
        /// Who holds it.
        holder: OfficialId,
        /// The actor.
        actor: OfficialId,
    },
    /// The task belongs to another department (a branch of a parallel approval).
    #[error("step `{step}` belongs to department `{department}`, not `{acting_for}`")]
    OtherDepartmentsStep {
        /// The step.
        step: String,
        /// Its department.
        department: DepartmentId,
        /// The department the command is made for.
        acting_for: DepartmentId,
    },
    /// The task is assigned to a department.
    #[error("step `{step}` is for department `{department}`, not `{acting_for}`")]
    AssignedToDepartment {
        /// The step.
        step: String,
        /// The department it is assigned to.
        department: DepartmentId,
        /// The department the command is made for.
        acting_for: DepartmentId,
    },
    /// The task needs a role the actor does not act in.
    #[error(
        "step `{step}` needs the role {} ({}); `{actor}` acts as {}",
        role.chinese(),
        role_name(role),
        acting_as.as_ref().map_or("no role", |r| r.chinese())
    )]
    WrongRole {
        /// The step.
        step: String,
        /// The role it needs.
        role: Role,
        /// The actor.
        actor: OfficialId,
        /// The role they act in.
        acting_as: Option<Role>,
    },
    /// The task is for named officials the actor is not among.
    #[error(
        "step `{step}` is for {}; `{actor}` is not among them",
        officials.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ")
    )]
    NotAmongOfficials {
        /// The step.
        step: String,
        /// The officials it is for.
        officials: Vec<OfficialId>,
        /// The actor.
        actor: OfficialId,
    },
    /// The task is for candidate groups the directory does not define.
    #[error("step `{step}` is for the candidate group `{group}`, which the directory does not define")]
    UnknownGroup {
        /// The step.
        step: String,
        /// The group.
        group: String,
    },
    /// The task is for candidate groups, and the case has no directory to resolve them.
    #[error(
        "step `{step}` is for the candidate groups {}; the case has no organisation directory to resolve them",
        groups.iter().map(|g| format!("`{g}`")).collect::<Vec<_>>().join(", ")
    )]
    NoDirectory {
        /// The step.
        step: String,
        /// Its groups.
        groups: Vec<String>,
    },
    /// The actor is in none of the task's candidate groups.
    #[error(
        "step `{step}` is for the candidate groups {}; `{actor}` is in none of them",
        groups.iter().map(|g| format!("`{g}`")).collect::<Vec<_>>().join(", ")
    )]
    NotInGroups {
        /// The step.
        step: String,
        /// Its groups.
        groups: Vec<String>,
        /// The actor.
        actor: OfficialId,
    },
    /// The case variable naming the task's assignee is not set (or names nobody).
    #[error("step `{step}` is for the official the case variable `{variable}` names, and it names none")]
    AssigneeUnset {
        /// The step.
        step: String,
        /// The variable.
        variable: String,
    },
    /// The case variable naming the task's assignee names someone else.
    #[error(
        "step `{step}` is for {} (the case variable `{variable}`); `{actor}` is not among them",
        assignees.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ")
    )]
    NotTheAssignee {
        /// The step.
        step: String,
        /// The variable.
        variable: String,
        /// The officials it names.
        assignees: Vec<OfficialId>,
        /// The actor.
        actor: OfficialId,
    },
    /// A timer waits until the time a case variable holds, and it holds none.
    #[error(
        "timer `{timer}` waits until the time the case variable `{variable}` holds, and it holds none (an RFC 3339 \
         date-time or a day)"
    )]
    TimerTimeUnset {
        /// The timer.
        timer: String,
        /// The variable.
        variable: String,
    },
    /// A multi-instance step runs as many times as a case variable says, and it holds no whole
    /// number from 1 to 1,000.
    #[error(
        "step `{step}` runs as many times as the case variable `{variable}` says, and it holds no whole number \
         from 1 to 1000"
    )]
    InstancesUnset {
        /// The step.
        step: String,
        /// The variable.
        variable: String,
    },
    /// No open step has a boundary event by that id or waiting for that name.
    #[error(
        "no open step waits for `{event}` (the id of a boundary event of an open step, or the message, signal, \
         error or escalation it waits for)"
    )]
    NotAwaited {
        /// The event named.
        event: String,
    },
    /// Several boundary events of open steps wait for that name.
    #[error(
        "`{event}` is awaited by several boundary events ({}); name one by its id",
        boundaries.iter().map(|b| format!("`{b}`")).collect::<Vec<_>>().join(", ")
    )]
    AmbiguousEvent {
        /// The name.
        event: String,
        /// The boundary events waiting for it.
        boundaries: Vec<String>,
    },
    /// A timer counts working days and the case has no calendar to count them on.
    #[error("timer `{timer}` counts working days; the case has no statutory calendar (Case::with_calendar)")]
    NoCalendar {
        /// The timer.
        timer: String,
    },
    /// A timer's working days run past the years the calendar holds.
    #[error("timer `{timer}` cannot be counted: {reason}")]
    TimerBeyondCalendar {
        /// The timer.
        timer: String,
        /// The calendar's words.
        reason: String,
    },
    /// The step cannot be returned to the step asked.
    #[error(
        "step `{step}` cannot be returned to `{to}` (returnable: {})",
        if returnable.is_empty() { "none".to_owned() } else { returnable.join(", ") }
    )]
    NotReturnable {
        /// The step.
        step: String,
        /// The step asked.
        to: String,
        /// The steps it can be returned to.
        returnable: Vec<String>,
    },
    /// 委派 to oneself.
    #[error("委派 to oneself")]
    DelegateToSelf,

    // -- recall --
    /// The step has not been completed.
    #[error("step `{step}` has not been completed")]
    NotCompleted {
        /// The step.
        step: String,
    },
    /// Another step was completed after it.
    #[error("`{latest}` was completed after `{step}`; only the latest completion can be recalled")]
    NotLatestCompletion {
        /// The step asked.
        step: String,
        /// The step completed last.
        latest: String,
    },
    /// Someone else completed the step.
    #[error("only `{by}`, who completed `{step}`, may recall it")]
    NotTheCompleter {
        /// The step.
        step: String,
        /// Who completed it.
        by: OfficialId,
    },
    /// What the step opened is no longer waiting.
    #[error("nothing opened by `{step}` is still waiting; it cannot be recalled")]
    NothingToRecall {
        /// The step.
        step: String,
    },
    /// What the step opened has been acted on.
    #[error("`{acted}` has already been acted on; `{step}` cannot be recalled")]
    AlreadyActedOn {
        /// The step asked.
        step: String,
        /// The step that was acted on.
        acted: String,
    },

    // -- countersign (会签) --
    /// A countersign is voted on, not completed.
    #[error("step `{step}` is a countersign: vote on it")]
    IsCountersign {
        /// The step.
        step: String,
    },
    /// The step is not a countersign.
    #[error("step `{step}` is not a countersign")]
    NotCountersign {
        /// The step.
        step: String,
    },
    /// The voter is not a signer.
    #[error("`{signer}` is not a signer of `{step}`")]
    NotASigner {
        /// The voter.
        signer: OfficialId,
        /// The step.
        step: String,
    },
    /// The signer has voted already.
    #[error("`{signer}` has already voted on `{step}`")]
    AlreadyVoted {
        /// The signer.
        signer: OfficialId,
        /// The step.
        step: String,
    },
    /// Sequential signing: another signs next.
    #[error("`{step}` is signed in order: `{next}` signs next")]
    NotYourTurn {
        /// The step.
        step: String,
        /// Who signs next.
        next: OfficialId,
    },
    /// 加签 of a signer already there.
    #[error("`{signer}` already signs `{step}`")]
    AlreadySigns {
        /// The signer.
        signer: OfficialId,
        /// The step.
        step: String,
    },
    /// 减签 of someone who does not sign.
    #[error("`{signer}` does not sign `{step}`")]
    DoesNotSign {
        /// The signer.
        signer: OfficialId,
        /// The step.
        step: String,
    },
    /// 减签 of a signer who has voted.
    #[error("`{signer}` has already voted on `{step}`; a cast vote stays")]
    VoteStays {
        /// The signer.
        signer: OfficialId,
        /// The step.
        step: String,
    },
    /// 减签 of the last signer.
    #[error("`{signer}` is the last signer of `{step}`")]
    LastSigner {
        /// The signer.
        signer: OfficialId,
        /// The step.
        step: String,
    },

    // -- the process --
    /// No flow out of a gateway can be taken (a condition failed or none matched).
    #[error("{reason}")]
    NoRoute {
        /// The process's own words.
        reason: String,
    },
    /// The command's events do not fit the case (a defect; the case is restored).
    #[error("{reason}")]
    Inconsistent {
        /// What did not fit.
        reason: String,
    },
}

fn role_name(role: &Role) -> String {
    serde_json::to_value(role).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

impl Rejection {
    /// The stable name of the refusal, snake_case (`case_closed`, `step_not_open`,
    /// `handed_to_another`, ...): what a host branches on.
    pub fn kind(&self) -> &'static str {
        match self {
            Rejection::EmptyField { .. } => "empty_field",
            Rejection::OutOfOrder { .. } => "out_of_order",
            Rejection::ReasonRequired { .. } => "reason_required",
            Rejection::NegativeFee { .. } => "negative_fee",
            Rejection::NobodyToCopy => "nobody_to_copy",
            Rejection::NotInDirectory { .. } => "not_in_directory",
            Rejection::RoleNotHeld { .. } => "role_not_held",
            Rejection::OtherDepartment { .. } => "other_department",
            Rejection::RoleRequired { .. } => "role_required",
            Rejection::NoExtensionAuthority { .. } => "no_extension_authority",
            Rejection::ExtensionNeedsHigherAuthority { .. } => "extension_needs_higher_authority",
            Rejection::CaseClosed { .. } => "case_closed",
            Rejection::Suspended => "suspended",
            Rejection::WrongStatus { .. } => "wrong_status",
            Rejection::AlreadyReceived => "already_received",
            Rejection::NotReceived => "not_received",
            Rejection::NotSuspended => "not_suspended",
            Rejection::BlackListed => "black_listed",
            Rejection::SupplementAlreadyOpen => "supplement_already_open",
            Rejection::NoSupplementOpen => "no_supplement_open",
            Rejection::AlreadyDelivered => "already_delivered",
            Rejection::NothingToDeliver => "nothing_to_deliver",
            Rejection::RenewalAlreadyRecorded => "renewal_already_recorded",
            Rejection::NoHearingProcedure => "no_hearing_procedure",
            Rejection::HearingBeforeNotice { .. } => "hearing_before_notice",
            Rejection::SpecialProcedureRunning => "special_procedure_running",
            Rejection::NoSpecialProcedure => "no_special_procedure",
            Rejection::EmptyExtension => "empty_extension",
            Rejection::ExtensionCapExceeded { .. } => "extension_cap_exceeded",
            Rejection::UnknownStep { .. } => "unknown_step",
            Rejection::StepNotOpen { .. } => "step_not_open",
            Rejection::NotATask { .. } => "not_a_task",
            Rejection::HandedToAnother { .. } => "handed_to_another",
            Rejection::OtherDepartmentsStep { .. } => "other_departments_step",
            Rejection::AssignedToDepartment { .. } => "assigned_to_department",
            Rejection::WrongRole { .. } => "wrong_role",
            Rejection::NotAmongOfficials { .. } => "not_among_officials",
            Rejection::UnknownGroup { .. } => "unknown_group",
            Rejection::InstancesUnset { .. } => "instances_unset",
            Rejection::TimerTimeUnset { .. } => "timer_time_unset",
            Rejection::NotAwaited { .. } => "not_awaited",
            Rejection::AmbiguousEvent { .. } => "ambiguous_event",
            Rejection::NoCalendar { .. } => "no_calendar",
            Rejection::TimerBeyondCalendar { .. } => "timer_beyond_calendar",
            Rejection::NoDirectory { .. } => "no_directory",
            Rejection::NotInGroups { .. } => "not_in_groups",
            Rejection::AssigneeUnset { .. } => "assignee_unset",
            Rejection::NotTheAssignee { .. } => "not_the_assignee",
            Rejection::NotReturnable { .. } => "not_returnable",
            Rejection::DelegateToSelf => "delegate_to_self",
            Rejection::NotCompleted { .. } => "not_completed",
            Rejection::NotLatestCompletion { .. } => "not_latest_completion",
            Rejection::NotTheCompleter { .. } => "not_the_completer",
            Rejection::NothingToRecall { .. } => "nothing_to_recall",
            Rejection::AlreadyActedOn { .. } => "already_acted_on",
            Rejection::IsCountersign { .. } => "is_countersign",
            Rejection::NotCountersign { .. } => "not_countersign",
            Rejection::NotASigner { .. } => "not_a_signer",
            Rejection::AlreadyVoted { .. } => "already_voted",
            Rejection::NotYourTurn { .. } => "not_your_turn",
            Rejection::AlreadySigns { .. } => "already_signs",
            Rejection::DoesNotSign { .. } => "does_not_sign",
            Rejection::VoteStays { .. } => "vote_stays",
            Rejection::LastSigner { .. } => "last_signer",
            Rejection::NoRoute { .. } => "no_route",
            Rejection::Inconsistent { .. } => "inconsistent",
        }
    }

    /// Whether the refusal is about who acts (the actor may not do this; someone else may): a
    /// UI offers the task to its owner rather than showing an error.
    pub fn is_about_the_actor(&self) -> bool {
        matches!(
            self,
            Rejection::NotInDirectory { .. }
                | Rejection::RoleNotHeld { .. }
                | Rejection::OtherDepartment { .. }
                | Rejection::RoleRequired { .. }
                | Rejection::NoExtensionAuthority { .. }
                | Rejection::ExtensionNeedsHigherAuthority { .. }
                | Rejection::HandedToAnother { .. }
                | Rejection::OtherDepartmentsStep { .. }
                | Rejection::AssignedToDepartment { .. }
                | Rejection::WrongRole { .. }
                | Rejection::NotAmongOfficials { .. }
                | Rejection::NotInGroups { .. }
                | Rejection::NotTheAssignee { .. }
                | Rejection::NotASigner { .. }
                | Rejection::NotYourTurn { .. }
                | Rejection::NotTheCompleter { .. }
        )
    }
}
