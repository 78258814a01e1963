use serde_json::Value;
use zhengwu_core::{CaseEvent, Decision, Error, EventKind, parse_json_lines};

const SCHEMA: &str = include_str!("../../schema/case-event.v1.schema.json");
const VALID: &str = include_str!("../../schema/examples/valid.jsonl");
const INVALID: &str = include_str!("../../schema/examples/invalid.jsonl");
/// Kinds added after the examples above, which other tests read as a fixed log.
const TIMERS: &str = include_str!("../../schema/examples/timers.jsonl");

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    jsonschema::options().should_validate_formats(true).build(&schema).unwrap()
}

#[test]
fn valid_examples_pass_the_schema_and_the_parser() {
    let validator = validator();
    for (index, line) in VALID.lines().enumerate() {
        let value: Value = serde_json::from_str(line).unwrap();
        let errors: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "line {}: {errors:?}", index + 1);
    }
    let events = parse_json_lines(VALID).unwrap();
    assert_eq!(events.len(), 37);
    // A 差评 with its indicators, and a 建议's answer of class B.
    assert!(matches!(&events[34].kind, EventKind::Rated { grade: zhengwu_core::Grade::Dissatisfied, indicators, .. }
        if indicators["办事效率"] == zhengwu_core::Grade::VeryDissatisfied));
    assert!(matches!(events[36].kind, EventKind::ReplySent { class: zhengwu_core::AnswerClass::B, .. }));
    assert!(matches!(events[10].kind, EventKind::Concluded { decision: Decision::Granted, .. }));
    // The backdated refusal: entered 16 days after its business time.
    let refusal = &events[13];
    assert_eq!((refusal.recorded_at - refusal.occurred_at).num_days(), 16);
}

#[test]
fn invalid_examples_fail_both_the_schema_and_the_parser() {
    let validator = validator();
    for (index, line) in INVALID.lines().enumerate() {
        let value: Value = serde_json::from_str(line).unwrap();
        assert!(!validator.is_valid(&value), "schema accepted invalid line {}", index + 1);
        assert!(CaseEvent::from_json(line).is_err(), "parser accepted invalid line {}", index + 1);
    }
}

#[test]
fn every_event_kind_the_parser_writes_passes_the_schema() {
    let validator = validator();
    let mut events = parse_json_lines(VALID).unwrap();
    events.extend(parse_json_lines(TIMERS).unwrap());
    let mut kinds = std::collections::BTreeSet::new();
    for event in &events {
        let value: Value = serde_json::from_str(&event.to_json()).unwrap();
        assert!(validator.is_valid(&value), "{}", event.to_json());
        assert_eq!(CaseEvent::from_json(&event.to_json()).unwrap(), *event);
        kinds.insert(event.kind.type_name());
    }
    // The examples exercise every event kind the schema lists.
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    let listed: std::collections::BTreeSet<&str> =
        schema["properties"]["type"]["enum"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(kinds, listed);
}

#[test]
fn parse_errors_name_the_line_and_the_field() {
    let text = format!("{}\n\n{}", VALID.lines().next().unwrap(), INVALID.lines().nth(1).unwrap());
    assert_eq!(
        parse_json_lines(&text).unwrap_err(),
        Error::InvalidEvent { line: Some(3), reason: "`sequence` is 0; sequences start at 1".into() }
    );
    let error = CaseEvent::from_json(INVALID.lines().next().unwrap()).unwrap_err();
    assert_eq!(error.to_string(), "invalid case event: schema version `2` is not supported (expected 1)");
    let error = CaseEvent::from_json(INVALID.lines().nth(3).unwrap()).unwrap_err();
    assert!(error.to_string().contains("unknown variant `teleported`"), "{error}");
    let error = CaseEvent::from_json(INVALID.lines().nth(2).unwrap()).unwrap_err();
    assert!(error.to_string().contains("invalid region code `5301`"), "{error}");
    // A member of the wrong shape is named by its path, not only by a column to count out.
    let valid: serde_json::Value = serde_json::from_str(VALID.lines().next().unwrap()).unwrap();
    let wrong = |member: &str, value: serde_json::Value| {
        let mut event = valid.clone();
        event[member] = value;
        CaseEvent::from_json_line(&event.to_string(), 4).unwrap_err().to_string()
    };
    let error = wrong("occurred_at", "3 March".into());
    assert!(
        error.starts_with("invalid case event on line 4: `occurred_at`: input contains invalid characters"),
        "{error}"
    );
    let error = wrong("sequence", "one".into());
    assert!(error.starts_with("invalid case event on line 4: `sequence`: invalid type: string \"one\""), "{error}");
    let error = wrong("actor", serde_json::json!({"id": 7}));
    assert!(error.starts_with("invalid case event on line 4: `actor.id`: invalid type: integer `7`"), "{error}");
    // The kind's own members too, found through the vocabulary's member table.
    assert_eq!(valid["type"], "received");
    let error = wrong("channel", 5.into());
    assert!(error.starts_with("invalid case event on line 4: `channel`: invalid type: integer `5`"), "{error}");
    let error = wrong("channel", "fax".into());
    assert!(error.starts_with("invalid case event on line 4: `channel`: unknown variant `fax`"), "{error}");
    let error = wrong("type", "teleported".into());
    assert!(error.starts_with("invalid case event on line 4: `type`: unknown variant `teleported`"), "{error}");
    let mut fee = valid.clone();
    fee["type"] = "fee_charged".into();
    fee["fee_code"] = "F01".into();
    fee["amount_fen"] = "lots".into();
    let error = CaseEvent::from_json_line(&fee.to_string(), 4).unwrap_err().to_string();
    assert!(error.starts_with("invalid case event on line 4: `amount_fen`: invalid type: string \"lots\""), "{error}");
    // A missing member is named by the message itself.
    fee["amount_fen"] = 500.into();
    fee.as_object_mut().unwrap().remove("fee_code");
    let error = CaseEvent::from_json_line(&fee.to_string(), 4).unwrap_err().to_string();
    assert!(error.starts_with("invalid case event on line 4: missing field `fee_code`"), "{error}");
}

#[test]
fn canonical_bytes_sort_members_and_leave_out_the_signature() {
    let mut event = CaseEvent::from_json(VALID.lines().nth(1).unwrap()).unwrap();
    // Made by Python: json.dumps(event without signature, sort_keys=True, separators=(",", ":"),
    // ensure_ascii=False), which is RFC 8785 for events' strings and integers.
    let expected = r#"{"actor":{"id":"w0107","role":"window_clerk"},"case_id":"KM-2025-000123","department":"km-scjg","idempotency_key":"KM-2025-000123#2","item_code":"530100-SCJG-001","items":["M03"],"note":"缺营业场所平面图","occurred_at":"2025-03-03T09:40:00+08:00","recorded_at":"2025-03-03T09:40:01+08:00","region":"530102","schema":1,"sequence":2,"type":"supplement_requested"}"#;
    assert_eq!(String::from_utf8(event.canonical_bytes()).unwrap(), expected);
    event.signature = Some(Box::new(zhengwu_core::DetachedSignature {
        algorithm: "SM2-with-SM3".into(),
        certificate: "MIIB".into(),
        value: "MEUC".into(),
    }));
    assert_eq!(String::from_utf8(event.canonical_bytes()).unwrap(), expected);
    // A signed event passes the schema and survives a round trip.
    let value: Value = serde_json::from_str(&event.to_json()).unwrap();
    assert!(validator().is_valid(&value));
    assert_eq!(CaseEvent::from_json(&event.to_json()).unwrap(), event);
    let mut unsigned_member = value.clone();
    unsigned_member["signature"] = serde_json::json!({ "algorithm": "SM2-with-SM3" });
    assert!(!validator().is_valid(&unsigned_member));
}

#[test]
fn an_event_beyond_its_bound_is_refused_unread() {
    let materials: Vec<String> = (0..200_000).map(|n| format!("M{n}")).collect();
    let line = format!(
        r#"{{"schema":1,"idempotency_key":"B#1","case_id":"B","sequence":1,"item_code":"X","department":"d","region":"530102","occurred_at":"2025-03-03T09:00:00+08:00","recorded_at":"2025-03-03T09:00:00+08:00","actor":{{"id":"w"}},"type":"received","channel":"window","materials":{}}}"#,
        serde_json::to_string(&materials).unwrap()
    );
    assert!(line.len() > zhengwu_core::MAX_EVENT_BYTES);
    let error = CaseEvent::from_json_line(&line, 7).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("invalid case event on line 7: the event is {} bytes long; at most 1048576 are accepted", line.len())
    );
}
