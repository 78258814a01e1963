//! Versions of the formats zhengwu writes for others to read back: a stored case snapshot, a
//! process definition file, a statistics partial, a report. Each carries a `version` member
//! (case events carry `schema`, [`crate::SCHEMA_VERSION`]); a reader refuses a version it does
//! not know instead of misreading it, and each crate pins what it writes with snapshot tests.

use crate::error::{Error, Result};

/// Checks the `version` member read from a persisted `what`: `None` (absent) is accepted as
/// `current` when the member is optional (files written by hand before formats had versions),
/// refused when it is `required`; any other version is refused, naming both.
///
/// ```
/// use zhengwu_core::check_format_version;
/// assert!(check_format_version("case snapshot", Some(1), 1, true).is_ok());
/// assert!(check_format_version("process definition", None, 1, false).is_ok());
/// let error = check_format_version("case snapshot", Some(2), 1, true).unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "cannot parse case snapshot: format version 2 is not one this library reads (it reads version 1)"
/// );
/// ```
pub fn check_format_version(what: &'static str, found: Option<u64>, current: u32, required: bool) -> Result<()> {
    match found {
        Some(version) if version == u64::from(current) => Ok(()),
        None if !required => Ok(()),
        None => Err(Error::Parse { what, message: format!("the `version` member is missing (version {current})") }),
        Some(version) => Err(Error::Parse {
            what,
            message: format!("format version {version} is not one this library reads (it reads version {current})"),
        }),
    }
}

/// The `version` member of a JSON or TOML object, when present: what
/// [`check_format_version`] takes. A member of another type is read as version 0 (refused).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
pub struct FormatHeader {
    /// The version written, if any.
    #[serde(default, deserialize_with = "any_version")]
    pub version: Option<u64>,
}

fn any_version<'de, D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Option<u64>, D::Error> {
    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
    Ok(Some(value.as_u64().unwrap_or(0)))
}
