//! 实施清单: the service-item catalogue, and each item's 办事指南.

use std::sync::Arc;

use zhengwu_core::{ItemCode, ItemKind};

use crate::error::{ZhengwuError, invalid, supervision_error};
use crate::workflow::WorkflowEngine;

/// 办件类型.
#[uniffi::remote(Enum)]
pub enum ItemKind {
    Immediate,
    Promised,
    Forwarded,
    Joint,
}

/// A time limit: days, working or calendar (`0` is 即办), or months (`months`: `days` counts
/// months, as for 人大建议 and 政协提案).
#[derive(Debug, Clone, uniffi::Record)]
pub struct Limit {
    pub days: i32,
    pub working_days: bool,
    pub months: bool,
}

/// 申请材料.
#[derive(Debug, Clone, uniffi::Record)]
pub struct MaterialRecord {
    pub code: String,
    pub name: String,
    pub required: bool,
}

/// 收费项目.
#[derive(Debug, Clone, uniffi::Record)]
pub struct FeeRecord {
    pub code: String,
    pub name: String,
    /// The standard, in yuan as the catalogue writes it (`50.00`).
    pub standard: String,
    pub basis: Option<String>,
}

/// One item of the catalogue.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ServiceItemRecord {
    pub code: String,
    pub name: String,
    pub department: String,
    pub kind: ItemKind,
    pub legal_limit: Limit,
    pub promised_limit: Limit,
    pub legal_basis: Option<String>,
    pub materials: Vec<MaterialRecord>,
    pub fees: Vec<FeeRecord>,
}

/// One section of a service guide (`基本信息`, `办理时限`, `申请材料`, `收费标准`, `办理流程`).
#[derive(Debug, Clone, uniffi::Record)]
pub struct GuideSectionRecord {
    pub heading: String,
    pub lines: Vec<String>,
}

fn limit(limit: zhengwu_core::TimeLimit) -> Limit {
    Limit {
        days: i32::try_from(limit.days).unwrap_or(i32::MAX),
        working_days: limit.unit == zhengwu_core::DayUnit::WorkingDays,
        months: limit.unit == zhengwu_core::DayUnit::Months,
    }
}

/// 实施清单: the items a region's departments handle, read from TOML or JSON.
#[derive(Debug, uniffi::Object)]
pub struct ServiceCatalogue {
    inner: zhengwu_core::Catalogue,
}

#[uniffi::export]
impl ServiceCatalogue {
    /// A catalogue from TOML text (every problem named).
    #[uniffi::constructor]
    pub fn from_toml(text: String) -> Result<Arc<Self>, ZhengwuError> {
        let file = zhengwu_core::CatalogueFile::from_toml(&text).map_err(supervision_error)?;
        Self::build(file)
    }

    /// A catalogue from JSON text.
    #[uniffi::constructor]
    pub fn from_json(text: String) -> Result<Arc<Self>, ZhengwuError> {
        let file = zhengwu_core::CatalogueFile::from_json(&text).map_err(supervision_error)?;
        Self::build(file)
    }

    /// Every item, in the catalogue's order.
    pub fn items(&self) -> Vec<ServiceItemRecord> {
        self.inner
            .items()
            .map(|item| ServiceItemRecord {
                code: item.code.to_string(),
                name: item.name.clone(),
                department: item.department.to_string(),
                kind: item.kind,
                legal_limit: limit(item.legal_limit),
                promised_limit: limit(item.promised_limit),
                legal_basis: item.legal_basis.clone(),
                materials: item
                    .materials
                    .iter()
                    .map(|m| MaterialRecord { code: m.code.clone(), name: m.name.clone(), required: m.required })
                    .collect(),
                fees: item
                    .fees
                    .iter()
                    .map(|f| FeeRecord {
                        code: f.code.clone(),
                        name: f.name.clone(),
                        standard: f.standard.to_string(),
                        basis: f.basis.clone(),
                    })
                    .collect(),
            })
            .collect()
    }

    /// The 办事指南 of an item: with its process, the flow is the process's steps; without, the
    /// item's required steps.
    pub fn guide(
        &self,
        item_code: String,
        process: Option<Arc<WorkflowEngine>>,
    ) -> Result<Vec<GuideSectionRecord>, ZhengwuError> {
        let item = self
            .inner
            .item(&ItemCode::new(&item_code))
            .ok_or_else(|| invalid(format!("the catalogue has no item `{item_code}`")))?;
        let guide = zhengwu_workflow::service_guide(item, process.as_ref().map(|engine| engine.process()));
        Ok(guide
            .into_iter()
            .map(|section| GuideSectionRecord { heading: section.heading.to_owned(), lines: section.lines })
            .collect())
    }
}

impl ServiceCatalogue {
    fn build(file: zhengwu_core::CatalogueFile) -> Result<Arc<Self>, ZhengwuError> {
        Ok(Arc::new(ServiceCatalogue { inner: catalogue(file)? }))
    }
}

/// A catalogue whose departments are the ones its items name (every problem named).
pub(crate) fn catalogue(file: zhengwu_core::CatalogueFile) -> Result<zhengwu_core::Catalogue, ZhengwuError> {
    let departments = file.departments();
    zhengwu_core::Catalogue::new(file, &departments).map_err(supervision_error)
}
