//! 密级和保密期限 (保守国家秘密法) and 紧急程度.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::number::{format_document_date, parse_document_date};

use crate::error::{Error, Result};

/// 密级 (保守国家秘密法 Art. 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Classification {
    /// 秘密: at most 10 years.
    #[serde(rename = "秘密", alias = "secret")]
    Secret,
    /// 机密: at most 20 years.
    #[serde(rename = "机密", alias = "confidential")]
    Confidential,
    /// 绝密: at most 30 years.
    #[serde(rename = "绝密", alias = "top_secret")]
    TopSecret,
}

impl Classification {
    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            Classification::Secret => "秘密",
            Classification::Confidential => "机密",
            Classification::TopSecret => "绝密",
        }
    }

    /// The longest 保密期限 the law allows, in years (and the period assumed when none is marked).
    pub fn maximum_years(self) -> u32 {
        match self {
            Classification::Secret => 10,
            Classification::Confidential => 20,
            Classification::TopSecret => 30,
        }
    }
}

/// 保密期限: 保守国家秘密法 lets the classifying authority fix a period, a 解密时间 or a 解密条件.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SecrecyPeriod {
    /// N 年.
    Years(u32),
    /// N 个月.
    Months(u32),
    /// 解密时间: secret until this day (`秘密★2026年12月31日`).
    Until(NaiveDate),
    /// 解密条件: secret until the condition is met (`机密★工程竣工验收后`).
    Condition(String),
}

/// 密级和保密期限 as marked on a document: `秘密★1年`, `机密★6个月`, a 解密时间
/// (`秘密★2026年12月31日`), a 解密条件 (`机密★工程竣工验收后`), or the level alone (the legal
/// maximum then applies).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecrecyMark {
    /// 密级.
    pub level: Classification,
    /// 保密期限, when marked.
    pub period: Option<SecrecyPeriod>,
}

impl SecrecyMark {
    /// Checks the period against the legal maximum for the level.
    pub fn check(&self) -> Result<()> {
        let months = match &self.period {
            // A 解密时间 is checked against the document's date (`OfficialDocument::validate`).
            None | Some(SecrecyPeriod::Until(_) | SecrecyPeriod::Condition(_)) => return Ok(()),
            Some(SecrecyPeriod::Years(years)) => years.saturating_mul(12),
            Some(SecrecyPeriod::Months(months)) => *months,
        };
        if months == 0 {
            return Err(Error::InvalidDocumentElement {
                element: "密级和保密期限",
                value: self.to_string(),
                reason: "the period must be at least one month".into(),
            });
        }
        if months > self.level.maximum_years() * 12 {
            return Err(Error::InvalidDocumentElement {
                element: "密级和保密期限",
                value: self.to_string(),
                reason: format!(
                    "{} may be kept secret for at most {} years",
                    self.level.chinese(),
                    self.level.maximum_years()
                ),
            });
        }
        Ok(())
    }
}

impl fmt::Display for SecrecyMark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.level.chinese())?;
        match &self.period {
            None => Ok(()),
            Some(SecrecyPeriod::Years(years)) => write!(f, "★{years}年"),
            Some(SecrecyPeriod::Months(months)) => write!(f, "★{months}个月"),
            Some(SecrecyPeriod::Until(day)) => write!(f, "★{}", format_document_date(*day)),
            Some(SecrecyPeriod::Condition(condition)) => write!(f, "★{condition}"),
        }
    }
}

impl FromStr for SecrecyMark {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        let bad = |reason: &str| Error::InvalidDocumentElement {
            element: "密级和保密期限",
            value: text.to_owned(),
            reason: reason.into(),
        };
        let (level, period) = match text.split_once('★') {
            Some((level, period)) => (level, Some(period)),
            None if text.contains('*') || text.contains('☆') => {
                return Err(bad("the level and the period are separated by ★"));
            }
            None => (text, None),
        };
        let level = match level {
            "秘密" => Classification::Secret,
            "机密" => Classification::Confidential,
            "绝密" => Classification::TopSecret,
            _ => return Err(bad("the level must be 绝密, 机密 or 秘密")),
        };
        let period = match period {
            None => None,
            Some(period) => Some(parse_secrecy_period(period).map_err(|reason| bad(&reason))?),
        };
        let mark = SecrecyMark { level, period };
        mark.check()?;
        Ok(mark)
    }
}

/// The part of a 密级 mark after `★`: `N年`, `N个月` (Arabic numerals), a 解密时间 written as a
/// 成文日期 (`2026年12月31日`), or a 解密条件 in words (`工程竣工验收后`).
fn parse_secrecy_period(period: &str) -> std::result::Result<SecrecyPeriod, String> {
    let period = period.trim();
    const SHAPE: &str =
        "the period after ★ is N年 or N个月 in Arabic numerals, a 解密时间 (2026年12月31日) or a 解密条件";
    if period.is_empty() {
        return Err(SHAPE.to_owned());
    }
    let digits = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let numerals = |text: &str| !text.is_empty() && text.chars().all(|c| "〇零一二三四五六七八九十百两".contains(c));
    for (suffix, unit) in [("个月", SecrecyPeriod::Months as fn(u32) -> SecrecyPeriod), ("年", SecrecyPeriod::Years)]
    {
        if let Some(number) = period.strip_suffix(suffix) {
            if digits(number) {
                return number.parse().map(unit).map_err(|_| SHAPE.to_owned());
            }
            if numerals(number) {
                return Err("write the period in Arabic numerals (GB/T 9704), e.g. 10年".to_owned());
            }
        }
    }
    // A 解密时间 looks like a date: it must be one, written as GB/T 9704 writes dates.
    let looks_like_date = period.ends_with('日') && period.contains('年') && period.contains('月');
    if looks_like_date || period.starts_with(|c: char| c.is_ascii_digit()) {
        return parse_document_date(period).map(SecrecyPeriod::Until).map_err(|e| match e {
            Error::InvalidDocumentElement { reason, .. } => format!("解密时间 `{period}`: {reason}"),
            other => other.to_string(),
        });
    }
    if period.contains('★') || !period.chars().any(|c| matches!(c, '\u{3400}'..='\u{9fff}')) {
        return Err(SHAPE.to_owned());
    }
    Ok(SecrecyPeriod::Condition(period.to_owned()))
}

/// 紧急程度.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Urgency {
    /// 平件: not urgent (not marked on the document).
    #[serde(rename = "平件", alias = "normal")]
    Normal,
    /// 平急: telegrams only.
    #[serde(rename = "平急", alias = "expedited")]
    Expedited,
    /// 加急.
    #[serde(rename = "加急", alias = "urgent")]
    Urgent,
    /// 特急.
    #[serde(rename = "特急", alias = "extra_urgent")]
    ExtraUrgent,
    /// 特提: telegrams only, the highest.
    #[serde(rename = "特提", alias = "flash")]
    Flash,
}

impl Urgency {
    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            Urgency::Normal => "平件",
            Urgency::Expedited => "平急",
            Urgency::Urgent => "加急",
            Urgency::ExtraUrgent => "特急",
            Urgency::Flash => "特提",
        }
    }

    /// Whether only telegrams (电报) carry this mark.
    pub fn telegram_only(self) -> bool {
        matches!(self, Urgency::Flash | Urgency::Expedited)
    }
}
