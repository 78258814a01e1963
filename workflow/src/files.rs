//! Process files: the languages a definition is written in, and reading and writing it with its
//! format's version.

use serde::Serialize;

use crate::bpmn::import_bpmn;
use crate::definition::ProcessDefinition;
use crate::error::{Error, Result};

/// The version of the process definition format (JSON and TOML) [`ProcessDefinition::to_json`]
/// and [`ProcessDefinition::to_toml`] write. Files without a `version` are read as this one.
pub const DEFINITION_VERSION: u32 = 1;

/// A definition as written: its format's version first.
#[derive(Serialize)]
struct Versioned<'a> {
    version: u32,
    #[serde(flatten)]
    definition: &'a ProcessDefinition,
}

/// The languages a process file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProcessFormat {
    /// BPMN 2.0 XML, as Flowable, Camunda and bpmn-js write it ([`crate::import_bpmn`]).
    Bpmn,
    /// zhengwu's JSON form of a [`ProcessDefinition`].
    Json,
    /// zhengwu's TOML form of a [`ProcessDefinition`].
    Toml,
}

impl ProcessFormat {
    /// A format by its name (`bpmn`, `xml`, `json`, `toml`), or by the extension of a file name
    /// (`.bpmn`, `.xml` and so `.bpmn20.xml`, `.json`, `.toml`); the one place either is decided.
    ///
    /// ```
    /// use zhengwu_workflow::ProcessFormat;
    /// assert_eq!(ProcessFormat::parse("flows/establish.bpmn20.xml")?, ProcessFormat::Bpmn);
    /// assert_eq!(ProcessFormat::parse("TOML")?, ProcessFormat::Toml);
    /// assert!(ProcessFormat::parse("process.yaml").is_err());
    /// # Ok::<(), zhengwu_workflow::Error>(())
    /// ```
    pub fn parse(name_or_file: &str) -> Result<Self> {
        let lower = name_or_file.to_ascii_lowercase();
        let extension = lower.rsplit_once('.').map_or(lower.as_str(), |(_, extension)| extension);
        match extension {
            "bpmn" | "xml" => Ok(ProcessFormat::Bpmn),
            "json" => Ok(ProcessFormat::Json),
            "toml" => Ok(ProcessFormat::Toml),
            _ => Err(Error::Parse {
                what: "process format",
                message: format!("`{name_or_file}` is not bpmn, json or toml (nor a .bpmn, .xml, .json or .toml file)"),
            }),
        }
    }
}

impl ProcessDefinition {
    /// Reads a process written in `format`.
    pub fn read(text: &str, format: ProcessFormat) -> Result<Self> {
        match format {
            ProcessFormat::Bpmn => import_bpmn(text),
            ProcessFormat::Json => Self::from_json(text),
            ProcessFormat::Toml => Self::from_toml(text),
        }
    }

    /// Parses JSON. A `version` member, where given, must be [`DEFINITION_VERSION`].
    pub fn from_json(text: &str) -> Result<Self> {
        let parse = |message: String| Error::Parse { what: "process definition", message };
        let header: zhengwu_core::FormatHeader = zhengwu_core::from_json(text).map_err(parse)?;
        zhengwu_core::check_format_version("process definition", header.version, DEFINITION_VERSION, false)?;
        zhengwu_core::from_json(text).map_err(parse)
    }

    /// Parses TOML. A `version` key, where given, must be [`DEFINITION_VERSION`].
    pub fn from_toml(text: &str) -> Result<Self> {
        let parse = |e: toml::de::Error| Error::Parse { what: "process definition", message: e.to_string() };
        let header: zhengwu_core::FormatHeader = toml::from_str(text).map_err(parse)?;
        zhengwu_core::check_format_version("process definition", header.version, DEFINITION_VERSION, false)?;
        toml::from_str(text).map_err(parse)
    }

    /// Writes JSON, with its `version`.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&Versioned { version: DEFINITION_VERSION, definition: self })
            .expect("a definition always serialises to JSON")
    }

    /// Writes TOML, with its `version`.
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string(&Versioned { version: DEFINITION_VERSION, definition: self })
            .map_err(|e| Error::Parse { what: "process definition", message: e.to_string() })
    }
}
