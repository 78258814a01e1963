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
