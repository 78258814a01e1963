//! The document: its kinds, directions, addressees and every element of Art. 9.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::number::{DocumentNumber, parse_document_date};
use super::secrecy::{SecrecyMark, Urgency};
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

impl OfficialDocument {
    /// Parses a document from JSON; the error names the field.
    pub fn from_json(text: &str) -> Result<Self> {
        crate::json::from_json(text).map_err(|message| Error::Parse { what: "official document", message })
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
}
