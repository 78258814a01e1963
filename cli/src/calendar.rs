//! `zhengwu calendar`: the statutory working-day calendar (工作日历), and the calendar options
//! (`--schedule`, `--provisional`) and output format every command shares.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use zhengwu_core::{Calendar, DayKind, ScheduleFile};

use crate::files;

#[derive(Subcommand)]
pub(crate) enum CalendarCommand {
    /// Whether DATE is a working day: prints `workday` or `off`.
    IsWorkday {
        /// The date, YYYY-MM-DD.
        date: NaiveDate,
        #[command(flatten)]
        common: Common,
    },
    /// The due date of a limit counted from DATE (the start day is never counted).
    Deadline {
        /// The start date (受理日期), YYYY-MM-DD.
        #[arg(long)]
        from: NaiveDate,
        /// A limit in working days (工作日, 行政许可法 Art. 82).
        #[arg(long, conflicts_with = "calendar_days", required_unless_present = "calendar_days")]
        working_days: Option<u32>,
        /// A limit in calendar days; a last day off moves to the next working day (民法典 Art. 203).
        #[arg(long)]
        calendar_days: Option<u32>,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Args)]
pub(crate) struct Common {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
    /// A schedule file (TOML or JSON) adding years after 2026 or replacing embedded ones.
    #[arg(long, value_name = "PATH")]
    pub(crate) schedule: Vec<PathBuf>,
    /// Project YEAR from the statutory rules because its notice is not published yet (only the
    /// statutory days off; no bridging days, no 调休). Results that use it are marked provisional.
    #[arg(long, value_name = "YEAR")]
    pub(crate) provisional: Vec<i32>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

pub(crate) fn calendar(common: &Common) -> anyhow::Result<Calendar> {
    let mut calendar = Calendar::china();
    for path in &common.schedule {
        let text = files::read_text(path)?;
        let file = if path.extension().is_some_and(|e| e == "json") {
            ScheduleFile::from_json(&text)
        } else {
            ScheduleFile::from_toml(&text)
        }
        .with_context(|| format!("in `{}`", path.display()))?;
        calendar = calendar.with_schedules(file).with_context(|| format!("in `{}`", path.display()))?;
    }
    let mut years = common.provisional.clone();
    years.sort_unstable();
    for year in years {
        calendar = calendar.with_provisional_year(year).with_context(|| format!("cannot project year {year}"))?;
    }
    Ok(calendar)
}

#[derive(Serialize)]
struct WorkdayAnswer {
    date: NaiveDate,
    workday: bool,
    #[serde(flatten)]
    kind: DayKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    provisional_year: Option<i32>,
}

#[derive(Serialize)]
struct DeadlineAnswer {
    from: NaiveDate,
    days: u32,
    unit: &'static str,
    due: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    provisional_year: Option<i32>,
}

/// The text marker of a result that rests on a projected year.
fn marker(provisional_year: Option<i32>) -> String {
    provisional_year
        .map(|year| format!(" (provisional: {year} projected from the statutory rules, no notice published)"))
        .unwrap_or_default()
}

#[allow(clippy::print_stdout)]
pub(crate) fn run(command: CalendarCommand) -> anyhow::Result<ExitCode> {
    match command {
        CalendarCommand::IsWorkday { date, common } => {
            let calendar = calendar(&common)?;
            let kind = calendar.day_kind(date)?;
            let provisional_year = calendar.provisional_year_in(date, date);
            let answer = WorkdayAnswer { date, workday: kind.is_workday(), kind, provisional_year };
            match common.format {
                Format::Text => {
                    println!("{}{}", if answer.workday { "workday" } else { "off" }, marker(provisional_year))
                }
                Format::Json => println!("{}", serde_json::to_string(&answer)?),
            }
        }
        CalendarCommand::Deadline { from, working_days, calendar_days, common } => {
            let calendar = calendar(&common)?;
            let (limit, unit) = match (working_days, calendar_days) {
                (Some(days), _) => (zhengwu_core::TimeLimit::working_days(days), "working_days"),
                (None, Some(days)) => (zhengwu_core::TimeLimit::calendar_days(days), "calendar_days"),
                (None, None) => anyhow::bail!("give `--working-days N` or `--calendar-days N`"),
            };
            let (days, due) = (limit.days, limit.due_from(from, &calendar)?);
            let provisional_year = calendar.provisional_year_in(from, due);
            match common.format {
                Format::Text => println!("{due}{}", marker(provisional_year)),
                Format::Json => {
                    let answer = DeadlineAnswer { from, days, unit, due, provisional_year };
                    println!("{}", serde_json::to_string(&answer)?)
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
