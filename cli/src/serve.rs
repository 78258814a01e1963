//! `zhengwu serve`: the live supervision centre (`zhengwu-serve`) on a store, with TLS client
//! certificates.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use zhengwu_serve::{ClientIdentity, ClientTrust, Clients, Forwarding, Limits, ServeConfig, Server};
use zhengwu_store::{EventStore, SqliteStore};

use crate::calendar::{Common, calendar};
use crate::report::{catalogue_for, read, read_organization, read_rules, read_scheme};

#[derive(Args)]
pub(crate) struct ServeArgs {
    /// The event store: a SQLite file (created when missing), or a PostgreSQL connection string
    /// (`postgresql://…`, with the `postgres` feature) when several centres share one log.
    #[arg(long, value_name = "DB")]
    store: String,
    /// The service-item catalogue (TOML, or JSON by extension).
    #[arg(long = "catalogue", visible_alias = "catalog", value_name = "FILE")]
    catalogue: PathBuf,
    /// The organisation directory: region roll-ups, department names, checks of the clients file.
    #[arg(long, value_name = "FILE")]
    organization: Option<PathBuf>,
    /// The rule configuration (TOML, or JSON by extension).
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
    /// The scoring scheme (TOML) of the ranking; default: domain.md §2.4's.
    #[arg(long, value_name = "FILE")]
    scheme: Option<PathBuf>,
    /// The address to listen on, e.g. 127.0.0.1:8443 (port 0: any free port, printed).
    #[arg(long, value_name = "ADDR")]
    listen: SocketAddr,
    /// The server's certificate chain (PEM).
    #[arg(long, value_name = "PEM")]
    tls_cert: PathBuf,
    /// The server's private key (PEM).
    #[arg(long, value_name = "PEM")]
    tls_key: PathBuf,
    /// The CA certificates clients' certificates chain to (PEM bundle: roots and issuing CAs).
    #[arg(long, value_name = "PEM")]
    client_ca: PathBuf,
    /// The CRLs of the client CA (PEM), read again whenever the file changes.
    #[arg(long, value_name = "PEM")]
    client_crl: Option<PathBuf>,
    /// Who may report and read (TOML: `[[client]]` by credit code, `[[official]]` by 公民身份号码).
    #[arg(long, value_name = "FILE")]
    clients: PathBuf,
    /// The largest request body in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_body_bytes)]
    max_body: usize,
    /// Events waiting for the writer at most; beyond them a batch is answered 503 with Retry-After.
    #[arg(long, value_name = "EVENTS", default_value_t = Limits::default().max_queued_events)]
    max_queued: usize,
    /// Seconds a client has for a request's headers, and again for its body.
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::default().request_timeout_secs)]
    request_timeout: u64,
    /// Connections open at once.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_connections)]
    max_connections: usize,
    /// The centre above this one (a county's: the city's), `https://host:port`: the log is
    /// forwarded to it in order, resumed after a restart, each event once.
    #[arg(long, value_name = "URL", requires_all = ["forward_cert", "forward_key"])]
    forward: Option<String>,
    /// This centre's client certificate for forwarding (PEM, with its chain).
    #[arg(long, value_name = "PEM")]
    forward_cert: Option<PathBuf>,
    /// Its private key (PEM).
    #[arg(long, value_name = "PEM")]
    forward_key: Option<PathBuf>,
    /// The CA of the upper centre's certificate (PEM); default: `--client-ca`.
    #[arg(long, value_name = "PEM")]
    forward_ca: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

fn open_store(spec: &str) -> anyhow::Result<Box<dyn EventStore + Send>> {
    if spec.starts_with("postgres://") || spec.starts_with("postgresql://") || spec.contains("host=") {
        #[cfg(feature = "postgres")]
        {
            let store =
                zhengwu_store::PostgresStore::connect(spec).context("cannot connect to the PostgreSQL store")?;
            return Ok(Box::new(store));
        }
        #[cfg(not(feature = "postgres"))]
        anyhow::bail!("`--store {spec}` is a PostgreSQL store: build zhengwu with `--features postgres`");
    }
    let store = SqliteStore::open(spec).with_context(|| format!("cannot open the store `{spec}`"))?;
    Ok(Box::new(store))
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
pub(crate) fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let calendar = calendar(&args.common)?;
    let organization = args.organization.as_deref().map(read_organization).transpose()?;
    let catalogue = catalogue_for(&args.catalogue, organization.as_ref())?;
    let rules = read_rules(args.rules.as_deref())?;
    let scheme = read_scheme(args.scheme.as_deref())?;
    let clients = Clients::from_toml(&read(&args.clients)?, organization.as_ref())
        .with_context(|| format!("in `{}`", args.clients.display()))?;
    let trust = ClientTrust::load(&args.client_ca, args.client_crl.as_deref())?;
    let limits = Limits {
        max_body_bytes: args.max_body,
        max_queued_events: args.max_queued,
        request_timeout_secs: args.request_timeout,
        max_connections: args.max_connections.max(1),
        ..Limits::default()
    };
    let store = open_store(&args.store)?;
    let forward_identity = match (&args.forward, &args.forward_cert, &args.forward_key) {
        (Some(_), Some(cert), Some(key)) => Some(ClientIdentity::load(
            args.forward_ca.as_deref().unwrap_or(&args.client_ca),
            Some((cert.as_path(), key.as_path())),
        )?),
        _ => None,
    };
    let forward_store = match forward_identity {
        Some(_) => Some(open_store(&args.store)?),
        None => None,
    };
    let forward = match (&args.forward, forward_identity, forward_store) {
        (Some(url), Some(identity), Some(second)) => Some(Forwarding::resolve(url, identity, second)?),
        _ => None,
    };
    let config = ServeConfig {
        calendar,
        catalogue,
        organization,
        rules,
        scheme,
        clients,
        trust,
        tls_cert: args.tls_cert,
        tls_key: args.tls_key,
        listen: args.listen,
        limits,
        forward,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let running = Server::start(config, store).await?;
        println!(
            "zhengwu serve: listening on https://{} ({} events replayed from the store)",
            running.local_addr(),
            running.replayed()
        );
        running.serve_until(interrupted()).await
    })?;
    eprintln!("zhengwu serve: stopped");
    Ok(ExitCode::SUCCESS)
}

/// Ctrl-C or SIGTERM: the centre stops taking requests, commits what is queued and exits.
async fn interrupted() {
    #[cfg(unix)]
    {
        let mut terminate = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(signal) => signal,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
