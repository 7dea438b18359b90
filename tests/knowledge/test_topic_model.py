"""The topic model on a small guidance of three topics, with the real sentence embedder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wegwijzer.knowledge.chunking import DocChunk
from wegwijzer.knowledge.topic_model import TopicModel, load_or_train, training_texts

QUESTIONS = {
    "huisverbod": ["hoe lang duurt een huisverbod", "mag hij terug naar huis na tien dagen",
                   "de politie heeft hem uit huis gezet", "wat als hij het huisverbod overtreedt"],
    "opvang": ["waar kan ik slapen als ik vlucht", "hoe kom ik in de vrouwenopvang",
               "wat neem ik mee naar de opvang", "mogen mijn kinderen mee naar de opvang"],
    "meldcode": ["ik ben leerkracht, welke stappen zet ik", "wat zegt de meldcode over twijfel",
                 "moet ik als huisarts melden", "wat is het afwegingskader voor professionals"],
}


def chunks(extra: str = "") -> list[DocChunk]:
    out = []
    for topic, questions in QUESTIONS.items():
        title = f"Alles over {topic}"
        out.append(DocChunk(f"{topic}#intro", topic, title, topic, "", f"Uitleg over {topic}.",
                            f"{title}\nSamenvatting\n\nUitleg over {topic}.", 0))
        for i, q in enumerate(questions + ([extra] if extra and topic == "opvang" else [])):
            out.append(DocChunk(f"{topic}#vraag-{i}", topic, title, topic, "", "", f"{q}\n{title}", 1000 + i, "vraag"))
    return out


@pytest.fixture(scope="module")
def model(services) -> TopicModel:
    return TopicModel.train(chunks(), services.embedder)


def test_example_questions_are_learned_without_their_title() -> None:
    texts, topics = training_texts(chunks())
    assert "hoe lang duurt een huisverbod" in texts
    assert topics[texts.index("hoe lang duurt een huisverbod")] == "huisverbod"
    assert not any(t.startswith("hoe lang duurt een huisverbod\n") for t in texts)


@pytest.mark.parametrize(("question", "topic"), [
    ("hoe lang duurt een huisverbot eigenlijk", "huisverbod"),   # a typo: the character n-grams still match
    ("ik moet vluchten, waar kan ik heen met de kinderen", "opvang"),
    ("als leerkracht twijfel ik of ik moet melden", "meldcode"),
])
def test_the_model_names_the_topic(model: TopicModel, services, question: str, topic: str) -> None:
    vec = services.embedder.embed_queries([question])[0]
    log_p = model.log_prob(question, vec)
    assert max(log_p, key=log_p.get) == topic
    assert sum(np.exp(list(log_p.values()))) == pytest.approx(1.0, abs=1e-4)


def test_a_saved_model_loads_with_the_same_answers(model: TopicModel, services, tmp_path: Path) -> None:
    path = tmp_path / "topics.npz"
    model.save(path)
    loaded = TopicModel.load(path)
    question = "mag hij tijdens het huisverbod de kinderen zien"
    vec = services.embedder.embed_queries([question])[0]
    assert loaded.topics == model.topics
    np.testing.assert_allclose(loaded.log_probs(question, vec), model.log_probs(question, vec), atol=1e-5)


def test_the_saved_model_is_reused_until_the_guidance_changes(services, tmp_path: Path) -> None:
    first = load_or_train(chunks(), services.embedder, tmp_path)
    again = load_or_train(chunks(), services.embedder, tmp_path)
    assert again.fingerprint == first.fingerprint and len(list(tmp_path.glob("topic-model-*.npz"))) == 1
    changed = load_or_train(chunks(extra="is er plek in een blijf-van-mijn-lijfhuis"), services.embedder, tmp_path)
    assert changed.fingerprint != first.fingerprint
    assert len(list(tmp_path.glob("topic-model-*.npz"))) == 2


def test_visitor_questions_are_learned_when_the_guidance_has_their_topic() -> None:
    questions = [("de burgemeester heeft mijn vader weggestuurd", "huisverbod"), ("hoe lang duurt het", "bestaat-niet")]
    texts, topics = training_texts(chunks(), questions)
    assert topics[texts.index("de burgemeester heeft mijn vader weggestuurd")] == "huisverbod"
    assert "hoe lang duurt het" not in texts


def test_a_visitor_question_moves_the_model_toward_its_topic(services) -> None:
    question = "de burgemeester heeft mijn vader weggestuurd, wat nu"
    vec = services.embedder.embed_queries([question])[0]
    plain = TopicModel.train(chunks(), services.embedder).log_prob(question, vec)
    taught = TopicModel.train(chunks(), services.embedder,
                              [("de burgemeester heeft mijn vader weggestuurd", "huisverbod")]).log_prob(question, vec)
    assert taught["huisverbod"] > plain["huisverbod"]
    assert max(taught, key=taught.get) == "huisverbod"


def test_new_visitor_questions_retrain_the_saved_model(services, tmp_path: Path) -> None:
    first = load_or_train(chunks(), services.embedder, tmp_path)
    taught = load_or_train(chunks(), services.embedder, tmp_path, [("mag hij terug na tien dagen", "huisverbod")])
    assert taught.fingerprint != first.fingerprint


def test_the_product_learns_from_the_labelled_training_questions() -> None:
    from wegwijzer.config import ROOT
    from wegwijzer.knowledge.topic_model import training_questions

    questions = training_questions(ROOT / "eval" / "data")
    assert len(questions) >= 500 and all(q and t for q, t in questions)
