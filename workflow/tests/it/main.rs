//! Integration tests of zhengwu-workflow, one binary.

mod bpmn;
mod branches;
mod cases;
mod exchange;
mod formats;
mod modeler;
mod props;
mod scenarios;
mod shapes;
mod templates;
mod timers;
mod validate;

pub(crate) fn data(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../tests/data/workflow/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}
