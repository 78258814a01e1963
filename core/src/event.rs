//! 电子监察数据接口: the versioned case-event vocabulary that the workflow engine emits and that any
//! vendor system can emit without it. One JSON object per event, one event per line in logs; the
//! JSON Schema is `core/schema/case-event.v1.schema.json`.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::clock::{Authority, SpecialProcedureKind};
use crate::error::{Error, Result};
use crate::id::{CaseId, DepartmentId, ItemCode, OfficialId};
use crate::region::{RegionCode, Role};

/// The version of the event vocabulary this crate reads and writes (`"schema": 1`).
pub const SCHEMA_VERSION: u32 = 1;

/// 收件渠道: where an application came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 窗口: at a service-centre window.
    Window,
    /// 网上: online.
    Online,
}

/// 办结结果: the decision that concludes a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// 准予 (批准).
    Granted,
    /// 不予许可 (不予批准).
    Refused,
    /// 转报: forwarded to a higher authority.
    Forwarded,
    /// 终止.
    Terminated,
}

impl Decision {
    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            Decision::Granted => "准予",
            Decision::Refused => "不予许可",
            Decision::Forwarded => "转报",
            Decision::Terminated => "终止",
        }
    }
}

/// 联合奖惩措施: what an applicant's credit standing changes at acceptance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CreditMeasure {
    /// 绿色通道: priority handling (red list).
    GreenChannel,
    /// 容缺受理: acceptance with non-essential materials to follow (red list).
    AcceptWithGaps,
    /// 从严审批: strict review (black list, abnormal operation).
    StrictReview,
    /// 增加审查环节: an extra review step (black list).
    ExtraReview,
    /// 限制准入: refusal where the item's rules bar the applicant (black list).
    Refuse,
}

impl CreditMeasure {
    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            CreditMeasure::GreenChannel => "绿色通道",
            CreditMeasure::AcceptWithGaps => "容缺受理",
            CreditMeasure::StrictReview => "从严审批",
            CreditMeasure::ExtraReview => "增加审查环节",
            CreditMeasure::Refuse => "限制准入",
        }
    }

    /// The case-data flag a process condition can read (`green_channel == true`), if any.
    pub fn flag(self) -> Option<&'static str> {
        match self {
            CreditMeasure::GreenChannel => Some("green_channel"),
            CreditMeasure::StrictReview => Some("strict_review"),
            CreditMeasure::ExtraReview => Some("extra_review"),
            CreditMeasure::AcceptWithGaps | CreditMeasure::Refuse => None,
        }
    }
}

/// Where an added signer (加签) goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignerPosition {
    /// 前加签: before the signer whose turn it is.
    Before,
    /// 后加签: right after the signer whose turn it is.
    After,
    /// 并加签: alongside (at the end of the list).
    Parallel,
}

/// Who did it: an official, or a system account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Actor {
    /// Account id.
    pub id: OfficialId,
    /// Name, for reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The role acted in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
}

/// What happened. In JSON the variant is the `type` field and its fields sit beside the common
/// ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventKind {
    /// 收件: the application arrived.
    Received {
        /// Window or online.
        channel: Channel,
        /// Codes of the materials handed in.
        #[serde(default)]
        materials: Vec<String>,
    },
    /// 受理.
    Accepted,
    /// 不予受理, with the reason the law requires.
    RefusedAtIntake {
        /// Why; absent or empty is what the REFUSE_ILLEGAL rule looks for.
        #[serde(default)]
        reason: Option<String>,
    },
    /// 补正告知: the applicant must supplement the listed materials.
    SupplementRequested {
        /// Codes of the materials to supplement.
        #[serde(default)]
        items: Vec<String>,
        /// The notice's text.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// 补正材料收到.
    SupplementReceived {
        /// Codes of the materials received.
        #[serde(default)]
        items: Vec<String>,
    },
    /// 环节开始.
    StepStarted {
        /// Step code.
        step: String,
    },
    /// 环节完成, with the official's opinion.
    StepCompleted {
        /// Step code.
        step: String,
        /// 办理意见.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        opinion: Option<String>,
    },
    /// 特殊环节开始 (Art. 45).
    SpecialProcedureStarted {
        /// Which procedure.
        procedure: SpecialProcedureKind,
        /// 所需时限 told to the applicant, in days.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expected_days: Option<u32>,
    },
    /// 特殊环节结束.
    SpecialProcedureEnded {
        /// Which procedure.
        procedure: SpecialProcedureKind,
    },
    /// 延期批准.
    ExtensionApproved {
        /// Days added.
        days: u32,
        /// Who approved.
        authority: Authority,
        /// 延期理由.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// 收费.
    FeeCharged {
        /// Fee code from the catalogue.
        fee_code: String,
        /// Amount charged, in 分.
        amount_fen: i64,
    },
    /// 办结.
    Concluded {
        /// The decision.
        decision: Decision,
        /// Reasons (required in practice for 不予许可).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// 决定书文号.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        document_number: Option<String>,
    },
    /// 撤回: the applicant withdrew.
    Withdrawn {
        /// The applicant's reason, if given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// 送达: the result reached the applicant.
    ResultDelivered {
        /// How (窗口领取, 邮寄, 电子证照, ...).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        method: Option<String>,
    },
    /// 案件数据: form data recorded on the case (what process conditions read).
    DataRecorded {
        /// Field values.
        data: serde_json::Map<String, serde_json::Value>,
    },
    /// 会签表决: one signer's vote on a countersign step.
    VoteCast {
        /// Step code.
        step: String,
        /// Approve (同意) or not.
        approve: bool,
        /// 意见.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        opinion: Option<String>,
    },
    /// 退回: a step sent back to an earlier step.
    TaskReturned {
        /// The step returned from.
        step: String,
        /// The step returned to.
        to: String,
        /// What must be redone.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// 撤销环节: a step closed without being completed, because the case was returned (退回) or
    /// recalled (撤回) past it.
    StepCancelled {
        /// Step code.
        step: String,
    },
    /// 撤回: the sender took back the steps its completion opened, before anyone acted on them.
    TaskRecalled {
        /// The step whose completion is taken back.
        step: String,
    },
    /// 转办 (or 委派 when `delegated`): a step handed to another official.
    TaskReassigned {
        /// Step code.
        step: String,
        /// The new holder.
        to: OfficialId,
        /// 委派: the step comes back to its owner once the delegate completes it.
        #[serde(default)]
        delegated: bool,
    },
    /// 加签: a signer added to a running countersign.
    SignerAdded {
        /// The countersign step.
        step: String,
        /// The new signer.
        signer: OfficialId,
        /// Where: `before` or `after` the signer whose turn it is (sequential signing), or
        /// `parallel`.
        position: SignerPosition,
    },
    /// 减签: a signer who has not voted removed from a running countersign.
    SignerRemoved {
        /// The countersign step.
        step: String,
        /// The signer removed.
        signer: OfficialId,
    },
    /// 信用核查: the applicant's credit standing at acceptance and the measures it brings.
    CreditChecked {
        /// The applicant's 统一社会信用代码.
        applicant: String,
        /// The credit grade.
        grade: String,
        /// The measures applied.
        #[serde(default)]
        measures: Vec<CreditMeasure>,
    },
    /// 时限到期: a timer of the process fired at the host's tick: a boundary timer on an open
    /// step (环节时限: the step is cancelled when the timer interrupts it, and the timer's path
    /// opens), or an intermediate timer the case was waiting at (`timer` = `step`).
    TimerFired {
        /// The timer event's id.
        timer: String,
        /// The step it is attached to, or the timer itself.
        step: String,
    },
    /// 边界事件: something the host reported (a message, a signal, an error or an escalation)
    /// reached a boundary event of an open step — the step is cancelled when the event interrupts
    /// it — or the start of an event subprocess (`step` = `event`), which cancels every open step
    /// when it interrupts; the event's path opens.
    EventCaught {
        /// The boundary event's (or event start's) id.
        event: String,
        /// The step it is attached to, or the event itself.
        step: String,
    },
    /// 多实例: one instance of a step done several times over was completed; the step stays open
    /// until enough are (the last completion is the step's `step_completed`).
    InstanceCompleted {
        /// Step code.
        step: String,
        /// Which instance (1, 2, …): how many are now completed.
        instance: u32,
        /// 办理意见.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        opinion: Option<String>,
    },
    /// 催办: an urge on a step, recorded with its time.
    TaskUrged {
        /// Step code.
        step: String,
        /// The message.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// 抄送: read-only followers added.
    CopySent {
        /// Who receives copies.
        to: Vec<OfficialId>,
    },
    /// 挂起: the case is suspended; its statutory clock stops.
    Suspended {
        /// Why the case waits.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// 恢复: the suspended case resumes.
    Resumed,
    /// 听证通知 (行政许可法 Art. 48(1)): the applicant and interested parties are told when and
    /// where the hearing is held, at least 7 (working) days before it. The hearing itself is the
    /// `hearing` special procedure: it starts on the request (Art. 47: held within 20 working days
    /// of it) and ends the day it is held.
    HearingNoticed {
        /// The day of the hearing.
        #[serde(with = "crate::serde_date")]
        hearing_on: NaiveDate,
        /// Where the hearing is held.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        place: Option<String>,
    },
    /// 延续申请 (行政许可法 Art. 50): the application asks to renew a licence valid until
    /// `expires_on`; it is due 30 (working) days before, and a renewal not decided by that day is
    /// deemed granted (视为准予延续).
    RenewalApplied {
        /// The licence's number.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        licence: Option<String>,
        /// The last day of the licence's validity.
        #[serde(with = "crate::serde_date")]
        expires_on: NaiveDate,
    },
    /// 交办异议 (信访工作条例 2022): the authority a 信访 matter was assigned to says it is not its
    /// own and hands it back to the 信访部门, with its reasons, within 5 working days of receipt.
    /// It ends the case at this authority.
    AssignmentObjected {
        /// Why the matter is not this authority's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// 评价: the applicant's 好差评 of the service (five grades, with the second-level indicators
    /// graded where the channel asks for them: 线上 整体满意度, 办事效率, 办事指南精确度, 办事便捷度,
    /// 平台操作性; 线下 整体满意度, 服务效率, 服务水平, 服务态度), or for a 建议 or 提案 the 代表's
    /// or 委员's view of the answer (满意, 基本满意, 不满意). It may follow the conclusion.
    Rated {
        /// The overall grade.
        grade: crate::rating::Grade,
        /// Where it was given: online (线上) or at the window (线下).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        channel: Option<Channel>,
        /// The indicators graded, by name.
        #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        indicators: std::collections::BTreeMap<String, crate::rating::Grade>,
    },
    /// 办复: the answer to a 人大代表建议 or 政协提案 sent to the 代表 or 委员, with its class; a
    /// later one, after a 不满意 view, is the answer of the re-handling. It may follow the
    /// conclusion (the first answer's `concluded` stops the clock).
    ReplySent {
        /// A, B or C.
        class: crate::rating::AnswerClass,
        /// The answer's document number.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        document_number: Option<String>,
    },
    /// A step of a 差评's follow-up (回访核实 → 整改 → 反馈, within 15 working days).
    RatingFollowedUp {
        /// Which step.
        stage: crate::rating::FollowUpStage,
        /// What was found or done.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
}

/// Every member of every kind is hashed (the destructuring names each field, so a new one cannot
/// be forgotten): equal kinds hash equally, and a retried delivery can be told from a different
/// event that reuses its idempotency key.
impl std::hash::Hash for EventKind {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.type_name().hash(state);
        match self {
            EventKind::Received { channel, materials } => (channel, materials).hash(state),
            EventKind::Accepted | EventKind::Resumed => {}
            EventKind::RefusedAtIntake { reason }
            | EventKind::Withdrawn { reason }
            | EventKind::Suspended { reason }
            | EventKind::AssignmentObjected { reason } => reason.hash(state),
            EventKind::SupplementRequested { items, note } => (items, note).hash(state),
            EventKind::SupplementReceived { items } => items.hash(state),
            EventKind::StepStarted { step } | EventKind::StepCancelled { step } | EventKind::TaskRecalled { step } => {
                step.hash(state)
            }
            EventKind::StepCompleted { step, opinion } => (step, opinion).hash(state),
            EventKind::SpecialProcedureStarted { procedure, expected_days } => (procedure, expected_days).hash(state),
            EventKind::SpecialProcedureEnded { procedure } => procedure.hash(state),
            EventKind::ExtensionApproved { days, authority, reason } => (days, authority, reason).hash(state),
            EventKind::FeeCharged { fee_code, amount_fen } => (fee_code, amount_fen).hash(state),
            EventKind::Concluded { decision, reason, document_number } => {
                (decision, reason, document_number).hash(state)
            }
            EventKind::ResultDelivered { method } => method.hash(state),
            EventKind::DataRecorded { data } => {
                // Members in key order, values as JSON text: equal maps hash equally whatever
                // order they were written in.
                let mut members: Vec<(&String, String)> = data.iter().map(|(k, v)| (k, v.to_string())).collect();
                members.sort();
                members.hash(state);
            }
            EventKind::VoteCast { step, approve, opinion } => (step, approve, opinion).hash(state),
            EventKind::TaskReturned { step, to, reason } => (step, to, reason).hash(state),
            EventKind::TaskReassigned { step, to, delegated } => (step, to, delegated).hash(state),
            EventKind::SignerAdded { step, signer, position } => (step, signer, position).hash(state),
            EventKind::SignerRemoved { step, signer } => (step, signer).hash(state),
            EventKind::CreditChecked { applicant, grade, measures } => (applicant, grade, measures).hash(state),
            EventKind::TaskUrged { step, note } => (step, note).hash(state),
            EventKind::TimerFired { timer, step } => (timer, step).hash(state),
            EventKind::EventCaught { event, step } => (event, step).hash(state),
            EventKind::InstanceCompleted { step, instance, opinion } => (step, instance, opinion).hash(state),
            EventKind::CopySent { to } => to.hash(state),
            EventKind::HearingNoticed { hearing_on, place } => (hearing_on, place).hash(state),
            EventKind::RenewalApplied { licence, expires_on } => (licence, expires_on).hash(state),
            EventKind::Rated { grade, channel, indicators } => (grade, channel, indicators).hash(state),
            EventKind::ReplySent { class, document_number } => (class, document_number).hash(state),
            EventKind::RatingFollowedUp { stage, note } => (stage, note).hash(state),
        }
    }
}

impl EventKind {
    /// The `type` string of the variant.
    pub fn type_name(&self) -> &'static str {
        match self {
            EventKind::Received { .. } => "received",
            EventKind::Accepted => "accepted",
            EventKind::RefusedAtIntake { .. } => "refused_at_intake",
            EventKind::SupplementRequested { .. } => "supplement_requested",
            EventKind::SupplementReceived { .. } => "supplement_received",
            EventKind::StepStarted { .. } => "step_started",
            EventKind::StepCompleted { .. } => "step_completed",
            EventKind::SpecialProcedureStarted { .. } => "special_procedure_started",
            EventKind::SpecialProcedureEnded { .. } => "special_procedure_ended",
            EventKind::ExtensionApproved { .. } => "extension_approved",
            EventKind::FeeCharged { .. } => "fee_charged",
            EventKind::Concluded { .. } => "concluded",
            EventKind::Withdrawn { .. } => "withdrawn",
            EventKind::ResultDelivered { .. } => "result_delivered",
            EventKind::DataRecorded { .. } => "data_recorded",
            EventKind::VoteCast { .. } => "vote_cast",
            EventKind::TaskReturned { .. } => "task_returned",
            EventKind::TaskRecalled { .. } => "task_recalled",
            EventKind::StepCancelled { .. } => "step_cancelled",
            EventKind::TaskReassigned { .. } => "task_reassigned",
            EventKind::TaskUrged { .. } => "task_urged",
            EventKind::TimerFired { .. } => "timer_fired",
            EventKind::EventCaught { .. } => "event_caught",
            EventKind::InstanceCompleted { .. } => "instance_completed",
            EventKind::CreditChecked { .. } => "credit_checked",
            EventKind::SignerAdded { .. } => "signer_added",
            EventKind::SignerRemoved { .. } => "signer_removed",
            EventKind::CopySent { .. } => "copy_sent",
            EventKind::Suspended { .. } => "suspended",
            EventKind::Resumed => "resumed",
            EventKind::HearingNoticed { .. } => "hearing_noticed",
            EventKind::RenewalApplied { .. } => "renewal_applied",
            EventKind::AssignmentObjected { .. } => "assignment_objected",
            EventKind::Rated { .. } => "rated",
            EventKind::ReplySent { .. } => "reply_sent",
            EventKind::RatingFollowedUp { .. } => "rating_followed_up",
        }
    }
}

/// 办件事件: one thing that happened to one case, as a platform reports it to supervision.
///
/// `occurred_at` is the business time the system claims; `recorded_at` is when the record
/// entered the system. The gap is how backdating (先批后录) is seen.
///
/// ```
/// use zhengwu_core::{CaseEvent, EventKind};
/// let event = CaseEvent::from_json(r#"{"schema":1,"idempotency_key":"C1#1","case_id":"C1",
///     "sequence":1,"item_code":"SCJG-001","department":"scjg","region":"530102",
///     "occurred_at":"2025-03-03T09:12:00+08:00","recorded_at":"2025-03-03T09:12:04+08:00",
///     "actor":{"id":"w01","role":"window_clerk"},"type":"received","channel":"window"}"#)?;
/// assert!(matches!(event.kind, EventKind::Received { .. }));
/// assert!(CaseEvent::from_json(r#"{"schema":1}"#).is_err());
/// # Ok::<(), zhengwu_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CaseEvent {
    /// Vocabulary version; [`SCHEMA_VERSION`].
    pub schema: u32,
    /// Unique per event: a retried delivery carries the same key (for the same case) and is
    /// ignored.
    pub idempotency_key: compact_str::CompactString,
    /// 办件编号.
    pub case_id: CaseId,
    /// Position in the case's history, from 1, without gaps.
    pub sequence: u64,
    /// 事项编码.
    pub item_code: ItemCode,
    /// The department acting (in 并联审批, each co-department reports its own steps).
    pub department: DepartmentId,
    /// The region of the case (行政区划代码), for roll-ups.
    pub region: RegionCode,
    /// Business time (业务发生时间), with offset.
    pub occurred_at: DateTime<FixedOffset>,
    /// Entry time (系统录入时间), with offset.
    pub recorded_at: DateTime<FixedOffset>,
    /// Who did it: the official (or system) and the role they acted in.
    pub actor: Actor,
    /// What happened: the kind, with its own members.
    #[serde(flatten)]
    pub kind: EventKind,
    /// 电子签名: the actor's signature over [`CaseEvent::canonical_bytes`], where the platform has
    /// officials sign what they do (verified by `zhengwu-identity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Box<DetachedSignature>>,
}

/// 电子签名: a detached signature over an event's or a document's canonical bytes, with the
/// signer's certificate. Opaque here; `zhengwu-identity` makes and checks it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DetachedSignature {
    /// The signature algorithm: its name (`SM2-with-SM3`, `ecdsa-with-SHA256`,
    /// `sha256WithRSAEncryption`) or dotted OID.
    pub algorithm: String,
    /// The signer's certificate, DER in standard base64.
    pub certificate: String,
    /// The signature value (DER for SM2 and ECDSA, PKCS#1 v1.5 for RSA), standard base64.
    pub value: String,
}

impl CaseEvent {
    /// The idempotency key of a case's `sequence`-th event, `{case}#{sequence}`: the one way
    /// every producer (the workflow engine, 公文 exchange, the credit records, tools) writes it.
    ///
    /// ```
    /// assert_eq!(zhengwu_core::CaseEvent::key("KB-2025-0101", 3), "KB-2025-0101#3");
    /// ```
    pub fn key(case: &str, sequence: u64) -> compact_str::CompactString {
        compact_str::format_compact!("{case}#{sequence}")
    }

    /// The bytes a signature covers: the event's JSON without its `signature` member, with object
    /// members sorted and no white space (RFC 8785 JSON canonicalization for the strings and
    /// integers events carry). Any system that writes the same event gets the same bytes.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut value = serde_json::to_value(self).expect("a case event always serialises to JSON");
        if let serde_json::Value::Object(members) = &mut value {
            members.remove("signature");
        }
        canonical_json(&value)
    }

    /// Parses one JSON object and checks it.
    pub fn from_json(text: &str) -> Result<Self> {
        Self::parse(text, None)
    }

    /// Parses one JSON object that stood on `line` (1-based) of a JSON-lines text; errors name
    /// the line.
    pub fn from_json_line(text: &str, line: usize) -> Result<Self> {
        Self::parse(text, Some(line))
    }

    fn parse(text: &str, line: Option<usize>) -> Result<Self> {
        if text.len() > crate::limits::MAX_EVENT_BYTES {
            return Err(Error::InvalidEvent {
                line,
                reason: format!(
                    "the event is {} bytes long; at most {} are accepted",
                    text.len(),
                    crate::limits::MAX_EVENT_BYTES
                ),
            });
        }
        let event: CaseEvent = crate::json::from_json(text)
            .map_err(|reason| Error::InvalidEvent { line, reason: kind_member(text, reason) })?;
        event.check().map_err(|reason| Error::InvalidEvent { line, reason })?;
        Ok(event)
    }

    /// Writes the event as one line of JSON.
    pub fn to_json(&self) -> String {
        // Every field is a string, number or date: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Checks what the types cannot: the version, non-empty keys, positive sequence and amounts.
    pub fn validate(&self) -> Result<()> {
        self.check().map_err(|reason| Error::InvalidEvent { line: None, reason })
    }

    fn check(&self) -> std::result::Result<(), String> {
        if self.schema != SCHEMA_VERSION {
            return Err(format!("schema version `{}` is not supported (expected {SCHEMA_VERSION})", self.schema));
        }
        let empty = |field: &str| format!("`{field}` is empty");
        if self.idempotency_key.trim().is_empty() {
            return Err(empty("idempotency_key"));
        }
        if self.case_id.as_str().trim().is_empty() {
            return Err(empty("case_id"));
        }
        if self.item_code.as_str().trim().is_empty() {
            return Err(empty("item_code"));
        }
        if self.department.as_str().trim().is_empty() {
            return Err(empty("department"));
        }
        if self.actor.id.as_str().trim().is_empty() {
            return Err(empty("actor.id"));
        }
        if self.sequence == 0 {
            return Err("`sequence` is 0; sequences start at 1".to_owned());
        }
        match &self.kind {
            EventKind::StepStarted { step }
            | EventKind::StepCompleted { step, .. }
            | EventKind::VoteCast { step, .. }
            | EventKind::TaskReturned { step, .. }
            | EventKind::TaskRecalled { step }
            | EventKind::StepCancelled { step }
            | EventKind::TaskReassigned { step, .. }
            | EventKind::TaskUrged { step, .. }
            | EventKind::SignerAdded { step, .. }
            | EventKind::SignerRemoved { step, .. }
                if step.trim().is_empty() =>
            {
                Err(empty("step"))
            }
            EventKind::TaskReturned { to, .. } if to.trim().is_empty() => Err(empty("to")),
            EventKind::TimerFired { timer, step } if timer.trim().is_empty() || step.trim().is_empty() => {
                Err(empty(if timer.trim().is_empty() { "timer" } else { "step" }))
            }
            EventKind::EventCaught { event, step } if event.trim().is_empty() || step.trim().is_empty() => {
                Err(empty(if event.trim().is_empty() { "event" } else { "step" }))
            }
            EventKind::InstanceCompleted { step, .. } if step.trim().is_empty() => Err(empty("step")),
            EventKind::InstanceCompleted { instance: 0, .. } => {
                Err("`instance` is 0; instances count from 1".to_owned())
            }
            EventKind::CopySent { to } if to.is_empty() => Err("`to` of a copy is empty".to_owned()),
            EventKind::FeeCharged { amount_fen, fee_code } if *amount_fen < 0 => {
                Err(format!("fee `{fee_code}` has a negative amount `{amount_fen}`"))
            }
            EventKind::ExtensionApproved { days: 0, .. } => Err("`days` of an extension is 0".to_owned()),
            _ => Ok(()),
        }
    }
}

/// Parses JSON lines (one event per line; blank lines skipped). The first malformed line is an
/// error naming its line number.
pub fn parse_json_lines(text: &str) -> Result<Vec<CaseEvent>> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| CaseEvent::parse(line, Some(index + 1)))
        .collect()
}

/// `value` as RFC 8785 canonical JSON.
pub(crate) fn canonical_json(value: &serde_json::Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    write_canonical(value, &mut out);
    out
}

/// Writes `value` as RFC 8785 canonical JSON: members sorted by their UTF-16 code units, no white
/// space, strings escaped as JSON requires (serde_json's escaping is the RFC's for all but a few
/// control characters, which events do not carry).
fn write_canonical(value: &serde_json::Value, out: &mut Vec<u8>) {
    use serde_json::Value;
    match value {
        Value::Array(items) => {
            out.push(b'[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        Value::Object(members) => {
            let mut keys: Vec<&String> = members.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push(b'{');
            for (index, key) in keys.into_iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                write_scalar(&Value::String(key.clone()), out);
                out.push(b':');
                write_canonical(&members[key], out);
            }
            out.push(b'}');
        }
        scalar => write_scalar(scalar, out),
    }
}

fn write_scalar(value: &serde_json::Value, out: &mut Vec<u8>) {
    // Writing a scalar into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, value);
}

/// `reason`, an event's parse error, with the kind's member it is about in front when it names
/// none (serde reads a kind's members through its flatten buffer, which loses their path;
/// `EventKind::member_at_fault` finds it from the vocabulary's member table).
fn kind_member(text: &str, reason: String) -> String {
    if reason.starts_with('`') {
        return reason;
    }
    let member = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(members)) => EventKind::member_at_fault(&members, &reason),
        _ => None,
    };
    match member {
        Some(member) => format!("`{member}`: {reason}"),
        None => reason,
    }
}
