//! Walks over the process graph.

use std::collections::{BTreeSet, VecDeque};

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::definition::NodeKind;

pub(super) fn kind_name(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::Start => "start",
        NodeKind::Task { .. } => "task",
        NodeKind::Fork { .. } => "fork",
        NodeKind::Join => "join",
        NodeKind::Exclusive { .. } => "exclusive",
        NodeKind::Merge => "merge",
        NodeKind::End { .. } => "end",
        NodeKind::Timer { attached_to: Some(_), .. } => "boundary timer",
        NodeKind::Timer { .. } => "intermediate timer",
        NodeKind::Boundary { .. } => "boundary event",
        NodeKind::EventStart { .. } => "event start",
    }
}

/// How a problem names a node: `task `review``; events, which have no short kind of their own,
/// as `node `late` (boundary timer)`.
pub(super) fn label(kind: &NodeKind, id: &str) -> String {
    match kind {
        NodeKind::Timer { .. } | NodeKind::Boundary { .. } | NodeKind::EventStart { .. } => {
            format!("node `{id}` ({})", kind_name(kind))
        }
        _ => format!("{} `{id}`", kind_name(kind)),
    }
}

/// Whether a case variable's name is a name: letters, digits and `_`, not starting with a digit.
pub(super) fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

pub(super) fn bfs(
    graph: &DiGraph<usize, usize>,
    from: impl IntoIterator<Item = NodeIndex>,
    direction: Direction,
) -> BTreeSet<NodeIndex> {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<NodeIndex> = from.into_iter().collect();
    while let Some(n) = queue.pop_front() {
        if seen.insert(n) {
            queue.extend(graph.neighbors_directed(n, direction));
        }
    }
    seen
}

/// The nodes reachable from `from` without passing `stop`, stepping over nested forks to their
/// joins (`meets`): one branch of a fork, up to its join.
pub(super) fn bfs_within(
    graph: &DiGraph<usize, usize>,
    from: NodeIndex,
    stop: NodeIndex,
    meets: &FxHashMap<NodeIndex, NodeIndex>,
) -> FxHashSet<NodeIndex> {
    let mut seen = FxHashSet::default();
    let mut queue = VecDeque::from([from]);
    while let Some(n) = queue.pop_front() {
        if n == stop || !seen.insert(n) {
            continue;
        }
        match meets.get(&n) {
            Some(&join) => queue.push_back(join),
            None => queue.extend(graph.neighbors(n)),
        }
    }
    seen
}

/// The branches of a fork: everything after it up to its join (`meet`; for an open fork, whose
/// branches end on their own, everything after it), stepping over the forks nested in them to
/// their joins (their own regions are theirs); and a node in them that flows back to the fork,
/// if one does.
pub(super) fn fork_region(
    graph: &DiGraph<usize, usize>,
    fork: NodeIndex,
    meet: Option<NodeIndex>,
    meets: &FxHashMap<NodeIndex, NodeIndex>,
) -> (FxHashSet<NodeIndex>, Option<NodeIndex>) {
    let mut region = FxHashSet::default();
    let mut back = None;
    let mut queue: VecDeque<NodeIndex> = graph.neighbors(fork).collect();
    while let Some(n) = queue.pop_front() {
        if Some(n) == meet || !region.insert(n) {
            continue;
        }
        if let Some(&inner) = meets.get(&n) {
            queue.push_back(inner);
            continue;
        }
        for next in graph.neighbors(n) {
            if next == fork {
                back.get_or_insert(n);
            } else {
                queue.push_back(next);
            }
        }
    }
    (region, back)
}

/// Why a fork's branches, which meet at its join by fewer flows than it has branches, are not
/// sound without a join per fork: a choice in them (the join cannot count on every branch), a
/// boundary event on a step, or a cycle. `None` when they hold only steps, parallel forks and
/// joins that gather only flows from the branches, without cycles.
pub(super) fn unbalanced_problem<'a>(
    graph: &DiGraph<usize, usize>,
    fork: NodeIndex,
    region: &FxHashSet<NodeIndex>,
    meets: &FxHashMap<NodeIndex, NodeIndex>,
    boundaries: &std::collections::BTreeMap<String, Vec<String>>,
    node: &impl Fn(NodeIndex) -> &'a crate::definition::Node,
) -> Option<String> {
    for &n in region {
        let current = node(n);
        match &current.kind {
            NodeKind::Exclusive { .. } | NodeKind::Merge | NodeKind::Fork { inclusive: true, .. } => {
                return Some("merge exclusive paths before the join".to_owned());
            }
            NodeKind::Task { .. } if boundaries.contains_key(&current.id) => {
                return Some(format!(
                    "step `{}` in its branches has boundary events, so the join cannot count on every branch; \
                     draw a join for each fork",
                    current.id
                ));
            }
            NodeKind::Join if !meets.values().any(|m| *m == n) => {
                if let Some(outside) = graph
                    .neighbors_directed(n, Direction::Incoming)
                    .find(|source| *source != fork && !region.contains(source))
                {
                    return Some(format!(
                        "join `{}` gathers `{}` from outside its branches",
                        current.id,
                        node(outside).id
                    ));
                }
            }
            _ => {}
        }
    }
    // Cycles: Kahn's order over the branches (a nested fork stands for everything to its join).
    let successors = |n: NodeIndex| -> Vec<NodeIndex> {
        match meets.get(&n) {
            Some(&join) => vec![join],
            None => graph.neighbors(n).filter(|m| region.contains(m)).collect(),
        }
    };
    let mut incoming: FxHashMap<NodeIndex, usize> = region.iter().map(|&n| (n, 0)).collect();
    for &n in region {
        for m in successors(n) {
            if let Some(count) = incoming.get_mut(&m) {
                *count += 1;
            }
        }
    }
    let mut ready: Vec<NodeIndex> = incoming.iter().filter(|(_, c)| **c == 0).map(|(&n, _)| n).collect();
    let mut ordered = 0;
    while let Some(n) = ready.pop() {
        ordered += 1;
        for m in successors(n) {
            if let Some(count) = incoming.get_mut(&m) {
                *count -= 1;
                if *count == 0 {
                    ready.push(m);
                }
            }
        }
    }
    (ordered != region.len()).then(|| "its branches loop, so the join cannot count on every branch".to_owned())
}
