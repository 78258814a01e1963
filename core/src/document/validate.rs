//! The 行文规则 (条例 Arts. 13–17) and the GB/T 9704 element formats, checked with every
//! violation reported.

use serde::{Deserialize, Serialize};

use super::number::{format_document_date, parse_document_date};
use super::official::{Direction, DocumentType, OfficialDocument, Relation};
use super::secrecy::{SecrecyMark, SecrecyPeriod};
use crate::error::Error;

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
