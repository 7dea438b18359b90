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
        res = self._retry(lambda c: c.get(include=["documents", "metadatas"]))
        out = [
            DocChunk(cid, m["doc_id"], m["title"], m["topic"], m["heading"], doc, m["index_text"], int(m["order"]),
                     str(m.get("kind", "tekst")))
            for cid, doc, m in zip(res["ids"], res["documents"], res["metadatas"])
        ]
        return sorted(out, key=lambda c: (c.doc_id, c.order))
