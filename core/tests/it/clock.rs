use zhengwu_core::{
    Authority, Calendar, ClockStatus, Error, Extension, HandlingRegime, Pause, PauseKind, SpecialProcedureKind,
    StatutoryClock, TimeLimit,
};

use crate::d;

fn clock(accepted: &str, days: u32) -> StatutoryClock {
    StatutoryClock::new(d(accepted), TimeLimit::working_days(days))
}

#[test]
fn outcome_classes() {
    let calendar = Calendar::china();
    // 20 working days from 2025-09-30 end on 2025-11-04.
    let mut case = clock("2025-09-30", 20);
    for (concluded, status, used) in [
        ("2025-11-03", ClockStatus::Early, 19),
        ("2025-11-04", ClockStatus::OnTime, 20),
        ("2025-11-05", ClockStatus::Overdue, 21),
    ] {
        case.concluded_on = Some(d(concluded));
        let report = case.evaluate(&calendar, d("2025-12-31")).unwrap();
        assert_eq!((report.status, report.used_days, report.due_on), (status, used, Some(d("2025-11-04"))));
        assert_eq!(report.remaining_days, 20 - used);
    }
    case.concluded_on = None;
    assert_eq!(case.evaluate(&calendar, d("2025-11-04")).unwrap().status, ClockStatus::Running);
    let late = case.evaluate(&calendar, d("2025-11-06")).unwrap();
    assert_eq!((late.status, late.remaining_days), (ClockStatus::OverdueRunning, -2));
}

#[test]
fn immediate_items() {
    let calendar = Calendar::china();
    let mut case = clock("2025-03-03", 0);
    case.immediate = true;
    case.concluded_on = Some(d("2025-03-03"));
    assert_eq!(case.evaluate(&calendar, d("2025-03-03")).unwrap().status, ClockStatus::Immediate);
    // A 即办件 concluded the next day is over its 0-day promise.
    case.concluded_on = Some(d("2025-03-04"));
    assert_eq!(case.evaluate(&calendar, d("2025-03-04")).unwrap().status, ClockStatus::Overdue);
}

#[test]
fn open_pause_suspends_and_hides_the_due_date() {
    let calendar = Calendar::china();
    let mut case = clock("2025-03-03", 20);
    case.pauses.push(Pause {
        kind: PauseKind::SpecialProcedure(SpecialProcedureKind::Hearing),
        from: d("2025-03-10"),
        until: None,
    });
    let report = case.evaluate(&calendar, d("2025-04-30")).unwrap();
    assert_eq!(report.status, ClockStatus::Suspended);
    assert_eq!(report.due_on, None);
    assert_eq!(report.used_days, 5);
    // Resumed on 2025-04-30: 15 days were left, counting from 1 May (a holiday) on.
    case.pauses[0].until = Some(d("2025-04-30"));
    let report = case.evaluate(&calendar, d("2025-04-30")).unwrap();
    assert_eq!(report.due_on, Some(d("2025-05-26")));
    assert_eq!(report.status, ClockStatus::Running);
}

#[test]
fn extensions_follow_article_42() {
    let calendar = Calendar::china();
    let mut case = clock("2025-03-03", 20);
    case.extensions.push(Extension { approved_on: d("2025-03-25"), days: 10, authority: Authority::DepartmentHead });
    let report = case.evaluate(&calendar, d("2025-03-25")).unwrap();
    assert_eq!(report.granted_extension_days, 10);
    assert_eq!(report.due_on, calendar.add_working_days(d("2025-03-03"), 30).ok());

    // Beyond +10: the excess is refused with a reason.
    case.extensions.push(Extension { approved_on: d("2025-03-26"), days: 5, authority: Authority::DepartmentHead });
    let report = case.evaluate(&calendar, d("2025-03-26")).unwrap();
    assert_eq!(report.granted_extension_days, 10);
    assert_eq!(report.rejected_extensions.len(), 1);
    assert_eq!(report.rejected_extensions[0].rejected_days, 5);
    assert_eq!(report.rejected_extensions[0].reason, "延期累计不得超过10日，超出5日");

    // Joint handling: 45 + 15 needs the government head.
    let mut joint = clock("2025-03-03", 45);
    joint.regime = HandlingRegime::Joint;
    joint.extensions.push(Extension { approved_on: d("2025-04-01"), days: 15, authority: Authority::DepartmentHead });
    let report = joint.evaluate(&calendar, d("2025-04-01")).unwrap();
    assert_eq!(report.granted_extension_days, 0);
    assert_eq!(report.rejected_extensions[0].reason, "延期须经本级人民政府负责人批准，批准人为本行政机关负责人");
    joint.extensions[0].authority = Authority::GovernmentHead;
    assert_eq!(joint.evaluate(&calendar, d("2025-04-01")).unwrap().limit_days, 60);

    // Approved after the due date: too late.
    let mut late = clock("2025-03-03", 20);
    late.extensions.push(Extension { approved_on: d("2025-04-10"), days: 10, authority: Authority::DepartmentHead });
    let report = late.evaluate(&calendar, d("2025-04-10")).unwrap();
    assert_eq!(report.granted_extension_days, 0);
    assert_eq!(report.rejected_extensions[0].reason, "延期于2025-04-10批准，已过截止日期2025-03-31");
}

#[test]
fn overlapping_pauses_are_counted_once() {
    let calendar = Calendar::china();
    let mut case = clock("2025-03-03", 20);
    case.pauses.push(Pause { kind: PauseKind::Supplement, from: d("2025-03-05"), until: Some(d("2025-03-12")) });
    case.pauses.push(Pause {
        kind: PauseKind::SpecialProcedure(SpecialProcedureKind::Testing),
        from: d("2025-03-10"),
        until: Some(d("2025-03-14")),
    });
    case.concluded_on = Some(d("2025-04-10"));
    let report = case.evaluate(&calendar, d("2025-04-10")).unwrap();
    // (5 Mar, 14 Mar] holds 7 working days.
    assert_eq!(report.paused_days, 7);
    assert_eq!(report.due_on, calendar.add_working_days(d("2025-03-03"), 27).ok());
    assert_eq!(report.status, ClockStatus::OnTime);
}

#[test]
fn calendar_day_limits_apply_article_203() {
    let calendar = Calendar::china();
    // A 信访 reply due 60 days after 2025-08-02 falls on 1 October: due 9 October.
    let mut case = StatutoryClock::new(d("2025-08-02"), TimeLimit::calendar_days(60));
    case.concluded_on = Some(d("2025-10-09"));
    let report = case.evaluate(&calendar, d("2025-10-09")).unwrap();
    assert_eq!(report.due_on, Some(d("2025-10-09")));
    assert_eq!(report.used_days, 68);
    assert_eq!(report.status, ClockStatus::OnTime);
}

#[test]
fn contradictory_dates_are_errors() {
    let calendar = Calendar::china();
    let mut case = clock("2025-03-03", 20);
    case.concluded_on = Some(d("2025-03-01"));
    assert_eq!(
        case.evaluate(&calendar, d("2025-03-05")).unwrap_err(),
        Error::InvalidClock("concluded on 2025-03-01, before the acceptance date 2025-03-03".into())
    );
    let mut case = clock("2025-03-03", 20);
    case.pauses.push(Pause { kind: PauseKind::Supplement, from: d("2025-03-10"), until: Some(d("2025-03-07")) });
    assert_eq!(
        case.evaluate(&calendar, d("2025-03-20")).unwrap_err().to_string(),
        "invalid clock input: pause `补正` ends on 2025-03-07, before it starts on 2025-03-10"
    );
    let case = clock("2025-03-03", 20);
    assert!(matches!(case.evaluate(&calendar, d("2025-03-01")), Err(Error::InvalidClock(_))));
}

/// 民法典 Arts. 201–203 for limits in months (人大代表建议 and 政协提案 answered within 3 months
/// of 交办): the period ends on the corresponding day of the last month (Art. 202), on that
/// month's last day when it has none, and on the next working day when that is a day off
/// (Art. 203). Days are checked against the 2026 notice (the chinesecalendar package agrees).
#[test]
fn limits_in_months_end_on_the_corresponding_day() {
    let calendar = Calendar::china();
    let due = |from: &str, months: u32| TimeLimit::months(months).due_from(d(from), &calendar).unwrap().to_string();
    assert_eq!(due("2026-03-10", 3), "2026-06-10");
    // August 31 + 1 month: September has no 31st, so its last day (Art. 202).
    assert_eq!(due("2026-08-31", 1), "2026-09-30");
    // 2 October 2026 is in the National Day holiday: the 8th, a Thursday (Art. 203).
    assert_eq!(due("2026-07-02", 3), "2026-10-08");
    // 30 November 2025 + 3 months: 28 February 2026, a 调休 Saturday that is a working day.
    assert_eq!(due("2025-11-30", 3), "2026-02-28");

    let mut clock = StatutoryClock::new(d("2026-03-10"), TimeLimit::months(3));
    clock.concluded_on = Some(d("2026-06-11"));
    let report = clock.evaluate(&calendar, d("2026-07-01")).unwrap();
    assert_eq!((report.due_on, report.status), (Some(d("2026-06-10")), ClockStatus::Overdue));
    // Amounts are calendar days: 93 days used (10 March → 11 June), one over.
    assert_eq!((report.limit_days, report.used_days, report.remaining_days), (3, 93, -1));
    assert_eq!(report.unit, zhengwu_core::DayUnit::CalendarDays);
    // A matter 涉及面广、处理难度大: 3 months more, 6 in all, from 交办: 10 September.
    clock.regime = HandlingRegime::Custom { max_extension_days: 3, authority: Authority::DepartmentHead };
    clock.extensions.push(Extension { days: 3, approved_on: d("2026-04-01"), authority: Authority::DepartmentHead });
    let report = clock.evaluate(&calendar, d("2026-07-01")).unwrap();
    assert_eq!((report.due_on, report.status, report.limit_days), (Some(d("2026-09-10")), ClockStatus::Early, 6));
    // A stop of the clock (中止, 11–20 April: 9 days) moves a month period's end by as many days.
    let mut stopped = StatutoryClock::new(d("2026-03-10"), TimeLimit::months(3));
    stopped.pauses.push(Pause { kind: PauseKind::Suspension, from: d("2026-04-11"), until: Some(d("2026-04-20")) });
    // 10 June + 9 days = 19 June, the 端午 holiday (19–21 June 2026): Monday 22 June.
    assert_eq!(stopped.evaluate(&calendar, d("2026-05-01")).unwrap().due_on, Some(d("2026-06-22")));
}
