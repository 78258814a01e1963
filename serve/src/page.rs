//! `GET /`: the 电子监察大厅 page, rendered on the server (HTML and SVG, no external script, font
//! or style), with a few lines of inline script that add alerts from the stream as they come.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use zhengwu_core::{DepartmentId, RegionCode};
use zhengwu_supervision::{Alert, AlertStatus, Counters, DepartmentScore, Dimension, Level, Period};

use crate::caller::{Caller, visible_scores};
use crate::centre::{Centre, now};

/// Alerts listed when the page loads.
const LISTED_ALERTS: usize = 50;

/// Escapes text for HTML element content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

fn level_class(level: Level) -> &'static str {
    match level {
        Level::Red => "red",
        Level::Yellow => "yellow",
        Level::Warning => "warning",
        _ => "notice",
    }
}

/// One alert as a list item (the script builds the same from the stream's JSON).
fn alert_item(alert: &Alert) -> String {
    format!(
        "<li class=\"{}\" data-id=\"{}\"><b>{}</b> <code>{}</code> {} <span class=\"status\">{}</span></li>",
        level_class(alert.level),
        escape(&alert.id),
        alert.level.chinese(),
        escape(&alert.code),
        escape(&alert.message),
        alert.status.chinese()
    )
}

/// The ranking as horizontal bars, drawn as SVG.
fn ranking_svg(scores: &[DepartmentScore], names: &BTreeMap<String, String>) -> String {
    const ROW: usize = 22;
    const LABEL: usize = 160;
    const BAR: f64 = 380.0;
    let height = ROW * scores.len().max(1) + 8;
    let mut svg = format!(
        "<svg id=\"ranking-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" role=\"img\" aria-label=\"部门绩效排名\">",
        LABEL + BAR as usize + 70
    );
    for (index, score) in scores.iter().enumerate() {
        let y = index * ROW + 4;
        let width = (score.score.clamp(0.0, 100.0) / 100.0 * BAR).round();
        let name = names.get(score.department.as_str()).map_or(score.department.as_str(), String::as_str);
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\">{}. {}</text>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{width}\" height=\"{}\" fill=\"{}\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\">{:.1}分 {}</text>",
            LABEL - 6,
            y + 14,
            score.rank,
            escape(name),
            ROW - 6,
            if score.red_cards > 0 { "#c0392b" } else { "#2e86c1" },
            LABEL as f64 + width + 4.0,
            y + 14,
            score.score,
            score.grade.chinese()
        );
    }
    svg.push_str("</svg>");
    svg
}

fn figure(label: &str, id: &str, value: &str) -> String {
    format!(
        "<div class=\"figure\"><div class=\"value\" id=\"{id}\">{value}</div><div class=\"label\">{label}</div></div>"
    )
}

/// `GET /`: the page for the caller's scope.
pub(crate) async fn dashboard(State(centre): State<Arc<Centre>>, Caller(caller): Caller) -> Response {
    let at = now();
    let today = zhengwu_core::china_day(at);
    let year = Period::Year.label(today);
    let supervisor = centre.read();
    let include = |department: &DepartmentId, region: &RegionCode| caller.scope.includes(department, region);
    let totals = supervisor.statistics_of(at, Dimension::Total, Period::Year, centre.organization.as_ref(), &include);
    let counters: Counters = totals.rows.iter().find(|((_, p), _)| *p == year).map(|(_, c)| *c).unwrap_or_default();
    // Today's 收件 and 办结, by the China day of their business time.
    let on_today =
        |at: Option<chrono::DateTime<chrono::FixedOffset>>| at.is_some_and(|at| zhengwu_core::china_day(at) == today);
    let (mut received_today, mut concluded_today) = (0u64, 0u64);
    for case in supervisor.cases().filter(|case| include(case.department(), case.region())) {
        received_today += u64::from(on_today(case.received_at()));
        concluded_today += u64::from(on_today(case.concluded().map(|(at, _)| at)));
    }
    let rates = counters.rates();
    let mut alerts: Vec<&Alert> =
        supervisor.alerts().filter(|a| caller.scope.includes(&a.department, &a.region)).collect();
    let alert_count = alerts.len();
    let open = |level: Level| {
        alerts
            .iter()
            .filter(|a| a.level == level && !matches!(a.status, AlertStatus::Closed | AlertStatus::Dismissed))
            .count()
    };
    let (warnings, yellow, red) = (open(Level::Warning), open(Level::Yellow), open(Level::Red));
    alerts.sort_by(|a, b| b.raised_at.cmp(&a.raised_at).then_with(|| a.id.cmp(&b.id)));
    let items: String = alerts.iter().take(LISTED_ALERTS).map(|a| alert_item(a)).collect();
    let names: BTreeMap<String, String> = centre
        .organization
        .as_ref()
        .map(|o| o.departments().map(|d| (d.id.to_string(), d.name.clone())).collect())
        .unwrap_or_default();
    let scores = supervisor.rank(at, Period::Year, &year, &centre.scheme, &BTreeMap::new());
    let scores = visible_scores(&centre, &supervisor, &caller, scores);
    drop(supervisor);
    let figures = [
        figure("今日收件", "received-today", &received_today.to_string()),
        figure("今日办结", "concluded-today", &concluded_today.to_string()),
        figure(&format!("{year}年收件"), "received", &counters.received.to_string()),
        figure("本年办结", "concluded", &counters.concluded.to_string()),
        figure("本年办结率", "conclusion-rate", &percent(rates.conclusion_rate)),
        figure("本年提前办结率", "early-rate", &percent(rates.early_rate)),
        figure("在办", "running", &counters.running.to_string()),
        figure("逾期在办", "overdue-running", &counters.overdue_running.to_string()),
        figure("预警", "open-warnings", &warnings.to_string()),
        figure("黄牌", "open-yellow", &yellow.to_string()),
        figure("红牌", "open-red", &red.to_string()),
    ]
    .concat();
    let body = format!(
        r#"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>电子监察大厅</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 1.5em; color: #222; }}
h1 {{ margin: 0 0 .2em; }} .as-of {{ color: #666; }}
.figures {{ display: flex; flex-wrap: wrap; gap: .8em; margin: 1em 0; }}
.figure {{ border: 1px solid #ccc; border-radius: 6px; padding: .6em 1em; min-width: 6em; }}
.figure .value {{ font-size: 1.6em; font-weight: bold; }} .figure .label {{ color: #555; }}
#alerts {{ list-style: none; padding: 0; max-height: 28em; overflow-y: auto; }}
#alerts li {{ padding: .3em .5em; border-left: 6px solid #999; margin: .2em 0; background: #fafafa; }}
#alerts li.red {{ border-color: #c0392b; }} #alerts li.yellow {{ border-color: #f1c40f; }}
#alerts li.warning {{ border-color: #e67e22; }} .status {{ color: #666; }}
#live {{ color: #1e8449; }} #live.off {{ color: #999; }}
</style></head>
<body>
<h1>电子监察大厅</h1>
<div class="as-of">{holder} · 截至 {as_of} · <span id="live" class="off">实时连接中…</span></div>
<section><h2>今日概况</h2><div class="figures">{figures}</div></section>
<section><h2>实时预警纠错信号 (<span id="alert-count">{alert_count}</span>)</h2><ul id="alerts">{items}</ul></section>
<section><h2>部门绩效排名（{year}年）</h2>{svg}</section>
<script>
(function () {{
  var list = document.getElementById("alerts");
  var count = document.getElementById("alert-count");
  var live = document.getElementById("live");
  var levels = {{ red: "红牌", yellow: "黄牌", warning: "预警", notice: "提示" }};
  var statuses = {statuses};
  function item(alert) {{
    var li = document.createElement("li");
    li.className = alert.level in levels ? alert.level : "notice";
    li.setAttribute("data-id", alert.id);
    var b = document.createElement("b"); b.textContent = levels[alert.level] || alert.level;
    var code = document.createElement("code"); code.textContent = alert.code;
    var status = document.createElement("span"); status.className = "status";
    status.textContent = statuses[alert.status] || alert.status;
    li.appendChild(b); li.appendChild(document.createTextNode(" "));
    li.appendChild(code); li.appendChild(document.createTextNode(" " + alert.message + " "));
    li.appendChild(status);
    return li;
  }}
  var source = new EventSource("/v1/events/stream");
  source.onopen = function () {{ live.textContent = "实时"; live.className = ""; }};
  source.onerror = function () {{ live.textContent = "连接中断，重连中…"; live.className = "off"; }};
  source.addEventListener("alert", function (message) {{
    var alert = JSON.parse(message.data);
    var old = list.querySelector('li[data-id="' + CSS.escape(alert.id) + '"]');
    if (old) {{ list.replaceChild(item(alert), old); return; }}
    list.insertBefore(item(alert), list.firstChild);
    count.textContent = String(Number(count.textContent) + 1);
  }});
  source.addEventListener("lagged", function () {{ window.location.reload(); }});
}})();
</script>
</body></html>
"#,
        holder = escape(&caller.holder),
        as_of = at.format("%Y-%m-%d %H:%M:%S"),
        alert_count = alert_count,
        svg = ranking_svg(&scores, &names),
        statuses = statuses_json(),
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// Alert statuses' Chinese names for the script, as a JSON object.
fn statuses_json() -> String {
    use AlertStatus as S;
    let all = [
        S::Raised,
        S::Notified,
        S::Explained,
        S::Confirmed,
        S::Dismissed,
        S::Supervised,
        S::Escalated,
        S::Corrected,
        S::Accountability,
        S::Closed,
    ];
    let map: BTreeMap<String, &str> = all
        .iter()
        .map(|s| {
            (serde_json::to_value(s).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(), s.chinese())
        })
        .collect();
    serde_json::to_string(&map).unwrap_or_else(|_| "{}".to_owned())
}
