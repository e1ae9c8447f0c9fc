# The README's commands. Each sets up .venv on first use (and again when the dependencies change).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: run test ui bench profile eval lint clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,s3]'
	# a second DuckDB, with its httpfs extension from PyPI, for the test that reads served snapshots over HTTP
	$(BIN)/python -m pip install --quiet --no-deps --target $(VENV)/duckdb-http-client \
		"duckdb==1.5.5" "duckdb-extension-httpfs==1.5.5"
	touch $@

run: $(STAMP)
	mkdir -p $(DAGSTER_HOME)
	$(BIN)/tally run

test: $(STAMP)
	mkdir -p $(DAGSTER_HOME)
	$(BIN)/python -m pytest

ui: $(STAMP)
	mkdir -p $(DAGSTER_HOME)
	$(BIN)/tally ui

# The benchmark (bench/README.md): N articles (default 100000); `make bench N=20000` for a quick run.
N ?= 100000
bench: $(STAMP)
	$(BIN)/python bench/run.py --n $(N)

# Where the rule engine's time goes: pyinstrument over 1,000 benchmark articles (bench/profile_extractor.py).
profile: $(STAMP)
	$(BIN)/python bench/profile_extractor.py --html bench/out/extractor-profile.html

eval: $(STAMP)
	$(BIN)/python bench/eval.py --gold ../shared/eval/dev/gold.jsonl ../shared/eval/dev/articles.jsonl \
		--acled ../shared/eval/acled/ukraine.jsonl ../shared/eval/acled/africa2016.jsonl

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf data/warehouse data/snapshots data/tally.duckdb $(DAGSTER_HOME)
