"""Faults of the vector store and the models, at start-up and at request time, on temporary folders (never the real
.store) with a small copy of knowledge/. Whatever breaks, the visitor gets a 200 (full, or degraded with full
escalation) or a 503 naming 112 and 0800-2000: never a hang, never a stack trace.

    store folder missing              -> built at start-up, full answers
    garbage in chroma.sqlite3         -> moved aside (.kapot-*), rebuilt, full answers
    a file where the folder should be -> moved aside, rebuilt, full answers
    cannot be opened nor moved aside  -> starts degraded: chat 200 without sources + full escalation, health 503
    store deleted/corrupted while up  -> still full answers (dense vectors and BM25 live in memory)
    in-memory ranking raising         -> degraded 200 with full escalation
    embedding model raising per turn  -> degraded 200 with full escalation
    embedding model failing to load   -> ConfigError at start-up; `serve` exits 2 with a message, no traceback
    Presidio analyzer raising         -> 503 with both helplines, no user text echoed
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from wegwijzer.api.app import create_app
from wegwijzer.backends.store import forget_embedded_client
from wegwijzer.config import ROOT, Settings
from wegwijzer.errors import ConfigError
from wegwijzer.services import build_services

pytestmark = pytest.mark.integration
KNOWLEDGE = ROOT / "knowledge"
SAMPLE = ["acuut-gevaar", "dwingende-controle", "melden"]  # topic folders copied into the small knowledge base
QUESTION = "Mijn vriend kijkt steeds in mijn telefoon en ik mag niemand meer zien. Is dat normaal?"


class Raising:
    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    def __getattr__(self, name: str):  # any method of the real thing raises
        if name.startswith("__"):
            raise AttributeError(name)

        def boom(*args, **kwargs):
            raise self.exc

        return boom


@pytest.fixture(scope="module")
def small_knowledge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("knowledge")
    for topic in SAMPLE:
        src = KNOWLEDGE / topic
        files = sorted(src.glob("*.md"))[:2]
        (root / topic).mkdir()
        for f in files:
            shutil.copy(f, root / topic / f.name)
    return root


@pytest.fixture
def fault_settings(tmp_path: Path, small_knowledge: Path, settings: Settings) -> Settings:
    return settings.model_copy(update={"store_dir": tmp_path / "store", "knowledge_dir": small_knowledge})


def build(fault_settings: Settings, services):
    forget_embedded_client(fault_settings.store_dir)  # a test that breaks the files must not reuse Chroma's cache
    return build_services(fault_settings, embedder=services.embedder, clock=services.pipeline.escalator.clock)


@pytest.fixture
def serve():
    opened: list[TestClient] = []

    def _serve(settings: Settings, services) -> TestClient:
        c = TestClient(create_app(settings, services=services), raise_server_exceptions=False)
        c.__enter__()
        opened.append(c)
        return c

    yield _serve
    for c in opened:
        c.__exit__(None, None, None)


def assert_full(r) -> None:
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    assert body["sources"], "expected a full answer with sources"
    assert "112" in body["answer"] and "0800-2000" in body["answer"]


def assert_degraded(r) -> None:
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    assert body["sources"] == []
    assert "112" in body["answer"] and "0800-2000" in body["answer"]
    numbers = [a.get("number") for a in body["escalation"]["actions"]]
    assert "112" in numbers and "0800-2000" in numbers
    assert "Traceback" not in r.text


def assert_503_with_helplines(r, secret: str = "") -> None:
    assert r.status_code == 503
    assert "112" in r.text and "0800-2000" in r.text and "Traceback" not in r.text
    if secret:
        assert secret not in r.text


# ---- start-up -------------------------------------------------------------------------------------------------------

def test_when_store_folder_is_missing_then_it_is_built_at_start_up(fault_settings, services, serve):
    assert not fault_settings.store_dir.exists()
    built = build(fault_settings, services)
    assert built.retriever is not None and fault_settings.store_dir.is_dir()
    c = serve(fault_settings, built)
    assert_full(c.post("/api/chat", json={"message": QUESTION}))
    assert c.get("/api/health").json()["status"] == "ok"


def test_when_sqlite_file_holds_garbage_then_moved_aside_and_rebuilt(fault_settings, services, serve):
    build(fault_settings, services)
    sqlite = fault_settings.store_dir / "chroma.sqlite3"
    with sqlite.open("r+b") as f:
        f.write(os.urandom(8192))
    built = build(fault_settings, services)
    assert built.retriever is not None
    assert list(fault_settings.store_dir.parent.glob("store.kapot-*")), "the corrupt store is kept aside, not deleted"
    assert_full(serve(fault_settings, built).post("/api/chat", json={"message": QUESTION}))


def test_when_a_file_stands_where_the_store_folder_should_be_then_rebuilt(fault_settings, services, serve):
    fault_settings.store_dir.write_bytes(b"dit is geen map")
    built = build(fault_settings, services)
    assert built.retriever is not None and fault_settings.store_dir.is_dir()
    assert_full(serve(fault_settings, built).post("/api/chat", json={"message": QUESTION}))


def test_when_store_can_be_neither_opened_nor_rebuilt_then_degraded_not_down(fault_settings, services, serve,
                                                                             monkeypatch):
    fault_settings.store_dir.mkdir()
    (fault_settings.store_dir / "chroma.sqlite3").write_bytes(os.urandom(8192))

    def read_only(self, target):
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(Path, "rename", read_only)
    built = build(fault_settings, services)
    monkeypatch.undo()
    assert built.retriever is None
    c = serve(fault_settings, built)
    assert_degraded(c.post("/api/chat", json={"message": QUESTION}))
    r = c.post("/api/chat", json={"message": "hij staat nu voor de deur met een mes"})
    assert_degraded(r)
    assert r.json()["escalation"]["level"] == "acute" and r.json()["escalation"]["actions"][0]["number"] == "112"
    assert_503_with_helplines(c.get("/api/health"))


def test_when_embedding_model_cannot_load_then_config_error_naming_it(fault_settings, services):
    bad = fault_settings.model_copy(update={"embedder": "sentence-transformers", "st_model_path": "/bestaat/niet"})
    with pytest.raises(ConfigError, match="sentence-transformers"):
        build_services(bad)


def test_when_serve_cannot_load_the_model_then_exit_2_with_a_message(fault_settings, monkeypatch):
    from typer.testing import CliRunner

    from wegwijzer.cli import app
    from wegwijzer.config import get_settings

    monkeypatch.setattr("wegwijzer.logging_setup.configure", lambda: None)  # keep the suite's logging as it is
    monkeypatch.setenv("WEGWIJZER_EMBEDDER", "sentence-transformers")
    monkeypatch.setenv("WEGWIJZER_ST_MODEL_PATH", "/bestaat/niet")
    monkeypatch.setenv("WEGWIJZER_STORE_DIR", str(fault_settings.store_dir))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["serve", "--port", "9"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# ---- request time ---------------------------------------------------------------------------------------------------

@pytest.fixture
def live(fault_settings, services, serve) -> Iterator[tuple]:
    built = build(fault_settings, services)
    yield built, serve(fault_settings, built)


def test_when_store_is_deleted_while_serving_then_answers_stay_full(live, fault_settings):
    _, c = live
    shutil.rmtree(fault_settings.store_dir)
    assert_full(c.post("/api/chat", json={"message": QUESTION}))
    assert c.get("/api/health").status_code == 200


def test_when_store_file_is_corrupted_while_serving_then_answers_stay_full(live, fault_settings):
    _, c = live
    with (fault_settings.store_dir / "chroma.sqlite3").open("r+b") as f:
        f.write(os.urandom(8192))
    assert_full(c.post("/api/chat", json={"message": QUESTION}))


def test_when_ranking_raises_at_request_time_then_degraded_with_full_escalation(live):
    built, c = live
    built.retriever.index = Raising(OSError("disk gone"))
    assert_degraded(c.post("/api/chat", json={"message": QUESTION}))


def test_when_embedding_model_raises_at_request_time_then_degraded_with_full_escalation(live):
    built, c = live
    built.retriever.embedder = Raising(RuntimeError("model kapot"))
    r = c.post("/api/chat", json={"message": "hij heeft me gisteren gewurgd"})
    assert_degraded(r)
    assert r.json()["escalation"]["level"] in ("urgent", "acute")


def test_when_presidio_analyzer_raises_then_503_with_helplines_and_no_text_echoed(live):
    built, c = live
    built.pipeline.redactor.analyzer = Raising(ValueError("Zwaluwstaart9131"))
    r = c.post("/api/chat", json={"message": "Ik ben Zwaluwstaart9131 en hij slaat me"})
    assert_503_with_helplines(r, secret="Zwaluwstaart9131")
