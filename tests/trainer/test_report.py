"""`review report`: one self-contained HTML page per training day, per topic and per kind of error."""

from __future__ import annotations

from wegwijzer.trainer.report import write_report
from wegwijzer.trainer.store import VerdictIn, VerdictStore


def test_when_verdicts_exist_then_the_report_has_plots_tables_and_only_redacted_text(tmp_path):
    store = VerdictStore(tmp_path / "v.sqlite")
    day = [("fout", ["gemist gevaar"], "acuut-gevaar"), ("goed", [], "melden"),
           ("deels goed", ["te lang", "toon"], "melden")]
    for i, (overall, errors, topic) in enumerate(day):
        store.add(VerdictIn(question=f"vraag {i} van Fatima", overall=overall, errors=errors, expected_topic=topic,
                            expected_level="acute" if errors == ["gemist gevaar"] else None, answer_level="none",
                            suggested_text="Bel 112." if i == 0 else ""),
                  redact=lambda t: t.replace("Fatima", "<PERSOON>"), commit="abc")
    page = write_report(store.all(), tmp_path / "out").read_text(encoding="utf-8")
    assert page.count("<img") == 3  # per topic, per kind of error, level matrix
    assert "acuut-gevaar" in page and "gemist gevaar" in page and "Bel 112." in page
    assert "Fatima" not in page and "&lt;PERSOON&gt;" in page


def test_when_there_are_no_verdicts_then_the_report_says_so(tmp_path):
    page = write_report([], tmp_path).read_text(encoding="utf-8")
    assert "Nog geen oordelen" in page
