#![doc = include_str!("../README.md")]

mod alert;
mod case;
mod config;
mod custom;
mod error;
mod partial;
mod rule;
mod rules;
mod scoring;
mod stats;
mod supervisor;

pub use alert::{AccountabilityForm, Alert, AlertStatus, CorrectionAction, Transition};
pub use case::CaseState;
pub use config::{ConfigFile, Language, Override, Params, RulePatch, RuleSettings, SupervisionConfig};
pub use custom::{CUSTOM_RULE_FACTS, CustomRule, CustomRuleSpec, Fact, FactType};
pub use error::{Error, Result};
pub use partial::{PARTIAL_VERSION, Partial};
pub use rule::{Level, Rule};
pub use scoring::{DepartmentScore, ExternalScores, Grade, Part, PartScore, SATISFACTION_PART, ScoringScheme, Veto};
pub use stats::{Counters, Dimension, Period, Rates, STATISTICS_VERSION, Statistics, StatisticsRow};
pub use supervisor::{Evaluation, IngestSummary, Ingested, MAX_RESERVED_CASES, Rejection, Supervisor, Unevaluated};
