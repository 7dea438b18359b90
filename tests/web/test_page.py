"""The chat page in a real browser: the real server in a subprocess, Debian's headless Chromium driven by
`tests/browser/page.test.mjs` (npm playwright-core + axe-core). What the script checks: tests/browser/README.md.

Skipped only when Node.js is missing; a missing Chromium or missing npm packages fail (run `make browser-deps`).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import stop

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
BROWSER_DIR = ROOT / "tests" / "browser"
SCRIPT = BROWSER_DIR / "page.test.mjs"
CHROMIUM = Path(os.environ.get("WEGWIJZER_CHROMIUM", "/usr/bin/chromium"))
START_TIMEOUT_S = 180.0  # a fresh clone builds the vector store before serving (~45 s on the 2-core machine)
RUN_TIMEOUT_S = 150.0
OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wegwijzer_command() -> Path:
    for candidate in (Path(sys.executable).with_name("wegwijzer"), ROOT / ".venv" / "bin" / "wegwijzer"):
        if candidate.exists():
            return candidate
    pytest.fail("the `wegwijzer` command is not installed: run `make install`")


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/health", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def node() -> str:
    """Node.js and the browser tools, checked before the server starts."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed; the browser tests need `node` (apt-get install nodejs npm)")
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make browser-deps` (apt-get install chromium)")
    if not (BROWSER_DIR / "node_modules" / "playwright-core").is_dir():
        pytest.fail("tests/browser/node_modules is missing: run `make browser-deps` (npm ci in tests/browser)")
    return node


@pytest.fixture(scope="module")
def server_url(node: str) -> Iterator[str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile(mode="w+") as out:
        proc = subprocess.Popen(
            [str(_wegwijzer_command()), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env={**os.environ, **OFFLINE}, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while not _healthy(url):
                if proc.poll() is not None or time.monotonic() > deadline:
                    out.seek(0)
                    pytest.fail(f"the server did not become healthy on {url}:\n{out.read()[-4000:]}")
                time.sleep(0.3)
            yield url
        finally:
            stop(proc, timeout=10)


def test_when_the_page_is_driven_in_chromium_then_every_browser_check_passes(node: str, server_url: str) -> None:
    run = subprocess.run([node, str(SCRIPT), server_url], cwd=ROOT, capture_output=True, text=True,
                         timeout=RUN_TIMEOUT_S, stdin=subprocess.DEVNULL)
    print(run.stdout, run.stderr, sep="\n")
    assert run.returncode == 0, f"browser tests failed (exit {run.returncode}):\n{run.stdout}\n{run.stderr}"
