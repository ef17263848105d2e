"""Block-wise loudness of files (exactly the in-memory figures, bounded memory) and the
per-request memory budget that normalising is refused above (QC streams too: tests/test_qc_stream.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from sfxgen.audio import read_audio
from sfxgen.errors import AudioReadError
from sfxgen.loudness.meter import measure
from sfxgen.loudness.stream import measure_file

ROOT = Path(__file__).resolve().parents[1]


def _write(path, seconds, sr=48000, channels=2, subtype="PCM_24", seed=0):
    rng = np.random.default_rng(seed)
    n = int(seconds * sr)
    t = np.arange(n) / sr
    x = 0.25 * rng.standard_normal((n, channels)) * (0.5 + 0.5 * np.sin(2 * np.pi * 0.2 * t))[:, None]
    x[n // 3, 0] = 0.99  # an inter-sample peak candidate
    sf.write(str(path), x.astype(np.float32), sr, subtype=subtype)
    return path


@pytest.mark.parametrize("seconds, sr, channels, subtype, ext", [
    (10.3, 48000, 2, "PCM_24", "wav"), (20.05, 44100, 1, "FLOAT", "wav"), (9.0, 96000, 4, "PCM_16", "wav"),
    (31.7, 48000, 2, "PCM_24", "flac"), (8.6, 192000, 2, "PCM_24", "wav"), (2.0, 48000, 2, "PCM_24", "wav"),
])
def test_streamed_file_loudness_equals_in_memory_exactly(tmp_path, seconds, sr, channels, subtype, ext):
    p = _write(tmp_path / f"x.{ext}", seconds, sr, channels, subtype)
    assert measure_file(p).to_dict() == measure(*read_audio(p)).to_dict()


def test_streamed_memory_does_not_grow_with_length(tmp_path):
    peaks = []
    for seconds in (20, 80):
        p = _write(tmp_path / f"{seconds}.flac", seconds)
        measure_file(p)  # warm caches (filter taps, dither)
        tracemalloc.start()
        measure_file(p)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < 1.2 * peaks[0] and peaks[1] < 64 * 2**20  # ~45 MB of FFT/filter buffers, any length


def _cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "sfxgen.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=300)


def test_normalize_over_the_budget_is_refused_in_one_line_qc_and_loudness_stream(tmp_path):
    from sfxgen.qc import qc_file

    p = _write(tmp_path / "long.wav", 12.0)
    proc = _cli("qc", str(p), env={"SFXGEN_MEMORY_BUDGET_MB": "1"})  # QC streams: no length limit
    assert proc.stdout.startswith(f"QC {p}") and not proc.stderr.strip()
    assert _cli("loudness", str(p), env={"SFXGEN_MEMORY_BUDGET_MB": "1"}).returncode == 0  # loudness streams
    norm = _cli("normalize", str(p), "-o", str(tmp_path / "n.wav"), env={"SFXGEN_MEMORY_BUDGET_MB": "1"})
    assert norm.returncode == 2 and norm.stderr.startswith(f"error: {p}: too long for normalising")
    assert len(norm.stderr.strip().splitlines()) == 1 and not (tmp_path / "n.wav").exists()
    os.environ["SFXGEN_MEMORY_BUDGET_MB"] = "1"
    try:
        assert qc_file(p).duration_s == pytest.approx(12.0)
    finally:
        del os.environ["SFXGEN_MEMORY_BUDGET_MB"]


def test_one_sample_file_is_measured_by_loudness_and_index(tmp_path):
    from sfxgen.library import Library

    p = tmp_path / "lib" / "click.wav"
    p.parent.mkdir()
    sf.write(str(p), np.array([[0.5, 0.5]], np.float32), 48000, subtype="PCM_24")
    r = measure_file(p)
    assert r.duration_s == pytest.approx(1 / 48000) and r.sample_peak_dbfs == pytest.approx(-6.02, abs=0.01)
    assert r.integrated_lufs is not None  # read as a click followed by silence
    proc = _cli("loudness", str(p))
    assert proc.returncode == 0 and "peak -6.0 dBFS" in proc.stdout
    with Library.open(tmp_path / "index", create=True) as lib:
        summary = lib.index([p.parent], progress=False)
    assert summary.indexed == 1 and not summary.failed
    empty = tmp_path / "empty.wav"
    sf.write(str(empty), np.zeros((0, 2), np.float32), 48000, subtype="PCM_24")
    proc = _cli("loudness", str(empty))
    assert proc.returncode == 1 and proc.stderr.strip() == f"error: {empty}: contains no audio samples (0 frames)"
