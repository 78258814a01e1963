//! Statistics (办件统计): counts by department, item, region, window and period, with the derived
//! rates of supervision practice. Partial tables merge by addition, so a province can compute per
//! city or per partition and combine (associative and commutative).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::AddAssign;

use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// The counts of one group in one period.
///
/// - `received` (收件) counts cases by the day they were received; `concluded` (办结) by the day
///   they were concluded, whatever decision, including cases received before the period (上期
///   结转), which is why 办结率 may exceed 100 %.
/// - `immediate` (即办件) and `promised` (承诺件, every item with a promised limit) split the
///   normal conclusions (准予, 转报); `early` (提前), `on_time` (按时) and `overdue` (超期) classify the
///   promised ones against the promised limit.
/// - `running`, `overdue_running` and `suspended` are a snapshot of open cases as of the
///   evaluation day, filed under the period containing it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Counters {
    /// 收件.
    pub received: u64,
    /// 受理.
    pub accepted: u64,
    /// 不予受理.
    pub refused_at_intake: u64,
    /// 办结 (all decisions).
    pub concluded: u64,
    /// 即办件 normally concluded.
    pub immediate: u64,
    /// 承诺件 normally concluded.
    pub promised: u64,
    /// 提前办结.
    pub early: u64,
    /// 按时办结.
    pub on_time: u64,
    /// 超期办结.
    pub overdue: u64,
    /// 不予许可.
    pub refused: u64,
    /// 终止.
    pub terminated: u64,
    /// 撤回.
    pub withdrawn: u64,
    /// 在办.
    pub running: u64,
    /// 逾期在办.
    pub overdue_running: u64,
    /// 暂停 (补正 or 特殊环节).
    pub suspended: u64,
    /// 提示 alerts raised.
    pub notices: u64,
    /// 预警 alerts raised.
    pub warnings: u64,
    /// 黄牌 alerts raised.
    pub yellow_cards: u64,
    /// 红牌 alerts raised.
    pub red_cards: u64,
    /// 评价 given (好差评, or a 代表's or 委员's view of an answer), by the day given.
    #[serde(default)]
    pub rated: u64,
    /// Of them 满意 (非常满意, 满意 or 基本满意).
    #[serde(default)]
    pub satisfied: u64,
    /// Of them 差评 (不满意 or 非常不满意).
    #[serde(default)]
    pub bad_ratings: u64,
}

impl AddAssign for Counters {
    fn add_assign(&mut self, other: Self) {
        self.received += other.received;
        self.accepted += other.accepted;
        self.refused_at_intake += other.refused_at_intake;
        self.concluded += other.concluded;
        self.immediate += other.immediate;
        self.promised += other.promised;
        self.early += other.early;
        self.on_time += other.on_time;
        self.overdue += other.overdue;
        self.refused += other.refused;
        self.terminated += other.terminated;
        self.withdrawn += other.withdrawn;
        self.running += other.running;
        self.overdue_running += other.overdue_running;
        self.suspended += other.suspended;
        self.notices += other.notices;
        self.warnings += other.warnings;
        self.yellow_cards += other.yellow_cards;
        self.red_cards += other.red_cards;
        self.rated += other.rated;
        self.satisfied += other.satisfied;
        self.bad_ratings += other.bad_ratings;
    }
}

/// Rates derived from [`Counters`], as fractions (multiply by 100 for %); `None` when the
/// denominator is 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rates {
    /// 办结率 = 办结 / 收件.
    pub conclusion_rate: Option<f64>,
    /// 提前办结率 = 提前 / 承诺件.
    pub early_rate: Option<f64>,
    /// 按时办结率 = (提前 + 按时) / 承诺件.
    pub timely_rate: Option<f64>,
    /// 超期率 = 超期 / 承诺件.
    pub overdue_rate: Option<f64>,
    /// 即办件率 = 即办件 / (即办件 + 承诺件).
    pub immediate_rate: Option<f64>,
    /// Alerts (预警, 黄牌, 红牌; not 提示) per 100 cases received.
    pub alerts_per_100: Option<f64>,
    /// 满意率 = 满意 / 评价 (for 建议 and 提案 handling: (满意 + 基本满意) / views given).
    #[serde(default)]
    pub satisfaction_rate: Option<f64>,
}

fn ratio(numerator: u64, denominator: u64) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

impl Counters {
    /// The derived rates.
    pub fn rates(&self) -> Rates {
        Rates {
            conclusion_rate: ratio(self.concluded, self.received),
            early_rate: ratio(self.early, self.promised),
            timely_rate: ratio(self.early + self.on_time, self.promised),
            overdue_rate: ratio(self.overdue, self.promised),
            immediate_rate: ratio(self.immediate, self.immediate + self.promised),
            alerts_per_100: ratio(100 * (self.warnings + self.yellow_cards + self.red_cards), self.received),
            satisfaction_rate: ratio(self.satisfied, self.rated),
        }
    }
}

/// What the rows are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// One row for everything.
    Total,
    /// 部门 (the lead department of the case).
    Department,
    /// 事项.
    Item,
    /// 行政区划: each case counts in its region and, with an organisation directory, in every
    /// region above it (town → county → city).
    Region,
    /// 窗口: the account that received the case.
    Window,
}

/// The period rows are cut by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// One period for all time (`all`).
    All,
    /// `YYYY`.
    Year,
    /// `YYYY-Qn`.
    Quarter,
    /// `YYYY-MM`.
    Month,
}

impl Period {
    /// A number per period, in order: the year, the quarter or the month counted from year 0.
    fn number(self, day: NaiveDate) -> i32 {
        // Months and quarters are 1–12 and 1–4: the casts cannot wrap.
        let (month, quarter) = (day.month0() as i32, (day.month0() / 3) as i32);
        match self {
            Period::All => 0,
            Period::Year => day.year(),
            Period::Quarter => day.year() * 4 + quarter,
            Period::Month => day.year() * 12 + month,
        }
    }

    /// The label of the period numbered `number` by [`Period::number`].
    fn label_of(self, number: i32) -> String {
        match self {
            Period::All => "all".to_owned(),
            Period::Year => format!("{number}"),
            Period::Quarter => format!("{}-Q{}", number.div_euclid(4), number.rem_euclid(4) + 1),
            Period::Month => format!("{}-{:02}", number.div_euclid(12), number.rem_euclid(12) + 1),
        }
    }

    /// The label of the period containing `day`.
    pub fn label(self, day: NaiveDate) -> String {
        self.label_of(self.number(day))
    }
}

/// The version of the partial format [`Statistics::to_json`] writes (what a Dask or Spark
/// partition hands back to be merged).
pub const STATISTICS_VERSION: u32 = 1;

/// A statistics table: counters per (group, period). Tables with the same dimension and period
/// merge by addition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statistics {
    /// What a row groups by: department, item, window, region or the total.
    pub dimension: Dimension,
    /// Period cut.
    pub period: Period,
    /// Rows keyed by (group, period label).
    pub rows: BTreeMap<(String, String), Counters>,
}

/// One row of a statistics table as reports show it: the group and period, the counters and
/// the rates computed from them (`zhengwu supervise replay --format json`, `zhengwu serve`'s
/// `/v1/statistics`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatisticsRow {
    /// The group: a department, item, window or region, or `total`.
    pub group: String,
    /// The period label (`all`, `2025`, `2025-Q1`, `2025-03`).
    pub period: String,
    /// The counts.
    #[serde(flatten)]
    pub counters: Counters,
    /// 办结率 and the other rates.
    #[serde(flatten)]
    pub rates: Rates,
}

/// A table as stored: rows as `[group, period, counters]`, since JSON keys are strings.
#[derive(Serialize, Deserialize)]
struct StoredStatistics<R> {
    version: u32,
    dimension: Dimension,
    period: Period,
    rows: Vec<R>,
}

impl Statistics {
    /// The rows in order, each with its rates.
    pub fn table(&self) -> Vec<StatisticsRow> {
        self.rows
            .iter()
            .map(|((group, period), counters)| StatisticsRow {
                group: group.clone(),
                period: period.clone(),
                counters: *counters,
                rates: counters.rates(),
            })
            .collect()
    }

    /// The table as JSON: `{"version": 1, "dimension", "period", "rows": [[group, period,
    /// counters], ...]}`.
    pub fn to_json(&self) -> String {
        let rows: Vec<(&String, &String, &Counters)> =
            self.rows.iter().map(|((group, period), counters)| (group, period, counters)).collect();
        let stored =
            StoredStatistics { version: STATISTICS_VERSION, dimension: self.dimension, period: self.period, rows };
        serde_json::to_string(&stored).expect("statistics always serialise to JSON")
    }

    /// Reads what [`Statistics::to_json`] wrote; another version, or none, is refused by name.
    pub fn from_json(text: &str) -> crate::error::Result<Self> {
        let parse = |message: String| zhengwu_core::Error::Parse { what: "statistics", message };
        let header: zhengwu_core::FormatHeader = zhengwu_core::from_json(text).map_err(parse)?;
        zhengwu_core::check_format_version("statistics", header.version, STATISTICS_VERSION, true)?;
        let stored: StoredStatistics<(String, String, Counters)> = zhengwu_core::from_json(text).map_err(parse)?;
        let rows = stored.rows.into_iter().map(|(group, period, counters)| ((group, period), counters)).collect();
        Ok(Statistics { dimension: stored.dimension, period: stored.period, rows })
    }

    /// An empty table.
    pub fn new(dimension: Dimension, period: Period) -> Self {
        Self { dimension, period, rows: BTreeMap::new() }
    }

    /// Adds another table's rows into this one. Both must have the same dimension and period.
    pub fn merge(&mut self, other: &Statistics) -> Result<(), String> {
        if (self.dimension, self.period) != (other.dimension, other.period) {
            return Err(format!(
                "cannot merge statistics by {:?}/{:?} into statistics by {:?}/{:?}",
                other.dimension, other.period, self.dimension, self.period
            ));
        }
        for (key, counters) in &other.rows {
            *self.rows.entry(key.clone()).or_default() += *counters;
        }
        Ok(())
    }

    /// The counters of one row, if present.
    pub fn row(&self, group: &str, period: &str) -> Option<&Counters> {
        self.rows.get(&(group.to_owned(), period.to_owned()))
    }

    /// The sum of all rows of one period label (or of every period with `None`).
    pub fn total(&self, period: Option<&str>) -> Counters {
        let mut total = Counters::default();
        for ((_, label), counters) in &self.rows {
            if period.is_none_or(|p| p == label) {
                total += *counters;
            }
        }
        total
    }
}

/// Counters gathered by (group, period number) while the cases are walked: an add allocates
/// nothing; the period labels are written once, by [`Tally::finish`].
pub(crate) struct Tally<'a> {
    dimension: Dimension,
    period: Period,
    rows: FxHashMap<(Cow<'a, str>, i32), Counters>,
}

impl<'a> Tally<'a> {
    pub(crate) fn new(dimension: Dimension, period: Period) -> Self {
        Tally { dimension, period, rows: FxHashMap::default() }
    }

    pub(crate) fn add(&mut self, group: Cow<'a, str>, day: NaiveDate, update: impl FnOnce(&mut Counters)) {
        update(self.rows.entry((group, self.period.number(day))).or_default());
    }

    pub(crate) fn finish(self) -> Statistics {
        let period = self.period;
        let rows = self
            .rows
            .into_iter()
            .map(|((group, number), counters)| ((group.into_owned(), period.label_of(number)), counters));
        Statistics { dimension: self.dimension, period, rows: rows.collect() }
    }
}
