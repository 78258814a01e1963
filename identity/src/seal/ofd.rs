//! Signed OFD documents (GB/T 33190, signatures per GM/T 0099): each `Signature.xml` listed in
//! `Doc_N/Signs/Signatures.xml`, its `SignedValue.dat` (an `SES_Signature`) verified over the
//! bytes of that `Signature.xml`, and every file it references against its `CheckValue`.

use std::collections::BTreeMap;
use std::io::{Cursor, Read as _};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use quick_xml::Reader;
use quick_xml::events::Event;

use super::error::{SealError, SealPart};
use super::read::SealSignature;
use super::verify::{SealCheck, SealVerification, digest, verify_seal_signature};
use crate::algorithm::SignatureAlgorithm;
use crate::certificate::Certificate;
use crate::trust::TrustStore;

/// The largest OFD member read, in bytes.
const MAX_MEMBER_BYTES: u64 = 64 << 20;

/// One signature of an OFD document, and its verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfdSignatureCheck {
    /// The path of its `Signature.xml` in the package.
    pub signature: String,
    /// How many files it protects (`Reference`s).
    pub references: usize,
    /// Verified, or the part that failed.
    pub result: Result<SealVerification, SealError>,
}

fn structure(reason: impl Into<String>) -> SealError {
    SealError { part: SealPart::Structure, reason: reason.into() }
}

/// Verifies every signature of an OFD document. An error is a document that cannot be read as
/// OFD at all; each signature's own failure is in its check.
///
/// A signature without a seal (OFD's `Type="Sign"`, whose `SignedValue.dat` is a bare SM2
/// signature `SEQUENCE { r, s }` carrying no certificate) is verified with `signer`, the
/// certificate the caller knows it by; without one it fails naming what is missing.
pub fn verify_ofd(
    bytes: &[u8],
    trust: Option<&TrustStore>,
    at: Option<DateTime<Utc>>,
    signer: Option<&Certificate>,
) -> Result<Vec<OfdSignatureCheck>, SealError> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| structure(format!("not an OFD package (ZIP): {e}")))?;
    let lists: Vec<String> = zip
        .file_names()
        .filter(|n| n.ends_with("/Signs/Signatures.xml") || *n == "Signs/Signatures.xml")
        .map(str::to_owned)
        .collect();
    if lists.is_empty() {
        return Err(structure("the document has no signatures (no Doc_N/Signs/Signatures.xml)"));
    }
    let mut checks = Vec::new();
    for list in lists {
        let text = member(&mut zip, &list)?;
        for location in elements(&text, &list)?.attributes("Signature", "BaseLoc") {
            let path = resolve(&list, &location);
            let signature_xml = member(&mut zip, &path)?;
            let (references, result) = check_signature(&mut zip, &path, &signature_xml, trust, at, signer);
            checks.push(OfdSignatureCheck { signature: path, references, result });
        }
    }
    Ok(checks)
}

fn check_signature(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    path: &str,
    xml: &[u8],
    trust: Option<&TrustStore>,
    at: Option<DateTime<Utc>>,
    signer: Option<&Certificate>,
) -> (usize, Result<SealVerification, SealError>) {
    let parsed = match elements(xml, path) {
        Ok(parsed) => parsed,
        Err(error) => return (0, Err(error)),
    };
    let references = parsed.references.len();
    let result = (|| {
        let value_path =
            parsed.text("SignedValue").ok_or_else(|| structure(format!("`{path}` names no SignedValue")))?;
        let value = member(zip, &resolve(path, &value_path))?;
        let verified = if is_bare_signature(&value) {
            verify_bare(&value, xml, &parsed, signer, trust, at)?
        } else {
            let signature = SealSignature::from_der(&value)?;
            verify_seal_signature(&signature, &SealCheck { trust, at, used_at: None, data: Some(xml) })?
        };
        let method = parsed.check_method.clone().unwrap_or_else(|| "1.2.156.10197.1.401".to_owned());
        for (file, expected) in &parsed.references {
            let target = resolve(path, file);
            let bytes =
                member(zip, &target).map_err(|e| SealError { part: SealPart::ProtectedFile, reason: e.reason })?;
            let computed = digest(&method, &bytes)
                .ok_or_else(|| structure(format!("check method `{method}` is not SM3, SHA-256 or SHA-1")))?;
            let expected = BASE64
                .decode(expected.trim())
                .map_err(|e| structure(format!("CheckValue of `{file}` is not base64: {e}")))?;
            if computed != expected {
                return Err(SealError {
                    part: SealPart::ProtectedFile,
                    reason: format!("`{target}` changed: its {method} is not the CheckValue `{path}` signed"),
                });
            }
        }
        Ok(verified)
    })();
    (references, result)
}

/// Whether the signed value is a bare `SEQUENCE { INTEGER, INTEGER }` (an SM2 or ECDSA signature
/// value) rather than an `SES_Signature`.
fn is_bare_signature(value: &[u8]) -> bool {
    super::asn1::Field::parse(value, "SignedValue")
        .and_then(|field| field.children("SignedValue"))
        .is_ok_and(|fields| fields.len() == 2 && fields.all().iter().all(|f| f.tag() == der::Tag::Integer))
}

/// A signature without a seal: the signer's certificate comes from the caller.
fn verify_bare(
    value: &[u8],
    xml: &[u8],
    parsed: &Elements,
    signer: Option<&Certificate>,
    trust: Option<&TrustStore>,
    at: Option<DateTime<Utc>>,
) -> Result<SealVerification, SealError> {
    let signer = signer.ok_or_else(|| SealError {
        part: SealPart::SignerCertificate,
        reason: "a signature without a seal carries no certificate: give the signer's certificate".into(),
    })?;
    let method = parsed.text("SignatureMethod").unwrap_or_else(|| "1.2.156.10197.1.501".to_owned());
    let algorithm = SignatureAlgorithm::parse(&method)
        .map_err(|e| SealError { part: SealPart::SignerSignature, reason: e.to_string() })?;
    let at =
        at.ok_or_else(|| structure("a signature without a seal has no signed time: give the instant to check at"))?;
    if at < signer.not_before() || at > signer.not_after() {
        return Err(SealError {
            part: SealPart::SignerCertificate,
            reason: format!(
                "`{}` is valid from {} to {}, not at {at}",
                signer.subject(),
                signer.not_before(),
                signer.not_after()
            ),
        });
    }
    if let Some(trust) = trust {
        trust
            .verify(signer, at, crate::trust::KeyPurpose::Signing)
            .map_err(|e| SealError { part: SealPart::SignerCertificate, reason: e.to_string() })?;
    }
    signer
        .verify_signature(algorithm, xml, value)
        .map_err(|e| SealError { part: SealPart::SignerSignature, reason: e.to_string() })?;
    Ok(SealVerification {
        seal_id: String::new(),
        seal_name: String::new(),
        maker: String::new(),
        signer: Some(signer.subject().to_owned()),
        at,
        valid_from: signer.not_before(),
        valid_until: signer.not_after(),
        used_at: None,
        chains_checked: trust.is_some(),
        data_checked: true,
    })
}

fn member(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, path: &str) -> Result<Vec<u8>, SealError> {
    let mut file = zip.by_name(path).map_err(|_| structure(format!("`{path}` is not in the document")))?;
    let mut bytes = Vec::new();
    (&mut file)
        .take(MAX_MEMBER_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| structure(format!("`{path}` cannot be read: {e}")))?;
    if bytes.len() as u64 > MAX_MEMBER_BYTES {
        return Err(structure(format!("`{path}` is larger than 64 MiB")));
    }
    Ok(bytes)
}

/// A path as OFD writes it (absolute from the package root, or relative to the referring file)
/// made a ZIP member name.
fn resolve(from: &str, location: &str) -> String {
    let location = location.trim();
    let mut parts: Vec<&str> = if location.starts_with('/') {
        Vec::new()
    } else {
        let mut folder: Vec<&str> = from.split('/').collect();
        folder.pop();
        folder
    };
    for part in location.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

/// What an OFD signature file says, by local element name.
#[derive(Debug, Default)]
struct Elements {
    texts: BTreeMap<String, String>,
    attributes: Vec<(String, String, String)>,
    check_method: Option<String>,
    references: Vec<(String, String)>,
}

impl Elements {
    fn text(&self, element: &str) -> Option<String> {
        self.texts.get(element).cloned()
    }

    fn attributes(&self, element: &str, attribute: &str) -> Vec<String> {
        self.attributes.iter().filter(|(e, a, _)| e == element && a == attribute).map(|(_, _, v)| v.clone()).collect()
    }
}

fn elements(xml: &[u8], path: &str) -> Result<Elements, SealError> {
    let mut reader = Reader::from_reader(xml);
    let mut found = Elements::default();
    let mut stack: Vec<String> = Vec::new();
    let mut buffer = Vec::new();
    let mut reference: Option<String> = None;
    loop {
        let event = reader.read_event_into(&mut buffer).map_err(|e| structure(format!("`{path}` is not XML: {e}")))?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(element) | Event::Empty(element) => {
                let name = element.local_name().as_ref().to_owned();
                for attribute in element.attributes().flatten() {
                    let key = attribute.key.local_name().as_ref().to_owned();
                    let value = attribute
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map(|v| v.into_owned())
                        .map_err(|e| structure(format!("`{path}`: attribute `{key}`: {e}")))?;
                    if name == "References" && key == "CheckMethod" {
                        found.check_method = Some(value.clone());
                    }
                    if name == "Reference" && key == "FileRef" {
                        reference = Some(value.clone());
                    }
                    found.attributes.push((name.clone(), key, value));
                }
                if !empty {
                    stack.push(name);
                }
            }
            Event::Text(text) => {
                let text = text.xml10_content().trim().to_owned();
                if let Some(element) = stack.last() {
                    if element == "CheckValue" {
                        let file = reference
                            .take()
                            .ok_or_else(|| structure(format!("`{path}`: a CheckValue outside a Reference")))?;
                        found.references.push((file, text));
                    } else if !text.is_empty() {
                        found.texts.insert(element.clone(), text);
                    }
                }
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    Ok(found)
}
