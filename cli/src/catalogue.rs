//! `zhengwu catalogue guide`: the service guide (办事指南) of one item, as the portal shows it;
//! `zhengwu catalogue template`: the catalogue items of the statutory applications (信访,
//! 信息公开, 建议, 提案) to add to a city's catalogue.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use zhengwu_core::ItemCode;
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
    /// Prints the catalogue items of a statutory application as TOML `[[item]]` tables (or JSON):
    /// `petition` (信访工作条例: the four stages, codes `{CODE}-DJ`, `-BL`, `-FC`, `-FH`),
    /// `disclosure` (政府信息公开条例 依申请公开), `suggestion` (人大代表建议) or `proposal`
    /// (政协提案), with their statute, limits and steps.
    Template {
        /// petition, disclosure, suggestion or proposal.
        kind: TemplateKind,
        /// The item code (the prefix of the four codes for `petition`).
        #[arg(long)]
        code: String,
        /// The department handling it (for `petition`: the handling authority; `--office`,
        /// `--review` and `--recheck` name the others).
        #[arg(long)]
        department: String,
        /// 信访: the 信访部门 that registers (default: the department).
        #[arg(long)]
        office: Option<String>,
        /// 信访: the 复查机关 (default: the department).
        #[arg(long)]
        review: Option<String>,
        /// 信访: the 复核机关 (default: the 复查机关).
        #[arg(long)]
        recheck: Option<String>,
        /// Print JSON (`{"item": [...]}`) instead of TOML.
        #[arg(long)]
        json: bool,
    },
}

/// The statutory applications `catalogue template` writes.
#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum TemplateKind {
    /// 信访 (信访工作条例 2022).
    Petition,
    /// 政府信息公开 依申请公开 (条例 2019).
    Disclosure,
    /// 人大代表建议、批评和意见.
    Suggestion,
    /// 政协提案.
    Proposal,
}

impl From<TemplateKind> for zhengwu_workflow::templates::Application {
    fn from(kind: TemplateKind) -> Self {
        use zhengwu_workflow::templates::Application;
        match kind {
            TemplateKind::Petition => Application::Petition,
            TemplateKind::Disclosure => Application::Disclosure,
            TemplateKind::Suggestion => Application::Suggestion,
            TemplateKind::Proposal => Application::Proposal,
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
pub(crate) fn run(command: CatalogueCommand) -> anyhow::Result<ExitCode> {
    let (item, catalog, process, html) = match command {
        CatalogueCommand::Guide { item, catalog, process, html } => (item, catalog, process, html),
        CatalogueCommand::Template { kind, code, department, office, review, recheck, json } => {
            let file = zhengwu_workflow::templates::application_items(
                kind.into(),
                &code,
                &department,
                [office.as_deref(), review.as_deref(), recheck.as_deref()],
            );
            if json {
                println!("{}", serde_json::to_string_pretty(&file)?);
            } else {
                print!("{}", file.to_toml()?);
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
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
    let sections = zhengwu_workflow::service_guide(found, process.as_ref());
    match html {
        None => {
            println!("{} 办事指南", found.name);
            for zhengwu_workflow::GuideSection { heading, lines } in &sections {
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
            for zhengwu_workflow::GuideSection { heading, lines } in &sections {
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
