# silkmap — every target works on a fresh clone (Debian, Python >= 3.11).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
STAMP  := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test

.PHONY: run test bench bundle bundle-smoke geo home-view facts route-coords install-desktop uninstall-desktop clean

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

# Only assets/geo/home-view.bin, after places, routes, projects or dated facts change (tests/test_prebuilt.py says when).
home-view: $(STAMP)
	$(PY) tools/build_geo.py --home-view-only

facts: $(STAMP)
	$(PY) tools/check_facts.py

# Route waypoints and search alternates with a GeoNames id against the pinned gazetteer (build time only).
route-coords: $(STAMP)
	$(PIP) install -e '.[gazetteer]'
	$(PY) tools/route_coords.py
	$(PY) tools/search_names.py

clean:
	rm -rf $(VENV) build dist .pytest_cache

# ---------------------------------------------------------------------------- bundle
# A PyInstaller onedir bundle in dist/silkmap/ and its tarball, built from a fresh venv with
# pinned tools (packaging/bundle-constraints.txt) and silkmap installed non-editable: the
# bundle holds what a wheel holds, never the checkout's src/. See README, "Bundle".
BUNDLE_VENV := build/bundle-venv
BUNDLE_PY   := $(BUNDLE_VENV)/bin/python
VERSION     := $(shell sed -n 's/^__version__ = "\(.*\)"$$/\1/p' src/silkmap/__init__.py)
BUNDLE_TGZ  := dist/silkmap-$(VERSION)-linux-$(shell uname -m).tar.gz
# Fixed timestamps in the tarball: the last commit's time.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 315532800)

bundle:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "silkmap needs Python 3.11 or newer (found " + sys.version.split()[0] + ")")'
	rm -rf $(BUNDLE_VENV) build/pyinstaller dist/silkmap dist/silkmap-*-linux-*.tar.gz
	$(PYTHON) -m venv $(BUNDLE_VENV)
	$(BUNDLE_PY) -m pip --disable-pip-version-check -q install -c packaging/bundle-constraints.txt '.[bundle]'
	PYTHONHASHSEED=0 SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(BUNDLE_VENV)/bin/pyinstaller --noconfirm --clean \
	  --log-level WARN --distpath dist --workpath build/pyinstaller packaging/silkmap.spec
	tar --sort=name --owner=0 --group=0 --numeric-owner --mode=u+rwX,go=rX --mtime=@$(SOURCE_DATE_EPOCH) \
	  -C dist -cf - silkmap | gzip -n > $(BUNDLE_TGZ)
	@du -sh dist/silkmap $(BUNDLE_TGZ)

# Checks an existing bundle: --version, info, a headless export and its PNG, the sizes.
bundle-smoke:
	$(PYTHON) packaging/smoke_test.py --bundle dist/silkmap --tarball $(BUNDLE_TGZ)

# ---------------------------------------------------------------------------- desktop entry
# Per-user (no root): the .desktop file into ~/.local/share/applications, the icons into
# ~/.local/share/icons/hicolor and the AppStream metainfo into ~/.local/share/metainfo. It
# starts the bundle if built, otherwise the venv's silkmap; SILKMAP_EXEC=/path/to/silkmap picks another.
install-desktop:
	@if [ -n "$(SILKMAP_EXEC)" ]; then exe="$(SILKMAP_EXEC)"; \
	elif [ -x dist/silkmap/silkmap ]; then exe="$(abspath dist/silkmap/silkmap)"; \
	else $(MAKE) --no-print-directory $(STAMP) && exe="$(abspath $(VENV))/bin/silkmap"; fi; \
	$(PYTHON) packaging/install_desktop.py --exec "$$exe"

uninstall-desktop:
	$(PYTHON) packaging/install_desktop.py --uninstall

# ---------------------------------------------------------------------------- translations and fonts
# i18n: extract the messages of src/silkmap into src/silkmap/i18n/silkmap.pot and merge them into
# the .po catalogs (standard library only). fonts: rebuild the Chinese font subsets in
# src/silkmap/i18n/fonts/ after a translation or a data text adds a character (fontTools, and
# apt-get + dpkg-deb for the pinned fonts-noto-cjk package; FONTS_ARGS="--deb PATH" to skip apt).
.PHONY: i18n fonts
FONTSTAMP := $(VENV)/.installed-fonts

i18n:
	$(PYTHON) tools/i18n.py extract
	$(PYTHON) tools/i18n.py update

$(FONTSTAMP): pyproject.toml $(STAMP)
	$(PIP) install -e '.[fonts]'
	@touch $@

fonts: $(FONTSTAMP)
	$(PY) tools/build_fonts.py $(FONTS_ARGS)
