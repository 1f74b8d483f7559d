# Two entry points that work on a fresh machine with only Python:
#   make demo   set up a virtualenv from the lock file, install, verify the bundled demo election
#   make test   set up a virtualenv from the lock file, install, run the whole test suite
# Versions come from requirements.lock (exact versions and hashes), so that a new release of a
# dependency cannot change a result; `make test-latest` runs the suite against the newest
# versions pyproject.toml allows, and `make lock` (needs uv) writes the lock file anew.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
LATEST := .venv-latest

.PHONY: demo test test-latest lock bench bench-plausibility bench-hostile docs clean

$(STAMP): pyproject.toml $(LOCK)
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --only-binary :all: -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/osv-verify verify fixtures/demo || test $$? -eq 1

test: $(STAMP)
	$(BIN)/python -m pytest -q

# The suite against the newest versions pyproject.toml allows (not the locked ones); prints
# which versions differ from the lock first, and says plainly when the suite fails with them.
test-latest:
	rm -rf $(LATEST) && $(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --upgrade -e '.[test,parquet,duckdb]'
	$(LATEST)/bin/python benchmarks/lock_drift.py $(LOCK)
	$(LATEST)/bin/python -m pytest -q -p no:cacheprovider \
	  || { echo "test-latest: the suite FAILS with the newest allowed versions (listed above); the locked versions are what make test uses" >&2; exit 1; }

lock:
	uv pip compile pyproject.toml requirements-build.in --all-extras --generate-hashes \
	  --python-version 3.11 --universal --no-header -o $(LOCK)

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# plausibility checks on the real files in ../shared/data (tables for docs/plausibility.md)
bench-plausibility: $(STAMP)
	$(BIN)/python benchmarks/plausibility_real.py

bench-hostile: $(STAMP)
	$(BIN)/python benchmarks/hostile.py

docs: $(STAMP)
	$(BIN)/python -m osv_verify.devtools.docs

clean:
	rm -rf $(VENV) $(LATEST) .pytest_cache .hypothesis
