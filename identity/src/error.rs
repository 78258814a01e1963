use chrono::{DateTime, Utc};

/// The result type of `zhengwu-identity`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a certificate, a CRL or a signature was not accepted, or could not be evaluated.
///
/// Each reason a provincial CA's relying party must tell apart is its own variant, so that a
/// login page can say "your certificate expired on …" rather than "invalid certificate".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes are not a certificate, CRL, key or signature of the expected form.
    #[error("cannot parse {what}: {reason}")]
    Parse {
        /// What was being parsed (`certificate`, `CRL`, `signature`, ...).
        what: &'static str,
        /// The decoder's message.
        reason: String,
    },
    /// The certificate's validity ended before the instant checked.
    #[error("certificate `{subject}` expired at {not_after} (checked at {at})")]
    Expired {
        /// The certificate's subject.
        subject: String,
        /// Its notAfter.
        not_after: DateTime<Utc>,
        /// The instant checked.
        at: DateTime<Utc>,
    },
    /// The certificate's validity starts after the instant checked.
    #[error("certificate `{subject}` is not valid before {not_before} (checked at {at})")]
    NotYetValid {
        /// The certificate's subject.
        subject: String,
        /// Its notBefore.
        not_before: DateTime<Utc>,
        /// The instant checked.
        at: DateTime<Utc>,
    },
    /// No trust anchor or known intermediate issued the certificate.
    #[error("certificate `{subject}` was issued by `{issuer}`, which is not a trusted CA")]
    UntrustedIssuer {
        /// The certificate's subject.
        subject: String,
        /// The issuer it names.
        issuer: String,
    },
    /// A signature does not verify.
    #[error("bad signature on {what}")]
    BadSignature {
        /// What was signed: `certificate `…``, `CRL of `…``, `event `…``, `document `…``.
        what: String,
    },
    /// The certificate is on its issuer's CRL.
    #[error("certificate `{subject}` (serial {serial}) was revoked at {revoked_at}{}", reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default())]
    Revoked {
        /// The certificate's subject.
        subject: String,
        /// Its serial number, hex.
        serial: String,
        /// The revocation date on the CRL.
        revoked_at: DateTime<Utc>,
        /// The CRL reason code's name, when given.
        reason: Option<String>,
    },
    /// The certificate may not be used for this purpose (an encryption certificate used to sign,
    /// a leaf used as a CA).
    #[error("certificate `{subject}` may not be used for {needed}")]
    WrongKeyUsage {
        /// The certificate's subject.
        subject: String,
        /// What it would have needed (`digitalSignature`, `keyCertSign`, `cRLSign`, `CA`).
        needed: &'static str,
    },
    /// A signature or key algorithm zhengwu does not verify.
    #[error("unsupported {what} {oid}{}", name.map(|n| format!(" ({n})")).unwrap_or_default())]
    UnsupportedAlgorithm {
        /// `signature algorithm`, `public key algorithm` or `elliptic curve`.
        what: &'static str,
        /// The algorithm's OID, dotted.
        oid: String,
        /// Its usual name, when known.
        name: Option<&'static str>,
    },
    /// The signature algorithm does not fit the signer's key (an SM2 signature from an RSA key).
    #[error("a {algorithm} signature cannot come from a {key} key")]
    AlgorithmMismatch {
        /// The signature algorithm.
        algorithm: &'static str,
        /// The key's algorithm.
        key: &'static str,
    },
    /// The CRL that covers the certificate is out of date at the instant checked.
    #[error("the CRL of `{issuer}` is out of date: next update was due at {next_update} (checked at {at})")]
    StaleCrl {
        /// The CRL's issuer.
        issuer: String,
        /// Its nextUpdate.
        next_update: DateTime<Utc>,
        /// The instant checked.
        at: DateTime<Utc>,
    },
    /// The policy requires a CRL for an issuer and none was given.
    #[error("no CRL for `{issuer}`, and the policy requires one")]
    MissingCrl {
        /// The issuer whose CRL is missing.
        issuer: String,
    },
    /// Every chain found is longer than the limit (the maximum depth asked, or the built-in one).
    #[error("every chain of `{subject}` needs more than {limit} intermediate CAs")]
    ChainTooLong {
        /// The leaf's subject.
        subject: String,
        /// The limit.
        limit: usize,
    },
    /// A certificate breaks a rule of the RFC 5280 profile that a conforming CA must follow.
    #[error("certificate `{subject}` does not conform to RFC 5280 {section}: {problem}")]
    Nonconforming {
        /// The certificate's subject.
        subject: String,
        /// The section of RFC 5280 that states the rule.
        section: &'static str,
        /// What is wrong.
        problem: &'static str,
    },
    /// A certificate carries the same extension twice (RFC 5280 §4.2).
    #[error("certificate `{subject}` carries extension {oid} more than once (RFC 5280 §4.2)")]
    DuplicateExtension {
        /// The certificate's subject.
        subject: String,
        /// The extension's OID, dotted.
        oid: String,
    },
    /// A certificate carries a critical extension the verifier does not process (RFC 5280 §4.2).
    #[error("certificate `{subject}` carries critical extension {oid}, which zhengwu does not process")]
    UnsupportedCriticalExtension {
        /// The certificate's subject.
        subject: String,
        /// The extension's OID, dotted.
        oid: String,
    },
    /// A certificate exceeds a bound set against denial of service (name constraints, names).
    #[error("certificate `{subject}` has {count} {what}, more than the {limit} accepted")]
    TooComplex {
        /// The certificate's subject.
        subject: String,
        /// What was counted.
        what: &'static str,
        /// How many it has.
        count: usize,
        /// The bound.
        limit: usize,
    },
    /// An RSA key smaller than the policy's minimum (or of a size that is not whole bytes).
    #[error(
        "certificate `{subject}` has a {bits}-bit RSA key; the policy needs at least {minimum} bits, in whole bytes"
    )]
    WeakKey {
        /// The certificate's subject.
        subject: String,
        /// The modulus size.
        bits: usize,
        /// The policy's minimum.
        minimum: usize,
    },
    /// A name in the path lies outside the name constraints of a CA above it (RFC 5280 §4.2.1.10).
    #[error("certificate `{subject}` names a subject outside the name constraints of a CA in its chain")]
    NameConstraints {
        /// The leaf's subject.
        subject: String,
    },
    /// A CA's path length constraint allows fewer CAs below it than the path has (§4.2.1.9).
    #[error("the chain of `{subject}` has more CAs below a CA than its pathLenConstraint allows")]
    PathLength {
        /// The leaf's subject.
        subject: String,
    },
    /// The certificate is not for the purpose asked (extended key usage, RFC 5280 §4.2.1.12).
    #[error("certificate `{subject}` is not for {purpose} (extended key usage)")]
    WrongPurpose {
        /// The certificate's subject.
        subject: String,
        /// The purpose asked.
        purpose: String,
    },
    /// The certificate does not name the peer it was presented for.
    #[error("certificate `{subject}` is not valid for `{name}`")]
    NameMismatch {
        /// The certificate's subject.
        subject: String,
        /// The DNS name or IP address asked for.
        name: String,
    },
    /// A CRL breaks a rule of RFC 5280 §5, or uses a feature zhengwu does not process.
    #[error("the CRL of `{issuer}` cannot be used (RFC 5280 {section}): {problem}")]
    InvalidCrl {
        /// The CRL's issuer.
        issuer: String,
        /// The section of RFC 5280 that states the rule.
        section: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// The OCSP response that speaks of a certificate is not current at the instant checked.
    #[error(
        "the OCSP response for `{subject}` is not current: it holds from {this_update} to {until} (checked at {at})"
    )]
    StaleOcsp {
        /// The certificate's subject.
        subject: String,
        /// The response's thisUpdate.
        this_update: DateTime<Utc>,
        /// Its nextUpdate (or thisUpdate and the longest age accepted without one).
        until: DateTime<Utc>,
        /// The instant checked.
        at: DateTime<Utc>,
    },
    /// An OCSP response is signed by neither the issuer nor a responder the issuer certified.
    #[error("the OCSP response for certificates of `{issuer}` cannot be trusted: {reason}")]
    UntrustedResponder {
        /// The issuer the response speaks for.
        issuer: String,
        /// Why the responder is not trusted.
        reason: String,
    },
    /// No path from the certificate to a trust anchor satisfied every check.
    #[error("no valid chain from `{subject}` to a trusted root: {reason}")]
    NoValidPath {
        /// The leaf's subject.
        subject: String,
        /// The path builder's most specific reason.
        reason: String,
    },
    /// An event or document carries no signature to verify.
    #[error("{what} carries no signature")]
    Unsigned {
        /// What was expected to be signed.
        what: String,
    },
}
