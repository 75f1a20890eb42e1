# The two commands a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA ?= ../shared/data
DB ?= demo.db

.PHONY: demo demo-big test install dev train eval bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

# Ingest the bundled sample pages into an embedded SQLite store, print what
# is in it, then serve the web UI on http://127.0.0.1:8000 (Ctrl-C stops it).
demo: install
	$(BIN)/newsgraph ingest examples/pages --db $(DB)
	$(BIN)/newsgraph stats --db $(DB)
	$(BIN)/newsgraph serve --db $(DB) --open

# The same with the ~1,600 real BSNLP articles, when ../shared/data is present.
demo-big: install
	@test -d $(DATA)/bsnlp-raw || { echo "$(DATA)/bsnlp-raw is absent"; exit 1; }
	$(BIN)/newsgraph ingest examples/pages $(DATA)/bsnlp-raw/*/raw --db big.db
	$(BIN)/newsgraph stats --db big.db
	$(BIN)/newsgraph serve --db big.db --open

test: dev
	$(BIN)/python -m pytest -q

train: dev
	$(BIN)/newsgraph train all --data $(DATA)

eval: install
	$(BIN)/newsgraph eval all --data $(DATA)

# The benchmark suite (about 20 minutes on 2 cores): writes bench/RESULTS.md.
bench: install
	$(BIN)/pip install -q -e '.[bench,dask]'
	$(BIN)/python -m newsgraph.bench --data $(DATA)

clean:
	rm -rf $(VENV) demo.db* big.db* build *.egg-info

# A long fuzz run, kept out of `make test` (which runs the same properties
# with a few examples each): every reader and the cleaner on hostile input,
# FUZZ_EXAMPLES examples per property. Prints the inputs tried and crashes found.
FUZZ_EXAMPLES ?= 1000
.PHONY: fuzz
fuzz: dev
	NEWSGRAPH_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -p no:cacheprovider tests/fuzz

# A bounded load test on loopback: LOAD_REQUESTS requests from LOAD_CONCURRENCY
# connections (sending stops after 60 s) against `newsgraph serve` on the BSNLP
# store, which is built first when absent (several minutes). Prints requests/s,
# p50/p99 latency and errors; fails on any error. See tools/load.py.
LOAD_DB ?= big.db
LOAD_REQUESTS ?= 1500
LOAD_CONCURRENCY ?= 8
.PHONY: load fuzz-api
load: dev
	@test -f $(LOAD_DB) || { test -d $(DATA)/bsnlp-raw || { echo "$(DATA)/bsnlp-raw is absent"; exit 1; }; \
		$(BIN)/newsgraph ingest examples/pages $(DATA)/bsnlp-raw/*/raw --db $(LOAD_DB); }
	$(BIN)/python tools/load.py --db $(LOAD_DB) --requests $(LOAD_REQUESTS) --concurrency $(LOAD_CONCURRENCY) --max-seconds 60

# The API fuzzing of `make test` (schemathesis over /openapi.json) with more examples per operation.
API_FUZZ_EXAMPLES ?= 500
fuzz-api: dev
	NEWSGRAPH_API_FUZZ_EXAMPLES=$(API_FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -p no:cacheprovider -s \
		tests/test_web_security.py -k never_answers_500
