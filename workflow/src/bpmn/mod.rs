//! BPMN 2.0 XML import and export, for processes drawn in the Flowable or Camunda modelers.
//!
//! Supported: `process`, `startEvent`, `endEvent`, `userTask`, `manualTask` and `task` (done by
//! officials), `serviceTask`, `scriptTask`, `sendTask`, `businessRuleTask` and `receiveTask`
//! (automatic steps the host completes, with what they name to run and their `resultVariable`),
//! `parallelGateway`, `exclusiveGateway` and `inclusiveGateway` (with `default`), `sequenceFlow`
//! with `conditionExpression` (JUEL as CEL), embedded `subProcess` (run inline), boundary timers on
//! tasks and intermediate timers (`timeDuration`, or `timeDate`: a date-time or `${variable}`;
//! fired by `Command::Tick`), message, signal, error
//! and escalation boundary events on tasks (named by their declarations; reported by the host with
//! `Command::Catch`), event subprocesses at the process level started by those (interrupting or
//! not), event definitions as
//! the steps they stand for (message and signal catch: receive steps; throw: send steps;
//! terminate and error ends), the executable pool of a collaboration, and
//! `multiInstanceLoopCharacteristics` (named signers, or the `collection` / `elementVariable`
//! idiom: a countersign; or a `loopCardinality`, a number or `${variable}`: a step done that many
//! times) with `isSequential` and `completionCondition`. Assignment in the `flowable:`, `camunda:` or `activiti:` namespace:
//! `assignee` and `candidateUsers` name officials, or a case variable (`${name}`, `$INITIATOR`),
//! or a list (`${'u1, u2'}`); `candidateGroups` names a built-in role, `dept:` a department, or
//! candidate groups the directory resolves; a task without assignment is its department's. Diagram
//! interchange (`bpmndi`), documentation, extension elements, lanes and text annotations are read
//! past. Any other element is an error naming it and its line: nothing is silently dropped. The
//! graph's own problems are listed beside it (the element standing as a step), except those it
//! may have caused.
//!
//! What BPMN leaves implicit is made explicit: a process or embedded subprocess drawn without a
//! start event starts at the one step nothing flows into (`{step}_start`), and a step that flows
//! nowhere ends its path (`{step}_end`, granted), and a step with several outgoing flows splits
//! (`{step}_split`: parallel, or inclusive when some flows carry conditions), so the definition
//! exports as it runs.
//!
//! zhengwu's own attributes (namespace `https://zhengwu.dev/bpmn`): `zhengwu:department`,
//! `zhengwu:limit` and `zhengwu:limitUnit` (`working_days`, `calendar_days`) on tasks,
//! `zhengwu:branchLimit` on a diverging parallel gateway, `zhengwu:outcome` (`granted`, `refused`,
//! `forwarded`, `terminated`) on end events — without it, an end named with 不予 is `refused`,
//! with 转报 `forwarded`, with 终止 `terminated`, otherwise `granted` — and `zhengwu:policy="veto"`
//! on a multi-instance for 一票否决, `zhengwu:unit="working_days"` on a timer counted on the
//! statutory calendar.

mod export;
mod expressions;
mod import;
mod pending;
mod shapes;
mod task;
mod xml;

pub use export::export_bpmn;
pub use import::import_bpmn;
