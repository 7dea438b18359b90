"""`wegwijzer eval compare`: headline metrics side by side, regressions flagged, exit code 1 beyond the tolerance;
and `wegwijzer eval` without a subcommand still runs the benchmark."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from wegwijzer.cli import app
from wegwijzer.evaluation.compare import compare, lower_is_better


def report(commit: str, acute: float, false_alarm: float, p95: float) -> dict:
    danger = {"n": 10, "acute_recall": acute, "urgent_or_higher_recall": 0.9, "false_alarm_on_none": false_alarm,
              "exact": 0.8, "under_escalated": 1}
    pii = {"wegwijzer": {"leak_rate": 0.02, "keep_rate": 0.95, "n_pii": 40}, "latency_ms": {"p95": p95}}
    return {"commit": commit, "split": "test", "suites": {"danger": danger, "pii": pii}}


@pytest.fixture
def files(tmp_path):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(report("aaa", acute=0.95, false_alarm=0.10, p95=20.0)))
    new.write_text(json.dumps(report("bbb", acute=0.90, false_alarm=0.05, p95=21.0)))
    return old, new


@pytest.mark.parametrize("metric,lower", [("false_alarm_on_none", True), ("wegwijzer leak_rate", True),
                                          ("under_escalated", True), ("p95 ms", True), ("acute_recall", False),
                                          ("hybrid hit@1", False), ("wegwijzer keep_rate", False),
                                          ("false_refusals", True), ("wrong_id", True), ("refusal_recall", False)])
def test_when_metric_is_named_then_direction_follows(metric, lower):
    assert lower_is_better(metric) is lower


def test_when_recall_drops_and_false_alarms_fall_then_only_the_drop_is_a_regression(files):
    old, new = (json.loads(p.read_text()) for p in files)
    flagged = {c.metric for c in compare(old, new) if c.regression}
    assert flagged == {"acute_recall"}


def test_when_compare_finds_a_regression_then_exit_code_1(files):
    run = CliRunner().invoke(app, ["eval", "compare", str(files[0]), str(files[1])])
    assert run.exit_code == 1, run.output
    assert "REGRESSIE" in run.output and "acute_recall" in run.output


def test_when_the_drop_is_within_tolerance_then_exit_code_0(files):
    run = CliRunner().invoke(app, ["eval", "compare", str(files[0]), str(files[1]), "--tolerance", "0.06"])
    assert run.exit_code == 0, run.output


def test_when_eval_has_no_subcommand_then_the_benchmark_runs_with_its_options(monkeypatch, tmp_path):
    from wegwijzer.evaluation import runner

    calls = []
    monkeypatch.setattr(runner, "run_all", lambda settings, **kw: calls.append(kw))
    run = CliRunner().invoke(app, ["eval", "--split", "dev", "--only", "danger,pii", "--out", str(tmp_path)])
    assert run.exit_code == 0, run.output
    assert calls and calls[0]["split"] == "dev" and calls[0]["only"] == ["danger", "pii"]
