//! Alerts (预警 / 黄牌 / 红牌) and the correction process (纠错) each one runs.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use zhengwu_core::{CaseId, DepartmentId, ItemCode, OfficialId, RegionCode};

use crate::rule::{Level, Rule};

/// 纠错状态: where an alert stands in the correction process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    /// 已触发: raised by a rule.
    Raised,
    /// 已通知: sent to the people responsible; an explanation is due.
    Notified,
    /// 已说明: the department explained.
    Explained,
    /// 已审核-有效: the supervisor found the alert valid.
    Confirmed,
    /// 已整改: the department corrected it.
    Corrected,
    /// 督办中: a 督办 notice with a deadline is out.
    Supervised,
    /// 已升级: escalated (a yellow card whose 督办 deadline passed became red).
    Escalated,
    /// 问责: accountability measures were taken.
    Accountability,
    /// 已撤销: the supervisor dismissed the alert (e.g. 特殊环节未录入, 系统故障).
    Dismissed,
    /// 已办结: closed.
    Closed,
}

impl AlertStatus {
    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            AlertStatus::Raised => "已触发",
            AlertStatus::Notified => "已通知",
            AlertStatus::Explained => "已说明",
            AlertStatus::Confirmed => "审核有效",
            AlertStatus::Corrected => "已整改",
            AlertStatus::Supervised => "督办中",
            AlertStatus::Escalated => "已升级",
            AlertStatus::Accountability => "已问责",
            AlertStatus::Dismissed => "已撤销",
            AlertStatus::Closed => "已办结",
        }
    }
}

/// 责任追究 forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountabilityForm {
    /// 效能告诫.
    Admonition,
    /// 责令书面检查.
    WrittenSelfCriticism,
    /// 通报批评.
    PublicCriticism,
    /// 限期调离岗位.
    Reassignment,
    /// 责令辞职.
    OrderedResignation,
    /// 纪律处分.
    DisciplinarySanction,
}

/// One step of the correction process, as a supervisor or department reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CorrectionAction {
    /// 通知: sent to the responsible officials; the explanation deadline starts.
    Notify {
        /// Who was told.
        #[serde(default)]
        recipients: Vec<OfficialId>,
    },
    /// 说明: the department's explanation.
    Explain {
        /// The explanation.
        text: String,
    },
    /// 审核: the supervisor's finding.
    Review {
        /// Valid (有效) or not (撤销).
        valid: bool,
        /// The reviewer's grounds, kept in the alert's record.
        reason: String,
    },
    /// 整改回告: the department corrected it.
    Correct {
        /// What was done.
        note: String,
    },
    /// 督办: a supervision notice with a deadline.
    Supervise {
        /// The deadline.
        deadline: NaiveDate,
    },
    /// 升级: manual escalation.
    Escalate {
        /// Why the supervisor escalates before the deadline.
        reason: String,
    },
    /// 问责.
    HoldAccountable {
        /// The measure.
        form: AccountabilityForm,
    },
    /// 办结.
    Close,
}

impl CorrectionAction {
    /// The action's name.
    pub fn name(&self) -> &'static str {
        match self {
            CorrectionAction::Notify { .. } => "notify",
            CorrectionAction::Explain { .. } => "explain",
            CorrectionAction::Review { .. } => "review",
            CorrectionAction::Correct { .. } => "correct",
            CorrectionAction::Supervise { .. } => "supervise",
            CorrectionAction::Escalate { .. } => "escalate",
            CorrectionAction::HoldAccountable { .. } => "hold_accountable",
            CorrectionAction::Close => "close",
        }
    }
}

/// One transition of an alert, immutable once recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    /// When the transition was made.
    pub at: DateTime<FixedOffset>,
    /// Who (`system` for time-driven escalations).
    pub actor: OfficialId,
    /// The step of the correction process taken.
    pub action: CorrectionAction,
    /// The status after it.
    pub status: AlertStatus,
    /// The level after it.
    pub level: Level,
}

/// 预警纠错信号: one alert raised by a rule on one fact of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// `CASE:RULE:FACT`, stable across replays: the same fact never raises two alerts.
    pub id: String,
    /// The rule.
    pub rule: Rule,
    /// The rule's code: the built-in code, or a custom rule's own.
    pub code: String,
    /// The level now (a yellow card may have become red).
    pub level: Level,
    /// The level it was raised at.
    pub raised_level: Level,
    /// The case.
    pub case_id: CaseId,
    /// Its item.
    pub item_code: ItemCode,
    /// The department responsible.
    pub department: DepartmentId,
    /// The case's region.
    pub region: RegionCode,
    /// The evaluation instant that raised it.
    pub raised_at: DateTime<FixedOffset>,
    /// The facts the rule read.
    pub evidence: BTreeMap<String, String>,
    /// The message officials read.
    pub message: String,
    /// Where it stands.
    pub status: AlertStatus,
    /// The explanation deadline (after notification) or the 督办 deadline.
    pub deadline: Option<NaiveDate>,
    /// Every transition so far.
    pub history: Vec<Transition>,
}
