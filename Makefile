# Two entry points (see README): `make serve` and `make test`. Everything they need is
# installed from here, so both work on a fresh clone.
VENV ?= .venv
BIN := $(VENV)/bin
INDEX ?= .newsearch/index
PORT ?= 5000

.PHONY: install serve test test-sharded lint browser-deps screenshots clean opensearch opensearch-cluster opensearch-stop

# The venv's own pip, not upgraded: the pip a user's Python ships must install newsearch
# (tests/test_installed_package.py checks it on a wheel in a fresh venv).
$(BIN)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

install: $(BIN)/.installed

# Index the bundled corpus/ and serve the search page on http://127.0.0.1:$(PORT)/
serve: install
	$(BIN)/newsearch index corpus --index $(INDEX)
	$(BIN)/newsearch serve --index $(INDEX) --port $(PORT)

# Headless Chromium for the browser tests, from Debian (never `playwright install`).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

# A local OpenSearch node on http://127.0.0.1:9200 (docs/engines.md): fetched once from Maven
# Central with mvn, cached in .newsearch/opensearch-dist/, data in .newsearch/opensearch/.
opensearch: install
	$(BIN)/python -m tools.opensearch start

# Three nodes on 9200-9202 (transport 9300-9302); a rerun restarts any node that is down.
opensearch-cluster: install
	$(BIN)/python -m tools.opensearch cluster

# Stops every node this checkout started (single node or cluster), by its pid file.
opensearch-stop:
	python3 -m tools.opensearch stop

lint: install
	$(BIN)/ruff check indexer webapp tests bench tools

# Lint, then the whole suite: unit, browser and slow tests, and the installed-package test
# (builds the wheel, installs it in a fresh venv, serves corpus/ from it). Writes nothing
# into the tree.
test: install browser-deps
	$(BIN)/ruff check indexer webapp tests bench tools
	$(BIN)/python -m pytest

# The shared behavioural suite's OpenSearch half once more, on an index of 3 shards with 1
# replica over three nodes (the fault tests' own, 9210-9212): issue 12's "exact facets on
# several shards". Not part of `make test` (about 15 minutes more on 2 cores).
SHARDED_HOSTS = http://127.0.0.1:9210,127.0.0.1:9211,127.0.0.1:9212
test-sharded: install
	$(BIN)/python -m tools.opensearch faults
	NEWSEARCH_TEST_OPENSEARCH=$(SHARDED_HOSTS) NEWSEARCH_TEST_LAYOUT=3x1 $(BIN)/python -m pytest \
	  -q -m "shared and not browser and not slow"; \
	  rc=$$?; $(BIN)/python -m tools.opensearch stop-faults; exit $$rc

# Refresh the README's images in docs/screenshots/ (headless Chromium, Reuters subset).
screenshots: install browser-deps
	NEWSEARCH_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -q \
	  tests/test_browser_search.py::test_save_screenshots \
	  tests/test_browser_insights.py::test_save_screenshots \
	  tests/test_browser_saved.py::test_save_a_search_from_the_page_and_see_what_is_new

clean:
	rm -rf $(VENV) .newsearch .pytest_cache
