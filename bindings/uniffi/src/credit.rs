//! 信用: a legal person's standing on a day from its credit records, and what it changes at
//! acceptance (联合奖惩).

use zhengwu_credit::{CreditCode, CreditRecord, PublicationRules, RecordKind, ScoringModel};

use crate::error::{ZhengwuError, invalid};
use crate::time::Day;
use crate::types::CreditMeasure;

/// What a credit record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CreditRecordKind {
    /// 行政许可.
    Permit,
    /// 行政处罚 (严重失信; in 特种设备/安全生产/消防).
    Penalty { serious: bool, special_field: bool },
    /// 表彰.
    Honour,
    /// 经营异常名录.
    AbnormalOperation,
    /// 红名单.
    RedList,
    /// 黑名单.
    BlackList,
}

/// A credit record of a legal person (permits and penalties as published under 双公示, honours,
/// lists).
#[derive(Debug, Clone, uniffi::Record)]
pub struct CreditRecordInput {
    pub id: String,
    /// The legal person's 统一社会信用代码.
    pub code: String,
    pub kind: CreditRecordKind,
    /// 决定书文号.
    pub decision_number: String,
    /// 作出决定的机关.
    pub authority: String,
    pub decided_on: Day,
    pub published_on: Option<Day>,
    /// For lists: removal or expiry.
    pub until: Option<Day>,
}

/// 信用状况 on a day, and the measures it brings at acceptance.
#[derive(Debug, Clone, uniffi::Record)]
pub struct CreditStanding {
    pub red_list: bool,
    pub black_list: bool,
    pub abnormal: bool,
    pub public_penalties: i32,
    pub serious_penalties: i32,
    pub honours: i32,
    pub score: f64,
    /// The grade on the default scale (A / B / C / D).
    pub grade: String,
    /// What moved the score, in Chinese.
    pub explanation: Vec<String>,
    /// 绿色通道, 容缺受理, 从严审批, an extra review, refusal.
    pub measures: Vec<CreditMeasure>,
}

/// The standing of the legal person `code` on `day` from `records` (the default publication
/// rules and scoring model); `restricts_blacklisted`: whether the item refuses black-listed
/// applicants.
#[uniffi::export]
pub fn credit_standing(
    code: String,
    records: Vec<CreditRecordInput>,
    day: Day,
    restricts_blacklisted: bool,
) -> Result<CreditStanding, ZhengwuError> {
    let code = CreditCode::new(&code).map_err(|e| invalid(e.to_string()))?;
    let mut parsed = Vec::with_capacity(records.len());
    for record in records {
        parsed.push(CreditRecord {
            code: CreditCode::new(&record.code).map_err(|e| invalid(format!("record `{}`: {e}", record.id)))?,
            id: record.id,
            kind: match record.kind {
                CreditRecordKind::Permit => RecordKind::Permit,
                CreditRecordKind::Penalty { serious, special_field } => RecordKind::Penalty { serious, special_field },
                CreditRecordKind::Honour => RecordKind::Honour,
                CreditRecordKind::AbnormalOperation => RecordKind::AbnormalOperation,
                CreditRecordKind::RedList => RecordKind::RedList,
                CreditRecordKind::BlackList => RecordKind::BlackList,
            },
            decision_number: record.decision_number,
            authority: record.authority,
            decided_on: record.decided_on,
            published_on: record.published_on,
            until: record.until,
            repaired: None,
        });
    }
    let standing = ScoringModel::default().standing(&PublicationRules::default(), &code, &parsed, day);
    let measures = zhengwu_credit::measures(&standing, restricts_blacklisted);
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    Ok(CreditStanding {
        red_list: standing.red_list,
        black_list: standing.black_list,
        abnormal: standing.abnormal,
        public_penalties: count(standing.public_penalties),
        serious_penalties: count(standing.serious_penalties),
        honours: count(standing.honours),
        score: standing.score,
        grade: standing.grade,
        explanation: standing.explanation,
        measures: measures.iter().filter_map(CreditMeasure::from_core).collect(),
    })
}
