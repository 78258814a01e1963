//! The state of a case: what a snapshot holds and the fold of its events produces.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset};
use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use zhengwu_core::{CaseId, DepartmentId, ItemCode, OfficialId, RegionCode, SpecialProcedureKind};

use crate::status::CaseStatus;

/// An open task: a node of the process waiting for its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenTask {
    /// The task node.
    pub step: CompactString,
    /// Opened at.
    pub opened_at: DateTime<FixedOffset>,
    /// The step whose completion opened it (for 撤回).
    pub opened_by: Option<CompactString>,
    /// The official it was handed to (转办), overriding the node's assignment.
    pub holder: Option<OfficialId>,
    /// Votes so far (会签).
    pub votes: Vec<(OfficialId, bool)>,
    /// Whether anyone acted on it since it opened (a vote, a reassignment).
    pub touched: bool,
    /// The signers of a countersign, as 加签 and 减签 left them.
    #[serde(default)]
    pub signers: Vec<OfficialId>,
    /// 委派: who delegated it; the task returns to them when the delegate is done.
    #[serde(default)]
    pub delegated_by: Option<OfficialId>,
    /// The non-interrupting boundary timers that fired since it opened.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timers_fired: Vec<String>,
    /// 多实例: how many instances the step runs (0: it is not multi-instance).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub instances: u32,
    /// 多实例: how many are completed.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub instances_done: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// The serialisable state of a case: what [`Case::snapshot`](crate::Case::snapshot) writes and
/// [`Case::restore`](crate::Case::restore) reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseSnapshot {
    /// 办件编号.
    pub case_id: CaseId,
    /// 事项编码.
    pub item_code: ItemCode,
    /// Lead department.
    pub department: DepartmentId,
    /// The region (行政区划代码) the case is counted under.
    pub region: RegionCode,
    /// Where the case stands (received, running, concluded …).
    pub status: CaseStatus,
    /// Case data conditions read.
    pub data: serde_json::Map<String, serde_json::Value>,
    /// Open tasks, in the order they opened.
    pub tasks: Vec<OpenTask>,
    /// Per join: the incoming flows that have arrived.
    pub arrivals: BTreeMap<String, BTreeSet<String>>,
    /// Joins passed since their fork last opened.
    pub fired: BTreeSet<String>,
    /// Completed steps, in order (step, by, at).
    pub completed: Vec<(CompactString, OfficialId, DateTime<FixedOffset>)>,
    /// Followers with read-only copies (抄送).
    pub copies: BTreeSet<OfficialId>,
    /// The last sequence number.
    pub sequence: u64,
    /// The status before a suspension.
    pub suspended_from: Option<Box<CaseStatus>>,
    /// A special procedure running.
    pub special: Option<SpecialProcedureKind>,
    /// The next opened task is a re-opening (after 退回 or 撤回), not opened by a completion.
    pub reopening: bool,
    /// When each fork last opened its branches (branch sub-deadlines count from there).
    pub forks_opened: BTreeMap<String, DateTime<FixedOffset>>,
    /// The extension rule (单独办理 +10 by the department head, 联合办理 +15 by the government head).
    #[serde(default)]
    pub regime: zhengwu_core::HandlingRegime,
    /// Extension days approved so far.
    #[serde(default)]
    pub extended_days: u32,
    /// The credit measures applied at acceptance (信用核查).
    #[serde(default)]
    pub credit_measures: Vec<zhengwu_core::CreditMeasure>,
    /// A 补正 request waits for the applicant's materials.
    #[serde(default)]
    pub supplement_open: bool,
    /// The result was delivered (送达).
    #[serde(default)]
    pub delivered: bool,
    /// The business time of the last event: a command may not come before it.
    #[serde(default)]
    pub last_event_at: Option<DateTime<FixedOffset>>,
}

/// The version of the snapshot format [`CaseSnapshot::to_json`] writes, which a store keeps
/// beside a case's events so that a long case need not be replayed from its first event.
pub const SNAPSHOT_VERSION: u32 = 1;

/// A snapshot as stored: its format's version first.
#[derive(Serialize)]
struct Versioned<'a> {
    version: u32,
    #[serde(flatten)]
    snapshot: &'a CaseSnapshot,
}

impl CaseSnapshot {
    /// The snapshot as JSON, with its `version` ([`SNAPSHOT_VERSION`]).
    pub fn to_json(&self) -> String {
        serde_json::to_string(&Versioned { version: SNAPSHOT_VERSION, snapshot: self })
            .expect("a snapshot always serialises to JSON")
    }

    /// Reads what [`CaseSnapshot::to_json`] wrote; a snapshot of another version (or none) is
    /// refused, naming it: the store then replays the case's events instead.
    pub fn from_json(text: &str) -> crate::error::Result<Self> {
        let parse = |message: String| crate::error::Error::Parse { what: "case snapshot", message };
        let header: zhengwu_core::FormatHeader = zhengwu_core::from_json(text).map_err(parse)?;
        zhengwu_core::check_format_version("case snapshot", header.version, SNAPSHOT_VERSION, true)?;
        zhengwu_core::from_json(text).map_err(parse)
    }
}
