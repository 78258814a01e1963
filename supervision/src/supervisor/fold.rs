//! Folding complete cases away while a log is read case by case: a year's replay then needs
//! memory for the cases still open and a small record of each finished one, not every case's
//! whole state.

use chrono::{DateTime, FixedOffset};
use zhengwu_core::{CaseId, OfficialId, china_day};

use super::Supervisor;
use super::facts::{CaseFacts, FOLDED, ratings_of};
use crate::alert::Alert;
use crate::rules::{evaluate_case, time_invariant};

impl Supervisor {
    /// Folds each case away when the log moves on from it complete, for a replay evaluated as of
    /// `as_of`: a log read case by case (all of a case's events together, as a file sorted by
    /// case is) then needs memory for its open cases and some 160 bytes for each folded one
    /// (`cargo bench -p zhengwu-supervision --bench memory`), instead of a case's whole state.
    ///
    /// A case is folded when an event of a new case arrives while it is the latest case opened,
    /// its last event is not after `as_of`, and its findings can no longer change with time (it
    /// is closed; no delivery, 差评 follow-up or re-handling period still runs as of `as_of`). Its
    /// rules are evaluated then, as of `as_of`, its alerts raised as of `as_of`, and it is kept
    /// as its statistics as of `as_of`. Evaluate, and ask statistics, rankings and partials, as
    /// of `as_of`: a folded case counts as it stood then. [`Supervisor::case`] and
    /// [`Supervisor::cases`] no longer give a folded case.
    ///
    /// A log that is not in case order is read correctly as long as no event comes for a case
    /// already folded. One that does is rejected, naming the case, and
    /// [`Supervisor::fold_broken`] names it: replay the log again without folding (the replay
    /// drivers of `zhengwu-arrow` and the command line do so by themselves).
    pub fn fold_complete_cases(&mut self, as_of: DateTime<FixedOffset>) {
        self.fold.as_of = Some((as_of, china_day(as_of)));
    }

    /// How many cases have been folded away.
    pub fn folded_cases(&self) -> usize {
        self.fold.cases.len()
    }

    /// The first case an event came for after the case had been folded: the log was not in case
    /// order, and this supervisor's statistics of that case are wrong (replay without folding).
    pub fn fold_broken(&self) -> Option<&CaseId> {
        self.fold.broken.as_ref()
    }

    /// The ids of the folded cases, in no particular order.
    pub(super) fn folded_case_ids(&self) -> impl Iterator<Item = &CaseId> {
        self.index.iter().filter(|(_, slot)| **slot & FOLDED != 0).map(|(id, _)| id)
    }

    /// The window that received a case, live or folded.
    pub(super) fn window_of(&self, id: &CaseId) -> Option<&OfficialId> {
        let slot = *self.index.get(id)?;
        if slot & FOLDED == 0 {
            return self.cases[slot].window.as_ref();
        }
        let case = &self.fold.cases[slot & !FOLDED];
        self.fold.names.windows.get(case.window).as_ref()
    }

    /// Folds the latest case opened, if folding is on and the case is complete as of the
    /// folding instant (see [`Supervisor::fold_complete_cases`]). Its rules are evaluated now,
    /// while its state is at hand (a case the rules cannot evaluate stays, for `evaluate` to
    /// report).
    pub(super) fn fold_latest(&mut self) {
        let Some((as_of, today)) = self.fold.as_of else { return };
        let Some(case) = self.cases.last() else { return };
        let Some(item) = self.catalogue.item(&case.item_code) else { return };
        if case.last_event_at > as_of || !time_invariant(case, item, &self.calendar, today) {
            return;
        }
        let Ok(findings) = evaluate_case(&self.config, &self.calendar, item, case, as_of) else { return };
        let alerts: Vec<Alert> =
            findings.into_iter().filter_map(|finding| self.new_alert(case, finding, as_of)).collect();
        let facts = CaseFacts::of(case, item, &self.calendar, as_of);
        let ratings = ratings_of(case, as_of).collect();
        for alert in alerts {
            self.alerts.entry(alert.id.clone()).or_insert(alert);
        }
        let (Some(case), Some(_), Some(_)) = (self.cases.pop(), self.settled.pop(), self.keys.pop()) else { return };
        let record = self.fold.names.fold(&case, facts, ratings);
        let slot = FOLDED | self.fold.cases.len();
        self.fold.cases.push(record);
        if let Some(entry) = self.index.get_mut(&case.case_id) {
            *entry = slot;
        }
    }
}
