"""流程与办件: load a process (BPMN 2.0, JSON or TOML), run a case by commands, read its state and
due dates."""

from __future__ import annotations

import datetime
import json
import pathlib
from typing import Any, Dict, List, Mapping, Optional, Union

from zhengwu._zhengwu import Case as _Case
from zhengwu._zhengwu import ArgumentError, Process, WorkflowError
from zhengwu import calendar as _calendar
from zhengwu._boundary import guard, read_text

__all__ = ["Case", "Process", "load_process"]


@guard(WorkflowError)
def load_process(path: Union[str, pathlib.Path]) -> Process:
    """Reads and validates a process file: BPMN (``.bpmn``, ``.xml``), JSON or TOML by extension.
    Every problem of an invalid process is in the :class:`zhengwu.WorkflowError`."""
    text = read_text(path, "process file", WorkflowError)
    # The engine decides the format from the file's name (zhengwu_workflow::ProcessFormat).
    return Process(text, pathlib.Path(path).name)


class Case:
    """One case on the engine. Commands are dicts as the engine's JSON form has them
    (``{"type": "complete", "step": "review", "opinion": "同意"}``); every call returns the events
    it produced, as dicts."""

    @guard(WorkflowError)
    def __init__(self, process: Process, case_id: str, *, item: str, department: str, region: str) -> None:
        self._case = _Case(process, case_id, item, department, region)

    @guard(WorkflowError)
    def execute(
        self,
        command: Mapping[str, Any],
        *,
        actor: Mapping[str, Any],
        department: str,
        at: datetime.datetime,
    ) -> List[Dict[str, Any]]:
        """Runs ``command`` as ``actor`` (``{"id": "w01", "role": "window_clerk"}``) of
        ``department`` at ``at`` (timezone-aware). A command the case refuses raises
        :class:`zhengwu.CaseRejected` (a :class:`zhengwu.WorkflowError`) naming the step, the
        actor or the state; its ``kind`` is what to branch on (``"step_not_open"``,
        ``"handed_to_another"``, ``"case_closed"``, ...)."""
        if not isinstance(at, datetime.datetime):
            raise ArgumentError(f"at: expected a time-zone-aware datetime.datetime, got {type(at).__name__}")
        if at.tzinfo is None:
            raise WorkflowError("at must be timezone-aware (e.g. +08:00)")
        events: List[Dict[str, Any]] = json.loads(
            self._case.execute(json.dumps(dict(command), ensure_ascii=False), json.dumps(dict(actor)), department, at)
        )
        return events

    @property
    def status(self) -> Any:
        """``"running"``, ``{"concluded": "granted"}``, … as the engine reports it."""
        return json.loads(self._case.status())

    def open_tasks(self) -> List[str]:
        """The steps open now."""
        return self._case.open_tasks()

    def events(self) -> List[Dict[str, Any]]:
        """Every event so far."""
        events: List[Dict[str, Any]] = json.loads(self._case.events())
        return events

    @guard(WorkflowError)
    def progress(
        self,
        *,
        limit_days: int,
        as_of: datetime.date,
        regime: str = "single",
        calendar: Optional[_calendar.Calendar] = None,
    ) -> Dict[str, Any]:
        """The statutory clock (due date, days used and remaining, outcome class) against a limit
        of ``limit_days`` working days, and every open task's step and branch due dates."""
        progress: Dict[str, Any] = json.loads(
            self._case.progress(calendar or _calendar.default(), limit_days, regime, as_of)
        )
        return progress
