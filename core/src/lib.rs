#![doc = include_str!("../README.md")]

mod calendar;
mod catalogue;
mod clock;
mod document;
mod error;
mod event;
mod id;
mod json;
mod limits;
mod members;
mod rating;
mod region;
mod serde_date;
mod timeline;
mod version;

pub use calendar::{
    AdjustedWorkday, Calendar, DayKind, Festival, HolidayPeriod, Notice, NoticeDateKind, ScheduleFile, YearSchedule,
};
#[cfg(feature = "provisional")]
pub use calendar::{LAST_PROJECTED_YEAR, StatutoryRules};
pub use catalogue::{
    Catalogue, CatalogueFile, ClockStart, FeeItem, ItemKind, Material, RequiredStep, ServiceItem, SpecialProcedure,
    Statute, Yuan,
};
pub use clock::{
    Authority, ClockReport, ClockStatus, DayUnit, Extension, HandlingRegime, LimitReference, Pause, PauseKind,
    RejectedExtension, SpecialProcedureKind, StatutoryClock, TimeLimit,
};
pub use document::{
    Addressee, Attachment, Classification, Direction, DocumentNumber, DocumentType, OfficialDocument, RULES, Relation,
    SecrecyMark, SecrecyPeriod, Severity, Urgency, Violation, format_document_date, parse_document_date,
};
pub use error::{Error, Problem, Problems, Result};
pub use event::{
    Actor, CaseEvent, Channel, CreditMeasure, Decision, DetachedSignature, EventKind, SCHEMA_VERSION, SignerPosition,
    parse_json_lines,
};
pub use id::{CaseId, DepartmentId, ItemCode, OfficialId};
pub use json::from_json;
pub use limits::{
    LineFailure, MAX_EVENT_BYTES, MAX_EXPRESSION_BYTES, MAX_EXPRESSION_NESTING, MAX_EXPRESSION_OPERATORS,
    MAX_FILE_BYTES, MAX_PROCESS_FLOWS, MAX_PROCESS_NODES, check_expression, each_line,
};
pub use members::{COMMON_MEMBERS, MemberType};
pub use rating::{AnswerClass, FollowUpStage, Grade};
pub use region::{Department, Group, Official, Organization, OrganizationFile, Region, RegionCode, RegionLevel, Role};
pub use timeline::{
    Acceptance, AcceptanceBasis, CaseTimeline, HEARING_LIMIT, HEARING_NOTICE_LEAD, HearingNotice,
    LICENCE_DELIVERY_LIMIT, OBJECTION_LIMIT, ProcedureSpan, RENEWAL_LEAD, Span, SupplementSpan, china_day,
    china_offset,
};
pub use version::{FormatHeader, check_format_version};
