//! [`Case`] itself: making, restoring and reading a case, and `execute`, which checks what every
//! command needs and hands each to its family's `plan_*` method.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use zhengwu_core::{CaseEvent, CaseId, DepartmentId, EventKind, ItemCode, RegionCode, Role, SCHEMA_VERSION};

use super::command::{Command, Context};
use super::state::{CaseSnapshot, OpenTask};

use crate::definition::NodeKind;
use crate::error::{Error, Result};
use crate::process::Process;
use crate::rejection::Rejection;
use crate::status::CaseStatus;

/// What planning a command gives: the events it produces, or why it is refused.
pub(super) type Plan = std::result::Result<Vec<EventKind>, Rejection>;

/// Who takes in a case: the window, or the 收发员 for 公文 cases (收文 and 发文 flows).
pub(super) const INTAKE: [Role; 2] = [Role::WindowClerk, Role::DocumentClerk];

/// Who may suspend, resume, terminate, 加签 and 减签.
pub(super) const HEADS: [Role; 2] = [Role::DepartmentHead, Role::Approver];

/// 办件: a case of a process.
///
/// ```
/// use chrono::DateTime;
/// use zhengwu_core::{Actor, Channel, Decision, Role};
/// use zhengwu_workflow::{Assignee, Case, CaseStatus, Command, Context, Process, ProcessBuilder};
///
/// let process = Process::new(
///     ProcessBuilder::new("simple", "简易程序")
///         .start("start")
///         .task("review", "审核", Assignee::Role(Role::Reviewer))
///         .end("granted", "准予", Decision::Granted)
///         .chain(&["start", "review", "granted"])
///         .build(),
/// )?;
/// let ctx = |role: Role, at: &str| Context {
///     actor: Actor { id: "o1".into(), name: None, role: Some(role) },
///     department: "scjg".into(),
///     at: DateTime::parse_from_rfc3339(at).unwrap(),
/// };
/// let mut case = Case::new(process.into(), "C1".into(), "SC-001".into(), "scjg".into(), "530102".parse()?);
/// case.execute(Command::Receive { channel: Channel::Window, materials: vec![], data: Default::default() },
///     &ctx(Role::WindowClerk, "2025-03-03T09:00:00+08:00"))?;
/// case.execute(Command::Accept, &ctx(Role::WindowClerk, "2025-03-03T09:10:00+08:00"))?;
/// assert_eq!(case.open_tasks().iter().map(|t| t.step.as_str()).collect::<Vec<_>>(), ["review"]);
/// // A window clerk may not review.
/// let complete = Command::Complete { step: "review".into(), opinion: None, data: Default::default() };
/// assert!(case.execute(complete.clone(), &ctx(Role::WindowClerk, "2025-03-04T09:00:00+08:00")).is_err());
/// case.execute(complete, &ctx(Role::Reviewer, "2025-03-04T09:00:00+08:00"))?;
/// assert_eq!(case.status(), CaseStatus::Concluded(Decision::Granted));
/// // Replaying the events gives the same state.
/// let replayed = Case::replay(case.process().clone(), case.events())?;
/// assert_eq!(replayed.snapshot(), case.snapshot());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Case {
    pub(super) process: Arc<Process>,
    pub(super) state: CaseSnapshot,
    pub(super) log: Vec<CaseEvent>,
    /// When set, every command's actor is checked against it.
    pub(super) directory: Option<Arc<zhengwu_core::Organization>>,
    /// The statutory calendar, for timers counted in working days.
    pub(super) calendar: Option<Arc<zhengwu_core::Calendar>>,
}

impl Case {
    /// A new case of `process`, not yet received.
    pub fn new(
        process: Arc<Process>,
        case_id: CaseId,
        item_code: ItemCode,
        department: DepartmentId,
        region: RegionCode,
    ) -> Self {
        Self {
            process,
            state: CaseSnapshot {
                case_id,
                item_code,
                department,
                region,
                status: CaseStatus::New,
                data: serde_json::Map::new(),
                tasks: Vec::new(),
                arrivals: BTreeMap::new(),
                fired: BTreeSet::new(),
                completed: Vec::new(),
                copies: BTreeSet::new(),
                sequence: 0,
                suspended_from: None,
                special: None,
                reopening: false,
                forks_opened: BTreeMap::new(),
                regime: zhengwu_core::HandlingRegime::Single,
                extended_days: 0,
                delivered: false,
                last_event_at: None,
                credit_measures: Vec::new(),
                supplement_open: false,
            },
            log: Vec::new(),
            directory: None,
            calendar: None,
        }
    }

    /// The same case with commands checked against an organisation directory: the actor must be
    /// an official there, hold the role they act in, and work in the department they act for.
    pub fn with_directory(mut self, directory: Arc<zhengwu_core::Organization>) -> Self {
        self.directory = Some(directory);
        self
    }

    /// The same case with the statutory calendar its timers in working days count on.
    pub fn with_calendar(mut self, calendar: Arc<zhengwu_core::Calendar>) -> Self {
        self.calendar = Some(calendar);
        self
    }

    /// The same case under another extension rule (set it before the first command: it is part
    /// of the case's configuration, not of its events).
    pub fn with_regime(mut self, regime: zhengwu_core::HandlingRegime) -> Self {
        self.state.regime = regime;
        self
    }

    /// Rebuilds a case from its events (the first must be `received`).
    pub fn replay(process: Arc<Process>, events: &[CaseEvent]) -> Result<Self> {
        let Some(first) = events.first() else {
            return Err(Error::Replay { case: String::new(), sequence: 0, reason: "no events".into() });
        };
        let mut case = Self::new(
            process,
            first.case_id.clone(),
            first.item_code.clone(),
            first.department.clone(),
            first.region.clone(),
        );
        for event in events {
            case.apply(event).map_err(|reason| Error::Replay {
                case: case.state.case_id.to_string(),
                sequence: event.sequence,
                reason,
            })?;
            case.log.push(event.clone());
        }
        Ok(case)
    }

    /// A case from a snapshot (and, optionally, its events so far).
    pub fn restore(process: Arc<Process>, snapshot: CaseSnapshot, events: Vec<CaseEvent>) -> Self {
        Self { process, state: snapshot, log: events, directory: None, calendar: None }
    }

    /// The state, serialisable.
    pub fn snapshot(&self) -> CaseSnapshot {
        self.state.clone()
    }

    /// 办件编号.
    pub fn case_id(&self) -> &zhengwu_core::CaseId {
        &self.state.case_id
    }

    /// The process.
    pub fn process(&self) -> &Arc<Process> {
        &self.process
    }

    /// The events so far.
    pub fn events(&self) -> &[CaseEvent] {
        &self.log
    }

    /// The status.
    pub fn status(&self) -> CaseStatus {
        self.state.status
    }

    /// The open tasks.
    pub fn open_tasks(&self) -> &[OpenTask] {
        &self.state.tasks
    }

    /// Case data.
    pub fn data(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.state.data
    }

    /// Checks a command and, if it fits, records and applies its events, which it returns (a
    /// view of the case's log). Nothing changes when it is rejected.
    pub fn execute(&mut self, command: Command, context: &Context) -> Result<&[CaseEvent]> {
        let kinds = self.plan(command, context).map_err(|rejection| self.rejected(rejection))?;
        // The plan was checked against the state, so applying its events does not fail; should it
        // (a bug), the state is rebuilt from the log, which replays to exactly the state before
        // the command. A case restored without its full log works on a copy instead.
        let log_complete = self.log.len() as u64 == self.state.sequence;
        let backup = if log_complete { None } else { Some(self.state.clone()) };
        let from = self.log.len();
        for kind in kinds {
            let sequence = self.state.sequence + 1;
            let event = CaseEvent {
                schema: SCHEMA_VERSION,
                idempotency_key: CaseEvent::key(self.state.case_id.as_str(), sequence),
                case_id: self.state.case_id.clone(),
                sequence,
                item_code: self.state.item_code.clone(),
                department: self.event_department(&kind, context),
                region: self.state.region.clone(),
                occurred_at: context.at,
                recorded_at: context.at,
                actor: context.actor.clone(),
                kind,
                signature: None,
            };
            if let Err(reason) = self.apply(&event) {
                self.log.truncate(from);
                match backup {
                    Some(state) => self.state = state,
                    None => {
                        let regime = self.state.regime;
                        let rebuilt = if from == 0 {
                            Case::new(
                                self.process.clone(),
                                self.state.case_id.clone(),
                                self.state.item_code.clone(),
                                self.state.department.clone(),
                                self.state.region.clone(),
                            )
                        } else {
                            Case::replay(self.process.clone(), &self.log)?
                        };
                        self.state = rebuilt.with_regime(regime).state;
                    }
                }
                return Err(self.rejected(Rejection::Inconsistent { reason }));
            }
            self.log.push(event);
        }
        Ok(&self.log[from..])
    }

    /// The department an event is filed under: a branch task's own department, the acting
    /// department for what an official does to a task, the case's lead department otherwise (so
    /// that a replay finds the lead department on the first event).
    fn event_department(&self, kind: &EventKind, context: &Context) -> DepartmentId {
        let node_department = |step: &str| match self.process.node(step).map(|n| &n.kind) {
            Some(NodeKind::Task { department: Some(department), .. }) => Some(department.clone()),
            _ => None,
        };
        match kind {
            EventKind::StepStarted { step } | EventKind::StepCancelled { step } => {
                node_department(step).unwrap_or_else(|| self.state.department.clone())
            }
            EventKind::StepCompleted { .. }
            | EventKind::VoteCast { .. }
            | EventKind::TaskReturned { .. }
            | EventKind::TaskRecalled { .. }
            | EventKind::TaskReassigned { .. }
            | EventKind::TaskUrged { .. } => context.department.clone(),
            _ => self.state.department.clone(),
        }
    }

    fn rejected(&self, rejection: Rejection) -> Error {
        Error::Rejected { case: self.state.case_id.to_string(), rejection: Box::new(rejection) }
    }

    pub(super) fn require_role(
        context: &Context,
        roles: &[Role],
        command: &'static str,
    ) -> std::result::Result<(), Rejection> {
        match &context.actor.role {
            Some(role) if roles.contains(role) => Ok(()),
            other => Err(Rejection::RoleRequired {
                command,
                roles: roles.to_vec(),
                actor: context.actor.id.clone(),
                acting_as: other.clone(),
            }),
        }
    }

    /// The events a command produces, checked against the state.
    fn plan(&self, command: Command, context: &Context) -> Plan {
        use CaseStatus as S;
        for (what, value) in [
            ("case id", self.state.case_id.as_str()),
            ("item code", self.state.item_code.as_str()),
            ("department", self.state.department.as_str()),
            ("acting department", context.department.as_str()),
            ("actor id", context.actor.id.as_str()),
        ] {
            if value.trim().is_empty() {
                return Err(Rejection::EmptyField { what });
            }
        }
        if let Some(last) = self.state.last_event_at
            && context.at < last
        {
            return Err(Rejection::OutOfOrder { at: context.at, last });
        }
        if let Some(directory) = &self.directory {
            let actor = &context.actor;
            let Some(official) = directory.official(&actor.id) else {
                return Err(Rejection::NotInDirectory { actor: actor.id.clone() });
            };
            if let Some(role) = &actor.role
                && !official.roles.contains(role)
            {
                return Err(Rejection::RoleNotHeld {
                    actor: actor.id.clone(),
                    name: official.name.to_string(),
                    role: role.clone(),
                });
            }
            if official.department != context.department {
                return Err(Rejection::OtherDepartment {
                    actor: actor.id.clone(),
                    name: official.name.to_string(),
                    works_in: official.department.clone(),
                    acting_for: context.department.clone(),
                });
            }
        }
        let status = self.state.status;
        if let (Command::DeliverResult { method }, S::Concluded(_)) = (&command, status) {
            return self.plan_deliver_result(method.clone());
        }
        if matches!(status, S::Concluded(_) | S::RefusedAtIntake | S::Withdrawn | S::HandedBack) {
            return Err(Rejection::CaseClosed { status });
        }
        if status == S::Suspended
            && !matches!(
                command,
                Command::Resume | Command::Withdraw { .. } | Command::Urge { .. } | Command::Copy { .. }
            )
        {
            return Err(Rejection::Suspended);
        }
        let c = context;
        match command {
            Command::Receive { channel, materials, data } => self.plan_receive(channel, materials, data),
            Command::Accept => self.plan_accept(c),
            Command::RefuseAtIntake { reason } => self.plan_refuse_at_intake(reason, c),
            Command::RequestSupplement { items } => self.plan_request_supplement(items),
            Command::ReceiveSupplement { items } => self.plan_receive_supplement(items),
            Command::ApplyCreditMeasures { applicant, grade, measures } => {
                self.plan_apply_credit_measures(applicant, grade, measures, c)
            }
            Command::ApplyForRenewal { licence, expires_on } => self.plan_apply_for_renewal(licence, expires_on, c),
            Command::ObjectToAssignment { reason } => self.plan_object_to_assignment(reason),
            Command::Withdraw { reason } => self.plan_withdraw(reason),
            Command::DeliverResult { method } => self.plan_deliver_result(method),
            Command::Complete { step, opinion, data } => self.plan_complete(step, opinion, data, c),
            Command::Return { step, to, reason } => self.plan_return(step, to, reason, c),
            Command::Recall { step } => self.plan_recall(step, c),
            Command::Delegate { step, to } => self.plan_delegate(step, to, c),
            Command::Reassign { step, to } => self.plan_reassign(step, to, c),
            Command::Urge { step, note } => self.plan_urge(step, note),
            Command::Copy { to } => self.plan_copy(to),
            Command::Vote { step, approve, opinion } => self.plan_vote(step, approve, opinion, c),
            Command::AddSigner { step, signer, position } => self.plan_add_signer(step, signer, position, c),
            Command::RemoveSigner { step, signer } => self.plan_remove_signer(step, signer, c),
            Command::Suspend { reason } => self.plan_suspend(reason, c),
            Command::Resume => self.plan_resume(c),
            Command::StartSpecialProcedure { procedure } => self.plan_start_special_procedure(procedure),
            Command::EndSpecialProcedure => self.plan_end_special_procedure(),
            Command::NoticeHearing { hearing_on, place } => self.plan_notice_hearing(hearing_on, place, c),
            Command::ApproveExtension { days, reason } => self.plan_approve_extension(days, reason, c),
            Command::ChargeFee { fee_code, amount_fen } => self.plan_charge_fee(fee_code, amount_fen),
            Command::Terminate { reason } => self.plan_terminate(reason, c),
            Command::Tick => self.plan_tick(c),
            Command::Catch { event, data } => self.plan_catch(event, data),
        }
    }

    pub(super) fn require_running(&self) -> std::result::Result<(), Rejection> {
        match self.state.status {
            CaseStatus::Running => Ok(()),
            other => Err(Rejection::WrongStatus { needed: "the case is not running", status: other }),
        }
    }
}
