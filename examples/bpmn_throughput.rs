//! Runs N cases of a BPMN process to the end, every open task completed by an actor its
//! assignment allows, and prints the figures as JSON (used by `scripts/workflow/spiff_compare.py`).
//!
//! `cargo run --release -p zhengwu-examples --example bpmn_throughput -- FILE.bpmn N`
#![allow(clippy::print_stdout)]
// This is a benchmark driver: it reads the clock to time itself.
#![allow(clippy::disallowed_methods)]

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context as _;
use chrono::{DateTime, Duration};
use zhengwu_core::{Actor, Channel, DepartmentId, OfficialId, Organization, Role};
use zhengwu_workflow::{Assignee, Case, Command, Context, NodeKind, Process, import_bpmn};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().context("usage: bpmn_throughput FILE.bpmn N")?;
    let cases: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(10_000);
    let xml = std::fs::read_to_string(&path).with_context(|| format!("cannot read `{path}`"))?;
    let process = Arc::new(Process::new(import_bpmn(&xml)?)?);
    // Candidate groups need a directory: one is made with an official per department (holding
    // every role), the window's `w01` in the lead department, and every group holding them all.
    let directory = directory(&process)?;
    let start = DateTime::parse_from_rfc3339("2025-03-03T09:00:00+08:00")?;
    let clerk = |minute: i64| Context {
        actor: Actor { id: "w01".into(), name: None, role: Some(Role::WindowClerk) },
        department: "lead".into(),
        at: start + Duration::minutes(minute),
    };
    let began = Instant::now();
    let mut completions = 0u64;
    for n in 0..cases {
        let mut case =
            Case::new(process.clone(), format!("C{n:08}").into(), "ITEM".into(), "lead".into(), "530102".parse()?);
        if let Some(directory) = &directory {
            case = case.with_directory(directory.clone());
        }
        case.execute(
            Command::Receive { channel: Channel::Online, materials: vec![], data: Default::default() },
            &clerk(0),
        )?;
        case.execute(Command::Accept, &clerk(1))?;
        let mut minute = 2;
        while let Some(task) = case.open_tasks().first().cloned() {
            let node = process.node(&task.step).context("open task not in the process")?;
            let NodeKind::Task { assignee, department, .. } = &node.kind else { anyhow::bail!("not a task") };
            let (id, role, acting) = match assignee {
                Assignee::Role(role) => (official(department.as_ref()), Some(role.clone()), department.clone()),
                Assignee::Department(department) => {
                    (official(Some(department)), Some(Role::Handler), Some(department.clone()))
                }
                Assignee::Officials(officials) => (officials[0].clone(), None, department.clone()),
                // `initiator` unset: the official who received the case.
                Assignee::Variable(_) => (OfficialId::new("w01"), Some(Role::Handler), department.clone()),
                Assignee::Groups(_) | Assignee::Anyone | Assignee::Candidates { .. } => {
                    (official(department.as_ref()), Some(Role::Handler), department.clone())
                }
            };
            let context = Context {
                actor: Actor { id, name: None, role },
                department: acting.unwrap_or_else(|| "lead".into()),
                at: start + Duration::minutes(minute),
            };
            minute += 1;
            case.execute(
                Command::Complete { step: task.step.to_string(), opinion: None, data: Default::default() },
                &context,
            )?;
            completions += 1;
        }
    }
    let seconds = began.elapsed().as_secs_f64();
    println!(
        "{{\"cases\": {cases}, \"completions\": {completions}, \"seconds\": {seconds:.6}, \"completions_per_second\": {:.0}}}",
        completions as f64 / seconds
    );
    Ok(())
}

/// The official acting for a department: `w01` for the lead department, `o-{department}` otherwise.
fn official(department: Option<&DepartmentId>) -> OfficialId {
    match department {
        Some(department) if department.as_str() != "lead" => OfficialId::new(format!("o-{department}")),
        _ => OfficialId::new("w01"),
    }
}

/// A directory for a process with candidate groups (`None` when it has none): the lead
/// department with `w01`, each task's department with its official, every named official in the
/// lead department, every role held by all, every group holding everyone.
fn directory(process: &Process) -> anyhow::Result<Option<Arc<Organization>>> {
    use std::collections::BTreeSet;
    use std::fmt::Write as _;
    let (mut groups, mut departments, mut named) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for node in process.tasks() {
        let NodeKind::Task { assignee, department, .. } = &node.kind else { continue };
        departments.extend(department.iter().map(|d| d.to_string()));
        match assignee {
            Assignee::Groups(names) | Assignee::Candidates { groups: names, .. } => {
                groups.extend(names.iter().cloned())
            }
            Assignee::Department(department) => {
                departments.insert(department.to_string());
            }
            Assignee::Officials(officials) => named.extend(officials.iter().map(|o| o.to_string())),
            _ => {}
        }
    }
    if groups.is_empty() {
        return Ok(None);
    }
    departments.remove("lead");
    let roles = r#"["window_clerk", "handler", "reviewer", "approver", "department_head"]"#;
    let mut toml = String::from("[[region]]\ncode = \"530102\"\nname = \"五华区\"\n");
    let mut officials = vec![("w01".to_owned(), "lead".to_owned())];
    officials.extend(departments.iter().map(|d| (format!("o-{d}"), d.clone())));
    officials.extend(named.iter().filter(|o| o.as_str() != "w01").map(|o| (o.clone(), "lead".to_owned())));
    for department in std::iter::once("lead").chain(departments.iter().map(String::as_str)) {
        write!(toml, "[[department]]\nid = \"{department}\"\nname = \"{department}\"\nregion = \"530102\"\n")?;
    }
    for (id, department) in &officials {
        write!(toml, "[[official]]\nid = \"{id}\"\nname = \"{id}\"\ndepartment = \"{department}\"\nroles = {roles}\n")?;
    }
    let everyone: Vec<String> = officials.iter().map(|(id, _)| format!("\"{id}\"")).collect();
    for group in &groups {
        write!(toml, "[[group]]\nname = \"{group}\"\nofficials = [{}]\n", everyone.join(", "))?;
    }
    Ok(Some(Arc::new(Organization::from_toml(&toml)?)))
}
