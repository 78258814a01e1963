//! 公文交换: one document sent to many units in one call, each recipient with its own state
//! (待签收 → 签收 or 退回 → 回执), 催办 when a recipient has not signed for it within the window its
//! 紧急程度 sets, and every step written as a case event so that supervision watches receipt
//! timeliness the way it watches approval deadlines.
//!
//! Each recipient's delivery is one supervision case (`{document}/{unit}`, `/{unit}#2` after a
//! re-send): 送达 is `received`, 签收 `accepted`, 退回 `refused_at_intake` (with the reason), 催办
//! `task_urged`, and 回执 `concluded` (decision `granted`, with the 发文字号). The catalogue items
//! the events name come from [`ExchangePolicy::catalogue_items`], so the windows the exchange
//! urges on and the ones supervision checks are the same numbers.

use chrono::{DateTime, FixedOffset, NaiveDate};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use zhengwu_core::{
    Actor, Calendar, CaseEvent, Channel, Decision, DepartmentId, EventKind, HandlingRegime, ItemCode, ItemKind,
    OfficialDocument, OfficialId, RegionCode, SCHEMA_VERSION, ServiceItem, Severity, TimeLimit, Urgency,
};

use crate::error::{Error, Result};

/// The windows of one 紧急程度: 签收 and 回执, in working days after the day of arrival (0: the same
/// day), and the supervision item its deliveries are filed under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrgencyWindow {
    /// 签收时限: working days after arrival (0: the day it arrives).
    pub sign_for_within: u32,
    /// 回执时限: working days after arrival.
    pub receipt_within: u32,
    /// The 事项编码 of the receipt cases (`GW-TJ`).
    pub item_code: ItemCode,
}

/// 交换规则: the windows per 紧急程度 and the office that owns the receipt items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangePolicy {
    /// The unit the receipt items are filed under (the government's general office).
    pub office: DepartmentId,
    /// 特提 (telegrams).
    pub flash: UrgencyWindow,
    /// 特急.
    pub extra_urgent: UrgencyWindow,
    /// 加急.
    pub urgent: UrgencyWindow,
    /// 平急 (telegrams).
    pub expedited: UrgencyWindow,
    /// 平件.
    pub normal: UrgencyWindow,
}

impl Default for ExchangePolicy {
    /// 特提 and 特急 signed for the same day, 加急 and 平急 within one working day, 平件 within three;
    /// 回执 one, one, two, two and five working days after arrival.
    fn default() -> Self {
        let window = |sign_for_within, receipt_within, code: &str| UrgencyWindow {
            sign_for_within,
            receipt_within,
            item_code: ItemCode::new(code),
        };
        ExchangePolicy {
            office: DepartmentId::new("bgt"),
            flash: window(0, 1, "GW-TT"),
            extra_urgent: window(0, 1, "GW-TJ"),
            urgent: window(1, 2, "GW-JJ"),
            expedited: window(1, 2, "GW-PJ"),
            normal: window(3, 5, "GW-PT"),
        }
    }
}

impl ExchangePolicy {
    /// The window of a 紧急程度.
    pub fn window(&self, urgency: Urgency) -> &UrgencyWindow {
        match urgency {
            Urgency::Flash => &self.flash,
            Urgency::ExtraUrgent => &self.extra_urgent,
            Urgency::Urgent => &self.urgent,
            Urgency::Expedited => &self.expedited,
            Urgency::Normal => &self.normal,
        }
    }

    /// The catalogue items supervision needs for receipt cases, one per 紧急程度: 受理 (签收) within
    /// the 签收 window, 办结 (回执) within the 回执 window, no extension.
    pub fn catalogue_items(&self) -> Vec<ServiceItem> {
        [Urgency::Flash, Urgency::ExtraUrgent, Urgency::Urgent, Urgency::Expedited, Urgency::Normal]
            .into_iter()
            .map(|urgency| {
                let window = self.window(urgency);
                ServiceItem {
                    code: window.item_code.clone(),
                    name: format!("{}公文收文签收", urgency.chinese()),
                    department: self.office.clone(),
                    kind: ItemKind::Promised,
                    legal_limit: TimeLimit::working_days(window.receipt_within),
                    promised_limit: TimeLimit::working_days(window.receipt_within),
                    legal_basis: Some("《党政机关公文处理工作条例》第二十四条".to_owned()),
                    fees: Vec::new(),
                    materials: Vec::new(),
                    special_procedures: Vec::new(),
                    steps: Vec::new(),
                    regime: Some(HandlingRegime::Custom {
                        max_extension_days: 0,
                        authority: zhengwu_core::Authority::GovernmentHead,
                    }),
                    acceptance_limit: Some(TimeLimit::working_days(window.sign_for_within)),
                    statute: zhengwu_core::Statute::Other,
                    clock_start: zhengwu_core::ClockStart::Acceptance,
                }
            })
            .collect()
    }
}

/// 主送 or 抄送.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientRole {
    /// 主送机关.
    Main,
    /// 抄送机关.
    Copy,
}

/// A unit a document goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    /// The unit (its 部门编码).
    pub unit: DepartmentId,
    /// Its region, for roll-ups of receipt timeliness.
    pub region: RegionCode,
    /// 主送 or 抄送.
    pub role: RecipientRole,
}

/// Where one recipient's copy stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// 待签收: sent, not yet signed for.
    Sent,
    /// 已签收.
    SignedFor,
    /// 已退回 (退文), with a reason.
    Returned,
    /// 已回执: the receipt is back with the sender.
    Acknowledged,
}

impl DeliveryState {
    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            DeliveryState::Sent => "待签收",
            DeliveryState::SignedFor => "已签收",
            DeliveryState::Returned => "已退回",
            DeliveryState::Acknowledged => "已回执",
        }
    }
}

/// One recipient's delivery as the sender sees it (送文单).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    /// The recipient.
    pub recipient: Recipient,
    /// 1 for the first sending, 2 after one re-send, ...
    pub round: u32,
    /// The state.
    pub state: DeliveryState,
    /// When this round was sent.
    pub sent_at: DateTime<FixedOffset>,
    /// The last day to sign for it.
    pub sign_for_due: NaiveDate,
    /// The last day for the 回执.
    pub receipt_due: NaiveDate,
    /// 签收: when and by whom.
    pub signed_for: Option<(DateTime<FixedOffset>, OfficialId)>,
    /// 退回: when, by whom, why.
    pub returned: Option<(DateTime<FixedOffset>, OfficialId, String)>,
    /// 回执: when.
    pub acknowledged_at: Option<DateTime<FixedOffset>>,
    /// 催办: when each reminder went out.
    pub urged: Vec<DateTime<FixedOffset>>,
    #[serde(skip)]
    sequence: u64,
    #[serde(skip)]
    last_at: DateTime<FixedOffset>,
}

impl Delivery {
    /// The supervision case id of this round.
    pub fn case_id(&self, document: &str) -> String {
        if self.round == 1 {
            format!("{document}/{}", self.recipient.unit)
        } else {
            format!("{document}/{}#{}", self.recipient.unit, self.round)
        }
    }
}

/// The sender's summary: how many recipients stand where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ExchangeSummary {
    /// Recipients the document went to.
    pub recipients: usize,
    /// Not yet signed for.
    pub waiting: usize,
    /// Signed for, receipt not yet back.
    pub signed_for: usize,
    /// Returned (退回) and not yet sent again.
    pub returned: usize,
    /// Receipt back.
    pub acknowledged: usize,
    /// Not signed for and past the window, as of the instant asked.
    pub overdue: usize,
}

/// 公文交换: one document sent to its recipients, with every recipient's state and the case
/// events that record it.
///
/// ```
/// use zhengwu_core::{Actor, Calendar, OfficialDocument};
/// use zhengwu_workflow::{Exchange, ExchangePolicy, Recipient, RecipientRole, DeliveryState};
/// let document = OfficialDocument::from_json(include_str!("../../core/tests/data/documents/notice-ok.json"))?;
/// let recipients = (1..=3)
///     .map(|n| Recipient { unit: format!("unit{n}").as_str().into(), region: "530102".parse().unwrap(), role: RecipientRole::Main })
///     .collect();
/// let clerk = Actor { id: "jy01".into(), name: None, role: None };
/// let at = "2025-03-04T09:00:00+08:00".parse().unwrap();
/// let mut exchange = Exchange::send(&document, "bgt".into(), clerk, recipients, at, &Calendar::china(), &ExchangePolicy::default())?;
/// exchange.sign_for(&"unit1".into(), "sw01".into(), "2025-03-04T10:00:00+08:00".parse().unwrap())?;
/// assert_eq!(exchange.delivery(&"unit1".into()).unwrap().state, DeliveryState::SignedFor);
/// assert_eq!(exchange.summary(at).waiting, 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Exchange {
    document_id: String,
    number: Option<String>,
    urgency: Urgency,
    sender: DepartmentId,
    window: UrgencyWindow,
    deliveries: Vec<Delivery>,
    index: FxHashMap<DepartmentId, usize>,
    events: Vec<CaseEvent>,
    calendar: Calendar,
}

impl Exchange {
    /// 分发: sends `document` to every recipient in one call. The document must pass
    /// [`OfficialDocument::validate`] without errors (warnings are allowed): a document that
    /// breaks the 行文规则 is corrected before it is sent.
    pub fn send(
        document: &OfficialDocument,
        sender: DepartmentId,
        clerk: Actor,
        recipients: Vec<Recipient>,
        at: DateTime<FixedOffset>,
        calendar: &Calendar,
        policy: &ExchangePolicy,
    ) -> Result<Self> {
        let reject = |reason: String| Error::Exchange { document: document.id.clone(), reason };
        let errors: Vec<&str> =
            document.validate().into_iter().filter(|v| v.severity == Severity::Error).map(|v| v.code).collect();
        if !errors.is_empty() {
            return Err(reject(format!(
                "the document breaks the 行文规则 ({}); correct it before sending",
                errors.join(", ")
            )));
        }
        if recipients.is_empty() {
            return Err(reject("no recipients".to_owned()));
        }
        let urgency = document.urgency.unwrap_or(Urgency::Normal);
        let mut exchange = Exchange {
            document_id: document.id.clone(),
            number: document.number.clone(),
            urgency,
            sender,
            window: policy.window(urgency).clone(),
            deliveries: Vec::with_capacity(recipients.len()),
            index: FxHashMap::default(),
            events: Vec::with_capacity(recipients.len() * 3),
            calendar: calendar.clone(),
        };
        for recipient in recipients {
            if exchange.index.contains_key(&recipient.unit) {
                return Err(reject(format!("unit `{}` is listed twice", recipient.unit)));
            }
            exchange.index.insert(recipient.unit.clone(), exchange.deliveries.len());
            let delivery = exchange.new_round(recipient, 1, at)?;
            exchange.deliveries.push(delivery);
            let index = exchange.deliveries.len() - 1;
            exchange.record(
                index,
                at,
                clerk.clone(),
                EventKind::Received { channel: Channel::Online, materials: Vec::new() },
            );
        }
        Ok(exchange)
    }

    fn new_round(&self, recipient: Recipient, round: u32, at: DateTime<FixedOffset>) -> Result<Delivery> {
        let arrival = zhengwu_core::china_day(at);
        let sign_for_due = self.calendar.add_working_days(arrival, self.window.sign_for_within)?;
        let receipt_due = self.calendar.add_working_days(arrival, self.window.receipt_within)?;
        Ok(Delivery {
            recipient,
            round,
            state: DeliveryState::Sent,
            sent_at: at,
            sign_for_due,
            receipt_due,
            signed_for: None,
            returned: None,
            acknowledged_at: None,
            urged: Vec::new(),
            sequence: 0,
            last_at: at,
        })
    }

    fn record(&mut self, index: usize, at: DateTime<FixedOffset>, actor: Actor, kind: EventKind) {
        let delivery = &mut self.deliveries[index];
        delivery.sequence += 1;
        delivery.last_at = at;
        let case_id = delivery.case_id(&self.document_id);
        self.events.push(CaseEvent {
            schema: SCHEMA_VERSION,
            idempotency_key: CaseEvent::key(&case_id, delivery.sequence),
            case_id: case_id.as_str().into(),
            sequence: delivery.sequence,
            item_code: self.window.item_code.clone(),
            department: delivery.recipient.unit.clone(),
            region: delivery.recipient.region.clone(),
            occurred_at: at,
            recorded_at: at,
            actor,
            kind,
            signature: None,
        });
    }

    fn find(
        &self,
        unit: &DepartmentId,
        at: DateTime<FixedOffset>,
        expected: DeliveryState,
        action: &str,
    ) -> Result<usize> {
        let reject = |reason: String| Error::Exchange { document: self.document_id.clone(), reason };
        let index = *self.index.get(unit).ok_or_else(|| reject(format!("unit `{unit}` is not a recipient")))?;
        let delivery = &self.deliveries[index];
        if delivery.state != expected {
            return Err(reject(format!(
                "unit `{unit}` cannot {action}: its copy is {} ({})",
                delivery.state.chinese(),
                serde_json::to_value(delivery.state)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            )));
        }
        let last = delivery.last_at;
        if at < last {
            return Err(reject(format!("unit `{unit}`: {action} at {at} is before the copy's last step at {last}")));
        }
        Ok(index)
    }

    /// 签收: the recipient's clerk signs for the document.
    pub fn sign_for(&mut self, unit: &DepartmentId, by: OfficialId, at: DateTime<FixedOffset>) -> Result<&[CaseEvent]> {
        let index = self.find(unit, at, DeliveryState::Sent, "sign for the document")?;
        let start = self.events.len();
        self.deliveries[index].state = DeliveryState::SignedFor;
        self.deliveries[index].signed_for = Some((at, by.clone()));
        self.record(index, at, Actor { id: by, name: None, role: None }, EventKind::Accepted);
        Ok(&self.events[start..])
    }

    /// 退回 (退文): the recipient returns the document, with the reason 初审 found.
    pub fn return_document(
        &mut self,
        unit: &DepartmentId,
        by: OfficialId,
        reason: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<&[CaseEvent]> {
        if reason.trim().is_empty() {
            return Err(Error::Exchange {
                document: self.document_id.clone(),
                reason: format!("unit `{unit}`: a return must say why (退回应当说明理由)"),
            });
        }
        let index = self.find(unit, at, DeliveryState::Sent, "return the document")?;
        let start = self.events.len();
        self.deliveries[index].state = DeliveryState::Returned;
        self.deliveries[index].returned = Some((at, by.clone(), reason.to_owned()));
        self.record(
            index,
            at,
            Actor { id: by, name: None, role: None },
            EventKind::RefusedAtIntake { reason: Some(reason.to_owned()) },
        );
        Ok(&self.events[start..])
    }

    /// 回执: the recipient's receipt reaches the sender (after 签收).
    pub fn acknowledge(
        &mut self,
        unit: &DepartmentId,
        by: OfficialId,
        at: DateTime<FixedOffset>,
    ) -> Result<&[CaseEvent]> {
        let index = self.find(unit, at, DeliveryState::SignedFor, "send a receipt")?;
        let start = self.events.len();
        self.deliveries[index].state = DeliveryState::Acknowledged;
        self.deliveries[index].acknowledged_at = Some(at);
        let number = self.number.clone();
        self.record(
            index,
            at,
            Actor { id: by, name: None, role: None },
            EventKind::Concluded { decision: Decision::Granted, reason: None, document_number: number },
        );
        Ok(&self.events[start..])
    }

    /// 重新发送: after a 退回, the corrected document goes to the unit again as a new round (a new
    /// receipt case with its own windows).
    pub fn resend(&mut self, unit: &DepartmentId, clerk: Actor, at: DateTime<FixedOffset>) -> Result<&[CaseEvent]> {
        let index = self.find(unit, at, DeliveryState::Returned, "be sent the document again")?;
        let start = self.events.len();
        let previous = &self.deliveries[index];
        let delivery = self.new_round(previous.recipient.clone(), previous.round + 1, at)?;
        self.deliveries[index] = delivery;
        self.record(index, at, clerk, EventKind::Received { channel: Channel::Online, materials: Vec::new() });
        Ok(&self.events[start..])
    }

    /// The units that have not signed for the document and whose window has passed by `at`.
    pub fn overdue(&self, at: DateTime<FixedOffset>) -> Vec<&DepartmentId> {
        let today = zhengwu_core::china_day(at);
        self.deliveries
            .iter()
            .filter(|d| d.state == DeliveryState::Sent && today > d.sign_for_due)
            .map(|d| &d.recipient.unit)
            .collect()
    }

    /// 催办: one reminder to every overdue unit (at most one per unit per day); returns the events.
    pub fn urge_overdue(&mut self, clerk: &Actor, at: DateTime<FixedOffset>) -> &[CaseEvent] {
        let start = self.events.len();
        let today = zhengwu_core::china_day(at);
        let due: Vec<usize> = (0..self.deliveries.len())
            .filter(|&i| {
                let d = &self.deliveries[i];
                d.state == DeliveryState::Sent
                    && today > d.sign_for_due
                    && !d.urged.iter().any(|u| zhengwu_core::china_day(*u) == today)
                    && d.last_at <= at
            })
            .collect();
        for index in due {
            let note = format!(
                "{}公文《{}》应于{}前签收",
                self.urgency.chinese(),
                self.number.as_deref().unwrap_or(&self.document_id),
                self.deliveries[index].sign_for_due
            );
            self.deliveries[index].urged.push(at);
            self.record(
                index,
                at,
                clerk.clone(),
                EventKind::TaskUrged { step: "sign_for".to_owned(), note: Some(note) },
            );
        }
        &self.events[start..]
    }

    /// One recipient's delivery.
    pub fn delivery(&self, unit: &DepartmentId) -> Option<&Delivery> {
        self.index.get(unit).map(|&i| &self.deliveries[i])
    }

    /// Every delivery, in the order the recipients were given.
    pub fn deliveries(&self) -> &[Delivery] {
        &self.deliveries
    }

    /// The counts the sender's 送文单 shows, as of `at`.
    pub fn summary(&self, at: DateTime<FixedOffset>) -> ExchangeSummary {
        let mut summary = ExchangeSummary { recipients: self.deliveries.len(), ..ExchangeSummary::default() };
        for delivery in &self.deliveries {
            match delivery.state {
                DeliveryState::Sent => summary.waiting += 1,
                DeliveryState::SignedFor => summary.signed_for += 1,
                DeliveryState::Returned => summary.returned += 1,
                DeliveryState::Acknowledged => summary.acknowledged += 1,
            }
        }
        summary.overdue = self.overdue(at).len();
        summary
    }

    /// Every event recorded so far, in order: what a store appends and supervision ingests.
    pub fn events(&self) -> &[CaseEvent] {
        &self.events
    }

    /// The sending unit.
    pub fn sender(&self) -> &DepartmentId {
        &self.sender
    }

    /// The document's 紧急程度 (平件 when unmarked).
    pub fn urgency(&self) -> Urgency {
        self.urgency
    }
}
