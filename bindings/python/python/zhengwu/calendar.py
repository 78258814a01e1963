"""工作日历: is a day a working day, and when is a deadline (行政许可法 Art. 82, 民法典 Arts. 201/203)."""

from __future__ import annotations

import datetime
import pathlib
from typing import Optional, Union

from zhengwu._zhengwu import ArgumentError, Calendar, CalendarError
from zhengwu._boundary import guard, read_text

__all__ = ["Calendar", "deadline", "default", "is_workday", "load_schedule"]

_default = Calendar()


def default() -> Calendar:
    """The calendar the module functions use (embedded notices, plus loaded schedule files)."""
    return _default


@guard(CalendarError)
def load_schedule(source: Union[str, pathlib.Path], format: Optional[str] = None) -> Calendar:
    """Adds a new year's schedule file (TOML or JSON, by extension or ``format``) to the default
    calendar and returns it."""
    global _default
    text = read_text(source, "schedule file", CalendarError)
    fmt = format or ("json" if pathlib.Path(source).suffix == ".json" else "toml")
    _default = _default.with_schedule(text, fmt)
    return _default


@guard(CalendarError)
def is_workday(day: datetime.date) -> bool:
    """Whether ``day`` is a working day (调休 weekends included, holidays excluded)."""
    return _default.is_workday(_date(day))


@guard(CalendarError)
def deadline(
    start: datetime.date,
    *,
    working_days: Optional[int] = None,
    calendar_days: Optional[int] = None,
) -> datetime.date:
    """The due date of a limit counted from ``start`` (the start day is never counted): in
    working days, or in calendar days moved off a last day off."""
    if (working_days is None) == (calendar_days is None):
        raise CalendarError("give exactly one of working_days= and calendar_days=")
    if working_days is not None:
        return _default.add_working_days(_date(start), _count(working_days, "working_days"))
    assert calendar_days is not None
    return _default.add_calendar_days(_date(start), _count(calendar_days, "calendar_days"))


def _date(value: datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if not isinstance(value, datetime.date):
        raise ArgumentError(f"expected a datetime.date, got {type(value).__name__} `{value!r}`")
    return value


def _count(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ArgumentError(f"{name} must be a non-negative int, got `{value!r}`")
    return value
