//! 证书链验证: building and checking a certificate's chain to the configured trust anchors.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::certificate::{Certificate, Identity};
use crate::crl::RevocationList;
use crate::error::{Error, Result};

/// Longest chain accepted (leaf, intermediates, anchor).
const MAX_CHAIN: usize = 8;

/// What to do when no CRL covers a certificate of the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RevocationPolicy {
    /// Check against the CRLs given; a certificate whose issuer has none is reported unchecked.
    #[default]
    IfAvailable,
    /// Every certificate below the anchor must be covered by a CRL of its issuer.
    Require,
}

/// What the leaf certificate is to be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyPurpose {
    /// 签名证书: signing (key usage digitalSignature), as for login and signed events.
    Signing,
    /// Any: the key usage of the leaf is not checked.
    Any,
}

/// Whether a certificate of a verified chain was checked against a CRL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RevocationStatus {
    /// Its issuer's CRL was given and does not list it (as of the instant checked).
    NotRevoked,
    /// No CRL of its issuer was given.
    Unchecked,
    /// A trust anchor: trusted by configuration, not checked.
    Anchor,
}

/// One certificate of a verified chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainLink {
    /// Subject, RFC 4514.
    pub subject: String,
    /// Serial, hex.
    pub serial: String,
    /// notAfter.
    pub not_after: DateTime<Utc>,
    /// The revocation check done.
    pub revocation: RevocationStatus,
}

/// A certificate that verified: who it names, and the chain that vouches for it (leaf first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifiedChain {
    /// The leaf's identity.
    pub identity: Identity,
    /// Leaf first, anchor last.
    pub chain: Vec<ChainLink>,
    /// The instant the chain was checked at.
    pub at: DateTime<Utc>,
}

/// 信任库: the provincial CA's roots (trust anchors), the issuing CAs below them, and their CRLs.
///
/// ```
/// use chrono::{DateTime, Utc};
/// use zhengwu_identity::{Certificate, KeyPurpose, RevocationList, TrustStore};
/// let pki = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/pki/sm2/");
/// let read = |name: &str| std::fs::read(format!("{pki}{name}")).unwrap();
/// let mut trust = TrustStore::new();
/// trust.add_anchor(Certificate::from_bytes(&read("root.pem"))?);
/// trust.add_intermediate(Certificate::from_bytes(&read("ca.pem"))?);
/// trust.add_crl(RevocationList::from_bytes(&read("ca.crl.pem"))?);
/// let at: DateTime<Utc> = "2027-06-01T00:00:00Z".parse().unwrap();
/// let official = Certificate::from_bytes(&read("official.pem"))?;
/// let verified = trust.verify(&official, at, KeyPurpose::Signing)?;
/// assert_eq!(verified.identity.id_number.as_deref(), Some("11010519491231002X"));
/// assert_eq!(verified.chain.len(), 3);
/// # Ok::<(), zhengwu_identity::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    anchors: Vec<Certificate>,
    intermediates: Vec<Certificate>,
    crls: Vec<RevocationList>,
    policy: RevocationPolicy,
}

impl TrustStore {
    /// An empty store: nothing is trusted.
    pub fn new() -> Self {
        Self::default()
    }

    /// Trusts a root.
    pub fn add_anchor(&mut self, certificate: Certificate) -> &mut Self {
        if !self.anchors.contains(&certificate) {
            self.anchors.push(certificate);
        }
        self
    }

    /// Adds an issuing CA (trusted only through a chain to an anchor).
    pub fn add_intermediate(&mut self, certificate: Certificate) -> &mut Self {
        if !self.intermediates.contains(&certificate) {
            self.intermediates.push(certificate);
        }
        self
    }

    /// Adds a CRL; its signature is checked against its issuer when a chain uses it.
    pub fn add_crl(&mut self, crl: RevocationList) -> &mut Self {
        self.crls.push(crl);
        self
    }

    /// Sets the revocation policy.
    pub fn with_revocation_policy(&mut self, policy: RevocationPolicy) -> &mut Self {
        self.policy = policy;
        self
    }

    /// Verifies `leaf` at `at`: its chain to an anchor, every signature, validity, CRLs and key
    /// usage. The first problem found is the error, leaf first; within one certificate the order is
    /// signature, validity, revocation, key usage.
    pub fn verify(&self, leaf: &Certificate, at: DateTime<Utc>, purpose: KeyPurpose) -> Result<VerifiedChain> {
        let mut chain = Vec::new();
        let mut current = leaf;
        loop {
            if chain.len() >= MAX_CHAIN {
                return Err(Error::ChainTooLong { subject: leaf.subject().to_owned(), limit: MAX_CHAIN });
            }
            if self.anchors.contains(current) {
                current.check_critical_extensions()?;
                current.check_validity(at)?;
                if chain.is_empty() {
                    check_usage(current, purpose)?;
                }
                chain.push(link(current, RevocationStatus::Anchor));
                break;
            }
            let issuer = self.issuer_of(current)?;
            current.check_critical_extensions()?;
            current.check_validity(at)?;
            let revocation = self.check_revocation(current, issuer, at)?;
            if chain.is_empty() {
                check_usage(current, purpose)?;
            }
            chain.push(link(current, revocation));
            // CAs between the leaf and this issuer: `chain.len() - 1`.
            if !self.anchors.contains(issuer) {
                check_ca(issuer, chain.len() - 1)?;
            } else {
                check_ca_if_marked(issuer)?;
            }
            current = issuer;
        }
        Ok(VerifiedChain { identity: leaf.identity(), chain, at })
    }

    /// The certificate among anchors and intermediates that signed `certificate`.
    fn issuer_of(&self, certificate: &Certificate) -> Result<&Certificate> {
        let mut first_error = None;
        for candidate in self.anchors.iter().chain(&self.intermediates) {
            if candidate.subject_name() != certificate.issuer_name() || candidate == certificate {
                continue;
            }
            match certificate.verify_issued_by(candidate) {
                Ok(()) => return Ok(candidate),
                Err(error) => {
                    first_error.get_or_insert(error);
                }
            }
        }
        Err(first_error.unwrap_or_else(|| Error::UntrustedIssuer {
            subject: certificate.subject().to_owned(),
            issuer: certificate.issuer().to_owned(),
        }))
    }

    fn check_revocation(
        &self,
        certificate: &Certificate,
        issuer: &Certificate,
        at: DateTime<Utc>,
    ) -> Result<RevocationStatus> {
        let mut covered = false;
        for crl in self.crls.iter().filter(|crl| crl.issuer_name() == certificate.issuer_name()) {
            crl.verify_signed_by(issuer)?;
            if let Some(next_update) = crl.next_update()
                && at > next_update
            {
                return Err(Error::StaleCrl { issuer: crl.issuer().to_owned(), next_update, at });
            }
            covered = true;
            if let Some(entry) = crl.lookup(certificate.serial_bytes())
                && entry.revoked_at <= at
            {
                return Err(Error::Revoked {
                    subject: certificate.subject().to_owned(),
                    serial: entry.serial,
                    revoked_at: entry.revoked_at,
                    reason: entry.reason,
                });
            }
        }
        match (covered, self.policy) {
            (true, _) => Ok(RevocationStatus::NotRevoked),
            (false, RevocationPolicy::IfAvailable) => Ok(RevocationStatus::Unchecked),
            (false, RevocationPolicy::Require) => Err(Error::MissingCrl { issuer: certificate.issuer().to_owned() }),
        }
    }
}

fn link(certificate: &Certificate, revocation: RevocationStatus) -> ChainLink {
    ChainLink {
        subject: certificate.subject().to_owned(),
        serial: certificate.serial(),
        not_after: certificate.not_after(),
        revocation,
    }
}

fn check_usage(certificate: &Certificate, purpose: KeyPurpose) -> Result<()> {
    match purpose {
        KeyPurpose::Any => Ok(()),
        KeyPurpose::Signing => match certificate.key_usage()? {
            Some(usage) if !usage.digital_signature() => {
                Err(Error::WrongKeyUsage { subject: certificate.subject().to_owned(), needed: "digitalSignature" })
            }
            _ => Ok(()),
        },
    }
}

/// An issuing CA must say it is one, may sign certificates, and allow `below` CAs under it
/// (its path length constraint).
fn check_ca(certificate: &Certificate, below: usize) -> Result<()> {
    let (is_ca, path_length) = certificate.ca_constraints()?;
    if !is_ca {
        return Err(Error::WrongKeyUsage { subject: certificate.subject().to_owned(), needed: "CA" });
    }
    if path_length.is_some_and(|limit| below > usize::from(limit)) {
        return Err(Error::WrongKeyUsage {
            subject: certificate.subject().to_owned(),
            needed: "a CA below it (pathLenConstraint)",
        });
    }
    check_ca_if_marked(certificate)
}

/// A root is trusted by configuration; if it carries key usage, it must allow certificate signing.
fn check_ca_if_marked(certificate: &Certificate) -> Result<()> {
    match certificate.key_usage()? {
        Some(usage) if !usage.key_cert_sign() => {
            Err(Error::WrongKeyUsage { subject: certificate.subject().to_owned(), needed: "keyCertSign" })
        }
        _ => Ok(()),
    }
}
