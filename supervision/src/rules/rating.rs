//! The rules on 评价 and 办复: a 差评 followed up within 15 working days (回访核实 → 整改 → 反馈,
//! 国办发〔2019〕51号 as the provinces apply it), and a 建议 or 提案 answered again within 1 month
//! of a 不满意 view.

use chrono::DateTime;
use zhengwu_core::{FollowUpStage, Statute, TimeLimit, china_day};

use crate::case::CaseState;
use crate::rule::Rule;

/// 差评整改: reported back within 15 working days of the 差评.
pub(crate) const RECTIFICATION_LIMIT: TimeLimit = TimeLimit::working_days(15);
/// 重新办理: a 不满意 view answered again within 1 month.
pub(crate) const REHANDLING_LIMIT: TimeLimit = TimeLimit::months(1);

/// The rule, limit and closing step that apply to an item's 差评, by its statute.
fn regime(statute: Statute) -> (Rule, TimeLimit) {
    match statute {
        Statute::Proposal => (Rule::ProposalNotRehandled, REHANDLING_LIMIT),
        _ => (Rule::RatingNotRectified, RECTIFICATION_LIMIT),
    }
}

/// Whether every 差评 of the case has been closed (its follow-up reported, or its proposal
/// answered again), or its limit has passed (so its finding, if any, is final).
pub(crate) fn settled(
    c: &crate::case::CaseState,
    statute: Statute,
    calendar: &zhengwu_core::Calendar,
    today: chrono::NaiveDate,
) -> bool {
    let (_, limit) = regime(statute);
    c.ratings.iter().filter(|r| r.grade.is_bad()).all(|rating| {
        closed_at(c, statute, rating.at).is_some()
            || limit.due_from(china_day(rating.at), calendar).is_ok_and(|due| today > due)
    })
}

/// When a 差评 given at `at` was closed: the first `reported` follow-up, or the first answer
/// sent after it for a proposal.
fn closed_at(
    c: &crate::case::CaseState,
    statute: Statute,
    at: DateTime<chrono::FixedOffset>,
) -> Option<DateTime<chrono::FixedOffset>> {
    match statute {
        Statute::Proposal => c.replies.iter().map(|(t, _)| *t).find(|t| *t >= at),
        _ => c
            .follow_ups
            .iter()
            .filter(|(_, stage)| *stage == FollowUpStage::Reported)
            .map(|(t, _)| *t)
            .find(|t| *t >= at),
    }
}

/// A finding of a rating rule: the fact, the evidence and the two messages.
pub(crate) struct RatingFinding {
    pub(crate) fact: String,
    pub(crate) evidence: Vec<(&'static str, String)>,
    pub(crate) zh: String,
    pub(crate) en: String,
}

/// The 差评 of `case` not closed within their limit under `rule` (which applies by the item's
/// statute: `PROPOSAL_NOT_REHANDLED` for 建议 and 提案, `RATING_NOT_RECTIFIED` otherwise).
pub(crate) fn bad_ratings_unresolved(
    case: &CaseState,
    statute: Statute,
    calendar: &zhengwu_core::Calendar,
    today: chrono::NaiveDate,
    rule: Rule,
) -> Result<Vec<RatingFinding>, String> {
    let (applies, limit) = regime(statute);
    if applies != rule {
        return Ok(Vec::new());
    }
    let (what_zh, what_en) = match rule {
        Rule::ProposalNotRehandled => ("重新办理并答复", "answered again"),
        _ => ("回访核实、整改并反馈", "followed up and reported back"),
    };
    let mut found = Vec::new();
    for rating in case.ratings.iter().filter(|r| r.grade.is_bad()) {
        let given = china_day(rating.at);
        let due = limit.due_from(given, calendar).map_err(|e| e.to_string())?;
        let closed = closed_at(case, statute, rating.at).map(china_day);
        let late = match closed {
            Some(day) => day > due,
            None => today > due,
        };
        if !late {
            continue;
        }
        let grade = rating.grade.chinese();
        let (zh, en) = match closed {
            Some(day) => (
                format!(
                    "{given}的{grade}评价于{day}才{what_zh}，超过{}{}（截止{due}）",
                    limit.days,
                    limit.unit.chinese()
                ),
                format!("the {given} rating ({grade}) was {what_en} on {day}, after the due date {due}"),
            ),
            None => (
                format!("{given}的{grade}评价逾期未{what_zh}（截止{due}）"),
                format!("the {given} rating ({grade}) was not {what_en} by the due date {due}"),
            ),
        };
        found.push(RatingFinding {
            // In Beijing time: the same instant written with another offset is the same fact.
            fact: format!("rating@{}", rating.at.with_timezone(&zhengwu_core::china_offset()).to_rfc3339()),
            evidence: vec![
                ("rated_on", given.to_string()),
                ("grade", grade.to_owned()),
                ("due_on", due.to_string()),
                ("closed_on", closed.map(|d| d.to_string()).unwrap_or_default()),
            ],
            zh,
            en,
        });
    }
    Ok(found)
}
