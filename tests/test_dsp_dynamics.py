"""Compressor and gate measured on tones and level steps."""

import json

import numpy as np
import pytest
from scipy.signal import lfilter

from sfxgen.dsp.dynamics import Compressor, Gate, _decaying_running_max, gain_db, smooth_gain_db
from sfxgen.errors import ParameterError

SR = 48000


def _sine(level_db, dur=1.0, freq=1000.0, sr=SR):
    t = np.arange(int(dur * sr)) / sr
    return (10 ** (level_db / 20) * np.sin(2 * np.pi * freq * t)).astype(np.float32)[None, :]


def _square(level_db, n, period=48):
    """Constant-magnitude +-A wave: sample-wise |out/in| is the applied gain."""
    t = np.arange(n)
    return 10 ** (level_db / 20) * np.where((t // (period // 2)) % 2 == 0, 1.0, -1.0)


def _steady_peak_db(y):
    return 20 * np.log10(np.abs(y[:, y.shape[1] // 2 :]).max())


def test_branching_detector_equals_sample_loop():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 2000)) * 6
    a = 0.99
    ref = np.empty_like(x)
    y = np.full(2, -np.inf)
    for n in range(x.shape[1]):  # reference recursion (test only)
        y = np.maximum(x[:, n], a * y)
        ref[:, n] = y
    np.testing.assert_allclose(_decaying_running_max(x, a), ref, atol=1e-9)
    # Full smoother with zero attack = max(x, release filter) recursion.
    a_r = np.exp(-1 / (0.002 * SR))
    ref2 = np.empty_like(x)
    y = x[:, 0].copy()
    for n in range(x.shape[1]):
        y = np.maximum(x[:, n], a_r * y + (1 - a_r) * x[:, n])
        ref2[:, n] = y
    np.testing.assert_allclose(smooth_gain_db(x, SR, attack_ms=0.0, release_ms=2.0), ref2, atol=1e-9)
    # Long signal, short release: block carry keeps it finite and exact at block joins.
    long = rng.standard_normal((1, 200_000))
    out = smooth_gain_db(long, SR, attack_ms=0.0, release_ms=0.05)
    assert np.isfinite(out).all() and np.all(out >= long - 1e-9)


@pytest.mark.parametrize("knee", [0.0, 6.0])
@pytest.mark.parametrize("ratio", [2.0, 4.0, 10.0])
def test_static_curve(ratio, knee):
    comp = Compressor(threshold_db=-20.0, ratio=ratio, knee_db=knee, attack_ms=5, release_ms=200)
    for level in (-40.0, -30.0, -10.0, 0.0, 6.0):
        out = _steady_peak_db(comp(_sine(level), SR))
        if level - (-20) > knee / 2:
            expected = -20.0 + (level + 20.0) / ratio
        else:
            expected = level
        assert out == pytest.approx(expected, abs=0.5), (level, out, expected)
    # Soft knee at the threshold: halfway curve, (1/R - 1) * W / 8 below the input.
    if knee:
        out = _steady_peak_db(comp(_sine(-20.0), SR))
        assert out == pytest.approx(-20.0 + (1 / ratio - 1) * knee / 8, abs=0.1)


def test_rms_detector_and_makeup():
    comp = Compressor(threshold_db=-20.0, ratio=4.0, knee_db=0, detector="rms", makeup_db=6.0)
    out = _steady_peak_db(comp(_sine(0.0), SR))
    assert out == pytest.approx(-15.0 + 6.0, abs=0.5)


@pytest.mark.parametrize("attack_ms,release_ms", [(1.0, 50.0), (10.0, 100.0), (30.0, 500.0), (5.0, 8.0)])
def test_attack_and_release_times(attack_ms, release_ms):
    comp = Compressor(threshold_db=-20.0, ratio=4.0, knee_db=0.0, attack_ms=attack_ms, release_ms=release_ms)
    n = int(SR * max(0.5, 6 * release_ms / 1000))
    x = np.concatenate([_square(-30, n), _square(0, n), _square(-30, n)])[None, :].astype(np.float32)
    y = comp(x, SR)
    gr = 20 * np.log10(np.abs(x[0]) / np.abs(y[0]))
    full = 15.0
    assert gr[2 * n - 1] == pytest.approx(full, abs=0.05)
    attack = np.argmax(gr[n:] >= (1 - np.exp(-1)) * full) / SR * 1000
    release = np.argmax(gr[2 * n :] <= np.exp(-1) * full) / SR * 1000
    assert attack == pytest.approx(attack_ms, rel=0.25)
    assert release == pytest.approx(release_ms, rel=0.25)


def test_lookahead_reduces_overshoot_and_stereo_link():
    n = SR // 2
    x = np.concatenate([_square(-40, n), _square(0, n)])
    st = np.stack([x, 0.1 * x]).astype(np.float32)
    plain = Compressor(threshold_db=-20, ratio=10, knee_db=0, attack_ms=2, release_ms=100)
    ahead = Compressor(threshold_db=-20, ratio=10, knee_db=0, attack_ms=2, release_ms=100, lookahead_ms=5)
    onset = slice(n, n + int(0.003 * SR))
    assert np.abs(ahead(st, SR)[0, onset]).max() < 0.5 * np.abs(plain(st, SR)[0, onset]).max()
    linked = plain(st, SR)
    np.testing.assert_allclose(linked[1], 0.1 * linked[0], rtol=1e-5, atol=1e-7)
    free = Compressor(threshold_db=-20, ratio=10, knee_db=0, stereo_link=False)(st, SR)
    assert np.abs(free[1, -100:]).max() > 2 * np.abs(linked[1, -100:]).max()


def test_gate_opens_and_closes():
    n = SR // 2
    rng = np.random.default_rng(0)
    x = np.concatenate([1e-4 * rng.standard_normal(n), _square(-6, n), 1e-4 * rng.standard_normal(n)])[None, :]
    gate = Gate(threshold_db=-40.0, range_db=40.0, attack_ms=1.0, hold_ms=10.0, release_ms=50.0)
    g = gate.gain_db(x.astype(np.float32), SR)[0]
    assert g[n // 2] == pytest.approx(-40.0, abs=0.5)
    assert g[n + int(0.01 * SR)] == pytest.approx(0.0, abs=0.1)
    assert g[2 * n + int(0.005 * SR)] == pytest.approx(0.0, abs=0.1)  # still held
    assert g[2 * n + int(0.4 * SR)] < -35.0
    y = gate(x.astype(np.float32), SR)
    assert np.abs(y[0, :n]).max() < 0.011 * np.abs(x[0, :n]).max()


def test_gain_db_and_settings_roundtrip():
    x = _sine(-10.0, dur=0.1)
    np.testing.assert_allclose(gain_db(x, -6.0), x * 10 ** (-6 / 20), rtol=1e-6)
    comp = Compressor(threshold_db=-12, ratio=3, lookahead_ms=2)
    assert Compressor.from_dict(json.loads(json.dumps(comp.to_dict()))) == comp
    assert Gate.from_dict(Gate(hold_ms=5).to_dict()) == Gate(hold_ms=5)
    with pytest.raises(ParameterError):
        Compressor.from_dict({"thresh": -3})
    with pytest.raises(ParameterError):
        Compressor(ratio=0.5)(x, SR)
    with pytest.raises(ParameterError):
        Compressor(detector="vu")(x, SR)
    with pytest.raises(ParameterError):
        Compressor()(np.full((1, 10), np.nan), SR)
