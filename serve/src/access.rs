//! Who may do what: the clients file (`--clients`), read once at start, and the [`Access`] a
//! verified certificate is given by it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use zhengwu_core::{DepartmentId, OfficialId, Organization, RegionCode};
use zhengwu_identity::{HolderKind, Identity};

use crate::error::{Error, Result};

/// The clients file as written: the systems that report (单位证书, by 统一社会信用代码) and the
/// officials who supervise (个人证书, by 公民身份号码).
///
/// ```toml
/// [[client]]
/// credit_code = "11530100MB0123456X"
/// departments = ["km-scjg"]          # reports for these, reads them
///
/// [[official]]
/// id_number = "11010519491231002X"
/// official = "jc-001"                 # recorded as the actor of correction steps
/// regions = ["530100"]               # reads and works the alerts of this subtree
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientsFile {
    /// Reporting systems.
    #[serde(default, rename = "client")]
    pub clients: Vec<ClientEntry>,
    /// Supervising officials.
    #[serde(default, rename = "official")]
    pub officials: Vec<OfficialEntry>,
}

/// A reporting system, named by the credit code its unit certificate carries.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientEntry {
    /// 统一社会信用代码 of the unit certificate.
    pub credit_code: String,
    /// The departments it reports for (and may read).
    #[serde(default)]
    pub departments: Vec<DepartmentId>,
    /// Region subtrees it may read beside its departments (a county centre forwarding to the city
    /// reports for every department of its subtree: list them in `departments`).
    #[serde(default)]
    pub regions: Vec<RegionCode>,
}

/// A supervising official (监察人员), named by the 公民身份号码 of a personal certificate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficialEntry {
    /// 公民身份号码 of the personal certificate.
    pub id_number: String,
    /// The official's id in supervision records.
    pub official: OfficialId,
    /// Departments whose figures and alerts the official reads and works.
    #[serde(default)]
    pub departments: Vec<DepartmentId>,
    /// Region subtrees the official reads and works.
    #[serde(default)]
    pub regions: Vec<RegionCode>,
}

/// What one certificate holder may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// How requests name the holder in refusals and logs: the credit code or the official.
    pub holder: String,
    /// The official, for a personal certificate: the actor of correction steps.
    pub official: Option<OfficialId>,
    /// Departments the holder reports events for.
    pub reports_for: BTreeSet<DepartmentId>,
    /// What the holder reads (and, for an official, works).
    pub scope: Scope,
}

/// A reader's scope: departments and region subtrees.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scope {
    /// Departments, wherever their cases are.
    pub departments: BTreeSet<DepartmentId>,
    /// Region subtrees: a case whose region is one of these or lies below one is in scope.
    pub regions: Vec<RegionCode>,
}

impl Scope {
    /// Whether a case of `department` in `region` is in scope.
    pub fn includes(&self, department: &DepartmentId, region: &RegionCode) -> bool {
        if self.departments.contains(department) {
            return true;
        }
        let mut at = Some(region.clone());
        while let Some(code) = at {
            if self.regions.contains(&code) {
                return true;
            }
            at = code.structural_parent();
        }
        false
    }
}

/// The clients file, checked and indexed by certificate number.
#[derive(Debug, Clone, Default)]
pub struct Clients {
    by_credit_code: BTreeMap<String, Access>,
    by_id_number: BTreeMap<String, Access>,
}

impl Clients {
    /// Reads and checks a clients file (TOML): every credit code and 公民身份号码 well formed
    /// (check characters included) and listed once, and, with an organisation directory, every
    /// department and region in it.
    pub fn from_toml(text: &str, organization: Option<&Organization>) -> Result<Self> {
        let file: ClientsFile = toml::from_str(text).map_err(|e| Error::Config(format!("clients file: {e}")))?;
        Self::new(file, organization)
    }

    /// Checks and indexes a clients file.
    pub fn new(file: ClientsFile, organization: Option<&Organization>) -> Result<Self> {
        let known = |departments: &[DepartmentId], regions: &[RegionCode], who: &str| -> Result<()> {
            let Some(organization) = organization else { return Ok(()) };
            if let Some(unknown) = departments.iter().find(|d| organization.department(d).is_none()) {
                return Err(Error::Config(format!(
                    "{who}: department `{unknown}` is not in the organisation directory"
                )));
            }
            if let Some(unknown) = regions.iter().find(|r| organization.region(r).is_none()) {
                return Err(Error::Config(format!("{who}: region `{unknown}` is not in the organisation directory")));
            }
            Ok(())
        };
        let mut clients = Clients::default();
        for entry in file.clients {
            let who = format!("client `{}`", entry.credit_code);
            zhengwu_credit::CreditCode::new(&entry.credit_code).map_err(|e| Error::Config(format!("{who}: {e}")))?;
            known(&entry.departments, &entry.regions, &who)?;
            let access = Access {
                holder: entry.credit_code.clone(),
                official: None,
                reports_for: entry.departments.iter().cloned().collect(),
                scope: Scope { departments: entry.departments.into_iter().collect(), regions: entry.regions },
            };
            if clients.by_credit_code.insert(entry.credit_code, access).is_some() {
                return Err(Error::Config(format!("{who} is listed twice")));
            }
        }
        for entry in file.officials {
            let who = format!("official `{}`", entry.official);
            zhengwu_credit::validate_resident_id(&entry.id_number).map_err(|e| Error::Config(format!("{who}: {e}")))?;
            known(&entry.departments, &entry.regions, &who)?;
            let access = Access {
                holder: entry.official.to_string(),
                official: Some(entry.official),
                reports_for: BTreeSet::new(),
                scope: Scope { departments: entry.departments.into_iter().collect(), regions: entry.regions },
            };
            if clients.by_id_number.insert(entry.id_number, access).is_some() {
                return Err(Error::Config(format!("{who}: the 公民身份号码 is listed twice")));
            }
        }
        Ok(clients)
    }

    /// What the holder of a verified certificate may do: by the credit code of a unit
    /// certificate, the 公民身份号码 of a personal one. `Err` names the holder not listed.
    pub fn access(&self, identity: &Identity) -> std::result::Result<&Access, String> {
        let listed = match identity.kind {
            HolderKind::LegalPerson => identity.credit_code.as_ref().and_then(|code| self.by_credit_code.get(code)),
            HolderKind::Person => identity.id_number.as_ref().and_then(|number| self.by_id_number.get(number)),
            _ => None,
        };
        listed.ok_or_else(|| {
            let number = identity.credit_code.as_deref().or(identity.id_number.as_deref()).unwrap_or("no number");
            let name = identity.name.as_deref().unwrap_or("?");
            format!("the certificate of `{name}` ({number}) is not a client of this centre")
        })
    }
}
