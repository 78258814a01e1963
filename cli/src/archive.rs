//! `zhengwu archive`: a concluded case packed from the store into one archival package, and a
//! package verified member by member.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, FixedOffset};
use clap::Subcommand;
use zhengwu_archive::{HashAlgorithm, Package, Retention};
use zhengwu_identity::TrustStore;

use crate::calendar::Format;

#[derive(Subcommand)]
pub(crate) enum ArchiveCommand {
    /// Packs a closed case from the store: its events, the signers' certificates, the documents
    /// given, the metadata and a manifest of hashes (see zhengwu-archive's README for the layout).
    Pack {
        /// The SQLite event log.
        #[arg(long)]
        store: PathBuf,
        /// The case to pack.
        #[arg(long)]
        case: String,
        /// Where to write the package (refused if it exists).
        #[arg(long)]
        out: PathBuf,
        /// 保管期限: permanent (永久), 30y (定期30年) or 10y (定期10年).
        #[arg(long)]
        retention: String,
        /// A document of the case (the decision, the licence, a material): stored under its file
        /// name (repeatable).
        #[arg(long)]
        document: Vec<PathBuf>,
        /// The manifest's hash: sm3 (default) or sha256.
        #[arg(long, default_value = "sm3")]
        hash: String,
        /// The archiving unit, for the metadata.
        #[arg(long)]
        packed_by: Option<String>,
        /// When the package is made (RFC 3339; default now): fixing it makes packing reproducible.
        #[arg(long)]
        packed_at: Option<DateTime<FixedOffset>>,
        /// The archiving unit's private key (PKCS#8 PEM): signs the manifest.
        #[arg(long, requires = "sign_cert")]
        sign_key: Option<PathBuf>,
        /// The archiving unit's certificate (PEM or DER).
        #[arg(long, requires = "sign_key")]
        sign_cert: Option<PathBuf>,
    },
    /// Verifies a package: its signature, every member's bytes against the manifest, then what
    /// the members say; exit 1 naming the first member changed or missing, or the signature
    /// broken.
    Verify {
        /// The package.
        file: PathBuf,
        /// A trusted certificate (root, and any issuing CA): every signer's chain is then checked
        /// too (repeatable, PEM or DER).
        #[arg(long)]
        trust: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

pub(crate) fn run(command: ArchiveCommand) -> anyhow::Result<ExitCode> {
    match command {
        ArchiveCommand::Pack {
            store,
            case,
            out,
            retention,
            document,
            hash,
            packed_by,
            packed_at,
            sign_key,
            sign_cert,
        } => {
            let retention = Retention::parse(&retention)?;
            let hash = HashAlgorithm::parse(&hash)?;
            let signer = crate::store::checkpoint_signer(sign_key.as_deref(), sign_cert.as_deref())?;
            let log = zhengwu_store::SqliteStore::open_read_only(&store)?;
            let events: Vec<_> = log.read_case(&case.as_str().into())?.into_iter().map(|stored| stored.event).collect();
            if events.is_empty() {
                anyhow::bail!("the store `{}` holds no case `{case}`", store.display());
            }
            let china = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
            let packed_at = packed_at.unwrap_or_else(|| crate::clock::now().with_timezone(&china));
            let mut package = Package::new(&events, retention, packed_at)?.hash(hash);
            if let Some(unit) = packed_by {
                package = package.packed_by(unit);
            }
            for path in &document {
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .with_context(|| format!("`{}` has no file name in UTF-8", path.display()))?;
                package = package.document(name, crate::files::read_bytes(path)?)?;
            }
            if let Some(signer) = &signer {
                package = package.sign_with(signer);
            }
            let bytes = package.to_bytes()?;
            if out.exists() {
                anyhow::bail!("`{}` exists: a package is not overwritten", out.display());
            }
            crate::files::write_file(&out, &bytes)?;
            say(&format!(
                "{}: case `{case}`, {} events, {} documents, {} bytes",
                out.display(),
                events.len(),
                document.len(),
                bytes.len()
            ));
            Ok(ExitCode::SUCCESS)
        }
        ArchiveCommand::Verify { file, trust, format } => verify(&file, &trust, format),
    }
}

#[allow(clippy::print_stdout)]
fn say(line: &str) {
    println!("{line}");
}

fn verify(file: &Path, trust: &[PathBuf], format: Format) -> anyhow::Result<ExitCode> {
    let bytes = crate::files::read_bytes(file)?;
    let store = if trust.is_empty() {
        None
    } else {
        let mut store = TrustStore::new();
        for path in trust {
            for certificate in crate::cert::certificates(path)? {
                store.add_anchor(certificate);
            }
        }
        Some(store)
    };
    let result = zhengwu_archive::verify(&bytes, store.as_ref());
    match format {
        Format::Json => {
            let answer = match &result {
                Ok(verified) => serde_json::json!({"valid": true, "package": verified}),
                Err(error) => serde_json::json!({"valid": false, "reason": error.to_string()}),
            };
            say(&serde_json::to_string(&answer)?);
        }
        Format::Text => match &result {
            Ok(verified) => say(&format!(
                "{}: intact, case `{}` ({}), {} members ({}), {} events ({} signed){}{}",
                file.display(),
                verified.metadata.case_id,
                verified.metadata.retention_term,
                verified.members,
                verified.hash.name(),
                verified.events,
                verified.signed_events,
                verified.package_signer.as_ref().map(|s| format!(", packed and signed by `{s}`")).unwrap_or_default(),
                if verified.chains_checked {
                    ", signers trusted"
                } else {
                    ", signers' chains not checked (no --trust)"
                },
            )),
            Err(error) => say(&format!("{}: {error}", file.display())),
        },
    }
    Ok(if result.is_ok() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
