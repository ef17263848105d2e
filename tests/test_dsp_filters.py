"""Filter responses measured at their defining frequencies, both from the design and on audio."""

import json

import numpy as np
import pytest

from sfxgen.dsp import filters as F
from sfxgen.errors import ParameterError

SR = 48000


def _tone_gain_db(fn, freq, sr=SR, **kw):
    """Measured steady-state gain (dB) of a filter function on a sine at ``freq``."""
    t = np.arange(int(0.5 * sr)) / sr
    x = np.sin(2 * np.pi * freq * t).astype(np.float32)[None, :]
    y = fn(x, sr, **kw)
    tail = slice(int(0.25 * sr), None)
    return 10 * np.log10(np.mean(y[:, tail].astype(np.float64) ** 2) / np.mean(x[:, tail].astype(np.float64) ** 2))


@pytest.mark.parametrize("order", [1, 2, 4, 8])
@pytest.mark.parametrize("kind", ["highpass", "lowpass"])
def test_butterworth_minus_3db_at_cutoff(kind, order):
    eq = F.EQ(bands=[F.EQBand(kind, 1000.0, order=order)])
    assert eq.response_db([1000.0], SR)[0] == pytest.approx(-3.01, abs=0.05)
    fn = F.highpass if kind == "highpass" else F.lowpass
    assert _tone_gain_db(fn, 1000.0, freq_hz=1000.0, order=order) == pytest.approx(-3.01, abs=0.1)
    # One octave into the stop band: about 6 dB/octave per order.
    stop = 500.0 if kind == "highpass" else 2000.0
    assert eq.response_db([stop], SR)[0] == pytest.approx(-10 * np.log10(1 + 4.0**order), abs=0.5)


def test_bandpass_edges_and_centre():
    eq = F.EQ(bands=[F.EQBand("bandpass", 200.0, high_hz=2000.0, order=2)])
    r = eq.response_db([200.0, np.sqrt(200 * 2000.0), 2000.0], SR)
    np.testing.assert_allclose(r, [-3.01, 0.0, -3.01], atol=0.05)
    assert _tone_gain_db(F.bandpass, 632.0, low_hz=200.0, high_hz=2000.0) == pytest.approx(0.0, abs=0.1)
    rbj = F.EQ(bands=[F.EQBand("bandpass", 1000.0, q=2.0)])
    assert rbj.response_db([1000.0], SR)[0] == pytest.approx(0.0, abs=0.01)
    assert rbj.response_db([4000.0], SR)[0] < -10


@pytest.mark.parametrize("gain", [-12.0, -3.0, 6.0, 15.0])
def test_shelves_and_peak(gain):
    ls = F.EQ(bands=[F.EQBand("low_shelf", 200.0, gain_db=gain)])
    assert ls.response_db([200.0], SR)[0] == pytest.approx(gain / 2, abs=0.1)
    assert ls.response_db([10.0], SR)[0] == pytest.approx(gain, abs=0.1)
    assert ls.response_db([10000.0], SR)[0] == pytest.approx(0.0, abs=0.1)
    hs = F.EQ(bands=[F.EQBand("high_shelf", 4000.0, gain_db=gain)])
    assert hs.response_db([4000.0], SR)[0] == pytest.approx(gain / 2, abs=0.1)
    assert hs.response_db([23000.0], SR)[0] == pytest.approx(gain, abs=0.1)
    assert hs.response_db([100.0], SR)[0] == pytest.approx(0.0, abs=0.1)
    pk = F.EQ(bands=[F.EQBand("peak", 1000.0, gain_db=gain, q=2.0)])
    assert pk.response_db([1000.0], SR)[0] == pytest.approx(gain, abs=0.01)
    assert abs(pk.response_db([100.0, 10000.0], SR)).max() < 0.3
    assert _tone_gain_db(F.peak, 1000.0, freq_hz=1000.0, gain_db=gain, q=2.0) == pytest.approx(gain, abs=0.1)
    assert _tone_gain_db(F.low_shelf, 200.0, freq_hz=200.0, gain_db=gain) == pytest.approx(gain / 2, abs=0.1)


def test_tilt_and_notch():
    r = F.EQ(bands=[F.EQBand("tilt", 1000.0, gain_db=6.0)]).response_db([20.0, 1000.0, 20000.0], SR)
    np.testing.assert_allclose(r, [-3.0, 0.0, 3.0], atol=0.15)
    assert _tone_gain_db(F.tilt, 1000.0, tilt_db=6.0) == pytest.approx(0.0, abs=0.1)
    assert _tone_gain_db(F.notch, 1000.0, freq_hz=1000.0, q=5.0) < -30


def test_eq_chain_adds_in_db_and_serialises():
    eq = F.EQ(bands=[F.EQBand("highpass", 80.0, order=4), F.EQBand("peak", 2500.0, gain_db=-4.0, q=1.5),
                     F.EQBand("high_shelf", 8000.0, gain_db=3.0)])
    f = np.array([40.0, 500.0, 2500.0, 16000.0])
    parts = sum(F.EQ(bands=[b]).response_db(f, SR) for b in eq.bands)
    np.testing.assert_allclose(eq.response_db(f, SR), parts, atol=1e-9)
    d = json.loads(json.dumps(eq.to_dict()))
    again = F.EQ.from_dict(d)
    assert again == eq
    x = np.random.default_rng(0).standard_normal((2, 4800)).astype(np.float32)
    y = eq(x, SR)
    assert y.shape == x.shape and y.dtype == np.float32
    np.testing.assert_array_equal(y, again.apply(x, SR))
    np.testing.assert_allclose(F.EQ().apply(x, SR), x)


@pytest.mark.parametrize("kw", [
    {"freq_hz": 30000.0}, {"freq_hz": 0.0}, {"freq_hz": float("nan")}, {"order": 0}, {"order": 2.5},
])
def test_bad_filter_settings(kw):
    args = {"freq_hz": 1000.0} | kw
    with pytest.raises(ParameterError):
        F.highpass(np.zeros((1, 100), np.float32), SR, **args)


def test_bad_band_type_and_audio():
    with pytest.raises(ParameterError):
        F.EQ(bands=[{"type": "wobble", "freq_hz": 100.0}]).apply(np.zeros((1, 10)), SR)
    with pytest.raises(ParameterError):
        F.EQ.from_dict({"bands": [{"type": "peak", "frequency": 100.0}]})
    with pytest.raises(ParameterError):
        F.lowpass(np.full((1, 10), np.inf), SR, freq_hz=100.0)
