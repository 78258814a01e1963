#!/usr/bin/env python3
"""Write or check `tests/data/calendar/chinesecalendar-1.11.0.txt`, the oracle fixture.

One line per year from 2004 to 2026: the year, a space, then one character per day of the year
(`1` = working day, `0` = day off) as the PyPI package `chinesecalendar` 1.11.0 says. The Rust
test `calendar_agrees_with_chinesecalendar` compares every day of the embedded calendar with it.

    python3 scripts/calendar/oracle_fixture.py          # (re)write the fixture
    python3 scripts/calendar/oracle_fixture.py --check  # fail if the package disagrees with it
"""
import datetime
import pathlib
import sys

import chinese_calendar

EXPECTED_VERSION = "1.11.0"
FIXTURE = pathlib.Path(__file__).resolve().parents[2] / "tests" / "data" / "calendar" / f"chinesecalendar-{EXPECTED_VERSION}.txt"


def render():
    if chinese_calendar.__version__ != EXPECTED_VERSION:
        sys.exit(f"chinesecalendar {EXPECTED_VERSION} expected, found {chinese_calendar.__version__}")
    lines = []
    for year in range(2004, 2027):
        day = datetime.date(year, 1, 1)
        bits = []
        while day.year == year:
            bits.append("1" if chinese_calendar.is_workday(day) else "0")
            day += datetime.timedelta(days=1)
        lines.append(f"{year} {''.join(bits)}")
    # The package's own boundary: 2027 has no data and must raise.
    try:
        chinese_calendar.is_workday(datetime.date(2027, 1, 4))
        sys.exit("chinesecalendar unexpectedly knows 2027")
    except NotImplementedError:
        pass
    return "\n".join(lines) + "\n"


def main():
    text = render()
    if "--check" in sys.argv:
        if FIXTURE.read_text(encoding="utf-8") != text:
            sys.exit(f"{FIXTURE} differs from chinesecalendar {EXPECTED_VERSION}")
        print(f"oracle fixture matches chinesecalendar {EXPECTED_VERSION} (2004-2026, {text.count(chr(10))} years)")
    else:
        FIXTURE.write_text(text, encoding="utf-8")
        print(f"wrote {FIXTURE}")


if __name__ == "__main__":
    main()
