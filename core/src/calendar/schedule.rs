//! The serialised holiday schedule: one entry per State Council notice year.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problems, Result};

/// A statutory holiday (法定节假日) that a notice arranges days off for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Festival {
    /// 元旦.
    NewYearsDay,
    /// 春节.
    SpringFestival,
    /// 清明节.
    TombSweepingDay,
    /// 劳动节.
    LabourDay,
    /// 端午节.
    DragonBoatFestival,
    /// 中秋节.
    MidAutumnFestival,
    /// 国庆节.
    NationalDay,
    /// A one-off holiday by special notice (e.g. the 2015 victory commemoration); the period's
    /// `name` says which.
    Special,
}

impl Festival {
    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            Festival::NewYearsDay => "元旦",
            Festival::SpringFestival => "春节",
            Festival::TombSweepingDay => "清明节",
            Festival::LabourDay => "劳动节",
            Festival::DragonBoatFestival => "端午节",
            Festival::MidAutumnFestival => "中秋节",
            Festival::NationalDay => "国庆节",
            Festival::Special => "特别假日",
        }
    }

    /// The English name.
    pub fn english(self) -> &'static str {
        match self {
            Festival::NewYearsDay => "New Year's Day",
            Festival::SpringFestival => "Spring Festival",
            Festival::TombSweepingDay => "Tomb-sweeping Day",
            Festival::LabourDay => "Labour Day",
            Festival::DragonBoatFestival => "Dragon Boat Festival",
            Festival::MidAutumnFestival => "Mid-autumn Festival",
            Festival::NationalDay => "National Day",
            Festival::Special => "Special holiday",
        }
    }
}

/// What the `date` of a [`Notice`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeDateKind {
    /// 成文日期: the date printed on the notice.
    Issued,
    /// The day www.gov.cn published it (read from its address), where the 成文日期 was not checked.
    Published,
}

/// 通知: the State Council (办公厅) notice a year's schedule comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// Title, e.g. `国务院办公厅关于2026年部分节假日安排的通知`.
    pub title: String,
    /// 发文字号, e.g. `国办发明电〔2024〕12号`, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_number: Option<String>,
    /// The notice's date, where known; `date_kind` says which date it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::serde_date::option")]
    pub date: Option<NaiveDate>,
    /// Whether `date` is the 成文日期 or the publication day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_kind: Option<NoticeDateKind>,
    /// Where the text can be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// 放假: a run of consecutive days off for one festival (weekend days inside included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayPeriod {
    /// The festival.
    pub festival: Festival,
    /// The name of a [`Festival::Special`] holiday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// First day off.
    #[serde(with = "crate::serde_date")]
    pub from: NaiveDate,
    /// Last day off (inclusive).
    #[serde(with = "crate::serde_date")]
    pub to: NaiveDate,
}

/// 调休上班: a Saturday or Sunday that is a working day because a festival's days off were
/// moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjustedWorkday {
    /// The weekend day that is worked.
    #[serde(with = "crate::serde_date")]
    pub date: NaiveDate,
    /// The festival it compensates.
    pub festival: Festival,
}

/// One year's arrangement as the notice(s) for that year publish it. Days at the end of December
/// of the previous year that the notice moves (元旦 bridges) belong here too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearSchedule {
    /// The year the notice is for.
    pub year: i32,
    /// 推算: projected from the statutory rules because no notice exists yet
    /// (`Calendar::with_provisional_year`, feature `provisional`). Results that touch such a year
    /// must say so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub provisional: bool,
    /// The notice and any later notice amending it (e.g. 2020's extended Spring Festival).
    #[serde(rename = "notice", alias = "notices")]
    pub notices: Vec<Notice>,
    /// Days off.
    #[serde(default, rename = "holiday", alias = "holidays")]
    pub holidays: Vec<HolidayPeriod>,
    /// Weekend days worked.
    #[serde(default, rename = "workday", alias = "workdays", alias = "adjusted_workdays")]
    pub adjusted_workdays: Vec<AdjustedWorkday>,
}

/// A schedule file: the embedded table and the files that add later years at run time share this
/// format (TOML `[[year]]` tables, or JSON `{"year": [...]}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleFile {
    /// The years in the file.
    #[serde(rename = "year", alias = "years")]
    pub years: Vec<YearSchedule>,
}

impl ScheduleFile {
    /// Parses TOML.
    pub fn from_toml(text: &str) -> Result<Self> {
        toml::from_str(text).map_err(|e| Error::Parse { what: "schedule file", message: e.to_string() })
    }

    /// Parses JSON.
    pub fn from_json(text: &str) -> Result<Self> {
        crate::json::from_json(text).map_err(|message| Error::Parse { what: "schedule file", message })
    }

    /// Writes TOML that [`ScheduleFile::from_toml`] reads back to the same value.
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string(self).map_err(|e| Error::Parse { what: "schedule file", message: e.to_string() })
    }

    /// Writes JSON that [`ScheduleFile::from_json`] reads back to the same value.
    pub fn to_json(&self) -> String {
        // A schedule holds only strings, numbers and dates: serialising cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

impl YearSchedule {
    /// Checks the schedule on its own: a notice is named, dates fall in the year (or the
    /// previous December), periods run forward, adjusted workdays are weekend days, and no day is
    /// both off and worked.
    pub fn validate(&self, problems: &mut Problems) {
        let at = format!("year {}", self.year);
        if !(1949..=9999).contains(&self.year) {
            problems.push(&at, format!("year `{}` is outside 1949–9999", self.year));
            return;
        }
        if self.notices.is_empty() && !self.provisional {
            problems.push(&at, "no notice is named; every schedule must say which notice it comes from");
        }
        for (index, notice) in self.notices.iter().enumerate() {
            if notice.title.trim().is_empty() {
                problems.push(format!("{at} notice[{index}]"), "title is empty");
            }
            if notice.date.is_some() != notice.date_kind.is_some() {
                problems.push(format!("{at} notice[{index}]"), "`date` and `date_kind` go together");
            }
        }
        // Days a notice for `year` may move: from 1 December of the previous year.
        let earliest = NaiveDate::from_ymd_opt(self.year - 1, 12, 1);
        let latest = NaiveDate::from_ymd_opt(self.year, 12, 31);
        let in_range = |d: NaiveDate| earliest.is_some_and(|e| d >= e) && latest.is_some_and(|l| d <= l);
        let mut off = std::collections::BTreeSet::new();
        for (index, period) in self.holidays.iter().enumerate() {
            let location = format!("{at} holiday[{index}] ({})", period.festival.chinese());
            if period.to < period.from {
                problems.push(&location, format!("ends {} before it starts {}", period.to, period.from));
                continue;
            }
            if !in_range(period.from) || !in_range(period.to) {
                problems.push(
                    &location,
                    format!("{}…{} is outside {}-12-01…{}-12-31", period.from, period.to, self.year - 1, self.year),
                );
                continue;
            }
            if period.festival == Festival::Special && period.name.is_none() {
                problems.push(&location, "a special holiday needs a `name`");
            }
            off.extend(period.from.iter_days().take_while(|day| *day <= period.to));
        }
        for (index, workday) in self.adjusted_workdays.iter().enumerate() {
            let location = format!("{at} workday[{index}] {}", workday.date);
            if !in_range(workday.date) {
                problems.push(&location, format!("outside {}-12-01…{}-12-31", self.year - 1, self.year));
            }
            if !matches!(workday.date.weekday(), Weekday::Sat | Weekday::Sun) {
                problems.push(
                    &location,
                    format!(
                        "is a {}; an adjusted working day (调休上班) must be a Saturday or Sunday",
                        workday.date.weekday()
                    ),
                );
            }
            if off.contains(&workday.date) {
                problems.push(&location, "is both a day off and an adjusted working day");
            }
        }
    }
}
