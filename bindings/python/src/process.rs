//! `Process`: a validated process definition.

use pyo3::prelude::*;

use crate::args::Text;
use crate::errors::workflow_error;

/// 流程: a validated process definition.
#[pyclass(module = "zhengwu._zhengwu", frozen)]
pub(crate) struct Process {
    pub(crate) inner: std::sync::Arc<zhengwu_workflow::Process>,
}

#[pymethods]
impl Process {
    /// Reads a process: `format` is `bpmn`, `json` or `toml`, or the name of the file the text
    /// came from (its extension decides); every problem is in the error.
    #[new]
    fn new(text: Text<'_>, format: Text<'_>) -> PyResult<Self> {
        let format = zhengwu_workflow::ProcessFormat::parse(format.0).map_err(workflow_error)?;
        let definition = zhengwu_workflow::ProcessDefinition::read(text.0, format).map_err(workflow_error)?;
        let process = zhengwu_workflow::Process::new(definition).map_err(workflow_error)?;
        Ok(Process { inner: std::sync::Arc::new(process) })
    }

    fn id(&self) -> String {
        self.inner.definition().id.clone()
    }

    /// The task steps' ids, in definition order.
    fn tasks(&self) -> Vec<String> {
        self.inner.tasks().map(|node| node.id.clone()).collect()
    }
}
