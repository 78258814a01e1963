//! What someone asks of a case, and who asks it.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use zhengwu_core::{Actor, Channel, DepartmentId, OfficialId, SignerPosition, SpecialProcedureKind};

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
        /// What the holder is pressed about, shown to them.
        #[serde(default)]
        note: Option<String>,
    },
    /// 抄送.
    Copy {
        /// The officials who receive read-only copies.
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
        /// The Art. 45 procedure (听证, 检验, 专家评审 …).
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
        /// Where the hearing is held.
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
    /// 时间推进: the host's clock. Fires the timer due earliest by the command's time, if any (a
    /// boundary timer of an open step, or an intermediate timer the case waits at); call it again
    /// until it records nothing.
    Tick,
    /// 边界事件: the host reports what a boundary event of an open step waits for — a message
    /// correlated to the case, a signal, an error the step's work ended in (an automatic step
    /// that failed), an escalation. `event` is the boundary event's id, or the name it waits for
    /// (message or signal name, error or escalation code); the data is recorded first.
    Catch {
        /// The boundary event's id, or its message's, signal's, error's or escalation's name.
        event: String,
        /// Case data the event carries.
        #[serde(default)]
        data: serde_json::Map<String, serde_json::Value>,
    },
}
