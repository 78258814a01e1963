//! Load for `zhengwu serve`: concurrent reporting systems posting batches of real events (cases
//! received, accepted, concluded and delivered) and waiting for each durable acknowledgement.
//!
//! ```text
//! cargo run --release -p zhengwu-serve --example load -- --address 127.0.0.1:8443 \
//!     --pki DIR --clients 16 --events 400000 --batch 500 [--rate EVENTS_PER_S] [--acks FILE]
//! ```
//! `--pki` is a folder made by `scripts/serve/make_pki.sh` (the `scjg` client posts for
//! `km-scjg`, the 即办件 `530100-SCJG-002` of `tests/data/supervision/catalogue.toml`, received,
//! accepted, concluded with a licence number and delivered within the hour; one case in a hundred lacks
//! its licence number, a yellow card). With `--rate`
//! the batches are paced to that many events per second in all. A connection that fails (the
//! centre killed) is opened again and the unacknowledged batch sent again, until `--patience`
//! seconds without an answer. `--acks FILE` appends `case sequence` for every event acknowledged
//! as accepted or duplicate, for the crash test to check against the store. The last line is
//! JSON: events, seconds, events_per_s, p50_ms, p99_ms, retries.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use zhengwu_serve::{Client, ClientIdentity};

struct Options {
    address: SocketAddr,
    pki: PathBuf,
    clients: usize,
    events: usize,
    batch: usize,
    rate: Option<f64>,
    acks: Option<PathBuf>,
    prefix: String,
    patience: u64,
}

fn options() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let mut options = Options {
        address: "127.0.0.1:8443".parse().map_err(|e| format!("{e}"))?,
        pki: PathBuf::from("pki"),
        clients: 16,
        events: 100_000,
        batch: 500,
        rate: None,
        acks: None,
        prefix: format!("LOAD-{}", std::process::id()),
        patience: 60,
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--address" => options.address = value()?.parse().map_err(|e| format!("--address: {e}"))?,
            "--pki" => options.pki = PathBuf::from(value()?),
            "--clients" => options.clients = value()?.parse().map_err(|e| format!("--clients: {e}"))?,
            "--events" => options.events = value()?.parse().map_err(|e| format!("--events: {e}"))?,
            "--batch" => options.batch = value()?.parse().map_err(|e| format!("--batch: {e}"))?,
            "--rate" => options.rate = Some(value()?.parse().map_err(|e| format!("--rate: {e}"))?),
            "--acks" => options.acks = Some(PathBuf::from(value()?)),
            "--prefix" => options.prefix = value()?,
            "--patience" => options.patience = value()?.parse().map_err(|e| format!("--patience: {e}"))?,
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if options.clients == 0 || options.batch == 0 {
        return Err("--clients and --batch must be at least 1".into());
    }
    Ok(options)
}

/// Events of one case: received, accepted, concluded with its licence number, delivered.
const PER_CASE: u64 = 4;

/// Event `sequence` (1–4) of case `case`.
fn event(prefix: &str, case: usize, sequence: u64) -> String {
    let day = 2 + (case % 20) as u32;
    let (minute, kind) = match sequence {
        1 => (0, r#""type":"received","channel":"online""#.to_owned()),
        2 => (20, r#""type":"accepted""#.to_owned()),
        // One case in a hundred is concluded without its licence number: 异常办结, a yellow card.
        3 if case.is_multiple_of(100) => (40, r#""type":"concluded","decision":"granted""#.to_owned()),
        3 => (40, format!(r#""type":"concluded","decision":"granted","document_number":"昆市监变〔2026〕{case}号""#)),
        _ => (50, r#""type":"result_delivered","method":"电子证照""#.to_owned()),
    };
    let at = format!("2026-11-{day:02}T10:{minute:02}:00+08:00");
    format!(
        r#"{{"schema":1,"idempotency_key":"{prefix}-{case}#{sequence}","case_id":"{prefix}-{case}","sequence":{sequence},"item_code":"530100-SCJG-002","department":"km-scjg","region":"530102","occurred_at":"{at}","recorded_at":"{at}","actor":{{"id":"w0107"}},{kind}}}"#
    )
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    acknowledged: usize,
    retries: usize,
}

#[allow(clippy::disallowed_methods)]
fn clock() -> std::time::Instant {
    std::time::Instant::now()
}

async fn connect(options: &Options, identity: &ClientIdentity) -> Result<Client, String> {
    let deadline = clock() + Duration::from_secs(options.patience);
    loop {
        match Client::connect(options.address, "localhost", identity).await {
            Ok(client) => return Ok(client),
            Err(error) if clock() >= deadline => return Err(format!("cannot connect: {error}")),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

async fn run_client(
    index: usize,
    options: Arc<Options>,
    identity: ClientIdentity,
    tally: Arc<Mutex<Tally>>,
    acks: Option<Arc<Mutex<std::fs::File>>>,
    start: std::time::Instant,
) -> Result<(), String> {
    // This client's events: cases index, index + clients, ... each with its events.
    let cases = options.events.div_ceil(PER_CASE as usize);
    let mine: Vec<(usize, u64)> =
        (index..cases).step_by(options.clients).flat_map(|case| (1..=PER_CASE).map(move |s| (case, s))).collect();
    let mut client = connect(&options, &identity).await?;
    let per_client_rate = options.rate.map(|r| r / options.clients as f64);
    let mut sent = 0usize;
    for chunk in mine.chunks(options.batch) {
        if let Some(rate) = per_client_rate {
            let due = start + Duration::from_secs_f64(sent as f64 / rate);
            tokio::time::sleep_until(due.into()).await;
        }
        let body: String = chunk.iter().map(|(case, s)| event(&options.prefix, *case, *s) + "\n").collect();
        let began = clock();
        let deadline = began + Duration::from_secs(options.patience);
        let answer = loop {
            match client.post_events(body.clone().into_bytes()).await {
                Ok(answer) if answer.status == 200 => break answer,
                Ok(answer) if answer.status == 503 => {
                    tally.lock().map_err(|_| "poisoned")?.retries += 1;
                    tokio::time::sleep(Duration::from_secs(answer.retry_after.unwrap_or(1))).await;
                }
                Ok(answer) => return Err(format!("status {}: {}", answer.status, answer.body)),
                Err(_) if clock() < deadline => {
                    tally.lock().map_err(|_| "poisoned")?.retries += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    client = connect(&options, &identity).await?;
                }
                Err(error) => return Err(format!("no answer within {} s: {error}", options.patience)),
            }
        };
        let reply: serde_json::Value = serde_json::from_str(&answer.body).map_err(|e| e.to_string())?;
        if reply["rejected"].as_array().is_some_and(|r| !r.is_empty()) {
            return Err(format!("events rejected: {}", answer.body));
        }
        if let Some(acks) = &acks {
            let lines: String = chunk.iter().map(|(case, s)| format!("{}-{case} {s}\n", options.prefix)).collect();
            acks.lock().map_err(|_| "poisoned")?.write_all(lines.as_bytes()).map_err(|e| e.to_string())?;
        }
        let mut tally = tally.lock().map_err(|_| "poisoned")?;
        tally.latencies_us.push(began.elapsed().as_micros() as u64);
        tally.acknowledged += chunk.len();
        sent += chunk.len();
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let options = Arc::new(options()?);
    let identity = ClientIdentity::load(
        &options.pki.join("root.pem"),
        Some((&options.pki.join("scjg.pem"), &options.pki.join("scjg.key"))),
    )
    .map_err(|e| e.to_string())?;
    let acks = match &options.acks {
        Some(path) => Some(Arc::new(Mutex::new(
            std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(|e| e.to_string())?,
        ))),
        None => None,
    };
    let tally = Arc::new(Mutex::new(Tally::default()));
    let start = clock();
    let mut tasks = tokio::task::JoinSet::new();
    for index in 0..options.clients {
        tasks.spawn(run_client(index, options.clone(), identity.clone(), tally.clone(), acks.clone(), start));
    }
    while let Some(result) = tasks.join_next().await {
        result.map_err(|e| e.to_string())??;
    }
    let seconds = start.elapsed().as_secs_f64();
    let mut tally = tally.lock().map_err(|_| "poisoned")?;
    tally.latencies_us.sort_unstable();
    let percentile = |p: f64| {
        let latencies = &tally.latencies_us;
        if latencies.is_empty() {
            return 0.0;
        }
        let index = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[index] as f64 / 1000.0
    };
    let figures = serde_json::json!({
        "events": tally.acknowledged,
        "seconds": (seconds * 1000.0).round() / 1000.0,
        "events_per_s": (tally.acknowledged as f64 / seconds).round(),
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
        "retries": tally.retries,
        "clients": options.clients,
        "batch": options.batch,
    });
    #[allow(clippy::print_stdout)]
    {
        println!("{figures}");
    }
    Ok(())
}
