//! Integration tests of zhengwu-credit, one binary.

mod records;
mod registry;

use proptest::prelude::*;
use zhengwu_credit::{
    CreditCode, Error, RegistrationAuthority, uscc_check_char, validate_organization_code, validate_resident_id,
};

/// The real, public codes of `domain.md` §4.4.
const PUBLIC: [(&str, &str); 7] = [
    ("914403001922038216", "19220382-1"),
    ("91440300708461136T", "70846113-6"),
    ("9144030071526726XG", "71526726-X"),
    ("91110108551385082Q", "55138508-2"),
    ("91110000802100433B", "80210043-3"),
    ("91330100716105852F", "71610585-2"),
    ("91350100M000100Y43", "M000100Y-4"),
];

#[test]
fn public_codes_validate() {
    for (code, org) in PUBLIC {
        let parsed: CreditCode = code.parse().unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!(parsed.as_str(), code);
        assert_eq!(parsed.organization_code(), org);
        assert_eq!(validate_organization_code(org).unwrap(), org);
        assert_eq!(parsed.registration_authority(), RegistrationAuthority::MarketRegulation);
        assert!(parsed.warnings().is_empty());
    }
}

#[test]
fn negatives_fail_at_the_right_position() {
    assert_eq!(
        "91350203M0001QAY9B".parse::<CreditCode>().unwrap_err(),
        Error::Check {
            kind: "统一社会信用代码",
            code: "91350203M0001QAY9B".into(),
            position: 18,
            found: 'B',
            expected: '9'
        }
    );
    // Both check characters wrong (the domain notes' reference script gives X and 9): the
    // embedded organization code is reported first.
    let error = "91110000100006089F".parse::<CreditCode>().unwrap_err();
    assert!(matches!(error, Error::Check { position: 17, .. }), "{error}");
    assert_eq!(
        error.to_string(),
        "统一社会信用代码中的组织机构代码 `91110000100006089F`: check character at position 17 is `9`, expected `X`"
    );
    assert_eq!(
        "9144030019220382I6".parse::<CreditCode>().unwrap_err().to_string(),
        "统一社会信用代码 `9144030019220382I6`: position 17 is `I`, expected a digit or a capital letter other than I, O, S, V, Z"
    );
    assert_eq!(
        "9144A3001922038216".parse::<CreditCode>().unwrap_err().to_string(),
        "统一社会信用代码 `9144A3001922038216`: position 5 is `A`, expected a digit (登记管理机关行政区划码, positions 3–8)"
    );
    assert_eq!(
        "91440300192203821".parse::<CreditCode>().unwrap_err().to_string(),
        "统一社会信用代码 `91440300192203821` has 17 characters, expected 18"
    );
    // A full-width digit (typed with a Chinese input method) is named with its position.
    assert_eq!(
        "91440300192203821６".parse::<CreditCode>().unwrap_err().to_string(),
        "统一社会信用代码 `91440300192203821６`: position 18 is `６`, expected an ASCII digit or upper-case letter \
         (full-width characters are not accepted)"
    );
    assert_eq!(
        zhengwu_credit::validate_resident_id("１1010519491231002X").unwrap_err().to_string(),
        "公民身份号码 `１1010519491231002X`: position 1 is `１`, expected an ASCII digit or upper-case letter \
         (full-width characters are not accepted)"
    );
}

#[test]
fn unlisted_registration_authorities_warn() {
    // A law firm (司法行政 3): valid, with a warning.
    let body = "31110000E0000010";
    let org = zhengwu_credit::org_check_char(body.as_bytes()[8..16].try_into().unwrap()).unwrap();
    let first17 = format!("{body}{org}");
    let check = uscc_check_char(first17.as_bytes().try_into().unwrap()).unwrap();
    let code: CreditCode = format!("{first17}{check}").parse().unwrap();
    assert_eq!(code.registration_authority(), RegistrationAuthority::Unlisted('3'));
    assert_eq!(code.warnings().len(), 1);
}

#[test]
fn resident_ids() {
    // The GB 11643 samples.
    assert_eq!(validate_resident_id("11010519491231002X").unwrap().to_string(), "1949-12-31");
    assert_eq!(validate_resident_id("440524188001010014").unwrap().to_string(), "1880-01-01");
    assert_eq!(
        validate_resident_id("110105194912310021").unwrap_err().to_string(),
        "公民身份号码 `110105194912310021`: check character at position 18 is `1`, expected `X`"
    );
    assert_eq!(
        validate_resident_id("110105194902300021").unwrap_err().to_string(),
        "公民身份号码 `110105194902300021`: positions 7–14 `19490230` are not a valid date"
    );
}

const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

fn body() -> impl Strategy<Value = String> {
    let uscc = prop::sample::select(ALPHABET.chars().collect::<Vec<_>>());
    let digit = prop::sample::select("0123456789".chars().collect::<Vec<_>>());
    (prop::collection::vec(uscc.clone(), 2), prop::collection::vec(digit, 6), prop::collection::vec(uscc, 8))
        .prop_map(|(a, b, c)| a.into_iter().chain(b).chain(c).collect())
}

fn complete(body: &str) -> String {
    let org = zhengwu_credit::org_check_char(body.as_bytes()[8..16].try_into().unwrap()).unwrap();
    let first17 = format!("{body}{org}");
    let check = uscc_check_char(first17.as_bytes().try_into().unwrap()).unwrap();
    format!("{first17}{check}")
}

proptest! {
    #[test]
    fn any_body_with_its_check_characters_validates(body in body()) {
        let code = complete(&body);
        prop_assert!(code.parse::<CreditCode>().is_ok(), "{}", code);
    }

    #[test]
    fn changing_any_single_character_invalidates(body in body(), position in 0usize..18, replacement in prop::sample::select(ALPHABET.chars().collect::<Vec<_>>())) {
        let code = complete(&body);
        let mut chars: Vec<char> = code.chars().collect();
        prop_assume!(chars[position] != replacement);
        chars[position] = replacement;
        let changed: String = chars.into_iter().collect();
        prop_assert!(changed.parse::<CreditCode>().is_err(), "{} → {}", code, changed);
    }
}

proptest! {
    /// Any text: an error or a code, never a panic.
    #[test]
    fn validators_never_panic(text in ".{0,30}") {
        let _ = text.parse::<CreditCode>();
        let _ = validate_organization_code(&text);
        let _ = validate_resident_id(&text);
    }
}
