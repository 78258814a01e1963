//! The working-day calendar: which days are 工作日 under the State Council's holiday notices, and
//! O(1) working-day arithmetic over them.

#[cfg(feature = "provisional")]
mod provisional;
mod schedule;

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problems, Result};

#[cfg(feature = "provisional")]
pub use provisional::{LAST_PROJECTED_YEAR, StatutoryRules};
pub use schedule::{AdjustedWorkday, Festival, HolidayPeriod, Notice, NoticeDateKind, ScheduleFile, YearSchedule};

const EMBEDDED: &str = include_str!("../../data/holidays.toml");

/// What kind of day a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "festival", rename_all = "snake_case")]
pub enum DayKind {
    /// An ordinary Monday–Friday working day.
    Workday,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// A day off for a festival (法定节假日 or a moved rest day of its arrangement).
    Holiday(Festival),
    /// A Saturday or Sunday worked for a festival's arrangement (调休上班).
    AdjustedWorkday(Festival),
}

impl DayKind {
    /// Whether the day is a 工作日.
    pub fn is_workday(self) -> bool {
        matches!(self, DayKind::Workday | DayKind::AdjustedWorkday(_))
    }
}

/// 工作日历: the working-day calendar of the People's Republic of China.
///
/// It covers a contiguous run of years, each from a State Council notice: the embedded data covers
/// 2004–2026 ([`Calendar::china`]); later years are loaded from a schedule file at run time
/// ([`Calendar::with_schedules`]). A date outside the covered years is an error, never a guess.
///
/// Every query is O(1): the calendar precomputes, for each covered day, how many working days
/// precede it, and keeps the list of working days.
///
/// ```
/// use chrono::NaiveDate;
/// use zhengwu_core::Calendar;
///
/// let calendar = Calendar::china();
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// // Accepted on Friday 24 January 2025: 5 working days later is 7 February (Spring Festival
/// // 28 Jan – 4 Feb is off, Sunday 26 Jan is worked).
/// assert_eq!(calendar.add_working_days(d(2025, 1, 24), 5)?, d(2025, 2, 7));
/// assert!(calendar.is_workday(d(2025, 1, 26))?);
/// assert!(calendar.is_workday(d(2027, 3, 1)).is_err());
/// # Ok::<(), zhengwu_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Calendar {
    inner: Arc<Tables>,
}

#[derive(Debug)]
struct Tables {
    schedules: BTreeMap<i32, YearSchedule>,
    first_year: i32,
    last_year: i32,
    /// `num_days_from_ce` of 1 January of `first_year`.
    base: i32,
    /// Per covered day.
    kinds: Vec<DayKind>,
    /// `rank[i]` = number of working days among covered days `0..=i`.
    rank: Vec<u32>,
    /// The covered working days in order.
    workdays: Vec<NaiveDate>,
}

impl Calendar {
    /// The embedded calendar: every year from 2004 to 2026 as the State Council notices arranged
    /// it. Built once per process and shared.
    pub fn china() -> Calendar {
        static EMBEDDED_CALENDAR: OnceLock<Calendar> = OnceLock::new();
        EMBEDDED_CALENDAR
            .get_or_init(|| {
                let file = ScheduleFile::from_toml(EMBEDDED).expect("the embedded schedule parses (tested)");
                Calendar::from_schedules(file.years).expect("the embedded schedule is valid (tested)")
            })
            .clone()
    }

    /// The embedded schedule file, as the data a caller may inspect or extend.
    pub fn embedded_schedule() -> ScheduleFile {
        ScheduleFile::from_toml(EMBEDDED).expect("the embedded schedule parses (tested)")
    }

    /// A calendar from schedules alone. The years must be contiguous and each valid.
    pub fn from_schedules(years: impl IntoIterator<Item = YearSchedule>) -> Result<Calendar> {
        let mut schedules = BTreeMap::new();
        let mut problems = Problems::default();
        for schedule in years {
            schedule.validate(&mut problems);
            let year = schedule.year;
            if schedules.insert(year, schedule).is_some() {
                problems.push(format!("year {year}"), "appears twice");
            }
        }
        Self::build(schedules, problems)
    }

    /// This calendar with the years of `file` added, or replacing years it already covers (a
    /// corrected notice). The result must still cover a contiguous run of years.
    ///
    /// ```
    /// use zhengwu_core::{Calendar, ScheduleFile};
    /// let file = ScheduleFile::from_toml(r#"
    ///     [[year]]
    ///     year = 2027
    ///     [[year.notice]]
    ///     title = "国务院办公厅关于2027年部分节假日安排的通知"
    ///     [[year.holiday]]
    ///     festival = "new_years_day"
    ///     from = 2027-01-01
    ///     to = 2027-01-03
    /// "#)?;
    /// let calendar = Calendar::china().with_schedules(file)?;
    /// assert_eq!(calendar.years(), 2004..=2027);
    /// assert!(!calendar.is_workday("2027-01-01".parse().unwrap())?);
    /// # Ok::<(), zhengwu_core::Error>(())
    /// ```
    pub fn with_schedules(&self, file: ScheduleFile) -> Result<Calendar> {
        let mut schedules = self.inner.schedules.clone();
        let mut problems = Problems::default();
        let mut seen = std::collections::BTreeSet::new();
        for schedule in file.years {
            schedule.validate(&mut problems);
            if !seen.insert(schedule.year) {
                problems.push(format!("year {}", schedule.year), "appears twice in the file");
            }
            schedules.insert(schedule.year, schedule);
        }
        Self::build(schedules, problems)
    }

    /// This calendar with `year` projected from the statutory rules of 《全国年节及纪念日放假办法》
    /// (the 2025 version for 2025 on): only the statutory days are off, with no bridging days and no
    /// 调休 working weekends, because those come only with the State Council's notice. The year is
    /// marked provisional ([`Calendar::is_provisional`]); load the real notice with
    /// [`Calendar::with_schedules`] as soon as it is published, and it replaces the projection.
    ///
    /// A year that has a published schedule cannot be projected, and the years must stay
    /// contiguous (project 2027 before 2028).
    ///
    /// ```
    /// use zhengwu_core::Calendar;
    /// let calendar = Calendar::china().with_provisional_year(2027)?;
    /// assert!(calendar.is_provisional(2027));
    /// let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    /// assert!(!calendar.is_workday(d("2027-02-05"))?); // 除夕 (lunar 十二月廿九 … the eve of 2027-02-06)
    /// assert_eq!(calendar.provisional_year_in(d("2026-12-01"), d("2027-01-10")), Some(2027));
    /// # Ok::<(), zhengwu_core::Error>(())
    /// ```
    #[cfg(feature = "provisional")]
    pub fn with_provisional_year(&self, year: i32) -> Result<Calendar> {
        if let Some(existing) = self.inner.schedules.get(&year)
            && !existing.provisional
        {
            let mut problems = Problems::default();
            problems.push(format!("year {year}"), "has a published notice; only years without one can be projected");
            return Err(Error::InvalidSchedule(problems));
        }
        let mut schedules = self.inner.schedules.clone();
        schedules.insert(year, provisional::project(year)?);
        Self::build(schedules, Problems::default())
    }

    /// Whether `year` is projected rather than published.
    pub fn is_provisional(&self, year: i32) -> bool {
        self.inner.schedules.get(&year).is_some_and(|s| s.provisional)
    }

    /// The first provisional year between the years of `from` and `to` (inclusive), if any: a
    /// result computed over that span rests on a projection.
    pub fn provisional_year_in(&self, from: NaiveDate, to: NaiveDate) -> Option<i32> {
        let (low, high) = if from <= to { (from.year(), to.year()) } else { (to.year(), from.year()) };
        self.inner.schedules.range(low..=high).find(|(_, s)| s.provisional).map(|(year, _)| *year)
    }

    fn build(schedules: BTreeMap<i32, YearSchedule>, mut problems: Problems) -> Result<Calendar> {
        let (Some(&first_year), Some(&last_year)) = (schedules.keys().next(), schedules.keys().next_back()) else {
            problems.push("calendar", "no year has a schedule");
            return Err(Error::InvalidSchedule(problems));
        };
        for (year, next) in schedules.keys().zip(schedules.keys().skip(1)) {
            if next - year != 1 {
                problems.push(
                    format!("year {next}"),
                    format!("the years must be contiguous, but {} to {} are missing", year + 1, next - 1),
                );
            }
        }
        problems.into_result(Error::InvalidSchedule)?;

        let start = NaiveDate::from_ymd_opt(first_year, 1, 1).ok_or_else(|| out_of_range(first_year))?;
        let end = NaiveDate::from_ymd_opt(last_year, 12, 31).ok_or_else(|| out_of_range(last_year))?;
        let base = start.num_days_from_ce();
        let length = (end.num_days_from_ce() - base + 1) as usize;
        let mut kinds: Vec<DayKind> = start
            .iter_days()
            .take(length)
            .map(|day| match day.weekday() {
                Weekday::Sat | Weekday::Sun => DayKind::Weekend,
                _ => DayKind::Workday,
            })
            .collect();
        let index = |day: NaiveDate| {
            let offset = day.num_days_from_ce() - base;
            (offset >= 0 && (offset as usize) < length).then_some(offset as usize)
        };
        for schedule in schedules.values() {
            for period in &schedule.holidays {
                for day in period.from.iter_days().take_while(|day| *day <= period.to) {
                    if let Some(i) = index(day) {
                        kinds[i] = DayKind::Holiday(period.festival);
                    }
                }
            }
            for workday in &schedule.adjusted_workdays {
                if let Some(i) = index(workday.date) {
                    kinds[i] = DayKind::AdjustedWorkday(workday.festival);
                }
            }
        }
        let mut rank = Vec::with_capacity(length);
        let mut workdays = Vec::with_capacity(length * 5 / 7);
        let mut count = 0u32;
        for (day, kind) in start.iter_days().zip(&kinds) {
            if kind.is_workday() {
                count += 1;
                workdays.push(day);
            }
            rank.push(count);
        }
        Ok(Calendar { inner: Arc::new(Tables { schedules, first_year, last_year, base, kinds, rank, workdays }) })
    }

    /// The years covered, first to last.
    pub fn years(&self) -> std::ops::RangeInclusive<i32> {
        self.inner.first_year..=self.inner.last_year
    }

    /// The schedule (and its notices) for `year`.
    pub fn schedule(&self, year: i32) -> Option<&YearSchedule> {
        self.inner.schedules.get(&year)
    }

    /// All schedules, first year first.
    pub fn schedules(&self) -> impl Iterator<Item = &YearSchedule> {
        self.inner.schedules.values()
    }

    #[inline]
    fn offset(&self, day: NaiveDate) -> Result<usize> {
        let offset = day.num_days_from_ce() - self.inner.base;
        if offset >= 0 && (offset as usize) < self.inner.kinds.len() {
            Ok(offset as usize)
        } else {
            Err(self.no_schedule(day.year()))
        }
    }

    fn no_schedule(&self, year: i32) -> Error {
        Error::NoSchedule { year, first: self.inner.first_year, last: self.inner.last_year }
    }

    /// What kind of day `day` is.
    pub fn day_kind(&self, day: NaiveDate) -> Result<DayKind> {
        Ok(self.inner.kinds[self.offset(day)?])
    }

    /// Whether `day` is a 工作日 (a Monday–Friday that is not a holiday, or an adjusted working
    /// weekend day).
    #[inline]
    pub fn is_workday(&self, day: NaiveDate) -> Result<bool> {
        Ok(self.inner.kinds[self.offset(day)?].is_workday())
    }

    /// The `n`-th working day after `start`; the start day itself is never counted (民法典
    /// Art. 201), even when it is a working day. `n = 0` gives `start`.
    #[inline]
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate> {
        let offset = self.offset(start)?;
        if n == 0 {
            return Ok(start);
        }
        let before = self.inner.rank[offset] as usize;
        self.inner
            .workdays
            .get(before + n as usize - 1)
            .copied()
            .ok_or_else(|| self.no_schedule(self.inner.last_year + 1))
    }

    /// The number of working days in `(from, to]`: after `from`, up to and including `to`.
    /// Negative when `to` is before `from`.
    #[inline]
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<i64> {
        let a = self.inner.rank[self.offset(from)?] as i64;
        let b = self.inner.rank[self.offset(to)?] as i64;
        Ok(b - a)
    }

    /// `day` if it is a working day, otherwise the first working day after it.
    pub fn next_workday_on_or_after(&self, day: NaiveDate) -> Result<NaiveDate> {
        if self.is_workday(day)? { Ok(day) } else { self.add_working_days(day, 1) }
    }

    /// A limit counted in calendar days (自然日, e.g. 信访): `n` days after `start` (the start day
    /// not counted), moved to the next working day when that last day is not a working day
    /// (民法典 Art. 203).
    pub fn add_calendar_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate> {
        self.offset(start)?;
        let last = start.checked_add_days(Days::new(u64::from(n))).ok_or_else(|| self.no_schedule(i32::MAX))?;
        self.next_workday_on_or_after(last)
    }
}

fn out_of_range(year: i32) -> Error {
    let mut problems = Problems::default();
    problems.push(format!("year {year}"), "is outside the dates this calendar can represent");
    Error::InvalidSchedule(problems)
}
