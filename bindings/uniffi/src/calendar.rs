//! 工作日历 and 信用代码: the small services a window app calls.

use std::sync::Arc;

use zhengwu_core::Calendar;

use crate::error::{ZhengwuError, calendar_error, invalid};
use crate::time::Day;

/// 工作日历: the statutory working-day calendar.
#[derive(Debug, uniffi::Object)]
pub struct WorkingCalendar {
    pub(crate) inner: Calendar,
}

fn days(days: i32) -> Result<u32, ZhengwuError> {
    u32::try_from(days).map_err(|_| invalid(format!("{days} days: a count of days is not negative")))
}

#[uniffi::export]
impl WorkingCalendar {
    /// The embedded State Council notices (2004–2026).
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(WorkingCalendar { inner: Calendar::china() })
    }

    /// Whether the day is a working day.
    pub fn is_workday(&self, day: Day) -> Result<bool, ZhengwuError> {
        self.inner.is_workday(day).map_err(calendar_error)
    }

    /// The due date `days` working days after `start` (the start day not counted).
    pub fn deadline_working_days(&self, start: Day, days_after: i32) -> Result<Day, ZhengwuError> {
        self.inner.add_working_days(start, days(days_after)?).map_err(calendar_error)
    }

    /// The due date `days` calendar days after `start`, moved off a last day off.
    pub fn deadline_calendar_days(&self, start: Day, days_after: i32) -> Result<Day, ZhengwuError> {
        self.inner.add_calendar_days(start, days(days_after)?).map_err(calendar_error)
    }
}

/// The result of checking a 统一社会信用代码.
#[derive(Debug, uniffi::Record)]
pub struct CreditCheck {
    pub code: String,
    pub valid: bool,
    /// Why not, when invalid.
    pub reason: Option<String>,
    /// 登记管理部门, when valid.
    pub registration_authority: Option<String>,
}

/// 信用代码校验.
#[derive(Debug, uniffi::Object)]
pub struct CreditChecker;

#[uniffi::export]
impl CreditChecker {
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(CreditChecker)
    }

    /// Checks one code (both check characters and the structure).
    pub fn check(&self, code: String) -> CreditCheck {
        match zhengwu_credit::CreditCode::new(&code) {
            Ok(valid) => CreditCheck {
                registration_authority: Some(valid.registration_authority().chinese().to_owned()),
                code,
                valid: true,
                reason: None,
            },
            Err(error) => {
                CreditCheck { code, valid: false, reason: Some(error.to_string()), registration_authority: None }
            }
        }
    }
}
