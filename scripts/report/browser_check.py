"""Renders the demo's HTML report in headless Chromium and checks that every chart is there and
drawn: the DOM Chromium built holds an <svg> in each chart container, with bars or slices and
Chinese labels, and the page renders to a screenshot.

Usage: browser_check.py REPORT.html [--screenshot OUT.png]
Exit 1 with the reason when a chart is missing or empty.
"""

import argparse
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

CHARTS = {
    "ranking": ("rect", 21),  # the background and one bar per department
    "monthly": ("rect", 25),  # the background and two bars per month
    "levels": ("path", 1),  # pie slices
    "timeliness": ("path", 2),
    "rules": ("rect", 1),
}


class Charts(HTMLParser):
    """Counts shapes and collects text inside each chart container of the rendered DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []
        self.shapes: dict[str, dict[str, int]] = {name: {} for name in CHARTS}
        self.svgs: dict[str, int] = {name: 0 for name in CHARTS}
        self.text: dict[str, str] = {name: "" for name in CHARTS}

    def current(self) -> str | None:
        return next((c for c in reversed(self.stack) if c), None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs).get("id")
        chart = found if tag == "div" and found in CHARTS else None
        void = tag in ("meta", "br", "img", "input", "link", "hr")
        inside = self.current()
        if inside:
            if tag == "svg":
                self.svgs[inside] += 1
            self.shapes[inside][tag] = self.shapes[inside].get(tag, 0) + 1
        if not void:
            self.stack.append(chart)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        inside = self.current()
        if inside:
            self.shapes[inside][tag] = self.shapes[inside].get(tag, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        inside = self.current()
        if inside:
            self.text[inside] += data


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("no Chromium on this machine (Debian: apt-get install chromium)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("report", type=pathlib.Path)
    parser.add_argument("--screenshot", type=pathlib.Path)
    args = parser.parse_args()
    url = args.report.resolve().as_uri()
    browser = chromium()
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
    with tempfile.TemporaryDirectory() as profile:
        flags.append(f"--user-data-dir={profile}")
        dom = subprocess.run(
            [browser, *flags, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=True
        ).stdout
        screenshot = args.screenshot or pathlib.Path(profile) / "report.png"
        subprocess.run(
            [browser, *flags, f"--screenshot={screenshot}", "--window-size=1000,2600", url],
            capture_output=True, timeout=120, check=True,
        )
        if not screenshot.exists() or screenshot.stat().st_size < 20_000:
            sys.exit(f"the page did not render: screenshot {screenshot} missing or blank")
        size = screenshot.stat().st_size
    charts = Charts()
    charts.feed(dom)
    problems = []
    for name, (shape, least) in CHARTS.items():
        count = charts.shapes[name].get(shape, 0)
        if charts.svgs[name] != 1:
            problems.append(f"chart `{name}`: {charts.svgs[name]} <svg> elements, expected 1")
        if count < least:
            problems.append(f"chart `{name}`: {count} <{shape}> elements, expected at least {least}")
        if not re.search(r"[\u4e00-\u9fff]", charts.text[name]):
            problems.append(f"chart `{name}`: no Chinese label")
    if "区域汇总" not in dom or dom.count("<tr") < 50:
        problems.append("the roll-up tables are missing")
    if problems:
        sys.exit("\n".join(problems))
    summary = ", ".join(f"{name} {charts.shapes[name].get(shape, 0)} {shape}" for name, (shape, _) in CHARTS.items())
    print(f"browser check: 5 charts drawn ({summary}); screenshot {size} bytes")


if __name__ == "__main__":
    main()
