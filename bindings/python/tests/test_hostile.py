"""Hostile and careless arguments: every public function either answers or raises a ZhengwuError
naming what was wrong; no TypeError, OverflowError, UnicodeEncodeError, AttributeError or
FileNotFoundError escapes bare."""

from __future__ import annotations

import datetime
import json
import pathlib
from typing import Any, Callable, Dict, List, Tuple

import pandas as pd
import pytest

import zhengwu
from zhengwu import calendar, credit, documents, supervision, workflow

ROOT = pathlib.Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data" / "supervision"
PROCESS = ROOT / "tests" / "data" / "workflow" / "establish-enterprise.flowable.bpmn20.xml"
CHINA = datetime.timezone(datetime.timedelta(hours=8))
AT = datetime.datetime(2025, 3, 3, 9, tzinfo=CHINA)

HOSTILE: List[Any] = [
    None,
    -1,
    2**70,
    1.5,
    True,
    "\ud800",
    "",
    b"bytes",
    [],
    {},
    {"a": [1, {"b": None}]},
    object(),
    float("nan"),
    datetime.date(2025, 3, 3),
    datetime.datetime(2025, 3, 3, 9),
]


def _case() -> workflow.Case:
    process = workflow.load_process(PROCESS)
    return workflow.Case(process, "KB-1", item="KB-001", department="scjg", region="530102")


def _replay() -> supervision.Replay:
    return supervision.replay(DATA / "events.jsonl", DATA / "catalogue.toml", as_of=AT)


# Each entry: a name, the valid arguments (positional, keyword), and a call taking them.
Call = Tuple[str, List[Any], Dict[str, Any], Callable[..., Any]]
CALLS: List[Call] = [
    ("calendar.is_workday", [datetime.date(2025, 3, 3)], {}, calendar.is_workday),
    ("calendar.deadline", [datetime.date(2025, 3, 3)], {"working_days": 20}, calendar.deadline),
    ("calendar.load_schedule", [ROOT / "fuzz" / "corpus" / "schedule" / "one-year.toml"], {}, calendar.load_schedule),
    ("Calendar.is_workday", [datetime.date(2025, 3, 3)], {}, lambda *a: calendar.default().is_workday(*a)),
    ("Calendar.add_working_days", [datetime.date(2025, 3, 3), 5], {}, lambda *a: calendar.default().add_working_days(*a)),
    ("Calendar.add_calendar_days", [datetime.date(2025, 3, 3), 5], {}, lambda *a: calendar.default().add_calendar_days(*a)),
    (
        "Calendar.working_days_between",
        [datetime.date(2025, 3, 3), datetime.date(2025, 4, 3)],
        {},
        lambda *a: calendar.default().working_days_between(*a),
    ),
    ("Calendar.with_schedule", ["[[year]]\nyear = 2040\n", "toml"], {}, lambda *a: calendar.default().with_schedule(*a)),
    ("credit.check", ["91350100M000100Y43"], {}, credit.check),
    ("credit.check_many", [["91350100M000100Y43"]], {}, credit.check_many),
    ("documents.validate", [{"id": "x"}], {}, documents.validate),
    ("workflow.load_process", [PROCESS], {}, workflow.load_process),
    ("workflow.Process", ["<definitions/>", "bpmn"], {}, workflow.Process),
    (
        "workflow.Case",
        ["KB-1"],
        {"item": "KB-001", "department": "scjg", "region": "530102"},
        lambda *a, **k: workflow.Case(workflow.load_process(PROCESS), *a, **k),
    ),
    (
        "Case.execute",
        [{"type": "receive", "channel": "online", "materials": ["M01"]}],
        {"actor": {"id": "w01", "role": "window_clerk"}, "department": "scjg", "at": AT},
        lambda *a, **k: _case().execute(*a, **k),
    ),
    (
        "Case.progress",
        [],
        {"limit_days": 20, "as_of": datetime.date(2025, 3, 4), "regime": "single"},
        lambda *a, **k: _case().progress(*a, **k),
    ),
    (
        "supervision.replay",
        [DATA / "events.jsonl", DATA / "catalogue.toml"],
        {"as_of": AT},
        supervision.replay,
    ),
    ("supervision.to_arrow", [pd.DataFrame({"type": ["received"]})], {}, supervision.to_arrow),
    ("Replay.statistics", ["department", "all"], {}, lambda *a: _replay().statistics(*a)),
    ("Replay.partial", ["department", "month"], {}, lambda *a: _replay().partial(*a)),
    ("Partial.merge", [_replay().partial()], {}, lambda *a: _replay().partial().merge(*a)),
]


def _variants() -> List[Tuple[str, List[Any], Dict[str, Any], Callable[..., Any]]]:
    variants = []
    for name, args, kwargs, call in CALLS:
        for slot in range(len(args)):
            for value in HOSTILE:
                changed = list(args)
                changed[slot] = value
                variants.append((f"{name} arg {slot} = {value!r:.30}", changed, kwargs, call))
        for key in kwargs:
            for value in HOSTILE:
                variants.append((f"{name} {key} = {value!r:.30}", args, {**kwargs, key: value}, call))
    return variants


VARIANTS = _variants()


def test_the_battery_is_large() -> None:
    assert len(VARIANTS) >= 400


@pytest.mark.parametrize("name,args,kwargs,call", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_every_error_is_a_zhengwu_error(name: str, args: List[Any], kwargs: Dict[str, Any], call: Callable[..., Any]) -> None:
    try:
        call(*args, **kwargs)
    except zhengwu.ZhengwuError as error:
        assert str(error), f"{name}: an error without a message"
    except Exception as error:  # noqa: BLE001 - the point of the test
        pytest.fail(f"{name}: {type(error).__name__} is not a ZhengwuError: {error}")


def test_argument_errors_name_what_was_given() -> None:
    with pytest.raises(zhengwu.ArgumentError, match="expected a str, got NoneType None") as caught:
        credit.check(None)  # type: ignore[arg-type]
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, ValueError)
    with pytest.raises(zhengwu.ArgumentError, match="lone surrogate at character 3"):
        credit.check("913\ud800")
    with pytest.raises(zhengwu.ArgumentError, match="expected a whole number from 0 to 4294967295, got int 1180591620717411303424"):
        calendar.default().add_working_days(datetime.date(2025, 3, 3), 2**70)
    with pytest.raises(zhengwu.ArgumentError, match="got bool True"):
        calendar.default().add_working_days(datetime.date(2025, 3, 3), True)
    with pytest.raises(zhengwu.ArgumentError, match="expected a datetime.date, got str '2025-03-03'"):
        calendar.default().is_workday("2025-03-03")  # type: ignore[arg-type]
    with pytest.raises(zhengwu.ArgumentError, match="expected a time-zone-aware datetime.datetime"):
        _case().execute({"type": "accept"}, actor={"id": "w01"}, department="scjg", at="2025-03-03")  # type: ignore[arg-type]
    with pytest.raises(zhengwu.ArgumentError, match="expected a Calendar, got int 3"):
        _case().progress(limit_days=20, as_of=datetime.date(2025, 3, 4), calendar=3)  # type: ignore[arg-type]
    with pytest.raises(zhengwu.ArgumentError, match="working_days must be a non-negative int"):
        calendar.deadline(datetime.date(2025, 3, 3), working_days=-1)


def test_files_that_cannot_be_read_are_named(tmp_path: pathlib.Path) -> None:
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(zhengwu.SupervisionError, match=r"cannot read the catalogue `.*nowhere.toml`: No such file"):
        supervision.replay(DATA / "events.jsonl", missing)
    with pytest.raises(zhengwu.SupervisionError, match=r"cannot read the events `.*nowhere.toml`: No such file"):
        supervision.replay(missing, DATA / "catalogue.toml")
    with pytest.raises(zhengwu.SupervisionError, match=r"cannot read the rule file"):
        supervision.replay(DATA / "events.jsonl", DATA / "catalogue.toml", rules=missing)
    with pytest.raises(zhengwu.WorkflowError, match=r"cannot read the process file"):
        workflow.load_process(missing)
    with pytest.raises(zhengwu.CalendarError, match=r"cannot read the schedule file"):
        calendar.load_schedule(missing)
    latin = tmp_path / "latin1.toml"
    latin.write_bytes(b"[[item]]\nname = \"\xe9\"\n")
    with pytest.raises(zhengwu.SupervisionError, match=r"is not UTF-8 \(byte 17\)"):
        supervision.replay(DATA / "events.jsonl", latin)
    with pytest.raises(zhengwu.SupervisionError, match=r"is larger than 67108864 bytes"):
        supervision.replay(DATA / "events.jsonl", "/dev/zero")


def test_an_events_file_is_read_a_line_at_a_time(tmp_path: pathlib.Path) -> None:
    log = tmp_path / "events.jsonl"
    good = (DATA / "events.jsonl").read_text(encoding="utf-8")
    log.write_bytes(good.encode() + b"\xff\xfe\n")
    replayed = supervision.replay(log, DATA / "catalogue.toml", as_of=AT)
    whole = supervision.replay(DATA / "events.jsonl", DATA / "catalogue.toml", as_of=AT)
    assert replayed.applied == whole.applied
    assert replayed.rejected == whole.rejected + 1
    reasons = replayed.rejections()
    last = reasons.iloc[-1]
    assert last["line"] == len(good.splitlines()) + 1
    assert last["reason"].startswith("the line is not UTF-8")
    endless = tmp_path / "endless.jsonl"
    endless.write_bytes(b"x" * ((1 << 20) + 10))
    with pytest.raises(zhengwu.SupervisionError, match=r"line 1: longer than 1048576 bytes"):
        supervision.replay(endless, DATA / "catalogue.toml", as_of=AT)


def test_duplicate_dataframe_columns_are_named() -> None:
    frame = pd.DataFrame([["received", "K1"]], columns=["type", "type"])
    with pytest.raises(zhengwu.SupervisionError, match="more than one column named type"):
        supervision.replay(frame, DATA / "catalogue.toml", as_of=AT)


def test_a_sequence_written_as_text_is_refused_as_in_json() -> None:
    lines = [json.loads(line) for line in (DATA / "events.jsonl").read_text(encoding="utf-8").splitlines()[:1]]
    event = lines[0]
    as_text = {**event, "sequence": str(event["sequence"])}
    from_json = supervision.replay([as_text], DATA / "catalogue.toml", as_of=AT)
    assert from_json.rejected == 1
    frame = pd.DataFrame([as_text])
    from_frame = supervision.replay(frame, DATA / "catalogue.toml", as_of=AT)
    assert from_frame.rejected == 1
    assert "a number written as text is refused" in from_frame.rejections()["reason"][0]
    assert from_frame.applied == from_json.applied == 0


def test_a_row_count_beyond_memory_is_only_a_hint() -> None:
    import pyarrow as pa

    table = supervision.to_arrow(pd.DataFrame([json.loads((DATA / "events.jsonl").read_text(encoding="utf-8").splitlines()[0])]))
    from zhengwu._zhengwu import Supervisor

    supervisor = Supervisor((DATA / "catalogue.toml").read_text(encoding="utf-8"), "toml")
    assert supervisor.ingest_arrow(table, 2**40) == (1, 0, 0)
    with pytest.raises(zhengwu.ArgumentError, match="expected a whole number from 0 to 9223372036854775807"):
        supervisor.ingest_arrow(pa.table({"a": [1]}), 2**64)
