# Two entry points that work on a fresh machine with only Python:
#   make demo   set up a virtualenv, install, verify the bundled demo election
#   make test   set up a virtualenv, install, run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench bench-plausibility docs clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/osv-verify verify fixtures/demo || test $$? -eq 1

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# plausibility checks on the real files in ../shared/data (tables for docs/plausibility.md)
bench-plausibility: $(STAMP)
	$(BIN)/python benchmarks/plausibility_real.py

docs: $(STAMP)
	$(BIN)/python -m osv_verify.docs

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
