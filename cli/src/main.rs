//! `zhengwu`: the command-line tool. Only this crate prints.

//!
//! One module per command (`calendar`, `catalogue`, `cert`, `credit`, `demo`, `doc`, `report`,
//! `store`, `supervise`, `workflow`); `files` reads and writes files safely.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod archive;
mod calendar;
mod catalogue;
mod cert;
mod clock;
mod credit;
mod demo;
mod doc;
mod files;
mod report;
mod seal;
mod serve;
mod store;
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
    Catalogue(catalogue::CatalogueCommand),
    /// The statutory working-day calendar (工作日历).
    #[command(subcommand)]
    Calendar(calendar::CalendarCommand),
    /// Administrative electronic supervision (行政电子监察).
    #[command(subcommand)]
    Supervise(SuperviseCommand),
    /// Enterprise credit (企业信用).
    #[command(subcommand)]
    Credit(credit::CreditCommand),
    /// The event log (事件库).
    #[command(subcommand)]
    Store(store::StoreCommand),
    /// Process definitions (流程定义): validate, convert.
    #[command(subcommand)]
    Workflow(workflow::WorkflowCommand),
    /// Certificates (数字证书): verify a chain to the provincial CA.
    #[command(subcommand)]
    Cert(cert::CertCommand),
    /// Official documents (公文): validate against the 行文规则.
    #[command(subcommand)]
    Doc(doc::DocCommand),
    /// The live supervision centre (电子监察中心): vendors' systems post events over TLS with
    /// client certificates; supervisors read figures, alerts, the ranking and a live page.
    Serve(Box<serve::ServeArgs>),
    /// Electronic archives (电子档案): pack a concluded case, verify a package.
    #[command(subcommand)]
    Archive(archive::ArchiveCommand),
    /// Electronic seals (电子印章, GB/T 38540): verify a seal, a signature or a signed OFD.
    #[command(subcommand)]
    Seal(seal::SealCommand),
}

#[derive(Subcommand)]
enum SuperviseCommand {
    /// Replays a JSON-lines event log: statistics, alerts, ranking, and rejected events.
    Replay(supervise::ReplayArgs),
}

/// mimalloc: a Parquet replay converts rows to events on one thread and frees their strings on
/// another, which glibc's allocator serialises on its arena locks (a tenth of the time under
/// `perf`); mimalloc frees across threads without them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Demo(args) => demo::demo(args),
        Command::Report(args) => report::report(args),
        Command::Catalogue(command) => catalogue::run(command),
        Command::Calendar(command) => calendar::run(command),
        Command::Supervise(SuperviseCommand::Replay(args)) => supervise::replay(args),
        Command::Credit(command) => credit::run(command),
        Command::Store(command) => store::run(command),
        Command::Workflow(command) => workflow::run(command),
        Command::Cert(command) => cert::cert(command),
        Command::Doc(command) => doc::doc(command),
        Command::Serve(args) => serve::serve(*args),
        Command::Archive(command) => archive::run(command),
        Command::Seal(command) => seal::run(command),
    }
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
