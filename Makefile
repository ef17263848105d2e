# Two entry points (see README): `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONWARNINGS=ignore $(PY) -m pip
PIPQ   := $(PIP) install -q --no-warn-script-location
TORCH  ?= torch==2.13.0
# System programs the test suite drives: Debian's ffmpeg (loudness cross-check) and chromium
# (the browser test runs Playwright on /usr/bin/chromium; no driver package needed).
SYSTEM_PROGRAMS ?= ffmpeg chromium
export GRADIO_ANALYTICS_ENABLED=False
export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1

.PHONY: install install-test system-deps run test test-all bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIPQ) --upgrade pip

# pip runs only when pyproject.toml changed since the last install (stamp files in the venv).
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIPQ) $(TORCH)
	$(PIPQ) -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIPQ) -e '.[test]'
	@touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# As root with apt: installs what is missing (once). Otherwise: one line naming what to install.
system-deps:
	@missing=""; for p in $(SYSTEM_PROGRAMS); do command -v $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing system programs for the tests:$$missing (apt-get)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing) >/dev/null \
	      || { echo "error: apt-get could not install$$missing; install them and run make test again" >&2; exit 1; }; \
	  else \
	    echo "error: the tests need these system programs:$$missing (as root: apt-get install$$missing)" >&2; exit 1; \
	  fi; \
	fi

# Main job on the embedded defaults (quiet start: no pip output, no deprecation warnings).
run: install
	@PYTHONWARNINGS=ignore::DeprecationWarning $(VENV)/bin/sfxgen demo --out out/demo

# Whole test suite (CI calls this).
test: system-deps install-test
	OMP_NUM_THREADS=2 $(PY) -m pytest

test-all: system-deps install-test
	$(PY) -m pytest -m ''

clean:
	rm -rf $(VENV) build *.egg-info out
