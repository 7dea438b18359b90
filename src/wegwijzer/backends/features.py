"""What our two small learned models (the topic model, the danger model) read of a text: three views side by side.

- character n-grams (2-5, within words): typos and spellings ("huisverbot", "wnneer", "kom nu"), word parts
- word uni- and bigrams: short phrases that carry the meaning ("geen geld", "op slot", "nooit geslagen")
- the sentence embedding we already compute for retrieval: meaning across wordings, English, Dutch as a second language

Both n-gram views are TF-IDF with sublinear term frequency, fitted on the model's own training texts. Measured by
5-fold cross-validation on the danger training data, at 5% false alarms: acute recall 0.68 from the embedding alone,
0.89 from all three views; on the retrieval dev split, top-1 topic 0.72 -> 0.86.

With `negation=True` (the danger model) both n-gram views read the words around a negation marked (`mark_negation`):
a linear model over n-grams reads "hij slaat me niet hoor" as the words of "hij slaat me".

A fitted `Views` is saved as plain arrays (vocabularies and idf weights), not as a pickle.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

SETTINGS = {"char_ngrams": [2, 5], "word_ngrams": [1, 2], "char_min_df": 2}
# sklearn's default solver (lbfgs) needed ~30 slow iterations on these wide sparse matrices; Newton-CG converges in
# ~5 and fitted the danger model ~5x faster here, to the same optimum (an L2-regularised convex problem).
SOLVER = "newton-cg"


# Negation scope, the classic trick for linear text models: the words next to a negation get a prefix, so "slaat" and
# "neg_slaat" are different features. Dutch puts "niet" after the verb in a main clause ("hij slaat me niet") and
# before it in a subordinate one ("dat hij me niet slaat"), so the scope runs two words back and three forward, within
# the sentence and up to a word that turns the sentence ("maar", "wel"). "hij slaat me niet hoor, hij is gewoon stil"
# went from P(acute) 0.52 to 0.04; "hij heeft me nooit geslagen, maar gisteren kneep hij mijn keel dicht" stays urgent.
# The text is otherwise kept as written. A first version re-joined the words with single spaces, which changed the
# char n-grams of every text, also without a negation ("112??" became "112 ? ?", read like "is 112 gratis ?"): on 600
# fresh probes in the dev split's style it lost 3 of 202 acute conversations against no negation at all. Kept as
# written, same data and rules (22,935 training cases), without -> with: held-out (7,430) acute 0.9726 -> 0.9749,
# urgent-or-higher 0.9873 -> 0.9882, false alarms 0.0793 -> 0.0772; 450 fresh dev-style probes (before anything was
# learned from them) acute 115 -> 115 of 117, urgent-or-higher missed 5 -> 4 of 288, false alarms 8 -> 6 of 162.
NEGATIONS = frozenset({"niet", "nooit", "geen", "niemand", "niks", "niets", "not", "never", "no", "dont", "don't",
                       "doesnt", "doesn't", "didnt", "didn't", "isnt", "isn't", "wont", "won't"})
SCOPE_ENDS = frozenset({"maar", "but", "wel", "alleen", "behalve", "toch", "en", "want", "omdat"})
SCOPE = (2, 3)  # words marked before and after a negation
# what a model fitted with `negation=True` depends on: part of the danger model's fingerprint (safety/learned.py), so a
# change here retrains it instead of reading a saved model with other marks
NEGATION_SCOPE = {"negations": sorted(NEGATIONS), "scope_ends": sorted(SCOPE_ENDS), "scope": list(SCOPE),
                  "text": "kept as written"}
# a word, a punctuation mark, or a line break (the turns of a conversation are joined by one): the scope runs over words only
_TOKEN = re.compile(r"\w+(?:'\w+)?|[^\w\s]|\n")
_WORD = re.compile(r"\w")


def mark_negation(text: str) -> str:
    """The text as written, with `neg_` before each word in a negation's scope:
    "hij slaat me niet, hoor" -> "hij neg_slaat neg_me niet, hoor". Nothing else changes (spacing, punctuation, case),
    so a text without a negation gives the char n-grams it gives without this view."""
    tokens = list(_TOKEN.finditer(text))
    words = [t.group().lower() for t in tokens]
    marked = [False] * len(words)
    for i, word in enumerate(words):
        if word not in NEGATIONS:
            continue
        for step, reach in ((-1, SCOPE[0]), (1, SCOPE[1])):
            j = i + step
            while 0 <= j < len(words) and abs(j - i) <= reach and _in_scope(words[j]):
                marked[j] = True
                j += step
    pieces, last = [], 0
    for token, mark in zip(tokens, marked):
        if mark:
            pieces += [text[last:token.start()], "neg_"]
            last = token.start()
    return "".join(pieces) + text[last:]


def _in_scope(token: str) -> bool:
    """A word that a negation's scope runs over: not punctuation, not another negation, not a word that turns the
    sentence."""
    return _WORD.match(token) is not None and token not in SCOPE_ENDS and token not in NEGATIONS


def _char(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    low, high = SETTINGS["char_ngrams"]
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(low, high), sublinear_tf=True,
                           min_df=SETTINGS["char_min_df"], vocabulary=vocabulary)


def _word(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    low, high = SETTINGS["word_ngrams"]
    return TfidfVectorizer(analyzer="word", ngram_range=(low, high), sublinear_tf=True, vocabulary=vocabulary)


@dataclass
class Views:
    char: TfidfVectorizer = field(default_factory=_char)
    word: TfidfVectorizer = field(default_factory=_word)
    negation: bool = False  # both n-gram views read `mark_negation(text)` (saved with the views)

    def _read(self, texts: list[str]) -> list[str]:
        return [mark_negation(t) for t in texts] if self.negation else texts

    @property
    def ngram_size(self) -> int:
        return len(self.char.vocabulary_) + len(self.word.vocabulary_)

    def fit(self, texts: list[str], vectors: np.ndarray) -> sparse.csr_matrix:
        """Fit the n-gram views on `texts`; the training matrix of all three views."""
        texts = self._read(texts)
        grams = sparse.hstack([self.char.fit_transform(texts), self.word.fit_transform(texts)])
        return sparse.hstack([grams, sparse.csr_matrix(np.asarray(vectors, np.float32))]).tocsr()

    def ngrams(self, texts: list[str]) -> sparse.csr_matrix:
        """The same matrix as sklearn's `transform` of both views side by side (tests/backends/test_features.py
        checks it), computed directly: sklearn validated its input and output on every call, ~5 ms per text here,
        more than the whole embedding."""
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for r, text in enumerate(self._read(texts)):
            offset = 0
            for analyze, vocabulary, idf in self._lookup:
                counts: dict[int, int] = {}
                for gram in analyze(text):
                    j = vocabulary.get(gram)
                    if j is not None:
                        counts[j] = counts.get(j, 0) + 1
                if counts:
                    idx = np.fromiter(counts, np.int64, len(counts))
                    w = (1.0 + np.log(np.fromiter(counts.values(), np.float64, len(counts)))) * idf[idx]
                    w /= np.sqrt((w * w).sum())
                    rows += [r] * len(idx)
                    cols += (idx + offset).tolist()
                    vals += w.tolist()
                offset += len(vocabulary)
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), self.ngram_size), dtype=np.float64)

    @cached_property
    def _lookup(self) -> list[tuple]:
        """Per view: its analyzer, vocabulary and idf weights (read once, after fitting or loading)."""
        return [(v.build_analyzer(), v.vocabulary_, np.asarray(v.idf_, np.float64)) for v in (self.char, self.word)]

    def arrays(self) -> tuple[dict[str, np.ndarray], dict]:
        """(arrays, json-able metadata) to save the fitted views with np.savez."""
        meta = {"char": {k: int(v) for k, v in self.char.vocabulary_.items()},
                "word": {k: int(v) for k, v in self.word.vocabulary_.items()}, "negation": self.negation}
        return {"char_idf": self.char.idf_, "word_idf": self.word.idf_}, meta

    @classmethod
    def from_arrays(cls, data, meta: dict) -> "Views":
        views = cls(_char(meta["char"]), _word(meta["word"]), bool(meta.get("negation", False)))
        views.char.idf_ = data["char_idf"]  # a fixed vocabulary plus its idf is a fitted vectorizer
        views.word.idf_ = data["word_idf"]
        return views


class LinearHead:
    """Logits of a linear model over `Views`: the n-gram part as a sparse product, the embedding part dense
    (sklearn's own predict validates its input on every call, several times the product itself)."""

    def __init__(self, views: Views, coef: np.ndarray, intercept: np.ndarray) -> None:
        n = views.ngram_size
        self.views = views
        self.ngram_coef = np.ascontiguousarray(coef[:, :n].T, dtype=np.float32)
        self.dense_coef = np.ascontiguousarray(coef[:, n:], dtype=np.float32)
        self.intercept = np.asarray(intercept, np.float32)

    def logits(self, texts: list[str], vectors: np.ndarray, grams: sparse.csr_matrix | None = None) -> np.ndarray:
        """(len(texts), classes). `grams`: the texts' `views.ngrams`, when already computed."""
        grams = np.asarray((grams if grams is not None else self.views.ngrams(texts)) @ self.ngram_coef)
        return grams + np.asarray(vectors, np.float32) @ self.dense_coef.T + self.intercept


def save_model(path: Path, meta: dict, **arrays: np.ndarray) -> None:
    """Write a model file (arrays plus json-able metadata) atomically: another process may be loading it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}-{os.getpid()}.npz")
    np.savez(tmp, **arrays, meta=np.array(json.dumps(meta, ensure_ascii=False)))
    os.replace(tmp, path)


def load_model(path: Path) -> tuple[dict, dict]:
    """(arrays, metadata) of a file written by `save_model`."""
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files if k != "meta"}
        meta = json.loads(str(data["meta"]))
    return arrays, meta
