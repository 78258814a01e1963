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
