"""Core contract of sfxgen.synth.render: every family renders valid, levelled, reproducible audio.

Loudness is checked with the project's BS.1770 meter (sfxgen.loudness.meter.measure), not with
the renderer's own helper, so the level stage is verified independently.
"""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from sfxgen.errors import ParameterError
from sfxgen.loudness.meter import measure
from sfxgen.synth import (
    FAMILY_NAMES,
    LOUDNESS_RANGE_LUFS,
    N_PARAMS,
    PEAK_CEILING_DBFS,
    TARGET_LUFS,
    Patch,
    render,
)
from sfxgen.synth.families import RENDERERS
from sfxgen.synth.render import MIN_LUFS, level, limit_peaks

SR = 48000
FAMILIES = sorted(RENDERERS)


def _patches(family: str) -> list[Patch]:
    """The default patch, two random patches and the two corners of the cube for one family."""
    rng = np.random.default_rng(zlib.crc32(family.encode()))
    return [
        Patch(family),
        Patch.random(family, rng),
        Patch.random(family, rng),
        Patch(family, -np.ones(N_PARAMS, np.float32)),
        Patch(family, np.ones(N_PARAMS, np.float32)),
    ]


def test_every_family_has_a_renderer():
    assert sorted(FAMILY_NAMES) == FAMILIES


@pytest.mark.parametrize("family", FAMILIES)
def test_family_renders_valid_levelled_audio(family):
    lo, hi = LOUDNESS_RANGE_LUFS
    louds = []
    for i, patch in enumerate(_patches(family)):
        y = render(patch, duration_s=1.0, sample_rate=SR, seed=i)
        assert y.shape == (2, SR) and y.dtype == np.float32
        assert np.all(np.isfinite(y))
        m = measure(y, SR)
        assert m.sample_peak_dbfs is not None and m.sample_peak_dbfs <= PEAK_CEILING_DBFS + 1e-3, patch
        assert m.integrated_lufs is not None, f"{family} rendered silence: {patch.to_dict()}"
        assert lo - 1.0 <= m.integrated_lufs <= hi + 1.0, (m.integrated_lufs, patch.to_dict())
        louds.append(m.integrated_lufs)
        # not one lone click in silence: at least 5 ms of the clip within 50 dB of full scale
        env = np.abs(y).max(axis=0)
        assert np.sum(env > 10 ** (-50 / 20)) > 0.005 * SR, f"{family} is almost all silence: {patch.to_dict()}"
    assert abs(np.median(louds) - TARGET_LUFS) <= 1.0


@pytest.mark.parametrize("family", FAMILIES)
def test_family_is_deterministic_per_seed_and_varies_with_seed(family):
    patch = Patch.random(family, np.random.default_rng(3))
    a = render(patch, duration_s=0.6, seed=11)
    b = render(patch, duration_s=0.6, seed=11)
    c = render(patch, duration_s=0.6, seed=12)
    np.testing.assert_array_equal(a, b)
    diff = np.sqrt(np.mean((a - c) ** 2)) / np.sqrt(np.mean(a**2))
    assert diff > 0.05, f"{family}: seeds 11 and 12 give nearly the same audio ({diff:.3f})"


@pytest.mark.parametrize("duration_s,sample_rate", [(0.05, 48000), (0.7301, 44100), (2.0, 22050), (0.5, 8000), (0.3, 96000)])
def test_exact_length_at_any_rate_and_duration(duration_s, sample_rate):
    for family in ("impact_metal", "whoosh", "engine", "glass_shatter"):
        y = render(Patch(family), duration_s=duration_s, sample_rate=sample_rate, seed=0)
        assert y.shape == (2, int(round(duration_s * sample_rate)))
        assert np.all(np.isfinite(y)) and np.max(np.abs(y)) > 0.05
        assert np.max(np.abs(y)) <= 10 ** (PEAK_CEILING_DBFS / 20) + 1e-6


def test_width_zero_is_mono_and_wide_is_decorrelated():
    p = Patch("impact_wood").with_params(space=-1.0, distance=-1.0)
    mono = render(p.with_params(width=-1.0), duration_s=1.0, seed=0)
    wide = render(p.with_params(width=1.0), duration_s=1.0, seed=0)
    np.testing.assert_allclose(mono[0], mono[1], atol=1e-6)
    side = np.sum((wide[0] - wide[1]) ** 2) / np.sum((wide[0] + wide[1]) ** 2)
    assert side > 0.02


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(duration_s=0.01), dict(duration_s=31.0), dict(duration_s=float("nan")), dict(duration_s="1"),
        dict(duration_s=1.0, sample_rate=7999), dict(duration_s=1.0, sample_rate=200000),
        dict(duration_s=1.0, sample_rate=44100.5), dict(duration_s=1.0, seed=-1), dict(duration_s=1.0, seed=1.5),
        dict(duration_s=True),
    ],
)
def test_bad_render_arguments_raise_parameter_error(kwargs):
    with pytest.raises(ParameterError):
        render(Patch("impact_metal"), **kwargs)


def test_bad_patches_raise_parameter_error():
    with pytest.raises(ParameterError, match="unknown sound family"):
        Patch("kazoo")
    with pytest.raises(ParameterError):
        Patch("impact_metal", np.zeros(3))
    with pytest.raises(ParameterError):
        Patch("impact_metal", np.full(N_PARAMS, np.nan))
    with pytest.raises(ParameterError):
        render({"family": "impact_metal"}, duration_s=1.0)


def test_level_stage_hits_the_target_with_and_without_limiting():
    rng = np.random.default_rng(0)
    for n in (2400, 19200, 50000, 150000):
        x = rng.standard_normal((2, n)) * 0.01  # steady noise, low crest factor: gain only
        y = level(x, SR)
        if n >= 19200:  # (a 50 ms clip reads 9 dB low in its 400 ms block and needs limiting)
            assert measure(y, SR).integrated_lufs == pytest.approx(TARGET_LUFS, abs=1e-3)
            np.testing.assert_allclose(y / np.max(np.abs(y)), x / np.max(np.abs(x)), atol=1e-6)
        spiky = x * np.linspace(0, 1, n) ** 3
        spiky[:, n // 2] = 1.0  # a peak 20+ dB over the rest: needs limiting (at most 8 dB)
        z = level(spiky, SR)
        assert np.max(np.abs(z)) <= 10 ** (PEAK_CEILING_DBFS / 20) + 1e-6
        assert MIN_LUFS <= measure(z, SR).integrated_lufs <= TARGET_LUFS + 0.05


def test_limiter_holds_the_ceiling_and_leaves_quiet_audio_alone():
    rng = np.random.default_rng(1)
    x = 0.1 * rng.standard_normal((2, SR))
    x[:, 1000] = 3.0
    x[1, 30000:30010] = -2.0
    y = limit_peaks(x, SR, 0.89)
    assert np.max(np.abs(y)) <= 0.89 + 1e-9
    # only the neighbourhood of the peaks is touched
    np.testing.assert_array_equal(y[:, 5000:25000], x[:, 5000:25000])
    quiet = 0.1 * rng.standard_normal((2, 1000))
    np.testing.assert_array_equal(limit_peaks(quiet, SR, 0.89), quiet)
