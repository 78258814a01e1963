#![doc = include_str!("../README.md")]
// UniFFI's macros expand to items the workspace lints cannot see documented.
#![allow(missing_docs, unreachable_pub)]

uniffi::setup_scaffolding!();

mod archive;
mod calendar;
mod catalogue;
mod command;
mod credit;
mod document;
mod error;
mod event;
mod identity;
mod rejection;
mod store;
mod supervision;
mod time;
mod types;
mod value;
mod workflow;

pub use archive::{ArchiveDocument, ArchiveVerdict, pack_archive, verify_archive};
pub use calendar::{CreditCheck, CreditChecker, WorkingCalendar};
pub use catalogue::{FeeRecord, GuideSectionRecord, Limit, MaterialRecord, ServiceCatalogue, ServiceItemRecord};
pub use command::CaseCommand;
pub use credit::{CreditRecordInput, CreditRecordKind, CreditStanding, credit_standing};
pub use document::{DocumentViolation, ViolationSeverity, validate_document};
pub use error::ZhengwuError;
pub use event::{CaseEventKind, CaseEventRecord};
pub use identity::{
    CertificateIdentity, CertificateVerdict, ChainLinkRecord, HolderKind, RevocationCheck, Signer, TrustStore,
    read_certificate_identity,
};
pub use rejection::RejectionKind;
pub use store::{AppendResult, ChainVerification, EventStore, ExpectedSequence, StoredEventRecord};
pub use supervision::{AlertAction, AlertRecord, DepartmentRank, IngestCounts, StatisticsRow, Supervision, Totals};
pub use time::{Day, Instant};
pub use value::CaseValue;
pub use workflow::{CaseProgress, OpenTaskRecord, TaskDue, WorkflowCase, WorkflowEngine};
