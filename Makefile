# pilsearch — two commands on a fresh machine:
#   make demo   install, index the sample corpus (corpus/samples/) and serve the search page
#   make test   install and run the test suite
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
BIN    := $(VENV)/bin
DATA   ?= data/demo
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install demo serve test lint typecheck check openapi indexing bench-ingest kb clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	# the CPU wheel first: an unpinned torch would pull a multi-GB CUDA build
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[dev]'
	touch $@

demo: install
	$(BIN)/pilsearch --data-dir $(DATA) ingest corpus/samples/
	$(BIN)/pilsearch --data-dir $(DATA) search "网吧违规接纳未成年人，检察机关如何督促监管？" -k 3
	@echo "serving http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/pilsearch --data-dir $(DATA) serve --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/pilsearch --data-dir $(DATA) serve

# regenerate the API contract api/openapi.json (a test fails when it drifts from the code)
openapi: install
	$(BIN)/pilsearch openapi --write

# regenerate indexing/ (pipeline YAML, collection schema; a test fails when they drift)
indexing: install
	$(BIN)/pilsearch indexing --write

test: install
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check src tests bench

typecheck: install
	$(BIN)/mypy

check: lint typecheck test

# the whole knowledge base: every file of ../shared/data/raw (laws, rules, judicial
# interpretations, guiding cases, laws-data JSON statutes) and the 20 typical-case releases of
# ../shared/data/typical/raw, ingested into $(KB) (idempotent: a re-run skips unchanged files
# and finishes what a crash left half-done)
SHARED ?= ../shared/data
KB     ?= data/kb
kb: install
	$(BIN)/pilsearch --data-dir $(KB) ingest $(SHARED)/raw $(SHARED)/typical/raw
	$(BIN)/pilsearch --data-dir $(KB) status

bench-ingest: install
	$(PY) bench/ingest_throughput.py --out bench/results/ingest_throughput.json

clean:
	rm -rf $(VENV) data/demo .pytest_cache .mypy_cache
