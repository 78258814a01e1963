//! 会签: votes, 加签 and 减签, and when a countersign is decided.

use zhengwu_core::{EventKind, OfficialId, SignerPosition};

use super::command::Context;
use super::engine::{Case, HEADS, Plan};
use crate::definition::{CompletionPolicy, NodeKind, SigningOrder};
use crate::rejection::Rejection;

impl Case {
    pub(super) fn plan_vote(&self, step: String, approve: bool, opinion: Option<String>, context: &Context) -> Plan {
        self.require_running()?;
        let task = self.task(&step)?;
        let Some((signers, policy, order)) = self.countersign(&step) else {
            return Err(Rejection::NotCountersign { step });
        };
        let voter = &context.actor.id;
        if !signers.contains(voter) {
            return Err(Rejection::NotASigner { signer: voter.clone(), step });
        }
        if task.votes.iter().any(|(v, _)| v == voter) {
            return Err(Rejection::AlreadyVoted { signer: voter.clone(), step });
        }
        if order == SigningOrder::Sequential
            && let Some(next) = signers.iter().find(|s| !task.votes.iter().any(|(v, _)| v == *s))
            && next != voter
        {
            return Err(Rejection::NotYourTurn { step, next: next.clone() });
        }
        let mut votes = task.votes.clone();
        votes.push((voter.clone(), approve));
        let mut kinds = vec![EventKind::VoteCast { step: step.clone(), approve, opinion }];
        if let Some(result) = decide(policy, &votes, signers.len()) {
            kinds.extend(self.countersign_done(&step, result)?);
        }
        Ok(kinds)
    }

    pub(super) fn plan_add_signer(
        &self,
        step: String,
        signer: OfficialId,
        position: SignerPosition,
        context: &Context,
    ) -> Plan {
        self.require_running()?;
        Self::require_role(context, &HEADS, "加签")?;
        self.task(&step)?;
        let Some((signers, _, _)) = self.countersign(&step) else {
            return Err(Rejection::NotCountersign { step });
        };
        if signers.contains(&signer) {
            return Err(Rejection::AlreadySigns { signer, step });
        }
        Ok(vec![EventKind::SignerAdded { step, signer, position }])
    }

    pub(super) fn plan_remove_signer(&self, step: String, signer: OfficialId, context: &Context) -> Plan {
        self.require_running()?;
        Self::require_role(context, &HEADS, "减签")?;
        let task = self.task(&step)?;
        let Some((signers, policy, _)) = self.countersign(&step) else {
            return Err(Rejection::NotCountersign { step });
        };
        if !signers.contains(&signer) {
            return Err(Rejection::DoesNotSign { signer, step });
        }
        if task.votes.iter().any(|(v, _)| v == &signer) {
            return Err(Rejection::VoteStays { signer, step });
        }
        if signers.len() == 1 {
            return Err(Rejection::LastSigner { signer, step });
        }
        let mut kinds = vec![EventKind::SignerRemoved { step: step.clone(), signer }];
        // Without the removed signer the countersign may now be decided.
        if let Some(result) = decide(policy, &task.votes, signers.len() - 1) {
            kinds.extend(self.countersign_done(&step, result)?);
        }
        Ok(kinds)
    }

    /// The signers (as the open task holds them), policy and order of a countersign step.
    pub(super) fn countersign(&self, step: &str) -> Option<(Vec<OfficialId>, CompletionPolicy, SigningOrder)> {
        match &self.process.node(step)?.kind {
            NodeKind::Task { countersign: Some(c), .. } => {
                let signers = self.state.tasks.iter().find(|t| t.step == step).map(|t| t.signers.clone())?;
                Some((signers, c.policy, c.order))
            }
            _ => None,
        }
    }

    /// The events of a decided countersign: its result as data, its completion, what follows.
    fn countersign_done(&self, step: &str, result: bool) -> Plan {
        let mut data = serde_json::Map::new();
        data.insert("approved".to_owned(), result.into());
        data.insert(format!("{step}_approved"), result.into());
        let mut kinds = vec![
            EventKind::DataRecorded { data: data.clone() },
            EventKind::StepCompleted {
                step: step.to_owned(),
                opinion: Some(if result { "会签通过" } else { "会签未通过" }.to_owned()),
            },
        ];
        let mut merged = self.state.data.clone();
        merged.extend(data);
        kinds.extend(self.landings_from(step, Some(&merged), &[step])?);
        Ok(kinds)
    }
}

/// The outcome of a countersign once it is decided: `Some(approved)`.
fn decide(policy: CompletionPolicy, votes: &[(OfficialId, bool)], signers: usize) -> Option<bool> {
    let yes = votes.iter().filter(|(_, v)| *v).count();
    let no = votes.len() - yes;
    let all_in = votes.len() == signers;
    match policy {
        // 一票否决 decides like 全体通过: the first no ends it, all yes passes it.
        CompletionPolicy::All | CompletionPolicy::Veto => (no > 0).then_some(false).or(all_in.then_some(true)),
        CompletionPolicy::Any => (yes > 0).then_some(true).or(all_in.then_some(false)),
        CompletionPolicy::Majority => {
            if yes * 2 > signers {
                Some(true)
            } else if no * 2 >= signers {
                Some(false)
            } else {
                None
            }
        }
        CompletionPolicy::Ratio(ratio) => {
            let needed = (ratio * signers as f64).ceil() as usize;
            if yes >= needed {
                Some(true)
            } else if signers - no < needed {
                Some(false)
            } else {
                None
            }
        }
    }
}
