//! `zhengwu report`: the supervision report as one self-contained HTML file with SVG charts (drawn
//! here by charts-rs), as JSON, or as CSV for the spreadsheets supervisors use.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, FixedOffset};
use clap::{Args, ValueEnum};
use serde::Serialize;
use zhengwu_core::{CaseEvent, Catalogue, CatalogueFile, DepartmentId, Organization};
use zhengwu_store::SqliteStore;
use zhengwu_supervision::{
    Counters, DepartmentScore, Dimension, Period, Rates, ScoringScheme, SupervisionConfig, Supervisor,
};

#[derive(Args)]
pub(crate) struct ReportArgs {
    /// The event store (SQLite) to report on.
    #[arg(long, conflicts_with = "events", required_unless_present = "events")]
    store: Option<PathBuf>,
    /// Or an event log: JSON lines, or a Parquet file (found by its magic bytes).
    #[arg(long)]
    events: Option<PathBuf>,
    /// How to read a Parquet timestamp column without a time zone: `utc` or a zone such as
    /// `Asia/Shanghai` (see `zhengwu supervise replay --help`).
    #[arg(long, value_name = "utc|ZONE", value_parser = crate::files::naive_timestamps)]
    naive_timestamps: Option<zhengwu_arrow::NaiveTimestamps>,
    /// The service-item catalogue (TOML, or JSON by extension).
    #[arg(long = "catalogue", visible_alias = "catalog", value_name = "FILE")]
    catalog: PathBuf,
    /// The organisation directory (TOML, or JSON by extension), for departments' names and the
    /// town → county → city roll-up.
    #[arg(long)]
    organization: Option<PathBuf>,
    /// Evaluate as of this instant (RFC 3339); default: the business time of the last event.
    #[arg(long)]
    as_of: Option<DateTime<FixedOffset>>,
    /// Write the HTML report here.
    #[arg(long)]
    html: Option<PathBuf>,
    /// Also print the report's data on standard output.
    #[arg(long, value_enum)]
    format: Option<DataFormat>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DataFormat {
    Json,
    Csv,
}

/// One row of statistics.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Row {
    pub(crate) group: String,
    pub(crate) name: String,
    pub(crate) period: String,
    #[serde(flatten)]
    pub(crate) counters: Counters,
    #[serde(flatten)]
    pub(crate) rates: Rates,
}

/// The statistics columns every output shows, in order (CSV, HTML, the text report).
pub(crate) const COLUMNS: [&str; 15] = [
    "收件",
    "受理",
    "办结",
    "办结率",
    "即办件",
    "承诺件",
    "提前办结",
    "提前办结率",
    "按时办结",
    "超期办结",
    "在办",
    "逾期在办",
    "预警",
    "黄牌",
    "红牌",
];

/// A rate as a percentage with two decimals, `—` when undefined.
pub(crate) fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{:.2}%", r * 100.0))
}

/// The values of [`COLUMNS`] for counters and their rates; `rate` formats the rates.
pub(crate) fn cells(c: &Counters, rates: &Rates, rate: impl Fn(Option<f64>) -> String) -> [String; 15] {
    [
        c.received.to_string(),
        c.accepted.to_string(),
        c.concluded.to_string(),
        rate(rates.conclusion_rate),
        c.immediate.to_string(),
        c.promised.to_string(),
        c.early.to_string(),
        rate(rates.early_rate),
        c.on_time.to_string(),
        c.overdue.to_string(),
        c.running.to_string(),
        c.overdue_running.to_string(),
        c.warnings.to_string(),
        c.yellow_cards.to_string(),
        c.red_cards.to_string(),
    ]
}

/// Alerts of one rule.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RuleCount {
    pub(crate) code: &'static str,
    pub(crate) name: &'static str,
    pub(crate) count: u64,
}

/// The version of the JSON `zhengwu report --format json` and `zhengwu supervise replay --format
/// json` write (their first member, `version`).
pub(crate) const REPORT_VERSION: u32 = 1;

/// What the report shows; also its JSON form.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ReportData {
    pub(crate) version: u32,
    pub(crate) as_of: DateTime<FixedOffset>,
    pub(crate) total: Row,
    pub(crate) months: Vec<Row>,
    pub(crate) departments: Vec<Row>,
    pub(crate) regions: Vec<Row>,
    pub(crate) alerts_by_level: BTreeMap<&'static str, u64>,
    pub(crate) alerts_by_rule: Vec<RuleCount>,
    pub(crate) ranking: Vec<DepartmentScore>,
    /// 信访, 建议提案, 信息公开 and 好差评 figures, next to the approval figures.
    pub(crate) applications: Vec<Application>,
}

/// One of the platform's other applications, summed over the items of its statute (好差评 over
/// every case but 建议提案's, whose views are counted with them).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Application {
    pub(crate) name: &'static str,
    pub(crate) received: u64,
    pub(crate) accepted: u64,
    pub(crate) concluded: u64,
    pub(crate) timely_rate: Option<f64>,
    pub(crate) rated: u64,
    pub(crate) satisfaction_rate: Option<f64>,
    pub(crate) bad_ratings: u64,
    /// Alerts of the application's own rule (不满意未重新办理, 差评未按期整改), where it has one.
    pub(crate) late_follow_ups: u64,
}

fn applications(supervisor: &Supervisor, as_of: DateTime<FixedOffset>) -> Vec<Application> {
    use zhengwu_core::Statute;
    let statistics = supervisor.statistics(as_of, Dimension::Item, Period::All, None);
    let statute = |item: &str| supervisor.catalogue().item(&item.into()).map(|i| i.statute);
    let sum = |keep: &dyn Fn(Option<Statute>) -> bool| {
        let mut total = Counters::default();
        for ((item, _), counters) in &statistics.rows {
            if keep(statute(item)) {
                total += *counters;
            }
        }
        total
    };
    let alerts = |rule: zhengwu_supervision::Rule| supervisor.alerts().filter(|a| a.rule == rule).count() as u64;
    let row = |name, c: Counters, late_follow_ups| Application {
        name,
        received: c.received,
        accepted: c.accepted,
        concluded: c.concluded,
        timely_rate: c.rates().timely_rate,
        rated: c.rated,
        satisfaction_rate: c.rates().satisfaction_rate,
        bad_ratings: c.bad_ratings,
        late_follow_ups,
    };
    vec![
        row("信访", sum(&|s| s == Some(Statute::Petition)), 0),
        row(
            "建议提案",
            sum(&|s| s == Some(Statute::Proposal)),
            alerts(zhengwu_supervision::Rule::ProposalNotRehandled),
        ),
        row("信息公开", sum(&|s| s == Some(Statute::InformationDisclosure)), 0),
        row("好差评", sum(&|s| s != Some(Statute::Proposal)), alerts(zhengwu_supervision::Rule::RatingNotRectified)),
    ]
}

impl ReportData {
    /// Gathers the report from an evaluated supervisor.
    /// `owners`: the departments ranked, those that own service items (实施机关); units that only
    /// receive documents are counted in the statistics, not ranked.
    pub(crate) fn new(
        supervisor: &Supervisor,
        as_of: DateTime<FixedOffset>,
        organization: Option<&Organization>,
        owners: &std::collections::BTreeSet<DepartmentId>,
    ) -> Self {
        let department_names: BTreeMap<String, String> = organization
            .map(|org| org.departments().map(|d| (d.id.to_string(), d.name.clone())).collect())
            .unwrap_or_default();
        let region_names: BTreeMap<String, String> = organization
            .map(|org| org.regions().map(|r| (r.code.to_string(), r.name.clone())).collect())
            .unwrap_or_default();
        let rows = |dimension, period, names: &BTreeMap<String, String>| -> Vec<Row> {
            supervisor
                .statistics(as_of, dimension, period, organization)
                .rows
                .iter()
                .map(|((group, period), counters)| Row {
                    group: group.clone(),
                    name: names.get(group).cloned().unwrap_or_else(|| group.clone()),
                    period: period.clone(),
                    counters: *counters,
                    rates: counters.rates(),
                })
                .collect()
        };
        let none = BTreeMap::new();
        let total = rows(Dimension::Total, Period::All, &none).into_iter().next().unwrap_or_else(|| Row {
            group: "total".to_owned(),
            name: "合计".to_owned(),
            period: "all".to_owned(),
            counters: Counters::default(),
            rates: Counters::default().rates(),
        });
        let mut alerts_by_level = BTreeMap::new();
        let mut by_rule: BTreeMap<&'static str, RuleCount> = BTreeMap::new();
        for alert in supervisor.alerts() {
            *alerts_by_level.entry(alert.level.chinese()).or_insert(0) += 1;
            by_rule
                .entry(alert.rule.code())
                .or_insert(RuleCount { code: alert.rule.code(), name: alert.rule.chinese(), count: 0 })
                .count += 1;
        }
        let mut alerts_by_rule: Vec<RuleCount> = by_rule.into_values().collect();
        let mut ranking: Vec<DepartmentScore> = supervisor
            .rank(as_of, Period::All, "all", &ScoringScheme::default(), &BTreeMap::new())
            .into_iter()
            .filter(|score| owners.contains(&score.department))
            .collect();
        for (index, score) in ranking.iter_mut().enumerate() {
            score.rank = index + 1;
        }
        alerts_by_rule.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
        ReportData {
            version: REPORT_VERSION,
            as_of,
            total,
            months: rows(Dimension::Total, Period::Month, &none),
            departments: rows(Dimension::Department, Period::All, &department_names),
            regions: rows(Dimension::Region, Period::All, &region_names),
            alerts_by_level,
            alerts_by_rule,
            ranking,
            applications: applications(supervisor, as_of),
        }
    }

    /// The department's name, or its id.
    fn department_name(&self, id: &DepartmentId) -> String {
        self.departments
            .iter()
            .find(|row| row.group == id.as_str())
            .map_or_else(|| id.to_string(), |row| row.name.clone())
    }

    /// CSV of the statistics (one table: total, months, departments, regions), UTF-8 with a BOM so
    /// that spreadsheets open the Chinese headers correctly.
    pub(crate) fn to_csv(&self) -> String {
        let mut out = format!("\u{feff}表,分组,名称,期间,{}\n", COLUMNS.join(","));
        let sections = [
            ("合计", std::slice::from_ref(&self.total)),
            ("月度", &self.months[..]),
            ("部门", &self.departments[..]),
            ("区域", &self.regions[..]),
        ];
        for (table, rows) in sections {
            for row in rows {
                let values = cells(&row.counters, &row.rates, |r| r.map_or_else(String::new, |r| format!("{r:.4}")));
                out.push_str(&format!(
                    "{table},{},{},{},{}\n",
                    csv_field(&row.group),
                    csv_field(&row.name),
                    row.period,
                    values.join(",")
                ));
            }
        }
        out
    }

    /// The self-contained HTML report: inline CSS, inline SVG charts, no scripts, no network.
    pub(crate) fn to_html(&self) -> anyhow::Result<String> {
        use charts_rs::{BarChart, HorizontalBarChart, PieChart, Series};
        let font = "Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, sans-serif";

        // Department ranking, best first from the top.
        let ranking: Vec<&DepartmentScore> = self.ranking.iter().rev().collect();
        let mut chart = HorizontalBarChart::new(
            vec![Series::new(axis_label("绩效得分"), ranking.iter().map(|s| s.score as f32).collect())],
            ranking.iter().map(|s| axis_label(&self.department_name(&s.department))).collect(),
        );
        chart.base.title.text = "部门绩效排名".to_owned();
        chart.base.width = 900.0;
        chart.base.height = 40.0 + 22.0 * ranking.len() as f32;
        chart.base.font_family = font.to_owned();
        let ranking_svg = chart.svg().map_err(|e| anyhow::anyhow!("ranking chart: {e:?}"))?;

        // Received vs concluded per month.
        let months: Vec<String> = self.months.iter().map(|row| row.period.clone()).collect();
        let mut chart = BarChart::new(
            vec![
                Series::new(axis_label("收件"), self.months.iter().map(|r| r.counters.received as f32).collect()),
                Series::new(axis_label("办结"), self.months.iter().map(|r| r.counters.concluded as f32).collect()),
            ],
            months,
        );
        chart.base.title.text = "各月收件与办结".to_owned();
        chart.base.width = 900.0;
        chart.base.height = 380.0;
        chart.base.font_family = font.to_owned();
        let monthly_svg = chart.svg().map_err(|e| anyhow::anyhow!("monthly chart: {e:?}"))?;

        // Warnings by level and by rule.
        let mut chart = PieChart::new(
            self.alerts_by_level
                .iter()
                .map(|(level, count)| Series::new((*level).to_owned(), vec![*count as f32]))
                .collect(),
        );
        chart.base.title.text = "预警纠错信号（按级别）".to_owned();
        chart.base.width = 470.0;
        chart.base.height = 360.0;
        chart.base.font_family = font.to_owned();
        let levels_svg = chart.svg().map_err(|e| anyhow::anyhow!("levels chart: {e:?}"))?;
        let rules: Vec<&RuleCount> = self.alerts_by_rule.iter().rev().collect();
        let mut chart = HorizontalBarChart::new(
            vec![Series::new(axis_label("信号数"), rules.iter().map(|r| r.count as f32).collect())],
            rules.iter().map(|r| axis_label(r.name)).collect(),
        );
        chart.base.title.text = "预警纠错信号（按规则）".to_owned();
        chart.base.width = 900.0;
        chart.base.height = 60.0 + 26.0 * rules.len().max(1) as f32;
        chart.base.font_family = font.to_owned();
        let rules_svg = chart.svg().map_err(|e| anyhow::anyhow!("rules chart: {e:?}"))?;

        // Early / on time / late.
        let c = &self.total.counters;
        let mut chart = PieChart::new(vec![
            Series::new("提前办结".to_owned(), vec![c.early as f32]),
            Series::new("按时办结".to_owned(), vec![c.on_time as f32]),
            Series::new("超期办结".to_owned(), vec![c.overdue as f32]),
        ]);
        chart.base.title.text = "办结时效".to_owned();
        chart.base.width = 470.0;
        chart.base.height = 360.0;
        chart.base.font_family = font.to_owned();
        let timeliness_svg = chart.svg().map_err(|e| anyhow::anyhow!("timeliness chart: {e:?}"))?;

        let mut html = String::with_capacity(256 * 1024);
        html.push_str(&format!(
            r#"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>行政审批电子监察报告</title>
<style>
body {{ font-family: {font}; margin: 24px auto; max-width: 960px; color: #222; }}
h1 {{ font-size: 24px; }} h2 {{ font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ccc; }}
table {{ border-collapse: collapse; width: 100%; font-size: 13px; }}
th, td {{ border: 1px solid #ddd; padding: 4px 6px; text-align: right; }}
th:first-child, td:first-child, td.name {{ text-align: left; }}
.figures {{ display: flex; flex-wrap: wrap; gap: 12px; }}
.figure {{ border: 1px solid #ddd; border-radius: 4px; padding: 8px 14px; }}
.figure b {{ display: block; font-size: 22px; }}
.charts {{ display: flex; flex-wrap: wrap; }}
.level-1 td:first-child {{ padding-left: 4px; font-weight: bold; }}
.level-2 td:first-child {{ padding-left: 20px; }}
.level-3 td:first-child {{ padding-left: 36px; color: #555; }}
</style></head><body>
<h1>行政审批电子监察报告</h1>
<p>评估时点：{}</p>
"#,
            self.as_of.format("%Y年%-m月%-d日 %H:%M")
        ));
        let rate = percent;
        html.push_str("<div class=\"figures\">");
        for (label, value) in [
            ("收件", c.received.to_string()),
            ("办结", c.concluded.to_string()),
            ("办结率", rate(self.total.rates.conclusion_rate)),
            ("即办件", c.immediate.to_string()),
            ("承诺件", c.promised.to_string()),
            ("提前办结", c.early.to_string()),
            ("提前办结率", rate(self.total.rates.early_rate)),
            ("超期办结", c.overdue.to_string()),
            ("预警纠错信号", self.alerts_by_level.values().sum::<u64>().to_string()),
        ] {
            html.push_str(&format!("<div class=\"figure\">{label}<b>{value}</b></div>"));
        }
        html.push_str("</div>\n");
        html.push_str(&format!("<h2>部门绩效排名</h2>\n<div class=\"chart\" id=\"ranking\">{ranking_svg}</div>\n"));
        html.push_str(&format!("<h2>各月收件与办结</h2>\n<div class=\"chart\" id=\"monthly\">{monthly_svg}</div>\n"));
        html.push_str(&format!(
            "<h2>预警纠错信号与办结时效</h2>\n<div class=\"charts\"><div class=\"chart\" id=\"levels\">{levels_svg}</div><div class=\"chart\" id=\"timeliness\">{timeliness_svg}</div></div>\n<div class=\"chart\" id=\"rules\">{rules_svg}</div>\n"
        ));
        html.push_str("<h2>其他应用：信访、建议提案、信息公开、好差评</h2>\n");
        html.push_str(&applications_table(&self.applications));
        html.push_str("<h2>区域汇总（乡镇 → 县区 → 市）</h2>\n");
        html.push_str(&table(&self.regions, true));
        html.push_str("<h2>部门统计</h2>\n");
        html.push_str(&table(&self.departments, false));
        html.push_str("<p>由 zhengwu 生成。</p></body></html>\n");
        Ok(html)
    }
}

/// The applications' figures as an HTML table.
fn applications_table(applications: &[Application]) -> String {
    let rate = |r: Option<f64>| r.map_or_else(|| "—".to_owned(), |r| format!("{:.2}%", r * 100.0));
    let mut html = String::from(
        "<table id=\"applications\"><tr><th>应用</th><th>收件</th><th>受理（交办）</th><th>办结（答复）</th><th>按时办结率</th><th>评价</th><th>满意率</th><th>差评</th><th>整改或重新办理超期</th></tr>\n",
    );
    for a in applications {
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            a.name,
            a.received,
            a.accepted,
            a.concluded,
            rate(a.timely_rate),
            a.rated,
            rate(a.satisfaction_rate),
            a.bad_ratings,
            a.late_follow_ups
        ));
    }
    html.push_str("</table>\n");
    html
}

/// An axis label for charts-rs, which measures text with its built-in Latin font: CJK characters
/// are measured narrower than browsers draw them, so the label is padded with spaces (which SVG
/// collapses when drawing) to make the axis wide enough.
fn axis_label(text: &str) -> String {
    let wide = text.chars().filter(|c| !c.is_ascii()).count();
    format!("{text}{}", " ".repeat(wide * 2))
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_owned() }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A statistics table; for regions, rows nest by code length (city, county, town).
fn table(rows: &[Row], regions: bool) -> String {
    let mut out = format!("<table><tr><th>名称</th><th>{}</th></tr>\n", COLUMNS.join("</th><th>"));
    let mut ordered: Vec<&Row> = rows.iter().collect();
    if regions {
        // City first, each county followed by its towns.
        ordered.sort_by(|a, b| {
            let key = |row: &Row| {
                let code = &row.group;
                let county = if code.len() >= 6 { &code[..6] } else { code.as_str() };
                // Cities (and provinces) before counties and towns.
                let level = u8::from(!(code.len() == 6 && code.ends_with("00")));
                (level, county.to_owned(), code.len(), code.clone())
            };
            key(a).cmp(&key(b))
        });
    }
    for row in ordered {
        let level = match row.group.len() {
            9 => 3,
            6 if !row.group.ends_with("00") => 2,
            _ => 1,
        };
        let class = if regions { format!(" class=\"level-{level}\"") } else { String::new() };
        let values = cells(&row.counters, &row.rates, percent);
        out.push_str(&format!(
            "<tr{class}><td class=\"name\">{}</td><td>{}</td></tr>\n",
            escape(&row.name),
            values.join("</td><td>")
        ));
    }
    out.push_str("</table>\n");
    out
}

pub(crate) fn read(path: &Path) -> anyhow::Result<String> {
    crate::files::read_text(path)
}

pub(crate) fn is_json(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "json")
}

pub(crate) fn read_catalogue(path: &Path) -> anyhow::Result<CatalogueFile> {
    let text = read(path)?;
    if is_json(path) { CatalogueFile::from_json(&text) } else { CatalogueFile::from_toml(&text) }
        .with_context(|| format!("in `{}`", path.display()))
}

/// The catalogue of a file, its departments those of the directory when one is given, else
/// those the catalogue names (taken as given).
pub(crate) fn catalogue_for(path: &Path, organization: Option<&Organization>) -> anyhow::Result<Catalogue> {
    let file = read_catalogue(path)?;
    let departments: Vec<DepartmentId> = match organization {
        Some(org) => org.departments().map(|d| d.id.clone()).collect(),
        None => file.departments(),
    };
    Catalogue::new(file, &departments).with_context(|| format!("in `{}`", path.display()))
}

/// The rule configuration of a file (TOML, or JSON by extension), or the default.
pub(crate) fn read_rules(path: Option<&Path>) -> anyhow::Result<zhengwu_supervision::SupervisionConfig> {
    use zhengwu_supervision::SupervisionConfig;
    let Some(path) = path else { return Ok(SupervisionConfig::default()) };
    let text = read(path)?;
    if is_json(path) { SupervisionConfig::from_json(&text) } else { SupervisionConfig::from_toml(&text) }
        .with_context(|| format!("in `{}`", path.display()))
}

/// The scoring scheme of a file (TOML), or the published default (domain.md §2.4).
pub(crate) fn read_scheme(path: Option<&Path>) -> anyhow::Result<zhengwu_supervision::ScoringScheme> {
    use zhengwu_supervision::ScoringScheme;
    let Some(path) = path else { return Ok(ScoringScheme::default()) };
    ScoringScheme::from_toml(&read(path)?).with_context(|| format!("in `{}`", path.display()))
}

pub(crate) fn read_organization(path: &Path) -> anyhow::Result<Organization> {
    let text = read(path)?;
    if is_json(path) { Organization::from_json(&text) } else { Organization::from_toml(&text) }
        .with_context(|| format!("in `{}`", path.display()))
}

#[allow(clippy::print_stdout)]
pub(crate) fn report(args: ReportArgs) -> anyhow::Result<ExitCode> {
    let organization = args.organization.as_deref().map(read_organization).transpose()?;
    let file = read_catalogue(&args.catalog)?;
    let departments: Vec<DepartmentId> = match &organization {
        Some(org) => org.departments().map(|d| d.id.clone()).collect(),
        None => file.departments(),
    };
    let owners = file.items.iter().map(|item| item.department.clone()).collect();
    let catalogue = Catalogue::new(file, &departments).with_context(|| format!("in `{}`", args.catalog.display()))?;
    let new = || Supervisor::new(zhengwu_core::Calendar::china(), catalogue.clone(), SupervisionConfig::default());
    let mut parquet_as_of = None;
    let mut supervisor = match args.events.as_deref().filter(|path| zhengwu_arrow::is_parquet(path)) {
        Some(path) => {
            let (supervisor, as_of) =
                crate::files::replay_parquet(new, path, args.naive_timestamps.unwrap_or_default(), args.as_of)?;
            parquet_as_of = as_of;
            supervisor
        }
        None => new(),
    };
    if let Some(path) = args.events.as_deref().filter(|path| zhengwu_arrow::is_parquet(path)) {
        // As with JSON lines, the first row that is not an event stops the report.
        if let Some(rejection) = supervisor.rejections().first() {
            anyhow::bail!(
                "in `{}`, row {}: {}",
                path.display(),
                rejection.line.map_or_else(|| "?".to_owned(), |row| row.to_string()),
                rejection.reason
            );
        }
    }
    let events: Vec<CaseEvent> = match (&args.store, &args.events) {
        (None, Some(path)) if zhengwu_arrow::is_parquet(path) => Vec::new(),
        (Some(path), _) => {
            if !path.exists() {
                anyhow::bail!("no store at `{}`", path.display());
            }
            let store =
                SqliteStore::open_read_only(path).with_context(|| format!("cannot open `{}`", path.display()))?;
            store.read_all()?.into_iter().map(|stored| stored.event).collect()
        }
        (None, Some(path)) => {
            // Read a line at a time; the first line that is not an event stops the report.
            let mut events = Vec::new();
            crate::files::each_line(path, |number, line| {
                let line =
                    line.map_err(|reason| anyhow::anyhow!("in `{}`, line {number}: {reason}", path.display()))?;
                if !line.trim().is_empty() {
                    events.push(
                        CaseEvent::from_json_line(line, number).with_context(|| format!("in `{}`", path.display()))?,
                    );
                }
                Ok(())
            })?;
            events
        }
        (None, None) => anyhow::bail!("give --store or --events"),
    };
    supervisor.ingest_all(events);
    let as_of = match parquet_as_of.or(args.as_of) {
        Some(as_of) => as_of,
        None => crate::clock::default_as_of(&supervisor)?,
    };
    supervisor.evaluate(as_of);
    let data = ReportData::new(&supervisor, as_of, organization.as_ref(), &owners);
    if let Some(path) = &args.html {
        crate::files::write_file(path, data.to_html()?.as_bytes())?;
        #[allow(clippy::print_stderr)]
        {
            eprintln!("report written to {}", path.display());
        }
    }
    match args.format {
        Some(DataFormat::Json) => println!("{}", serde_json::to_string_pretty(&data)?),
        Some(DataFormat::Csv) => print!("{}", data.to_csv()),
        None if args.html.is_none() => anyhow::bail!("nothing to do: give --html OUT.html and/or --format json|csv"),
        None => {}
    }
    Ok(ExitCode::SUCCESS)
}
