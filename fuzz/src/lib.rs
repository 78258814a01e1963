//! Fuzz targets: one function per parser that input from outside reaches, each taking the raw
//! bytes a file, a request or a Python call would hand zhengwu.
//!
//! A target returns normally for every input: a parser may refuse it (that is what a clear error
//! is for), but it must not panic, overflow its stack or run without bound. Beyond "no crash",
//! several targets check a property that must hold for every accepted input, so the fuzzer also
//! looks for wrong answers:
//! - what is exported (BPMN, JSON) reads back as the same definition, and what an event or a
//!   document serialises to parses back equal;
//! - a command the case engine refuses leaves the case exactly as it was, and replaying a case's
//!   events gives the case that produced them.
//!
//! The AFL++ harness is `src/bin/zhengwu-fuzz.rs` (`cargo afl build --features afl`); the corpora
//! are `fuzz/corpus/<target>/`, and `fuzz/tests/corpus.rs` runs every corpus file and every
//! regression input through its target in plain `cargo test`. `fuzz/README.md` has the commands.

use std::io::Cursor;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::Deserialize;
use zhengwu_core::{
    Actor, Calendar, CaseEvent, Catalogue, CatalogueFile, ItemKind, LimitReference, OfficialDocument, Organization,
    Role, ServiceItem, TimeLimit,
};
use zhengwu_identity::{Certificate, KeyPurpose, RevocationList, TrustStore};
use zhengwu_supervision::{Dimension, Period, ScoringScheme, SupervisionConfig, Supervisor};
use zhengwu_workflow::{Case, Command, Context, Process, ProcessBuilder, ProcessDefinition, export_bpmn, import_bpmn};

/// A fuzz target: the name its corpus folder and the harness use, and the function.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// Name (`bpmn`): the corpus is `fuzz/corpus/<name>/`.
    pub name: &'static str,
    /// What it reads.
    pub reads: &'static str,
    /// The function.
    pub run: fn(&[u8]),
}

/// Every target.
pub const TARGETS: &[Target] = &[
    Target { name: "bpmn", reads: "BPMN 2.0 XML, imported, validated, exported and re-imported", run: bpmn },
    Target { name: "process", reads: "process definitions in JSON or TOML", run: process },
    Target { name: "events", reads: "event JSON lines, ingested and supervised", run: events },
    Target { name: "arrow", reads: "Arrow record batches (built from JSON lines)", run: arrow },
    Target { name: "parquet", reads: "Parquet files, read as events and supervised", run: parquet },
    Target { name: "certificate", reads: "X.509 certificates, PEM or DER, and chains of them", run: certificate },
    Target { name: "crl", reads: "certificate revocation lists, PEM or DER", run: crl },
    Target { name: "ocsp", reads: "OCSP responses, DER or PEM", run: ocsp },
    Target { name: "expression", reads: "CEL conditions and custom-rule conditions", run: expression },
    Target { name: "schedule", reads: "holiday schedule files, TOML or JSON", run: schedule },
    Target { name: "catalogue", reads: "catalogue, organisation, rule and scoring files", run: catalogue },
    Target { name: "document", reads: "公文 JSON, parsed and validated", run: document },
    Target { name: "commands", reads: "command scripts run against a parallel-approval case", run: commands },
    Target { name: "codes", reads: "credit codes, organisation codes, 公民身份号码", run: codes },
];

/// The target named `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

fn calendar() -> &'static Calendar {
    static CALENDAR: OnceLock<Calendar> = OnceLock::new();
    CALENDAR.get_or_init(Calendar::china)
}

/// The instant the supervising targets evaluate at.
fn as_of() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2025-12-31T18:00:00+08:00").expect("a fixed instant")
}

const SUPERVISION_CATALOGUE: &str = include_str!("../../tests/data/supervision/catalogue.toml");
const PARALLEL_PROCESS: &str = include_str!("../../tests/data/workflow/establish-enterprise.flowable.bpmn20.xml");

fn supervision_catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        let file = CatalogueFile::from_toml(SUPERVISION_CATALOGUE).expect("the supervision fixture parses");
        let departments = file.departments();
        Catalogue::new(file, &departments).expect("the supervision fixture is valid")
    })
}

fn supervise(events: impl IntoIterator<Item = CaseEvent>, config: SupervisionConfig) {
    let mut supervisor = Supervisor::new(calendar().clone(), supervision_catalogue().clone(), config);
    supervisor.ingest_all(events);
    supervisor.evaluate(as_of());
    supervisor.statistics(as_of(), Dimension::Department, Period::Month, None);
}

/// BPMN XML: import, validate, and for a valid process, export and import again: the second
/// import must give the same definition.
pub fn bpmn(data: &[u8]) {
    let Some(xml) = text(data) else { return };
    let Ok(definition) = import_bpmn(xml) else { return };
    if Process::new(definition.clone()).is_err() {
        return;
    }
    let exported = export_bpmn(&definition);
    let again = import_bpmn(&exported).unwrap_or_else(|e| panic!("the exported BPMN does not import: {e}"));
    assert_eq!(again, definition, "BPMN export and import changed the definition");
}

/// A process definition in JSON and in TOML: a valid one written out as JSON reads back equal.
pub fn process(data: &[u8]) {
    let Some(source) = text(data) else { return };
    for definition in [ProcessDefinition::from_json(source), ProcessDefinition::from_toml(source)] {
        let Ok(definition) = definition else { continue };
        if Process::new(definition.clone()).is_ok() {
            let again = ProcessDefinition::from_json(&definition.to_json())
                .unwrap_or_else(|e| panic!("a process written as JSON does not read back: {e}"));
            assert_eq!(again, definition, "JSON round trip changed the process");
        }
    }
}

/// Event JSON lines: every line that parses writes back as JSON that parses to the same event;
/// then the lines are ingested, every rule evaluated and monthly statistics computed.
pub fn events(data: &[u8]) {
    let Some(source) = text(data) else { return };
    let mut events = Vec::new();
    for (index, line) in source.lines().enumerate() {
        if let Ok(event) = CaseEvent::from_json_line(line, index + 1) {
            let again = CaseEvent::from_json(&event.to_json())
                .unwrap_or_else(|e| panic!("an event written as JSON does not read back: {e}"));
            assert_eq!(again, event, "JSON round trip changed the event");
            events.push(event);
        }
    }
    supervise(events, SupervisionConfig::default());
}

/// JSON lines read into Arrow record batches (the column types inferred, as pyarrow.json
/// infers them), then read as events column by column and supervised.
pub fn arrow(data: &[u8]) {
    let Ok((schema, _)) = arrow_json::reader::infer_json_schema_from_seekable(Cursor::new(data), Some(64)) else {
        return;
    };
    let Ok(reader) = arrow_json::ReaderBuilder::new(Arc::new(schema)).with_batch_size(64).build(Cursor::new(data))
    else {
        return;
    };
    let mut events = Vec::new();
    for batch in reader {
        let Ok(batch) = batch else { return };
        let Ok(rows) = zhengwu_arrow::EventBatch::new(&batch) else { continue };
        events.extend((0..rows.len()).filter_map(|row| rows.event(row).ok()));
    }
    supervise(events, SupervisionConfig::default());
}

/// A Parquet file: its footer, schema and pages read through zhengwu-arrow, the rows ingested
/// (zone-less times read as UTC) and supervised. A damaged file is an error, never a panic. A
/// file read whole is then replayed again through `replay_parquet` (on two threads and on one),
/// and its batches held in memory through `replay_batches`, which fold complete cases away (or
/// read the events again when they cannot): their ingest counts, rejections, alerts and
/// statistics must be the plain replay's, and the instant of `AsOf::Latest` the plain replay's
/// latest entry time.
pub fn parquet(data: &[u8]) {
    use zhengwu_arrow::{AsOf, NaiveTimestamps, Threads};
    let Ok(events) = zhengwu_arrow::ParquetEvents::from_bytes(data.to_vec()) else { return };
    let new = || Supervisor::new(calendar().clone(), supervision_catalogue().clone(), SupervisionConfig::default());
    let mut plain = new();
    if zhengwu_arrow::ingest(&mut plain, events.into_reader(), 0, NaiveTimestamps::Utc).is_err() {
        return;
    }
    plain.evaluate(as_of());
    let same = |replayed: Result<(Supervisor, _, _), zhengwu_arrow::ShapeError>, how: &str| {
        let (mut folded, _, _) = replayed.unwrap_or_else(|e| panic!("the events read whole fail when {how}: {e}"));
        folded.evaluate(as_of());
        assert_eq!(folded.ingest_summary(), plain.ingest_summary(), "{how} changed the ingest counts");
        assert_eq!(folded.rejections(), plain.rejections(), "{how} changed the rejections");
        let alerts = |s: &Supervisor| s.alerts().map(|a| (a.id.clone(), a.message.clone())).collect::<Vec<_>>();
        assert_eq!(alerts(&folded), alerts(&plain), "{how} changed the alerts");
        for dimension in [Dimension::Department, Dimension::Window, Dimension::Region] {
            let statistics = |s: &Supervisor| s.statistics(as_of(), dimension, Period::Month, None).to_json();
            assert_eq!(statistics(&folded), statistics(&plain), "{how} changed the statistics by {dimension:?}");
        }
    };
    let path = std::env::temp_dir().join(format!("zhengwu-fuzz-parquet-{}", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let replay = |threads| zhengwu_arrow::replay_parquet(new, &path, NaiveTimestamps::Utc, AsOf::At(as_of()), threads);
    let (two, one) = (replay(Threads::Two), replay(Threads::One));
    let _ = std::fs::remove_file(&path);
    same(two, "replaying the file");
    same(one, "replaying the file on one thread");
    let Ok(events) = zhengwu_arrow::ParquetEvents::from_bytes(data.to_vec()) else { return };
    let reader = events.into_reader();
    let schema = arrow_array::RecordBatchReader::schema(&reader);
    let batches: Vec<_> = reader.collect::<Result<_, _>>().expect("the file was read whole once");
    same(
        zhengwu_arrow::replay_batches(
            new,
            schema.clone(),
            &batches,
            NaiveTimestamps::Utc,
            AsOf::At(as_of()),
            Threads::Two,
        ),
        "replaying the table",
    );
    let latest = AsOf::Latest { now: as_of() };
    let (_, instant, _) =
        zhengwu_arrow::replay_batches(new, schema, &batches, NaiveTimestamps::Utc, latest, Threads::One)
            .expect("the table replays");
    assert_eq!(instant, latest.resolve(plain.latest_recorded_at()), "the table's instant is not its latest entry time");
}

/// Certificates: one certificate (PEM or DER) or a PEM bundle; the first is verified with the
/// others as trust anchors and intermediates.
pub fn certificate(data: &[u8]) {
    let mut certificates = match text(data) {
        Some(pem) if pem.trim_start().starts_with("-----BEGIN") => {
            Certificate::from_pem_bundle(pem).unwrap_or_default()
        }
        _ => Certificate::from_bytes(data).map(|c| vec![c]).unwrap_or_default(),
    };
    if certificates.is_empty() {
        return;
    }
    let leaf = certificates.remove(0);
    let mut store = TrustStore::new();
    for (index, certificate) in certificates.into_iter().enumerate() {
        if index % 2 == 0 {
            store.add_anchor(certificate);
        } else {
            store.add_intermediate(certificate);
        }
    }
    let at = DateTime::parse_from_rfc3339("2026-06-01T00:00:00Z").expect("a fixed instant").to_utc();
    let _ = store.verify(&leaf, at, KeyPurpose::Signing);
    let _ = store.verify(&leaf, at, KeyPurpose::Any);
}

const EC_ROOT: &str = include_str!("../../identity/tests/data/pki/ec/root.pem");
const EC_CA: &str = include_str!("../../identity/tests/data/pki/ec/ca.pem");
const EC_LEAF: &str = include_str!("../../identity/tests/data/pki/ec/official.pem");

/// A revocation list (PEM or DER), read, then consulted when the test PKI's official
/// certificate is verified.
pub fn crl(data: &[u8]) {
    let Ok(list) = RevocationList::from_bytes(data) else { return };
    let _ = (list.issuer(), list.this_update(), list.next_update(), list.revoked());
    let certificate = |pem| Certificate::from_pem(pem).expect("the test PKI parses");
    let mut store = TrustStore::new();
    store.add_anchor(certificate(EC_ROOT)).add_intermediate(certificate(EC_CA)).add_crl(list);
    let at = DateTime::parse_from_rfc3339("2026-06-01T00:00:00Z").expect("a fixed instant").to_utc();
    let _ = store.verify(&certificate(EC_LEAF), at, KeyPurpose::Signing);
}

/// An OCSP response (DER or PEM), read, then consulted when the test PKI's official certificate
/// is verified.
pub fn ocsp(data: &[u8]) {
    let Ok(response) = zhengwu_identity::OcspResponse::from_bytes(data) else { return };
    let _ = (response.produced_at(), response.len());
    let certificate = |pem| Certificate::from_pem(pem).expect("the test PKI parses");
    let mut store = TrustStore::new();
    store.add_anchor(certificate(EC_ROOT)).add_intermediate(certificate(EC_CA)).add_ocsp_response(response);
    let at = DateTime::parse_from_rfc3339("2027-06-01T00:00:00Z").expect("a fixed instant").to_utc();
    let _ = store.verify(&certificate(EC_LEAF), at, KeyPurpose::Signing);
}

/// A CEL condition, as a workflow gateway's flow condition and as a supervision custom rule
/// (which is then evaluated on a case).
pub fn expression(data: &[u8]) {
    let Some(condition) = text(data) else { return };
    let definition = ProcessBuilder::new("p", "条件")
        .start("start")
        .task("review", "审查", zhengwu_workflow::Assignee::Role(Role::Handler))
        .exclusive("decide", Some("to_refuse"))
        .end("granted", "准予", zhengwu_core::Decision::Granted)
        .end("refused", "不予", zhengwu_core::Decision::Refused)
        .chain(&["start", "review", "decide"])
        .flow("to_grant", "decide", "granted", Some(condition))
        .flow("to_refuse", "decide", "refused", None)
        .build();
    let _ = Process::new(definition);
    let mut rule = toml::Table::new();
    for (key, value) in
        [("code", "FUZZ"), ("name", "模糊"), ("level", "warning"), ("when", condition), ("message", "m")]
    {
        rule.insert(key.into(), toml::Value::String(value.into()));
    }
    let mut file = toml::Table::new();
    file.insert("custom".into(), toml::Value::Array(vec![toml::Value::Table(rule)]));
    let Ok(config) = SupervisionConfig::from_toml(&toml::to_string(&file).expect("a table serialises")) else {
        return;
    };
    // The fixture holds malformed lines on purpose: the good ones are kept.
    let fixture = include_str!("../../tests/data/supervision/events.jsonl");
    let events = fixture.lines().enumerate().filter_map(|(i, line)| CaseEvent::from_json_line(line, i + 1).ok());
    supervise(events, config);
}

/// A holiday schedule file (TOML or JSON) laid over the embedded calendar, then counted
/// through each year it names.
pub fn schedule(data: &[u8]) {
    let Some(source) = text(data) else { return };
    for file in [zhengwu_core::ScheduleFile::from_toml(source), zhengwu_core::ScheduleFile::from_json(source)] {
        let Ok(file) = file else { continue };
        let years: Vec<i32> = file.years.iter().map(|y| y.year).collect();
        let Ok(calendar) = calendar().with_schedules(file) else { continue };
        for year in years {
            if let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1) {
                let _ = calendar.add_working_days(first, 260);
                let _ = calendar.working_days_between(first, first + chrono::Days::new(366));
            }
        }
    }
}

/// Catalogue, organisation, supervision rule and scoring files, each in every format it comes in.
pub fn catalogue(data: &[u8]) {
    let Some(source) = text(data) else { return };
    for file in [CatalogueFile::from_toml(source), CatalogueFile::from_json(source)].into_iter().flatten() {
        let departments = file.departments();
        let _ = Catalogue::new(file, &departments);
    }
    let _ = Organization::from_toml(source);
    let _ = Organization::from_json(source);
    let _ = SupervisionConfig::from_toml(source);
    let _ = SupervisionConfig::from_json(source);
    let _ = ScoringScheme::from_toml(source);
}

/// A 公文 in JSON: parsed, checked against GB/T 9704 and the 2012 regulations, and (when it
/// parses) written back as JSON that parses equal.
pub fn document(data: &[u8]) {
    let Some(source) = text(data) else { return };
    let Ok(document) = OfficialDocument::from_json(source) else { return };
    let _ = document.validate();
    let json = serde_json::to_string(&document).expect("a document serialises");
    let again = OfficialDocument::from_json(&json)
        .unwrap_or_else(|e| panic!("a document written as JSON does not read back: {e}"));
    assert_eq!(again, document, "JSON round trip changed the document");
}

#[derive(Deserialize)]
struct Script {
    #[serde(default)]
    step: Vec<Step>,
}

#[derive(Deserialize)]
struct Step {
    at: String,
    actor: ActorSpec,
    command: Command,
}

#[derive(Deserialize)]
struct ActorSpec {
    id: String,
    #[serde(default)]
    role: Option<Role>,
    department: String,
}

fn parallel_process() -> &'static Arc<Process> {
    static PROCESS: OnceLock<Arc<Process>> = OnceLock::new();
    PROCESS.get_or_init(|| {
        Arc::new(
            Process::new(import_bpmn(PARALLEL_PROCESS).expect("the fixture imports")).expect("the fixture is valid"),
        )
    })
}

/// A command script (TOML `[[step]]` tables of `at`, `actor` and `command`, as the workflow
/// scenario files have them) run against a case of the 企业开办 parallel-approval process. A
/// refused command must leave the case unchanged; at the end, replaying the case's events must
/// give the same case.
pub fn commands(data: &[u8]) {
    let Some(source) = text(data) else { return };
    let Ok(script) = toml::from_str::<Script>(source) else { return };
    let process = parallel_process();
    let region = "530102".parse().expect("a region code");
    let mut case = Case::new(process.clone(), "KB-1".into(), "KB-001".into(), "scjg".into(), region);
    let item = ServiceItem::new(
        "KB-001".into(),
        "企业开办",
        "scjg".into(),
        ItemKind::Joint,
        TimeLimit::working_days(45),
        TimeLimit::working_days(5),
    );
    for step in script.step {
        let at = DateTime::parse_from_rfc3339(&step.at).ok().or_else(|| {
            let local = NaiveDateTime::parse_from_str(&step.at, "%Y-%m-%dT%H:%M").ok()?;
            local.and_local_timezone(FixedOffset::east_opt(8 * 3600)?).single()
        });
        let Some(at) = at else { continue };
        let context = Context {
            actor: Actor { id: step.actor.id.as_str().into(), name: None, role: step.actor.role },
            department: step.actor.department.as_str().into(),
            at,
        };
        let before = case.snapshot();
        if case.execute(step.command, &context).is_err() {
            assert_eq!(case.snapshot(), before, "a refused command changed the case");
        }
        let _ = case.progress(calendar(), &item, LimitReference::Legal, zhengwu_core::china_day(at));
    }
    // A script whose every command was refused leaves a case without events: nothing to replay.
    if case.events().is_empty() {
        return;
    }
    let replayed = Case::replay(process.clone(), case.events())
        .unwrap_or_else(|e| panic!("a case's own events do not replay: {e}"));
    assert_eq!(replayed.snapshot(), case.snapshot(), "replay differs from the live case");
}

/// Codes: 统一社会信用代码, 组织机构代码 and 公民身份号码, one per line.
pub fn codes(data: &[u8]) {
    let Some(source) = text(data) else { return };
    for line in source.lines() {
        if let Ok(code) = zhengwu_credit::CreditCode::new(line) {
            let _ = (code.registration_authority(), code.category(), code.region_code(), code.organization_code());
        }
        let _ = zhengwu_credit::validate_organization_code(line);
        let _ = zhengwu_credit::validate_resident_id(line);
    }
}
