//! `zhengwu`: the command-line tool. Only this crate prints.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Serialize;
use zhengwu_core::{Calendar, DayKind, ScheduleFile};

mod catalog;
mod demo;
mod files;
mod identity;
mod report;
mod supervise;
mod workflow;

#[derive(Parser)]
#[command(
    name = "zhengwu",
    version,
    about = "Chinese municipal e-government logic: calendar, approval, supervision, credit, certificates, 公文"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The simulated city's year (2025, ~24,000 cases) through the engines into the embedded SQLite
    /// store, supervised: prints the dashboard and writes the HTML report.
    Demo(demo::DemoArgs),
    /// The supervision report from a store or an event log: HTML with charts, JSON or CSV.
    Report(report::ReportArgs),
    /// The service-item catalogue (实施清单): the service guide of an item.
    #[command(subcommand, name = "catalogue", visible_alias = "catalog")]
    Catalog(catalog::CatalogCommand),
    /// The statutory working-day calendar (工作日历).
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Administrative electronic supervision (行政电子监察).
    #[command(subcommand)]
    Supervise(SuperviseCommand),
    /// Enterprise credit (企业信用).
    #[command(subcommand)]
    Credit(CreditCommand),
    /// The event log (事件库).
    #[command(subcommand)]
    Store(StoreCommand),
    /// Process definitions (流程定义): validate, convert.
    #[command(subcommand)]
    Workflow(workflow::WorkflowCommand),
    /// Certificates (数字证书): verify a chain to the provincial CA.
    #[command(subcommand)]
    Cert(identity::CertCommand),
    /// Official documents (公文): validate against the 行文规则.
    #[command(subcommand)]
    Doc(identity::DocCommand),
}

#[derive(Subcommand)]
enum StoreCommand {
    /// Checks a log's hash chain, its columns and sequence numbers, and (with `--checkpoint`) that
    /// it still holds what a checkpoint kept outside recorded; exit 1 with the first break.
    /// Opens the file read-only: nothing is created or changed.
    Verify {
        /// The SQLite log file.
        path: PathBuf,
        /// A checkpoint written earlier by `zhengwu store checkpoint` and kept outside the
        /// database: events removed from the end or a recomputed chain are found.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
        /// A trusted certificate for a signed checkpoint's signer: the root, and any issuing CA
        /// between it and the signer (repeatable, PEM or DER).
        #[arg(long)]
        trust: Vec<PathBuf>,
    },
    /// Writes the log's checkpoint (event count and head hash) as JSON to stdout, signed with the
    /// operator's key (SM2, ECDSA P-256 or RSA PKCS#8 PEM) and certificate when given.
    Checkpoint {
        /// The SQLite log file.
        path: PathBuf,
        /// The operator's private key (PKCS#8 PEM).
        #[arg(long, requires = "cert")]
        key: Option<PathBuf>,
        /// The operator's certificate (PEM or DER).
        #[arg(long, requires = "key")]
        cert: Option<PathBuf>,
    },
    /// Appends generated cases, acknowledging each committed append on stdout (crash tests).
    #[command(hide = true)]
    Fill {
        /// The SQLite log file.
        path: PathBuf,
        /// How many cases (3 events each, one append per case).
        #[arg(long, default_value_t = 1000)]
        cases: u64,
    },
}

#[derive(Subcommand)]
enum CreditCommand {
    /// Checks 统一社会信用代码: one line per code, `valid` or the reason; exit 0 only if all are valid.
    Check {
        /// The codes.
        #[arg(required = true)]
        codes: Vec<String>,
    },
}

#[derive(Subcommand)]
enum SuperviseCommand {
    /// Replays a JSON-lines event log: statistics, alerts, ranking, and rejected events.
    Replay(supervise::ReplayArgs),
}

#[derive(Subcommand)]
enum CalendarCommand {
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

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("error: {error:#}");
            }
            ExitCode::from(2)
        }
    }
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
fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Demo(args) => return demo::demo(args),
        Command::Report(args) => return report::report(args),
        Command::Catalog(command) => return catalog::catalog(command),
        Command::Cert(command) => return identity::cert(command),
        Command::Doc(command) => return identity::doc(command),
        Command::Calendar(CalendarCommand::IsWorkday { date, common }) => {
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
        Command::Calendar(CalendarCommand::Deadline { from, working_days, calendar_days, common }) => {
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
        Command::Supervise(SuperviseCommand::Replay(args)) => return supervise::replay(args),
        Command::Workflow(command) => return workflow::run(command),
        Command::Store(StoreCommand::Checkpoint { path, key, cert }) => {
            let store = zhengwu_store::SqliteStore::open_read_only(&path)?;
            let checkpoint = store.checkpoint()?;
            let signed = identity::sign_checkpoint(checkpoint, key.as_deref(), cert.as_deref())?;
            println!("{}", serde_json::to_string_pretty(&signed)?);
        }
        Command::Store(StoreCommand::Verify { path, checkpoint, trust }) => {
            let store = zhengwu_store::SqliteStore::open_read_only(&path)?;
            let checkpoint = match &checkpoint {
                Some(file) => Some(identity::read_checkpoint(file, &trust)?),
                None => None,
            };
            let verification = store.verify_against(checkpoint.as_ref())?;
            return Ok(match verification.first_break {
                None => {
                    println!(
                        "{}: intact, {} events, {} cases",
                        path.display(),
                        verification.events,
                        verification.cases
                    );
                    ExitCode::SUCCESS
                }
                Some((position, reason)) => {
                    println!("{}: broken at position {position}: {reason}", path.display());
                    ExitCode::from(1)
                }
            });
        }
        Command::Store(StoreCommand::Fill { path, cases }) => {
            use std::io::Write;
            let mut store = zhengwu_store::SqliteStore::open(&path)?;
            let start = chrono::DateTime::parse_from_rfc3339("2025-03-03T09:00:00+08:00")?;
            let mut out = std::io::stdout().lock();
            let mut total = store.read_all()?.len() as u64;
            // Resumes after the cases already in the log (each case is one transaction).
            let existing = total / 3;
            for n in existing..existing + cases {
                let case = format!("F{n:08}");
                let at = start + chrono::Duration::minutes(n as i64);
                let kinds = [
                    zhengwu_core::EventKind::Received { channel: zhengwu_core::Channel::Online, materials: vec![] },
                    zhengwu_core::EventKind::Accepted,
                    zhengwu_core::EventKind::StepStarted { step: "review".into() },
                ];
                let events: Vec<zhengwu_core::CaseEvent> = kinds
                    .into_iter()
                    .enumerate()
                    .map(|(i, kind)| zhengwu_core::CaseEvent {
                        schema: zhengwu_core::SCHEMA_VERSION,
                        idempotency_key: zhengwu_core::CaseEvent::key(&case, i as u64 + 1),
                        case_id: case.as_str().into(),
                        sequence: i as u64 + 1,
                        item_code: "ITEM".into(),
                        department: "scjg".into(),
                        region: "530102".parse().expect("valid"),
                        occurred_at: at,
                        recorded_at: at,
                        actor: zhengwu_core::Actor { id: "w01".into(), name: None, role: None },
                        kind,
                        signature: None,
                    })
                    .collect();
                let appended = store.append(&events, &[(case.as_str().into(), 0)])?;
                total += appended.written as u64;
                writeln!(out, "ack {total}")?;
                out.flush()?;
            }
            return Ok(ExitCode::SUCCESS);
        }
        Command::Credit(CreditCommand::Check { codes }) => {
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
            return Ok(if all_valid { ExitCode::SUCCESS } else { ExitCode::from(1) });
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Rust ignores SIGPIPE, so writing to a closed pipe (`zhengwu credit check … | head -1`) makes
/// `println!` panic. A command-line tool should end quietly instead, as `cat` does: restore the
/// default action, which ends the process when the reader has gone.
#[cfg(unix)]
#[allow(unsafe_code)]
fn restore_sigpipe() {
    // SAFETY: called first thing in `main`, before any thread exists; setting a signal's
    // disposition to its default has no other precondition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_sigpipe() {}

/// The current instant: the command line may read the clock (it is the libraries' caller).
#[allow(clippy::disallowed_methods)]
pub(crate) fn now() -> chrono::DateTime<chrono::Utc> {
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    chrono::DateTime::from_timestamp(since_epoch.as_secs() as i64, 0).unwrap_or_default()
}

/// The instant to evaluate as of when none is given: the latest entry time of the applied
/// events (a business time may not lie after its entry time, so one far-dated event cannot move
/// it), and never later than now.
pub(crate) fn default_as_of(
    supervisor: &zhengwu_supervision::Supervisor,
) -> anyhow::Result<chrono::DateTime<chrono::FixedOffset>> {
    let latest = supervisor.latest_recorded_at().context("no event was applied; give --as-of")?;
    let now = now().with_timezone(latest.offset());
    Ok(latest.min(now))
}
