#!/usr/bin/env python3
"""The province's year (scripts/scale/province.py's generator) replayed on a local Spark session
through `mapInArrow`, checked equal to the single-process replay.

Spark reads the city-partitioned Parquet folder; the events are repartitioned by city (a case
belongs to one city, so no case spans two Spark partitions) and sorted by case and sequence
within each partition; `mapInArrow` hands each partition's record batches to
`zhengwu.supervision.replay` as one Arrow stream and yields the partition's partial as one JSON
row; the driver merges the partials. Statistics, every alert and the ranking must equal the
single-process replay's. The last line reads `N events, P partitions: spark X s, single Y s,
equal`.

    pip install ./bindings/python pyspark chinesecalendar pyarrow pandas   # Java 17 on the PATH
    python3 scripts/scale/spark.py --events 200000 --partitions 4
"""

from __future__ import annotations

import argparse
import importlib.util
import pathlib
import sys
import tempfile
import time
from typing import Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

from zhengwu import supervision

HERE = pathlib.Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("province", HERE / "province.py")
assert spec is not None and spec.loader is not None
province = importlib.util.module_from_spec(spec)
spec.loader.exec_module(province)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--partitions", type=int, default=4)
    args = parser.parse_args()
    from pyspark.sql import SparkSession

    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp) / "province"
        catalogue_path = pathlib.Path(tmp) / "catalogue.toml"
        province.catalogue(catalogue_path)
        total, files = province.generate(args.events, folder)

        start = time.perf_counter()
        single = supervision.replay(ds.dataset(folder, format="parquet", partitioning="hive"), catalogue_path,
                                    as_of=province.AS_OF)
        whole = single.partial(by="department", period="month")
        expected = province.frames(whole.to_frame(), single.alerts(), single.ranking())
        single_seconds = time.perf_counter() - start

        spark = (SparkSession.builder.master(f"local[{args.partitions}]").appName("zhengwu-province")
                 .config("spark.sql.session.timeZone", "Asia/Shanghai")
                 .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                 .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        catalogue = str(catalogue_path)
        as_of = province.AS_OF

        def replay_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
            first = next(batches, None)
            if first is None:
                return
            reader = pa.RecordBatchReader.from_batches(first.schema, _chain(first, batches))
            # A Spark task has its core: the calling thread alone converts and replays.
            partial = supervision.replay(reader, catalogue, as_of=as_of, threads=1).partial(by="department", period="month")
            yield pa.RecordBatch.from_pydict({"partial": [partial.to_json()]})

        start = time.perf_counter()
        events = spark.read.parquet(str(folder))
        rows = (events.repartition(args.partitions, "city").sortWithinPartitions("case_id", "sequence")
                .mapInArrow(replay_partition, "partial string").collect())
        merged = supervision.merge(supervision.Partial.from_json(row["partial"]) for row in rows)
        found = province.frames(merged.to_frame(), merged.alerts(), merged.ranking())
        spark_seconds = time.perf_counter() - start
        spark.stop()

        for name, a, b in zip(("statistics", "alerts", "ranking"), found, expected):
            pd.testing.assert_frame_equal(a, b, obj=name)
        if merged.ingest != whole.ingest or merged.cases != whole.cases:
            sys.exit(f"ingest {merged.ingest} / {merged.cases} cases differ from {whole.ingest} / {whole.cases}")
    print(f"{total} events, {len(rows)} partitions: spark {spark_seconds:.2f} s, single {single_seconds:.2f} s, equal")


def _chain(first: pa.RecordBatch, rest: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    yield first
    yield from rest


if __name__ == "__main__":
    main()
