"""The red-team service of eval/danger_probe.py, with the real rules (no learned model, so it starts fast)."""

from __future__ import annotations

import importlib.util
import json
import threading
from pathlib import Path

import pytest

from wegwijzer.config import ROOT
from wegwijzer.schemas import Redacted
from wegwijzer.stages.danger import DangerAssessor

spec = importlib.util.spec_from_file_location("danger_probe", ROOT / "eval" / "danger_probe.py")
assert spec is not None and spec.loader is not None
probe = importlib.util.module_from_spec(spec)
spec.loader.exec_module(probe)


def rules_only():
    assessor = DangerAssessor()

    def assess(message: str, history: list[tuple[str, str]]) -> tuple[str, list[str]]:
        out = assessor.run(Redacted(message, history, {}))
        return out.level, sorted(set(out.flags) & set(probe.FLAGS))

    return assess


@pytest.fixture(scope="module")
def port():
    server = probe.make_server(rules_only(), 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port
    server.shutdown()


@pytest.fixture
def probes(tmp_path: Path) -> Path:
    rows = [
        {"id": "p-1", "message": "hij slaat me nu", "level": "acute", "flags": []},
        {"id": "p-2", "message": "hoe laat is de chat open?", "level": "none", "flags": []},
        {"id": "p-3", "message": "hoe laat is de chat open?", "level": "urgent", "flags": []},
        {"id": "p-4", "message": "ok dank je", "level": "urgent", "flags": [],
         "history": [{"role": "user", "content": "mijn vader heeft me gisteren met de riem geslagen, ik ben 12"},
                     {"role": "assistant", "content": "Wat naar. Bel de Kindertelefoon."}]},
    ]
    path = tmp_path / "probes.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_check_marks_each_case_match_or_miss_with_the_detectors_level(port: int, probes: Path) -> None:
    lines = probe.check_lines(probe.cases([str(probes)]), port)
    marks = {line.split("\t")[0]: line.split("\t")[1].strip() for line in lines}
    assert marks == {"p-1": "MATCH", "p-2": "MATCH", "p-3": "MISS", "p-4": "MATCH"}
    assert "detector urgent" in lines[3] and "'child'" in lines[3]  # the earlier turn counts, with its flag


def test_count_prints_figures_without_ids_or_texts(port: int, probes: Path) -> None:
    lines = probe.count_lines(probe.cases([str(probes)]), port)
    text = "\n".join(lines)
    assert "acute 1.000" in text and "urgent+ 0.667" in text and "false alarms 0.000" in text
    assert "urgent 0/1/1" in text
    assert "p-1" not in text and "slaat" not in text and "chat" not in text
