//! 公文流程模板: the outgoing (发文) and incoming (收文) document flows of the 2012 regulations, ready
//! to run on the case engine (`workflow/templates/*.toml`).

use zhengwu_core::OfficialId;

use crate::definition::{Assignee, NodeKind, ProcessDefinition};
use crate::error::Result;
use crate::process::Process;

const OUTGOING: &str = include_str!("../templates/outgoing-document.toml");
const INCOMING: &str = include_str!("../templates/incoming-document.toml");

/// 发文办理: 拟稿 → 核稿 → 会签 → 签发 → 复核 → 登记 → 印制 → 核发, with the co-issuing
/// departments' heads as the 会签 signers (all must agree).
pub fn outgoing_document(countersigners: &[OfficialId]) -> Result<Process> {
    let mut definition = ProcessDefinition::from_toml(OUTGOING)?;
    for node in &mut definition.nodes {
        if let NodeKind::Task { assignee, countersign: Some(_), .. } = &mut node.kind {
            *assignee = Assignee::Officials(countersigners.to_vec());
        }
    }
    Process::new(definition)
}

/// 收文办理: 签收 → 登记 → 初审 → (退文 | 传阅 | 拟办 → 批办 → 承办 ∥ 传阅 → 答复).
pub fn incoming_document() -> Result<Process> {
    Process::new(ProcessDefinition::from_toml(INCOMING)?)
}
