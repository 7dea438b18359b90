"""Trainer fixtures: an app with the trainer page switched on and a token, on the session's real services, with
the verdicts in a temporary SQLite file."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

TOKEN = "trainer-token-for-tests-0123"


@pytest.fixture
def trainer_settings(settings, tmp_path):
    return settings.model_copy(update={"trainer_enabled": True, "trainer_token": TOKEN,
                                       "verdicts_db": tmp_path / "verdicts.sqlite"})


@pytest.fixture
def trainer_client(trainer_settings, services) -> Iterator:
    from fastapi.testclient import TestClient

    from wegwijzer.api.app import create_app

    with TestClient(create_app(trainer_settings, services=services), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def auth() -> dict[str, str]:
    return {"X-Trainer-Token": TOKEN}
