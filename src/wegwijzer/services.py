"""Wiring: build every heavy component once (models, analyzer, store) from the settings. Called by the app's
lifespan, the CLI and the eval; never at import. Collaborators can be injected; None builds the default.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from .backends.embedders import Embedder, make_embedder
from .backends.store import ChromaIndex, MatrixIndex, UnavailableIndex, VectorIndex, forget_embedded_client
from .config import ROOT, Settings
from .errors import ConfigError
from .knowledge.documents import content_hash
from .knowledge.ingest import ingest, is_stale
from .knowledge.topic_model import training_questions
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


def open_index(settings: Settings) -> ChromaIndex:
    """The configured index. An embedded store that Chroma cannot open (garbage in its SQLite file, a file where the
    folder should be) is derived data: it is moved aside, not deleted, and `ensure_store` builds a new one."""
    try:
        return make_index(settings)
    except Exception as exc:  # noqa: BLE001 - chroma raises several types for an unreadable store
        if settings.chroma_host is not None:
            where = f"{settings.chroma_host}:{settings.chroma_port}"
            raise ConfigError(f"De Chroma-server op {where} is niet bereikbaar ({type(exc).__name__}).") from exc
        aside = settings.store_dir.with_name(f"{settings.store_dir.name}.kapot-{time.strftime('%Y%m%d-%H%M%S')}")
        log.error("store unreadable (%s): moved aside to %s, building a new one", type(exc).__name__, aside)
        settings.store_dir.rename(aside)
        forget_embedded_client(settings.store_dir)
        return make_index(settings)


def check_server_store(settings: Settings, embedder: Embedder, index: VectorIndex) -> None:
    """A Chroma server is filled by `wegwijzer ingest` (one writer, any number of API replicas reading); `serve`
    only checks it, and refuses to start on a missing collection or another embedder's vectors."""
    info = index.info()
    where = f"{settings.chroma_host}:{settings.chroma_port}"
    fix = f"Vul hem eerst met: WEGWIJZER_CHROMA_HOST={settings.chroma_host} WEGWIJZER_CHROMA_PORT={settings.chroma_port} wegwijzer ingest"
    if info is None or info.count == 0:
        raise ConfigError(f"De Chroma-server op {where} heeft geen (bereikbare) collectie '{settings.collection}'. {fix}")
    if info.embedder != embedder.name:
        raise ConfigError(f"De collectie '{settings.collection}' op {where} is gemaakt met embedder '{info.embedder}', "
                          f"ingesteld is '{embedder.name}'. {fix}")
    if info.knowledge_hash != content_hash(settings.knowledge_dir):
        log.warning("the Chroma server holds another version of knowledge/ than this replica; run `wegwijzer ingest`")


def ensure_store(settings: Settings, embedder: Embedder, index: VectorIndex, show_progress: bool = False) -> bool:
    """Build the embedded store when it is missing or stale; True when it was (re)built. A server is only checked."""
    if settings.chroma_host is not None:
        check_server_store(settings, embedder, index)
        return False
    if is_stale(index, settings.knowledge_dir, embedder.name):
        report = ingest(settings.knowledge_dir, embedder, index, show_progress=show_progress)
        log.info("store built: %d documents, %d chunks, %.1f s", report.documents, report.chunks, report.seconds)
        return True
    return False


def make_retriever(settings: Settings, embedder: Embedder, index: VectorIndex) -> Retriever | None:
    """The retriever, or None when the store cannot be read: turns are then answered degraded, with full escalation."""
    try:
        # Dense ranking from an in-memory copy of the store's vectors: no store call per turn (see MatrixIndex).
        ranked = MatrixIndex(index) if isinstance(index, ChromaIndex) else index
        return Retriever(embedder, ranked, candidates=settings.candidates, top_k=settings.top_k,
                         lexical_weight=settings.lexical_weight, topic_weight=settings.topic_weight,
                         topic_model_dir=SPACY_DIR.parent, diverse_min_p=settings.diverse_min_p,
                         topic_questions=training_questions(ROOT / "eval" / "data"),
                         acute_bonus=settings.acute_bonus)
    except Exception as exc:  # noqa: BLE001 - an unreadable store must not keep the helplines offline
        log.error("store unreadable (%s): answering without guidance, escalation only", type(exc).__name__)
        return None


def prepare_store(settings: Settings, embedder: Embedder, show_progress: bool = False) -> VectorIndex:
    """Open the configured store and build it when missing or stale (`serve` and the app's start-up).

    A Chroma server without the collection fails with a ConfigError that says what to run. An embedded store that can
    be neither read nor rebuilt (e.g. a read-only folder) becomes an UnavailableIndex: the service starts degraded.
    """
    try:
        index: VectorIndex = open_index(settings)
    except ConfigError:
        raise
    except Exception as exc:  # noqa: BLE001 - the helplines stay online whatever happened to the store
        log.error("store could not be opened nor moved aside (%s): serving degraded", type(exc).__name__)
        return UnavailableIndex()
    try:
        ensure_store(settings, embedder, index, show_progress=show_progress)
    except ConfigError:
        raise
    except Exception as exc:  # noqa: BLE001
        log.error("store could not be built (%s): serving what it holds", type(exc).__name__)
    return index


def _learned(settings: Settings, embedder: Embedder) -> LearnedScorer | None:
    """The learned danger model, trained on first use and saved beside the store (never on the test split)."""
    if not settings.learned_danger:
        return None
    from .safety.learned import load_or_train

    return load_or_train(embedder, ROOT / "eval" / "data", SPACY_DIR.parent, settings.learned_acute_max_none)


def limit_blas_threads(threads: int) -> None:
    """Every BLAS and OpenMP library loaded by now gets `threads` threads. Turns already run in
    parallel (executor threads, worker processes); BLAS threads on top of them spin on 2 busy cores: measured, a
    turn took ~290 ms of CPU for ~150 ms of wall time with the default 2, ~125 ms with 1. Called last, after the
    models and the learned danger model have loaded their libraries."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=threads)


def warm_up(pipeline: ChatPipeline) -> None:
    """One made-up turn before the first visitor: the first pass through Presidio, spaCy, the rules and the models
    pays one-off costs (lazy loads, first allocations), and that wait must not fall on someone writing in a hurry."""
    from .schemas import ChatRequest

    try:
        pipeline.run(ChatRequest(message="Hoe werkt Veilig Thuis?"))
    except Exception as exc:  # noqa: BLE001 - a failing warm-up shows again, with its cause, on the first real turn
        log.warning("warm-up turn failed (%s)", type(exc).__name__)


def build_services(settings: Settings, embedder: Embedder | None = None, index: VectorIndex | None = None,
                   learned: LearnedScorer | None = None, clock: Clock = utc_now, spacy_dir: Path = SPACY_DIR,
                   build_store: bool = True) -> Services:
    try:
        embedder = embedder or make_embedder(settings.embedder, settings.embed_threads, settings.st_model_path)
    except (ImportError, FileNotFoundError, ValueError) as exc:
        raise ConfigError(f"embedder '{settings.embedder}' could not load: {exc}") from exc
    if index is None:
        index = prepare_store(settings, embedder) if build_store else open_index(settings)
    elif build_store:
        ensure_store(settings, embedder, index)
    retriever = make_retriever(settings, embedder, index)
    pipeline = ChatPipeline(
        redactor=Redactor(build_analyzer(spacy_dir)),
        assessor=DangerAssessor(learned=learned if learned is not None else _learned(settings, embedder),
                                overrule_urgent=settings.overrule_urgent,
                                overrule_acute=settings.overrule_acute,
                                overrule_earlier=settings.overrule_earlier,
                                overrule_earlier_urgent=settings.overrule_earlier_urgent,
                                self_harm_max_none=settings.learned_self_harm_max_none),
        retriever=retriever,
        escalator=Escalator(region=settings.chat_region, tz=settings.timezone, clock=clock),
        composer=Composer(top_k=settings.top_k, min_score=settings.min_score),
    )
    index = retriever.index if retriever is not None else index
    warm_up(pipeline)
    limit_blas_threads(settings.embed_threads)
    return Services(settings=settings, embedder=embedder, index=index, pipeline=pipeline, retriever=retriever)
