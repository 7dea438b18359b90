# Wegwijzer: `make run` (install, build the store, serve on http://127.0.0.1:8000) and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1
export RAGAS_DO_NOT_TRACK=true
export ANONYMIZED_TELEMETRY=False

.PHONY: install run test ingest eval bench load browser-deps clean

install: $(STAMP)

# torch first and alone: 2.13.0 is a CPU wheel on this machine's disk; any other version pulls CUDA (shared/DEPS.md).
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check torch==2.13.0
	$(PIP) install -q --disable-pip-version-check -e ".[dev]"
	# DEDUCE builds its lookup cache on first use (~75 s); do it here, never inside a test. Evaluation only (GPL).
	$(PY) -c "from deduce import Deduce; Deduce()" >/dev/null
	touch $(STAMP)

run: install
	$(VENV)/bin/wegwijzer serve --host $(HOST) --port $(PORT)

ingest: install
	$(VENV)/bin/wegwijzer ingest

eval: install
	$(VENV)/bin/wegwijzer eval

bench: install
	$(PY) benchmarks/latency.py

# The load benchmark drives the server with wrk (Debian's package) so the load generator leaves the cores to it.
load: install
	command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(PY) benchmarks/load.py --server-args "--workers 2"

# A real browser for the page tests: Debian's chromium (root installs it), driven by npm's playwright-core.
browser-deps:
	command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	test ! -f tests/browser/package.json || test -d tests/browser/node_modules || (cd tests/browser && npm ci --silent --no-audit --no-fund)

test: install browser-deps
	$(VENV)/bin/pytest

clean:
	rm -rf .store .models var eval/reports
