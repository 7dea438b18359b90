"""Nothing a visitor writes is stored: no file is written at request time, no user text reaches any log."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import pytest

from wegwijzer.config import ROOT

pytestmark = pytest.mark.integration
CANARY = "Zwaluwstaart9131"


def files_newer_than(roots: list[Path], moment: float) -> list[Path]:
    found = []
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in (".git", ".venv", "node_modules", "__pycache__", ".pytest_cache")]
            for f in filenames:
                p = Path(dirpath) / f
                try:
                    if p.stat().st_mtime > moment:
                        found.append(p)
                except OSError:
                    pass
    return found


def test_when_chatting_then_no_file_is_written_and_no_text_logged(client, settings, caplog):
    client.get("/api/health")
    time.sleep(0.05)
    start = time.time()
    caplog.set_level(logging.DEBUG)
    msgs = [f"Ik ben {CANARY} en mijn man slaat me", f"mail {CANARY.lower()}@voorbeeld.nl, hij staat nu voor de deur"]
    for m in msgs:
        assert client.post("/api/chat", json={"message": m, "history": [{"role": "user", "content": m}]}).status_code == 200
    client.post("/api/chat", json={"message": CANARY * 1000})
    # Nothing new in the store; and no file written anywhere in the checkout holds the visitor's words (other
    # processes, such as an eval beside the suite, may write reports: the canary is what must never appear).
    assert [p for p in files_newer_than([settings.store_dir], start)] == []
    leaked = [p for p in files_newer_than([ROOT], start) if p.suffix != ".pyc" and CANARY.lower().encode() in p.read_bytes().lower()]
    assert leaked == []
    assert CANARY.lower() not in caplog.text.lower()


def test_when_answering_then_no_cookie_and_no_store(client):
    r = client.post("/api/chat", json={"message": "wat is dwingende controle?"})
    assert "set-cookie" not in r.headers and r.headers["cache-control"] == "no-store"
