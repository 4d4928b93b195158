# The two commands that do all set-up on a fresh Debian machine (see README.md):
#   make demo   install what salesflow needs, then review the bundled sample and write its SVG,
#               Mermaid, JSON and handbook (HTML and PDF) into out/, and the funnel and conformance
#               reports of the SaaS sample
#   make test   install what the tests need as well, then run the whole test suite
#   make quick  only the unit tests: none that need Graphviz, Chromium, Node or WeasyPrint, and none
#               that run whole commands case after case (markers in pyproject.toml)
#   make rule-catalog  bring the rule documentation's gettext catalog up to date with the docstrings
# Both are safe to re-run: each step is skipped when what it installs is already there.

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out
SAMPLE ?= samples/annotated-ten-stages.flow
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages: Graphviz's dot and a CJK font for the charts; Chromium (handbook PDF and
# browser tests), poppler-utils (pdftotext) and Node.js (the real Mermaid parser) for the tests.
APT_RUN := graphviz fonts-noto-cjk
APT_TEST := chromium poppler-utils

.PHONY: demo test quick setup setup-test system system-test bench clean rule-catalog studio-assets

demo: setup
	@mkdir -p $(OUT)
	@echo "== salesflow lint $(SAMPLE)"
	$(BIN)/salesflow lint $(SAMPLE)
	@echo "== salesflow lint samples/classic-seven-stages.flow (a chart with problems; the review goes to $(OUT)/review.txt)"
	$(BIN)/salesflow lint samples/classic-seven-stages.flow > $(OUT)/review.txt || test $$? -eq 1
	$(BIN)/salesflow render -f svg $(SAMPLE) -o $(OUT)/process.svg
	$(BIN)/salesflow render -f svg --highlight samples/classic-seven-stages.flow -o $(OUT)/review.svg
	$(BIN)/salesflow render -f mermaid $(SAMPLE) -o $(OUT)/process.mmd
	$(BIN)/salesflow render -f json $(SAMPLE) -o $(OUT)/process.json
	$(BIN)/salesflow handbook $(SAMPLE) -o $(OUT)/handbook.html --pdf $(OUT)/handbook.pdf
	@echo "== salesflow analyze / simulate / conform samples/saas-funnel.flow (funnel and conformance reports)"
	$(BIN)/salesflow analyze samples/saas-funnel.flow -f html -o $(OUT)/funnel.html
	$(BIN)/salesflow simulate samples/saas-funnel.flow --cases 5000 --seed 7 -o $(OUT)/history.csv
	$(BIN)/salesflow conform samples/saas-funnel.flow $(OUT)/history.csv -f html -o $(OUT)/conformance.html
	@echo "== results in $(OUT)/"; ls -l $(OUT)

test: setup-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

quick: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q -m "not graphviz and not browser and not node and not pdf and not e2e" $(PYTEST_ARGS)

bench: setup
	$(BIN)/python bench/run.py

# After changing a rule's docstring: re-extract salesflow/locale/rules.pot, merge it into each
# language's rules.po (then translate what it reports as new) and compile the rules.mo files.
rule-catalog: $(VENV)/.installed-test
	$(BIN)/python -m salesflow.lint.docs_catalog

setup: system $(VENV)/.installed

setup-test: system system-test $(VENV)/.installed-test tests/mermaid/node_modules/.installed \
	tests/bpmn/node_modules/.installed tests/drawio/node_modules/.installed

system:
	@missing=""; \
	command -v $(PYTHON) >/dev/null || missing="$$missing python3"; \
	$(PYTHON) -c "import venv, ensurepip" 2>/dev/null || missing="$$missing python3-venv"; \
	command -v dot >/dev/null || missing="$$missing graphviz"; \
	fc-list 2>/dev/null | grep -qi "noto sans cjk" || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  echo "== installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing fontconfig; \
	fi

system-test:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v node >/dev/null && command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "== installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: setup.cfg pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[pdf,data]'
	@# An editable install compiles nothing: write the bytecode now, so that no run (even one
	@# under PYTHONDONTWRITEBYTECODE) spends its start-up compiling salesflow's modules.
	$(BIN)/python -m compileall -q salesflow
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[pdf,serve,data,test]'
	@touch $@

# The real Mermaid parser, pinned by tests/mermaid/package-lock.json.
tests/mermaid/node_modules/.installed: tests/mermaid/package-lock.json
	cd tests/mermaid && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The studio's editor bundle (salesflow/serve/static/editor.js and its licences), rebuilt from
# salesflow/serve/editor/ with the npm packages its package-lock.json pins. The bundle is
# committed; a test checks it was built from the current lockfile and sources.
studio-assets:
	cd salesflow/serve/editor && npm ci --no-audit --no-fund --loglevel=error && node build.mjs

# The BPMN tools that judge `render -f bpmn` (bpmn-moddle, bpmnlint, bpmn-js), pinned by their lockfile.
tests/bpmn/node_modules/.installed: tests/bpmn/package-lock.json
	cd tests/bpmn && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The mxGraph library that judges `render -f drawio`, pinned by its lockfile.
tests/drawio/node_modules/.installed: tests/drawio/package-lock.json
	cd tests/drawio && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The message catalogs (see README, "Languages"): the template extracted from the code and the
# handbook templates, each language's .po brought up to date with it, and the .mo files the package reads.
LOCALE := salesflow/locale
BABEL_KEYWORDS := -k _ -k n_:1,2 -k N_ -k NP_:1c,2 -k NN_:1,2 -k gettext -k ngettext:1,2 -k pgettext:1c,2
.PHONY: catalogs
catalogs: $(VENV)/.installed-test
	$(BIN)/pybabel -q extract -F babel.cfg $(BABEL_KEYWORDS) --no-default-keywords --no-location --sort-output \
	  --omit-header -o $(LOCALE)/salesflow.pot salesflow templates
	$(BIN)/pybabel -q update -D salesflow -i $(LOCALE)/salesflow.pot -d $(LOCALE) --no-fuzzy-matching --width 100
	$(BIN)/pybabel -q compile -D salesflow -d $(LOCALE) --statistics

clean:
	rm -rf $(VENV) $(OUT) build *.egg-info
