//! JSON read with errors that name the member at fault: serde_json's own message gives a line
//! and column ("input contains invalid characters at line 1 column 136"), which a vendor's
//! developer has to count out; [`from_json`] prefixes it with the member's path
//! (`` `occurred_at`: … ``, `` `item[2].legal_limit.days`: … ``).

use serde::de::DeserializeOwned;

/// Reads `text` as a `T`; on failure, the error message with the path of the member that was
/// wrong in front of it (none for an error of the whole text, such as a truncated one).
///
/// The text is read once at full speed; only a text that fails is read again with the path
/// tracked (`serde_path_to_error`), so well-formed input pays nothing for the message.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Limit { days: u32 }
/// #[derive(serde::Deserialize)]
/// struct Item { code: String, limit: Limit }
///
/// let error = zhengwu_core::from_json::<Vec<Item>>(r#"[{"code": "A", "limit": {"days": 20}},
///     {"code": "B", "limit": {"days": "twenty"}}]"#).err().unwrap();
/// assert_eq!(error, r#"`[1].limit.days`: invalid type: string "twenty", expected u32 at line 2 column 44"#);
/// // An error of the whole text has no member to name.
/// assert_eq!(zhengwu_core::from_json::<Vec<Item>>("[").err().unwrap(), "EOF while parsing a list at line 1 column 1");
/// ```
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|error: serde_json::Error| {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let path = serde_path_to_error::deserialize::<_, T>(&mut deserializer).err().map(|e| e.path().to_string());
        match path {
            // "." is the whole text: nothing to add to the message.
            Some(path) if !matches!(path.as_str(), "" | "." | "?") => format!("`{path}`: {error}"),
            _ => error.to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use crate::json::from_json;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Event {
        at: chrono::DateTime<chrono::FixedOffset>,
        actor: Actor,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Actor {
        id: String,
    }

    #[test]
    fn a_wrong_member_is_named_by_its_path() {
        let error = from_json::<Event>(r#"{"at": "garbage", "actor": {"id": "w1"}}"#).unwrap_err();
        assert_eq!(error, "`at`: input contains invalid characters at line 1 column 16");
        let error = from_json::<Event>(r#"{"at": "2025-03-03T09:00:00+08:00", "actor": {"id": 7}}"#).unwrap_err();
        assert_eq!(error, "`actor.id`: invalid type: integer `7`, expected a string at line 1 column 53");
        let error = from_json::<Event>(r#"{"at": "2025-03-03T09:00:00+08:00", "actor": {}}"#).unwrap_err();
        assert_eq!(error, "`actor`: missing field `id` at line 1 column 47");
        // A missing member of the whole object, and text that is not JSON, have no path.
        assert_eq!(
            from_json::<Event>(r#"{"at": "2025-03-03T09:00:00+08:00"}"#).unwrap_err(),
            "missing field `actor` at line 1 column 35"
        );
        assert_eq!(from_json::<Event>("{not json").unwrap_err(), "key must be a string at line 1 column 2");
        assert!(from_json::<Event>(r#"{"at": "2025-03-03T09:00:00+08:00", "actor": {"id": "w1"}}"#).is_ok());
    }
}
