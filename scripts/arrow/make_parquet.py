#!/usr/bin/env python3
"""Writes the Parquet test inputs of `bindings/arrow/tests/parquet.rs`: one small demo year's events
as JSON lines, and the same events written to Parquet by the tools analysts use, each its own way.

- `pyarrow-json.parquet`: `pyarrow.json.read_json` then `pyarrow.parquet.write_table` (Snappy,
  row groups of 400): pyarrow's JSON reader turns the RFC 3339 times into zone-less timestamps
  holding UTC instants, so the file is read with `--naive-timestamps utc`;
- `pandas.parquet`: `pandas.read_json(lines=True)` then `DataFrame.to_parquet` (the pyarrow
  engine's defaults): zone-aware datetimes, region codes read as integers, nested members as
  structs, the pandas index as an extra column;
- `polars.parquet`: `polars.read_ndjson` then `DataFrame.write_parquet` (Zstandard, string views);
- `pandas-naive.parquet`: the pandas frame with its times turned into Beijing wall-clock times
  without a zone (`tz_convert("Asia/Shanghai").tz_localize(None)`), read with
  `--naive-timestamps Asia/Shanghai`;
- `by-case.parquet`: the pyarrow table sorted by case and sequence (`Table.sort_by`), row groups
  of 400: a file in case order, which a replay folds case by case (as pyarrow-json, zone-less
  UTC instants); `by-case-retried.parquet`: the same with its first row delivered again at the
  end, after its case was folded;
- `spark.parquet`: Spark 4's `spark.read.json` then `DataFrame.write.parquet` (one part file,
  Snappy), the two times cast to Spark timestamps, which Spark writes as INT96: zone-less UTC
  instants, read with `--naive-timestamps utc`. Written only when pyspark (and Java 17) is there.

The events come from `zhengwu demo` (seed 2025, 100 cases): every line of its store, in order,
without the signatures (the supervisor does not read them; they would triple the file). The
catalogue keeps the items the events name.

    cargo build -p zhengwu-cli
    pip install pyarrow pandas polars
    python3 scripts/arrow/make_parquet.py target/debug/zhengwu
"""

from __future__ import annotations

import json
import pathlib
import sqlite3
import subprocess
import sys
import tempfile

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.json as pj
import pyarrow.parquet as pq

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "bindings" / "arrow" / "tests" / "data"


def main() -> None:
    zhengwu = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target" / "debug" / "zhengwu")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        demo = pathlib.Path(tmp)
        subprocess.run([zhengwu, "demo", "--cases", "100", "--out", str(demo)], check=True, capture_output=True)
        with sqlite3.connect(demo / "events.db") as db:
            events = [json.loads(body) for (body,) in db.execute("SELECT body FROM events ORDER BY position")]
        catalogue = json.loads((demo / "catalogue.json").read_text(encoding="utf-8"))
    for event in events:
        event.pop("signature", None)
    used = {event["item_code"] for event in events}
    catalogue["item"] = [item for item in catalogue["item"] if item["code"] in used]
    (OUT / "catalogue.json").write_text(json.dumps(catalogue, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    lines = OUT / "events.jsonl"
    lines.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8")

    table = pj.read_json(lines)
    pq.write_table(table, OUT / "pyarrow-json.parquet", row_group_size=400)
    by_case = table.sort_by([("case_id", "ascending"), ("sequence", "ascending")])
    pq.write_table(by_case, OUT / "by-case.parquet", row_group_size=400)
    retried = pa.concat_tables([by_case, by_case.slice(0, 1)])
    pq.write_table(retried, OUT / "by-case-retried.parquet", row_group_size=400)

    frame = pd.read_json(lines, lines=True)
    frame.to_parquet(OUT / "pandas.parquet")
    naive = frame.copy()
    for column in ("occurred_at", "recorded_at"):
        naive[column] = pd.to_datetime(naive[column], utc=True).dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    naive.to_parquet(OUT / "pandas-naive.parquet")

    pl.read_ndjson(lines, infer_schema_length=None).write_parquet(OUT / "polars.parquet")

    written = ["pyarrow-json", "by-case", "by-case-retried", "pandas", "pandas-naive", "polars"]
    if spark(lines, OUT / "spark.parquet"):
        written.append("spark")
    for name in written:
        metadata = pq.ParquetFile(OUT / f"{name}.parquet").metadata
        types = pq.read_schema(OUT / f"{name}.parquet").field("occurred_at").type
        print(f"{name}.parquet: {metadata.num_rows} rows, {metadata.num_row_groups} row groups, occurred_at {types}")
    print(f"{len(events)} events, {len(catalogue['item'])} items")


def spark(lines: pathlib.Path, out: pathlib.Path) -> bool:
    """The events through Spark, as one Parquet file; False when pyspark is not installed."""
    try:
        from pyspark.sql import SparkSession
        from pyspark.sql import functions as F
    except ImportError:
        print("pyspark is not installed: spark.parquet left as it is")
        return False
    session = (SparkSession.builder.master("local[1]").appName("zhengwu-fixtures")
               .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false").getOrCreate())
    frame = session.read.json(str(lines))
    for column in ("occurred_at", "recorded_at"):
        frame = frame.withColumn(column, F.to_timestamp(F.col(column)))
    with tempfile.TemporaryDirectory() as tmp:
        frame.coalesce(1).write.parquet(tmp + "/out")
        (part,) = pathlib.Path(tmp, "out").glob("part-*.parquet")
        out.write_bytes(part.read_bytes())
    session.stop()
    return True


if __name__ == "__main__":
    main()
