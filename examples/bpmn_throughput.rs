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
use zhengwu_core::{Actor, Channel, OfficialId, Role};
use zhengwu_workflow::{Assignee, Case, Command, Context, NodeKind, Process, import_bpmn};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().context("usage: bpmn_throughput FILE.bpmn N")?;
    let cases: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(10_000);
    let xml = std::fs::read_to_string(&path).with_context(|| format!("cannot read `{path}`"))?;
    let process = Arc::new(Process::new(import_bpmn(&xml)?)?);
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
                Assignee::Role(role) => (OfficialId::new("o1"), Some(role.clone()), department.clone()),
                Assignee::Department(department) => {
                    (OfficialId::new("o1"), Some(Role::Handler), Some(department.clone()))
                }
                Assignee::Officials(officials) => (officials[0].clone(), None, department.clone()),
                // The one received the case ("initiator" unset) or anyone of the department.
                Assignee::Variable(_) => (OfficialId::new("w1"), None, department.clone()),
                Assignee::Anyone => (OfficialId::new("o1"), Some(Role::Handler), department.clone()),
                other => anyhow::bail!("this example does not resolve {other:?}: give the case a directory"),
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
