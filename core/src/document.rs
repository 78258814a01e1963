//! 公文: official documents per 《党政机关公文处理工作条例》 (中办发〔2012〕14号) and GB/T 9704-2012:
//! the 15 document types with their direction, every element of Art. 9 typed, the 发文字号 and
//! 成文日期 formats, and the 行文规则 (Arts. 13–17) checked with every violation reported.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::event::DetachedSignature;

/// 行文方向: where a document goes relative to its issuer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 上行文: to a superior authority.
    Upward,
    /// 平行文: to a non-subordinate authority.
    Parallel,
    /// 下行文: to subordinates.
    Downward,
    /// 周知: published to the public (公告, 通告, 公报).
    Public,
}

impl Direction {
    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            Direction::Upward => "上行",
            Direction::Parallel => "平行",
            Direction::Downward => "下行",
            Direction::Public => "周知",
        }
    }
}

macro_rules! document_types {
    ($( $variant:ident => $chinese:literal, $english:literal, [$($direction:ident),+], $doc:literal; )+) => {
        /// 文种: the 15 document types of Art. 8.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[non_exhaustive]
        pub enum DocumentType {
            $(
                #[doc = $doc]
                #[serde(rename = $chinese, alias = $english)]
                $variant,
            )+
        }

        impl DocumentType {
            /// Every type, in the order of Art. 8.
            pub const ALL: [DocumentType; 15] = [$(DocumentType::$variant),+];

            /// The Chinese name (the 文种 as written in a title).
            pub fn chinese(self) -> &'static str {
                match self { $(DocumentType::$variant => $chinese,)+ }
            }

            /// The directions this type may travel in (conventional classification).
            pub fn directions(self) -> &'static [Direction] {
                match self { $(DocumentType::$variant => &[$(Direction::$direction),+],)+ }
            }
        }

        impl FromStr for DocumentType {
            type Err = Error;

            fn from_str(text: &str) -> Result<Self> {
                match text.trim() {
                    $($chinese | $english => Ok(DocumentType::$variant),)+
                    "令" => Ok(DocumentType::Order),
                    other => Err(Error::InvalidDocumentElement {
                        element: "文种",
                        value: other.to_owned(),
                        reason: "not one of the 15 types of Art. 8 (决议, 决定, 命令（令）, 公报, 公告, 通告, 意见, 通知, 通报, 报告, 请示, 批复, 议案, 函, 纪要)".into(),
                    }),
                }
            }
        }
    };
}

document_types! {
    Resolution => "决议", "resolution", [Downward], "决议: major decisions adopted by a meeting.";
    Decision => "决定", "decision", [Downward], "决定: decisions and arrangements on important matters.";
    Order => "命令", "order", [Downward], "命令（令）: promulgating regulations, compulsory measures, awards.";
    Communique => "公报", "communique", [Public, Downward], "公报: announcing important decisions or events.";
    Announcement => "公告", "announcement", [Public], "公告: announcing important or statutory matters at home and abroad.";
    PublicNotice => "通告", "public_notice", [Public, Downward], "通告: matters to be observed or known within a scope.";
    Opinion => "意见", "opinion", [Upward, Parallel, Downward], "意见: views and ways of handling important questions.";
    Notice => "通知", "notice", [Downward, Parallel], "通知: matters for subordinates to carry out, forwarding documents.";
    Circular => "通报", "circular", [Downward], "通报: commending, criticising, conveying important information.";
    Report => "报告", "report", [Upward], "报告: reporting to a superior, answering its inquiries.";
    Request => "请示", "request", [Upward], "请示: asking a superior for instructions or approval.";
    Reply => "批复", "reply", [Downward], "批复: answering a subordinate's 请示.";
    Motion => "议案", "motion", [Upward], "议案: a government's motion to the people's congress at its level.";
    Letter => "函", "letter", [Parallel], "函: business between authorities without a line relation.";
    Minutes => "纪要", "minutes", [Downward, Parallel], "纪要: the main points and decisions of a meeting.";
}

impl fmt::Display for DocumentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.chinese())
    }
}

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

/// How an addressee stands to the issuer, for the 行文规则.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// 上级机关.
    Superior,
    /// 同级或不相隶属机关.
    Peer,
    /// 下级机关.
    Subordinate,
}

/// 主送机关 or 抄送机关: an addressee and how it stands to the issuer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Addressee {
    /// 机关名称 (全称、规范化简称或同类型机关统称).
    pub name: String,
    /// Its relation to the issuer, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<Relation>,
}

/// 附件.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// 附件名称.
    pub name: String,
    /// SM3 or SHA-256 of the file, hex, when the attachment is a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

/// 公文: one official document with the elements of Art. 9 / GB/T 9704-2012.
///
/// Elements that have a fixed form (发文字号, 成文日期, 密级, 份号) are kept as written, so that
/// [`OfficialDocument::validate`] can report a malformed one as a violation alongside the others
/// rather than refuse the whole document.
///
/// ```
/// use zhengwu_core::{DocumentType, OfficialDocument};
/// let json = r#"{"id": "D1", "doc_type": "请示", "direction": "upward",
///   "issuer_mark": "昆明市市场监督管理局文件", "number": "昆市监〔2025〕7号",
///   "title": "昆明市市场监督管理局关于增加执法车辆的请示",
///   "main_recipients": [{"name": "昆明市人民政府", "relation": "superior"}],
///   "body": "……", "issuer_signature": ["昆明市市场监督管理局"], "date": "2025年3月3日"}"#;
/// let document = OfficialDocument::from_json(json)?;
/// assert_eq!(document.doc_type, DocumentType::Request);
/// let codes: Vec<_> = document.validate().iter().map(|v| v.code).collect();
/// // 上行文 without 签发人; a 请示 without its issuer's seal.
/// assert_eq!(codes, ["GW01", "GW15"]);
/// # Ok::<(), zhengwu_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficialDocument {
    /// The platform's id of the document.
    pub id: String,
    /// 文种.
    pub doc_type: DocumentType,
    /// 行文方向.
    pub direction: Direction,
    /// 涉密: the content is a state secret (a 密级 mark implies it).
    #[serde(default)]
    pub classified: bool,
    /// 份号: six Arabic digits (`000001`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_number: Option<String>,
    /// 密级和保密期限 (`秘密★1年`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrecy: Option<String>,
    /// 紧急程度.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<Urgency>,
    /// 发文机关标志 (`昆明市人民政府文件`).
    pub issuer_mark: String,
    /// 发文字号 (`云府〔2006〕12号`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// 签发人.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signers: Vec<String>,
    /// 标题.
    pub title: String,
    /// 主送机关.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub main_recipients: Vec<Addressee>,
    /// 正文.
    pub body: String,
    /// 请示事项: the matters asked about (a 请示 asks one: 一文一事).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matters: Vec<String>,
    /// The document carries a request for instructions or approval (夹带请示事项).
    #[serde(default)]
    pub contains_request: bool,
    /// 附件说明.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachment_notes: Vec<String>,
    /// 发文机关署名.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issuer_signature: Vec<String>,
    /// 成文日期 (`2012年7月1日`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// 印章: the seals affixed (their holders' names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seals: Vec<String>,
    /// 附注 (`（此件公开发布）`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// 附件.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// 抄送机关.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copy_to: Vec<Addressee>,
    /// 印发机关.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printed_by: Option<String>,
    /// 印发日期 (`2012年7月1日`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printed_on: Option<String>,
    /// 电报: the document is a telegram (特提 and 平急 are for telegrams only; a telegram may go
    /// unsealed).
    #[serde(default)]
    pub telegram: bool,
    /// 普发性公文: a document sent generally under a 特定发文机关标志, which may go unsealed
    /// (Art. 9(十二)); a 上行文 is never 普发性, a 周知 document (公告, 通告, 公报) always is.
    #[serde(default)]
    pub general: bool,
    /// The document's detached signature (SM2/SM3, RSA or ECDSA over [`Self::canonical_bytes`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Box<DetachedSignature>>,
}

/// How bad a violation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The rule is broken: the document must be corrected or returned (退回).
    Error,
    /// A rule that holds "in principle" (原则上) is not followed: reviewers should look.
    Warning,
}

/// One breach of the 行文规则 or of the GB/T 9704 format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// Stable rule code (`GW01` …), see [`RULES`].
    pub code: &'static str,
    /// The element concerned (`签发人`, `主送机关`, ...).
    pub element: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in Chinese, naming the values.
    pub message: String,
}

/// The rules [`OfficialDocument::validate`] checks: code, element, and the rule in Chinese.
pub const RULES: [(&str, &str, &str); 18] = [
    ("GW01", "签发人", "上行文应当标注签发人姓名"),
    ("GW02", "主送机关", "请示应当主送一个上级机关"),
    ("GW03", "请示事项", "请示应当一文一事"),
    ("GW04", "正文", "不得在报告等非请示性公文中夹带请示事项"),
    ("GW05", "份号", "涉密公文应当标注份号"),
    ("GW06", "密级和保密期限", "涉密公文应当标注密级"),
    ("GW07", "抄送机关", "上行文不抄送下级机关"),
    ("GW08", "发文字号", "发文字号由代字、〔年份〕、顺序号组成，不加“第”，不编虚位"),
    ("GW09", "成文日期", "成文日期用阿拉伯数字将年、月、日标全，月、日不编虚位"),
    ("GW10", "份号", "份号用6位阿拉伯数字"),
    ("GW11", "密级和保密期限", "密级为绝密、机密、秘密，保密期限不超过法定最长期限"),
    ("GW12", "文种", "文种与行文方向相符"),
    ("GW13", "主送机关", "上行文原则上主送一个上级机关"),
    ("GW14", "紧急程度", "“特提”“平急”仅用于电报"),
    ("GW15", "印章", "有发文机关署名的公文应当加盖印章（纪要、电报和有特定发文机关标志的普发性公文除外）"),
    ("GW16", "印章", "印章与署名机关相符"),
    ("GW17", "标题", "标题由发文机关名称、事由和文种组成，以法定文种结尾"),
    ("GW18", "标题", "标题中的文种与公文文种一致"),
];

impl OfficialDocument {
    /// Parses a document from JSON; the error names the field.
    pub fn from_json(text: &str) -> Result<Self> {
        serde_json::from_str(text).map_err(|e| Error::Parse { what: "official document", message: e.to_string() })
    }

    /// The document as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a document always serialises to JSON")
    }

    /// The 发文字号, parsed.
    pub fn document_number(&self) -> Option<Result<DocumentNumber>> {
        self.number.as_deref().map(str::parse)
    }

    /// The 成文日期, parsed.
    pub fn document_date(&self) -> Option<Result<NaiveDate>> {
        self.date.as_deref().map(parse_document_date)
    }

    /// The 密级和保密期限, parsed.
    pub fn secrecy_mark(&self) -> Option<Result<SecrecyMark>> {
        self.secrecy.as_deref().map(str::parse)
    }

    /// Whether the document is 涉密 (flagged, or carrying a 密级).
    pub fn is_classified(&self) -> bool {
        self.classified || self.secrecy.is_some()
    }

    /// The bytes a detached signature covers: the document's JSON without `signature`, canonical
    /// (RFC 8785) as for events.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut value = serde_json::to_value(self).expect("a document always serialises to JSON");
        if let serde_json::Value::Object(members) = &mut value {
            members.remove("signature");
        }
        crate::event::canonical_json(&value)
    }

    /// Checks the 行文规则 and the GB/T 9704 element formats; returns every violation found, in
    /// rule order (empty: the document is in order).
    pub fn validate(&self) -> Vec<Violation> {
        let mut violations = Vec::new();
        let mut add = |code: &'static str, severity: Severity, message: String| {
            let element = RULES.iter().find(|(c, _, _)| *c == code).map_or("", |(_, element, _)| element);
            violations.push(Violation { code, element, severity, message });
        };
        let upward = self.direction == Direction::Upward;
        if upward && self.signers.iter().all(|s| s.trim().is_empty()) {
            add("GW01", Severity::Error, format!("上行文（{}）未标注签发人", self.doc_type));
        }
        // 条例 Art. 15(一): 上行文 "原则上主送一个上级机关" — two is a warning; none is an error.
        if self.doc_type == DocumentType::Request && self.main_recipients.is_empty() {
            add("GW02", Severity::Error, "请示未标注主送机关".to_owned());
        } else if self.doc_type == DocumentType::Request && self.main_recipients.len() > 1 {
            let names: Vec<&str> = self.main_recipients.iter().map(|a| a.name.as_str()).collect();
            add(
                "GW02",
                Severity::Warning,
                format!("请示原则上主送一个上级机关，本件主送 {} 个：{}", names.len(), names.join("、")),
            );
        }
        if self.doc_type == DocumentType::Request && self.matters.len() > 1 {
            add(
                "GW03",
                Severity::Error,
                format!("请示应当一文一事，本件请示 {} 项：{}", self.matters.len(), self.matters.join("；")),
            );
        }
        if self.doc_type != DocumentType::Request && self.contains_request {
            add("GW04", Severity::Error, format!("{}中夹带请示事项", self.doc_type));
        }
        if self.is_classified() && self.copy_number.is_none() {
            add("GW05", Severity::Error, "涉密公文未标注份号".to_owned());
        }
        if self.is_classified() && self.secrecy.is_none() {
            add("GW06", Severity::Error, "涉密公文未标注密级".to_owned());
        }
        if upward {
            let subordinates: Vec<&str> = self
                .copy_to
                .iter()
                .filter(|a| a.relation == Some(Relation::Subordinate))
                .map(|a| a.name.as_str())
                .collect();
            if !subordinates.is_empty() {
                add("GW07", Severity::Error, format!("上行文抄送下级机关：{}", subordinates.join("、")));
            }
        }
        if let Some(Err(error)) = self.document_number() {
            add("GW08", Severity::Error, reason_of(&error));
        }
        for (label, date) in [("成文日期", &self.date), ("印发日期", &self.printed_on)] {
            if let Some(Err(error)) = date.as_deref().map(parse_document_date) {
                add("GW09", Severity::Error, format!("{label}：{}", reason_of(&error)));
            }
        }
        // GB/T 9704 7.2.1: 份号 "一般用6位3号阿拉伯数字": digits are required, six is the norm.
        if let Some(copy) = &self.copy_number {
            if copy.is_empty() || !copy.bytes().all(|b| b.is_ascii_digit()) {
                add("GW10", Severity::Error, format!("份号“{copy}”应为阿拉伯数字（一般用6位，如000001）"));
            } else if copy.len() != 6 {
                add("GW10", Severity::Warning, format!("份号“{copy}”为{}位，一般用6位阿拉伯数字", copy.len()));
            }
        }
        match self.secrecy_mark() {
            Some(Err(error)) => add("GW11", Severity::Error, reason_of(&error)),
            Some(Ok(SecrecyMark { level, period: Some(SecrecyPeriod::Until(until)) })) => {
                if let Some(Ok(date)) = self.document_date() {
                    let latest = date.checked_add_months(chrono::Months::new(level.maximum_years() * 12));
                    if until <= date {
                        add("GW11", Severity::Error, format!("解密时间{}不晚于成文日期", format_document_date(until)));
                    } else if latest.is_some_and(|latest| until > latest) {
                        add(
                            "GW11",
                            Severity::Error,
                            format!(
                                "解密时间{}超过{}的最长保密期限{}年",
                                format_document_date(until),
                                level.chinese(),
                                level.maximum_years()
                            ),
                        );
                    }
                }
            }
            _ => {}
        }
        if !self.doc_type.directions().contains(&self.direction) {
            let allowed: Vec<&str> = self.doc_type.directions().iter().map(|d| d.chinese()).collect();
            add(
                "GW12",
                Severity::Error,
                format!("{}不用于{}行文（可用：{}）", self.doc_type, self.direction.chinese(), allowed.join("、")),
            );
        }
        if upward && self.doc_type != DocumentType::Request && self.main_recipients.len() > 1 {
            add(
                "GW13",
                Severity::Warning,
                format!("上行文主送 {} 个机关，原则上主送一个上级机关", self.main_recipients.len()),
            );
        }
        if let Some(urgency) = self.urgency
            && urgency.telegram_only()
            && !self.telegram
        {
            add("GW14", Severity::Error, format!("“{}”仅用于电报", urgency.chinese()));
        }
        self.check_seals(&mut add);
        self.check_title(&mut add);
        violations
    }

    /// Art. 9(十二): a document with a 发文机关署名 bears its issuer's seal, the seal matching the
    /// signing authority; only 纪要, 电报 and a 普发性 document under a 特定发文机关标志 may go
    /// without (a 上行文, such as a 请示, is never 普发性).
    fn check_seals(&self, add: &mut impl FnMut(&'static str, Severity, String)) {
        let signed: Vec<&str> = self.issuer_signature.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
        let seals: Vec<&str> = self.seals.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
        // 公告, 通告 and 公报 go to the public: 普发性 by their nature.
        let general = self.general || self.direction == Direction::Public;
        let exempt = self.doc_type == DocumentType::Minutes
            || self.telegram
            || (general && self.direction != Direction::Upward && !self.issuer_mark.trim().is_empty());
        if seals.is_empty() && !exempt {
            let who = if signed.is_empty() { String::new() } else { format!("（署名：{}）", signed.join("、")) };
            add("GW15", Severity::Error, format!("{}未加盖发文机关印章{who}", self.doc_type));
        }
        let strangers: Vec<&str> = seals.iter().copied().filter(|seal| !signed.contains(seal)).collect();
        for seal in &strangers {
            let names = if signed.is_empty() { "无署名".to_owned() } else { signed.join("、") };
            add("GW16", Severity::Error, format!("印章“{seal}”与发文机关署名“{names}”不符"));
        }
        // 联合行文: every signing authority seals; reported when the seals present are theirs.
        if strangers.is_empty() && !seals.is_empty() {
            for name in signed.iter().filter(|name| !seals.contains(name)) {
                add("GW16", Severity::Error, format!("署名机关“{name}”未加盖印章"));
            }
        }
    }

    /// Art. 9(七): the title is 发文机关名称 + 事由 + 文种, so it ends with one of the 15 文种 (令 for
    /// 命令), and the one it names is the document's.
    fn check_title(&self, add: &mut impl FnMut(&'static str, Severity, String)) {
        let title = self.title.trim().trim_end_matches(['。', '.']);
        if title.ends_with("请示报告") {
            add("GW17", Severity::Error, format!("标题“{title}”将请示与报告混用，应分别行文"));
            return;
        }
        let named = DocumentType::ALL
            .iter()
            .copied()
            .filter(|t| title.ends_with(t.chinese()))
            .max_by_key(|t| t.chinese().chars().count())
            .or_else(|| title.ends_with('令').then_some(DocumentType::Order));
        match named {
            None => add(
                "GW17",
                Severity::Error,
                format!("标题“{title}”未以法定文种结尾（应为发文机关名称＋事由＋文种，如“……的通知”）"),
            ),
            // The longest 文种 the title ends with (命令 rather than 令).
            Some(named) if named != self.doc_type => add(
                "GW18",
                Severity::Error,
                format!("标题文种“{}”与公文文种“{}”不符", named.chinese(), self.doc_type.chinese()),
            ),
            Some(_) => {}
        }
    }
}

fn reason_of(error: &Error) -> String {
    match error {
        Error::InvalidDocumentElement { element, value, reason } => format!("{element}“{value}”：{reason}"),
        other => other.to_string(),
    }
}
