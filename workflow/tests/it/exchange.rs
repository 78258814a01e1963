use chrono::{DateTime, FixedOffset};
use zhengwu_core::{Actor, Calendar, EventKind, OfficialDocument};
use zhengwu_workflow::{DeliveryState, Error, Exchange, ExchangePolicy, Recipient, RecipientRole};

const NOTICE: &str = include_str!("../../../core/tests/data/documents/notice-ok.json");

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

fn clerk() -> Actor {
    Actor { id: "jy01".into(), name: Some("机要员".into()), role: None }
}

/// The seed's notice to 140 units: 100 主送 (counties, towns, departments) and 40 抄送.
fn recipients(count: usize) -> Vec<Recipient> {
    (1..=count)
        .map(|n| Recipient {
            unit: format!("u{n:03}").as_str().into(),
            region: "530102".parse().unwrap(),
            role: if n <= 100 { RecipientRole::Main } else { RecipientRole::Copy },
        })
        .collect()
}

fn send(document: &OfficialDocument, count: usize, when: &str) -> Exchange {
    Exchange::send(
        document,
        "bgt".into(),
        clerk(),
        recipients(count),
        at(when),
        &Calendar::china(),
        &ExchangePolicy::default(),
    )
    .unwrap()
}

fn notice() -> OfficialDocument {
    OfficialDocument::from_json(NOTICE).unwrap()
}

#[test]
fn one_call_sends_to_140_units_and_the_sender_sees_each_state() {
    // 加急, sent on Friday 2025-03-07: sign for by Monday the 10th, receipt by Tuesday the 11th.
    let mut exchange = send(&notice(), 140, "2025-03-07T16:00:00+08:00");
    assert_eq!(exchange.events().len(), 140);
    let first = exchange.delivery(&"u001".into()).unwrap();
    assert_eq!(first.sign_for_due.to_string(), "2025-03-10");
    assert_eq!(first.receipt_due.to_string(), "2025-03-11");
    assert_eq!(first.case_id("KM-2025-GW-0012"), "KM-2025-GW-0012/u001");
    for n in 1..=120 {
        let unit = format!("u{n:03}").as_str().into();
        exchange.sign_for(&unit, "sw01".into(), at("2025-03-10T09:00:00+08:00")).unwrap();
        if n <= 110 {
            exchange.acknowledge(&unit, "sw01".into(), at("2025-03-10T11:00:00+08:00")).unwrap();
        }
    }
    exchange
        .return_document(&"u121".into(), "sw02".into(), "主送机关有误，本单位不承办", at("2025-03-10T10:00:00+08:00"))
        .unwrap();
    let summary = exchange.summary(at("2025-03-11T09:00:00+08:00"));
    assert_eq!(
        (
            summary.recipients,
            summary.waiting,
            summary.signed_for,
            summary.returned,
            summary.acknowledged,
            summary.overdue
        ),
        (140, 19, 10, 1, 110, 19)
    );
    let returned = exchange.delivery(&"u121".into()).unwrap();
    assert_eq!(returned.state, DeliveryState::Returned);
    assert_eq!(returned.returned.as_ref().unwrap().2, "主送机关有误，本单位不承办");
    assert_eq!(exchange.events().len(), 140 + 120 + 110 + 1);
    // Events are numbered per recipient case from 1.
    let u001: Vec<u64> =
        exchange.events().iter().filter(|e| e.case_id.as_str() == "KM-2025-GW-0012/u001").map(|e| e.sequence).collect();
    assert_eq!(u001, [1, 2, 3]);
}

#[test]
fn overdue_recipients_are_urged_once_a_day() {
    let mut exchange = send(&notice(), 3, "2025-03-07T16:00:00+08:00");
    exchange.sign_for(&"u001".into(), "sw01".into(), at("2025-03-10T09:00:00+08:00")).unwrap();
    // Monday: still within the window.
    assert!(exchange.urge_overdue(&clerk(), at("2025-03-10T17:00:00+08:00")).is_empty());
    let urged = exchange.urge_overdue(&clerk(), at("2025-03-11T09:00:00+08:00")).to_vec();
    let units: Vec<&str> = urged.iter().map(|e| e.department.as_str()).collect();
    assert_eq!(units, ["u002", "u003"]);
    match &urged[0].kind {
        EventKind::TaskUrged { note, .. } => {
            assert_eq!(note.as_deref(), Some("加急公文《昆政发〔2025〕12号》应于2025-03-10前签收"))
        }
        other => panic!("{other:?}"),
    }
    assert!(exchange.urge_overdue(&clerk(), at("2025-03-11T15:00:00+08:00")).is_empty());
    assert_eq!(exchange.urge_overdue(&clerk(), at("2025-03-12T09:00:00+08:00")).len(), 2);
    assert_eq!(exchange.delivery(&"u002".into()).unwrap().urged.len(), 2);
}

#[test]
fn urgency_sets_the_window() {
    let mut document = notice();
    document.urgency = Some(zhengwu_core::Urgency::ExtraUrgent);
    let exchange = send(&document, 1, "2025-03-07T16:00:00+08:00");
    assert_eq!(exchange.delivery(&"u001".into()).unwrap().sign_for_due.to_string(), "2025-03-07");
    document.urgency = None;
    let exchange = send(&document, 1, "2025-03-07T16:00:00+08:00");
    // 平件: three working days after Friday.
    assert_eq!(exchange.delivery(&"u001".into()).unwrap().sign_for_due.to_string(), "2025-03-12");
    assert_eq!(exchange.events()[0].item_code.as_str(), "GW-PT");
}

#[test]
fn a_returned_copy_can_be_sent_again_as_a_new_round() {
    let mut exchange = send(&notice(), 2, "2025-03-07T16:00:00+08:00");
    exchange.return_document(&"u002".into(), "sw02".into(), "附件缺失", at("2025-03-07T17:00:00+08:00")).unwrap();
    let events = exchange.resend(&"u002".into(), clerk(), at("2025-03-10T09:00:00+08:00")).unwrap().to_vec();
    assert_eq!(events[0].case_id.as_str(), "KM-2025-GW-0012/u002#2");
    assert_eq!(events[0].sequence, 1);
    let delivery = exchange.delivery(&"u002".into()).unwrap();
    assert_eq!((delivery.round, delivery.state), (2, DeliveryState::Sent));
    assert_eq!(delivery.sign_for_due.to_string(), "2025-03-11");
}

#[test]
fn wrong_steps_are_refused_with_the_unit_and_its_state() {
    let mut exchange = send(&notice(), 2, "2025-03-07T16:00:00+08:00");
    let message = |error: Error| error.to_string();
    assert_eq!(
        message(exchange.acknowledge(&"u001".into(), "sw01".into(), at("2025-03-07T17:00:00+08:00")).unwrap_err()),
        "exchange of document `KM-2025-GW-0012`: unit `u001` cannot send a receipt: its copy is 待签收 (sent)"
    );
    assert_eq!(
        message(exchange.sign_for(&"u999".into(), "sw01".into(), at("2025-03-07T17:00:00+08:00")).unwrap_err()),
        "exchange of document `KM-2025-GW-0012`: unit `u999` is not a recipient"
    );
    assert!(
        message(exchange.sign_for(&"u001".into(), "sw01".into(), at("2025-03-06T17:00:00+08:00")).unwrap_err())
            .contains("is before the copy's last step")
    );
    assert!(
        message(
            exchange.return_document(&"u001".into(), "sw01".into(), " ", at("2025-03-07T17:00:00+08:00")).unwrap_err()
        )
        .contains("退回应当说明理由")
    );
    exchange.sign_for(&"u001".into(), "sw01".into(), at("2025-03-07T17:00:00+08:00")).unwrap();
    assert!(
        message(exchange.sign_for(&"u001".into(), "sw01".into(), at("2025-03-07T18:00:00+08:00")).unwrap_err())
            .contains("its copy is 已签收")
    );
    assert!(exchange.resend(&"u001".into(), clerk(), at("2025-03-08T09:00:00+08:00")).is_err());
    // Nothing was recorded by the refused calls.
    assert_eq!(exchange.events().len(), 3);
}

#[test]
fn a_document_that_breaks_the_rules_is_not_sent() {
    let bad = OfficialDocument::from_json(include_str!("../../../core/tests/data/documents/request-bad.json")).unwrap();
    let error = Exchange::send(
        &bad,
        "scjg".into(),
        clerk(),
        recipients(1),
        at("2025-03-07T16:00:00+08:00"),
        &Calendar::china(),
        &ExchangePolicy::default(),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "exchange of document `KM-SCJG-2025-0008`: the document breaks the 行文规则 (GW01, GW03, GW07, GW08, GW15); correct it before sending"
    );
    let mut twice = recipients(2);
    twice[1].unit = "u001".into();
    let error = Exchange::send(
        &notice(),
        "bgt".into(),
        clerk(),
        twice,
        at("2025-03-07T16:00:00+08:00"),
        &Calendar::china(),
        &ExchangePolicy::default(),
    )
    .unwrap_err();
    assert!(error.to_string().ends_with("unit `u001` is listed twice"));
}
