#![doc = include_str!("../README.md")]

mod codes;
mod error;
mod records;
mod registry;

pub use codes::{
    CreditCode, RegistrationAuthority, id_check_char, org_check_char, uscc_check_char, validate_organization_code,
    validate_resident_id,
};
pub use error::{Error, Result};
pub use records::{
    CreditRecord, Measure, Publication, PublicationRules, RecordKind, RepairOutcome, ScoringModel, Standing, measures,
};
pub use registry::{LegalPerson, RecordChange, RegistrationStatus, Registry, RegistryEvent, Representative};
