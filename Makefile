# Two entry points (see README): `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
TORCH  ?= torch==2.13.0
export GRADIO_ANALYTICS_ENABLED=False
export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1

.PHONY: install install-test run test test-all bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

install: $(PY)
	$(PIP) install -q $(TORCH)
	$(PIP) install -q -e .

install-test: install
	$(PIP) install -q -e '.[test]'

# Main job on the embedded defaults.
run: install
	$(VENV)/bin/sfxgen demo --out out/demo

# Whole test suite (CI calls this).
test: install-test
	OMP_NUM_THREADS=2 $(PY) -m pytest

test-all: install-test
	$(PY) -m pytest -m ''

clean:
	rm -rf $(VENV) build *.egg-info out
