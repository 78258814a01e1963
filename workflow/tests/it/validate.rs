//! Building and validating process definitions.

use zhengwu_core::{Decision, Role, TimeLimit};
use zhengwu_workflow::{
    Assignee, CompletionPolicy, Error, NodeKind, Process, ProcessBuilder, ProcessDefinition, SigningOrder,
};

/// 企业开办: 市场监管 accepts and registers; 税务, 公安 and 人社 in parallel; one window delivers.
pub(crate) fn establish_enterprise() -> ProcessDefinition {
    ProcessBuilder::new("establish-enterprise", "企业开办并联审批")
        .start("start")
        .task("accept", "综合窗口受理", Assignee::Role(Role::WindowClerk))
        .department_task("register", "市场监管登记", "scjg", TimeLimit::working_days(3))
        .fork("fork", TimeLimit::working_days(2))
        .department_task("tax", "税务发票申领", "sw", TimeLimit::working_days(2))
        .department_task("seal", "公安刻章备案", "ga", TimeLimit::working_days(1))
        .department_task("insurance", "人社社保登记", "rs", TimeLimit::working_days(2))
        .join("join")
        .task("deliver", "统一出件", Assignee::Role(Role::WindowClerk))
        .end("granted", "办结", Decision::Granted)
        .chain(&["start", "accept", "register", "fork"])
        .chain(&["fork", "tax", "join"])
        .chain(&["fork", "seal", "join"])
        .chain(&["fork", "insurance", "join"])
        .chain(&["join", "deliver", "granted"])
        .build()
}

fn problems(definition: ProcessDefinition) -> Vec<String> {
    match Process::new(definition) {
        Err(Error::InvalidProcess { problems, .. }) => problems.iter().map(ToString::to_string).collect(),
        other => panic!("expected an invalid process, got {other:?}"),
    }
}

#[test]
fn the_enterprise_establishment_process_is_valid() {
    let process = Process::new(establish_enterprise()).unwrap();
    assert_eq!(process.join_of("fork"), Some("join"));
    assert_eq!(process.tasks().count(), 6);
    let before: Vec<&str> = process.predecessors_of("tax").iter().map(|n| n.id.as_str()).collect();
    assert_eq!(before, ["start", "accept", "register", "fork"]);
    assert!(
        matches!(process.node("fork").unwrap().kind, NodeKind::Fork { branch_limit, .. } if branch_limit.days == 2)
    );
}

#[test]
fn every_problem_is_listed() {
    let broken = ProcessBuilder::new("broken", "")
        .start("start")
        .task("a", "甲", Assignee::Role(Role::Handler))
        .task("a", "甲又一次", Assignee::Role(Role::Handler))
        .task("orphan", "孤立", Assignee::Officials(vec![]))
        .exclusive("choose", None)
        .task("loop", "循环", Assignee::Role(Role::Handler))
        .end("end", "准予", Decision::Granted)
        .chain(&["start", "a", "choose"])
        .flow("yes", "choose", "end", Some("score >"))
        .flow("no", "choose", "loop", None)
        .flow("loop-back", "loop", "loop2", None)
        .build();
    let found = problems(broken);
    let parse = found.iter().position(|p| p.starts_with("flow `yes`: condition")).expect("the parse error");
    assert!(
        found[parse].starts_with("flow `yes`: condition `score >` does not parse: ERROR: <input>:1:8: Syntax error"),
        "{}",
        found[parse]
    );
    let mut rest = found.clone();
    rest.remove(parse);
    assert_eq!(
        rest,
        [
            "node `a`: the id is used twice",
            "flow `loop-back`: target `loop2` is not a node",
            "task `orphan`: has 0 outgoing flows; a task has exactly one (use a gateway to branch)",
            "task `orphan`: is assigned to an empty list of officials",
            "exclusive `choose`: flow `no` has no condition and is not the default",
            "task `loop`: has 0 outgoing flows; a task has exactly one (use a gateway to branch)",
            "task `orphan`: cannot be reached from the start",
            "task `orphan`: is a dead end: no end can be reached from it",
            "task `loop`: is a dead end: no end can be reached from it",
        ]
    );
}

#[test]
fn forks_must_meet_at_one_join() {
    // A branch that skips the join and goes straight to the end.
    let escaping = ProcessBuilder::new("p", "")
        .start("start")
        .fork("fork", TimeLimit::working_days(7))
        .task("a", "甲", Assignee::Role(Role::Handler))
        .task("b", "乙", Assignee::Role(Role::Handler))
        .exclusive("x", Some("to-join"))
        .join("join")
        .end("end", "准予", Decision::Granted)
        .chain(&["start", "fork", "a", "join"])
        .chain(&["fork", "b", "x"])
        .flow("to-join", "x", "join", None)
        .flow("escape", "x", "end", Some("urgent"))
        .chain(&["join", "end"])
        .build();
    assert_eq!(problems(escaping), ["join `join`: matches no fork: not every branch of fork `fork` reaches it"]);
    // A join waiting for more flows than the fork starts.
    let uneven = ProcessBuilder::new("p", "")
        .start("start")
        .fork("fork", TimeLimit::working_days(7))
        .task("a", "甲", Assignee::Role(Role::Handler))
        .exclusive("x", Some("x1"))
        .join("join")
        .end("end", "准予", Decision::Granted)
        .chain(&["start", "fork", "a", "join"])
        .chain(&["fork", "x"])
        .flow("x1", "x", "join", None)
        .flow("x2", "x", "join", Some("big"))
        .chain(&["join", "end"])
        .build();
    assert_eq!(
        problems(uneven),
        ["join `join`: has 3 incoming flows but fork `fork` starts 2 branches; merge exclusive paths before the join"]
    );
    // Nested forks are fine.
    let nested = ProcessBuilder::new("p", "")
        .start("start")
        .fork("outer", TimeLimit::working_days(7))
        .task("a", "甲", Assignee::Role(Role::Handler))
        .fork("inner", TimeLimit::working_days(3))
        .task("b", "乙", Assignee::Role(Role::Handler))
        .task("c", "丙", Assignee::Role(Role::Handler))
        .join("inner-join")
        .join("outer-join")
        .end("end", "准予", Decision::Granted)
        .chain(&["start", "outer", "a", "outer-join"])
        .chain(&["outer", "inner", "b", "inner-join", "outer-join"])
        .chain(&["inner", "c", "inner-join"])
        .chain(&["outer-join", "end"])
        .build();
    let process = Process::new(nested).unwrap();
    assert_eq!((process.join_of("outer"), process.join_of("inner")), (Some("outer-join"), Some("inner-join")));
}

#[test]
fn rework_loops_through_an_exclusive_branch_are_legitimate() {
    let rework = ProcessBuilder::new("p", "")
        .start("start")
        .merge("again")
        .task("prepare", "承办", Assignee::Role(Role::Handler))
        .exclusive("check", Some("ok"))
        .end("end", "准予", Decision::Granted)
        .chain(&["start", "again", "prepare", "check"])
        .flow("ok", "check", "end", None)
        .flow("redo", "check", "again", Some("needs_rework == true"))
        .build();
    Process::new(rework).unwrap();
}

#[test]
fn countersign_ratios_are_checked() {
    let bad = ProcessBuilder::new("p", "")
        .start("start")
        .countersign("sign", "会签", &["a", "b"], CompletionPolicy::Ratio(1.5), SigningOrder::Parallel)
        .end("end", "准予", Decision::Granted)
        .chain(&["start", "sign", "end"])
        .build();
    assert_eq!(problems(bad), ["task `sign`: countersign ratio 1.5 is outside (0, 1]"]);
}

#[test]
fn definitions_round_trip_through_json_and_toml() {
    let definition = establish_enterprise();
    assert_eq!(ProcessDefinition::from_json(&definition.to_json()).unwrap(), definition);
    assert_eq!(ProcessDefinition::from_toml(&definition.to_toml().unwrap()).unwrap(), definition);
    let error = ProcessDefinition::from_json(r#"{"id":"p","node":[{"id":"s","type":"begin"}]}"#).unwrap_err();
    assert!(error.to_string().contains("unknown variant `begin`"), "{error}");
    let error = ProcessDefinition::from_json(
        r#"{"id":"p","node":[{"id":"t","type":"task","assignee":{"kind":"role","value":"mayor"}}]}"#,
    )
    .unwrap_err();
    assert!(error.to_string().contains("unknown variant `mayor`"), "{error}");
}

/// A two-way choice whose `yes` flow carries `condition`.
fn choice(condition: &str) -> zhengwu_workflow::ProcessDefinition {
    ProcessBuilder::new("bounds", "")
        .start("start")
        .exclusive("choose", Some("no"))
        .end("end", "准予", Decision::Granted)
        .end("other", "不予", Decision::Refused)
        .chain(&["start", "choose"])
        .flow("yes", "choose", "end", Some(condition))
        .flow("no", "choose", "other", None)
        .build()
}

#[test]
fn conditions_beyond_their_bounds_are_refused_before_they_are_parsed() {
    // 30,000 terms (the cel parser overflowed the stack) and a syntax error past column 65,535
    // (it panicked formatting the position): both are refused by length.
    let long = format!("${{{} > 0}}", vec!["1"; 30_000].join(" + "));
    let found = problems(choice(&long));
    assert_eq!(found.len(), 1, "{found:?}");
    let head = format!("{}1 ", "1 + ".repeat(14));
    assert_eq!(
        found[0],
        format!(
            "flow `yes`: condition `${{{head}… ({} bytes)` does not parse: the expression is {} bytes long; at most \
             4096 are accepted",
            long.len(),
            long.len() - 3
        )
    );
    let past = format!("{} > 0 &&", "a".repeat(70_000));
    assert!(problems(choice(&past))[0].ends_with("the expression is 70007 bytes long; at most 4096 are accepted"));
    let deep = format!("{}x{} > 0", "(".repeat(40), ")".repeat(40));
    assert!(problems(choice(&deep))[0].ends_with("brackets nest 9 deep at byte 8; at most 8 levels are accepted"));
    // Within the bounds: a long flat chain and eight levels parse.
    let mut data = serde_json::Map::new();
    data.insert("amount".into(), 1.into());
    let chain = format!("{} > 0", vec!["amount"; 100].join(" + "));
    let found = problems(choice(&chain));
    assert!(
        found[0].ends_with("more than 40 operators (operator 41 at byte 367); a longer chain is not accepted"),
        "{found:?}"
    );
    let flat = format!("{} > 0", vec!["amount"; 40].join(" + "));
    let nested = format!("{}amount{} > 0", "(".repeat(8), ")".repeat(8));
    for condition in [flat, nested] {
        let process = Process::new(choice(&condition)).unwrap();
        assert_eq!(process.choose("choose", &data).unwrap().id, "yes");
    }
}

#[test]
fn a_process_beyond_its_size_bound_is_refused_at_once() {
    // 6,000 nested fork/join pairs took 12 s and 3 GB; now the size bound refuses them unread.
    let mut builder = ProcessBuilder::new("deep", "").start("start");
    let mut previous = "start".to_owned();
    let mut flows = Vec::new();
    for n in 0..600 {
        let fork = format!("f{n}");
        builder = builder.fork(&fork, zhengwu_core::TimeLimit::working_days(7));
        flows.push((previous.clone(), fork.clone()));
        previous = fork;
    }
    builder = builder.task("t", "审核", Assignee::Role(Role::Handler));
    flows.push((previous, "t".to_owned()));
    previous = "t".to_owned();
    for n in (0..600).rev() {
        let join = format!("j{n}");
        builder = builder.join(&join);
        flows.push((previous.clone(), join.clone()));
        previous = join;
    }
    builder = builder.end("end", "准予", Decision::Granted);
    flows.push((previous, "end".to_owned()));
    for (n, (from, to)) in flows.iter().enumerate() {
        builder = builder.flow(&format!("q{n}"), from, to, None);
    }
    let found = problems(builder.build());
    assert_eq!(
        found,
        ["process `deep`: has 1203 nodes and 1202 flows; at most 1000 nodes and 4000 flows are accepted"]
    );
}

#[test]
fn deeply_nested_forks_validate_and_each_step_knows_its_innermost_fork() {
    // 330 forks nested one in the other (991 nodes, near the 1,000-node bound): fork i starts
    // task t{i} and fork i+1; the innermost starts t330 and u330. Each fork's region is walked
    // once, stepping over the forks inside it.
    let depth = 330;
    let mut builder = ProcessBuilder::new("nested", "嵌套并行").start("start").end("end", "准予", Decision::Granted);
    for i in 1..=depth {
        builder = builder.fork(&format!("f{i}"), TimeLimit::working_days(5)).join(&format!("j{i}")).task(
            &format!("t{i}"),
            "办理",
            Assignee::Role(Role::Handler),
        );
    }
    builder = builder.task(&format!("u{depth}"), "办理", Assignee::Role(Role::Handler));
    builder = builder.chain(&["start", "f1"]).chain(&["j1", "end"]);
    for i in 1..=depth {
        let (fork, join, task) = (format!("f{i}"), format!("j{i}"), format!("t{i}"));
        builder = builder.chain(&[&fork, &task, &join]);
        if i < depth {
            builder = builder.chain(&[&fork, &format!("f{}", i + 1)]).chain(&[&format!("j{}", i + 1), &join]);
        } else {
            builder = builder.chain(&[&fork, &format!("u{depth}"), &join]);
        }
    }
    let definition = builder.build();
    assert_eq!(definition.nodes.len(), 3 * depth + 3);
    let process = Process::new(definition).unwrap();
    assert_eq!(process.fork_of("t1"), Some("f1"));
    assert_eq!(process.fork_of("f2"), Some("f1"));
    assert_eq!(process.fork_of("j2"), Some("f1"));
    assert_eq!(process.fork_of("t200"), Some("f200"));
    assert_eq!(process.fork_of("u330"), Some("f330"));
    assert_eq!(process.fork_of("f1"), None);
    assert_eq!(process.join_of("f17"), Some("j17"));
}
