//! `zhengwu supervise replay`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, FixedOffset};
use clap::{Args, ValueEnum};
use serde::Serialize;
use zhengwu_supervision::{
    Alert, DepartmentScore, Dimension, IngestSummary, Period, Rejection, StatisticsRow, Supervisor,
};

use crate::calendar::{Common, Format, calendar};
use crate::report::{COLUMNS, catalogue_for, cells, percent, read_organization, read_rules, read_scheme};

#[derive(Args)]
pub(crate) struct ReplayArgs {
    /// The event log: one JSON event per line, or a Parquet file (one event per row, found by
    /// its magic bytes) read a batch at a time.
    events: PathBuf,
    /// How to read a Parquet timestamp column without a time zone: `utc` when its values are UTC
    /// instants (pyarrow.json, Spark's INT96), or a zone such as `Asia/Shanghai` when they are
    /// wall-clock times there. Without it such a column is refused.
    #[arg(long, value_name = "utc|ZONE", value_parser = crate::files::naive_timestamps)]
    naive_timestamps: Option<zhengwu_arrow::NaiveTimestamps>,
    /// The service-item catalogue (TOML, or JSON by extension).
    #[arg(long = "catalogue", visible_alias = "catalog", value_name = "FILE")]
    catalog: PathBuf,
    /// The rule configuration (TOML, or JSON by extension).
    #[arg(long)]
    rules: Option<PathBuf>,
    /// The organisation directory; without it the catalogue's departments are taken as given.
    #[arg(long)]
    organization: Option<PathBuf>,
    /// The scoring scheme (TOML); the default is the published scheme of domain.md §2.4.
    #[arg(long)]
    scheme: Option<PathBuf>,
    /// Evaluate as of this instant (RFC 3339); default: the business time of the last event.
    #[arg(long)]
    as_of: Option<DateTime<FixedOffset>>,
    /// Rows of the statistics table.
    #[arg(long, value_enum, default_value_t = By::Department)]
    by: By,
    /// Periods of the statistics table.
    #[arg(long, value_enum, default_value_t = Cut::All)]
    period: Cut,
    #[command(flatten)]
    common: Common,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum By {
    Total,
    Department,
    Item,
    Region,
    Window,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Cut {
    All,
    Year,
    Quarter,
    Month,
}

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    as_of: DateTime<FixedOffset>,
    ingest: IngestSummary,
    statistics: Vec<StatisticsRow>,
    alerts: Vec<&'a Alert>,
    ranking: Vec<DepartmentScore>,
    rejections: &'a [Rejection],
    unevaluated: Vec<zhengwu_supervision::Unevaluated>,
}

#[allow(clippy::print_stdout)]
pub(crate) fn replay(args: ReplayArgs) -> anyhow::Result<ExitCode> {
    let calendar = calendar(&args.common)?;
    let organization = args.organization.as_deref().map(read_organization).transpose()?;
    let catalogue = catalogue_for(&args.catalog, organization.as_ref())?;
    let config = read_rules(args.rules.as_deref())?;
    let scheme = read_scheme(args.scheme.as_deref())?;

    let (mut supervisor, as_of) = if zhengwu_arrow::is_parquet(&args.events) {
        // A batch at a time, the event columns only; a bad row is rejected by number. Complete
        // cases are folded away as a file in case order moves on from them.
        let (supervisor, as_of) = crate::files::replay_parquet(
            || Supervisor::new(calendar.clone(), catalogue.clone(), config.clone()),
            &args.events,
            args.naive_timestamps.unwrap_or_default(),
            args.as_of,
        )?;
        (supervisor, anyhow::Context::context(as_of, "no event was applied; give --as-of")?)
    } else {
        let mut supervisor = Supervisor::new(calendar, catalogue, config);
        // A line at a time: memory stays within one event however large the log (or endless
        // the input); a line too long or not UTF-8 is rejected by number like a malformed one.
        crate::files::each_line(&args.events, |number, line| {
            supervisor.ingest_json_line(number, line);
            Ok(())
        })?;
        let as_of = match args.as_of {
            Some(as_of) => as_of,
            None => crate::clock::default_as_of(&supervisor)?,
        };
        (supervisor, as_of)
    };
    let ingest = supervisor.ingest_summary();
    let evaluation = supervisor.evaluate(as_of);
    let dimension = match args.by {
        By::Total => Dimension::Total,
        By::Department => Dimension::Department,
        By::Item => Dimension::Item,
        By::Region => Dimension::Region,
        By::Window => Dimension::Window,
    };
    let period = match args.period {
        Cut::All => Period::All,
        Cut::Year => Period::Year,
        Cut::Quarter => Period::Quarter,
        Cut::Month => Period::Month,
    };
    let statistics = supervisor.statistics(as_of, dimension, period, organization.as_ref());
    let rows = statistics.table();
    let ranking = supervisor.rank(as_of, Period::All, "all", &scheme, &BTreeMap::new());
    let report = Report {
        version: crate::report::REPORT_VERSION,
        as_of,
        ingest,
        statistics: rows,
        alerts: supervisor.alerts().collect(),
        ranking,
        rejections: supervisor.rejections(),
        unevaluated: evaluation.unevaluated,
    };
    match args.common.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Text => print!("{}", text_report(&report)),
    }
    // The process ends here: freeing a province's cases one by one would only delay the exit.
    drop(report);
    std::mem::forget(supervisor);
    Ok(ExitCode::SUCCESS)
}

fn text_report(report: &Report<'_>) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let ingest = report.ingest;
    let _ = writeln!(
        out,
        "监察回放：应用事件{}条，重复{}条，拒收{}条；评估时点 {}",
        ingest.applied, ingest.duplicates, ingest.rejected, report.as_of
    );
    let _ = writeln!(out, "\n办件统计");
    let header: Vec<String> = COLUMNS.iter().map(|c| format!("{c:>8}")).collect();
    let _ = writeln!(out, "{:<16} {:<8} {}", "分组", "期间", header.join(" "));
    for row in &report.statistics {
        let values: Vec<String> = cells(&row.counters, &row.rates, percent).iter().map(|v| format!("{v:>8}")).collect();
        let _ = writeln!(out, "{:<16} {:<8} {}", row.group, row.period, values.join(" "));
    }
    let _ = writeln!(out, "\n预警纠错信号（{}）", report.alerts.len());
    for alert in &report.alerts {
        let _ = writeln!(out, "{}", alert.message);
    }
    let _ = writeln!(out, "\n绩效排名");
    for score in &report.ranking {
        let _ = writeln!(
            out,
            "{:>2}. {:<16} {:>7.2}分 {} 红牌{} 提前办结率{}",
            score.rank,
            score.department,
            score.score,
            score.grade.chinese(),
            score.red_cards,
            percent(Some(score.early_rate))
        );
    }
    if !report.rejections.is_empty() {
        let _ = writeln!(out, "\n拒收事件（{}）", report.rejections.len());
        for rejection in report.rejections {
            let line = rejection.line.map_or_else(String::new, |l| format!("第{l}行："));
            let _ = writeln!(out, "{line}{}", rejection.reason);
        }
    }
    if !report.unevaluated.is_empty() {
        let _ = writeln!(out, "\n无法评估的办件（{}）", report.unevaluated.len());
        for case in &report.unevaluated {
            let _ = writeln!(out, "{}：{}", case.case_id, case.reason);
        }
    }
    out
}
