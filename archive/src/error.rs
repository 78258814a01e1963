/// The result type of `zhengwu-archive`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a case could not be packed, or why a package does not verify.
///
/// Verification stops at the first failure and names it: the member whose bytes changed, the
/// member that is missing or was added, the signature that does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The case cannot be archived as given (no events, events of several cases, a gap in the
    /// sequence, not concluded yet).
    #[error("cannot pack case: {reason}")]
    Case {
        /// What is wrong with the events.
        reason: String,
    },
    /// A document offered for the package cannot be taken.
    #[error("cannot pack document `{name}`: {reason}")]
    Document {
        /// The document's name.
        name: String,
        /// Why.
        reason: String,
    },
    /// The bytes are not a package of this format (not a ZIP, no `mimetype`, another format, an
    /// unreadable manifest).
    #[error("not a zhengwu archive package: {reason}")]
    NotAPackage {
        /// Why.
        reason: String,
    },
    /// A member the manifest lists is not in the package.
    #[error("member `{member}` is missing from the package")]
    MissingMember {
        /// The member's path.
        member: String,
    },
    /// A member's bytes are not those the manifest hashed.
    #[error("member `{member}` changed: {detail}")]
    ChangedMember {
        /// The member's path.
        member: String,
        /// How: the hashes (or sizes) found and expected.
        detail: String,
    },
    /// The package holds a member the manifest does not list.
    #[error("member `{member}` is not listed in the manifest")]
    UnlistedMember {
        /// The member's path.
        member: String,
    },
    /// A signature in the package does not verify: the package's own, or an event's.
    #[error("signature of {what} does not verify: {reason}")]
    BrokenSignature {
        /// Whose signature: `the package (manifest.sig.json)`, `event `C#3` (events.jsonl line 3)`.
        what: String,
        /// Why.
        reason: String,
    },
    /// A signer's certificate does not chain to the trust anchors given.
    #[error("signer of {what} is not trusted: {reason}")]
    Untrusted {
        /// Whose signature.
        what: String,
        /// Why, from the certificate check.
        reason: String,
    },
    /// A member's bytes are as hashed but do not say what the package claims (metadata that
    /// disagrees with the events, an event that does not parse).
    #[error("member `{member}` is invalid: {reason}")]
    Invalid {
        /// The member's path.
        member: String,
        /// Why.
        reason: String,
    },
    /// Writing the package failed.
    #[error("cannot write the package: {0}")]
    Write(String),
}

impl Error {
    /// The failure's kind, a stable snake_case name for programs: `case`, `document`,
    /// `not_a_package`, `missing_member`, `changed_member`, `unlisted_member`, `broken_signature`,
    /// `untrusted`, `invalid`, `write`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Case { .. } => "case",
            Error::Document { .. } => "document",
            Error::NotAPackage { .. } => "not_a_package",
            Error::MissingMember { .. } => "missing_member",
            Error::ChangedMember { .. } => "changed_member",
            Error::UnlistedMember { .. } => "unlisted_member",
            Error::BrokenSignature { .. } => "broken_signature",
            Error::Untrusted { .. } => "untrusted",
            Error::Invalid { .. } => "invalid",
            Error::Write(_) => "write",
        }
    }

    /// The member the failure is about, when it is about one.
    pub fn member(&self) -> Option<&str> {
        match self {
            Error::MissingMember { member }
            | Error::ChangedMember { member, .. }
            | Error::UnlistedMember { member }
            | Error::Invalid { member, .. } => Some(member),
            _ => None,
        }
    }
}
