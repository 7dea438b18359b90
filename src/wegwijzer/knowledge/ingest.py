"""Build time: knowledge/*.md -> chunks -> embeddings -> the vector index, with a progress bar.

`is_stale` tells whether the store holds other knowledge or another embedder's vectors than what is configured.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.progress import Progress

from ..backends.embedders import Embedder
from ..backends.store import VectorIndex
from .chunking import DocChunk, chunk_document
from .documents import content_hash, load_documents


@dataclass(frozen=True)
class IngestReport:
    documents: int
    chunks: int
    seconds: float


def is_stale(index: VectorIndex, knowledge_dir: Path, embedder_name: str) -> bool:
    info = index.info()
    return info is None or info.count == 0 or info.knowledge_hash != content_hash(knowledge_dir) or info.embedder != embedder_name


def ingest(knowledge_dir: Path, embedder: Embedder, index: VectorIndex, show_progress: bool = True) -> IngestReport:
    start = time.perf_counter()
    docs = load_documents(knowledge_dir)
    chunks: list[DocChunk] = [c for d in docs for c in chunk_document(d)]
    vectors: list[np.ndarray] = []
    step = 32
    with Progress(disable=not show_progress, transient=False) as progress:
        task = progress.add_task("Kennisbank inlezen", total=len(chunks))
        for i in range(0, len(chunks), step):
            vectors.append(embedder.embed_passages([c.index_text for c in chunks[i : i + step]]))
            progress.advance(task, len(chunks[i : i + step]))
    index.rebuild(chunks, np.vstack(vectors), content_hash(knowledge_dir), embedder.name)
    return IngestReport(len(docs), len(chunks), time.perf_counter() - start)
