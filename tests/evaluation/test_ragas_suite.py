"""The ragas 0.4.3 metrics run offline on hand-made samples (no model, no network), and the judged ones stay off
without a judge endpoint."""

from __future__ import annotations

from wegwijzer.config import Settings
from wegwijzer.evaluation.ragas_suite import Sample, judged_scores, offline_scores

PASSAGE = "Bel 112 als er nu gevaar is. Zeg dat er geweld is en noem je adres."
OTHER = "Een huisverbod duurt tien dagen en kan worden verlengd tot vier weken."


def test_when_the_cited_passage_is_the_reference_then_offline_ragas_scores_it_full():
    good = Sample("wat moet ik doen", PASSAGE, PASSAGE, [PASSAGE, OTHER], [PASSAGE])
    scores = offline_scores([good])
    assert scores["ragas_context_precision"] > 0.99 and scores["ragas_context_recall"] == 1.0
    assert scores["ragas_string_similarity"] == 1.0


def test_when_the_passage_is_another_one_then_offline_ragas_scores_zero():
    bad = Sample("wat moet ik doen", OTHER, PASSAGE, [OTHER], [PASSAGE])
    scores = offline_scores([bad])
    assert scores["ragas_context_precision"] < 0.01 and scores["ragas_context_recall"] == 0.0
    assert scores["ragas_string_similarity"] < 0.5


def test_when_no_judge_is_configured_then_no_llm_metric_runs():
    assert judged_scores([], Settings(env="test"), embedder=None) == {}
