//! `zhengwu demo`: the simulated city's year, on the embedded SQLite store, with the dashboard
//! and the HTML report.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use zhengwu_demo::{Demo, DemoConfig};
use zhengwu_store::SqliteStore;

use crate::report::{ReportData, percent};

#[derive(Args)]
pub(crate) struct DemoArgs {
    /// The seed: the same seed gives the same year, event for event.
    #[arg(long, default_value_t = 2025)]
    seed: u64,
    /// The year simulated (its holiday notice must be embedded).
    #[arg(long, default_value_t = 2025)]
    year: i32,
    /// Cases over the year.
    #[arg(long, default_value_t = 24_000)]
    cases: u64,
    /// Where the store, the catalogue, the directory and the report go.
    #[arg(long, default_value = "zhengwu-demo")]
    out: PathBuf,
    /// A folder, apart from the store, where the store writes its own checkpoint every
    /// `--checkpoint-every` events (`checkpoint-<events>.json`, for `store verify --checkpoint`).
    #[arg(long)]
    checkpoints: Option<PathBuf>,
    /// Events between two checkpoints.
    #[arg(long, default_value_t = 10_000, requires = "checkpoints")]
    checkpoint_every: u64,
    /// The operator's PKCS#8 PEM key that signs the checkpoints (with `--checkpoint-cert`).
    #[arg(long, requires_all = ["checkpoints", "checkpoint_cert"])]
    checkpoint_key: Option<PathBuf>,
    /// The operator's certificate.
    #[arg(long, requires_all = ["checkpoints", "checkpoint_key"])]
    checkpoint_cert: Option<PathBuf>,
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
pub(crate) fn demo(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let demo = Demo::new(DemoConfig { seed: args.seed, year: args.year, cases: args.cases })?;
    crate::files::refuse_link(&args.out)?;
    std::fs::create_dir_all(&args.out).with_context(|| format!("cannot create `{}`", args.out.display()))?;
    let store_path = args.out.join("events.db");
    for suffix in ["", "-wal", "-shm"] {
        let path = PathBuf::from(format!("{}{suffix}", store_path.display()));
        // A link (even a dangling one) is removed as a link, never followed.
        if std::fs::symlink_metadata(&path).is_ok() {
            std::fs::remove_file(&path).with_context(|| format!("cannot replace `{}`", path.display()))?;
        }
    }
    let city = demo.city();
    let catalogue_path = args.out.join("catalogue.json");
    crate::files::write_file(&catalogue_path, serde_json::to_string_pretty(&city.catalogue)?.as_bytes())?;
    let organization_path = args.out.join("organization.json");
    crate::files::write_file(
        &organization_path,
        serde_json::to_string_pretty(&city.organization.to_file())?.as_bytes(),
    )?;

    eprintln!(
        "模拟城市：昆明市（14个县区、42个街道），{}个部门，{}个事项；{}年，{}件，种子{}",
        city.organization.departments().filter(|d| d.region.as_str() == "530100").count(),
        city.catalogue.items.len(),
        args.year,
        args.cases,
        args.seed
    );
    let bar = indicatif::ProgressBar::new(args.cases);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} 件 {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut store =
        SqliteStore::open(&store_path).with_context(|| format!("cannot open `{}`", store_path.display()))?;
    if let Some(folder) = &args.checkpoints {
        crate::files::refuse_link(folder)?;
        std::fs::create_dir_all(folder).with_context(|| format!("cannot create `{}`", folder.display()))?;
        let signer = crate::store::checkpoint_signer(args.checkpoint_key.as_deref(), args.checkpoint_cert.as_deref())?;
        let sink = crate::store::CheckpointFolder { folder: folder.clone(), signer };
        store.write_checkpoints(args.checkpoint_every, Box::new(sink))?;
    }
    let run = demo.run(&mut store, &mut |done, _| bar.set_position(done))?;
    bar.finish_and_clear();
    let verification = store.verify()?;

    let owners = city.catalogue.items.iter().map(|item| item.department.clone()).collect();
    let data = ReportData::new(&run.supervisor, run.as_of, Some(&city.organization), &owners);
    let report_path = args.out.join("report.html");
    crate::files::write_file(&report_path, data.to_html()?.as_bytes())?;

    print!("{}", dashboard(&data, &run));
    print!("{}", applications(&data));
    println!(
        "\n事件库：{}（{}条事件，{}件，哈希链{}）",
        store_path.display(),
        verification.events,
        verification.cases,
        if verification.first_break.is_none() { "完整" } else { "断裂" }
    );
    print!("{}", crate::archive::demo_section(&store, &args.out.join("archives"), 200)?);
    println!("报告：{}", report_path.display());
    println!(
        "再次生成报告：zhengwu report --store {} --catalogue {} --organization {} --html {}",
        store_path.display(),
        catalogue_path.display(),
        organization_path.display(),
        report_path.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn dashboard(data: &ReportData, run: &zhengwu_demo::DemoRun) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let c = &data.total.counters;
    let _ = writeln!(out, "行政审批电子监察 · {}", data.as_of.format("%Y年%-m月%-d日"));
    let _ = writeln!(out, "\n办件统计");
    let _ = writeln!(
        out,
        "  收件 {:>6}    受理 {:>6}    办结 {:>6}    办结率 {}",
        c.received,
        c.accepted,
        c.concluded,
        percent(data.total.rates.conclusion_rate)
    );
    let _ = writeln!(
        out,
        "  即办件 {:>5}  承诺件 {:>5}  提前办结 {:>5}  提前办结率 {}",
        c.immediate,
        c.promised,
        c.early,
        percent(data.total.rates.early_rate)
    );
    let _ = writeln!(
        out,
        "  按时办结 {:>4}  超期办结 {:>4}  在办 {:>5}  逾期在办 {}",
        c.on_time, c.overdue, c.running, c.overdue_running
    );
    let total: u64 = data.alerts_by_level.values().sum();
    let _ = writeln!(out, "\n预警纠错信号 {total}");
    let levels: Vec<String> = data.alerts_by_level.iter().map(|(level, count)| format!("{level} {count}")).collect();
    let _ = writeln!(out, "  {}", levels.join("  "));
    for rule in &data.alerts_by_rule {
        let _ = writeln!(out, "  {:<22} {:<16} {:>6}", rule.code, rule.name, rule.count);
    }
    let _ = writeln!(out, "\n部门绩效排名（前十与后五）");
    let n = data.ranking.len();
    for score in data.ranking.iter().take(10).chain(data.ranking.iter().skip(n.saturating_sub(5).max(10))) {
        let name = data
            .departments
            .iter()
            .find(|row| row.group == score.department.as_str())
            .map_or(score.department.as_str(), |row| row.name.as_str());
        let _ = writeln!(
            out,
            "  {:>2}. {:<20} {:>6.2}分 {}  红牌{}  提前办结率{}",
            score.rank,
            name,
            score.score,
            score.grade.chinese(),
            score.red_cards,
            percent(Some(score.early_rate))
        );
    }
    let e = run.exchange;
    let _ = writeln!(
        out,
        "\n公文交换（昆政发〔{}〕12号，加急，{}个单位）：已回执 {}，已签收未回执 {}，待签收 {}，退回 {}",
        data.as_of.format("%Y"),
        e.recipients,
        e.acknowledged,
        e.signed_for,
        e.waiting,
        e.returned
    );
    out
}

/// The other applications' figures, next to the approval figures (the report's `applications`).
fn applications(data: &ReportData) -> String {
    use std::fmt::Write;
    let mut out = String::from("\n其他应用\n");
    for a in &data.applications {
        let _ = match a.name {
            "信访" => writeln!(
                out,
                "  信访（信访工作条例）    登记 {:>5}  办结 {:>5}  按期办结率 {}",
                a.received,
                a.concluded,
                percent(a.timely_rate)
            ),
            "建议提案" => writeln!(
                out,
                "  建议提案（三个月办复）  交办 {:>5}  办复 {:>5}  按时办复率 {}  满意率 {}  不满意未重新办理 {}",
                a.accepted,
                a.concluded,
                percent(a.timely_rate),
                percent(a.satisfaction_rate),
                a.late_follow_ups
            ),
            "信息公开" => writeln!(
                out,
                "  信息公开（二十个工作日）申请 {:>5}  答复 {:>5}  按时答复率 {}",
                a.received,
                a.concluded,
                percent(a.timely_rate)
            ),
            _ => writeln!(
                out,
                "  好差评                  评价 {:>5}  满意率 {}  差评 {:>4}  差评整改超期 {}",
                a.rated,
                percent(a.satisfaction_rate),
                a.bad_ratings,
                a.late_follow_ups
            ),
        };
    }
    out
}
