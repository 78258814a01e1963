"""Throughput and latency of `zhengwu serve` on loopback: a fresh centre on a SQLite store, 16
concurrent reporting systems (the `load` example) posting batches and waiting for each durable
acknowledgement; first as fast as the centre acknowledges, then paced to half that rate for the
latency. Prints the README's table rows.

Usage: load_test.py --zhengwu target/release/zhengwu --load target/release/examples/load
                    [--events 400000] [--clients 16] [--batch 500]
"""

import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

from centre import free_port, make_pki, start


def run(args: argparse.Namespace, pki: pathlib.Path, port: int, prefix: str, rate: float | None) -> dict:
    command = [args.load, "--address", f"127.0.0.1:{port}", "--pki", str(pki), "--clients", str(args.clients),
               "--events", str(args.events), "--batch", str(args.batch), "--prefix", prefix]
    if rate:
        command += ["--rate", str(int(rate))]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"the load failed: {result.stdout}{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--zhengwu", required=True)
    parser.add_argument("--load", required=True)
    parser.add_argument("--events", type=int, default=400_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        work = pathlib.Path(work)
        pki = make_pki(work)
        port = free_port()
        server = start(args.zhengwu, work / "centre.db", pki, port)
        try:
            full = run(args, pki, port, "FULL", None)
            half = run(args, pki, port, "HALF", full["events_per_s"] / 2)
        finally:
            server.terminate()
            server.wait(timeout=60)
    print(f"| serve: events acknowledged durably, {args.clients} clients, batches of {args.batch} "
          f"| {full['events_per_s']:,.0f} events/s |")
    print(f"| serve: acknowledgement latency at half that load ({half['events_per_s']:,.0f} events/s) "
          f"| p50 {half['p50_ms']:.0f} ms, p99 {half['p99_ms']:.0f} ms |")


if __name__ == "__main__":
    main()
