//! 发文字号 and 成文日期 in the forms GB/T 9704-2012 prescribes.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// 发文字号: 发文机关代字 + 〔年份〕 + 顺序号 + 号, e.g. `云府〔2006〕12号` (hexagonal brackets, full
/// year, no leading zeros, no 第).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocumentNumber {
    /// 发文机关代字 (`云府`, `国办发`).
    pub agency_code: String,
    /// 年份, in full.
    pub year: u16,
    /// 发文顺序号, from 1.
    pub sequence: u32,
}

impl DocumentNumber {
    /// A number from its parts; the 代字 must be non-empty Han characters or Latin letters.
    pub fn new(agency_code: impl Into<String>, year: u16, sequence: u32) -> Result<Self> {
        let number = DocumentNumber { agency_code: agency_code.into(), year, sequence };
        let text = number.to_string();
        let bad = |reason: &str| Error::InvalidDocumentElement {
            element: "发文字号",
            value: text.clone(),
            reason: reason.into(),
        };
        if number.agency_code.is_empty() || !number.agency_code.chars().all(is_agency_code_char) {
            return Err(bad("the 发文机关代字 must be Han characters or Latin letters"));
        }
        if !(1000..=9999).contains(&year) {
            return Err(bad("the year must have four digits"));
        }
        if sequence == 0 {
            return Err(bad("the 顺序号 starts at 1"));
        }
        Ok(number)
    }
}

fn is_agency_code_char(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{3134f}')
}

impl fmt::Display for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}〔{}〕{}号", self.agency_code, self.year, self.sequence)
    }
}

impl FromStr for DocumentNumber {
    type Err = Error;

    /// Parses `云府〔2006〕12号`; the error names what GB/T 9704 wants instead (`[2006]` →
    /// hexagonal brackets, `012号` → no leading zeros, `第12号` → no 第).
    fn from_str(text: &str) -> Result<Self> {
        let bad = |reason: &str| Error::InvalidDocumentElement {
            element: "发文字号",
            value: text.to_owned(),
            reason: reason.into(),
        };
        for (open, close) in
            [('[', ']'), ('［', '］'), ('(', ')'), ('（', '）'), ('【', '】'), ('〈', '〉'), ('〖', '〗')]
        {
            if text.contains(open) || text.contains(close) {
                return Err(bad(&format!("the year must be in hexagonal brackets 〔〕, not {open}{close}")));
            }
        }
        let (code, rest) = text.split_once('〔').ok_or_else(|| bad("expected 代字〔年份〕顺序号号"))?;
        let (year, rest) = rest.split_once('〕').ok_or_else(|| bad("the year's 〔 is not closed by 〕"))?;
        let sequence = rest.strip_suffix('号').ok_or_else(|| bad("the number must end with 号"))?;
        if sequence.starts_with('第') {
            return Err(bad("no 第 before the 顺序号"));
        }
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("the year must be written in full with four Arabic digits"));
        }
        if sequence.is_empty() || !sequence.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("the 顺序号 must be Arabic digits"));
        }
        if sequence.starts_with('0') {
            return Err(bad("the 顺序号 has no leading zeros (1, not 01)"));
        }
        let sequence: u32 = sequence.parse().map_err(|_| bad("the 顺序号 is too large"))?;
        let year: u16 = year.parse().map_err(|_| bad("the year must have four digits"))?;
        DocumentNumber::new(code, year, sequence)
            .map_err(|_| bad("the 发文机关代字 must be Han characters or Latin letters"))
    }
}

impl Serialize for DocumentNumber {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DocumentNumber {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Parses a 成文日期 as GB/T 9704-2012 writes it: Arabic numerals, the year in full, month and day
/// without leading zeros (`2012年7月1日`). Chinese numerals (`二〇一二年七月一日`, the pre-2012 form)
/// and `2012年07月01日` are errors naming the rule.
pub fn parse_document_date(text: &str) -> Result<NaiveDate> {
    let bad = |reason: &str| Error::InvalidDocumentElement {
        element: "成文日期",
        value: text.to_owned(),
        reason: reason.into(),
    };
    if text.chars().any(|c| "〇零一二三四五六七八九十".contains(c)) {
        return Err(bad("write the date in Arabic numerals (GB/T 9704-2012), e.g. 2012年7月1日"));
    }
    let (year, rest) = text.split_once('年').ok_or_else(|| bad("expected YYYY年M月D日"))?;
    let (month, rest) = rest.split_once('月').ok_or_else(|| bad("expected YYYY年M月D日"))?;
    let day = rest.strip_suffix('日').ok_or_else(|| bad("expected YYYY年M月D日"))?;
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !(digits(year) && digits(month) && digits(day)) {
        return Err(bad("expected YYYY年M月D日 in Arabic numerals"));
    }
    if year.len() != 4 {
        return Err(bad("the year must be written in full"));
    }
    if month.starts_with('0') || day.starts_with('0') {
        return Err(bad("month and day have no leading zeros (7月1日, not 07月01日)"));
    }
    let (year, month, day): (i32, u32, u32) = (
        year.parse().map_err(|_| bad("bad year"))?,
        month.parse().map_err(|_| bad("bad month"))?,
        day.parse().map_err(|_| bad("bad day"))?,
    );
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| bad("no such date"))
}

/// Formats a date as a 成文日期 (`2012年7月1日`).
pub fn format_document_date(date: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}
