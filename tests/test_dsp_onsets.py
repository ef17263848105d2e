"""Onset detection on synthetic events at known times."""

import numpy as np
import pytest

from sfxgen.dsp.onsets import detect_onsets, main_transient_s, onsets_s
from sfxgen.dsp.reverb import convolve, synth_ir
from sfxgen.errors import ParameterError

TIMES = [0.1, 0.37, 0.5, 1.234, 1.8]
AMPS = [0.5, 1.0, 0.2, 0.8, 0.05]


def _clicks(sr, channels=2, seed=0):
    rng = np.random.default_rng(seed)
    x = 1e-4 * rng.standard_normal((channels, 2 * sr))
    n = int(0.004 * sr)
    click = np.sin(2 * np.pi * 2000 * np.arange(n) / sr) * np.exp(-np.arange(n) / (0.001 * sr))
    for t, a in zip(TIMES, AMPS):
        i = int(round(t * sr))
        x[:, i : i + n] += a * click
    return x.astype(np.float32)


@pytest.mark.parametrize("sr", [48000, 44100, 22050])
def test_clicks_found_within_5ms(sr):
    x = _clicks(sr)
    found = onsets_s(x, sr)
    assert found.size == len(TIMES)
    np.testing.assert_allclose(found, TIMES, atol=0.005)
    assert main_transient_s(x, sr, rel_strength=1.0) == pytest.approx(0.37, abs=0.005)  # the loudest


def test_main_transient_is_the_first_strong_onset():
    sr = 48000
    n = sr

    def clicks(spec):
        x = np.zeros((1, n), np.float32)
        for t, a in spec:
            i = int(t * sr)
            x[0, i : i + 48] = a * np.hanning(48)
        return x

    # a faint tick before the hit is not the main transient
    assert main_transient_s(clicks([(0.1, 0.05), (0.4, 1.0)]), sr) == pytest.approx(0.4, abs=0.005)
    # an attack followed by a slightly stronger bump aligns on the attack
    assert main_transient_s(clicks([(0.2, 0.9), (0.3, 1.0)]), sr) == pytest.approx(0.2, abs=0.005)


def test_strength_ranks_loudness_and_reverb_does_not_add_onsets():
    sr = 48000
    x = _clicks(sr, channels=1)
    times, strength = detect_onsets(x, sr)
    assert list(np.argsort(strength)) == list(np.argsort(AMPS))
    wet = convolve(x, synth_ir(rt60_s=1.0, sample_rate=sr, channels=2)) * 0.5
    wet[:, : x.shape[1]] += x
    np.testing.assert_allclose(onsets_s(wet, sr), TIMES, atol=0.005)


def test_noise_burst_after_silence():
    sr = 48000
    x = np.zeros((1, sr), np.float32)
    start = int(0.4321 * sr)
    x[0, start:] = 0.3 * np.random.default_rng(1).standard_normal(sr - start)
    assert onsets_s(x, sr) == pytest.approx([0.4321], abs=0.005)
    assert main_transient_s(x, sr) == pytest.approx(0.4321, abs=0.005)


def test_sound_at_start_and_abrupt_end():
    sr = 48000
    t = np.arange(sr) / sr
    tone = (0.5 * np.sin(2 * np.pi * 440 * t))[None, :]
    found = onsets_s(tone, sr)
    assert found.size == 1 and found[0] < 0.005


def test_main_transient_is_loud_hit_not_quiet_one():
    sr = 48000
    x = np.zeros((1, sr))
    rng = np.random.default_rng(2)
    x[0, 4800:9600] = 0.05 * rng.standard_normal(4800)  # quiet scrape first
    x[0, 30000:30200] = 0.9 * rng.standard_normal(200)  # the hit
    assert main_transient_s(x, sr) == pytest.approx(30000 / sr, abs=0.005)


def test_silence_is_an_error():
    with pytest.raises(ParameterError):
        main_transient_s(np.zeros((1, 48000)), 48000)
    with pytest.raises(ParameterError):
        onsets_s(np.zeros((1, 0)), 48000)
