"""Wiring: build every heavy component once (models, analyzer, store) from the settings. Called by the app's
lifespan, the CLI and the eval; never at import. Collaborators can be injected; None builds the default.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from .backends.embedders import Embedder, make_embedder
from .backends.store import ChromaIndex, VectorIndex
from .config import ROOT, Settings
from .errors import ConfigError
from .knowledge.ingest import ingest, is_stale
from .pipeline import ChatPipeline
from .privacy.analyzer import build_analyzer
from .stages.compose import Composer
from .stages.danger import DangerAssessor, LearnedScorer
from .stages.escalate import Clock, Escalator, utc_now
from .stages.redact import Redactor
from .stages.retrieve import Retriever

log = logging.getLogger("wegwijzer.services")
SPACY_DIR = ROOT / ".models" / "spacy-nl"


@dataclass
class Services:
    settings: Settings
    embedder: Embedder
    index: VectorIndex
    pipeline: ChatPipeline
    retriever: Retriever | None


def make_index(settings: Settings) -> ChromaIndex:
    return ChromaIndex(path=settings.store_dir, host=settings.chroma_host, port=settings.chroma_port,
                       name=settings.collection)


def ensure_store(settings: Settings, embedder: Embedder, index: VectorIndex, show_progress: bool = False) -> bool:
    """Build the store when it is missing or stale; True when it was (re)built."""
    if settings.chroma_host is None and is_stale(index, settings.knowledge_dir, embedder.name):
        report = ingest(settings.knowledge_dir, embedder, index, show_progress=show_progress)
        log.info("store built: %d documents, %d chunks, %.1f s", report.documents, report.chunks, report.seconds)
        return True
    return False


def build_services(settings: Settings, embedder: Embedder | None = None, index: VectorIndex | None = None,
                   learned: LearnedScorer | None = None, clock: Clock = utc_now, spacy_dir: Path = SPACY_DIR,
                   build_store: bool = True) -> Services:
    try:
        embedder = embedder or make_embedder(settings.embedder, settings.embed_threads, settings.st_model_path)
    except (ImportError, FileNotFoundError, ValueError) as exc:
        raise ConfigError(f"embedder '{settings.embedder}' could not load: {exc}") from exc
    index = index or make_index(settings)
    if build_store:
        ensure_store(settings, embedder, index)
    retriever = Retriever(embedder, index, candidates=settings.candidates, top_k=settings.top_k)
    pipeline = ChatPipeline(
        redactor=Redactor(build_analyzer(spacy_dir)),
        assessor=DangerAssessor(learned=learned),
        retriever=retriever,
        escalator=Escalator(region=settings.chat_region, tz=settings.timezone, clock=clock),
        composer=Composer(top_k=settings.top_k, min_score=settings.min_score),
    )
    return Services(settings=settings, embedder=embedder, index=index, pipeline=pipeline, retriever=retriever)
