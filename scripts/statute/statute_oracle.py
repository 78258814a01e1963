#!/usr/bin/env python3
"""Re-derive the expectations of `tests/data/statute/cases.toml` from the statutes with a naive
day-by-day count over the PyPI package `chinesecalendar` 1.11.0, independently of the Rust
implementation: the day the clock starts (行政许可法 Art. 32(4)), the due dates and the amounts
over or left of the legal and promised clocks (Art. 42, 43, 45, 82; 民法典 Arts. 201, 203), and
the dates and amounts of the DELIVERY_LATE (Art. 44), HEARING_LATE (Art. 47),
HEARING_NOTICE_LATE (Art. 48), OBJECTION_LATE and NOT_ACCEPT_IN_TIME alerts.

    python3 scripts/statute/statute_oracle.py
"""
import datetime as dt
import pathlib
import sys
import tomllib

import chinese_calendar as cc

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "statute"
ART45 = {"hearing", "tender", "auction", "inspection", "testing", "quarantine", "appraisal", "expert_review"}
RANK = {"department_head": 0, "government_head": 1}


def day_of(text):
    return dt.date.fromisoformat(text.split(" ")[0])


def workday(day):
    return cc.is_workday(day)


def stopped(day, pauses):
    return any(start < day <= (end or dt.date.max) for start, end in pauses)


def due(start, n, unit, pauses):
    """The n-th counted day after start; calendar days move to a working day (Art. 203)."""
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        if stopped(day, pauses):
            continue
        if unit == "calendar_days" or workday(day):
            counted += 1
    if unit == "calendar_days":
        while not workday(day):
            day += dt.timedelta(days=1)
    return day


def counted_days(start, end, unit, pauses):
    """Counted days in (start, end]."""
    total = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if not stopped(day, pauses) and (unit == "calendar_days" or workday(day)):
            total += 1
    return total


def regime(item):
    if "regime" in item:
        r = item["regime"]
        if r["kind"] == "custom":
            return r["max_extension_days"], r["authority"]
    kind = item["kind"]
    return {"joint": (15, "government_head"), "forwarded": (0, "government_head")}.get(kind, (10, "department_head"))


def counted_procedure(item, procedure):
    for declared in item.get("special_procedure", []):
        if declared["kind"] == procedure and "counted" in declared:
            return declared["counted"]
    statute = item.get("statute", "administrative_licensing")
    if statute == "administrative_licensing":
        return procedure not in ART45
    if statute == "petition":
        return procedure != "hearing"
    return True


def fold(events):
    t = {"supplements": [], "procedures": [], "extensions": [], "notices": []}
    for event in events:
        day, kind = day_of(event["at"]), event["type"]
        if kind == "received":
            t["received"] = day
        elif kind == "accepted":
            t["accepted"] = day
        elif kind == "supplement_requested":
            t["supplements"].append([day, None, "accepted" in t])
        elif kind == "supplement_received":
            t["supplements"][-1][1] = day
        elif kind == "special_procedure_started":
            t["procedures"].append([event["procedure"], day, None])
        elif kind == "special_procedure_ended":
            t["procedures"][-1][2] = day
        elif kind == "extension_approved":
            t["extensions"].append((day, event["days"], event["authority"]))
        elif kind == "concluded":
            t["concluded"], t["decision"] = day, event["decision"]
        elif kind == "result_delivered":
            t["delivered"] = day
        elif kind == "hearing_noticed":
            t["notices"].append((day, dt.date.fromisoformat(event["hearing_on"])))
        elif kind == "assignment_objected":
            t["objected"] = day
    return t


def acceptance(item, t, today):
    statute = item.get("statute", "administrative_licensing")
    if item.get("clock_start") == "receipt":
        before = [s for s in t["supplements"] if not s[2]]
        return (before[-1][1], "completed") if before else (t["received"], "received")
    if statute != "administrative_licensing":
        return (t.get("accepted"), "accepted")
    window = due(t["received"], 5, "working_days", [])
    notices = [s[0] for s in t["supplements"] if not s[2]]
    answered = min([d for d in [t.get("accepted")] + notices[:1] if d], default=None)
    late = answered > window if answered else today > window
    if late:
        return (t["received"], "deemed")
    before = [s for s in t["supplements"] if not s[2]]
    completed = before[-1][1] if before else None
    accepted = t.get("accepted")
    if completed and not (accepted and accepted <= completed):
        return (completed, "completed")
    return (accepted, "accepted")


def clock(item, t, reference, today):
    start, _ = acceptance(item, t, today)
    limit = item[f"{reference}_limit"]
    unit = limit.get("unit", "working_days")
    pauses = [(s[0], s[1]) for s in t["supplements"] if s[2]]
    pauses += [(p[1], p[2]) for p in t["procedures"] if not counted_procedure(item, p[0])]
    cap, authority = regime(item)
    granted = 0
    current = due(start, limit["days"], unit, pauses)
    for approved, days, by in sorted(t["extensions"]):
        if cap == 0 or RANK[by] < RANK[authority] or approved > current:
            continue
        granted += min(days, cap - granted)
        current = due(start, limit["days"] + granted, unit, pauses)
    now = t.get("concluded") or today
    if now > current:
        remaining = -counted_days(current, now, unit, pauses)
    else:
        remaining = counted_days(now, current, unit, pauses)
    if "concluded" in t:
        status = "overdue" if now > current else "on_time" if now == current else "early"
    else:
        status = "overdue_running" if today > current else "running"
    return {"due_on": current.isoformat(), "remaining_days": remaining, "status": status, "unit": unit}


def alert_facts(item, t, today):
    """What the oracle knows of each alert, by code."""
    facts = {}
    started = "objected" not in t and acceptance(item, t, today)[0] is not None
    for reference, code in [("promised", "TIME_OVER_PROMISE"), ("legal", "TIME_OVER_LEGAL")]:
        if not started:
            break
        c = clock(item, t, reference, today)
        unit = "日" if c["unit"] == "calendar_days" else "个工作日"
        facts[code] = {"due_on": c["due_on"], "over_days": str(-c["remaining_days"]), "unit": unit}
    window = item.get("acceptance_limit", {"days": 5})
    facts["NOT_ACCEPT_IN_TIME"] = {
        "deadline": due(t["received"], window["days"], window.get("unit", "working_days"), []).isoformat()
    }
    if t.get("decision") == "granted":
        limit = due(t["concluded"], 10, "working_days", [])
        end = t.get("delivered") or today
        facts["DELIVERY_LATE"] = {
            "granted_on": t["concluded"].isoformat(),
            "due_on": limit.isoformat(),
            "over_days": str(counted_days(limit, end, "working_days", [])),
            "unit": "个工作日",
        }
    for procedure, start, end in t["procedures"]:
        if procedure == "hearing":
            limit = due(start, 20, "working_days", [])
            facts["HEARING_LATE"] = {
                "requested_on": start.isoformat(),
                "due_on": limit.isoformat(),
                "over_days": str(counted_days(limit, end or today, "working_days", [])),
                "unit": "个工作日",
            }
    for noticed, hearing in t["notices"]:
        facts["HEARING_NOTICE_LATE"] = {
            "noticed_on": noticed.isoformat(),
            "hearing_on": hearing.isoformat(),
            "lead_days": str(counted_days(noticed, hearing, "working_days", [])),
        }
    if "objected" in t:
        facts["OBJECTION_LATE"] = {
            "received_on": t["received"].isoformat(),
            "objected_on": t["objected"].isoformat(),
            "due_on": due(t["received"], 5, "working_days", []).isoformat(),
        }
    return facts


def main():
    items = {i["code"]: i for i in tomllib.loads((DATA / "catalogue.toml").read_text(encoding="utf-8"))["item"]}
    cases = tomllib.loads((DATA / "cases.toml").read_text(encoding="utf-8"))["case"]
    problems, checked = [], 0
    for case in cases:
        item, t, today = items[case["item"]], fold(case["events"]), day_of(case["as_of"])
        if "acceptance" in case:
            found = acceptance(item, t, today)
            expected = (dt.date.fromisoformat(case["acceptance"]["on"]), case["acceptance"]["basis"])
            checked += 1
            if found != expected:
                problems.append(f"{case['name']}: acceptance {found} != {expected}")
        for reference in ["legal", "promised"]:
            for key, value in case.get(reference, {}).items():
                found = clock(item, t, reference, today)[key]
                checked += 1
                if found != value:
                    problems.append(f"{case['name']}: {reference} {key} {found!r} != {value!r}")
        facts = alert_facts(item, t, today)
        for alert in case["alert"]:
            for key, value in alert.items():
                known = facts.get(alert["code"], {})
                if key == "code" or key not in known:
                    continue
                checked += 1
                if known[key] != value:
                    problems.append(f"{case['name']}: {alert['code']} {key} {known[key]!r} != {value!r}")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"statute cases agree with the day-by-day chinesecalendar oracle ({len(cases)} cases, {checked} values)")


if __name__ == "__main__":
    main()
