//! 公文: validation against the 2012 regulations and GB/T 9704, every violation listed.

use crate::error::{ZhengwuError, invalid};

/// Error or warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ViolationSeverity {
    /// The rule is broken: correct or return (退回) the document.
    Error,
    /// A rule that holds "in principle" (原则上) is not followed.
    Warning,
}

/// One breach of the 行文规则 or of the GB/T 9704 format.
#[derive(Debug, Clone, uniffi::Record)]
pub struct DocumentViolation {
    /// Stable rule code (`GW01` …).
    pub code: String,
    /// The element concerned (`签发人`, `主送机关`, …).
    pub element: String,
    pub severity: ViolationSeverity,
    /// What is wrong, in Chinese.
    pub message: String,
}

/// Validates a 公文 given as JSON (the `OfficialDocument` format): every violation, none when it
/// complies; a document that cannot be read is an error naming what is wrong.
#[uniffi::export]
pub fn validate_document(document_json: String) -> Result<Vec<DocumentViolation>, ZhengwuError> {
    let document = zhengwu_core::OfficialDocument::from_json(&document_json).map_err(|e| invalid(e.to_string()))?;
    Ok(document
        .validate()
        .into_iter()
        .map(|v| DocumentViolation {
            code: v.code.to_owned(),
            element: v.element.to_owned(),
            severity: match v.severity {
                zhengwu_core::Severity::Error => ViolationSeverity::Error,
                zhengwu_core::Severity::Warning => ViolationSeverity::Warning,
            },
            message: v.message,
        })
        .collect())
}
