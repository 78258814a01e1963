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
    #[error("unsupported {what} algorithm {oid}{}", name.map(|n| format!(" ({n})")).unwrap_or_default())]
    UnsupportedAlgorithm {
        /// `signature` or `public key`.
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
    /// The chain is longer than the limit (a loop, or a misconfigured store).
    #[error("certificate chain of `{subject}` is longer than {limit} certificates")]
    ChainTooLong {
        /// The leaf's subject.
        subject: String,
        /// The limit.
        limit: usize,
    },
    /// An event or document carries no signature to verify.
    #[error("{what} carries no signature")]
    Unsigned {
        /// What was expected to be signed.
        what: String,
    },
}
