use std::collections::BTreeMap;

use chrono::NaiveDate;
use proptest::prelude::*;
use zhengwu_core::{
    Classification, DocumentNumber, DocumentType, Error, OfficialDocument, RULES, SecrecyMark, SecrecyPeriod, Severity,
    format_document_date, parse_document_date,
};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/documents");

fn load(name: &str) -> OfficialDocument {
    OfficialDocument::from_json(&std::fs::read_to_string(format!("{DATA}/{name}")).unwrap()).unwrap()
}

#[test]
fn fixtures_give_their_known_violations() {
    let expected: BTreeMap<String, Vec<String>> =
        toml::from_str(&std::fs::read_to_string(format!("{DATA}/expected.toml")).unwrap()).unwrap();
    assert_eq!(expected.len(), 16);
    for (name, codes) in expected {
        let violations = load(&name).validate();
        let found: Vec<&str> = violations.iter().map(|v| v.code).collect();
        assert_eq!(found, codes, "{name}: {violations:#?}");
    }
}

#[test]
fn violations_name_the_values_in_chinese() {
    let violations = load("request-bad.json").validate();
    let messages: Vec<&str> = violations.iter().map(|v| v.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "上行文（请示）未标注签发人",
            "请示原则上主送一个上级机关，本件主送 2 个：昆明市人民政府、云南省市场监督管理局",
            "请示应当一文一事，本件请示 2 项：增加执法车辆；增加抽检经费",
            "上行文抄送下级机关：五华区市场监督管理局",
            "发文字号“昆市监[2025]008号”：the year must be in hexagonal brackets 〔〕, not []",
            "请示未加盖发文机关印章（署名：昆明市市场监督管理局）",
        ]
    );
    // 请示 "原则上" one 主送: a warning, as is a 份号 of other than six digits.
    assert_eq!(violations[1].severity, Severity::Warning);
    let until = load("secrecy-until.json").validate();
    assert_eq!(
        (until[0].severity, until[0].message.as_str()),
        (Severity::Warning, "份号“0000001”为7位，一般用6位阿拉伯数字")
    );
    let seal = load("seal-mismatch.json").validate();
    assert_eq!(seal[0].message, "印章“昆明市人民政府办公室”与发文机关署名“昆明市人民政府”不符");
    assert_eq!(load("title-mismatch.json").validate()[0].message, "标题文种“报告”与公文文种“请示”不符");
    // A 解密时间 lies after the 成文日期 and within the level's maximum (秘密: 10 years).
    let mut far = load("secrecy-until.json");
    far.copy_number = Some("000001".into());
    far.secrecy = Some("秘密★2035年3月4日".into());
    let found = far.validate();
    assert_eq!(found[0].message, "解密时间2035年3月4日超过秘密的最长保密期限10年");
    far.secrecy = Some("秘密★2035年3月3日".into());
    assert_eq!(far.validate(), []);
    far.secrecy = Some("秘密★2025年3月3日".into());
    assert_eq!(far.validate()[0].message, "解密时间2025年3月3日不晚于成文日期");
    assert_eq!(violations[0].element, "签发人");
    let warning = load("direction-bad.json").validate();
    assert_eq!(
        warning.iter().map(|v| v.severity).collect::<Vec<_>>(),
        [Severity::Error, Severity::Warning, Severity::Error]
    );
    assert_eq!(warning[0].message, "批复不用于上行行文（可用：下行）");
}

#[test]
fn every_rule_code_is_listed_once() {
    let mut codes: Vec<&str> = RULES.iter().map(|(code, _, _)| *code).collect();
    codes.dedup();
    assert_eq!(codes.len(), 18);
    assert_eq!(codes.first(), Some(&"GW01"));
}

#[test]
fn document_numbers_parse_and_refuse_with_reasons() {
    let number: DocumentNumber = "云府〔2006〕12号".parse().unwrap();
    assert_eq!(number, DocumentNumber::new("云府", 2006, 12).unwrap());
    assert_eq!("国办发〔2024〕1号".parse::<DocumentNumber>().unwrap().agency_code, "国办发");
    let reason = |text: &str| match text.parse::<DocumentNumber>() {
        Err(Error::InvalidDocumentElement { reason, .. }) => reason,
        other => panic!("{text}: {other:?}"),
    };
    assert_eq!(reason("云府（2006）12号"), "the year must be in hexagonal brackets 〔〕, not （）");
    assert_eq!(reason("云府〔2006〕012号"), "the 顺序号 has no leading zeros (1, not 01)");
    assert_eq!(reason("云府〔2006〕第12号"), "no 第 before the 顺序号");
    assert_eq!(reason("云府〔06〕12号"), "the year must be written in full with four Arabic digits");
    assert_eq!(reason("云府〔2006〕12"), "the number must end with 号");
    assert_eq!(reason("〔2006〕12号"), "the 发文机关代字 must be Han characters or Latin letters");
    assert_eq!(reason("云府2006-12"), "expected 代字〔年份〕顺序号号");
}

#[test]
fn document_dates_follow_gb_t_9704() {
    assert_eq!(parse_document_date("2012年7月1日").unwrap(), NaiveDate::from_ymd_opt(2012, 7, 1).unwrap());
    assert_eq!(format_document_date(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()), "2025年12月31日");
    assert!(parse_document_date("二〇一二年七月一日").is_err());
    assert!(parse_document_date("2012年07月01日").is_err());
    assert!(parse_document_date("2025年2月29日").is_err());
    assert!(parse_document_date("12年7月1日").is_err());
    assert!(parse_document_date("2012-07-01").is_err());
}

#[test]
fn secrecy_marks_parse_with_the_legal_maxima() {
    let mark: SecrecyMark = "秘密★1年".parse().unwrap();
    assert_eq!(mark, SecrecyMark { level: Classification::Secret, period: Some(SecrecyPeriod::Years(1)) });
    assert_eq!("机密★6个月".parse::<SecrecyMark>().unwrap().to_string(), "机密★6个月");
    assert_eq!("绝密★30年".parse::<SecrecyMark>().unwrap().period, Some(SecrecyPeriod::Years(30)));
    assert_eq!("绝密".parse::<SecrecyMark>().unwrap().period, None);
    // 保守国家秘密法: a 解密时间 or a 解密条件 instead of a period.
    let until: SecrecyMark = "秘密★2026年12月31日".parse().unwrap();
    assert_eq!(until.period, Some(SecrecyPeriod::Until(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap())));
    assert_eq!(until.to_string(), "秘密★2026年12月31日");
    let condition: SecrecyMark = "机密★工程竣工验收后".parse().unwrap();
    assert_eq!(condition.period, Some(SecrecyPeriod::Condition("工程竣工验收后".into())));
    for (text, reason) in [
        ("秘密★11年", "秘密 may be kept secret for at most 10 years"),
        ("机密★21年", "机密 may be kept secret for at most 20 years"),
        ("绝密★31年", "绝密 may be kept secret for at most 30 years"),
        ("秘密*1年", "the level and the period are separated by ★"),
        ("内部★1年", "the level must be 绝密, 机密 or 秘密"),
        ("秘密★一年", "write the period in Arabic numerals (GB/T 9704), e.g. 10年"),
        ("秘密★2026年13月1日", "解密时间 `2026年13月1日`: no such date"),
        (
            "秘密★2026年01月01日",
            "解密时间 `2026年01月01日`: month and day have no leading zeros (7月1日, not 07月01日)",
        ),
        ("秘密★", "the period after ★ is N年 or N个月 in Arabic numerals, a 解密时间 (2026年12月31日) or a 解密条件"),
    ] {
        match text.parse::<SecrecyMark>() {
            Err(Error::InvalidDocumentElement { reason: found, .. }) => assert_eq!(found, reason, "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn the_fifteen_types_have_their_directions() {
    assert_eq!(DocumentType::ALL.len(), 15);
    let names: String = DocumentType::ALL.iter().map(|t| t.chinese()).collect::<Vec<_>>().join("");
    assert_eq!(names, "决议决定命令公报公告通告意见通知通报报告请示批复议案函纪要");
    assert_eq!("令".parse::<DocumentType>().unwrap(), DocumentType::Order);
    assert_eq!("request".parse::<DocumentType>().unwrap(), DocumentType::Request);
    assert_eq!(DocumentType::Opinion.directions().len(), 3);
    assert!("指示".parse::<DocumentType>().is_err());
}

#[test]
fn malformed_json_names_the_field() {
    let error = OfficialDocument::from_json(r#"{"id": "x", "doc_type": "指示"}"#).unwrap_err();
    assert!(error.to_string().contains("指示"), "{error}");
    let error = OfficialDocument::from_json(r#"{"id": "x", "doc_type": "通知", "direction": "downward"}"#).unwrap_err();
    assert!(error.to_string().contains("issuer_mark"), "{error}");
}

#[test]
fn canonical_bytes_leave_out_the_signature() {
    let mut document = load("notice-ok.json");
    let before = document.canonical_bytes();
    document.signature = Some(Box::new(zhengwu_core::DetachedSignature {
        algorithm: "SM2-with-SM3".into(),
        certificate: "MIIB".into(),
        value: "MEUC".into(),
    }));
    assert_eq!(document.canonical_bytes(), before);
    assert!(String::from_utf8(before).unwrap().starts_with(r#"{"attachment_notes":["#));
    assert_eq!(OfficialDocument::from_json(&document.to_json()).unwrap(), document);
}

proptest! {
    #[test]
    fn document_numbers_format_and_parse_round_trip(
        code in "[\u{4e00}-\u{9fa5}]{1,6}[A-Za-z]{0,2}",
        year in 1949u16..=2100,
        sequence in 1u32..=100_000,
    ) {
        let number = DocumentNumber::new(code, year, sequence).unwrap();
        let text = number.to_string();
        prop_assert_eq!(text.parse::<DocumentNumber>().unwrap(), number);
    }

    #[test]
    fn document_number_parsing_never_panics(text in "\\PC{0,24}") {
        let _ = text.parse::<DocumentNumber>();
        let _ = parse_document_date(&text);
        let _ = text.parse::<SecrecyMark>();
    }

    #[test]
    fn document_dates_format_and_parse_round_trip(days in 0i64..60_000) {
        let date = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Duration::days(days);
        prop_assert_eq!(parse_document_date(&format_document_date(date)).unwrap(), date);
    }
}
