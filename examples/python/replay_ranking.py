"""Replays the events of `zhengwu demo` with the Python package and draws the department ranking
to a PNG with matplotlib.

    cargo run --release -p zhengwu-cli -- demo          # writes zhengwu-demo/
    pip install ./bindings/python matplotlib
    python3 examples/python/replay_ranking.py zhengwu-demo ranking.png
"""

from __future__ import annotations

import json
import pathlib
import sqlite3
import sys
from typing import Any, Dict, List

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from zhengwu import supervision  # noqa: E402


def demo_events(directory: pathlib.Path) -> List[Dict[str, Any]]:
    """The demo's events, read from its SQLite log in log order."""
    with sqlite3.connect(directory / "events.db") as connection:
        rows = connection.execute("SELECT body FROM events ORDER BY position").fetchall()
    return [json.loads(body) for (body,) in rows]


def main(directory: pathlib.Path, output: pathlib.Path) -> int:
    events = demo_events(directory)
    result = supervision.replay(events, directory / "catalogue.json")
    organization = json.loads((directory / "organization.json").read_text(encoding="utf-8"))
    names = {d["id"]: d["name"] for d in organization["department"]}
    owners = {item["department"] for item in json.loads((directory / "catalogue.json").read_text(encoding="utf-8"))["item"]}
    ranking = result.ranking()
    ranking = ranking[ranking["department"].isin(owners)].sort_values("score")
    plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "WenQuanYi Micro Hei", "DejaVu Sans"]
    figure, axes = plt.subplots(figsize=(8, 10))
    axes.barh([names.get(d, d) for d in ranking["department"]], ranking["score"], color="#5470C6")
    axes.set_xlabel("绩效得分")
    axes.set_title(f"部门绩效排名（{len(events)}条事件）")
    figure.tight_layout()
    figure.savefig(output, dpi=80)
    print(f"{len(events)} events, {len(ranking)} departments ranked; ranking drawn to {output}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: replay_ranking.py DEMO_DIR OUT.png")
    sys.exit(main(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])))
