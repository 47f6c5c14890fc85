# mtqa: `make demo` sets up .venv and scores the seed; `make test` sets up and runs the tests
# (`make test-fast`: those that load no model).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint setup bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# the CPU wheel of torch that lies on this disk; a bare `torch` would pull a multi-GB CUDA build
	$(BIN)/python -m pip install -q torch==2.13.0
	# ray too: the Ray engine tests run on a real local Ray instance
	$(BIN)/python -m pip install -q -e '.[test,ray]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/mtqa score seeds/idlib-2019-12-01.fr.txt seeds/idlib-2019-12-01.en.txt --format text

test: $(STAMP)
	$(BIN)/ruff check mtqa tests bench tools
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

# the tests not marked `models` (pyproject.toml; tests/conftest.py fails a test that loads a model unmarked);
# CI runs everything (`make test`)
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not models"

lint: $(STAMP)
	$(BIN)/ruff check mtqa tests bench tools
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python bench/align_textberg.py

clean:
	rm -rf $(VENV) build *.egg-info
