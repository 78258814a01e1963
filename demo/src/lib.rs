#![doc = include_str!("../README.md")]

mod apps;
mod city;
mod error;
mod rng;
mod simulate;

pub use city::City;
pub use error::{Error, MAX_CASES, Result};
use rng::Rng;
pub use simulate::DemoRun;
use zhengwu_core::Calendar;
use zhengwu_store::SqliteStore;

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
