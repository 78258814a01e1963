#![doc = include_str!("../README.md")]
// UniFFI's macros expand to items the workspace lints cannot see documented.
#![allow(missing_docs, unreachable_pub)]

uniffi::setup_scaffolding!();

mod calendar;
mod command;
mod error;
mod event;
mod supervision;
mod time;
mod types;
mod value;
mod workflow;

pub use calendar::{CreditCheck, CreditChecker, WorkingCalendar};
pub use command::CaseCommand;
pub use error::ZhengwuError;
pub use event::{CaseEventKind, CaseEventRecord};
pub use supervision::{IngestCounts, Supervision, Totals};
pub use time::{Day, Instant};
pub use value::CaseValue;
pub use workflow::{CaseProgress, OpenTaskRecord, TaskDue, WorkflowCase, WorkflowEngine};
