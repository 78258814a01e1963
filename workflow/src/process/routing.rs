//! Routing: which flows an exclusive branch or an inclusive fork takes for the case's data.

use zhengwu_core::Problems;

use super::{Process, conditions};
use crate::definition::{Flow, Node, NodeKind};
use crate::error::{Error, Result};

impl Process {
    /// The flow an exclusive branch takes for this case data: the first (in definition order)
    /// whose condition holds, else the default. A condition that reads data the case lacks, or
    /// gives something other than a boolean, is an error naming the flow.
    ///
    /// ```
    /// use serde_json::json;
    /// use zhengwu_core::{Decision, Role};
    /// use zhengwu_workflow::{Assignee, Process, ProcessBuilder};
    ///
    /// let process = Process::new(
    ///     ProcessBuilder::new("p", "")
    ///         .start("start")
    ///         .exclusive("size", Some("small"))
    ///         .task("site", "现场核查", Assignee::Role(Role::Handler))
    ///         .end("done", "准予", Decision::Granted)
    ///         .chain(&["start", "size"])
    ///         .flow("large", "size", "site", Some("${area > 1000}"))
    ///         .flow("small", "size", "done", None)
    ///         .chain(&["site", "done"])
    ///         .build(),
    /// )?;
    /// let data = |area: i64| json!({ "area": area }).as_object().unwrap().clone();
    /// assert_eq!(process.choose("size", &data(1500))?.to, "site");
    /// assert_eq!(process.choose("size", &data(200))?.to, "done");
    /// assert!(process.choose("size", &serde_json::Map::new()).is_err());
    /// # Ok::<(), zhengwu_workflow::Error>(())
    /// ```
    pub fn choose(&self, exclusive: &str, data: &serde_json::Map<String, serde_json::Value>) -> Result<&Flow> {
        let not_exclusive = || Error::InvalidProcess {
            process: self.definition.id.clone(),
            problems: {
                let mut problems = Problems::default();
                problems.push(format!("node `{exclusive}`"), "is not an exclusive branch");
                problems
            },
        };
        let Some(Node { kind: NodeKind::Exclusive { default }, .. }) = self.node(exclusive) else {
            return Err(not_exclusive());
        };
        let context = conditions::context(data);
        for flow in self.outgoing(exclusive) {
            let Some(program) = self.conditions.get(&flow.id) else { continue };
            if conditions::holds(&self.definition.id, flow, program, &context)? {
                return Ok(flow);
            }
        }
        let Some(default) = default.as_deref() else {
            let mut problems = Problems::default();
            problems.push(format!("exclusive `{exclusive}`"), "no condition holds and it has no default flow");
            return Err(Error::InvalidProcess { process: self.definition.id.clone(), problems });
        };
        self.outgoing(exclusive).into_iter().find(|f| f.id == default).ok_or_else(not_exclusive)
    }

    /// The branches an inclusive fork takes for `data`: every outgoing flow whose condition
    /// holds, and every one without a condition (except the default); the default when none
    /// holds. An error when none holds and there is no default, or a condition fails.
    pub fn choose_all(&self, fork: &str, data: &serde_json::Map<String, serde_json::Value>) -> Result<Vec<&Flow>> {
        let Some(Node { kind: NodeKind::Fork { inclusive: true, default, .. }, .. }) = self.node(fork) else {
            let mut problems = Problems::default();
            problems.push(format!("node `{fork}`"), "is not an inclusive fork");
            return Err(Error::InvalidProcess { process: self.definition.id.clone(), problems });
        };
        let context = conditions::context(data);
        let mut taken = Vec::new();
        for flow in self.outgoing(fork) {
            if default.as_deref() == Some(flow.id.as_str()) {
                continue;
            }
            let holds = match self.conditions.get(&flow.id) {
                Some(program) => conditions::holds(&self.definition.id, flow, program, &context)?,
                None => true,
            };
            if holds {
                taken.push(flow);
            }
        }
        if taken.is_empty() {
            match default.as_deref().and_then(|d| self.outgoing(fork).into_iter().find(|f| f.id == d)) {
                Some(flow) => taken.push(flow),
                None => {
                    let mut problems = Problems::default();
                    problems.push(format!("inclusive fork `{fork}`"), "no condition holds and it has no default flow");
                    return Err(Error::InvalidProcess { process: self.definition.id.clone(), problems });
                }
            }
        }
        Ok(taken)
    }
}
