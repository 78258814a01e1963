//! Reading `SES_Seal` and `SES_Signature` from DER.

use chrono::{DateTime, Utc};

use super::asn1::{self, Field, Malformed};
use super::error::{SealError, SealPart};

/// Which standard's structures a seal or signature uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum SealFormat {
    /// GM/T 0031-2014 ("v1"): UTCTime dates, the 制章者's signature in a `SES_SignInfo`, the
    /// 签章者's certificate inside the signed part.
    GmT0031,
    /// GB/T 38540-2020 (version 4; later versions with the same structures are read alike).
    GbT38540,
}

/// The list of who may use a seal: their certificates, or the hashes of them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum SealUsers {
    /// `certListType` 1: the certificates (DER).
    Certificates(Vec<Vec<u8>>),
    /// `certListType` 2: the certificates' hashes, each with its algorithm's name as written.
    Digests(Vec<(String, Vec<u8>)>),
}

/// The seal's picture (a rendering only: validity comes from the signatures).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SealPicture {
    /// `ofd`, `png`, `jpg`, `gif`, … as written.
    pub kind: String,
    /// Its bytes' length.
    #[serde(skip)]
    pub data: Vec<u8>,
    /// Width in millimetres.
    pub width: i64,
    /// Height in millimetres.
    pub height: i64,
}

/// 电子印章 (`SES_Seal`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Seal {
    /// The structures used.
    pub format: SealFormat,
    /// `header.version` as written (1 for GM/T 0031, 4 for GB/T 38540; ofdrw writes 5 too).
    pub version: i64,
    /// `header.vid`: the vendor.
    pub vendor: String,
    /// `esID`: the seal's unique code (印章编码).
    pub id: String,
    /// 印章类型 (`type`).
    pub kind: i64,
    /// 印章名称.
    pub name: String,
    /// Who may use it.
    #[serde(skip)]
    pub users: SealUsers,
    /// When it was made.
    pub created: DateTime<Utc>,
    /// Valid from.
    pub valid_from: DateTime<Utc>,
    /// Valid until.
    pub valid_until: DateTime<Utc>,
    /// The picture.
    pub picture: SealPicture,
    /// 制章者证书 (DER).
    #[serde(skip)]
    pub maker_certificate: Vec<u8>,
    /// The 制章者's signature algorithm (dotted OID).
    pub algorithm: String,
    /// The 制章者's signature over `info_der`.
    #[serde(skip)]
    pub signed_value: Vec<u8>,
    /// The exact bytes the 制章者 signed: `SES_SealInfo` (GB/T 38540), or the SEQUENCE of
    /// `SES_SealInfo`, the certificate and the algorithm (GM/T 0031).
    #[serde(skip)]
    pub info_der: Vec<u8>,
}

/// 电子签章数据 (`SES_Signature`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SealSignature {
    /// The structures used.
    pub format: SealFormat,
    /// `toSign.version` as written.
    pub version: i64,
    /// The seal used.
    pub seal: Seal,
    /// 签章时间 (`timeInfo`), when it is a time (a v1 `timeInfo` may hold a time-stamp token
    /// instead: then `None`).
    pub time: Option<DateTime<Utc>>,
    /// 原文杂凑值 (`dataHash`).
    #[serde(serialize_with = "hex_bytes")]
    pub data_hash: Vec<u8>,
    /// 原文属性 (`propertyInfo`): in OFD the path of the signed `Signature.xml`.
    pub property: String,
    /// 签章者证书 (DER).
    #[serde(skip)]
    pub signer_certificate: Vec<u8>,
    /// The 签章者's signature algorithm (dotted OID).
    pub algorithm: String,
    /// The 签章者's signature over `to_sign_der`.
    #[serde(skip)]
    pub signature: Vec<u8>,
    /// Whether a time-stamp over the signature is attached (read, not verified).
    pub timestamped: bool,
    /// The exact bytes of `TBS_Sign`, which the 签章者 signed.
    #[serde(skip)]
    pub to_sign_der: Vec<u8>,
}

fn hex_bytes<S: serde::Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&hex::encode(bytes))
}

impl Seal {
    /// Reads a `SES_Seal` (GB/T 38540 or GM/T 0031, told apart by their structure).
    pub fn from_der(bytes: &[u8]) -> Result<Self, SealError> {
        let field = Field::parse(bytes, "SES_Seal").map_err(structure)?;
        read_seal(field).map_err(structure)
    }
}

impl SealSignature {
    /// Reads a `SES_Signature` (GB/T 38540 or GM/T 0031, told apart by their structure).
    pub fn from_der(bytes: &[u8]) -> Result<Self, SealError> {
        let field = Field::parse(bytes, "SES_Signature").map_err(structure)?;
        read_signature(field).map_err(structure)
    }
}

fn structure(error: Malformed) -> SealError {
    SealError { part: SealPart::Structure, reason: error.0 }
}

fn read_seal(field: Field<'_>) -> asn1::Read<Seal> {
    let mut seal = field.children("SES_Seal")?;
    let info = seal.take("esealInfo")?;
    let v1 = seal.len() == 2;
    let (maker_certificate, algorithm, signed_value, signed_der) = if v1 {
        // GM/T 0031: the maker signs SEQUENCE { esealInfo, cert, signatureAlgorithm }.
        let mut sign_info = seal.take("signInfo")?.children("SES_SignInfo")?;
        let certificate = sign_info.take("cert")?;
        let algorithm = sign_info.take("signatureAlgorithm")?;
        let value = sign_info.take("signData")?.bits("SES_SignInfo.signData")?;
        sign_info.end()?;
        let signed = asn1::sequence(&[info.der(), certificate.der(), algorithm.der()]);
        (certificate.octets("SES_SignInfo.cert")?, algorithm.oid("SES_SignInfo.signatureAlgorithm")?, value, signed)
    } else {
        let certificate = seal.take("cert")?.octets("SES_Seal.cert")?;
        let algorithm = seal.take("signAlgID")?.oid("SES_Seal.signAlgID")?;
        let value = seal.take("signedValue")?.bits("SES_Seal.signedValue")?;
        // A later addition some writers make (ofdrw's version 5): a context-tagged field after
        // the signature, outside what the maker signed.
        let _unsigned = seal.take_if(|f| f.is_context(0));
        (certificate, algorithm, value, info.der())
    };
    seal.end()?;

    let mut fields = info.children("SES_SealInfo")?;
    let mut header = fields.take("header")?.children("SES_Header")?;
    let id = header.take("id")?.ia5("SES_Header.id")?;
    if id != "ES" {
        return Err(Malformed(format!("SES_Header.id is `{id}`, not `ES`")));
    }
    let version = header.take("version")?.integer("SES_Header.version")?;
    let vendor = header.take("vid")?.ia5("SES_Header.vid")?;
    header.end()?;
    match (v1, version) {
        (true, 1..=3) | (false, 4..=9) => {}
        (true, _) => return Err(Malformed(format!("a GM/T 0031 (v1) seal structure with version {version}"))),
        (false, _) => {
            return Err(Malformed(format!("a GB/T 38540 seal structure with version {version} (4 expected)")));
        }
    }
    let es_id = fields.take("esID")?.ia5("SES_SealInfo.esID")?;
    let mut property = fields.take("property")?.children("SES_ESPropertyInfo")?;
    let kind = property.take("type")?.integer("property.type")?;
    let name = property.take("name")?.utf8("property.name")?;
    let list_type = if v1 { 1 } else { property.take("certListType")?.integer("property.certListType")? };
    let list = property.take("certList")?.children("property.certList")?;
    let users = match list_type {
        1 => SealUsers::Certificates(
            list.all().iter().map(|f| f.octets("property.certList")).collect::<asn1::Read<_>>()?,
        ),
        2 => SealUsers::Digests(
            list.all()
                .iter()
                .map(|f| {
                    let mut digest = f.children("CertDigestObj")?;
                    let kind = digest.take("type")?;
                    let kind = String::from_utf8_lossy(kind.any.value()).into_owned();
                    let value = digest.take("value")?.octets("CertDigestObj.value")?;
                    Ok((kind, value))
                })
                .collect::<asn1::Read<_>>()?,
        ),
        other => return Err(Malformed(format!("property.certListType {other} (1 certificates or 2 hashes)"))),
    };
    let created = property.take("createDate")?.time("property.createDate")?;
    let valid_from = property.take("validStart")?.time("property.validStart")?;
    let valid_until = property.take("validEnd")?.time("property.validEnd")?;
    property.end()?;
    let mut picture = fields.take("picture")?.children("SES_ESPictureInfo")?;
    let picture = SealPicture {
        kind: picture.take("type")?.ia5("picture.type")?,
        data: picture.take("data")?.octets("picture.data")?,
        width: picture.take("width")?.integer("picture.width")?,
        height: picture.take("height")?.integer("picture.height")?,
    };
    let _extensions = fields.take_if(|f| f.tag().is_constructed());
    fields.end()?;
    Ok(Seal {
        format: if v1 { SealFormat::GmT0031 } else { SealFormat::GbT38540 },
        version,
        vendor,
        id: es_id,
        kind,
        name,
        users,
        created,
        valid_from,
        valid_until,
        picture,
        maker_certificate,
        algorithm,
        signed_value,
        info_der: signed_der,
    })
}

fn read_signature(field: Field<'_>) -> asn1::Read<SealSignature> {
    let mut outer = field.children("SES_Signature")?;
    let to_sign = outer.take("toSign")?;
    let mut tbs = to_sign.children("TBS_Sign")?;
    let version = tbs.take("version")?.integer("TBS_Sign.version")?;
    let seal = read_seal(tbs.take("eseal")?)?;
    let v1 = outer.len() == 2;
    let (time, data_hash, property, signer_certificate, algorithm, signature, timestamped);
    if v1 {
        // GM/T 0031: timeInfo is a BIT STRING (a UTCTime's text, or a time-stamp token).
        let time_info = tbs.take("timeInfo")?.bits("TBS_Sign.timeInfo")?;
        time = asn1::time_text(&String::from_utf8_lossy(&time_info));
        data_hash = tbs.take("dataHash")?.bits("TBS_Sign.dataHash")?;
        property = tbs.take("propertyInfo")?.ia5("TBS_Sign.propertyInfo")?;
        signer_certificate = tbs.take("cert")?.octets("TBS_Sign.cert")?;
        algorithm = tbs.take("signatureAlgorithm")?.oid("TBS_Sign.signatureAlgorithm")?;
        let _extensions = tbs.take_if(|f| f.tag().is_constructed());
        signature = outer.take("signature")?.bits("SES_Signature.signature")?;
        timestamped = time.is_none();
    } else {
        time = Some(tbs.take("timeInfo")?.time("TBS_Sign.timeInfo")?);
        data_hash = tbs.take("dataHash")?.bits("TBS_Sign.dataHash")?;
        property = tbs.take("propertyInfo")?.ia5("TBS_Sign.propertyInfo")?;
        let _extensions = tbs.take_if(|f| f.tag().is_constructed());
        signer_certificate = outer.take("cert")?.octets("SES_Signature.cert")?;
        algorithm = outer.take("signatureAlgID")?.oid("SES_Signature.signatureAlgID")?;
        signature = outer.take("signature")?.bits("SES_Signature.signature")?;
        timestamped = outer.take_if(|f| f.is_context(0) || f.tag() == der::Tag::BitString).is_some();
    }
    tbs.end()?;
    outer.end()?;
    if seal.format == SealFormat::GmT0031 && !v1 || seal.format == SealFormat::GbT38540 && v1 {
        return Err(Malformed("the signature's structure and its seal's are of different standards".into()));
    }
    Ok(SealSignature {
        format: seal.format,
        version,
        seal,
        time,
        data_hash,
        property,
        signer_certificate,
        algorithm,
        signature,
        timestamped,
        to_sign_der: to_sign.der(),
    })
}
