"""Same seed, same sound: across batch sizes and across fresh processes, compared bit for bit.

Each step runs the real CLI in its own Python process (shipped embedded models), so nothing
cached in this test process can make a replay look identical.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]


def _sfxgen(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-m", "sfxgen.cli", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return proc


def _pcm(path) -> np.ndarray:
    """The file's samples as stored (24-bit PCM read as int32): exact, unlike a float compare."""
    data, _ = sf.read(str(path), dtype="int32", always_2d=True)
    return data


def test_variation_i_equals_single_call_with_seed_plus_i_in_fresh_processes(tmp_path):
    _sfxgen("generate", "wooden door slam", "--variations", "3", "--seed", "5", "--duration", "0.5",
            "--out", str(tmp_path / "batch"))
    _sfxgen("generate", "wooden door slam", "--variations", "1", "--seed", "7", "--duration", "0.5",
            "--out", str(tmp_path / "single"))
    (single,) = sorted((tmp_path / "single").glob("*.wav"))
    twin = next(p for p in (tmp_path / "batch").glob("*.wav") if p.name == single.name)
    assert np.array_equal(_pcm(single), _pcm(twin))
    a, b = (json.loads(p.with_suffix(".json").read_text()) for p in (single, twin))
    assert a["patch"] == b["patch"] and a["score"] == b["score"]


def test_design_recipe_replays_bit_identically_in_a_fresh_process(tmp_path):
    _sfxgen("design", "glass bottle smash", "--out", str(tmp_path / "a"), "--no-library", "--layers", "2",
            "--seed", "0")
    recipe = tmp_path / "a" / "recipe.json"
    _sfxgen("render", str(recipe), "--out", str(tmp_path / "b"))
    wavs = sorted(p.name for p in (tmp_path / "a").glob("*.wav"))
    assert wavs and wavs == sorted(p.name for p in (tmp_path / "b").glob("*.wav"))
    for name in wavs:
        assert np.array_equal(_pcm(tmp_path / "a" / name), _pcm(tmp_path / "b" / name)), name
    assert (tmp_path / "b" / "recipe.json").read_bytes() == recipe.read_bytes()
