//! Control of a running case: 挂起 and 恢复, special procedures (听证, 检验, 专家评审…) and the
//! hearing notice, 延期, 收费, 终止.

use zhengwu_core::{Authority, Decision, EventKind, Role, SpecialProcedureKind};

use super::command::Context;
use super::engine::{Case, HEADS, Plan};
use crate::rejection::Rejection;
use crate::status::CaseStatus as S;

impl Case {
    pub(super) fn plan_suspend(&self, reason: Option<String>, context: &Context) -> Plan {
        Self::require_role(context, &HEADS, "挂起")?;
        self.require_running()?;
        Ok(vec![EventKind::Suspended { reason }])
    }

    pub(super) fn plan_resume(&self, context: &Context) -> Plan {
        Self::require_role(context, &HEADS, "恢复")?;
        if self.state.status != S::Suspended {
            return Err(Rejection::NotSuspended);
        }
        Ok(vec![EventKind::Resumed])
    }

    pub(super) fn plan_start_special_procedure(&self, procedure: SpecialProcedureKind) -> Plan {
        self.require_running()?;
        if self.state.special.is_some() {
            return Err(Rejection::SpecialProcedureRunning);
        }
        Ok(vec![EventKind::SpecialProcedureStarted { procedure, expected_days: None }])
    }

    pub(super) fn plan_end_special_procedure(&self) -> Plan {
        let Some(procedure) = self.state.special else {
            return Err(Rejection::NoSpecialProcedure);
        };
        Ok(vec![EventKind::SpecialProcedureEnded { procedure }])
    }

    pub(super) fn plan_notice_hearing(
        &self,
        hearing_on: chrono::NaiveDate,
        place: Option<String>,
        context: &Context,
    ) -> Plan {
        self.require_running()?;
        if self.state.special != Some(SpecialProcedureKind::Hearing) {
            return Err(Rejection::NoHearingProcedure);
        }
        if hearing_on < zhengwu_core::china_day(context.at) {
            return Err(Rejection::HearingBeforeNotice { hearing_on });
        }
        Ok(vec![EventKind::HearingNoticed { hearing_on, place }])
    }

    /// 延期: 单独办理 +10 working days by the department head, 联合办理 +15 by the government head
    /// (the case's [`zhengwu_core::HandlingRegime`]).
    pub(super) fn plan_approve_extension(&self, days: u32, reason: Option<String>, context: &Context) -> Plan {
        self.require_running()?;
        let authority = match context.actor.role {
            Some(Role::DepartmentHead) => Authority::DepartmentHead,
            Some(Role::GovernmentHead) => Authority::GovernmentHead,
            _ => return Err(Rejection::NoExtensionAuthority { actor: context.actor.id.clone() }),
        };
        if days == 0 {
            return Err(Rejection::EmptyExtension);
        }
        let (cap, required) = self.state.regime.extension_rule();
        if authority < required {
            return Err(Rejection::ExtensionNeedsHigherAuthority {
                required,
                actor: context.actor.id.clone(),
                authority,
            });
        }
        if self.state.extended_days + days > cap {
            return Err(Rejection::ExtensionCapExceeded { cap, approved: self.state.extended_days, days });
        }
        Ok(vec![EventKind::ExtensionApproved { days, authority, reason }])
    }

    pub(super) fn plan_charge_fee(&self, fee_code: String, amount_fen: i64) -> Plan {
        self.require_running()?;
        if amount_fen < 0 {
            return Err(Rejection::NegativeFee { fee_code, amount_fen });
        }
        Ok(vec![EventKind::FeeCharged { fee_code, amount_fen }])
    }

    pub(super) fn plan_terminate(&self, reason: String, context: &Context) -> Plan {
        Self::require_role(context, &HEADS, "终止")?;
        self.require_running()?;
        if reason.trim().is_empty() {
            return Err(Rejection::ReasonRequired { command: "终止" });
        }
        Ok(vec![EventKind::Concluded { decision: Decision::Terminated, reason: Some(reason), document_number: None }])
    }
}
