//! The command line's clock: the one place the product reads the system time.

use anyhow::Context;

/// The current instant: the command line may read the clock (it is the libraries' caller).
#[allow(clippy::disallowed_methods)]
pub(crate) fn now() -> chrono::DateTime<chrono::Utc> {
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    chrono::DateTime::from_timestamp(since_epoch.as_secs() as i64, 0).unwrap_or_default()
}

/// The instant to evaluate as of when none is given: the latest entry time of the applied
/// events (a business time may not lie after its entry time, so one far-dated event cannot move
/// it), and never later than now.
pub(crate) fn default_as_of(
    supervisor: &zhengwu_supervision::Supervisor,
) -> anyhow::Result<chrono::DateTime<chrono::FixedOffset>> {
    latest_or_now(supervisor.latest_recorded_at()).context("no event was applied; give --as-of")
}

/// The instant to evaluate a log ending at the entry time `latest` as of: `latest`, never later
/// than now.
pub(crate) fn latest_or_now(
    latest: Option<chrono::DateTime<chrono::FixedOffset>>,
) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    latest.map(|latest| latest.min(now().with_timezone(latest.offset())))
}
