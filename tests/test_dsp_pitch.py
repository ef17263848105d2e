"""Pitch shift / time stretch measured with f0 and onsets."""

import numpy as np
import pytest

from sfxgen.dsp.analysis import f0_hz, rms_db
from sfxgen.dsp.onsets import main_transient_s
from sfxgen.dsp.pitch import pitch_shift, reverse, time_stretch, varispeed
from sfxgen.errors import ParameterError

SR = 48000


def _sine(freq, dur=1.0, channels=2):
    t = np.arange(int(dur * SR)) / SR
    return np.repeat((0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)[None], channels, 0)


@pytest.mark.parametrize("preserve", [False, True])
@pytest.mark.parametrize("semitones", [12.0, -12.0, 7.0, -5.0])
def test_pitch_shift_measures_expected_f0(semitones, preserve):
    x = _sine(1000.0)
    y = pitch_shift(x, SR, semitones=semitones, preserve_duration=preserve)
    ratio = 2 ** (semitones / 12)
    assert f0_hz(y, SR, fmax_hz=8000) == pytest.approx(1000 * ratio, rel=0.005)
    expected_len = x.shape[1] if preserve else x.shape[1] / ratio
    assert y.shape[0] == 2 and y.shape[1] == pytest.approx(expected_len, abs=2)
    mid = slice(y.shape[1] // 4, 3 * y.shape[1] // 4)
    assert rms_db(y[:, mid]) == pytest.approx(rms_db(x), abs=0.2)


def test_preserve_duration_keeps_event_times_and_harmonics():
    x = np.zeros((1, SR), np.float32)
    t = np.arange(SR // 2) / SR
    x[0, SR // 2 :] = sum(np.sin(2 * np.pi * 220 * k * t) / k for k in range(1, 6)) * np.exp(-t / 0.2) * 0.3
    y = pitch_shift(x, SR, semitones=5, preserve_duration=True)
    assert main_transient_s(y, SR) == pytest.approx(0.5, abs=0.02)
    assert f0_hz(y, SR) == pytest.approx(220 * 2 ** (5 / 12), rel=0.01)
    v = pitch_shift(x, SR, semitones=12)
    assert main_transient_s(v, SR) == pytest.approx(0.25, abs=0.005)


@pytest.mark.parametrize("factor", [0.5, 2.0])
def test_time_stretch_length_and_pitch(factor):
    y = time_stretch(_sine(440.0), SR, factor=factor)
    assert y.shape == (2, int(SR * factor))
    assert f0_hz(y, SR) == pytest.approx(440.0, rel=0.005)


def test_varispeed_and_reverse():
    x = _sine(500.0, channels=1)
    assert varispeed(x, SR, speed=2.0).shape[1] == pytest.approx(SR / 2, abs=1)
    r = reverse(np.arange(6, dtype=np.float32).reshape(2, 3))
    np.testing.assert_array_equal(r, [[2, 1, 0], [5, 4, 3]])
    assert pitch_shift(x, SR, semitones=0) is not x
    with pytest.raises(ParameterError):
        pitch_shift(x, SR, semitones=100)
    with pytest.raises(ParameterError):
        pitch_shift(np.full((1, 10), np.nan), SR, semitones=1)
