"""The numpy block filter behind the loudness meter's K-weighting equals scipy's sosfilt (to
rounding) at every rate, carries its state across pieces, and the true-peak FIR design equals
firwin: the meter no longer imports scipy.signal, so these are its cross-checks."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import butter, firwin, sosfilt

from sfxgen.loudness.blockfilter import BlockFilter, state_space
from sfxgen.loudness.meter import k_weighting_sos, kaiser_lowpass


def _signal(n: int, seed: int = 0) -> np.ndarray:
    """Noise with a decaying envelope and a stretch of digital silence (ringing only)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n) * np.exp(-np.arange(n) / (0.4 * n))
    x[n // 3 : n // 2] = 0.0
    return x


@pytest.mark.parametrize("sample_rate, tol", [
    (4000, 1e-11), (11025, 1e-11), (44100, 1e-11), (48000, 1e-11), (96000, 1e-10), (192000, 1e-9),
    (768000, 1e-8),
])
def test_k_filter_equals_sosfilt(sample_rate, tol):
    step = (sample_rate + 5) // 10  # 11025 Hz: 1103 samples, a prime (sub-blocks of one sample)
    sos = k_weighting_sos(sample_rate)
    x = _signal(step * (6 if sample_rate > 100000 else 25))
    f = BlockFilter(sos, step)
    y, _ = f.filter(x.reshape(-1, step), f.zero_state())
    ref = sosfilt(sos, x)
    assert np.max(np.abs(y.ravel() - ref)) <= tol * np.max(np.abs(ref))


def test_other_cascades_and_channels_match_sosfilt():
    sos = butter(6, [300, 3000], btype="bandpass", fs=48000, output="sos")  # 6 sections, order 12
    f = BlockFilter(sos, 480)
    x = np.stack([_signal(480 * 40, seed=s) for s in range(3)])
    y, state = f.filter(x.reshape(3, 40, 480), f.zero_state(3))
    assert state.shape == (3, 12) and f.order == 12
    np.testing.assert_allclose(y.reshape(3, -1), sosfilt(sos, x, axis=-1), rtol=0, atol=1e-11)


def test_pieces_fed_in_turn_continue_the_filter():
    sos = k_weighting_sos(48000)
    f = BlockFilter(sos, 4800)
    x = _signal(4800 * 30).reshape(-1, 4800)
    whole, end = f.filter(x, f.zero_state())
    state, parts = f.zero_state(), []
    for a, b in ((0, 1), (1, 12), (12, 13), (13, 30)):
        y, state = f.filter(x[a:b], state)
        parts.append(y)
    np.testing.assert_allclose(np.concatenate(parts), whole, rtol=0, atol=1e-13)
    np.testing.assert_allclose(state, end, rtol=1e-12, atol=1e-15)
    again, _ = f.filter(x, f.zero_state())
    assert np.array_equal(again, whole)  # the same pieces give the same floats (streamed == in memory)


def test_state_space_of_one_section_is_its_difference_equation():
    b0, b1, b2, a1, a2 = 0.5, -0.2, 0.1, -0.9, 0.2
    a, b, c, d = state_space([[b0, b1, b2, 1.0, a1, a2]])
    x = np.zeros(8)
    x[0] = 1.0
    s, h = np.zeros(2), []
    for v in x:
        h.append(c @ s + d * v)
        s = a @ s + b * v
    assert np.allclose(h, sosfilt([[b0, b1, b2, 1.0, a1, a2]], x), atol=1e-15)


def test_block_length_is_checked():
    f = BlockFilter(k_weighting_sos(48000), 4800)
    with pytest.raises(ValueError, match="4800"):
        f.filter(np.zeros((2, 4000)), f.zero_state())


@pytest.mark.parametrize("n_taps, cutoff, beta", [(127, 0.25, 8.0), (2047, 23000 / 96000, 12.0), (1535, 1 / 16, 14.0),
                                                   (31, 0.5, 5.0), (8, 0.3, 8.0)])
def test_kaiser_lowpass_equals_firwin(n_taps, cutoff, beta):
    np.testing.assert_allclose(kaiser_lowpass(n_taps, cutoff, kaiser_beta=beta),
                               firwin(n_taps, cutoff, window=("kaiser", beta)), rtol=0, atol=1e-15)
