//! The seed's year: an event log with the reference city's counts, and the figures the engine
//! must produce from it (收件 23678, 办结 24375 with cases carried over, 办结率 102.94 %, 即办件
//! 4826, 承诺件 19221, 提前办结 17025, 提前办结率 88.57 %).

use chrono::{Datelike, NaiveDate};
use zhengwu_core::{Calendar, Decision, EventKind};
use zhengwu_supervision::{Dimension, Period};

use crate::{CaseLog, at, received, supervisor};

fn workdays(calendar: &Calendar, from: &str, to: &str) -> Vec<NaiveDate> {
    let (from, to): (NaiveDate, NaiveDate) = (from.parse().unwrap(), to.parse().unwrap());
    from.iter_days().take_while(|d| *d <= to).filter(|d| calendar.is_workday(*d).unwrap()).collect()
}

fn time(day: NaiveDate, hour: u32) -> String {
    format!("{day}T{hour:02}:00:00+08:00")
}

/// One case received and accepted on `day`, concluded `after` working days later (or never).
fn case(calendar: &Calendar, id: usize, item: &str, day: NaiveDate, after: Option<u32>, decision: Decision) -> CaseLog {
    let mut log = CaseLog::new(&format!("S{id:05}"), item);
    log.add(&time(day, 9), received(&["M01", "M02"]));
    log.add(&time(day, 10), EventKind::Accepted);
    if let Some(after) = after {
        let concluded = calendar.add_working_days(day, after).unwrap();
        let reason = (decision == Decision::Refused).then(|| "不符合法定条件".to_owned());
        log.add(
            &time(concluded, 15),
            EventKind::Concluded {
                decision,
                reason,
                document_number: Some(format!("决定〔{}〕{id}号", concluded.year())),
            },
        );
    }
    log
}

#[test]
fn the_seed_figures_come_out_exactly() {
    let calendar = Calendar::china();
    let year = workdays(&calendar, "2025-01-02", "2025-11-28");
    let carry_days = workdays(&calendar, "2024-12-27", "2024-12-31");
    let december = workdays(&calendar, "2025-12-17", "2025-12-31");
    let mut logs = Vec::new();
    let mut id = 0;
    let mut next = |days: &[NaiveDate]| {
        id += 1;
        (id, days[id % days.len()])
    };
    // 即办件: concluded on the day.
    for _ in 0..4826 {
        let (id, day) = next(&year);
        logs.push(case(&calendar, id, "IM-001", day, Some(0), Decision::Granted));
    }
    // 承诺件 (10 working days promised): early, on time, late; 1,197 of the early ones were
    // received in late December 2024 and concluded in January 2025 (上年结转).
    for (count, after, days) in [(15828, 5, &year), (1197, 5, &carry_days), (1900, 10, &year), (296, 12, &year)] {
        for _ in 0..count {
            let (id, day) = next(days);
            logs.push(case(&calendar, id, "SC-001", day, Some(after), Decision::Granted));
        }
    }
    // 不予许可 decisions count in 办结 but not in the 即办 / 承诺 split.
    for _ in 0..328 {
        let (id, day) = next(&year);
        logs.push(case(&calendar, id, "SC-001", day, Some(5), Decision::Refused));
    }
    // Still open at the end of the year.
    for _ in 0..500 {
        let (id, day) = next(&december);
        logs.push(case(&calendar, id, "SC-001", day, None, Decision::Granted));
    }

    let mut supervisor = supervisor();
    for log in logs {
        supervisor.ingest_all(log.events);
    }
    assert_eq!(supervisor.rejections(), []);
    let as_of = at("2025-12-31T23:59:59+08:00");
    let stats = supervisor.statistics(as_of, Dimension::Total, Period::Year, None);
    let year = stats.row("total", "2025").unwrap();
    assert_eq!(year.received, 23678);
    assert_eq!(year.concluded, 24375);
    assert_eq!(year.immediate, 4826);
    assert_eq!(year.promised, 19221);
    assert_eq!(year.early, 17025);
    assert_eq!((year.on_time, year.overdue, year.refused), (1900, 296, 328));
    assert_eq!((year.running, year.overdue_running), (500, 0));
    let rates = year.rates();
    assert_eq!(format!("{:.2}", rates.conclusion_rate.unwrap() * 100.0), "102.94");
    assert_eq!(format!("{:.2}", rates.early_rate.unwrap() * 100.0), "88.57");
    assert_eq!(format!("{:.2}", rates.overdue_rate.unwrap() * 100.0), "1.54");
    // The carried-over cases were received in 2024.
    assert_eq!(stats.row("total", "2024").unwrap().received, 1197);

    // By month, the year's rows add up to the same figures.
    let monthly = supervisor.statistics(as_of, Dimension::Department, Period::Month, None);
    let mut sum = zhengwu_supervision::Counters::default();
    for ((_, month), counters) in &monthly.rows {
        if month.starts_with("2025") {
            sum += *counters;
        }
    }
    assert_eq!((sum.received, sum.concluded, sum.early), (23678, 24375, 17025));
}
