//! The rule configuration: which built-in rules run, at what level, with which thresholds, and
//! overrides per item or department. TOML or JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use zhengwu_core::{DepartmentId, ItemCode, LimitReference};

use crate::custom::{CustomRule, CustomRuleSpec};
use crate::error::{Error, Result};
use crate::rule::{Level, Rule};

/// Thresholds of the built-in rules; each rule reads the ones it names.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// TIME_NEAR: fire at this many working days left or fewer (default 1).
    pub days_left: i64,
    /// TIME_NEAR: measure against the promised or the legal limit (default promised).
    pub reference: LimitReference,
    /// NOT_ACCEPT_IN_TIME: working days from receipt (default 5, Art. 32).
    pub accept_within_days: u32,
    /// MULTI_BUZHENG: the most 补正 requests allowed (default 1).
    pub max_supplement_requests: u32,
    /// OFFLINE: the largest allowed gap between business time and entry time, in hours (default 24).
    pub max_entry_lag_hours: i64,
    /// OFFLINE: this many step completions ... (default 3) ...
    pub burst_steps: usize,
    /// OFFLINE: ... within this many minutes is a burst (default 5).
    pub burst_minutes: i64,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            days_left: 1,
            reference: LimitReference::Promised,
            accept_within_days: 5,
            max_supplement_requests: 1,
            max_entry_lag_hours: 24,
            burst_steps: 3,
            burst_minutes: 5,
        }
    }
}

/// Settings of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSettings {
    /// Whether the rule runs.
    pub enabled: bool,
    /// The level it fires at.
    pub level: Level,
    /// Its thresholds.
    pub params: Params,
}

/// A partial [`RuleSettings`] as written in a file: only what it changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulePatch {
    /// Whether the rule runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The level it fires at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// Threshold changes (`params = { days_left = 2 }`).
    #[serde(default)]
    pub params: ParamsPatch,
}

/// Threshold changes: each field replaces the one of [`Params`] with the same name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ParamsPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_left: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<LimitReference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_within_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_supplement_requests: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_entry_lag_hours: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub burst_steps: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub burst_minutes: Option<i64>,
}

/// An override for the cases of one item or one department.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// The rule it changes.
    pub rule: Rule,
    /// Only cases of this item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<ItemCode>,
    /// Only cases of this department.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<DepartmentId>,
    /// The change.
    #[serde(flatten)]
    pub patch: RulePatch,
}

/// The configuration file: `[rules.CODE]` patches and `[[override]]` entries.
///
/// ```toml
/// language = "zh"            # or "en": the language of alert messages
/// [rules.TIME_NEAR]
/// level = "warning"
/// params = { days_left = 2 }
/// [rules.OFFLINE]
/// enabled = false
/// [[override]]
/// rule = "FEE_OVER"
/// department = "km-scjg"
/// level = "yellow"
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Language of alert messages.
    #[serde(default)]
    pub language: Language,
    /// Changes to the built-in rules, by code.
    #[serde(default)]
    pub rules: BTreeMap<Rule, RulePatch>,
    /// Changes for particular items or departments; later entries win, item beats department.
    #[serde(default, rename = "override")]
    pub overrides: Vec<Override>,
    /// Working days a department has to explain an alert after notification (default 3).
    #[serde(default = "default_explain_days")]
    pub explain_within_days: u32,
    /// How far an event's business time may lie after its entry time, in minutes, for clocks
    /// that disagree (default 5): an event recorded before it happened is refused.
    #[serde(default = "default_clock_skew")]
    pub max_clock_skew_minutes: u32,
    /// Custom rules: CEL expressions over case facts.
    #[serde(default, rename = "custom")]
    pub custom: Vec<CustomRuleSpec>,
}

fn default_explain_days() -> u32 {
    3
}

fn default_clock_skew() -> u32 {
    5
}

/// The language alert messages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// Chinese (default): what officials read.
    #[default]
    Zh,
    /// Alert messages in English (for tests and foreign readers).
    En,
}

/// The validated configuration the supervisor runs with.
#[derive(Debug, Clone, PartialEq)]
pub struct SupervisionConfig {
    /// Language of alert messages.
    pub language: Language,
    /// Working days to explain an alert.
    pub explain_within_days: u32,
    /// Minutes an event's business time may lie after its entry time.
    pub max_clock_skew_minutes: u32,
    /// Settings per rule, indexed by `Rule as usize`.
    base: Vec<RuleSettings>,
    overrides: Vec<Override>,
    /// Custom rules, in configuration order.
    pub custom: Vec<CustomRule>,
}

impl Default for SupervisionConfig {
    fn default() -> Self {
        Self::from_file(ConfigFile {
            explain_within_days: default_explain_days(),
            max_clock_skew_minutes: default_clock_skew(),
            ..ConfigFile::default()
        })
        .expect("the default configuration is valid")
    }
}

impl SupervisionConfig {
    /// Parses TOML.
    pub fn from_toml(text: &str) -> Result<Self> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| Error::Config(e.to_string()))?;
        Self::from_file(file)
    }

    /// Parses JSON.
    pub fn from_json(text: &str) -> Result<Self> {
        let file: ConfigFile = zhengwu_core::from_json(text).map_err(Error::Config)?;
        Self::from_file(file)
    }

    /// Validates a parsed file: every parameter name and value is checked now, not when a case
    /// needs it.
    pub fn from_file(file: ConfigFile) -> Result<Self> {
        if file.rules.contains_key(&Rule::Custom) {
            return Err(Error::Config("rules.CUSTOM: custom rules are written as `[[custom]]` entries".to_owned()));
        }
        let mut base = Vec::with_capacity(Rule::ALL.len() + 1);
        for rule in Rule::ALL.into_iter().chain([Rule::Custom]) {
            let mut settings = RuleSettings { enabled: true, level: rule.default_level(), params: Params::default() };
            if let Some(patch) = file.rules.get(&rule) {
                settings = apply(settings, patch);
            }
            debug_assert_eq!(base.len(), rule as usize);
            base.push(settings);
        }
        for (index, entry) in file.overrides.iter().enumerate() {
            if entry.item.is_none() && entry.department.is_none() {
                return Err(Error::Config(format!(
                    "override[{index}] for `{}` names neither an item nor a department",
                    entry.rule
                )));
            }
            if entry.rule == Rule::Custom {
                return Err(Error::Config(format!(
                    "override[{index}]: custom rules take their level from their own `[[custom]]` entry"
                )));
            }
        }
        let mut custom = Vec::new();
        for spec in file.custom {
            if custom.iter().any(|c: &CustomRule| c.spec.code == spec.code) {
                return Err(Error::Config(format!("custom rule `{}` is defined twice", spec.code)));
            }
            custom.push(CustomRule::compile(spec)?);
        }
        Ok(Self {
            language: file.language,
            explain_within_days: file.explain_within_days,
            max_clock_skew_minutes: file.max_clock_skew_minutes,
            base,
            overrides: file.overrides,
            custom,
        })
    }

    /// The settings of `rule` for a case of `item` handled by `department`.
    pub fn settings(&self, rule: Rule, item: &ItemCode, department: &DepartmentId) -> RuleSettings {
        let mut settings = self.base[rule as usize];
        if self.overrides.is_empty() {
            return settings;
        }
        // Department overrides first, then item overrides, so that an item's wins.
        for pass in [false, true] {
            for entry in self.overrides.iter().filter(|o| o.rule == rule) {
                let applies = if pass {
                    entry.item.as_ref() == Some(item) && entry.department.as_ref().is_none_or(|d| d == department)
                } else {
                    entry.item.is_none() && entry.department.as_ref() == Some(department)
                };
                if applies {
                    settings = apply(settings, &entry.patch);
                }
            }
        }
        settings
    }
}

fn apply(mut settings: RuleSettings, patch: &RulePatch) -> RuleSettings {
    if let Some(enabled) = patch.enabled {
        settings.enabled = enabled;
    }
    if let Some(level) = patch.level {
        settings.level = level;
    }
    let (p, q) = (&mut settings.params, patch.params);
    p.days_left = q.days_left.unwrap_or(p.days_left);
    p.reference = q.reference.unwrap_or(p.reference);
    p.accept_within_days = q.accept_within_days.unwrap_or(p.accept_within_days);
    p.max_supplement_requests = q.max_supplement_requests.unwrap_or(p.max_supplement_requests);
    p.max_entry_lag_hours = q.max_entry_lag_hours.unwrap_or(p.max_entry_lag_hours);
    p.burst_steps = q.burst_steps.unwrap_or(p.burst_steps);
    p.burst_minutes = q.burst_minutes.unwrap_or(p.burst_minutes);
    settings
}
