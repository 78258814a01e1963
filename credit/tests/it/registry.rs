//! The legal-person registry's history.

use zhengwu_credit::{Error, LegalPerson, RecordChange, RegistrationStatus, Registry, RegistryEvent};

fn record() -> LegalPerson {
    serde_json::from_value(serde_json::json!({
        "code": "91110108551385082Q",
        "name": "小米科技有限责任公司",
        "address": "北京市海淀区清河中街68号",
        "region": "110108",
        "capital_fen": 185000000000i64,
        "representative": { "name": "雷军", "id_type": "居民身份证", "id_number": "440524188001010014" },
        "established_on": "2010-03-03",
        "status": "active"
    }))
    .unwrap()
}

#[test]
fn state_on_any_past_date_and_lookup_by_name() {
    let mut registry = Registry::default();
    let code = record().code.clone();
    registry
        .record(RegistryEvent::Registered { on: "2010-03-03".parse().unwrap(), record: Box::new(record()) })
        .unwrap();
    registry
        .record(RegistryEvent::Changed {
            on: "2019-06-01".parse().unwrap(),
            code: code.clone(),
            change: RecordChange {
                address: Some("北京市海淀区西二旗中路33号".into()), ..Default::default()
            },
        })
        .unwrap();
    // Recorded late but effective earlier: kept in date order.
    registry
        .record(RegistryEvent::Changed {
            on: "2015-01-01".parse().unwrap(),
            code: code.clone(),
            change: RecordChange { scope: Some("技术开发".into()), ..Default::default() },
        })
        .unwrap();
    assert!(registry.as_of(&code, "2010-03-02".parse().unwrap()).is_none());
    let in_2016 = registry.as_of(&code, "2016-01-01".parse().unwrap()).unwrap();
    assert_eq!((in_2016.address.as_str(), in_2016.scope.as_str()), ("北京市海淀区清河中街68号", "技术开发"));
    let now = registry.as_of(&code, "2025-01-01".parse().unwrap()).unwrap();
    assert_eq!((now.address.as_str(), now.status), ("北京市海淀区西二旗中路33号", RegistrationStatus::Active));
    assert_eq!(registry.find_by_name("小米", "2025-01-01".parse().unwrap()).len(), 1);
    assert_eq!(registry.history(&code).len(), 3);
    // The other GB/T 36104 fields change the same way.
    registry
        .record(RegistryEvent::Changed {
            on: "2024-01-01".parse().unwrap(),
            code: code.clone(),
            change: RecordChange {
                employees: Some(35_000),
                shareholders: Some(vec!["雷军".into(), "林斌".into()]),
                registration_authority: Some("北京市海淀区市场监督管理局".into()),
                ..Default::default()
            },
        })
        .unwrap();
    let latest = registry.as_of(&code, "2025-01-01".parse().unwrap()).unwrap();
    assert_eq!((latest.employees, latest.shareholders.as_ref().map(Vec::len)), (Some(35_000), Some(2)));
    assert_eq!(registry.as_of(&code, "2023-12-31".parse().unwrap()).unwrap().employees, None);
    assert_eq!(latest.registration_authority, "北京市海淀区市场监督管理局");
    assert_eq!(latest.address, "北京市海淀区西二旗中路33号", "fields a change leaves out are kept");
    assert_eq!(latest.code.organization_code(), "55138508-2");
    // Errors name the problem.
    assert_eq!(
        registry
            .record(RegistryEvent::Registered { on: "2011-01-01".parse().unwrap(), record: Box::new(record()) })
            .unwrap_err(),
        Error::Record("`91110108551385082Q` is already registered".into())
    );
    let early = RegistryEvent::Changed { on: "2009-01-01".parse().unwrap(), code, change: RecordChange::default() };
    assert_eq!(
        registry.record(early).unwrap_err().to_string(),
        "a change on 2009-01-01 precedes the registration of `91110108551385082Q` on 2010-03-03"
    );
    // A representative's id number is checked.
    let mut wrong_id = record();
    wrong_id.code = "914403001922038216".parse().unwrap();
    wrong_id.representative.id_number = "440524188001010015".into();
    assert_eq!(
        registry
            .record(RegistryEvent::Registered { on: "2012-01-01".parse().unwrap(), record: Box::new(wrong_id) })
            .unwrap_err()
            .to_string(),
        "公民身份号码 `440524188001010015`: check character at position 18 is `5`, expected `4`"
    );
    // A malformed code in a record is refused when it is read.
    let mut bad = serde_json::to_value(record()).unwrap();
    bad["code"] = "91110108551385082X".into();
    let error = serde_json::from_value::<LegalPerson>(bad).unwrap_err().to_string();
    assert!(error.contains("check character at position 18 is `X`, expected `Q`"), "{error}");
}
