//! A year of the city's cases through the workflow engine, into the store, under supervision.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use zhengwu_core::{
    Actor, Calendar, CaseEvent, CaseId, Catalogue, Channel, CreditMeasure, DepartmentId, ItemKind, OfficialDocument,
    Role, ServiceItem, SpecialProcedureKind,
};
use zhengwu_store::SqliteStore;
use zhengwu_supervision::{SupervisionConfig, Supervisor};
use zhengwu_workflow::{Case, CaseStatus, Command, Context, Exchange, ExchangeSummary, Recipient, RecipientRole};

use crate::city::{BACKDATING, City, LATE_DELIVERY, OVERCHARGING, REPEATED_SUPPLEMENT, SLOW};
use crate::error::{Error, Result};
use crate::rng::Rng;

/// How many cases go to the store in one transaction (group commit).
const BATCH: usize = 400;

/// What a demo run produced.
#[derive(Debug)]
pub struct DemoRun {
    /// The supervisor after ingesting every event and evaluating at year end.
    pub supervisor: Supervisor,
    /// The instant of the evaluation (the last working day of the year, 18:00).
    pub as_of: DateTime<FixedOffset>,
    /// Cases simulated.
    pub cases: u64,
    /// Events written to the store.
    pub events: u64,
    /// The 公文 notice's exchange as its sender sees it at year end.
    pub exchange: ExchangeSummary,
}

fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

fn instant(day: NaiveDate, minutes_after_nine: u32) -> DateTime<FixedOffset> {
    let time = NaiveTime::from_hms_opt(9, 0, 0).expect("valid time")
        + chrono::Duration::minutes(i64::from(minutes_after_nine.min(8 * 60)));
    china().from_local_datetime(&day.and_time(time)).single().expect("UTC+8 has no gaps")
}

struct Simulator<'a> {
    city: &'a City,
    calendar: &'a Calendar,
    year_end: NaiveDate,
    rng: Rng,
}

impl Simulator<'_> {
    fn context(&self, department: &DepartmentId, suffix: &str, role: Role, at: DateTime<FixedOffset>) -> Context {
        Context {
            actor: Actor { id: format!("{department}-{suffix}1").as_str().into(), name: None, role: Some(role) },
            department: department.clone(),
            at,
        }
    }

    /// The working day `days` after `from`, at a random time of the working day.
    fn later(&mut self, from: DateTime<FixedOffset>, days: u32) -> Result<DateTime<FixedOffset>> {
        let day = self.calendar.add_working_days(zhengwu_core::china_day(from), days)?;
        let at = instant(day, self.rng.below(420) as u32);
        Ok(if at <= from { from + chrono::Duration::minutes(5) } else { at })
    }

    /// One case from receipt to conclusion (or to year end).
    fn case(&mut self, number: u64, item: &ServiceItem, day: NaiveDate) -> Result<Vec<CaseEvent>> {
        let department = item.department.clone();
        let slow = SLOW.contains(&department.as_str());
        let process = self.city.processes[item.code.as_str()].clone();
        let towns = &self.city.towns;
        let region = towns[self.rng.below(towns.len() as u64) as usize].clone();
        let case_id = CaseId::new(format!("KM{}-{number:06}", day.year()));
        let mut case = Case::new(process, case_id, item.code.clone(), department.clone(), region);
        let mut at = instant(day, self.rng.below(400) as u32);
        let channel = if self.rng.below(100) < 70 { Channel::Online } else { Channel::Window };
        let clerk = |s: &Self, at| s.context(&department, "w", Role::WindowClerk, at);
        case.execute(
            Command::Receive { channel, materials: vec!["M01".into(), "M02".into()], data: Default::default() },
            &clerk(self, at),
        )?;

        // 联合奖惩: the applicant's standing changes the handling.
        let applicant = &self.city.applicants[self.rng.below(self.city.applicants.len() as u64) as usize];
        let measures = zhengwu_credit::measures(&applicant.standing, false);
        let mut pace = if slow { 1.8 } else { 0.7 };
        if !measures.is_empty() {
            at += chrono::Duration::minutes(2);
            case.execute(
                Command::ApplyCreditMeasures {
                    applicant: applicant.code.as_str().to_owned(),
                    grade: applicant.standing.grade.clone(),
                    measures: measures.clone(),
                },
                &clerk(self, at),
            )?;
            if measures.contains(&CreditMeasure::GreenChannel) {
                pace *= 0.5;
            }
            if measures.contains(&CreditMeasure::StrictReview) {
                pace *= 1.4;
            }
        }

        // 不予受理 (1.5 %) and 补正 (8 %; 35 % with two rounds in the departments that repeat it).
        if self.rng.below(1000) < 15 {
            at += chrono::Duration::minutes(20);
            case.execute(Command::RefuseAtIntake { reason: "不属于本机关职权范围".into() }, &clerk(self, at))?;
            return Ok(case.events().to_vec());
        }
        let repeats = REPEATED_SUPPLEMENT.contains(&department.as_str());
        let rounds = match self.rng.below(100) {
            n if repeats && n < 35 => 2,
            n if n < 8 => 1,
            _ => 0,
        };
        for _ in 0..rounds {
            at += chrono::Duration::minutes(15);
            case.execute(Command::RequestSupplement { items: vec!["M03".into()] }, &clerk(self, at))?;
            let wait = 1 + self.rng.below(3) as u32;
            at = self.later(at, wait)?;
            case.execute(Command::ReceiveSupplement { items: vec!["M03".into()] }, &clerk(self, at))?;
        }
        at += chrono::Duration::minutes(10);
        case.execute(Command::Accept, &clerk(self, at))?;

        if let Some(fee) = item.fees.first() {
            let over = OVERCHARGING.contains(&department.as_str()) && self.rng.below(100) < 30;
            let amount = if over { fee.standard.fen * 5 / 4 } else { fee.standard.fen };
            case.execute(Command::ChargeFee { fee_code: fee.code.clone(), amount_fen: amount }, &clerk(self, at))?;
        }
        if self.rng.below(1000) < 5 {
            at = self.later(at, 1)?;
            case.execute(Command::Withdraw { reason: Some("申请人撤回申请".into()) }, &clerk(self, at))?;
            return Ok(case.events().to_vec());
        }

        let budget = f64::from(item.promised_limit.days);
        let special = item.kind != ItemKind::Immediate && self.rng.below(100) < 2;
        let extension = slow && item.kind != ItemKind::Immediate && self.rng.below(100) < 8;
        let mut steps = 0;
        while case.status() == CaseStatus::Running {
            let Some(step) = case.open_tasks().first().map(|t| t.step.to_string()) else {
                break;
            };
            let task_department = match case.process().node(&step).map(|node| &node.kind) {
                Some(zhengwu_workflow::NodeKind::Task { department, .. }) => department.clone(),
                _ => None,
            };
            let days = if item.kind == ItemKind::Immediate {
                0
            } else {
                let share = 0.1 + self.rng.unit() * 0.35;
                (budget * share * pace).round() as u32
            };
            at = if days == 0 { at + chrono::Duration::minutes(30) } else { self.later(at, days)? };
            if zhengwu_core::china_day(at) > self.year_end {
                break;
            }
            if steps == 1 && special {
                case.execute(
                    Command::StartSpecialProcedure { procedure: SpecialProcedureKind::ExpertReview },
                    &self.context(&department, "h", Role::Handler, at),
                )?;
                at = self.later(at, 5)?;
                case.execute(Command::EndSpecialProcedure, &self.context(&department, "h", Role::Handler, at))?;
            }
            if steps == 1 && extension {
                case.execute(
                    Command::ApproveExtension { days: 10, reason: Some("情况复杂，需延长审查期限".into()) },
                    &self.context(&department, "d", Role::DepartmentHead, at),
                )?;
            }
            let (suffix, role) = match step.as_str() {
                "decide" => ("w", Role::WindowClerk),
                "approve" => ("a", Role::Approver),
                _ => ("h", Role::Handler),
            };
            let acting = task_department.unwrap_or_else(|| department.clone());
            // The deciding step records the 决定书文号 the conclusion carries.
            let mut data = serde_json::Map::new();
            if matches!(step.as_str(), "decide" | "approve" | "conclude") {
                data.insert("document_number".into(), format!("昆{department}许〔{}〕{number}号", at.year()).into());
            }
            case.execute(
                Command::Complete { step, opinion: Some("同意".into()), data },
                &self.context(&acting, suffix, role, at),
            )?;
            steps += 1;
        }
        // 送达 (行政许可法 Art. 44: within 10 working days of 准予许可); the slow issuers take 12 in
        // a fifth of their cases.
        if matches!(case.status(), CaseStatus::Concluded(zhengwu_core::Decision::Granted)) {
            let late = LATE_DELIVERY.contains(&department.as_str()) && self.rng.below(100) < 20;
            let days = if late { 12 } else { self.rng.below(3) as u32 };
            let delivered = if days == 0 { at + chrono::Duration::minutes(20) } else { self.later(at, days)? };
            if zhengwu_core::china_day(delivered) <= self.year_end {
                let method = if channel == Channel::Online { "电子证照" } else { "窗口领取" };
                case.execute(Command::DeliverResult { method: Some(method.to_owned()) }, &clerk(self, delivered))?;
            }
        }
        let mut events = case.events().to_vec();
        // 补录: a quarter of the backdating departments' conclusions are entered six days late.
        if BACKDATING.contains(&department.as_str()) && self.rng.below(100) < 25 {
            for event in events.iter_mut().rev().take(2) {
                event.recorded_at = event.occurred_at + chrono::Duration::days(6);
            }
        }
        // 好差评 after the conclusion.
        crate::apps::rate(&mut self.rng, self.calendar, self.year_end, &mut events, slow)?;
        Ok(events)
    }

    /// The 公文 notice to 140 units in March, with its receipts.
    fn notice(&mut self) -> Result<Exchange> {
        let year = self.year_end.year();
        let document = OfficialDocument::from_json(&format!(
            r#"{{"id": "KM-{year}-GW-0012", "doc_type": "通知", "direction": "downward", "urgency": "加急",
                "issuer_mark": "昆明市人民政府文件", "number": "昆政发〔{year}〕12号",
                "title": "昆明市人民政府关于进一步优化营商环境的通知",
                "main_recipients": [{{"name": "各县（市、区）人民政府", "relation": "subordinate"}},
                                    {{"name": "市级各部门", "relation": "subordinate"}}],
                "body": "……", "issuer_signature": ["昆明市人民政府"], "date": "{year}年3月3日",
                "seals": ["昆明市人民政府"]}}"#
        ))?;
        let recipients: Vec<Recipient> = self
            .city
            .units
            .iter()
            .take(140)
            .enumerate()
            .map(|(index, (unit, region))| Recipient {
                unit: unit.clone(),
                region: region.clone(),
                role: if index < 100 { RecipientRole::Main } else { RecipientRole::Copy },
            })
            .collect();
        let sent_on = self.calendar.next_workday_on_or_after(NaiveDate::from_ymd_opt(year, 3, 3).expect("valid"))?;
        let sent = instant(sent_on, 60);
        let clerk = Actor { id: "bgt-j1".into(), name: None, role: Some(Role::DocumentClerk) };
        let mut exchange = Exchange::send(
            &document,
            "bgt".into(),
            clerk.clone(),
            recipients.clone(),
            sent,
            self.calendar,
            &self.city.exchange_policy,
        )?;
        for recipient in &recipients {
            let by = format!("{}-j1", recipient.unit);
            let roll = self.rng.below(100);
            let signed = match roll {
                0..=1 => None,
                2..=3 => {
                    let at = self.later(sent, 0)?;
                    exchange.return_document(&recipient.unit, by.as_str().into(), "主送机关有误", at)?;
                    let again = self.later(at, 1)?;
                    exchange.resend(&recipient.unit, clerk.clone(), again)?;
                    Some(self.later(again, 1)?)
                }
                4..=11 => {
                    let days = 2 + self.rng.below(3) as u32;
                    Some(self.later(sent, days)?)
                }
                _ => {
                    let days = self.rng.below(2) as u32;
                    Some(self.later(sent, days)?)
                }
            };
            if let Some(at) = signed {
                exchange.sign_for(&recipient.unit, by.as_str().into(), at)?;
                let days = self.rng.below(2) as u32;
                let back = self.later(at, days)?;
                exchange.acknowledge(&recipient.unit, by.as_str().into(), back)?;
            }
        }
        let urge_day = self.calendar.add_working_days(sent_on, 3)?;
        exchange.urge_overdue(&clerk, instant(urge_day, 0));
        Ok(exchange)
    }
}

/// Runs the year: `cases` cases spread over the year's working days, the notice, every event into
/// `store` in group commits, then supervision at year end. `progress(done, total)` is called as
/// cases are written.
pub(crate) fn run(
    city: &City,
    calendar: &Calendar,
    year: i32,
    cases: u64,
    seed: u64,
    store: &mut SqliteStore,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<DemoRun> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(Error::Year(year))?;
    let last = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(Error::Year(year))?;
    let mut workdays = Vec::new();
    let mut day = calendar.next_workday_on_or_after(first)?;
    while day <= last {
        workdays.push(day);
        day = calendar.add_working_days(day, 1)?;
    }
    let year_end = *workdays.last().ok_or(Error::Year(year))?;
    let mut simulator = Simulator { city, calendar, year_end, rng: Rng::new(seed ^ 0x5eed_c17e) };
    // Popular items: a few items take most cases (a Zipf-like weight).
    let items: Vec<&ServiceItem> =
        city.catalogue.items.iter().filter(|i| city.processes.contains_key(i.code.as_str())).collect();
    let weights: Vec<u64> = (0..items.len() as u64).map(|i| 1 + 4000 / (i + 8)).collect();
    let total_weight: u64 = weights.iter().sum();

    let catalogue = Catalogue::new(
        city.catalogue.clone(),
        &city.organization.departments().map(|d| d.id.clone()).collect::<Vec<_>>(),
    )?;
    let mut supervisor = Supervisor::new(calendar.clone(), catalogue, SupervisionConfig::default());
    let mut batch: Vec<CaseEvent> = Vec::new();
    let mut expected: Vec<(CaseId, u64)> = Vec::new();
    let mut written = 0u64;
    let mut flush = |batch: &mut Vec<CaseEvent>, expected: &mut Vec<(CaseId, u64)>, supervisor: &mut Supervisor| {
        let result = store.append(batch, expected);
        for event in batch.drain(..) {
            supervisor.ingest(event);
        }
        expected.clear();
        result.map(|appended| appended.written as u64)
    };
    for number in 0..cases {
        let day = workdays[(number * workdays.len() as u64 / cases.max(1)) as usize];
        let mut pick = simulator.rng.below(total_weight);
        let mut index = 0;
        while pick >= weights[index] {
            pick -= weights[index];
            index += 1;
        }
        let events = simulator.case(number + 1, items[index], day)?;
        if let Some(first) = events.first() {
            expected.push((first.case_id.clone(), 0));
        }
        batch.extend(events);
        if expected.len() == BATCH {
            written += flush(&mut batch, &mut expected, &mut supervisor)?;
            progress(number + 1, cases);
        }
    }
    let exchange = simulator.notice()?;
    let mut seen = std::collections::BTreeSet::new();
    for event in exchange.events() {
        if seen.insert(event.case_id.clone()) {
            expected.push((event.case_id.clone(), 0));
        }
    }
    batch.extend(exchange.events().iter().cloned());
    let city_region = zhengwu_core::RegionCode::new("530100").expect("a valid region code");
    for events in crate::apps::simulate(&mut simulator.rng, calendar, year, year_end, cases, &city_region)? {
        if let Some(first) = events.first() {
            expected.push((first.case_id.clone(), 0));
        }
        batch.extend(events);
    }
    written += flush(&mut batch, &mut expected, &mut supervisor)?;
    progress(cases, cases);

    let as_of = instant(year_end, 9 * 60);
    supervisor.evaluate(as_of);
    Ok(DemoRun { supervisor, as_of, cases, events: written, exchange: exchange.summary(as_of) })
}
