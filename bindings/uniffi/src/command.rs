//! The commands of a case, one variant per `zhengwu_workflow::Command`.

use std::collections::HashMap;

use zhengwu_core::{Channel, SignerPosition};
use zhengwu_workflow::Command;

use crate::error::{ZhengwuError, invalid};
use crate::time::Day;
use crate::types::{CreditMeasure, SpecialProcedureKind};
use crate::value::{CaseValue, to_json_map};

/// What someone asks of a case (`zhengwu_workflow::Command`, typed for the host).
#[derive(Debug, Clone, uniffi::Enum)]
pub enum CaseCommand {
    /// 收件: the application arrives, with its materials and data.
    Receive { channel: Channel, materials: Vec<String>, data: HashMap<String, CaseValue> },
    /// 受理.
    Accept,
    /// 不予受理, with the reason.
    RefuseAtIntake { reason: String },
    /// 补正告知: the materials to supply (the clock stops).
    RequestSupplement { items: Vec<String> },
    /// 补正材料收到 (the clock starts again from zero).
    ReceiveSupplement { items: Vec<String> },
    /// 办理完成 of a step, with the official's opinion and data.
    Complete { step: String, opinion: Option<String>, data: HashMap<String, CaseValue> },
    /// 会签: a signer's vote.
    Vote { step: String, approve: bool, opinion: Option<String> },
    /// 退回 to an earlier step.
    Return { step: String, to: String, reason: Option<String> },
    /// 撤回 of a completion nobody acted on yet.
    Recall { step: String },
    /// 委派: the task goes to another official and comes back.
    Delegate { step: String, to: String },
    /// 加签.
    AddSigner { step: String, signer: String, position: SignerPosition },
    /// 减签.
    RemoveSigner { step: String, signer: String },
    /// 转办.
    Reassign { step: String, to: String },
    /// 收费, in fen.
    ChargeFee { fee_code: String, amount_fen: i64 },
    /// 催办.
    Urge { step: String, note: Option<String> },
    /// 抄送.
    Copy { to: Vec<String> },
    /// 挂起.
    Suspend { reason: Option<String> },
    /// 恢复.
    Resume,
    /// The applicant's credit grade and the measures it brings.
    ApplyCreditMeasures { applicant: String, grade: String, measures: Vec<CreditMeasure> },
    /// 特别程序开始 (the clock stops).
    StartSpecialProcedure { procedure: SpecialProcedureKind },
    /// 特别程序结束.
    EndSpecialProcedure,
    /// 延期, in working days.
    ApproveExtension { days: i32, reason: Option<String> },
    /// 终止.
    Terminate { reason: String },
    /// 撤回申请 by the applicant.
    Withdraw { reason: Option<String> },
    /// 送达.
    DeliverResult { method: Option<String> },
    /// 听证通知.
    NoticeHearing { hearing_on: Day, place: Option<String> },
    /// 延续申请.
    ApplyForRenewal { licence: Option<String>, expires_on: Day },
    /// 交办异议 (信访).
    ObjectToAssignment { reason: String },
    /// The host's clock: fires the timer due earliest, if any.
    Tick,
    /// A boundary event or event subprocess the host reports (a message, a signal, an error).
    Catch { event: String, data: HashMap<String, CaseValue> },
}

impl CaseCommand {
    pub(crate) fn into_command(self) -> Result<Command, ZhengwuError> {
        Ok(match self {
            CaseCommand::Receive { channel, materials, data } => {
                Command::Receive { channel, materials, data: to_json_map(data)? }
            }
            CaseCommand::Accept => Command::Accept,
            CaseCommand::RefuseAtIntake { reason } => Command::RefuseAtIntake { reason },
            CaseCommand::RequestSupplement { items } => Command::RequestSupplement { items },
            CaseCommand::ReceiveSupplement { items } => Command::ReceiveSupplement { items },
            CaseCommand::Complete { step, opinion, data } => {
                Command::Complete { step, opinion, data: to_json_map(data)? }
            }
            CaseCommand::Vote { step, approve, opinion } => Command::Vote { step, approve, opinion },
            CaseCommand::Return { step, to, reason } => Command::Return { step, to, reason },
            CaseCommand::Recall { step } => Command::Recall { step },
            CaseCommand::Delegate { step, to } => Command::Delegate { step, to: to.as_str().into() },
            CaseCommand::AddSigner { step, signer, position } => {
                Command::AddSigner { step, signer: signer.as_str().into(), position }
            }
            CaseCommand::RemoveSigner { step, signer } => {
                Command::RemoveSigner { step, signer: signer.as_str().into() }
            }
            CaseCommand::Reassign { step, to } => Command::Reassign { step, to: to.as_str().into() },
            CaseCommand::ChargeFee { fee_code, amount_fen } => Command::ChargeFee { fee_code, amount_fen },
            CaseCommand::Urge { step, note } => Command::Urge { step, note },
            CaseCommand::Copy { to } => Command::Copy { to: to.iter().map(|o| o.as_str().into()).collect() },
            CaseCommand::Suspend { reason } => Command::Suspend { reason },
            CaseCommand::Resume => Command::Resume,
            CaseCommand::ApplyCreditMeasures { applicant, grade, measures } => Command::ApplyCreditMeasures {
                applicant,
                grade,
                measures: measures.into_iter().map(Into::into).collect(),
            },
            CaseCommand::StartSpecialProcedure { procedure } => {
                Command::StartSpecialProcedure { procedure: procedure.into() }
            }
            CaseCommand::EndSpecialProcedure => Command::EndSpecialProcedure,
            CaseCommand::ApproveExtension { days, reason } => Command::ApproveExtension {
                days: u32::try_from(days).map_err(|_| invalid(format!("an extension of {days} days")))?,
                reason,
            },
            CaseCommand::Terminate { reason } => Command::Terminate { reason },
            CaseCommand::Withdraw { reason } => Command::Withdraw { reason },
            CaseCommand::DeliverResult { method } => Command::DeliverResult { method },
            CaseCommand::NoticeHearing { hearing_on, place } => Command::NoticeHearing { hearing_on, place },
            CaseCommand::ApplyForRenewal { licence, expires_on } => Command::ApplyForRenewal { licence, expires_on },
            CaseCommand::ObjectToAssignment { reason } => Command::ObjectToAssignment { reason },
            CaseCommand::Tick => Command::Tick,
            CaseCommand::Catch { event, data } => Command::Catch { event, data: to_json_map(data)? },
        })
    }
}
