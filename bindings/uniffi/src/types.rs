//! zhengwu's enumerations as the hosts' enums: the closed ones as they are (`#[uniffi::remote]`),
//! the ones core keeps open to new variants (`#[non_exhaustive]`) mirrored, with conversions.

use zhengwu_core::{Authority, Channel, Decision, SignerPosition};
use zhengwu_workflow::CaseStatus;

/// 收件渠道.
#[uniffi::remote(Enum)]
pub enum Channel {
    Window,
    Online,
}

/// 办结结果.
#[uniffi::remote(Enum)]
pub enum Decision {
    Granted,
    Refused,
    Forwarded,
    Terminated,
}

/// Where a case stands.
#[uniffi::remote(Enum)]
pub enum CaseStatus {
    New,
    Received,
    Supplementing,
    Running,
    Suspended,
    Concluded(Decision),
    RefusedAtIntake,
    Withdrawn,
    HandedBack,
}

/// 加签: where the added signer signs.
#[uniffi::remote(Enum)]
pub enum SignerPosition {
    Before,
    After,
    Parallel,
}

/// Who approved an extension.
#[uniffi::remote(Enum)]
pub enum Authority {
    DepartmentHead,
    GovernmentHead,
}

/// 岗位: what an official does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Role {
    WindowClerk,
    Handler,
    Reviewer,
    Approver,
    DepartmentHead,
    GovernmentHead,
    Supervisor,
    DocumentClerk,
}

impl From<Role> for zhengwu_core::Role {
    fn from(value: Role) -> Self {
        match value {
            Role::WindowClerk => zhengwu_core::Role::WindowClerk,
            Role::Handler => zhengwu_core::Role::Handler,
            Role::Reviewer => zhengwu_core::Role::Reviewer,
            Role::Approver => zhengwu_core::Role::Approver,
            Role::DepartmentHead => zhengwu_core::Role::DepartmentHead,
            Role::GovernmentHead => zhengwu_core::Role::GovernmentHead,
            Role::Supervisor => zhengwu_core::Role::Supervisor,
            Role::DocumentClerk => zhengwu_core::Role::DocumentClerk,
        }
    }
}

impl Role {
    /// The host's variant of a core value (`None` for one this binding was built before).
    pub(crate) fn from_core(value: &zhengwu_core::Role) -> Option<Self> {
        match value {
            zhengwu_core::Role::WindowClerk => Some(Role::WindowClerk),
            zhengwu_core::Role::Handler => Some(Role::Handler),
            zhengwu_core::Role::Reviewer => Some(Role::Reviewer),
            zhengwu_core::Role::Approver => Some(Role::Approver),
            zhengwu_core::Role::DepartmentHead => Some(Role::DepartmentHead),
            zhengwu_core::Role::GovernmentHead => Some(Role::GovernmentHead),
            zhengwu_core::Role::Supervisor => Some(Role::Supervisor),
            zhengwu_core::Role::DocumentClerk => Some(Role::DocumentClerk),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}

/// 特别程序 (行政许可法 Art. 45): the periods that do not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SpecialProcedureKind {
    Hearing,
    Tender,
    Auction,
    Inspection,
    Testing,
    Quarantine,
    Appraisal,
    ExpertReview,
    Publicity,
    SiteInspection,
    Consultation,
}

impl From<SpecialProcedureKind> for zhengwu_core::SpecialProcedureKind {
    fn from(value: SpecialProcedureKind) -> Self {
        match value {
            SpecialProcedureKind::Hearing => zhengwu_core::SpecialProcedureKind::Hearing,
            SpecialProcedureKind::Tender => zhengwu_core::SpecialProcedureKind::Tender,
            SpecialProcedureKind::Auction => zhengwu_core::SpecialProcedureKind::Auction,
            SpecialProcedureKind::Inspection => zhengwu_core::SpecialProcedureKind::Inspection,
            SpecialProcedureKind::Testing => zhengwu_core::SpecialProcedureKind::Testing,
            SpecialProcedureKind::Quarantine => zhengwu_core::SpecialProcedureKind::Quarantine,
            SpecialProcedureKind::Appraisal => zhengwu_core::SpecialProcedureKind::Appraisal,
            SpecialProcedureKind::ExpertReview => zhengwu_core::SpecialProcedureKind::ExpertReview,
            SpecialProcedureKind::Publicity => zhengwu_core::SpecialProcedureKind::Publicity,
            SpecialProcedureKind::SiteInspection => zhengwu_core::SpecialProcedureKind::SiteInspection,
            SpecialProcedureKind::Consultation => zhengwu_core::SpecialProcedureKind::Consultation,
        }
    }
}

impl SpecialProcedureKind {
    /// The host's variant of a core value (`None` for one this binding was built before).
    pub(crate) fn from_core(value: &zhengwu_core::SpecialProcedureKind) -> Option<Self> {
        match value {
            zhengwu_core::SpecialProcedureKind::Hearing => Some(SpecialProcedureKind::Hearing),
            zhengwu_core::SpecialProcedureKind::Tender => Some(SpecialProcedureKind::Tender),
            zhengwu_core::SpecialProcedureKind::Auction => Some(SpecialProcedureKind::Auction),
            zhengwu_core::SpecialProcedureKind::Inspection => Some(SpecialProcedureKind::Inspection),
            zhengwu_core::SpecialProcedureKind::Testing => Some(SpecialProcedureKind::Testing),
            zhengwu_core::SpecialProcedureKind::Quarantine => Some(SpecialProcedureKind::Quarantine),
            zhengwu_core::SpecialProcedureKind::Appraisal => Some(SpecialProcedureKind::Appraisal),
            zhengwu_core::SpecialProcedureKind::ExpertReview => Some(SpecialProcedureKind::ExpertReview),
            zhengwu_core::SpecialProcedureKind::Publicity => Some(SpecialProcedureKind::Publicity),
            zhengwu_core::SpecialProcedureKind::SiteInspection => Some(SpecialProcedureKind::SiteInspection),
            zhengwu_core::SpecialProcedureKind::Consultation => Some(SpecialProcedureKind::Consultation),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}

/// 信用措施: how a credit grade changes an approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CreditMeasure {
    GreenChannel,
    AcceptWithGaps,
    StrictReview,
    ExtraReview,
    Refuse,
}

impl From<CreditMeasure> for zhengwu_core::CreditMeasure {
    fn from(value: CreditMeasure) -> Self {
        match value {
            CreditMeasure::GreenChannel => zhengwu_core::CreditMeasure::GreenChannel,
            CreditMeasure::AcceptWithGaps => zhengwu_core::CreditMeasure::AcceptWithGaps,
            CreditMeasure::StrictReview => zhengwu_core::CreditMeasure::StrictReview,
            CreditMeasure::ExtraReview => zhengwu_core::CreditMeasure::ExtraReview,
            CreditMeasure::Refuse => zhengwu_core::CreditMeasure::Refuse,
        }
    }
}

impl CreditMeasure {
    /// The host's variant of a core value (`None` for one this binding was built before).
    pub(crate) fn from_core(value: &zhengwu_core::CreditMeasure) -> Option<Self> {
        match value {
            zhengwu_core::CreditMeasure::GreenChannel => Some(CreditMeasure::GreenChannel),
            zhengwu_core::CreditMeasure::AcceptWithGaps => Some(CreditMeasure::AcceptWithGaps),
            zhengwu_core::CreditMeasure::StrictReview => Some(CreditMeasure::StrictReview),
            zhengwu_core::CreditMeasure::ExtraReview => Some(CreditMeasure::ExtraReview),
            zhengwu_core::CreditMeasure::Refuse => Some(CreditMeasure::Refuse),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}
