#!/usr/bin/env python3
"""Events per second from a pandas DataFrame into a statistics DataFrame: the `zhengwu` Python
package (every supervision rule included) side by side with a pure-pandas computation of the same
statistics (no rules), and a polars computation of them, on the same generated events
(scripts/supervision/pandas_compare.py's generator). Checks that the figures agree, then reports
the rates.

The events reach `zhengwu.supervision.replay` three ways, each timed from the object in memory to
the statistics DataFrame:
- a pyarrow Table (read column by column in Rust);
- a DataFrame with Arrow-backed columns (`pd.read_json(..., dtype_backend="pyarrow")`, and the
  default string columns of pandas 3 with pyarrow installed), handed over to Arrow first;
- a DataFrame with NumPy object columns (pandas 2's default), whose strings pyarrow copies.

    pip install ./bindings/python chinesecalendar pandas pyarrow polars
    python3 scripts/python/replay_benchmark.py --events 1000000
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import pathlib
import sys
import tempfile
import time

import pandas as pd
import polars as pl
import pyarrow as pa

from zhengwu import supervision

ROOT = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("pandas_compare", ROOT / "scripts" / "supervision" / "pandas_compare.py")
assert spec is not None and spec.loader is not None
compare = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    cases = max(1, args.events // 4)  # about 3.9 events a case
    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp)
        count = compare.generate(cases, folder)
        path = folder / "events.jsonl"
        catalogue = folder / "catalogue.toml"
        as_of = pd.Timestamp(compare.AS_OF).to_pydatetime()

        def numpy_frame() -> pd.DataFrame:
            return pd.read_json(path, lines=True, dtype={"case_id": str}, convert_dates=False)

        def arrow_frame() -> pd.DataFrame:
            return pd.read_json(path, lines=True, dtype={"case_id": str}, convert_dates=False, dtype_backend="pyarrow")

        timings = {}
        first: dict[tuple[str, str], dict[str, int]] = {}
        variants = (("pyarrow Table", lambda: supervision.to_arrow(arrow_frame())),
                    ("DataFrame, Arrow-backed columns", arrow_frame),
                    ("DataFrame, NumPy object columns", numpy_frame))
        for name, make in variants:
            # Each variant alone in memory, so Python's collector does not walk another's objects.
            events = make()
            gc.collect()
            start = time.perf_counter()
            result = supervision.replay(events, catalogue, as_of=as_of)
            statistics = result.statistics(by="department", period="month")
            timings[name] = time.perf_counter() - start
            del events, result
            ours = {
                (row["group"], row["period"]): {c: int(row[c]) for c in compare.COLUMNS}
                for row in statistics.to_dict(orient="records")
            }
            ours = {k: v for k, v in ours.items() if any(v.values())}
            if not first:
                first = ours
            elif ours != first:
                sys.exit(f"zhengwu from a {name} disagrees with zhengwu from a pyarrow Table")

        events = numpy_frame()
        gc.collect()
        start = time.perf_counter()
        theirs = compare.with_pandas(events)
        pandas_seconds = time.perf_counter() - start
        del events

        events = pl.read_ndjson(path)
        gc.collect()
        start = time.perf_counter()
        polars_figures = compare.with_polars(events)
        polars_seconds = time.perf_counter() - start

    theirs = {k: v for k, v in theirs.items() if any(v.values())}
    if first != theirs:
        sys.exit("zhengwu and pandas disagree")
    if first != {k: v for k, v in polars_figures.items() if any(v.values())}:
        sys.exit("zhengwu and polars disagree")
    print(f"pandas {pd.__version__}, pyarrow {pa.__version__}, polars {pl.__version__}")
    print(f"{count} events ({cases} cases); the statistics agree on {len(first)} department-months")
    for name, seconds in timings.items():
        print(f"zhengwu from a {name} (every rule, statistics DataFrame out): {seconds:.2f} s, "
              f"{count / seconds / 1e6:.2f} M events/s")
    print(f"pandas from the NumPy DataFrame (statistics only, no rules): {pandas_seconds:.2f} s, "
          f"{count / pandas_seconds / 1e6:.2f} M events/s")
    print(f"polars from a polars DataFrame (statistics only, no rules): {polars_seconds:.2f} s, "
          f"{count / polars_seconds / 1e6:.2f} M events/s")
    fastest = min(timings.values())
    print(f"ratio pandas / zhengwu: {pandas_seconds / fastest:.1f}x; polars / zhengwu: {polars_seconds / fastest:.1f}x")


if __name__ == "__main__":
    main()
