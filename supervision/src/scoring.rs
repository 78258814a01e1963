//! 绩效评估: monthly department scores from alerts and statistics under a configurable scheme, with
//! grades and a ranking. The default scheme is the published municipal one of `domain.md` §2.4.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use zhengwu_core::DepartmentId;

use crate::alert::{Alert, AlertStatus};
use crate::error::{Error, Result};
use crate::rule::{Level, Rule};
use crate::stats::Counters;

/// One part of the scheme (e.g. 期限合法, 14 points).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// Code, e.g. `deadline`.
    pub code: String,
    /// Name, e.g. `期限合法`.
    pub name: String,
    /// Full marks.
    pub weight: f64,
    /// The rules whose alerts are deducted from this part. A part with no rules is assessed
    /// outside supervision (政务公开, ...) and its score is supplied by the caller; the
    /// `satisfaction` part is scored from the 评价 the department's cases received when there are
    /// any ([`SATISFACTION_PART`]).
    #[serde(default)]
    pub rules: Vec<Rule>,
}

/// The code of the part scored from the cases' 评价 when there are any (the 满意率 times its
/// weight); without 评价 it is supplied by the caller like any part without rules.
pub const SATISFACTION_PART: &str = "satisfaction";

/// 评分方案.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringScheme {
    /// The parts; weights should total 100.
    pub parts: Vec<Part>,
    /// Deducted for every `warnings_per_deduction` 预警 of a part in a month.
    pub warning_deduction: f64,
    /// How many 预警 make one deduction (3: "连续3次预警扣3分").
    pub warnings_per_deduction: u32,
    /// Deducted per 黄牌.
    pub yellow_deduction: f64,
    /// Deducted per 红牌.
    pub red_deduction: f64,
    /// Bonus per full `bonus_step` of 提前办结 share of the month's conclusions (e.g. +1 per 10 %).
    pub bonus_per_step: f64,
    /// The share that earns one bonus step (0.10).
    pub bonus_step: f64,
    /// 折合系数 applied to the total.
    pub coefficient: f64,
    /// Lowest scores of 优秀, 良好, 合格 (below the last: 不合格).
    pub grade_thresholds: [f64; 3],
    /// 一票否决: alerts that cap the grade whatever the score (off in the published scheme; a
    /// city's rules may say that any 红牌 in the period caps it at 合格).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub veto: Option<Veto>,
}

/// 一票否决: `count` or more alerts at `level` or above in the period cap the grade at `cap`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Veto {
    /// The alert level that counts (红牌 unless stated).
    #[serde(default = "red")]
    pub level: Level,
    /// How many such alerts trigger it (1: any).
    #[serde(default = "one")]
    pub count: u64,
    /// The best grade left (合格 unless stated).
    #[serde(default = "pass")]
    pub cap: Grade,
}

fn red() -> Level {
    Level::Red
}

fn one() -> u64 {
    1
}

fn pass() -> Grade {
    Grade::Pass
}

impl Default for ScoringScheme {
    fn default() -> Self {
        let part = |code: &str, name: &str, weight: f64, rules: &[Rule]| Part {
            code: code.to_owned(),
            name: name.to_owned(),
            weight,
            rules: rules.to_vec(),
        };
        Self {
            parts: vec![
                part("openness", "政务公开", 10.0, &[]),
                part(
                    "process",
                    "流程规范",
                    14.0,
                    &[
                        Rule::SkipStep,
                        Rule::MultiBuzheng,
                        Rule::ExtraMaterial,
                        Rule::Offline,
                        Rule::AbnormalEnd,
                        Rule::HearingNoticeLate,
                    ],
                ),
                part(
                    "deadline",
                    "期限合法",
                    14.0,
                    &[
                        Rule::TimeNear,
                        Rule::TimeOverPromise,
                        Rule::TimeOverLegal,
                        Rule::StepOvertime,
                        Rule::NotAcceptInTime,
                        Rule::ExtUnapproved,
                        Rule::DeliveryLate,
                        Rule::HearingLate,
                        Rule::RenewalDeemed,
                        Rule::ObjectionLate,
                        Rule::RatingNotRectified,
                        Rule::ProposalNotRehandled,
                    ],
                ),
                part("fees", "收费合理", 8.0, &[Rule::FeeOver]),
                part("satisfaction", "满意度评价", 10.0, &[]),
                part("attitude", "服务态度", 10.0, &[]),
                part("inspection", "监督检查", 14.0, &[]),
                part("liability", "法律责任", 10.0, &[Rule::RefuseIllegal]),
                part("integrity", "廉洁行政", 10.0, &[]),
            ],
            warning_deduction: 3.0,
            warnings_per_deduction: 3,
            yellow_deduction: 5.0,
            red_deduction: 10.0,
            bonus_per_step: 1.0,
            bonus_step: 0.10,
            coefficient: 1.0,
            grade_thresholds: [90.0, 80.0, 60.0],
            veto: None,
        }
    }
}

/// 等次.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 优秀.
    Excellent,
    /// 良好.
    Good,
    /// 合格.
    Pass,
    /// 不合格.
    Fail,
}

impl Grade {
    /// The Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            Grade::Excellent => "优秀",
            Grade::Good => "良好",
            Grade::Pass => "合格",
            Grade::Fail => "不合格",
        }
    }
}

/// One part's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartScore {
    /// Part code.
    pub code: String,
    /// Score after deductions, floored at 0.
    pub score: f64,
    /// Whether the score came from supervision (`true`) or from the caller's input.
    pub from_supervision: bool,
}

/// A department's score in a period, with what moved it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepartmentScore {
    /// The department.
    pub department: DepartmentId,
    /// 1-based rank.
    pub rank: usize,
    /// Total after bonus and coefficient.
    pub score: f64,
    /// The grade.
    pub grade: Grade,
    /// Part scores.
    pub parts: Vec<PartScore>,
    /// Bonus points for early completion.
    pub bonus: f64,
    /// Red cards counted (first tie-break: fewer ranks higher).
    pub red_cards: u64,
    /// 提前办结率 (second tie-break: higher ranks higher).
    pub early_rate: f64,
    /// Whether the scheme's 一票否决 capped the grade.
    #[serde(default)]
    pub vetoed: bool,
    /// Every deduction and bonus, in Chinese, for the published explanation.
    pub explanation: Vec<String>,
}

/// Scores outside supervision's sight for one department: part code → score.
pub type ExternalScores = BTreeMap<String, f64>;

impl ScoringScheme {
    /// Parses TOML.
    pub fn from_toml(text: &str) -> Result<Self> {
        let scheme: Self = toml::from_str(text).map_err(|e| Error::Config(format!("scoring scheme: {e}")))?;
        scheme.validate()?;
        Ok(scheme)
    }

    /// Checks weights and thresholds.
    pub fn validate(&self) -> Result<()> {
        let total: f64 = self.parts.iter().map(|p| p.weight).sum();
        if (total - 100.0).abs() > 1e-9 {
            return Err(Error::Config(format!("scoring scheme: part weights total {total}, expected 100")));
        }
        let [a, b, c] = self.grade_thresholds;
        if !(a >= b && b >= c) {
            return Err(Error::Config(format!("scoring scheme: grade thresholds {a}, {b}, {c} must not increase")));
        }
        if self.warnings_per_deduction == 0 || self.bonus_step <= 0.0 {
            return Err(Error::Config("scoring scheme: warnings_per_deduction and bonus_step must be positive".into()));
        }
        if self.veto.is_some_and(|veto| veto.count == 0) {
            return Err(Error::Config("scoring scheme: the veto's count must be at least 1".into()));
        }
        Ok(())
    }

    /// The grade of a score.
    pub fn grade(&self, score: f64) -> Grade {
        let [excellent, good, pass] = self.grade_thresholds;
        if score >= excellent {
            Grade::Excellent
        } else if score >= good {
            Grade::Good
        } else if score >= pass {
            Grade::Pass
        } else {
            Grade::Fail
        }
    }

    /// Scores and ranks departments from their alerts and counters of one period. Dismissed
    /// alerts are not deducted; an escalated card counts at its current level. `external` gives
    /// the parts supervision cannot see (missing ones count full marks, flagged in the result).
    ///
    /// Ranking: higher score first; ties go to fewer red cards, then the higher 提前办结率, then
    /// the department id.
    pub fn rank<'a>(
        &self,
        counters: &BTreeMap<DepartmentId, Counters>,
        alerts: impl IntoIterator<Item = &'a Alert>,
        external: &BTreeMap<DepartmentId, ExternalScores>,
    ) -> Vec<DepartmentScore> {
        let mut by_department: BTreeMap<&DepartmentId, Vec<&Alert>> = BTreeMap::new();
        for alert in alerts {
            if alert.status != AlertStatus::Dismissed {
                by_department.entry(&alert.department).or_default().push(alert);
            }
        }
        let mut departments: Vec<&DepartmentId> = counters.keys().collect();
        for department in by_department.keys() {
            if !counters.contains_key(*department) {
                departments.push(department);
            }
        }
        let mut scores: Vec<DepartmentScore> = departments
            .into_iter()
            .map(|department| {
                let alerts = by_department.get(department).map(Vec::as_slice).unwrap_or_default();
                let counters = counters.get(department).copied().unwrap_or_default();
                self.score_one(department, &counters, alerts, external.get(department))
            })
            .collect();
        order(&mut scores);
        scores
    }

    fn score_one(
        &self,
        department: &DepartmentId,
        counters: &Counters,
        alerts: &[&Alert],
        external: Option<&ExternalScores>,
    ) -> DepartmentScore {
        let mut explanation = Vec::new();
        let mut parts = Vec::new();
        for part in &self.parts {
            if part.code == SATISFACTION_PART && part.rules.is_empty() && counters.rated > 0 {
                // 满意度 from the 评价 the cases received (好差评, 代表 and 委员 views): the part's
                // weight times the 满意率.
                let rate = counters.rates().satisfaction_rate.unwrap_or(0.0);
                let score = round2(part.weight * rate);
                explanation.push(format!(
                    "{}：评价{}次，满意{}次，满意率{:.1}%，得{}分",
                    part.name,
                    counters.rated,
                    counters.satisfied,
                    rate * 100.0,
                    fmt(score)
                ));
                parts.push(PartScore { code: part.code.clone(), score, from_supervision: true });
                continue;
            }
            if part.rules.is_empty() {
                let supplied = external.and_then(|e| e.get(&part.code)).copied();
                let score = supplied.unwrap_or(part.weight).clamp(0.0, part.weight);
                if supplied.is_none() {
                    explanation.push(format!("{}：未提供评价数据，按满分{}计", part.name, part.weight));
                }
                parts.push(PartScore { code: part.code.clone(), score, from_supervision: false });
                continue;
            }
            let mine: Vec<&&Alert> = alerts.iter().filter(|a| part.rules.contains(&a.rule)).collect();
            let count = |level: Level| mine.iter().filter(|a| a.level == level).count() as u64;
            let (warnings, yellow, red) = (count(Level::Warning), count(Level::Yellow), count(Level::Red));
            let warning_groups = warnings / u64::from(self.warnings_per_deduction);
            let deduction = warning_groups as f64 * self.warning_deduction
                + yellow as f64 * self.yellow_deduction
                + red as f64 * self.red_deduction;
            let score = (part.weight - deduction).max(0.0);
            if deduction > 0.0 {
                explanation.push(format!(
                    "{}：预警{warnings}次、黄牌{yellow}张、红牌{red}张，扣{}分（本项最低0分），得{}分",
                    part.name,
                    fmt(deduction),
                    fmt(score)
                ));
            }
            parts.push(PartScore { code: part.code.clone(), score, from_supervision: true });
        }
        let early_rate = counters.rates().early_rate.unwrap_or(0.0);
        let share = if counters.concluded > 0 { counters.early as f64 / counters.concluded as f64 } else { 0.0 };
        let steps = (share / self.bonus_step + 1e-9).floor();
        let bonus = steps * self.bonus_per_step;
        if bonus > 0.0 {
            explanation.push(format!(
                "提前办结{}件，占办结量{:.1}%，加{}分",
                counters.early,
                share * 100.0,
                fmt(bonus)
            ));
        }
        let sum: f64 = parts.iter().map(|p| p.score).sum();
        let score = round2((sum + bonus) * self.coefficient);
        let red_cards = alerts.iter().filter(|a| a.level == Level::Red).count() as u64;
        let mut grade = self.grade(score);
        let mut vetoed = false;
        if let Some(veto) = self.veto {
            let count = alerts.iter().filter(|a| a.level >= veto.level).count() as u64;
            // Grades order from best to worst: a cap is the best grade left.
            if count >= veto.count && grade < veto.cap {
                explanation.push(format!(
                    "一票否决：{}及以上信号{count}个（达到{}个），等次由{}降为{}",
                    veto.level.chinese(),
                    veto.count,
                    grade.chinese(),
                    veto.cap.chinese()
                ));
                grade = veto.cap;
                vetoed = true;
            }
        }
        DepartmentScore {
            department: department.clone(),
            rank: 0,
            score,
            grade,
            vetoed,
            parts,
            bonus,
            red_cards,
            early_rate,
            explanation,
        }
    }
}

/// Sorts by score, then fewer red cards, then higher 提前办结率, then department id, and numbers
/// the ranks.
pub(crate) fn order(scores: &mut [DepartmentScore]) {
    scores.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.red_cards.cmp(&b.red_cards))
            .then(b.early_rate.total_cmp(&a.early_rate))
            .then(a.department.cmp(&b.department))
    });
    for (index, score) in scores.iter_mut().enumerate() {
        score.rank = index + 1;
    }
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

fn fmt(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}
