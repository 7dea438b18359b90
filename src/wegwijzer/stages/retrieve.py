"""Stage 3, retrieve: a dense ranking (our embedder over the index's vectors) and a lexical one (BM25 with a Dutch
stemmer), fused by a weighted sum of z-scores over all chunks plus the log-probability of each chunk's topic from a
classifier learned from the guidance (knowledge/topic_model.py), then grouped per document.

Why z-scores and not reciprocal rank fusion: on the retrieval dev split the score fusion was better (hit@1 0.70 vs
0.68 for RRF with k=10), because it keeps how far ahead the best chunk is. Scores per chunk: `dense` (cosine),
`lexical` (BM25), `topic` (log P(topic | question) from the TopicModel), `fused` (their weighted sum); `score` maps
the fused value to 0..1 with a logistic curve.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Sequence

import bm25s
import numpy as np
import Stemmer

from ..backends.embedders import Embedder
from ..backends.store import MatrixIndex, VectorIndex
from ..knowledge.chunking import DocChunk
from ..knowledge.topic_model import TopicModel, load_or_train
from ..schemas import Chunk, Redacted, Retrieved


class Lexical:
    """BM25 over the chunks' index text, Dutch stemming and stop words."""

    def __init__(self, chunks: list[DocChunk]) -> None:
        self.stemmer = Stemmer.Stemmer("dutch")
        self.ids = [c.id for c in chunks]
        self.model = bm25s.BM25()
        tokens = bm25s.tokenize([c.index_text for c in chunks], stopwords="nl", stemmer=self.stemmer, show_progress=False)
        self.model.index(tokens, show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk, in `self.ids` order."""
        tokens = bm25s.tokenize([query], stopwords="nl", stemmer=self.stemmer, show_progress=False, return_ids=False)
        if not tokens or not tokens[0]:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.model.get_scores(tokens[0]), dtype=np.float32)

    def search(self, query: str, n: int) -> list[tuple[str, float]]:
        s = self.scores(query)
        top = np.argsort(-s)[: min(n, len(self.ids))]
        return [(self.ids[i], float(s[i])) for i in top if s[i] > 0]


def zscore(x: np.ndarray) -> np.ndarray:
    std = float(x.std())
    return (x - x.mean()) / std if std > 1e-9 else np.zeros_like(x)


class Retriever:
    def __init__(self, embedder: Embedder, index: VectorIndex, candidates: int = 20, top_k: int = 3,
                 mode: str = "hybrid", lexical_weight: float = 1.0, topic_weight: float = 3.0,
                 topic_model_dir: Path | None = None, diverse_min_p: float = 0.01,
                 topic_questions: Sequence[tuple[str, str]] = (), acute_bonus: float = 0.0,
                 acute_topic: str = "acuut-gevaar") -> None:
        """`topic_model_dir`: where the topic model of these chunks is saved and looked up (None: trained, not
        saved); `topic_questions`: labelled visitor-style (question, topic) pairs it also learns from. No topic model
        when `topic_weight` is 0 or the chunks hold a single topic. `acute_bonus`: what a chunk of `acute_topic` adds
        to its fused score when the newest message signals acute danger (see `run`)."""
        self.embedder = embedder
        self.index = index
        self.candidates = candidates
        self.top_k = top_k
        self.mode = mode
        self.lexical_weight = lexical_weight
        self.diverse_min_p = diverse_min_p
        self.acute_bonus = acute_bonus
        chunks = index.chunks()
        self.by_id = {c.id: c for c in chunks}
        self.ids = [c.id for c in chunks]
        self.topic_of = np.array([c.topic for c in chunks])
        self.acute_chunks = self.topic_of == acute_topic  # the chunks `acute_bonus` lifts, found once
        self.lexical = Lexical(chunks)
        # each document's sections (text under a heading): the answer shows one, even when only the document's
        # intro or example questions made it into the candidates
        self.sections: dict[str, list[int]] = {}
        for i, c in enumerate(chunks):
            if c.heading and c.kind == "tekst":
                self.sections.setdefault(c.doc_id, []).append(i)
        self.topic_weight = topic_weight
        self.prior: TopicModel | None = None
        if topic_weight > 0 and len({c.topic for c in chunks}) > 1:
            self.use_topic_model(load_or_train(chunks, embedder, topic_model_dir, topic_questions))

    def use_topic_model(self, model: TopicModel) -> None:
        """Rank with this topic model (eval/retrieval_cv.py swaps in one per fold); each chunk reads its topic's
        column of the model's log-probabilities."""
        self.prior = model
        self.topic_column = np.array([model.topics.index(self.by_id[cid].topic) for cid in self.ids])

    def query_text(self, conversation: Redacted) -> str:
        """The newest message, with the previous user turn when the message is short (a follow-up like 'en dan?')."""
        prev = [c for r, c in conversation.history if r == "user"]
        if prev and len(conversation.message.split()) < 6:
            return f"{prev[-1]}\n{conversation.message}"
        return conversation.message

    def run(self, conversation: Redacted, topics: set[str] | None = None, acute: bool = False) -> Retrieved:
        """`topics`: rank only chunks of these topics (a refused request is answered with the help it redirects to).
        `acute`: the newest message signals acute danger, so what to do now (`acute_topic`) gains `acute_bonus`: "hij
        staat met een mes in de keuken" is about a knife now, not about the relationship it comes from."""
        return self.search(self.query_text(conversation), topics=topics, acute=acute)

    def scores(self, query: str, mode: str = "hybrid") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Dense, lexical and topic-prior scores of every chunk (zeros for what the mode leaves out)."""
        zero = np.zeros(len(self.ids), np.float32)
        dense, prior = self._dense(query) if mode in ("hybrid", "dense") else (zero, zero)
        lexical = self.lexical.scores(query) if mode in ("hybrid", "lexical") else zero
        return dense, lexical, prior

    def search(self, query: str, mode: str | None = None,
               scores: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
               topics: set[str] | None = None, acute: bool = False) -> Retrieved:
        """Rank by the fused score. `dense` and `lexical` modes rank by that ranker alone (the eval compares them);
        `hybrid` adds both z-scores, the topic prior and, when `acute`, the acute topic's bonus."""
        mode = mode or self.mode
        dense, lexical, prior = scores if scores is not None else self.scores(query, mode)
        if mode != "hybrid":
            dense, lexical = (dense, lexical * 0) if mode == "dense" else (dense * 0, lexical)
        weight = self.lexical_weight if mode == "hybrid" else 1.0
        fused = zscore(dense) + weight * zscore(lexical)
        if mode == "hybrid":
            fused = fused + self.topic_weight * prior
            if acute and self.acute_bonus:
                fused = fused + self.acute_bonus * self.acute_chunks
        if topics:
            outside = ~np.isin(self.topic_of, list(topics))
            if not outside.all():
                fused = np.where(outside, -np.inf, fused)
        order = np.argsort(-fused, kind="stable")
        top = [int(i) for i in order[: self.candidates] if np.isfinite(fused[i])]
        if top:
            top += self._more_documents(top, order, fused)
            top = self._diversify(top, fused, prior)
            top += self._missing_section(top, fused)
        chunks = [self._chunk(int(i), dense, lexical, prior, fused, 1.0 + weight) for i in top]
        return Retrieved(chunks=self._group(chunks), candidates=chunks)

    def _more_documents(self, top: list[int], order: np.ndarray, fused: np.ndarray) -> list[int]:
        """The best chunk of the next documents when the candidates come from fewer than `top_k` of them (a question
        that matches many example questions of one document): an answer cites `top_k` documents when it can."""
        docs = {self.by_id[self.ids[i]].doc_id for i in top}
        extra: list[int] = []
        for i in order[self.candidates:]:
            if len(docs) >= self.top_k or not np.isfinite(fused[i]):
                break
            doc = self.by_id[self.ids[i]].doc_id
            if doc not in docs:
                docs.add(doc)
                extra.append(int(i))
        return extra

    def _diversify(self, top: list[int], fused: np.ndarray, prior: np.ndarray) -> list[int]:
        """When the first `top_k` documents (or all candidates' documents, when fewer) share one topic, the best
        document of another topic takes the last of those places (or the next one): a question that straddles two
        topics ("ik ben gemeld, mag ik weten door wie?") cites both, and a confident one still leads with its own."""
        doc_of = [self.by_id[self.ids[i]].doc_id for i in top]
        docs = list(dict.fromkeys(doc_of))[: self.top_k]
        topic = self.topic_of[top[0]]
        if self.top_k < 2 or any(self.by_id[self.ids[top[doc_of.index(d)]]].topic != topic for d in docs):
            return top
        other = np.where(self.topic_of != topic, fused, -np.inf)
        j = int(np.argmax(other))
        if not np.isfinite(other[j]) or (self.prior is not None and prior[j] < math.log(self.diverse_min_p)):
            return top
        keep = set(docs[:-1] if len(docs) == self.top_k else docs)
        head = [i for i, d in zip(top, doc_of) if d in keep]
        return head + [j] + [i for i, d in zip(top, doc_of) if d not in keep and i != j]

    def _missing_section(self, top: list[int], fused: np.ndarray) -> list[int]:
        """A section of the best document when none of its sections is among the candidates: its concrete next
        steps ("Wat kun je doen?", the heading every document has) if it has them, else the best-scoring section."""
        doc = self.by_id[self.ids[top[0]]].doc_id
        if any(self.by_id[self.ids[i]].doc_id == doc and self.by_id[self.ids[i]].heading for i in top):
            return []
        sections = self.sections.get(doc, [])
        steps = [i for i in sections if "doen" in self.by_id[self.ids[i]].heading.lower()]
        return [max(steps or sections, key=lambda i: fused[i])] if sections else []

    def _dense(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        """Cosine of every chunk with the query, and each chunk's topic log-probability (query text and vector)."""
        vec = np.asarray(self.embedder.embed_queries([query])[0])
        prior = (self.prior.log_probs(query, vec)[self.topic_column] if self.prior is not None
                 else np.zeros(len(self.ids), np.float32))
        if isinstance(self.index, MatrixIndex):  # aligned with self.ids, which come from the same index.chunks()
            return self.index.scores(vec), prior
        out = np.zeros(len(self.ids), dtype=np.float32)
        position = {cid: i for i, cid in enumerate(self.ids)}
        for cid, score in self.index.query(vec, len(self.ids)):
            if cid in position:
                out[position[cid]] = score
        return out, prior

    def _chunk(self, i: int, dense: np.ndarray, lexical: np.ndarray, prior: np.ndarray, fused: np.ndarray,
               total_weight: float) -> Chunk:
        c = self.by_id[self.ids[i]]
        # A fused z-sum of about 2 standard deviations per unit of weight is a clear match: score ~0.9.
        score = 1.0 / (1.0 + math.exp(-(float(fused[i]) / total_weight - 1.0) * 2.0))
        raw = {"dense": round(float(dense[i]), 4), "lexical": round(float(lexical[i]), 4),
               "topic": round(float(prior[i]), 4), "fused": round(float(fused[i]), 4)}
        return Chunk(c.id, c.doc_id, c.title, c.topic, c.heading, c.text, round(score, 4), raw)

    @staticmethod
    def _group(fused: list[Chunk]) -> list[Chunk]:
        """Documents ordered by their best chunk; each document's chunks follow in fused order."""
        order: dict[str, list[Chunk]] = {}
        for chunk in fused:
            order.setdefault(chunk.doc_id, []).append(chunk)
        return [c for chunks in order.values() for c in chunks]
