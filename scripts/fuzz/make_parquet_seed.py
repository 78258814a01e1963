#!/usr/bin/env python3
"""Writes `fuzz/corpus/parquet/by-case.parquet`: a seed for the `parquet` fuzz target whose items are
in the fuzz catalogue (`tests/data/supervision/catalogue.toml`), so that its rows are applied,
its complete cases folded away and the folded replay compared with the plain one.

Six cases in case order (received, accepted, 办结 with a 文号, 送达): 承诺件 concluded early, on
time and late, a 即办件, a case still running, one refused; then the first case's first row again
at the end, after that case was folded (the replay must read the file again). Zoned millisecond
timestamps (+08:00), row groups of 8 rows.

    pip install pyarrow
    python3 scripts/fuzz/make_parquet_seed.py
"""

from __future__ import annotations

import datetime as dt
import pathlib

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = pathlib.Path(__file__).resolve().parents[2]
BEIJING = dt.timezone(dt.timedelta(hours=8))


def main() -> None:
    rows: list[dict[str, object]] = []

    def case(number: int, item: str, day: dt.date, concluded_after: int | None, decision: str = "granted") -> None:
        case_id = f"KM-{number:04d}"
        start = dt.datetime.combine(day, dt.time(9), BEIJING)
        steps: list[tuple[dt.datetime, dict[str, object]]] = [
            (start, {"type": "received", "channel": "window"}),
            (start + dt.timedelta(minutes=30), {"type": "accepted"}),
        ]
        if concluded_after is not None:
            end = start + dt.timedelta(days=concluded_after, hours=6)
            steps.append((end, {"type": "concluded", "decision": decision, "document_number": f"昆市监〔2025〕{number}号"}))
            if decision == "granted":
                steps.append((end + dt.timedelta(hours=1), {"type": "result_delivered", "method": "window"}))
        for sequence, (at, kind) in enumerate(steps, start=1):
            rows.append({
                "schema": 1,
                "idempotency_key": f"{case_id}#{sequence}",
                "case_id": case_id,
                "sequence": sequence,
                "item_code": item,
                "department": "km-scjg",
                "region": "530102",
                "occurred_at": at,
                "recorded_at": at,
                "actor": {"id": "w01"},
                "type": kind["type"],
                "channel": kind.get("channel"),
                "decision": kind.get("decision"),
                "document_number": kind.get("document_number"),
                "method": kind.get("method"),
            })

    case(1, "530100-SCJG-001", dt.date(2025, 3, 3), 5)
    case(2, "530100-SCJG-001", dt.date(2025, 3, 10), 14)
    case(3, "530100-SCJG-001", dt.date(2025, 4, 1), 30)
    case(4, "530100-SCJG-002", dt.date(2025, 5, 6), 0)
    case(5, "530100-SCJG-001", dt.date(2025, 6, 2), 7, decision="refused")
    case(6, "530100-SCJG-001", dt.date(2025, 12, 22), None)
    rows.append(dict(rows[0]))
    table = pa.Table.from_pylist(rows)
    table = table.set_column(
        table.schema.get_field_index("occurred_at"), "occurred_at", table["occurred_at"].cast(pa.timestamp("ms", "+08:00"))
    )
    table = table.set_column(
        table.schema.get_field_index("recorded_at"), "recorded_at", table["recorded_at"].cast(pa.timestamp("ms", "+08:00"))
    )
    out = ROOT / "fuzz" / "corpus" / "parquet" / "by-case.parquet"
    pq.write_table(table, out, row_group_size=8)
    print(f"{out}: {table.num_rows} rows")


if __name__ == "__main__":
    main()
