# AG-Bot: `make run` starts the bot, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/agbot run $(if $(wildcard config.toml),--config config.toml)

# The independent Matrix client of the tests (matrix-js-sdk, pinned by the lock file).
# Installed into build/matrix_js, outside tests/, by the same function the tests call.
JS_STAMP := build/matrix_js/node_modules/.package-lock.json

$(JS_STAMP): tests/matrix_js/package-lock.json | $(STAMP)
	$(BIN)/python -c "from tests.matrix_js_client import ensure_installed; ensure_installed()"

test: $(STAMP) $(JS_STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Re-extract user-facing texts and merge them into the German catalog; then translate the new entries.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k t -k tn:1,2 -k N_ -k reply -k refuse --no-location \
		--omit-header -w 100 -o core/locale/agbot.pot bot core documents handlers reminders
	$(BIN)/pybabel update -i core/locale/agbot.pot -d core/locale -D agbot -l de -w 100 --no-fuzzy-matching --ignore-obsolete

bench: $(STAMP)
	$(BIN)/python -m bench.command_latency $(if $(AGBOT_TEST_POSTGRES_URL),--postgres $(AGBOT_TEST_POSTGRES_URL))

clean:
	rm -rf $(VENV) build/matrix_js .pytest_cache .mypy_cache .ruff_cache .hypothesis
