# One task file. `make` (the default) runs lint, type checks and tests.
# Every target sets up .venv itself from the pinned, hash-checked lock; nothing is fetched at run time.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000
HOST   ?= 127.0.0.1

.DEFAULT_GOAL := check
.PHONY: check setup run test test-fast lint typecheck format bench eval clean

check: lint typecheck test

$(STAMP): requirements/dev.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "entente needs Python 3.11 or newer (found %s); set PYTHON=python3.11" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=23.2"
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

setup: $(STAMP)

# Ingest the sample articles into the default embedded store, then serve the endpoint.
run: $(STAMP)
	$(BIN)/entente ingest examples/articles || [ $$? -eq 1 ]
	$(BIN)/entente stats
	$(BIN)/entente serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not model and not server and not slow"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check errors ingest service ontology shapes tests bench

# mypy cannot follow setuptools' editable import hook for the entente.* mapping, so it checks a
# link tree that mirrors the installed layout (build/typecheck/entente/{ingest,service,...}).
typecheck: $(STAMP)
	@rm -rf build/typecheck && mkdir -p build/typecheck/entente
	@for d in errors ontology ingest service; do cp -rs "$(CURDIR)/$$d" build/typecheck/entente/$$d; done
	cd build/typecheck && $(CURDIR)/$(BIN)/mypy --config-file $(CURDIR)/pyproject.toml --namespace-packages --explicit-package-bases entente

format: $(STAMP)
	$(BIN)/ruff format errors ingest service ontology shapes tests bench
	$(BIN)/ruff check --fix .

eval: $(STAMP)
	$(BIN)/entente eval examples/articles examples/gold

bench: $(STAMP)
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
