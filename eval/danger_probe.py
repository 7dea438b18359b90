"""The danger detector as a small local service, for red-team rounds (eval/probes/README.md).

    .venv/bin/python eval/danger_probe.py serve [--port 8799]     # loads the stage once, as the server builds it
    .venv/bin/python eval/danger_probe.py check FILE.jsonl        # per case: label, detector, MATCH or MISS
    .venv/bin/python eval/danger_probe.py count FILE.jsonl ...    # counts only: confusion and recall, no ids or texts

Red-team helpers write a label first, then ask the service, and hunt for the kinds of message it gets wrong. `count`
prints no ids and no texts, so probes written without the detector can be measured without reading their errors.
The service answers only level and flags, on 127.0.0.1, and keeps nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Lock

from wegwijzer.safety.rules import FLAGS

Assess = Callable[[str, list[tuple[str, str]]], tuple[str, list[str]]]


def stage_assess() -> Assess:
    """Redaction and danger assessment as the server builds them (settings, rules, learned model)."""
    from wegwijzer.config import Settings
    from wegwijzer.services import build_services

    pipeline = build_services(Settings(), build_store=False).pipeline
    lock = Lock()

    def assess(message: str, history: list[tuple[str, str]]) -> tuple[str, list[str]]:
        with lock:
            out = pipeline.assessor.run(pipeline.redactor.run(message, history))
        return out.level, sorted(set(out.flags) & set(FLAGS))

    return assess


def make_server(assess: Assess, port: int) -> ThreadingHTTPServer:
    """POST /check {"message", "history": [{"role", "content"}]} -> {"level", "flags"}."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            history = [(t["role"], t["content"]) for t in body.get("history", [])]
            level, flags = assess(body["message"], history)
            out = json.dumps({"level": level, "flags": flags}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(out)

        def log_message(self, *args: object) -> None:  # nothing of a probe goes to a log
            pass

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)


def ask(case: dict, port: int, tries: int = 90) -> dict:
    """The service's answer for one case; waits while it (re)starts."""
    data = json.dumps({"message": case["message"], "history": case.get("history", [])}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/check", data=data,
                                 headers={"Content-Type": "application/json"})
    for _ in range(tries):
        try:
            return json.loads(urllib.request.urlopen(req).read())
        except (urllib.error.URLError, ConnectionError):
            time.sleep(10)
    raise SystemExit("detector not reachable: start it with `danger_probe.py serve`")


def cases(paths: Iterable[str]) -> list[dict]:
    return [json.loads(line) for path in paths for line in open(path, encoding="utf-8") if line.strip()]


def check_lines(rows: list[dict], port: int) -> list[str]:
    out = []
    for case in rows:
        got = ask(case, port)
        mark = "MATCH" if got["level"] == case["level"] else "MISS "
        out.append(f'{case["id"]}\t{mark}\tlabel {case["level"]:6s} {sorted(case.get("flags", []))}\t'
                   f'detector {got["level"]:6s} {got["flags"]}')
    return out


def count_lines(rows: list[dict], port: int) -> list[str]:
    """The figures of `wegwijzer eval` (evaluation/metrics.py) for the service's answers, without ids or texts."""
    from wegwijzer.evaluation.metrics import danger_scores

    scored = []
    for case in rows:
        got = ask(case, port)
        scored.append((case["level"], got["level"], set(case.get("flags", [])), set(got["flags"])))
    s = danger_scores(scored)
    confusion = s["confusion"]
    return [f"n {s['n']}  acute {s['acute_recall']:.3f}  urgent+ {s['urgent_or_higher_recall']:.3f}  "
            f"false alarms {s['false_alarm_on_none']:.3f}",
            "confusion (gold: acute/urgent/none got) "
            + "  ".join(f"{g} {confusion[g]['acute']}/{confusion[g]['urgent']}/{confusion[g]['none']}"
                        for g in ("acute", "urgent", "none")),
            "flags precision/recall " + "  ".join(f"{f} {v['precision']:.2f}/{v['recall']:.2f}"
                                                   for f, v in s["per_flag"].items())]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=["serve", "check", "count"])
    ap.add_argument("files", nargs="*")
    ap.add_argument("--port", type=int, default=8799)
    args = ap.parse_args(argv)
    if args.command == "serve":
        make_server(stage_assess(), args.port).serve_forever()
        return
    lines = (check_lines if args.command == "check" else count_lines)(cases(args.files), args.port)
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
