"""Stage 3, retrieve: dense (our embedder + the vector index) and lexical (BM25 with a Dutch stemmer) rankings over
the guidance's chunks, fused by reciprocal rank fusion and grouped per document.

Scores: `dense` is the cosine similarity, `lexical` the BM25 score, `fused` the RRF score scaled so that 1.0 means
first in both rankings.
"""

from __future__ import annotations

import bm25s
import numpy as np
import Stemmer

from ..backends.embedders import Embedder
from ..backends.store import VectorIndex
from ..knowledge.chunking import DocChunk
from ..schemas import Chunk, Redacted, Retrieved

RRF_K = 60


class Lexical:
    """BM25 over the chunks' index text, Dutch stemming and stop words."""

    def __init__(self, chunks: list[DocChunk]) -> None:
        self.stemmer = Stemmer.Stemmer("dutch")
        self.ids = [c.id for c in chunks]
        self.model = bm25s.BM25()
        tokens = bm25s.tokenize([c.index_text for c in chunks], stopwords="nl", stemmer=self.stemmer, show_progress=False)
        self.model.index(tokens, show_progress=False)

    def search(self, query: str, n: int) -> list[tuple[str, float]]:
        tokens = bm25s.tokenize([query], stopwords="nl", stemmer=self.stemmer, show_progress=False)
        if not tokens.vocab:
            return []
        n = min(n, len(self.ids))
        docs, scores = self.model.retrieve(tokens, k=n, show_progress=False, n_threads=1)
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]


class Retriever:
    def __init__(self, embedder: Embedder, index: VectorIndex, candidates: int = 20, top_k: int = 3,
                 mode: str = "hybrid") -> None:
        self.embedder = embedder
        self.index = index
        self.candidates = candidates
        self.top_k = top_k
        self.mode = mode
        self.by_id = {c.id: c for c in index.chunks()}
        self.lexical = Lexical(list(self.by_id.values()))

    def query_text(self, conversation: Redacted) -> str:
        """The newest message, with the previous user turn when the message is short (a follow-up like 'en dan?')."""
        prev = [c for r, c in conversation.history if r == "user"]
        if prev and len(conversation.message.split()) < 6:
            return f"{prev[-1]}\n{conversation.message}"
        return conversation.message

    def run(self, conversation: Redacted) -> Retrieved:
        return self.search(self.query_text(conversation))

    def search(self, query: str, mode: str | None = None) -> Retrieved:
        mode = mode or self.mode
        dense = self._dense(query) if mode in ("hybrid", "dense") else []
        lexical = self.lexical.search(query, self.candidates) if mode in ("hybrid", "lexical") else []
        fused = self._fuse(dense, lexical, mode)
        return Retrieved(chunks=self._group(fused), candidates=fused)

    def _dense(self, query: str) -> list[tuple[str, float]]:
        vec = self.embedder.embed_queries([query])[0]
        return self.index.query(np.asarray(vec), min(self.candidates, len(self.by_id)))

    def _fuse(self, dense: list[tuple[str, float]], lexical: list[tuple[str, float]], mode: str) -> list[Chunk]:
        rankings = {name: r for name, r in (("dense", dense), ("lexical", lexical)) if r}
        scale = max(len(rankings), 1) / (RRF_K + 1)
        fused: dict[str, float] = {}
        raw: dict[str, dict[str, float]] = {}
        for name, ranking in rankings.items():
            for rank, (cid, score) in enumerate(ranking):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + rank + 1)
                raw.setdefault(cid, {})[name] = round(score, 4)
        ordered = sorted(fused.items(), key=lambda kv: -kv[1])
        return [self._chunk(cid, s / scale, raw[cid]) for cid, s in ordered if cid in self.by_id]

    def _chunk(self, cid: str, fused: float, raw: dict[str, float]) -> Chunk:
        c = self.by_id[cid]
        return Chunk(c.id, c.doc_id, c.title, c.topic, c.heading, c.text, round(min(fused, 1.0), 4),
                     {**raw, "fused": round(fused, 4)})

    @staticmethod
    def _group(fused: list[Chunk]) -> list[Chunk]:
        """Documents ordered by their best chunk; each document's chunks follow in fused order."""
        order: dict[str, list[Chunk]] = {}
        for chunk in fused:
            order.setdefault(chunk.doc_id, []).append(chunk)
        return [c for chunks in order.values() for c in chunks]
