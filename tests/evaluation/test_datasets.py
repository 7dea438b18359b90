"""The labelled sets under eval/data: well-formed, and no training file repeats a frozen test question."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from wegwijzer.config import ROOT
from wegwijzer.evaluation.datasets import load
from wegwijzer.schemas import TOPICS

DATA = ROOT / "eval" / "data"


def test_retrieval_training_questions_carry_known_topics() -> None:
    rows = load("retrieval_train", "all", DATA)
    assert len(rows) >= 500
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["split"] == "train" and r["question"].strip()
        assert r["topic"] in TOPICS and set(r["alternatives"]) <= set(TOPICS) - {r["topic"]}, r["id"]


def conversation(case: dict) -> str:
    """All the text of a case: its history's turns and its message (a question for retrieval)."""
    turns = [t["content"] for t in case.get("history", [])]
    return "\n".join([*turns, case.get("message") or case["question"]]).lower()


# How alike (rapidfuzz ratio, 0-100) a training case may be to a frozen test case. Retrieval questions are compared
# strictly: two writers asking the same thing in other words is what the split must keep apart. Danger conversations
# only may not be (nearly) the same conversation: short messages such as "ik ben bang" recur, each with its history.
@pytest.mark.parametrize(("train", "test", "bar"),
                         [("retrieval_train", "retrieval", 70), ("danger_train", "danger", 95)])
def test_no_training_case_nearly_repeats_a_test_case(train: str, test: str, bar: int) -> None:
    frozen = [conversation(c) for c in load(test, "test", DATA)]
    rows = load(train, "all", DATA)
    assert rows and frozen
    close = [r["id"] for r in rows for t in frozen if fuzz.ratio(conversation(r), t) >= bar]
    assert not close, close[:10]


def test_when_the_heldout_split_is_asked_then_only_the_heldout_file_is_read(tmp_path) -> None:
    (tmp_path / "danger.jsonl").write_text('{"id": "a", "message": "x", "level": "none", "split": "dev"}\n')
    (tmp_path / "danger_heldout.jsonl").write_text('{"id": "h", "message": "y", "level": "acute", "split": "heldout"}\n')
    assert [c["id"] for c in load("danger", "heldout", tmp_path)] == ["h"]
    assert [c["id"] for c in load("danger", "all", tmp_path)] == ["a"]
    assert load("pii", "heldout", tmp_path) == []


def test_no_heldout_probe_is_learned() -> None:
    heldout = {conversation(c) for c in load("danger", "heldout", DATA)}
    learned = {conversation(c) for c in load("danger_train", "all", DATA) + load("danger", "dev", DATA)}
    assert heldout and not heldout & learned
