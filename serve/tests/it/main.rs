//! The centre end to end on loopback: certificates made by OpenSSL (`scripts/serve/make_pki.sh`),
//! the client of this crate, the store read back after shutdown.

mod forward;
mod refusals;
mod reports;
mod shared;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use zhengwu_core::{Calendar, Catalogue, CatalogueFile};
use zhengwu_serve::{Client, ClientIdentity, ClientTrust, Clients, Limits, Running, ServeConfig, Server};
use zhengwu_store::{EventStore, SqliteStore};
use zhengwu_supervision::{ScoringScheme, SupervisionConfig, Supervisor};

pub(crate) fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The PKI, made once per test run.
pub(crate) fn pki() -> &'static Path {
    static PKI: OnceLock<tempfile::TempDir> = OnceLock::new();
    PKI.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let status = std::process::Command::new("bash")
            .arg(repository().join("scripts/serve/make_pki.sh"))
            .arg(dir.path())
            .status()
            .expect("bash runs make_pki.sh");
        assert!(status.success(), "make_pki.sh failed");
        dir
    })
    .path()
}

/// A value of `codes.env`.
pub(crate) fn code(name: &str) -> String {
    let text = std::fs::read_to_string(pki().join("codes.env")).unwrap();
    text.lines().find_map(|l| l.strip_prefix(&format!("{name}="))).unwrap().to_owned()
}

pub(crate) fn catalogue() -> Catalogue {
    let text = std::fs::read_to_string(repository().join("tests/data/supervision/catalogue.toml")).unwrap();
    let file = CatalogueFile::from_toml(&text).unwrap();
    let departments = file.departments();
    Catalogue::new(file, &departments).unwrap()
}

/// The fixture's events of one department, as a body.
pub(crate) fn events_of(department: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(repository().join("tests/data/supervision/events.jsonl")).unwrap();
    let mut body = String::new();
    for line in text.lines().filter(|l| l.contains(&format!("\"department\": \"{department}\""))) {
        body.push_str(line);
        body.push('\n');
    }
    body.into_bytes()
}

/// A centre on a fresh store in a temporary folder.
pub(crate) struct Centre {
    pub(crate) running: Option<Running>,
    pub(crate) store: PathBuf,
    limits: Limits,
    /// The upper centre's URL and the certificate to forward with.
    forward: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

/// The centre's configuration: the fixture's catalogue, the two departments' systems and the
/// official, the PKI's files, any free port.
pub(crate) fn config(limits: Limits) -> ServeConfig {
    let clients = format!(
        "[[client]]\ncredit_code = \"{}\"\ndepartments = [\"km-scjg\"]\n\n[[client]]\ncredit_code = \"{}\"\n\
         departments = [\"km-zjj\"]\n\n[[official]]\nid_number = \"{}\"\nofficial = \"jc-001\"\nregions = [\"530100\"]\n",
        code("SCJG_CODE"),
        code("ZJJ_CODE"),
        code("OFFICIAL_ID")
    );
    ServeConfig {
        calendar: Calendar::china(),
        catalogue: catalogue(),
        organization: None,
        rules: SupervisionConfig::default(),
        scheme: ScoringScheme::default(),
        clients: Clients::from_toml(&clients, None).unwrap(),
        trust: ClientTrust::load(&pki().join("ca.pem"), Some(&pki().join("crl.pem"))).unwrap(),
        tls_cert: pki().join("server.pem"),
        tls_key: pki().join("server.key"),
        listen: "127.0.0.1:0".parse().unwrap(),
        limits,
        forward: None,
    }
}

impl Centre {
    pub(crate) async fn start(limits: Limits) -> Centre {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("centre.db");
        Self::start_on(dir, store, limits).await
    }

    async fn start_on(dir: tempfile::TempDir, store: PathBuf, limits: Limits) -> Centre {
        let opened = SqliteStore::open(&store).unwrap();
        let running = Server::start(config(limits), Box::new(opened)).await.unwrap();
        Centre { running: Some(running), store, limits, forward: None, _dir: dir }
    }

    /// A second server on the same store (several servers sharing one log).
    pub(crate) async fn beside(other: &Centre) -> Centre {
        Self::start_on(tempfile::tempdir().unwrap(), other.store.clone(), other.limits).await
    }

    /// A county centre forwarding to `upper` as `name` (a client of the upper centre).
    pub(crate) async fn forwarding_to(upper: &Centre, name: &str) -> Centre {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("county.db");
        let forward = Some((format!("https://localhost:{}", upper.address().port()), name.to_owned()));
        let mut centre = Centre { running: None, store, limits: Limits::default(), forward, _dir: dir };
        let config = centre.config().await;
        let opened = SqliteStore::open(&centre.store).unwrap();
        centre.running = Some(Server::start(config, Box::new(opened)).await.unwrap());
        centre
    }

    /// This centre's configuration, with its forwarding.
    async fn config(&self) -> ServeConfig {
        let mut config = config(self.limits);
        if let Some((url, name)) = &self.forward {
            let identity = ClientIdentity::load(
                &pki().join("root.pem"),
                Some((&pki().join(format!("{name}.pem")), &pki().join(format!("{name}.key")))),
            )
            .unwrap();
            let second = SqliteStore::open(&self.store).unwrap();
            config.forward = Some(zhengwu_serve::Forwarding::resolve(url, identity, Box::new(second)).unwrap());
        }
        config
    }

    /// Stops the centre and starts it again on the same store and port.
    pub(crate) async fn restart(&mut self) {
        let address = self.address();
        if let Some(running) = self.running.take() {
            running.shutdown().await.unwrap();
        }
        let mut config = self.config().await;
        config.listen = address;
        let opened = SqliteStore::open(&self.store).unwrap();
        self.running = Some(Server::start(config, Box::new(opened)).await.unwrap());
    }

    pub(crate) fn address(&self) -> std::net::SocketAddr {
        self.running.as_ref().unwrap().local_addr()
    }

    /// A client with `name`'s certificate (`None`: no certificate).
    pub(crate) async fn client(&self, name: Option<&str>) -> zhengwu_serve::Result<Client> {
        client_at(self.address(), name).await
    }

    /// Stops the centre and reads its store back.
    pub(crate) async fn stop(&mut self) -> SqliteStore {
        if let Some(running) = self.running.take() {
            running.shutdown().await.unwrap();
        }
        SqliteStore::open(&self.store).unwrap()
    }
}

/// A client of the centre at `address` with `name`'s certificate (`None`: no certificate).
pub(crate) async fn client_at(address: std::net::SocketAddr, name: Option<&str>) -> zhengwu_serve::Result<Client> {
    let (cert, key) = name.map(|n| (pki().join(format!("{n}.pem")), pki().join(format!("{n}.key")))).unzip();
    let identity = ClientIdentity::load(&pki().join("root.pem"), cert.as_deref().zip(key.as_deref()))?;
    Client::connect(address, "localhost", &identity).await
}

/// A supervisor fed with a store's events, as a replay would.
pub(crate) fn replayed(store: &mut SqliteStore) -> Supervisor {
    let mut supervisor = Supervisor::new(Calendar::china(), catalogue(), SupervisionConfig::default());
    for stored in EventStore::read_all(store).unwrap() {
        supervisor.ingest(stored.event);
    }
    supervisor
}
