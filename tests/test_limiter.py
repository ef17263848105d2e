"""True-peak limiter and normalisation: adversarial signals checked by meters independent of the
limiter's own side chain (scipy's 8x resample_poly design, and a 16x sharp Kaiser design)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import firwin, resample_poly, upfirdn

from sfxgen.errors import LoudnessError, ParameterError
from sfxgen.loudness import TruePeakLimiter, get_preset, limit, measure, normalize

FS = 48000
_SHARP16 = firwin(16 * 96 - 1, 1 / 16, window=("kaiser", 14.0)) * 16


def tp_resample_poly_8x(x) -> float:
    return float(20 * np.log10(np.abs(resample_poly(np.asarray(x, np.float64), 8, 1, axis=-1)).max()))


def tp_sharp_16x(x) -> float:
    y = upfirdn(_SHARP16, np.asarray(x, np.float64), up=16, axis=-1)
    return float(20 * np.log10(np.abs(y).max()))


def _signals():
    rng = np.random.default_rng(7)
    n = 2 * FS
    t = np.arange(n) / FS
    bursts = np.zeros(n)
    for k in range(5):  # fs/4 at 45 degrees: every sample 3 dB under the true peak
        s = k * FS // 3 + 17 * k
        bursts[s : s + 2000] = 4 * np.sin(np.pi / 2 * np.arange(2000) + np.pi / 4)
    square = 2 * np.sign(np.sin(2 * np.pi * 997 * t))
    impulses = np.zeros((2, n))
    impulses[:, ::5003] = 8
    impulses[1, ::7001] = -8
    isp = np.zeros(n)  # alternating pairs: the classic inter-sample-peak construction
    isp[1000:1016] = 3 * np.tile([1, 1, -1, -1], 4)
    isp[30000:30002] = [3, 3]
    return {
        "fs4_bursts": np.vstack([bursts, bursts]),
        "square": np.vstack([square, -square]),
        "fullscale_uniform_noise": rng.uniform(-4, 4, (2, n)),
        "gaussian_noise": rng.standard_normal((2, n)),
        "impulses": impulses,
        "inter_sample_peaks": np.vstack([isp, 0.5 * isp]),
        "kick_like": np.vstack([np.sin(2 * np.pi * 55 * t) * np.exp(-t * 6) * 6] * 2),
    }


SIGNALS = _signals()


@pytest.mark.parametrize("name", list(SIGNALS))
@pytest.mark.parametrize("ceiling", [-1.0, -2.0])
def test_limiter_holds_ceiling_by_independent_meters(name, ceiling):
    x = SIGNALS[name].astype(np.float32)
    assert tp_sharp_16x(x) > ceiling + 3  # really needs limiting
    r = limit(x, FS, ceiling_dbtp=ceiling)
    assert r.audio.shape == x.shape and r.audio.dtype == np.float32
    assert tp_resample_poly_8x(r.audio) <= ceiling
    assert tp_sharp_16x(r.audio) <= ceiling
    assert r.max_gain_reduction_db > 3
    # linked gain: one curve for all channels, between 0 and 1
    assert r.gain.shape == (x.shape[1],) and np.all(r.gain <= 1.0) and np.all(r.gain > 0)
    np.testing.assert_allclose(r.audio, (x * r.gain).astype(np.float32), atol=1e-6)


def test_limiter_leaves_quiet_audio_untouched():
    x = (0.1 * np.sin(2 * np.pi * 440 * np.arange(FS) / FS)).astype(np.float32)[None]
    r = limit(x, FS, ceiling_dbtp=-1.0)
    np.testing.assert_array_equal(r.audio, x)
    assert r.max_gain_reduction_db == 0.0


def test_limiter_gain_is_smooth_with_lookahead_and_release():
    x = np.full((1, FS), 0.1, np.float32)
    x[0, FS // 2] = 1.0  # single spike, needs ~9 dB
    lim = TruePeakLimiter(ceiling_dbtp=-10.0, lookahead_ms=2.0, hold_ms=5.0, release_ms=80.0)
    r = lim(x, FS)
    g_db = 20 * np.log10(r.gain)
    peak = FS // 2
    # gain is already fully down when the spike arrives, ramping over the look-ahead only
    assert g_db[peak] <= -9.0
    assert g_db[peak - int(0.0025 * FS)] > -0.5
    # hold, then a smooth (monotone) release over tens of ms, no step
    assert g_db[peak + int(0.004 * FS)] <= -8.9
    rel = g_db[peak + int(0.007 * FS) : peak + int(0.4 * FS)]
    assert np.all(np.diff(rel) >= -1e-9)
    assert -6 < g_db[peak + int(0.07 * FS)] < -1
    assert np.max(np.abs(np.diff(g_db))) < 0.5  # no clicks


def test_limiter_parameter_checks():
    with pytest.raises(ParameterError):
        TruePeakLimiter(lookahead_ms=20)
    with pytest.raises(ParameterError):
        TruePeakLimiter(ceiling_dbtp=12)


# ------------------------------------------------------------------ normalize


def _programme(seconds=6.0, level=0.05, seed=0):
    rng = np.random.default_rng(seed)
    from scipy.signal import butter, sosfilt

    x = sosfilt(butter(4, [80, 8000], btype="band", fs=FS, output="sos"), rng.standard_normal((2, int(seconds * FS))))
    return (level * x).astype(np.float32)


@pytest.mark.parametrize("preset", ["ebu-r128", "atsc-a85", "streaming", "apple-podcasts", "game-mobile"])
def test_normalize_lands_on_target_under_ceiling(preset):
    spec = get_preset(preset)
    r = normalize(_programme(), FS, preset=preset)
    assert r.met_target, r.reason
    assert r.reason is None
    assert r.after.integrated_lufs == pytest.approx(spec.target_lufs, abs=0.1)
    assert measure(r.audio, FS).integrated_lufs == pytest.approx(spec.target_lufs, abs=0.1)
    assert tp_resample_poly_8x(r.audio) <= spec.true_peak_ceiling_dbtp
    assert r.before.integrated_lufs != pytest.approx(r.after.integrated_lufs, abs=1)
    assert r.to_dict()["preset"] == preset


def test_normalize_limits_when_target_needs_more_than_headroom():
    # crest-heavy drum-like signal pushed to -14 LUFS: needs a few dB of limiting, still lands
    t = np.arange(4 * FS) / FS
    hits = (np.sin(2 * np.pi * 1000 * t) * np.exp(-(t % 0.25) * 40)).astype(np.float32)
    x = np.vstack([hits, hits]) * 0.2
    r = normalize(x, FS, preset="streaming")
    assert r.max_gain_reduction_db > 1.0
    assert r.met_target, r.reason
    assert r.after.integrated_lufs == pytest.approx(-14.0, abs=0.1)
    assert tp_sharp_16x(r.audio) <= -1.0


def test_normalize_reports_why_when_peaks_forbid_the_target():
    x = np.zeros((1, 3 * FS), np.float32)
    x[0, :: FS // 2] = 0.9  # clicks in silence: -14 LUFS would need ~40 dB of limiting
    r = normalize(x, FS, preset="streaming", max_gain_reduction_db=12.0)
    assert not r.met_target
    assert "12 dB of peak limiting" in r.reason
    assert r.after.integrated_lufs < -20
    assert r.max_gain_reduction_db <= 12.5
    assert tp_resample_poly_8x(r.audio) <= -1.0


def test_normalize_short_clip_uses_padded_measurement():
    x = (0.05 * np.sin(2 * np.pi * 700 * np.arange(int(0.12 * FS)) / FS)).astype(np.float32)[None]
    r = normalize(x, FS, preset="game-mobile")
    assert r.met_target
    assert r.after.integrated_lufs == pytest.approx(-18.0, abs=0.1)
    assert r.audio.shape == x.shape


def test_normalize_short_term_cap_of_s1_is_reported():
    # loud 3 s burst inside quiet programme: I can be -23 while the loudest 3 s read far above -18
    quiet = _programme(20, 0.1, seed=1)
    loud = _programme(3, 0.3, seed=2)
    x = np.concatenate([quiet, loud, quiet], axis=1)
    r = normalize(x, FS, preset="ebu-r128-s1")
    assert not r.met_target and "short-term" in r.reason
    ok = normalize(_programme(), FS, preset="ebu-r128-s1")
    assert ok.met_target


@pytest.mark.parametrize("amp", [0.0, 1e-6])
def test_normalize_silence_raises_loudness_error(amp):
    x = np.full((2, FS), amp, np.float32)
    with pytest.raises(LoudnessError, match="no measurable loudness"):
        normalize(x, FS, preset="ebu-r128")


def test_presets_table_and_custom():
    from sfxgen.loudness import preset_names

    names = preset_names()
    for n in ["ebu-r128", "ebu-r128-s1", "atsc-a85", "streaming", "apple-podcasts", "game-console",
              "game-mobile", "custom"]:
        assert n in names
    assert get_preset("atsc-a85").true_peak_ceiling_dbtp == -2.0
    assert get_preset("ebu-r128-s1").max_short_term_lufs == -18.0
    c = get_preset("custom", target_lufs=-20, true_peak_ceiling_dbtp=-3)
    assert (c.target_lufs, c.true_peak_ceiling_dbtp) == (-20, -3)
    with pytest.raises(ParameterError, match="ebu-r128"):
        get_preset("bogus")
    with pytest.raises(ParameterError):
        get_preset("custom")
    with pytest.raises(ParameterError):
        get_preset("custom", target_lufs=5)
    with pytest.raises(Exception):
        get_preset("ebu-r128").target_lufs = 0  # frozen
    r = normalize(_programme(), FS, preset=c)
    assert r.met_target and r.after.integrated_lufs == pytest.approx(-20, abs=0.1)
    assert r.after.true_peak_dbtp <= -3
