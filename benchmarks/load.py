"""Load benchmark: 1, 8 and 32 concurrent clients against the real server with realistic Dutch messages (dev sets).

Reports p50/p95/p99 latency, throughput, errors, the server's CPU (cores used) and peak RSS, and the "bare floor":
the same messages through only the embedding model and the Presidio analyzer, in this process, in the same run.
Prints a markdown table and writes benchmarks/results/load-<time>.json (and load-latest.json).

    .venv/bin/python benchmarks/load.py                      # starts `wegwijzer serve` on a free loopback port
    .venv/bin/python benchmarks/load.py --server-args="--workers 1" --env WEGWIJZER_EMBED_THREADS=2   # a variant
    .venv/bin/python benchmarks/load.py --client wrk        # load from wrk (C) instead of Python: see run_wrk

Goal on the 2-core machine: p95 <= 150 ms at 8 clients, >= 60 requests/s, throughput >= half of the bare floor.
"""

from __future__ import annotations

import argparse
import os
import shlex
import time
from typing import Any

from _harness import Sampler, Server, dev_payloads, machine, run_load, run_wrk, write_json

GOAL = {"p95_ms_at_8": 150.0, "rps_at_8": 60.0, "floor_fraction": 0.5}


def bare_floor(payloads: list[dict[str, Any]], n: int) -> dict[str, float]:
    """Messages per second through only the embedder and the Presidio analyzer (what every turn must pay)."""
    from wegwijzer.backends.embedders import make_embedder
    from wegwijzer.config import Settings
    from wegwijzer.privacy.analyzer import build_analyzer
    from wegwijzer.privacy.recognizers import LANG
    from wegwijzer.services import SPACY_DIR

    settings = Settings()
    embedder = make_embedder(settings.embedder, settings.embed_threads, settings.st_model_path)
    analyzer = build_analyzer(SPACY_DIR)
    sample = [payloads[i % len(payloads)] for i in range(n)]

    def one(p: dict[str, Any]) -> None:
        for text in [p["message"], *(t["content"] for t in p.get("history", []))]:
            analyzer.analyze(text=text, language=LANG)
        embedder.embed_queries([p["message"]])

    for p in sample[:20]:
        one(p)
    start = time.perf_counter()
    for p in sample:
        one(p)
    seconds = time.perf_counter() - start
    return {"messages": n, "seconds": seconds, "rps": n / seconds, "ms_per_message": seconds / n * 1000,
            "embedder": settings.embedder, "embed_threads": settings.embed_threads}


def table(rows: list[dict[str, Any]], floor: dict[str, float]) -> str:
    head = ("| clients | requests | errors | p50 ms | p95 ms | p99 ms | req/s | of floor | server CPU (cores) "
            "| server CPU ms / request | server peak RSS MiB |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    lines = [head]
    for r in rows:
        lines.append(f"| {r['clients']} | {r['requests']} | {r['errors']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} "
                     f"| {r['p99_ms']:.1f} | {r['throughput_rps']:.1f} | {r['throughput_rps'] / floor['rps']:.0%} "
                     f"| {r['cpu_cores']:.2f} | {r['cpu_ms_per_request']:.1f} | {r['peak_rss_mib']:.0f} |")
    lines.append(f"| floor (embedder + Presidio, 1 thread of this process) | {floor['messages']} | - | "
                 f"{floor['ms_per_message']:.1f} (mean) | - | - | {floor['rps']:.1f} | 100% | - | {floor['ms_per_message']:.1f} (wall) | - |")
    return "\n".join(lines)


def verdict(rows: list[dict[str, Any]], floor: dict[str, float]) -> dict[str, bool]:
    at8 = next((r for r in rows if r["clients"] == 8), None)
    if at8 is None:
        return {}
    return {"p95_at_8_ok": at8["p95_ms"] <= GOAL["p95_ms_at_8"], "rps_at_8_ok": at8["throughput_rps"] >= GOAL["rps_at_8"],
            "half_floor_ok": max(r["throughput_rps"] for r in rows) >= GOAL["floor_fraction"] * floor["rps"],
            "no_errors": all(r["errors"] == 0 for r in rows)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", default="1,8,32", help="comma-separated concurrency levels")
    ap.add_argument("--requests", type=int, default=0, help="requests per level (default: 300 + 40 per client)")
    ap.add_argument("--max-seconds", type=float, default=120.0, help="time cap per level")
    ap.add_argument("--warmup", type=int, default=60)
    ap.add_argument("--floor-messages", type=int, default=600)
    ap.add_argument("--server-args", default="", help="extra arguments for `wegwijzer serve`, e.g. '--workers 2'")
    ap.add_argument("--env", action="append", default=[], help="KEY=VALUE for the server and the floor (repeatable)")
    ap.add_argument("--label", default="", help="a name for this variant in the JSON")
    ap.add_argument("--client", choices=("auto", "python", "wrk"), default="auto",
                    help="load generator: wrk (C, Debian package; leaves the cores to the server), python (httpx, in "
                         "this process: on 2 cores it takes about one of them), or auto (wrk when installed)")
    ap.add_argument("--seconds", type=float, default=20.0, help="duration per level with --client wrk")
    args = ap.parse_args()

    if args.client == "auto":
        import shutil

        args.client = "wrk" if shutil.which("wrk") else "python"
        print(f"load generator: {args.client}", flush=True)
    env = dict(kv.split("=", 1) for kv in args.env)
    os.environ.update(env)  # the floor is measured with the same settings as the server
    payloads = dev_payloads()
    levels = [int(c) for c in args.clients.split(",")]
    rows: list[dict[str, Any]] = []
    info = machine()
    with Server(shlex.split(args.server_args), env=env) as server:
        run_load(server.url, payloads, clients=8, total=args.warmup)
        for i, clients in enumerate(levels):
            total = args.requests or 300 + 40 * clients
            with Sampler(server) as sampler:
                if args.client == "wrk":
                    summary = run_wrk(server.url, payloads, clients, args.seconds)
                else:
                    summary = run_load(server.url, payloads, clients, total, args.max_seconds, offset=i * 997).summary()
            rows.append({**summary, "cpu_cores": sampler.cpu_cores, "peak_rss_mib": sampler.peak_rss_mib,
                         "cpu_ms_per_request": sampler.cpu_s / max(summary["requests"], 1) * 1000})
            print(f"  {clients:>3} clients: {summary['requests']} requests, p95 {summary['p95_ms']:.1f} ms, "
                  f"{summary['throughput_rps']:.1f} req/s, errors {summary['errors']} {summary['statuses']}", flush=True)
        floor = bare_floor(payloads, args.floor_messages)  # server idle meanwhile: they do not compete
    out = {"label": args.label, "client": args.client, "server_args": args.server_args, "env": env, "machine": info, "levels": rows,
           "floor": floor, "goal": GOAL, "verdict": verdict(rows, floor), "time": time.strftime("%Y-%m-%dT%H:%M:%S")}
    print()
    print(table(rows, floor))
    print()
    print("verdict:", out["verdict"])
    stamp = time.strftime("%Y%m%d-%H%M%S")
    print("written:", write_json(f"load-{stamp}{'-' + args.label if args.label else ''}.json", out))
    write_json("load-latest.json", out)


if __name__ == "__main__":
    main()
