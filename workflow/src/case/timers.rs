//! 时限 and 边界事件: the timers of a process fired by the host's clock
//! ([`Command::Tick`](super::Command::Tick)) — boundary timers on open steps (环节时限) and
//! intermediate timers the case waits at — and the boundary events the host reports
//! ([`Command::Catch`](super::Command::Catch)).

use chrono::{DateTime, FixedOffset, TimeZone};
use zhengwu_core::{EventKind, TimeLimit, china_day};

use super::command::Context;
use super::engine::{Case, Plan};
use crate::definition::{NodeKind, TimerDuration};
use crate::rejection::Rejection;

/// The longest a timer may wait (ten years), as validation checks.
const MAX_TIMER_SECONDS: u64 = crate::process::MAX_TIMER_DAYS as u64 * 86_400;

impl Case {
    /// The earliest timer due by the command's time, fired: its events, or none.
    pub(super) fn plan_tick(&self, context: &Context) -> Plan {
        self.require_running()?;
        // (due, the open step, the timer)
        let mut earliest: Option<(DateTime<FixedOffset>, &str, &str)> = None;
        for task in &self.state.tasks {
            if let Some(NodeKind::Timer { after, attached_to: None, .. }) =
                self.process.node(&task.step).map(|n| &n.kind)
            {
                let due = self.timer_due(task.opened_at, after, &task.step)?;
                if earliest.is_none_or(|(best, _, _)| due < best) {
                    earliest = Some((due, &task.step, &task.step));
                }
            }
            for timer in self.process.boundary_events_of(&task.step) {
                if task.timers_fired.contains(timer) {
                    continue;
                }
                let Some(NodeKind::Timer { after, .. }) = self.process.node(timer).map(|n| &n.kind) else { continue };
                let due = self.timer_due(task.opened_at, after, timer)?;
                if earliest.is_none_or(|(best, _, _)| due < best) {
                    earliest = Some((due, &task.step, timer));
                }
            }
        }
        let Some((_, step, timer)) = earliest.filter(|(due, _, _)| *due <= context.at) else { return Ok(Vec::new()) };
        let mut kinds = vec![EventKind::TimerFired { timer: timer.to_owned(), step: step.to_owned() }];
        let mut closing: &[&str] = &[];
        if step == timer {
            kinds.push(EventKind::StepCompleted { step: step.to_owned(), opinion: None });
            closing = std::slice::from_ref(&step);
        } else if matches!(self.process.node(timer).map(|n| &n.kind), Some(NodeKind::Timer { interrupting: true, .. }))
        {
            kinds.push(EventKind::StepCancelled { step: step.to_owned() });
            closing = std::slice::from_ref(&step);
        }
        kinds.extend(self.landings_from(timer, None, closing)?);
        Ok(kinds)
    }

    /// A boundary event of an open step caught: the data it carries, the event, the step's
    /// cancellation when it interrupts, and its path.
    pub(super) fn plan_catch(&self, event: String, data: serde_json::Map<String, serde_json::Value>) -> Plan {
        self.require_running()?;
        let mut waiting: Vec<(&str, &str, bool)> = Vec::new();
        for task in &self.state.tasks {
            for boundary in self.process.boundary_events_of(&task.step) {
                if let Some(NodeKind::Boundary { trigger, interrupting, .. }) =
                    self.process.node(boundary).map(|n| &n.kind)
                    && (boundary == &event || trigger.name.as_ref() == Some(&event))
                    && !waiting.iter().any(|(_, b, _)| b == boundary)
                {
                    waiting.push((&task.step, boundary, *interrupting));
                }
            }
        }
        // Event subprocesses wait as long as the case runs (`step` is the event itself).
        for start in self.process.event_starts() {
            if let NodeKind::EventStart { trigger, interrupting } = &start.kind
                && (start.id == event || trigger.name.as_ref() == Some(&event))
            {
                waiting.push((&start.id, &start.id, *interrupting));
            }
        }
        let (step, boundary, interrupting) = match waiting.as_slice() {
            [] => return Err(Rejection::NotAwaited { event }),
            [one] => *one,
            several => {
                let boundaries = several.iter().map(|(_, b, _)| (*b).to_owned()).collect();
                return Err(Rejection::AmbiguousEvent { event, boundaries });
            }
        };
        let mut kinds = Vec::new();
        let mut merged = None;
        if !data.is_empty() {
            let mut all = self.state.data.clone();
            all.extend(data.clone());
            merged = Some(all);
            kinds.push(EventKind::DataRecorded { data });
        }
        kinds.push(EventKind::EventCaught { event: boundary.to_owned(), step: step.to_owned() });
        let closing: Vec<&str> = if interrupting && step == boundary {
            // An interrupting event subprocess ends every open step.
            self.state.tasks.iter().map(|t| t.step.as_str()).collect()
        } else if interrupting {
            vec![step]
        } else {
            Vec::new()
        };
        kinds.extend(closing.iter().map(|step| EventKind::StepCancelled { step: (*step).to_owned() }));
        kinds.extend(self.landings_from(boundary, merged.as_ref(), &closing)?);
        Ok(kinds)
    }

    /// When a timer armed at `from` fires: after its elapsed time, at the start of the day after
    /// its last working day (China time), or at its time.
    fn timer_due(
        &self,
        from: DateTime<FixedOffset>,
        after: &TimerDuration,
        timer: &str,
    ) -> Result<DateTime<FixedOffset>, Rejection> {
        match *after {
            TimerDuration::At(at) => Ok(at),
            TimerDuration::AtVariable(ref variable) => variable_time(&self.state.data, variable)
                .ok_or_else(|| Rejection::TimerTimeUnset { timer: timer.to_owned(), variable: variable.clone() }),
            // Validation bounds a timer to ten years, so this cannot overflow.
            TimerDuration::Seconds(seconds) => {
                Ok(from + chrono::Duration::seconds(seconds.min(MAX_TIMER_SECONDS) as i64))
            }
            TimerDuration::WorkingDays(days) => {
                let Some(calendar) = &self.calendar else {
                    return Err(Rejection::NoCalendar { timer: timer.to_owned() });
                };
                let last = TimeLimit::working_days(days)
                    .due_from(china_day(from), calendar)
                    .map_err(|e| Rejection::TimerBeyondCalendar { timer: timer.to_owned(), reason: e.to_string() })?;
                let next = last.succ_opt().unwrap_or(last).and_hms_opt(0, 0, 0).unwrap_or_default();
                Ok(zhengwu_core::china_offset().from_local_datetime(&next).single().unwrap_or(from))
            }
        }
    }
}

/// The time a case variable holds: an RFC 3339 date-time, a date-time without offset or a day
/// (its start), China time for those.
pub(super) fn variable_time(
    data: &serde_json::Map<String, serde_json::Value>,
    variable: &str,
) -> Option<DateTime<FixedOffset>> {
    let text = data.get(variable)?.as_str()?.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at);
    }
    let local = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .ok()
        .or_else(|| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?.and_hms_opt(0, 0, 0))?;
    zhengwu_core::china_offset().from_local_datetime(&local).single()
}
