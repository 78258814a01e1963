//! 办事指南: the service guide of a catalogue item, as the portal shows it.

use zhengwu_core::{DayUnit, ServiceItem, TimeLimit};

use crate::definition::NodeKind;
use crate::process::Process;

/// One section of a service guide: its heading (`基本信息`, `办理时限`, `申请材料`, `收费标准`,
/// `办理流程`) and its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuideSection {
    /// The heading.
    pub heading: &'static str,
    /// The lines, as the portal shows them.
    pub lines: Vec<String>,
}

fn limit(limit: TimeLimit) -> String {
    match (limit.days, limit.unit) {
        (0, _) => "即办".to_owned(),
        (days, DayUnit::WorkingDays) => format!("{days}个工作日"),
        (days, DayUnit::CalendarDays) => format!("{days}日"),
        (months, DayUnit::Months) => format!("{months}个月"),
    }
}

/// 办事指南: an item's service guide as the portal shows it — basic facts, time limits (legal,
/// promised, acceptance, extension, special procedures), materials, fees and the flow (the
/// process's steps with their limits, or the item's required steps).
///
/// ```
/// use zhengwu_core::{ItemKind, ServiceItem, TimeLimit};
/// let item = ServiceItem::new(
///     "530100-SCJG-001".into(),
///     "食品经营许可",
///     "scjg".into(),
///     ItemKind::Promised,
///     TimeLimit::working_days(20),
///     TimeLimit::working_days(10),
/// );
/// let guide = zhengwu_workflow::service_guide(&item, None);
/// assert_eq!(guide[0].heading, "基本信息");
/// assert_eq!(guide[1].lines[0], "法定办结时限：20个工作日");
/// ```
pub fn service_guide(item: &ServiceItem, process: Option<&Process>) -> Vec<GuideSection> {
    let mut sections = vec![(
        "基本信息",
        vec![
            format!("事项名称：{}", item.name),
            format!("事项编码：{}", item.code),
            format!("实施机关：{}", item.department),
            format!("办件类型：{}", item.kind.chinese()),
            format!("设定依据：{}", item.legal_basis.as_deref().unwrap_or("（未公布）")),
        ],
    )];
    let mut limits = vec![
        format!("法定办结时限：{}", limit(item.legal_limit)),
        format!("承诺办结时限：{}", limit(item.promised_limit)),
    ];
    if let Some(acceptance) = item.acceptance_limit {
        limits.push(format!("受理时限：{}", limit(acceptance)));
    }
    let regime = item.handling_regime();
    let (most, authority) = regime.extension_rule();
    limits.push(match regime.no_extension_reason() {
        Some(reason) => format!("延长：{reason}"),
        None => format!("延长：经{}批准，可延长{most}{}", authority.chinese(), item.legal_limit.unit.chinese()),
    });
    for procedure in &item.special_procedures {
        let counted = if item.procedure_counted(procedure.kind) { "计入" } else { "不计入" };
        let days = procedure.limit.map(limit).unwrap_or_else(|| "按实际".to_owned());
        limits.push(format!("特殊环节：{}（{days}，{counted}办理时限）", procedure.kind.chinese()));
    }
    sections.push(("办理时限", limits));
    let materials = if item.materials.is_empty() {
        vec!["无需提交材料".to_owned()]
    } else {
        item.materials
            .iter()
            .enumerate()
            .map(|(index, m)| {
                format!(
                    "{}. {}（{}，{}）",
                    index + 1,
                    m.name,
                    m.code,
                    if m.required { "必要" } else { "非必要，容缺可后补" }
                )
            })
            .collect()
    };
    sections.push(("申请材料", materials));
    let fees = if item.fees.is_empty() {
        vec!["不收费".to_owned()]
    } else {
        item.fees
            .iter()
            .map(|fee| {
                let basis = fee.basis.as_deref().map(|b| format!("，依据：{b}")).unwrap_or_default();
                format!("{}：{}{basis}", fee.name, fee.standard)
            })
            .collect()
    };
    sections.push(("收费标准", fees));
    let flow: Vec<String> = match process {
        Some(process) => process
            .tasks()
            .enumerate()
            .map(|(index, node)| match &node.kind {
                NodeKind::Task { limit: Some(step_limit), .. } => {
                    format!("{}. {}（{}）", index + 1, node.name, limit(*step_limit))
                }
                _ => format!("{}. {}", index + 1, node.name),
            })
            .collect(),
        None if item.steps.is_empty() => {
            vec!["1. 受理".to_owned(), "2. 审查".to_owned(), "3. 决定".to_owned(), "4. 送达".to_owned()]
        }
        None => {
            item.steps.iter().enumerate().map(|(i, s)| format!("{}. {}（{}）", i + 1, s.name, limit(s.limit))).collect()
        }
    };
    sections.push(("办理流程", flow));
    sections.into_iter().map(|(heading, lines)| GuideSection { heading, lines }).collect()
}
