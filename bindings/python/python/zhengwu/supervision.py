"""行政电子监察: replay case events and get the statistics, alerts and ranking as DataFrames."""

from __future__ import annotations

import contextlib
import copy
import datetime
import functools
import gc
import json
import pathlib
import sys
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple, Union

import numpy as np
import pandas as pd
import pyarrow as pa

from zhengwu._zhengwu import ArgumentError, ArrowColumn, Calendar, SupervisionError, catalogue_template, text_dicts
from zhengwu._boundary import guard, read_text
from zhengwu._zhengwu import Partial as _Partial
from zhengwu._zhengwu import Supervisor as _Supervisor

__all__ = ["Partial", "Replay", "merge", "replay", "template", "to_arrow"]


class Partial:
    """The replay of one partition of the events (a Dask or Spark partition, a city's file):
    its statistics, every alert, the counters the ranking reads and the cases it held.
    Picklable; partials of disjoint partitions evaluated as of one instant merge (``a.merge(b)``,
    ``a + b`` or ``sum``) into what one replay of all the events gives. Two partials that both
    hold events of one case are not merged (SupervisionError naming the case): partition the
    events by case (city, region, case id), never by event."""

    def __init__(self, partial: _Partial) -> None:
        self._partial = partial

    @guard(SupervisionError)
    def merge(self, other: "Partial") -> "Partial":
        """Both partitions together."""
        if not isinstance(other, Partial):
            raise ArgumentError(f"a Partial merges with a Partial, not {type(other).__name__}")
        return Partial(self._partial.merge(other._partial))

    def __add__(self, other: "Partial") -> "Partial":
        return self.merge(other)

    def __radd__(self, other: object) -> "Partial":
        if other == 0:  # sum() starts from 0
            return self
        return NotImplemented

    def to_frame(self) -> "pd.DataFrame":
        """The statistics rows, as :meth:`Replay.statistics` gives them."""
        return _frame(lambda: json.loads(self._partial.rows()))

    def statistics(self) -> "pd.DataFrame":
        """The statistics rows (the same as :meth:`to_frame`)."""
        return self.to_frame()

    def alerts(self) -> "pd.DataFrame":
        """Every alert raised in the partitions, by id, as :meth:`Replay.alerts` gives them."""
        return _alerts_frame(self._partial.alerts)

    def ranking(self) -> "pd.DataFrame":
        """The department ranking over the partitions, as :meth:`Replay.ranking` gives it."""
        return _frame(lambda: json.loads(self._partial.ranking()))

    def rejections(self) -> "pd.DataFrame":
        """Events refused at ingest in the partitions."""
        return _frame(lambda: json.loads(self._partial.rejections()))

    @property
    def ingest(self) -> Tuple[int, int, int]:
        """(applied, duplicates, rejected) events."""
        return self._partial.ingest()

    @property
    def cases(self) -> int:
        """How many cases the partitions held."""
        return self._partial.cases()

    def to_json(self) -> str:
        """The partial as JSON (versioned), to travel where pickle does not (a Spark column)."""
        return self._partial.to_json()

    @classmethod
    @guard(SupervisionError)
    def from_json(cls, text: str) -> "Partial":
        """Reads what :meth:`to_json` wrote."""
        return cls(_Partial.from_json(text))

    def __getstate__(self) -> str:
        return self._partial.to_json()

    @guard(SupervisionError)
    def __setstate__(self, state: str) -> None:
        self._partial = _Partial.from_json(state)

@guard(SupervisionError)
def merge(partials: Iterable[Partial]) -> Partial:
    """Every partial merged at once: what ``sum(partials)`` gives, each list sorted once instead
    of merged again at every step (use it for many or large partials, a province's cities).
    Cases held by more than one partial are named and nothing is merged."""
    parts = list(partials)
    for part in parts:
        if not isinstance(part, Partial):
            raise ArgumentError(f"merge takes Partials, not {type(part).__name__}")
    return Partial(_Partial.merge_all([part._partial for part in parts]))


Events = Union[str, pathlib.Path, "pd.DataFrame", "pa.Table", "pa.RecordBatchReader", Any, Iterable[Mapping[str, Any]]]


class Replay:
    """A replayed event log, evaluated as of an instant."""

    def __init__(self, supervisor: _Supervisor, as_of: datetime.datetime, ingest: Tuple[int, int, int]) -> None:
        self._supervisor = supervisor
        self.as_of = as_of
        self.applied, self.duplicates, self.rejected = ingest

    @guard(SupervisionError)
    def statistics(self, by: str = "department", period: str = "all") -> "pd.DataFrame":
        """One row per group (``total``, ``department``, ``item``, ``region``, ``window``) and
        period (``all``, ``year``, ``quarter``, ``month``), columns as in the CLI's JSON."""
        return _frame(lambda: json.loads(self._supervisor.statistics(self.as_of, by, period)))

    @guard(SupervisionError)
    def partial(self, by: str = "department", period: str = "month") -> Partial:
        """This replay as a mergeable, picklable :class:`Partial`: statistics grouped and cut as
        asked, every alert, the ranking's counters and the cases held."""
        return Partial(self._supervisor.partial(self.as_of, by, period))

    def alerts(self) -> "pd.DataFrame":
        """Every alert raised (rule, level, case, department, message, status …), ordered by id:
        the columns and values of the command line's JSON alerts read by ``pd.DataFrame``."""
        return _alerts_frame(self._supervisor.alerts)

    def ranking(self) -> "pd.DataFrame":
        """The department ranking under the published scheme (domain.md §2.4)."""
        return _frame(lambda: json.loads(self._supervisor.ranking(self.as_of)))

    def rejections(self) -> "pd.DataFrame":
        """Events refused at ingest, with the reason."""
        return _frame(lambda: json.loads(self._supervisor.rejections()))


@functools.lru_cache(maxsize=4)
def _template(catalogue_text: str, fmt: str, rules_text: Optional[str]) -> _Supervisor:
    """A supervisor without events over this catalogue and these rules, kept for the next replay
    of the same texts: a Dask or Spark worker replaying partition after partition parses a
    province's catalogue (some 3,000 items, 40 ms) once, not once a partition."""
    return _Supervisor(catalogue_text, fmt, rules_text)


@guard(SupervisionError)
def replay(
    events: Events,
    catalogue: Union[str, pathlib.Path],
    *,
    as_of: Optional[datetime.datetime] = None,
    rules: Optional[Union[str, pathlib.Path]] = None,
    calendar: Optional[Calendar] = None,
    naive_timestamps: Optional[str] = None,
    threads: int = 2,
) -> Replay:
    """Replays ``events`` against the catalogue file (TOML or JSON) and evaluates every rule as of
    ``as_of`` (timezone-aware; default: the latest entry time, ``recorded_at``, among the applied
    events, never later than now).

    ``events`` is one event per line or row, members as in the event vocabulary: a JSON-lines
    file, a Parquet file (its path), a list of event dicts, a pandas DataFrame, a pyarrow Table /
    RecordBatchReader / ``pyarrow.dataset.Dataset`` (or any object exporting the Arrow C stream
    interface, a polars DataFrame say). Tables are read column by column in Rust, without JSON;
    see :func:`to_arrow` for how a DataFrame's columns are handed over. A Parquet file or dataset
    (read a batch at a time) and a table in memory (a DataFrame, a pyarrow Table, a polars
    DataFrame) have each complete case folded away once the rows move on from it, so rows in case
    order need memory for their open cases only; rows in another order are read again without
    folding, and the figures do not depend on the order. A RecordBatchReader is read once,
    unfolded.

    ``naive_timestamps`` says how to read a timestamp column without a time zone (what
    ``pyarrow.json`` makes of RFC 3339 text, and pandas' naive datetimes): ``"utc"`` when its
    values are UTC instants, or a zone (``"Asia/Shanghai"``) when they are wall-clock times
    there. Without it such a column is refused, naming it.

    ``threads`` is how many threads read a Parquet file, a dataset or a table: 2, a second thread
    converting rows to events while the calling one replays them (the quickest for one replay
    with a core to spare), or 1, the calling thread alone (some 12 % less work in all: what a
    Dask or Spark worker running a task per core should ask for), for a RecordBatchReader too;
    JSON lines and lists of dicts are read on the calling thread."""
    if threads not in (1, 2) or isinstance(threads, bool):
        # Checked for every kind of input, not only those read on threads.
        raise ValueError(f"threads must be 1 or 2, not {threads!r}")
    catalogue_text = read_text(catalogue, "catalogue", SupervisionError)
    fmt = "json" if pathlib.Path(catalogue).suffix == ".json" else "toml"
    rules_text = read_text(rules, "rule file", SupervisionError) if rules is not None else None
    supervisor = copy.copy(_template(catalogue_text, fmt, rules_text)) if calendar is None else _Supervisor(
        catalogue_text, fmt, rules_text, calendar)
    now = datetime.datetime.now(datetime.timezone.utc)
    if isinstance(events, pd.DataFrame) or _is_table(events):
        # A table in memory: read in Rust, complete cases folded away as rows in case order move
        # on from them (read again, unfolded, when they are not in case order).
        table = to_arrow(events) if isinstance(events, pd.DataFrame) else events
        ingest, as_of = supervisor.replay_arrow(table, naive_timestamps, as_of, now, threads)
    elif _is_dataset(events):
        # A pyarrow dataset (a folder of Parquet files, partitioned or not): its batches streamed,
        # complete cases folded as rows in case order move on from them (a dataset whose cases lie
        # whole in a file, each file in case order, as Dask and Spark write them); scanned again,
        # unfolded, when the rows are not in case order.
        dataset = events
        ingest, as_of = supervisor.replay_stream(
            lambda: dataset.scanner().to_reader(),
            lambda: dataset.scanner(columns=["recorded_at"]).to_reader(),
            dataset.count_rows(), naive_timestamps, as_of, now, threads)
    elif hasattr(events, "__arrow_c_stream__"):
        rows = getattr(events, "num_rows", None)
        ingest = supervisor.ingest_arrow(events, rows if isinstance(rows, int) else None, naive_timestamps, threads)
    elif isinstance(events, (str, pathlib.Path)) and _is_parquet(events):
        # Read a batch at a time in Rust; complete cases are folded away as a file in case order
        # moves on from them, so memory holds the open cases (the figures are the same).
        ingest, as_of = supervisor.replay_parquet(str(events), naive_timestamps, as_of, now, threads)
    elif isinstance(events, (str, pathlib.Path)):
        # Read a line at a time in Rust: memory stays within one line however large the file.
        ingest = supervisor.ingest_json_lines_file(str(events))
    else:
        ingest = supervisor.ingest_json_lines(
            "\n".join(json.dumps(dict(event), ensure_ascii=False, default=str) for event in events)
        )
    if as_of is None:
        # The latest entry time (a business time may not lie after it), and never later than now.
        as_of = supervisor.latest_recorded_at()
        if as_of is None:
            raise SupervisionError("no event was applied, so there is no latest time to evaluate as of; give as_of=")
        as_of = min(as_of, datetime.datetime.now(datetime.timezone.utc).astimezone(as_of.tzinfo))
    if as_of.tzinfo is None:
        raise SupervisionError("as_of must be timezone-aware (e.g. +08:00)")
    supervisor.evaluate(as_of)
    return Replay(supervisor, as_of, ingest)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a frame is made of fresh dicts and lists
    without cycles: the collections their allocations set off tripled the time at 100,000
    alerts."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _frame(make: Callable[[], Any]) -> "pd.DataFrame":
    """A DataFrame of the records ``make`` returns."""
    with _collector_paused():
        return pd.DataFrame(make())


def _alerts_frame(columns: Callable[[], Tuple[List[str], ArrowColumn, Dict[str, List[Any]]]]) -> "pd.DataFrame":
    """The alerts' DataFrame from the columns Rust makes (``arrow_column::alert_columns``): the
    text columns through Arrow (no Python string per cell: 0.78 s → 0.19 s at a hundred thousand
    alerts), the nested ones (evidence, deadline, history) as the dicts, strings and lists
    ``json.loads`` makes, so the frame is the one ``pd.DataFrame`` makes of the JSON alerts."""
    with _collector_paused():
        names, flat, nested = columns()
        frame = pa.RecordBatch.from_struct_array(pa.array(flat)).to_pandas()
        for position, name in enumerate(names):
            if name in nested:
                frame.insert(position, name, pd.Series(nested[name], index=frame.index))
        return frame


def _is_table(events: object) -> bool:
    """Whether ``events`` is a table held in memory whose Arrow stream can be collected whole: a
    pyarrow Table, or a polars DataFrame (when polars is loaded). Readers and scanners stream."""
    if isinstance(events, pa.Table):
        return True
    polars = sys.modules.get("polars")
    return polars is not None and isinstance(events, polars.DataFrame)


def _is_dataset(events: object) -> bool:
    try:
        import pyarrow.dataset as ds
    except ImportError:  # pragma: no cover - pyarrow without its dataset module
        return False
    return isinstance(events, ds.Dataset)


def _is_parquet(path: Union[str, pathlib.Path]) -> bool:
    """Whether the file begins with Parquet's magic bytes (a JSON-lines file begins with ``{``)."""
    try:
        with open(path, "rb") as file:
            return file.read(4) == b"PAR1"
    except OSError:
        return False  # the JSON-lines reader names the file it cannot open


@guard(SupervisionError)
def to_arrow(frame: "pd.DataFrame") -> "pa.Table":
    """A DataFrame of events (one per row) as the Arrow table :func:`replay` reads.

    Each column goes to Arrow as pyarrow converts it (strings, numbers, categoricals, lists,
    dicts as structs, time-zone-aware datetimes as zoned timestamps; NaN as empty). A column
    pyarrow cannot give one type (``to`` holding a name in some rows and a list in others) is
    handed over as JSON text of the canonical ``arrow.json`` extension type, which the reader
    parses cell by cell. A column of flat dicts of text (the ``actor`` column ``read_json``
    makes) is read in Rust, which knows its shape. The index is not an event member and is left
    out."""
    if not isinstance(frame, pd.DataFrame):
        raise ArgumentError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    duplicated = sorted({str(name) for name in frame.columns[frame.columns.duplicated()]})
    if duplicated:
        raise SupervisionError(f"the DataFrame has more than one column named {', '.join(duplicated)}")
    arrays: list[pa.Array] = []
    fields: list[pa.Field] = []
    for name in frame.columns:
        series = frame[name]
        try:
            column = _object_column(series)
            array = pa.array(column) if column is not None else pa.array(series, from_pandas=True)
            field = pa.field(str(name), array.type)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            array = pa.array(
                [None if _empty(cell) else json.dumps(cell, ensure_ascii=False, default=_json_default) for cell in series],
                pa.string(),
            )
            field = pa.field(str(name), pa.string(), metadata={b"ARROW:extension:name": b"arrow.json"})
        arrays.append(array)
        fields.append(field)
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _object_column(series: "pd.Series[Any]") -> Optional[ArrowColumn]:
    """An object column of flat dicts of text (the ``actor`` column ``read_json`` makes) read in
    Rust; None for any other column (or when a cell is of another shape)."""
    if series.dtype != object:
        return None
    head = series.iloc[:64].dropna()  # a look at the first cells (the column may be long)
    if head.empty or not isinstance(head.iloc[0], dict):
        return None
    return text_dicts(series.tolist())


def _empty(cell: Any) -> bool:
    if cell is None:
        return True
    try:
        return bool(pd.isna(cell))
    except (TypeError, ValueError):  # lists and arrays: never empty cells
        return False


def _json_default(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (datetime.datetime, datetime.date, pd.Timestamp)):
        return value.isoformat()
    return str(value)


@guard(SupervisionError)
def template(
    kind: str,
    code: str,
    department: str,
    *,
    office: Optional[str] = None,
    review: Optional[str] = None,
    recheck: Optional[str] = None,
) -> dict[str, Any]:
    """The catalogue items of a statutory application, as a catalogue dict (``{"item": [...]}``,
    what a JSON catalogue file holds): ``"petition"`` (信访工作条例: the four stages, codes
    ``{code}-DJ`` … ``-FH``, with ``office``, ``review`` and ``recheck`` naming the 信访部门, 复查
    and 复核机关), ``"disclosure"`` (政府信息公开 依申请公开), ``"suggestion"`` (人大代表建议) or
    ``"proposal"`` (政协提案). Write it to a ``.json`` file and pass it to :func:`replay`, with
    the city's own items."""
    items: dict[str, Any] = json.loads(catalogue_template(kind, code, department, office, review, recheck))
    return items
