//! Case data as typed values (conditions compare numbers, flags and text).

use std::collections::HashMap;

use crate::error::{ZhengwuError, invalid};

/// One value of case data. Lists and objects travel as JSON text (`Json`).
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum CaseValue {
    Null,
    Boolean {
        value: bool,
    },
    Integer {
        value: i64,
    },
    Number {
        value: f64,
    },
    Text {
        value: String,
    },
    /// A list or an object, as JSON text.
    Json {
        json: String,
    },
}

pub(crate) fn to_json_map(
    data: HashMap<String, CaseValue>,
) -> Result<serde_json::Map<String, serde_json::Value>, ZhengwuError> {
    let mut map = serde_json::Map::new();
    // Keys in order, so that the events a command records do not depend on hashing.
    let mut entries: Vec<(String, CaseValue)> = data.into_iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (key, value) in entries {
        let value = match value {
            CaseValue::Null => serde_json::Value::Null,
            CaseValue::Boolean { value } => value.into(),
            CaseValue::Integer { value } => value.into(),
            CaseValue::Number { value } => serde_json::Number::from_f64(value)
                .map(serde_json::Value::Number)
                .ok_or_else(|| invalid(format!("case data `{key}`: {value} is not a finite number")))?,
            CaseValue::Text { value } => value.into(),
            CaseValue::Json { json } => {
                serde_json::from_str(&json).map_err(|e| invalid(format!("case data `{key}`: not JSON: {e}")))?
            }
        };
        map.insert(key, value);
    }
    Ok(map)
}

pub(crate) fn from_json_map(map: &serde_json::Map<String, serde_json::Value>) -> HashMap<String, CaseValue> {
    map.iter().map(|(key, value)| (key.clone(), from_json(value))).collect()
}

fn from_json(value: &serde_json::Value) -> CaseValue {
    match value {
        serde_json::Value::Null => CaseValue::Null,
        serde_json::Value::Bool(value) => CaseValue::Boolean { value: *value },
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(value) => CaseValue::Integer { value },
            None => CaseValue::Number { value: n.as_f64().unwrap_or(f64::NAN) },
        },
        serde_json::Value::String(value) => CaseValue::Text { value: value.clone() },
        other => CaseValue::Json { json: other.to_string() },
    }
}

#[cfg(test)]
mod tests {
    use crate::value::{CaseValue, from_json_map, to_json_map};

    #[test]
    fn case_values_travel_as_json_and_back() {
        let data = [
            ("amount", CaseValue::Integer { value: 12000 }),
            ("ratio", CaseValue::Number { value: 0.5 }),
            ("urgent", CaseValue::Boolean { value: true }),
            ("name", CaseValue::Text { value: "张三".into() }),
            ("signers", CaseValue::Json { json: r#"["zj01","zj02"]"#.into() }),
            ("none", CaseValue::Null),
        ];
        let map = to_json_map(data.iter().cloned().map(|(k, v)| (k.to_owned(), v)).collect()).unwrap();
        assert_eq!(
            serde_json::Value::Object(map.clone()).to_string(),
            r#"{"amount":12000,"name":"张三","none":null,"ratio":0.5,"signers":["zj01","zj02"],"urgent":true}"#
        );
        let back = from_json_map(&map);
        for (key, value) in data {
            assert_eq!(back[key], value, "{key}");
        }
        let bad = [("x".to_owned(), CaseValue::Number { value: f64::NAN })].into_iter().collect();
        assert!(to_json_map(bad).unwrap_err().to_string().contains("case data `x`: NaN is not a finite number"));
        let bad = [("x".to_owned(), CaseValue::Json { json: "[1,".into() })].into_iter().collect();
        assert!(to_json_map(bad).unwrap_err().to_string().contains("case data `x`: not JSON"));
    }
}
