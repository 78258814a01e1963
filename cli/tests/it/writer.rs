//! A writer to kill: the crash tests start this test binary again, running only
//! [`writer_process`], which appends generated cases to a store and acknowledges each committed
//! append on stdout. It lives with the tests, not in the product.

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use zhengwu_core::{Actor, CaseEvent, Channel, EventKind, SCHEMA_VERSION};

/// The variable that makes [`writer_process`] write: `CASES:PATH`.
const VARIABLE: &str = "ZHENGWU_TEST_WRITER";

/// Starts a writer appending `cases` cases (3 events each, one append per case) to `path`, after
/// the cases already there; its stdout has one `ack N` line per committed append, N the events in
/// the log.
pub(crate) fn spawn(path: &Path, cases: u64) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "writer::writer_process", "--nocapture", "--test-threads=1", "--quiet"])
        .env(VARIABLE, format!("{cases}:{}", path.display()))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Runs a writer to its end; the events in the log afterwards.
pub(crate) fn fill(path: &Path, cases: u64) -> u64 {
    let output = spawn(path, cases).wait_with_output().unwrap();
    assert!(output.status.success(), "the writer failed");
    let text = String::from_utf8(output.stdout).unwrap();
    text.lines().filter_map(|line| line.strip_prefix("ack ")).next_back().map_or(0, |n| n.parse().unwrap())
}

#[test]
fn writer_process() {
    let Ok(setting) = std::env::var(VARIABLE) else { return };
    let (cases, path) = setting.split_once(':').unwrap();
    let cases: u64 = cases.parse().unwrap();
    let mut store = zhengwu_store::SqliteStore::open(Path::new(path)).unwrap();
    let start = chrono::DateTime::parse_from_rfc3339("2025-03-03T09:00:00+08:00").unwrap();
    let mut out = std::io::stdout().lock();
    let mut total = store.read_all().unwrap().len() as u64;
    let existing = total / 3;
    for n in existing..existing + cases {
        let case = format!("F{n:08}");
        let at = start + chrono::Duration::minutes(n as i64);
        let kinds = [
            EventKind::Received { channel: Channel::Online, materials: vec![] },
            EventKind::Accepted,
            EventKind::StepStarted { step: "review".into() },
        ];
        let events: Vec<CaseEvent> = kinds
            .into_iter()
            .enumerate()
            .map(|(i, kind)| CaseEvent {
                schema: SCHEMA_VERSION,
                idempotency_key: CaseEvent::key(&case, i as u64 + 1),
                case_id: case.as_str().into(),
                sequence: i as u64 + 1,
                item_code: "ITEM".into(),
                department: "scjg".into(),
                region: "530102".parse().unwrap(),
                occurred_at: at,
                recorded_at: at,
                actor: Actor { id: "w01".into(), name: None, role: None },
                kind,
                signature: None,
            })
            .collect();
        let appended = store.append(&events, &[(case.as_str().into(), 0)]).unwrap();
        total += appended.written as u64;
        writeln!(out, "ack {total}").unwrap();
        out.flush().unwrap();
    }
}
