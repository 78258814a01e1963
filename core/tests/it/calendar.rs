use zhengwu_core::{Calendar, DayKind, Error, Festival, ScheduleFile};

use crate::d;

#[test]
fn embedded_covers_2004_to_2026_with_notices() {
    let calendar = Calendar::china();
    assert_eq!(calendar.years(), 2004..=2026);
    let notice = &calendar.schedule(2025).unwrap().notices[0];
    assert_eq!(notice.title, "国务院办公厅关于2025年部分节假日安排的通知");
    assert_eq!(notice.document_number.as_deref(), Some("国办发明电〔2024〕12号"));
    assert_eq!(notice.date, Some(d("2024-11-12")));
    assert_eq!(calendar.schedule(2026).unwrap().notices[0].date, Some(d("2025-11-04")));
    // 2020 had a second notice extending the Spring Festival.
    assert_eq!(calendar.schedule(2020).unwrap().notices.len(), 2);
    for year in calendar.years() {
        assert!(!calendar.schedule(year).unwrap().notices.is_empty(), "year {year} names no notice");
    }
}

#[test]
fn day_kinds_of_2026_match_the_notice() {
    let calendar = Calendar::china();
    assert_eq!(calendar.day_kind(d("2026-01-04")).unwrap(), DayKind::AdjustedWorkday(Festival::NewYearsDay));
    assert_eq!(calendar.day_kind(d("2026-02-23")).unwrap(), DayKind::Holiday(Festival::SpringFestival));
    assert_eq!(calendar.day_kind(d("2026-02-28")).unwrap(), DayKind::AdjustedWorkday(Festival::SpringFestival));
    assert_eq!(calendar.day_kind(d("2026-10-07")).unwrap(), DayKind::Holiday(Festival::NationalDay));
    assert_eq!(calendar.day_kind(d("2026-10-10")).unwrap(), DayKind::AdjustedWorkday(Festival::NationalDay));
    assert_eq!(calendar.day_kind(d("2026-11-28")).unwrap(), DayKind::Weekend);
    assert_eq!(calendar.day_kind(d("2026-11-27")).unwrap(), DayKind::Workday);
    // 2008's notice moved 2007-12-29 (a Saturday) to a working day.
    assert_eq!(calendar.day_kind(d("2007-12-29")).unwrap(), DayKind::AdjustedWorkday(Festival::NewYearsDay));
}

#[test]
fn a_year_without_data_is_an_error_naming_it() {
    let calendar = Calendar::china();
    let error = calendar.is_workday(d("2027-01-04")).unwrap_err();
    assert_eq!(error, Error::NoSchedule { year: 2027, first: 2004, last: 2026 });
    assert_eq!(error.to_string(), "year 2027 has no published holiday schedule (the calendar covers 2004–2026)");
    assert!(matches!(calendar.is_workday(d("2003-12-31")), Err(Error::NoSchedule { year: 2003, .. })));
    // A deadline that runs past the last covered year is an error too, not a guess.
    assert!(matches!(calendar.add_working_days(d("2026-12-01"), 30), Err(Error::NoSchedule { year: 2027, .. })));
    assert!(matches!(calendar.add_calendar_days(d("2026-12-20"), 30), Err(Error::NoSchedule { year: 2027, .. })));
}

#[test]
fn start_day_is_never_counted() {
    let calendar = Calendar::china();
    // Accepted on a working Monday: the first working day is Tuesday.
    assert_eq!(calendar.add_working_days(d("2025-03-03"), 1).unwrap(), d("2025-03-04"));
    // Accepted on a Saturday: the first working day is Monday.
    assert_eq!(calendar.add_working_days(d("2025-03-01"), 1).unwrap(), d("2025-03-03"));
    assert_eq!(calendar.add_working_days(d("2025-03-01"), 0).unwrap(), d("2025-03-01"));
    assert_eq!(calendar.working_days_between(d("2025-03-03"), d("2025-03-03")).unwrap(), 0);
    assert_eq!(calendar.working_days_between(d("2025-03-07"), d("2025-03-03")).unwrap(), -4);
}

#[test]
fn calendar_day_limits_move_off_holidays() {
    let calendar = Calendar::china();
    // 60 calendar days from 2025-08-02 end on 2025-10-01, in the National Day holiday: the last
    // day moves to the first working day after it, Thursday 9 October.
    assert_eq!(calendar.add_calendar_days(d("2025-08-02"), 60).unwrap(), d("2025-10-09"));
    // Ending on an adjusted working Saturday: it stays.
    assert_eq!(calendar.add_calendar_days(d("2025-09-11"), 30).unwrap(), d("2025-10-11"));
    // Ending on an ordinary Sunday: Monday.
    assert_eq!(calendar.add_calendar_days(d("2025-03-02"), 14).unwrap(), d("2025-03-17"));
    assert_eq!(calendar.add_calendar_days(d("2025-03-02"), 15).unwrap(), d("2025-03-17"));
}

#[test]
fn a_runtime_year_extends_the_calendar() {
    let file = ScheduleFile::from_toml(
        r#"
        [[year]]
        year = 2027
        [[year.notice]]
        title = "国务院办公厅关于2027年部分节假日安排的通知（测试数据）"
        [[year.holiday]]
        festival = "spring_festival"
        from = 2027-02-05
        to = 2027-02-12
        [[year.workday]]
        date = 2027-02-13
        festival = "spring_festival"
        "#,
    )
    .unwrap();
    let calendar = Calendar::china().with_schedules(file).unwrap();
    assert_eq!(calendar.years(), 2004..=2027);
    assert!(!calendar.is_workday(d("2027-02-08")).unwrap());
    assert!(calendar.is_workday(d("2027-02-13")).unwrap());
    // A deadline across the year boundary now works.
    assert_eq!(calendar.add_working_days(d("2026-12-31"), 1).unwrap(), d("2027-01-01"));
    // The embedded calendar is unchanged.
    assert!(Calendar::china().is_workday(d("2027-02-08")).is_err());
}

#[test]
fn a_bad_schedule_file_lists_every_problem() {
    let file = ScheduleFile::from_toml(
        r#"
        [[year]]
        year = 2029
        notice = []
        [[year.holiday]]
        festival = "labour_day"
        from = 2029-05-05
        to = 2029-05-01
        [[year.holiday]]
        festival = "national_day"
        from = 2029-10-01
        to = 2029-10-07
        [[year.workday]]
        date = 2029-10-03
        festival = "national_day"
        [[year.workday]]
        date = 2029-09-26
        festival = "national_day"
        "#,
    )
    .unwrap();
    let Err(Error::InvalidSchedule(problems)) = Calendar::china().with_schedules(file) else {
        panic!("expected an invalid schedule");
    };
    let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "year 2029: no notice is named; every schedule must say which notice it comes from",
            "year 2029 holiday[0] (劳动节): ends 2029-05-01 before it starts 2029-05-05",
            "year 2029 workday[0] 2029-10-03: is a Wed; an adjusted working day (调休上班) must be a Saturday or Sunday",
            "year 2029 workday[0] 2029-10-03: is both a day off and an adjusted working day",
            "year 2029 workday[1] 2029-09-26: is a Wed; an adjusted working day (调休上班) must be a Saturday or Sunday",
            "year 2029: the years must be contiguous, but 2027 to 2028 are missing",
        ]
    );
}

#[test]
fn malformed_schedule_text_names_the_line() {
    let error = ScheduleFile::from_toml("[[year]]\nyear = 2027\nnotice = [{ title = 3 }]\n").unwrap_err();
    let text = error.to_string();
    assert!(text.starts_with("cannot parse schedule file: TOML parse error at line 3"), "{text}");
    let error = ScheduleFile::from_json(r#"{"year":[{"year":2027,"notice":[{"title":"t"}],"holiday":[{"festival":"spring_festival","from":"2027-02-30","to":"2027-03-01"}]}]}"#).unwrap_err();
    assert!(error.to_string().contains("`2027-02-30` is not a date"), "{error}");
}

#[test]
fn embedded_schedule_round_trips_through_toml_and_json() {
    let embedded = Calendar::embedded_schedule();
    let toml_text = embedded.to_toml().unwrap();
    assert_eq!(ScheduleFile::from_toml(&toml_text).unwrap(), embedded);
    assert_eq!(ScheduleFile::from_json(&embedded.to_json()).unwrap(), embedded);
    assert_eq!(embedded.years.len(), 23);
}
