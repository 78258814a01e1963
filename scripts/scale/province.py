#!/usr/bin/env python3
"""A province's year of 办件 events, supervised single-process and on a Dask cluster.

Generates a provincial year (21 prefecture-level cities, their counties and towns, city- and
county-level departments, 3 items each, a realistic mix of 承诺件 and 即办件, 补正, fees, 不予许可,
result delivery, and misbehaving departments: slow ones finishing late, ones asking for 补正
twice, ones entering conclusions days after the fact, ones over-charging), writes it as Parquet
partitioned by city (`city=4401/part-0.parquet`, rows in case order, zoned millisecond
timestamps), then:

- replays it in one process: `zhengwu.supervision.replay` of the whole `pyarrow.dataset`;
- replays it on a `dask.distributed.LocalCluster` of W worker processes: one task per city file
  (`replay(path, threads=1).partial()`, the file read in Rust on the worker's one thread), the
  largest files first, each partial fetched as its task ends, the partials merged;

and checks that the statistics (by department and month), every alert and the ranking are equal.
Cases never span partitions here (a case belongs to one city); to show what happens when they
do, one city's file is also cut in the middle of its rows and its halves replayed apart: their
partials refuse to merge, naming the cases in both, rather than count them twice.

The last line reads `N events, P partitions: dask X s, single Y s, equal`.

    pip install ./bindings/python "dask[distributed]" chinesecalendar pyarrow pandas
    python3 scripts/scale/province.py --events 200000 --workers 2          # CI's size
    python3 scripts/scale/province.py --events 10000000 --workers 2        # the README's figures
    python3 scripts/scale/province.py --events 1000000 --write province    # only the files
"""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import sys
import tempfile
import time

import chinese_calendar
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

import zhengwu
from zhengwu import supervision

# Guangdong's 21 prefecture-level cities (GB/T 2260) and their weight in the year's cases.
CITIES = [
    ("4401", "广州市", 14), ("4402", "韶关市", 3), ("4403", "深圳市", 14), ("4404", "珠海市", 4),
    ("4405", "汕头市", 5), ("4406", "佛山市", 8), ("4407", "江门市", 4), ("4408", "湛江市", 5),
    ("4409", "茂名市", 5), ("4412", "肇庆市", 4), ("4413", "惠州市", 5), ("4414", "梅州市", 3),
    ("4415", "汕尾市", 2), ("4416", "河源市", 2), ("4417", "阳江市", 2), ("4418", "清远市", 3),
    ("4419", "东莞市", 9), ("4420", "中山市", 4), ("4451", "潮州市", 2), ("4452", "揭阳市", 4),
    ("4453", "云浮市", 2),
]
COUNTIES_PER_CITY = 6
TOWNS_PER_COUNTY = 4
CITY_DEPARTMENTS = ["scjg", "zjj", "zrzyj", "jtj", "sthjj", "wjw", "gaj", "mzj", "rsj", "swj",
                    "wlj", "gzw", "cgj", "slj", "fgw", "jyj", "nyj", "yjj", "ylbzj", "zwfw"]
COUNTY_DEPARTMENTS = ["scjg", "zjj", "sthjj", "cgj", "wlj"]
SLOW = {"zjj", "zrzyj", "jtj"}
REPEATED_SUPPLEMENT = {"sthjj", "wjw"}
BACKDATING = {"cgj", "slj"}
OVERCHARGING = {"wlj", "gzw"}
# Item kinds: (suffix, kind, legal days, promised days, share of cases).
ITEMS = [("001", "promised", 20, 10, 0.55), ("002", "immediate", 20, 0, 0.30), ("003", "promised", 20, 15, 0.15)]
FEE_FEN = 5000
YEAR = 2025
AS_OF = dt.datetime(YEAR, 12, 31, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=8)))
TS = pa.timestamp("ms", tz="Asia/Shanghai")


def departments(city: str) -> list[str]:
    """The city's departments: its own, then each county's."""
    names = [f"{city}-{d}" for d in CITY_DEPARTMENTS]
    for county in range(1, COUNTIES_PER_CITY + 1):
        names += [f"{city}{county:02d}-{d}" for d in COUNTY_DEPARTMENTS]
    return names


def catalogue(path: pathlib.Path) -> None:
    lines = []
    for city, name, _ in CITIES:
        for department in departments(city):
            for suffix, kind, legal, promised, _share in ITEMS:
                lines += [
                    "[[item]]", f'code = "{department}-{suffix}"', f'name = "{name}{department}事项{suffix}"',
                    f'department = "{department}"', f'kind = "{kind}"', f"legal_limit = {{ days = {legal} }}",
                    f"promised_limit = {{ days = {promised} }}",
                    "fee = [{ code = \"F01\", name = \"工本费\", standard_fen = %d }]" % FEE_FEN,
                    'material = [{ code = "M01", name = "申请书", required = true }, '
                    '{ code = "M02", name = "证明材料", required = true }]', "",
                ]
    path.write_text("\n".join(lines), encoding="utf-8")


def workdays() -> np.ndarray:
    """Epoch milliseconds of Beijing midnight of every working day from 2 January of the year to
    the end of the next January."""
    day, out = dt.date(YEAR, 1, 2), []
    while day <= dt.date(YEAR + 1, 1, 31):
        if chinese_calendar.is_workday(day):
            out.append((day - dt.date(1970, 1, 1)).days * 86_400_000 - 8 * 3_600_000)
        day += dt.timedelta(days=1)
    return np.array(out, dtype=np.int64)


def city_events(city: str, cases: int, rng: np.random.Generator, days: np.ndarray) -> pa.Table:
    """One city's year, rows in case then sequence order."""
    depts = np.array(departments(city))
    kinds = np.array([name.split("-")[1] for name in depts])
    # Cases per department: city departments see three times a county department's.
    city_level = np.array([len(name.split("-")[0]) == 4 for name in depts])
    weight = np.where(city_level, 3.0, 1.0)
    d = rng.choice(len(depts), size=cases, p=weight / weight.sum())
    k = rng.choice(len(ITEMS), size=cases, p=[i[4] for i in ITEMS])
    promised = np.array([i[3] for i in ITEMS])[k]
    immediate = promised == 0
    kind = kinds[d]
    slow, repeated = np.isin(kind, list(SLOW)), np.isin(kind, list(REPEATED_SUPPLEMENT))
    backdating, overcharging = np.isin(kind, list(BACKDATING)), np.isin(kind, list(OVERCHARGING))
    # The applicant's town: in the county department's county, anywhere in the city for a city
    # department.
    own_county = np.array(["" if level else name.split("-")[0] for name, level in zip(depts, city_level)])
    any_county = np.char.add(city, np.char.zfill(rng.integers(1, COUNTIES_PER_CITY + 1, cases).astype(str), 2))
    county = np.where(city_level[d], any_county, own_county[d])
    region = np.char.add(county, np.char.zfill(rng.integers(1, TOWNS_PER_COUNTY + 1, cases).astype(str), 3))

    start = rng.integers(0, len(days) - 60, cases)  # the receipt's working day
    supplements = np.where(immediate, 0, np.where(repeated & (rng.random(cases) < 0.3), 2,
                                                   (rng.random(cases) < 0.08).astype(int)))
    accept_day = start + np.where(supplements > 0, supplements + rng.integers(0, 3, cases), 0)
    fee = rng.random(cases) < 0.2
    over_fee = fee & overcharging & (rng.random(cases) < 0.3)
    concluded = immediate | (rng.random(cases) < 0.97)
    late = slow & (rng.random(cases) < 0.15)
    used = np.where(immediate, 0, np.where(late, promised + rng.integers(1, 15, cases),
                                           rng.integers(1, np.maximum(promised, 1) + 1)))
    refused = ~immediate & (rng.random(cases) < 0.05)
    # 行政许可法 Art. 44: licences issued within 10 working days; a few never are.
    delivered = concluded & ~refused & (rng.random(cases) < 0.99)
    backdated = concluded & backdating & (rng.random(cases) < 0.1)
    online = rng.random(cases) < 0.6

    # Events as (case, sequence, type, day, minute of the day) columns, one block per slot.
    blocks = []

    def add(mask, kind_name, day, minute, **members):
        index = np.nonzero(mask)[0]
        blocks.append(dict(case=index, type=np.full(len(index), kind_name), day=day[index], minute=minute[index],
                           **{name: value[index] for name, value in members.items()}))

    ones = np.ones(cases, dtype=bool)
    # A 补正 case came without its second material.
    add(ones, "received", start, np.full(cases, 9 * 60), channel=np.where(online, "online", "window"),
        materials=np.where(supplements > 0, 1, 2))
    for n in (1, 2):
        add(supplements >= n, "supplement_requested", start + (n - 1), np.full(cases, 10 * 60 + n))
        add(supplements >= n, "supplement_received", start + n, np.full(cases, 9 * 60 + 30 + n))
    add(ones, "accepted", accept_day, np.full(cases, 11 * 60))
    add(fee, "fee_charged", accept_day, np.full(cases, 11 * 60 + 30),
        amount_fen=np.where(over_fee, FEE_FEN * 5 // 4, FEE_FEN))
    add(concluded, "concluded", accept_day + used, np.full(cases, 15 * 60),
        decision=np.where(refused, "refused", "granted"), backdated=backdated)
    add(delivered, "result_delivered", accept_day + used + 1, np.full(cases, 10 * 60))

    case = np.concatenate([b["case"] for b in blocks])
    order = np.lexsort((np.concatenate([b["day"] * 1440 + b["minute"] for b in blocks]), case))
    column = lambda name, fill: np.concatenate([b.get(name, np.full(len(b["case"]), fill)) for b in blocks])[order]
    case, kind_names = case[order], column("type", "")
    sequence = np.ones(len(case), dtype=np.int64)
    first = np.r_[True, case[1:] != case[:-1]]
    run = np.cumsum(first) - 1
    sequence = np.arange(len(case)) - np.nonzero(first)[0][run] + 1
    occurred = days[column("day", 0)] + column("minute", 0).astype(np.int64) * 60_000
    lag = np.where(column("backdated", False), 6 * 86_400_000, 5 * 60_000)
    recorded = occurred + lag

    ids = pc.binary_join_element_wise(pa.array(np.full(len(case), f"{city}-{YEAR}-")),
                                      pc.utf8_lpad(pc.cast(pa.array(case), pa.string()), 7, "0"), "")
    keys = pc.binary_join_element_wise(ids, pc.cast(pa.array(sequence), pa.string()), "#")
    text = lambda values: pa.array(values, pa.string()).dictionary_encode()
    optional = lambda values: pa.array(np.where(values == "", None, values), pa.string())
    amount = column("amount_fen", 0)
    return pa.table({
        "schema": pa.array(np.ones(len(case), dtype=np.int64)),
        "idempotency_key": keys,
        "case_id": ids,
        "sequence": pa.array(sequence),
        "item_code": text(np.char.add(np.char.add(depts[d][case], "-"), np.array([i[0] for i in ITEMS])[k][case])),
        "department": text(depts[d][case]),
        "region": text(region[case]),
        "occurred_at": pa.array(occurred, TS),
        "recorded_at": pa.array(recorded, TS),
        "actor_id": text(np.char.add(depts[d][case], "-h1")),
        "type": text(kind_names),
        "channel": optional(column("channel", "")),
        "decision": optional(column("decision", "")),
        "reason": optional(np.where(column("decision", "") == "refused", "不符合法定条件", "")),
        "fee_code": optional(np.where(kind_names == "fee_charged", "F01", "")),
        "amount_fen": pa.array(np.where(kind_names == "fee_charged", amount, 0), mask=kind_names != "fee_charged"),
        "materials": materials(column("materials", 0)),
        "document_number": optional(np.where(column("decision", "") == "granted", np.char.add(np.char.add(
            f"{city}许〔{YEAR}〕", np.char.zfill(case.astype(str), 7)), "号"), "")),
        "items": supplement_items(kind_names),
    })


def supplement_items(kind_names: np.ndarray) -> pa.Array:
    """`["M02"]` on 补正 rows, empty elsewhere."""
    has = np.char.startswith(kind_names.astype(str), "supplement")
    offsets = np.r_[0, np.cumsum(has)].astype(np.int32)
    values = pa.array(np.full(int(has.sum()), "M02"), pa.string())
    return pa.ListArray.from_arrays(pa.array(offsets), values, mask=pa.array(~has))


def materials(count: np.ndarray) -> pa.Array:
    """The materials handed in at receipt (`M01`, then `M02`), empty on other rows."""
    offsets = np.r_[0, np.cumsum(count)].astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(_material_values(count), pa.string()),
                                    mask=pa.array(count == 0))


def _material_values(count: np.ndarray) -> np.ndarray:
    """`M01` for each row with one material, `M01, M02` for each with two, in row order."""
    present = count[count > 0]
    first = np.full(len(present), "M01")
    out = np.empty(int(present.sum()), dtype="<U3")
    starts = np.r_[0, np.cumsum(present)[:-1]]
    out[starts] = first
    out[starts[present == 2] + 1] = "M02"
    return out


def generate(events: int, folder: pathlib.Path, seed: int = 2025) -> tuple[int, list[pathlib.Path]]:
    rng = np.random.default_rng(seed)
    days = workdays()
    cases = max(len(CITIES), int(events / 3.9))
    weights = np.array([w for _, _, w in CITIES], dtype=float)
    per_city = np.maximum(1, np.floor(cases * weights / weights.sum()).astype(int))
    total, files = 0, []
    for (city, _, _), n in zip(CITIES, per_city):
        table = city_events(city, int(n), rng, days)
        path = folder / f"city={city}" / "part-0.parquet"
        path.parent.mkdir(parents=True, exist_ok=False)
        pq.write_table(table, path, row_group_size=128_000)
        total += table.num_rows
        files.append(path)
    return total, files


def replay_file(path: str, catalogue: str) -> supervision.Partial:
    """One partition's task: the file read in Rust on the worker's one thread, replayed and
    evaluated as of the year's end."""
    return supervision.replay(path, catalogue, as_of=AS_OF, threads=1).partial(by="department", period="month")


def frames(statistics: pd.DataFrame, alerts: pd.DataFrame, ranking: pd.DataFrame):
    statistics = statistics.sort_values(["group", "period"]).reset_index(drop=True)
    alerts = alerts.sort_values("id").reset_index(drop=True)
    return statistics, alerts, ranking.reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--write", type=pathlib.Path, metavar="DIR",
                        help="only write the year (DIR/events/city=…/part-0.parquet) and DIR/catalogue.toml")
    args = parser.parse_args()
    if args.write is not None:
        args.write.mkdir(parents=True, exist_ok=False)
        catalogue(args.write / "catalogue.toml")
        total, files = generate(args.events, args.write / "events")
        print(f"{total} events in {len(files)} city files under {args.write / 'events'}")
        return
    from dask.distributed import Client, LocalCluster, as_completed

    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp) / "province"
        catalogue_path = pathlib.Path(tmp) / "catalogue.toml"
        catalogue(catalogue_path)
        start = time.perf_counter()
        total, files = generate(args.events, folder)
        size = sum(f.stat().st_size for f in files)
        print(f"generated {total} events in {len(files)} city files ({size / 1e6:.0f} MB) "
              f"in {time.perf_counter() - start:.1f} s")

        start = time.perf_counter()
        single = supervision.replay(ds.dataset(folder, format="parquet", partitioning="hive"), catalogue_path, as_of=AS_OF)
        whole = single.partial(by="department", period="month")
        expected = frames(whole.to_frame(), single.alerts(), single.ranking())
        single_seconds = time.perf_counter() - start
        if single.rejected:
            sys.exit(f"the single replay rejected {single.rejected} events: {single.rejections().head(3)}")
        print(f"single process: {single.applied} events applied, {len(expected[1])} alerts, "
              f"{len(expected[2])} departments ranked in {single_seconds:.2f} s")
        del single

        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            client.run(lambda: __import__("zhengwu.supervision"))  # workers import before the clock
            start = time.perf_counter()
            # The largest cities first, so that no worker is left with a large one at the end;
            # each partial fetched as its task ends, while the others still run.
            largest_first = sorted(files, key=lambda f: f.stat().st_size, reverse=True)
            futures = client.map(replay_file, [str(f) for f in largest_first], catalogue=str(catalogue_path))
            merged = supervision.merge([future.result() for future in as_completed(futures)])
            found = frames(merged.to_frame(), merged.alerts(), merged.ranking())
            dask_seconds = time.perf_counter() - start

        for name, a, b in zip(("statistics", "alerts", "ranking"), found, expected):
            pd.testing.assert_frame_equal(a, b, obj=name)
        if merged.ingest != whole.ingest or merged.cases != whole.cases:
            sys.exit(f"ingest {merged.ingest} / {merged.cases} cases differ from {whole.ingest} / {whole.cases}")

        # A city cut in the middle of its rows: partials of its two halves share the case cut.
        table = pq.read_table(files[-1])
        sequence = table.column("sequence").to_numpy()
        half = table.num_rows // 2
        while sequence[half] == 1:  # the first row of the second half is not a case's first
            half += 1
        halves = []
        for part, rows in enumerate((table.slice(0, half), table.slice(half))):
            path = pathlib.Path(tmp) / f"half-{part}.parquet"
            pq.write_table(rows, path)
            halves.append(replay_file(str(path), str(catalogue_path)))
        try:
            halves[0].merge(halves[1])
            sys.exit("the halves of a city cut mid-case merged")
        except zhengwu.SupervisionError as refused:
            print(f"a city cut mid-case: {refused}")

    print(f"{total} events, {len(files)} partitions: dask {dask_seconds:.2f} s, single {single_seconds:.2f} s, equal")


if __name__ == "__main__":
    main()
