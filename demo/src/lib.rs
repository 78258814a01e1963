#![doc = include_str!("../README.md")]

mod city;
mod simulate;

pub use city::City;
pub use simulate::DemoRun;
use zhengwu_core::Calendar;
use zhengwu_store::SqliteStore;

/// The result type of `zhengwu-demo`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why the demo could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A core error (the calendar has no schedule for the year, ...).
    #[error(transparent)]
    Core(#[from] zhengwu_core::Error),
    /// The workflow engine refused a command: a bug in the simulation.
    #[error(transparent)]
    Workflow(#[from] zhengwu_workflow::Error),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] zhengwu_store::Error),
    /// The year is outside the calendar.
    #[error("year {0} cannot be simulated")]
    Year(i32),
    /// More cases than a simulated year holds.
    #[error("{cases} cases cannot be simulated; at most {MAX_CASES} (forty times the seed city's year)")]
    TooManyCases {
        /// The number asked for.
        cases: u64,
    },
}

/// The most cases a simulated year holds: forty times the seed city's 24,000 (a province's
/// largest city), about a minute and a few GiB.
pub const MAX_CASES: u64 = 1_000_000;

/// A small deterministic generator (SplitMix64): the same seed gives the same city and the same
/// year on every machine and every version of every dependency.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n.max(1))) >> 64) as u64
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// What to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoConfig {
    /// The seed: the same seed gives the same events, byte for byte.
    pub seed: u64,
    /// The year (its State Council holiday notice must be in the calendar).
    pub year: i32,
    /// Cases over the year.
    pub cases: u64,
}

impl Default for DemoConfig {
    /// The seed's city: 24,000 cases in 2025, seed 2025.
    fn default() -> Self {
        DemoConfig { seed: 2025, year: 2025, cases: 24_000 }
    }
}

/// 演示: a prefecture-level city like the seed's (a city, 14 counties, 42 towns, 40 departments,
/// 450 service items, 2,000 enterprises with credit records), and its year of cases run through
/// the real workflow engine into an event store and supervised.
///
/// ```
/// use zhengwu_demo::{Demo, DemoConfig};
/// let demo = Demo::new(DemoConfig { cases: 200, ..DemoConfig::default() })?;
/// let mut store = zhengwu_store::SqliteStore::open_in_memory()?;
/// let run = demo.run(&mut store, &mut |_, _| {})?;
/// assert_eq!(run.cases, 200);
/// assert_eq!(store.verify()?.first_break, None);
/// # Ok::<(), zhengwu_demo::Error>(())
/// ```
#[derive(Debug)]
pub struct Demo {
    config: DemoConfig,
    city: City,
    calendar: Calendar,
}

impl Demo {
    /// Generates the city for `config`.
    pub fn new(config: DemoConfig) -> Result<Self> {
        if config.cases > MAX_CASES {
            return Err(Error::TooManyCases { cases: config.cases });
        }
        let calendar = Calendar::china();
        if !calendar.years().contains(&config.year) {
            return Err(Error::Year(config.year));
        }
        let mut rng = Rng::new(config.seed);
        let city = City::generate(&mut rng, config.year);
        Ok(Demo { config, city, calendar })
    }

    /// The generated city.
    pub fn city(&self) -> &City {
        &self.city
    }

    /// The calendar used.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// Runs the year into `store`; `progress(done, total)` is called as cases are written.
    pub fn run(&self, store: &mut SqliteStore, progress: &mut dyn FnMut(u64, u64)) -> Result<DemoRun> {
        simulate::run(
            &self.city,
            &self.calendar,
            self.config.year,
            self.config.cases,
            self.config.seed,
            store,
            progress,
        )
    }
}
