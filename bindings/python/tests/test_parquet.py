"""Parquet in: a file's path, a pyarrow dataset (a folder partitioned as Dask and Spark write
them), with the statistics, alerts and ranking the same events give as JSON lines. The files are
the Rust tests' (scripts/arrow/make_parquet.py: written by pyarrow, pandas and polars)."""

from __future__ import annotations

import datetime
import pathlib

import pandas as pd
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

import zhengwu
from zhengwu import supervision

ROOT = pathlib.Path(__file__).resolve().parents[3]
DATA = ROOT / "bindings" / "arrow" / "tests" / "data"
CATALOGUE = DATA / "catalogue.json"
AS_OF = datetime.datetime(2025, 12, 31, 18, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def _same(a: supervision.Replay, b: supervision.Replay) -> None:
    assert (a.applied, a.duplicates, a.rejected) == (b.applied, b.duplicates, b.rejected)
    pd.testing.assert_frame_equal(a.statistics(by="department", period="month"), b.statistics(by="department", period="month"))
    columns = ["id", "rule", "level", "case_id", "department", "message"]
    pd.testing.assert_frame_equal(a.alerts()[columns], b.alerts()[columns])
    pd.testing.assert_frame_equal(a.ranking(), b.ranking())


@pytest.fixture(scope="module")
def expected() -> supervision.Replay:
    replay = supervision.replay(DATA / "events.jsonl", CATALOGUE, as_of=AS_OF)
    assert (replay.applied, replay.rejected) == (1434, 0)
    assert len(replay.alerts()) == 24
    return replay


@pytest.mark.parametrize(
    ("name", "naive"),
    [("pyarrow-json", "utc"), ("pandas", None), ("pandas-naive", "Asia/Shanghai"), ("polars", None), ("spark", "utc")],
)
def test_a_parquet_path_replays_as_its_json_lines(expected: supervision.Replay, name: str, naive: str) -> None:
    _same(supervision.replay(DATA / f"{name}.parquet", CATALOGUE, as_of=AS_OF, naive_timestamps=naive), expected)
    _same(supervision.replay(str(DATA / f"{name}.parquet"), CATALOGUE, as_of=AS_OF, naive_timestamps=naive), expected)


def test_a_file_in_case_order_folds_its_cases_with_the_same_figures(expected: supervision.Replay) -> None:
    # Sorted by case: each complete case is evaluated and folded away as the file moves on.
    for name in ("by-case", "by-case-retried"):
        replay = supervision.replay(DATA / f"{name}.parquet", CATALOGUE, as_of=AS_OF, naive_timestamps="utc")
        duplicates = 1 if name == "by-case-retried" else 0
        assert (replay.applied, replay.duplicates, replay.rejected) == (1434, duplicates, 0)
        pd.testing.assert_frame_equal(replay.statistics(by="item", period="month"), expected.statistics(by="item", period="month"))
        # On the calling thread alone (threads=1, as a Dask worker asks): the same figures.
        _same(supervision.replay(DATA / f"{name}.parquet", CATALOGUE, as_of=AS_OF, naive_timestamps="utc", threads=1), replay)
        assert replay.partial().to_json() == expected.partial().to_json().replace('"duplicates":0', f'"duplicates":{duplicates}')
    # Without as_of: the latest entry time, as the JSON lines give it.
    folded = supervision.replay(DATA / "by-case.parquet", CATALOGUE, naive_timestamps="utc")
    assert folded.as_of == supervision.replay(DATA / "events.jsonl", CATALOGUE).as_of


def test_tables_in_memory_in_case_order_or_not_give_the_same_figures(expected: supervision.Replay) -> None:
    # A pyarrow Table, its pandas DataFrame, its polars DataFrame: collected whole in Rust and
    # folded case by case; out of case order (the retried file) read again without folding.
    import polars as pl

    for name in ("by-case", "by-case-retried"):
        table = pq.read_table(DATA / f"{name}.parquet")
        duplicates = 1 if name == "by-case-retried" else 0
        for threads, events in ((2, table), (1, table), (2, table.to_pandas()), (1, pl.from_arrow(table))):
            replay = supervision.replay(events, CATALOGUE, as_of=AS_OF, naive_timestamps="utc", threads=threads)
            assert (replay.applied, replay.duplicates, replay.rejected) == (1434, duplicates, 0), type(events)
            assert replay.partial().to_json() == expected.partial().to_json().replace('"duplicates":0', f'"duplicates":{duplicates}')
    folded = supervision.replay(pq.read_table(DATA / "by-case.parquet"), CATALOGUE, naive_timestamps="utc")
    assert folded.as_of == supervision.replay(DATA / "events.jsonl", CATALOGUE).as_of


def test_threads_other_than_one_or_two_are_refused() -> None:
    with pytest.raises(ValueError, match="threads must be 1 or 2, not 4"):
        supervision.replay(DATA / "by-case.parquet", CATALOGUE, as_of=AS_OF, naive_timestamps="utc", threads=4)
    # JSON lines are read on the calling thread, and the option is still checked.
    for wrong in (0, 4, True):
        with pytest.raises(ValueError, match=f"threads must be 1 or 2, not {wrong}"):
            supervision.replay(DATA / "events.jsonl", CATALOGUE, threads=wrong)


def test_zone_less_times_are_refused_naming_the_option() -> None:
    with pytest.raises(zhengwu.SupervisionError, match=r"pyarrow-json.parquet`: column `occurred_at`") as refused:
        supervision.replay(DATA / "pyarrow-json.parquet", CATALOGUE, as_of=AS_OF)
    assert "naive_timestamps=" in str(refused.value)
    with pytest.raises(zhengwu.SupervisionError, match="says neither how to read zone-less timestamps"):
        supervision.replay(DATA / "pyarrow-json.parquet", CATALOGUE, as_of=AS_OF, naive_timestamps="Mars/Olympus")


def test_a_partitioned_dataset_replays_as_its_json_lines(expected: supervision.Replay, tmp_path: pathlib.Path) -> None:
    # Partitioned by a member every event of a case shares (its region), as Dask and Spark write
    # a folder (`region=…/part-0.parquet`): the key comes back as a dictionary column.
    table = pq.read_table(DATA / "pandas.parquet")
    by_region = tmp_path / "by-region"
    ds.write_dataset(table, by_region, format="parquet", partitioning=["region"], partitioning_flavor="hive")
    assert len(list(by_region.glob("region=*"))) > 20
    _same(supervision.replay(ds.dataset(by_region, format="parquet", partitioning="hive"), CATALOGUE, as_of=AS_OF), expected)

    # By the event's department a 并联审批 case is split (the co-deciding departments' events go
    # to their own folders): read back, its later events come before earlier ones and are
    # refused by case and sequence, not counted twice.
    by_department = tmp_path / "by-department"
    ds.write_dataset(table, by_department, format="parquet", partitioning=["department"], partitioning_flavor="hive")
    split = supervision.replay(ds.dataset(by_department, format="parquet", partitioning="hive"), CATALOGUE, as_of=AS_OF)
    assert split.applied + split.rejected == 1434 and split.rejected > 0
    reasons = split.rejections()["reason"]
    assert reasons.str.contains("is unknown and this event has sequence|arrived after").all()


def test_a_dataset_in_case_order_or_not_gives_the_same_figures(expected: supervision.Replay, tmp_path: pathlib.Path) -> None:
    # Partitioned by region (a case lies whole in one), each file in case order: folded as
    # the scan moves on. The retried file's dataset is scanned a second time, unfolded.
    for name in ("by-case", "by-case-retried"):
        folder = tmp_path / name
        ds.write_dataset(pq.read_table(DATA / f"{name}.parquet"), folder, format="parquet",
                         partitioning=["region"], partitioning_flavor="hive", use_threads=False)
        dataset = ds.dataset(folder, format="parquet", partitioning="hive")
        duplicates = 1 if name == "by-case-retried" else 0
        replay = supervision.replay(dataset, CATALOGUE, as_of=AS_OF, naive_timestamps="utc")
        assert (replay.applied, replay.duplicates, replay.rejected) == (1434, duplicates, 0)
        assert replay.partial().to_json() == expected.partial().to_json().replace('"duplicates":0', f'"duplicates":{duplicates}')
        latest = supervision.replay(dataset, CATALOGUE, naive_timestamps="utc", threads=1)
        assert latest.as_of == supervision.replay(DATA / "events.jsonl", CATALOGUE).as_of
    # A dataset without the column the instant is read from: the scan's error names it.
    table = pq.read_table(DATA / "by-case.parquet").drop_columns(["recorded_at"])
    ds.write_dataset(table, tmp_path / "no-recorded-at", format="parquet")
    with pytest.raises(zhengwu.SupervisionError, match="recorded_at"):
        supervision.replay(ds.dataset(tmp_path / "no-recorded-at", format="parquet"), CATALOGUE, naive_timestamps="utc")


def test_a_file_that_is_not_parquet_nor_json_lines_is_refused(tmp_path: pathlib.Path) -> None:
    cut = tmp_path / "cut.parquet"
    cut.write_bytes((DATA / "polars.parquet").read_bytes()[:4000])
    with pytest.raises(zhengwu.SupervisionError, match="cut.parquet`: not a readable Parquet file"):
        supervision.replay(cut, CATALOGUE, as_of=AS_OF)


def test_a_damaged_file_is_a_supervision_error_not_a_panic() -> None:
    # Files on which the parquet crate panics (fuzz/regressions/parquet): SupervisionError.
    for path in sorted((ROOT / "fuzz" / "regressions" / "parquet").glob("*.parquet")):
        with pytest.raises(zhengwu.SupervisionError, match="damaged|not a readable Parquet file"):
            supervision.replay(path, CATALOGUE, as_of=AS_OF, naive_timestamps="utc")


def test_a_catalogue_parsed_once_serves_replay_after_replay_and_its_changes_are_seen(
    expected: supervision.Replay, tmp_path: pathlib.Path
) -> None:
    # The parsed catalogue is kept by its text: a changed file is parsed again.
    import copy

    from zhengwu import _zhengwu

    catalogue = tmp_path / "catalogue.json"
    catalogue.write_text(CATALOGUE.read_text(encoding="utf-8"), encoding="utf-8")
    for _ in range(2):
        _same(supervision.replay(DATA / "by-case.parquet", catalogue, as_of=AS_OF, naive_timestamps="utc"), expected)
    catalogue.write_text('{"items": []}', encoding="utf-8")
    emptied = supervision.replay(DATA / "by-case.parquet", catalogue, as_of=AS_OF, naive_timestamps="utc")
    assert (emptied.applied, emptied.rejected) == (0, 1434)
    used = _zhengwu.Supervisor(CATALOGUE.read_text(encoding="utf-8"), "json")
    used.ingest_json_lines((DATA / "events.jsonl").read_text(encoding="utf-8"))
    with pytest.raises(zhengwu.SupervisionError, match="only a supervisor without events is copied"):
        copy.copy(used)
