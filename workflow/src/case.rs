//! 办件: a case running through a process. Commands are checked against the case's state and the
//! actor's authority and produce core `CaseEvent`s; the state is a fold of those events, so
//! replaying a case's events gives exactly the state the live case had.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use zhengwu_core::{
    Actor, Authority, CaseEvent, CaseId, Channel, Decision, DepartmentId, EventKind, ItemCode, OfficialId, RegionCode,
    Role, SCHEMA_VERSION, SignerPosition, SpecialProcedureKind,
};

use crate::definition::{Assignee, CompletionPolicy, NodeKind, SigningOrder};
use crate::error::{Error, Result};
use crate::process::Process;
use crate::rejection::Rejection;
use crate::status::CaseStatus;

/// An open task: a node of the process waiting for its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenTask {
    /// The task node.
    pub step: CompactString,
    /// Opened at.
    pub opened_at: DateTime<FixedOffset>,
    /// The step whose completion opened it (for 撤回).
    pub opened_by: Option<CompactString>,
    /// The official it was handed to (转办), overriding the node's assignment.
    pub holder: Option<OfficialId>,
    /// Votes so far (会签).
    pub votes: Vec<(OfficialId, bool)>,
    /// Whether anyone acted on it since it opened (a vote, a reassignment).
    pub touched: bool,
    /// The signers of a countersign, as 加签 and 减签 left them.
    #[serde(default)]
    pub signers: Vec<OfficialId>,
    /// 委派: who delegated it; the task returns to them when the delegate is done.
    #[serde(default)]
    pub delegated_by: Option<OfficialId>,
}

/// The serialisable state of a case: what [`Case::snapshot`] writes and [`Case::restore`] reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseSnapshot {
    /// 办件编号.
    pub case_id: CaseId,
    /// 事项编码.
    pub item_code: ItemCode,
    /// Lead department.
    pub department: DepartmentId,
    /// Region.
    pub region: RegionCode,
    /// Status.
    pub status: CaseStatus,
    /// Case data conditions read.
    pub data: serde_json::Map<String, serde_json::Value>,
    /// Open tasks, in the order they opened.
    pub tasks: Vec<OpenTask>,
    /// Per join: the incoming flows that have arrived.
    pub arrivals: BTreeMap<String, BTreeSet<String>>,
    /// Joins passed since their fork last opened.
    pub fired: BTreeSet<String>,
    /// Completed steps, in order (step, by, at).
    pub completed: Vec<(CompactString, OfficialId, DateTime<FixedOffset>)>,
    /// Followers with read-only copies (抄送).
    pub copies: BTreeSet<OfficialId>,
    /// The last sequence number.
    pub sequence: u64,
    /// The status before a suspension.
    pub suspended_from: Option<Box<CaseStatus>>,
    /// A special procedure running.
    pub special: Option<SpecialProcedureKind>,
    /// The next opened task is a re-opening (after 退回 or 撤回), not opened by a completion.
    pub reopening: bool,
    /// When each fork last opened its branches (branch sub-deadlines count from there).
    pub forks_opened: BTreeMap<String, DateTime<FixedOffset>>,
    /// The extension rule (单独办理 +10 by the department head, 联合办理 +15 by the government head).
    #[serde(default)]
    pub regime: zhengwu_core::HandlingRegime,
    /// Extension days approved so far.
    #[serde(default)]
    pub extended_days: u32,
    /// The credit measures applied at acceptance (信用核查).
    #[serde(default)]
    pub credit_measures: Vec<zhengwu_core::CreditMeasure>,
    /// A 补正 request waits for the applicant's materials.
    #[serde(default)]
    pub supplement_open: bool,
    /// The result was delivered (送达).
    #[serde(default)]
    pub delivered: bool,
    /// The business time of the last event: a command may not come before it.
    #[serde(default)]
    pub last_event_at: Option<DateTime<FixedOffset>>,
}

/// An open task as [`Case::progress`] reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskProgress {
    /// The task.
    pub step: String,
    /// Its name.
    pub name: String,
    /// The official it was handed to, if any.
    pub holder: Option<OfficialId>,
    /// Who it is for by definition.
    pub assignee: Option<Assignee>,
    /// When it opened.
    pub opened_at: DateTime<FixedOffset>,
    /// Its step limit's due date.
    pub step_due: Option<chrono::NaiveDate>,
    /// The fork whose branch it is in.
    pub branch: Option<String>,
    /// The branch's sub-deadline.
    pub branch_due: Option<chrono::NaiveDate>,
}

/// Where a case stands: the answer of [`Case::progress`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Status.
    pub status: CaseStatus,
    /// The statutory clock, once accepted.
    pub clock: Option<zhengwu_core::ClockReport>,
    /// Open tasks.
    pub tasks: Vec<TaskProgress>,
}

/// Who acts, for which department, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The official (with the role they act in).
    pub actor: Actor,
    /// The department acting.
    pub department: DepartmentId,
    /// Business time.
    pub at: DateTime<FixedOffset>,
}

/// What someone asks of a case. Serialised with a `type` tag (`{"type": "complete", "step": "review"}`),
/// so command scripts can be written as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Command {
    /// 收件.
    Receive {
        /// Window or online.
        channel: Channel,
        /// Materials handed in.
        #[serde(default)]
        materials: Vec<String>,
        /// Form data.
        #[serde(default)]
        data: serde_json::Map<String, serde_json::Value>,
    },
    /// 受理.
    Accept,
    /// 不予受理.
    RefuseAtIntake {
        /// The reason the law requires.
        reason: String,
    },
    /// 补正告知.
    RequestSupplement {
        /// Materials to supplement.
        items: Vec<String>,
    },
    /// 补正材料收到.
    ReceiveSupplement {
        /// Materials received.
        items: Vec<String>,
    },
    /// 完成环节, with an opinion and form data.
    Complete {
        /// The task.
        step: String,
        /// 办理意见.
        #[serde(default)]
        opinion: Option<String>,
        /// Data the next conditions read.
        #[serde(default)]
        data: serde_json::Map<String, serde_json::Value>,
    },
    /// 会签表决.
    Vote {
        /// The countersign task.
        step: String,
        /// 同意 or not.
        approve: bool,
        /// 意见.
        #[serde(default)]
        opinion: Option<String>,
    },
    /// 退回 to an earlier step.
    Return {
        /// The task returned.
        step: String,
        /// The earlier step.
        to: String,
        /// What must be redone, for the official it returns to.
        #[serde(default)]
        reason: Option<String>,
    },
    /// 撤回: take back a completion before the next handlers act.
    Recall {
        /// The step completed.
        step: String,
    },
    /// 委派: hand the task to someone who does the work and hands it back.
    Delegate {
        /// The task.
        step: String,
        /// The delegate.
        to: OfficialId,
    },
    /// 加签.
    AddSigner {
        /// The countersign.
        step: String,
        /// The new signer.
        signer: OfficialId,
        /// Before or after the signer whose turn it is, or alongside.
        position: SignerPosition,
    },
    /// 减签.
    RemoveSigner {
        /// The countersign.
        step: String,
        /// The signer removed (who has not voted).
        signer: OfficialId,
    },
    /// 转办.
    Reassign {
        /// The task.
        step: String,
        /// The new holder.
        to: OfficialId,
    },
    /// 收费: a fee of the item charged to the applicant (what was charged, which supervision
    /// compares with the published standard).
    ChargeFee {
        /// Fee code from the catalogue.
        fee_code: String,
        /// Amount charged, in 分.
        amount_fen: i64,
    },
    /// 催办.
    Urge {
        /// The task.
        step: String,
        /// Message.
        #[serde(default)]
        note: Option<String>,
    },
    /// 抄送.
    Copy {
        /// Followers.
        to: Vec<OfficialId>,
    },
    /// 挂起.
    Suspend {
        /// Why the case waits (recorded with the 挂起 event).
        #[serde(default)]
        reason: Option<String>,
    },
    /// 恢复.
    Resume,
    /// 信用核查: record the applicant's credit standing and apply its measures before acceptance
    /// (限制准入 bars acceptance; 容缺受理 allows acceptance with a 补正 request still open;
    /// 绿色通道, 从严审批 and 增加审查环节 become case data a process condition can route on).
    ApplyCreditMeasures {
        /// The applicant's 统一社会信用代码.
        applicant: String,
        /// The credit grade.
        grade: String,
        /// The measures.
        #[serde(default)]
        measures: Vec<zhengwu_core::CreditMeasure>,
    },
    /// 特殊环节开始.
    StartSpecialProcedure {
        /// Which.
        procedure: SpecialProcedureKind,
    },
    /// 特殊环节结束.
    EndSpecialProcedure,
    /// 延期.
    ApproveExtension {
        /// Working days added to the limit (the regime caps the total: 10, or 15 for joint handling).
        days: u32,
        /// The ground for the extension, shown to the applicant.
        #[serde(default)]
        reason: Option<String>,
    },
    /// 终止.
    Terminate {
        /// Why the case ends without a decision (required).
        reason: String,
    },
    /// 撤回 by the applicant.
    Withdraw {
        /// The applicant's reason, if they gave one.
        #[serde(default)]
        reason: Option<String>,
    },
    /// 送达: the result (the licence, or the written refusal) reaches the applicant; a granted
    /// licence within 10 working days of the decision (行政许可法 Art. 44).
    DeliverResult {
        /// How (窗口领取, 邮寄, 电子证照 ...).
        #[serde(default)]
        method: Option<String>,
    },
    /// 听证通知: while a 听证 runs, tell the parties when and where it is held (Art. 48(1): at
    /// least 7 working days before).
    NoticeHearing {
        /// The day of the hearing.
        hearing_on: chrono::NaiveDate,
        /// Where.
        #[serde(default)]
        place: Option<String>,
    },
    /// 延续申请: the application renews a licence valid until `expires_on` (Art. 50); recorded
    /// before acceptance.
    ApplyForRenewal {
        /// The licence's number.
        #[serde(default)]
        licence: Option<String>,
        /// The licence's last day.
        expires_on: chrono::NaiveDate,
    },
    /// 交办异议: the authority hands a 信访 matter back to the 信访部门 as not its own, with its
    /// reasons (within 5 working days of receipt).
    ObjectToAssignment {
        /// Why the matter is not this authority's.
        reason: String,
    },
}

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
    process: Arc<Process>,
    state: CaseSnapshot,
    log: Vec<CaseEvent>,
    /// When set, every command's actor is checked against it.
    directory: Option<Arc<zhengwu_core::Organization>>,
}

enum Landing {
    Task(String),
    End(Decision),
    Fork(String),
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
        }
    }

    /// The same case with commands checked against an organisation directory: the actor must be
    /// an official there, hold the role they act in, and work in the department they act for.
    pub fn with_directory(mut self, directory: Arc<zhengwu_core::Organization>) -> Self {
        self.directory = Some(directory);
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
        Self { process, state: snapshot, log: events, directory: None }
    }

    /// The state, serialisable.
    pub fn snapshot(&self) -> CaseSnapshot {
        self.state.clone()
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

    /// Where the case stands as of a day: its statutory clock against the item's `reference`
    /// limit, folded from the events by `zhengwu_core::CaseTimeline` (the fold supervision uses:
    /// Art. 32(4) deemed acceptance, 补正 after acceptance, uncounted special procedures,
    /// suspensions, extensions, conclusion), and each open task with its holder, its step due
    /// date and its branch's due date.
    pub fn progress(
        &self,
        calendar: &zhengwu_core::Calendar,
        item: &zhengwu_core::ServiceItem,
        reference: zhengwu_core::LimitReference,
        as_of: chrono::NaiveDate,
    ) -> Result<Progress> {
        use zhengwu_core::china_day as china;
        let timeline = zhengwu_core::CaseTimeline::from_events(&self.log);
        let clock = timeline.report(item, reference, calendar, as_of)?;
        let due = |from: chrono::NaiveDate, limit: zhengwu_core::TimeLimit| limit.due_from(from, calendar);
        let mut tasks = Vec::new();
        for task in &self.state.tasks {
            let node = self.process.node(&task.step);
            let (step_limit, assignee) = match node.map(|n| &n.kind) {
                Some(NodeKind::Task { limit, assignee, .. }) => (*limit, Some(assignee.clone())),
                _ => (None, None),
            };
            let step_due = step_limit.map(|l| due(china(task.opened_at), l)).transpose()?;
            let branch = self.process.fork_of(&task.step).map(str::to_owned);
            let branch_due = match &branch {
                Some(fork) => match (self.process.node(fork).map(|n| &n.kind), self.state.forks_opened.get(fork)) {
                    (Some(NodeKind::Fork { branch_limit }), Some(opened)) => Some(due(china(*opened), *branch_limit)?),
                    _ => None,
                },
                None => None,
            };
            tasks.push(TaskProgress {
                step: task.step.to_string(),
                name: node.map(|n| n.name.clone()).unwrap_or_default(),
                holder: task.holder.clone(),
                assignee,
                opened_at: task.opened_at,
                step_due,
                branch,
                branch_due,
            });
        }
        Ok(Progress { status: self.state.status, clock, tasks })
    }

    /// 可退回环节: the earlier steps `step` can be returned to (completed tasks upstream of it).
    pub fn returnable(&self, step: &str) -> Vec<String> {
        let completed: BTreeSet<&str> = self.state.completed.iter().map(|(s, _, _)| s.as_str()).collect();
        self.process
            .predecessors_of(step)
            .into_iter()
            .filter(|n| matches!(n.kind, NodeKind::Task { .. }) && completed.contains(n.id.as_str()))
            .map(|n| n.id.clone())
            .collect()
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
        Error::Rejected { case: self.state.case_id.to_string(), rejection }
    }

    fn task(&self, step: &str) -> std::result::Result<&OpenTask, Rejection> {
        self.state.tasks.iter().find(|t| t.step == step).ok_or_else(|| {
            if self.process.node(step).is_none() {
                Rejection::UnknownStep { step: step.to_owned(), process: self.process.id().to_string() }
            } else {
                let open = self.state.tasks.iter().map(|t| t.step.to_string()).collect();
                Rejection::StepNotOpen { step: step.to_owned(), open }
            }
        })
    }

    /// Whether the actor may act on the task.
    fn may_handle(&self, task: &OpenTask, context: &Context) -> std::result::Result<(), Rejection> {
        let actor = &context.actor;
        let step = || task.step.to_string();
        if let Some(holder) = &task.holder {
            return if &actor.id == holder {
                Ok(())
            } else {
                Err(Rejection::HandedToAnother { step: step(), holder: holder.clone(), actor: actor.id.clone() })
            };
        }
        let Some(node) = self.process.node(&task.step) else {
            return Err(Rejection::UnknownStep { step: step(), process: self.process.id().to_string() });
        };
        let NodeKind::Task { assignee, department, .. } = &node.kind else {
            return Err(Rejection::NotATask { step: step() });
        };
        if let Some(department) = department
            && department != &context.department
        {
            return Err(Rejection::OtherDepartmentsStep {
                step: step(),
                department: department.clone(),
                acting_for: context.department.clone(),
            });
        }
        match assignee {
            Assignee::Role(role) if actor.role.as_ref() == Some(role) => Ok(()),
            Assignee::Role(role) => Err(Rejection::WrongRole {
                step: step(),
                role: role.clone(),
                actor: actor.id.clone(),
                acting_as: actor.role.clone(),
            }),
            Assignee::Department(department) if department == &context.department => Ok(()),
            Assignee::Department(department) => Err(Rejection::AssignedToDepartment {
                step: step(),
                department: department.clone(),
                acting_for: context.department.clone(),
            }),
            Assignee::Officials(officials) if officials.contains(&actor.id) => Ok(()),
            Assignee::Officials(officials) => Err(Rejection::NotAmongOfficials {
                step: step(),
                officials: officials.clone(),
                actor: actor.id.clone(),
            }),
        }
    }

    fn require_role(context: &Context, roles: &[Role], command: &'static str) -> std::result::Result<(), Rejection> {
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
    fn plan(&self, command: Command, context: &Context) -> std::result::Result<Vec<EventKind>, Rejection> {
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
        if let (Command::DeliverResult { method }, S::Concluded(decision)) = (&command, status) {
            if self.state.delivered {
                return Err(Rejection::AlreadyDelivered);
            }
            if matches!(decision, Decision::Terminated) {
                return Err(Rejection::NothingToDeliver);
            }
            return Ok(vec![EventKind::ResultDelivered { method: method.clone() }]);
        }
        let closed = matches!(status, S::Concluded(_) | S::RefusedAtIntake | S::Withdrawn | S::HandedBack);
        if closed {
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
        // Intake is the window's, or the 收发员's for 公文 cases (收文 and 发文 flows).
        let intake = [Role::WindowClerk, Role::DocumentClerk];
        Ok(match command {
            Command::Receive { channel, materials, data } => {
                if status != S::New {
                    return Err(Rejection::AlreadyReceived);
                }
                let mut kinds = vec![EventKind::Received { channel, materials }];
                if !data.is_empty() {
                    kinds.push(EventKind::DataRecorded { data });
                }
                kinds
            }
            Command::Accept => {
                Self::require_role(context, &intake, "受理")?;
                let measures = &self.state.credit_measures;
                if measures.contains(&zhengwu_core::CreditMeasure::Refuse) {
                    return Err(Rejection::BlackListed);
                }
                let with_gaps =
                    status == S::Supplementing && measures.contains(&zhengwu_core::CreditMeasure::AcceptWithGaps);
                if status != S::Received && !with_gaps {
                    return Err(Rejection::WrongStatus { needed: "only a received case can be accepted", status });
                }
                let mut kinds = vec![EventKind::Accepted];
                kinds.extend(self.landings_from(self.process.start().id.as_str(), None)?);
                kinds
            }
            Command::RefuseAtIntake { reason } => {
                Self::require_role(context, &intake, "不予受理")?;
                if !matches!(status, S::Received | S::Supplementing) {
                    return Err(Rejection::WrongStatus {
                        needed: "only a case not yet accepted can be refused at intake",
                        status,
                    });
                }
                if reason.trim().is_empty() {
                    return Err(Rejection::ReasonRequired { command: "不予受理" });
                }
                vec![EventKind::RefusedAtIntake { reason: Some(reason) }]
            }
            Command::RequestSupplement { items } => {
                if self.state.supplement_open {
                    return Err(Rejection::SupplementAlreadyOpen);
                }
                if status == S::New {
                    return Err(Rejection::NotReceived);
                }
                vec![EventKind::SupplementRequested { items, note: None }]
            }
            Command::ReceiveSupplement { items } => {
                if !self.state.supplement_open {
                    return Err(Rejection::NoSupplementOpen);
                }
                vec![EventKind::SupplementReceived { items }]
            }
            Command::Complete { step, opinion, data } => {
                self.require_running()?;
                let task = self.task(&step)?;
                self.may_handle(task, context)?;
                if let Some(delegator) = &task.delegated_by {
                    // 委派: the delegate's work goes back to the delegator, who completes the step.
                    let mut kinds = Vec::new();
                    if !data.is_empty() {
                        kinds.push(EventKind::DataRecorded { data });
                    }
                    kinds.push(EventKind::TaskReassigned { step, to: delegator.clone(), delegated: false });
                    return Ok(kinds);
                }
                if self.countersign(&step).is_some() {
                    return Err(Rejection::IsCountersign { step });
                }
                let mut kinds = Vec::new();
                if !data.is_empty() {
                    kinds.push(EventKind::DataRecorded { data: data.clone() });
                }
                kinds.push(EventKind::StepCompleted { step: step.clone(), opinion });
                let mut merged = self.state.data.clone();
                merged.extend(data);
                kinds.extend(self.landings_from(&step, Some(&merged))?);
                kinds
            }
            Command::Vote { step, approve, opinion } => {
                self.require_running()?;
                let task = self.task(&step)?;
                let Some((signers, policy, order)) = self.countersign(&step) else {
                    return Err(Rejection::NotCountersign { step });
                };
                let voter = &context.actor.id;
                if !signers.contains(voter) {
                    return Err(Rejection::NotASigner { signer: voter.clone(), step });
                }
                if task.votes.iter().any(|(v, _)| v == voter) {
                    return Err(Rejection::AlreadyVoted { signer: voter.clone(), step });
                }
                if order == SigningOrder::Sequential
                    && let Some(next) = signers.iter().find(|s| !task.votes.iter().any(|(v, _)| v == *s))
                    && next != voter
                {
                    return Err(Rejection::NotYourTurn { step, next: next.clone() });
                }
                let mut votes = task.votes.clone();
                votes.push((voter.clone(), approve));
                let mut kinds = vec![EventKind::VoteCast { step: step.clone(), approve, opinion }];
                if let Some(result) = decide(policy, &votes, signers.len()) {
                    kinds.extend(self.countersign_done(&step, result)?);
                }
                kinds
            }
            Command::Return { step, to, reason } => {
                self.require_running()?;
                let task = self.task(&step)?;
                self.may_handle(task, context)?;
                let allowed = self.returnable(&step);
                if !allowed.contains(&to) {
                    return Err(Rejection::NotReturnable { step, to, returnable: allowed });
                }
                // Every other open task downstream of `to` is cancelled: it will be reached again.
                let downstream = self.process.downstream_of(&to);
                let mut kinds = vec![EventKind::TaskReturned { step: step.clone(), to: to.clone(), reason }];
                for task in self.state.tasks.iter().filter(|t| t.step != step && downstream.contains(t.step.as_str())) {
                    kinds.push(EventKind::StepCancelled { step: task.step.to_string() });
                }
                kinds.push(EventKind::StepStarted { step: to });
                kinds
            }
            Command::Recall { step } => {
                self.require_running()?;
                let Some((last, by, _)) = self.state.completed.last() else {
                    return Err(Rejection::NotCompleted { step });
                };
                if last != step {
                    return Err(Rejection::NotLatestCompletion { step, latest: last.to_string() });
                }
                if by != &context.actor.id {
                    return Err(Rejection::NotTheCompleter { step, by: by.clone() });
                }
                let opened: Vec<&OpenTask> =
                    self.state.tasks.iter().filter(|t| t.opened_by.as_deref() == Some(step.as_str())).collect();
                if opened.is_empty() {
                    return Err(Rejection::NothingToRecall { step });
                }
                if let Some(acted) = opened.iter().find(|t| t.touched) {
                    return Err(Rejection::AlreadyActedOn { step, acted: acted.step.to_string() });
                }
                let mut kinds: Vec<EventKind> =
                    opened.iter().map(|t| EventKind::StepCancelled { step: t.step.to_string() }).collect();
                kinds.push(EventKind::TaskRecalled { step: step.clone() });
                kinds.push(EventKind::StepStarted { step });
                kinds
            }
            Command::Delegate { step, to } => {
                self.require_running()?;
                let task = self.task(&step)?;
                self.may_handle(task, context)?;
                if to == context.actor.id {
                    return Err(Rejection::DelegateToSelf);
                }
                vec![EventKind::TaskReassigned { step, to, delegated: true }]
            }
            Command::AddSigner { step, signer, position } => {
                self.require_running()?;
                Self::require_role(context, &[Role::DepartmentHead, Role::Approver], "加签")?;
                self.task(&step)?;
                let Some((signers, _, _)) = self.countersign(&step) else {
                    return Err(Rejection::NotCountersign { step });
                };
                if signers.contains(&signer) {
                    return Err(Rejection::AlreadySigns { signer, step });
                }
                vec![EventKind::SignerAdded { step, signer, position }]
            }
            Command::RemoveSigner { step, signer } => {
                self.require_running()?;
                Self::require_role(context, &[Role::DepartmentHead, Role::Approver], "减签")?;
                let task = self.task(&step)?;
                let Some((signers, policy, _)) = self.countersign(&step) else {
                    return Err(Rejection::NotCountersign { step });
                };
                if !signers.contains(&signer) {
                    return Err(Rejection::DoesNotSign { signer, step });
                }
                if task.votes.iter().any(|(v, _)| v == &signer) {
                    return Err(Rejection::VoteStays { signer, step });
                }
                if signers.len() == 1 {
                    return Err(Rejection::LastSigner { signer, step });
                }
                let mut kinds = vec![EventKind::SignerRemoved { step: step.clone(), signer }];
                // Without the removed signer the countersign may now be decided.
                if let Some(result) = decide(policy, &task.votes, signers.len() - 1) {
                    kinds.extend(self.countersign_done(&step, result)?);
                }
                kinds
            }
            Command::Reassign { step, to } => {
                self.require_running()?;
                let task = self.task(&step)?;
                if Self::require_role(context, &[Role::DepartmentHead], "转办").is_err() {
                    self.may_handle(task, context)?;
                }
                vec![EventKind::TaskReassigned { step, to, delegated: false }]
            }
            Command::ChargeFee { fee_code, amount_fen } => {
                self.require_running()?;
                if amount_fen < 0 {
                    return Err(Rejection::NegativeFee { fee_code: fee_code.to_string(), amount_fen });
                }
                vec![EventKind::FeeCharged { fee_code, amount_fen }]
            }
            Command::Urge { step, note } => {
                self.task(&step)?;
                vec![EventKind::TaskUrged { step, note }]
            }
            Command::Copy { to } => {
                if to.is_empty() {
                    return Err(Rejection::NobodyToCopy);
                }
                vec![EventKind::CopySent { to }]
            }
            Command::Suspend { reason } => {
                Self::require_role(context, &[Role::DepartmentHead, Role::Approver], "挂起")?;
                self.require_running()?;
                vec![EventKind::Suspended { reason }]
            }
            Command::Resume => {
                Self::require_role(context, &[Role::DepartmentHead, Role::Approver], "恢复")?;
                if status != S::Suspended {
                    return Err(Rejection::NotSuspended);
                }
                vec![EventKind::Resumed]
            }
            Command::ApplyCreditMeasures { applicant, grade, measures } => {
                Self::require_role(context, &intake, "信用核查")?;
                if !matches!(status, S::Received | S::Supplementing) {
                    return Err(Rejection::WrongStatus { needed: "credit measures apply before acceptance", status });
                }
                let mut kinds =
                    vec![EventKind::CreditChecked { applicant, grade: grade.clone(), measures: measures.clone() }];
                let mut data = serde_json::Map::new();
                data.insert("credit_grade".to_owned(), grade.into());
                // Every flag is recorded, true or false, so that conditions can always read them.
                for measure in [
                    zhengwu_core::CreditMeasure::GreenChannel,
                    zhengwu_core::CreditMeasure::StrictReview,
                    zhengwu_core::CreditMeasure::ExtraReview,
                ] {
                    if let Some(flag) = measure.flag() {
                        data.insert(flag.to_owned(), measures.contains(&measure).into());
                    }
                }
                kinds.push(EventKind::DataRecorded { data });
                kinds
            }
            Command::DeliverResult { .. } => {
                return Err(Rejection::WrongStatus { needed: "only a concluded case has a result to deliver", status });
            }
            Command::NoticeHearing { hearing_on, place } => {
                self.require_running()?;
                if self.state.special != Some(SpecialProcedureKind::Hearing) {
                    return Err(Rejection::NoHearingProcedure);
                }
                if hearing_on < zhengwu_core::china_day(context.at) {
                    return Err(Rejection::HearingBeforeNotice { hearing_on });
                }
                vec![EventKind::HearingNoticed { hearing_on, place }]
            }
            Command::ApplyForRenewal { licence, expires_on } => {
                Self::require_role(context, &intake, "延续申请")?;
                if !matches!(status, S::Received | S::Supplementing) {
                    return Err(Rejection::WrongStatus { needed: "a renewal is recorded before acceptance", status });
                }
                if self.log.iter().any(|e| matches!(e.kind, EventKind::RenewalApplied { .. })) {
                    return Err(Rejection::RenewalAlreadyRecorded);
                }
                vec![EventKind::RenewalApplied { licence, expires_on }]
            }
            Command::ObjectToAssignment { reason } => {
                if !matches!(status, S::Received | S::Supplementing) {
                    return Err(Rejection::WrongStatus { needed: "a matter is handed back before acceptance", status });
                }
                if reason.trim().is_empty() {
                    return Err(Rejection::ReasonRequired { command: "交办异议" });
                }
                vec![EventKind::AssignmentObjected { reason: Some(reason) }]
            }
            Command::StartSpecialProcedure { procedure } => {
                self.require_running()?;
                if self.state.special.is_some() {
                    return Err(Rejection::SpecialProcedureRunning);
                }
                vec![EventKind::SpecialProcedureStarted { procedure, expected_days: None }]
            }
            Command::EndSpecialProcedure => {
                let Some(procedure) = self.state.special else {
                    return Err(Rejection::NoSpecialProcedure);
                };
                vec![EventKind::SpecialProcedureEnded { procedure }]
            }
            Command::ApproveExtension { days, reason } => {
                self.require_running()?;
                let authority = match context.actor.role {
                    Some(Role::DepartmentHead) => Authority::DepartmentHead,
                    Some(Role::GovernmentHead) => Authority::GovernmentHead,
                    _ => {
                        return Err(Rejection::NoExtensionAuthority { actor: context.actor.id.clone() });
                    }
                };
                if days == 0 {
                    return Err(Rejection::EmptyExtension);
                }
                let (cap, required) = self.state.regime.extension_rule();
                if authority < required {
                    return Err(Rejection::ExtensionNeedsHigherAuthority {
                        required,
                        actor: context.actor.id.clone(),
                        authority,
                    });
                }
                if self.state.extended_days + days > cap {
                    return Err(Rejection::ExtensionCapExceeded { cap, approved: self.state.extended_days, days });
                }
                vec![EventKind::ExtensionApproved { days, authority, reason }]
            }
            Command::Terminate { reason } => {
                Self::require_role(context, &[Role::DepartmentHead, Role::Approver], "终止")?;
                self.require_running()?;
                if reason.trim().is_empty() {
                    return Err(Rejection::ReasonRequired { command: "终止" });
                }
                vec![EventKind::Concluded {
                    decision: Decision::Terminated,
                    reason: Some(reason),
                    document_number: None,
                }]
            }
            Command::Withdraw { reason } => {
                if status == S::New {
                    return Err(Rejection::NotReceived);
                }
                vec![EventKind::Withdrawn { reason }]
            }
        })
    }

    fn require_running(&self) -> std::result::Result<(), Rejection> {
        match self.state.status {
            CaseStatus::Running => Ok(()),
            other => Err(Rejection::WrongStatus { needed: "the case is not running", status: other }),
        }
    }

    /// The signers (as the open task holds them), policy and order of a countersign step.
    fn countersign(&self, step: &str) -> Option<(Vec<OfficialId>, CompletionPolicy, SigningOrder)> {
        match &self.process.node(step)?.kind {
            NodeKind::Task { countersign: Some(c), .. } => {
                let signers = self.state.tasks.iter().find(|t| t.step == step).map(|t| t.signers.clone())?;
                Some((signers, c.policy, c.order))
            }
            _ => None,
        }
    }

    /// The events of a decided countersign: its result as data, its completion, what follows.
    fn countersign_done(&self, step: &str, result: bool) -> std::result::Result<Vec<EventKind>, Rejection> {
        let mut data = serde_json::Map::new();
        data.insert("approved".to_owned(), result.into());
        data.insert(format!("{step}_approved"), result.into());
        let mut kinds = vec![
            EventKind::DataRecorded { data: data.clone() },
            EventKind::StepCompleted {
                step: step.to_owned(),
                opinion: Some(if result { "会签通过" } else { "会签未通过" }.to_owned()),
            },
        ];
        let mut merged = self.state.data.clone();
        merged.extend(data);
        kinds.extend(self.landings_from(step, Some(&merged))?);
        Ok(kinds)
    }

    /// The events of tokens leaving `node` (the start, or a step just completed) with the case's
    /// data, or `data` where given: tasks opened, or the end.
    fn landings_from(
        &self,
        node: &str,
        data: Option<&serde_json::Map<String, serde_json::Value>>,
    ) -> std::result::Result<Vec<EventKind>, Rejection> {
        let mut arrivals = self.state.arrivals.clone();
        let mut fired = self.state.fired.clone();
        let mut landings = Vec::new();
        let data = data.unwrap_or(&self.state.data);
        self.traverse(node, data, &mut arrivals, &mut fired, &mut landings)?;
        Ok(landing_events(landings, data))
    }

    /// Moves tokens out of `from` along the graph: through forks, exclusive branches, merges and
    /// joins (recording arrivals), to tasks and ends.
    fn traverse(
        &self,
        from: &str,
        data: &serde_json::Map<String, serde_json::Value>,
        arrivals: &mut BTreeMap<String, BTreeSet<String>>,
        fired: &mut BTreeSet<String>,
        landings: &mut Vec<Landing>,
    ) -> std::result::Result<(), Rejection> {
        let chosen;
        let flows: Box<dyn Iterator<Item = &crate::definition::Flow>> = match self.process.node(from).map(|n| &n.kind) {
            Some(NodeKind::Exclusive { .. }) => {
                chosen = self.process.choose(from, data).map_err(|e| Rejection::NoRoute { reason: e.to_string() })?;
                Box::new(std::iter::once(chosen))
            }
            _ => Box::new(self.process.outgoing_iter(from)),
        };
        for flow in flows {
            let Some(target) = self.process.node(&flow.to) else { continue };
            match &target.kind {
                NodeKind::Task { .. } => landings.push(Landing::Task(target.id.clone())),
                NodeKind::End { outcome } => landings.push(Landing::End(*outcome)),
                NodeKind::Join => {
                    let arrived = arrivals.entry(target.id.clone()).or_default();
                    arrived.insert(flow.id.clone());
                    if arrived.len() == self.process.incoming_count(&target.id) {
                        arrivals.remove(&target.id);
                        fired.insert(target.id.clone());
                        self.traverse(&target.id, data, arrivals, fired, landings)?;
                    }
                }
                NodeKind::Fork { .. } => {
                    // A fork opening again resets what its join remembers.
                    if let Some(join) = self.process.join_of(&target.id) {
                        fired.remove(join);
                    }
                    landings.push(Landing::Fork(target.id.clone()));
                    self.traverse(&target.id, data, arrivals, fired, landings)?
                }
                _ => self.traverse(&target.id, data, arrivals, fired, landings)?,
            }
        }
        Ok(())
    }

    /// Records the join arrivals and fired joins of tokens leaving `from` (the tasks and the end
    /// they reach arrive as their own events).
    fn advance(&mut self, from: &str, at: DateTime<FixedOffset>) -> std::result::Result<(), String> {
        let mut arrivals = std::mem::take(&mut self.state.arrivals);
        let mut fired = std::mem::take(&mut self.state.fired);
        let mut landings = Vec::new();
        let result = self.traverse(from, &self.state.data, &mut arrivals, &mut fired, &mut landings);
        self.state.arrivals = arrivals;
        self.state.fired = fired;
        for landing in landings {
            if let Landing::Fork(fork) = landing {
                self.state.forks_opened.insert(fork, at);
            }
        }
        result.map_err(|rejection| rejection.to_string())
    }

    /// Applies one event to the state: the only place the state changes.
    fn apply(&mut self, event: &CaseEvent) -> std::result::Result<(), String> {
        use CaseStatus as S;
        let state = &mut self.state;
        if event.sequence != state.sequence + 1 {
            return Err(format!(
                "sequence {} after {} (expected {})",
                event.sequence,
                state.sequence,
                state.sequence + 1
            ));
        }
        if event.case_id != state.case_id {
            return Err(format!("the event is for case `{}`", event.case_id));
        }
        let at = event.occurred_at;
        match &event.kind {
            EventKind::Received { .. } => state.status = S::Received,
            EventKind::DataRecorded { data } => state.data.extend(data.clone()),
            EventKind::CreditChecked { measures, .. } => state.credit_measures = measures.clone(),
            EventKind::Accepted => {
                state.status = S::Running;
                let start = self.process.start().id.clone();
                self.advance(&start, at)?;
            }
            EventKind::RefusedAtIntake { .. } => state.status = S::RefusedAtIntake,
            EventKind::SupplementRequested { .. } => {
                state.supplement_open = true;
                if state.status == S::Received {
                    state.status = S::Supplementing;
                }
            }
            EventKind::SupplementReceived { .. } => {
                state.supplement_open = false;
                if state.status == S::Supplementing {
                    state.status = S::Received;
                }
            }
            EventKind::StepStarted { step } => {
                let opened_by = state.completed.last().map(|(s, _, _)| s.clone());
                let reopening = std::mem::take(&mut state.reopening);
                let signers = match self.process.node(step).map(|n| &n.kind) {
                    Some(NodeKind::Task { assignee: Assignee::Officials(officials), countersign: Some(_), .. }) => {
                        officials.clone()
                    }
                    _ => Vec::new(),
                };
                let state = &mut self.state;
                state.tasks.push(OpenTask {
                    step: CompactString::new(step),
                    opened_at: at,
                    opened_by: if reopening { None } else { opened_by },
                    holder: None,
                    votes: Vec::new(),
                    touched: false,
                    signers,
                    delegated_by: None,
                });
            }
            EventKind::StepCompleted { step, .. } => {
                let Some(position) = state.tasks.iter().position(|t| t.step == step) else {
                    return Err(format!("step `{step}` is not open"));
                };
                state.tasks.remove(position);
                state.completed.push((CompactString::new(step), event.actor.id.clone(), at));
                // Record join arrivals on the way out (tasks and the end come as their own events).
                self.advance(step, at)?;
            }
            EventKind::VoteCast { step, approve, .. } => {
                let task = state
                    .tasks
                    .iter_mut()
                    .find(|t| t.step == step)
                    .ok_or_else(|| format!("step `{step}` is not open"))?;
                task.votes.push((event.actor.id.clone(), *approve));
                task.touched = true;
            }
            EventKind::TaskReturned { step, to, .. } => {
                let downstream = self.process.downstream_of(to);
                let state = &mut self.state;
                state.reopening = true;
                state.tasks.retain(|t| t.step != step);
                // Joins the returned work will pass again wait for the branches it redoes; a join
                // already passed keeps the branches it does not redo.
                for join in
                    downstream.iter().filter(|n| matches!(self.process.node(n).map(|n| &n.kind), Some(NodeKind::Join)))
                {
                    let redo: BTreeSet<String> = self
                        .process
                        .incoming(join)
                        .into_iter()
                        .filter(|f| &f.from == to || downstream.contains(&f.from))
                        .map(|f| f.id.clone())
                        .collect();
                    if state.fired.remove(join) {
                        let kept: BTreeSet<String> = self
                            .process
                            .incoming(join)
                            .into_iter()
                            .map(|f| f.id.clone())
                            .filter(|f| !redo.contains(f))
                            .collect();
                        state.arrivals.insert(join.clone(), kept);
                    } else if let Some(arrived) = state.arrivals.get_mut(join) {
                        arrived.retain(|f| !redo.contains(f));
                    }
                }
            }
            EventKind::TaskRecalled { step } => {
                state.reopening = true;
                if let Some(position) = state.completed.iter().rposition(|(s, _, _)| s == step) {
                    state.completed.remove(position);
                }
                // The join arrival the completion made is taken back; a join it fired waits again
                // for this branch only.
                for flow in self.process.outgoing(step) {
                    if !matches!(self.process.node(&flow.to).map(|n| &n.kind), Some(NodeKind::Join)) {
                        continue;
                    }
                    let state = &mut self.state;
                    if state.fired.remove(&flow.to) {
                        let others: BTreeSet<String> = self
                            .process
                            .incoming(&flow.to)
                            .into_iter()
                            .map(|f| f.id.clone())
                            .filter(|f| f != &flow.id)
                            .collect();
                        state.arrivals.insert(flow.to.clone(), others);
                    } else if let Some(arrived) = state.arrivals.get_mut(&flow.to) {
                        arrived.remove(&flow.id);
                    }
                }
            }
            EventKind::StepCancelled { step } => {
                let Some(position) = state.tasks.iter().position(|t| t.step == step) else {
                    return Err(format!("step `{step}` is not open"));
                };
                state.tasks.remove(position);
            }
            EventKind::TaskReassigned { step, to, delegated } => {
                let task = state
                    .tasks
                    .iter_mut()
                    .find(|t| t.step == step)
                    .ok_or_else(|| format!("step `{step}` is not open"))?;
                task.holder = Some(to.clone());
                task.delegated_by = delegated.then(|| event.actor.id.clone());
                task.touched = true;
            }
            EventKind::SignerAdded { step, signer, position } => {
                let task = state
                    .tasks
                    .iter_mut()
                    .find(|t| t.step == step)
                    .ok_or_else(|| format!("step `{step}` is not open"))?;
                let turn = task
                    .signers
                    .iter()
                    .position(|s| !task.votes.iter().any(|(v, _)| v == s))
                    .unwrap_or(task.signers.len());
                let index = match position {
                    SignerPosition::Before => turn,
                    SignerPosition::After => (turn + 1).min(task.signers.len()),
                    SignerPosition::Parallel => task.signers.len(),
                };
                task.signers.insert(index, signer.clone());
                task.touched = true;
            }
            EventKind::SignerRemoved { step, signer } => {
                let task = state
                    .tasks
                    .iter_mut()
                    .find(|t| t.step == step)
                    .ok_or_else(|| format!("step `{step}` is not open"))?;
                task.signers.retain(|s| s != signer);
                task.touched = true;
            }
            EventKind::TaskUrged { .. } => {}
            EventKind::CopySent { to } => state.copies.extend(to.iter().cloned()),
            EventKind::Suspended { .. } => {
                state.suspended_from = Some(Box::new(state.status));
                state.status = S::Suspended;
            }
            EventKind::Resumed => {
                state.status = state.suspended_from.take().map_or(S::Running, |s| *s);
            }
            EventKind::SpecialProcedureStarted { procedure, .. } => state.special = Some(*procedure),
            EventKind::SpecialProcedureEnded { .. } => state.special = None,
            EventKind::ExtensionApproved { days, .. } => state.extended_days += days,
            EventKind::FeeCharged { .. } | EventKind::HearingNoticed { .. } | EventKind::RenewalApplied { .. } => {}
            EventKind::ResultDelivered { .. } => state.delivered = true,
            EventKind::AssignmentObjected { .. } => {
                state.status = S::HandedBack;
                state.tasks.clear();
            }
            EventKind::Concluded { decision, .. } => {
                state.status = S::Concluded(*decision);
                state.tasks.clear();
            }
            EventKind::Withdrawn { .. } => {
                state.status = S::Withdrawn;
                state.tasks.clear();
            }
            other => return Err(format!("event type `{}` is not part of a workflow case", other.type_name())),
        }
        self.state.sequence = event.sequence;
        self.state.last_event_at = Some(self.state.last_event_at.map_or(at, |last| last.max(at)));
        Ok(())
    }
}

/// The events of landings; a conclusion carries the 结果文书文号 (`document_number`) and the reason
/// (`reason`) the case data holds, when it holds them.
fn landing_events(landings: Vec<Landing>, data: &serde_json::Map<String, serde_json::Value>) -> Vec<EventKind> {
    let text = |key: &str| data.get(key).and_then(|v| v.as_str()).filter(|s| !s.trim().is_empty()).map(str::to_owned);
    let mut kinds = Vec::new();
    for landing in landings {
        match landing {
            Landing::Task(step) => kinds.push(EventKind::StepStarted { step }),
            Landing::End(decision) => {
                kinds.push(EventKind::Concluded {
                    decision,
                    reason: text("reason"),
                    document_number: text("document_number"),
                });
                break;
            }
            Landing::Fork(_) => {}
        }
    }
    kinds
}

/// The outcome of a countersign once it is decided: `Some(approved)`.
fn decide(policy: CompletionPolicy, votes: &[(OfficialId, bool)], signers: usize) -> Option<bool> {
    let yes = votes.iter().filter(|(_, v)| *v).count();
    let no = votes.len() - yes;
    let all_in = votes.len() == signers;
    match policy {
        CompletionPolicy::All => (no > 0).then_some(false).or(all_in.then_some(true)),
        CompletionPolicy::Any => (yes > 0).then_some(true).or(all_in.then_some(false)),
        CompletionPolicy::Veto => (no > 0).then_some(false).or(all_in.then_some(true)),
        CompletionPolicy::Majority => {
            if yes * 2 > signers {
                Some(true)
            } else if no * 2 >= signers {
                Some(false)
            } else {
                None
            }
        }
        CompletionPolicy::Ratio(ratio) => {
            let needed = (ratio * signers as f64).ceil() as usize;
            if yes >= needed {
                Some(true)
            } else if signers - no < needed {
                Some(false)
            } else {
                None
            }
        }
    }
}
