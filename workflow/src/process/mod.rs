//! The validated process: the entry type of this crate.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

use petgraph::Direction;
use petgraph::algo::dominators::simple_fast;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{EdgeRef, Reversed};
use zhengwu_core::Problems;

use crate::definition::{
    Assignee, CompletionPolicy, Flow, InstanceCount, Node, NodeKind, ProcessDefinition, TimerDuration, TriggerKind,
};
use crate::error::{Error, Result};

mod conditions;
mod graph;
mod routing;

use conditions::compile_condition;
pub(crate) use conditions::condition_source;
use graph::{bfs, bfs_within, fork_region, is_name, kind_name, label, unbalanced_problem};

/// 流程: a validated process graph. Constructing one checks every structural rule and lists every
/// problem; callers never see the graph library behind it.
///
/// ```
/// use zhengwu_core::{Decision, TimeLimit};
/// use zhengwu_workflow::{Error, Process, ProcessBuilder};
///
/// // A fork whose branches meet again at a task, not at a join.
/// let broken = ProcessBuilder::new("p1", "")
///     .start("start")
///     .fork("fork", TimeLimit::working_days(7))
///     .department_task("tax", "税务", "sw", TimeLimit::working_days(5))
///     .department_task("police", "公安", "ga", TimeLimit::working_days(5))
///     .department_task("summary", "汇总", "sj", TimeLimit::working_days(2))
///     .end("done", "准予", Decision::Granted)
///     .chain(&["start", "fork", "tax", "summary", "done"])
///     .chain(&["fork", "police", "summary"])
///     .build();
/// let Err(Error::InvalidProcess { problems, .. }) = Process::new(broken) else { panic!() };
/// assert_eq!(
///     problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
///     ["fork `fork`: its branches do not meet at a join (they next meet at `summary`, a task)"]
/// );
/// ```
#[derive(Debug, Clone)]
pub struct Process {
    definition: ProcessDefinition,
    graph: DiGraph<usize, usize>,
    index: FxHashMap<String, NodeIndex>,
    start: NodeIndex,
    joins: BTreeMap<String, String>,
    /// Per node strictly between a fork and its join: the innermost such fork.
    innermost: BTreeMap<String, String>,
    /// Per node (by graph index): its outgoing and incoming flows, by position, in definition order.
    out_flows: Vec<Vec<usize>>,
    in_flows: Vec<Vec<usize>>,
    conditions: HashMap<String, Arc<cel::Program>>,
    /// Per outgoing flow of an inclusive fork: the incoming flow of its join that branch ends in
    /// (a branch not taken is credited there at once).
    branch_ends: HashMap<String, String>,
    /// Per task: the boundary timers and events attached to it, in definition order.
    boundaries: BTreeMap<String, Vec<String>>,
    /// The nodes of open forks' branches (the forks too): forks whose branches end on their own
    /// rather than at a join. An end reached from one closes its branch; the case concludes at
    /// the end the last open branch reaches.
    open_nodes: BTreeSet<String>,
    /// The nodes of non-interrupting boundary timers' and events' paths (those too): an end
    /// reached from one closes the path, not the case.
    side_nodes: BTreeSet<String>,
}

/// The most instances a multi-instance step runs.
pub const MAX_INSTANCES: u32 = 1_000;

/// The longest a timer may wait: ten years.
pub(crate) const MAX_TIMER_DAYS: u32 = 3_650;

/// The weight of the graph edge from a task to its interrupting boundary timer (no flow).
const TIMER_EDGE: usize = usize::MAX;

impl Process {
    /// Validates a definition, listing every problem: duplicate or unknown ids, a missing or
    /// repeated start, nodes with the wrong number of flows, conditions without a default,
    /// conditions that do not parse, unreachable nodes, dead ends, forks whose branches do not
    /// meet at one join, branches that leave their fork, empty assignments.
    pub fn new(definition: ProcessDefinition) -> Result<Process> {
        let mut problems = Problems::default();
        let (nodes, flows) = (definition.nodes.len(), definition.flows.len());
        if nodes > zhengwu_core::MAX_PROCESS_NODES || flows > zhengwu_core::MAX_PROCESS_FLOWS {
            problems.push(
                format!("process `{}`", definition.id),
                format!(
                    "has {nodes} nodes and {flows} flows; at most {} nodes and {} flows are accepted",
                    zhengwu_core::MAX_PROCESS_NODES,
                    zhengwu_core::MAX_PROCESS_FLOWS
                ),
            );
            return Err(Error::InvalidProcess { process: definition.id.clone(), problems });
        }
        let mut graph = DiGraph::new();
        let mut index = FxHashMap::default();
        for (position, node) in definition.nodes.iter().enumerate() {
            if node.id.trim().is_empty() {
                problems.push(format!("node[{position}]"), "id is empty");
                continue;
            }
            if index.contains_key(&node.id) {
                problems.push(format!("node `{}`", node.id), "the id is used twice");
                continue;
            }
            index.insert(node.id.clone(), graph.add_node(position));
        }
        let mut flow_ids = BTreeSet::new();
        for (position, flow) in definition.flows.iter().enumerate() {
            if !flow_ids.insert(flow.id.as_str()) {
                problems.push(format!("flow `{}`", flow.id), "the id is used twice");
            }
            match (index.get(&flow.from), index.get(&flow.to)) {
                (Some(&from), Some(&to)) => {
                    graph.add_edge(from, to, position);
                }
                (from, to) => {
                    if from.is_none() {
                        problems.push(format!("flow `{}`", flow.id), format!("source `{}` is not a node", flow.from));
                    }
                    if to.is_none() {
                        problems.push(format!("flow `{}`", flow.id), format!("target `{}` is not a node", flow.to));
                    }
                }
            }
        }
        let node = |n: NodeIndex| &definition.nodes[graph[n]];
        let starts: Vec<NodeIndex> =
            graph.node_indices().filter(|&n| matches!(node(n).kind, NodeKind::Start)).collect();
        if starts.len() != 1 {
            problems
                .push(format!("process `{}`", definition.id), format!("has {} start nodes, expected 1", starts.len()));
        }
        if !graph.node_indices().any(|n| matches!(node(n).kind, NodeKind::End { .. })) {
            problems.push(format!("process `{}`", definition.id), "has no end node");
        }

        // Flows per kind of node, assignments and conditions.
        let mut conditions = HashMap::new();
        for n in graph.node_indices() {
            let current = node(n);
            let at = label(&current.kind, &current.id);
            let incoming = graph.edges_directed(n, Direction::Incoming).count();
            let mut positions: Vec<usize> = graph.edges_directed(n, Direction::Outgoing).map(|e| *e.weight()).collect();
            positions.sort_unstable();
            let outgoing: Vec<&Flow> = positions.into_iter().map(|p| &definition.flows[p]).collect();
            let mut expect = |what: &str, ok: bool, count: usize| {
                if !ok {
                    problems.push(&at, format!("has {count} {what} flows"));
                }
            };
            match &current.kind {
                NodeKind::Start => {
                    expect("incoming", incoming == 0, incoming);
                    expect("outgoing", outgoing.len() == 1, outgoing.len());
                }
                NodeKind::End { .. } => expect("outgoing", outgoing.is_empty(), outgoing.len()),
                NodeKind::Task { assignee, limit, countersign, instances, .. } => {
                    if outgoing.len() != 1 {
                        problems.push(
                            &at,
                            format!(
                                "has {} outgoing flows; a task has exactly one (use a gateway to branch)",
                                outgoing.len()
                            ),
                        );
                    }
                    match assignee {
                        Assignee::Officials(officials) if officials.is_empty() => {
                            problems.push(&at, "is assigned to an empty list of officials");
                        }
                        Assignee::Department(department) if department.as_str().trim().is_empty() => {
                            problems.push(&at, "is assigned to an empty department id");
                        }
                        Assignee::Candidates { officials, groups } if officials.is_empty() || groups.is_empty() => {
                            problems.push(&at, "is assigned to candidates without officials or without groups");
                        }
                        Assignee::Groups(groups) if groups.is_empty() || groups.iter().any(|g| g.trim().is_empty()) => {
                            problems.push(&at, "is assigned to an empty candidate group");
                        }
                        Assignee::Variable(name) if !is_name(name) => {
                            problems.push(&at, format!("is assigned to the variable `{name}`, which is not a name"));
                        }
                        _ => {}
                    }
                    if limit.is_some_and(|l| l.days == 0) {
                        problems.push(&at, "has a step limit of 0 days");
                    }
                    if let Some(countersign) = countersign
                        && let CompletionPolicy::Ratio(ratio) = countersign.policy
                        && !(ratio > 0.0 && ratio <= 1.0)
                    {
                        problems.push(&at, format!("countersign ratio {ratio} is outside (0, 1]"));
                    }
                    if let Some(instances) = instances {
                        if countersign.is_some() {
                            problems.push(&at, "is both a countersign and a multi-instance step; draw one of them");
                        }
                        match &instances.count {
                            InstanceCount::Fixed(n) if !(1..=MAX_INSTANCES).contains(n) => {
                                problems.push(&at, format!("runs {n} instances; from 1 to {MAX_INSTANCES} are run"))
                            }
                            InstanceCount::Variable(name) if !is_name(name) => {
                                problems.push(
                                    &at,
                                    format!("counts its instances by the variable `{name}`, which is not a name"),
                                );
                            }
                            _ => {}
                        }
                        match instances.policy {
                            CompletionPolicy::Veto => problems.push(
                                &at,
                                "completes its instances by 一票否决, which needs votes; instances are completed, \
                                 not voted on",
                            ),
                            CompletionPolicy::Ratio(ratio) if !(ratio > 0.0 && ratio <= 1.0) => {
                                problems.push(&at, format!("instance ratio {ratio} is outside (0, 1]"))
                            }
                            _ => {}
                        }
                    }
                }
                NodeKind::Fork { branch_limit, inclusive, default } => {
                    expect("incoming", incoming == 1, incoming);
                    if let Some(default) = default
                        && !outgoing.iter().any(|f| &f.id == default)
                    {
                        problems.push(&at, format!("default flow `{default}` is not one of its outgoing flows"));
                    }
                    if *inclusive {
                        for flow in &outgoing {
                            if let Some(condition) = &flow.condition {
                                compile_condition(flow, condition, &mut conditions, &mut problems);
                            }
                        }
                    }
                    if outgoing.len() < 2 {
                        problems.push(
                            &at,
                            format!("has {} outgoing flows; a fork starts at least 2 branches", outgoing.len()),
                        );
                    }
                    if branch_limit.days == 0 {
                        problems.push(&at, "has a branch limit of 0 days");
                    }
                }
                NodeKind::Join => {
                    expect("outgoing", outgoing.len() == 1, outgoing.len());
                    if incoming < 2 {
                        problems
                            .push(&at, format!("has {incoming} incoming flows; a join gathers at least 2 branches"));
                    }
                }
                NodeKind::Merge => expect("outgoing", outgoing.len() == 1, outgoing.len()),
                NodeKind::Timer { attached_to, after, interrupting } => {
                    expect("outgoing", outgoing.len() == 1, outgoing.len());
                    match attached_to {
                        Some(task) => {
                            if incoming != 0 {
                                problems.push(&at, format!("has {incoming} incoming flows; a boundary timer has none"));
                            }
                            let watched = index.get(task).map(|&t| &node(t).kind);
                            if !matches!(watched, Some(NodeKind::Task { .. })) {
                                problems.push(&at, format!("is attached to `{task}`, which is not a task"));
                            }
                        }
                        None => {
                            expect("incoming", incoming >= 1, incoming);
                            if !interrupting {
                                problems.push(&at, "is not attached to a task, so it cannot leave one open");
                            }
                        }
                    }
                    match after {
                        TimerDuration::Seconds(0) | TimerDuration::WorkingDays(0) => problems.push(&at, "waits 0"),
                        TimerDuration::Seconds(seconds) if *seconds > u64::from(MAX_TIMER_DAYS) * 86_400 => {
                            problems.push(&at, format!("waits more than {MAX_TIMER_DAYS} days"))
                        }
                        TimerDuration::WorkingDays(days) if *days > MAX_TIMER_DAYS => {
                            problems.push(&at, format!("waits more than {MAX_TIMER_DAYS} days"))
                        }
                        TimerDuration::AtVariable(name) if !is_name(name) => problems
                            .push(&at, format!("waits for the time in the variable `{name}`, which is not a name")),
                        _ => {}
                    }
                }
                NodeKind::EventStart { trigger, interrupting } => {
                    expect("incoming", incoming == 0, incoming);
                    expect("outgoing", outgoing.len() == 1, outgoing.len());
                    if trigger.kind == TriggerKind::Error && !interrupting {
                        problems.push(&at, "catches an error, which always interrupts: it cannot leave the steps open");
                    }
                    if trigger.name.as_ref().is_some_and(|n| n.trim().is_empty()) {
                        problems.push(&at, format!("waits for a {} with an empty name", trigger.kind.element()));
                    }
                }
                NodeKind::Boundary { attached_to, trigger, interrupting } => {
                    expect("outgoing", outgoing.len() == 1, outgoing.len());
                    if incoming != 0 {
                        problems.push(&at, format!("has {incoming} incoming flows; a boundary event has none"));
                    }
                    if !matches!(index.get(attached_to).map(|&t| &node(t).kind), Some(NodeKind::Task { .. })) {
                        problems.push(&at, format!("is attached to `{attached_to}`, which is not a task"));
                    }
                    if trigger.kind == TriggerKind::Error && !interrupting {
                        problems.push(&at, "catches an error, which always ends the step: it cannot leave it open");
                    }
                    if trigger.name.as_ref().is_some_and(|n| n.trim().is_empty()) {
                        problems.push(&at, format!("waits for a {} with an empty name", trigger.kind.element()));
                    }
                }
                NodeKind::Exclusive { default } => {
                    if outgoing.len() < 2 {
                        problems.push(
                            &at,
                            format!("has {} outgoing flows; a branch chooses between at least 2", outgoing.len()),
                        );
                    }
                    // Without a default, a case whose data meets no condition is refused when it
                    // gets there (BPMN: no flow can be taken), not the model.
                    match default {
                        None => {}
                        Some(default) if !outgoing.iter().any(|f| &f.id == default) => {
                            problems.push(&at, format!("default flow `{default}` is not one of its outgoing flows"));
                        }
                        Some(_) => {}
                    }
                    for flow in &outgoing {
                        let is_default = default.as_deref() == Some(flow.id.as_str());
                        match &flow.condition {
                            None if !is_default => {
                                problems
                                    .push(&at, format!("flow `{}` has no condition and is not the default", flow.id));
                            }
                            Some(condition) => compile_condition(flow, condition, &mut conditions, &mut problems),
                            None => {}
                        }
                    }
                }
            }
            if !matches!(current.kind, NodeKind::Exclusive { .. } | NodeKind::Fork { inclusive: true, .. }) {
                for flow in outgoing.iter().filter(|f| f.condition.is_some()) {
                    problems.push(
                        format!("flow `{}`", flow.id),
                        format!(
                            "has a condition but leaves {at}; only flows out of an exclusive branch or an inclusive fork \
                             are conditional"
                        ),
                    );
                }
            }
        }

        // Boundary timers and events: an interrupting one continues the task's token (an edge from
        // the task), a non-interrupting one starts a path of its own, which must end on its own:
        // its ends close that path, not the case.
        let mut boundaries: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut side_roots = Vec::new();
        let mut interrupting_edges = Vec::new();
        for n in graph.node_indices() {
            let (task, interrupting) = match &node(n).kind {
                NodeKind::Timer { attached_to: Some(task), interrupting, .. }
                | NodeKind::Boundary { attached_to: task, interrupting, .. } => (task, interrupting),
                _ => continue,
            };
            if let Some(&t) = index.get(task) {
                boundaries.entry(task.clone()).or_default().push(node(n).id.clone());
                if *interrupting {
                    interrupting_edges.push((t, n));
                } else {
                    side_roots.push((t, n));
                }
            }
        }
        for (task, timer) in interrupting_edges {
            graph.add_edge(task, timer, TIMER_EDGE);
        }
        let node = |n: NodeIndex| &definition.nodes[graph[n]];
        let event_starts: Vec<NodeIndex> =
            graph.node_indices().filter(|&n| matches!(node(n).kind, NodeKind::EventStart { .. })).collect();
        // Reachability: from the start, and to an end.
        let start = starts.first().copied();
        let mut side_nodes = BTreeSet::new();
        if let Some(start) = start {
            let mut main = bfs(&graph, [start], Direction::Outgoing);
            // An interrupting event start's path replaces the process's: it may end where the
            // process does, but not run into its steps.
            for &event in &event_starts {
                let NodeKind::EventStart { interrupting: true, .. } = node(event).kind else { continue };
                let path = bfs(&graph, [event], Direction::Outgoing);
                if let Some(&shared) =
                    path.iter().find(|&&n| main.contains(&n) && !matches!(node(n).kind, NodeKind::End { .. }))
                {
                    problems.push(
                        label(&node(event).kind, &node(event).id),
                        format!(
                            "its path joins the process at `{}`; an event subprocess's path is its own",
                            node(shared).id
                        ),
                    );
                }
                main.extend(path);
            }
            let mut roots: Vec<NodeIndex> =
                side_roots.iter().filter(|(task, _)| main.contains(task)).map(|&(_, timer)| timer).collect();
            roots.extend(
                event_starts
                    .iter()
                    .copied()
                    .filter(|&n| matches!(node(n).kind, NodeKind::EventStart { interrupting: false, .. })),
            );
            let side = bfs(&graph, roots.iter().copied(), Direction::Outgoing);
            for &timer in &roots {
                let path = bfs(&graph, [timer], Direction::Outgoing);
                // The path may end at an end the process also reaches (the token is consumed
                // there); it may not run into the process's steps.
                if let Some(&shared) =
                    path.iter().find(|&&n| main.contains(&n) && !matches!(node(n).kind, NodeKind::End { .. }))
                {
                    problems.push(
                        label(&node(timer).kind, &node(timer).id),
                        format!(
                            "leaves the steps open, and its path joins the process at `{}`; a non-interrupting \
                             event's path must end on its own",
                            node(shared).id
                        ),
                    );
                }
            }
            side_nodes = side
                .iter()
                .filter(|&&n| !matches!(node(n).kind, NodeKind::End { .. }))
                .map(|&n| node(n).id.clone())
                .collect();
            for n in graph.node_indices().filter(|n| !main.contains(n) && !side.contains(n)) {
                problems.push(label(&node(n).kind, &node(n).id), "cannot be reached from the start");
            }
        }
        let ends: Vec<NodeIndex> =
            graph.node_indices().filter(|&n| matches!(node(n).kind, NodeKind::End { .. })).collect();
        let finishing = bfs(&graph, ends.iter().copied(), Direction::Incoming);
        for n in graph.node_indices().filter(|n| !finishing.contains(n)) {
            problems.push(label(&node(n).kind, &node(n).id), "is a dead end: no end can be reached from it");
        }

        // Every fork's branches meet at one join (its immediate post-dominator) or end on their own
        // (an open fork: they meet only past the ends), no branch leaves
        // the fork's region, and every join belongs to exactly one fork.
        let mut joins = BTreeMap::new();
        let mut innermost = BTreeMap::new();
        let mut branch_ends = HashMap::new();
        let mut open_nodes = BTreeSet::new();
        if problems.is_empty() {
            let mut with_sink = graph.clone();
            let sink = with_sink.add_node(usize::MAX);
            for &end in &ends {
                with_sink.add_edge(end, sink, usize::MAX);
            }
            let post = simple_fast(Reversed(&with_sink), sink);
            let forks: Vec<NodeIndex> =
                graph.node_indices().filter(|&n| matches!(node(n).kind, NodeKind::Fork { .. })).collect();
            // Each fork's meeting point first, so that a fork's region can step over the forks
            // nested in it (from a nested fork straight to its join): every node is then walked
            // once, by its innermost fork, and the work stays linear in the process however
            // deeply forks nest.
            let mut meets: FxHashMap<NodeIndex, NodeIndex> = FxHashMap::default();
            // Forks whose branches end on their own (BPMN: the case ends when the last does).
            let mut open_forks = Vec::new();
            for &fork in &forks {
                let at = format!("fork `{}`", node(fork).id);
                let Some(meet) = post
                    .immediate_dominator(fork)
                    .filter(|&m| m != sink && !matches!(node(m).kind, NodeKind::End { .. }))
                else {
                    open_forks.push(fork);
                    continue;
                };
                if !matches!(node(meet).kind, NodeKind::Join) {
                    problems.push(
                        &at,
                        format!(
                            "its branches do not meet at a join (they next meet at `{}`, a {})",
                            node(meet).id,
                            kind_name(&node(meet).kind)
                        ),
                    );
                    continue;
                }
                meets.insert(fork, meet);
            }
            let mut matched: BTreeMap<NodeIndex, Vec<NodeIndex>> = BTreeMap::new();
            for &fork in &forks {
                let Some(&meet) = meets.get(&fork) else { continue };
                let at = format!("fork `{}`", node(fork).id);
                // The region between the fork and its join must be closed; forks nested in it
                // are stepped over to their joins (their own regions are theirs).
                let (region, back) = fork_region(&graph, fork, Some(meet), &meets);
                if let Some(n) = back {
                    problems.push(&at, format!("`{}` inside its branches flows back to the fork", node(n).id));
                }
                let branches = graph.neighbors(fork).count();
                let arriving = graph
                    .edges_directed(meet, Direction::Incoming)
                    .filter(|e| region.contains(&e.source()) || e.source() == fork)
                    .count();
                let total_in = graph.edges_directed(meet, Direction::Incoming).count();
                if arriving != total_in {
                    problems.push(
                        format!("join `{}`", node(meet).id),
                        format!("gathers flows from outside the branches of fork `{}`", node(fork).id),
                    );
                } else if total_in != branches {
                    // Unbalanced (Flowable's `testUnbalancedForkJoin`): some branches meet at
                    // joins of their own before this one. Sound when the branches hold only
                    // steps, parallel forks and joins, without cycles: every flow then carries
                    // one token and every join fires once.
                    let is_meet = |n: &NodeIndex| meets.values().any(|m| m == n);
                    let internal: Vec<NodeIndex> = region
                        .iter()
                        .copied()
                        .filter(|n| matches!(node(*n).kind, NodeKind::Join) && !is_meet(n))
                        .collect();
                    match unbalanced_problem(&graph, fork, &region, &meets, &boundaries, &node) {
                        None if !matches!(node(fork).kind, NodeKind::Fork { inclusive: true, .. }) => {
                            for join in internal {
                                matched.entry(join).or_default().push(fork);
                            }
                        }
                        problem => problems.push(
                            format!("join `{}`", node(meet).id),
                            format!(
                                "has {total_in} incoming flows but fork `{}` starts {branches} branches; {}",
                                node(fork).id,
                                problem.unwrap_or_else(|| "an inclusive fork's branches meet at its join".to_owned())
                            ),
                        ),
                    }
                }
                if matches!(node(fork).kind, NodeKind::Fork { inclusive: true, .. }) {
                    // Each branch ends in one incoming flow of the join (checked above: as many
                    // incoming flows as branches, all from inside): the one it reaches.
                    for branch in graph.edges_directed(fork, Direction::Outgoing) {
                        let reached = if branch.target() == meet {
                            vec![*branch.weight()]
                        } else {
                            let inside = bfs_within(&graph, branch.target(), meet, &meets);
                            graph
                                .edges_directed(meet, Direction::Incoming)
                                .filter(|e| inside.contains(&e.source()))
                                .map(|e| *e.weight())
                                .collect()
                        };
                        let flow = &definition.flows[*branch.weight()];
                        match reached.as_slice() {
                            [end] => {
                                branch_ends.insert(flow.id.clone(), definition.flows[*end].id.clone());
                            }
                            _ => problems.push(
                                format!("fork `{}`", node(fork).id),
                                format!(
                                    "branch `{}` reaches the join by {} flows; an inclusive fork's branch reaches \
                                     it by one",
                                    flow.id,
                                    reached.len()
                                ),
                            ),
                        }
                    }
                }
                matched.entry(meet).or_default().push(fork);
                joins.insert(node(fork).id.clone(), node(meet).id.clone());
                for &n in &region {
                    innermost.insert(node(n).id.clone(), node(fork).id.clone());
                }
            }
            // An open fork's branches are everything after it (stepping over the forks nested in
            // them to their joins); the innermost fork of a node is the smallest region it is in.
            let mut regions: Vec<(NodeIndex, FxHashSet<NodeIndex>)> = Vec::new();
            for &fork in &open_forks {
                let (region, back) = fork_region(&graph, fork, None, &meets);
                if let Some(n) = back {
                    problems.push(
                        format!("fork `{}`", node(fork).id),
                        format!("`{}` inside its branches flows back to the fork", node(n).id),
                    );
                }
                regions.push((fork, region));
            }
            regions.sort_by_key(|(_, region)| region.len());
            for (fork, region) in &regions {
                open_nodes.insert(node(*fork).id.clone());
                for &n in region {
                    open_nodes.insert(node(n).id.clone());
                    innermost.entry(node(n).id.clone()).or_insert_with(|| node(*fork).id.clone());
                }
            }
            for join in graph.node_indices().filter(|&n| matches!(node(n).kind, NodeKind::Join)) {
                match matched.get(&join).map(Vec::len) {
                    None | Some(0) => match regions.iter().find(|(_, region)| region.contains(&join)) {
                        Some((fork, _)) => problems.push(
                            format!("join `{}`", node(join).id),
                            format!("matches no fork: not every branch of fork `{}` reaches it", node(*fork).id),
                        ),
                        None => problems.push(format!("join `{}`", node(join).id), "matches no fork"),
                    },
                    Some(1) => {}
                    Some(count) => {
                        problems.push(format!("join `{}`", node(join).id), format!("is the join of {count} forks"))
                    }
                }
            }
        }
        if !problems.is_empty() {
            return Err(Error::InvalidProcess { process: definition.id.clone(), problems });
        }
        let start = start.expect("checked: one start");
        let flows_of = |direction: Direction| -> Vec<Vec<usize>> {
            graph
                .node_indices()
                .map(|n| {
                    let mut positions: Vec<usize> = graph
                        .edges_directed(n, direction)
                        .map(|e| *e.weight())
                        .filter(|&position| position != TIMER_EDGE)
                        .collect();
                    positions.sort_unstable();
                    positions
                })
                .collect()
        };
        let (out_flows, in_flows) = (flows_of(Direction::Outgoing), flows_of(Direction::Incoming));
        Ok(Process {
            definition,
            graph,
            index,
            start,
            joins,
            innermost,
            out_flows,
            in_flows,
            conditions,
            branch_ends,
            boundaries,
            side_nodes,
            open_nodes,
        })
    }

    /// The process id.
    pub fn id(&self) -> &str {
        &self.definition.id
    }

    /// The process name.
    pub fn name(&self) -> &str {
        &self.definition.name
    }

    /// The definition it was built from.
    pub fn definition(&self) -> &ProcessDefinition {
        &self.definition
    }

    /// A node by id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.index.get(id).map(|&n| &self.definition.nodes[self.graph[n]])
    }

    /// The start node.
    pub fn start(&self) -> &Node {
        &self.definition.nodes[self.graph[self.start]]
    }

    /// The tasks, in definition order.
    pub fn tasks(&self) -> impl Iterator<Item = &Node> {
        self.definition.nodes.iter().filter(|n| matches!(n.kind, NodeKind::Task { .. }))
    }

    /// The flows leaving a node, in definition order.
    pub fn outgoing(&self, id: &str) -> Vec<&Flow> {
        self.index
            .get(id)
            .map(|n| self.out_flows[n.index()].iter().map(|&p| &self.definition.flows[p]).collect())
            .unwrap_or_default()
    }

    /// The flows leaving a node, without collecting them.
    pub(crate) fn outgoing_iter<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Flow> + 'a {
        let positions: &'a [usize] = self.index.get(id).map_or(&[], |n| self.out_flows[n.index()].as_slice());
        positions.iter().map(|&p| &self.definition.flows[p])
    }

    /// The flows entering a node, in definition order.
    pub fn incoming(&self, id: &str) -> Vec<&Flow> {
        self.index
            .get(id)
            .map(|n| self.in_flows[n.index()].iter().map(|&p| &self.definition.flows[p]).collect())
            .unwrap_or_default()
    }

    /// How many flows enter a node.
    pub fn incoming_count(&self, id: &str) -> usize {
        self.index.get(id).map_or(0, |n| self.in_flows[n.index()].len())
    }

    /// The ids of the nodes downstream of `id` (reachable by one or more flows).
    pub fn downstream_of(&self, id: &str) -> BTreeSet<String> {
        let Some(&n) = self.index.get(id) else { return BTreeSet::new() };
        bfs(&self.graph, self.graph.neighbors(n), Direction::Outgoing)
            .into_iter()
            .map(|m| self.definition.nodes[self.graph[m]].id.clone())
            .collect()
    }

    /// The innermost fork whose branches contain `step` (the branch it belongs to).
    pub fn fork_of(&self, step: &str) -> Option<&str> {
        self.innermost.get(step).map(String::as_str)
    }

    /// The join where a fork's branches meet.
    pub fn join_of(&self, fork: &str) -> Option<&str> {
        self.joins.get(fork).map(String::as_str)
    }

    /// The nodes before `id` on some path from the start (candidates for 退回), in definition
    /// order.
    pub fn predecessors_of(&self, id: &str) -> Vec<&Node> {
        let Some(&n) = self.index.get(id) else { return Vec::new() };
        let before = bfs(&self.graph, self.graph.neighbors_directed(n, Direction::Incoming), Direction::Incoming);
        let mut nodes: Vec<(usize, &Node)> =
            before.into_iter().map(|m| (self.graph[m], &self.definition.nodes[self.graph[m]])).collect();
        nodes.sort_by_key(|(position, _)| *position);
        nodes.into_iter().map(|(_, node)| node).collect()
    }
}

impl Process {
    /// The event starts (event subprocesses) the case waits for while it runs, in definition order.
    pub fn event_starts(&self) -> impl Iterator<Item = &Node> {
        self.definition.nodes.iter().filter(|n| matches!(n.kind, NodeKind::EventStart { .. }))
    }

    /// The boundary timers and events attached to a task, in definition order.
    pub fn boundary_events_of(&self, task: &str) -> &[String] {
        self.boundaries.get(task).map_or(&[], Vec::as_slice)
    }

    /// Whether a node is an open fork or in its branches (which end on their own, not at a
    /// join): an end reached from it closes its branch, and concludes the case only when no
    /// other branch is open.
    pub fn in_open_branch(&self, node: &str) -> bool {
        self.open_nodes.contains(node)
    }

    /// Whether a node lies on a non-interrupting boundary timer's or event's path (that one
    /// included): an end reached from it closes that path, not the case.
    pub fn in_side_path(&self, node: &str) -> bool {
        self.side_nodes.contains(node)
    }

    /// The incoming flow of its join that an inclusive fork's branch (its first flow) ends in.
    pub fn branch_end(&self, branch: &str) -> Option<&str> {
        self.branch_ends.get(branch).map(String::as_str)
    }
}
