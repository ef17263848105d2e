"""Measurement helpers on signals with known answers."""

import numpy as np
import pytest

from sfxgen.dsp import analysis as A
from sfxgen.errors import ParameterError

SR = 48000


def _sine(freq, dur=0.5, amp=0.5, sr=SR):
    t = np.arange(int(dur * sr)) / sr
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)[None, :]


def _decay_noise(rt60, sr=SR, dur=None, seed=0, pre_s=0.0, floor=0.0):
    dur = dur or 1.5 * rt60
    n = int(dur * sr)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n) * np.exp(-np.log(1000) * np.arange(n) / sr / rt60)
    x = np.concatenate([np.zeros(int(pre_s * sr)), x]) + floor * rng.standard_normal(int(pre_s * sr) + n)
    return x.astype(np.float32)[None, :]


def test_levels():
    s = _sine(1000, amp=0.5)
    assert A.rms_db(s) == pytest.approx(20 * np.log10(0.5 / np.sqrt(2)), abs=0.01)
    assert A.peak_db(s) == pytest.approx(20 * np.log10(0.5), abs=0.01)
    assert A.rms_db(np.zeros((2, 100))) == -200.0
    st = np.concatenate([s, s])
    assert A.rms_db(st) == pytest.approx(A.rms_db(s), abs=1e-6)


def test_spectral_centroid_and_hf_ratio():
    assert A.spectral_centroid_hz(_sine(1000), SR) == pytest.approx(1000, rel=0.01)
    two = _sine(500) + _sine(5000)
    assert A.spectral_centroid_hz(two, SR) == pytest.approx(2750, rel=0.02)
    assert A.hf_ratio(two, SR, split_hz=4000) == pytest.approx(0.5, abs=0.01)
    assert A.hf_ratio(_sine(500), SR) < 1e-3
    with pytest.raises(ParameterError):
        A.spectral_centroid_hz(np.zeros((1, 100)), SR)


@pytest.mark.parametrize("rt60", [0.2, 1.0, 3.0])
def test_rt60_of_exponential_noise(rt60):
    x = _decay_noise(rt60, pre_s=0.1)
    assert A.rt60_s(x, SR) == pytest.approx(rt60, rel=0.05)
    assert A.rt60_s(x, SR, method="t20") == pytest.approx(rt60, rel=0.05)


def test_rt60_of_impact_tail_over_noise_floor():
    # A struck-object decay (RT60 0.4 s) that sinks into a -60 dB noise floor and keeps going.
    x = _decay_noise(0.4, dur=2.0, floor=1e-3, seed=1)
    assert A.rt60_s(x, SR) == pytest.approx(0.4, rel=0.1)


def test_rt60_rejects_silence_and_flat_noise():
    with pytest.raises(ParameterError):
        A.rt60_s(np.zeros((1, 1000)), SR)
    with pytest.raises(ParameterError):
        A.rt60_s(np.random.default_rng(0).standard_normal((1, SR)), SR)


def test_decay_time():
    x = _decay_noise(0.6, pre_s=0.05, dur=1.0)
    # 30 dB of a 60 dB/0.6 s decay is 0.3 s.
    assert A.decay_time_s(x, SR, drop_db=30) == pytest.approx(0.3, rel=0.1)
    assert A.decay_time_s(_sine(100), SR) == float("inf")


@pytest.mark.parametrize("freq", [55.0, 220.0, 1000.0, 2000.0, 3520.0])
def test_f0_of_tones(freq):
    assert A.f0_hz(_sine(freq), SR) == pytest.approx(freq, rel=0.005)


def test_f0_harmonic_tone_on_loudest_part_and_noise_is_none():
    t = np.arange(SR) / SR
    tone = sum(np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 6))
    x = np.concatenate([0.01 * np.random.default_rng(0).standard_normal(SR), 0.3 * tone])
    assert A.f0_hz(x, SR) == pytest.approx(150, rel=0.01)
    assert A.f0_hz(np.random.default_rng(1).standard_normal(SR), SR) is None
    assert A.f0_hz(np.zeros(SR), SR) is None


def test_direct_to_reverb_ratio_orders_dry_and_wet():
    from sfxgen.dsp.reverb import convolve, synth_ir

    click = np.zeros((1, SR // 2), np.float32)
    click[0, 1000:1240] = np.hanning(240)
    ir = synth_ir(rt60_s=1.0, sample_rate=SR, channels=1)
    wet = convolve(click, ir)[:, : click.shape[1] + SR]
    dry = np.pad(click, ((0, 0), (0, SR)))
    drr_wetter = A.direct_to_reverb_ratio_db(dry + wet * 0.5, SR)
    drr_drier = A.direct_to_reverb_ratio_db(dry + wet * 0.05, SR)
    assert drr_drier > drr_wetter + 10
    assert A.direct_to_reverb_ratio_db(dry, SR) == 200.0


def test_rt60_of_struck_modes():
    # Three damped modes with the same 60 dB decay time, as from a struck bar.
    t = np.arange(int(1.5 * SR)) / SR
    env = np.exp(-np.log(1000) * t / 0.8)
    x = sum(a * np.sin(2 * np.pi * f * t) for a, f in ((1.0, 440.0), (0.5, 1210.0), (0.3, 2380.0))) * env
    assert A.rt60_s(x, SR) == pytest.approx(0.8, rel=0.05)
    assert A.decay_time_s(x, SR, drop_db=30) == pytest.approx(0.4, rel=0.05)
    assert A.rt60_s(x, SR, method="edt") == pytest.approx(0.8, rel=0.1)
