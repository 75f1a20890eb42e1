# The two commands a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA ?= ../shared/data
DB ?= demo.db

.PHONY: demo test install dev train eval clean

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

demo: install
	$(BIN)/newsgraph process examples/pages > demo.jsonl
	$(BIN)/python -m newsgraph.demo demo.jsonl

test: dev
	$(BIN)/python -m pytest -q

train: dev
	$(BIN)/newsgraph train all --data $(DATA)

eval: install
	$(BIN)/newsgraph eval all --data $(DATA)

clean:
	rm -rf $(VENV) demo.db demo.jsonl build *.egg-info
