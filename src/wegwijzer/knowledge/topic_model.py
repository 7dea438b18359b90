"""Which of the 18 topics a question is about, learned from the guidance itself.

A logistic regression over three views of a text: character n-grams (typos, "wnneer", "huisverbot"), word uni- and
bigrams ("geen geld", "anoniem melden") and the sentence embedding (meaning, English, Dutch as a second language).
It is trained on the knowledge base alone: every document's example questions (each alone, without the document's
title, which would let the model learn the title instead of the question) and its sections, labelled with the
document's topic. No visitor text is ever trained on.

Measured on the retrieval dev split, as a topic classifier alone (top-1 topic): the embedding view 0.72, the n-gram
views 0.84, all three 0.86 (hit@3 0.99). The retriever adds its log-probability to every chunk's fused score.

Trained when the knowledge changes (~15 s: embedding ~2,300 questions, then the fit), saved beside the danger model
under a name that is a fingerprint of what it learned from, and loaded at start-up.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from ..backends.embedders import Embedder
from .chunking import DocChunk

# Changing one of these retrains the saved model: they are part of its fingerprint.
TRAINING = {"c_reg": 10.0, "char_ngrams": [2, 5], "word_ngrams": [1, 2], "char_min_df": 2, "version": 1}


def _char_view(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    low, high = TRAINING["char_ngrams"]
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(low, high), sublinear_tf=True,
                           min_df=TRAINING["char_min_df"], vocabulary=vocabulary)


def _word_view(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    low, high = TRAINING["word_ngrams"]
    return TfidfVectorizer(analyzer="word", ngram_range=(low, high), sublinear_tf=True, vocabulary=vocabulary)


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
    char: TfidfVectorizer
    word: TfidfVectorizer
    coef: np.ndarray           # (topics, char + word + embedding dims)
    intercept: np.ndarray      # (topics,)
    fingerprint: str

    def __post_init__(self) -> None:
        # the n-gram part of the weights, transposed once: a question's n-grams are sparse, so this product is cheap
        n = len(self.char.vocabulary_) + len(self.word.vocabulary_)
        self._ngram_coef = np.ascontiguousarray(self.coef[:, :n].T)
        self._dense_coef = np.ascontiguousarray(self.coef[:, n:])

    def log_prob(self, text: str, vector: np.ndarray) -> dict[str, float]:
        """log P(topic | question) for every topic."""
        return dict(zip(self.topics, self.log_probs(text, vector).tolist()))

    def log_probs(self, text: str, vector: np.ndarray) -> np.ndarray:
        """log P per topic, in `self.topics` order (a multinomial softmax, as sklearn computes it)."""
        features = sparse.hstack([self.char.transform([text]), self.word.transform([text])]).tocsr()
        logits = np.asarray(features @ self._ngram_coef).ravel()
        logits = logits + self._dense_coef @ np.asarray(vector, np.float32) + self.intercept
        logits -= logits.max()
        return logits - np.log(np.exp(logits).sum())

    @classmethod
    def train(cls, chunks: list[DocChunk], embedder: Embedder) -> "TopicModel":
        from sklearn.linear_model import LogisticRegression

        texts, topics = training_texts(chunks)
        char, word = _char_view(), _word_view()
        vectors = np.asarray(embedder.embed_queries(texts), np.float32)
        x = sparse.hstack([char.fit_transform(texts), word.fit_transform(texts), sparse.csr_matrix(vectors)]).tocsr()
        model = LogisticRegression(C=TRAINING["c_reg"], max_iter=5000).fit(x, topics)
        return cls(list(model.classes_), char, word, model.coef_.astype(np.float32),
                   model.intercept_.astype(np.float32), fingerprint(texts, topics, embedder.name))

    def save(self, path: Path) -> None:
        """Write atomically (another process may be loading the same file)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.stem}-{os.getpid()}.npz")
        meta = {"topics": self.topics, "fingerprint": self.fingerprint,
                "char": {k: int(v) for k, v in self.char.vocabulary_.items()},
                "word": {k: int(v) for k, v in self.word.vocabulary_.items()}}
        np.savez(tmp, coef=self.coef, intercept=self.intercept, char_idf=self.char.idf_, word_idf=self.word.idf_,
                 meta=np.array(json.dumps(meta, ensure_ascii=False)))
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> "TopicModel":
        data = np.load(path)
        meta = json.loads(str(data["meta"]))
        char, word = _char_view(meta["char"]), _word_view(meta["word"])
        for view, idf in ((char, data["char_idf"]), (word, data["word_idf"])):
            view.idf_ = idf  # a fixed vocabulary plus its idf is a fitted vectorizer
        return cls(meta["topics"], char, word, data["coef"], data["intercept"], meta["fingerprint"])


def load_or_train(chunks: list[DocChunk], embedder: Embedder, folder: Path | None) -> TopicModel:
    """The saved model when one matches the guidance and the embedder; otherwise train it (and save it, given a
    folder)."""
    texts, topics = training_texts(chunks)
    fp = fingerprint(texts, topics, embedder.name)
    path = folder / f"topic-model-{fp}.npz" if folder is not None else None
    if path is not None and path.exists():
        try:
            model = TopicModel.load(path)
            if model.fingerprint == fp and model.coef.shape[1] > embedder.dim:
                return model
        except (OSError, ValueError, KeyError):
            pass
    model = TopicModel.train(chunks, embedder)
    if path is not None:
        model.save(path)
    return model
