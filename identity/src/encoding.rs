//! Certificates, CRLs and OCSP responses read from files hold PEM text or DER bytes:
//! [`encoded`] tells which, and refuses a file that is neither by saying so (a DER decoder's
//! "unexpected ASN.1 DER tag" for a file of text tells a user nothing).

use crate::error::{Error, Result};

/// What a file holds.
pub(crate) enum Encoded<'a> {
    /// PEM text from its first `-----BEGIN` line: lines before it (the `Bag Attributes`,
    /// `subject=` and `issuer=` lines `openssl pkcs12 -nokeys` writes, or `openssl x509 -text`
    /// output) are left out.
    Pem(&'a str),
    /// DER bytes (they begin with a SEQUENCE, byte 0x30).
    Der(&'a [u8]),
}

/// How `bytes`, a `what` read from a file, are encoded; an empty file, or one that is neither
/// PEM nor DER, is refused naming what it holds instead.
pub(crate) fn encoded<'a>(what: &'static str, bytes: &'a [u8]) -> Result<Encoded<'a>> {
    if let Ok(text) = std::str::from_utf8(bytes)
        && let Some(start) = text.find("-----BEGIN")
    {
        return Ok(Encoded::Pem(&text[start..]));
    }
    match bytes.first() {
        Some(0x30) => Ok(Encoded::Der(bytes)),
        None => Err(Error::Parse { what, reason: "the file is empty".into() }),
        Some(first) => {
            // Text is shown (its first line, control characters escaped); other bytes by value.
            let head = &bytes[..bytes.len().min(32)];
            let shown = match std::str::from_utf8(head).or_else(|e| std::str::from_utf8(&head[..e.valid_up_to()])) {
                Ok(text) if !text.trim().is_empty() && !text.starts_with(|c: char| c.is_control() && c != '\t') => {
                    let line: String =
                        text.trim().lines().next().unwrap_or("").chars().flat_map(char::escape_debug).collect();
                    format!("text beginning `{line}`")
                }
                _ => format!("bytes beginning 0x{first:02x}"),
            };
            Err(Error::Parse {
                what,
                reason: format!(
                    "the file is neither PEM (it has no `-----BEGIN` line) nor DER (which begins with byte 0x30): \
                     it holds {shown}"
                ),
            })
        }
    }
}
