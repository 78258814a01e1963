//! What the reader keeps of each flow node until the whole process is read.

use std::collections::BTreeMap;

use crate::definition::Trigger;

pub(super) struct Pending {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) line: usize,
    pub(super) kind: PendingKind,
}

/// An embedded subprocess, or an event subprocess (`triggered`), as drawn.
pub(super) struct Subprocess {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) line: usize,
    /// The subprocess it is drawn in.
    pub(super) parent: Option<String>,
    /// `triggeredByEvent="true"`: an event subprocess.
    pub(super) triggered: bool,
}

pub(super) enum PendingKind {
    /// A start event; in an event subprocess, what it waits for (`trigger`, or the kind of event
    /// zhengwu cannot catch in `other`) and whether it interrupts.
    Start {
        trigger: Option<Trigger>,
        other: Option<String>,
        interrupting: bool,
    },
    End(Option<String>),
    Task {
        element: &'static str,
        attributes: BTreeMap<String, String>,
        multi: Option<Multi>,
        script: Option<String>,
    },
    /// A parallel gateway, or an inclusive one (with its default flow).
    Parallel {
        branch_limit: Option<String>,
        inclusive: Option<Option<String>>,
    },
    Exclusive(Option<String>),
    /// The way into or out of an embedded subprocess, flattened: a merge.
    PassThrough,
    /// An element zhengwu does not run (already a problem): it stands as a step while the
    /// graph is checked.
    Refused,
    /// The start of an event subprocess.
    EventStart {
        trigger: Trigger,
        interrupting: bool,
    },
    /// A boundary event waiting for what the host reports.
    Boundary {
        attached_to: String,
        interrupting: bool,
        trigger: Trigger,
    },
    /// A timer event: on a task's boundary, or in the flow (`attached_to` `None`).
    Timer {
        attached_to: Option<String>,
        interrupting: bool,
        duration: Option<String>,
        /// A `timeDate`, as written.
        date: Option<String>,
        unit: Option<String>,
    },
}

#[derive(Default)]
pub(super) struct Multi {
    pub(super) sequential: bool,
    pub(super) completion: Option<String>,
    pub(super) policy: Option<String>,
    /// `collection`: the case variable listing the signers.
    pub(super) collection: Option<String>,
    /// `elementVariable`: the name each instance's signer goes by.
    pub(super) element: Option<String>,
    /// A `loopCardinality` (a count of instances, not signers), as written.
    pub(super) cardinality: Option<String>,
}
