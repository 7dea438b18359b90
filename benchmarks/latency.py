"""Latency of one chat turn on this machine: the real server on a free loopback port, a warm-up, then N sequential
requests with Dutch messages from eval/data/*.jsonl (dev splits). `make bench` runs it.

    .venv/bin/python benchmarks/latency.py [-n 300] [--warmup 30] [--server-args "--workers 1"]
"""

from __future__ import annotations

import argparse
import shlex
import time

from _harness import Sampler, Server, dev_payloads, machine, run_load, write_json


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=300, help="sequential requests measured")
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--server-args", default="", help="extra arguments for `wegwijzer serve`")
    args = ap.parse_args()

    payloads = dev_payloads()
    info = machine()
    with Server(shlex.split(args.server_args)) as server:
        run_load(server.url, payloads, clients=1, total=args.warmup, offset=500)
        with Sampler(server) as sampler:
            result = run_load(server.url, payloads, clients=1, total=args.n, max_seconds=300)
    s = result.summary()
    cpu_ms = sampler.cpu_s / max(result.requests, 1) * 1000
    print("| requests | errors | p50 ms | p95 ms | p99 ms | mean ms | server CPU ms / request |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {s['requests']} | {s['errors']} | {s['p50_ms']:.1f} | {s['p95_ms']:.1f} | {s['p99_ms']:.1f} "
          f"| {s['mean_ms']:.1f} | {cpu_ms:.1f} |")
    path = write_json("latency-latest.json", {"machine": info, "server_args": args.server_args, **s,
                                               "server_cpu_ms_per_request": cpu_ms,
                                               "time": time.strftime("%Y-%m-%dT%H:%M:%S")})
    print("written:", path)


if __name__ == "__main__":
    main()
