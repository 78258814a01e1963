//! `zhengwu credit`: 统一社会信用代码 checked.

use std::process::ExitCode;

use clap::Subcommand;

#[derive(Subcommand)]
pub(crate) enum CreditCommand {
    /// Checks 统一社会信用代码: one line per code, `valid` or the reason; exit 0 only if all are valid.
    Check {
        /// The codes.
        #[arg(required = true)]
        codes: Vec<String>,
    },
}

#[allow(clippy::print_stdout)]
pub(crate) fn run(command: CreditCommand) -> anyhow::Result<ExitCode> {
    let CreditCommand::Check { codes } = command;
    let mut all_valid = true;
    for code in codes {
        match code.parse::<zhengwu_credit::CreditCode>() {
            Ok(parsed) => {
                let warnings = parsed.warnings();
                if warnings.is_empty() {
                    println!("{code} valid");
                } else {
                    println!("{code} valid (warning: {})", warnings.join("; "));
                }
            }
            Err(error) => {
                all_valid = false;
                println!("{code} invalid: {error}");
            }
        }
    }
    Ok(if all_valid { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
