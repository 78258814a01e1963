//! Scenario files: a process, a command script, the expected events and state
//! (`tests/data/workflow/scenarios/*.toml`).

use std::sync::Arc;

use chrono::DateTime;
use serde::Deserialize;
use zhengwu_core::{Actor, Role};
use zhengwu_workflow::{Case, CaseStatus, Command, Context, Process, import_bpmn};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    process: String,
    case: CaseSpec,
    step: Vec<Step>,
    expect: Expect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseSpec {
    id: String,
    item: String,
    department: String,
    region: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActorSpec {
    id: String,
    #[serde(default)]
    role: Option<Role>,
    department: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    at: String,
    actor: ActorSpec,
    command: Command,
    #[serde(default)]
    events: Option<Vec<String>>,
    #[serde(default)]
    open: Option<Vec<String>>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    status: String,
    events: usize,
    open: Vec<String>,
}

fn status(status: CaseStatus) -> String {
    match status {
        CaseStatus::Concluded(decision) => {
            format!("concluded:{}", serde_json::to_value(decision).unwrap().as_str().unwrap())
        }
        other => serde_json::to_value(other).unwrap().as_str().unwrap_or_default().to_owned(),
    }
}

fn open(case: &Case) -> Vec<String> {
    let mut steps: Vec<String> = case.open_tasks().iter().map(|t| t.step.to_string()).collect();
    steps.sort();
    steps
}

#[test]
fn case_scenarios() {
    let folder = format!("{}/../tests/data/workflow/scenarios", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 3, "scenario files in {folder}");
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let scenario: Scenario =
            toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let xml = std::fs::read_to_string(format!("{folder}/../{}", scenario.process)).unwrap();
        let process = Arc::new(Process::new(import_bpmn(&xml).unwrap()).unwrap());
        let spec = &scenario.case;
        let mut case = Case::new(
            process.clone(),
            spec.id.as_str().into(),
            spec.item.as_str().into(),
            spec.department.as_str().into(),
            spec.region.parse().unwrap(),
        );
        for (index, step) in scenario.step.into_iter().enumerate() {
            let at = format!("{name} step {}", index + 1);
            let context = Context {
                actor: Actor { id: step.actor.id.as_str().into(), name: None, role: step.actor.role },
                department: step.actor.department.as_str().into(),
                at: DateTime::parse_from_rfc3339(&format!("{}:00+08:00", step.at)).unwrap(),
            };
            let before = case.snapshot();
            match (case.execute(step.command, &context), &step.error) {
                (Ok(events), None) => {
                    let kinds: Vec<&str> = events.iter().map(|e| e.kind.type_name()).collect();
                    if let Some(expected) = &step.events {
                        assert_eq!(&kinds, expected, "{at}");
                    }
                }
                (Err(error), Some(expected)) => {
                    assert!(error.to_string().contains(expected.as_str()), "{at}: `{error}` lacks `{expected}`");
                    assert_eq!(case.snapshot(), before, "{at}: a rejected command changed the case");
                }
                (Ok(_), Some(expected)) => panic!("{at}: expected the error `{expected}`"),
                (Err(error), None) => panic!("{at}: {error}"),
            }
            if let Some(expected) = &step.open {
                assert_eq!(&open(&case), expected, "{at}");
            }
        }
        assert_eq!(status(case.status()), scenario.expect.status, "{name}");
        assert_eq!(case.events().len(), scenario.expect.events, "{name}");
        assert_eq!(open(&case), scenario.expect.open, "{name}");
        let replayed = Case::replay(process, case.events()).unwrap();
        assert_eq!(replayed.snapshot(), case.snapshot(), "{name}: replay differs from live");
    }
}
