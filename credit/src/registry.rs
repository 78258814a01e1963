//! 法人库: the legal-person registry, each record's history kept as events so that its state on
//! any past date can be asked for.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use zhengwu_core::{RegionCode, Yuan};

use crate::codes::CreditCode;

/// 登记状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    /// 存续 (在营).
    Active,
    /// 吊销.
    Revoked,
    /// 注销.
    Cancelled,
    /// 迁出.
    MovedOut,
}

/// 法定代表人或负责人.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Representative {
    /// 姓名.
    pub name: String,
    /// 证件类型 (e.g. 居民身份证).
    pub id_type: String,
    /// 证件号码 (checked with `validate_resident_id` when the type is 居民身份证).
    pub id_number: String,
}

/// 法人和其他组织基础信息: the GB/T 36104 data set (`domain.md` §4.5); the 组织机构代码 is derived
/// from the credit code ([`CreditCode::organization_code`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalPerson {
    /// 统一社会信用代码.
    pub code: CreditCode,
    /// 机构名称.
    pub name: String,
    /// 注册地址.
    pub address: String,
    /// 注册地址行政区划代码.
    pub region: RegionCode,
    /// 经营范围 / 业务范围.
    #[serde(default)]
    pub scope: String,
    /// 注册资金, in 分 (`capital_fen`).
    #[serde(default, rename = "capital_fen")]
    pub capital: Yuan,
    /// 法定代表人或负责人.
    pub representative: Representative,
    /// 成立日期.
    pub established_on: NaiveDate,
    /// 行业分类代码 (GB/T 4754).
    #[serde(default)]
    pub industry: String,
    /// 登记管理部门名称.
    #[serde(default)]
    pub registration_authority: String,
    /// 状态.
    pub status: RegistrationStatus,
    /// 货币种类 (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// 登记业务类型 (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_type: Option<String>,
    /// 核准日期 (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_on: Option<NaiveDate>,
    /// 最后更新日期 (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_on: Option<NaiveDate>,
    /// 生产经营地址 (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_address: Option<String>,
    /// 生产经营地址行政区划代码 (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_region: Option<RegionCode>,
    /// 注册号 (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_number: Option<String>,
    /// 经济类型代码 (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub economic_type: Option<String>,
    /// 登记管理部门代码 (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_authority_code: Option<String>,
    /// 主管单位 (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competent_unit: Option<String>,
    /// 主管单位代码 (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competent_unit_code: Option<String>,
    /// 联系电话 (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// 职工人数 (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employees: Option<u32>,
    /// 联系人 (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// 有效期自 (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<NaiveDate>,
    /// 有效期至 (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<NaiveDate>,
    /// 股东或投资人名称 (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shareholders: Option<Vec<String>>,
    /// 是否公开 (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public: Option<bool>,
}

/// A change to a record; only the fields given change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RecordChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<RegionCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "capital_fen")]
    pub capital: Option<Yuan>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representative: Option<Representative>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_authority: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<RegistrationStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_region: Option<RegionCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub economic_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_authority_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competent_unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub competent_unit_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employees: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shareholders: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public: Option<bool>,
}

/// 登记事件: what happened to a record, effective on a day.
// A change carries every optional field; boxing it would only move the size behind a pointer
// for the few changes a record sees.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RegistryEvent {
    /// 设立登记.
    Registered {
        /// Effective day.
        on: NaiveDate,
        /// The record.
        record: Box<LegalPerson>,
    },
    /// 变更登记.
    Changed {
        /// Effective day.
        on: NaiveDate,
        /// The code of the record changed.
        code: CreditCode,
        /// What changed.
        change: RecordChange,
    },
}

impl RegistryEvent {
    fn on(&self) -> NaiveDate {
        match self {
            RegistryEvent::Registered { on, .. } | RegistryEvent::Changed { on, .. } => *on,
        }
    }

    fn code(&self) -> &CreditCode {
        match self {
            RegistryEvent::Registered { record, .. } => &record.code,
            RegistryEvent::Changed { code, .. } => code,
        }
    }
}

/// 法人库: records by code, with their history.
///
/// ```
/// use zhengwu_credit::{Registry, RegistryEvent, RecordChange};
/// # let record: zhengwu_credit::LegalPerson = serde_json::from_str(r#"{"code":"914403001922038216",
/// #   "name":"华为技术有限公司","address":"深圳市龙岗区坂田华为总部办公楼","region":"440307",
/// #   "representative":{"name":"赵明路","id_type":"居民身份证","id_number":"11010519491231002X"},
/// #   "established_on":"1987-09-15","status":"active"}"#).unwrap();
/// let mut registry = Registry::default();
/// registry.record(RegistryEvent::Registered { on: "1987-09-15".parse().unwrap(), record: Box::new(record) })?;
/// registry.record(RegistryEvent::Changed {
///     on: "2020-01-01".parse().unwrap(),
///     code: "914403001922038216".parse()?,
///     change: RecordChange { address: Some("深圳市龙岗区".into()), ..Default::default() },
/// })?;
/// let code = "914403001922038216".parse()?;
/// assert_eq!(registry.as_of(&code, "2019-12-31".parse().unwrap()).unwrap().address, "深圳市龙岗区坂田华为总部办公楼");
/// assert_eq!(registry.as_of(&code, "2020-01-01".parse().unwrap()).unwrap().address, "深圳市龙岗区");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Registry {
    events: BTreeMap<CreditCode, Vec<RegistryEvent>>,
}

impl Registry {
    /// Records an event. A change before the registration, or a second registration, is refused.
    pub fn record(&mut self, event: RegistryEvent) -> crate::error::Result<()> {
        let code = event.code().clone();
        // A representative identified by a 居民身份证 must carry a valid 公民身份号码.
        let representative = match &event {
            RegistryEvent::Registered { record, .. } => Some(&record.representative),
            RegistryEvent::Changed { change, .. } => change.representative.as_ref(),
        };
        if let Some(representative) = representative
            && representative.id_type == "居民身份证"
        {
            crate::codes::validate_resident_id(&representative.id_number)?;
        }
        let history = self.events.entry(code.clone()).or_default();
        match (&event, history.first()) {
            (RegistryEvent::Registered { .. }, Some(_)) => {
                return Err(crate::error::Error::Record(format!("`{code}` is already registered")));
            }
            (RegistryEvent::Changed { .. }, None) => {
                return Err(crate::error::Error::Record(format!("`{code}` is not registered")));
            }
            (RegistryEvent::Changed { on, .. }, Some(first)) if *on < first.on() => {
                return Err(crate::error::Error::Record(format!(
                    "a change on {on} precedes the registration of `{code}` on {}",
                    first.on()
                )));
            }
            _ => {}
        }
        // Kept in effective-date order (stable for the same day).
        let position = history.partition_point(|e| e.on() <= event.on());
        history.insert(position, event);
        Ok(())
    }

    /// The record as it stood on `day`, if it was registered by then.
    pub fn as_of(&self, code: &CreditCode, day: NaiveDate) -> Option<LegalPerson> {
        let mut state: Option<LegalPerson> = None;
        for event in self.events.get(code)?.iter().take_while(|e| e.on() <= day) {
            match event {
                RegistryEvent::Registered { record, .. } => state = Some((**record).clone()),
                RegistryEvent::Changed { change, .. } => {
                    if let Some(record) = state.as_mut() {
                        apply(record, change);
                    }
                }
            }
        }
        state
    }

    /// The records whose name on `day` contains `text`, by code.
    pub fn find_by_name(&self, text: &str, day: NaiveDate) -> Vec<LegalPerson> {
        self.events.keys().filter_map(|code| self.as_of(code, day)).filter(|r| r.name.contains(text)).collect()
    }

    /// A record's history.
    pub fn history(&self, code: &CreditCode) -> &[RegistryEvent] {
        self.events.get(code).map(Vec::as_slice).unwrap_or_default()
    }
}

fn apply(record: &mut LegalPerson, change: &RecordChange) {
    // Clones only the fields the change carries: `as_of` replays every change of a record.
    macro_rules! set {
        (required: $($r:ident),*; optional: $($o:ident),*) => {
            $(if let Some(v) = &change.$r {
                record.$r = v.clone();
            })*
            $(if change.$o.is_some() {
                record.$o = change.$o.clone();
            })*
        };
    }
    set!(
        required: name, address, region, scope, capital, representative, industry,
            registration_authority, status;
        optional: currency, registration_type, approved_on, updated_on, business_address,
            business_region, registration_number, economic_type, registration_authority_code,
            competent_unit, competent_unit_code, phone, employees, contact, valid_from, valid_until,
            shareholders, public
    );
}
