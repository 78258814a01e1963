//! BPMN as modelers write it, run to the end. Assignment: candidate groups resolved through the
//! directory, case variables (`${initiator}`, `${reviewer}`, Activiti's `$INITIATOR`), string
//! lists, tasks drawn without assignment, each refusal a typed `Rejection`. Automatic steps:
//! service, script and receive tasks the host completes.

use std::sync::Arc;

use chrono::DateTime;
use zhengwu_core::{Actor, Channel, Organization, Role};
use zhengwu_workflow::{
    Assignee, Case, Command, Context, Error, NodeKind, Process, Rejection, export_bpmn, import_bpmn,
};

const XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:flowable="http://flowable.org/bpmn"
             xmlns:activiti="http://activiti.org/bpmn">
  <process id="leave" name="请假审批">
    <startEvent id="start" flowable:initiator="initiator"/>
    <userTask id="fill" name="填写申请" flowable:assignee="${initiator}"/>
    <userTask id="check" name="科室审核"/>
    <userTask id="review" name="复核" flowable:candidateUsers="${reviewer}"/>
    <userTask id="lead" name="领导审批" flowable:candidateGroups="leader,office"/>
    <userTask id="archive" name="归档" activiti:assignee="$INITIATOR"/>
    <userTask id="copy" name="抄录" flowable:assignee="${'clerk1, clerk2'}"/>
    <endEvent id="end" name="准予"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="fill"/>
    <sequenceFlow id="f2" sourceRef="fill" targetRef="check"/>
    <sequenceFlow id="f3" sourceRef="check" targetRef="review"/>
    <sequenceFlow id="f4" sourceRef="review" targetRef="lead"/>
    <sequenceFlow id="f5" sourceRef="lead" targetRef="archive"/>
    <sequenceFlow id="f6" sourceRef="archive" targetRef="copy"/>
    <sequenceFlow id="f7" sourceRef="copy" targetRef="end"/>
  </process>
</definitions>"#;

const DIRECTORY: &str = r#"
[[region]]
code = "530100"
name = "昆明市"
[[department]]
id = "bgs"
name = "办公室"
region = "530100"
[[department]]
id = "rsc"
name = "人事处"
region = "530100"
[[official]]
id = "w1"
name = "王窗口"
department = "bgs"
roles = ["window_clerk", "handler"]
[[official]]
id = "h1"
name = "李科员"
department = "bgs"
roles = ["handler"]
[[official]]
id = "boss"
name = "张局长"
department = "bgs"
roles = ["department_head"]
[[official]]
id = "r1"
name = "赵复核"
department = "rsc"
roles = ["reviewer"]
[[official]]
id = "clerk2"
name = "钱抄录"
department = "bgs"
roles = ["handler"]
[[group]]
name = "leader"
roles = ["department_head"]
[[group]]
name = "office"
departments = ["bgs"]
roles = ["approver"]
"#;

fn assignee(process: &Process, step: &str) -> Assignee {
    match &process.node(step).unwrap().kind {
        NodeKind::Task { assignee, .. } => assignee.clone(),
        other => panic!("{step} is {other:?}"),
    }
}

#[test]
fn modeler_assignments_are_read_as_written() {
    let process = Process::new(import_bpmn(XML).unwrap()).unwrap();
    assert_eq!(assignee(&process, "fill"), Assignee::Variable("initiator".into()));
    assert_eq!(assignee(&process, "check"), Assignee::Anyone);
    assert_eq!(assignee(&process, "review"), Assignee::Variable("reviewer".into()));
    assert_eq!(assignee(&process, "lead"), Assignee::Groups(vec!["leader".into(), "office".into()]));
    assert_eq!(assignee(&process, "archive"), Assignee::Variable("initiator".into()));
    assert_eq!(assignee(&process, "copy"), Assignee::Officials(vec!["clerk1".into(), "clerk2".into()]));
    // Export and import give the same definition back.
    let again = import_bpmn(&export_bpmn(process.definition())).unwrap();
    assert_eq!(&again, process.definition());
}

#[test]
fn an_expression_that_is_not_a_variable_is_refused_by_name() {
    let xml = XML.replace(r#"flowable:candidateUsers="${reviewer}""#, r#"flowable:candidateUsers="${users.of(dept)}""#);
    let Err(Error::Bpmn(problems)) = import_bpmn(&xml) else { panic!("accepted") };
    let text = problems.to_string();
    assert!(
        text.contains("task `review`: the candidateUsers expression `${users.of(dept)}` is not a case variable"),
        "{text}"
    );
}

pub(crate) fn at(time: &str) -> DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339(&format!("2025-06-{time}:00+08:00")).unwrap()
}

pub(crate) fn ctx(id: &str, role: Role, department: &str, time: &str) -> Context {
    Context {
        actor: Actor { id: id.into(), name: None, role: Some(role) },
        department: department.into(),
        at: at(time),
    }
}

/// 收件 at 09:00 and 受理 at 09:05 on the day, by the window.
pub(crate) fn receive_and_accept(case: &mut Case, day: &str) {
    let receive = Command::Receive { channel: Channel::Window, materials: vec![], data: Default::default() };
    case.execute(receive, &ctx("w1", Role::WindowClerk, "bgs", &format!("{day}T09:00"))).unwrap();
    case.execute(Command::Accept, &ctx("w1", Role::WindowClerk, "bgs", &format!("{day}T09:05"))).unwrap();
}

pub(crate) fn complete(step: &str) -> Command {
    Command::Complete { step: step.into(), opinion: None, data: Default::default() }
}

pub(crate) fn rejection(error: Error) -> Rejection {
    match error {
        Error::Rejected { rejection, .. } => *rejection,
        other => panic!("not a rejection: {other}"),
    }
}

#[test]
fn a_case_resolves_groups_variables_and_open_tasks_when_it_runs() {
    let process = Arc::new(Process::new(import_bpmn(XML).unwrap()).unwrap());
    let directory = Arc::new(Organization::from_toml(DIRECTORY).unwrap());
    let mut case = Case::new(process.clone(), "L1".into(), "QJ-001".into(), "bgs".into(), "530100".parse().unwrap())
        .with_directory(directory);
    receive_and_accept(&mut case, "02");

    // `${initiator}`, unset: the official who received the case.
    let refused = case.execute(complete("fill"), &ctx("h1", Role::Handler, "bgs", "02T10:00")).unwrap_err();
    assert_eq!(
        rejection(refused),
        Rejection::NotTheAssignee {
            step: "fill".into(),
            variable: "initiator".into(),
            assignees: vec!["w1".into()],
            actor: "h1".into()
        }
    );
    case.execute(complete("fill"), &ctx("w1", Role::Handler, "bgs", "02T10:01")).unwrap();

    // Drawn without assignment: anyone acting for the case's department.
    let refused = case.execute(complete("check"), &ctx("r1", Role::Reviewer, "rsc", "02T11:00")).unwrap_err();
    assert_eq!(rejection(refused).kind(), "assigned_to_department");
    let mut data = serde_json::Map::new();
    data.insert("reviewer".into(), "r1".into());
    let check = Command::Complete { step: "check".into(), opinion: None, data };
    case.execute(check, &ctx("h1", Role::Handler, "bgs", "02T11:01")).unwrap();

    // `${reviewer}`: the official the data named.
    let refused = case.execute(complete("review"), &ctx("h1", Role::Handler, "bgs", "03T09:00")).unwrap_err();
    assert_eq!(rejection(refused).kind(), "not_the_assignee");
    case.execute(complete("review"), &ctx("r1", Role::Reviewer, "rsc", "03T09:01")).unwrap();

    // Candidate groups through the directory: `leader` holds department heads.
    let refused = case.execute(complete("lead"), &ctx("h1", Role::Handler, "bgs", "03T10:00")).unwrap_err();
    assert_eq!(
        rejection(refused),
        Rejection::NotInGroups {
            step: "lead".into(),
            groups: vec!["leader".into(), "office".into()],
            actor: "h1".into()
        }
    );
    case.execute(complete("lead"), &ctx("boss", Role::DepartmentHead, "bgs", "03T10:01")).unwrap();

    // `$INITIATOR`, then a list written as a string literal.
    case.execute(complete("archive"), &ctx("w1", Role::Handler, "bgs", "03T11:00")).unwrap();
    case.execute(complete("copy"), &ctx("clerk2", Role::Handler, "bgs", "03T11:30")).unwrap();
    assert_eq!(case.status(), zhengwu_workflow::CaseStatus::Concluded(zhengwu_core::Decision::Granted));
    // The replay gives the same state.
    assert_eq!(Case::replay(process, case.events()).unwrap().snapshot(), case.snapshot());
}

#[test]
fn groups_need_a_directory_that_defines_them_and_variables_a_value() {
    let process = Arc::new(Process::new(import_bpmn(XML).unwrap()).unwrap());
    let open = |directory: Option<&str>, reviewer: Option<serde_json::Value>| {
        let mut case =
            Case::new(process.clone(), "L2".into(), "QJ-001".into(), "bgs".into(), "530100".parse().unwrap());
        if let Some(text) = directory {
            case = case.with_directory(Arc::new(Organization::from_toml(text).unwrap()));
        }
        receive_and_accept(&mut case, "02");
        case.execute(complete("fill"), &ctx("w1", Role::Handler, "bgs", "02T10:00")).unwrap();
        let mut data = serde_json::Map::new();
        if let Some(reviewer) = reviewer {
            data.insert("reviewer".into(), reviewer);
        }
        let check = Command::Complete { step: "check".into(), opinion: None, data };
        case.execute(check, &ctx("h1", Role::Handler, "bgs", "02T11:00")).unwrap();
        case
    };
    // `${reviewer}` never set.
    let mut case = open(None, None);
    let refused = case.execute(complete("review"), &ctx("r1", Role::Reviewer, "rsc", "03T09:00")).unwrap_err();
    assert_eq!(rejection(refused), Rejection::AssigneeUnset { step: "review".into(), variable: "reviewer".into() });
    // A list of officials in the variable; then a group without a directory to resolve it.
    let mut case = open(None, Some(serde_json::json!(["r2", "r1"])));
    case.execute(complete("review"), &ctx("r1", Role::Reviewer, "rsc", "03T09:00")).unwrap();
    let refused = case.execute(complete("lead"), &ctx("boss", Role::DepartmentHead, "bgs", "03T10:00")).unwrap_err();
    assert_eq!(
        rejection(refused),
        Rejection::NoDirectory { step: "lead".into(), groups: vec!["leader".into(), "office".into()] }
    );
    // A directory that does not define the group.
    let without_groups = DIRECTORY.split("[[group]]").next().unwrap().to_owned();
    let mut case = open(Some(&without_groups), Some("r1".into()));
    case.execute(complete("review"), &ctx("r1", Role::Reviewer, "rsc", "03T09:00")).unwrap();
    let refused = case.execute(complete("lead"), &ctx("boss", Role::DepartmentHead, "bgs", "03T10:00")).unwrap_err();
    assert_eq!(rejection(refused), Rejection::UnknownGroup { step: "lead".into(), group: "leader".into() });
}

/// Service, script and receive tasks are automatic steps: they open like any task, carry what
/// the modeler named to run them, and the host completes them with the results as data.
#[test]
fn automatic_steps_are_completed_by_the_host() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn">
  <process id="licence" name="许可证制发">
    <startEvent id="start"/>
    <serviceTask id="check" name="查询信用" camunda:type="external" camunda:topic="credit-check" camunda:resultVariable="grade"/>
    <scriptTask id="number" name="编号" scriptFormat="javascript"><script>execution.setVariable("no", 1);</script></scriptTask>
    <receiveTask id="paid" name="等待缴费"/>
    <userTask id="sign" name="签发" camunda:candidateGroups="approver"/>
    <endEvent id="end" name="准予"/>
    <sequenceFlow sourceRef="start" targetRef="check"/>
    <sequenceFlow sourceRef="check" targetRef="number"/>
    <sequenceFlow sourceRef="number" targetRef="paid"/>
    <sequenceFlow sourceRef="paid" targetRef="sign"/>
    <sequenceFlow sourceRef="sign" targetRef="end"/>
  </process>
</definitions>"#;
    let definition = import_bpmn(xml).unwrap();
    let process = Arc::new(Process::new(definition.clone()).unwrap());
    let NodeKind::Task { automatic: Some(check), assignee, .. } = &process.node("check").unwrap().kind else {
        panic!("not automatic")
    };
    assert_eq!(check.kind, zhengwu_workflow::AutomaticKind::Service);
    assert_eq!(
        check.implementation,
        [("topic".to_owned(), "credit-check".to_owned()), ("type".to_owned(), "external".to_owned())]
    );
    assert_eq!((check.result_variable.as_deref(), assignee), (Some("grade"), &Assignee::Anyone));
    let NodeKind::Task { automatic: Some(number), .. } = &process.node("number").unwrap().kind else { panic!() };
    assert_eq!(number.implementation[1], ("script".to_owned(), r#"execution.setVariable("no", 1);"#.to_owned()));
    assert_eq!(import_bpmn(&export_bpmn(&definition)).unwrap(), definition);

    let mut case = Case::new(process, "P1".into(), "XK-001".into(), "bgs".into(), "530100".parse().unwrap());
    receive_and_accept(&mut case, "02");
    // The host system, acting for the department, completes each step with its result.
    let system = |time: &str| Context {
        actor: Actor { id: "system".into(), name: None, role: None },
        department: "bgs".into(),
        at: at(time),
    };
    let mut result = serde_json::Map::new();
    result.insert("grade".into(), "A".into());
    case.execute(Command::Complete { step: "check".into(), opinion: None, data: result }, &system("02T09:06")).unwrap();
    case.execute(complete("number"), &system("02T09:07")).unwrap();
    assert_eq!(case.open_tasks()[0].step, "paid");
    // Another department's system cannot complete it.
    let other = Context { department: "rsc".into(), ..system("03T09:00") };
    assert_eq!(rejection(case.execute(complete("paid"), &other).unwrap_err()).kind(), "assigned_to_department");
    case.execute(complete("paid"), &system("03T09:00")).unwrap();
    case.execute(complete("sign"), &ctx("boss", Role::Approver, "bgs", "03T10:00")).unwrap();
    assert_eq!(case.data()["grade"], "A");
    assert_eq!(case.status(), zhengwu_workflow::CaseStatus::Concluded(zhengwu_core::Decision::Granted));
}

/// An exclusive gateway drawn without a default flow is a valid model: a case whose data meets no
/// condition is refused when it gets there, with a typed rejection, and nothing changes.
#[test]
fn an_exclusive_gateway_without_a_default_refuses_the_case_not_the_model() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="route" name="分流">
    <startEvent id="start"/>
    <userTask id="triage" name="分流"/>
    <exclusiveGateway id="which"/>
    <endEvent id="granted" name="准予"/>
    <endEvent id="refused" name="不予许可"/>
    <sequenceFlow id="a" sourceRef="start" targetRef="triage"/>
    <sequenceFlow id="b" sourceRef="triage" targetRef="which"/>
    <sequenceFlow id="yes" sourceRef="which" targetRef="granted"><conditionExpression>${score &gt;= 60}</conditionExpression></sequenceFlow>
    <sequenceFlow id="no" sourceRef="which" targetRef="refused"><conditionExpression>${score &lt; 40}</conditionExpression></sequenceFlow>
  </process>
</definitions>"#;
    let process = Arc::new(Process::new(import_bpmn(xml).unwrap()).unwrap());
    let mut case = Case::new(process, "R1".into(), "FL-001".into(), "bgs".into(), "530100".parse().unwrap());
    receive_and_accept(&mut case, "02");
    let with_score = |score: i64| {
        let mut data = serde_json::Map::new();
        data.insert("score".into(), score.into());
        Command::Complete { step: "triage".into(), opinion: None, data }
    };
    let before = case.snapshot();
    let refused = rejection(case.execute(with_score(50), &ctx("h1", Role::Handler, "bgs", "02T10:00")).unwrap_err());
    assert_eq!(refused.kind(), "no_route");
    assert!(refused.to_string().contains("no condition holds and it has no default flow"), "{refused}");
    assert_eq!(case.snapshot(), before);
    case.execute(with_score(70), &ctx("h1", Role::Handler, "bgs", "02T10:01")).unwrap();
    assert_eq!(case.status(), zhengwu_workflow::CaseStatus::Concluded(zhengwu_core::Decision::Granted));
}

/// An embedded subprocess runs inline: its steps open as the case reaches them, and the case goes
/// on after it once one of its ends is reached.
#[test]
fn an_embedded_subprocess_runs_inline() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="inspect" name="现场核查">
    <startEvent id="start"/>
    <userTask id="accept" name="受理"/>
    <subProcess id="site" name="现场核查">
      <startEvent id="site_start"/>
      <parallelGateway id="split"/>
      <userTask id="photos" name="拍照"/>
      <userTask id="measure" name="测量"/>
      <parallelGateway id="joined"/>
      <exclusiveGateway id="ok" default="pass"/>
      <endEvent id="site_pass"/>
      <endEvent id="site_fail"/>
      <sequenceFlow id="s1" sourceRef="site_start" targetRef="split"/>
      <sequenceFlow id="s2" sourceRef="split" targetRef="photos"/>
      <sequenceFlow id="s3" sourceRef="split" targetRef="measure"/>
      <sequenceFlow id="s4" sourceRef="photos" targetRef="joined"/>
      <sequenceFlow id="s5" sourceRef="measure" targetRef="joined"/>
      <sequenceFlow id="s6" sourceRef="joined" targetRef="ok"/>
      <sequenceFlow id="pass" sourceRef="ok" targetRef="site_pass"/>
      <sequenceFlow id="fail" sourceRef="ok" targetRef="site_fail"><conditionExpression>${area &lt; 10}</conditionExpression></sequenceFlow>
    </subProcess>
    <userTask id="decide" name="决定"/>
    <endEvent id="end" name="准予"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="accept"/>
    <sequenceFlow id="f2" sourceRef="accept" targetRef="site"/>
    <sequenceFlow id="f3" sourceRef="site" targetRef="decide"/>
    <sequenceFlow id="f4" sourceRef="decide" targetRef="end"/>
  </process>
</definitions>"#;
    let definition = import_bpmn(xml).unwrap();
    assert_eq!(import_bpmn(&export_bpmn(&definition)).unwrap(), definition);
    let process = Arc::new(Process::new(definition).unwrap());
    assert_eq!(process.join_of("split"), Some("joined"));
    let mut case = Case::new(process.clone(), "S1".into(), "HC-001".into(), "bgs".into(), "530100".parse().unwrap());
    receive_and_accept(&mut case, "02");
    case.execute(complete("accept"), &ctx("h1", Role::Handler, "bgs", "02T09:10")).unwrap();
    let mut open: Vec<&str> = case.open_tasks().iter().map(|t| t.step.as_str()).collect();
    open.sort_unstable();
    assert_eq!(open, ["measure", "photos"]);
    case.execute(complete("photos"), &ctx("h1", Role::Handler, "bgs", "02T10:00")).unwrap();
    let mut data = serde_json::Map::new();
    data.insert("area".into(), 25.into());
    let measured = Command::Complete { step: "measure".into(), opinion: None, data };
    case.execute(measured, &ctx("h1", Role::Handler, "bgs", "02T10:30")).unwrap();
    assert_eq!(case.open_tasks().iter().map(|t| t.step.as_str()).collect::<Vec<_>>(), ["decide"]);
    case.execute(complete("decide"), &ctx("boss", Role::Approver, "bgs", "02T11:00")).unwrap();
    assert_eq!(case.status(), zhengwu_workflow::CaseStatus::Concluded(zhengwu_core::Decision::Granted));
    assert_eq!(Case::replay(process, case.events()).unwrap().snapshot(), case.snapshot());
}

/// 会签 as Flowable draws it: the signers are the officials a case variable lists, each
/// instance assigned to the element variable, completed when half have approved.
#[test]
fn a_countersign_over_a_collection_variable() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:flowable="http://flowable.org/bpmn">
  <process id="hq" name="会签">
    <startEvent id="start"/>
    <userTask id="draft" name="拟稿" flowable:assignee="${initiator}"/>
    <userTask id="sign" name="会签" flowable:assignee="${signer}">
      <multiInstanceLoopCharacteristics isSequential="false" flowable:collection="${signers}" flowable:elementVariable="signer">
        <completionCondition>${nrOfCompletedInstances/nrOfInstances &gt;= 0.5}</completionCondition>
      </multiInstanceLoopCharacteristics>
    </userTask>
    <endEvent id="end" name="准予"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="draft"/>
    <sequenceFlow id="f2" sourceRef="draft" targetRef="sign"/>
    <sequenceFlow id="f3" sourceRef="sign" targetRef="end"/>
  </process>
</definitions>"#;
    let definition = import_bpmn(xml).unwrap();
    assert_eq!(import_bpmn(&export_bpmn(&definition)).unwrap(), definition);
    // Signers named twice (a list and a collection) are refused, not guessed at.
    let twice = xml.replace(r#"flowable:assignee="${signer}""#, r#"flowable:candidateUsers="a1,a2""#);
    let Err(Error::Bpmn(problems)) = import_bpmn(&twice) else { panic!("accepted") };
    assert!(problems.to_string().contains("must be assigned to its element variable"), "{problems}");
    let process = Arc::new(Process::new(definition).unwrap());
    let NodeKind::Task { assignee, countersign: Some(countersign), .. } = &process.node("sign").unwrap().kind else {
        panic!("not a countersign")
    };
    assert_eq!(assignee, &Assignee::Variable("signers".into()));
    assert_eq!(countersign.policy, zhengwu_workflow::CompletionPolicy::Ratio(0.5));

    let mut case = Case::new(process.clone(), "H1".into(), "HQ-001".into(), "bgs".into(), "530100".parse().unwrap());
    receive_and_accept(&mut case, "02");
    // Without signers the countersign could never end: the draft is refused, nothing changes.
    let refused = rejection(case.execute(complete("draft"), &ctx("w1", Role::Handler, "bgs", "02T10:00")).unwrap_err());
    assert_eq!(refused, Rejection::AssigneeUnset { step: "sign".into(), variable: "signers".into() });
    let mut data = serde_json::Map::new();
    data.insert("signers".into(), serde_json::json!(["a1", "a2", "a3", "a4"]));
    let draft = Command::Complete { step: "draft".into(), opinion: None, data };
    case.execute(draft, &ctx("w1", Role::Handler, "bgs", "02T10:01")).unwrap();
    assert_eq!(case.open_tasks()[0].signers, ["a1", "a2", "a3", "a4"].map(zhengwu_core::OfficialId::new));
    let vote = |approve: bool| Command::Vote { step: "sign".into(), approve, opinion: None };
    let refused = rejection(case.execute(vote(true), &ctx("x9", Role::Handler, "bgs", "02T11:00")).unwrap_err());
    assert_eq!(refused.kind(), "not_a_signer");
    case.execute(vote(true), &ctx("a1", Role::Handler, "bgs", "02T11:00")).unwrap();
    case.execute(vote(false), &ctx("a2", Role::Handler, "bgs", "02T11:10")).unwrap();
    assert_eq!(case.status(), zhengwu_workflow::CaseStatus::Running);
    case.execute(vote(true), &ctx("a3", Role::Handler, "bgs", "02T11:20")).unwrap();
    // Two of four approved: at least half, so the countersign passes.
    assert_eq!(case.status(), zhengwu_workflow::CaseStatus::Concluded(zhengwu_core::Decision::Granted));
    assert_eq!(Case::replay(process, case.events()).unwrap().snapshot(), case.snapshot());
}

/// Events as steps: a message start is a start, a message catch a receive step the host
/// completes when the message comes, a signal throw a send step, a throw without a definition a
/// mere point, an error end a 终止; a timer catch is refused by name.
#[test]
fn events_run_as_the_steps_they_stand_for() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <message id="paid_msg" name="缴费到账"/>
  <process id="pay" name="缴费">
    <startEvent id="start"><messageEventDefinition messageRef="paid_msg"/></startEvent>
    <userTask id="bill" name="开票"/>
    <intermediateThrowEvent id="billed" name="已开票"/>
    <intermediateCatchEvent id="paid" name="等待到账"><messageEventDefinition messageRef="paid_msg"/></intermediateCatchEvent>
    <intermediateThrowEvent id="notify" name="通知"><signalEventDefinition/></intermediateThrowEvent>
    <exclusiveGateway id="ok" default="done"/>
    <endEvent id="end" name="办结"><terminateEventDefinition/></endEvent>
    <endEvent id="failed" name="异常"><errorEventDefinition/></endEvent>
    <sequenceFlow id="f1" sourceRef="start" targetRef="bill"/>
    <sequenceFlow id="f2" sourceRef="bill" targetRef="billed"/>
    <sequenceFlow id="f3" sourceRef="billed" targetRef="paid"/>
    <sequenceFlow id="f4" sourceRef="paid" targetRef="notify"/>
    <sequenceFlow id="f5" sourceRef="notify" targetRef="ok"/>
    <sequenceFlow id="done" sourceRef="ok" targetRef="end"/>
    <sequenceFlow id="bad" sourceRef="ok" targetRef="failed"><conditionExpression>${amount &lt; 0}</conditionExpression></sequenceFlow>
  </process>
</definitions>"#;
    let definition = import_bpmn(xml).unwrap();
    assert_eq!(import_bpmn(&export_bpmn(&definition)).unwrap(), definition);
    let process = Arc::new(Process::new(definition).unwrap());
    let kind = |step: &str| match &process.node(step).unwrap().kind {
        NodeKind::Task { automatic, .. } => format!("{:?}", automatic.as_ref().map(|a| a.kind)),
        other => format!("{other:?}"),
    };
    assert_eq!(kind("billed"), "Merge");
    assert_eq!(kind("paid"), "Some(Receive)");
    assert_eq!(kind("notify"), "Some(Send)");
    assert_eq!(kind("failed"), "End { outcome: Terminated }");

    let mut case = Case::new(process.clone(), "P2".into(), "JF-001".into(), "bgs".into(), "530100".parse().unwrap());
    receive_and_accept(&mut case, "02");
    case.execute(complete("bill"), &ctx("h1", Role::Handler, "bgs", "02T09:10")).unwrap();
    assert_eq!(case.open_tasks()[0].step, "paid");
    let mut data = serde_json::Map::new();
    data.insert("amount".into(), (-5).into());
    let paid = Command::Complete { step: "paid".into(), opinion: None, data };
    case.execute(paid, &ctx("system", Role::Handler, "bgs", "03T09:00")).unwrap();
    case.execute(complete("notify"), &ctx("system", Role::Handler, "bgs", "03T09:01")).unwrap();
    assert_eq!(case.status(), zhengwu_workflow::CaseStatus::Concluded(zhengwu_core::Decision::Terminated));

    let timer = xml.replace(
        r#"<messageEventDefinition messageRef="paid_msg"/></intermediateCatchEvent>"#,
        "<timerEventDefinition/></intermediateCatchEvent>",
    );
    let Err(Error::Bpmn(problems)) = import_bpmn(&timer) else { panic!("accepted") };
    assert!(problems.to_string().contains("timer `paid`: has no timeDuration"), "{problems}");
}

/// A collaboration's pools: the process marked executable is the one read; without a mark the
/// file is refused saying how to choose.
#[test]
fn of_several_pools_the_executable_process_is_read() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <collaboration id="c"><participant id="p1" processRef="applicant"/><participant id="p2" processRef="bureau"/></collaboration>
  <process id="applicant" isExecutable="false">
    <startEvent id="a_start"/>
    <task id="apply" name="申请"/>
    <endEvent id="a_end"/>
    <sequenceFlow id="a1" sourceRef="a_start" targetRef="apply"/>
    <sequenceFlow id="a2" sourceRef="apply" targetRef="a_end"/>
  </process>
  <process id="bureau" name="审批" isExecutable="true">
    <startEvent id="start"/>
    <userTask id="review" name="审核"/>
    <endEvent id="end" name="准予"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <sequenceFlow id="f2" sourceRef="review" targetRef="end"/>
  </process>
</definitions>"#;
    let definition = import_bpmn(xml).unwrap();
    assert_eq!(definition.id, "bureau");
    assert_eq!(definition.nodes.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(), ["start", "review", "end"]);
    let unmarked = xml.replace(r#" isExecutable="true""#, "");
    let Err(Error::Bpmn(problems)) = import_bpmn(&unmarked) else { panic!("accepted") };
    assert!(
        problems.to_string().contains("a second process `bureau`: one process per file, or mark the one"),
        "{problems}"
    );
}

/// An inclusive gateway runs the branches whose conditions hold, and its join waits for those
/// alone; no condition holding takes the default.
#[test]
fn an_inclusive_join_waits_for_the_branches_taken() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:flowable="http://flowable.org/bpmn">
  <process id="review" name="联合审查">
    <startEvent id="start"/>
    <userTask id="accept" name="受理"/>
    <inclusiveGateway id="which" default="basic"/>
    <userTask id="fire" name="消防审查"/>
    <userTask id="env" name="环保审查"/>
    <userTask id="plan" name="规划审查"/>
    <inclusiveGateway id="gathered"/>
    <userTask id="decide" name="决定"/>
    <endEvent id="end" name="准予"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="accept"/>
    <sequenceFlow id="f2" sourceRef="accept" targetRef="which"/>
    <sequenceFlow id="to_fire" sourceRef="which" targetRef="fire"><conditionExpression>${floors gt 10}</conditionExpression></sequenceFlow>
    <sequenceFlow id="to_env" sourceRef="which" targetRef="env"><conditionExpression>${polluting}</conditionExpression></sequenceFlow>
    <sequenceFlow id="basic" sourceRef="which" targetRef="plan"/>
    <sequenceFlow id="b1" sourceRef="fire" targetRef="gathered"/>
    <sequenceFlow id="b2" sourceRef="env" targetRef="gathered"/>
    <sequenceFlow id="b3" sourceRef="plan" targetRef="gathered"/>
    <sequenceFlow id="f3" sourceRef="gathered" targetRef="decide"/>
    <sequenceFlow id="f4" sourceRef="decide" targetRef="end"/>
  </process>
</definitions>"#;
    let definition = import_bpmn(xml).unwrap();
    let exported = export_bpmn(&definition);
    assert!(exported.contains(r#"<inclusiveGateway id="gathered""#), "{exported}");
    assert_eq!(import_bpmn(&exported).unwrap(), definition);
    let process = Arc::new(Process::new(definition).unwrap());
    assert_eq!(process.join_of("which"), Some("gathered"));
    let run = |floors: i64, polluting: bool| {
        let mut case =
            Case::new(process.clone(), "I1".into(), "LH-001".into(), "bgs".into(), "530100".parse().unwrap());
        receive_and_accept(&mut case, "02");
        let mut data = serde_json::Map::new();
        data.insert("floors".into(), floors.into());
        data.insert("polluting".into(), polluting.into());
        let accept = Command::Complete { step: "accept".into(), opinion: None, data };
        case.execute(accept, &ctx("h1", Role::Handler, "bgs", "02T09:10")).unwrap();
        case
    };
    let open = |case: &Case| {
        let mut steps: Vec<String> = case.open_tasks().iter().map(|t| t.step.to_string()).collect();
        steps.sort();
        steps
    };
    // Two of three conditions hold: two branches; the join waits for both, not for the third.
    let mut case = run(18, true);
    assert_eq!(open(&case), ["env", "fire"]);
    case.execute(complete("fire"), &ctx("h1", Role::Handler, "bgs", "02T10:00")).unwrap();
    assert_eq!(open(&case), ["env"]);
    case.execute(complete("env"), &ctx("h1", Role::Handler, "bgs", "02T11:00")).unwrap();
    assert_eq!(open(&case), ["decide"]);
    case.execute(complete("decide"), &ctx("boss", Role::Approver, "bgs", "02T12:00")).unwrap();
    assert_eq!(case.status(), zhengwu_workflow::CaseStatus::Concluded(zhengwu_core::Decision::Granted));
    assert_eq!(Case::replay(process.clone(), case.events()).unwrap().snapshot(), case.snapshot());
    // None holds: the default branch alone.
    let mut case = run(3, false);
    assert_eq!(open(&case), ["plan"]);
    case.execute(complete("plan"), &ctx("h1", Role::Handler, "bgs", "02T10:00")).unwrap();
    assert_eq!(open(&case), ["decide"]);
}

/// 环节时限 as modelers draw it: a timer on a task's boundary fires on the host's tick. The
/// interrupting one takes the case to the escalation; the non-interrupting one sends a reminder
/// and leaves the task open; an intermediate timer holds the case until it fires.
#[test]
fn timers_fire_on_the_hosts_tick() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zhengwu="https://zhengwu.dev/bpmn">
  <process id="escalate" name="超时升级">
    <startEvent id="start"/>
    <userTask id="review" name="审核"/>
    <boundaryEvent id="remind_timer" attachedToRef="review" cancelActivity="false">
      <timerEventDefinition><timeDuration>PT4H</timeDuration></timerEventDefinition>
    </boundaryEvent>
    <serviceTask id="remind" name="短信催办"/>
    <endEvent id="reminded" name="已催办"/>
    <boundaryEvent id="late" attachedToRef="review" zhengwu:unit="working_days">
      <timerEventDefinition><timeDuration>P2D</timeDuration></timerEventDefinition>
    </boundaryEvent>
    <userTask id="escalated" name="领导督办"/>
    <intermediateCatchEvent id="cooling" name="公示期">
      <timerEventDefinition><timeDuration>P1D</timeDuration></timerEventDefinition>
    </intermediateCatchEvent>
    <endEvent id="end" name="准予"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <sequenceFlow id="f2" sourceRef="review" targetRef="cooling"/>
    <sequenceFlow id="f3" sourceRef="remind_timer" targetRef="remind"/>
    <sequenceFlow id="f4" sourceRef="remind" targetRef="reminded"/>
    <sequenceFlow id="f5" sourceRef="late" targetRef="escalated"/>
    <sequenceFlow id="f6" sourceRef="escalated" targetRef="cooling"/>
    <sequenceFlow id="f7" sourceRef="cooling" targetRef="end"/>
  </process>
</definitions>"#;
    let definition = import_bpmn(xml).unwrap();
    assert_eq!(import_bpmn(&export_bpmn(&definition)).unwrap(), definition);
    let process = Arc::new(Process::new(definition).unwrap());
    assert_eq!(process.boundary_events_of("review"), ["remind_timer", "late"]);
    assert!(process.in_side_path("remind") && !process.in_side_path("review"));
    let calendar = Arc::new(zhengwu_core::Calendar::china());
    let open_case = || {
        let mut case =
            Case::new(process.clone(), "T1".into(), "CS-001".into(), "bgs".into(), "530100".parse().unwrap())
                .with_calendar(calendar.clone());
        let receive = Command::Receive { channel: Channel::Window, materials: vec![], data: Default::default() };
        // Monday 2025-06-02 (端午 is 05-31 to 06-02: the 2nd is a holiday; work resumes on the 3rd).
        case.execute(receive, &ctx("w1", Role::WindowClerk, "bgs", "03T09:00")).unwrap();
        case.execute(Command::Accept, &ctx("w1", Role::WindowClerk, "bgs", "03T09:05")).unwrap();
        case
    };
    let system = |time: &str| Context {
        actor: Actor { id: "clock".into(), name: None, role: None },
        department: "bgs".into(),
        at: at(time),
    };
    let tick = |case: &mut Case, time: &str| -> Vec<String> {
        case.execute(Command::Tick, &system(time)).unwrap().iter().map(|e| e.kind.type_name().to_owned()).collect()
    };
    let open = |case: &Case| {
        let mut steps: Vec<String> = case.open_tasks().iter().map(|t| t.step.to_string()).collect();
        steps.sort();
        steps
    };

    let mut case = open_case();
    // Nothing due yet.
    assert!(tick(&mut case, "03T10:00").is_empty());
    // Four hours after the review opened: the reminder path, the review stays open, and it fires once.
    assert_eq!(tick(&mut case, "03T13:10"), ["timer_fired", "step_started"]);
    assert_eq!(open(&case), ["remind", "review"]);
    assert!(tick(&mut case, "03T13:20").is_empty());
    // The reminder's path ends on its own: the case goes on.
    case.execute(complete("remind"), &system("03T13:30")).unwrap();
    assert_eq!(open(&case), ["review"]);
    assert_eq!(case.status(), zhengwu_workflow::CaseStatus::Running);
    // Two working days from Tuesday 06-03 end on Thursday 06-05: late from Friday.
    assert!(tick(&mut case, "05T23:59").is_empty());
    assert_eq!(tick(&mut case, "06T00:00"), ["timer_fired", "step_cancelled", "step_started"]);
    assert_eq!(open(&case), ["escalated"]);
    case.execute(complete("escalated"), &ctx("boss", Role::DepartmentHead, "bgs", "06T10:00")).unwrap();
    // The 公示期: the case waits a day at the intermediate timer, which no official completes.
    assert_eq!(open(&case), ["cooling"]);
    assert_eq!(
        rejection(case.execute(complete("cooling"), &ctx("h1", Role::Handler, "bgs", "06T11:00")).unwrap_err()).kind(),
        "not_a_task"
    );
    assert!(tick(&mut case, "07T09:59").is_empty());
    assert_eq!(tick(&mut case, "07T10:00"), ["timer_fired", "step_completed", "concluded"]);
    assert_eq!(case.status(), zhengwu_workflow::CaseStatus::Concluded(zhengwu_core::Decision::Granted));
    assert_eq!(Case::replay(process.clone(), case.events()).unwrap().snapshot(), case.snapshot());

    // Completed in time, the review's timers never fire.
    let mut case = open_case();
    case.execute(complete("review"), &ctx("h1", Role::Handler, "bgs", "03T10:00")).unwrap();
    assert!(tick(&mut case, "20T10:00").iter().all(|kind| kind != "step_cancelled"));
    // Without a calendar, a timer in working days cannot be counted.
    let mut case = Case::new(process.clone(), "T2".into(), "CS-001".into(), "bgs".into(), "530100".parse().unwrap());
    receive_and_accept(&mut case, "03");
    let refused = rejection(case.execute(Command::Tick, &system("03T10:00")).unwrap_err());
    assert_eq!(refused, Rejection::NoCalendar { timer: "late".into() });
}

/// A non-interrupting timer's path may end at the process's own end: reached from the path, the
/// end consumes that token only; reached from the main path, it concludes the case.
#[test]
fn a_reminder_path_may_share_the_processs_end() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="shared" name="共用结束">
    <startEvent id="start"/>
    <userTask id="review" name="审核"/>
    <boundaryEvent id="nudge" attachedToRef="review" cancelActivity="false">
      <timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition>
    </boundaryEvent>
    <sendTask id="remind" name="提醒"/>
    <endEvent id="end" name="准予"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <sequenceFlow id="f2" sourceRef="review" targetRef="end"/>
    <sequenceFlow id="f3" sourceRef="nudge" targetRef="remind"/>
    <sequenceFlow id="f4" sourceRef="remind" targetRef="end"/>
  </process>
</definitions>"#;
    let process = Arc::new(Process::new(import_bpmn(xml).unwrap()).unwrap());
    let mut case = Case::new(process.clone(), "S2".into(), "GY-001".into(), "bgs".into(), "530100".parse().unwrap());
    receive_and_accept(&mut case, "03");
    let clock = Context {
        actor: Actor { id: "clock".into(), name: None, role: None },
        department: "bgs".into(),
        at: at("03T10:10"),
    };
    case.execute(Command::Tick, &clock).unwrap();
    case.execute(complete("remind"), &Context { at: at("03T10:15"), ..clock }).unwrap();
    assert_eq!(case.status(), zhengwu_workflow::CaseStatus::Running);
    assert_eq!(case.open_tasks().iter().map(|t| t.step.as_str()).collect::<Vec<_>>(), ["review"]);
    case.execute(complete("review"), &ctx("h1", Role::Handler, "bgs", "03T11:00")).unwrap();
    assert_eq!(case.status(), zhengwu_workflow::CaseStatus::Concluded(zhengwu_core::Decision::Granted));
    assert_eq!(Case::replay(process, case.events()).unwrap().snapshot(), case.snapshot());
}

/// Candidate users and groups together: a named official, or anyone in a group.
#[test]
fn candidates_of_both_kinds() {
    let xml = XML.replace(
        r#"flowable:candidateGroups="leader,office""#,
        r#"flowable:candidateUsers="h1" flowable:candidateGroups="leader""#,
    );
    let process = Arc::new(Process::new(import_bpmn(&xml).unwrap()).unwrap());
    let directory = Arc::new(Organization::from_toml(DIRECTORY).unwrap());
    let run = |actor: &str, role: Role| {
        let mut case =
            Case::new(process.clone(), "L3".into(), "QJ-001".into(), "bgs".into(), "530100".parse().unwrap())
                .with_directory(directory.clone());
        receive_and_accept(&mut case, "02");
        case.execute(complete("fill"), &ctx("w1", Role::Handler, "bgs", "02T10:00")).unwrap();
        let mut data = serde_json::Map::new();
        data.insert("reviewer".into(), "r1".into());
        case.execute(
            Command::Complete { step: "check".into(), opinion: None, data },
            &ctx("h1", Role::Handler, "bgs", "02T11:00"),
        )
        .unwrap();
        case.execute(complete("review"), &ctx("r1", Role::Reviewer, "rsc", "03T09:00")).unwrap();
        case.execute(complete("lead"), &ctx(actor, role, "bgs", "03T10:00"))
            .map(|_| ())
            .map_err(|e| rejection(e).kind())
    };
    assert_eq!(run("h1", Role::Handler), Ok(()));
    assert_eq!(run("boss", Role::DepartmentHead), Ok(()));
    assert_eq!(run("clerk2", Role::Handler), Err("not_in_groups"));
}
