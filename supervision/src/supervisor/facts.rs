//! What the statistics count of one case as of an instant, and the compact record a case folded
//! away keeps of it (its groups and those facts), so that a log read case by case needs memory
//! for the cases still open, not for every case of the year.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset, NaiveDate};
use rustc_hash::FxHashMap;
use zhengwu_core::CaseId;
use zhengwu_core::{
    Calendar, ClockStatus, Decision, DepartmentId, ItemCode, ItemKind, LimitReference, OfficialId, RegionCode,
    ServiceItem, china_day,
};

use crate::case::CaseState;
use crate::stats::{Counters, Tally};

/// The milestones of a case up to an instant, by China day, and its promised clock's status:
/// what `Supervisor::statistics` counts of it besides its 评价 (see [`ratings_of`]).
#[derive(Debug, Clone)]
pub(crate) struct CaseFacts {
    received: Option<NaiveDate>,
    accepted: Option<NaiveDate>,
    refused_at_intake: Option<NaiveDate>,
    withdrawn: Option<NaiveDate>,
    concluded: Option<(NaiveDate, Decision)>,
    /// The promised limit's clock as of the instant (`None`: no such limit, or not started).
    promised: Option<ClockStatus>,
    immediate: bool,
}

/// The 评价 given to `case` up to `as_of`, by China day: whether each was a bad grade.
pub(crate) fn ratings_of(
    case: &CaseState,
    as_of: DateTime<FixedOffset>,
) -> impl Iterator<Item = (NaiveDate, bool)> + '_ {
    case.ratings.iter().filter(move |r| r.at <= as_of).map(|r| (china_day(r.at), r.grade.is_bad()))
}

impl CaseFacts {
    /// The facts of `case` (of `item`) as of `as_of`: events after it are not counted.
    pub(crate) fn of(case: &CaseState, item: &ServiceItem, calendar: &Calendar, as_of: DateTime<FixedOffset>) -> Self {
        let in_scope = |at: Option<DateTime<FixedOffset>>| at.filter(|t| *t <= as_of).map(china_day);
        let today = china_day(as_of);
        CaseFacts {
            received: in_scope(case.received_at),
            accepted: in_scope(case.accepted_at),
            refused_at_intake: in_scope(case.refused_at),
            withdrawn: in_scope(case.withdrawn_at),
            concluded: case.conclusion.as_ref().filter(|c| c.at <= as_of).map(|c| (china_day(c.at), c.decision)),
            promised: case
                .timeline
                .report(item, LimitReference::Promised, calendar, today)
                .ok()
                .flatten()
                .map(|report| report.status),
            immediate: item.kind == ItemKind::Immediate,
        }
    }

    /// Counts the facts and the case's `ratings` in `group`; a case still running counts on
    /// `today`.
    pub(crate) fn count<'a>(
        &self,
        table: &mut Tally<'a>,
        group: Cow<'a, str>,
        today: NaiveDate,
        ratings: impl Iterator<Item = (NaiveDate, bool)>,
    ) {
        let mut add = |day: NaiveDate, update: &dyn Fn(&mut Counters)| table.add(group.clone(), day, update);
        if let Some(day) = self.received {
            add(day, &|c| c.received += 1);
        }
        if let Some(day) = self.accepted {
            add(day, &|c| c.accepted += 1);
        }
        if let Some(day) = self.refused_at_intake {
            add(day, &|c| c.refused_at_intake += 1);
        }
        if let Some(day) = self.withdrawn {
            add(day, &|c| c.withdrawn += 1);
        }
        for (day, bad) in ratings {
            add(day, &|c| {
                c.rated += 1;
                if bad {
                    c.bad_ratings += 1;
                } else {
                    c.satisfied += 1;
                }
            });
        }
        if let Some((day, decision)) = self.concluded {
            add(day, &|c| {
                c.concluded += 1;
                match decision {
                    Decision::Granted | Decision::Forwarded if self.immediate => c.immediate += 1,
                    Decision::Granted | Decision::Forwarded => {
                        c.promised += 1;
                        match self.promised {
                            Some(ClockStatus::Early) => c.early += 1,
                            Some(ClockStatus::Overdue) => c.overdue += 1,
                            _ => c.on_time += 1,
                        }
                    }
                    Decision::Refused => c.refused += 1,
                    Decision::Terminated => c.terminated += 1,
                }
            });
        } else if self.accepted.is_some() && self.withdrawn.is_none() {
            match self.promised {
                Some(ClockStatus::OverdueRunning) => add(today, &|c| c.overdue_running += 1),
                Some(ClockStatus::Suspended) => add(today, &|c| c.suspended += 1),
                _ => add(today, &|c| c.running += 1),
            }
        }
    }
}

/// The bit of an index entry that marks a folded case (the rest: its number among the folded).
pub(crate) const FOLDED: usize = 1 << (usize::BITS - 1);

/// The folding of a supervisor: the instant cases are folded for, the folded cases, and the case
/// whose event came after it was folded, if one did.
#[derive(Debug, Clone, Default)]
pub(crate) struct Folding {
    /// The instant, and its China day; `None`: cases are not folded.
    pub(crate) as_of: Option<(DateTime<FixedOffset>, NaiveDate)>,
    pub(crate) names: Names,
    pub(crate) cases: Vec<FoldedCase>,
    pub(crate) broken: Option<CaseId>,
}

/// A case folded away: the groups it counts in (as numbers into [`Names`]) and its facts as of
/// the instant it was folded for.
#[derive(Debug, Clone)]
pub(crate) struct FoldedCase {
    pub(crate) department: u32,
    pub(crate) item: u32,
    pub(crate) window: u32,
    pub(crate) region: u32,
    pub(crate) facts: CaseFacts,
    /// Its 评价 as of the folding instant, by day: whether each was a bad grade.
    pub(crate) ratings: Box<[(NaiveDate, bool)]>,
}

/// The names folded cases count under, each kept once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Names {
    pub(crate) departments: Interned<DepartmentId>,
    pub(crate) items: Interned<ItemCode>,
    pub(crate) windows: Interned<Option<OfficialId>>,
    pub(crate) regions: Interned<RegionCode>,
}

impl Names {
    /// The record of `case`, its names kept once.
    pub(crate) fn fold(&mut self, case: &CaseState, facts: CaseFacts, ratings: Box<[(NaiveDate, bool)]>) -> FoldedCase {
        FoldedCase {
            department: self.departments.number(&case.department),
            item: self.items.number(&case.item_code),
            window: self.windows.number(&case.window),
            region: self.regions.number(&case.region),
            facts,
            ratings,
        }
    }
}

/// Values kept once, each known by its number.
#[derive(Debug, Clone)]
pub(crate) struct Interned<T> {
    values: Vec<T>,
    numbers: FxHashMap<T, u32>,
}

impl<T> Default for Interned<T> {
    fn default() -> Self {
        Interned { values: Vec::new(), numbers: FxHashMap::default() }
    }
}

impl<T: Clone + Eq + std::hash::Hash> Interned<T> {
    fn number(&mut self, value: &T) -> u32 {
        if let Some(&number) = self.numbers.get(value) {
            return number;
        }
        // Names are departments, items, windows and regions: far fewer than 2^32.
        let number = u32::try_from(self.values.len()).unwrap_or(u32::MAX);
        self.values.push(value.clone());
        self.numbers.insert(value.clone(), number);
        number
    }

    /// The value numbered `number`.
    pub(crate) fn get(&self, number: u32) -> &T {
        &self.values[number as usize]
    }
}
