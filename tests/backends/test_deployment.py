"""The Dockerfile and compose.yaml cannot be run here (no container engine on this machine): these checks pin the
lines that matter, so a change that would break the image or the two-replica set-up shows up in the suite."""

from __future__ import annotations

import re

import yaml

from wegwijzer.config import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE)  # join continued lines
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_dockerfile_base_user_torch_first_store_healthcheck_offline():
    ins = instructions()
    assert ins[0] == ("FROM", "python:3.11-slim")
    runs = [rest for word, rest in ins if word == "RUN"]
    torch = next(i for i, r in enumerate(runs) if "torch==2.13.0" in r)
    project = next(i for i, r in enumerate(runs) if re.search(r"pip install (-e )?\.(\s|$)", r))
    assert torch < project and "download.pytorch.org/whl/cpu" in runs[torch]
    assert any("wegwijzer ingest" in r for r in runs[project:]), "the store is built at image build time"
    users = [rest for word, rest in ins if word == "USER"]
    assert users and users[-1] not in ("root", "0")
    health = next(rest for word, rest in ins if word == "HEALTHCHECK")
    assert "/api/health" in health
    env = " ".join(rest for word, rest in ins if word == "ENV")
    assert "HF_HUB_OFFLINE=1" in env and "TRANSFORMERS_OFFLINE=1" in env
    cmd = next(rest for word, rest in reversed(ins) if word == "CMD")
    assert '"wegwijzer", "serve"' in cmd and '"0.0.0.0"' in cmd


def test_compose_two_api_replicas_one_chroma_and_a_one_shot_ingest():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) >= {"api", "chroma", "ingest"}
    api, chroma, ingest = services["api"], services["chroma"], services["ingest"]
    assert api["deploy"]["replicas"] == 2
    assert api["environment"]["WEGWIJZER_CHROMA_HOST"] == "chroma"
    assert str(api["environment"]["WEGWIJZER_CHROMA_PORT"]) == "8000"
    assert "run" in chroma["command"] and "--path" in chroma["command"]
    assert ingest["command"][-1] == "ingest" and ingest["restart"] == "no"
    assert ingest["environment"]["WEGWIJZER_CHROMA_HOST"] == "chroma"
    assert api["depends_on"]["ingest"]["condition"] == "service_completed_successfully"
    assert ingest["depends_on"]["chroma"]["condition"] == "service_healthy"


def test_dockerignore_keeps_local_state_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", ".store", ".git", ".env"} <= set(ignored)
