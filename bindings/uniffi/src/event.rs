//! The events a case records, typed for the host (`zhengwu_core::CaseEvent`).

use std::collections::HashMap;

use zhengwu_core::{Authority, CaseEvent, Channel, Decision, EventKind, SignerPosition};

use crate::time::{Day, Instant};
use crate::types::{CreditMeasure, Role, SpecialProcedureKind};
use crate::value::{CaseValue, from_json_map};

/// 办件事件: one event of a case, with where and when it happened and who did it.
#[derive(Debug, Clone, uniffi::Record)]
pub struct CaseEventRecord {
    /// The event's idempotency key (`{case_id}#{sequence}`).
    pub key: String,
    pub case_id: String,
    /// The event's place in its case (from 1).
    pub sequence: i64,
    pub item_code: String,
    pub department: String,
    pub region: String,
    pub occurred_at: Instant,
    pub recorded_at: Instant,
    pub actor_id: String,
    pub actor_name: Option<String>,
    pub actor_role: Option<Role>,
    /// The event's type as the wire format names it (`step_completed`).
    pub type_name: String,
    pub kind: CaseEventKind,
    /// The event as the wire format writes it (JSON, for logs and the store).
    pub json: String,
}

/// What happened, one variant per `zhengwu_core::EventKind`.
#[derive(Debug, Clone, uniffi::Enum)]
pub enum CaseEventKind {
    Received {
        channel: Channel,
        materials: Vec<String>,
    },
    Accepted,
    RefusedAtIntake {
        reason: Option<String>,
    },
    SupplementRequested {
        items: Vec<String>,
        note: Option<String>,
    },
    SupplementReceived {
        items: Vec<String>,
    },
    StepStarted {
        step: String,
    },
    StepCompleted {
        step: String,
        opinion: Option<String>,
    },
    SpecialProcedureStarted {
        procedure: SpecialProcedureKind,
        expected_days: Option<i32>,
    },
    SpecialProcedureEnded {
        procedure: SpecialProcedureKind,
    },
    ExtensionApproved {
        days: i32,
        authority: Authority,
        reason: Option<String>,
    },
    FeeCharged {
        fee_code: String,
        amount_fen: i64,
    },
    Concluded {
        decision: Decision,
        reason: Option<String>,
        document_number: Option<String>,
    },
    Withdrawn {
        reason: Option<String>,
    },
    ResultDelivered {
        method: Option<String>,
    },
    DataRecorded {
        data: HashMap<String, CaseValue>,
    },
    VoteCast {
        step: String,
        approve: bool,
        opinion: Option<String>,
    },
    TaskReturned {
        step: String,
        to: String,
        reason: Option<String>,
    },
    StepCancelled {
        step: String,
    },
    TaskRecalled {
        step: String,
    },
    TaskReassigned {
        step: String,
        to: String,
        delegated: bool,
    },
    SignerAdded {
        step: String,
        signer: String,
        position: SignerPosition,
    },
    SignerRemoved {
        step: String,
        signer: String,
    },
    CreditChecked {
        applicant: String,
        grade: String,
        measures: Vec<CreditMeasure>,
    },
    TimerFired {
        timer: String,
        step: String,
    },
    EventCaught {
        event: String,
        step: String,
    },
    InstanceCompleted {
        step: String,
        instance: i32,
        opinion: Option<String>,
    },
    TaskUrged {
        step: String,
        note: Option<String>,
    },
    CopySent {
        to: Vec<String>,
    },
    Suspended {
        reason: Option<String>,
    },
    Resumed,
    HearingNoticed {
        hearing_on: Day,
        place: Option<String>,
    },
    RenewalApplied {
        licence: Option<String>,
        expires_on: Day,
    },
    AssignmentObjected {
        reason: Option<String>,
    },
    /// 评价: `grade` as written (`very_satisfied` … `very_dissatisfied`), the indicators graded.
    Rated {
        grade: String,
        channel: Option<Channel>,
        indicators: std::collections::HashMap<String, String>,
    },
    /// 办复 of a 建议 or 提案: `class` `A`, `B` or `C`.
    ReplySent {
        class: String,
        document_number: Option<String>,
    },
    /// A 差评's follow-up step: `revisited`, `rectified` or `reported`.
    RatingFollowedUp {
        stage: String,
        note: Option<String>,
    },
    /// A kind this binding was built before (read its `type_name` and `json`).
    Other,
}

/// A unit enum's serialized name (`very_satisfied`, `A`, `reported`).
fn name(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn int(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl From<&CaseEvent> for CaseEventRecord {
    fn from(event: &CaseEvent) -> Self {
        let kind = match &event.kind {
            EventKind::Received { channel, materials } => {
                CaseEventKind::Received { channel: *channel, materials: materials.clone() }
            }
            EventKind::Accepted => CaseEventKind::Accepted,
            EventKind::RefusedAtIntake { reason } => CaseEventKind::RefusedAtIntake { reason: reason.clone() },
            EventKind::SupplementRequested { items, note } => {
                CaseEventKind::SupplementRequested { items: items.clone(), note: note.clone() }
            }
            EventKind::SupplementReceived { items } => CaseEventKind::SupplementReceived { items: items.clone() },
            EventKind::StepStarted { step } => CaseEventKind::StepStarted { step: step.clone() },
            EventKind::StepCompleted { step, opinion } => {
                CaseEventKind::StepCompleted { step: step.clone(), opinion: opinion.clone() }
            }
            EventKind::SpecialProcedureStarted { procedure, expected_days } => {
                match SpecialProcedureKind::from_core(procedure) {
                    Some(procedure) => {
                        CaseEventKind::SpecialProcedureStarted { procedure, expected_days: expected_days.map(int) }
                    }
                    None => CaseEventKind::Other,
                }
            }
            EventKind::SpecialProcedureEnded { procedure } => match SpecialProcedureKind::from_core(procedure) {
                Some(procedure) => CaseEventKind::SpecialProcedureEnded { procedure },
                None => CaseEventKind::Other,
            },
            EventKind::ExtensionApproved { days, authority, reason } => {
                CaseEventKind::ExtensionApproved { days: int(*days), authority: *authority, reason: reason.clone() }
            }
            EventKind::FeeCharged { fee_code, amount_fen } => {
                CaseEventKind::FeeCharged { fee_code: fee_code.clone(), amount_fen: *amount_fen }
            }
            EventKind::Concluded { decision, reason, document_number } => CaseEventKind::Concluded {
                decision: *decision,
                reason: reason.clone(),
                document_number: document_number.clone(),
            },
            EventKind::Withdrawn { reason } => CaseEventKind::Withdrawn { reason: reason.clone() },
            EventKind::ResultDelivered { method } => CaseEventKind::ResultDelivered { method: method.clone() },
            EventKind::DataRecorded { data } => CaseEventKind::DataRecorded { data: from_json_map(data) },
            EventKind::VoteCast { step, approve, opinion } => {
                CaseEventKind::VoteCast { step: step.clone(), approve: *approve, opinion: opinion.clone() }
            }
            EventKind::TaskReturned { step, to, reason } => {
                CaseEventKind::TaskReturned { step: step.clone(), to: to.clone(), reason: reason.clone() }
            }
            EventKind::StepCancelled { step } => CaseEventKind::StepCancelled { step: step.clone() },
            EventKind::TaskRecalled { step } => CaseEventKind::TaskRecalled { step: step.clone() },
            EventKind::TaskReassigned { step, to, delegated } => {
                CaseEventKind::TaskReassigned { step: step.clone(), to: to.to_string(), delegated: *delegated }
            }
            EventKind::SignerAdded { step, signer, position } => {
                CaseEventKind::SignerAdded { step: step.clone(), signer: signer.to_string(), position: *position }
            }
            EventKind::SignerRemoved { step, signer } => {
                CaseEventKind::SignerRemoved { step: step.clone(), signer: signer.to_string() }
            }
            EventKind::CreditChecked { applicant, grade, measures } => CaseEventKind::CreditChecked {
                applicant: applicant.clone(),
                grade: grade.clone(),
                measures: measures.iter().filter_map(CreditMeasure::from_core).collect(),
            },
            EventKind::TimerFired { timer, step } => {
                CaseEventKind::TimerFired { timer: timer.clone(), step: step.clone() }
            }
            EventKind::EventCaught { event, step } => {
                CaseEventKind::EventCaught { event: event.clone(), step: step.clone() }
            }
            EventKind::InstanceCompleted { step, instance, opinion } => CaseEventKind::InstanceCompleted {
                step: step.clone(),
                instance: int(*instance),
                opinion: opinion.clone(),
            },
            EventKind::TaskUrged { step, note } => CaseEventKind::TaskUrged { step: step.clone(), note: note.clone() },
            EventKind::CopySent { to } => CaseEventKind::CopySent { to: to.iter().map(ToString::to_string).collect() },
            EventKind::Suspended { reason } => CaseEventKind::Suspended { reason: reason.clone() },
            EventKind::Resumed => CaseEventKind::Resumed,
            EventKind::HearingNoticed { hearing_on, place } => {
                CaseEventKind::HearingNoticed { hearing_on: *hearing_on, place: place.clone() }
            }
            EventKind::RenewalApplied { licence, expires_on } => {
                CaseEventKind::RenewalApplied { licence: licence.clone(), expires_on: *expires_on }
            }
            EventKind::AssignmentObjected { reason } => CaseEventKind::AssignmentObjected { reason: reason.clone() },
            EventKind::Rated { grade, channel, indicators } => CaseEventKind::Rated {
                grade: name(grade),
                channel: *channel,
                indicators: indicators.iter().map(|(k, v)| (k.clone(), name(v))).collect(),
            },
            EventKind::ReplySent { class, document_number } => {
                CaseEventKind::ReplySent { class: name(class), document_number: document_number.clone() }
            }
            EventKind::RatingFollowedUp { stage, note } => {
                CaseEventKind::RatingFollowedUp { stage: name(stage), note: note.clone() }
            }
            #[allow(unreachable_patterns)]
            _ => CaseEventKind::Other,
        };
        CaseEventRecord {
            key: event.idempotency_key.to_string(),
            case_id: event.case_id.to_string(),
            sequence: i64::try_from(event.sequence).unwrap_or(i64::MAX),
            item_code: event.item_code.to_string(),
            department: event.department.to_string(),
            region: event.region.to_string(),
            occurred_at: event.occurred_at,
            recorded_at: event.recorded_at,
            actor_id: event.actor.id.to_string(),
            actor_name: event.actor.name.clone(),
            actor_role: event.actor.role.as_ref().and_then(Role::from_core),
            type_name: event.kind.type_name().to_owned(),
            kind,
            json: event.to_json(),
        }
    }
}
