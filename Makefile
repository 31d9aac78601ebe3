# silkmap — every target works on a fresh clone (Debian, Python >= 3.11).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
STAMP  := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test

.PHONY: run test bench bundle geo facts install-desktop clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "silkmap needs Python 3.11 or newer (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install --upgrade pip
	$(PIP) install -e .
	@touch $@

$(TESTSTAMP): pyproject.toml $(STAMP)
	$(PIP) install -e '.[test]'
	@touch $@

run: $(STAMP)
	$(VENV)/bin/silkmap

test: $(TESTSTAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: $(TESTSTAMP)
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/run.py $(BENCH_ARGS)

geo: $(STAMP)
	$(PY) tools/build_geo.py

facts: $(STAMP)
	$(PY) tools/check_facts.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
