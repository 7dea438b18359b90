"""Retrieval on the real store built from knowledge/ (session fixture): hybrid ranking, the topic prior, the index's
score vector, grouping per document."""

from __future__ import annotations

import numpy as np
import pytest

from wegwijzer.backends.store import MatrixIndex


@pytest.fixture(scope="module")
def retriever(services):
    assert services.retriever is not None
    return services.retriever


@pytest.mark.parametrize(("question", "topics"), [
    ("mijn vriend leest al mijn berichten, is dat normaal?", {"dwingende-controle", "stalking-digitaal"}),
    ("hoe lang duurt een huisverbod", {"huisverbod"}),
    ("ik ben bang dat ik mijn partner iets aandoe", {"pleger-hulp"}),
    ("mijn oma krijgt haar pinpas niet meer van mijn oom", {"ouderenmishandeling", "financiele-controle"}),
    ("ik ben leerkracht en zie blauwe plekken bij een leerling", {"meldcode", "kindermishandeling"}),
])
def test_hybrid_finds_the_topic(retriever, question: str, topics: set[str]) -> None:
    chunks = retriever.search(question).chunks
    assert chunks[0].topic in topics


def test_sources_are_grouped_per_document(retriever) -> None:
    chunks = retriever.search("wat gebeurt er als ik veilig thuis bel").chunks
    docs = [c.doc_id for c in chunks]
    # each document's chunks are contiguous: a document never comes back after another one started
    assert docs == sorted(docs, key=lambda d: docs.index(d))


def test_each_chunk_explains_its_score(retriever) -> None:
    best = retriever.search("hij volgt mijn locatie").chunks[0]
    assert set(best.scores) == {"dense", "lexical", "topic", "fused"}
    assert best.scores["topic"] <= 0  # a log-probability
    assert 0 < best.score <= 1


def test_matrix_scores_are_aligned_with_the_chunks(retriever) -> None:
    index = retriever.index
    assert isinstance(index, MatrixIndex)
    vec = retriever.embedder.embed_queries(["huisverbod"])[0]
    full = index.scores(vec)
    top_id, top_score = index.query(vec, 1)[0]
    i = int(np.argmax(full))
    assert retriever.ids[i] == top_id and full[i] == pytest.approx(top_score)


def test_topic_prior_can_be_switched_off(services) -> None:
    from wegwijzer.stages.retrieve import Retriever

    plain = Retriever(services.embedder, services.retriever.index, topic_weight=0)
    assert plain.prior is None
    assert plain.search("hoe lang duurt een huisverbod").chunks[0].scores["topic"] == 0


def test_modes_rank_by_one_ranker(retriever) -> None:
    q = "mag hij nog naar huis met een huisverbod"
    scores = retriever.scores(q)
    lexical = retriever.search(q, mode="lexical", scores=scores).chunks
    assert lexical[0].scores["lexical"] == pytest.approx(float(scores[1].max()), rel=1e-4)
    dense = retriever.search(q, mode="dense", scores=scores).chunks
    assert dense[0].scores["dense"] == pytest.approx(float(scores[0].max()), rel=1e-4)


def test_a_topic_restriction_ranks_only_those_topics(retriever) -> None:
    chunks = retriever.search("hoe kan ik zijn telefoon volgen zonder dat hij het weet", topics={"pleger-hulp"}).chunks
    assert chunks and {c.topic for c in chunks} == {"pleger-hulp"}


def test_an_unknown_topic_restriction_falls_back_to_all_topics(retriever) -> None:
    assert retriever.search("hoe lang duurt een huisverbod", topics={"bestaat-niet"}).chunks[0].topic == "huisverbod"


@pytest.mark.parametrize("question", ["Ik ben bang dat ik mijn partner iets aandoe", "mijn oma krijgt haar pinpas niet meer",
                                      "hoe lang duurt een huisverbod?"])
def test_the_best_document_always_brings_a_section_to_show(retriever, question: str) -> None:
    chunks = retriever.search(question).chunks
    best = chunks[0].doc_id
    assert any(c.doc_id == best and c.heading for c in chunks)


def _documents(chunks) -> list:
    """Each document's best chunk, in the order of the answer's sources."""
    best: dict = {}
    for c in chunks:
        best.setdefault(c.doc_id, c)
    return list(best.values())


@pytest.mark.parametrize("question", ["hoe lang duurt een huisverbod?", "wat zijn de stappen van de meldcode"])
def test_an_answer_cites_top_k_documents_even_when_one_document_fills_the_candidates(retriever, question: str) -> None:
    docs = _documents(retriever.search(question).chunks)
    assert len(docs) == retriever.top_k
    # a clear question stays with its topic: no far-fetched document of another topic is added
    assert len({d.topic for d in docs}) == 1


@pytest.mark.parametrize("question", ["ik ben gemeld, mag ik weten wie dat heeft gedaan",
                                      "kan ik anoniem melden dat mijn buurvrouw wordt geslagen"])
def test_a_question_between_two_topics_cites_both(retriever, question: str) -> None:
    docs = _documents(retriever.search(question).chunks)[: retriever.top_k]
    assert len({d.topic for d in docs}) == 2
    # the document of the second topic never takes the lead from the best one
    assert docs[0].scores["fused"] == max(d.scores["fused"] for d in docs)


def test_acute_danger_in_the_message_brings_what_to_do_now_forward(retriever) -> None:
    q = "mijn man heeft een mes en zegt dat hij me vannacht pijn doet"
    plain = retriever.search(q).chunks
    acute = retriever.search(q, acute=True).chunks
    assert retriever.acute_bonus > 0 and acute[0].topic == "acuut-gevaar"
    gain = {c.id: c.scores["fused"] for c in acute if c.topic == "acuut-gevaar"}
    before = {c.id: c.scores["fused"] for c in plain if c.id in gain}
    assert before and all(gain[i] == pytest.approx(before[i] + retriever.acute_bonus, abs=1e-3) for i in before)


def test_the_acute_bonus_leaves_other_topics_alone(retriever) -> None:
    q = "hoe lang duurt een huisverbod"
    plain = {c.id: c.scores["fused"] for c in retriever.search(q).chunks if c.topic != "acuut-gevaar"}
    acute = {c.id: c.scores["fused"] for c in retriever.search(q, acute=True).chunks if c.id in plain}
    assert acute and all(acute[i] == pytest.approx(plain[i], abs=1e-4) for i in acute)
