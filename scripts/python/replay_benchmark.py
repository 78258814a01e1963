#!/usr/bin/env python3
"""Events per second from a pandas DataFrame into a statistics DataFrame: the `zhengwu` Python
package (every supervision rule included) side by side with a pure-pandas computation of the same
statistics (no rules), on the same generated events (scripts/supervision/pandas_compare.py's
generator). Checks that the figures agree, then reports both rates and their ratio.

    pip install ./bindings/python chinesecalendar pandas
    python3 scripts/python/replay_benchmark.py --events 1000000
"""

from __future__ import annotations

import argparse
import importlib.util
import pathlib
import sys
import tempfile
import time

import pandas as pd

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
    cases = max(1, args.events // 3)
    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp)
        count = compare.generate(cases, folder)
        frame = pd.read_json(folder / "events.jsonl", lines=True, dtype={"case_id": str}, convert_dates=False)
        catalogue = folder / "catalogue.toml"
        as_of = pd.Timestamp(compare.AS_OF).to_pydatetime()

        start = time.perf_counter()
        result = supervision.replay(frame, catalogue, as_of=as_of)
        statistics = result.statistics(by="department", period="month")
        zhengwu_seconds = time.perf_counter() - start

        start = time.perf_counter()
        theirs = compare.with_pandas(folder / "events.jsonl")
        pandas_seconds = time.perf_counter() - start

    ours = {
        (row["group"], row["period"]): {c: int(row[c]) for c in compare.COLUMNS}
        for row in statistics.to_dict(orient="records")
    }
    ours = {k: v for k, v in ours.items() if any(v.values())}
    theirs = {k: v for k, v in theirs.items() if any(v.values())}
    if ours != theirs:
        sys.exit("zhengwu and pandas disagree")
    print(f"{count} events ({cases} cases); the statistics agree on {len(ours)} department-months")
    print(f"zhengwu (DataFrame in, every rule, statistics DataFrame out): {zhengwu_seconds:.2f} s, "
          f"{count / zhengwu_seconds / 1e6:.2f} M events/s")
    print(f"pandas (statistics only, read_json included): {pandas_seconds:.2f} s, {count / pandas_seconds / 1e6:.2f} M events/s")
    print(f"ratio pandas / zhengwu time: {pandas_seconds / zhengwu_seconds:.2f}x")


if __name__ == "__main__":
    main()
