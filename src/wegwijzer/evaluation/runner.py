"""`wegwijzer eval`: build the real services once, run every suite on the chosen split, write a versioned report
(JSON for machines, HTML with plots for people) named after the time and the git commit."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from ..config import ROOT, Settings
from ..services import build_services
from . import datasets, suites
from .report import write_html

SUITES = {"retrieval": ("retrieval", 3), "danger": ("danger", 1), "pii": ("pii", 1), "answers": ("answers", 1),
          "refusals": ("refusals", 1)}


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def run_all(settings: Settings, split: str, out: Path, only: list[str], console: Console) -> dict:
    services = build_services(settings)
    chosen = only or list(SUITES)
    report: dict = {"commit": git_commit(), "split": split, "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "settings": json.loads(settings.model_dump_json(exclude={"trainer_token"})), "suites": {}}
    with Progress(console=console) as progress:
        for name in chosen:
            file, passes = SUITES[name]
            cases = datasets.load(file, split)
            if not cases:
                continue
            task = progress.add_task(f"{name} ({len(cases)})", total=len(cases) * passes)
            fn = getattr(suites, name)
            report["suites"][name] = fn(services, cases, lambda n, t=task: progress.advance(t, n))
    out.mkdir(parents=True, exist_ok=True)
    stem = f"eval-{report['created'][:19].replace(':', '')}-{report['commit']}-{split}"
    (out / f"{stem}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    write_html(report, out / f"{stem}.html")
    _print_summary(report, console)
    console.print(f"rapport: {out / stem}.json en .html")
    return report


def _print_summary(report: dict, console: Console) -> None:
    table = Table(title=f"Wegwijzer eval ({report['split']}, {report['commit']})")
    table.add_column("suite")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name, res in report["suites"].items():
        for metric, value in summary_metrics(name, res).items():
            table.add_row(name, metric, f"{value:.4f}" if isinstance(value, float) else str(value))
    console.print(table)


def summary_metrics(name: str, res: dict) -> dict:
    """The headline numbers of a suite, flattened (also what `eval compare` compares)."""
    if name == "retrieval":
        return {f"{mode} {k}": res[mode][k] for mode in res for k in ("hit@1", "hit@3", "mrr")}
    if name == "danger":
        keys = ("acute_recall", "urgent_or_higher_recall", "false_alarm_on_none", "exact", "under_escalated")
        return {k: res[k] for k in keys}
    if name == "pii":
        out = {f"wegwijzer {k}": res["wegwijzer"][k] for k in ("leak_rate", "keep_rate")}
        if "leak_rate" in res.get("deduce", {}):
            out.update({f"deduce {k}": res["deduce"][k] for k in ("leak_rate", "keep_rate")})
        out["p95 ms"] = res["latency_ms"].get("p95", 0.0)
        return out
    if name == "refusals":
        return {k: res[k] for k in ("refusal_recall", "false_refusals", "wrong_id", "refusal_text_in_answer")}
    return {k: v for k, v in res.items() if isinstance(v, (int, float))}
