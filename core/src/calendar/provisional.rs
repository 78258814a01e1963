//! 推算: projecting a year's statutory holidays from 《全国年节及纪念日放假办法》 when no State
//! Council notice exists yet. Only the statutory days are known in advance; the bridging days off
//! and the 调休 working weekends of the real notice are not, so a projected year is marked
//! provisional everywhere it is used.

use chrono::{Days, NaiveDate};
use tyme4rs::tyme::lunar::LunarDay;
use tyme4rs::tyme::solar::SolarTerm;

use super::schedule::{Festival, HolidayPeriod, Notice, YearSchedule};
use crate::error::{Error, Problems, Result};

/// A version of 《全国年节及纪念日放假办法》: which days are statutory holidays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatutoryRules {
    /// In force 2008-01-01 to 2013-12-31: 元旦 1, 春节 3 (除夕, 初一, 初二), 清明 1, 劳动节 1,
    /// 端午 1, 中秋 1, 国庆 3 — 11 days.
    Rules2008,
    /// In force 2014-01-01 to 2024-12-31: as 2008 but 春节 is 初一 to 初三 — 11 days.
    Rules2014,
    /// In force from 2025-01-01: 春节 4 (除夕 to 初三) and 劳动节 2 (1–2 May) — 13 days.
    Rules2025,
}

impl StatutoryRules {
    /// The rules in force in `year`; `None` before 2008, when 清明, 端午 and 中秋 were not holidays
    /// and the week-long holidays were rules of their own.
    pub fn in_force(year: i32) -> Option<Self> {
        match year {
            2008..=2013 => Some(Self::Rules2008),
            2014..=2024 => Some(Self::Rules2014),
            2025.. => Some(Self::Rules2025),
            _ => None,
        }
    }

    /// The statutory holiday days of `year` under these rules, by festival, in date order.
    pub fn statutory_days(self, year: i32) -> Result<Vec<(Festival, NaiveDate)>> {
        let date = |month, day| ymd(year, month, day);
        let new_year = lunar(year, 1, 1)?;
        let eve = new_year - Days::new(1);
        let spring: Vec<NaiveDate> = match self {
            Self::Rules2008 => vec![eve, new_year, new_year + Days::new(1)],
            Self::Rules2014 => vec![new_year, new_year + Days::new(1), new_year + Days::new(2)],
            Self::Rules2025 => vec![eve, new_year, new_year + Days::new(1), new_year + Days::new(2)],
        };
        let labour: Vec<NaiveDate> = match self {
            Self::Rules2025 => vec![date(5, 1)?, date(5, 2)?],
            _ => vec![date(5, 1)?],
        };
        let mut days = vec![(Festival::NewYearsDay, date(1, 1)?)];
        days.extend(spring.into_iter().map(|d| (Festival::SpringFestival, d)));
        days.push((Festival::TombSweepingDay, qingming(year)?));
        days.extend(labour.into_iter().map(|d| (Festival::LabourDay, d)));
        days.push((Festival::DragonBoatFestival, lunar(year, 5, 5)?));
        days.push((Festival::MidAutumnFestival, lunar(year, 8, 15)?));
        for day in 1..=3 {
            days.push((Festival::NationalDay, date(10, day)?));
        }
        days.sort_by_key(|&(_, d)| d);
        Ok(days)
    }
}

fn ymd(year: i32, month: u32, day: u32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| projection_error(year, format!("no date {year}-{month}-{day}")))
}

fn projection_error(year: i32, message: String) -> Error {
    let mut problems = Problems::default();
    problems.push(format!("year {year} (projected)"), message);
    Error::InvalidSchedule(problems)
}

/// The Gregorian date of a day of the Chinese lunar calendar (tyme4rs).
fn lunar(year: i32, month: i32, day: usize) -> Result<NaiveDate> {
    let solar = LunarDay::new(year as isize, month as isize, day)
        .map_err(|e| projection_error(year, format!("lunar {year}-{month}-{day}: {e}")))?
        .get_solar_day();
    ymd(solar.get_year() as i32, solar.get_month() as u32, solar.get_day() as u32)
}

/// The day of the 清明 solar term in China Standard Time (tyme4rs, after 寿星天文历).
fn qingming(year: i32) -> Result<NaiveDate> {
    let solar = SolarTerm::new(year as isize, "清明")
        .map_err(|e| projection_error(year, format!("清明 {year}: {e}")))?
        .get_solar_day();
    ymd(solar.get_year() as i32, solar.get_month() as u32, solar.get_day() as u32)
}

/// A provisional schedule for `year`: the statutory days of the rules in force, no bridging days,
/// no 调休 working weekends, marked provisional.
/// The last year a projection is made for: the lunar festivals are computed (tyme4rs) and the
/// rules of 2025 applied for the rest of this century; beyond it a projection means nothing.
pub const LAST_PROJECTED_YEAR: i32 = 2100;

pub(crate) fn project(year: i32) -> Result<YearSchedule> {
    if year > LAST_PROJECTED_YEAR {
        return Err(projection_error(
            year,
            format!("projections are made for years up to {LAST_PROJECTED_YEAR}; a later year cannot be projected"),
        ));
    }
    let rules = StatutoryRules::in_force(year)
        .ok_or_else(|| projection_error(year, "statutory rules before 2008 cannot be projected".to_owned()))?;
    let mut holidays: Vec<HolidayPeriod> = Vec::new();
    for (festival, day) in rules.statutory_days(year)? {
        match holidays.last_mut() {
            Some(last) if last.festival == festival && last.to.succ_opt() == Some(day) => last.to = day,
            _ => holidays.push(HolidayPeriod { festival, name: None, from: day, to: day }),
        }
    }
    Ok(YearSchedule {
        year,
        provisional: true,
        notices: vec![Notice {
            title: format!("{year}年法定节假日推算（依据《全国年节及纪念日放假办法》，非国务院办公厅通知）"),
            document_number: None,
            date: None,
            date_kind: None,
            source: None,
        }],
        holidays,
        adjusted_workdays: Vec::new(),
    })
}
