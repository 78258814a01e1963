#![doc = include_str!("../README.md")]

mod error;
mod layout;
mod pack;
mod verify;

pub use error::{Error, Result};
pub use layout::{
    CERTIFICATES, DOCUMENTS, DocumentEntry, EVENTS, FORMAT, HashAlgorithm, MANIFEST, MANIFEST_SIGNATURE, MEDIA_TYPE,
    METADATA, MIMETYPE, Manifest, ManifestEntry, Metadata, Retention,
};
pub use pack::Package;
pub use verify::{Verification, verify};
