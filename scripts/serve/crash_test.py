"""kill -9 for `zhengwu serve`: a load of concurrent reporting systems (the `load` example) runs
while the centre is killed at random moments and started again on the same store; then every
acknowledged event must be in the store once, the hash chain must verify, and the statistics the
restarted centre serves must equal an offline replay of the store (`zhengwu supervise replay`).

Usage: crash_test.py --zhengwu target/release/zhengwu --load target/release/examples/load
                     [--kills 20] [--events 600000] [--rate 20000] [--clients 16] [--seed N]
Prints one line per kill and a last line `N kills, E events acknowledged: all stored once,
chain intact, statistics equal`; exit 1 with the reason otherwise.
"""

import argparse
import json
import pathlib
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

from centre import CATALOGUE, free_port, get, make_pki, start

def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--zhengwu", required=True)
    parser.add_argument("--load", required=True)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--events", type=int, default=600_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rate", type=int, default=20_000, help="events per second the load is paced to")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as work:
        work = pathlib.Path(work)
        pki = make_pki(work)
        store = work / "centre.db"
        acks = work / "acks.txt"
        port = free_port()
        server = start(args.zhengwu, store, pki, port)
        load = subprocess.Popen(
            [args.load, "--address", f"127.0.0.1:{port}", "--pki", str(pki), "--clients", str(args.clients),
             "--events", str(args.events), "--batch", "200", "--rate", str(args.rate), "--acks", str(acks), "--patience", "120"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        kills = 0
        while kills < args.kills and load.poll() is None:
            time.sleep(rng.uniform(0.2, 1.2))
            if load.poll() is not None:
                break
            server.send_signal(signal.SIGKILL)
            server.wait()
            kills += 1
            acknowledged = sum(1 for _ in acks.open()) if acks.exists() else 0
            print(f"kill {kills}: {acknowledged} events acknowledged so far", flush=True)
            server = start(args.zhengwu, store, pki, port)
        output, _ = load.communicate(timeout=600)
        if load.returncode != 0:
            sys.exit(f"the load failed: {output}")
        if kills < args.kills:
            sys.exit(f"the load ended after {kills} kills; give it more --events")
        # The centre evaluates its rules every half second or so: let it see the last batches.
        time.sleep(3)
        as_of = "2026-12-01T00:00:00+08:00"
        served = get(port, pki, f"/v1/statistics?by=department&as_of={as_of.replace('+', '%2B')}")
        served_alerts = sorted(alert["id"] for alert in get(port, pki, "/v1/alerts"))
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

        acknowledged = [tuple(line.split()) for line in acks.read_text().splitlines()]
        with sqlite3.connect(store) as db:
            rows = db.execute("SELECT case_id, sequence FROM events").fetchall()
            bodies = [body for (body,) in db.execute("SELECT body FROM events ORDER BY position")]
        stored = {(case, str(sequence)) for case, sequence in rows}
        if len(stored) != len(rows):
            sys.exit(f"{len(rows) - len(stored)} events are stored twice")
        missing = [a for a in acknowledged if a not in stored]
        if missing:
            sys.exit(f"{len(missing)} acknowledged events are not in the store, e.g. {missing[:3]}")
        verify = subprocess.run([args.zhengwu, "store", "verify", str(store)], capture_output=True, text=True)
        if verify.returncode != 0:
            sys.exit(f"the chain does not verify: {verify.stdout}{verify.stderr}")
        events = work / "events.jsonl"
        events.write_text("\n".join(bodies) + "\n")
        replay = subprocess.run(
            [args.zhengwu, "supervise", "replay", str(events), "--catalogue", str(CATALOGUE),
             "--as-of", as_of, "--by", "department", "--format", "json"],
            capture_output=True, text=True, check=True,
        )
        offline = json.loads(replay.stdout)
        # Alert counters count alerts by the instant they were raised: the replay's at its as-of,
        # the centre's when it evaluated. The case figures are compared, and the alerts by id.
        alert_columns = {"notices", "warnings", "yellow_cards", "red_cards", "alerts_per_100"}
        strip = lambda rows: [{k: v for k, v in row.items() if k not in alert_columns} for row in rows]
        if strip(served["statistics"]) != strip(offline["statistics"]):
            sys.exit(f"the served statistics differ from the replay:\n{served['statistics']}\n{offline['statistics']}")
        offline_alerts = sorted(alert["id"] for alert in offline["alerts"])
        if served_alerts != offline_alerts:
            sys.exit(f"the centre holds {len(served_alerts)} alerts, the replay {len(offline_alerts)}")
        print(f"{kills} kills, {len(acknowledged)} events acknowledged ({len(rows)} stored): all stored once, "
              f"chain intact, statistics and {len(served_alerts)} alerts equal; "
              f"load {output.strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()
