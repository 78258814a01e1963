//! BPMN files as the Flowable and Camunda modelers export them.

use zhengwu_core::{Decision, DepartmentId, Role, TimeLimit};
use zhengwu_workflow::{Assignee, CompletionPolicy, Error, NodeKind, Process, SigningOrder, export_bpmn, import_bpmn};

use crate::data;

#[test]
fn a_flowable_parallel_approval_imports_and_validates() {
    let definition = import_bpmn(&data("establish-enterprise.flowable.bpmn20.xml")).unwrap();
    let process = Process::new(definition.clone()).unwrap();
    assert_eq!((process.id(), process.name()), ("establish-enterprise", "企业开办并联审批"));
    assert_eq!(process.join_of("fork"), Some("join"));
    assert!(
        matches!(process.node("fork").unwrap().kind, NodeKind::Fork { branch_limit, .. } if branch_limit == TimeLimit::working_days(2))
    );
    let NodeKind::Task { assignee, department, limit, .. } = &process.node("seal").unwrap().kind else { panic!() };
    assert_eq!(assignee, &Assignee::Department(DepartmentId::new("ga")));
    assert_eq!((department.as_ref().map(|d| d.as_str()), *limit), (Some("ga"), Some(TimeLimit::working_days(1))));
    let NodeKind::Task { assignee, .. } = &process.node("accept").unwrap().kind else { panic!() };
    assert_eq!(assignee, &Assignee::Role(Role::WindowClerk));
    assert!(matches!(process.node("granted").unwrap().kind, NodeKind::End { outcome: Decision::Granted }));
    // Exported and imported again: the same definition.
    assert_eq!(import_bpmn(&export_bpmn(&definition)).unwrap(), definition);
}

#[test]
fn a_camunda_process_with_conditions_and_countersigns_imports() {
    let definition = import_bpmn(&data("building-permit.camunda.bpmn")).unwrap();
    let process = Process::new(definition.clone()).unwrap();
    let NodeKind::Task { countersign, assignee, .. } = &process.node("expert").unwrap().kind else { panic!() };
    assert_eq!(assignee, &Assignee::Officials(vec!["zj01".into(), "zj02".into(), "zj03".into()]));
    let countersign = countersign.as_ref().unwrap();
    assert_eq!((countersign.policy, countersign.order), (CompletionPolicy::Ratio(0.6), SigningOrder::Parallel));
    let NodeKind::Task { countersign, .. } = &process.node("approve").unwrap().kind else { panic!() };
    assert_eq!(countersign.as_ref().unwrap().order, SigningOrder::Sequential);
    assert!(
        matches!(process.node("scale").unwrap().kind, NodeKind::Exclusive { ref default } if default.as_deref() == Some("Flow_small"))
    );
    assert!(matches!(process.node("merge").unwrap().kind, NodeKind::Merge));
    assert!(matches!(process.node("refused").unwrap().kind, NodeKind::End { outcome: Decision::Refused }));
    // The condition reads case data: `${area > 10000}` (escaped as &gt; in the XML).
    let data = |area: i64| serde_json::json!({ "area": area }).as_object().unwrap().clone();
    assert_eq!(process.choose("scale", &data(12000)).unwrap().id, "Flow_large");
    assert_eq!(process.choose("scale", &data(800)).unwrap().id, "Flow_small");
    assert_eq!(import_bpmn(&export_bpmn(&definition)).unwrap(), definition);
}

#[test]
fn a_timer_leading_nowhere_ends_the_case_there() {
    // Every element of this file is read; the timer on the review leads nowhere, which BPMN reads
    // as an implicit end: the case ends when the timer fires.
    let definition = import_bpmn(&data("unsupported.bpmn")).unwrap();
    let process = Process::new(definition).unwrap();
    assert_eq!(process.outgoing("timer").iter().map(|f| f.to.as_str()).collect::<Vec<_>>(), ["timer_end"]);
    assert!(matches!(process.node("timer_end").unwrap().kind, NodeKind::End { outcome: Decision::Granted }));
    // `mayor` is no built-in role: it is a candidate group, resolved through the directory; the
    // service task is an automatic step the host completes.
}

#[test]
fn malformed_xml_names_the_line() {
    let Err(Error::Bpmn(problems)) =
        import_bpmn("<definitions>\n  <process id=\"p\">\n    <startEvent id=\"s\">\n  </process>\n</definitions>\n")
    else {
        panic!("expected an error")
    };
    let text = problems.to_string();
    assert!(text.starts_with("1 problem; line 4: XML error:"), "{text}");
    let Err(Error::Bpmn(problems)) = import_bpmn("<definitions/>") else { panic!() };
    assert_eq!(problems.to_string(), "1 problem; document: has no `process` element");
}

#[test]
fn a_document_that_is_not_bpmn_says_what_it_is() {
    let refused = |text: &str| match import_bpmn(text) {
        Err(Error::Bpmn(problems)) => problems.to_string(),
        other => panic!("expected problems, got {other:?}"),
    };
    let bpmn = "a BPMN file is XML whose root element is `definitions`";
    assert_eq!(refused(" \n"), format!("1 problem; document: the document is empty: {bpmn}"));
    assert_eq!(
        refused("{\"node\": []}"),
        format!("1 problem; document: no XML element in it (it starts with `{{\"node\": []}}`): {bpmn}")
    );
    // A binary file's control characters are shown escaped.
    assert_eq!(
        refused("\u{1}\u{2}PK"),
        format!("1 problem; document: no XML element in it (it starts with `\\u{{1}}\\u{{2}}PK`): {bpmn}")
    );
    assert_eq!(
        refused("<?xml version=\"1.0\"?>\n<html><body/></html>"),
        format!("2 problems; line 2: unsupported BPMN element `html`; document: the root element is `html`: {bpmn}")
    );
}

#[test]
fn completion_conditions_map_to_policies() {
    let with = |condition: &str, extra: &str| {
        format!(
            r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:flowable="http://flowable.org/bpmn" xmlns:zhengwu="https://zhengwu.dev/bpmn">
<process id="p"><startEvent id="s"/><endEvent id="e"/>
<userTask id="t" flowable:candidateUsers="a,b,c"><multiInstanceLoopCharacteristics isSequential="false" {extra}><completionCondition>{condition}</completionCondition></multiInstanceLoopCharacteristics></userTask>
<sequenceFlow id="f1" sourceRef="s" targetRef="t"/><sequenceFlow id="f2" sourceRef="t" targetRef="e"/></process></definitions>"#
        )
    };
    let policy = |condition: &str, extra: &str| -> Result<CompletionPolicy, Error> {
        let definition = import_bpmn(&with(condition, extra))?;
        let NodeKind::Task { countersign, .. } = &definition.nodes.iter().find(|n| n.id == "t").unwrap().kind else {
            panic!()
        };
        Ok(countersign.as_ref().unwrap().policy)
    };
    assert_eq!(policy("${nrOfCompletedInstances == nrOfInstances}", "").unwrap(), CompletionPolicy::All);
    assert_eq!(policy("${nrOfCompletedInstances &gt;= 1}", "").unwrap(), CompletionPolicy::Any);
    assert_eq!(policy("${nrOfCompletedInstances/nrOfInstances &gt; 0.5}", "").unwrap(), CompletionPolicy::Majority);
    assert_eq!(
        policy("${nrOfCompletedInstances/nrOfInstances &gt;= 0.75}", "").unwrap(),
        CompletionPolicy::Ratio(0.75)
    );
    assert_eq!(policy("", r#"zhengwu:policy="veto""#).unwrap(), CompletionPolicy::Veto);
    let error = policy("${approvals &gt; 2}", "").unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot import BPMN: 1 problem; line 3: task `t`: completionCondition `${approvals > 2}` is not supported"
    );
}

/// What modelers write and the importer used to misread: flows without ids, a name on two lines,
/// a condition quoting with character references, an undefined entity.
#[test]
fn ids_line_breaks_and_character_references_are_read_as_written() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn">
  <process id="loan" name="贷款审批">
    <startEvent id="start" name="申请&#10;收到"/>
    <userTask id="decide" name="审批" camunda:assignee="officer"/>
    <exclusiveGateway id="choice" default="no"/>
    <endEvent id="granted" name="准予"/>
    <endEvent id="refused" name="不予许可"/>
    <sequenceFlow sourceRef="start" targetRef="decide"/>
    <sequenceFlow sourceRef="decide" targetRef="choice"/>
    <sequenceFlow id="yes" sourceRef="choice" targetRef="granted">
      <conditionExpression>${decision == &#34;approve&#34;}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="no" sourceRef="choice" targetRef="refused"/>
  </process>
</definitions>"#;
    let definition = import_bpmn(xml).unwrap();
    let ids: Vec<&str> = definition.flows.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["flow_start_decide", "flow_decide_choice", "yes", "no"]);
    assert_eq!(definition.nodes[0].name, "申请\n收到");
    let process = Process::new(definition.clone()).unwrap();
    let data = |decision: &str| serde_json::json!({ "decision": decision }).as_object().unwrap().clone();
    assert_eq!(process.choose("choice", &data("approve")).unwrap().id, "yes");
    assert_eq!(process.choose("choice", &data("deny")).unwrap().id, "no");
    // Export writes the line break as a character reference, so it reads back.
    assert_eq!(import_bpmn(&export_bpmn(&definition)).unwrap(), definition);

    let undefined = xml.replace("&#34;approve&#34;", "&ldquo;approve&rdquo;");
    let Err(Error::Bpmn(problems)) = import_bpmn(&undefined) else { panic!("accepted") };
    assert!(problems.to_string().contains("`&ldquo;` is not a character reference"), "{problems}");
}

/// JUEL conditions run as CEL over the case data; method calls and conditions in another
/// language are refused naming the flow, not compiled as something else.
#[test]
fn juel_conditions_translate_and_scripts_are_refused() {
    let xml = |condition: &str| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="p" name="条件">
    <startEvent id="start"/>
    <userTask id="t" name="办理" />
    <exclusiveGateway id="x" default="no"/>
    <endEvent id="granted" name="准予"/>
    <endEvent id="refused" name="不予许可"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="t"/>
    <sequenceFlow id="f2" sourceRef="t" targetRef="x"/>
    <sequenceFlow id="yes" sourceRef="x" targetRef="granted">{condition}</sequenceFlow>
    <sequenceFlow id="no" sourceRef="x" targetRef="refused"/>
  </process>
</definitions>"#
        )
    };
    let juel =
        xml("<conditionExpression>${decision eq 'approve' and amount gt 1000 or not urgent}</conditionExpression>");
    let definition = import_bpmn(&juel).unwrap();
    let yes = definition.flows.iter().find(|f| f.id == "yes").unwrap();
    assert_eq!(yes.condition.as_deref(), Some("${decision == 'approve' && amount > 1000 || ! urgent}"));
    let process = Process::new(definition.clone()).unwrap();
    let data = |decision: &str, amount: i64| {
        serde_json::json!({ "decision": decision, "amount": amount, "urgent": true }).as_object().unwrap().clone()
    };
    assert_eq!(process.choose("x", &data("approve", 5000)).unwrap().id, "yes");
    assert_eq!(process.choose("x", &data("approve", 10)).unwrap().id, "no");
    assert_eq!(import_bpmn(&export_bpmn(&definition)).unwrap(), definition);
    // Flowable's and Camunda's ways of reading a variable read it.
    for (written, translated) in [
        ("${var:equals(input, 1)}", "${(input == 1)}"),
        (r#"${variables:get(myVar) == "go to A"}"#, r#"${myVar == "go to A"}"#),
        (
            "${execution.getVariable('choice') != null &amp;&amp; choice == 'goToB'}",
            "${choice != null && choice == 'goToB'}",
        ),
        ("${clarified.equals('no')}", "${(clarified == 'no')}"),
        ("${copies mod 2 eq 0}", "${copies % 2 == 0}"),
    ] {
        let definition = import_bpmn(&xml(&format!("<conditionExpression>{written}</conditionExpression>"))).unwrap();
        let yes = definition.flows.iter().find(|f| f.id == "yes").unwrap();
        assert_eq!(yes.condition.as_deref(), Some(translated), "{written}");
        Process::new(definition).unwrap();
    }

    for (condition, message) in [
        (
            "<conditionExpression>${reservationService.showUp()}</conditionExpression>",
            "calls `reservationService.showUp(…)`",
        ),
        (
            r#"<conditionExpression language="JavaScript">this.variables.input &lt; 2</conditionExpression>"#,
            "flow `yes`: a condition in JavaScript is not supported",
        ),
    ] {
        let Err(Error::Bpmn(problems)) = import_bpmn(&xml(condition)) else { panic!("accepted {condition}") };
        assert!(problems.to_string().contains(message), "{problems}");
    }
}

/// The corpus-shaped fixture of the SpiffWorkflow comparison reads as drawn.
#[test]
fn the_modeler_shaped_parallel_approval_imports() {
    let definition = import_bpmn(&data("parallel-approval.modeler.bpmn20.xml")).unwrap();
    let process = Process::new(definition.clone()).unwrap();
    assert_eq!(process.tasks().count(), 8);
    let assignee = |step: &str| match &process.node(step).unwrap().kind {
        NodeKind::Task { assignee, .. } => assignee.clone(),
        _ => panic!(),
    };
    assert_eq!(assignee("submit"), Assignee::Variable("initiator".into()));
    assert_eq!(assignee("check"), Assignee::Anyone);
    assert_eq!(assignee("fire"), Assignee::Groups(vec!["fire".into()]));
    assert_eq!(process.join_of("fork"), Some("join"));
    assert_eq!(import_bpmn(&export_bpmn(&definition)).unwrap(), definition);
}

/// BPMN's own assignment (humanPerformer, potentialOwner) reads as the engines' attributes do, and
/// data objects are read past; a timer's fraction of a second rounds up.
#[test]
fn standard_assignment_data_objects_and_second_fractions() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="p" name="标准分派">
    <startEvent id="start"/>
    <userTask id="a" name="甲">
      <humanPerformer><resourceAssignmentExpression><formalExpression>kermit</formalExpression></resourceAssignmentExpression></humanPerformer>
    </userTask>
    <userTask id="b" name="乙">
      <potentialOwner><resourceAssignmentExpression><formalExpression>group(management), accountancy</formalExpression></resourceAssignmentExpression></potentialOwner>
      <dataInputAssociation><sourceRef>form</sourceRef></dataInputAssociation>
    </userTask>
    <userTask id="c" name="丙">
      <potentialOwner><resourceAssignmentExpression><formalExpression>user(gonzo), user(kermit)</formalExpression></resourceAssignmentExpression></potentialOwner>
    </userTask>
    <boundaryEvent id="t" attachedToRef="c"><timerEventDefinition><timeDuration>PT0.05S</timeDuration></timerEventDefinition></boundaryEvent>
    <dataObject id="form_data"/>
    <dataObjectReference id="form" dataObjectRef="form_data"/>
    <endEvent id="end"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="a"/>
    <sequenceFlow id="f2" sourceRef="a" targetRef="b"/>
    <sequenceFlow id="f3" sourceRef="b" targetRef="c"/>
    <sequenceFlow id="f4" sourceRef="c" targetRef="end"/>
    <sequenceFlow id="f5" sourceRef="t" targetRef="end"/>
  </process>
</definitions>"#;
    let definition = import_bpmn(xml).unwrap();
    let process = Process::new(definition).unwrap();
    let assignee = |step: &str| match &process.node(step).unwrap().kind {
        NodeKind::Task { assignee, .. } => assignee.clone(),
        _ => panic!(),
    };
    assert_eq!(assignee("a"), Assignee::Officials(vec!["kermit".into()]));
    assert_eq!(assignee("b"), Assignee::Groups(vec!["management".into(), "accountancy".into()]));
    assert_eq!(assignee("c"), Assignee::Officials(vec!["gonzo".into(), "kermit".into()]));
    assert!(matches!(
        process.node("t").unwrap().kind,
        NodeKind::Timer { after: zhengwu_workflow::TimerDuration::Seconds(1), .. }
    ));
    // Users and groups together: candidates of both kinds.
    let both = xml.replace("group(management), accountancy", "user(gonzo), group(management)");
    let definition = import_bpmn(&both).unwrap();
    let NodeKind::Task { assignee, .. } = &definition.nodes.iter().find(|n| n.id == "b").unwrap().kind else {
        panic!()
    };
    assert_eq!(assignee, &Assignee::Candidates { officials: vec!["gonzo".into()], groups: vec!["management".into()] });
    assert_eq!(import_bpmn(&export_bpmn(&definition)).unwrap(), definition);
}

#[test]
fn an_unsupported_element_does_not_hide_the_graph_s_problems() {
    // The call activity is refused; the fork whose branches meet at a task is a problem of its
    // own, listed too. What the refused element may have caused is not.
    let xml = r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <process id="p">
    <startEvent id="s"/>
    <callActivity id="call" calledElement="other"/>
    <parallelGateway id="fork"/>
    <userTask id="x"/><userTask id="y"/><userTask id="z"/>
    <endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="call"/>
    <sequenceFlow id="f2" sourceRef="call" targetRef="fork"/>
    <sequenceFlow id="f3" sourceRef="fork" targetRef="x"/>
    <sequenceFlow id="f4" sourceRef="fork" targetRef="y"/>
    <sequenceFlow id="f5" sourceRef="x" targetRef="z"/>
    <sequenceFlow id="f6" sourceRef="y" targetRef="z"/>
    <sequenceFlow id="f7" sourceRef="z" targetRef="e"/>
  </process>
</definitions>"#;
    let Err(Error::Bpmn(problems)) = import_bpmn(xml) else { panic!("refused") };
    assert_eq!(
        problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "line 4: unsupported BPMN element `callActivity` (id `call`)",
            "fork `fork`: its branches do not meet at a join (they next meet at `z`, a task)"
        ]
    );
}
