//! 电子印章 and 电子签章 (GB/T 38540-2020, and GM/T 0031-2014's v1 structures): reading
//! `SES_Seal` and `SES_Signature`, and verifying them in the standard's order (see [`verify`]).
//!
//! A seal (`SES_Seal`) is made by a 制章者 (the seal-making authority), who signs the seal's
//! information — header, 印章编码, the 印章属性 with the certificates of the people allowed to use it
//! and the validity period, the picture — with the 制章者证书 the seal carries. A signature
//! (`SES_Signature`) is made by a 签章者 with the seal embedded: the 签章者 signs the seal, the
//! time, the hash of the protected data (原文杂凑值) and its description with the 签章者证书.

mod asn1;
mod error;
mod file;
mod ofd;
mod read;
mod verify;

pub use error::{SealError, SealPart};
pub use file::{SealFileCheck, verify_file};
pub use ofd::{OfdSignatureCheck, verify_ofd};
pub use read::{Seal, SealFormat, SealPicture, SealSignature, SealUsers};
pub use verify::{SealCheck, SealVerification, verify_seal, verify_seal_signature};
