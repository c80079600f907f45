# The two commands of the README: `make run` and `make test`. Both set up everything
# they need on a fresh machine: a virtual environment with the pinned dependencies
# (Spark, spaCy and its English model, DuckDB, and a JDK from PyPI when the machine has none).
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install run test lint bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

## The main job on the bundled sample corpus; prints the estimates.
run: $(STAMP)
	$(BIN)/singletons run data/sample/corpus.jsonl --out runs/sample --overwrite

## The whole test suite (lint included), as CI runs it.
test: $(STAMP)
	$(BIN)/ruff check pipeline jobs tests bench data
	$(BIN)/pytest

clean:
	rm -rf runs .pytest_cache
