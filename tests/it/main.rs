//! Cross-crate scenario tests of zhengwu, driven by the fixtures under `tests/data/`.

mod calendar;
mod clock;
mod credit_in_approval;
mod disclosure;
mod engine_to_supervision;
mod exchange_to_supervision;
mod petition;
mod proposal;
mod statute;
