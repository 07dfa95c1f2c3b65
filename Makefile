# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LINT_STAMP := $(VENV)/.installed-lint

.PHONY: run test install lint format bench catalogues messages demo clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Serve the demo at http://127.0.0.1:8000 (migrates and loads the demo data first)
run: install
	$(BIN)/reciprocite serve --demo --host 127.0.0.1 --port 8000

## The whole test suite (DATABASE_URL selects PostgreSQL; SQLite otherwise), in parallel:
## one pytest-xdist worker per core, each with its own database and data folder.
## PYTEST_WORKERS=2 sets the number of workers; PYTEST_WORKERS=0 runs it serially.
## --dist load hands out tests in pytest-django's order (database tests before the
## transactional ones, whose flush empties the tables the migrations seed), so each worker
## keeps that order; per file (loadfile), a flush runs before another file's database tests.
PYTEST_WORKERS ?= auto
test: install
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist load

$(LINT_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test,lint]'
	touch $(LINT_STAMP)

## Style (ruff), the layers between apps (import-linter) and types (mypy); see docs/architecture.md
lint: $(LINT_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports --no-logo
	$(BIN)/mypy

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

## Benchmarks: figures printed beside a baseline measured in the same run
bench: install
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test,bench]'
	$(BIN)/python bench/registry.py
	$(BIN)/python bench/surveys.py
	$(BIN)/python bench/knowledge.py
	$(BIN)/python bench/matching.py
	$(BIN)/python bench/panorama.py
	$(BIN)/python bench/coordination.py

## Gather the interface's strings into the .po files (no source locations: merges stay
## clean), then recompile; fill the French msgstr of every new entry before committing
catalogues: install
	cd src/reciprocite && ../../$(BIN)/django-admin makemessages -l fr -l en -l ar -l ru --no-location --settings=reciprocite.config.settings
	$(MAKE) messages

## Recompile the translation catalogues after editing the .po files
messages: install
	cd src/reciprocite && ../../$(BIN)/django-admin compilemessages --settings=reciprocite.config.settings

demo: install
	$(BIN)/reciprocite demo

clean:
	rm -rf $(VENV) var .pytest_cache
