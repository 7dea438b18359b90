"""Which of the 18 topics a question is about, learned from the guidance itself.

A logistic regression over three views of a text (backends/features.py): character n-grams (typos, "wnneer",
"huisverbot"), word uni- and bigrams ("geen geld", "anoniem melden") and the sentence embedding (meaning, English,
Dutch as a second language).
It is trained on the knowledge base: every document's example questions (each alone, without the document's title,
which would let the model learn the title instead of the question) and its sections, labelled with the document's
topic; and on written visitor-style questions labelled with their topic (eval/data/retrieval_train.jsonl, written for
training, like the danger model's; never a real visitor's words, never the retrieval dev or test split).

Measured on the retrieval dev split, as a topic classifier alone (top-1 topic): the embedding view 0.72, the n-gram
views 0.84, all three 0.86 (hit@3 0.99). The retriever adds its log-probability to every chunk's fused score. The
visitor-style questions (eval/retrieval_cv.py) were each measured before the model learned from them: hybrid hit@1 on
640 questions by four other writers 0.903 -> 0.936 after learning from the first 613, and on the next 480 0.879 ->
0.927 after learning from 1,234; on the dev split 0.897 -> 0.935. The guidance's own example questions are written
the way the guidance speaks; visitors write otherwise.

Trained when the knowledge or the questions change (~20 s: embedding ~4,000 texts, then the fit), saved beside the
danger model under a name that is a fingerprint of what it learned from, and loaded at start-up.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from ..backends.embedders import Embedder
from ..backends.features import SETTINGS as VIEWS, SOLVER, LinearHead, Views, load_model, save_model
from .chunking import DocChunk

# Changing one of these retrains the saved model: they are part of its fingerprint.
TRAINING = {"c_reg": 10.0, "views": VIEWS, "solver": SOLVER, "version": 2}


def training_texts(chunks: list[DocChunk], questions: Sequence[tuple[str, str]] = ()) -> tuple[list[str], list[str]]:
    """(texts, topics): each example question alone, each section with its title, summary and heading, and the
    labelled `questions` (question, topic) whose topic the guidance has."""
    texts = [c.index_text.split("\n", 1)[0] if c.kind == "vraag" else c.index_text for c in chunks]
    topics = [c.topic for c in chunks]
    known = set(topics)
    kept = [(q, t) for q, t in questions if t in known]
    return texts + [q for q, _ in kept], topics + [t for _, t in kept]


def training_questions(data_dir: Path) -> list[tuple[str, str]]:
    """(question, topic) of every row of retrieval_train.jsonl: visitor-style questions written for training."""
    from ..evaluation.datasets import load

    return [(c["question"], c["topic"]) for c in load("retrieval_train", "train", data_dir)]


def fingerprint(texts: list[str], topics: list[str], embedder_name: str) -> str:
    h = hashlib.sha256(embedder_name.encode())
    h.update(json.dumps(TRAINING, sort_keys=True).encode())
    for text, topic in zip(texts, topics):
        h.update(json.dumps([text, topic], ensure_ascii=False).encode())
    return h.hexdigest()[:16]


@dataclass
class TopicModel:
    topics: list[str]          # the classes, in the order of coef's rows
    views: Views
    coef: np.ndarray           # (topics, n-gram features + embedding dims)
    intercept: np.ndarray      # (topics,)
    fingerprint: str

    def __post_init__(self) -> None:
        self.head = LinearHead(self.views, self.coef, self.intercept)

    def log_prob(self, text: str, vector: np.ndarray) -> dict[str, float]:
        """log P(topic | question) for every topic."""
        return dict(zip(self.topics, self.log_probs(text, vector).tolist()))

    def log_probs(self, text: str, vector: np.ndarray) -> np.ndarray:
        """log P per topic, in `self.topics` order (a multinomial softmax, as sklearn computes it)."""
        logits = self.head.logits([text], np.asarray(vector)[None, :])[0]
        logits -= logits.max()
        return logits - np.log(np.exp(logits).sum())

    @classmethod
    def train(cls, chunks: list[DocChunk], embedder: Embedder,
              questions: Sequence[tuple[str, str]] = ()) -> "TopicModel":
        texts, topics = training_texts(chunks, questions)
        return cls.fit(texts, topics, embedder.embed_queries(texts), fingerprint(texts, topics, embedder.name))

    @classmethod
    def fit(cls, texts: list[str], topics: list[str], vectors: np.ndarray, fp: str) -> "TopicModel":
        """Fit on labelled texts and their embeddings (eval/retrieval_cv.py refits per fold from cached vectors)."""
        from sklearn.linear_model import LogisticRegression

        views = Views()
        x = views.fit(texts, np.asarray(vectors))
        model = LogisticRegression(C=TRAINING["c_reg"], max_iter=5000, solver=SOLVER).fit(x, topics)
        return cls(list(model.classes_), views, model.coef_.astype(np.float32), model.intercept_.astype(np.float32),
                   fp)

    def save(self, path: Path) -> None:
        arrays, views = self.views.arrays()
        save_model(path, {"topics": self.topics, "fingerprint": self.fingerprint, "views": views},
                   coef=self.coef, intercept=self.intercept, **arrays)

    @classmethod
    def load(cls, path: Path) -> "TopicModel":
        data, meta = load_model(path)
        return cls(meta["topics"], Views.from_arrays(data, meta["views"]), data["coef"], data["intercept"],
                   meta["fingerprint"])


def load_or_train(chunks: list[DocChunk], embedder: Embedder, folder: Path | None,
                  questions: Sequence[tuple[str, str]] = ()) -> TopicModel:
    """The saved model when one matches the guidance, the questions and the embedder; otherwise train it (and save
    it, given a folder)."""
    texts, topics = training_texts(chunks, questions)
    fp = fingerprint(texts, topics, embedder.name)
    path = folder / f"topic-model-{fp}.npz" if folder is not None else None
    if path is not None and path.exists():
        try:
            model = TopicModel.load(path)
            if model.fingerprint == fp and model.coef.shape[1] == model.views.ngram_size + embedder.dim:
                return model
        except (OSError, ValueError, KeyError):
            pass
    model = TopicModel.train(chunks, embedder, questions)
    if path is not None:
        model.save(path)
    return model
