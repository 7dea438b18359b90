"""VectorIndex protocol and its Chroma implementation: embedded `PersistentClient` by default, a Chroma server
(`HttpClient`) when settings name a host. Embeddings are always ours; Chroma never embeds (it would download).

The store records which knowledge it holds (content hash) and which embedder made it, in the collection metadata,
so `serve` can tell when it is stale.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..errors import StoreUnavailable
from ..knowledge.chunking import DocChunk


@dataclass(frozen=True)
class StoreInfo:
    knowledge_hash: str
    embedder: str
    count: int


class VectorIndex(Protocol):
    def info(self) -> StoreInfo | None: ...

    def rebuild(self, chunks: list[DocChunk], vectors: np.ndarray, knowledge_hash: str, embedder: str) -> None: ...

    def query(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]: ...

    def chunks(self) -> list[DocChunk]: ...


class ChromaIndex:
    def __init__(self, path: Path | None = None, host: str | None = None, port: int = 8001, name: str = "wegwijzer") -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if host:
            self.client = chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
        else:
            if path is None:
                raise ValueError("ChromaIndex needs a path or a host")
            path.mkdir(parents=True, exist_ok=True)
            self.client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        self.name = name
        self._collection: Any = None

    def _get(self) -> Any:
        if self._collection is None:
            try:
                self._collection = self.client.get_collection(self.name)
            except Exception as exc:  # chroma raises several types for a missing/corrupt collection
                raise StoreUnavailable() from exc
        return self._collection

    def info(self) -> StoreInfo | None:
        try:
            col = self._get()
            meta = col.metadata or {}
            return StoreInfo(str(meta.get("knowledge_hash", "")), str(meta.get("embedder", "")), col.count())
        except StoreUnavailable:
            return None

    def rebuild(self, chunks: list[DocChunk], vectors: np.ndarray, knowledge_hash: str, embedder: str) -> None:
        """Build into a fresh collection, then swap it in by name, so a running reader loses at most one query."""
        tmp = f"{self.name}-bouw-{uuid.uuid4().hex[:8]}"
        col = self.client.create_collection(
            tmp, embedding_function=None,
            metadata={"hnsw:space": "cosine", "knowledge_hash": knowledge_hash, "embedder": embedder},
        )
        step = 256
        for i in range(0, len(chunks), step):
            part = chunks[i : i + step]
            col.add(
                ids=[c.id for c in part],
                embeddings=vectors[i : i + step].tolist(),
                documents=[c.text for c in part],
                metadatas=[
                    {"doc_id": c.doc_id, "title": c.title, "topic": c.topic, "heading": c.heading,
                     "index_text": c.index_text, "order": c.order, "kind": c.kind}
                    for c in part
                ],
            )
        try:
            self.client.delete_collection(self.name)
        except Exception:  # noqa: BLE001 - absent collection is fine
            pass
        col.modify(name=self.name)
        self._collection = col

    def _retry(self, fn: Callable[[Any], Any]) -> Any:
        """Run fn on the collection; if another process swapped it meanwhile, look it up again once."""
        try:
            return fn(self._get())
        except StoreUnavailable:
            raise
        except Exception:  # noqa: BLE001 - chroma's NotFoundError after a rebuild elsewhere
            self._collection = None
            return fn(self._get())

    def query(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        res = self._retry(lambda c: c.query(query_embeddings=[vector.tolist()], n_results=n, include=["distances"]))
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0])]

    def chunks(self) -> list[DocChunk]:
        return [c for c, _ in self.chunks_with_vectors(vectors=False)]

    def chunks_with_vectors(self, vectors: bool = True) -> list[tuple[DocChunk, np.ndarray | None]]:
        include = ["documents", "metadatas", "embeddings"] if vectors else ["documents", "metadatas"]
        res = self._retry(lambda c: c.get(include=include))
        embeddings = res["embeddings"] if vectors else [None] * len(res["ids"])
        out = [
            (DocChunk(cid, m["doc_id"], m["title"], m["topic"], m["heading"], doc, m["index_text"], int(m["order"]),
                      str(m.get("kind", "tekst"))), None if e is None else np.asarray(e, dtype=np.float32))
            for cid, doc, m, e in zip(res["ids"], res["documents"], res["metadatas"], embeddings)
        ]
        return sorted(out, key=lambda ce: (ce[0].doc_id, ce[0].order))


class MatrixIndex:
    """A read-only copy of a store's chunks and vectors in memory, ranked by one matrix product (exact cosine).

    Loaded once at start-up from Chroma (embedded or server), so a turn never waits on the store: on this machine a
    Chroma query cost ~2-3 ms of CPU per turn, the product ~0.05 ms, and a replica does not call a Chroma server per
    turn. The retriever already holds the chunks and the BM25 index in memory, so a rebuilt store is picked up at the
    next start either way. Writes go to the source store.
    """

    def __init__(self, source: ChromaIndex) -> None:
        self.source = source
        pairs = source.chunks_with_vectors()
        self._chunks = [c for c, _ in pairs]
        self._ids = [c.id for c in self._chunks]
        self._info = source.info()
        dim = len(pairs[0][1]) if pairs and pairs[0][1] is not None else 0
        matrix = np.vstack([v for _, v in pairs]).astype(np.float32) if pairs else np.zeros((0, dim), np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        self.matrix = matrix / np.where(norms == 0, 1, norms)

    def info(self) -> StoreInfo | None:
        return self._info

    def rebuild(self, chunks: list[DocChunk], vectors: np.ndarray, knowledge_hash: str, embedder: str) -> None:
        self.source.rebuild(chunks, vectors, knowledge_hash, embedder)

    def scores(self, vector: np.ndarray) -> np.ndarray:
        """The cosine of every chunk, in `chunks()` order (what the retriever fuses; no per-turn id lookups)."""
        return self.matrix @ np.asarray(vector, dtype=np.float32)

    def query(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        n = min(n, len(self._ids))
        if n <= 0:
            return []
        scores = self.scores(vector)
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self._ids[i], float(scores[i])) for i in top]

    def chunks(self) -> list[DocChunk]:
        return list(self._chunks)


def forget_embedded_client(path: Path) -> None:
    """Chroma keeps one client system per folder and process, even after opening it failed; drop that one (and only
    that one) so the folder can be opened afresh after it was moved aside."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(str(path), None)
    SharedSystemClient._identifier_to_refcount.pop(str(path), None)


class UnavailableIndex:
    """Stands in for a store that could neither be read nor rebuilt: every read says so, and the service answers
    turns degraded (escalation without guidance) while /api/health reports 503."""

    name = "onbereikbaar"

    def info(self) -> StoreInfo | None:
        return None

    def rebuild(self, chunks: list[DocChunk], vectors: np.ndarray, knowledge_hash: str, embedder: str) -> None:
        raise StoreUnavailable()

    def query(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        raise StoreUnavailable()

    def chunks(self) -> list[DocChunk]:
        raise StoreUnavailable()
