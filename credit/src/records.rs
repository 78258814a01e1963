//! 信用记录: permits and penalties (双公示), honours, 经营异常名录, red and black lists; publication
//! periods and credit repair (信用修复); the scoring model and the measures approvals apply.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use zhengwu_core::Calendar;

use crate::codes::CreditCode;
use crate::error::{Error, Result};

/// What a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecordKind {
    /// 行政许可.
    Permit,
    /// 行政处罚; `serious` for 严重失信 (longer publication), `special_field` for 特种设备, 安全生产,
    /// 消防 (at least one year).
    Penalty {
        /// 严重失信行为.
        #[serde(default)]
        serious: bool,
        /// 特种设备 / 安全生产 / 消防.
        #[serde(default)]
        special_field: bool,
    },
    /// 荣誉表彰.
    Honour,
    /// 经营异常名录.
    AbnormalOperation,
    /// 红名单 (守信激励).
    RedList,
    /// 黑名单 (严重失信主体名单).
    BlackList,
}

/// 信用记录.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditRecord {
    /// Record id.
    pub id: String,
    /// The legal person.
    pub code: CreditCode,
    /// What it is.
    #[serde(flatten)]
    pub kind: RecordKind,
    /// 决定书文号.
    #[serde(default)]
    pub decision_number: String,
    /// 作出决定的机关.
    #[serde(default)]
    pub authority: String,
    /// 决定日期 (or listing date).
    pub decided_on: NaiveDate,
    /// 公示日期, once published.
    #[serde(default)]
    pub published_on: Option<NaiveDate>,
    /// For lists: removal or expiry; absent, the list entry stands until the rules end it.
    #[serde(default)]
    pub until: Option<NaiveDate>,
    /// 信用修复: the day publication ended early, with the reason.
    #[serde(default)]
    pub repaired: Option<(NaiveDate, String)>,
}

impl CreditRecord {
    /// The record's publication as case events for supervision (电子监察数据接口): a case per
    /// record, received and accepted on the decision day, concluded on the publication day. With
    /// a 双公示 catalogue item (7 working days), late publication raises supervision's deadline
    /// alerts like any late case.
    pub fn publication_events(
        &self,
        item: &zhengwu_core::ItemCode,
        department: &zhengwu_core::DepartmentId,
        region: &zhengwu_core::RegionCode,
        actor: &zhengwu_core::Actor,
    ) -> Vec<zhengwu_core::CaseEvent> {
        use zhengwu_core::{CaseEvent, Channel, Decision, EventKind, SCHEMA_VERSION};
        let at = |day: NaiveDate, hour: u32| {
            day.and_hms_opt(hour, 0, 0)
                .and_then(|t| t.and_local_timezone(zhengwu_core::china_offset()).single())
                .expect("a whole hour of a day is a valid time at a fixed offset")
        };
        let mut kinds = vec![
            (at(self.decided_on, 9), EventKind::Received { channel: Channel::Window, materials: Vec::new() }),
            (at(self.decided_on, 9), EventKind::Accepted),
        ];
        if let Some(published) = self.published_on {
            kinds.push((
                at(published, 17),
                EventKind::Concluded {
                    decision: Decision::Granted,
                    reason: None,
                    document_number: Some(self.decision_number.clone()),
                },
            ));
        }
        kinds
            .into_iter()
            .enumerate()
            .map(|(index, (when, kind))| {
                let sequence = index as u64 + 1;
                CaseEvent {
                    schema: SCHEMA_VERSION,
                    idempotency_key: CaseEvent::key(&format!("SGS-{}", self.id), sequence),
                    case_id: format!("SGS-{}", self.id).into(),
                    sequence,
                    item_code: item.clone(),
                    department: department.clone(),
                    region: region.clone(),
                    occurred_at: when,
                    recorded_at: when,
                    actor: actor.clone(),
                    kind,
                    signature: None,
                }
            })
            .collect()
    }
}

/// 双公示 timeliness of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Publication {
    /// Published by the deadline.
    OnTime {
        /// 公示日期.
        published_on: NaiveDate,
        /// The deadline (7 working days after the decision).
        due: NaiveDate,
    },
    /// Published after the deadline.
    Late {
        /// 公示日期.
        published_on: NaiveDate,
        /// The deadline.
        due: NaiveDate,
        /// Working days late.
        working_days_late: i64,
    },
    /// Not yet published, the deadline still ahead.
    Pending {
        /// The deadline.
        due: NaiveDate,
    },
    /// Not published and past the deadline.
    Overdue {
        /// The deadline.
        due: NaiveDate,
    },
}

/// Publication periods by category, in months (信用修复管理办法): the shortest a record stays
/// public before repair may end it, and the longest it stays public at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationRules {
    /// 7 working days after the decision (双公示).
    pub publish_within_working_days: u32,
    /// Penalties: (shortest, longest), default 3 and 36 months.
    pub penalty: (u32, u32),
    /// 特种设备 / 安全生产 / 消防 penalties: default 12 and 36 months.
    pub special_field_penalty: (u32, u32),
    /// Serious (严重失信) penalties: default 6 and 36 months.
    pub serious_penalty: (u32, u32),
    /// 经营异常名录: removable on request once the duty is met; after 36 months unremoved the
    /// entity goes to the black list.
    pub abnormal_to_black_list_months: u32,
}

impl Default for PublicationRules {
    fn default() -> Self {
        Self {
            publish_within_working_days: 7,
            penalty: (3, 36),
            special_field_penalty: (12, 36),
            serious_penalty: (6, 36),
            abnormal_to_black_list_months: 36,
        }
    }
}

/// The outcome of a credit-repair application: data, not an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RepairOutcome {
    /// Publication ends on the application day.
    Granted {
        /// The day publication ends.
        ends_on: NaiveDate,
    },
    /// Refused, with the reason.
    Refused {
        /// Why (in Chinese, for the applicant).
        reason: String,
    },
}

fn add_months(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

impl PublicationRules {
    fn periods(&self, kind: RecordKind) -> Option<(u32, u32)> {
        match kind {
            RecordKind::Penalty { serious: true, .. } => Some(self.serious_penalty),
            RecordKind::Penalty { special_field: true, .. } => Some(self.special_field_penalty),
            RecordKind::Penalty { .. } => Some(self.penalty),
            _ => None,
        }
    }

    /// 双公示 status of a permit or penalty as of `today`.
    pub fn publication(&self, calendar: &Calendar, record: &CreditRecord, today: NaiveDate) -> Result<Publication> {
        let due = calendar
            .add_working_days(record.decided_on, self.publish_within_working_days)
            .map_err(|e| Error::Record(e.to_string()))?;
        Ok(match record.published_on {
            Some(published_on) if published_on <= due => Publication::OnTime { published_on, due },
            Some(published_on) => Publication::Late {
                published_on,
                due,
                working_days_late: calendar
                    .working_days_between(due, published_on)
                    .map_err(|e| Error::Record(e.to_string()))?,
            },
            None if today <= due => Publication::Pending { due },
            None => Publication::Overdue { due },
        })
    }

    /// Whether a record is public (publication started, not ended by repair or the longest
    /// period) on `day`.
    pub fn is_public(&self, record: &CreditRecord, day: NaiveDate) -> bool {
        let Some(published) = record.published_on else { return false };
        if day < published {
            return false;
        }
        if let Some((ended, _)) = &record.repaired
            && day >= *ended
        {
            return false;
        }
        match self.periods(record.kind) {
            Some((_, longest)) => day < add_months(record.decided_on, longest),
            None => record.until.is_none_or(|until| day < until),
        }
    }

    /// 信用修复: an application on `applied_on` to end a penalty's publication early. Granted once
    /// the shortest period (counted from the decision) has passed and the record is still public.
    pub fn repair(&self, record: &CreditRecord, applied_on: NaiveDate, reason: &str) -> RepairOutcome {
        let Some((shortest, _)) = self.periods(record.kind) else {
            return RepairOutcome::Refused { reason: "只有行政处罚信息可申请提前终止公示".to_owned() };
        };
        if reason.trim().is_empty() {
            return RepairOutcome::Refused {
                reason: "信用修复申请须说明已纠正失信行为的情况".to_owned()
            };
        }
        if !self.is_public(record, applied_on) {
            return RepairOutcome::Refused { reason: format!("{applied_on}该信息不在公示期内") };
        }
        let earliest = add_months(record.decided_on, shortest);
        if applied_on < earliest {
            return RepairOutcome::Refused {
                reason: format!("最短公示期{shortest}个月，{earliest}前不得申请提前终止公示"),
            };
        }
        RepairOutcome::Granted { ends_on: applied_on }
    }
}

/// 信用状况: where a legal person stands on a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standing {
    /// On the red list.
    pub red_list: bool,
    /// On the black list.
    pub black_list: bool,
    /// In the 经营异常名录.
    pub abnormal: bool,
    /// Penalties in publication.
    pub public_penalties: usize,
    /// Of which serious.
    pub serious_penalties: usize,
    /// Honours in force.
    pub honours: usize,
    /// The score.
    pub score: f64,
    /// The grade.
    pub grade: String,
    /// What moved the score, in Chinese.
    pub explanation: Vec<String>,
}

/// 评分模型: a base score, deductions and bonuses per kind of record in force, and the grades.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoringModel {
    /// Starting score.
    pub base: f64,
    /// Per penalty in publication.
    pub penalty: f64,
    /// Per serious penalty in publication (instead of `penalty`).
    pub serious_penalty: f64,
    /// Most deducted for penalties.
    pub penalty_cap: f64,
    /// While in the 经营异常名录.
    pub abnormal: f64,
    /// Per honour in force.
    pub honour: f64,
    /// Most added for honours.
    pub honour_cap: f64,
    /// While on the red list.
    pub red_list: f64,
    /// Grades from best to worst with their lowest score; the black list gives the last grade.
    pub grades: Vec<(String, f64)>,
}

impl Default for ScoringModel {
    fn default() -> Self {
        Self {
            base: 80.0,
            penalty: 5.0,
            serious_penalty: 20.0,
            penalty_cap: 40.0,
            abnormal: 15.0,
            honour: 3.0,
            honour_cap: 9.0,
            red_list: 10.0,
            grades: vec![("A".into(), 90.0), ("B".into(), 75.0), ("C".into(), 60.0), ("D".into(), f64::NEG_INFINITY)],
        }
    }
}

impl ScoringModel {
    /// Checks that grades are listed best first.
    pub fn validate(&self) -> Result<()> {
        if self.grades.is_empty() {
            return Err(Error::Config("no grades".to_owned()));
        }
        if self.grades.windows(2).any(|w| w[0].1 < w[1].1) {
            return Err(Error::Config("grades must be listed from the highest threshold down".to_owned()));
        }
        Ok(())
    }

    /// The standing of `code` on `day` from its records.
    pub fn standing<'a>(
        &self,
        rules: &PublicationRules,
        code: &CreditCode,
        records: impl IntoIterator<Item = &'a CreditRecord>,
        day: NaiveDate,
    ) -> Standing {
        let mut standing = Standing {
            red_list: false,
            black_list: false,
            abnormal: false,
            public_penalties: 0,
            serious_penalties: 0,
            honours: 0,
            score: self.base,
            grade: String::new(),
            explanation: vec![format!("基础分{}", self.base)],
        };
        let in_force = |record: &CreditRecord| {
            record.decided_on <= day
                && record.until.is_none_or(|until| day < until)
                && record.repaired.as_ref().is_none_or(|(ended, _)| day < *ended)
        };
        let mut penalty_points = 0.0;
        let mut honour_points = 0.0;
        for record in records.into_iter().filter(|r| &r.code == code) {
            match record.kind {
                RecordKind::Penalty { serious, .. } if rules.is_public(record, day) => {
                    standing.public_penalties += 1;
                    if serious {
                        standing.serious_penalties += 1;
                        penalty_points += self.serious_penalty;
                    } else {
                        penalty_points += self.penalty;
                    }
                }
                RecordKind::Honour if in_force(record) => {
                    standing.honours += 1;
                    honour_points += self.honour;
                }
                RecordKind::AbnormalOperation if in_force(record) => {
                    standing.abnormal = true;
                    // Still listed after the allowed years: 严重违法失信 (black list).
                    if day >= add_months(record.decided_on, rules.abnormal_to_black_list_months) {
                        standing.black_list = true;
                        standing.explanation.push(format!(
                            "列入经营异常名录满{}个月未移出，按严重失信主体处理",
                            rules.abnormal_to_black_list_months
                        ));
                    }
                }
                RecordKind::RedList if in_force(record) => standing.red_list = true,
                RecordKind::BlackList if in_force(record) => standing.black_list = true,
                _ => {}
            }
        }
        let penalty_points = penalty_points.min(self.penalty_cap);
        if penalty_points > 0.0 {
            standing.score -= penalty_points;
            standing.explanation.push(format!(
                "公示中的行政处罚{}件（其中严重失信{}件），扣{}分",
                standing.public_penalties, standing.serious_penalties, penalty_points
            ));
        }
        if standing.abnormal {
            standing.score -= self.abnormal;
            standing.explanation.push(format!("列入经营异常名录，扣{}分", self.abnormal));
        }
        let honour_points = honour_points.min(self.honour_cap);
        if honour_points > 0.0 {
            standing.score += honour_points;
            standing.explanation.push(format!("荣誉表彰{}项，加{}分", standing.honours, honour_points));
        }
        if standing.red_list {
            standing.score += self.red_list;
            standing.explanation.push(format!("列入红名单，加{}分", self.red_list));
        }
        standing.grade = if standing.black_list {
            standing.explanation.push("列入严重失信主体名单，直接评为最低等级".to_owned());
            self.grades.last().map(|g| g.0.clone()).unwrap_or_default()
        } else {
            self.grades.iter().find(|(_, min)| standing.score >= *min).map(|g| g.0.clone()).unwrap_or_default()
        };
        standing
    }
}

/// 联合奖惩措施 (the shared vocabulary's `CreditMeasure`).
pub use zhengwu_core::CreditMeasure as Measure;

/// The measures of a standing; `restricts_blacklisted` marks items whose rules bar black-listed
/// applicants.
pub fn measures(standing: &Standing, restricts_blacklisted: bool) -> Vec<Measure> {
    if standing.black_list {
        let mut measures = vec![Measure::StrictReview, Measure::ExtraReview];
        if restricts_blacklisted {
            measures.push(Measure::Refuse);
        }
        measures
    } else if standing.abnormal {
        vec![Measure::StrictReview]
    } else if standing.red_list {
        vec![Measure::GreenChannel, Measure::AcceptWithGaps]
    } else {
        Vec::new()
    }
}
