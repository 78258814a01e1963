#![doc = include_str!("../README.md")]

mod codes;
mod error;

pub use codes::{
    CreditCode, RegistrationAuthority, id_check_char, org_check_char, uscc_check_char, validate_organization_code,
    validate_resident_id,
};
pub use error::{Error, Result};
