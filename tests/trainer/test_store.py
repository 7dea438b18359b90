"""The verdict store keeps the question only in its redacted form: checked on the bytes of the SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from wegwijzer.trainer.store import VerdictIn, VerdictStore

NAME, PHONE = "Fatima", "06-12345678"
QUESTION = f"Ik ben {NAME}, mijn man slaat me. Bel me op {PHONE} als dat kan."


def file_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def test_when_store_adds_then_only_what_redact_returns_is_written(tmp_path):
    db = tmp_path / "v.sqlite"
    verdict = VerdictIn(question=QUESTION, overall="fout", answer_level="none", comment=f"{NAME} belde")
    saved = VerdictStore(db).add(verdict, redact=lambda t: t.replace(NAME, "<PERSOON>").replace(PHONE, "<TEL>"),
                                 commit="abc")
    assert NAME not in saved.question_redacted and "<PERSOON>" in saved.question_redacted
    data = file_bytes(db)
    assert NAME.encode() not in data and PHONE.encode() not in data
    assert VerdictStore(db).all()[0] == saved


@pytest.mark.integration
def test_when_trainer_stores_a_verdict_then_name_and_phone_are_not_in_the_file(trainer_client, trainer_settings,
                                                                                  auth):
    verdict = {"question": QUESTION, "overall": "fout", "errors": ["gemist gevaar"], "expected_level": "urgent",
               "comment": f"vraag van {NAME}", "answer_level": "none", "answer_sources": []}
    r = trainer_client.post("/trainer/api/verdicts", json=verdict, headers=auth)
    assert r.status_code == 201
    stored = r.json()["question_redacted"]
    assert NAME not in stored and PHONE not in stored and "<PERSOON>" in stored
    data = file_bytes(trainer_settings.verdicts_db)
    assert data and NAME.encode() not in data and PHONE.encode() not in data
    assert b"<PERSOON>" in data
