#![doc = include_str!("../README.md")]

mod bpmn;
mod case;
mod definition;
mod error;
mod exchange;
mod files;
mod guide;
mod process;
mod rejection;
mod status;
pub mod templates;

pub use bpmn::{export_bpmn, import_bpmn};
pub use case::{Case, CaseSnapshot, Command, Context, OpenTask, Progress, SNAPSHOT_VERSION, TaskProgress};
pub use definition::{
    Assignee, Automatic, AutomaticKind, CompletionPolicy, Countersign, Flow, InstanceCount, Instances, Node, NodeKind,
    ProcessBuilder, ProcessDefinition, SigningOrder, TimerDuration, Trigger, TriggerKind,
};
pub use error::{Error, Result};
pub use exchange::{
    Delivery, DeliveryState, Exchange, ExchangePolicy, ExchangeSummary, Recipient, RecipientRole, UrgencyWindow,
};
pub use files::{DEFINITION_VERSION, ProcessFormat};
pub use guide::{GuideSection, service_guide};
pub use process::{MAX_INSTANCES, Process};
pub use rejection::Rejection;
pub use status::CaseStatus;
