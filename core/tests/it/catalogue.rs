use zhengwu_core::{Catalogue, DepartmentId, Error, ItemKind, LimitReference, SpecialProcedureKind, TimeLimit, Yuan};

const GOOD: &str = r#"
[[item]]
code = "530100-SCJG-001"
name = "食品经营许可"
department = "km-scjg"
kind = "promised"
legal_limit = { days = 20 }
promised_limit = { days = 10 }
legal_basis = "《中华人民共和国食品安全法》第三十五条"
[[item.fee]]
code = "F01"
name = "工本费"
standard_fen = 1000
[[item.material]]
code = "M01"
name = "食品经营许可申请书"
[[item.material]]
code = "M02"
name = "营业执照复印件"
required = false
[[item.special_procedure]]
kind = "inspection"
limit = { days = 10 }
[[item.step]]
code = "review"
name = "审核"
limit = { days = 5 }

[[item]]
code = "530100-GA-002"
name = "户口迁移"
department = "km-ga"
kind = "immediate"
legal_limit = { days = 20 }
promised_limit = { days = 0 }

[[item]]
code = "530100-ZJ-003"
name = "施工许可联办"
department = "km-zj"
kind = "joint"
legal_limit = { days = 45 }
promised_limit = { days = 30 }
"#;

fn departments() -> Vec<DepartmentId> {
    ["km-scjg", "km-ga", "km-zj"].into_iter().map(DepartmentId::new).collect()
}

#[test]
fn loads_toml_and_json() {
    let catalogue = Catalogue::from_toml(GOOD, &departments()).unwrap();
    assert_eq!(catalogue.len(), 3);
    let item = catalogue.item(&"530100-SCJG-001".into()).unwrap();
    assert_eq!(item.limit(LimitReference::Promised), TimeLimit::working_days(10));
    assert_eq!(item.limit(LimitReference::Legal), TimeLimit::working_days(20));
    assert_eq!(item.fee("F01").unwrap().standard, Yuan::from_fen(1000));
    assert_eq!(item.fee("F01").unwrap().standard.to_string(), "10.00元");
    assert!(item.materials[0].required && !item.materials[1].required);
    // 检验 is one of Art. 45's eight: not counted without saying so.
    assert_eq!(item.special_procedures[0].counted, None);
    assert!(!item.procedure_counted(SpecialProcedureKind::Inspection));
    assert!(item.lists_material("M02") && !item.lists_material("M09"));
    assert_eq!(catalogue.item(&"530100-ZJ-003".into()).unwrap().kind, ItemKind::Joint);

    let json = r#"{"item":[{"code":"X1","name":"测试","department":"km-ga","kind":"promised",
        "legal_limit":{"days":20},"promised_limit":{"days":5,"unit":"working_days"}}]}"#;
    assert_eq!(Catalogue::from_json(json, &departments()).unwrap().len(), 1);
}

#[test]
fn every_problem_is_listed() {
    let bad = r#"
    [[item]]
    code = "A"
    name = "甲"
    department = "nowhere"
    kind = "promised"
    legal_limit = { days = 20 }
    promised_limit = { days = 25 }
    [[item.fee]]
    code = "F"
    name = "费"
    standard_fen = -100
    [[item.fee]]
    code = "F"
    name = "费"
    standard_fen = 100

    [[item]]
    code = "A"
    name = "乙"
    department = "km-ga"
    kind = "immediate"
    legal_limit = { days = 20 }
    promised_limit = { days = 1 }

    [[item]]
    code = "B"
    name = ""
    department = "km-ga"
    kind = "promised"
    legal_limit = { days = 60, unit = "calendar_days" }
    promised_limit = { days = 0 }
    "#;
    let Err(Error::InvalidCatalogue(problems)) = Catalogue::from_toml(bad, &departments()) else {
        panic!("expected an invalid catalogue");
    };
    let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "item[0] `A`: department `nowhere` is not in the directory",
            "item[0] `A`: promised limit 25 working days exceeds the legal limit 20 working days",
            "item[0] `A`: duplicate fee code `F`",
            "item[0] `A`: fee `F` has a negative standard -1.00元",
            "item[1] `A`: 即办件 must have a promised limit of 0 days (concluded on the day), found 1",
            "item[1] `A`: duplicate item code `A`",
            "item[2] `B`: name is empty",
            "item[2] `B`: legal limit is in calendar days but promised limit in working days",
            "item[2] `B`: 承诺件 needs a promised limit above 0 days; use kind `immediate` for 即办件",
        ]
    );
    assert!(problems.to_string().starts_with("9 problems; item[0] `A`: department `nowhere`"));
}

#[test]
fn malformed_catalogue_is_a_parse_error() {
    let error = Catalogue::from_toml("[[item]]\ncode = \"A\"\nkind = \"sometimes\"\n", &departments()).unwrap_err();
    assert!(matches!(error, Error::Parse { what: "catalogue", .. }), "{error}");
    assert!(error.to_string().contains("line 3"), "{error}");
    assert!(error.to_string().contains("unknown variant `sometimes`"), "{error}");
}

#[test]
fn a_procedure_outside_article_45_is_uncounted_only_with_its_provision() {
    let item = |extra: &str| {
        format!(
            r#"
            [[item]]
            code = "X"
            name = "建设用地审批"
            department = "km-zj"
            kind = "promised"
            legal_limit = {{ days = 20 }}
            promised_limit = {{ days = 10 }}
            [[item.special_procedure]]
            kind = "publicity"
            {extra}
            "#
        )
    };
    let error = Catalogue::from_toml(&item("counted = false"), &departments()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid catalogue: 1 problem; item[0] `X`: special procedure `公示` is declared not counted, but 行政许可法 Art. 45 \
         excludes only 听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审: name the provision that excludes it (`basis`)"
    );
    let with_basis =
        Catalogue::from_toml(&item("counted = false\nbasis = \"某市办法第十二条\""), &departments()).unwrap();
    assert!(!with_basis.item(&"X".into()).unwrap().procedure_counted(SpecialProcedureKind::Publicity));
    // Undeclared: 公示 counts, the eight of Art. 45 do not.
    let plain = Catalogue::from_toml(&item(""), &departments()).unwrap();
    let plain = plain.item(&"X".into()).unwrap();
    assert!(plain.procedure_counted(SpecialProcedureKind::Publicity));
    assert!(plain.procedure_counted(SpecialProcedureKind::SiteInspection));
    assert!(!plain.procedure_counted(SpecialProcedureKind::Hearing));
    assert!(!plain.procedure_counted(SpecialProcedureKind::ExpertReview));
}

#[test]
fn an_information_disclosure_item_reads_from_toml_with_its_statutes_rules() {
    // 政府信息公开条例 Art. 32: only the third party's consultation is not counted; Art. 30: the
    // 补正 notice within 7 working days of receipt.
    let text = r#"
[[item]]
code = "GK"
name = "政府信息公开申请"
department = "km-zj"
kind = "promised"
legal_limit = { days = 20 }
promised_limit = { days = 20 }
statute = "information_disclosure"
clock_start = "receipt"
"#;
    let catalogue = Catalogue::from_toml(text, &departments()).unwrap();
    let item = catalogue.item(&"GK".into()).unwrap();
    assert_eq!(item.statute, zhengwu_core::Statute::InformationDisclosure);
    assert_eq!(item.statute.chinese(), "政府信息公开条例");
    assert!(!item.procedure_counted(SpecialProcedureKind::Consultation));
    assert!(item.procedure_counted(SpecialProcedureKind::Hearing));
    assert!(item.procedure_counted(SpecialProcedureKind::ExpertReview));
    assert_eq!(item.acceptance_window(), Some(TimeLimit::working_days(7)));
}

#[test]
fn a_forwarded_item_has_no_extension() {
    use zhengwu_core::HandlingRegime;
    assert_eq!(ItemKind::Forwarded.regime(), HandlingRegime::Preliminary);
    assert_eq!(HandlingRegime::Preliminary.extension_rule().0, 0);
    assert_eq!(HandlingRegime::Preliminary.legal_limit(), Some(TimeLimit::working_days(20)));
    assert_eq!(ItemKind::Promised.regime().extension_rule().0, 10);
    assert_eq!(ItemKind::Joint.regime().extension_rule().0, 15);
}
