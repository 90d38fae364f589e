# trivsel: `make demo` runs the demo on SQLite; `make test` runs every test (SQLite and PostgreSQL).
PYTHON ?= python3
VENV   ?= .venv
HTMX_VERSION := 2.0.11
HTMX   := templates/static/vendor/htmx.min.js
AXE_VERSION := 4.14.1
AXE    := build/axe/axe.min.js
BIN    := $(VENV)/bin

.PHONY: demo test test-fast install install-test benchmarks clean

demo: install
	$(BIN)/trivsel demo

test: install-test
	$(BIN)/python -m pytest -q

# The inner loop: unit tests and the SQLite half of the integration tests; no browser, no PostgreSQL.
test-fast: install-test
	$(BIN)/python -m pytest -q -m "not browser and not postgres" tests/unit tests/integration

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml $(HTMX) | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed $(AXE)
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

# axe-core (accessibility checks in the browser tests), also from the npm registry.
$(AXE):
	mkdir -p build/axe
	cd build/axe && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null && tar -xzf axe-core-$(AXE_VERSION).tgz package/axe.min.js
	mv build/axe/package/axe.min.js $@

# htmx comes from the npm registry (checked against the committed hash), never from a CDN.
$(HTMX): templates/static/vendor.sha256
	mkdir -p build/npm templates/static/vendor
	cd build/npm && npm pack --silent htmx.org@$(HTMX_VERSION) >/dev/null
	tar -xzf build/npm/htmx.org-$(HTMX_VERSION).tgz -C build/npm package/dist/htmx.min.js
	cp build/npm/package/dist/htmx.min.js $@
	cd templates/static && sha256sum -c vendor.sha256

benchmarks: install-test
	$(BIN)/python -m pip install -q -e '.[benchmark]'
	$(BIN)/python -m benchmarks

clean:
	rm -rf build $(VENV) templates/static/vendor
