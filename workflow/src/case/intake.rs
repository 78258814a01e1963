//! Intake and the applicant's side: 收件, 信用核查, 延续申请, 受理 or 不予受理, 补正, 交办异议,
//! 撤回申请 and 送达.

use zhengwu_core::{Channel, CreditMeasure, Decision, EventKind};

use super::command::Context;
use super::engine::{Case, INTAKE, Plan};
use crate::rejection::Rejection;
use crate::status::CaseStatus as S;

impl Case {
    pub(super) fn plan_receive(
        &self,
        channel: Channel,
        materials: Vec<String>,
        data: serde_json::Map<String, serde_json::Value>,
    ) -> Plan {
        if self.state.status != S::New {
            return Err(Rejection::AlreadyReceived);
        }
        let mut kinds = vec![EventKind::Received { channel, materials }];
        if !data.is_empty() {
            kinds.push(EventKind::DataRecorded { data });
        }
        Ok(kinds)
    }

    pub(super) fn plan_accept(&self, context: &Context) -> Plan {
        Self::require_role(context, &INTAKE, "受理")?;
        let status = self.state.status;
        let measures = &self.state.credit_measures;
        if measures.contains(&CreditMeasure::Refuse) {
            return Err(Rejection::BlackListed);
        }
        let with_gaps = status == S::Supplementing && measures.contains(&CreditMeasure::AcceptWithGaps);
        if status != S::Received && !with_gaps {
            return Err(Rejection::WrongStatus { needed: "only a received case can be accepted", status });
        }
        let mut kinds = vec![EventKind::Accepted];
        kinds.extend(self.landings_from(self.process.start().id.as_str(), None, &[])?);
        Ok(kinds)
    }

    pub(super) fn plan_refuse_at_intake(&self, reason: String, context: &Context) -> Plan {
        Self::require_role(context, &INTAKE, "不予受理")?;
        self.require_before_acceptance("only a case not yet accepted can be refused at intake")?;
        if reason.trim().is_empty() {
            return Err(Rejection::ReasonRequired { command: "不予受理" });
        }
        Ok(vec![EventKind::RefusedAtIntake { reason: Some(reason) }])
    }

    pub(super) fn plan_request_supplement(&self, items: Vec<String>) -> Plan {
        if self.state.supplement_open {
            return Err(Rejection::SupplementAlreadyOpen);
        }
        if self.state.status == S::New {
            return Err(Rejection::NotReceived);
        }
        Ok(vec![EventKind::SupplementRequested { items, note: None }])
    }

    pub(super) fn plan_receive_supplement(&self, items: Vec<String>) -> Plan {
        if !self.state.supplement_open {
            return Err(Rejection::NoSupplementOpen);
        }
        Ok(vec![EventKind::SupplementReceived { items }])
    }

    pub(super) fn plan_apply_credit_measures(
        &self,
        applicant: String,
        grade: String,
        measures: Vec<CreditMeasure>,
        context: &Context,
    ) -> Plan {
        Self::require_role(context, &INTAKE, "信用核查")?;
        self.require_before_acceptance("credit measures apply before acceptance")?;
        let mut kinds = vec![EventKind::CreditChecked { applicant, grade: grade.clone(), measures: measures.clone() }];
        let mut data = serde_json::Map::new();
        data.insert("credit_grade".to_owned(), grade.into());
        // Every flag is recorded, true or false, so that conditions can always read them.
        for measure in [CreditMeasure::GreenChannel, CreditMeasure::StrictReview, CreditMeasure::ExtraReview] {
            if let Some(flag) = measure.flag() {
                data.insert(flag.to_owned(), measures.contains(&measure).into());
            }
        }
        kinds.push(EventKind::DataRecorded { data });
        Ok(kinds)
    }

    pub(super) fn plan_apply_for_renewal(
        &self,
        licence: Option<String>,
        expires_on: chrono::NaiveDate,
        context: &Context,
    ) -> Plan {
        Self::require_role(context, &INTAKE, "延续申请")?;
        self.require_before_acceptance("a renewal is recorded before acceptance")?;
        if self.log.iter().any(|e| matches!(e.kind, EventKind::RenewalApplied { .. })) {
            return Err(Rejection::RenewalAlreadyRecorded);
        }
        Ok(vec![EventKind::RenewalApplied { licence, expires_on }])
    }

    pub(super) fn plan_object_to_assignment(&self, reason: String) -> Plan {
        self.require_before_acceptance("a matter is handed back before acceptance")?;
        if reason.trim().is_empty() {
            return Err(Rejection::ReasonRequired { command: "交办异议" });
        }
        Ok(vec![EventKind::AssignmentObjected { reason: Some(reason) }])
    }

    pub(super) fn plan_withdraw(&self, reason: Option<String>) -> Plan {
        if self.state.status == S::New {
            return Err(Rejection::NotReceived);
        }
        Ok(vec![EventKind::Withdrawn { reason }])
    }

    /// 送达: the one command a concluded case takes.
    pub(super) fn plan_deliver_result(&self, method: Option<String>) -> Plan {
        let status = self.state.status;
        let S::Concluded(decision) = status else {
            return Err(Rejection::WrongStatus { needed: "only a concluded case has a result to deliver", status });
        };
        if self.state.delivered {
            return Err(Rejection::AlreadyDelivered);
        }
        if matches!(decision, Decision::Terminated) {
            return Err(Rejection::NothingToDeliver);
        }
        Ok(vec![EventKind::ResultDelivered { method }])
    }

    /// The case is received (or waits for 补正) and not yet accepted.
    fn require_before_acceptance(&self, needed: &'static str) -> Result<(), Rejection> {
        match self.state.status {
            S::Received | S::Supplementing => Ok(()),
            status => Err(Rejection::WrongStatus { needed, status }),
        }
    }
}
