//! 公文: official documents per 《党政机关公文处理工作条例》 (中办发〔2012〕14号) and GB/T 9704-2012:
//! the 15 document types with their direction, every element of Art. 9 typed, the 发文字号 and
//! 成文日期 formats, and the 行文规则 (Arts. 13–17) checked with every violation reported.
//!
//! `official` holds the document and its kinds, `number` the 发文字号 and 成文日期, `secrecy` the
//! 密级, 保密期限 and 紧急程度, `validate` the 行文规则.

mod number;
mod official;
mod secrecy;
mod validate;

pub use number::{DocumentNumber, format_document_date, parse_document_date};
pub use official::{Addressee, Attachment, Direction, DocumentType, OfficialDocument, Relation};
pub use secrecy::{Classification, SecrecyMark, SecrecyPeriod, Urgency};
pub use validate::{RULES, Severity, Violation};
