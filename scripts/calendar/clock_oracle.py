#!/usr/bin/env python3
"""Check the expectations of `tests/data/clock/*.toml` with a naive day-by-day count over the PyPI
package `chinesecalendar` 1.11.0, independently of the Rust implementation.

Supports what the scenarios use: working-day limits, closed pauses, extensions (cap and authority
by regime, refused when approved after the current due date), concluded or running cases.

    python3 scripts/calendar/clock_oracle.py
"""
import datetime as dt
import pathlib
import sys
import tomllib

import chinese_calendar as cc

ROOT = pathlib.Path(__file__).resolve().parents[2]
RULES = {"single": (10, "department_head"), "joint": (15, "government_head")}
RANK = {"department_head": 0, "government_head": 1}


def stopped(day, pauses):
    return any(start < day <= end for start, end in pauses)


def due(accepted, n, pauses):
    day, counted = accepted, 0
    while counted < n:
        day += dt.timedelta(days=1)
        if cc.is_workday(day) and not stopped(day, pauses):
            counted += 1
    return day


def used(accepted, end, pauses):
    return sum(
        1
        for i in range(1, (end - accepted).days + 1)
        if cc.is_workday(accepted + dt.timedelta(days=i)) and not stopped(accepted + dt.timedelta(days=i), pauses)
    )


def evaluate(scenario):
    clock = scenario["clock"]
    accepted = clock["accepted_on"]
    limit = clock["limit"]["days"]
    pauses = [(p["from"], p["until"]) for p in clock.get("pauses", [])]
    cap, authority = RULES[clock.get("regime", {"kind": "single"})["kind"]]
    granted, rejected = 0, 0
    current = due(accepted, limit, pauses)
    for extension in sorted(clock.get("extensions", []), key=lambda e: e["approved_on"]):
        if RANK[extension["authority"]] < RANK[authority] or extension["approved_on"] > current:
            rejected += 1
            continue
        days = min(extension["days"], cap - granted)
        if days < extension["days"]:
            rejected += 1
        granted += days
        current = due(accepted, limit + granted, pauses)
    concluded = clock.get("concluded_on")
    end = concluded or scenario["as_of"]
    used_days = used(accepted, end, pauses)
    paused = sum(
        1
        for i in range(1, (end - accepted).days + 1)
        if cc.is_workday(accepted + dt.timedelta(days=i)) and stopped(accepted + dt.timedelta(days=i), pauses)
    )
    total = limit + granted
    if concluded:
        status = "overdue" if concluded > current else ("early" if used_days < total else "on_time")
    else:
        status = "overdue_running" if scenario["as_of"] > current else "running"
    return {
        "due_on": current,
        "used_days": used_days,
        "remaining_days": total - used_days,
        "paused_days": paused,
        "granted_extension_days": granted,
        "status": status,
        "rejected_extensions": rejected,
    }


def main():
    failures = 0
    files = sorted((ROOT / "tests" / "data" / "clock").glob("*.toml"))
    for path in files:
        scenario = tomllib.loads(path.read_text(encoding="utf-8"))
        got = evaluate(scenario)
        expected = scenario["expect"]
        if got != expected:
            failures += 1
            print(f"{path.name}: oracle {got} != expected {expected}", file=sys.stderr)
    if failures:
        sys.exit(f"{failures} clock scenario(s) disagree with the day-by-day oracle")
    print(f"clock scenarios agree with the day-by-day chinesecalendar oracle ({len(files)} files)")


if __name__ == "__main__":
    main()
