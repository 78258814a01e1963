//! 名称约束: a trust anchor's name constraints (RFC 5280 §4.2.1.10, §6.1.4 (b), (g)) applied to
//! the names of every certificate below it, by zhengwu rather than the path builder, because the
//! builder fails closed on directoryName and rfc822Name constraints, which provincial CAs use to
//! bound a subordinate CA to its units and mail domains.
//!
//! Every name form is processed: dNSName (the name or a subdomain of it), rfc822Name (a mailbox,
//! every mailbox at a host, or at the subdomains of a domain written with a leading period),
//! iPAddress (an address within the network), directoryName (the name begins with the constraint's
//! relative distinguished names, compared as RFC 5280 §7.1 says). Any other form that is both
//! constrained and present is refused, which RFC 5280 allows.

use der::Decode;
use der::asn1::ObjectIdentifier;
use x509_cert::ext::pkix::name::{GeneralName, GeneralNames};
use x509_cert::ext::pkix::{NameConstraints, SubjectAltName};
use x509_cert::name::Name;

use crate::certificate::Certificate;
use crate::error::{Error, Result};

const NAME_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.30");
const SUBJECT_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
const EMAIL_ADDRESS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.1");

/// The most name comparisons one path may cost (names below times constraints above).
pub(crate) const MAX_COMPARISONS: usize = 100_000;

/// The name constraints a certificate carries, if any.
pub(crate) fn of(certificate: &Certificate) -> Result<Option<NameConstraints>> {
    let tbs = certificate.inner().tbs_certificate();
    let Some(extension) = tbs.extensions().into_iter().flatten().find(|e| e.extn_id == NAME_CONSTRAINTS) else {
        return Ok(None);
    };
    NameConstraints::from_der(extension.extn_value.as_bytes()).map(Some).map_err(|e| Error::Parse {
        what: "name constraints extension",
        reason: format!("in `{}`: {e}", certificate.subject()),
    })
}

/// Checks the names of `certificate` against `constraints` (of a CA above it in the path); a
/// self-issued CA is not checked (§6.1.4 (b)), the leaf always is. Returns the comparisons made.
pub(crate) fn check(constraints: &NameConstraints, certificate: &Certificate, leaf: &Certificate) -> Result<usize> {
    let violation = || Error::NameConstraints { subject: leaf.subject().to_owned() };
    let tbs = certificate.inner().tbs_certificate();
    let is_leaf = std::ptr::eq(certificate, leaf);
    // §6.1.4 (b): a self-issued CA (a key rollover) is not checked, the leaf always is.
    if !is_leaf && same_name(tbs.subject(), tbs.issuer()) {
        return Ok(0);
    }
    let mut names: Vec<GeneralName> = Vec::new();
    if !tbs.subject().is_empty() {
        names.push(GeneralName::DirectoryName(tbs.subject().clone()));
    }
    let alternative = tbs.extensions().into_iter().flatten().find(|e| e.extn_id == SUBJECT_ALT_NAME);
    match alternative {
        Some(extension) => {
            let SubjectAltName(list) = SubjectAltName::from_der(extension.extn_value.as_bytes()).map_err(|_| {
                Error::Parse { what: "subject alternative name extension", reason: certificate.subject().to_owned() }
            })?;
            names.extend(list);
        }
        None => {
            // §4.2.1.10: without alternative names, an e-mail address in the subject is
            // constrained as an rfc822Name.
            for attribute in tbs.subject().iter().filter(|a| a.oid == EMAIL_ADDRESS) {
                if let Ok(address) = attribute.value.decode_as::<der::asn1::Ia5String>() {
                    names.push(GeneralName::Rfc822Name(address));
                }
            }
        }
    }
    let permitted: &GeneralNames = &constraints
        .permitted_subtrees
        .as_ref()
        .map(|subtrees| subtrees.iter().map(|s| s.base.clone()).collect())
        .unwrap_or_default();
    let excluded: &GeneralNames = &constraints
        .excluded_subtrees
        .as_ref()
        .map(|subtrees| subtrees.iter().map(|s| s.base.clone()).collect())
        .unwrap_or_default();
    let comparisons = names.len() * (permitted.len() + excluded.len());
    if comparisons > MAX_COMPARISONS {
        return Ok(comparisons);
    }
    for name in &names {
        let of_form: Vec<&GeneralName> = permitted.iter().filter(|base| same_form(base, name)).collect();
        if !of_form.is_empty() && !of_form.iter().any(|base| matches(base, name, false).unwrap_or(false)) {
            return Err(violation());
        }
        for base in excluded.iter().filter(|base| same_form(base, name)) {
            // An excluded constraint of a form zhengwu cannot compare excludes the name.
            if matches(base, name, true).unwrap_or(true) {
                return Err(violation());
            }
        }
    }
    Ok(comparisons)
}

fn same_form(a: &GeneralName, b: &GeneralName) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// Whether `name` lies within the subtree `base`; `None` for forms that are not compared. A
/// wildcard DNS name stands for every name it matches: all of them must lie within a permitted
/// subtree, and any of them within an excluded one excludes it.
fn matches(base: &GeneralName, name: &GeneralName, excluded: bool) -> Option<bool> {
    Some(match (base, name) {
        (GeneralName::DnsName(base), GeneralName::DnsName(name)) => match name.as_str().strip_prefix("*.") {
            Some(rest) => {
                let base = base.as_str().to_ascii_lowercase();
                let rest = rest.to_ascii_lowercase();
                let one_label_below = base
                    .strip_suffix(&rest)
                    .and_then(|left| left.strip_suffix('.'))
                    .is_some_and(|label| !label.is_empty() && !label.contains('.'));
                dns_within(&base, &rest) || (excluded && one_label_below)
            }
            None => dns_within(base.as_str(), name.as_str()),
        },
        (GeneralName::OtherName(base), GeneralName::OtherName(name)) if base.type_id != name.type_id => false,
        (GeneralName::Rfc822Name(base), GeneralName::Rfc822Name(name)) => mailbox_within(base.as_str(), name.as_str()),
        (GeneralName::IpAddress(base), GeneralName::IpAddress(name)) => {
            address_within(base.as_bytes(), name.as_bytes())
        }
        (GeneralName::DirectoryName(base), GeneralName::DirectoryName(name)) => directory_within(base, name),
        _ => return None,
    })
}

/// §4.2.1.10: "any DNS name that can be constructed by simply adding zero or more labels to the
/// left-hand side of the name satisfies the name constraint".
fn dns_within(base: &str, name: &str) -> bool {
    let base = base.to_ascii_lowercase();
    let name = name.to_ascii_lowercase();
    if base.is_empty() {
        return true;
    }
    name == base || name.strip_suffix(&base).is_some_and(|left| left.ends_with('.'))
}

/// §4.2.1.10: a mailbox, all mailboxes at a host, or (with a leading period) at any host in a
/// domain. Characters are literal (an asterisk is an asterisk); host parts compare without case.
fn mailbox_within(base: &str, name: &str) -> bool {
    let Some((local, host)) = name.rsplit_once('@') else { return false };
    if let Some((base_local, base_host)) = base.rsplit_once('@') {
        return base_local == local && base_host.eq_ignore_ascii_case(host);
    }
    let host = host.to_ascii_lowercase();
    let base = base.to_ascii_lowercase();
    match base.strip_prefix('.') {
        Some(domain) => host.strip_suffix(domain).is_some_and(|left| left.ends_with('.') && left.len() > 1),
        None => host == base,
    }
}

/// §4.2.1.10: an address and mask (8 octets for IPv4, 32 for IPv6); the address lies within when
/// it agrees with the base on every bit of the mask.
fn address_within(base: &[u8], name: &[u8]) -> bool {
    let half = base.len() / 2;
    if !base.len().is_multiple_of(2) || half != name.len() {
        return false;
    }
    let (address, mask) = base.split_at(half);
    address.iter().zip(mask).zip(name).all(|((a, m), n)| a & m == n & m)
}

/// §4.2.1.10 and §7.1: the name's first relative distinguished names are those of the base.
fn directory_within(base: &Name, name: &Name) -> bool {
    let base: Vec<_> = base.iter_rdn().collect();
    let name: Vec<_> = name.iter_rdn().collect();
    base.len() <= name.len()
        && base.iter().zip(&name).all(|(b, n)| {
            let b: Vec<_> = b.iter().collect();
            let n: Vec<_> = n.iter().collect();
            b.len() == n.len()
                && b.iter().all(|attribute| {
                    n.iter().any(|other| attribute.oid == other.oid && same_value(&attribute.value, &other.value))
                })
        })
}

/// §7.1: two names are the same when they have the same relative distinguished names in the same
/// order, each with the same attributes, values compared as [`same_value`] does.
pub(crate) fn same_name(a: &Name, b: &Name) -> bool {
    a == b || (a.iter_rdn().count() == b.iter_rdn().count() && directory_within(a, b))
}

/// §7.1: attribute values compare after case folding and whitespace folding when both are
/// strings (whatever their string type), byte for byte otherwise.
fn same_value(a: &der::Any, b: &der::Any) -> bool {
    match (text(a), text(b)) {
        (Some(a), Some(b)) => fold(&a) == fold(&b),
        _ => a == b,
    }
}

fn text(value: &der::Any) -> Option<String> {
    value.decode_as::<x509_cert::ext::pkix::name::DirectoryString>().ok().map(String::from)
}

fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_names_match_the_name_and_its_subdomains() {
        assert!(dns_within("example.com", "example.com"));
        assert!(dns_within("example.com", "a.b.Example.COM"));
        assert!(!dns_within("example.com", "notexample.com"));
        assert!(!dns_within("example.com", "example.com.cn"));
        assert!(dns_within("", "anything.cn"));
    }

    #[test]
    fn mailboxes_match_as_the_three_forms_say() {
        assert!(mailbox_within("user@example.com", "user@EXAMPLE.com"));
        assert!(!mailbox_within("user@example.com", "User@example.com"));
        assert!(mailbox_within("example.com", "anyone@example.com"));
        assert!(!mailbox_within("example.com", "anyone@mail.example.com"));
        assert!(mailbox_within(".example.com", "anyone@mail.example.com"));
        assert!(!mailbox_within(".example.com", "anyone@example.com"));
        assert!(mailbox_within("*@example.com", "*@example.com"));
        assert!(!mailbox_within("*@example.com", "user@example.com"));
    }

    #[test]
    fn addresses_match_within_the_mask() {
        let base = [192, 168, 1, 0, 255, 255, 255, 0];
        assert!(address_within(&base, &[192, 168, 1, 77]));
        assert!(!address_within(&base, &[192, 168, 2, 1]));
        assert!(!address_within(&base, &[0; 16]));
    }
}
