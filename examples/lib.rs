//! Runnable examples of zhengwu. Run one with `cargo run -p zhengwu-examples --example NAME`:
//!
//! - `case_clock`: the statutory clock of a permit case across the 2025 National Day holiday,
//!   with a 补正 pause, an expert review and an extension, against both the promised and the
//!   legal limit.
