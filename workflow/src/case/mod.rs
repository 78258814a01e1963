//! 办件: a case running through a process. Commands are checked against the case's state and the
//! actor's authority and produce core `CaseEvent`s; the state is a fold of those events, so
//! replaying a case's events gives exactly the state the live case had.
//!
//! The files follow the command families: [`intake`](self::intake) (收件 to 受理, 补正, 送达),
//! `task` (完成, 退回, 撤回, 委派, 转办), `countersign` (会签, 加签, 减签), `control` (挂起, special
//! procedures, 延期, 终止); `tokens` moves tokens through the graph, `apply` folds one event into
//! the state, `progress` reports where a case stands; `engine` holds [`Case`] itself, its
//! checks common to every command and the dispatch to the families.

mod apply;
mod command;
mod control;
mod countersign;
mod engine;
mod intake;
mod progress;
mod state;
mod task;
mod timers;
mod tokens;

pub use command::{Command, Context};
pub use engine::Case;
pub use progress::{Progress, TaskProgress};
pub use state::{CaseSnapshot, OpenTask, SNAPSHOT_VERSION};
