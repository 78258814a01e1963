//! `zhengwu cert verify` and `zhengwu doc validate`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::Subcommand;
use serde::Serialize;
use zhengwu_core::{OfficialDocument, Violation};
use zhengwu_identity::{
    Certificate, KeyPurpose, OcspResponse, RevocationList, TrustStore, VerifiedChain, VerifyOptions,
};

use crate::Format;

#[derive(Subcommand)]
pub(crate) enum CertCommand {
    /// Verifies a certificate's chain to trusted roots (RFC 5280 path validation): paths are
    /// built with backtracking; on each, every signature, validity at the instant, the RFC 5280
    /// profile of each certificate, basic and name constraints, key usage for the purpose, and
    /// the OCSP responses and CRLs given. Algorithms: RSA (PKCS#1 v1.5 and PSS, SHA-256/384/512, at least 2,048
    /// bits), ECDSA P-256 / P-384 (SHA-256/384), SM2-with-SM3.
    ///
    /// Exit status: 0 the certificate is valid; 1 it is refused, with the reason (this includes a
    /// certificate, intermediate or CRL that cannot be parsed); 2 the command could not run (a
    /// file cannot be read, a trust anchor cannot be parsed, a bad option).
    Verify {
        /// The certificate (PEM or DER).
        cert: PathBuf,
        /// A trusted root (repeatable); a PEM bundle may hold several.
        #[arg(long, required = true)]
        trust: Vec<PathBuf>,
        /// An issuing CA between the root and the certificate (repeatable, PEM or DER).
        #[arg(long)]
        intermediate: Vec<PathBuf>,
        /// A CRL (repeatable, PEM or DER; version 1 or 2).
        #[arg(long)]
        crl: Vec<PathBuf>,
        /// An OCSP response (repeatable, DER or PEM), as the CA's responder sent it; verified at
        /// the instant checked and consulted before the CRLs.
        #[arg(long)]
        ocsp: Vec<PathBuf>,
        /// The instant to check at, RFC 3339 (default: now).
        #[arg(long)]
        at: Option<DateTime<Utc>>,
        /// What the certificate is for: `signing` (the government signing profile: key usage
        /// digitalSignature, extended key usage not needed), `any`, or an extended key usage the
        /// certificate must carry: `serverAuth`, `clientAuth`, `codeSigning`, `emailProtection`,
        /// or a dotted OID.
        #[arg(long, visible_alias = "eku", default_value = "signing")]
        purpose: String,
        /// The most intermediate CAs between the certificate and a root (self-issued ones not
        /// counted; default 6).
        #[arg(long, visible_alias = "max-chain-depth")]
        max_depth: Option<usize>,
        /// The DNS name or IP address the certificate must name (a TLS peer).
        #[arg(long, visible_alias = "peer")]
        peer_name: Option<String>,
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

fn parse_certificates(bytes: &[u8]) -> zhengwu_identity::Result<Vec<Certificate>> {
    match std::str::from_utf8(bytes) {
        Ok(text) if text.trim_start().starts_with("-----BEGIN") => Certificate::from_pem_bundle(text),
        _ => Certificate::from_der(bytes).map(|c| vec![c]),
    }
}

fn certificates(path: &Path) -> anyhow::Result<Vec<Certificate>> {
    parse_certificates(&read(path)?).with_context(|| format!("in `{}`", path.display()))
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

/// Reads what is to be judged (the certificate, intermediates, CRLs) into the store: a file that
/// cannot be read is an error (exit 2); one that cannot be parsed is a refusal, returned as such.
fn load(
    store: &mut TrustStore,
    cert: &Path,
    intermediate: &[PathBuf],
    crl: &[PathBuf],
    ocsp: &[PathBuf],
) -> anyhow::Result<std::result::Result<Certificate, String>> {
    let in_file = |path: &Path, error: zhengwu_identity::Error| format!("{error} (in `{}`)", path.display());
    let leaf = match Certificate::from_bytes(&read(cert)?) {
        Ok(leaf) => leaf,
        Err(error) => return Ok(Err(in_file(cert, error))),
    };
    for path in intermediate {
        let bytes = read(path)?;
        match parse_certificates(&bytes) {
            Ok(certificates) => {
                for certificate in certificates {
                    store.add_intermediate(certificate);
                }
            }
            Err(error) => return Ok(Err(in_file(path, error))),
        }
    }
    for path in crl {
        match RevocationList::from_bytes(&read(path)?) {
            Ok(list) => {
                store.add_crl(list);
            }
            Err(error) => return Ok(Err(in_file(path, error))),
        }
    }
    for path in ocsp {
        match OcspResponse::from_bytes(&read(path)?) {
            Ok(response) => {
                store.add_ocsp_response(response);
            }
            Err(error) => return Ok(Err(in_file(path, error))),
        }
    }
    Ok(Ok(leaf))
}

#[allow(clippy::print_stdout)]
pub(crate) fn cert(command: CertCommand) -> anyhow::Result<ExitCode> {
    let CertCommand::Verify { cert, trust, intermediate, crl, ocsp, at, purpose, max_depth, peer_name, format } =
        command;
    let at = at.unwrap_or_else(crate::now);
    let purpose = KeyPurpose::parse(&purpose).context("--purpose")?;
    let mut options = VerifyOptions::for_purpose(purpose);
    options.max_intermediates = max_depth;
    options.peer_name = peer_name;
    let mut store = TrustStore::new();
    for path in &trust {
        for certificate in certificates(path)? {
            store.add_anchor(certificate);
        }
    }
    let verdict = match load(&mut store, &cert, &intermediate, &crl, &ocsp)? {
        Ok(leaf) => store.verify_with(&leaf, at, &options).map_err(|error| error.to_string()),
        Err(reason) => Err(reason),
    };
    let answer = match verdict {
        Ok(verified) => CertAnswer {
            valid: true,
            at,
            reason: None,
            identity: Some(verified.identity.clone()),
            chain: Some(verified.chain.clone()),
            verified: Some(verified),
        },
        Err(reason) => {
            CertAnswer { valid: false, at, reason: Some(reason), identity: None, chain: None, verified: None }
        }
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
