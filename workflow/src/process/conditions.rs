//! Conditions on flows: CEL compiled at validation (BPMN's `${...}` unwrapped), evaluated on a
//! case's data.

use std::collections::HashMap;
use std::sync::Arc;

use zhengwu_core::Problems;

use crate::definition::Flow;
use crate::error::{Error, Result};

/// A condition as written in BPMN (`${amount > 1000}`) or plainly (`amount > 1000`), as CEL.
pub(crate) fn condition_source(condition: &str) -> &str {
    let trimmed = condition.trim();
    trimmed
        .strip_prefix("${")
        .or_else(|| trimmed.strip_prefix("#{"))
        .and_then(|rest| rest.strip_suffix('}'))
        .map_or(trimmed, str::trim)
}

/// Compiles a flow's condition (bounded first) into `conditions`, or records why it does not parse.
pub(super) fn compile_condition(
    flow: &Flow,
    condition: &str,
    conditions: &mut HashMap<String, Arc<cel::Program>>,
    problems: &mut Problems,
) {
    match zhengwu_core::check_expression(condition_source(condition))
        .and_then(|()| cel::Program::compile(condition_source(condition)).map_err(|e| e.to_string()))
    {
        Ok(program) => {
            conditions.insert(flow.id.clone(), Arc::new(program));
        }
        Err(error) => problems.push(
            format!("flow `{}`", flow.id),
            format!("condition `{}` does not parse: {error}", abbreviated(condition)),
        ),
    }
}

/// A condition as an error message quotes it: whole when short, its first 60 characters and
/// its length otherwise.
pub(super) fn abbreviated(condition: &str) -> String {
    if condition.chars().count() <= 80 {
        return condition.to_owned();
    }
    let head: String = condition.chars().take(60).collect();
    format!("{head}… ({} bytes)", condition.len())
}

/// Case data as the variables of a CEL evaluation.
pub(super) fn context(data: &serde_json::Map<String, serde_json::Value>) -> cel::Context<'static, 'static> {
    let mut context = cel::Context::default();
    for (name, value) in data {
        context.add_variable_from_value(name.as_str(), to_cel(value));
    }
    context
}

/// Whether a flow's compiled condition holds for the data in `context`; a condition that does not
/// give a boolean, or reads data the case lacks, is an error naming the flow.
pub(super) fn holds(
    process: &str,
    flow: &Flow,
    program: &cel::Program,
    context: &cel::Context<'_, '_>,
) -> Result<bool> {
    let condition = flow.condition.as_deref().unwrap_or_default();
    let error = |message: String| {
        let mut problems = Problems::default();
        problems.push(format!("flow `{}`", flow.id), message);
        Error::InvalidProcess { process: process.to_owned(), problems }
    };
    match program.execute(context) {
        Ok(cel::Value::Bool(holds)) => Ok(holds),
        Ok(other) => Err(error(format!("`{condition}` gave {other:?}, expected a boolean"))),
        Err(cel::ExecutionError::UndeclaredReference(name)) => {
            Err(error(format!("`{condition}` reads `{name}`, which the case data lacks")))
        }
        Err(failure) => Err(error(format!("`{condition}` failed: {failure}"))),
    }
}

/// Case data (JSON) as a CEL value.
fn to_cel(value: &serde_json::Value) -> cel::Value {
    match value {
        serde_json::Value::Null => cel::Value::Null,
        serde_json::Value::Bool(b) => (*b).into(),
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.into(),
            (None, Some(f)) => f.into(),
            _ => cel::Value::Null,
        },
        serde_json::Value::String(s) => s.clone().into(),
        serde_json::Value::Array(items) => items.iter().map(to_cel).collect::<Vec<_>>().into(),
        serde_json::Value::Object(map) => {
            map.iter().map(|(k, v)| (k.clone(), to_cel(v))).collect::<HashMap<String, cel::Value>>().into()
        }
    }
}
