use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use zhengwu_core::{
    Authority, Calendar, Extension, HandlingRegime, Pause, PauseKind, ScheduleFile, StatutoryClock, TimeLimit,
};

fn date_in(first: &str, span_days: u64) -> impl Strategy<Value = NaiveDate> {
    let first: NaiveDate = first.parse().unwrap();
    (0..span_days).prop_map(move |offset| first + Days::new(offset))
}

fn pause() -> impl Strategy<Value = Pause> {
    (date_in("2020-01-01", 1_500), 0u64..60).prop_map(|(from, length)| Pause {
        kind: PauseKind::Suspension,
        from,
        until: Some(from + Days::new(length)),
    })
}

fn extension() -> impl Strategy<Value = Extension> {
    (date_in("2020-01-01", 1_500), 1u32..12, any::<bool>()).prop_map(|(approved_on, days, head)| Extension {
        approved_on,
        days,
        authority: if head { Authority::GovernmentHead } else { Authority::DepartmentHead },
    })
}

fn base_clock() -> impl Strategy<Value = StatutoryClock> {
    (
        date_in("2020-01-01", 1_400),
        0u32..60,
        any::<bool>(),
        prop::collection::vec(pause(), 0..4),
        prop::collection::vec(extension(), 0..3),
    )
        .prop_map(|(accepted, days, joint, pauses, extensions)| {
            let mut clock = StatutoryClock::new(accepted, TimeLimit::working_days(days));
            clock.regime = if joint { HandlingRegime::Joint } else { HandlingRegime::Single };
            clock.pauses = pauses;
            clock.extensions = extensions;
            clock
        })
}

proptest! {
    #[test]
    fn working_days_between_start_and_nth_is_n(start in date_in("2004-01-01", 7_300), n in 0u32..400) {
        let calendar = Calendar::china();
        let due = calendar.add_working_days(start, n).unwrap();
        prop_assert_eq!(calendar.working_days_between(start, due).unwrap(), i64::from(n));
        if n > 0 {
            prop_assert!(calendar.is_workday(due).unwrap());
            prop_assert!(due > start);
        }
    }

    #[test]
    fn calendar_day_deadline_is_a_workday_not_before_the_plain_sum(start in date_in("2004-01-01", 8_000), n in 0u32..120) {
        let calendar = Calendar::china();
        let due = calendar.add_calendar_days(start, n).unwrap();
        prop_assert!(calendar.is_workday(due).unwrap());
        prop_assert!(due >= start + Days::new(u64::from(n)));
        // No working day is skipped between the plain sum and the moved date.
        prop_assert!(calendar.working_days_between(start + Days::new(u64::from(n)), due).unwrap() <= 1);
    }

    #[test]
    fn adding_a_pause_never_moves_the_deadline_earlier(clock in base_clock(), extra in pause()) {
        let calendar = Calendar::china();
        let as_of = clock.accepted_on;
        let before = clock.evaluate(&calendar, as_of).unwrap().due_on.unwrap();
        let mut longer = clock.clone();
        longer.pauses.push(extra);
        let after = longer.evaluate(&calendar, as_of).unwrap().due_on.unwrap();
        prop_assert!(after >= before, "{} < {}", after, before);
    }

    #[test]
    fn adding_an_extension_never_moves_the_deadline_earlier(clock in base_clock(), extra in extension()) {
        let calendar = Calendar::china();
        let as_of = clock.accepted_on;
        let before = clock.evaluate(&calendar, as_of).unwrap();
        let mut longer = clock.clone();
        longer.extensions.push(extra);
        let after = longer.evaluate(&calendar, as_of).unwrap();
        prop_assert!(after.due_on.unwrap() >= before.due_on.unwrap());
        prop_assert!(after.granted_extension_days >= before.granted_extension_days);
        let (cap, _) = clock.regime.extension_rule();
        prop_assert!(after.granted_extension_days <= cap);
    }

    #[test]
    fn used_plus_remaining_is_the_limit(clock in base_clock(), finish in 0u64..120) {
        let calendar = Calendar::china();
        let mut clock = clock;
        clock.concluded_on = Some(clock.accepted_on + Days::new(finish));
        let report = clock.evaluate(&calendar, clock.accepted_on).unwrap();
        prop_assert_eq!(report.used_days + report.remaining_days, i64::from(report.limit_days));
        prop_assert!(report.used_days >= 0);
    }

    #[test]
    fn a_loaded_year_round_trips(year_offset in 0i32..30, holiday_days in 1u64..9, start_day in 0u64..300) {
        let year = 2027 + year_offset;
        let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap() + Days::new(start_day);
        let file = ScheduleFile::from_json(&format!(
            r#"{{"year":[{{"year":{year},"notice":[{{"title":"通知"}}],"holiday":[{{"festival":"national_day","from":"{from}","to":"{to}"}}]}}]}}"#,
            to = from + Days::new(holiday_days - 1),
        )).unwrap();
        prop_assert_eq!(ScheduleFile::from_toml(&file.to_toml().unwrap()).unwrap(), file.clone());
        prop_assert_eq!(ScheduleFile::from_json(&file.to_json()).unwrap(), file);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Bad input is an error, never a panic.
    #[test]
    fn parsers_never_panic(text in ".{0,300}") {
        let _ = zhengwu_core::CaseEvent::from_json(&text);
        let _ = zhengwu_core::parse_json_lines(&text);
        let _ = ScheduleFile::from_toml(&text);
        let _ = ScheduleFile::from_json(&text);
        let _ = zhengwu_core::Catalogue::from_toml(&text, &[]);
        let _ = zhengwu_core::Organization::from_toml(&text);
        let _ = text.parse::<zhengwu_core::RegionCode>();
    }
}
