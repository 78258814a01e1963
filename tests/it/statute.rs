//! Statute cases (`tests/data/statute/cases.toml`): each worked out from its article, run
//! through supervision and the one clock, with the exact due dates, statuses, amounts, units and
//! alert codes the statute gives.

use std::collections::BTreeMap;

use serde::Deserialize;
use zhengwu_core::{Calendar, CaseEvent, CaseTimeline, Catalogue, CatalogueFile, LimitReference, china_day};
use zhengwu_supervision::{SupervisionConfig, Supervisor};
use zhengwu_tests::data_dir;

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    item: String,
    as_of: String,
    events: Vec<toml::Table>,
    #[serde(default)]
    acceptance: Option<BTreeMap<String, String>>,
    #[serde(default)]
    legal: Option<toml::Table>,
    #[serde(default)]
    promised: Option<toml::Table>,
    alert: Vec<BTreeMap<String, String>>,
}

/// `2025-03-03 09:00` in China time, as RFC 3339.
fn instant(text: &str) -> String {
    let (day, time) = text.split_once(' ').unwrap_or((text, "09:00"));
    format!("{day}T{time}:00+08:00")
}

fn events(case: &Case, index: usize) -> Vec<CaseEvent> {
    let item = &case.item;
    case.events
        .iter()
        .enumerate()
        .map(|(position, members)| {
            let sequence = position + 1;
            let mut members = members.clone();
            let at = instant(members.remove("at").and_then(|v| v.as_str().map(str::to_owned)).as_deref().unwrap());
            let mut object = serde_json::json!({
                "schema": 1, "idempotency_key": format!("S{index}#{sequence}"), "case_id": format!("S{index}"),
                "sequence": sequence, "item_code": item, "department": "d", "region": "530102",
                "occurred_at": at, "recorded_at": at, "actor": {"id": "w01"},
            });
            let extra = serde_json::to_value(members).unwrap();
            object.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            CaseEvent::from_json(&object.to_string()).unwrap_or_else(|e| panic!("{}: event {sequence}: {e}", case.name))
        })
        .collect()
}

fn catalogue() -> Catalogue {
    let text = std::fs::read_to_string(data_dir().join("statute/catalogue.toml")).unwrap();
    let file = CatalogueFile::from_toml(&text).unwrap();
    let departments = file.departments();
    Catalogue::new(file, &departments).unwrap()
}

/// The clock's report compared field by field with what the case expects.
fn check_clock(case: &Case, timeline: &CaseTimeline, catalogue: &Catalogue, reference: LimitReference) {
    let expected = match reference {
        LimitReference::Legal => &case.legal,
        LimitReference::Promised => &case.promised,
    };
    let Some(expected) = expected else { return };
    let item = catalogue.item(&case.item.as_str().into()).unwrap();
    let today = china_day(instant(&case.as_of).parse().unwrap());
    let report = timeline.report(item, reference, &Calendar::china(), today).unwrap().unwrap();
    let found = serde_json::to_value(&report).unwrap();
    for (key, value) in expected {
        let value = serde_json::to_value(value).unwrap();
        assert_eq!(found[key], value, "{}: {reference:?} clock `{key}` ({found})", case.name);
    }
}

#[test]
fn statute_cases_get_the_statutes_answers() {
    let text = std::fs::read_to_string(data_dir().join("statute/cases.toml")).unwrap();
    let file: File = toml::from_str(&text).unwrap();
    assert!(file.case.len() >= 20, "{} cases", file.case.len());
    let catalogue = catalogue();
    let calendar = Calendar::china();
    for (index, case) in file.case.iter().enumerate() {
        let events = events(case, index);
        let mut supervisor = Supervisor::new(calendar.clone(), catalogue.clone(), SupervisionConfig::default());
        for event in &events {
            let outcome = supervisor.ingest(event.clone());
            assert_eq!(outcome, zhengwu_supervision::Ingested::Applied, "{}: {event:?}", case.name);
        }
        let evaluation = supervisor.evaluate(instant(&case.as_of).parse().unwrap());
        assert!(evaluation.unevaluated.is_empty(), "{}: {:?}", case.name, evaluation.unevaluated);
        let alerts: Vec<_> = evaluation.raised.iter().map(|id| supervisor.alert(id).unwrap()).collect();
        let codes: Vec<&str> = alerts.iter().map(|a| a.code.as_str()).collect();
        let expected: Vec<&str> = case.alert.iter().map(|a| a["code"].as_str()).collect();
        assert_eq!(codes, expected, "{}: {:#?}", case.name, alerts.iter().map(|a| &a.message).collect::<Vec<_>>());
        for (alert, expected) in alerts.iter().zip(&case.alert) {
            for (key, value) in expected.iter().filter(|(key, _)| *key != "code") {
                assert_eq!(
                    alert.evidence.get(key),
                    Some(value),
                    "{}: {} evidence `{key}` ({})",
                    case.name,
                    alert.code,
                    alert.message
                );
            }
        }
        // The same clock from the case's events alone, as workflow and the bindings read it.
        let timeline = CaseTimeline::from_events(&events);
        assert_eq!(&timeline, supervisor.case(&events[0].case_id).unwrap().timeline(), "{}", case.name);
        if let Some(expected) = &case.acceptance {
            let item = catalogue.item(&case.item.as_str().into()).unwrap();
            let today = china_day(instant(&case.as_of).parse().unwrap());
            let acceptance = timeline.acceptance(item, &calendar, today).unwrap().unwrap();
            let found = serde_json::to_value(acceptance).unwrap();
            assert_eq!(found["on"], expected["on"], "{}", case.name);
            assert_eq!(found["basis"], expected["basis"], "{}", case.name);
        }
        check_clock(case, &timeline, &catalogue, LimitReference::Legal);
        check_clock(case, &timeline, &catalogue, LimitReference::Promised);
    }
}

#[test]
fn the_time_over_message_counts_calendar_days_from_the_due_date() {
    // The 信访 case of the issue: 超过法定时限1日, not 7 working days.
    let text = std::fs::read_to_string(data_dir().join("statute/cases.toml")).unwrap();
    let file: File = toml::from_str(&text).unwrap();
    let (index, case) = file.case.iter().enumerate().find(|(_, c)| c.name.starts_with("信访 (calendar days)")).unwrap();
    let mut supervisor = Supervisor::new(Calendar::china(), catalogue(), SupervisionConfig::default());
    supervisor.ingest_all(events(case, index));
    let evaluation = supervisor.evaluate(instant(&case.as_of).parse().unwrap());
    let legal = evaluation.raised.iter().map(|id| supervisor.alert(id).unwrap()).find(|a| a.code == "TIME_OVER_LEGAL");
    assert_eq!(
        legal.unwrap().message,
        "【红牌】超过法定时限：办件S14（XF-BL）超过法定时限1日办结（截止2025-10-09）"
            .replace("S14", &format!("S{index}"))
    );
}
