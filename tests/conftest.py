"""Shared fixtures. Integration fixtures build the real stack once per session (real models, real Chroma in a
temporary folder, real Presidio) on the real knowledge/; unit tests use the small pieces directly."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# A fixed clock for the whole suite: Wednesday 25 November 2026, 10:00 in Amsterdam (the chat is open).
WEDNESDAY_10 = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory):
    from wegwijzer.config import Settings

    return Settings(store_dir=tmp_path_factory.mktemp("store"), env="test")


@pytest.fixture(scope="session")
def services(settings):
    from wegwijzer.services import build_services

    return build_services(settings, clock=lambda: WEDNESDAY_10)


@pytest.fixture(scope="session")
def client(settings, services) -> Iterator:
    from fastapi.testclient import TestClient

    from wegwijzer.api.app import create_app

    with TestClient(create_app(settings, services=services), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="session")
def analyzer(tmp_path_factory: pytest.TempPathFactory):
    from wegwijzer.privacy.analyzer import build_analyzer

    return build_analyzer(Path(tmp_path_factory.mktemp("spacy")) / "nl")
