"""`wegwijzer eval compare OLD.json NEW.json`: the headline metrics of two reports side by side, regressions flagged.

Headline metrics are what `runner.summary_metrics` gives for each suite. Lower is better for false alarms, false
refusals, wrong refusal ids, leaks, under-escalations and latency; higher is better for everything else. A change for
the worse counts as a regression when it is larger than the tolerance: absolute for scores and counts, relative for
latency (which is noisy).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rich.table import Table

from .runner import summary_metrics

LOWER_IS_BETTER = ("false_alarm_on_none", "false_refusals", "wrong_id", "leak_rate", "under_escalated", "latency")
NOT_A_METRIC = {"n", "judge_errors"}


def is_latency(metric: str) -> bool:
    return "latency" in metric or metric.endswith((" ms", "_ms"))


def lower_is_better(metric: str) -> bool:
    return is_latency(metric) or any(key in metric for key in LOWER_IS_BETTER)


@dataclass(frozen=True)
class Change:
    suite: str
    metric: str
    old: float | None
    new: float | None
    regression: bool

    @property
    def delta(self) -> float | None:
        return None if self.old is None or self.new is None else self.new - self.old


def headline(report: dict) -> dict[tuple[str, str], float]:
    return {(suite, metric): float(value) for suite, res in report.get("suites", {}).items()
            for metric, value in summary_metrics(suite, res).items()
            if metric not in NOT_A_METRIC and isinstance(value, (int, float))}


def is_regression(metric: str, old: float, new: float, tolerance: float, latency_tolerance: float) -> bool:
    worse = new - old if lower_is_better(metric) else old - new
    if is_latency(metric):
        return worse > latency_tolerance * max(abs(old), 1e-9)
    return worse > tolerance + 1e-12


def compare(old: dict, new: dict, tolerance: float = 0.01, latency_tolerance: float = 0.25) -> list[Change]:
    before, after = headline(old), headline(new)
    keys = list(before) + [k for k in after if k not in before]
    return [Change(suite, metric, before.get((suite, metric)), after.get((suite, metric)),
                   (suite, metric) in before and (suite, metric) in after
                   and is_regression(metric, before[(suite, metric)], after[(suite, metric)], tolerance,
                                     latency_tolerance))
            for suite, metric in keys]


def load_report(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def notes(old: dict, new: dict) -> list[str]:
    """Why two reports may not be comparable: another split, or suites with a different number of cases."""
    out = []
    if old.get("split") != new.get("split"):
        out.append(f"andere split: {old.get('split')} tegen {new.get('split')}")
    for suite in sorted(set(old.get("suites", {})) & set(new.get("suites", {}))):
        n_old, n_new = _n(old["suites"][suite]), _n(new["suites"][suite])
        if n_old != n_new:
            out.append(f"{suite}: {n_old} tegen {n_new} gevallen")
    return out


def _n(res: dict) -> int | None:
    for value in (res, res.get("hybrid", {}), res.get("wegwijzer", {})):
        if isinstance(value, dict) and isinstance(value.get("n", value.get("n_pii")), int):
            return value.get("n", value.get("n_pii"))
    return None


def _whole(x: float | None) -> bool:
    """A count such as under_escalated, shown without decimals."""
    return x is not None and x == int(x) and abs(x) >= 1


def _fmt(x: float | None, metric: str) -> str:
    if x is None:
        return "—"
    if is_latency(metric):
        return f"{x:.1f}"
    return str(int(x)) if _whole(x) else f"{x:.4f}"


def table(changes: list[Change], old: dict, new: dict) -> Table:
    t = Table(title=f"eval compare: {old.get('commit', '?')} ({old.get('split', '?')}) -> "
                    f"{new.get('commit', '?')} ({new.get('split', '?')})")
    for name, justify in (("suite", "left"), ("metric", "left"), ("old", "right"), ("new", "right"),
                          ("change", "right"), ("", "left")):
        t.add_column(name, justify=justify)  # type: ignore[arg-type]
    for c in changes:
        delta = c.delta
        better = delta is not None and delta != 0 and ((delta < 0) == lower_is_better(c.metric))
        mark = "[bold red]REGRESSIE[/]" if c.regression else ("[green]beter[/]" if better else "")
        change = "—" if delta is None else (f"{delta:+.1f}" if is_latency(c.metric) else
                                            f"{delta:+.0f}" if _whole(c.old) and _whole(c.new) else f"{delta:+.4f}")
        t.add_row(c.suite, c.metric + (" ↓" if lower_is_better(c.metric) else ""), _fmt(c.old, c.metric),
                  _fmt(c.new, c.metric), change, mark)
    return t
