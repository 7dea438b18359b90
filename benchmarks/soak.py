"""Soak: 10,000 chat requests against the real server, its memory sampled over time, and a check that nothing was
written to disk meanwhile.

Memory: the server's RSS (process tree) is sampled every 0.5 s; the curve goes to benchmarks/results/soak-memory.png
and a table per 1,000 requests is printed. "Flat" means: after the first block (warm-up of caches and allocator), RSS
grows less than --max-growth-mib over the rest of the run.

Nothing written: the server runs with a fresh, private HOME and TMPDIR, which must still be empty afterwards; the
kernel's count of bytes the server's processes sent to storage (/proc/<pid>/io write_bytes) must not grow; and the
checkout is scanned for files changed during the soak (other people's edits in a shared checkout show up there too,
so that list is reported, and attributed by write_bytes).

    .venv/bin/python benchmarks/soak.py [--requests 10000] [--clients 8] [--server-args "--workers 2"]
"""

from __future__ import annotations

import argparse
import os
import shlex
import tempfile
import time
from pathlib import Path

from _harness import RESULTS, ROOT, Sampler, Server, dev_payloads, machine, run_load, write_json

SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".pytest_cache", "results", ".mypy_cache", ".ruff_cache"}


def changed_since(root: Path, moment: float) -> list[str]:
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
        for name in filenames:
            path = Path(dirpath) / name
            try:
                if path.stat().st_mtime > moment:
                    found.append(str(path.relative_to(root)))
            except OSError:
                continue
    return sorted(found)


def all_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def plot(samples: list[tuple[float, float]], marks: list[tuple[float, int]], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=110)
    ax.plot([t for t, _ in samples], [r for _, r in samples], lw=1.4, label="server RSS (MiB, process tree)")
    low = min(r for _, r in samples)
    ax.set_ylim(low * 0.9, max(r for _, r in samples) * 1.05)
    for t, n in marks:
        ax.axvline(t, color="0.85", lw=0.8, zorder=0)
        ax.annotate(f"{n // 1000}k", (t, low * 0.9), fontsize=7, color="0.4", ha="center", va="bottom")
    ax.set_xlabel("seconds since the soak started (grey lines: every 1,000 requests)")
    ax.set_ylabel("MiB")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--block", type=int, default=1_000, help="requests per row of the table")
    ap.add_argument("--max-seconds", type=float, default=1_800.0, help="time cap for the whole soak")
    ap.add_argument("--max-growth-mib", type=float, default=30.0)
    ap.add_argument("--server-args", default="")
    args = ap.parse_args()

    payloads = dev_payloads()
    info = machine()
    rows: list[dict[str, float]] = []
    marks: list[tuple[float, int]] = []
    with tempfile.TemporaryDirectory(prefix="soak-home-") as home, tempfile.TemporaryDirectory(prefix="soak-tmp-") as tmp:
        with Server(shlex.split(args.server_args), home=Path(home), tmpdir=Path(tmp)) as server:
            run_load(server.url, payloads, clients=args.clients, total=100)  # warm-up, not counted
            time.sleep(1.0)
            at_start = {"HOME": all_files(Path(home)), "TMPDIR": all_files(Path(tmp))}  # start-up leftovers
            start_wall = time.time()
            deadline = time.monotonic() + args.max_seconds
            done = 0
            with Sampler(server, every=0.5) as sampler:
                while done < args.requests and time.monotonic() < deadline:
                    n = min(args.block, args.requests - done)
                    res = run_load(server.url, payloads, args.clients, n, deadline - time.monotonic(), offset=done)
                    done += res.requests
                    t = time.perf_counter() - sampler.t0
                    rss = sampler.samples[-1][1] if sampler.samples else float("nan")
                    marks.append((t, done))
                    rows.append({"requests": done, "seconds": round(t, 1), "rss_mib": round(rss, 1),
                                 "p95_ms": round(res.percentile(95), 1), "rps": round(res.throughput, 1),
                                 "errors": res.errors, "statuses": res.statuses})
                    print(f"  {done:>6} requests  {t:7.1f} s  RSS {rss:7.1f} MiB  p95 {res.percentile(95):6.1f} ms  "
                          f"{res.throughput:5.1f} req/s  errors {res.errors} {res.statuses}", flush=True)
            open_files = sorted({f"{f.path} ({f.mode})" for p in server.processes() for f in p.open_files()})
        after = {"HOME": all_files(Path(home)), "TMPDIR": all_files(Path(tmp))}
        private_new = {k: sorted(set(v) - set(at_start[k])) for k, v in after.items()}
    changed = changed_since(ROOT, start_wall)

    samples = sampler.samples
    warm = rows[0]["rss_mib"] if rows else float("nan")
    peak_after_warm = max((r for t, r in samples if not marks or t >= marks[0][0]), default=float("nan"))
    growth = peak_after_warm - warm
    final = samples[-1][1]
    flat = growth <= args.max_growth_mib
    nothing_written = not any(private_new.values()) and sampler.write_bytes == 0  # checkout list: reported
    png = RESULTS / "soak-memory.png"
    RESULTS.mkdir(parents=True, exist_ok=True)
    plot(samples, marks, png, f"Soak: {done} requests, {args.clients} clients; RSS growth after the first "
                              f"{args.block}: {growth:+.1f} MiB")

    print()
    print("| requests | seconds | server RSS MiB | p95 ms (block) | req/s (block) | errors |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['requests']} | {r['seconds']} | {r['rss_mib']} | {r['p95_ms']} | {r['rps']} | {r['errors']} |")
    print()
    print(f"memory: after first block {warm:.1f} MiB, peak after it {peak_after_warm:.1f} MiB, final {final:.1f} MiB "
          f"-> growth {growth:+.1f} MiB ({'flat' if flat else 'NOT flat'}, limit {args.max_growth_mib} MiB)")
    print(f"nothing written during the soak: {nothing_written} (server write_bytes {sampler.write_bytes}, new in the "
          f"private HOME/TMPDIR: {private_new}; already there after start-up: {at_start})")
    print(f"files changed in the checkout during the soak (anyone's): {changed or 'none'}")
    print(f"server's open files at the end: {open_files}")
    out = {"machine": info, "server_args": args.server_args, "clients": args.clients, "requests": done, "blocks": rows,
           "samples": samples, "growth_mib": growth, "flat": flat, "server_write_bytes": sampler.write_bytes,
           "private_dirs_new": private_new, "private_dirs_at_start": at_start, "checkout_changed": changed, "open_files": open_files,
           "nothing_written": nothing_written, "errors": sum(r["errors"] for r in rows), "png": str(png),
           "time": time.strftime("%Y-%m-%dT%H:%M:%S")}
    print("written:", write_json("soak-latest.json", out), png)


if __name__ == "__main__":
    main()
