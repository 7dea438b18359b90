"""Internal failures never cost the visitor the helplines: a degraded 200 with full escalation, or a 503 whose body
names 112 and 0800-2000. Never a bare 500, never a stack trace."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from wegwijzer.api.app import create_app
from wegwijzer.services import Services

pytestmark = pytest.mark.integration


class Broken:
    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    def run(self, *args, **kwargs):
        raise self.exc


def app_with(settings, services: Services, **stages):
    pipeline = services.pipeline
    swapped = {name: getattr(pipeline, name) for name in stages}
    for name, stage in stages.items():
        setattr(pipeline, name, stage)
    return swapped


@pytest.fixture
def restore(services):
    saved = {k: getattr(services.pipeline, k) for k in ("redactor", "assessor", "retriever", "composer")}
    yield services
    for k, v in saved.items():
        setattr(services.pipeline, k, v)


def test_when_retrieval_fails_then_degraded_answer_keeps_escalation(client, restore):
    restore.pipeline.retriever = Broken(RuntimeError("store gone"))
    r = client.post("/api/chat", json={"message": "hij slaat me nu, help"})
    assert r.status_code == 200
    body = r.json()
    assert body["escalation"]["level"] == "acute" and body["escalation"]["actions"][0]["number"] == "112"
    assert "112" in body["answer"] and "0800-2000" in body["answer"] and body["sources"] == []


@pytest.mark.parametrize("stage", ["redactor", "assessor", "composer"])
def test_when_a_stage_raises_then_503_naming_both_helplines(client, restore, stage):
    setattr(restore.pipeline, stage, Broken(ValueError("geheim-detail-123")))
    r = client.post("/api/chat", json={"message": "hoi"})
    assert r.status_code == 503
    text = r.text
    assert "112" in text and "0800-2000" in text and "geheim-detail-123" not in text and "Traceback" not in text


def test_when_a_turn_is_too_slow_then_503_with_helplines_not_a_hang(settings, services):
    slow_settings = settings.model_copy(update={"request_deadline_s": 0.2})

    class Slow:
        def run(self, *args):
            time.sleep(3.0)
            raise RuntimeError

    saved = services.pipeline.redactor
    services.pipeline.redactor = Slow()
    try:
        with TestClient(create_app(slow_settings, services=services), raise_server_exceptions=False) as c:
            start = time.perf_counter()
            r = c.post("/api/chat", json={"message": "hoi"})
            assert time.perf_counter() - start < 2.5
    finally:
        time.sleep(3.0)
        services.pipeline.redactor = saved
    assert r.status_code == 503 and "0800-2000" in r.text and "112" in r.text


def test_when_too_many_turns_at_once_then_fast_503(settings, services):
    app = create_app(settings.model_copy(update={"max_concurrent": 1}), services=services)
    with TestClient(app, raise_server_exceptions=False) as c:
        app.state.gate.active = 1  # one turn already in progress
        r = c.post("/api/chat", json={"message": "hoi"})
        app.state.gate.active = 0
    assert r.status_code == 503 and r.json()["error"]["code"] == "te_druk" and "112" in r.text


def test_when_store_is_not_loaded_then_503_with_helplines(settings):
    app = create_app(settings, services=None, builder=lambda s: None)  # type: ignore[arg-type,return-value]
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/api/chat", json={"message": "hoi"})
    assert r.status_code == 503 and "0800-2000" in r.text
