//! Expressions in modelers' files: assignment expressions, JUEL conditions, completion
//! conditions of multi-instance tasks.

use crate::definition::CompletionPolicy;

/// A JUEL condition (`${decision == 'approve' and amount gt 1000}`) as CEL over the case data:
/// JUEL's word operators (`and`, `or`, `not`, `eq`, `ne`, `lt`, `gt`, `le`, `ge`, `mod`) become CEL's;
/// a method call (`execution.getVariable('x')`, `customer.prop('age')`) is refused, as zhengwu
/// has no such objects to call. Text outside `${...}` is left as written (plain CEL).
pub(super) fn juel_to_cel(condition: &str) -> std::result::Result<String, String> {
    let trimmed = condition.trim();
    let Some(inner) =
        trimmed.strip_prefix("${").or_else(|| trimmed.strip_prefix("#{")).and_then(|rest| rest.strip_suffix('}'))
    else {
        return Ok(condition.to_owned());
    };
    let rewritten = variable_functions(inner);
    let inner = rewritten.as_str();
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.char_indices().peekable();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String, next: Option<char>| -> std::result::Result<(), String> {
        if word.is_empty() {
            return Ok(());
        }
        let replaced = match word.as_str() {
            "and" => "&&",
            "or" => "||",
            "not" => "!",
            "eq" => "==",
            "ne" => "!=",
            "lt" => "<",
            "gt" => ">",
            "le" => "<=",
            "ge" => ">=",
            "mod" => "%",
            "empty" => {
                return Err(format!(
                    "the condition `{}` uses JUEL's `empty`; compare with '' instead",
                    condition.trim()
                ));
            }
            other if next == Some('(') && !matches!(other, "size" | "has" | "int" | "double" | "string") => {
                return Err(format!(
                    "the condition `{}` calls `{other}(…)`: zhengwu evaluates expressions over case data, not \
                     method calls",
                    condition.trim()
                ));
            }
            other => other,
        };
        out.push_str(replaced);
        word.clear();
        Ok(())
    };
    while let Some((_, c)) = chars.next() {
        if c == '\'' || c == '"' {
            flush(&mut word, &mut out, Some(c))?;
            out.push(c);
            for (_, inner) in chars.by_ref() {
                out.push(inner);
                if inner == c {
                    break;
                }
            }
        } else if c.is_alphanumeric() || c == '_' || (c == '.' && !word.is_empty()) {
            word.push(c);
        } else {
            let next = if c.is_whitespace() { chars.peek().map(|(_, n)| *n).filter(|n| *n == '(') } else { Some(c) };
            flush(&mut word, &mut out, next)?;
            out.push(c);
        }
    }
    flush(&mut word, &mut out, None)?;
    Ok(format!("${{{}}}", out.trim()))
}

/// Flowable's and Camunda's ways of reading a variable, as the variable itself: `var:get(x)` and
/// `variables:get(x)` as `x`, `var:equals(a, b)` as `(a == b)` (and `notEquals`, `lowerThan`,
/// `greaterThan`, `lowerThanOrEquals`, `greaterThanOrEquals` as `!=`, `<`, `>`, `<=`, `>=`),
/// `execution.getVariable('x')` as `x`, `a.equals(b)` as `(a == b)`. Arguments are taken as written
/// (names or literals, without nested calls); anything else is left for the caller to refuse.
fn variable_functions(expression: &str) -> String {
    let mut text = expression.to_owned();
    // Each pass rewrites the first call it recognises; an expression has a handful at most.
    for _ in 0..64 {
        let Some(next) = rewrite_one(&text) else { break };
        text = next;
    }
    text
}

fn rewrite_one(text: &str) -> Option<String> {
    let operators = [
        ("equals", "=="),
        ("notEquals", "!="),
        ("lowerThan", "<"),
        ("greaterThan", ">"),
        ("lowerThanOrEquals", "<="),
        ("greaterThanOrEquals", ">="),
    ];
    // The arguments of a call whose `(` is at `open`: up to the matching `)`, split at top-level
    // commas; `None` when a nested call or an unclosed parenthesis is met.
    let arguments = |open: usize| -> Option<(Vec<String>, usize)> {
        let mut args = vec![String::new()];
        let mut quote = None;
        for (offset, c) in text[open + 1..].char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '(') => return None,
                (None, ')') => {
                    return Some((args.into_iter().map(|a| a.trim().to_owned()).collect(), open + 1 + offset));
                }
                (None, ',') => {
                    args.push(String::new());
                    continue;
                }
                _ => {}
            }
            if let Some(last) = args.last_mut() {
                last.push(c);
            }
        }
        None
    };
    for prefix in ["var:", "variables:"] {
        if let Some(start) = text.find(prefix) {
            let name_start = start + prefix.len();
            let open = name_start + text[name_start..].find('(')?;
            let function = &text[name_start..open];
            let (args, close) = arguments(open)?;
            let replacement = match (function, args.as_slice()) {
                ("get", [variable]) => variable.clone(),
                (function, [a, b]) => {
                    let (_, operator) = operators.iter().find(|(name, _)| *name == function)?;
                    format!("({a} {operator} {b})")
                }
                _ => return None,
            };
            return Some(format!("{}{replacement}{}", &text[..start], &text[close + 1..]));
        }
    }
    if let Some(start) = text.find("execution.getVariable(") {
        let open = start + "execution.getVariable".len();
        let (args, close) = arguments(open)?;
        let [variable] = args.as_slice() else { return None };
        let name = variable.trim_matches(|c| c == '\'' || c == '"');
        return Some(format!("{}{name}{}", &text[..start], &text[close + 1..]));
    }
    if let Some(dot) = text.find(".equals(") {
        let open = dot + ".equals".len();
        let (args, close) = arguments(open)?;
        let [other] = args.as_slice() else { return None };
        let receiver_start = text[..dot].rfind(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
        let receiver = &text[receiver_start..dot];
        if receiver.is_empty() {
            return None;
        }
        return Some(format!("{}({receiver} == {other}){}", &text[..receiver_start], &text[close + 1..]));
    }
    None
}

/// A timer's `timeDuration` (ISO 8601: `P3D`, `PT4H`, `P1W`, `P1DT12H`), as elapsed seconds, or as
/// working days with `zhengwu:unit="working_days"` (`P5D` is then five working days on the
/// statutory calendar). A fraction of a second rounds up; years and months, which have no fixed
/// length, fractions of larger units and expressions are refused.
/// A `timeDate`: an ISO 8601 date-time (China time without an offset), or a case variable
/// (`${due}`, or JUEL's deferred `#{due}`).
pub(super) fn timer_date(text: &str) -> std::result::Result<crate::definition::TimerDuration, String> {
    use crate::definition::TimerDuration;
    let text = text.trim();
    if text.is_empty() {
        return Err("has an empty timeDate".to_owned());
    }
    let deferred = text.strip_prefix("#{").map(|rest| format!("${{{rest}"));
    match expression(deferred.as_deref().unwrap_or(text)) {
        Some(Expression::Variable(name)) => return Ok(TimerDuration::AtVariable(name)),
        Some(_) => return Err(format!("timeDate `{text}` is not a date-time or a case variable (`${{due}}`)")),
        None => {}
    }
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(TimerDuration::At(at));
    }
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .ok()
        .and_then(|local| {
            use chrono::TimeZone;
            zhengwu_core::china_offset().from_local_datetime(&local).single()
        })
        .map(TimerDuration::At)
        .ok_or_else(|| format!("timeDate `{text}` is not an ISO 8601 date-time (2025-06-30T17:00:00+08:00)"))
}

pub(super) fn timer_duration(
    text: Option<&str>,
    unit: Option<&str>,
) -> std::result::Result<crate::definition::TimerDuration, String> {
    use crate::definition::TimerDuration;
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Err("has no timeDuration or timeDate".to_owned());
    };
    if text.contains("${") || text.contains("#{") {
        return Err(format!("the duration `{text}` is an expression; give an ISO 8601 duration (P3D, PT4H)"));
    }
    // A fraction of a second (test suites' `PT0.05S`) rounds up: a timer counts whole seconds.
    let rounded;
    let split = text.strip_suffix('S').and_then(|body| {
        let at = body.rfind(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        Some((&body[..=at], &body[at + 1..]))
    });
    let text = match split {
        Some((head, seconds)) if seconds.contains('.') => {
            let value: f64 = seconds.parse().map_err(|_| format!("`{text}` is not an ISO 8601 duration"))?;
            rounded = format!("{head}{}S", value.ceil() as u64);
            rounded.as_str()
        }
        _ => text,
    };
    if text.contains('.') || text.contains(',') {
        return Err(format!("`{text}` has a fraction of a day, an hour or a minute; give whole units"));
    }
    let bad = || format!("`{text}` is not an ISO 8601 duration of weeks, days, hours, minutes or seconds (P3D, PT4H)");
    let rest = text.strip_prefix('P').ok_or_else(bad)?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut seconds: u64 = 0;
    let mut whole_days = true;
    let parts: [(&str, &[(char, u64)]); 2] =
        [(date, &[('W', 604_800), ('D', 86_400)]), (time, &[('H', 3_600), ('M', 60), ('S', 1)])];
    for (part, units) in parts {
        let mut number = String::new();
        let mut remaining = units.iter();
        for c in part.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let Some((_, size)) = remaining.by_ref().find(|(letter, _)| *letter == c) else { return Err(bad()) };
            let n: u64 = number.parse().map_err(|_| bad())?;
            number.clear();
            if *size < 86_400 && n > 0 {
                whole_days = false;
            }
            seconds = n.checked_mul(*size).and_then(|s| seconds.checked_add(s)).ok_or_else(bad)?;
        }
        if !number.is_empty() {
            return Err(bad());
        }
    }
    match unit {
        None | Some("elapsed") => Ok(TimerDuration::Seconds(seconds)),
        Some("working_days") if whole_days => {
            Ok(TimerDuration::WorkingDays(u32::try_from(seconds / 86_400).map_err(|_| bad())?))
        }
        Some("working_days") => Err(format!("`{text}` is not a whole number of working days")),
        Some(other) => Err(format!("`zhengwu:unit` is `{other}`; expected working_days or elapsed")),
    }
}

/// A `${...}` or `#{...}` expression in an assignment attribute, or Activiti's `$INITIATOR`.
pub(super) enum Expression {
    /// `${name}`: a case variable.
    Variable(String),
    /// `${'a, b'}`: a string literal.
    Literal(String),
    /// Anything else (a method call, an operator).
    Other(String),
}

/// The expression an assignment attribute holds, or `None` for plain text.
pub(super) fn expression(value: &str) -> Option<Expression> {
    let value = value.trim();
    if value == "$INITIATOR" {
        return Some(Expression::Variable("initiator".to_owned()));
    }
    let inner = value.strip_prefix("${").or_else(|| value.strip_prefix("#{"))?;
    let Some(inner) = inner.strip_suffix('}') else { return Some(Expression::Other(value.to_owned())) };
    let inner = inner.trim();
    let identifier = !inner.is_empty()
        && inner.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !inner.starts_with(|c: char| c.is_ascii_digit());
    if identifier {
        return Some(Expression::Variable(inner.to_owned()));
    }
    for quote in ['\'', '"'] {
        if let Some(text) = inner.strip_prefix(quote).and_then(|t| t.strip_suffix(quote))
            && !text.contains(quote)
        {
            return Some(Expression::Literal(text.to_owned()));
        }
    }
    Some(Expression::Other(value.to_owned()))
}

/// Reads the usual Flowable / Camunda completion conditions.
pub(super) fn completion_policy(condition: Option<&str>) -> std::result::Result<CompletionPolicy, String> {
    let Some(condition) = condition else { return Ok(CompletionPolicy::All) };
    let compact: String = crate::process::condition_source(condition).chars().filter(|c| !c.is_whitespace()).collect();
    let ratio_prefix = "nrOfCompletedInstances/nrOfInstances";
    match compact.as_str() {
        "" | "nrOfCompletedInstances==nrOfInstances" | "nrOfCompletedInstances>=nrOfInstances" => {
            Ok(CompletionPolicy::All)
        }
        "nrOfCompletedInstances>=1" | "nrOfCompletedInstances>0" => Ok(CompletionPolicy::Any),
        other if other.starts_with(ratio_prefix) => {
            let rest = &other[ratio_prefix.len()..];
            let (strict, number) = if let Some(n) = rest.strip_prefix(">=") {
                (false, n)
            } else if let Some(n) = rest.strip_prefix('>') {
                (true, n)
            } else {
                return Err(format!("completionCondition `{condition}` is not supported"));
            };
            let ratio: f64 =
                number.parse().map_err(|_| format!("completionCondition `{condition}` is not supported"))?;
            if strict && (ratio - 0.5).abs() < f64::EPSILON {
                Ok(CompletionPolicy::Majority)
            } else if strict {
                Err(format!("completionCondition `{condition}`: use `>=` with a ratio, or `> 0.5` for a majority"))
            } else {
                Ok(CompletionPolicy::Ratio(ratio))
            }
        }
        _ => Err(format!("completionCondition `{condition}` is not supported")),
    }
}
