"""The synth's parameters mean what they say, measured on the rendered audio.

Every comparison renders the same family twice (a few seeds, median taken) with one parameter
moved and the others held, dry and close unless the test is about the room, and measures with
sfxgen.dsp.analysis: spectral centroid, decay time, RT60 (Schroeder), f0 (YIN), HF energy
share and direct-to-reverb ratio.
"""

from __future__ import annotations

import numpy as np
import pytest

from sfxgen.dsp import analysis as A
from sfxgen.synth import Patch, render

SR = 48000
DRY = dict(space=-1.0, distance=-1.0, attack=-1.0, width=-1.0)


def _renders(family, *, dur=1.5, seeds=(0, 1, 2), **params):
    values = dict(DRY)
    values.update(params)
    patch = Patch(family).with_params(**values)
    return [render(patch, duration_s=dur, sample_rate=SR, seed=s) for s in seeds]


def _median(fn, ys):
    return float(np.median([fn(y) for y in ys]))


def centroid(y):
    return A.spectral_centroid_hz(y, SR)


def decay(y):
    return A.decay_time_s(y, SR, drop_db=30.0)


def ring(y):
    """Time to fall 40 dB: past the strike's noise burst, into the modes' own ring."""
    return A.decay_time_s(y, SR, drop_db=40.0)


@pytest.mark.parametrize("family", ["impact_metal", "impact_wood", "impact_glass", "bell_chime", "explosion", "water_drips"])
def test_bigger_objects_are_lower_and_ring_longer(family):
    small = _renders(family, size=-0.8)
    big = _renders(family, size=0.8)
    assert _median(centroid, big) < 0.8 * _median(centroid, small)
    assert _median(ring, big) > 1.2 * _median(ring, small)


@pytest.mark.parametrize("family", ["impact_stone", "impact_body", "sub_drop", "thunder", "door_slam"])
def test_bigger_objects_are_lower(family):
    small = _renders(family, size=-0.8)
    big = _renders(family, size=0.8)
    assert _median(centroid, big) < 0.9 * _median(centroid, small)


@pytest.mark.parametrize("family,aux", [("impact_wood", {}), ("impact_body", {}), ("impact_stone", {"debris": -1.0}), ("gunshot", {"mechanics": -1.0})])
def test_bigger_space_has_longer_measured_rt60(family, aux):
    rts = []
    for space in (-0.5, 0.0, 0.5):  # nominal RT60 0.30, 0.89, 2.67 s
        ys = _renders(family, dur=4.0, seeds=(0, 1), space=space, decay=-1.0, **aux)
        rts.append(_median(lambda y: A.rt60_s(y, SR), ys))
    assert rts[0] < rts[1] < rts[2]
    nominal = Patch(family).with_params(space=0.5).physical().rt60_s
    assert 0.7 * nominal < rts[2] < 1.5 * nominal  # the room, not the source, sets the decay


def test_small_close_space_is_dry():
    drr = lambda y: A.direct_to_reverb_ratio_db(y, SR, direct_ms=10.0)  # noqa: E731
    dry = _median(drr, _renders("impact_wood", dur=1.0, space=-1.0, decay=-1.0))
    wet = _median(drr, _renders("impact_wood", dur=1.0, space=0.3, decay=-1.0))
    assert dry > wet + 6.0


@pytest.mark.parametrize("family", ["impact_metal", "laser", "whoosh", "servo", "energy_hum", "engine", "alarm_siren", "ui_blip"])
def test_higher_pitch_raises_centroid(family):
    lo = _renders(family, pitch=-0.5)
    hi = _renders(family, pitch=0.5)
    assert _median(centroid, hi) > 1.4 * _median(centroid, lo)


@pytest.mark.parametrize("family", ["impact_metal", "bell_chime", "servo", "creature_growl", "alarm_siren"])
def test_higher_pitch_raises_f0(family):
    # +/-0.5 is +/-12 semitones: the measured f0 should move by about two octaves (five seeds:
    # YIN reads an inharmonic bell's pitch off different partials from seed to seed)
    lo = _renders(family, pitch=-0.5, seeds=range(5))
    hi = _renders(family, pitch=0.5, seeds=range(5))
    f_lo = _median(lambda y: A.f0_hz(y, SR, fmin_hz=30.0) or np.nan, lo)
    f_hi = _median(lambda y: A.f0_hz(y, SR, fmin_hz=30.0) or np.nan, hi)
    assert 2.5 < f_hi / f_lo < 6.0, (f_lo, f_hi)


@pytest.mark.parametrize("family", ["gunshot", "impact_wood", "impact_glass", "switch_click", "door_slam"])
def test_distance_removes_highs_and_adds_room(family):
    hf, drr = [], []
    for d in (-1.0, 0.0, 1.0):
        ys = _renders(family, seeds=(0, 1), distance=d, space=0.0)
        hf.append(_median(lambda y: A.hf_ratio(y, SR), ys))
        # 10 ms direct window: shorter than the room's pre-delay, so only the direct sound counts
        drr.append(_median(lambda y: A.direct_to_reverb_ratio_db(y, SR, direct_ms=10.0), ys))
    assert hf[0] > hf[1] > hf[2]
    assert drr[0] > drr[1] > drr[2]
    assert drr[0] - drr[2] > 8.0


@pytest.mark.parametrize("family", ["impact_metal", "impact_wood", "whoosh", "gunshot", "explosion", "rain", "wind"])
def test_brightness_raises_centroid(family):
    dark = _renders(family, brightness=-0.8)
    bright = _renders(family, brightness=0.8)
    assert _median(centroid, bright) > 1.15 * _median(centroid, dark)


@pytest.mark.parametrize("family", ["impact_metal", "bell_chime", "impact_glass"])
def test_decay_param_lengthens_the_ring(family):
    short = _renders(family, dur=3.0, decay=-0.6)
    long = _renders(family, dur=3.0, decay=0.6)
    assert _median(decay, long) > 2.0 * _median(decay, short)


@pytest.mark.parametrize("family", ["impact_metal", "energy_hum", "engine"])
def test_attack_param_fades_the_onset_in(family):
    def onset_db(y):  # first 30 ms against 0.3-0.6 s
        p = np.sum(y.astype(np.float64) ** 2, axis=0)
        return 10 * np.log10(p[: int(0.03 * SR)].mean() / p[int(0.3 * SR): int(0.6 * SR)].mean())

    fast = _median(onset_db, _renders(family, dur=2.0, attack=-1.0))
    slow = _median(onset_db, _renders(family, dur=2.0, attack=0.4))  # 0.1 s nominal
    assert slow < fast - 6.0


def test_metal_rings_longer_than_wood_and_glass_is_brightest():
    kw = dict(size=0.0, pitch=0.0, decay=0.0, brightness=0.0)
    metal = _renders("impact_metal", dur=3.0, **kw)
    wood = _renders("impact_wood", dur=3.0, **kw)
    glass = _renders("impact_glass", dur=3.0, **kw)
    assert _median(decay, metal) > 2.0 * _median(decay, wood)
    assert _median(centroid, glass) > _median(centroid, metal) > _median(centroid, wood)
