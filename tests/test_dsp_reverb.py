"""Reverb IR synthesis and convolution: measured RT60, level convention, channels, determinism."""

import numpy as np
import pytest

from sfxgen.dsp.analysis import rt60_s, spectral_centroid_hz
from sfxgen.dsp.reverb import Reverb, ReverbSettings, convolve, synth_ir
from sfxgen.errors import ParameterError


@pytest.mark.parametrize("sample_rate", [48000, 44100])
@pytest.mark.parametrize("rt60", [0.3, 1.0, 2.5, 6.0])
def test_synth_ir_rt60_within_15_percent(rt60, sample_rate):
    ir = synth_ir(rt60_s=rt60, sample_rate=sample_rate, pre_delay_ms=15.0, seed=3)
    measured = rt60_s(ir, sample_rate)
    assert abs(measured / rt60 - 1.0) < 0.15, measured
    t20 = rt60_s(ir, sample_rate, method="t20")
    assert abs(t20 / rt60 - 1.0) < 0.15, t20


@pytest.mark.parametrize("size,brightness", [(0.0, 0.0), (1.0, 1.0)])
def test_synth_ir_rt60_holds_across_size_and_brightness(size, brightness):
    ir = synth_ir(rt60_s=1.5, sample_rate=48000, size=size, brightness=brightness)
    assert abs(rt60_s(ir, 48000) / 1.5 - 1.0) < 0.15


def test_synth_ir_shape_energy_pre_delay_and_determinism():
    sr = 48000
    ir = synth_ir(rt60_s=1.0, sample_rate=sr, pre_delay_ms=20.0, channels=2, seed=7)
    assert ir.dtype == np.float32 and ir.shape[0] == 2
    assert ir.shape[1] == pytest.approx(1.5 * sr + 0.02 * sr, abs=2)
    np.testing.assert_allclose(np.sum(ir.astype(np.float64) ** 2, axis=1), 1.0, rtol=1e-4)
    assert np.all(ir[:, : int(0.02 * sr) - 1] == 0.0)
    assert np.any(ir[:, int(0.02 * sr)] != 0.0)
    np.testing.assert_array_equal(ir, synth_ir(rt60_s=1.0, sample_rate=sr, pre_delay_ms=20.0, seed=7))
    assert not np.array_equal(ir, synth_ir(rt60_s=1.0, sample_rate=sr, pre_delay_ms=20.0, seed=8))
    # Channels decorrelated.
    assert abs(np.corrcoef(ir)[0, 1]) < 0.3


def test_brightness_darkens_ir():
    dark = synth_ir(rt60_s=1.0, sample_rate=48000, brightness=0.0)
    bright = synth_ir(rt60_s=1.0, sample_rate=48000, brightness=1.0)
    assert spectral_centroid_hz(dark, 48000) < 0.6 * spectral_centroid_hz(bright, 48000)


def test_highs_decay_faster_than_lows():
    from scipy.signal import butter, sosfilt

    sr = 48000
    ir = synth_ir(rt60_s=2.0, sample_rate=sr, brightness=0.3)
    low = sosfilt(butter(4, [300, 700], btype="band", fs=sr, output="sos"), ir)
    high = sosfilt(butter(4, [6000, 10000], btype="band", fs=sr, output="sos"), ir)
    assert rt60_s(high, sr) < 0.75 * rt60_s(low, sr)


def test_early_reflections_spread_with_size():
    sr = 48000

    small = synth_ir(rt60_s=2.0, sample_rate=sr, size=0.0, channels=1)[0]
    big = synth_ir(rt60_s=2.0, sample_rate=sr, size=1.0, channels=1)[0]
    # Big room: energy builds up later (early window and tail build-up scale with size).
    def t_half(x):
        c = np.cumsum(x[: int(0.2 * sr)] ** 2)
        return np.argmax(c >= 0.5 * c[-1]) / sr

    assert t_half(big) > 1.5 * t_half(small)


def test_convolve_shapes_and_identity():
    ir = synth_ir(rt60_s=0.5, sample_rate=48000, channels=2)
    imp = np.zeros((1, 1000), np.float32)
    imp[0, 0] = 1.0
    y = convolve(imp, ir)
    assert y.shape == (2, 1000 + ir.shape[1] - 1) and y.dtype == np.float32
    np.testing.assert_allclose(y[:, : ir.shape[1]], ir, atol=1e-6)
    # Mono IR on stereo audio, equal channel counts, mismatches.
    st = np.random.default_rng(0).standard_normal((2, 500)).astype(np.float32)
    assert convolve(st, ir[:1]).shape == (2, 500 + ir.shape[1] - 1)
    np.testing.assert_allclose(convolve(st, ir)[1], np.convolve(st[1], ir[1]), atol=1e-4)
    with pytest.raises(ParameterError):
        convolve(np.zeros((3, 10)), ir)
    with pytest.raises(ParameterError):
        convolve(np.full((1, 10), np.nan), ir)


def test_reverb_effect_wet_only_level_and_mix():
    sr = 48000
    noise = (0.1 * np.random.default_rng(1).standard_normal((1, sr))).astype(np.float32)
    verb = Reverb(rt60_s=0.8, wet_db=-6.0, wet_only=True, seed=2)
    wet = verb(noise, sr)
    assert wet.shape == (2, sr + verb.impulse_response(sr).shape[1] - 1)
    # Unit-energy IR: white noise keeps its RMS, so the wet bus sits at wet_db (+-1.5 dB).
    ratio_db = 10 * np.log10(np.mean(wet[:, sr // 2 : sr] ** 2) / np.mean(noise**2))
    assert ratio_db == pytest.approx(-6.0, abs=1.5)
    mixed = Reverb(rt60_s=0.8, wet_db=-6.0, dry_db=0.0, keep_tail=False, seed=2)(noise, sr)
    assert mixed.shape == (2, sr)
    np.testing.assert_allclose(mixed - wet[:, :sr], np.broadcast_to(noise, (2, sr)), atol=1e-5)


def test_reverb_settings_roundtrip_json():
    import json

    verb = Reverb(rt60_s=2.0, size=0.8, seed=5)
    d = json.loads(json.dumps(verb.to_dict()))
    assert "_cache" not in d
    assert Reverb.from_dict(d) == verb
    assert ReverbSettings.from_dict(d).rt60_s == 2.0
    with pytest.raises(ParameterError):
        Reverb.from_dict({"rt60": 1.0})


@pytest.mark.parametrize("kwargs", [
    {"rt60_s": 0.0}, {"rt60_s": float("nan")}, {"size": 1.5}, {"brightness": -0.1},
    {"channels": 0}, {"pre_delay_ms": -1.0}, {"sample_rate": 0},
])
def test_synth_ir_rejects_bad_settings(kwargs):
    args = {"rt60_s": 1.0, "sample_rate": 48000} | kwargs
    with pytest.raises(ParameterError):
        synth_ir(**args)
