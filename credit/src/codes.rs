//! 统一社会信用代码 (GB 32100-2015), 组织机构代码 (GB 11714-1997) and 公民身份号码 (GB 11643-1999).

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// The 31 characters of GB 32100 (no I, O, S, V, Z); a character's value is its index.
const USCC_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// 3^(i−1) mod 31 for positions 1–17.
const USCC_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/// GB 11714 weights of the 8 本体 characters.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
/// GB 11643 weights 2^(18−i) mod 11 for positions 1–17.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

const USCC: &str = "统一社会信用代码";
const ORG: &str = "组织机构代码";
const ID: &str = "公民身份号码";

fn uscc_value(byte: u8) -> Option<u32> {
    USCC_ALPHABET.iter().position(|&c| c == byte).map(|p| p as u32)
}

/// The GB 32100 check character of 17 characters (each already in the alphabet).
pub fn uscc_check_char(body: &[u8; 17]) -> Option<char> {
    let mut sum = 0;
    for (byte, weight) in body.iter().zip(USCC_WEIGHTS) {
        sum += uscc_value(*byte)? * weight;
    }
    Some(USCC_ALPHABET[((31 - sum % 31) % 31) as usize] as char)
}

fn org_value(byte: u8) -> Option<u32> {
    match byte {
        b'0'..=b'9' => Some(u32::from(byte - b'0')),
        b'A'..=b'Z' => Some(u32::from(byte - b'A') + 10),
        _ => None,
    }
}

/// The GB 11714 check character of an 8-character 本体 (digits and capital letters).
pub fn org_check_char(body: &[u8; 8]) -> Option<char> {
    let mut sum = 0;
    for (byte, weight) in body.iter().zip(ORG_WEIGHTS) {
        sum += org_value(*byte)? * weight;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        digit => char::from_digit(digit, 10)?,
    })
}

/// The GB 11643 check character of the first 17 digits.
pub fn id_check_char(body: &[u8; 17]) -> Option<char> {
    let mut sum = 0;
    for (byte, weight) in body.iter().zip(ID_WEIGHTS) {
        if !byte.is_ascii_digit() {
            return None;
        }
        sum += u32::from(byte - b'0') * weight;
    }
    Some(match (12 - sum % 11) % 11 {
        10 => 'X',
        digit => char::from_digit(digit, 10)?,
    })
}

/// 登记管理部门: the registration authority the first character names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RegistrationAuthority {
    /// 1 机构编制.
    Establishment,
    /// 5 民政.
    CivilAffairs,
    /// 9 工商 / 市场监管.
    MarketRegulation,
    /// Y 其他.
    Other,
    /// A character the standard's first edition does not define (2 外交, 3 司法行政, N 农业, …);
    /// reported as a warning, not rejected: public validators disagree on these.
    Unlisted(char),
}

impl RegistrationAuthority {
    fn of(character: char) -> Self {
        match character {
            '1' => Self::Establishment,
            '5' => Self::CivilAffairs,
            '9' => Self::MarketRegulation,
            'Y' => Self::Other,
            other => Self::Unlisted(other),
        }
    }

    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            Self::Establishment => "机构编制",
            Self::CivilAffairs => "民政",
            Self::MarketRegulation => "工商（市场监管）",
            Self::Other => "其他",
            Self::Unlisted(_) => "未列入GB 32100-2015的登记管理部门",
        }
    }
}

/// 统一社会信用代码: a validated 18-character unified social credit code.
///
/// Both check characters are verified: the 18th over characters 1–17 (GB 32100) and the 17th,
/// the check character of the embedded 组织机构代码, over characters 9–16 (GB 11714).
///
/// ```
/// use zhengwu_credit::{CreditCode, Error, RegistrationAuthority};
/// let huawei: CreditCode = "914403001922038216".parse()?;
/// assert_eq!(huawei.registration_authority(), RegistrationAuthority::MarketRegulation);
/// assert_eq!(huawei.region_code(), "440300");
/// assert_eq!(huawei.organization_code(), "19220382-1");
/// let error = "91350203M0001QAY9B".parse::<CreditCode>().unwrap_err();
/// assert_eq!(error.to_string(), "统一社会信用代码 `91350203M0001QAY9B`: check character at position 18 is `B`, expected `9`");
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CreditCode([u8; 18]);

impl CreditCode {
    /// Checks a code. Lower-case letters are not accepted: the standard's alphabet is upper case.
    pub fn new(code: &str) -> Result<Self> {
        let bytes = code.as_bytes();
        let characters = code.chars().count();
        if characters != 18 {
            return Err(Error::Length { kind: USCC, code: code.to_owned(), found: characters, expected: 18 });
        }
        non_ascii(USCC, code)?;
        let character = |position: usize, expected: &'static str| Error::Character {
            kind: USCC,
            code: code.to_owned(),
            position,
            found: bytes[position - 1] as char,
            expected,
        };
        for (index, &byte) in bytes.iter().enumerate() {
            let position = index + 1;
            if (3..=8).contains(&position) {
                if !byte.is_ascii_digit() {
                    return Err(character(position, "a digit (登记管理机关行政区划码, positions 3–8)"));
                }
            } else if uscc_value(byte).is_none() {
                return Err(character(position, "a digit or a capital letter other than I, O, S, V, Z"));
            }
        }
        let mut body = [0u8; 8];
        body.copy_from_slice(&bytes[8..16]);
        let org = org_check_char(&body).ok_or_else(|| character(9, "a digit or a capital letter"))?;
        if bytes[16] as char != org {
            return Err(Error::Check {
                kind: "统一社会信用代码中的组织机构代码",
                code: code.to_owned(),
                position: 17,
                found: bytes[16] as char,
                expected: org,
            });
        }
        let mut first = [0u8; 17];
        first.copy_from_slice(&bytes[..17]);
        let check = uscc_check_char(&first).ok_or_else(|| character(1, "a character of the alphabet"))?;
        if bytes[17] as char != check {
            return Err(Error::Check {
                kind: USCC,
                code: code.to_owned(),
                position: 18,
                found: bytes[17] as char,
                expected: check,
            });
        }
        let mut array = [0u8; 18];
        array.copy_from_slice(bytes);
        Ok(Self(array))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("validated ASCII")
    }

    /// 登记管理部门码 (position 1).
    pub fn registration_authority(&self) -> RegistrationAuthority {
        RegistrationAuthority::of(self.0[0] as char)
    }

    /// 机构类别码 (position 2).
    pub fn category(&self) -> char {
        self.0[1] as char
    }

    /// 登记管理机关行政区划码 (positions 3–8).
    pub fn region_code(&self) -> &str {
        &self.as_str()[2..8]
    }

    /// 组织机构代码 (positions 9–17) in its usual written form `XXXXXXXX-X`.
    pub fn organization_code(&self) -> String {
        format!("{}-{}", &self.as_str()[8..16], &self.as_str()[16..17])
    }

    /// Warnings that do not make the code invalid: a registration authority the standard does
    /// not list.
    pub fn warnings(&self) -> Vec<String> {
        match self.registration_authority() {
            RegistrationAuthority::Unlisted(c) => vec![format!(
                "登记管理部门码 `{c}` is not listed in GB 32100-2015 (later assignments such as 3 司法行政 or N 农业 exist)"
            )],
            _ => Vec::new(),
        }
    }
}

impl FromStr for CreditCode {
    type Err = Error;
    fn from_str(code: &str) -> Result<Self> {
        Self::new(code)
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CreditCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CreditCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        CreditCode::new(&text).map_err(serde::de::Error::custom)
    }
}

/// 组织机构代码 (GB 11714-1997): 8 characters and a check character, written `XXXXXXXX-X` or
/// without the hyphen.
pub fn validate_organization_code(code: &str) -> Result<String> {
    let compact: String = code.chars().filter(|&c| c != '-').collect();
    let bytes = compact.as_bytes();
    if compact.chars().count() != 9 {
        return Err(Error::Length { kind: ORG, code: code.to_owned(), found: compact.chars().count(), expected: 9 });
    }
    non_ascii(ORG, &compact)?;
    for (index, &byte) in bytes.iter().enumerate() {
        let valid = if index == 8 { byte.is_ascii_digit() || byte == b'X' } else { org_value(byte).is_some() };
        if !valid {
            return Err(Error::Character {
                kind: ORG,
                code: code.to_owned(),
                position: index + 1,
                found: byte as char,
                expected: if index == 8 { "a digit or X" } else { "a digit or a capital letter" },
            });
        }
    }
    let mut body = [0u8; 8];
    body.copy_from_slice(&bytes[..8]);
    let expected = org_check_char(&body).expect("checked characters");
    if bytes[8] as char != expected {
        return Err(Error::Check { kind: ORG, code: code.to_owned(), position: 9, found: bytes[8] as char, expected });
    }
    Ok(format!("{}-{}", &compact[..8], &compact[8..]))
}

/// 公民身份号码 (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit sequence (odd for
/// men), check character. Returns the birth date.
///
/// ```
/// use chrono::NaiveDate;
/// // The standard's own examples.
/// assert_eq!(zhengwu_credit::validate_resident_id("11010519491231002X")?, NaiveDate::from_ymd_opt(1949, 12, 31).unwrap());
/// assert!(zhengwu_credit::validate_resident_id("110105194912310021").is_err());
/// # Ok::<(), zhengwu_credit::Error>(())
/// ```
pub fn validate_resident_id(code: &str) -> Result<NaiveDate> {
    let bytes = code.as_bytes();
    let characters = code.chars().count();
    if characters != 18 {
        return Err(Error::Length { kind: ID, code: code.to_owned(), found: characters, expected: 18 });
    }
    non_ascii(ID, code)?;
    for (index, &byte) in bytes[..17].iter().enumerate() {
        if !byte.is_ascii_digit() {
            return Err(Error::Character {
                kind: ID,
                code: code.to_owned(),
                position: index + 1,
                found: byte as char,
                expected: "a digit",
            });
        }
    }
    if !(bytes[17].is_ascii_digit() || bytes[17] == b'X') {
        return Err(Error::Character {
            kind: ID,
            code: code.to_owned(),
            position: 18,
            found: bytes[17] as char,
            expected: "a digit or X",
        });
    }
    let birth = &code[6..14];
    let date = NaiveDate::parse_from_str(birth, "%Y%m%d").map_err(|_| Error::Date {
        kind: ID,
        code: code.to_owned(),
        from: 7,
        to: 14,
        found: birth.to_owned(),
    })?;
    let mut body = [0u8; 17];
    body.copy_from_slice(&bytes[..17]);
    let expected = id_check_char(&body).expect("checked digits");
    if bytes[17] as char != expected {
        return Err(Error::Check { kind: ID, code: code.to_owned(), position: 18, found: bytes[17] as char, expected });
    }
    Ok(date)
}

/// The first character outside ASCII (a full-width `９`, a Chinese letter), named with its
/// position: the codes' alphabets are ASCII digits and upper-case letters.
fn non_ascii(kind: &'static str, code: &str) -> Result<()> {
    match code.chars().enumerate().find(|(_, c)| !c.is_ascii()) {
        Some((index, found)) => Err(Error::Character {
            kind,
            code: code.to_owned(),
            position: index + 1,
            found,
            expected: "an ASCII digit or upper-case letter (full-width characters are not accepted)",
        }),
        None => Ok(()),
    }
}
