"""The store in server mode, against a real `chroma run` on loopback started by the fixture (temporary --path).

The way to fill a Chroma server is `wegwijzer ingest` with WEGWIJZER_CHROMA_HOST/PORT set (one writer; any number
of API replicas read it). `serve` against a server without the collection refuses to start and says what to run.
Uses a small copy of knowledge/ so the ingest stays quick.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest

from tests.processes import stop
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from wegwijzer.api.app import create_app
from wegwijzer.backends.store import ChromaIndex, MatrixIndex
from wegwijzer.cli import app as cli
from wegwijzer.config import ROOT, Settings, get_settings
from wegwijzer.errors import ConfigError
from wegwijzer.services import build_services, open_index

pytestmark = pytest.mark.integration
CHROMA = Path(sys.executable).with_name("chroma")
SAMPLE = ["huisverbod", "opvang", "melden"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """`chroma run` on 127.0.0.1 and a free port; its start is bounded (90 s), and it is stopped afterwards."""
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "NO_COLOR": "1"}
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert proc.poll() is None, "chroma run exited at start-up"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            pytest.fail("chroma run did not answer within 90 s")
        yield port
    finally:
        stop(proc, timeout=15)


@pytest.fixture(scope="module")
def small_knowledge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("knowledge-server")
    for topic in SAMPLE:
        (root / topic).mkdir()
        for f in sorted((ROOT / "knowledge" / topic).glob("*.md"))[:2]:
            shutil.copy(f, root / topic / f.name)
    return root


@pytest.fixture(scope="module")
def remote(settings: Settings, chroma_server: int, small_knowledge: Path) -> Settings:
    return settings.model_copy(update={"chroma_host": "127.0.0.1", "chroma_port": chroma_server,
                                       "knowledge_dir": small_knowledge, "collection": "wegwijzer-test"})


def cli_env(monkeypatch: pytest.MonkeyPatch, s: Settings) -> None:
    monkeypatch.setenv("WEGWIJZER_CHROMA_HOST", str(s.chroma_host))
    monkeypatch.setenv("WEGWIJZER_CHROMA_PORT", str(s.chroma_port))
    monkeypatch.setenv("WEGWIJZER_KNOWLEDGE_DIR", str(s.knowledge_dir))
    monkeypatch.setenv("WEGWIJZER_COLLECTION", s.collection)
    monkeypatch.setenv("WEGWIJZER_EMBEDDER", s.embedder)
    get_settings.cache_clear()


def test_1_when_server_has_no_collection_then_serve_refuses_with_what_to_run(remote, services, monkeypatch):
    with pytest.raises(ConfigError, match="wegwijzer ingest"):
        build_services(remote, embedder=services.embedder)
    cli_env(monkeypatch, remote)
    monkeypatch.setattr("wegwijzer.logging_setup.configure", lambda: None)  # keep the suite's logging as it is
    try:
        result = CliRunner().invoke(cli, ["serve", "--port", "9"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "wegwijzer ingest" in " ".join(result.output.split()) and "Traceback" not in result.output


def test_2_ingest_fills_the_server(remote, monkeypatch):
    cli_env(monkeypatch, remote)
    try:
        result = CliRunner().invoke(cli, ["ingest"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    info = open_index(remote).info()
    assert info is not None and info.count > 0 and info.embedder == remote.embedder


def test_3_retriever_queries_the_server(remote, services):
    index = open_index(remote)
    assert isinstance(index, ChromaIndex)
    vec = services.embedder.embed_queries(["mag hij terugkomen na een huisverbod?"])[0]
    hits = index.query(np.asarray(vec), 5)  # a real HttpClient query
    assert hits and all(isinstance(cid, str) for cid, _ in hits)
    built = build_services(remote, embedder=services.embedder)
    assert isinstance(built.retriever.index, MatrixIndex)  # vectors copied from the server at start-up
    found = built.retriever.search("mijn man heeft een huisverbod, mag hij terugkomen?")
    assert found.chunks and found.chunks[0].topic == "huisverbod"
    assert [c for c, _ in hits][:1] == [c for c, _ in built.retriever.index.query(np.asarray(vec), 5)][:1]


def test_4_a_chat_turn_through_the_app_on_the_server_store(remote, services):
    built = build_services(remote, embedder=services.embedder, clock=services.pipeline.escalator.clock)
    with TestClient(create_app(remote, services=built), raise_server_exceptions=False) as c:
        assert c.get("/api/health").json()["status"] == "ok"
        r = c.post("/api/chat", json={"message": "Waar kan ik heen als ik weg moet van huis? Is er opvang?"})
    assert r.status_code == 200
    body = r.json()
    assert body["sources"] and body["sources"][0]["topic"] in SAMPLE
    assert "0800-2000" in body["answer"]


def test_when_no_server_listens_then_a_clear_config_error(settings, services):
    nobody = settings.model_copy(update={"chroma_host": "127.0.0.1", "chroma_port": free_port()})
    with pytest.raises(ConfigError, match="niet bereikbaar|geen"):  # HttpClient may connect at once or at first use
        build_services(nobody, embedder=services.embedder)
