//! 自定义规则: custom rules, CEL conditions over the facts of one case, and the facts they read.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use zhengwu_core::{ClockReport, Decision, ItemKind, ServiceItem};

use crate::case::CaseState;
use crate::error::{Error, Result};
use crate::rule::{Level, Rule};

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

/// The type of a fact, as CEL sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FactType {
    /// A string.
    String,
    /// A 64-bit integer.
    Int,
    /// A boolean.
    Bool,
    /// A list of strings.
    StringList,
}

impl FactType {
    /// The CEL type's name (`string`, `int`, `bool`, `list(string)`).
    pub fn cel_name(self) -> &'static str {
        match self {
            FactType::String => "string",
            FactType::Int => "int",
            FactType::Bool => "bool",
            FactType::StringList => "list(string)",
        }
    }

    /// The value an empty case has (the dry run at compile time).
    fn zero(self) -> cel::Value {
        match self {
            FactType::String => String::new().into(),
            FactType::Int => 0i64.into(),
            FactType::Bool => false.into(),
            FactType::StringList => Vec::<String>::new().into(),
        }
    }
}

/// One fact a custom rule may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// The name a condition uses.
    pub name: &'static str,
    /// Its type.
    pub kind: FactType,
    /// What it holds, where the name does not say (its values, for a string).
    pub note: &'static str,
}

/// The case facts a custom rule may read, with their CEL types.
pub const CUSTOM_RULE_FACTS: &[Fact] = &[
    Fact { name: "case_id", kind: FactType::String, note: "" },
    Fact { name: "item_code", kind: FactType::String, note: "" },
    Fact { name: "item_kind", kind: FactType::String, note: "immediate, promised, forwarded, joint" },
    Fact { name: "department", kind: FactType::String, note: "" },
    Fact { name: "region", kind: FactType::String, note: "" },
    Fact { name: "channel", kind: FactType::String, note: "window, online, or empty" },
    Fact { name: "accepted", kind: FactType::Bool, note: "" },
    Fact { name: "concluded", kind: FactType::Bool, note: "" },
    Fact { name: "decision", kind: FactType::String, note: "granted, refused, forwarded, terminated, or empty" },
    Fact { name: "refused_at_intake", kind: FactType::Bool, note: "" },
    Fact { name: "withdrawn", kind: FactType::Bool, note: "" },
    Fact { name: "supplement_requests", kind: FactType::Int, note: "" },
    Fact { name: "special_procedures", kind: FactType::Int, note: "" },
    Fact { name: "extensions", kind: FactType::Int, note: "" },
    Fact { name: "extension_days", kind: FactType::Int, note: "" },
    Fact { name: "steps_started", kind: FactType::Int, note: "" },
    Fact { name: "steps_completed", kind: FactType::Int, note: "" },
    Fact { name: "fees_total_fen", kind: FactType::Int, note: "" },
    Fact { name: "fee_codes", kind: FactType::StringList, note: "" },
    Fact { name: "materials", kind: FactType::StringList, note: "" },
    Fact { name: "events", kind: FactType::Int, note: "events applied" },
    Fact { name: "returns", kind: FactType::Int, note: "退回 count" },
    Fact { name: "urges", kind: FactType::Int, note: "催办 count" },
    Fact { name: "max_entry_lag_minutes", kind: FactType::Int, note: "" },
    Fact {
        name: "promised_status",
        kind: FactType::String,
        note: "the clock status against the promised limit, or empty",
    },
    Fact { name: "promised_used_days", kind: FactType::Int, note: "" },
    Fact { name: "promised_remaining_days", kind: FactType::Int, note: "" },
    Fact { name: "working_days_since_received", kind: FactType::Int, note: "" },
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
    pub(crate) fn compile(spec: CustomRuleSpec) -> Result<Self> {
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
        rule.check(&Facts::default()).map_err(|e| Error::Config(format!("{at}: {e}")))?;
        Ok(rule)
    }

    /// Evaluates the condition on one case's facts.
    pub(crate) fn check(&self, facts: &Facts) -> std::result::Result<bool, String> {
        let context = facts.context();
        match self.program.execute(&context) {
            Ok(cel::Value::Bool(value)) => Ok(value),
            Ok(other) => Err(format!("`{}` gave {other:?}, expected a boolean", self.spec.when)),
            Err(cel::ExecutionError::UndeclaredReference(name)) => {
                let known: Vec<&str> = CUSTOM_RULE_FACTS.iter().map(|fact| fact.name).collect();
                Err(format!("`{}` reads unknown fact `{name}` (known: {})", self.spec.when, known.join(", ")))
            }
            Err(error) => Err(format!("`{}` failed: {error}", self.spec.when)),
        }
    }
}

/// The facts of one case that custom rules read (see `CUSTOM_RULE_FACTS`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    strings: Vec<(&'static str, String)>,
    ints: Vec<(&'static str, i64)>,
    bools: Vec<(&'static str, bool)>,
    lists: Vec<(&'static str, Vec<String>)>,
}

impl Facts {
    pub(crate) fn of(
        case: &CaseState,
        item: &ServiceItem,
        promised: Option<&ClockReport>,
        working_days_since: i64,
    ) -> Self {
        let kind = match item.kind {
            ItemKind::Immediate => "immediate",
            ItemKind::Promised => "promised",
            ItemKind::Forwarded => "forwarded",
            ItemKind::Joint => "joint",
        };
        let channel = match case.channel {
            Some(zhengwu_core::Channel::Window) => "window",
            Some(zhengwu_core::Channel::Online) => "online",
            None => "",
        };
        let decision = match case.conclusion.as_ref().map(|c| c.decision) {
            Some(Decision::Granted) => "granted",
            Some(Decision::Refused) => "refused",
            Some(Decision::Forwarded) => "forwarded",
            Some(Decision::Terminated) => "terminated",
            None => "",
        };
        let status = promised
            .map(|r| {
                serde_json::to_value(r.status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
            })
            .unwrap_or_default();
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        Self {
            strings: vec![
                ("case_id", case.case_id.to_string()),
                ("item_code", case.item_code.to_string()),
                ("item_kind", kind.to_owned()),
                ("department", case.department.to_string()),
                ("region", case.region.to_string()),
                ("channel", channel.to_owned()),
                ("decision", decision.to_owned()),
                ("promised_status", status),
            ],
            ints: vec![
                ("supplement_requests", count(case.timeline.supplements.len())),
                ("special_procedures", count(case.timeline.procedures.len())),
                ("extensions", count(case.timeline.extensions.len())),
                ("extension_days", case.timeline.extensions.iter().map(|e| i64::from(e.days)).sum()),
                ("steps_started", count(case.steps.len())),
                ("steps_completed", count(case.steps.iter().filter(|s| s.completed_at.is_some()).count())),
                ("fees_total_fen", case.fees.iter().map(|f| f.amount_fen).sum()),
                ("events", i64::try_from(case.last_sequence).unwrap_or(i64::MAX)),
                ("returns", i64::from(case.returns)),
                ("urges", i64::from(case.urges)),
                ("max_entry_lag_minutes", case.max_entry_lag.as_ref().map_or(0, |l| l.minutes)),
                ("promised_used_days", promised.map_or(0, |r| r.used_days)),
                ("promised_remaining_days", promised.map_or(0, |r| r.remaining_days)),
                ("working_days_since_received", working_days_since),
            ],
            bools: vec![
                ("accepted", case.accepted_at.is_some()),
                ("concluded", case.conclusion.is_some()),
                ("refused_at_intake", case.refused_at.is_some()),
                ("withdrawn", case.withdrawn_at.is_some()),
            ],
            lists: vec![
                ("fee_codes", case.fees.iter().map(|f| f.fee_code.clone()).collect()),
                ("materials", case.materials.iter().cloned().collect()),
            ],
        }
    }

    /// A CEL context holding every fact (zero values when built by `default`).
    pub(crate) fn context(&self) -> cel::Context<'_, '_> {
        let mut context = cel::Context::default();
        for fact in CUSTOM_RULE_FACTS {
            context.add_variable_from_value(fact.name, self.value(fact));
        }
        context
    }

    fn value(&self, fact: &Fact) -> cel::Value {
        let name = fact.name;
        if let Some((_, v)) = self.strings.iter().find(|(n, _)| *n == name) {
            return v.clone().into();
        }
        if let Some((_, v)) = self.ints.iter().find(|(n, _)| *n == name) {
            return (*v).into();
        }
        if let Some((_, v)) = self.bools.iter().find(|(n, _)| *n == name) {
            return (*v).into();
        }
        if let Some((_, v)) = self.lists.iter().find(|(n, _)| *n == name) {
            return v.clone().into();
        }
        // An empty case (the dry run): the zero value of the fact's type.
        fact.kind.zero()
    }
}
