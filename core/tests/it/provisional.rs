//! The projection of statutory days, checked against history: in every year from 2008 to 2026,
//! each statutory day that the rules in force name must be a day off in the published calendar.

use chrono::Datelike;
use zhengwu_core::{Calendar, ClockStatus, Error, Festival, StatutoryClock, StatutoryRules, TimeLimit};

use crate::d;

#[test]
fn statutory_days_are_off_in_every_published_year() {
    let calendar = Calendar::china();
    let mut checked = 0;
    for year in 2008..=2026 {
        let rules = StatutoryRules::in_force(year).unwrap();
        for (festival, day) in rules.statutory_days(year).unwrap() {
            assert_eq!(day.year(), year);
            assert!(
                !calendar.is_workday(day).unwrap(),
                "{year}: statutory {} on {day} is a working day in the published calendar",
                festival.chinese()
            );
            checked += 1;
        }
    }
    // 11 days a year for 2008–2024, 13 for 2025–2026.
    assert_eq!(checked, 17 * 11 + 2 * 13);
}

#[test]
fn rules_differ_where_the_law_changed() {
    // 2014: 除夕 (30 January) was a working day; the 2014 rules start 春节 on 初一.
    let days = StatutoryRules::Rules2014.statutory_days(2014).unwrap();
    let spring: Vec<_> = days.iter().filter(|(f, _)| *f == Festival::SpringFestival).map(|(_, d)| *d).collect();
    assert_eq!(spring, [d("2014-01-31"), d("2014-02-01"), d("2014-02-02")]);
    assert!(Calendar::china().is_workday(d("2014-01-30")).unwrap());
    // 2027 (no notice yet): 除夕 5 February, 初一 6 February (tyme4rs).
    let days = StatutoryRules::Rules2025.statutory_days(2027).unwrap();
    assert!(days.contains(&(Festival::SpringFestival, d("2027-02-05"))));
    assert!(days.contains(&(Festival::MidAutumnFestival, d("2027-09-15"))));
    // 2026 under the 2025 rules: 除夕 16 February, 清明 5 April, 端午 19 June, 中秋 25 September.
    let days = StatutoryRules::Rules2025.statutory_days(2026).unwrap();
    let dates: Vec<_> = days.iter().map(|(_, d)| d.to_string()).collect();
    assert_eq!(
        dates,
        [
            "2026-01-01",
            "2026-02-16",
            "2026-02-17",
            "2026-02-18",
            "2026-02-19",
            "2026-04-05",
            "2026-05-01",
            "2026-05-02",
            "2026-06-19",
            "2026-09-25",
            "2026-10-01",
            "2026-10-02",
            "2026-10-03",
        ]
    );
}

#[test]
fn a_projected_year_is_marked_and_replaced_by_the_notice() {
    let projected = Calendar::china().with_provisional_year(2027).unwrap();
    assert!(projected.is_provisional(2027) && !projected.is_provisional(2026));
    assert_eq!(projected.years(), 2004..=2027);
    assert!(projected.schedule(2027).unwrap().adjusted_workdays.is_empty());

    // A clock whose days reach into 2027 says so; one that stays in 2026 does not.
    let mut clock = StatutoryClock::new(d("2026-12-15"), TimeLimit::working_days(20));
    let report = clock.evaluate(&projected, d("2026-12-15")).unwrap();
    assert_eq!(report.provisional_year, Some(2027));
    assert_eq!(report.status, ClockStatus::Running);
    clock.accepted_on = d("2026-11-02");
    assert_eq!(clock.evaluate(&projected, d("2026-11-02")).unwrap().provisional_year, None);

    // A published year cannot be projected; years stay contiguous.
    assert!(matches!(Calendar::china().with_provisional_year(2026), Err(Error::InvalidSchedule(_))));
    assert!(matches!(Calendar::china().with_provisional_year(2028), Err(Error::InvalidSchedule(_))));
    // Far years are refused before any lunar computation (tyme4rs panicked on 10000).
    for year in [2101, 10_000, i32::MAX] {
        let error = Calendar::china().with_provisional_year(year).unwrap_err().to_string();
        assert!(
            error.contains(&format!("year {year} (projected): projections are made for years up to 2100")),
            "{error}"
        );
    }

    // The published notice replaces the projection.
    let notice = zhengwu_core::ScheduleFile::from_toml(
        "[[year]]\nyear = 2027\n[[year.notice]]\ntitle = \"国务院办公厅关于2027年部分节假日安排的通知（测试数据）\"\n",
    )
    .unwrap();
    let published = projected.with_schedules(notice).unwrap();
    assert!(!published.is_provisional(2027));
}
