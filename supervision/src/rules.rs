//! The built-in rules: each reads one case's state (and the catalogue and calendar) as of an
//! instant and reports findings. A finding names the fact it rests on, so that replaying the same
//! events raises the same alert once.

mod rating;

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use zhengwu_core::{
    Calendar, ClockReport, ClockStatus, Decision, ItemKind, LimitReference, ServiceItem, TimeLimit, china_day,
};

use crate::case::CaseState;
use crate::config::{RuleSettings, SupervisionConfig};
use crate::custom::Facts;
use crate::rule::Rule;

/// What a rule found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub(crate) rule: Rule,
    /// The rule's code (a custom rule's own code).
    pub(crate) code: String,
    /// The level, for custom rules (built-in levels come from their settings).
    pub(crate) level: Option<crate::rule::Level>,
    /// The fact, unique within the case and rule.
    pub(crate) fact: String,
    pub(crate) evidence: BTreeMap<String, String>,
    pub(crate) zh: String,
    pub(crate) en: String,
}

struct Context<'a> {
    calendar: &'a Calendar,
    item: &'a ServiceItem,
    case: &'a CaseState,
    today: NaiveDate,
    promised: Option<&'a ClockReport>,
    legal: Option<&'a ClockReport>,
    findings: Vec<Finding>,
}

impl Context<'_> {
    fn push(&mut self, rule: Rule, fact: impl Into<String>, evidence: &[(&str, String)], zh: String, en: String) {
        self.findings.push(Finding {
            rule,
            code: rule.code().to_owned(),
            level: None,
            fact: fact.into(),
            evidence: evidence.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(),
            zh,
            en,
        });
    }
}

/// Runs every enabled rule on one case. `Err` means the case could not be evaluated (a date
/// outside the calendar).
pub(crate) fn evaluate_case(
    config: &SupervisionConfig,
    calendar: &Calendar,
    item: &ServiceItem,
    case: &CaseState,
    as_of: DateTime<FixedOffset>,
) -> Result<Vec<Finding>, String> {
    let today = china_day(as_of);
    let report = |reference| case.timeline.report(item, reference, calendar, today).map_err(|e| e.to_string());
    let promised = report(LimitReference::Promised)?;
    // The legal limit is never shorter than the promised one (the catalogue checks), and both
    // share the case's stops: the legal clock matters only when the promise is broken, when
    // extensions are to be checked, or when a rule measures against it.
    let promise_kept = promised.as_ref().is_some_and(|r| {
        matches!(
            r.status,
            ClockStatus::Immediate
                | ClockStatus::Early
                | ClockStatus::OnTime
                | ClockStatus::Running
                | ClockStatus::Suspended
        )
    });
    let near_on_legal =
        config.settings(Rule::TimeNear, &case.item_code, &case.department).params.reference == LimitReference::Legal;
    let legal = if promise_kept && case.timeline.extensions.is_empty() && !near_on_legal {
        None
    } else {
        report(LimitReference::Legal)?
    };
    let mut context = Context {
        calendar,
        item,
        case,
        today,
        promised: promised.as_ref(),
        legal: legal.as_ref(),
        findings: Vec::new(),
    };
    for rule in Rule::ALL {
        let settings = config.settings(rule, &case.item_code, &case.department);
        if !settings.enabled {
            continue;
        }
        let context = &mut context;
        match rule {
            Rule::TimeNear => time_near(context, &settings)?,
            Rule::TimeOverPromise => time_over(context, Rule::TimeOverPromise),
            Rule::TimeOverLegal => time_over(context, Rule::TimeOverLegal),
            Rule::StepOvertime => step_overtime(context)?,
            Rule::RefuseIllegal => refuse_illegal(context),
            Rule::NotAcceptInTime => not_accept_in_time(context, &settings)?,
            Rule::MultiBuzheng => multi_buzheng(context, &settings),
            Rule::ExtraMaterial => extra_material(context),
            Rule::FeeOver => fee_over(context),
            Rule::SkipStep => skip_step(context),
            Rule::Offline => offline(context, &settings),
            Rule::AbnormalEnd => abnormal_end(context),
            Rule::ExtUnapproved => ext_unapproved(context),
            Rule::DeliveryLate => delivery_late(context)?,
            Rule::HearingLate => hearing_late(context)?,
            Rule::HearingNoticeLate => hearing_notice_late(context)?,
            Rule::RenewalDeemed => renewal_deemed(context),
            Rule::ObjectionLate => objection_late(context)?,
            Rule::RatingNotRectified | Rule::ProposalNotRehandled => {
                let found = rating::bad_ratings_unresolved(case, item.statute, calendar, today, rule)?;
                for finding in found {
                    context.push(rule, finding.fact, &finding.evidence, finding.zh, finding.en);
                }
            }
            // Custom rules are not in `Rule::ALL`; they run below.
            Rule::Custom => {}
        }
    }
    if !config.custom.is_empty() {
        let since = match case.received_at {
            Some(received) => calendar.working_days_between(china_day(received), today).map_err(|e| e.to_string())?,
            None => 0,
        };
        let facts = Facts::of(case, item, context.promised, since);
        for rule in &config.custom {
            let fired = rule.check(&facts).map_err(|e| format!("custom rule `{}`: {e}", rule.spec.code))?;
            if fired {
                context.findings.push(Finding {
                    rule: Rule::Custom,
                    code: rule.spec.code.clone(),
                    level: Some(rule.spec.level),
                    fact: "custom".to_owned(),
                    evidence: BTreeMap::from([("when".to_owned(), rule.spec.when.clone())]),
                    zh: rule.spec.message.clone(),
                    en: rule.spec.message_en.clone().unwrap_or_else(|| rule.spec.message.clone()),
                });
            }
        }
    }
    Ok(context.findings)
}

fn time_near(c: &mut Context<'_>, settings: &RuleSettings) -> Result<(), String> {
    if c.item.kind == ItemKind::Immediate || c.case.is_closed() {
        return Ok(());
    }
    let report = match settings.params.reference {
        LimitReference::Promised => c.promised,
        LimitReference::Legal => c.legal,
    };
    let Some(report) = report else { return Ok(()) };
    let Some(due) = report.due_on else { return Ok(()) };
    if report.status != ClockStatus::Running || report.remaining_days < 0 {
        return Ok(());
    }
    if report.remaining_days <= settings.params.days_left {
        let left = report.remaining_days;
        let unit = report.unit;
        c.push(
            Rule::TimeNear,
            format!("due:{due}"),
            &[("due_on", due.to_string()), ("remaining_days", left.to_string())],
            format!("距办理时限{due}仅剩{left}{}", unit.chinese()),
            format!("{left} {} left to the due date {due}", unit.english()),
        );
    }
    Ok(())
}

fn time_over(c: &mut Context<'_>, rule: Rule) {
    let (report, zh_limit, en_limit) = match rule {
        Rule::TimeOverPromise => {
            if c.item.kind == ItemKind::Immediate {
                return;
            }
            (c.promised, "承诺", "promised")
        }
        _ => (c.legal, "法定", "legal"),
    };
    let Some(report) = report else { return };
    let Some(due) = report.due_on else { return };
    // Counted from the due date, in the limit's own unit (Art. 203 may move a calendar-day due
    // date past the limit-th day).
    let over = -report.remaining_days;
    let (zh_unit, en_unit) = (report.unit.chinese(), report.unit.english());
    let evidence = [
        ("due_on", due.to_string()),
        ("limit_days", report.limit_days.to_string()),
        ("used_days", report.used_days.to_string()),
        ("over_days", over.to_string()),
        ("unit", zh_unit.to_owned()),
        ("status", report.status.chinese().to_owned()),
    ];
    match report.status {
        ClockStatus::Overdue => c.push(
            rule,
            "concluded",
            &evidence,
            format!("超过{zh_limit}时限{over}{zh_unit}办结（截止{due}）"),
            format!("concluded {over} {en_unit} after the {en_limit} due date {due}"),
        ),
        ClockStatus::OverdueRunning => c.push(
            rule,
            "running",
            &evidence,
            format!("已超过{zh_limit}时限{over}{zh_unit}仍未办结（截止{due}）"),
            format!("still open {over} {en_unit} after the {en_limit} due date {due}"),
        ),
        _ => {}
    }
}

fn step_overtime(c: &mut Context<'_>) -> Result<(), String> {
    let mut found = Vec::new();
    for required in &c.item.steps {
        for run in c.case.steps.iter().filter(|r| r.step == required.code) {
            let start = china_day(run.started_at);
            // A run never completed ends with the case, or runs on to today.
            let end = run
                .completed_at
                .or(run.cancelled_at)
                .or(c.case.conclusion.as_ref().map(|k| k.at))
                .or(c.case.withdrawn_at)
                .map(china_day)
                .unwrap_or(c.today);
            if end < start {
                continue;
            }
            let used = required.limit.unit.count(c.calendar, start, end).map_err(|e| e.to_string())?;
            // A month limit ends on a date (民法典 Art. 202), not after a number of days.
            let over = match required.limit.unit {
                zhengwu_core::DayUnit::Months => {
                    end > required.limit.due_from(start, c.calendar).map_err(|e| e.to_string())?
                }
                _ => used > i64::from(required.limit.days),
            };
            if over {
                let open = run.is_open();
                found.push((required, run.started_at, used, open));
            }
        }
    }
    for (required, started_at, used, open) in found {
        let limit = required.limit.days;
        let state_zh = if open { "尚未完成" } else { "已完成" };
        c.push(
            Rule::StepOvertime,
            // In Beijing time: the same instant written with another offset is the same fact.
            format!("{}@{}", required.code, started_at.with_timezone(&zhengwu_core::china_offset()).to_rfc3339()),
            &[
                ("step", required.code.clone()),
                ("step_limit_days", limit.to_string()),
                ("used_days", used.to_string()),
                ("open", open.to_string()),
            ],
            format!(
                "环节「{}」时限{limit}{unit}，已用{used}{used_unit}（{state_zh}）",
                required.name,
                unit = required.limit.unit.chinese(),
                used_unit = required.limit.unit.counted_in().chinese()
            ),
            format!("step `{}` has a limit of {limit} day(s) and took {used}", required.code),
        );
    }
    Ok(())
}

fn blank(reason: &Option<String>) -> bool {
    reason.as_deref().is_none_or(|r| r.trim().is_empty())
}

fn refuse_illegal(c: &mut Context<'_>) {
    if c.case.refused_at.is_some() && blank(&c.case.refusal_reason) {
        c.push(
            Rule::RefuseIllegal,
            "intake",
            &[("decision", "不予受理".to_owned())],
            "不予受理未说明理由".to_owned(),
            "refused at intake without a reason".to_owned(),
        );
    }
    if let Some(conclusion) = &c.case.conclusion
        && conclusion.decision == Decision::Refused
        && blank(&conclusion.reason)
    {
        c.push(
            Rule::RefuseIllegal,
            "decision",
            &[("decision", "不予许可".to_owned())],
            "不予许可未说明理由".to_owned(),
            "permit refused without a reason".to_owned(),
        );
    }
}

fn not_accept_in_time(c: &mut Context<'_>, settings: &RuleSettings) -> Result<(), String> {
    let timeline = &c.case.timeline;
    let default = TimeLimit::working_days(settings.params.accept_within_days);
    let (Some(received_on), Some(deadline)) =
        (timeline.received_on, timeline.answer_due(c.item, default, c.calendar).map_err(|e| e.to_string())?)
    else {
        return Ok(());
    };
    let first_answer = timeline.first_answer();
    if timeline.withdrawn_on.is_some_and(|w| w <= deadline) {
        return Ok(());
    }
    let late = match first_answer {
        Some(answered) => answered > deadline,
        None => c.today > deadline,
    };
    if late {
        let answered = first_answer.map_or_else(|| "未答复".to_owned(), |d| d.to_string());
        c.push(
            Rule::NotAcceptInTime,
            "intake",
            &[
                ("received_on", received_on.to_string()),
                ("deadline", deadline.to_string()),
                ("answered_on", answered.clone()),
            ],
            format!("{received_on}收件，{deadline}前未受理、未不予受理也未一次性告知补正（答复：{answered}）"),
            format!(
                "received {received_on}, no acceptance, refusal or 补正 notice by {deadline} (answered: {answered})"
            ),
        );
    }
    Ok(())
}

fn multi_buzheng(c: &mut Context<'_>, settings: &RuleSettings) {
    let count = c.case.timeline.supplements.len();
    let max = settings.params.max_supplement_requests as usize;
    if count > max {
        c.push(
            Rule::MultiBuzheng,
            "requests",
            &[("requests", count.to_string()), ("allowed", max.to_string())],
            format!("要求补正{count}次，超过一次性告知的{max}次"),
            format!("{count} 补正 requests, more than the {max} allowed"),
        );
    }
}

fn extra_material(c: &mut Context<'_>) {
    if c.item.materials.is_empty() {
        return;
    }
    let extra: Vec<String> = c
        .case
        .materials
        .iter()
        .chain(&c.case.requested_materials)
        .filter(|m| !c.item.lists_material(m))
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    for material in extra {
        c.push(
            Rule::ExtraMaterial,
            format!("material:{material}"),
            &[("material", material.clone())],
            format!("收取或要求的材料「{material}」不在公示目录内"),
            format!("material `{material}` is not on the published list"),
        );
    }
    // 要件不全却受理: accepted without a required material, unless 容缺受理 allowed it.
    let case = c.case;
    let with_gaps = case.credit_measures.contains(&zhengwu_core::CreditMeasure::AcceptWithGaps);
    if case.accepted_at.is_some() && !with_gaps {
        let missing: Vec<(String, String)> = c
            .item
            .materials
            .iter()
            .filter(|m| m.required && !case.materials.contains(&m.code))
            .map(|m| (m.code.clone(), m.name.clone()))
            .collect();
        for (code, name) in missing {
            c.push(
                Rule::ExtraMaterial,
                format!("missing:{code}"),
                &[("missing_material", code.clone())],
                format!("要件「{name}」（{code}）不全即予受理"),
                format!("accepted without the required material `{code}`"),
            );
        }
    }
}

fn fee_over(c: &mut Context<'_>) {
    let mut found = Vec::new();
    for (index, fee) in c.case.fees.iter().enumerate() {
        match c.item.fee(&fee.fee_code) {
            None => found.push((index, fee.clone(), None)),
            Some(standard) if fee.amount_fen > standard.standard.fen => {
                found.push((index, fee.clone(), Some(standard.standard)))
            }
            Some(_) => {}
        }
    }
    for (index, fee, standard) in found {
        let charged = zhengwu_core::Yuan::from_fen(fee.amount_fen);
        let (zh, en, standard_text) = match standard {
            None => (
                format!("收费项目「{}」不在公示收费目录内（收取{charged}）", fee.fee_code),
                format!("fee `{}` is not in the published list (charged {charged})", fee.fee_code),
                "未公示".to_owned(),
            ),
            Some(standard) => (
                format!("收费项目「{}」收取{charged}，超过标准{standard}", fee.fee_code),
                format!("fee `{}` charged {charged}, above the standard {standard}", fee.fee_code),
                standard.to_string(),
            ),
        };
        c.push(
            Rule::FeeOver,
            format!("fee#{index}"),
            &[("fee_code", fee.fee_code.clone()), ("charged", charged.to_string()), ("standard", standard_text)],
            zh,
            en,
        );
    }
}

fn skip_step(c: &mut Context<'_>) {
    let Some(conclusion) = &c.case.conclusion else { return };
    if conclusion.decision != Decision::Granted {
        return;
    }
    // A 建议's or 提案's 会办 step is there only when the 交办 names 会办 units: its limit is
    // watched when it runs (`STEP_OVERTIME`), its absence is no skipped step.
    if c.item.statute == zhengwu_core::Statute::Proposal {
        return;
    }
    let completed = c.case.completed_steps();
    let missing: Vec<(String, String)> = c
        .item
        .steps
        .iter()
        .filter(|s| !completed.contains_key(s.code.as_str()))
        .map(|s| (s.code.clone(), s.name.clone()))
        .collect();
    for (code, name) in missing {
        c.push(
            Rule::SkipStep,
            format!("step:{code}"),
            &[("step", code.clone())],
            format!("未经「{name}」环节即准予办结"),
            format!("granted without the required step `{code}`"),
        );
    }
}

fn offline(c: &mut Context<'_>, settings: &RuleSettings) {
    let params = settings.params;
    let case = c.case;
    if let Some(lag) = &case.max_entry_lag
        && lag.minutes > params.max_entry_lag_hours * 60
    {
        let hours = lag.minutes / 60;
        c.push(
            Rule::Offline,
            "entry_lag",
            &[
                ("sequence", lag.sequence.to_string()),
                ("event_type", lag.event_type.clone()),
                ("entry_lag_minutes", lag.minutes.to_string()),
            ],
            format!("第{}号事件（{}）录入时间晚于业务时间{hours}小时，疑似先批后录", lag.sequence, lag.event_type),
            format!("event {} (`{}`) was entered {hours} hours after its business time", lag.sequence, lag.event_type),
        );
    }
    if let Some(&(sequence, minutes)) = case.time_reversals.first() {
        c.push(
            Rule::Offline,
            "time_reversal",
            &[("sequence", sequence.to_string()), ("minutes_back", minutes.to_string())],
            format!("第{sequence}号事件的业务时间早于前一事件{minutes}分钟，疑似补录倒签"),
            format!("event {sequence} claims a business time {minutes} minutes before the event preceding it"),
        );
    }
    let mut completions: Vec<DateTime<FixedOffset>> = c.case.steps.iter().filter_map(|s| s.completed_at).collect();
    completions.sort();
    let burst = params.burst_steps.max(2);
    if c.item.kind != ItemKind::Immediate && completions.len() >= burst {
        let window = chrono::Duration::minutes(params.burst_minutes);
        if let Some(start) = completions.windows(burst).find(|w| w[burst - 1] - w[0] <= window) {
            let first = start[0];
            c.push(
                Rule::Offline,
                "burst",
                &[
                    ("steps", burst.to_string()),
                    ("within_minutes", params.burst_minutes.to_string()),
                    ("first_at", first.to_rfc3339()),
                ],
                format!("{burst}个环节在{}分钟内集中办理完毕，疑似体外循环后补录", params.burst_minutes),
                format!("{burst} steps completed within {} minutes", params.burst_minutes),
            );
        }
    }
}

fn abnormal_end(c: &mut Context<'_>) {
    let case = c.case;
    let Some(conclusion) = &case.conclusion else { return };
    if c.item.kind == ItemKind::Immediate
        && let Some(accepted) = case.accepted_at
    {
        let (accepted_on, concluded_on) = (china_day(accepted), china_day(conclusion.at));
        if concluded_on > accepted_on {
            c.push(
                Rule::AbnormalEnd,
                "immediate_late",
                &[("accepted_on", accepted_on.to_string()), ("concluded_on", concluded_on.to_string())],
                format!("即办件{accepted_on}受理，{concluded_on}才办结"),
                format!("即办件 accepted {accepted_on} but concluded {concluded_on}"),
            );
        }
    }
    if conclusion.decision == Decision::Terminated && blank(&conclusion.reason) {
        c.push(
            Rule::AbnormalEnd,
            "terminated",
            &[("decision", "终止".to_owned())],
            "终止办理未说明理由".to_owned(),
            "terminated without a reason".to_owned(),
        );
    }
    if conclusion.decision == Decision::Granted && blank(&conclusion.document_number) {
        c.push(
            Rule::AbnormalEnd,
            "no_document",
            &[("decision", "准予".to_owned())],
            "准予办结但无结果文书文号".to_owned(),
            "granted without a decision document number".to_owned(),
        );
    }
}

fn ext_unapproved(c: &mut Context<'_>) {
    let Some(report) = c.legal else { return };
    for (index, rejected) in report.rejected_extensions.iter().enumerate() {
        let e = rejected.extension;
        c.push(
            Rule::ExtUnapproved,
            format!("extension#{index}@{}", e.approved_on),
            &[
                ("approved_on", e.approved_on.to_string()),
                ("days", e.days.to_string()),
                ("rejected_days", rejected.rejected_days.to_string()),
                ("authority", e.authority.chinese().to_owned()),
            ],
            format!("{}批准的延期{}日不符合规定：{}", e.approved_on, e.days, rejected.reason),
            format!("extension of {} day(s) approved {} is not valid: {}", e.days, e.approved_on, rejected.reason),
        );
    }
}

fn delivery_late(c: &mut Context<'_>) -> Result<(), String> {
    let timeline = &c.case.timeline;
    let Some(due) = timeline.delivery_due(c.item, c.calendar).map_err(|e| e.to_string())? else {
        return Ok(());
    };
    let granted = timeline.concluded_on.unwrap_or(due);
    let late = match timeline.delivered_on {
        Some(delivered) => delivered > due,
        None => c.today > due,
    };
    if !late {
        return Ok(());
    }
    let end = timeline.delivered_on.unwrap_or(c.today);
    let over = c.calendar.working_days_between(due, end).map_err(|e| e.to_string())?;
    let (zh, en) = match timeline.delivered_on {
        Some(delivered) => (
            format!("{granted}准予许可，{delivered}才送达许可证件，超过十个工作日期限{over}个工作日（截止{due}）"),
            format!("granted {granted}, licence delivered {delivered}: {over} working day(s) after the due date {due}"),
        ),
        None => (
            format!("{granted}准予许可，逾期{over}个工作日仍未颁发送达许可证件（截止{due}）"),
            format!("granted {granted}, licence still not delivered {over} working day(s) after {due}"),
        ),
    };
    c.push(
        Rule::DeliveryLate,
        "delivery",
        &[
            ("granted_on", granted.to_string()),
            ("due_on", due.to_string()),
            ("delivered_on", timeline.delivered_on.map_or_else(|| "未送达".to_owned(), |d| d.to_string())),
            ("over_days", over.to_string()),
            ("unit", "个工作日".to_owned()),
        ],
        zh,
        en,
    );
    Ok(())
}

fn hearing_late(c: &mut Context<'_>) -> Result<(), String> {
    if c.item.statute != zhengwu_core::Statute::AdministrativeLicensing {
        return Ok(());
    }
    let mut found = Vec::new();
    for hearing in c.case.timeline.hearings() {
        let due = zhengwu_core::HEARING_LIMIT.due_from(hearing.from, c.calendar).map_err(|e| e.to_string())?;
        let late = match hearing.until {
            Some(held) => held > due,
            None => c.today > due,
        };
        if late {
            let end = hearing.until.unwrap_or(c.today);
            let over = c.calendar.working_days_between(due, end).map_err(|e| e.to_string())?;
            found.push((hearing.from, hearing.until, due, over));
        }
    }
    for (requested, held, due, over) in found {
        let (zh, en) = match held {
            Some(held) => (
                format!("{requested}申请听证，{held}才举行，超过二十个工作日期限{over}个工作日（截止{due}）"),
                format!("hearing requested {requested}, held {held}: {over} working day(s) after {due}"),
            ),
            None => (
                format!("{requested}申请听证，逾期{over}个工作日仍未举行（截止{due}）"),
                format!("hearing requested {requested} still not held {over} working day(s) after {due}"),
            ),
        };
        c.push(
            Rule::HearingLate,
            format!("hearing@{requested}"),
            &[
                ("requested_on", requested.to_string()),
                ("due_on", due.to_string()),
                ("over_days", over.to_string()),
                ("unit", "个工作日".to_owned()),
            ],
            zh,
            en,
        );
    }
    Ok(())
}

fn hearing_notice_late(c: &mut Context<'_>) -> Result<(), String> {
    if c.item.statute != zhengwu_core::Statute::AdministrativeLicensing {
        return Ok(());
    }
    let mut found = Vec::new();
    for notice in &c.case.timeline.hearing_notices {
        let lead = c.calendar.working_days_between(notice.noticed_on, notice.hearing_on).map_err(|e| e.to_string())?;
        if lead < i64::from(zhengwu_core::HEARING_NOTICE_LEAD) {
            found.push((*notice, lead));
        }
    }
    for (notice, lead) in found {
        let (noticed, hearing) = (notice.noticed_on, notice.hearing_on);
        c.push(
            Rule::HearingNoticeLate,
            format!("notice@{noticed}"),
            &[
                ("noticed_on", noticed.to_string()),
                ("hearing_on", hearing.to_string()),
                ("lead_days", lead.to_string()),
                ("unit", "个工作日".to_owned()),
            ],
            format!("{noticed}通知{hearing}举行听证，仅提前{lead}个工作日，不足七日"),
            format!("hearing on {hearing} notified {noticed}: {lead} working day(s) ahead, fewer than 7"),
        );
    }
    Ok(())
}

fn renewal_deemed(c: &mut Context<'_>) {
    let timeline = &c.case.timeline;
    let Some(expires) = timeline.renewal_expires_on else { return };
    if c.item.statute != zhengwu_core::Statute::AdministrativeLicensing || timeline.ended_at_intake() {
        return;
    }
    let deemed = match timeline.concluded_on {
        Some(decided) => decided > expires,
        None => c.today > expires,
    };
    if deemed {
        let decided = timeline.concluded_on.map_or_else(|| "未作决定".to_owned(), |d| d.to_string());
        c.push(
            Rule::RenewalDeemed,
            "renewal",
            &[("expires_on", expires.to_string()), ("decided_on", decided.clone())],
            format!("许可有效期{expires}届满前未作出是否准予延续的决定（决定：{decided}），视为准予延续"),
            format!("renewal not decided by the licence's last day {expires} (decided: {decided}): deemed granted"),
        );
    }
}

fn objection_late(c: &mut Context<'_>) -> Result<(), String> {
    let timeline = &c.case.timeline;
    let (Some(received), Some(objected)) = (timeline.received_on, timeline.objected_on) else { return Ok(()) };
    let due = zhengwu_core::OBJECTION_LIMIT.due_from(received, c.calendar).map_err(|e| e.to_string())?;
    if objected > due {
        c.push(
            Rule::ObjectionLate,
            "late",
            &[
                ("received_on", received.to_string()),
                ("objected_on", objected.to_string()),
                ("due_on", due.to_string()),
            ],
            format!("{received}收到交办事项，{objected}才提出异议，超过五个工作日（截止{due}）"),
            format!("matter received {received}, objection raised {objected}, after the due date {due}"),
        );
    }
    if blank(&c.case.objection_reason) {
        c.push(
            Rule::ObjectionLate,
            "no_reason",
            &[("objected_on", objected.to_string())],
            "交办异议未说明理由".to_owned(),
            "matter handed back without reasons".to_owned(),
        );
    }
    Ok(())
}

/// Whether a case's findings can no longer change with time: it is closed, and no statutory
/// period still runs after its conclusion (Art. 44's delivery of a granted licence, a 差评's
/// follow-up, a 不满意 proposal's re-handling).
pub(crate) fn time_invariant(case: &CaseState, item: &ServiceItem, calendar: &Calendar, today: NaiveDate) -> bool {
    if !case.is_closed() || !rating::settled(case, item.statute, calendar, today) {
        return false;
    }
    let timeline = &case.timeline;
    match timeline.delivery_due(item, calendar) {
        Ok(Some(due)) => timeline.delivered_on.is_some() || today > due,
        Ok(None) => true,
        // The rule reports the calendar's error; evaluate again next time.
        Err(_) => false,
    }
}
