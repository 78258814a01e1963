"""The Python package's conversions and errors (the logic itself is tested in Rust)."""

from __future__ import annotations

import datetime
import io
import json
import pathlib
import subprocess

import pandas as pd
import pytest

import zhengwu
from zhengwu import calendar, credit, documents, supervision

ROOT = pathlib.Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data" / "supervision"


def test_every_day_of_2025_and_2026_matches_chinesecalendar() -> None:
    chinese_calendar = pytest.importorskip("chinese_calendar")
    day = datetime.date(2025, 1, 1)
    while day.year < 2027:
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)


def test_deadlines_in_working_and_calendar_days() -> None:
    # domain.md §1.4: 20 working days from 30 September 2025, across National Day.
    assert calendar.deadline(datetime.date(2025, 9, 30), working_days=20) == datetime.date(2025, 11, 4)
    assert calendar.deadline(datetime.date(2026, 8, 2), calendar_days=60) == datetime.date(2026, 10, 8)
    # A datetime is taken as its date.
    assert calendar.deadline(datetime.datetime(2025, 9, 30, 15, 0), working_days=20) == datetime.date(2025, 11, 4)


def test_calendar_errors_are_zhengwu_errors() -> None:
    with pytest.raises(zhengwu.CalendarError, match="year 2030 has no published holiday schedule"):
        calendar.is_workday(datetime.date(2030, 1, 2))
    with pytest.raises(zhengwu.ZhengwuError, match="exactly one of"):
        calendar.deadline(datetime.date(2025, 1, 2))
    # A value of the wrong type or range is an ArgumentError: a ZhengwuError and a ValueError.
    with pytest.raises(zhengwu.ArgumentError, match="expected a datetime.date"):
        calendar.is_workday("2025-01-02")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-negative"):
        calendar.deadline(datetime.date(2025, 1, 2), working_days=-1)
    assert calendar.default().years() == (2004, 2026)


def test_credit_codes_published_and_wrong() -> None:
    valid = credit.check("914403001922038216")  # 华为技术有限公司
    assert (valid.valid, valid.reason, valid.registration_authority) == (True, None, "工商（市场监管）")
    wrong = credit.check("91350203M0001QAY9B")
    assert not wrong.valid
    assert wrong.reason is not None and "position 18 is `B`, expected `9`" in wrong.reason
    checks = credit.check_many(["91440300708461136T", "9144030071526726XG", "123"])
    assert [c.valid for c in checks] == [True, True, False]


def test_documents_give_their_rule_codes() -> None:
    fixture = ROOT / "core" / "tests" / "data" / "documents" / "request-bad.json"
    violations = documents.validate(json.loads(fixture.read_text(encoding="utf-8")))
    assert [v["code"] for v in violations] == ["GW01", "GW02", "GW03", "GW07", "GW08", "GW15"]
    assert violations[0]["message"] == "上行文（请示）未标注签发人"
    with pytest.raises(zhengwu.DocumentError, match="missing field"):
        documents.validate({"id": "x"})


def test_replay_statistics_match_the_command_line() -> None:
    result = supervision.replay(DATA / "events.jsonl", DATA / "catalogue.toml")
    frame = result.statistics(by="department")
    assert list(frame.columns[:4]) == ["group", "period", "received", "accepted"]
    cli = subprocess.run(
        [str(ROOT / "target" / "debug" / "zhengwu"), "supervise", "replay", str(DATA / "events.jsonl"),
         "--catalog", str(DATA / "catalogue.toml"), "--format", "json"],
        capture_output=True, text=True, check=True,
    )
    expected = json.loads(cli.stdout)
    rows = {row["group"]: row for row in expected["statistics"]}
    assert set(frame["group"]) == set(rows)
    for record in frame.to_dict(orient="records"):
        for column in ("received", "concluded", "early", "overdue", "warnings"):
            assert record[column] == rows[record["group"]][column], (record["group"], column)
    # The alerts' frame is made from Python objects built in Rust: the command line's JSON, read by
    # json.loads, gives the same frame (columns, order, values).
    pd.testing.assert_frame_equal(result.alerts(), pd.DataFrame(expected["alerts"]))
    assert len(result.alerts()) == len(expected["alerts"]) > 0
    assert list(result.ranking()["department"]) == [r["department"] for r in expected["ranking"]]


def test_a_dataframe_and_a_list_of_dicts_replay_like_the_file() -> None:
    lines = (DATA / "events.jsonl").read_text(encoding="utf-8").splitlines()
    events = []
    for line in lines:
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # the fixture holds malformed lines on purpose; they never reach statistics
    from_file = supervision.replay(DATA / "events.jsonl", DATA / "catalogue.toml").statistics(by="total")
    from_list = supervision.replay(events, DATA / "catalogue.toml").statistics(by="total")
    from_frame = supervision.replay(pd.DataFrame(events), DATA / "catalogue.toml").statistics(by="total")
    pd.testing.assert_frame_equal(from_file, from_list)
    pd.testing.assert_frame_equal(from_file, from_frame)


def test_a_replay_without_alerts_still_has_the_alert_columns() -> None:
    china = datetime.timezone(datetime.timedelta(hours=8))
    replay = supervision.replay([{"not": "an event"}], DATA / "catalogue.toml", as_of=datetime.datetime(2025, 3, 1, tzinfo=china))
    alerts = replay.alerts()
    assert len(alerts) == 0
    assert list(alerts.columns) == ["id", "rule", "code", "level", "raised_level", "case_id", "item_code", "department",
                                    "region", "raised_at", "evidence", "message", "status", "deadline", "history"]


def test_supervision_errors(tmp_path: pathlib.Path) -> None:
    with pytest.raises(zhengwu.SupervisionError, match="unknown grouping `town`"):
        supervision.replay(DATA / "events.jsonl", DATA / "catalogue.toml").statistics(by="town")
    with pytest.raises(zhengwu.SupervisionError, match="timezone-aware"):
        supervision.replay(DATA / "events.jsonl", DATA / "catalogue.toml", as_of=datetime.datetime(2025, 12, 31))
    bad = tmp_path / "catalogue.toml"
    bad.write_text("[[item]]\ncode = ", encoding="utf-8")
    with pytest.raises(zhengwu.SupervisionError, match="cannot parse catalogue"):
        supervision.replay(DATA / "events.jsonl", bad)
    china = datetime.timezone(datetime.timedelta(hours=8))
    rejected = supervision.replay([{"not": "an event"}], DATA / "catalogue.toml", as_of=datetime.datetime(2025, 3, 1, tzinfo=china))
    assert rejected.rejected == 1
    assert "missing field" in rejected.rejections()["reason"][0]


def test_partials_pickle_and_merge_into_the_whole() -> None:
    import pickle

    lines = [line for line in (DATA / "events.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    events = []
    for line in lines:
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    china = datetime.timezone(datetime.timedelta(hours=8))
    as_of = datetime.datetime(2025, 12, 31, 18, tzinfo=china)
    cases = sorted({e.get("case_id") for e in events if isinstance(e, dict)}, key=str)
    half = set(cases[: len(cases) // 2])
    first = [e for e in events if e.get("case_id") in half]
    second = [e for e in events if e.get("case_id") not in half]
    whole = supervision.replay(events, DATA / "catalogue.toml", as_of=as_of).partial(by="department", period="month")
    parts = [
        pickle.loads(pickle.dumps(supervision.replay(part, DATA / "catalogue.toml", as_of=as_of).partial()))
        for part in (first, second)
    ]
    merged = sum(parts)
    assert isinstance(merged, supervision.Partial)
    at_once = supervision.merge(parts)
    pd.testing.assert_frame_equal(at_once.to_frame(), merged.to_frame())
    pd.testing.assert_frame_equal(at_once.alerts(), merged.alerts())
    with pytest.raises(zhengwu.SupervisionError, match="no partial to merge"):
        supervision.merge([])
    pd.testing.assert_frame_equal(merged.to_frame(), whole.to_frame())
    pd.testing.assert_frame_equal(merged.alerts(), whole.alerts())
    pd.testing.assert_frame_equal(merged.ranking(), whole.ranking())
    assert merged.ingest == whole.ingest and merged.cases == whole.cases == len(cases)
    with pytest.raises(zhengwu.SupervisionError, match="do not add to statistics by"):
        whole.merge(supervision.replay(events, DATA / "catalogue.toml", as_of=as_of).partial(by="item"))
    # The whole and one half share cases: merged, they would count those cases twice.
    with pytest.raises(zhengwu.SupervisionError, match=r"case\(s\) appear in both partitions"):
        whole.merge(parts[0])
    with pytest.raises(zhengwu.SupervisionError, match=r"case\(s\) appear in more than one partition"):
        supervision.merge([parts[1], whole, parts[0]])


def test_a_case_runs_on_a_flowable_process() -> None:
    from zhengwu import workflow

    process = workflow.load_process(ROOT / "tests" / "data" / "workflow" / "establish-enterprise.flowable.bpmn20.xml")
    china = datetime.timezone(datetime.timedelta(hours=8))
    case = workflow.Case(process, "KB-1", item="KB-001", department="scjg", region="530102")
    clerk = {"id": "w01", "role": "window_clerk"}
    at = datetime.datetime(2025, 3, 3, 9, tzinfo=china)
    events = case.execute({"type": "receive", "channel": "online", "materials": ["M01"]}, actor=clerk, department="scjg", at=at)
    assert [e["type"] for e in events] == ["received"]
    case.execute({"type": "accept"}, actor=clerk, department="scjg", at=at + datetime.timedelta(minutes=20))
    assert case.open_tasks() == ["accept"]
    progress = case.progress(limit_days=20, as_of=datetime.date(2025, 3, 4))
    # Accepted Monday 3 March 2025: 20 working days are 4–7, 10–14, 17–21, 24–28 and 31 March.
    assert progress["clock"]["due_on"] == "2025-03-31"
    assert progress["tasks"][0]["step_due"] == "2025-03-04"
    with pytest.raises(zhengwu.CaseRejected, match="step `seal` is not open") as refused:
        case.execute({"type": "complete", "step": "seal"}, actor={"id": "g1", "role": "handler"}, department="sw", at=at + datetime.timedelta(minutes=30))
    # A refusal is a WorkflowError whose kind a host branches on, without reading the message.
    assert isinstance(refused.value, zhengwu.WorkflowError)
    assert (refused.value.kind, refused.value.case) == ("step_not_open", "KB-1")
    with pytest.raises(zhengwu.CaseRejected) as refused:
        case.execute({"type": "accept"}, actor={"id": "x9", "role": "handler"}, department="scjg", at=at + datetime.timedelta(minutes=40))
    assert refused.value.kind == "role_required"
    with pytest.raises(zhengwu.WorkflowError, match="bad command"):
        case.execute({"type": "fly"}, actor=clerk, department="scjg", at=at)
    assert case.status == "running"
    assert len(case.events()) == 3


def test_a_dataframe_whose_codes_pandas_read_as_numbers() -> None:
    # pd.read_json makes `530102` an int64 column and document numbers floats.
    event = {
        "schema": 1, "idempotency_key": "N1#1", "case_id": "N1", "sequence": 1, "item_code": "530100-SCJG-001",
        "department": "km-scjg", "region": 530102, "occurred_at": "2025-03-03T09:00:00+08:00",
        "recorded_at": "2025-03-03T09:00:00+08:00", "actor": {"id": "w01"}, "type": "received", "channel": "window",
    }
    china = datetime.timezone(datetime.timedelta(hours=8))
    result = supervision.replay(pd.DataFrame([event]), DATA / "catalogue.toml", as_of=datetime.datetime(2025, 3, 4, tzinfo=china))
    assert (result.applied, result.rejected) == (1, 0)


VALID = ROOT / "core" / "schema" / "examples" / "valid.jsonl"
CHINA = datetime.timezone(datetime.timedelta(hours=8))


def _frames_equal(a: supervision.Replay, b: supervision.Replay) -> None:
    assert (a.applied, a.duplicates, a.rejected) == (b.applied, b.duplicates, b.rejected)
    pd.testing.assert_frame_equal(a.statistics(by="department", period="month"), b.statistics(by="department", period="month"))
    pd.testing.assert_frame_equal(a.alerts(), b.alerts())
    pd.testing.assert_frame_equal(a.rejections(), b.rejections())


def test_every_event_kind_replays_from_a_dataframe_as_from_its_json_lines() -> None:
    import pyarrow as pa

    events = [json.loads(line) for line in VALID.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len({e["type"] for e in events}) == 33
    frame = pd.DataFrame(events)
    table = supervision.to_arrow(frame)
    # `to` is a name in some kinds and a list in `copy_sent`: handed over as JSON text.
    assert table.schema.field("to").metadata == {b"ARROW:extension:name": b"arrow.json"}
    assert pa.types.is_struct(table.schema.field("actor").type)
    as_of = datetime.datetime(2025, 12, 31, 18, tzinfo=CHINA)
    from_file = supervision.replay(VALID, DATA / "catalogue.toml", as_of=as_of)
    from_frame = supervision.replay(frame, DATA / "catalogue.toml", as_of=as_of)
    assert from_frame.applied == len(events) - from_frame.rejected
    _frames_equal(from_file, from_frame)
    # As pandas reads the file itself: `*_at` columns as zoned datetimes, the region and the
    # booleans with gaps as numbers (1.0 / NaN).
    read = pd.read_json(VALID, lines=True)
    assert str(read["occurred_at"].dtype) in ("datetime64[ns, UTC+08:00]", "datetime64[us, UTC+08:00]")  # pandas 2, 3
    assert read["delegated"].dtype == "float64" and read["region"].dtype == "int64"
    _frames_equal(from_file, supervision.replay(read, DATA / "catalogue.toml", as_of=as_of))


def test_a_pyarrow_table_and_a_batch_reader_replay_like_the_file() -> None:
    import pyarrow as pa
    import pyarrow.json as pj

    lines = [line for line in (DATA / "events.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    good = []
    for line in lines:
        try:
            good.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    with_json = supervision.replay(good, DATA / "catalogue.toml")
    table = pa.Table.from_pandas(pd.DataFrame(good), preserve_index=False)
    _frames_equal(with_json, supervision.replay(table, DATA / "catalogue.toml"))
    # Several batches: rejected rows keep their row number across them.
    reader = table.to_reader(max_chunksize=7)
    from_reader = supervision.replay(reader, DATA / "catalogue.toml")
    _frames_equal(with_json, from_reader)
    assert from_reader.rejected > 0 and (from_reader.rejections()["line"] > 7).any()
    # On the calling thread alone (a Spark task's threads=1): the same, row numbers included.
    one_thread = supervision.replay(table.to_reader(max_chunksize=7), DATA / "catalogue.toml", threads=1)
    _frames_equal(from_reader, one_thread)
    with pytest.raises(ValueError, match="threads must be 1 or 2, not 3"):
        supervision.replay(table.to_reader(), DATA / "catalogue.toml", threads=3)
    # pyarrow's JSON reader turns `+08:00` times into zone-less UTC timestamps unless told to
    # read them as text; read so, its table replays like the rest.
    text = pathlib.Path(VALID).read_text(encoding="utf-8")
    as_of = datetime.datetime(2025, 12, 31, 18, tzinfo=CHINA)
    without_copy = "".join(line + "\n" for line in text.splitlines() if "copy_sent" not in line)
    schema = pa.schema([("occurred_at", pa.string()), ("recorded_at", pa.string())])
    parsed = pj.read_json(io.BytesIO(without_copy.encode()), parse_options=pj.ParseOptions(explicit_schema=schema))
    rows = [json.loads(line) for line in without_copy.splitlines()]
    _frames_equal(supervision.replay(rows, DATA / "catalogue.toml", as_of=as_of), supervision.replay(parsed, DATA / "catalogue.toml", as_of=as_of))


def test_zoned_datetimes_categoricals_and_numbers_read_from_a_dataframe() -> None:
    events = [json.loads(line) for line in VALID.read_text(encoding="utf-8").splitlines() if line.strip()]
    frame = pd.DataFrame(events)
    as_of = datetime.datetime(2025, 12, 31, 18, tzinfo=CHINA)
    expected = supervision.replay(frame, DATA / "catalogue.toml", as_of=as_of)
    shaped = frame.copy()
    shaped["occurred_at"] = pd.to_datetime(shaped["occurred_at"], utc=True).dt.tz_convert("Asia/Shanghai")
    shaped["recorded_at"] = pd.to_datetime(shaped["recorded_at"], utc=True)  # UTC: the same instants
    shaped["department"] = shaped["department"].astype("category")
    shaped["region"] = shaped["region"].astype("int64")
    _frames_equal(expected, supervision.replay(shaped, DATA / "catalogue.toml", as_of=as_of))

    # A zone-less datetime names no instant: the table is refused, saying what to give.
    naive = frame.copy()
    naive["occurred_at"] = pd.to_datetime(naive["occurred_at"], utc=True).dt.tz_localize(None)
    with pytest.raises(zhengwu.SupervisionError, match=r"column `occurred_at`: a timestamp without a time zone") as refused:
        supervision.replay(naive, DATA / "catalogue.toml", as_of=as_of)
    assert "naive_timestamps=" in str(refused.value)
    # Said to be UTC instants, they are the events again; as Beijing wall-clock times, the
    # received times come eight hours early and the figures change.
    _frames_equal(expected, supervision.replay(naive, DATA / "catalogue.toml", as_of=as_of, naive_timestamps="utc"))
    wall = frame.copy()
    wall["occurred_at"] = pd.to_datetime(wall["occurred_at"], utc=True).dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    _frames_equal(
        expected,
        supervision.replay(wall, DATA / "catalogue.toml", as_of=as_of, naive_timestamps="Asia/Shanghai"),
    )


def test_a_table_of_the_wrong_shape_is_refused_naming_the_column() -> None:
    import pyarrow as pa

    events = [json.loads(line) for line in VALID.read_text(encoding="utf-8").splitlines()[:2]]
    table = supervision.to_arrow(pd.DataFrame(events))
    with pytest.raises(zhengwu.SupervisionError, match=r"the table has no column `case_id` \(columns: `schema`"):
        supervision.replay(table.drop_columns(["case_id"]), DATA / "catalogue.toml")
    blobs = pa.array([b"1", b"2"], type=pa.binary())
    wrong = table.set_column(table.schema.get_field_index("sequence"), "sequence", blobs)
    with pytest.raises(zhengwu.SupervisionError, match="column `sequence` has the Arrow type Binary"):
        supervision.replay(wrong, DATA / "catalogue.toml")
    with pytest.raises(zhengwu.SupervisionError, match="no event was applied"):
        supervision.replay(table.slice(0, 0), DATA / "catalogue.toml")


def test_a_column_of_text_dicts_is_read_in_rust_and_others_by_pyarrow() -> None:
    import pyarrow as pa

    nan = float("nan")
    frame = pd.DataFrame({
        "actor": [{"id": "w01"}, None, {"id": "w02", "role": "handler"}, nan],
        "data": [{"area": 12000}, None, {"area": 9}, None],  # numbers: pyarrow's struct
    })
    table = supervision.to_arrow(frame)
    assert table.schema.field("actor").type == pa.struct([("id", pa.string()), ("role", pa.string())])
    assert table.column("actor").to_pylist() == [
        {"id": "w01", "role": None}, None, {"id": "w02", "role": "handler"}, None,
    ]
    assert table.schema.field("data").type == pa.struct([("area", pa.int64())])


def test_a_polars_dataframe_replays_through_its_arrow_stream() -> None:
    pl = pytest.importorskip("polars")
    # polars hands over string views and large lists; `copy_sent` is left out, as its `to`
    # (a list where other kinds have a name) has no single polars type.
    rows = [json.loads(line) for line in VALID.read_text(encoding="utf-8").splitlines() if "copy_sent" not in line]
    frame = pl.DataFrame(rows, infer_schema_length=None)
    assert frame.schema["case_id"] == pl.String
    as_of = datetime.datetime(2025, 12, 31, 18, tzinfo=CHINA)
    _frames_equal(
        supervision.replay(rows, DATA / "catalogue.toml", as_of=as_of),
        supervision.replay(frame, DATA / "catalogue.toml", as_of=as_of),
    )
