//! 流程模板: the outgoing (发文) and incoming (收文) document flows of the 2012 regulations and the
//! 信访 handling flow of 《信访工作条例》 (2022), ready to run on the case engine
//! (`workflow/templates/*.toml`), with the catalogue items of the 信访 stages, 信息公开 requests and
//! 建议 and 提案 handling.

use zhengwu_core::{
    Authority, CatalogueFile, ClockStart, DepartmentId, HandlingRegime, ItemCode, ItemKind, OfficialId, ServiceItem,
    Statute, TimeLimit,
};

use crate::definition::{Assignee, NodeKind, ProcessDefinition};
use crate::error::Result;
use crate::process::Process;

const OUTGOING: &str = include_str!("../templates/outgoing-document.toml");
const INCOMING: &str = include_str!("../templates/incoming-document.toml");
const PETITION: &str = include_str!("../templates/petition.toml");

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

/// 信访事项办理: 调查核实 → 拟办意见 → 审批 → 书面答复, after 登记 and 受理 (or 不予受理, or 交办异议
/// back to the 信访部门). The same flow serves 办理, 复查 and 复核: the stage is the case's item
/// ([`petition_items`]).
pub fn petition() -> Result<Process> {
    Process::new(ProcessDefinition::from_toml(PETITION)?)
}

/// The departments of the four 信访 stages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetitionAuthorities {
    /// 信访部门: registers, and assigns or transfers within 15 days.
    pub office: DepartmentId,
    /// 有权处理的机关: decides on acceptance within 15 days, handles within 60 (+30).
    pub handling: DepartmentId,
    /// 复查机关: the handling authority's superior, 30 days from the request.
    pub review: DepartmentId,
    /// 复核机关: the reviewing authority's superior, 30 days from the request; its answer is final.
    pub recheck: DepartmentId,
}

/// The catalogue items of the 信访 stages (《信访工作条例》 2022), codes `{prefix}-DJ` (登记转送交办),
/// `{prefix}-BL` (办理), `{prefix}-FC` (复查), `{prefix}-FH` (复核): limits in calendar days, a last
/// day off moving to the next working day (民法典 Art. 203); acceptance decided within 15 days; 办理
/// extended by at most 30 days with its head's approval; 复查 and 复核 counted from receipt of the
/// request and not extended (a 复核 听证 is not counted). Supervision times each stage on its own
/// clock, and the 5-working-day 交办异议 of the handling authority.
pub fn petition_items(prefix: &str, authorities: &PetitionAuthorities) -> Vec<ServiceItem> {
    let days = TimeLimit::calendar_days;
    let stage = |suffix: &str, name: &str, department: &DepartmentId, limit: TimeLimit, basis: &str| {
        let mut item = ServiceItem::new(
            ItemCode::new(format!("{prefix}-{suffix}")),
            name,
            department.clone(),
            ItemKind::Promised,
            limit,
            limit,
        );
        item.statute = Statute::Petition;
        item.legal_basis = Some(basis.to_owned());
        item.regime = Some(HandlingRegime::Custom { max_extension_days: 0, authority: Authority::DepartmentHead });
        item
    };
    let mut register = stage(
        "DJ",
        "信访事项登记转送交办",
        &authorities.office,
        days(15),
        "《信访工作条例》（2022）：登记、转送、交办",
    );
    register.clock_start = ClockStart::Receipt;
    let mut handle =
        stage("BL", "信访事项办理", &authorities.handling, days(60), "《信访工作条例》（2022）：受理告知、办理、延期");
    handle.acceptance_limit = Some(days(15));
    handle.regime = Some(HandlingRegime::Custom { max_extension_days: 30, authority: Authority::DepartmentHead });
    let mut review = stage("FC", "信访事项复查", &authorities.review, days(30), "《信访工作条例》（2022）：复查");
    review.clock_start = ClockStart::Receipt;
    let mut recheck = stage("FH", "信访事项复核", &authorities.recheck, days(30), "《信访工作条例》（2022）：复核");
    recheck.clock_start = ClockStart::Receipt;
    vec![register, handle, review, recheck]
}

/// The catalogue item of 依申请公开 (《政府信息公开条例》 2019, 国务院令第711号), code `{code}`,
/// handled by `office` (the 政府信息公开工作机构): the limit runs from the day of receipt (Art. 31),
/// or, after the one 补正 notice due within 7 working days of receipt, from the day the completed
/// request arrives (Art. 30); the answer within 20 working days (Art. 33), extended once by at
/// most 20 with the head of the office's approval; a third party's consultation (a
/// `consultation` special procedure, 15 working days for the third party) not counted (Art. 32).
/// Supervision watches it as an approval item: the late 补正 notice (`NOT_ACCEPT_IN_TIME` against
/// the 7-day window), a second 补正 (`MULTI_BUZHENG`), the answer past its limit, an extension
/// beyond 20 days or without approval.
pub fn information_disclosure_item(code: &str, office: &DepartmentId) -> ServiceItem {
    let limit = TimeLimit::working_days(20);
    let mut item = ServiceItem::new(
        ItemCode::new(code),
        "政府信息公开申请（依申请公开）",
        office.clone(),
        ItemKind::Promised,
        limit,
        limit,
    );
    item.statute = Statute::InformationDisclosure;
    item.clock_start = ClockStart::Receipt;
    item.legal_basis = Some("《中华人民共和国政府信息公开条例》（2019）第三十条至第三十三条".to_owned());
    item.regime = Some(HandlingRegime::Custom { max_extension_days: 20, authority: Authority::DepartmentHead });
    item
}

/// Which body a proposal item serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProposalKind {
    /// 人大代表建议、批评和意见 (the 人大常委会 交办s).
    DeputySuggestion,
    /// 政协提案 (the 政协提案委员会 交办s).
    CommitteeProposal,
}

/// The catalogue item of 人大代表建议 or 政协提案 handling by the 主办 unit `unit`, code `{code}`:
/// the clock runs from 交办 (the `accepted` event: the unit takes the assignment) and the answer
/// (办复, the `concluded` event, followed by `reply_sent` with its A/B/C class) is due within 3
/// months (民法典 Art. 202 counts the months), 6 for a matter 涉及面广、处理难度大 (an
/// `extension_approved` of 3 months by the unit's head); each 会办 unit's view (the step `huiban`)
/// within 1 month. Supervision raises `TIME_OVER_LEGAL` for a late answer, `STEP_OVERTIME` for a
/// late 会办 view and `PROPOSAL_NOT_REHANDLED` when a 不满意 view is not answered again within 1
/// month; statistics count the views (满意率).
pub fn proposal_item(code: &str, kind: ProposalKind, unit: &DepartmentId) -> ServiceItem {
    let (name, basis) = match kind {
        ProposalKind::DeputySuggestion => (
            "人大代表建议、批评和意见办理",
            "《全国人民代表大会代表建议、批评和意见处理办法》及本级人大常委会代表建议办理办法：交办之日起三个月内答复，涉及面广、处理难度大的六个月内答复",
        ),
        ProposalKind::CommitteeProposal => (
            "政协提案办理",
            "《政协全国委员会提案工作条例》及本级提案办理办法：交办之日起三个月内办复，情况复杂的六个月内办复",
        ),
    };
    let limit = TimeLimit::months(3);
    let mut item = ServiceItem::new(ItemCode::new(code), name, unit.clone(), ItemKind::Promised, limit, limit);
    item.statute = Statute::Proposal;
    item.clock_start = ClockStart::Acceptance;
    item.legal_basis = Some(basis.to_owned());
    item.regime = Some(HandlingRegime::Custom { max_extension_days: 3, authority: Authority::DepartmentHead });
    item.steps = vec![zhengwu_core::RequiredStep {
        code: "huiban".to_owned(),
        name: "会办意见".to_owned(),
        limit: TimeLimit::months(1),
    }];
    item
}

/// The statutory applications whose catalogue items the templates make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Application {
    /// 信访 (信访工作条例 2022): the four stages of [`petition_items`].
    Petition,
    /// 政府信息公开 依申请公开: [`information_disclosure_item`].
    Disclosure,
    /// 人大代表建议: [`proposal_item`].
    Suggestion,
    /// 政协提案: [`proposal_item`].
    Proposal,
}

impl Application {
    /// Reads `petition`, `disclosure`, `suggestion` or `proposal`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "petition" => Some(Application::Petition),
            "disclosure" => Some(Application::Disclosure),
            "suggestion" => Some(Application::Suggestion),
            "proposal" => Some(Application::Proposal),
            _ => None,
        }
    }
}

/// The catalogue items of an application, code `code` (the prefix of the four stage codes for
/// 信访), handled by `department`; for 信访 `others` names the 信访部门, the 复查机关 and the 复核机关
/// (defaults: the department, the department, the 复查机关).
pub fn application_items(kind: Application, code: &str, department: &str, others: [Option<&str>; 3]) -> CatalogueFile {
    let id = |d: &str| DepartmentId::new(d);
    let items = match kind {
        Application::Petition => {
            let [office, review, recheck] = others;
            let review = review.unwrap_or(department);
            petition_items(
                code,
                &PetitionAuthorities {
                    office: id(office.unwrap_or(department)),
                    handling: id(department),
                    review: id(review),
                    recheck: id(recheck.unwrap_or(review)),
                },
            )
        }
        Application::Disclosure => vec![information_disclosure_item(code, &id(department))],
        Application::Suggestion => vec![proposal_item(code, ProposalKind::DeputySuggestion, &id(department))],
        Application::Proposal => vec![proposal_item(code, ProposalKind::CommitteeProposal, &id(department))],
    };
    CatalogueFile { items }
}

/// 建议 and 提案 办理 at the 主办 unit: after 交办 (the case's `accepted`), the 会办 units' views
/// (the step `huiban`, one 会签 of `partners`' officials, each within 1 month) run beside the
/// 主办's own 研究办理; then 拟复 → 审签 (the unit's head) → 办复 (the answer; the host sends it
/// with its A/B/C class as `reply_sent`). Without 会办 units the flow starts at 研究办理. The
/// answer is due 3 months after 交办 ([`proposal_item`]).
pub fn proposal(partners: &[OfficialId]) -> Result<Process> {
    use crate::definition::{CompletionPolicy, ProcessBuilder, SigningOrder};
    use zhengwu_core::Role;
    let signers: Vec<&str> = partners.iter().map(OfficialId::as_str).collect();
    let mut builder = ProcessBuilder::new("proposal", "建议提案办理")
        .start("start")
        .task("study", "研究办理", Assignee::Role(Role::Handler))
        .task("draft", "拟复", Assignee::Role(Role::Reviewer))
        .task("sign", "审签", Assignee::Role(Role::DepartmentHead))
        .task("reply", "办复", Assignee::Role(Role::Handler))
        .end("end", "办结（已办复）", zhengwu_core::Decision::Granted);
    builder = if signers.is_empty() {
        builder.chain(&["start", "study", "draft", "sign", "reply", "end"])
    } else {
        builder
            .fork("fork", TimeLimit::months(1))
            .countersign("huiban", "会办意见", &signers, CompletionPolicy::All, SigningOrder::Parallel)
            .join("join")
            .chain(&["start", "fork", "huiban", "join", "draft", "sign", "reply", "end"])
            .flow("study_in", "fork", "study", None)
            .flow("study_out", "study", "join", None)
    };
    let mut definition = builder.build();
    for node in &mut definition.nodes {
        if let NodeKind::Task { limit, .. } = &mut node.kind {
            *limit = Some(match node.id.as_str() {
                "huiban" => TimeLimit::months(1),
                "study" => TimeLimit::months(2),
                _ => TimeLimit::calendar_days(7),
            });
        }
    }
    Process::new(definition)
}
