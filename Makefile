# The two commands of the README: `make run` and `make test`. Both set up everything
# they need on a fresh machine: a virtual environment with the dependencies at the exact
# versions of constraints.txt (Spark, spaCy and its English model, DuckDB, and a JDK from
# PyPI when the machine has none). pyproject.toml states ranges; constraints.txt the pins.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
# Everything that starts Spark waits for this lock (a shared machine runs one at a time).
FLOCK  := $(shell command -v flock >/dev/null && echo flock /tmp/spark.lock)

.PHONY: install run test test-fast lint bench lock clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[spark,test]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

## The main job on the bundled sample corpus; prints the estimates.
run: $(STAMP)
	$(BIN)/singletons run data/sample/corpus.jsonl --out runs/sample --overwrite

## The whole test suite (lint included), as CI runs it.
test: $(STAMP) lint
	$(BIN)/pytest

## The edit-test loop: every test that starts no Spark (under 2 minutes).
test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not spark and not slow and not cluster"

lint: $(STAMP)
	$(BIN)/ruff check pipeline jobs tests bench data

## The throughput benchmark (bench/harness.py, default sizes): figures in bench/out/.
bench: $(STAMP)
	$(FLOCK) $(BIN)/python bench/harness.py

## Re-pin constraints.txt: the newest versions pyproject.toml's ranges allow, resolved by
## pip from the configured index (nothing is installed). Commit the result after `make test`.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet --dry-run --ignore-installed --report $(VENV)/lock.json '.[spark,test]'
	$(BIN)/python -c 'import json, sys; r = json.load(open(sys.argv[1])); \
	pins = sorted(((i["metadata"]["name"], i["metadata"]["version"]) for i in r["install"] if i["metadata"]["name"] != "singleton-rate"), key=lambda p: p[0].lower()); \
	head = "# Exact versions this project is tested with (make installs with pip install -c).\n# Ranges are in pyproject.toml; regenerate with make lock.\n"; \
	open("constraints.txt", "w").write(head + "".join(f"{n}=={v}\n" for n, v in pins))' $(VENV)/lock.json

clean:
	rm -rf runs .pytest_cache
