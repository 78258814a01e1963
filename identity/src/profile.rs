//! 证书格式规范: the RFC 5280 certificate profile, checked on every certificate of a candidate
//! path by the role it plays there (the leaf, an issuing CA, the trust anchor).
//!
//! The path builder (rustls-webpki) checks signatures, validity, basic constraints, name
//! constraints and extended key usage; the rules here are those of the profile it leaves to the
//! relying party: what a conforming CA MUST write (RFC 5280 §4.1, §4.2) and the key sizes of the
//! algorithm policy.

use der::Decode;
use der::asn1::ObjectIdentifier;
use x509_cert::certificate::Version;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints, KeyUsage, NameConstraints, SubjectAltName,
    SubjectKeyIdentifier,
};

use crate::algorithm::rsa_size_acceptable;
use crate::certificate::Certificate;
use crate::error::{Error, Result};

const SUBJECT_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const SUBJECT_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
const BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const NAME_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.30");
const CERTIFICATE_POLICIES: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.32");
const POLICY_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.36");
const AUTHORITY_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
const EXTENDED_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const CRL_DISTRIBUTION_POINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.31");
const AUTHORITY_INFO_ACCESS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.1");

/// Extensions a certificate may mark critical: those whose meaning the verifier takes into
/// account (RFC 5280 §4.2: any other critical extension makes the certificate unusable).
const UNDERSTOOD_CRITICAL: [ObjectIdentifier; 7] = [
    KEY_USAGE,
    SUBJECT_ALT_NAME,
    BASIC_CONSTRAINTS,
    NAME_CONSTRAINTS,
    EXTENDED_KEY_USAGE,
    CRL_DISTRIBUTION_POINTS,
    CERTIFICATE_POLICIES,
];

/// The most name constraint subtrees one certificate may carry: real constrained CAs carry a
/// handful; thousands are a denial of service, each checked against every name below.
pub(crate) const MAX_NAME_CONSTRAINTS: usize = 256;

/// The most attributes a subject name may have.
pub(crate) const MAX_NAME_ATTRIBUTES: usize = 64;

/// The part a certificate plays in a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The certificate being verified.
    Leaf,
    /// An issuing CA between the leaf and the anchor.
    Intermediate,
    /// The trust anchor (a root, or a CA trusted by configuration).
    Anchor,
}

/// Checks `certificate` against the profile for `role`; `minimum_rsa_bits` is the key-size policy.
pub(crate) fn check(certificate: &Certificate, role: Role, minimum_rsa_bits: usize) -> Result<()> {
    let subject = || certificate.subject().to_owned();
    let nonconforming =
        |section: &'static str, problem: &'static str| Error::Nonconforming { subject: subject(), section, problem };
    let tbs = certificate.inner().tbs_certificate();

    // §4.1.2.1: extensions need version 3; a trust anchor may be a version 1 certificate.
    match (tbs.version(), role) {
        (Version::V3, _) | (Version::V1, Role::Anchor) => {}
        (Version::V1, _) => return Err(nonconforming("§4.1.2.1", "a version 1 certificate cannot be a leaf or CA")),
        (Version::V2, _) => return Err(nonconforming("§4.1.2.1", "version 2 certificates are not accepted")),
    }
    // §4.1.2.2: a positive integer of at most 20 octets. A trust anchor is trusted as configured:
    // roots in wide use predate the rule (one has serial 0), so anchors are not held to it.
    let serial = tbs.serial_number().as_bytes();
    if role == Role::Anchor {
    } else if serial.iter().all(|&byte| byte == 0) {
        return Err(nonconforming("§4.1.2.2", "the serial number is zero (it must be positive)"));
    }
    if serial.first().is_some_and(|&byte| byte & 0x80 != 0) {
        return Err(nonconforming("§4.1.2.2", "the serial number is negative (it must be positive)"));
    }
    if serial.len() > 20 && !(serial.len() == 21 && serial[0] == 0) {
        return Err(nonconforming("§4.1.2.2", "the serial number is longer than 20 octets"));
    }
    // §4.1.1.2: the signature algorithm is written twice and must be the same.
    if certificate.inner().signature_algorithm() != tbs.signature() {
        return Err(nonconforming(
            "§4.1.1.2",
            "signatureAlgorithm differs from the signature field of the signed part",
        ));
    }
    let attributes = tbs.subject().iter().count();
    if attributes > MAX_NAME_ATTRIBUTES {
        return Err(Error::TooComplex {
            subject: subject(),
            what: "attributes in the subject name",
            count: attributes,
            limit: MAX_NAME_ATTRIBUTES,
        });
    }
    // §4.1.2.4: the issuer is a non-empty name.
    if tbs.issuer().is_empty() {
        return Err(nonconforming("§4.1.2.4", "the issuer name is empty"));
    }
    check_key(certificate, minimum_rsa_bits)?;

    let extensions: &[Extension] = tbs.extensions().map(|e| e.as_slice()).unwrap_or_default();
    for (index, extension) in extensions.iter().enumerate() {
        if extensions[..index].iter().any(|earlier| earlier.extn_id == extension.extn_id) {
            return Err(Error::DuplicateExtension { subject: subject(), oid: extension.extn_id.to_string() });
        }
        if extension.critical && !UNDERSTOOD_CRITICAL.contains(&extension.extn_id) {
            // §4.2.1.1 and §4.2.1.2 say CAs must not mark these two critical: name the rule.
            match extension.extn_id {
                AUTHORITY_KEY_ID => {
                    return Err(nonconforming("§4.2.1.1", "the authority key identifier is marked critical"));
                }
                SUBJECT_KEY_ID => {
                    return Err(nonconforming("§4.2.1.2", "the subject key identifier is marked critical"));
                }
                AUTHORITY_INFO_ACCESS => {
                    return Err(nonconforming("§4.2.2.1", "authority information access is marked critical"));
                }
                POLICY_CONSTRAINTS => {}
                _ => {
                    return Err(Error::UnsupportedCriticalExtension {
                        subject: subject(),
                        oid: extension.extn_id.to_string(),
                    });
                }
            }
        }
    }
    let find = |oid: ObjectIdentifier| extensions.iter().find(|extension| extension.extn_id == oid);
    let value = |extension: &Extension| extension.extn_value.as_bytes().to_vec();
    let decode_error = |name: &'static str| Error::Parse { what: name, reason: format!("in `{}`", subject()) };

    let self_issued = tbs.subject() == tbs.issuer();
    let constraints = match find(BASIC_CONSTRAINTS) {
        Some(extension) => Some((
            BasicConstraints::from_der(&value(extension)).map_err(|_| decode_error("basic constraints extension"))?,
            extension.critical,
        )),
        None => None,
    };
    let is_ca = constraints.as_ref().is_some_and(|(c, _)| c.ca);
    let key_usage = match find(KEY_USAGE) {
        Some(extension) => {
            Some(KeyUsage::from_der(&value(extension)).map_err(|_| decode_error("key usage extension"))?)
        }
        None => None,
    };
    let subject_key_id = match find(SUBJECT_KEY_ID) {
        Some(extension) => Some(
            SubjectKeyIdentifier::from_der(&value(extension))
                .map_err(|_| decode_error("subject key identifier extension"))?,
        ),
        None => None,
    };

    // §4.2.1.1: every certificate but a self-signed one carries the key identifier of its issuer.
    match find(AUTHORITY_KEY_ID) {
        Some(extension) => {
            let authority = AuthorityKeyIdentifier::from_der(&value(extension))
                .map_err(|_| decode_error("authority key identifier extension"))?;
            if authority.key_identifier.is_none() {
                return Err(nonconforming("§4.2.1.1", "the authority key identifier has no keyIdentifier"));
            }
            if role == Role::Anchor && self_issued {
                if authority.authority_cert_issuer.is_some() || authority.authority_cert_serial_number.is_some() {
                    return Err(nonconforming(
                        "§4.2.1.1",
                        "a self-signed root's authority key identifier names an issuer or serial",
                    ));
                }
                if let Some(own) = &subject_key_id
                    && authority.key_identifier.as_ref() != Some(&own.0)
                {
                    return Err(nonconforming(
                        "§4.2.1.1",
                        "a self-signed root's authority key identifier differs from its subject key identifier",
                    ));
                }
            }
        }
        None if !(self_issued && role == Role::Anchor) && tbs.version() == Version::V3 => {
            return Err(nonconforming("§4.2.1.1", "the authority key identifier is missing"));
        }
        None => {}
    }

    if role == Role::Anchor && tbs.version() == Version::V1 {
        return Ok(());
    }
    if matches!(role, Role::Intermediate | Role::Anchor) {
        // §4.2.1.9: a CA says so in a critical basic constraints extension.
        match &constraints {
            None => return Err(nonconforming("§4.2.1.9", "a CA certificate without basic constraints")),
            Some((c, _)) if !c.ca => return Err(nonconforming("§4.2.1.9", "a CA certificate without cA=TRUE")),
            Some((_, false)) => {
                return Err(nonconforming("§4.2.1.9", "a CA certificate's basic constraints are not critical"));
            }
            Some(_) => {}
        }
        // §4.2.1.2: a CA carries its own key identifier.
        if subject_key_id.is_none() {
            return Err(nonconforming("§4.2.1.2", "a CA certificate without a subject key identifier"));
        }
        // §4.1.2.6: a CA's subject is a non-empty name.
        if tbs.subject().is_empty() {
            return Err(nonconforming("§4.1.2.6", "a CA certificate with an empty subject"));
        }
        if let Some(usage) = &key_usage
            && !usage.key_cert_sign()
        {
            return Err(Error::WrongKeyUsage { subject: subject(), needed: "keyCertSign" });
        }
    }
    // §4.2.1.9: the leaf is an end entity.
    if role == Role::Leaf && is_ca {
        return Err(nonconforming("§4.2.1.9", "the certificate verified says cA=TRUE: a CA is not an end entity"));
    }
    // §4.2.1.12: an extended key usage extension lists at least one purpose.
    if let Some(extension) = find(EXTENDED_KEY_USAGE) {
        let usages = x509_cert::ext::pkix::ExtendedKeyUsage::from_der(&value(extension))
            .map_err(|_| decode_error("extended key usage extension"))?;
        if usages.0.is_empty() {
            return Err(nonconforming("§4.2.1.12", "the extended key usage extension is empty"));
        }
    }
    // §4.2.1.3: at least one bit; keyCertSign only with cA.
    if let Some(usage) = &key_usage {
        if usage.0.is_empty() {
            return Err(nonconforming("§4.2.1.3", "the key usage extension has no bit set"));
        }
        if usage.key_cert_sign() && !is_ca {
            return Err(nonconforming("§4.2.1.3", "keyCertSign is asserted but basic constraints say cA=FALSE"));
        }
    }
    // §4.2.1.6: a well-formed, non-empty SAN; critical when the subject is empty.
    match find(SUBJECT_ALT_NAME) {
        Some(extension) => {
            let names = SubjectAltName::from_der(&value(extension))
                .map_err(|_| decode_error("subject alternative name extension"))?;
            if names.0.is_empty() {
                return Err(nonconforming("§4.2.1.6", "the subject alternative name extension is empty"));
            }
            for name in &names.0 {
                let valid = match name {
                    GeneralName::DnsName(name) => valid_dns_name(name.as_str(), true),
                    GeneralName::Rfc822Name(mailbox) => valid_mailbox(mailbox.as_str()),
                    GeneralName::IpAddress(address) => matches!(address.as_bytes().len(), 4 | 16),
                    _ => true,
                };
                if !valid {
                    return Err(nonconforming(
                        "§4.2.1.6",
                        "a subject alternative name is malformed (a DNS name, mailbox or IP address)",
                    ));
                }
            }
            if tbs.subject().is_empty() && !extension.critical {
                return Err(nonconforming(
                    "§4.2.1.6",
                    "the subject is empty and the subject alternative name is not critical",
                ));
            }
        }
        None if tbs.subject().is_empty() => {
            return Err(nonconforming("§4.2.1.6", "the subject is empty and there is no subject alternative name"));
        }
        None => {}
    }
    // §4.2.1.10: name constraints only in a CA certificate, critical, and not empty.
    if let Some(extension) = find(NAME_CONSTRAINTS) {
        if role == Role::Leaf || !is_ca {
            return Err(nonconforming("§4.2.1.10", "name constraints in a certificate that is not a CA"));
        }
        if !extension.critical {
            return Err(nonconforming("§4.2.1.10", "name constraints are not marked critical"));
        }
        let constraints =
            NameConstraints::from_der(&value(extension)).map_err(|_| decode_error("name constraints extension"))?;
        let empty = |subtrees: &Option<Vec<_>>| subtrees.as_ref().is_none_or(Vec::is_empty);
        if empty(&constraints.permitted_subtrees) && empty(&constraints.excluded_subtrees) {
            return Err(nonconforming("§4.2.1.10", "name constraints with neither permitted nor excluded subtrees"));
        }
        let subtrees: Vec<_> =
            constraints.permitted_subtrees.iter().chain(&constraints.excluded_subtrees).flatten().collect();
        if subtrees.len() > MAX_NAME_CONSTRAINTS {
            return Err(Error::TooComplex {
                subject: subject(),
                what: "name constraint subtrees",
                count: subtrees.len(),
                limit: MAX_NAME_CONSTRAINTS,
            });
        }
        for subtree in subtrees {
            // §4.2.1.10: a DNS constraint is a host name (labels are added to its left, so a
            // leading period or a wildcard is not one); a mailbox constraint is a mailbox, a host,
            // or a domain with a leading period; an address constraint an address and a
            // contiguous mask of the same length.
            let valid = match &subtree.base {
                GeneralName::DnsName(name) => name.as_str().is_empty() || valid_dns_name(name.as_str(), false),
                GeneralName::Rfc822Name(base) => {
                    let base = base.as_str();
                    if base.contains('@') {
                        valid_mailbox(base)
                    } else {
                        valid_dns_name(base.strip_prefix('.').unwrap_or(base), false)
                    }
                }
                GeneralName::IpAddress(base) => valid_network(base.as_bytes()),
                _ => true,
            };
            if !valid {
                return Err(nonconforming(
                    "§4.2.1.10",
                    "a name constraint is malformed (a DNS name, mailbox or network)",
                ));
            }
        }
    }
    // §4.2.1.11: policy constraints are critical.
    if let Some(extension) = find(POLICY_CONSTRAINTS)
        && !extension.critical
    {
        return Err(nonconforming("§4.2.1.11", "policy constraints are not marked critical"));
    }
    // §4.2.2.1: authority information access is well formed.
    if let Some(extension) = find(AUTHORITY_INFO_ACCESS) {
        let access = AuthorityInfoAccessSyntax::from_der(&value(extension))
            .map_err(|_| decode_error("authority information access extension"))?;
        if access.0.is_empty() {
            return Err(nonconforming("§4.2.2.1", "authority information access is empty"));
        }
    }
    Ok(())
}

/// The key must be one zhengwu verifies with, of an accepted size.
pub(crate) fn check_key(certificate: &Certificate, minimum_rsa_bits: usize) -> Result<()> {
    let key = certificate.public_key()?;
    if let Some(bits) = key.rsa_bits()
        && !rsa_size_acceptable(bits, minimum_rsa_bits)
    {
        return Err(Error::WeakKey { subject: certificate.subject().to_owned(), bits, minimum: minimum_rsa_bits });
    }
    Ok(())
}

/// The CA/Browser Forum's Baseline Requirements for a TLS server certificate, applied when a
/// certificate is verified for a peer name or for serverAuth: every dNSName is a preferred-syntax
/// host name (no underscore, RFC 5280 §4.2.1.6), the subject alternative name is critical only
/// when the subject is empty (BR 7.1.2.7.12), and a common name repeats one of the alternative
/// names exactly: a DNS name as written, an IP address in its canonical text (BR 7.1.4.3).
pub(crate) fn check_tls_server(certificate: &Certificate) -> Result<()> {
    let subject = || certificate.subject().to_owned();
    let nonconforming = |problem: &'static str| Error::Nonconforming {
        subject: subject(),
        section: "§4.2.1.6 (CA/Browser Forum BR 7.1.2.7.12, 7.1.4.3)",
        problem,
    };
    let tbs = certificate.inner().tbs_certificate();
    let extension = tbs.extensions().into_iter().flatten().find(|extension| extension.extn_id == SUBJECT_ALT_NAME);
    let Some(extension) = extension else {
        return Err(nonconforming("a TLS server certificate without subject alternative names"));
    };
    if extension.critical && !tbs.subject().is_empty() {
        return Err(nonconforming("the subject alternative name is critical although the subject is not empty"));
    }
    let names = SubjectAltName::from_der(extension.extn_value.as_bytes()).map_err(|_| Error::Parse {
        what: "subject alternative name extension",
        reason: format!("in `{}`", subject()),
    })?;
    let mut dns_names = Vec::new();
    let mut addresses = Vec::new();
    for name in &names.0 {
        match name {
            GeneralName::DnsName(name) => {
                let name = name.as_str();
                if name.contains('_') {
                    return Err(nonconforming("a dNSName with an underscore is not a host name"));
                }
                dns_names.push(name.to_owned());
            }
            GeneralName::IpAddress(address) => {
                let bytes = address.as_bytes();
                if let Ok(octets) = <[u8; 4]>::try_from(bytes) {
                    addresses.push(std::net::Ipv4Addr::from(octets).to_string());
                } else if let Ok(octets) = <[u8; 16]>::try_from(bytes) {
                    addresses.push(std::net::Ipv6Addr::from(octets).to_string());
                }
            }
            _ => {}
        }
    }
    // A common name is compared with the alternative names of its kind: an address (in any
    // spelling, hexadecimal or with leading zeros among them) must be one of the addresses in its
    // canonical text; a host name one of the dNSNames as written.
    for common_name in certificate.common_names() {
        let (same_kind, is_address) =
            if looks_like_address(&common_name) { (&addresses, true) } else { (&dns_names, false) };
        if (is_address || !same_kind.is_empty()) && !same_kind.contains(&common_name) {
            return Err(nonconforming(
                "the common name is not one of the subject alternative names, written the same way",
            ));
        }
    }
    Ok(())
}

/// Whether a common name is an IP address in some spelling: IPv6 (it has a colon), or IPv4 as
/// digits and dots, or a number in hexadecimal.
fn looks_like_address(name: &str) -> bool {
    let hexadecimal = name.strip_prefix("0x").or_else(|| name.strip_prefix("0X"));
    name.contains(':')
        || hexadecimal.is_some_and(|digits| !digits.is_empty() && digits.chars().all(|c| c.is_ascii_hexdigit()))
        || (!name.is_empty() && name.chars().all(|c| c.is_ascii_digit() || c == '.') && name.contains('.'))
}

/// A host name in the preferred syntax (RFC 1034 §3.5, RFC 1123 §2.1, RFC 5280 §4.2.1.6): labels
/// of letters, digits and inner hyphens, at most 63 octets each; a SAN may start with one `*.`.
fn valid_dns_name(name: &str, wildcard_allowed: bool) -> bool {
    let name = match name.strip_prefix("*.") {
        Some(rest) if wildcard_allowed => rest,
        _ => name,
    };
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// A mailbox `local@host`: one `@`, a local part without spaces, a host name.
fn valid_mailbox(mailbox: &str) -> bool {
    let mut parts = mailbox.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(host), None) => {
            !local.is_empty()
                && !local.bytes().any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
                && valid_dns_name(host, false)
        }
        _ => false,
    }
}

/// An address and mask, 8 or 32 octets, the mask's one-bits all before its zero-bits.
fn valid_network(bytes: &[u8]) -> bool {
    if !matches!(bytes.len(), 8 | 32) {
        return false;
    }
    let mask = &bytes[bytes.len() / 2..];
    let bits: Vec<bool> = mask.iter().flat_map(|byte| (0..8).rev().map(move |i| byte >> i & 1 == 1)).collect();
    bits.windows(2).all(|pair| pair[0] || !pair[1])
}
