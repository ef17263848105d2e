"""Cross-check integrated loudness and true peak against ffmpeg's ebur128 filter.

Files: signals generated here (tones, noise, impacts, sweeps; mono/stereo/5.1; 44.1/48/96 kHz)
plus a fixed sample of real recordings from ~/.cache/sfxgen/devcorpus when it exists. ffmpeg is a
test requirement (CI's .ci/run installs it): when it is missing these tests FAIL, they do not skip.

ffmpeg prints its summary with one decimal; the same run's per-frame metadata
(``ametadata=print``) gives the final figures to three decimals, and those are compared within
0.1 LU (integrated) and 0.3 dB (true peak); the summary must agree within its rounding.
Generated files have 5 ms fades: a file that starts or stops abruptly at a high level has a real
inter-sample overshoot at its edges (silence around it, a step into the signal); sfxgen counts it
(libebur128 does at the start), ffmpeg's resampler-based peak meter does not, so abrupt edges are
a known convention difference, not a measurement error.
Clips shorter than 400 ms are left out of the integrated comparison: ffmpeg reports -70 LUFS
(no complete block) where sfxgen measures one zero-padded block by design.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from sfxgen.audio import read_audio
from sfxgen.loudness import measure

DEVCORPUS = Path.home() / ".cache" / "sfxgen" / "devcorpus"
N_REAL = 16


def _ffmpeg() -> str:
    exe = shutil.which("ffmpeg")
    if exe is None:
        pytest.fail("ffmpeg is not installed; it is required for the loudness cross-check "
                    "(apt-get install ffmpeg; .ci/run installs it)")
    return exe


def ffmpeg_ebur128(path: Path) -> dict:
    """Run ffmpeg's ebur128 filter; return summary and precise (last-frame metadata) figures."""
    cmd = [_ffmpeg(), "-nostats", "-hide_banner", "-i", str(path), "-af",
           "ebur128=peak=true:metadata=1,ametadata=print:file=-", "-f", "null", "-"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    summary = p.stderr[p.stderr.rfind("Summary:"):]
    i_sum = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    tp_sum = float(re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))
    i_meta = [float(v) for v in re.findall(r"lavfi\.r128\.I=(-?[\d.]+|-?inf)", p.stdout)]
    tp_meta = [float(v) for v in re.findall(r"lavfi\.r128\.true_peak=(-?[\d.]+|-?inf)", p.stdout)]
    return {
        "I_summary": i_sum,
        "TP_summary": tp_sum,
        "I": i_meta[-1] if i_meta else i_sum,
        "TP": 20 * math.log10(max(tp_meta)) if tp_meta and max(tp_meta) > 0 else tp_sum,
    }


def _check(path: Path):
    ref = ffmpeg_ebur128(path)
    audio, sr = read_audio(path)
    ours = measure(audio, sr)
    if audio.shape[1] >= 0.4 * sr:
        if ours.integrated_lufs is None:
            assert ref["I"] <= -69.9, (path.name, ref)
        else:
            assert ours.integrated_lufs == pytest.approx(ref["I"], abs=0.1), (path.name, ref)
            assert ours.integrated_lufs == pytest.approx(ref["I_summary"], abs=0.1 + 0.05), (path.name, ref)
    if ours.true_peak_dbtp is not None and ref["TP"] > -100:
        assert ours.true_peak_dbtp == pytest.approx(ref["TP"], abs=0.3), (path.name, ref)
        assert ours.true_peak_dbtp == pytest.approx(ref["TP_summary"], abs=0.3 + 0.05), (path.name, ref)
    return ours, ref


def _generated(tmp: Path) -> list[Path]:
    from scipy.signal import butter, chirp, sosfilt

    rng = np.random.default_rng(1234)
    files = []

    def put(name, audio, fs, subtype="PCM_24"):
        p = tmp / name
        audio = np.array(audio, dtype=np.float64)
        ramp = int(0.005 * fs)  # 5 ms fades: see the module docstring
        audio[:, :ramp] *= np.linspace(0.0, 1.0, ramp)
        audio[:, -ramp:] *= np.linspace(1.0, 0.0, ramp)
        sf.write(p, audio.astype(np.float32).T, fs, subtype=subtype)
        files.append(p)

    fs = 48000
    t = np.arange(6 * fs) / fs
    put("tone_1k_-18.wav", np.vstack([0.125 * np.sin(2 * np.pi * 1000 * t)] * 2), fs)
    put("tone_60hz_mono.wav", 0.7 * np.sin(2 * np.pi * 60 * t)[None], fs)
    pink = sosfilt(butter(1, 200, fs=fs, output="sos"), rng.standard_normal((2, 8 * fs)))
    put("pinkish_noise.wav", 0.3 * pink / np.abs(pink).max(), fs)
    band = sosfilt(butter(6, [300, 9000], btype="band", fs=fs, output="sos"), rng.standard_normal((2, 5 * fs)))
    gates = np.repeat(10 ** (rng.uniform(-50, 0, 25) / 20), fs // 5)[: band.shape[1]]
    put("gated_bursts.wav", 0.2 * band * gates, fs)
    k = np.arange(3 * fs) / fs
    impact = np.exp(-k * 9) * (np.sin(2 * np.pi * 70 * k) + 0.4 * rng.standard_normal(k.size))
    put("impact.flac", np.vstack([impact, 0.8 * impact]) * 0.6, fs, "PCM_24")
    sweep = chirp(np.arange(4 * 44100) / 44100, 40, 4, 18000, method="log")
    put("sweep_44k1.wav", np.vstack([0.5 * sweep, 0.5 * sweep]), 44100, "PCM_16")
    isp = 0.9 * np.sin(2 * np.pi * np.arange(3 * fs) / 4 + np.pi / 4)
    put("fs4_45deg.wav", np.vstack([isp, isp]), fs, "FLOAT")
    put("tone_96k.wav", np.vstack([0.3 * np.sin(2 * np.pi * 3000 * np.arange(3 * 96000) / 96000)] * 2), 96000)
    surround = np.vstack([0.1 * rng.standard_normal(5 * fs) for _ in range(6)])
    surround[3] *= 3  # LFE
    put("surround_51.wav", sosfilt(butter(4, 8000, fs=fs, output="sos"), surround), fs)
    put("quiet_-60.wav", np.vstack([0.001 * np.sin(2 * np.pi * 500 * t)] * 2), fs)
    return files


def test_generated_files_agree_with_ffmpeg(tmp_path):
    _ffmpeg()
    checked = [_check(p) for p in _generated(tmp_path)]
    assert len(checked) == 10


def _real_files() -> list[Path]:
    if not DEVCORPUS.is_dir():
        return []
    exts = {".wav", ".ogg", ".oga", ".flac"}
    found = sorted(p for p in DEVCORPUS.rglob("*") if p.suffix.lower() in exts and p.is_file())
    if not found:
        return []
    step = max(1, len(found) // N_REAL)
    return found[::step][:N_REAL]


def test_real_devcorpus_files_agree_with_ffmpeg():
    _ffmpeg()
    files = _real_files()
    if not files:
        pytest.skip("no dev corpus under ~/.cache/sfxgen/devcorpus (generated files are checked above)")
    ok = 0
    for p in files:
        try:
            read_audio(p)
        except Exception:  # unreadable corpus file: not what this test is about
            continue
        _check(p)
        ok += 1
    assert ok >= len(files) // 2
