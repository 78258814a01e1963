//! 流程定义: the serialisable process definition, its parts, and a builder.

use serde::{Deserialize, Serialize};
use zhengwu_core::{Decision, DepartmentId, OfficialId, Role, TimeLimit};

/// Who a task is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Assignee {
    /// Anyone holding the role (in the case's department unless the task names one).
    Role(Role),
    /// Anyone in the department.
    Department(DepartmentId),
    /// Named officials (for 会签: the signers, in order).
    Officials(Vec<OfficialId>),
    /// Candidate groups by name (`candidateGroups="leader,window"` in a modeler's file), resolved
    /// when the case runs through the directory's [`zhengwu_core::Group`]s
    /// ([`crate::Case::with_directory`]).
    Groups(Vec<String>),
    /// The official, or list of officials, a case variable names when a command is made
    /// (`${assignee}`, `${initiator}`); `initiator` left unset is the official who received the
    /// case.
    Variable(String),
    /// Nobody in particular (a task drawn without assignment): any official acting for the task's
    /// department, or for the case's lead department when the task names none.
    Anyone,
    /// Candidate users and candidate groups together: one of the officials, or anyone in one of
    /// the groups (resolved as for [`Assignee::Groups`]).
    Candidates {
        /// The officials.
        officials: Vec<OfficialId>,
        /// The groups.
        groups: Vec<String>,
    },
}

/// 会签完成规则: when a countersign is complete.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum CompletionPolicy {
    /// 会签: every signer approves.
    All,
    /// 或签: the first approval decides.
    Any,
    /// More than half approve.
    Majority,
    /// At least this share approves (0 < ratio ≤ 1).
    Ratio(f64),
    /// 一票否决: any rejection rejects; otherwise all must approve.
    Veto,
}

/// In which order the signers of a countersign sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SigningOrder {
    /// 并行会签: all at once.
    #[default]
    Parallel,
    /// 顺序会签: one after another, in the listed order.
    Sequential,
}

/// 会签: a task signed by several officials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Countersign {
    /// When it completes.
    pub policy: CompletionPolicy,
    /// In which order.
    #[serde(default)]
    pub order: SigningOrder,
}

/// 多实例: a step done a number of times over (BPMN's multi-instance counted by
/// `loopCardinality`, not by a list of signers): each [`Command::Complete`](crate::Command::Complete)
/// by someone the step is assigned to completes one instance (recorded as
/// `instance_completed`), and the one that satisfies the policy completes the step. The count is
/// fixed when the step opens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instances {
    /// How many instances.
    pub count: InstanceCount,
    /// How many must be completed: all, one, more than half, or a share (not 一票否决: instances
    /// are completed, not voted on).
    #[serde(default = "all_instances")]
    pub policy: CompletionPolicy,
    /// Whether they run at once or one after another (either way the step counts completions).
    #[serde(default)]
    pub order: SigningOrder,
}

fn all_instances() -> CompletionPolicy {
    CompletionPolicy::All
}

/// How many instances a [`Instances`] step runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstanceCount {
    /// A number.
    Fixed(u32),
    /// The case variable holding the number when the step opens.
    Variable(String),
}

impl CompletionPolicy {
    /// How many of `count` completions (or approvals) satisfy the policy.
    pub fn needed(self, count: u32) -> u32 {
        match self {
            CompletionPolicy::All | CompletionPolicy::Veto => count,
            CompletionPolicy::Any => count.min(1),
            CompletionPolicy::Majority => count / 2 + 1,
            CompletionPolicy::Ratio(ratio) => ((ratio * f64::from(count)).ceil() as u32).clamp(1, count.max(1)),
        }
    }
}

/// 自动环节: a step the host system performs, not an official (BPMN service, script, send,
/// business-rule and receive tasks). It opens like any task, and the host completes it with
/// `Command::Complete`, acting for the task's department, once the work is done or the message
/// has come, passing the results as data (the external-task pattern: an embedded engine calls no
/// code of its own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Automatic {
    /// What kind of work.
    pub kind: AutomaticKind,
    /// What the modeler named to run it, as `(attribute, value)` pairs in the order written
    /// (`class`, `delegateExpression`, `expression`, `topic`, `type`, `scriptFormat`, `script`):
    /// for the host to dispatch on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub implementation: Vec<(String, String)>,
    /// The case variable the result goes into (`resultVariable`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_variable: Option<String>,
}

/// The kinds of [`Automatic`] steps, after the BPMN task types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AutomaticKind {
    /// `serviceTask`: a call to another system.
    Service,
    /// `scriptTask`: a script (zhengwu runs none; the host does, or completes it).
    Script,
    /// `sendTask`: a message sent.
    Send,
    /// `businessRuleTask`: a decision table evaluated.
    BusinessRule,
    /// `receiveTask`: waiting for a message, which the host correlates.
    Receive,
}

impl AutomaticKind {
    /// The BPMN element name.
    pub fn element(self) -> &'static str {
        match self {
            AutomaticKind::Service => "serviceTask",
            AutomaticKind::Script => "scriptTask",
            AutomaticKind::Send => "sendTask",
            AutomaticKind::BusinessRule => "businessRuleTask",
            AutomaticKind::Receive => "receiveTask",
        }
    }
}

/// What a node is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum NodeKind {
    /// 开始.
    Start,
    /// 办理环节: a task (or a countersign).
    Task {
        /// Who does it.
        assignee: Assignee,
        /// The department whose task it is (in 并联审批, each branch's department).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        department: Option<DepartmentId>,
        /// 环节时限.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<TimeLimit>,
        /// 会签, when several sign.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        countersign: Option<Countersign>,
        /// 自动环节: a step the host system performs rather than an official.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        automatic: Option<Automatic>,
        /// 多实例: the step is done a number of times over.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        instances: Option<Instances>,
    },
    /// 并联分支: every outgoing branch runs at once; each branch has its own sub-deadline. An
    /// inclusive fork (BPMN's inclusive gateway) runs only the branches whose conditions hold (a
    /// flow without a condition always runs; the default when none holds), and its join waits
    /// for those alone.
    Fork {
        /// Each branch's limit (default 7 working days, 国发〔1999〕9号).
        #[serde(default = "default_branch_limit")]
        branch_limit: TimeLimit,
        /// Branches are chosen by their conditions.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        inclusive: bool,
        /// For an inclusive fork, the flow taken when no condition holds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        default: Option<String>,
    },
    /// 并联汇聚: waits for every branch of its fork.
    Join,
    /// 条件分支: the first flow whose condition holds, else the default flow.
    Exclusive {
        /// The flow taken when no condition holds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        default: Option<String>,
    },
    /// Where exclusive paths meet again.
    Merge,
    /// 结束, with the outcome it records.
    End {
        /// 准予 / 不予许可 / 转报 / 终止.
        outcome: Decision,
    },
    /// 定时: a timer that fires on the host's tick ([`crate::Command::Tick`]). Attached to a task
    /// (a BPMN boundary timer, 环节时限), it counts from the task's opening and, when it fires,
    /// opens its own path; an interrupting one cancels the task, a non-interrupting one leaves it
    /// open, and its path must end on its own (its ends close the path, not the case). Not attached
    /// (an intermediate timer), the case waits at it until it fires.
    Timer {
        /// The task it watches, for a boundary timer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        attached_to: Option<String>,
        /// How long after the task opens (or the case arrives) it fires.
        after: TimerDuration,
        /// Whether firing cancels the task it watches.
        #[serde(default = "interrupting_by_default")]
        interrupting: bool,
    },
    /// 边界事件: an event on a task's boundary that the host reports ([`crate::Command::Catch`]):
    /// a message, a signal, an error (the external-task pattern's failure, always interrupting)
    /// or an escalation. When it is caught, its own path opens; an interrupting one cancels the
    /// task, a non-interrupting one leaves it open, and its path must end on its own.
    Boundary {
        /// The task it watches.
        attached_to: String,
        /// What it waits for.
        trigger: Trigger,
        /// Whether catching it cancels the task it watches.
        #[serde(default = "interrupting_by_default")]
        interrupting: bool,
    },
    /// 事件子流程: the start of a path the whole case waits for while it runs (BPMN's event
    /// subprocess at process level): the host reports it with [`crate::Command::Catch`], like a
    /// boundary event. An interrupting one cancels every open step and its path concludes the
    /// case; a non-interrupting one runs beside them, and its path must end on its own.
    EventStart {
        /// What it waits for.
        trigger: Trigger,
        /// Whether catching it cancels the open steps.
        #[serde(default = "interrupting_by_default")]
        interrupting: bool,
    },
}

/// What a [`NodeKind::Boundary`] or [`NodeKind::EventStart`] event waits for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    /// Which kind of event.
    pub kind: TriggerKind,
    /// Its name: the message's or signal's name, the error's or escalation's code; none for an
    /// event that catches every error (or escalation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The kinds of [`Trigger`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TriggerKind {
    /// A message, correlated by the host.
    Message,
    /// A signal.
    Signal,
    /// An error the step's work ended in (an automatic step's failure).
    Error,
    /// An escalation.
    Escalation,
}

impl TriggerKind {
    /// The BPMN event definition's name, without `EventDefinition`.
    pub fn element(self) -> &'static str {
        match self {
            TriggerKind::Message => "message",
            TriggerKind::Signal => "signal",
            TriggerKind::Error => "error",
            TriggerKind::Escalation => "escalation",
        }
    }
}

fn interrupting_by_default() -> bool {
    true
}

/// How long a [`NodeKind::Timer`] waits, or until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TimerDuration {
    /// Elapsed time (an ISO 8601 duration such as `PT4H`, `P3D`).
    Seconds(u64),
    /// Working days on the statutory calendar: the timer fires on the first day after the last
    /// of them (the step's due date passed); the case needs a calendar ([`crate::Case::with_calendar`]).
    WorkingDays(u32),
    /// Until a time (BPMN `timeDate`); a time already past fires at the next tick.
    At(chrono::DateTime<chrono::FixedOffset>),
    /// Until the time a case variable holds (RFC 3339, or a day: its start, China time), as the
    /// case's data has it at each tick; a case whose variable holds none when the timer is armed
    /// cannot reach it.
    AtVariable(String),
}

fn default_branch_limit() -> TimeLimit {
    TimeLimit::working_days(7)
}

/// A node of the process graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Unique id (`accept`, `review`, ...).
    pub id: String,
    /// Display name (`受理`, `审核`, ...).
    #[serde(default)]
    pub name: String,
    /// What it is.
    #[serde(flatten)]
    pub kind: NodeKind,
}

/// A sequence flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flow {
    /// Unique id.
    pub id: String,
    /// Source node.
    pub from: String,
    /// Target node.
    pub to: String,
    /// For flows out of an exclusive branch: a CEL condition over case data (`amount > 1000`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

/// 流程定义 as written: nodes and flows. [`crate::Process::new`] validates it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessDefinition {
    /// Process id (`establish-enterprise`).
    pub id: String,
    /// Name (`企业开办并联审批`).
    #[serde(default)]
    pub name: String,
    /// The nodes (start, tasks, gateways, ends), in the order written.
    #[serde(rename = "node", alias = "nodes")]
    pub nodes: Vec<Node>,
    /// The sequence flows between nodes, with their conditions.
    #[serde(default, rename = "flow", alias = "flows")]
    pub flows: Vec<Flow>,
}

/// Builds a definition in code: nodes in order, flows by `then` / `flow`.
///
/// ```
/// use zhengwu_core::{Decision, Role};
/// use zhengwu_workflow::{Assignee, Process, ProcessBuilder};
///
/// let definition = ProcessBuilder::new("simple", "简易程序")
///     .start("start")
///     .task("accept", "受理", Assignee::Role(Role::WindowClerk))
///     .task("decide", "审批", Assignee::Role(Role::Approver))
///     .end("granted", "准予", Decision::Granted)
///     .chain(&["start", "accept", "decide", "granted"])
///     .build();
/// let process = Process::new(definition)?;
/// assert_eq!(process.tasks().count(), 2);
/// # Ok::<(), zhengwu_workflow::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ProcessBuilder {
    definition: ProcessDefinition,
}

impl ProcessBuilder {
    /// A new, empty process.
    pub fn new(id: &str, name: &str) -> Self {
        Self {
            definition: ProcessDefinition { id: id.into(), name: name.into(), nodes: Vec::new(), flows: Vec::new() },
        }
    }

    fn node(mut self, id: &str, name: &str, kind: NodeKind) -> Self {
        self.definition.nodes.push(Node { id: id.into(), name: name.into(), kind });
        self
    }

    /// The start event.
    pub fn start(self, id: &str) -> Self {
        self.node(id, "开始", NodeKind::Start)
    }

    /// A task.
    pub fn task(self, id: &str, name: &str, assignee: Assignee) -> Self {
        self.node(
            id,
            name,
            NodeKind::Task {
                assignee,
                department: None,
                limit: None,
                countersign: None,
                automatic: None,
                instances: None,
            },
        )
    }

    /// A department's task with its own step limit (a 并联 branch, typically).
    pub fn department_task(self, id: &str, name: &str, department: &str, limit: TimeLimit) -> Self {
        let department = DepartmentId::new(department);
        self.node(
            id,
            name,
            NodeKind::Task {
                assignee: Assignee::Department(department.clone()),
                department: Some(department),
                limit: Some(limit),
                countersign: None,
                automatic: None,
                instances: None,
            },
        )
    }

    /// A countersign task.
    pub fn countersign(
        self,
        id: &str,
        name: &str,
        signers: &[&str],
        policy: CompletionPolicy,
        order: SigningOrder,
    ) -> Self {
        let signers = signers.iter().map(OfficialId::new).collect();
        self.node(
            id,
            name,
            NodeKind::Task {
                assignee: Assignee::Officials(signers),
                department: None,
                limit: None,
                countersign: Some(Countersign { policy, order }),
                automatic: None,
                instances: None,
            },
        )
    }

    /// A parallel fork with the branches' limit.
    pub fn fork(self, id: &str, branch_limit: TimeLimit) -> Self {
        self.node(id, "并联", NodeKind::Fork { branch_limit, inclusive: false, default: None })
    }

    /// A parallel join.
    pub fn join(self, id: &str) -> Self {
        self.node(id, "汇聚", NodeKind::Join)
    }

    /// An exclusive branch with its default flow.
    pub fn exclusive(self, id: &str, default: Option<&str>) -> Self {
        self.node(id, "条件", NodeKind::Exclusive { default: default.map(str::to_owned) })
    }

    /// Where exclusive paths (or a rework loop) meet again.
    pub fn merge(self, id: &str) -> Self {
        self.node(id, "汇合", NodeKind::Merge)
    }

    /// An end with its outcome.
    pub fn end(self, id: &str, name: &str, outcome: Decision) -> Self {
        self.node(id, name, NodeKind::End { outcome })
    }

    /// A flow with an id.
    pub fn flow(mut self, id: &str, from: &str, to: &str, condition: Option<&str>) -> Self {
        self.definition.flows.push(Flow {
            id: id.into(),
            from: from.into(),
            to: to.into(),
            condition: condition.map(str::to_owned),
        });
        self
    }

    /// Flows along a chain of nodes, ids `from->to`.
    pub fn chain(mut self, nodes: &[&str]) -> Self {
        for pair in nodes.windows(2) {
            let id = format!("{}->{}", pair[0], pair[1]);
            self = self.flow(&id, pair[0], pair[1], None);
        }
        self
    }

    /// The definition (not yet validated: see [`crate::Process::new`]).
    pub fn build(self) -> ProcessDefinition {
        self.definition
    }
}
