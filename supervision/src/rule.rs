//! 规则: the vocabulary of supervision rules: each built-in rule's code, name, level and family,
//! and the levels of an alert. Configuration (`config.rs`), evaluation (`rules.rs`), custom rules
//! (`custom.rs`), alerts and scoring speak it; it imports none of them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// 信号级别: how serious an alert is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 提示: a reminder (e.g. one working day left).
    Notice,
    /// 预警: a warning.
    Warning,
    /// 黄牌: a yellow card, followed by correction.
    Yellow,
    /// 红牌: a red card, followed by accountability.
    Red,
}

impl Level {
    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            Level::Notice => "提示",
            Level::Warning => "预警",
            Level::Yellow => "黄牌",
            Level::Red => "红牌",
        }
    }

    /// The English name.
    pub fn english(self) -> &'static str {
        match self {
            Level::Notice => "notice",
            Level::Warning => "warning",
            Level::Yellow => "yellow card",
            Level::Red => "red card",
        }
    }
}

/// The built-in rules of `domain.md` §2.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum Rule {
    /// 临近时限: an open case with `days_left` or fewer working days to its (promised) due date.
    TimeNear,
    /// 超承诺时限: open past, or concluded after, the promised due date.
    TimeOverPromise,
    /// 超法定时限: open past, or concluded after, the legal due date (extensions included).
    TimeOverLegal,
    /// 环节超时: a required step took longer than its step limit (or is open past it).
    StepOvertime,
    /// 不予受理/不予许可未说明理由: a refusal without a reason.
    RefuseIllegal,
    /// 逾期未受理: received, and neither accepted, refused nor sent a 补正 notice within `days`
    /// working days (行政许可法 Art. 32).
    NotAcceptInTime,
    /// 多次补正: more than `max_requests` 补正 requests for one case.
    MultiBuzheng,
    /// 目录外材料 / 要件不全: materials received or requested that the item's published list lacks,
    /// or acceptance without a required material (unless 容缺受理 allowed it).
    ExtraMaterial,
    /// 违规收费: a fee not in the item's published list, or above its standard.
    FeeOver,
    /// 跳过法定环节: granted without every required step completed.
    SkipStep,
    /// 体外循环 / 先批后录: entry long after the business time, or a burst of steps within minutes.
    Offline,
    /// 异常办结: a 即办件 concluded on a later day, a 终止 or 不予许可 without a reason, a grant
    /// without a decision document number.
    AbnormalEnd,
    /// 违规延期: an extension approved by too low an authority, too late, or beyond +10 / +15.
    ExtUnapproved,
    /// 逾期未颁发送达许可证件 (行政许可法 Art. 44): a licence granted and not issued and delivered
    /// within 10 working days of the decision.
    DeliveryLate,
    /// 听证逾期 (Art. 47): a requested hearing not held within 20 working days of the request.
    HearingLate,
    /// 听证通知不足七日 (Art. 48(1)): the time and place notified less than 7 working days before
    /// the hearing.
    HearingNoticeLate,
    /// 逾期未作延续决定 (Art. 50): a renewal not decided by the licence's last day, so that it is
    /// deemed granted (视为准予延续).
    RenewalDeemed,
    /// 交办异议逾期 (信访工作条例): a matter handed back later than 5 working days after it was
    /// received, or without the reasons the 信访部门 must be given.
    ObjectionLate,
    /// 差评未按期整改: a 差评 (不满意, 非常不满意) not followed up (回访核实 → 整改 → 反馈) within
    /// 15 working days.
    RatingNotRectified,
    /// 不满意未重新办理: a 代表's or 委员's 不满意 view of a 建议 or 提案 answer not answered again
    /// within 1 month.
    ProposalNotRehandled,
    /// A custom rule from the configuration (a CEL expression over case facts); the alert's
    /// `code` names which.
    Custom,
}

impl Rule {
    /// Every built-in rule, in catalogue order.
    pub const ALL: [Rule; 20] = [
        Rule::TimeNear,
        Rule::TimeOverPromise,
        Rule::TimeOverLegal,
        Rule::StepOvertime,
        Rule::RefuseIllegal,
        Rule::NotAcceptInTime,
        Rule::MultiBuzheng,
        Rule::ExtraMaterial,
        Rule::FeeOver,
        Rule::SkipStep,
        Rule::Offline,
        Rule::AbnormalEnd,
        Rule::ExtUnapproved,
        Rule::DeliveryLate,
        Rule::HearingLate,
        Rule::HearingNoticeLate,
        Rule::RenewalDeemed,
        Rule::ObjectionLate,
        Rule::RatingNotRectified,
        Rule::ProposalNotRehandled,
    ];

    /// The rule's code, e.g. `TIME_NEAR`.
    pub fn code(self) -> &'static str {
        match self {
            Rule::TimeNear => "TIME_NEAR",
            Rule::TimeOverPromise => "TIME_OVER_PROMISE",
            Rule::TimeOverLegal => "TIME_OVER_LEGAL",
            Rule::StepOvertime => "STEP_OVERTIME",
            Rule::RefuseIllegal => "REFUSE_ILLEGAL",
            Rule::NotAcceptInTime => "NOT_ACCEPT_IN_TIME",
            Rule::MultiBuzheng => "MULTI_BUZHENG",
            Rule::ExtraMaterial => "EXTRA_MATERIAL",
            Rule::FeeOver => "FEE_OVER",
            Rule::SkipStep => "SKIP_STEP",
            Rule::Offline => "OFFLINE",
            Rule::AbnormalEnd => "ABNORMAL_END",
            Rule::ExtUnapproved => "EXT_UNAPPROVED",
            Rule::DeliveryLate => "DELIVERY_LATE",
            Rule::HearingLate => "HEARING_LATE",
            Rule::HearingNoticeLate => "HEARING_NOTICE_LATE",
            Rule::RenewalDeemed => "RENEWAL_DEEMED",
            Rule::ObjectionLate => "OBJECTION_LATE",
            Rule::RatingNotRectified => "RATING_NOT_RECTIFIED",
            Rule::ProposalNotRehandled => "PROPOSAL_NOT_REHANDLED",
            Rule::Custom => "CUSTOM",
        }
    }

    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            Rule::TimeNear => "临近办理时限",
            Rule::TimeOverPromise => "超过承诺时限",
            Rule::TimeOverLegal => "超过法定时限",
            Rule::StepOvertime => "环节超时",
            Rule::RefuseIllegal => "不予受理或不予许可未说明理由",
            Rule::NotAcceptInTime => "逾期未受理且未一次性告知补正",
            Rule::MultiBuzheng => "多次要求补正",
            Rule::ExtraMaterial => "收取目录外材料或要件不全受理",
            Rule::FeeOver => "违规收费",
            Rule::SkipStep => "未经法定环节办结",
            Rule::Offline => "体外循环或先批后录",
            Rule::AbnormalEnd => "异常办结",
            Rule::ExtUnapproved => "违规延期",
            Rule::DeliveryLate => "逾期未颁发送达许可证件",
            Rule::HearingLate => "逾期未组织听证",
            Rule::HearingNoticeLate => "听证通知不足七日",
            Rule::RenewalDeemed => "逾期未作延续决定",
            Rule::ObjectionLate => "交办异议不符合规定",
            Rule::RatingNotRectified => "差评未按期整改",
            Rule::ProposalNotRehandled => "不满意未重新办理",
            Rule::Custom => "自定义规则",
        }
    }

    /// The level the rule fires at unless configured otherwise.
    pub fn default_level(self) -> Level {
        match self {
            Rule::TimeNear => Level::Notice,
            Rule::StepOvertime => Level::Warning,
            Rule::TimeOverPromise
            | Rule::RefuseIllegal
            | Rule::NotAcceptInTime
            | Rule::MultiBuzheng
            | Rule::ExtraMaterial
            | Rule::AbnormalEnd
            | Rule::DeliveryLate
            | Rule::HearingLate
            | Rule::HearingNoticeLate
            | Rule::ObjectionLate
            | Rule::RatingNotRectified
            | Rule::ProposalNotRehandled => Level::Yellow,
            Rule::TimeOverLegal
            | Rule::FeeOver
            | Rule::SkipStep
            | Rule::Offline
            | Rule::ExtUnapproved
            | Rule::RenewalDeemed => Level::Red,
            Rule::Custom => Level::Warning,
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
