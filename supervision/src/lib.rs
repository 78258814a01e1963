#![doc = include_str!("../README.md")]

mod alert;
mod case;
mod config;
mod error;
mod rules;
mod scoring;
mod stats;
mod supervisor;

pub use alert::{AccountabilityForm, Alert, AlertStatus, CorrectionAction, Transition};
pub use case::{CaseState, Conclusion, EntryLag, FeeRecord, StepRun};
pub use config::{
    CUSTOM_RULE_FACTS, ConfigFile, CustomRule, CustomRuleSpec, Language, Level, Override, Params, Rule, RulePatch,
    RuleSettings, SupervisionConfig,
};
pub use error::{Error, Result};
pub use scoring::{DepartmentScore, ExternalScores, Grade, Part, PartScore, ScoringScheme, Veto};
pub use stats::{Counters, Dimension, Period, Rates, Statistics};
pub use supervisor::{Evaluation, IngestSummary, Ingested, MAX_RESERVED_CASES, Rejection, Supervisor, Unevaluated};
