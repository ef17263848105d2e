"""QC of a file read block by block (``qc_file``) equals QC of the whole array (``qc_report``),
check by check, with block edges put everywhere; its memory does not grow with the file's length."""

from __future__ import annotations

import math
import tracemalloc

import numpy as np
import pytest
import soundfile as sf

from sfxgen.audio import audio_info, read_audio
from sfxgen.qc import CLIP_RUN, QCStats, mono_downmix_loss_db, qc_file, qc_report


def _close(a, b, path="report"):
    """Equal structures; floats to 1e-6 relative (values are rounded figures, so nearly always exact)."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            _close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9), f"{path}: {a} != {b}"
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def _noise(ch, n, sr, seed=0, level=0.1):
    rng = np.random.default_rng(seed)
    t = np.arange(n) / sr
    return (level * rng.standard_normal((ch, n)) * (0.6 + 0.4 * np.sin(2 * np.pi * 0.3 * t))).astype(np.float32)


def _clipped(sr=48000):
    x = _noise(2, int(9.0 * sr), sr, 1)
    for s0, k in ((998, 5), (1999, 2), (2997, 3), (40_000, 120), (5 * sr - 1, 4)):  # runs over 1000-sample edges
        x[0, s0 : s0 + k] = 1.0
    x[1, -3:] = -1.0  # a run ending the file
    return x


def _dc(sr=48000):
    return _noise(2, int(2.5 * sr), sr, 2) + np.float32(0.02)


def _gaps(sr=48000):
    x = _noise(2, int(10.0 * sr), sr, 3)
    x[:, : int(0.3 * sr)] = 0.0  # leading digital silence: not a dropout
    x[:, 2 * sr - 10 : 2 * sr + int(0.02 * sr)] = 0.0  # 20 ms gap over block edges
    x[:, int(3 * sr) : int(4.6 * sr)] *= 1e-4  # 1.6 s under -60 dBFS (long silence)
    x[:, int(6 * sr) + 7 : int(6 * sr) + 7 + int(0.004 * sr)] = 0.0  # 4 ms: too short to count
    x[:, -int(0.5 * sr) :] = 0.0  # trailing digital silence
    x[:, -int(0.5 * sr) - int(0.2 * sr) : -int(0.5 * sr) - int(0.1 * sr)] = 1e-5  # quiet, then zero, then the tail
    return x


def _subsonic(sr=48000):
    t = np.arange(int(9.5 * sr)) / sr
    x = 0.4 * np.sin(2 * np.pi * 14.0 * t) + 0.3 * np.sin(2 * np.pi * 31.0 * t) + 0.05 * np.sin(2 * np.pi * 900 * t)
    return np.stack([x, 0.8 * x]).astype(np.float32)


def _uncorrelated(sr=48000):
    return _noise(2, int(8.5 * sr), sr, 4)  # independent rows


def _inverted(sr=48000):
    x = _noise(1, int(9.0 * sr), sr, 5)[0]
    return np.stack([x, -x])


def _hard_stop(sr=48000):
    t = np.arange(int(3.3 * sr) + 17) / sr
    return np.stack([0.3 * np.sin(2 * np.pi * 440 * t)] * 2).astype(np.float32)


CASES = {
    "clipped": (_clipped, 48000, "FLOAT", "wav"),
    "dc": (_dc, 48000, "PCM_24", "wav"),
    "gaps": (_gaps, 48000, "PCM_24", "flac"),
    "subsonic": (_subsonic, 48000, "FLOAT", "wav"),
    "uncorrelated": (_uncorrelated, 48000, "PCM_24", "wav"),
    "inverted": (_inverted, 48000, "FLOAT", "wav"),
    "hard_stop": (_hard_stop, 48000, "PCM_24", "wav"),
    "mono_44k1": (lambda: _noise(1, int(12.3 * 44100), 44100, 6), 44100, "PCM_16", "wav"),
    "six_ch": (lambda: _noise(6, int(8.7 * 48000), 48000, 7), 48000, "PCM_24", "wav"),
    "stereo_44k1_short": (lambda: _noise(2, 15_000, 44100, 8), 44100, "PCM_24", "wav"),
    "one_sample": (lambda: np.array([[0.5], [0.5]], np.float32), 48000, "PCM_24", "wav"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_streamed_qc_equals_in_memory(tmp_path, name):
    make, sr, subtype, ext = CASES[name]
    p = tmp_path / f"{name}.{ext}"
    sf.write(str(p), make().T, sr, subtype=subtype)
    audio, rate = read_audio(p)
    want = qc_report(audio, rate, bit_depth=audio_info(p).bit_depth, path=p).to_dict()
    for block in (1000, 4801, None):
        _close(qc_file(p, block_frames=block).to_dict(), want)


def test_cases_exercise_the_checks(tmp_path):
    """The synthetic files above do trip what they are built for (so the equality means something)."""
    def rep(make, sr=48000):
        return qc_report(make(), sr)

    c = rep(_clipped).check("clipping")
    assert c.status == "fail" and c.value == 5 and "longest 120" in c.message  # 5,3,120,4 on L + the end run on R
    assert rep(_dc).check("dc_offset").status == "fail"
    g = rep(_gaps)
    assert g.check("dropouts").value == 1 and g.check("long_silence").status == "warn"
    assert rep(_subsonic).check("subsonic_20hz").status == "fail"
    assert rep(_uncorrelated).check("mono_downmix_loss").value == pytest.approx(3.0, abs=0.2)
    assert rep(_inverted).check("mono_downmix_loss").status == "fail"
    assert rep(_hard_stop).check("hard_stop").value > -3.0
    assert rep(lambda: _noise(6, 48000, 48000)).check("stereo_correlation").status == "n/a"


def _oracle(x, sr):
    """The signal figures computed on the whole array at once (the definitions, written plainly)."""
    out = {}
    runs = []
    for row in np.abs(x) >= np.float32(10 ** (-0.01 / 20)):
        edges = np.flatnonzero(np.diff(np.concatenate(([0], row.astype(int), [0]))))
        runs += [b - a for a, b in zip(edges[::2], edges[1::2]) if b - a >= CLIP_RUN]
    out["clip"] = (len(runs), max(runs, default=0))
    mono = np.abs(x).max(axis=0)
    act = np.flatnonzero(mono > np.float32(1e-3))
    out["active"] = (int(act[0]), int(act[-1])) if act.size else None
    if act.size:
        body = mono[act[0] : act[-1] + 1] == 0
        edges = np.flatnonzero(np.diff(np.concatenate(([0], body.astype(int), [0]))))
        gaps = [b - a for a, b in zip(edges[::2], edges[1::2]) if b - a >= int(0.005 * sr)]
        out["drops"] = (len(gaps), max(gaps, default=0))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_stats_match_whole_array_definitions_for_random_blocks(seed):
    rng = np.random.default_rng(seed)
    sr = 8000
    n = int(rng.integers(2000, 30000))
    x = (0.05 * rng.standard_normal((2, n))).astype(np.float32)
    for _ in range(12):  # clipped runs, zero gaps, quiet stretches at random places
        a, k = int(rng.integers(0, n)), int(rng.integers(1, 400))
        kind = rng.integers(0, 3)
        x[:, a : a + k] = 1.0 if kind == 0 else 0.0 if kind == 1 else 1e-5
    x[seed % 2, -int(rng.integers(3, 9)) :] = -1.0  # a clipped run ending the sound
    edges = np.sort(rng.choice(np.arange(1, n), size=40, replace=False))
    st = QCStats(2, sr, n)
    for a, b in zip(np.concatenate(([0], edges)), np.concatenate((edges, [n]))):
        st.add(x[:, a:b])
    want = _oracle(x, sr)
    assert (st.clip_runs, st.clip_longest) == want["clip"]
    assert (st.first_active, st.last_active) == want["active"]
    assert (st.dropouts, st.longest_dropout) == want["drops"]
    from sfxgen.dsp.analysis import end_level_db
    from sfxgen.loudness.meter import gate_mask, window_energies

    assert st.end_level_db == pytest.approx(end_level_db(x, sr), abs=1e-9)
    w = window_energies(np.vstack([x, 0.5 * (x[0].astype(np.float64) + x[1])]), sr)
    keep = gate_mask(w[0] + w[1])
    loss = 10 * np.log10((w[0] + w[1])[keep].mean() / (2 * w[2][keep].mean()))
    assert st.mono_downmix_loss_db() == pytest.approx(loss, rel=1e-9)
    assert mono_downmix_loss_db(x, sr) == pytest.approx(loss, rel=1e-9)
    left, right = x.astype(np.float64)
    assert st.correlation == pytest.approx(left @ right / np.sqrt((left @ left) * (right @ right)), rel=1e-9)
    assert st.worst_dc == pytest.approx(max(abs(left.mean()), abs(right.mean())), rel=1e-9)
    assert np.isfinite(st.subsonic_shares_db()).all()


def test_subsonic_shares_read_the_energy_under_20_and_40_hz():
    sr = 48000
    t = np.arange(6 * sr) / sr
    low, high = np.sin(2 * np.pi * 12.0 * t), np.sin(2 * np.pi * 200.0 * t)
    x = np.stack([low + high] * 2).astype(np.float32) + np.float32(0.3)  # half the energy under 20 Hz, plus DC
    st = QCStats(2, sr, x.shape[1])
    for s0 in range(0, x.shape[1], 7001):
        st.add(x[:, s0 : s0 + 7001])
    s20, s40 = st.subsonic_shares_db()
    assert s20 == pytest.approx(-3.01, abs=0.15) and s40 == pytest.approx(-3.01, abs=0.15)
    x = np.stack([np.sin(2 * np.pi * 30.0 * t) + high] * 2).astype(np.float32)
    st = QCStats(2, sr, x.shape[1])
    st.add(x)
    s20, s40 = st.subsonic_shares_db()
    assert s20 < -25.0 and s40 == pytest.approx(-3.01, abs=0.15)


def _long_flac(path, seconds, sr=48000):
    with sf.SoundFile(str(path), "w", sr, 2, subtype="PCM_24", format="FLAC") as f:
        for s0 in range(0, int(seconds * sr), 10 * sr):
            m = min(10 * sr, int(seconds * sr) - s0)
            f.write(_noise(2, m, sr, s0).T)
    return path


def test_streamed_qc_memory_does_not_grow_with_length(tmp_path, monkeypatch):
    monkeypatch.setenv("SFXGEN_MEMORY_BUDGET_MB", "1")  # QC is no longer refused for its length
    peaks = []
    for seconds in (20, 80):
        p = _long_flac(tmp_path / f"{seconds}.flac", seconds)
        qc_file(p)  # warm caches (filter taps, dither)
        tracemalloc.start()
        r = qc_file(p)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert r.duration_s == pytest.approx(seconds)
    assert peaks[1] < 1.2 * peaks[0] and peaks[1] < 80 * 2**20  # an in-memory QC needed ~30 bytes per sample
