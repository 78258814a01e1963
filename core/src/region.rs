//! 行政区划 and the organisation directory: regions, departments (部门) and officials.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Problems, Result};
use crate::id::{DepartmentId, OfficialId};

/// 行政区划代码: a GB/T 2260 six-digit code (province, city, county) or a nine-digit town code
/// (乡级, the county's six digits followed by three).
///
/// The constructor checks the shape only; whether the region exists is the [`Organization`]'s
/// business.
///
/// ```
/// use zhengwu_core::{RegionCode, RegionLevel};
/// let county: RegionCode = "530102".parse()?;
/// assert_eq!(county.level(), RegionLevel::County);
/// assert_eq!(county.structural_parent().unwrap().as_str(), "530100");
/// let town: RegionCode = "530102001".parse()?;
/// assert_eq!(town.level(), RegionLevel::Town);
/// assert!("53010".parse::<RegionCode>().is_err());
/// # Ok::<(), zhengwu_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RegionCode(compact_str::CompactString);

/// The level of a region in the 省 → 市 → 县 → 乡 hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    /// 省级: province, autonomous region or municipality (code `XX0000`).
    Province,
    /// 地级: prefecture-level city (code `XXXX00`).
    City,
    /// 县级: county, county-level city or city district.
    County,
    /// 乡级: town, township or sub-district (nine digits).
    Town,
}

impl RegionLevel {
    /// The Chinese name of the level.
    pub fn chinese(self) -> &'static str {
        match self {
            RegionLevel::Province => "省级",
            RegionLevel::City => "地级",
            RegionLevel::County => "县级",
            RegionLevel::Town => "乡级",
        }
    }
}

impl RegionCode {
    /// Checks and wraps a code.
    pub fn new(code: &str) -> Result<Self> {
        let invalid = |reason| Error::InvalidRegionCode { code: code.to_owned(), reason };
        if code.len() != 6 && code.len() != 9 {
            return Err(invalid("expected 6 digits (GB/T 2260) or 9 digits (town)"));
        }
        if !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("expected digits only"));
        }
        if &code[0..2] == "00" || &code[0..2] < "11" {
            return Err(invalid("the province part (first two digits) must be 11 or above"));
        }
        if code.len() == 6 && &code[2..4] == "00" && &code[4..6] != "00" {
            return Err(invalid("a county code needs a city part (digits 3–4) other than 00"));
        }
        if code.len() == 9 && &code[6..9] == "000" {
            return Err(invalid("a town code needs a town part (digits 7–9) other than 000"));
        }
        Ok(Self(compact_str::CompactString::new(code)))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The level the code's shape says: `XX0000` province, `XXXX00` city, other six-digit codes
    /// county, nine digits town.
    pub fn level(&self) -> RegionLevel {
        if self.0.len() == 9 {
            RegionLevel::Town
        } else if &self.0[2..6] == "0000" {
            RegionLevel::Province
        } else if &self.0[4..6] == "00" {
            RegionLevel::City
        } else {
            RegionLevel::County
        }
    }

    /// The parent the code's shape implies (town → its county, county → `XXXX00`, city →
    /// `XX0000`). Directly administered counties (省直辖县级行政区划) have a different real parent,
    /// which an [`Organization`] records explicitly.
    pub fn structural_parent(&self) -> Option<RegionCode> {
        match self.level() {
            RegionLevel::Province => None,
            RegionLevel::City => Some(Self(compact_str::format_compact!("{}0000", &self.0[0..2]))),
            RegionLevel::County => Some(Self(compact_str::format_compact!("{}00", &self.0[0..4]))),
            RegionLevel::Town => Some(Self(compact_str::CompactString::new(&self.0[0..6]))),
        }
    }
}

impl FromStr for RegionCode {
    type Err = Error;
    fn from_str(code: &str) -> Result<Self> {
        Self::new(code)
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for RegionCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for RegionCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let text = compact_str::CompactString::deserialize(deserializer)?;
        RegionCode::new(&text).map_err(serde::de::Error::custom)
    }
}

/// 行政区域: a region with its name and its parent in the roll-up hierarchy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    /// 行政区划代码.
    pub code: RegionCode,
    /// Name, e.g. `五华区`.
    pub name: String,
    /// The region statistics roll up to. When absent, the structural parent is used if the
    /// directory holds it; otherwise the region is a root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<RegionCode>,
}

/// 部门: a government department (实施机关) belonging to one region's government.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    /// 部门编码.
    pub id: DepartmentId,
    /// Name, e.g. `市市场监督管理局`.
    pub name: String,
    /// The region whose government the department belongs to.
    pub region: RegionCode,
}

/// What an official may do. Workflow and supervision check authority against these.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Role {
    /// 窗口受理人员: receives applications and accepts or refuses them at the window.
    WindowClerk,
    /// 承办人: handles a case's steps.
    Handler,
    /// 审核人: reviews a handler's opinion.
    Reviewer,
    /// 审批人 / 签批人: decides.
    Approver,
    /// 部门负责人 (本行政机关负责人): may approve a +10 working-day extension (行政许可法 Art. 42).
    DepartmentHead,
    /// 本级人民政府负责人: may approve a +15 working-day extension of joint handling (Art. 42 ¶2).
    GovernmentHead,
    /// 监察人员: works warnings and their correction in the supervision system.
    Supervisor,
    /// 收发员 / 文书: signs for and dispatches official documents (公文).
    DocumentClerk,
}

impl Role {
    /// The Chinese name of the role.
    pub fn chinese(&self) -> &'static str {
        match self {
            Role::WindowClerk => "窗口受理人员",
            Role::Handler => "承办人",
            Role::Reviewer => "审核人",
            Role::Approver => "审批人",
            Role::DepartmentHead => "部门负责人",
            Role::GovernmentHead => "政府负责人",
            Role::Supervisor => "监察人员",
            Role::DocumentClerk => "收发员",
        }
    }
}

/// 工作人员: an official of a department with roles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Official {
    /// Identifier (工号 or account).
    pub id: OfficialId,
    /// Full name (姓名), as shown in alerts and reports.
    pub name: String,
    /// The department the official works in.
    pub department: DepartmentId,
    /// What the official may do.
    #[serde(default)]
    pub roles: Vec<Role>,
}

/// 候选组: a name process files use for who may take a task (`candidateGroups="leader"` in a
/// Flowable or Camunda model), mapped by the platform to officials, departments and roles. An
/// official is in the group when named in `officials`, or when acting for one of `departments`
/// (in one of `roles`, if roles are given), or when acting in one of `roles` (if no departments
/// are given).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// The name the process files use.
    pub name: String,
    /// Roles whose holders are in the group (within `departments`, when given).
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Departments whose officials are in the group.
    #[serde(default)]
    pub departments: Vec<DepartmentId>,
    /// Officials in the group by name, whatever they act as.
    #[serde(default)]
    pub officials: Vec<OfficialId>,
}

impl Group {
    /// Whether `official`, acting in `role` for `department`, is in the group.
    ///
    /// ```
    /// use zhengwu_core::{Group, Role};
    /// let leaders = Group { name: "leader".into(), roles: vec![Role::DepartmentHead], departments: vec![], officials: vec![] };
    /// assert!(leaders.includes(&"o1".into(), Some(&Role::DepartmentHead), &"scjg".into()));
    /// assert!(!leaders.includes(&"o2".into(), Some(&Role::Handler), &"scjg".into()));
    /// ```
    pub fn includes(&self, official: &OfficialId, role: Option<&Role>, department: &DepartmentId) -> bool {
        let in_role = role.is_some_and(|role| self.roles.contains(role));
        self.officials.contains(official)
            || (self.departments.contains(department) && (self.roles.is_empty() || in_role))
            || (self.departments.is_empty() && in_role)
    }
}

/// The serialised form of an [`Organization`] (TOML `[[region]]`, `[[department]]`,
/// `[[official]]` and `[[group]]` tables, or the same keys in JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationFile {
    /// The regions, each naming its parent.
    #[serde(default, rename = "region")]
    pub regions: Vec<Region>,
    /// The departments, each in a region.
    #[serde(default, rename = "department")]
    pub departments: Vec<Department>,
    /// The officials, each in a department with their roles.
    #[serde(default, rename = "official")]
    pub officials: Vec<Official>,
    /// The candidate groups process files name.
    #[serde(default, rename = "group", skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
}

/// The organisation directory: the region hierarchy (city → county → town) that statistics roll
/// up along, the departments of each region and their officials.
///
/// ```
/// use zhengwu_core::Organization;
/// let org = Organization::from_toml(r#"
///     [[region]]
///     code = "530100"
///     name = "昆明市"
///     [[region]]
///     code = "530102"
///     name = "五华区"
///     [[department]]
///     id = "wh-scjg"
///     name = "五华区市场监督管理局"
///     region = "530102"
/// "#)?;
/// let chain: Vec<&str> = org.ancestors(&"530102".parse()?).map(|r| r.name.as_str()).collect();
/// assert_eq!(chain, ["五华区", "昆明市"]);
/// # Ok::<(), zhengwu_core::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Organization {
    regions: BTreeMap<RegionCode, Region>,
    parents: BTreeMap<RegionCode, RegionCode>,
    departments: BTreeMap<DepartmentId, Department>,
    officials: BTreeMap<OfficialId, Official>,
    groups: BTreeMap<String, Group>,
}

impl Organization {
    /// Parses and validates a TOML directory.
    pub fn from_toml(text: &str) -> Result<Self> {
        let file: OrganizationFile =
            toml::from_str(text).map_err(|e| Error::Parse { what: "organization", message: e.to_string() })?;
        Self::new(file)
    }

    /// Parses and validates a JSON directory.
    pub fn from_json(text: &str) -> Result<Self> {
        let file: OrganizationFile =
            crate::json::from_json(text).map_err(|message| Error::Parse { what: "organization", message })?;
        Self::new(file)
    }

    /// Validates a directory, reporting every problem: duplicate codes, a parent that is missing or
    /// not of a higher level, a department in an unknown region, an official in an unknown
    /// department.
    pub fn new(file: OrganizationFile) -> Result<Self> {
        let mut problems = Problems::default();
        let mut regions = BTreeMap::new();
        for (index, region) in file.regions.into_iter().enumerate() {
            if region.name.trim().is_empty() {
                problems.push(format!("region[{index}] `{}`", region.code), "name is empty");
            }
            if let Some(previous) = regions.insert(region.code.clone(), region) {
                problems.push(format!("region[{index}]"), format!("duplicate region code `{}`", previous.code));
            }
        }
        let mut parents = BTreeMap::new();
        for region in regions.values() {
            let parent = match &region.parent {
                Some(parent) => {
                    if !regions.contains_key(parent) {
                        problems.push(
                            format!("region `{}`", region.code),
                            format!("parent `{parent}` is not in the directory"),
                        );
                        continue;
                    }
                    parent.clone()
                }
                None => match region.code.structural_parent() {
                    Some(parent) if regions.contains_key(&parent) => parent,
                    _ => continue,
                },
            };
            if parent.level() >= region.code.level() {
                problems.push(
                    format!("region `{}`", region.code),
                    format!(
                        "parent `{parent}` is {} but the region is {}; a parent must be of a higher level",
                        parent.level().chinese(),
                        region.code.level().chinese()
                    ),
                );
                continue;
            }
            parents.insert(region.code.clone(), parent);
        }
        let mut departments = BTreeMap::new();
        for (index, department) in file.departments.into_iter().enumerate() {
            if !regions.contains_key(&department.region) {
                problems.push(
                    format!("department `{}`", department.id),
                    format!("region `{}` is not in the directory", department.region),
                );
            }
            if departments.contains_key(&department.id) {
                problems.push(format!("department[{index}]"), format!("duplicate department id `{}`", department.id));
            }
            departments.insert(department.id.clone(), department);
        }
        let mut officials = BTreeMap::new();
        for (index, official) in file.officials.into_iter().enumerate() {
            if !departments.contains_key(&official.department) {
                problems.push(
                    format!("official `{}`", official.id),
                    format!("department `{}` is not in the directory", official.department),
                );
            }
            if officials.contains_key(&official.id) {
                problems.push(format!("official[{index}]"), format!("duplicate official id `{}`", official.id));
            }
            officials.insert(official.id.clone(), official);
        }
        let mut groups = BTreeMap::new();
        for (index, group) in file.groups.into_iter().enumerate() {
            let at = format!("group `{}`", group.name);
            if group.name.trim().is_empty() {
                problems.push(format!("group[{index}]"), "name is empty");
            }
            if group.roles.is_empty() && group.departments.is_empty() && group.officials.is_empty() {
                problems.push(&at, "names no role, department or official: nobody would be in it");
            }
            for department in group.departments.iter().filter(|d| !departments.contains_key(*d)) {
                problems.push(&at, format!("department `{department}` is not in the directory"));
            }
            for official in group.officials.iter().filter(|o| !officials.contains_key(*o)) {
                problems.push(&at, format!("official `{official}` is not in the directory"));
            }
            if groups.contains_key(&group.name) {
                problems.push(format!("group[{index}]"), format!("duplicate group name `{}`", group.name));
            }
            groups.insert(group.name.clone(), group);
        }
        problems.into_result(Error::InvalidOrganization)?;
        Ok(Self { regions, parents, departments, officials, groups })
    }

    /// The region with this code.
    pub fn region(&self, code: &RegionCode) -> Option<&Region> {
        self.regions.get(code)
    }

    /// The region a region's statistics roll up to, if any.
    pub fn parent(&self, code: &RegionCode) -> Option<&Region> {
        self.parents.get(code).and_then(|parent| self.regions.get(parent))
    }

    /// The region itself, then its parent, and so on up to the root.
    pub fn ancestors<'a>(&'a self, code: &RegionCode) -> impl Iterator<Item = &'a Region> + 'a {
        let mut next = self.regions.get(code);
        std::iter::from_fn(move || {
            let current = next?;
            next = self.parent(&current.code);
            Some(current)
        })
    }

    /// The regions whose parent is `code`.
    pub fn children<'a>(&'a self, code: &'a RegionCode) -> impl Iterator<Item = &'a Region> + 'a {
        self.parents.iter().filter(move |(_, parent)| *parent == code).filter_map(|(child, _)| self.regions.get(child))
    }

    /// All regions, ordered by code.
    pub fn regions(&self) -> impl Iterator<Item = &Region> {
        self.regions.values()
    }

    /// The department with this id.
    pub fn department(&self, id: &DepartmentId) -> Option<&Department> {
        self.departments.get(id)
    }

    /// All departments, ordered by id.
    pub fn departments(&self) -> impl Iterator<Item = &Department> {
        self.departments.values()
    }

    /// The departments of one region's government (not of its sub-regions).
    pub fn departments_in<'a>(&'a self, region: &'a RegionCode) -> impl Iterator<Item = &'a Department> + 'a {
        self.departments.values().filter(move |d| &d.region == region)
    }

    /// The official with this id.
    pub fn official(&self, id: &OfficialId) -> Option<&Official> {
        self.officials.get(id)
    }

    /// The directory in its serialised form (to write it back as TOML or JSON).
    pub fn to_file(&self) -> OrganizationFile {
        OrganizationFile {
            regions: self.regions.values().cloned().collect(),
            departments: self.departments.values().cloned().collect(),
            officials: self.officials.values().cloned().collect(),
            groups: self.groups.values().cloned().collect(),
        }
    }

    /// The candidate group with this name.
    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.get(name)
    }

    /// Whether the official exists and holds `role`.
    pub fn has_role(&self, id: &OfficialId, role: &Role) -> bool {
        self.officials.get(id).is_some_and(|o| o.roles.contains(role))
    }

    /// The department ids, for validating a catalogue against this directory.
    pub fn department_ids(&self) -> BTreeSet<DepartmentId> {
        self.departments.keys().cloned().collect()
    }
}
