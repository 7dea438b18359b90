"""Which of the 18 topics a question is about, learned from the guidance itself.

A logistic regression over three views of a text (backends/features.py): character n-grams (typos, "wnneer",
"huisverbot"), word uni- and bigrams ("geen geld", "anoniem melden") and the sentence embedding (meaning, English,
Dutch as a second language).
It is trained on the knowledge base alone: every document's example questions (each alone, without the document's
title, which would let the model learn the title instead of the question) and its sections, labelled with the
document's topic. No visitor text is ever trained on.

Measured on the retrieval dev split, as a topic classifier alone (top-1 topic): the embedding view 0.72, the n-gram
views 0.84, all three 0.86 (hit@3 0.99). The retriever adds its log-probability to every chunk's fused score.

Trained when the knowledge changes (~20 s: embedding ~3,500 questions, then the fit), saved beside the danger model
under a name that is a fingerprint of what it learned from, and loaded at start-up.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..backends.embedders import Embedder
from ..backends.features import SETTINGS as VIEWS, SOLVER, LinearHead, Views, load_model, save_model
from .chunking import DocChunk

# Changing one of these retrains the saved model: they are part of its fingerprint.
TRAINING = {"c_reg": 10.0, "views": VIEWS, "solver": SOLVER, "version": 2}


def training_texts(chunks: list[DocChunk]) -> tuple[list[str], list[str]]:
    """(texts, topics): each example question alone, and each section with its title, summary and heading."""
    texts = [c.index_text.split("\n", 1)[0] if c.kind == "vraag" else c.index_text for c in chunks]
    return texts, [c.topic for c in chunks]


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
    def train(cls, chunks: list[DocChunk], embedder: Embedder) -> "TopicModel":
        texts, topics = training_texts(chunks)
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


def load_or_train(chunks: list[DocChunk], embedder: Embedder, folder: Path | None) -> TopicModel:
    """The saved model when one matches the guidance and the embedder; otherwise train it (and save it, given a
    folder)."""
    texts, topics = training_texts(chunks)
    fp = fingerprint(texts, topics, embedder.name)
    path = folder / f"topic-model-{fp}.npz" if folder is not None else None
    if path is not None and path.exists():
        try:
            model = TopicModel.load(path)
            if model.fingerprint == fp and model.coef.shape[1] == model.views.ngram_size + embedder.dim:
                return model
        except (OSError, ValueError, KeyError):
            pass
    model = TopicModel.train(chunks, embedder)
    if path is not None:
        model.save(path)
    return model
