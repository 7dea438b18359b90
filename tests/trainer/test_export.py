"""`review export`: verdicts with a problem become cases in a (temporary) eval/data folder, never twice."""

from __future__ import annotations

import json

import pytest

from wegwijzer.evaluation import datasets
from wegwijzer.trainer.export import export_cases
from wegwijzer.trainer.store import VerdictIn, VerdictStore


def lines(path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


@pytest.fixture
def store(tmp_path) -> VerdictStore:
    s = VerdictStore(tmp_path / "v.sqlite")

    def add(**kw: object) -> None:
        s.add(VerdictIn(**{"question": "vraag", "overall": "fout", "answer_level": "none", **kw}),
              redact=lambda t: t.replace("Fatima", "<PERSOON>"), commit="abc")

    add(question="Fatima hier, hij wurgde me gisteren", errors=["gemist gevaar"], expected_level="urgent")  # 1
    add(question="hoe werkt een huisverbod", errors=["verkeerde bron"], expected_topic="huisverbod",
        answer_sources=[{"id": "opvang-x", "topic": "opvang"}])  # 2
    add(overall="goed", expected_topic="melden", answer_sources=[{"id": "m", "topic": "melden"}])  # 3: no problem
    add(errors=["onnodig alarm"])  # 4: no expected level -> incomplete
    return s


def test_when_verdicts_are_exported_then_cases_appear_with_frozen_split(store, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "danger.jsonl").write_text('{"id": "d1-0001", "message": "x", "level": "none", "split": "dev"}',
                                       encoding="utf-8")  # no newline at the end: the export must add one
    result = export_cases(store.all(), data)
    assert result.added == {"danger": ["t-1"], "retrieval": ["t-2"]}
    danger = lines(data / "danger.jsonl")
    assert [c["id"] for c in danger] == ["d1-0001", "t-1"]
    case = danger[1]
    assert case["level"] == "urgent" and case["split"] == datasets.split_for("t-1")
    assert "Fatima" not in case["message"] and "<PERSOON>" in case["message"]
    retrieval = lines(data / "retrieval.jsonl")
    assert retrieval == [{**retrieval[0], "id": "t-2", "question": "hoe werkt een huisverbod", "topic": "huisverbod",
                          "split": datasets.split_for("t-2")}]
    assert result.incomplete == ["t-4: onnodig alarm zonder verwacht niveau"]
    assert [c["id"] for c in datasets.load("danger", "all", folder=data)] == ["d1-0001", "t-1"]


def test_when_exported_twice_then_nothing_is_duplicated(store, tmp_path):
    export_cases(store.all(), tmp_path)
    before = {p.name: p.read_text() for p in tmp_path.glob("*.jsonl")}
    again = export_cases(store.all(), tmp_path)
    assert again.added == {"danger": [], "retrieval": []} and again.already == 2
    assert {p.name: p.read_text() for p in tmp_path.glob("*.jsonl")} == before


def test_when_dry_run_then_nothing_is_written(store, tmp_path):
    result = export_cases(store.all(), tmp_path / "data", dry_run=True)
    assert result.added["danger"] == ["t-1"] and not (tmp_path / "data").exists()
