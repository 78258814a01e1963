#!/usr/bin/env python3
"""The same statistics two ways: `zhengwu supervise replay` and a pure-pandas computation, on the
same generated event log. Checks that every figure agrees and reports the time ratio.

    python3 scripts/supervision/pandas_compare.py --cases 3000 --check   # correctness (CI)
    python3 scripts/supervision/pandas_compare.py --cases 200000         # the benchmark (and polars)

The pandas side computes per department and month: 收件 (by receipt month), 办结 (by conclusion
month), 即办件, 承诺件, 提前 / 按时 / 超期 against a 10-working-day promise (the start day not
counted, working days from the PyPI package chinesecalendar), and 不予许可.
The zhengwu side is the release binary (`cargo build --release -p zhengwu-cli`), or the path
in $ZHENGWU.
"""
import argparse
import datetime as dt
import json
import os
import pathlib
import random
import subprocess
import sys
import tempfile
import time

import chinese_calendar
import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[2]
CATALOGUE = """
[[item]]
code = "SC-001"
name = "食品经营许可"
department = "{dept}"
kind = "promised"
legal_limit = {{ days = 20 }}
promised_limit = {{ days = 10 }}

[[item]]
code = "IM-001"
name = "变更登记"
department = "{dept}"
kind = "immediate"
legal_limit = {{ days = 20 }}
promised_limit = {{ days = 0 }}
"""
DEPARTMENTS = ["scjg", "zjj", "ga"]
AS_OF = "2025-12-31T23:59:59+08:00"


def workdays(first, last):
    day, out = first, []
    while day <= last:
        if chinese_calendar.is_workday(day):
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def generate(cases, folder):
    """Events of `cases` cases in 2025; the same seed gives the same log."""
    rng = random.Random(20251231)
    days = workdays(dt.date(2025, 1, 2), dt.date(2025, 12, 31))
    index = {d: i for i, d in enumerate(days)}
    lines = []
    for n in range(cases):
        dept = DEPARTMENTS[n % len(DEPARTMENTS)]
        item = f"{dept}-IM" if n % 4 == 0 else f"{dept}-SC"
        day = days[rng.randrange(0, len(days) - 25)]
        case = f"C{n:07d}"
        events = [(day, "09:00", {"type": "received", "channel": "window"}), (day, "09:30", {"type": "accepted"})]
        roll = rng.random()
        # A granted licence is handed over the same day (行政许可法 Art. 44 allows 10 working days).
        delivered = {"type": "result_delivered", "method": "window"}
        if item.endswith("IM"):
            events.append((day, "10:00", {"type": "concluded", "decision": "granted", "document_number": "1"}))
            events.append((day, "10:30", delivered))
        elif roll < 0.03:
            pass  # still open
        else:
            after = rng.choice([3, 5, 8, 9, 10, 10, 11, 13])
            end = days[index[day] + after]
            decision = "refused" if roll > 0.97 else "granted"
            events.append((end, "15:00", {"type": "concluded", "decision": decision, "reason": "r", "document_number": "1"}))
            if decision == "granted":
                events.append((end, "16:00", delivered))
        for sequence, (d, t, body) in enumerate(events, start=1):
            at = f"{d.isoformat()}T{t}:00+08:00"
            event = {
                "schema": 1, "idempotency_key": f"{case}#{sequence}", "case_id": case, "sequence": sequence,
                "item_code": item, "department": dept, "region": "530102", "occurred_at": at, "recorded_at": at,
                "actor": {"id": "w01"},
            }
            event.update(body)
            lines.append(json.dumps(event))
    (folder / "events.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    catalogue = ""
    for dept in DEPARTMENTS:
        catalogue += CATALOGUE.format(dept=dept).replace('"SC-001"', f'"{dept}-SC"').replace('"IM-001"', f'"{dept}-IM"')
    (folder / "catalogue.toml").write_text(catalogue, encoding="utf-8")
    return len(lines)


COLUMNS = ["received", "concluded", "immediate", "promised", "early", "on_time", "overdue", "refused"]


def with_pandas(events):
    """Statistics by department and month, in pandas, from the JSON-lines file or a DataFrame read
    from it."""
    if not isinstance(events, pd.DataFrame):
        events = pd.read_json(events, lines=True, dtype={"case_id": str}, convert_dates=False)
    events = events.copy()
    events["day"] = pd.to_datetime(events["occurred_at"].str.slice(0, 10))
    received = events[events["type"] == "received"].set_index("case_id")[["department", "item_code", "day"]]
    accepted = events[events["type"] == "accepted"].set_index("case_id")["day"].rename("accepted")
    concluded = events[events["type"] == "concluded"].set_index("case_id")[["day", "decision"]]
    concluded = concluded.rename(columns={"day": "concluded"})
    cases = received.join(accepted).join(concluded)

    # Working-day rank: how many working days up to and including each date.
    days, rank = working_day_rank()
    rank = pd.Series(rank, index=pd.DatetimeIndex(days))

    done = cases.dropna(subset=["concluded"]).copy()
    done["used"] = rank.reindex(done["concluded"]).to_numpy() - rank.reindex(done["accepted"]).to_numpy()
    normal = done["decision"].isin(["granted", "forwarded"])
    immediate = done["item_code"].str.endswith("-IM")
    done["immediate"] = normal & immediate
    done["promised"] = normal & ~immediate
    done["early"] = done["promised"] & (done["used"] < 10)
    done["on_time"] = done["promised"] & (done["used"] == 10)
    done["overdue"] = done["promised"] & (done["used"] > 10)
    done["refused"] = done["decision"] == "refused"
    done["month"] = done["concluded"].dt.strftime("%Y-%m")
    by_conclusion = done.groupby(["department", "month"])[["immediate", "promised", "early", "on_time", "overdue", "refused"]].sum()
    by_conclusion["concluded"] = done.groupby(["department", "month"]).size()
    cases["month"] = cases["day"].dt.strftime("%Y-%m")
    by_receipt = cases.groupby(["department", "month"]).size().rename("received")
    table = by_conclusion.join(by_receipt, how="outer").fillna(0).astype(int)
    return {(d, m): {c: int(row[c]) for c in COLUMNS} for (d, m), row in table.iterrows()}


def working_day_rank():
    """How many working days (chinesecalendar) up to and including each date of 2024-12 … 2026."""
    first, last = dt.date(2024, 12, 1), dt.date(2026, 12, 31)
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    return days, np.cumsum([chinese_calendar.is_workday(day) for day in days])


def with_polars(events):
    """The statistics of :func:`with_pandas`, in polars, from a polars DataFrame of the events (as
    ``polars.read_ndjson`` reads the JSON-lines file)."""
    import polars as pl

    day = pl.col("occurred_at").str.slice(0, 10).str.to_date()
    events = events.select("case_id", "type", "department", "item_code", "decision", day.alias("day"))
    received = events.filter(pl.col("type") == "received").select("case_id", "department", "item_code", "day")
    accepted = events.filter(pl.col("type") == "accepted").select("case_id", pl.col("day").alias("accepted"))
    concluded = events.filter(pl.col("type") == "concluded").select(
        "case_id", pl.col("day").alias("concluded"), "decision")
    cases = received.join(accepted, on="case_id", how="left").join(concluded, on="case_id", how="left")
    days, rank = working_day_rank()
    ranks = pl.DataFrame({"date": days, "rank": rank})
    done = (cases.filter(pl.col("concluded").is_not_null())
            .join(ranks.rename({"date": "concluded", "rank": "rank_concluded"}), on="concluded", how="left")
            .join(ranks.rename({"date": "accepted", "rank": "rank_accepted"}), on="accepted", how="left"))
    used = pl.col("rank_concluded") - pl.col("rank_accepted")
    normal = pl.col("decision").is_in(["granted", "forwarded"])
    immediate = pl.col("item_code").str.ends_with("-IM")
    promised = normal & ~immediate
    by_conclusion = done.group_by("department", pl.col("concluded").dt.strftime("%Y-%m").alias("month")).agg(
        pl.len().alias("concluded"),
        (normal & immediate).sum().alias("immediate"),
        promised.sum().alias("promised"),
        (promised & (used < 10)).sum().alias("early"),
        (promised & (used == 10)).sum().alias("on_time"),
        (promised & (used > 10)).sum().alias("overdue"),
        (pl.col("decision") == "refused").sum().alias("refused"),
    )
    by_receipt = cases.group_by("department", pl.col("day").dt.strftime("%Y-%m").alias("month")).agg(
        pl.len().alias("received"))
    table = by_conclusion.join(by_receipt, on=["department", "month"], how="full", coalesce=True).fill_null(0)
    return {(row["department"], row["month"]): {c: int(row[c]) for c in COLUMNS} for row in table.iter_rows(named=True)}


def with_zhengwu(binary, folder):
    output = subprocess.run(
        [binary, "supervise", "replay", str(folder / "events.jsonl"), "--catalog", str(folder / "catalogue.toml"),
         "--as-of", AS_OF, "--by", "department", "--period", "month", "--format", "json"],
        check=True, capture_output=True, text=True,
    ).stdout
    report = json.loads(output)
    return {(r["group"], r["period"]): {c: r[c] for c in COLUMNS} for r in report["statistics"]}, report


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--check", action="store_true", help="only check agreement")
    parser.add_argument("--zhengwu", default=os.environ.get("ZHENGWU", str(ROOT / "target" / "release" / "zhengwu")))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp)
        events = generate(args.cases, folder)
        start = time.perf_counter()
        ours, report = with_zhengwu(args.zhengwu, folder)
        zhengwu_seconds = time.perf_counter() - start
        start = time.perf_counter()
        theirs = with_pandas(folder / "events.jsonl")
        pandas_seconds = time.perf_counter() - start
        polars_seconds = None
        if not args.check:
            import polars as pl

            start = time.perf_counter()
            polars_figures = with_polars(pl.read_ndjson(folder / "events.jsonl"))
            polars_seconds = time.perf_counter() - start
            if {k: v for k, v in polars_figures.items() if any(v.values())} != {k: v for k, v in theirs.items() if any(v.values())}:
                sys.exit("polars and pandas disagree")
    # The engine also counts 在办 etc.; compare the shared columns, rows with any count.
    ours = {k: v for k, v in ours.items() if any(v.values())}
    theirs = {k: v for k, v in theirs.items() if any(v.values())}
    if ours != theirs:
        for key in sorted(set(ours) | set(theirs)):
            if ours.get(key) != theirs.get(key):
                print(f"{key}: zhengwu {ours.get(key)} pandas {theirs.get(key)}", file=sys.stderr)
        sys.exit("zhengwu and pandas disagree")
    if report["rejections"]:
        sys.exit(f"zhengwu rejected events: {report['rejections'][:3]}")
    total = sum(v["concluded"] for v in ours.values())
    print(f"zhengwu and pandas agree on {len(ours)} department-months ({args.cases} cases, {events} events, {total} conclusions)")
    if not args.check:
        print(f"zhengwu supervise replay (all rules, process start and JSON parsing included): {zhengwu_seconds:.2f} s, "
              f"{events / zhengwu_seconds / 1e6:.2f} M events/s")
        print(f"pandas (statistics only, no rules, read_json included): {pandas_seconds:.2f} s, "
              f"{events / pandas_seconds / 1e6:.2f} M events/s")
        print(f"ratio pandas / zhengwu time: {pandas_seconds / zhengwu_seconds:.1f}x")
        print(f"polars {pl.__version__} (statistics only, no rules, read_ndjson included): {polars_seconds:.2f} s, "
              f"{events / polars_seconds / 1e6:.2f} M events/s; ratio polars / zhengwu time: "
              f"{polars_seconds / zhengwu_seconds:.1f}x")


if __name__ == "__main__":
    main()
