"""Shared plumbing of the benchmarks: the real server as a subprocess on a free loopback port, the dev-set messages,
a load generator (httpx + asyncio), a sampler of the server's CPU and memory, and the results folder.

Traffic goes to 127.0.0.1 only; every loop is bounded by a count and a time limit. The server's stderr is read into
memory (never a file), so a benchmark itself writes nothing but its results in benchmarks/results/.
"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
DATA = ROOT / "eval" / "data"
HOST = "127.0.0.1"  # loopback only, never another address
TEXT_FIELDS = {"danger": "message", "retrieval": "question", "answers": "question", "pii": "text"}


# ---- messages ------------------------------------------------------------------------------------------------------

def dev_payloads(split: str = "dev", seed: int = 9) -> list[dict[str, Any]]:
    """Realistic Dutch chat requests from every dev set, shuffled; conversations keep their history."""
    payloads: list[dict[str, Any]] = []
    for name, key in TEXT_FIELDS.items():
        for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("split") != split or not row.get(key):
                continue
            payload: dict[str, Any] = {"message": row[key][:4000]}
            if row.get("history"):
                payload["history"] = row["history"][-20:]
            payloads.append(payload)
    random.Random(seed).shuffle(payloads)
    return payloads


# ---- the server ----------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class Server:
    """`wegwijzer serve` in a subprocess; stderr kept in a bounded in-memory tail for error reports."""

    def __init__(self, args: list[str] | None = None, env: dict[str, str] | None = None, start_timeout: float = 180.0,
                 home: Path | None = None, tmpdir: Path | None = None) -> None:
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.args = args or []
        self.env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
                    "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
        if home is not None:
            self.env["HOME"] = str(home)
        if tmpdir is not None:
            self.env["TMPDIR"] = str(tmpdir)
        self.start_timeout = start_timeout
        self.tail: collections.deque[str] = collections.deque(maxlen=40)
        self.proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> Server:
        cmd = [sys.executable, "-m", "wegwijzer.cli", "serve", "--host", HOST, "--port", str(self.port), *self.args]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True, errors="replace")
        threading.Thread(target=self._drain, daemon=True).start()
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited at start-up:\n" + "\n".join(self.tail))
            try:
                if httpx.get(self.url + "/api/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        self.__exit__()
        raise RuntimeError("server not healthy in time:\n" + "\n".join(self.tail))

    def _drain(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        for line in self.proc.stderr:
            self.tail.append(line.rstrip())

    def __exit__(self, *exc: object) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()  # uvicorn shuts its workers down on SIGTERM
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            for child in psutil.Process(self.proc.pid).children(recursive=True):
                child.kill()
            self.proc.kill()
            self.proc.wait(timeout=10)

    def processes(self) -> list[psutil.Process]:
        assert self.proc is not None
        root = psutil.Process(self.proc.pid)
        return [root, *root.children(recursive=True)]


# ---- sampling the server -------------------------------------------------------------------------------------------

class Sampler:
    """Samples the server's process tree: RSS (sum) every `every` s, CPU seconds and bytes written to storage."""

    def __init__(self, server: Server, every: float = 0.25) -> None:
        self.server = server
        self.every = every
        self.samples: list[tuple[float, float]] = []  # (seconds since start, RSS MiB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._cpu_by_pid: dict[int, float] = {}
        self._cpu0 = 0.0
        self._io0 = 0
        self.t0 = 0.0

    def _tree(self) -> tuple[float, float, int]:
        rss, write_bytes = 0.0, 0
        for p in self.server.processes():
            try:
                with p.oneshot():
                    rss += p.memory_info().rss
                    t = p.cpu_times()
                    self._cpu_by_pid[p.pid] = t.user + t.system
                    write_bytes += p.io_counters().write_bytes
            except psutil.Error:
                continue
        return rss / 2**20, sum(self._cpu_by_pid.values()), write_bytes

    def __enter__(self) -> Sampler:
        _, self._cpu0, self._io0 = self._tree()
        self.t0 = time.perf_counter()
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            rss, _, _ = self._tree()
            self.samples.append((time.perf_counter() - self.t0, rss))

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        rss, cpu, io = self._tree()
        self.samples.append((time.perf_counter() - self.t0, rss))
        self.wall = time.perf_counter() - self.t0
        self.cpu_s = cpu - self._cpu0
        self.write_bytes = io - self._io0

    @property
    def peak_rss_mib(self) -> float:
        return max((r for _, r in self.samples), default=0.0)

    @property
    def cpu_cores(self) -> float:
        return self.cpu_s / self.wall if self.wall else 0.0


# ---- load ----------------------------------------------------------------------------------------------------------

@dataclass
class LoadResult:
    clients: int
    requests: int
    seconds: float
    errors: int
    statuses: dict[str, int]
    latencies_ms: list[float] = field(repr=False)

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        data = sorted(self.latencies_ms)
        return data[min(len(data) - 1, max(0, round(q / 100 * len(data) + 0.5) - 1))]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, Any]:
        d = {k: v for k, v in asdict(self).items() if k != "latencies_ms"}
        d.update(p50_ms=self.percentile(50), p95_ms=self.percentile(95), p99_ms=self.percentile(99),
                 mean_ms=statistics.fmean(self.latencies_ms) if self.latencies_ms else float("nan"),
                 throughput_rps=self.throughput)
        return d


async def _client_loop(client: httpx.AsyncClient, url: str, payloads: list[dict[str, Any]], counter: list[int],
                       total: int, deadline: float, out: LoadResult) -> None:
    while counter[0] < total and time.perf_counter() < deadline:
        i = counter[0]
        counter[0] += 1
        start = time.perf_counter()
        try:
            r = await client.post(url, json=payloads[i % len(payloads)])
            status = str(r.status_code)
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        out.latencies_ms.append((time.perf_counter() - start) * 1000)
        out.statuses[status] = out.statuses.get(status, 0) + 1
        if status != "200":
            out.errors += 1


async def _run_load(base: str, payloads: list[dict[str, Any]], clients: int, total: int, max_seconds: float,
                    offset: int) -> LoadResult:
    out = LoadResult(clients, 0, 0.0, 0, {}, [])
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    counter = [0]
    rotated = payloads[offset % len(payloads):] + payloads[: offset % len(payloads)]
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30.0) as client:
        start = time.perf_counter()
        deadline = start + max_seconds
        await asyncio.gather(*(_client_loop(client, "/api/chat", rotated, counter, total, deadline, out)
                               for _ in range(clients)))
        out.seconds = time.perf_counter() - start
    out.requests = len(out.latencies_ms)
    return out


def run_load(base: str, payloads: list[dict[str, Any]], clients: int, total: int, max_seconds: float = 300.0,
             offset: int = 0) -> LoadResult:
    """`clients` concurrent clients, each sending its next request when the last one answered (closed loop)."""
    return asyncio.run(_run_load(base, payloads, clients, total, max_seconds, offset))


def run_wrk(base: str, payloads: list[dict[str, Any]], clients: int, seconds: float) -> dict[str, Any]:
    """The same closed loop driven by `wrk` (C, Debian package `wrk`): `clients` connections, each sending its next
    request when the last one answered. A Python client on this 2-core machine takes CPU the server would otherwise
    use; wrk takes a fraction of it. Returns the same summary keys as LoadResult.summary()."""
    import shutil
    import subprocess
    import tempfile

    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (or use --client python)")
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as f:
        for p in payloads:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
        f.flush()
        cmd = ["wrk", "-t", "1", "-c", str(clients), "-d", f"{max(1, round(seconds))}s", "--timeout", "30s",
               "-s", str(Path(__file__).with_name("wrk_chat.lua")), base, "--", f.name]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    r = json.loads(line[4:])
    secs = r["duration_us"] / 1e6
    errors = r["non_2xx"] + r["connect"] + r["read"] + r["write"] + r["timeout"]
    return {"clients": clients, "requests": r["requests"], "seconds": secs, "errors": errors,
            "statuses": {"non_2xx": r["non_2xx"], "socket_errors": errors - r["non_2xx"]},
            "p50_ms": r["p50_us"] / 1000, "p95_ms": r["p95_us"] / 1000, "p99_ms": r["p99_us"] / 1000,
            "mean_ms": r["mean_us"] / 1000, "throughput_rps": r["requests"] / secs if secs else 0.0}


def write_json(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def machine() -> dict[str, Any]:
    return {"cores": os.cpu_count(), "mem_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "load_avg_at_start": [round(x, 2) for x in os.getloadavg()], "python": sys.version.split()[0]}
