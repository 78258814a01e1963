//! What failed in a seal or signature: the part, and the reason.

/// Which part of a seal or signature failed: what a verifier's report names.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SealPart {
    /// The DER structure (a field missing, of the wrong type, a header that is not `ES`).
    Structure,
    /// 制章者签名: the seal maker's signature over the seal's information.
    MakerSignature,
    /// 制章者证书: the seal maker's certificate (unreadable, outside its validity, untrusted).
    MakerCertificate,
    /// 印章有效期: the seal's own validity period.
    SealValidity,
    /// 印章使用者: the signer is not among those the seal lists.
    SignerAuthorisation,
    /// 签章者证书: the signer's certificate (unreadable, outside its validity, untrusted, its
    /// key of another algorithm than the signature's).
    SignerCertificate,
    /// 签章者签名: the signer's signature over `TBS_Sign`.
    SignerSignature,
    /// 原文杂凑值: the protected data does not hash to the signed value.
    DataHash,
    /// A file an OFD signature protects (a `Reference`) is missing or changed.
    ProtectedFile,
}

impl std::fmt::Display for SealPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SealPart::Structure => "structure",
            SealPart::MakerSignature => "seal maker's signature (制章者签名)",
            SealPart::MakerCertificate => "seal maker's certificate (制章者证书)",
            SealPart::SealValidity => "seal's validity (印章有效期)",
            SealPart::SignerAuthorisation => "signer's authorisation (印章使用者)",
            SealPart::SignerCertificate => "signer's certificate (签章者证书)",
            SealPart::SignerSignature => "signer's signature (签章者签名)",
            SealPart::DataHash => "signed data (原文杂凑值)",
            SealPart::ProtectedFile => "protected file (签名保护文件)",
        })
    }
}

/// Why a seal or signature does not verify: the part, and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{part}: {reason}")]
pub struct SealError {
    /// The part that failed.
    pub part: SealPart,
    /// Why.
    pub reason: String,
}
