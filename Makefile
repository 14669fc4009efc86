# Targets read like the README. Everything installs itself from the lock file (uv.lock).
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
RUN := $(UV) run --locked --no-sync
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test lint typecheck unit install browser fixtures bench bench-process clean

## Set-up command one: ingest the bundled 2021 fixture(s) through the Prefect flow into output/
run: install
	$(RUN) python -m flows.ingest fixtures/bytedance_csr_2021.pdf --output output

## Set-up command two: lint, type-check and run the whole test suite
test: install lint typecheck browser
	$(RUN) pytest

## Debian's chromium (and CJK fonts) for the review page's browser test; Playwright drives it
## as installed and never downloads a browser of its own
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
		chromium fonts-noto-cjk >/dev/null; }

install: $(VENV)/.synced

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

## packages are compiled to bytecode by uv (pyproject: compile-bytecode); the project's own
## modules here, so no process compiles them at start-up where .pyc files are never written
$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --locked
	$(RUN) python -m compileall -q src flows
	touch $@

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .

typecheck: install
	$(RUN) mypy

## Re-render the fixture PDFs, golden CSVs and variant renderings from fixtures/source (the seed),
## and the 40-design style-randomised corpus into fixtures/_corpus/ (git-ignored, cached by hash)
fixtures: install
	$(RUN) python fixtures/build.py
	$(RUN) python -m fixtures.golden_build
	$(RUN) python -m fixtures.variants
	$(RUN) python -m fixtures.corpus.build

## Digital fixture: time + TEDS per method; then the 40-design corpus: per-style TEDS of
## csrextract, pdfplumber, Camelot lattice/stream and PyMuPDF find_tables in one run
bench: install
	$(RUN) python -m bench.run
	$(RUN) python -m bench.run --corpus

## Whole processes under /usr/bin/time -v, side by side: --help, the digital fixture against
## Camelot lattice, the Ping An report cold at commit $(BEFORE) and now (bench/results/process.json)
BEFORE ?= a0cfb84
bench-process: install
	$(RUN) python -m bench.process --before $(BEFORE) --repeats 3

clean:
	rm -rf $(VENV) $(TOOLS) output/* .mypy_cache .ruff_cache .pytest_cache
