//! 办件状态: where a case stands, the vocabulary the engine and its refusals share.

use serde::{Deserialize, Serialize};
use zhengwu_core::Decision;

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Not yet received.
    New,
    /// 已收件: waiting for acceptance.
    Received,
    /// 补正中: waiting for the applicant's materials.
    Supplementing,
    /// 办理中.
    Running,
    /// 挂起.
    Suspended,
    /// 办结, with the decision.
    Concluded(Decision),
    /// 不予受理.
    RefusedAtIntake,
    /// 撤回 by the applicant.
    Withdrawn,
    /// 交办异议: handed back to the 信访部门 as not this authority's matter.
    HandedBack,
}
