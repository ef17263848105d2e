"""The two README commands: `make run` reinstalls only when pyproject.toml changed, `make test`
installs (or names) the system programs the suite needs, and CI is a thin call of `make test`."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _make(*args, venv: Path) -> str:
    proc = subprocess.run(["make", "-n", *args, f"VENV={venv}"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _fake_venv(tmp_path: Path) -> Path:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("")
    later = time.time() + 5
    for stamp in (".installed", ".installed-test"):
        (venv / stamp).write_text("")
        os.utime(venv / stamp, (later, later))
    return venv


def test_run_skips_pip_when_nothing_changed(tmp_path):
    venv = _fake_venv(tmp_path)
    quiet = _make("run", venv=venv)
    assert "pip install" not in quiet and "sfxgen demo" in quiet
    changed = _make("-W", "pyproject.toml", "run", venv=venv)  # as if pyproject.toml had been edited
    assert "pip install -q --no-warn-script-location -e ." in changed


def test_make_test_checks_system_programs_first(tmp_path):
    out = _make("test", venv=_fake_venv(tmp_path))
    assert out.index("command -v $p") < out.index("pytest")
    assert "apt-get install" in out and "ffmpeg chromium" in out


def test_ci_is_a_thin_call_of_make_test():
    lines = [x for x in (ROOT / ".ci" / "run").read_text().splitlines() if x.strip() and not x.startswith("#")]
    assert lines[-1] == "exec make test" and len(lines) <= 3
