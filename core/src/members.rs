//! The members of the event vocabulary with the type of their values: what a reader that takes
//! events from columns (Arrow, Parquet, CSV) needs to know that JSON says by itself. A column of
//! numbers under `days` is a number; under `step` (a step code `1`) or `region` (`530102`) it is
//! text a tool read as a number.
//!
//! The table is checked against the serialised vocabulary by this module's tests: a member added
//! to [`EventKind`] without its entry here fails them.

use crate::event::EventKind;

/// The type of an event member's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum MemberType {
    /// A string (codes, names, reasons, enum values such as `window` or `granted`).
    Text,
    /// A whole number.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// A calendar day, `YYYY-MM-DD`.
    Day,
    /// An instant with its UTC offset (RFC 3339).
    Instant,
    /// A list (of strings, or of enum values).
    List,
    /// An object (the actor, case data, a signature).
    Object,
}

/// The members every event has, with their types (the kind's `type` among them).
pub const COMMON_MEMBERS: &[(&str, MemberType)] = &[
    ("schema", MemberType::Integer),
    ("idempotency_key", MemberType::Text),
    ("case_id", MemberType::Text),
    ("sequence", MemberType::Integer),
    ("item_code", MemberType::Text),
    ("department", MemberType::Text),
    ("region", MemberType::Text),
    ("occurred_at", MemberType::Instant),
    ("recorded_at", MemberType::Instant),
    ("actor", MemberType::Object),
    ("type", MemberType::Text),
    ("signature", MemberType::Object),
];

impl EventKind {
    /// The `type` names of the vocabulary, in declaration order.
    pub const TYPE_NAMES: &'static [&'static str] = &[
        "received",
        "accepted",
        "refused_at_intake",
        "supplement_requested",
        "supplement_received",
        "step_started",
        "step_completed",
        "special_procedure_started",
        "special_procedure_ended",
        "extension_approved",
        "fee_charged",
        "concluded",
        "withdrawn",
        "result_delivered",
        "data_recorded",
        "vote_cast",
        "task_returned",
        "step_cancelled",
        "task_recalled",
        "task_reassigned",
        "signer_added",
        "signer_removed",
        "credit_checked",
        "task_urged",
        "copy_sent",
        "suspended",
        "resumed",
        "hearing_noticed",
        "renewal_applied",
        "assignment_objected",
        "timer_fired",
        "event_caught",
        "instance_completed",
        "rated",
        "reply_sent",
        "rating_followed_up",
    ];

    /// The members of the kind named `type_name` (beside the common ones), with their types;
    /// `None` for a name outside the vocabulary.
    ///
    /// ```
    /// use zhengwu_core::{EventKind, MemberType};
    /// let members = EventKind::members("extension_approved").unwrap();
    /// assert!(members.contains(&("days", MemberType::Integer)));
    /// assert_eq!(EventKind::member_type("copy_sent", "to"), Some(MemberType::List));
    /// assert_eq!(EventKind::member_type("task_returned", "to"), Some(MemberType::Text));
    /// assert!(EventKind::members("approved").is_none());
    /// ```
    pub fn members(type_name: &str) -> Option<&'static [(&'static str, MemberType)]> {
        use MemberType::*;
        Some(match type_name {
            "received" => &[("channel", Text), ("materials", List)],
            "accepted" | "resumed" => &[],
            "refused_at_intake" | "withdrawn" | "assignment_objected" | "suspended" => &[("reason", Text)],
            "supplement_requested" => &[("items", List), ("note", Text)],
            "supplement_received" => &[("items", List)],
            "step_started" | "step_cancelled" | "task_recalled" => &[("step", Text)],
            "step_completed" => &[("step", Text), ("opinion", Text)],
            "special_procedure_started" => &[("procedure", Text), ("expected_days", Integer)],
            "special_procedure_ended" => &[("procedure", Text)],
            "extension_approved" => &[("days", Integer), ("authority", Text), ("reason", Text)],
            "fee_charged" => &[("fee_code", Text), ("amount_fen", Integer)],
            "concluded" => &[("decision", Text), ("reason", Text), ("document_number", Text)],
            "result_delivered" => &[("method", Text)],
            "data_recorded" => &[("data", Object)],
            "vote_cast" => &[("step", Text), ("approve", Boolean), ("opinion", Text)],
            "task_returned" => &[("step", Text), ("to", Text), ("reason", Text)],
            "task_reassigned" => &[("step", Text), ("to", Text), ("delegated", Boolean)],
            "signer_added" => &[("step", Text), ("signer", Text), ("position", Text)],
            "signer_removed" => &[("step", Text), ("signer", Text)],
            "credit_checked" => &[("applicant", Text), ("grade", Text), ("measures", List)],
            "task_urged" => &[("step", Text), ("note", Text)],
            "timer_fired" => &[("timer", Text), ("step", Text)],
            "event_caught" => &[("event", Text), ("step", Text)],
            "instance_completed" => &[("step", Text), ("instance", Integer), ("opinion", Text)],
            "copy_sent" => &[("to", List)],
            "hearing_noticed" => &[("hearing_on", Day), ("place", Text)],
            "renewal_applied" => &[("licence", Text), ("expires_on", Day)],
            "rated" => &[("grade", Text), ("channel", Text), ("indicators", Object)],
            "reply_sent" => &[("class", Text), ("document_number", Text)],
            "rating_followed_up" => &[("stage", Text), ("note", Text)],
            _ => return None,
        })
    }

    /// In an event's JSON members, the member an error without a path is about: the first of
    /// its kind's own members whose value is not of its type (a number where the table says
    /// text, say), or, for serde's "unknown variant `x`", the member (`type` among them) whose
    /// value is `x`. Serde reads a kind's members through its flatten buffer, which loses their
    /// path; this finds it again from the table.
    pub(crate) fn member_at_fault(
        members: &serde_json::Map<String, serde_json::Value>,
        reason: &str,
    ) -> Option<&'static str> {
        use serde_json::Value;
        let kind = members.get("type")?.as_str()?;
        if let Some(rest) = reason.strip_prefix("unknown variant `")
            && let Some(variant) = rest.split('`').next()
        {
            let own = Self::members(kind).unwrap_or(&[]);
            return std::iter::once(&("type", MemberType::Text))
                .chain(own)
                .find(|(name, _)| members.get(*name).and_then(Value::as_str) == Some(variant))
                .map(|(name, _)| *name);
        }
        // Only an error about a value's type or form is about a member's value.
        if !reason.starts_with("invalid type:") && !reason.starts_with("invalid value:") {
            return None;
        }
        Self::members(kind)?.iter().find_map(|(name, expected)| {
            let value = members.get(*name).filter(|value| !value.is_null())?;
            let fits = match expected {
                MemberType::Text => value.is_string(),
                MemberType::Integer => value.is_u64() || value.is_i64(),
                MemberType::Boolean => value.is_boolean(),
                MemberType::Day => {
                    value.as_str().is_some_and(|day| chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok())
                }
                MemberType::Instant => {
                    value.as_str().is_some_and(|at| chrono::DateTime::parse_from_rfc3339(at).is_ok())
                }
                MemberType::List => value.is_array(),
                MemberType::Object => value.is_object(),
            };
            (!fits).then_some(*name)
        })
    }

    /// The type of `member` in the kind named `type_name`: a kind's own member, or a common one.
    pub fn member_type(type_name: &str, member: &str) -> Option<MemberType> {
        let own = Self::members(type_name)?;
        own.iter().chain(COMMON_MEMBERS).find(|(name, _)| *name == member).map(|(_, kind)| *kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Authority, SpecialProcedureKind};
    use crate::event::{Actor, CaseEvent, Channel, CreditMeasure, Decision, SCHEMA_VERSION, SignerPosition};
    use crate::id::OfficialId;
    use crate::region::Role;

    /// One event of every kind with every optional member set, so that each member serialises.
    fn every_kind() -> Vec<EventKind> {
        let s = || "x".to_owned();
        let day = chrono::NaiveDate::from_ymd_opt(2025, 6, 20).unwrap();
        let mut data = serde_json::Map::new();
        data.insert("k".into(), 1.into());
        let kinds = vec![
            EventKind::Received { channel: Channel::Window, materials: vec![s()] },
            EventKind::Accepted,
            EventKind::RefusedAtIntake { reason: Some(s()) },
            EventKind::SupplementRequested { items: vec![s()], note: Some(s()) },
            EventKind::SupplementReceived { items: vec![s()] },
            EventKind::StepStarted { step: s() },
            EventKind::StepCompleted { step: s(), opinion: Some(s()) },
            EventKind::SpecialProcedureStarted { procedure: SpecialProcedureKind::Hearing, expected_days: Some(3) },
            EventKind::SpecialProcedureEnded { procedure: SpecialProcedureKind::Hearing },
            EventKind::ExtensionApproved { days: 10, authority: Authority::DepartmentHead, reason: Some(s()) },
            EventKind::FeeCharged { fee_code: s(), amount_fen: 100 },
            EventKind::Concluded { decision: Decision::Granted, reason: Some(s()), document_number: Some(s()) },
            EventKind::Withdrawn { reason: Some(s()) },
            EventKind::ResultDelivered { method: Some(s()) },
            EventKind::DataRecorded { data },
            EventKind::VoteCast { step: s(), approve: true, opinion: Some(s()) },
            EventKind::TaskReturned { step: s(), to: s(), reason: Some(s()) },
            EventKind::StepCancelled { step: s() },
            EventKind::TaskRecalled { step: s() },
            EventKind::TaskReassigned { step: s(), to: OfficialId::new("o"), delegated: true },
            EventKind::SignerAdded { step: s(), signer: OfficialId::new("o"), position: SignerPosition::After },
            EventKind::SignerRemoved { step: s(), signer: OfficialId::new("o") },
            EventKind::CreditChecked { applicant: s(), grade: s(), measures: vec![CreditMeasure::StrictReview] },
            EventKind::TaskUrged { step: s(), note: Some(s()) },
            EventKind::CopySent { to: vec![OfficialId::new("o")] },
            EventKind::Suspended { reason: Some(s()) },
            EventKind::Resumed,
            EventKind::HearingNoticed { hearing_on: day, place: Some(s()) },
            EventKind::RenewalApplied { licence: Some(s()), expires_on: day },
            EventKind::AssignmentObjected { reason: Some(s()) },
            EventKind::TimerFired { timer: s(), step: s() },
            EventKind::EventCaught { event: s(), step: s() },
            EventKind::InstanceCompleted { step: s(), instance: 2, opinion: Some(s()) },
            EventKind::Rated {
                grade: crate::rating::Grade::Dissatisfied,
                channel: Some(crate::event::Channel::Online),
                indicators: [(s(), crate::rating::Grade::Satisfied)].into_iter().collect(),
            },
            EventKind::ReplySent { class: crate::rating::AnswerClass::B, document_number: Some(s()) },
            EventKind::RatingFollowedUp { stage: crate::rating::FollowUpStage::Rectified, note: Some(s()) },
        ];
        // A new kind fails to compile here until it has a sample above.
        for kind in &kinds {
            match kind {
                EventKind::Received { .. }
                | EventKind::Accepted
                | EventKind::RefusedAtIntake { .. }
                | EventKind::SupplementRequested { .. }
                | EventKind::SupplementReceived { .. }
                | EventKind::StepStarted { .. }
                | EventKind::StepCompleted { .. }
                | EventKind::SpecialProcedureStarted { .. }
                | EventKind::SpecialProcedureEnded { .. }
                | EventKind::ExtensionApproved { .. }
                | EventKind::FeeCharged { .. }
                | EventKind::Concluded { .. }
                | EventKind::Withdrawn { .. }
                | EventKind::ResultDelivered { .. }
                | EventKind::DataRecorded { .. }
                | EventKind::VoteCast { .. }
                | EventKind::TaskReturned { .. }
                | EventKind::StepCancelled { .. }
                | EventKind::TaskRecalled { .. }
                | EventKind::TaskReassigned { .. }
                | EventKind::SignerAdded { .. }
                | EventKind::SignerRemoved { .. }
                | EventKind::CreditChecked { .. }
                | EventKind::TimerFired { .. }
                | EventKind::EventCaught { .. }
                | EventKind::InstanceCompleted { .. }
                | EventKind::TaskUrged { .. }
                | EventKind::CopySent { .. }
                | EventKind::Suspended { .. }
                | EventKind::Resumed
                | EventKind::HearingNoticed { .. }
                | EventKind::RenewalApplied { .. }
                | EventKind::AssignmentObjected { .. }
                | EventKind::Rated { .. }
                | EventKind::ReplySent { .. }
                | EventKind::RatingFollowedUp { .. } => {}
            }
        }
        kinds
    }

    fn type_of(value: &serde_json::Value) -> MemberType {
        match value {
            serde_json::Value::String(text) if chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok() => {
                MemberType::Day
            }
            serde_json::Value::String(_) => MemberType::Text,
            serde_json::Value::Number(_) => MemberType::Integer,
            serde_json::Value::Bool(_) => MemberType::Boolean,
            serde_json::Value::Array(_) => MemberType::List,
            _ => MemberType::Object,
        }
    }

    #[test]
    fn the_table_matches_the_serialised_vocabulary() {
        let kinds = every_kind();
        let names: Vec<&str> = kinds.iter().map(EventKind::type_name).collect();
        assert_eq!(names, EventKind::TYPE_NAMES);
        for kind in &kinds {
            let serde_json::Value::Object(object) = serde_json::to_value(kind).unwrap() else { panic!() };
            let name = kind.type_name();
            let table = EventKind::members(name).unwrap_or_else(|| panic!("`{name}` has no member table"));
            let written: Vec<(String, MemberType)> =
                object.iter().filter(|(k, _)| *k != "type").map(|(k, v)| (k.clone(), type_of(v))).collect();
            let mut expected: Vec<(String, MemberType)> = table.iter().map(|(k, t)| ((*k).to_owned(), *t)).collect();
            expected.sort();
            let mut written = written;
            written.sort();
            assert_eq!(written, expected, "the members of `{name}`");
        }
    }

    #[test]
    fn kind_members_do_not_shadow_common_ones() {
        for name in EventKind::TYPE_NAMES {
            for (member, _) in EventKind::members(name).unwrap() {
                assert!(COMMON_MEMBERS.iter().all(|(common, _)| common != member), "`{name}`.`{member}`");
            }
        }
    }

    /// The wire and storage form of every kind, pinned: a change to the vocabulary's JSON shows
    /// here as a snapshot to review (and, if it is not additive, a new `SCHEMA_VERSION`).
    #[test]
    fn the_event_vocabulary_is_pinned() {
        let at = chrono::DateTime::parse_from_rfc3339("2025-03-03T09:00:00+08:00").unwrap();
        let lines: Vec<String> = every_kind()
            .into_iter()
            .enumerate()
            .map(|(i, kind)| {
                let sequence = i as u64 + 1;
                CaseEvent {
                    schema: SCHEMA_VERSION,
                    idempotency_key: CaseEvent::key("C1", sequence),
                    case_id: "C1".into(),
                    sequence,
                    item_code: "SC-001".into(),
                    department: "scjg".into(),
                    region: "530102".parse().unwrap(),
                    occurred_at: at,
                    recorded_at: at,
                    actor: Actor { id: "o1".into(), name: Some("张三".into()), role: Some(Role::Reviewer) },
                    kind,
                    signature: None,
                }
                .to_json()
            })
            .collect();
        insta::assert_snapshot!("event_vocabulary_v1", lines.join("\n"));
    }
}
