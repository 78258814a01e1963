//! The rule configuration: which built-in rules run, at what level, with which thresholds, and
//! overrides per item or department. TOML or JSON.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use zhengwu_core::{DepartmentId, ItemCode, LimitReference};

use crate::error::{Error, Result};

/// 信号级别: how serious an alert is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 提示: a reminder (e.g. one working day left).
    Notice,
    /// 预警: a warning.
    Warning,
    /// 黄牌: a yellow card, followed by correction.
    Yellow,
    /// 红牌: a red card, followed by accountability.
    Red,
}

impl Level {
    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            Level::Notice => "提示",
            Level::Warning => "预警",
            Level::Yellow => "黄牌",
            Level::Red => "红牌",
        }
    }

    /// The English name.
    pub fn english(self) -> &'static str {
        match self {
            Level::Notice => "notice",
            Level::Warning => "warning",
            Level::Yellow => "yellow card",
            Level::Red => "red card",
        }
    }
}

/// The built-in rules of `domain.md` §2.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum Rule {
    /// 临近时限: an open case with `days_left` or fewer working days to its (promised) due date.
    TimeNear,
    /// 超承诺时限: open past, or concluded after, the promised due date.
    TimeOverPromise,
    /// 超法定时限: open past, or concluded after, the legal due date (extensions included).
    TimeOverLegal,
    /// 环节超时: a required step took longer than its step limit (or is open past it).
    StepOvertime,
    /// 不予受理/不予许可未说明理由: a refusal without a reason.
    RefuseIllegal,
    /// 逾期未受理: received, and neither accepted, refused nor sent a 补正 notice within `days`
    /// working days (行政许可法 Art. 32).
    NotAcceptInTime,
    /// 多次补正: more than `max_requests` 补正 requests for one case.
    MultiBuzheng,
    /// 目录外材料 / 要件不全: materials received or requested that the item's published list lacks,
    /// or acceptance without a required material (unless 容缺受理 allowed it).
    ExtraMaterial,
    /// 违规收费: a fee not in the item's published list, or above its standard.
    FeeOver,
    /// 跳过法定环节: granted without every required step completed.
    SkipStep,
    /// 体外循环 / 先批后录: entry long after the business time, or a burst of steps within minutes.
    Offline,
    /// 异常办结: a 即办件 concluded on a later day, a 终止 or 不予许可 without a reason, a grant
    /// without a decision document number.
    AbnormalEnd,
    /// 违规延期: an extension approved by too low an authority, too late, or beyond +10 / +15.
    ExtUnapproved,
    /// 逾期未颁发送达许可证件 (行政许可法 Art. 44): a licence granted and not issued and delivered
    /// within 10 working days of the decision.
    DeliveryLate,
    /// 听证逾期 (Art. 47): a requested hearing not held within 20 working days of the request.
    HearingLate,
    /// 听证通知不足七日 (Art. 48(1)): the time and place notified less than 7 working days before
    /// the hearing.
    HearingNoticeLate,
    /// 逾期未作延续决定 (Art. 50): a renewal not decided by the licence's last day, so that it is
    /// deemed granted (视为准予延续).
    RenewalDeemed,
    /// 交办异议逾期 (信访工作条例): a matter handed back later than 5 working days after it was
    /// received, or without the reasons the 信访部门 must be given.
    ObjectionLate,
    /// A custom rule from the configuration (a CEL expression over case facts); the alert's
    /// `code` names which.
    Custom,
}

impl Rule {
    /// Every built-in rule, in catalogue order.
    pub const ALL: [Rule; 18] = [
        Rule::TimeNear,
        Rule::TimeOverPromise,
        Rule::TimeOverLegal,
        Rule::StepOvertime,
        Rule::RefuseIllegal,
        Rule::NotAcceptInTime,
        Rule::MultiBuzheng,
        Rule::ExtraMaterial,
        Rule::FeeOver,
        Rule::SkipStep,
        Rule::Offline,
        Rule::AbnormalEnd,
        Rule::ExtUnapproved,
        Rule::DeliveryLate,
        Rule::HearingLate,
        Rule::HearingNoticeLate,
        Rule::RenewalDeemed,
        Rule::ObjectionLate,
    ];

    /// The rule's code, e.g. `TIME_NEAR`.
    pub fn code(self) -> &'static str {
        match self {
            Rule::TimeNear => "TIME_NEAR",
            Rule::TimeOverPromise => "TIME_OVER_PROMISE",
            Rule::TimeOverLegal => "TIME_OVER_LEGAL",
            Rule::StepOvertime => "STEP_OVERTIME",
            Rule::RefuseIllegal => "REFUSE_ILLEGAL",
            Rule::NotAcceptInTime => "NOT_ACCEPT_IN_TIME",
            Rule::MultiBuzheng => "MULTI_BUZHENG",
            Rule::ExtraMaterial => "EXTRA_MATERIAL",
            Rule::FeeOver => "FEE_OVER",
            Rule::SkipStep => "SKIP_STEP",
            Rule::Offline => "OFFLINE",
            Rule::AbnormalEnd => "ABNORMAL_END",
            Rule::ExtUnapproved => "EXT_UNAPPROVED",
            Rule::DeliveryLate => "DELIVERY_LATE",
            Rule::HearingLate => "HEARING_LATE",
            Rule::HearingNoticeLate => "HEARING_NOTICE_LATE",
            Rule::RenewalDeemed => "RENEWAL_DEEMED",
            Rule::ObjectionLate => "OBJECTION_LATE",
            Rule::Custom => "CUSTOM",
        }
    }

    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            Rule::TimeNear => "临近办理时限",
            Rule::TimeOverPromise => "超过承诺时限",
            Rule::TimeOverLegal => "超过法定时限",
            Rule::StepOvertime => "环节超时",
            Rule::RefuseIllegal => "不予受理或不予许可未说明理由",
            Rule::NotAcceptInTime => "逾期未受理且未一次性告知补正",
            Rule::MultiBuzheng => "多次要求补正",
            Rule::ExtraMaterial => "收取目录外材料或要件不全受理",
            Rule::FeeOver => "违规收费",
            Rule::SkipStep => "未经法定环节办结",
            Rule::Offline => "体外循环或先批后录",
            Rule::AbnormalEnd => "异常办结",
            Rule::ExtUnapproved => "违规延期",
            Rule::DeliveryLate => "逾期未颁发送达许可证件",
            Rule::HearingLate => "逾期未组织听证",
            Rule::HearingNoticeLate => "听证通知不足七日",
            Rule::RenewalDeemed => "逾期未作延续决定",
            Rule::ObjectionLate => "交办异议不符合规定",
            Rule::Custom => "自定义规则",
        }
    }

    /// The level the rule fires at unless configured otherwise.
    pub fn default_level(self) -> Level {
        match self {
            Rule::TimeNear => Level::Notice,
            Rule::StepOvertime => Level::Warning,
            Rule::TimeOverPromise
            | Rule::RefuseIllegal
            | Rule::NotAcceptInTime
            | Rule::MultiBuzheng
            | Rule::ExtraMaterial
            | Rule::AbnormalEnd
            | Rule::DeliveryLate
            | Rule::HearingLate
            | Rule::HearingNoticeLate
            | Rule::ObjectionLate => Level::Yellow,
            Rule::TimeOverLegal
            | Rule::FeeOver
            | Rule::SkipStep
            | Rule::Offline
            | Rule::ExtUnapproved
            | Rule::RenewalDeemed => Level::Red,
            Rule::Custom => Level::Warning,
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

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

/// A custom rule as written in the configuration:
///
/// ```toml
/// [[custom]]
/// code = "BIG_FEE"
/// name = "大额收费"
/// level = "yellow"
/// when = "fees_total_fen > 100000 && item_kind == 'promised'"
/// message = "收费合计超过1000元"
/// message_en = "fees above 1000 yuan in total"
/// ```
///
/// `when` is a [CEL](https://github.com/google/cel-spec) expression (non-Turing-complete, linear
/// time) that must give a boolean; it reads the facts listed in [`CUSTOM_RULE_FACTS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomRuleSpec {
    /// Code, `SCREAMING_SNAKE_CASE`, distinct from the built-in codes.
    pub code: String,
    /// Chinese name.
    pub name: String,
    /// Level of its alerts.
    pub level: Level,
    /// The CEL condition.
    pub when: String,
    /// The message (Chinese).
    pub message: String,
    /// The message in English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_en: Option<String>,
}

/// The case facts a custom rule may read, with their CEL types.
pub const CUSTOM_RULE_FACTS: &[(&str, &str)] = &[
    ("case_id", "string"),
    ("item_code", "string"),
    ("item_kind", "string: immediate, promised, forwarded, joint"),
    ("department", "string"),
    ("region", "string"),
    ("channel", "string: window, online, or empty"),
    ("accepted", "bool"),
    ("concluded", "bool"),
    ("decision", "string: granted, refused, forwarded, terminated, or empty"),
    ("refused_at_intake", "bool"),
    ("withdrawn", "bool"),
    ("supplement_requests", "int"),
    ("special_procedures", "int"),
    ("extensions", "int"),
    ("extension_days", "int"),
    ("steps_started", "int"),
    ("steps_completed", "int"),
    ("fees_total_fen", "int"),
    ("fee_codes", "list of string"),
    ("materials", "list of string"),
    ("events", "int: events applied"),
    ("returns", "int: 退回 count"),
    ("urges", "int: 催办 count"),
    ("max_entry_lag_minutes", "int"),
    ("promised_status", "string: the clock status against the promised limit, or empty"),
    ("promised_used_days", "int"),
    ("promised_remaining_days", "int"),
    ("working_days_since_received", "int"),
];

/// A compiled custom rule.
#[derive(Clone)]
pub struct CustomRule {
    /// As configured.
    pub spec: CustomRuleSpec,
    pub(crate) program: Arc<cel::Program>,
}

impl fmt::Debug for CustomRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomRule").field("spec", &self.spec).finish_non_exhaustive()
    }
}

impl PartialEq for CustomRule {
    fn eq(&self, other: &Self) -> bool {
        self.spec == other.spec
    }
}

impl CustomRule {
    fn compile(spec: CustomRuleSpec) -> Result<Self> {
        let at = format!("custom rule `{}`", spec.code);
        let valid_code = !spec.code.is_empty()
            && spec.code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        if !valid_code {
            return Err(Error::Config(format!("{at}: a code is SCREAMING_SNAKE_CASE (A–Z, 0–9, _)")));
        }
        if Rule::ALL.iter().any(|r| r.code() == spec.code) || spec.code == "CUSTOM" {
            return Err(Error::Config(format!("{at}: the code is taken by a built-in rule")));
        }
        zhengwu_core::check_expression(&spec.when).map_err(|e| Error::Config(format!("{at}: `when`: {e}")))?;
        let program = cel::Program::compile(&spec.when)
            .map_err(|e| Error::Config(format!("{at}: `{}` does not parse: {e}", spec.when)))?;
        // A dry run on an empty case finds unknown facts and non-boolean results now, not when a
        // case first needs the rule.
        let rule = Self { spec, program: Arc::new(program) };
        rule.check(&crate::rules::Facts::default()).map_err(|e| Error::Config(format!("{at}: {e}")))?;
        Ok(rule)
    }

    /// Evaluates the condition on one case's facts.
    pub(crate) fn check(&self, facts: &crate::rules::Facts) -> std::result::Result<bool, String> {
        let context = facts.context();
        match self.program.execute(&context) {
            Ok(cel::Value::Bool(value)) => Ok(value),
            Ok(other) => Err(format!("`{}` gave {other:?}, expected a boolean", self.spec.when)),
            Err(cel::ExecutionError::UndeclaredReference(name)) => {
                let known: Vec<&str> = CUSTOM_RULE_FACTS.iter().map(|(name, _)| *name).collect();
                Err(format!("`{}` reads unknown fact `{name}` (known: {})", self.spec.when, known.join(", ")))
            }
            Err(error) => Err(format!("`{}` failed: {error}", self.spec.when)),
        }
    }
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
    /// English.
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
        let file: ConfigFile = serde_json::from_str(text).map_err(|e| Error::Config(e.to_string()))?;
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
