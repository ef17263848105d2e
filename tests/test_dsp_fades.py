"""Fade endpoints, curve midpoints and trimming."""

import numpy as np
import pytest

from sfxgen.dsp.fades import CURVES, fade, fade_curve, trim
from sfxgen.errors import ParameterError

SR = 48000
MID = {"linear": 0.5, "equal_power": np.sqrt(0.5), "exponential": (np.sqrt(1000) - 1) / 999, "s_curve": 0.5}


@pytest.mark.parametrize("curve", CURVES)
def test_fade_endpoints_and_midpoints(curve):
    x = np.ones((2, SR), np.float32)
    y = fade(x, SR, in_ms=100, out_ms=200, curve=curve)
    n_in, n_out = int(0.1 * SR), int(0.2 * SR)
    assert np.all(y[:, 0] == 0.0) and np.all(y[:, -1] == 0.0)
    assert y[0, n_in // 2] == pytest.approx(MID[curve], abs=1e-3)
    assert y[0, SR - n_out // 2 - 1] == pytest.approx(MID[curve], abs=1e-3)
    np.testing.assert_array_equal(y[:, n_in : SR - n_out], 1.0)
    assert np.all(np.diff(y[0, :n_in]) > 0) and np.all(np.diff(y[0, SR - n_out :]) < 0)
    assert y[0, n_in - 1] == pytest.approx(1.0, abs=0.01 if curve != "exponential" else 0.02)


def test_equal_power_crossfade_keeps_power_and_linear_keeps_amplitude():
    u = np.linspace(0, 1, 101)
    np.testing.assert_allclose(fade_curve("equal_power", u) ** 2 + fade_curve("equal_power", 1 - u) ** 2, 1.0)
    np.testing.assert_allclose(fade_curve("linear", u) + fade_curve("linear", 1 - u), 1.0)


def test_trim_and_errors():
    x = np.arange(SR, dtype=np.float32)[None]
    y = trim(x, SR, start_s=0.25, end_s=0.5)
    assert y.shape == (1, SR // 4) and y[0, 0] == SR // 4
    assert trim(x, SR, start_s=0.5).shape == (1, SR // 2)
    with pytest.raises(ParameterError):
        trim(x, SR, start_s=0.6, end_s=0.5)
    with pytest.raises(ParameterError):
        trim(x, SR, start_s=2.0)
    with pytest.raises(ParameterError):
        fade(x, SR, in_ms=2000)
    with pytest.raises(ParameterError):
        fade(x, SR, in_ms=10, curve="log")
