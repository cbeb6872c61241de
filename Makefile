# Mizan: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PYTEST_ARGS ?=

# For every process started from here: one OpenMP thread per Tesseract (it is
# much faster on small machines), no model downloads, no Playwright browsers.
export OMP_THREAD_LIMIT := 1
export HF_HUB_OFFLINE := 1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: help bootstrap run web worker test lint checks bench clean

help:
	@echo "make run     install what is missing, seed demo data, run web server + worker"
	@echo "make test    install what is missing (with chromium), ruff check, pytest"
	@echo "             (pass pytest options with PYTEST_ARGS='-m \"not slow\"')"
	@echo "make lint    ruff (check, format), mypy, import-linter (layers), deptry (dependencies),"
	@echo "             pip-audit (known vulnerabilities; accepted ones in .pip-audit-ignore)"
	@echo "make web     the web server only;  make worker   a worker only"
	@echo "make bench   run the benchmarks in bench/"
	@echo "make clean   remove .venv and caches (never the data directory)"

bootstrap:
	@bash scripts/bootstrap.sh

run: bootstrap
	@bash scripts/run.sh

web: bootstrap
	@bash scripts/run.sh web

worker: bootstrap
	@bash scripts/run.sh worker

test:
	@bash scripts/bootstrap.sh --with-browser
	@$(MAKE) --no-print-directory checks
	@echo "==> pytest $(PYTEST_ARGS)"
	@status=0; $(VENV)/bin/pytest -q --tb=short $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "!!  pytest collected no tests: that is a failure"; exit 1; fi; \
	exit $$status

lint: bootstrap
	@$(MAKE) --no-print-directory checks
	@echo "==> ruff format --check ."
	@$(VENV)/bin/ruff format --check .
	@echo "==> pip-audit (installed dependencies; accepted findings in .pip-audit-ignore)"
	@$(VENV)/bin/python scripts/audit_dependencies.py

# The structure a machine keeps (docs/architecture.md): style, types, layers, dependencies.
checks:
	@echo "==> ruff check ."
	@$(VENV)/bin/ruff check .
	@echo "==> mypy (product packages, see [tool.mypy])"
	@$(VENV)/bin/mypy
	@echo "==> lint-imports (layer contracts in pyproject.toml)"
	@$(VENV)/bin/lint-imports
	@echo "==> deptry (declared vs imported dependencies)"
	@$(VENV)/bin/deptry .

bench: bootstrap
	@shopt -s nullglob; files=(bench/*.py); \
	if [ $${#files[@]} -eq 0 ]; then echo "==> No benchmarks in bench/"; exit 0; fi; \
	for f in "$${files[@]}"; do echo "==> $(VENV)/bin/python $$f"; $(VENV)/bin/python "$$f" || exit $$?; done

# The data directory (MIZAN_DATA_DIR, default ./var) is never touched here.
clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache .hypothesis
	find . -path ./var -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
