//! `zhengwu workflow validate` and `zhengwu workflow export`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use zhengwu_workflow::{Error, Process, ProcessDefinition, ProcessFormat, export_bpmn};

#[derive(Subcommand)]
pub(crate) enum WorkflowCommand {
    /// Checks a process (BPMN 2.0 XML, JSON or TOML by extension): prints every problem and exits
    /// 1 if there is any.
    Validate {
        /// The process file.
        file: PathBuf,
    },
    /// Converts a process to BPMN 2.0 XML or JSON, on standard output.
    Export {
        /// The process file.
        file: PathBuf,
        /// The output format.
        #[arg(long, value_enum)]
        to: Target,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Target {
    Bpmn,
    Json,
}

fn read(path: &Path) -> anyhow::Result<Result<ProcessDefinition, Error>> {
    let text = crate::files::read_text(path)?;
    let format = ProcessFormat::parse(&path.to_string_lossy()).with_context(|| format!("`{}`", path.display()))?;
    Ok(ProcessDefinition::read(&text, format))
}

/// Prints the problems of a failed read or validation; exit 1.
#[allow(clippy::print_stdout)]
fn report(path: &Path, error: &Error) -> ExitCode {
    let problems = match error {
        Error::Bpmn(problems) | Error::InvalidProcess { problems, .. } => {
            problems.iter().map(ToString::to_string).collect()
        }
        other => vec![other.to_string()],
    };
    println!("{}: {} problem{}", path.display(), problems.len(), if problems.len() == 1 { "" } else { "s" });
    for problem in problems {
        println!("  {problem}");
    }
    ExitCode::from(1)
}

#[allow(clippy::print_stdout)]
pub(crate) fn run(command: WorkflowCommand) -> anyhow::Result<ExitCode> {
    match command {
        WorkflowCommand::Validate { file } => {
            let definition = match read(&file)? {
                Ok(definition) => definition,
                Err(error) => return Ok(report(&file, &error)),
            };
            match Process::new(definition) {
                Ok(process) => {
                    println!(
                        "{}: valid process `{}` ({}), {} tasks",
                        file.display(),
                        process.id(),
                        process.name(),
                        process.tasks().count()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(error) => Ok(report(&file, &error)),
            }
        }
        WorkflowCommand::Export { file, to } => {
            let definition = match read(&file)? {
                Ok(definition) => definition,
                Err(error) => return Ok(report(&file, &error)),
            };
            if let Err(error) = Process::new(definition.clone()) {
                return Ok(report(&file, &error));
            }
            match to {
                Target::Bpmn => print!("{}", export_bpmn(&definition)),
                Target::Json => println!("{}", definition.to_json()),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
