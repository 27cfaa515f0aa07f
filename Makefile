VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv test faults browser-test lint run migrate openapi client clean

venv: $(STAMP)

# Re-install only when the package metadata changed.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet -e '.[dev,embedded]'
	touch $(STAMP)

lint: venv
	$(VENV)/bin/ruff check app tests examples clients/generate.py
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy --strict app

test: lint
	$(VENV)/bin/pytest -q --cov=app/engine --cov-branch --cov-report=term

# Only the fault tests (tests/faults/: kill -9, database stop, retry storm, restore drill); make test runs them too.
faults: venv
	$(VENV)/bin/pytest -q -m faults tests/faults

# The browser tests (tests/browser/, not part of make test): Playwright drives Debian's Chromium,
# installed here when missing, with a Chinese font for the screenshots (never
# `playwright install`: it would download a browser from the internet).
# Screenshots and the printed slip go to artifacts/screenshots/.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

browser-test: venv
	{ test -x $(CHROMIUM) && fc-list :lang=zh | grep -q .; } || { $(SUDO) apt-get update -q && \
		$(SUDO) apt-get install -y --no-install-recommends chromium fonts-wqy-zenhei; }
	$(VENV)/bin/pytest -q tests/browser

run: venv
	$(VENV)/bin/onestop serve --demo

migrate: venv
	$(VENV)/bin/onestop migrate

openapi: venv
	$(VENV)/bin/onestop openapi > openapi/openapi.json.tmp
	mv openapi/openapi.json.tmp openapi/openapi.json

# The Python client in clients/python/, generated from the committed OpenAPI document.
client: openapi
	PATH="$(abspath $(VENV))/bin:$$PATH" $(PY) clients/generate.py

clean:
	rm -rf .pytest_cache .ruff_cache .import_linter_cache .coverage .hypothesis *.egg-info
