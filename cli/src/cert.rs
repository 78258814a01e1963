//! `zhengwu cert verify` and `zhengwu doc validate`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::Subcommand;
use serde::Serialize;
use zhengwu_identity::{
    Certificate, KeyPurpose, OcspResponse, RevocationList, TrustStore, VerifiedChain, VerifyOptions,
};

use crate::calendar::Format;

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

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    crate::files::read_bytes(path)
}

pub(crate) fn certificates(path: &Path) -> anyhow::Result<Vec<Certificate>> {
    Certificate::all_from_bytes(&read(path)?).with_context(|| format!("in `{}`", path.display()))
}

/// A trust store of the certificates in `paths` as anchors (`--trust`, repeatable); `None` when
/// no path is given.
pub(crate) fn anchors(paths: &[std::path::PathBuf]) -> anyhow::Result<Option<TrustStore>> {
    if paths.is_empty() {
        return Ok(None);
    }
    let mut store = TrustStore::new();
    for path in paths {
        for certificate in certificates(path)? {
            store.add_anchor(certificate);
        }
    }
    Ok(Some(store))
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
        match Certificate::all_from_bytes(&bytes) {
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
    let at = at.unwrap_or_else(crate::clock::now);
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
