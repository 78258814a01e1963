//! `zhengwu cert verify` and `zhengwu doc validate`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::Subcommand;
use serde::Serialize;
use zhengwu_core::{OfficialDocument, Violation};
use zhengwu_identity::{Certificate, KeyPurpose, RevocationList, TrustStore, VerifiedChain};

use crate::Format;

#[derive(Subcommand)]
pub(crate) enum CertCommand {
    /// Verifies a certificate's chain to trusted roots: validity at an instant, signatures, key
    /// usage (digitalSignature), CRLs. Exit 0 when valid; 1 with the reason otherwise.
    Verify {
        /// The certificate (PEM or DER).
        cert: PathBuf,
        /// A trusted root (repeatable); a PEM bundle may hold several.
        #[arg(long, required = true)]
        trust: Vec<PathBuf>,
        /// An issuing CA between the root and the certificate (repeatable, PEM or DER).
        #[arg(long)]
        intermediate: Vec<PathBuf>,
        /// A CRL (repeatable, PEM or DER).
        #[arg(long)]
        crl: Vec<PathBuf>,
        /// The instant to check at, RFC 3339 (default: now).
        #[arg(long)]
        at: Option<DateTime<Utc>>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Subcommand)]
pub(crate) enum DocCommand {
    /// Checks a 公文 (JSON) against the 行文规则 and GB/T 9704 formats: every violation with its
    /// rule code and severity; exit 1 if there is an error (warnings alone exit 0).
    Validate {
        /// The document, JSON.
        doc: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    crate::files::read_bytes(path)
}

fn certificates(path: &Path) -> anyhow::Result<Vec<Certificate>> {
    let bytes = read(path)?;
    let parsed = match std::str::from_utf8(&bytes) {
        Ok(text) if text.trim_start().starts_with("-----BEGIN") => Certificate::from_pem_bundle(text),
        _ => Certificate::from_der(&bytes).map(|c| vec![c]),
    };
    parsed.with_context(|| format!("in `{}`", path.display()))
}

#[derive(Serialize)]
struct CertAnswer {
    valid: bool,
    at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    identity: Option<zhengwu_identity::Identity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    chain: Option<Vec<zhengwu_identity::ChainLink>>,
    #[serde(skip)]
    verified: Option<VerifiedChain>,
}

#[allow(clippy::print_stdout)]
pub(crate) fn cert(command: CertCommand) -> anyhow::Result<ExitCode> {
    let CertCommand::Verify { cert, trust, intermediate, crl, at, format } = command;
    let at = at.unwrap_or_else(crate::now);
    let leaf = Certificate::from_bytes(&read(&cert)?).with_context(|| format!("in `{}`", cert.display()))?;
    let mut store = TrustStore::new();
    for path in &trust {
        for certificate in certificates(path)? {
            store.add_anchor(certificate);
        }
    }
    for path in &intermediate {
        for certificate in certificates(path)? {
            store.add_intermediate(certificate);
        }
    }
    for path in &crl {
        store.add_crl(RevocationList::from_bytes(&read(path)?).with_context(|| format!("in `{}`", path.display()))?);
    }
    let answer = match store.verify(&leaf, at, KeyPurpose::Signing) {
        Ok(verified) => CertAnswer {
            valid: true,
            at,
            reason: None,
            identity: Some(verified.identity.clone()),
            chain: Some(verified.chain.clone()),
            verified: Some(verified),
        },
        Err(error) => CertAnswer {
            valid: false,
            at,
            reason: Some(error.to_string()),
            identity: None,
            chain: None,
            verified: None,
        },
    };
    match format {
        Format::Json => println!("{}", serde_json::to_string(&answer)?),
        Format::Text => match (&answer.verified, &answer.reason) {
            (Some(verified), _) => {
                let identity = &verified.identity;
                println!("valid at {at}");
                println!("subject: {}", verified.chain[0].subject);
                if let Some(name) = &identity.name {
                    println!("name: {name}");
                }
                if let Some(id) = &identity.id_number {
                    println!("公民身份号码: {id}");
                }
                if let Some(code) = &identity.credit_code {
                    println!("统一社会信用代码: {code}");
                }
                println!("serial: {}", identity.serial);
                println!("issuer: {}", identity.issuer);
                for link in &verified.chain {
                    println!("  {} (serial {}, revocation {:?})", link.subject, link.serial, link.revocation);
                }
            }
            (None, Some(reason)) => println!("invalid: {reason}"),
            (None, None) => unreachable!("an answer is valid or has a reason"),
        },
    }
    Ok(if answer.valid { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

#[derive(Serialize)]
struct DocAnswer<'a> {
    id: &'a str,
    violations: &'a [Violation],
}

#[allow(clippy::print_stdout)]
pub(crate) fn doc(command: DocCommand) -> anyhow::Result<ExitCode> {
    let DocCommand::Validate { doc, format } = command;
    let text = String::from_utf8(read(&doc)?).with_context(|| format!("`{}` is not UTF-8", doc.display()))?;
    let document = OfficialDocument::from_json(&text).with_context(|| format!("in `{}`", doc.display()))?;
    let violations = document.validate();
    match format {
        Format::Json => {
            println!("{}", serde_json::to_string(&DocAnswer { id: &document.id, violations: &violations })?)
        }
        Format::Text if violations.is_empty() => println!("{}: no violations", document.id),
        Format::Text => {
            for violation in &violations {
                let severity = match violation.severity {
                    zhengwu_core::Severity::Error => "error",
                    zhengwu_core::Severity::Warning => "warning",
                };
                println!("{} {severity} [{}] {}", violation.code, violation.element, violation.message);
            }
        }
    }
    // Warnings (what holds "in principle") are shown but do not fail the document.
    let errors = violations.iter().any(|v| v.severity == zhengwu_core::Severity::Error);
    Ok(if errors { ExitCode::from(1) } else { ExitCode::SUCCESS })
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
            let certificate =
                Certificate::from_bytes(&read(cert)?).with_context(|| format!("in `{}`", cert.display()))?;
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
    match (&signed.signature, trust.is_empty()) {
        (Some(_), true) => {
            anyhow::bail!("the checkpoint `{}` is signed: give --trust ROOT to check its signer", path.display())
        }
        (Some(signature), false) => {
            let mut store = TrustStore::new();
            for root in trust {
                for certificate in certificates(root)? {
                    store.add_anchor(certificate);
                }
            }
            zhengwu_identity::verify_detached(
                &signed.checkpoint.signed_bytes(),
                signature,
                &store,
                crate::now(),
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
