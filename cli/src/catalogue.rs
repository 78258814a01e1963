//! `zhengwu catalogue guide`: the service guide (办事指南) of one item, as the portal shows it.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use zhengwu_core::{DayUnit, ItemCode, ServiceItem, TimeLimit};
use zhengwu_workflow::{Process, ProcessDefinition, ProcessFormat};

use crate::report::{read, read_catalogue};

#[derive(Subcommand)]
pub(crate) enum CatalogueCommand {
    /// The service guide (办事指南) of ITEM: materials, limits, fees, the flow, the legal basis.
    Guide {
        /// The item's code (事项编码).
        item: String,
        /// The catalogue (TOML, or JSON by extension).
        #[arg(long = "catalogue", visible_alias = "catalog", value_name = "FILE")]
        catalog: PathBuf,
        /// The item's process (BPMN, JSON or TOML) to show its flow; without it, the item's
        /// required steps.
        #[arg(long)]
        process: Option<PathBuf>,
        /// Write the guide as a self-contained HTML page here instead of printing text.
        #[arg(long)]
        html: Option<PathBuf>,
    },
}

fn limit(limit: TimeLimit) -> String {
    match (limit.days, limit.unit) {
        (0, _) => "即办".to_owned(),
        (days, DayUnit::WorkingDays) => format!("{days}个工作日"),
        (days, DayUnit::CalendarDays) => format!("{days}日"),
    }
}

/// The guide's sections as (heading, lines).
fn sections(item: &ServiceItem, process: Option<&Process>) -> Vec<(&'static str, Vec<String>)> {
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
                zhengwu_workflow::NodeKind::Task { limit: Some(step_limit), .. } => {
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
    sections
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
pub(crate) fn run(command: CatalogueCommand) -> anyhow::Result<ExitCode> {
    let CatalogueCommand::Guide { item, catalog, process, html } = command;
    let file = read_catalogue(&catalog)?;
    let code = ItemCode::new(&item);
    let Some(found) = file.items.iter().find(|candidate| candidate.code == code) else {
        anyhow::bail!("item `{item}` is not in `{}`", catalog.display());
    };
    let process = match &process {
        Some(path) => {
            let format =
                ProcessFormat::parse(&path.to_string_lossy()).with_context(|| format!("`{}`", path.display()))?;
            let text = read(path)?;
            let definition =
                ProcessDefinition::read(&text, format).with_context(|| format!("in `{}`", path.display()))?;
            Some(Process::new(definition).with_context(|| format!("in `{}`", path.display()))?)
        }
        None => None,
    };
    let sections = sections(found, process.as_ref());
    match html {
        None => {
            println!("{} 办事指南", found.name);
            for (heading, lines) in &sections {
                println!("\n{heading}");
                for line in lines {
                    println!("  {line}");
                }
            }
        }
        Some(path) => {
            let mut page = format!(
                "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{0} 办事指南</title>\n<style>body {{ font-family: Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif; max-width: 800px; margin: 24px auto; color: #222; }} h2 {{ font-size: 17px; border-left: 4px solid #c00; padding-left: 8px; }} li {{ margin: 4px 0; }}</style></head><body>\n<h1>{0} 办事指南</h1>\n",
                escape(&found.name)
            );
            for (heading, lines) in &sections {
                page.push_str(&format!("<h2>{heading}</h2>\n<ul>\n"));
                for line in lines {
                    page.push_str(&format!("<li>{}</li>\n", escape(line)));
                }
                page.push_str("</ul>\n");
            }
            page.push_str("</body></html>\n");
            crate::files::write_file(&path, page.as_bytes())?;
            eprintln!("guide written to {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
