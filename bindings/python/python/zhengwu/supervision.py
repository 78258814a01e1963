"""行政电子监察: replay case events and get the statistics, alerts and ranking as DataFrames."""

from __future__ import annotations

import datetime
import json
import pathlib
from typing import Any, Iterable, Mapping, Optional, Tuple, Union

import numpy as np
import pandas as pd

from zhengwu._zhengwu import Calendar, SupervisionError
from zhengwu._zhengwu import Statistics as _Statistics
from zhengwu._zhengwu import Supervisor as _Supervisor

__all__ = ["Partial", "Replay", "replay"]


class Partial:
    """Statistics of one partition of the events (a Dask or Spark partition, a month's file):
    picklable, and partials of the same grouping and period merge (``a.merge(b)``, or ``sum``)
    into the statistics of all the events together."""

    def __init__(self, statistics: _Statistics) -> None:
        self._statistics = statistics

    def merge(self, other: "Partial") -> "Partial":
        """The statistics of both partitions."""
        return Partial(self._statistics.merge(other._statistics))

    def __add__(self, other: "Partial") -> "Partial":
        return self.merge(other)

    def __radd__(self, other: object) -> "Partial":
        if other == 0:  # sum() starts from 0
            return self
        return NotImplemented

    def to_frame(self) -> "pd.DataFrame":
        """The rows, as :meth:`Replay.statistics` gives them."""
        return pd.DataFrame(json.loads(self._statistics.rows()))

    def __getstate__(self) -> str:
        return self._statistics.to_json()

    def __setstate__(self, state: str) -> None:
        self._statistics = _Statistics.from_json(state)

Events = Union[str, pathlib.Path, "pd.DataFrame", Iterable[Mapping[str, Any]]]


class Replay:
    """A replayed event log, evaluated as of an instant."""

    def __init__(self, supervisor: _Supervisor, as_of: datetime.datetime, ingest: Tuple[int, int, int]) -> None:
        self._supervisor = supervisor
        self.as_of = as_of
        self.applied, self.duplicates, self.rejected = ingest

    def statistics(self, by: str = "department", period: str = "all") -> "pd.DataFrame":
        """One row per group (``total``, ``department``, ``item``, ``region``, ``window``) and
        period (``all``, ``year``, ``quarter``, ``month``), columns as in the CLI's JSON."""
        return pd.DataFrame(json.loads(self._supervisor.statistics(self.as_of, by, period)))

    def partial(self, by: str = "department", period: str = "month") -> Partial:
        """The statistics as a mergeable, picklable :class:`Partial`."""
        return Partial(self._supervisor.partial(self.as_of, by, period))

    def alerts(self) -> "pd.DataFrame":
        """Every alert raised (rule, level, case, department, message, status …)."""
        return pd.DataFrame(json.loads(self._supervisor.alerts()))

    def ranking(self) -> "pd.DataFrame":
        """The department ranking under the published scheme (domain.md §2.4)."""
        return pd.DataFrame(json.loads(self._supervisor.ranking(self.as_of)))

    def rejections(self) -> "pd.DataFrame":
        """Events refused at ingest, with the reason."""
        return pd.DataFrame(json.loads(self._supervisor.rejections()))


def replay(
    events: Events,
    catalogue: Union[str, pathlib.Path],
    *,
    as_of: Optional[datetime.datetime] = None,
    rules: Optional[Union[str, pathlib.Path]] = None,
    calendar: Optional[Calendar] = None,
) -> Replay:
    """Replays ``events`` (a JSON-lines file, a list of event dicts, or a DataFrame with one event
    per row) against the catalogue file (TOML or JSON) and evaluates every rule as of ``as_of``
    (timezone-aware; default: the latest business time in the events)."""
    catalogue_path = pathlib.Path(catalogue)
    fmt = "json" if catalogue_path.suffix == ".json" else "toml"
    rules_text = pathlib.Path(rules).read_text(encoding="utf-8") if rules is not None else None
    supervisor = _Supervisor(catalogue_path.read_text(encoding="utf-8"), fmt, rules_text, calendar)
    text = _json_lines(events)
    ingest = supervisor.ingest_json_lines(text)
    if as_of is None:
        as_of = _latest(text)
    if as_of.tzinfo is None:
        raise SupervisionError("as_of must be timezone-aware (e.g. +08:00)")
    supervisor.evaluate(as_of)
    return Replay(supervisor, as_of, ingest)


def _json_lines(events: Events) -> str:
    if isinstance(events, (str, pathlib.Path)):
        return pathlib.Path(events).read_text(encoding="utf-8")
    if isinstance(events, pd.DataFrame):
        return _frame_json_lines(events)
    return "\n".join(json.dumps(dict(event), ensure_ascii=False, default=str) for event in events)


def _frame_json_lines(frame: "pd.DataFrame") -> str:
    """A DataFrame (one event per row) as JSON lines, written by pandas' own C writer: columns
    pandas read as numbers go back to text where the vocabulary has text, and each event kind is
    written with only the columns its rows use (so no member is a null it cannot be), then the
    lines are put back in the frame's order."""
    frame = frame.reset_index(drop=True)
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_float_dtype(series):
            present = series.dropna()
            if (present == present.round()).all():
                series = series.astype("Int64")
        if pd.api.types.is_datetime64_any_dtype(series):
            series = series.map(lambda t: None if pd.isna(t) else t.isoformat())
        elif pd.api.types.is_numeric_dtype(series) and str(column) not in _NUMERIC:
            series = series.astype("string")
        frame[column] = series
    if "type" not in frame.columns or len(frame) == 0:
        return str(frame.to_json(orient="records", lines=True, force_ascii=False))
    lines: list[str] = [""] * len(frame)
    for _, kind in frame.groupby("type", sort=False, dropna=False):
        kind = kind.dropna(axis=1, how="all")
        # Rows of one kind that leave different members empty are written apart, so that an
        # empty cell is an absent member, never a null.
        gaps = [column for column in kind.columns if kind[column].isna().any()]
        pattern = np.zeros(len(kind), dtype=np.int64)
        for bit, column in enumerate(gaps[:62]):
            pattern |= kind[column].isna().to_numpy().astype(np.int64) << bit
        for _, group in kind.groupby(pattern, sort=False):
            written = group.dropna(axis=1, how="all").to_json(orient="records", lines=True, force_ascii=False)
            for position, line in zip(group.index, str(written).splitlines()):
                lines[position] = line
    return "\n".join(lines)


# The event members that are numbers; every other scalar member is text, even when pandas read
# it as a number (a region code `530102`, a document number `1`).
_NUMERIC = frozenset({"schema", "sequence", "days", "amount_fen", "expected_days"})


def _clean(row: Mapping[str, Any]) -> dict[str, Any]:
    """A DataFrame row as an event: empty cells (columns other event kinds use) dropped, numbers
    back to ints or text as the event vocabulary has them."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        name = str(key)
        if value is None or (isinstance(value, float) and value != value):
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # an int column with gaps became float in pandas; events hold no floats
        if isinstance(value, pd.Timestamp):
            value = value.isoformat()
        if isinstance(value, (int, float)) and not isinstance(value, bool) and name not in _NUMERIC:
            value = str(value)
        out[name] = value
    return out


def _latest(text: str) -> datetime.datetime:
    latest: Optional[datetime.datetime] = None
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            at = datetime.datetime.fromisoformat(json.loads(line)["occurred_at"])
        except (ValueError, KeyError, TypeError):
            continue
        if latest is None or at > latest:
            latest = at
    if latest is None:
        raise SupervisionError("the events hold no valid occurred_at; give as_of=")
    return latest
