//! Property: a graph that validates has no dead end, every node is reachable, and every fork has
//! its join.

use std::collections::{BTreeSet, VecDeque};

use proptest::prelude::*;
use zhengwu_core::{Decision, Role, TimeLimit};
use zhengwu_workflow::{Assignee, NodeKind, Process, ProcessBuilder};

/// Random small graphs over a fixed set of node kinds and random flows between them.
fn graph() -> impl Strategy<Value = (Vec<u8>, Vec<(usize, usize)>)> {
    (prop::collection::vec(0u8..5, 2..9), prop::collection::vec((0usize..10, 0usize..10), 1..16))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn validated_graphs_have_no_dead_end((kinds, edges) in graph()) {
        let mut builder = ProcessBuilder::new("p", "").start("n0");
        let count = kinds.len() + 2;
        for (i, kind) in kinds.iter().enumerate() {
            let id = format!("n{}", i + 1);
            builder = match kind {
                0 | 1 => builder.task(&id, "任务", Assignee::Role(Role::Handler)),
                2 => builder.fork(&id, TimeLimit::working_days(7)),
                3 => builder.join(&id),
                _ => builder.merge(&id),
            };
        }
        builder = builder.end(&format!("n{}", count - 1), "准予", Decision::Granted);
        for (k, (from, to)) in edges.iter().enumerate() {
            let (from, to) = (from % count, to % count);
            builder = builder.flow(&format!("f{k}"), &format!("n{from}"), &format!("n{to}"), None);
        }
        let Ok(process) = Process::new(builder.build()) else { return Ok(()) };
        // Every node reaches an end, following outgoing flows.
        let definition = process.definition();
        for node in &definition.nodes {
            let mut seen = BTreeSet::new();
            let mut queue = VecDeque::from([node.id.clone()]);
            let mut reaches_end = false;
            while let Some(id) = queue.pop_front() {
                if !seen.insert(id.clone()) {
                    continue;
                }
                if matches!(process.node(&id).unwrap().kind, NodeKind::End { .. }) {
                    reaches_end = true;
                    break;
                }
                queue.extend(process.outgoing(&id).into_iter().map(|f| f.to.clone()));
            }
            prop_assert!(reaches_end, "{} reaches no end", node.id);
            if matches!(node.kind, NodeKind::Fork { .. }) {
                prop_assert!(process.join_of(&node.id).is_some());
            }
        }
    }
}

mod engine {
    use std::sync::Arc;

    use chrono::{DateTime, Duration};
    use proptest::prelude::*;
    use zhengwu_core::{Actor, Channel, EventKind, OfficialId, Role};
    use zhengwu_workflow::{Case, Command, Context, Process};

    use crate::validate::establish_enterprise;

    const STEPS: [&str; 7] = ["accept", "register", "tax", "seal", "insurance", "deliver", "nope"];
    const DEPARTMENTS: [&str; 5] = ["scjg", "sw", "ga", "rs", "xx"];
    const ROLES: [Role; 4] = [Role::WindowClerk, Role::Handler, Role::DepartmentHead, Role::Approver];

    fn command(kind: u8, step: usize, other: usize) -> Command {
        let step = STEPS[step % STEPS.len()].to_owned();
        let to = STEPS[other % STEPS.len()].to_owned();
        match kind % 12 {
            0 => Command::Receive { channel: Channel::Window, materials: vec![], data: Default::default() },
            1 => Command::Accept,
            2..=5 => Command::Complete { step, opinion: None, data: Default::default() },
            6 => Command::Return { step, to, reason: None },
            7 => Command::Recall { step },
            8 => Command::Reassign { step, to: OfficialId::new("x01") },
            9 => Command::Suspend { reason: None },
            10 => Command::Resume,
            _ => Command::Urge { step, note: None },
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn random_commands_never_panic_and_replay_equals_live(
            script in prop::collection::vec((any::<u8>(), 0usize..7, 0usize..7, 0usize..5, 0usize..4), 1..60)
        ) {
            let process = Arc::new(Process::new(establish_enterprise()).unwrap());
            let mut case = Case::new(process.clone(), "P1".into(), "I".into(), "scjg".into(), "530102".parse().unwrap());
            let start = DateTime::parse_from_rfc3339("2025-03-03T09:00:00+08:00").unwrap();
            // Most scripts start from a running case, so that the random commands reach the
            // parallel section; a few start from nothing.
            let mut script = script;
            if script.len() % 5 != 0 {
                script.insert(0, (0, 0, 0, 0, 0));
                script.insert(1, (1, 0, 0, 0, 0));
            }
            for (minute, (kind, step, other, department, role)) in script.into_iter().enumerate() {
                let context = Context {
                    actor: Actor { id: format!("{}-{}", DEPARTMENTS[department], role).into(), name: None, role: Some(ROLES[role].clone()) },
                    department: DEPARTMENTS[department].into(),
                    at: start + Duration::minutes(minute as i64),
                };
                let before = case.snapshot();
                match case.execute(command(kind, step, other), &context) {
                    Ok(events) => prop_assert!(!events.is_empty()),
                    // A rejected command changes nothing.
                    Err(_) => prop_assert_eq!(case.snapshot(), before),
                }
                // No step is ever open twice.
                let mut open: Vec<&str> = case.open_tasks().iter().map(|t| t.step.as_str()).collect();
                let count = open.len();
                open.sort();
                open.dedup();
                prop_assert_eq!(open.len(), count);
            }
            if !case.events().is_empty() {
                let replayed = Case::replay(process, case.events()).unwrap();
                prop_assert_eq!(replayed.snapshot(), case.snapshot());
            }
            // The join fires at most once per round of branch completions: `deliver` never opens
            // more often than `insurance`, `seal` and `tax` have each completed.
            let count = |kind: &str, step: &str| {
                case.events().iter().filter(|e| e.kind.type_name() == kind && matches!(&e.kind,
                    EventKind::StepStarted { step: s } | EventKind::StepCompleted { step: s, .. } if s == step)).count()
            };
            let rounds = ["tax", "seal", "insurance"].iter().map(|s| count("step_completed", s)).min().unwrap_or(0);
            prop_assert!(count("step_started", "deliver") <= rounds);
        }
    }
}

mod garbage {
    use proptest::prelude::*;
    use zhengwu_workflow::{ProcessDefinition, import_bpmn};

    const FIXTURE: &str = include_str!("../../../tests/data/workflow/building-permit.camunda.bpmn");

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Bad input is an error, never a panic: arbitrary text, and a real BPMN file cut or with
        /// a byte changed anywhere.
        #[test]
        fn importers_never_panic(text in ".{0,400}", cut in 0usize..4000, position in 0usize..4000, byte in any::<u8>()) {
            let _ = import_bpmn(&text);
            let _ = ProcessDefinition::from_json(&text);
            let _ = ProcessDefinition::from_toml(&text);
            let cut = cut.min(FIXTURE.len());
            if FIXTURE.is_char_boundary(cut) {
                let _ = import_bpmn(&FIXTURE[..cut]);
            }
            let mut bytes = FIXTURE.as_bytes().to_vec();
            let position = position.min(bytes.len() - 1);
            bytes[position] = byte;
            if let Ok(changed) = String::from_utf8(bytes)
                && let Ok(definition) = import_bpmn(&changed) {
                    let _ = zhengwu_workflow::Process::new(definition);
                }
        }
    }
}
