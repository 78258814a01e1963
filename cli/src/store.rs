//! `zhengwu store`: the event log's chain verified, and checkpoints written, signed and checked.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use serde::Serialize;
use zhengwu_identity::Certificate;

#[derive(Subcommand)]
pub(crate) enum StoreCommand {
    /// Checks a log's hash chain, its columns and sequence numbers, and (with `--checkpoint`) that
    /// it still holds what a checkpoint kept outside recorded; exit 1 with the first break.
    /// Opens the file read-only: nothing is created or changed.
    Verify {
        /// The SQLite log file.
        path: PathBuf,
        /// A checkpoint written earlier by `zhengwu store checkpoint` and kept outside the
        /// database: events removed from the end or a recomputed chain are found.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
        /// A trusted certificate for a signed checkpoint's signer: the root, and any issuing CA
        /// between it and the signer (repeatable, PEM or DER).
        #[arg(long)]
        trust: Vec<PathBuf>,
    },
    /// Writes the log's checkpoint (event count and head hash) as JSON to stdout, signed with the
    /// operator's key (SM2, ECDSA P-256 or RSA PKCS#8 PEM) and certificate when given.
    Checkpoint {
        /// The SQLite log file.
        path: PathBuf,
        /// The operator's private key (PKCS#8 PEM).
        #[arg(long, requires = "cert")]
        key: Option<PathBuf>,
        /// The operator's certificate (PEM or DER).
        #[arg(long, requires = "key")]
        cert: Option<PathBuf>,
    },
}

#[allow(clippy::print_stdout)]
pub(crate) fn run(command: StoreCommand) -> anyhow::Result<ExitCode> {
    match command {
        StoreCommand::Checkpoint { path, key, cert } => {
            let store = zhengwu_store::SqliteStore::open_read_only(&path)?;
            let checkpoint = store.checkpoint()?;
            let signed = sign_checkpoint(checkpoint, key.as_deref(), cert.as_deref())?;
            println!("{}", serde_json::to_string_pretty(&signed)?);
            Ok(ExitCode::SUCCESS)
        }
        StoreCommand::Verify { path, checkpoint, trust } => {
            let store = zhengwu_store::SqliteStore::open_read_only(&path)?;
            let checkpoint = match &checkpoint {
                Some(file) => Some(read_checkpoint(file, &trust)?),
                None => None,
            };
            let verification = store.verify_against(checkpoint.as_ref())?;
            Ok(match verification.first_break {
                None => {
                    println!(
                        "{}: intact, {} events, {} cases",
                        path.display(),
                        verification.events,
                        verification.cases
                    );
                    ExitCode::SUCCESS
                }
                Some((position, reason)) => {
                    println!("{}: broken at position {position}: {reason}", path.display());
                    ExitCode::from(1)
                }
            })
        }
    }
}

/// A store checkpoint as `zhengwu store checkpoint` writes it: the checkpoint and, when signed,
/// the operator's detached signature over its bytes.
#[derive(Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SignedCheckpoint {
    checkpoint: zhengwu_store::Checkpoint,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    signature: Option<zhengwu_core::DetachedSignature>,
}

pub(crate) fn sign_checkpoint(
    checkpoint: zhengwu_store::Checkpoint,
    key: Option<&Path>,
    cert: Option<&Path>,
) -> anyhow::Result<SignedCheckpoint> {
    Ok(SignedCheckpoint::new(checkpoint, checkpoint_signer(key, cert)?.as_ref()))
}

/// The operator's signing key (PKCS#8 PEM) with its certificate, when both are given.
pub(crate) fn checkpoint_signer(
    key: Option<&Path>,
    cert: Option<&Path>,
) -> anyhow::Result<Option<zhengwu_identity::SigningKey>> {
    match (key, cert) {
        (Some(key), Some(cert)) => {
            let certificate = Certificate::from_bytes(&crate::files::read_bytes(cert)?)
                .with_context(|| format!("in `{}`", cert.display()))?;
            let pem = crate::files::read_text(key)?;
            let signer = zhengwu_identity::SigningKey::from_pkcs8_pem(&pem, certificate)
                .with_context(|| format!("in `{}`", key.display()))?;
            Ok(Some(signer))
        }
        (None, None) => Ok(None),
        _ => anyhow::bail!("a checkpoint is signed with a key and its certificate: give both"),
    }
}

impl SignedCheckpoint {
    pub(crate) fn new(checkpoint: zhengwu_store::Checkpoint, signer: Option<&zhengwu_identity::SigningKey>) -> Self {
        let signature = signer.map(|signer| signer.sign_detached(&checkpoint.signed_bytes()));
        SignedCheckpoint { checkpoint, signature }
    }
}

/// The checkpoints a store writes itself, as files `checkpoint-<events>.json` in a folder kept
/// apart from the database, each signed when a key is given.
pub(crate) struct CheckpointFolder {
    pub(crate) folder: std::path::PathBuf,
    pub(crate) signer: Option<zhengwu_identity::SigningKey>,
}

impl zhengwu_store::CheckpointSink for CheckpointFolder {
    fn keep(&mut self, checkpoint: &zhengwu_store::Checkpoint) -> Result<(), String> {
        let signed = SignedCheckpoint::new(checkpoint.clone(), self.signer.as_ref());
        let path = self.folder.join(format!("checkpoint-{:010}.json", checkpoint.events));
        let json = serde_json::to_string_pretty(&signed).map_err(|e| e.to_string())?;
        crate::files::write_file(&path, json.as_bytes()).map_err(|e| format!("{e:#}"))
    }
}

/// Reads a checkpoint file; a signed one is checked against `trust` (its signer's chain now),
/// and a signed one without `--trust` is refused rather than taken on faith.
pub(crate) fn read_checkpoint(path: &Path, trust: &[PathBuf]) -> anyhow::Result<zhengwu_store::Checkpoint> {
    let text = crate::files::read_text(path)?;
    let signed: SignedCheckpoint =
        serde_json::from_str(&text).with_context(|| format!("`{}` is not a store checkpoint", path.display()))?;
    signed.checkpoint.check_version().with_context(|| format!("in `{}`", path.display()))?;
    match (&signed.signature, trust.is_empty()) {
        (Some(_), true) => {
            anyhow::bail!("the checkpoint `{}` is signed: give --trust ROOT to check its signer", path.display())
        }
        (Some(signature), false) => {
            let store = crate::cert::anchors(trust)?.unwrap_or_default();
            zhengwu_identity::verify_detached(
                &signed.checkpoint.signed_bytes(),
                signature,
                &store,
                crate::clock::now(),
                "store checkpoint",
            )
            .with_context(|| format!("the checkpoint `{}` is not signed by a trusted operator", path.display()))?;
        }
        (None, false) => {
            anyhow::bail!("the checkpoint `{}` is not signed; --trust has nothing to check", path.display())
        }
        (None, true) => {}
    }
    Ok(signed.checkpoint)
}
