"""One settings object: every field documented, unsafe values refused outside development."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from wegwijzer.config import Settings, get_settings


def test_every_setting_is_documented():
    missing = [name for name, f in Settings.model_fields.items() if not (f.description and len(f.description) > 10)]
    assert missing == []


def test_when_production_trainer_without_token_then_refused():
    with pytest.raises(ValidationError, match="trainer_token"):
        Settings(env="production", trainer_enabled=True)


def test_when_environment_sets_a_value_then_settings_follow(monkeypatch):
    monkeypatch.setenv("WEGWIJZER_TOP_K", "2")
    get_settings.cache_clear()
    try:
        assert get_settings().top_k == 2
    finally:
        get_settings.cache_clear()
