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

/// mimalloc's option `purge_delay` (its number in mimalloc 3's `mi_option_e`; the sys crate does
/// not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tunes memory for a replay, which allocates and frees all the time: the pages mimalloc frees
/// are kept for its next allocations instead of returned to the system after a delay (1 s, its
/// default), since returned pages came back as fresh ones the kernel zeroed (580 MB returned and
/// faulted in again over a 3.3 M-event replay); and, on Linux, the process takes no transparent
/// huge pages, since a command runs once and the kernel's compaction for them cost more than
/// they save (the province's 11.1 M-event year: 9.5–10.9 s wall with them, 1.5–3 s of it in
/// the kernel; 9.0–9.2 s without). `MIMALLOC_PURGE_DELAY` and `MIMALLOC_ALLOW_THP` in the
/// environment still decide.
#[allow(unsafe_code)]
fn tune_memory() {
    // SAFETY: sets a default of a global option first thing in `main`, before any thread exists
    // (the function is not thread-safe); a value set from the environment takes precedence.
    unsafe { libmimalloc_sys::mi_option_set_default(MI_OPTION_PURGE_DELAY, -1) };
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // SAFETY: PR_SET_THP_DISABLE takes an integer flag and changes only how this process's
        // memory is backed; its failure (an old kernel) leaves things as they were.
        let _ = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
    }
}

fn main() -> ExitCode {
    restore_sigpipe();
    tune_memory();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(unsafe_code)]
    fn the_purge_delay_is_the_option_mimalloc_documents_and_huge_pages_are_declined() {
        // The option's number is ours, not the sys crate's: it lies before an option the crate
        // names, and reads mimalloc 3's default (`options.c`: 1,000 ms) until it is set.
        assert_eq!(MI_OPTION_PURGE_DELAY, libmimalloc_sys::mi_option_use_numa_nodes - 1);
        // SAFETY: reading an option or the THP flag has no precondition.
        let delay = || unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        let set_outside = |name| std::env::var_os(name).is_some();
        if !set_outside("MIMALLOC_PURGE_DELAY") && !set_outside("MIMALLOC_ALLOW_THP") {
            assert_eq!(delay(), 1000);
            tune_memory();
            assert_eq!(delay(), -1);
            #[cfg(target_os = "linux")]
            assert_eq!(unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) }, 1);
        }
    }
}
