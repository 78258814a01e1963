//! Statistics (办结率, 提前办结率… by department, item, window or region and period) and the
//! departments' ranking.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use zhengwu_core::{DepartmentId, ItemCode, OfficialId, Organization, RegionCode, china_day};

use super::Supervisor;
use super::facts::{CaseFacts, ratings_of};
use crate::partial::Partial;
use crate::rule::Level;
use crate::scoring::{DepartmentScore, ExternalScores, ScoringScheme};
use crate::stats::{Dimension, Period, Statistics, Tally};

impl Supervisor {
    /// 绩效排名: scores and ranks the departments for one period (`period` and its `label`, e.g.
    /// `Period::Month` and `"2025-03"`), from the alerts raised in it and its statistics, as of
    /// `as_of`.
    pub fn rank(
        &self,
        as_of: DateTime<FixedOffset>,
        period: Period,
        label: &str,
        scheme: &ScoringScheme,
        external: &BTreeMap<zhengwu_core::DepartmentId, ExternalScores>,
    ) -> Vec<DepartmentScore> {
        let statistics = self.statistics(as_of, Dimension::Department, period, None);
        let counters = statistics
            .rows
            .iter()
            .filter(|((_, p), _)| p == label)
            .map(|((department, _), counters)| (zhengwu_core::DepartmentId::new(department.clone()), *counters))
            .collect();
        let alerts =
            self.alerts.values().filter(|a| a.raised_at <= as_of && period.label(china_day(a.raised_at)) == label);
        scheme.rank(&counters, alerts, external)
    }

    /// This replay as a [`Partial`] as of `as_of` (evaluate first), its statistics grouped by
    /// `dimension` and cut by `period`.
    pub fn partial(&self, as_of: DateTime<FixedOffset>, dimension: Dimension, period: Period) -> Partial {
        let departments = self
            .statistics(as_of, Dimension::Department, Period::All, None)
            .rows
            .into_iter()
            .map(|((department, _), counters)| (DepartmentId::new(department), counters))
            .collect();
        let alerts = self.alerts.values().filter(|a| a.raised_at <= as_of).cloned().collect();
        let cases = self
            .cases
            .iter()
            .map(|case| case.case_id.as_str().to_owned())
            .chain(self.folded_case_ids().map(|id| id.as_str().to_owned()))
            .chain(self.rejections.iter().filter_map(|r| r.case_id.as_ref().map(|id| id.as_str().to_owned())))
            .collect();
        Partial::new(
            as_of,
            self.statistics(as_of, dimension, period, None),
            departments,
            alerts,
            self.ingest_summary(),
            self.rejections.clone(),
            cases,
        )
    }

    /// 半年 / 年度 scores as the mean of monthly scores (`domain.md` §2.4): each department's
    /// monthly scores over `months` (labels `YYYY-MM`) are averaged — a month without activity
    /// counts as a month at the score the scheme gives an idle department — and ranked with the
    /// same tie-breaks, red cards and early completions summed over the months.
    pub fn rank_mean_of_months(
        &self,
        as_of: DateTime<FixedOffset>,
        months: &[&str],
        scheme: &ScoringScheme,
        external: &BTreeMap<zhengwu_core::DepartmentId, ExternalScores>,
    ) -> Vec<DepartmentScore> {
        let monthly: Vec<Vec<DepartmentScore>> =
            months.iter().map(|month| self.rank(as_of, Period::Month, month, scheme, external)).collect();
        let mut departments: Vec<zhengwu_core::DepartmentId> =
            monthly.iter().flatten().map(|s| s.department.clone()).collect();
        departments.sort();
        departments.dedup();
        let idle = scheme.rank(
            &BTreeMap::from([(zhengwu_core::DepartmentId::new("idle"), crate::stats::Counters::default())]),
            std::iter::empty(),
            &BTreeMap::new(),
        );
        let idle_score = idle.first().map_or(100.0, |s| s.score);
        let mut results = Vec::new();
        for department in departments {
            let scores: Vec<&DepartmentScore> =
                monthly.iter().filter_map(|m| m.iter().find(|s| s.department == department)).collect();
            let active = scores.len();
            let total: f64 = scores.iter().map(|s| s.score).sum::<f64>() + (months.len() - active) as f64 * idle_score;
            let mean = (total / months.len().max(1) as f64 * 100.0).round() / 100.0;
            let mut explanation = vec![format!(
                "{}个月平均：{}个月有办件，其余{}个月按{}分计",
                months.len(),
                active,
                months.len() - active,
                idle_score
            )];
            explanation.extend(scores.iter().map(|s| format!("{}分", s.score)));
            // A month's 一票否决 caps the period's grade as well.
            let vetoed = scores.iter().any(|s| s.vetoed);
            let mut grade = scheme.grade(mean);
            if let Some(veto) = scheme.veto.filter(|_| vetoed) {
                explanation.push(format!("一票否决：期内有月份被否决，等次至多为{}", veto.cap.chinese()));
                grade = grade.max(veto.cap);
            }
            results.push(DepartmentScore {
                department,
                rank: 0,
                score: mean,
                grade,
                vetoed,
                parts: Vec::new(),
                bonus: scores.iter().map(|s| s.bonus).sum::<f64>() / months.len().max(1) as f64,
                red_cards: scores.iter().map(|s| s.red_cards).sum(),
                early_rate: scores.iter().map(|s| s.early_rate).sum::<f64>() / active.max(1) as f64,
                explanation,
            });
        }
        crate::scoring::order(&mut results);
        results
    }

    /// Statistics as of `as_of`, grouped by `dimension` and cut by `period`. With an organisation
    /// directory, the region dimension rolls each case up through every region above its own.
    /// Events after `as_of` are not counted.
    pub fn statistics(
        &self,
        as_of: DateTime<FixedOffset>,
        dimension: Dimension,
        period: Period,
        organization: Option<&Organization>,
    ) -> Statistics {
        self.statistics_of(as_of, dimension, period, organization, &|_, _| true)
    }

    /// [`Supervisor::statistics`] of the cases `include` keeps, asked with each case's lead
    /// department and region: a reader's scope (its departments, a region's subtree).
    pub fn statistics_of(
        &self,
        as_of: DateTime<FixedOffset>,
        dimension: Dimension,
        period: Period,
        organization: Option<&Organization>,
        include: &dyn Fn(&DepartmentId, &RegionCode) -> bool,
    ) -> Statistics {
        let today = china_day(as_of);
        let mut table = Tally::new(dimension, period);
        for case in self.cases.iter().filter(|case| include(&case.department, &case.region)) {
            let Some(item) = self.catalogue.item(&case.item_code) else { continue };
            let groups = Self::groups(
                dimension,
                organization,
                &case.department,
                &case.item_code,
                case.window.as_ref(),
                &case.region,
            );
            let facts = CaseFacts::of(case, item, &self.calendar, as_of);
            for group in groups.iter() {
                facts.count(&mut table, group.clone(), today, ratings_of(case, as_of));
            }
        }
        // Folded cases count as they stood when folded (see `Supervisor::fold_complete_cases`).
        let names = &self.fold.names;
        for case in &self.fold.cases {
            let department = names.departments.get(case.department);
            let region = names.regions.get(case.region);
            if !include(department, region) {
                continue;
            }
            let window = names.windows.get(case.window).as_ref();
            let item = names.items.get(case.item);
            let groups = Self::groups(dimension, organization, department, item, window, region);
            for group in groups.iter() {
                case.facts.count(&mut table, group.clone(), today, case.ratings.iter().copied());
            }
        }
        for alert in self.alerts.values().filter(|a| a.raised_at <= as_of) {
            let window = match dimension {
                Dimension::Window => self.window_of(&alert.case_id),
                _ => None,
            };
            let groups =
                Self::groups(dimension, organization, &alert.department, &alert.item_code, window, &alert.region);
            for group in groups.iter() {
                table.add(group.clone(), china_day(alert.raised_at), |c| match alert.raised_level {
                    Level::Notice => c.notices += 1,
                    Level::Warning => c.warnings += 1,
                    Level::Yellow => c.yellow_cards += 1,
                    Level::Red => c.red_cards += 1,
                });
            }
        }
        table.finish()
    }

    /// The groups a case (or an alert) counts in: one, or a region and its ancestors.
    fn groups<'s>(
        dimension: Dimension,
        organization: Option<&'s Organization>,
        department: &'s DepartmentId,
        item: &'s ItemCode,
        window: Option<&'s OfficialId>,
        region: &'s RegionCode,
    ) -> SmallGroups<'s> {
        match dimension {
            Dimension::Total => SmallGroups::One(Cow::Borrowed("total")),
            Dimension::Department => SmallGroups::One(Cow::Borrowed(department.as_str())),
            Dimension::Item => SmallGroups::One(Cow::Borrowed(item.as_str())),
            Dimension::Window => SmallGroups::One(Cow::Borrowed(window.map_or("-", |w| w.as_str()))),
            Dimension::Region => match organization {
                Some(org) if org.region(region).is_some() => {
                    SmallGroups::Many(org.ancestors(region).map(|r| Cow::Borrowed(r.code.as_str())).collect())
                }
                _ => SmallGroups::One(Cow::Borrowed(region.as_str())),
            },
        }
    }
}

/// The groups of one case: almost always one, so no vector is made for it.
enum SmallGroups<'a> {
    One(Cow<'a, str>),
    Many(Vec<Cow<'a, str>>),
}

impl<'a> std::ops::Deref for SmallGroups<'a> {
    type Target = [Cow<'a, str>];

    fn deref(&self) -> &Self::Target {
        match self {
            SmallGroups::One(group) => std::slice::from_ref(group),
            SmallGroups::Many(groups) => groups,
        }
    }
}
