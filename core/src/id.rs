//! String identifiers. Each is a distinct type so that a case id cannot be passed as a department.
//! They hold a `CompactString`: identifiers up to 24 bytes live inline, without a heap allocation,
//! which matters when millions of events are replayed.

use std::fmt;

use compact_str::CompactString;

use serde::{Deserialize, Serialize};

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub CompactString);

        impl $name {
            /// Wraps an identifier.
            pub fn new(id: impl AsRef<str>) -> Self {
                Self(CompactString::new(id.as_ref()))
            }

            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(CompactString::new(id))
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(CompactString::from(id))
            }
        }
    };
}

string_id!(
    /// 办件编号: the identifier of one case (one application), unique across the platform.
    CaseId
);
string_id!(
    /// 事项编码: the code of a service item in the catalogue (实施清单).
    ItemCode
);
string_id!(
    /// 部门编码: the code of a department (部门, 实施机关).
    DepartmentId
);
string_id!(
    /// The identifier of an official (工作人员) or of a system acting on its own.
    OfficialId
);
