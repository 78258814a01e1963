//! 证书链验证: certification path validation (RFC 5280 §6) to the configured trust anchors.
//!
//! Paths are built by rustls-webpki: issuer candidates by name, backtracking when a candidate
//! path fails, loop detection and a budget against pathological inputs, signatures (through the
//! algorithms of [`crate::verifier`], SM2-with-SM3 among them), validity, basic constraints and
//! path length, name constraints (DNS, IP, e-mail, directory names) and extended key usage. On
//! every path it completes, zhengwu's own checks decide whether the path is accepted or the
//! builder must look for another: the RFC 5280 profile of each certificate ([`crate::profile`]),
//! the trust anchor's own validity, the maximum depth, and revocation by the CRLs given.

use chrono::{DateTime, Utc};
use rustls_pki_types::{CertificateDer, ServerName};
use serde::Serialize;

use crate::certificate::{Certificate, Identity};
use crate::constraints;
use crate::crl::RevocationList;
use crate::error::{Error, Result};
use crate::ocsp::{OcspResponse, OcspStatus};
use crate::profile::{self, Role};

/// Longest path accepted when no maximum is asked: intermediate CAs between leaf and anchor.
const MAX_INTERMEDIATES: usize = 6;

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
///
/// The government signing profile ([`KeyPurpose::Signing`]) needs key usage digitalSignature
/// where key usage is present and accepts a leaf without extended key usage, as provincial CAs
/// issue them. The purposes named by an extended key usage need that usage in the leaf (RFC 5280
/// §4.2.1.12; `anyExtendedKeyUsage` does not stand for it) and in any CA of the path that restricts
/// its usages.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum KeyPurpose {
    /// 签名证书: signing (key usage digitalSignature), as for login and signed events.
    #[default]
    Signing,
    /// Any: neither key usage nor extended key usage is checked.
    Any,
    /// TLS server authentication (`id-kp-serverAuth`, 1.3.6.1.5.5.7.3.1).
    ServerAuth,
    /// TLS client authentication (`id-kp-clientAuth`, 1.3.6.1.5.5.7.3.2).
    ClientAuth,
    /// 证书登录: TLS client authentication with a government certificate, as provincial CAs
    /// issue them: a leaf whose extended key usage, when it has one, names clientAuth, and
    /// without one has key usage digitalSignature (a 签名证书 its holder logs in with; RFC 5280
    /// §4.2.1.12 leaves a certificate without the extension unrestricted). The Web PKI's rules
    /// (the CA/Browser Forum's) do not apply.
    ClientLogin,
    /// Code signing (`id-kp-codeSigning`, 1.3.6.1.5.5.7.3.3).
    CodeSigning,
    /// E-mail protection (`id-kp-emailProtection`, 1.3.6.1.5.5.7.3.4).
    EmailProtection,
    /// Another extended key usage, by its dotted OID.
    Other(String),
}

impl KeyPurpose {
    /// Reads a purpose: `signing`, `any`, `serverAuth`, `clientAuth`, `clientLogin`,
    /// `codeSigning`, `emailProtection` (any case, `-` or `_` allowed) or a dotted OID.
    pub fn parse(text: &str) -> Result<Self> {
        let folded: String = text.chars().filter(|c| *c != '-' && *c != '_').collect::<String>().to_ascii_lowercase();
        Ok(match folded.as_str() {
            "signing" => KeyPurpose::Signing,
            "any" => KeyPurpose::Any,
            "serverauth" | "1.3.6.1.5.5.7.3.1" => KeyPurpose::ServerAuth,
            "clientauth" | "1.3.6.1.5.5.7.3.2" => KeyPurpose::ClientAuth,
            "clientlogin" => KeyPurpose::ClientLogin,
            "codesigning" | "1.3.6.1.5.5.7.3.3" => KeyPurpose::CodeSigning,
            "emailprotection" | "1.3.6.1.5.5.7.3.4" => KeyPurpose::EmailProtection,
            _ => match text.parse::<der::asn1::ObjectIdentifier>() {
                Ok(oid) => KeyPurpose::Other(oid.to_string()),
                Err(_) => {
                    return Err(Error::Parse {
                        what: "purpose",
                        reason: format!(
                            "`{text}` is not signing, any, serverAuth, clientAuth, clientLogin, codeSigning, emailProtection or a dotted OID"
                        ),
                    });
                }
            },
        })
    }

    /// The extended key usage this purpose needs, as OID arcs.
    fn extended_usage(&self) -> Option<Vec<usize>> {
        let dotted = match self {
            KeyPurpose::Signing | KeyPurpose::Any => return None,
            KeyPurpose::ServerAuth => "1.3.6.1.5.5.7.3.1",
            KeyPurpose::ClientAuth | KeyPurpose::ClientLogin => "1.3.6.1.5.5.7.3.2",
            KeyPurpose::CodeSigning => "1.3.6.1.5.5.7.3.3",
            KeyPurpose::EmailProtection => "1.3.6.1.5.5.7.3.4",
            KeyPurpose::Other(oid) => oid,
        };
        dotted.split('.').map(|arc| arc.parse().ok()).collect()
    }

    /// The purposes of the TLS Web PKI, where the CA/Browser Forum's rules on extended key usage
    /// apply as well (not critical in a leaf, absent from a root).
    fn is_web_pki(&self) -> bool {
        matches!(self, KeyPurpose::ServerAuth | KeyPurpose::ClientAuth)
    }

    fn describe(&self) -> String {
        match self {
            KeyPurpose::Signing => "signing".into(),
            KeyPurpose::Any => "any purpose".into(),
            KeyPurpose::ServerAuth => "serverAuth".into(),
            KeyPurpose::ClientAuth => "clientAuth".into(),
            KeyPurpose::ClientLogin => {
                "client login (clientAuth, or a signing certificate without extended key usage)".into()
            }
            KeyPurpose::CodeSigning => "codeSigning".into(),
            KeyPurpose::EmailProtection => "emailProtection".into(),
            KeyPurpose::Other(oid) => oid.clone(),
        }
    }
}

/// How a chain is to be verified, beyond the instant: the purpose, the longest path, the peer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct VerifyOptions {
    /// What the leaf is to be used for.
    pub purpose: KeyPurpose,
    /// The most intermediate CAs a path may have between leaf and anchor, self-issued ones (key
    /// rollover) not counted (default 6).
    pub max_intermediates: Option<usize>,
    /// The DNS name or IP address the leaf must name (TLS peers); none for signing certificates.
    pub peer_name: Option<String>,
}

impl VerifyOptions {
    /// Options for a purpose, with the default depth and no peer name.
    pub fn for_purpose(purpose: KeyPurpose) -> Self {
        Self { purpose, ..Self::default() }
    }
}

/// Whether a certificate of a verified chain was checked against a CRL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RevocationStatus {
    /// An OCSP response or its issuer's CRL was given and does not say it is revoked (as of the
    /// instant checked).
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
#[derive(Debug, Clone)]
pub struct TrustStore {
    anchors: Vec<Certificate>,
    intermediates: Vec<Certificate>,
    crls: Vec<RevocationList>,
    ocsp: Vec<OcspResponse>,
    policy: RevocationPolicy,
    minimum_rsa_bits: usize,
}

impl Default for TrustStore {
    fn default() -> Self {
        Self::new()
    }
}

impl TrustStore {
    /// An empty store: nothing is trusted. RSA keys need at least 2,048 bits.
    pub fn new() -> Self {
        let minimum_rsa_bits = crate::algorithm::DEFAULT_MINIMUM_RSA_BITS;
        Self {
            anchors: Vec::new(),
            intermediates: Vec::new(),
            crls: Vec::new(),
            ocsp: Vec::new(),
            policy: RevocationPolicy::default(),
            minimum_rsa_bits,
        }
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

    /// Adds an OCSP response (as a responder sent it); it is relied on for the certificates it
    /// speaks of when it is signed by their issuer or a responder the issuer certified, and is
    /// current at the instant checked. It is consulted before the CRLs.
    pub fn add_ocsp_response(&mut self, response: OcspResponse) -> &mut Self {
        self.ocsp.push(response);
        self
    }

    /// Sets the revocation policy.
    pub fn with_revocation_policy(&mut self, policy: RevocationPolicy) -> &mut Self {
        self.policy = policy;
        self
    }

    /// Sets the smallest RSA modulus accepted, in bits (default 2,048; a key must also be whole
    /// bytes and at most 8,192 bits).
    pub fn with_minimum_rsa_bits(&mut self, bits: usize) -> &mut Self {
        self.minimum_rsa_bits = bits;
        self
    }

    /// Verifies `leaf` at `at` for `purpose`: a path to an anchor on which every signature,
    /// validity, the RFC 5280 profile, constraints, key usage and CRLs hold.
    pub fn verify(&self, leaf: &Certificate, at: DateTime<Utc>, purpose: KeyPurpose) -> Result<VerifiedChain> {
        self.verify_with(leaf, at, &VerifyOptions::for_purpose(purpose))
    }

    /// Verifies `leaf` at `at` with every option. Checks the leaf on its own first (profile,
    /// validity, key usage, purpose), so that its own faults are named; then builds paths, trying
    /// another whenever one fails, and reports the most telling reason when none holds.
    pub fn verify_with(&self, leaf: &Certificate, at: DateTime<Utc>, options: &VerifyOptions) -> Result<VerifiedChain> {
        profile::check(leaf, Role::Leaf, self.minimum_rsa_bits)?;
        leaf.check_validity(at)?;
        // A peer name means a TLS server: its purpose is serverAuth unless another was asked.
        let purpose = match (&options.purpose, &options.peer_name) {
            (KeyPurpose::Signing, Some(_)) => KeyPurpose::ServerAuth,
            (purpose, _) => purpose.clone(),
        };
        check_leaf_purpose(leaf, &purpose)?;
        if purpose == KeyPurpose::ServerAuth {
            profile::check_tls_server(leaf)?;
        }
        let options = &VerifyOptions { purpose, ..options.clone() };
        let mut search = Search { store: self, leaf, at, options, budget: Budget::default(), best: None };
        let mut path = vec![leaf];
        let Some(chain) = search.extend(&mut path) else {
            return Err(search.best.map(|(_, error)| error).unwrap_or_else(|| Error::UntrustedIssuer {
                subject: leaf.subject().to_owned(),
                issuer: leaf.issuer().to_owned(),
            }));
        };
        if let Some(name) = &options.peer_name {
            check_peer_name(leaf, name)?;
        }
        Ok(VerifiedChain { identity: leaf.identity(), chain, at })
    }

    /// zhengwu's checks of a complete path (`chain`: the CAs from the leaf's issuer up, without
    /// the anchor), whose signatures have been verified: the validity and profile of each CA and
    /// of the anchor, the depth, path length constraints (self-issued CAs not counted, §6.1.4
    /// (l)), extended key usage, name constraints, and revocation. Returns the chain's links,
    /// leaf first.
    fn check_path(
        &self,
        leaf: &Certificate,
        chain: &[&Certificate],
        anchor: &Certificate,
        at: DateTime<Utc>,
        options: &VerifyOptions,
    ) -> Result<Vec<ChainLink>> {
        let self_issued = |c: &Certificate| constraints::same_name(c.subject_name(), c.issuer_name());
        let counted = chain.iter().filter(|c| !self_issued(c)).count();
        let limit = options.max_intermediates.unwrap_or(MAX_INTERMEDIATES);
        if counted > limit {
            return Err(Error::ChainTooLong { subject: leaf.subject().to_owned(), limit });
        }
        profile::check(anchor, Role::Anchor, self.minimum_rsa_bits)?;
        anchor.check_validity(at)?;
        check_anchor_purpose(anchor, &options.purpose)?;
        for certificate in chain {
            profile::check(certificate, Role::Intermediate, self.minimum_rsa_bits)?;
            certificate.check_validity(at)?;
            check_issuer_purpose(certificate, &options.purpose)?;
        }
        // §6.1.4 (l), (m): from the anchor down, each CA that is not self-issued uses up one of
        // the CAs its superiors' path length constraints allow.
        let mut remaining: Option<usize> = anchor.path_length_constraint()?;
        for certificate in chain.iter().rev() {
            if !self_issued(certificate) {
                match remaining {
                    Some(0) => return Err(Error::PathLength { subject: leaf.subject().to_owned() }),
                    Some(n) => remaining = Some(n - 1),
                    None => {}
                }
            }
            if let Some(limit) = certificate.path_length_constraint()? {
                remaining = Some(remaining.map_or(limit, |n| n.min(limit)));
            }
        }
        // §6.1.4 (g), §6.1.3 (b), (c): each CA's name constraints bound every certificate below it.
        let path: Vec<&Certificate> =
            std::iter::once(leaf).chain(chain.iter().copied()).chain(std::iter::once(anchor)).collect();
        let mut comparisons = 0usize;
        for (position, authority) in path.iter().enumerate().skip(1) {
            if let Some(name_constraints) = constraints::of(authority)? {
                for certificate in &path[..position] {
                    comparisons += constraints::check(&name_constraints, certificate, leaf)?;
                    if comparisons > constraints::MAX_COMPARISONS {
                        return Err(Error::TooComplex {
                            subject: leaf.subject().to_owned(),
                            what: "name constraint comparisons in its chain",
                            count: comparisons,
                            limit: constraints::MAX_COMPARISONS,
                        });
                    }
                }
            }
        }
        let mut links = Vec::with_capacity(chain.len() + 2);
        let mut subject = leaf;
        for issuer in chain.iter().copied().chain(std::iter::once(anchor)) {
            let revocation = self.check_revocation(subject, issuer, at)?;
            links.push(link(subject, revocation));
            subject = issuer;
        }
        links.push(link(anchor, RevocationStatus::Anchor));
        Ok(links)
    }

    fn check_revocation(
        &self,
        certificate: &Certificate,
        issuer: &Certificate,
        at: DateTime<Utc>,
    ) -> Result<RevocationStatus> {
        for response in &self.ocsp {
            match response.status(certificate, issuer, at)? {
                Some(OcspStatus::Good) => return Ok(RevocationStatus::NotRevoked),
                Some(OcspStatus::Revoked(revoked_at)) => {
                    return Err(Error::Revoked {
                        subject: certificate.subject().to_owned(),
                        serial: certificate.serial(),
                        revoked_at,
                        reason: None,
                    });
                }
                None => {}
            }
        }
        let mut covered = false;
        for crl in self.crls.iter().filter(|crl| crl.issuer_name() == certificate.issuer_name()) {
            if !crl.check_usable(issuer, certificate, at)? {
                continue;
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

/// Bounds on the work of one path search, against certificate sets built to make it explode.
#[derive(Debug)]
struct Budget {
    /// Signatures still to verify.
    signatures: usize,
    /// Issuer candidates still to consider.
    steps: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Self { signatures: 100, steps: 2_000 }
    }
}

/// One path search: depth first from the leaf, anchors before intermediates at each step,
/// backtracking when a candidate fails. Keeps the most telling refusal: a complete path's over a
/// broken signature's over an unknown issuer's.
struct Search<'s> {
    store: &'s TrustStore,
    leaf: &'s Certificate,
    at: DateTime<Utc>,
    options: &'s VerifyOptions,
    budget: Budget,
    best: Option<(u8, Error)>,
}

impl<'s> Search<'s> {
    fn refuse(&mut self, rank: u8, error: Error) {
        if self.best.as_ref().is_none_or(|(best, _)| rank > *best) {
            self.best = Some((rank, error));
        }
    }

    /// Extends `path` (leaf first) to an anchor; the chain's links when a complete path holds.
    fn extend(&mut self, path: &mut Vec<&'s Certificate>) -> Option<Vec<ChainLink>> {
        let head = *path.last()?;
        let store = self.store;
        // Anchors first: the shortest path wins.
        for anchor in &store.anchors {
            if !self.issues(anchor, head) || !self.signed_by(head, anchor) {
                continue;
            }
            match store.check_path(self.leaf, &path[1..], anchor, self.at, self.options) {
                Ok(links) => return Some(links),
                Err(error) => self.refuse(3, error),
            }
        }
        // A path longer than any limit allows, self-issued CAs included, is not pursued.
        if path.len() > self.options.max_intermediates.unwrap_or(MAX_INTERMEDIATES) + 8 {
            return None;
        }
        for candidate in &store.intermediates {
            // RFC 4158 §5.2: a certificate (the same subject and key) appears once in a path.
            if path.iter().any(|c| c.subject_name() == candidate.subject_name() && c.spki_der() == candidate.spki_der())
            {
                continue;
            }
            if !self.issues(candidate, head) || !self.signed_by(head, candidate) {
                continue;
            }
            path.push(candidate);
            if let Some(links) = self.extend(path) {
                return Some(links);
            }
            path.pop();
        }
        None
    }

    /// Whether `candidate` may have issued `certificate`: its subject is the certificate's issuer
    /// (§7.1), and their key identifiers, when both are given, agree.
    fn issues(&mut self, candidate: &Certificate, certificate: &Certificate) -> bool {
        if self.budget.steps == 0 {
            self.refuse(1, budget_exhausted(self.leaf));
            return false;
        }
        self.budget.steps -= 1;
        if candidate == certificate || !constraints::same_name(candidate.subject_name(), certificate.issuer_name()) {
            return false;
        }
        match (certificate.authority_key_id(), candidate.subject_key_id()) {
            (Some(authority), Some(subject)) => authority == subject,
            _ => true,
        }
    }

    /// Verifies `certificate`'s signature with `issuer`'s key (which must meet the key policy).
    fn signed_by(&mut self, certificate: &Certificate, issuer: &Certificate) -> bool {
        if self.budget.signatures == 0 {
            self.refuse(1, budget_exhausted(self.leaf));
            return false;
        }
        self.budget.signatures -= 1;
        let checked =
            profile::check_key(issuer, self.store.minimum_rsa_bits).and_then(|()| certificate.verify_issued_by(issuer));
        match checked {
            Ok(()) => true,
            Err(error) => {
                self.refuse(2, error);
                false
            }
        }
    }
}

fn budget_exhausted(leaf: &Certificate) -> Error {
    Error::NoValidPath {
        subject: leaf.subject().to_owned(),
        reason: "the search for a path gave up: too many candidate issuers or signatures".into(),
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

/// The leaf's key usage and extended key usage for the purpose.
fn check_leaf_purpose(leaf: &Certificate, purpose: &KeyPurpose) -> Result<()> {
    let wrong = || Error::WrongPurpose { subject: leaf.subject().to_owned(), purpose: purpose.describe() };
    match purpose {
        KeyPurpose::Any => Ok(()),
        KeyPurpose::Signing => match leaf.key_usage()? {
            Some(usage) if !usage.digital_signature() && !usage.non_repudiation() => {
                Err(Error::WrongKeyUsage { subject: leaf.subject().to_owned(), needed: "digitalSignature" })
            }
            _ => Ok(()),
        },
        KeyPurpose::ClientLogin => match leaf.extended_key_usage()? {
            Some((usages, _)) => {
                let required = purpose.extended_usage().ok_or_else(wrong)?;
                if usages.contains(&required) { Ok(()) } else { Err(wrong()) }
            }
            None => match leaf.key_usage()? {
                Some(usage) if !usage.digital_signature() => {
                    Err(Error::WrongKeyUsage { subject: leaf.subject().to_owned(), needed: "digitalSignature" })
                }
                _ => Ok(()),
            },
        },
        _ => {
            let required = purpose.extended_usage().ok_or_else(wrong)?;
            match leaf.extended_key_usage()? {
                Some((usages, critical)) => {
                    if !usages.contains(&required) {
                        return Err(wrong());
                    }
                    const ANY_EXTENDED_KEY_USAGE: [usize; 5] = [2, 5, 29, 37, 0];
                    if purpose.is_web_pki() && usages.iter().any(|usage| usage[..] == ANY_EXTENDED_KEY_USAGE) {
                        return Err(Error::Nonconforming {
                            subject: leaf.subject().to_owned(),
                            section: "§4.2.1.12 (CA/Browser Forum BR 7.1.2.7.10)",
                            problem: "a TLS certificate lists anyExtendedKeyUsage",
                        });
                    }
                    if critical && purpose.is_web_pki() {
                        return Err(Error::Nonconforming {
                            subject: leaf.subject().to_owned(),
                            section: "§4.2.1.12 (CA/Browser Forum BR 7.1.2.7.10)",
                            problem: "the extended key usage of a TLS certificate is marked critical",
                        });
                    }
                    Ok(())
                }
                None => Err(wrong()),
            }
        }
    }
}

/// For the Web PKI purposes a root carries no extended key usage; for any purpose, a root that
/// lists usages must list the one asked.
fn check_anchor_purpose(anchor: &Certificate, purpose: &KeyPurpose) -> Result<()> {
    let Some(required) = purpose.extended_usage() else { return Ok(()) };
    match anchor.extended_key_usage()? {
        Some(_) if purpose.is_web_pki() => Err(Error::Nonconforming {
            subject: anchor.subject().to_owned(),
            section: "§4.2.1.12 (CA/Browser Forum BR 7.1.2.1.2)",
            problem: "a root certificate carries extended key usage",
        }),
        Some((usages, _)) if !usages.contains(&required) => {
            Err(Error::WrongPurpose { subject: anchor.subject().to_owned(), purpose: purpose.describe() })
        }
        _ => Ok(()),
    }
}

/// The peer's DNS name or IP address against the leaf's alternative names (RFC 6125, as
/// rustls-webpki matches them: wildcards only as a whole leftmost label, no common name).
fn check_peer_name(leaf: &Certificate, name: &str) -> Result<()> {
    let mismatch = || Error::NameMismatch { subject: leaf.subject().to_owned(), name: name.to_owned() };
    let server_name = ServerName::try_from(name).map_err(|_| mismatch())?;
    let der = CertificateDer::from(leaf.der());
    let end_entity = webpki::EndEntityCert::try_from(&der).map_err(|_| mismatch())?;
    end_entity.verify_is_valid_for_subject_name(&server_name).map_err(|_| mismatch())
}

/// A CA that lists extended key usages must list the purpose asked.
fn check_issuer_purpose(issuer: &Certificate, purpose: &KeyPurpose) -> Result<()> {
    let Some(required) = purpose.extended_usage() else { return Ok(()) };
    match issuer.extended_key_usage()? {
        Some((usages, _)) if !usages.contains(&required) => {
            Err(Error::WrongPurpose { subject: issuer.subject().to_owned(), purpose: purpose.describe() })
        }
        _ => Ok(()),
    }
}
