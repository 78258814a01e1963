//! `zhengwu doc`: 公文 checked against the 行文规则 and the GB/T 9704 formats.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use serde::Serialize;
use zhengwu_core::{OfficialDocument, Severity, Violation};

use crate::calendar::Format;

#[derive(Subcommand)]
pub(crate) enum DocCommand {
    /// Checks a 公文 (JSON) against the 行文规则 and GB/T 9704 formats: every violation with its
    /// rule code and severity; exit 1 if there is an error (warnings alone exit 0).
    Validate {
        /// The document, JSON.
        doc: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Serialize)]
struct DocAnswer<'a> {
    id: &'a str,
    violations: &'a [Violation],
}

#[allow(clippy::print_stdout)]
pub(crate) fn doc(command: DocCommand) -> anyhow::Result<ExitCode> {
    let DocCommand::Validate { doc, format } = command;
    let text = String::from_utf8(crate::files::read_bytes(&doc)?)
        .with_context(|| format!("`{}` is not UTF-8", doc.display()))?;
    let document = OfficialDocument::from_json(&text).with_context(|| format!("in `{}`", doc.display()))?;
    let violations = document.validate();
    match format {
        Format::Json => {
            println!("{}", serde_json::to_string(&DocAnswer { id: &document.id, violations: &violations })?)
        }
        Format::Text if violations.is_empty() => println!("{}: no violations", document.id),
        Format::Text => {
            for violation in &violations {
                let severity = match violation.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                println!("{} {severity} [{}] {}", violation.code, violation.element, violation.message);
            }
        }
    }
    // Warnings (what holds "in principle") are shown but do not fail the document.
    let errors = violations.iter().any(|v| v.severity == Severity::Error);
    Ok(if errors { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
