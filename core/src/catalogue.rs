//! 事项目录: the service-item catalogue (政务服务事项实施清单).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::clock::{DayUnit, HandlingRegime, LimitReference, SpecialProcedureKind, TimeLimit};
use crate::error::{Error, Problems, Result};
use crate::id::{DepartmentId, ItemCode};

/// 办件类型: how an item is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// 即办件: concluded at the window on the day of acceptance.
    Immediate,
    /// 承诺件: concluded within a published promised limit.
    Promised,
    /// 上报件 (转报件): examined here, decided by a higher authority (Art. 43).
    Forwarded,
    /// 联办件 (并联件): several departments handle it jointly (Art. 26, 42 ¶2).
    Joint,
}

impl ItemKind {
    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            ItemKind::Immediate => "即办件",
            ItemKind::Promised => "承诺件",
            ItemKind::Forwarded => "上报件",
            ItemKind::Joint => "联办件",
        }
    }

    /// The extension regime the kind implies: joint handling may be extended by 15 days by the
    /// government head (Art. 42 ¶2), a 上报件's examination not at all (Art. 43 has no extension
    /// clause), everything else by 10 by the department head (Art. 42 ¶1).
    pub fn regime(self) -> HandlingRegime {
        match self {
            ItemKind::Joint => HandlingRegime::Joint,
            ItemKind::Forwarded => HandlingRegime::Preliminary,
            ItemKind::Immediate | ItemKind::Promised => HandlingRegime::Single,
        }
    }
}

/// 法律依据: the statute whose procedure governs an item's cases, which fixes the rules the
/// statutory clock applies beyond the item's own limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Statute {
    /// 《行政许可法》 (the default): Art. 32(4) deemed acceptance when no 补正 notice comes within
    /// 5 working days of receipt, the closed list of Art. 45, Art. 44's 10 working days to
    /// deliver a licence.
    #[default]
    AdministrativeLicensing,
    /// 《信访工作条例》 (2022): limits in calendar days, acceptance decided within 15 days, no
    /// deemed acceptance; a 听证 in 复核 is not counted.
    Petition,
    /// 《政府信息公开条例》 (2019, 国务院令第711号) for 依申请公开: the limit runs from receipt
    /// (Art. 31: the day of receipt by the channel), or from the completed request after the one
    /// 补正 notice, due within 7 working days of receipt (Art. 30); 20 working days, extended once
    /// by at most 20 with the head's approval (Art. 33); the third party's consultation (征求意见)
    /// is not counted (Art. 32).
    InformationDisclosure,
    /// 人大代表建议 and 政协提案 (《全国人民代表大会代表建议、批评和意见处理办法》, the 提案工作条例
    /// and the local 办法 modelled on them): answered within 3 months of 交办 (a limit in months,
    /// 民法典 Art. 202), 6 for a matter 涉及面广、处理难度大 (an extension of 3 months); the 会办
    /// units' views to the 主办 within 1 month; a 不满意 view handled again, answered within 1
    /// month. Nothing stops the clock unless the item declares it.
    Proposal,
    /// Another rule (公文办理, 双公示, a local procedure): only the item's own limits, and its
    /// declared special procedures.
    Other,
}

impl Statute {
    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            Statute::AdministrativeLicensing => "行政许可法",
            Statute::Petition => "信访工作条例",
            Statute::InformationDisclosure => "政府信息公开条例",
            Statute::Proposal => "建议提案办理办法",
            Statute::Other => "其他规定",
        }
    }
}

/// 起算: the event a limit runs from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ClockStart {
    /// 自受理之日起 (行政许可法 Art. 42, 信访 办理): from acceptance (or the Art. 32(4) deemed
    /// acceptance).
    #[default]
    Acceptance,
    /// 自收到之日起 (信访 复查 / 复核, 登记转送; 信息公开 from the completed request): from receipt,
    /// or from the day a 补正 before acceptance completed the request.
    Receipt,
}

/// An amount of money in 分 (1/100 yuan), exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Yuan {
    /// The amount in 分.
    pub fen: i64,
}

impl Yuan {
    /// An amount in 分.
    pub const fn from_fen(fen: i64) -> Self {
        Self { fen }
    }
}

impl fmt::Display for Yuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.fen < 0 { "-" } else { "" };
        let fen = self.fen.unsigned_abs();
        write!(f, "{sign}{}.{:02}元", fen / 100, fen % 100)
    }
}

/// 收费项目: a fee with its published standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeItem {
    /// The fee code events carry (`fee_code` of `fee_charged`).
    pub code: String,
    /// The fee as published (收费项目名称).
    pub name: String,
    /// 收费标准, in 分 (`standard_fen` in files).
    #[serde(rename = "standard_fen")]
    pub standard: Yuan,
    /// 收费依据.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

/// 申请材料: a material on the published list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Material {
    /// The material code events carry (`materials` of `received`).
    pub code: String,
    /// The material as published (材料名称).
    pub name: String,
    /// Whether the application is incomplete without it.
    #[serde(default = "yes")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

/// 特殊环节: a special procedure the item may need, with whether its time counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialProcedure {
    /// Which procedure.
    pub kind: SpecialProcedureKind,
    /// 所需时限, when published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<TimeLimit>,
    /// 是否计算在法定办结时限内, as the item declares it. Absent, the statute decides: under
    /// 行政许可法 the eight procedures of Art. 45 are not counted and every other one is. An item
    /// that declares a procedure outside Art. 45 not counted must name the provision (`basis`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted: Option<bool>,
    /// 法定依据.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

/// 办理环节: a step every case of the item must pass, with its own limit (环节时限).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequiredStep {
    /// Step code, e.g. `review`.
    pub code: String,
    /// Name, e.g. `审核`.
    pub name: String,
    /// The step's limit.
    pub limit: TimeLimit,
}

/// 事项: one service item as published in the 实施清单.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceItem {
    /// 事项编码.
    pub code: ItemCode,
    /// 事项名称.
    pub name: String,
    /// 实施机关.
    pub department: DepartmentId,
    /// 办件类型.
    pub kind: ItemKind,
    /// 法定办结时限.
    pub legal_limit: TimeLimit,
    /// 承诺办结时限 (0 for 即办件).
    pub promised_limit: TimeLimit,
    /// 设定依据.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
    /// 收费项目; empty when free.
    #[serde(default, rename = "fee", alias = "fees")]
    pub fees: Vec<FeeItem>,
    /// 申请材料.
    #[serde(default, rename = "material", alias = "materials")]
    pub materials: Vec<Material>,
    /// 特殊环节.
    #[serde(default, rename = "special_procedure", alias = "special_procedures")]
    pub special_procedures: Vec<SpecialProcedure>,
    /// 办理环节 that every case must pass.
    #[serde(default, rename = "step", alias = "steps")]
    pub steps: Vec<RequiredStep>,
    /// The extension rule when it is not the one the kind implies (Art. 42): e.g. 信访 may be
    /// extended by 30 calendar days with the head of the office (`{ kind = "custom",
    /// max_extension_days = 30, authority = "department_head" }`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regime: Option<HandlingRegime>,
    /// 受理时限: how long after receipt the department must accept, refuse or ask for 补正; absent,
    /// the supervision default applies (5 working days, Art. 32). 信访: 15 calendar days. 0 working
    /// days: the day of receipt (特急公文).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceptance_limit: Option<TimeLimit>,
    /// The statute that governs the item's procedure (行政许可法 unless stated).
    #[serde(default, skip_serializing_if = "is_default")]
    pub statute: Statute,
    /// What the limit runs from (acceptance unless stated).
    #[serde(default, skip_serializing_if = "is_default")]
    pub clock_start: ClockStart,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

impl ServiceItem {
    /// An item with its code, name, department, kind and limits; no fees, materials, special
    /// procedures or steps, governed by 行政许可法 with the limit running from acceptance.
    pub fn new(
        code: ItemCode,
        name: impl Into<String>,
        department: DepartmentId,
        kind: ItemKind,
        legal_limit: TimeLimit,
        promised_limit: TimeLimit,
    ) -> Self {
        Self {
            code,
            name: name.into(),
            department,
            kind,
            legal_limit,
            promised_limit,
            legal_basis: None,
            fees: Vec::new(),
            materials: Vec::new(),
            special_procedures: Vec::new(),
            steps: Vec::new(),
            regime: None,
            acceptance_limit: None,
            statute: Statute::default(),
            clock_start: ClockStart::default(),
        }
    }

    /// The extension rule: the explicit `regime`, or the one the kind implies.
    pub fn handling_regime(&self) -> HandlingRegime {
        self.regime.unwrap_or_else(|| self.kind.regime())
    }

    /// Whether the time of a special procedure counts in the item's limits: as the item declares
    /// it, or else as the statute says (行政许可法 Art. 45 excludes its eight procedures and no
    /// other; 信访工作条例 excludes a 复核 听证; 政府信息公开条例 Art. 32 the third party's
    /// consultation; other rules count everything not declared).
    pub fn procedure_counted(&self, procedure: SpecialProcedureKind) -> bool {
        if let Some(counted) = self.special_procedures.iter().find(|p| p.kind == procedure).and_then(|p| p.counted) {
            return counted;
        }
        match self.statute {
            Statute::AdministrativeLicensing => !procedure.named_in_article_45(),
            Statute::Petition => procedure != SpecialProcedureKind::Hearing,
            Statute::InformationDisclosure => procedure != SpecialProcedureKind::Consultation,
            Statute::Proposal | Statute::Other => true,
        }
    }

    /// The window after receipt for the first answer (受理, 不予受理 or a 补正 notice), by the item
    /// or its statute: 5 working days under 行政许可法 Art. 32(4), 15 days under 信访工作条例, 7
    /// working days for the 补正 notice under 政府信息公开条例 Art. 30; `None` where neither sets
    /// one.
    pub fn acceptance_window(&self) -> Option<TimeLimit> {
        self.acceptance_limit.or(match self.statute {
            Statute::AdministrativeLicensing => Some(TimeLimit::working_days(5)),
            Statute::Petition => Some(TimeLimit::calendar_days(15)),
            Statute::InformationDisclosure => Some(TimeLimit::working_days(7)),
            Statute::Proposal | Statute::Other => None,
        })
    }

    /// The limit to measure against.
    pub fn limit(&self, reference: LimitReference) -> TimeLimit {
        match reference {
            LimitReference::Promised => self.promised_limit,
            LimitReference::Legal => self.legal_limit,
        }
    }

    /// The fee with this code.
    pub fn fee(&self, code: &str) -> Option<&FeeItem> {
        self.fees.iter().find(|f| f.code == code)
    }

    /// Whether a material is on the published list.
    pub fn lists_material(&self, code: &str) -> bool {
        self.materials.iter().any(|m| m.code == code)
    }
}

/// The serialised catalogue: TOML `[[item]]` tables (with `[[item.fee]]`, `[[item.material]]`,
/// `[[item.special_procedure]]`, `[[item.step]]`) or JSON `{"item": [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueFile {
    /// The items.
    #[serde(default, rename = "item", alias = "items")]
    pub items: Vec<ServiceItem>,
}

impl CatalogueFile {
    /// Parses TOML without validating (see [`Catalogue::new`]).
    pub fn from_toml(text: &str) -> Result<Self> {
        toml::from_str(text).map_err(|e| Error::Parse { what: "catalogue", message: e.to_string() })
    }

    /// Parses JSON without validating (see [`Catalogue::new`]).
    pub fn from_json(text: &str) -> Result<Self> {
        crate::json::from_json(text).map_err(|message| Error::Parse { what: "catalogue", message })
    }

    /// The catalogue as TOML `[[item]]` tables, which [`CatalogueFile::from_toml`] reads back.
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string(self).map_err(|e| Error::Parse { what: "catalogue", message: e.to_string() })
    }

    /// The departments the items name, sorted and without repeats.
    pub fn departments(&self) -> Vec<DepartmentId> {
        self.items.iter().map(|i| i.department.clone()).collect::<BTreeSet<_>>().into_iter().collect()
    }
}

/// 事项目录: a validated catalogue of service items, looked up by code.
///
/// ```
/// use zhengwu_core::{Catalogue, DepartmentId, ItemKind};
/// let departments = [DepartmentId::new("scjg")];
/// let catalogue = Catalogue::from_toml(r#"
///     [[item]]
///     code = "SCJG-001"
///     name = "食品经营许可"
///     department = "scjg"
///     kind = "promised"
///     legal_limit = { days = 20 }
///     promised_limit = { days = 10 }
/// "#, &departments)?;
/// assert_eq!(catalogue.item(&"SCJG-001".into()).unwrap().kind, ItemKind::Promised);
/// # Ok::<(), zhengwu_core::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// Ordered by code.
    items: Vec<ServiceItem>,
    /// Each code's position in `items`: supervision looks an item up for every event and case,
    /// so by hash rather than by comparing codes down a tree.
    index: HashMap<ItemCode, usize, rustc_hash::FxBuildHasher>,
}

impl Catalogue {
    /// Parses TOML and validates it against the known departments.
    pub fn from_toml(text: &str, departments: &[DepartmentId]) -> Result<Self> {
        Self::new(CatalogueFile::from_toml(text)?, departments)
    }

    /// Parses JSON and validates it against the known departments.
    pub fn from_json(text: &str, departments: &[DepartmentId]) -> Result<Self> {
        Self::new(CatalogueFile::from_json(text)?, departments)
    }

    /// Validates items, reporting every problem: duplicate codes, unknown departments, a promised
    /// limit above the legal one, 即办件 with a promised limit, duplicate fee, material or step
    /// codes, negative fees, empty names.
    pub fn new(file: CatalogueFile, departments: &[DepartmentId]) -> Result<Self> {
        let known: BTreeSet<&DepartmentId> = departments.iter().collect();
        let mut problems = Problems::default();
        let mut items = BTreeMap::new();
        for (index, item) in file.items.into_iter().enumerate() {
            let at = format!("item[{index}] `{}`", item.code);
            if item.code.as_str().trim().is_empty() {
                problems.push(&at, "code is empty");
            }
            if item.name.trim().is_empty() {
                problems.push(&at, "name is empty");
            }
            if !known.contains(&item.department) {
                problems.push(&at, format!("department `{}` is not in the directory", item.department));
            }
            let (legal, promised) = (item.legal_limit, item.promised_limit);
            if legal.unit != promised.unit {
                problems.push(
                    &at,
                    format!(
                        "legal limit is in {} but promised limit in {}",
                        unit_name(legal.unit),
                        unit_name(promised.unit)
                    ),
                );
            } else if promised.days > legal.days {
                problems.push(
                    &at,
                    format!(
                        "promised limit {} {} exceeds the legal limit {} {}",
                        promised.days,
                        unit_name(promised.unit),
                        legal.days,
                        unit_name(legal.unit)
                    ),
                );
            }
            match item.kind {
                ItemKind::Immediate if promised.days != 0 => problems.push(
                    &at,
                    format!(
                        "即办件 must have a promised limit of 0 days (concluded on the day), found {}",
                        promised.days
                    ),
                ),
                ItemKind::Promised | ItemKind::Joint | ItemKind::Forwarded if promised.days == 0 => problems.push(
                    &at,
                    format!(
                        "{} needs a promised limit above 0 days; use kind `immediate` for 即办件",
                        item.kind.chinese()
                    ),
                ),
                _ => {}
            }
            duplicates(&mut problems, &at, "fee", item.fees.iter().map(|f| f.code.as_str()));
            duplicates(&mut problems, &at, "material", item.materials.iter().map(|m| m.code.as_str()));
            duplicates(&mut problems, &at, "step", item.steps.iter().map(|s| s.code.as_str()));
            for fee in &item.fees {
                if fee.standard.fen < 0 {
                    problems.push(&at, format!("fee `{}` has a negative standard {}", fee.code, fee.standard));
                }
            }
            // An acceptance limit of 0 is "the day of receipt" (特急公文 are signed for the same
            // day); in calendar days it would be meaningless.
            if item.acceptance_limit.is_some_and(|l| l.days == 0 && l.unit == crate::clock::DayUnit::CalendarDays) {
                problems.push(&at, "acceptance limit of 0 calendar days (use 0 working days: the day of receipt)");
            }
            for procedure in &item.special_procedures {
                let outside = !procedure.kind.named_in_article_45();
                let no_basis = procedure.basis.as_deref().is_none_or(|b| b.trim().is_empty());
                if item.statute == Statute::AdministrativeLicensing
                    && outside
                    && procedure.counted == Some(false)
                    && no_basis
                {
                    problems.push(
                        &at,
                        format!(
                            "special procedure `{}` is declared not counted, but 行政许可法 Art. 45 excludes only \
                             听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审: name the provision that excludes it (`basis`)",
                            procedure.kind.chinese()
                        ),
                    );
                }
            }
            duplicates(
                &mut problems,
                &at,
                "special procedure",
                item.special_procedures.iter().map(|p| p.kind.chinese()),
            );
            for step in &item.steps {
                if step.limit.days == 0 {
                    problems.push(&at, format!("step `{}` has a limit of 0 days", step.code));
                }
            }
            if items.contains_key(&item.code) {
                problems.push(&at, format!("duplicate item code `{}`", item.code));
                continue;
            }
            items.insert(item.code.clone(), item);
        }
        problems.into_result(Error::InvalidCatalogue)?;
        let items: Vec<ServiceItem> = items.into_values().collect();
        let index = items.iter().enumerate().map(|(position, item)| (item.code.clone(), position)).collect();
        Ok(Self { items, index })
    }

    /// The item with this code.
    pub fn item(&self, code: &ItemCode) -> Option<&ServiceItem> {
        self.index.get(code).map(|&position| &self.items[position])
    }

    /// All items, ordered by code.
    pub fn items(&self) -> impl Iterator<Item = &ServiceItem> {
        self.items.iter()
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the catalogue is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

fn unit_name(unit: DayUnit) -> &'static str {
    match unit {
        DayUnit::WorkingDays => "working days",
        DayUnit::CalendarDays => "calendar days",
        DayUnit::Months => "months",
    }
}

fn duplicates<'a>(problems: &mut Problems, at: &str, what: &str, codes: impl Iterator<Item = &'a str>) {
    let mut seen = BTreeSet::new();
    for code in codes {
        if !seen.insert(code) {
            problems.push(at, format!("duplicate {what} code `{code}`"));
        }
    }
}
