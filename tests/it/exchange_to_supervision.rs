//! 公文交换 feeds supervision: receipt timeliness is checked like approval deadlines, with the
//! windows the exchange itself urges on.

use chrono::DateTime;
use zhengwu_core::{Actor, Calendar, Catalogue, CatalogueFile, OfficialDocument};
use zhengwu_supervision::{Rule, SupervisionConfig, Supervisor};
use zhengwu_workflow::{Exchange, ExchangePolicy, Recipient, RecipientRole};

#[test]
fn late_signing_for_raises_the_same_alert_as_late_acceptance() {
    let at = |text: &str| DateTime::parse_from_rfc3339(text).unwrap();
    let policy = ExchangePolicy::default();
    let document = OfficialDocument::from_json(include_str!("../../core/tests/data/documents/notice-ok.json")).unwrap();
    let recipients = ["u1", "u2", "u3"]
        .map(|unit| Recipient { unit: unit.into(), region: "530102".parse().unwrap(), role: RecipientRole::Main })
        .to_vec();
    let clerk = Actor { id: "jy01".into(), name: None, role: None };
    // 加急, Friday afternoon: sign for by Monday, receipt by Tuesday.
    let mut exchange = Exchange::send(
        &document,
        "bgt".into(),
        clerk,
        recipients,
        at("2025-03-07T16:00:00+08:00"),
        &Calendar::china(),
        &policy,
    )
    .unwrap();
    exchange.sign_for(&"u1".into(), "s1".into(), at("2025-03-10T09:00:00+08:00")).unwrap();
    exchange.acknowledge(&"u1".into(), "s1".into(), at("2025-03-10T10:00:00+08:00")).unwrap();
    exchange.sign_for(&"u2".into(), "s2".into(), at("2025-03-11T09:00:00+08:00")).unwrap();
    exchange.acknowledge(&"u2".into(), "s2".into(), at("2025-03-11T10:00:00+08:00")).unwrap();

    let catalogue =
        Catalogue::new(CatalogueFile { items: policy.catalogue_items() }, std::slice::from_ref(&policy.office))
            .unwrap();
    let mut supervisor = Supervisor::new(Calendar::china(), catalogue, SupervisionConfig::default());
    let summary = supervisor.ingest_all(exchange.events().iter().cloned());
    assert_eq!(summary.applied, 7);
    let evaluation = supervisor.evaluate(at("2025-03-12T09:00:00+08:00"));
    assert!(evaluation.unevaluated.is_empty(), "{:?}", evaluation.unevaluated);
    let mut raised: Vec<(String, Rule)> = evaluation
        .raised
        .iter()
        .map(|id| {
            let alert = supervisor.alert(id).unwrap();
            (alert.case_id.to_string(), alert.rule)
        })
        .collect();
    raised.sort();
    assert_eq!(
        raised,
        [
            ("KM-2025-GW-0012/u2".to_owned(), Rule::NotAcceptInTime),
            ("KM-2025-GW-0012/u3".to_owned(), Rule::NotAcceptInTime),
        ]
    );
}
