"""Redaction alone: what the redact stage adds to a chat turn, per message, on this machine.

Every message of the dev sets (conversations with their history, as a turn redacts them) goes through the real
Presidio analyzer with our Dutch recognizers, `--rounds` times, one at a time in this process with one BLAS thread.
Reports p50/p95/p99/max in ms per message and writes benchmarks/results/redaction-latest.json.
Goal (issue 6): p95 <= 10 ms.

    .venv/bin/python benchmarks/redaction.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from _harness import dev_payloads, machine, write_json

GOAL_P95_MS = 10.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    from threadpoolctl import threadpool_limits

    from wegwijzer.privacy.analyzer import build_analyzer
    from wegwijzer.services import SPACY_DIR
    from wegwijzer.stages.redact import Redactor

    threadpool_limits(1)
    redactor = Redactor(build_analyzer(SPACY_DIR))
    payloads = dev_payloads()
    turns = [(p["message"], [(t["role"], t["content"]) for t in p.get("history", [])]) for p in payloads]
    for message, history in turns[:30]:  # warm-up
        redactor.run(message, history)
    times: list[float] = []
    for _ in range(args.rounds):
        for message, history in turns:
            start = time.perf_counter()
            redactor.run(message, history)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()

    def pct(q: float) -> float:
        return times[min(len(times) - 1, round(q / 100 * len(times) + 0.5) - 1)]

    out = {"messages": len(turns), "rounds": args.rounds, "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99),
           "max_ms": times[-1], "mean_ms": statistics.fmean(times), "goal_p95_ms": GOAL_P95_MS,
           "ok": pct(95) <= GOAL_P95_MS, "machine": machine(), "time": time.strftime("%Y-%m-%dT%H:%M:%S")}
    print(f"| messages | p50 ms | p95 ms | p99 ms | max ms |\n|---:|---:|---:|---:|---:|\n"
          f"| {len(turns)} x {args.rounds} | {out['p50_ms']:.2f} | {out['p95_ms']:.2f} | {out['p99_ms']:.2f} "
          f"| {out['max_ms']:.2f} |")
    print("p95 within the goal of", GOAL_P95_MS, "ms:", out["ok"])
    print("written:", write_json("redaction-latest.json", out))


if __name__ == "__main__":
    main()
