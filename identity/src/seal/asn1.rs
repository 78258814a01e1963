//! A small reader over DER for the seal structures: each field taken with its tag checked, and
//! the exact bytes of the parts that are signed kept as they came.

use chrono::{DateTime, NaiveDateTime, Utc};
use der::asn1::AnyRef;
use der::{Decode as _, Encode as _, Reader as _, SliceReader, Tag, TagNumber, Tagged as _};

/// A failure to read a field: the field's name and what was wrong.
#[derive(Debug)]
pub(crate) struct Malformed(pub(crate) String);

pub(crate) type Read<T> = std::result::Result<T, Malformed>;

/// One TLV and the bytes it came from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field<'a> {
    pub(crate) any: AnyRef<'a>,
}

impl<'a> Field<'a> {
    pub(crate) fn parse(bytes: &'a [u8], what: &str) -> Read<Self> {
        let any = AnyRef::from_der(bytes).map_err(|e| Malformed(format!("{what}: not DER ({e})")))?;
        Ok(Field { any })
    }

    pub(crate) fn tag(&self) -> Tag {
        self.any.tag()
    }

    /// The field's whole encoding (tag, length, value): what a signature over it covers.
    pub(crate) fn der(&self) -> Vec<u8> {
        self.any.to_der().unwrap_or_default()
    }

    pub(crate) fn children(&self, what: &str) -> Read<Fields<'a>> {
        if self.any.tag() != Tag::Sequence {
            return Err(Malformed(format!("{what}: expected a SEQUENCE, found {}", self.any.tag())));
        }
        let mut reader = SliceReader::new(self.any.value()).map_err(|e| Malformed(format!("{what}: {e}")))?;
        let mut items = Vec::new();
        while !reader.is_finished() {
            let any =
                AnyRef::decode(&mut reader).map_err(|e| Malformed(format!("{what}: item {}: {e}", items.len() + 1)))?;
            items.push(Field { any });
        }
        Ok(Fields { what: what.to_owned(), items, next: 0 })
    }

    fn expect(&self, tag: Tag, what: &str) -> Read<&'a [u8]> {
        if self.any.tag() != tag {
            return Err(Malformed(format!("{what}: expected {tag}, found {}", self.any.tag())));
        }
        Ok(self.any.value())
    }

    pub(crate) fn ia5(&self, what: &str) -> Read<String> {
        let value = self.expect(Tag::Ia5String, what)?;
        if !value.is_ascii() {
            return Err(Malformed(format!("{what}: an IA5String holds a byte above 0x7F")));
        }
        Ok(String::from_utf8_lossy(value).into_owned())
    }

    pub(crate) fn utf8(&self, what: &str) -> Read<String> {
        let value = self.expect(Tag::Utf8String, what)?;
        String::from_utf8(value.to_vec()).map_err(|_| Malformed(format!("{what}: not UTF-8")))
    }

    pub(crate) fn integer(&self, what: &str) -> Read<i64> {
        let value = self.expect(Tag::Integer, what)?;
        if value.is_empty() || value.len() > 8 {
            return Err(Malformed(format!("{what}: an INTEGER of {} bytes", value.len())));
        }
        let mut number: i64 = if value[0] & 0x80 != 0 { -1 } else { 0 };
        for byte in value {
            number = (number << 8) | i64::from(*byte);
        }
        Ok(number)
    }

    pub(crate) fn octets(&self, what: &str) -> Read<Vec<u8>> {
        Ok(self.expect(Tag::OctetString, what)?.to_vec())
    }

    /// A BIT STRING's bytes (a whole number of bytes: no unused bits).
    pub(crate) fn bits(&self, what: &str) -> Read<Vec<u8>> {
        let value = self.expect(Tag::BitString, what)?;
        match value.split_first() {
            Some((0, bytes)) => Ok(bytes.to_vec()),
            _ => Err(Malformed(format!("{what}: a BIT STRING that is not whole bytes"))),
        }
    }

    pub(crate) fn oid(&self, what: &str) -> Read<String> {
        let value = self.expect(Tag::ObjectIdentifier, what)?;
        der::asn1::ObjectIdentifier::from_bytes(value)
            .map(|oid| oid.to_string())
            .map_err(|e| Malformed(format!("{what}: {e}")))
    }

    /// A GeneralizedTime (v4) or UTCTime (v1).
    pub(crate) fn time(&self, what: &str) -> Read<DateTime<Utc>> {
        let text = match self.any.tag() {
            Tag::GeneralizedTime | Tag::UtcTime => String::from_utf8_lossy(self.any.value()).into_owned(),
            other => return Err(Malformed(format!("{what}: expected a time, found {other}"))),
        };
        time_text(&text).ok_or_else(|| Malformed(format!("{what}: `{text}` is not a time")))
    }

    pub(crate) fn is_context(&self, number: u8) -> bool {
        matches!(self.any.tag(), Tag::ContextSpecific { number: n, .. } if n == TagNumber(number.into()))
    }
}

/// Reads `YYYYMMDDHHMMSS[.f]Z` (GeneralizedTime) or `YYMMDDHHMMSSZ` (UTCTime; years 50–99 are
/// 19xx), and the same with an offset `+hhmm`.
pub(crate) fn time_text(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    let (body, offset_minutes) = if let Some(body) = text.strip_suffix('Z') {
        (body, 0)
    } else if text.len() > 5 && matches!(text.as_bytes()[text.len() - 5], b'+' | b'-') {
        let (body, offset) = text.split_at(text.len() - 5);
        let sign = if offset.starts_with('-') { -1 } else { 1 };
        let hours: i64 = offset[1..3].parse().ok()?;
        let minutes: i64 = offset[3..5].parse().ok()?;
        (body, sign * (hours * 60 + minutes))
    } else {
        (text, 0)
    };
    let body = body.split('.').next()?;
    let full = match body.len() {
        14 => body.to_owned(),
        12 => {
            let year: u32 = body[..2].parse().ok()?;
            format!("{}{body}", if year >= 50 { "19" } else { "20" })
        }
        _ => return None,
    };
    let naive = NaiveDateTime::parse_from_str(&full, "%Y%m%d%H%M%S").ok()?;
    Some(naive.and_utc() - chrono::Duration::minutes(offset_minutes))
}

/// The children of a SEQUENCE, taken in order.
#[derive(Debug)]
pub(crate) struct Fields<'a> {
    what: String,
    items: Vec<Field<'a>>,
    next: usize,
}

impl<'a> Fields<'a> {
    pub(crate) fn take(&mut self, field: &str) -> Read<Field<'a>> {
        let item =
            self.items.get(self.next).copied().ok_or_else(|| Malformed(format!("{}: no `{field}`", self.what)))?;
        self.next += 1;
        Ok(item)
    }

    /// The next field if it has this tag (an OPTIONAL one).
    pub(crate) fn take_if(&mut self, wanted: impl Fn(&Field<'a>) -> bool) -> Option<Field<'a>> {
        let item = self.items.get(self.next).copied().filter(|item| wanted(item))?;
        self.next += 1;
        Some(item)
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    pub(crate) fn all(&self) -> &[Field<'a>] {
        &self.items
    }

    /// Nothing may follow the fields read.
    pub(crate) fn end(&self) -> Read<()> {
        match self.items.len() - self.next {
            0 => Ok(()),
            n => Err(Malformed(format!("{}: {n} unexpected field(s) at the end", self.what))),
        }
    }
}

/// The DER of a SEQUENCE holding `items` (each already a whole TLV).
pub(crate) fn sequence(items: &[Vec<u8>]) -> Vec<u8> {
    let length: usize = items.iter().map(Vec::len).sum();
    let mut out = vec![0x30];
    if length < 0x80 {
        out.push(length as u8);
    } else {
        let bytes: Vec<u8> = length.to_be_bytes().into_iter().skip_while(|b| *b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    for item in items {
        out.extend_from_slice(item);
    }
    out
}
