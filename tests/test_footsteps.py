"""Footsteps v2 (issue 15): surfaces x shoes, pace in steps/s set by words, heel-toe, and the
complaint that started it ("footsteps on gravel, slow walk" was ten identical low noise bursts,
93 % of the energy under 80 Hz, no crunch, a brisk pace), measured on the audio."""

from __future__ import annotations

import numpy as np
import pytest

from sfxgen.dsp.analysis import spectral_centroid_hz
from sfxgen.dsp.onsets import onsets_s
from sfxgen.synth import FAMILIES, Patch, render
from sfxgen.synth.captions import caption_patch
from sfxgen.synth.families.footsteps import _x_of_pace, pace_steps_per_s

SR = 48000
DRY = dict(space=-1.0, distance=-1.0, width=-1.0, attack=-1.0, scuff=-1.0)


def steps(seed=0, dur=4.0, **params) -> np.ndarray:
    values = dict(DRY)
    values.update(params)
    return render(Patch("footsteps").with_params(**values), duration_s=dur, sample_rate=SR, seed=seed)


def band_share(y, lo, hi) -> float:
    x = y.mean(axis=0).astype(np.float64)
    p = np.abs(np.fft.rfft(x)) ** 2
    f = np.fft.rfftfreq(x.size, 1 / SR)
    return float(p[(f >= lo) & (f < hi)].sum() / p.sum())


@pytest.mark.parametrize("pace", [1.5, 1.8, 3.0])
def test_pace_in_steps_per_second(pace):
    x = _x_of_pace(pace)
    assert pace_steps_per_s(4.0 ** x) == pytest.approx(pace, rel=0.01)
    counts = [len(onsets_s(steps(seed=s, dur=6.0, surface="wood", rate=x), SR, threshold=0.3, min_gap_ms=250.0))
              for s in range(2)]
    assert np.median(counts) / 6.0 == pytest.approx(pace, rel=0.2), counts


def test_gravel_slow_walk_is_a_crunch_at_a_slow_pace():
    preset = FAMILIES["footsteps"].presets["gravel_slow_walk"]
    assert pace_steps_per_s(4.0 ** preset["rate"]) == pytest.approx(1.5, rel=0.01)
    for seed in range(2):
        y = render(Patch("footsteps").with_params(**preset), duration_s=4.0, sample_rate=SR, seed=seed)
        assert band_share(y, 20, 80) < 0.4  # the complaint: 93 % under 80 Hz
        assert band_share(y, 1000, 8000) > 0.25  # the crunch
        # a crunch is many micro-impacts spread over each step, not one burst
        hf = y.mean(axis=0)
        from sfxgen.synth.primitives import bandpass

        crunch = bandpass(hf, SR, 3000.0, q=0.6)
        n_grains = len(onsets_s(crunch[None, :], SR, threshold=0.05, min_gap_ms=4.0))
        n_steps = len(onsets_s(y, SR, threshold=0.3, min_gap_ms=250.0))
        assert 5 <= n_steps <= 8 and n_grains >= 6 * n_steps, (n_steps, n_grains)


def test_no_two_steps_alike():
    y = steps(surface="gravel", rate=_x_of_pace(1.5)).mean(axis=0)
    on = onsets_s(y[None, :], SR, threshold=0.3, min_gap_ms=250.0)
    L = int(0.3 * SR)
    segs = [y[int(t * SR): int(t * SR) + L] for t in on if int(t * SR) + L <= y.size]
    assert len(segs) >= 4
    for a, b in zip(segs, segs[1:]):
        c = np.max(np.abs(np.correlate(a, b, mode="full")[L - 200: L + 200])) / np.sqrt(np.dot(a, a) * np.dot(b, b))
        assert c < 0.5, c


def test_surfaces_have_their_character():
    def one(surface, **kw):
        return [steps(seed=s, dur=2.0, surface=surface, **kw) for s in range(2)]

    def med(fn, ys):
        return float(np.median([fn(y) for y in ys]))

    gravel, snow, mud = one("gravel"), one("snow"), one("mud")
    wood, metal, water, concrete = one("wood"), one("metal"), one("water"), one("concrete")
    assert med(lambda y: band_share(y, 1000, 8000), gravel) > 1.5 * med(lambda y: band_share(y, 1000, 8000), wood)
    # snow packs darker than gravel crunches; mud squelches lower still than water splashes
    assert med(lambda y: spectral_centroid_hz(y, SR), snow) < 0.7 * med(lambda y: spectral_centroid_hz(y, SR), gravel)
    assert med(lambda y: spectral_centroid_hz(y, SR), mud) < med(lambda y: spectral_centroid_hz(y, SR), water)
    # a wooden floor carries the thud: more energy under 200 Hz than a metal grating that rings
    assert med(lambda y: band_share(y, 20, 200), wood) > 2 * med(lambda y: band_share(y, 20, 200), metal)

    def tail(y):  # share of each step's energy arriving later than 120 ms after its onset
        x = y.mean(axis=0) ** 2
        on = onsets_s(y, SR, threshold=0.3, min_gap_ms=250.0)
        late = sum(x[int((t + 0.12) * SR): int((t + 0.45) * SR)].sum() for t in on)
        return late / x.sum()

    assert med(tail, water) > 2 * med(tail, concrete)  # a splash and its falling droplets


def test_shoes_and_heel_toe():
    heel = [steps(seed=s, dur=2.0, surface="concrete", shoe="heel") for s in range(2)]
    bare = [steps(seed=s, dur=2.0, surface="concrete", shoe="bare") for s in range(2)]
    boot = [steps(seed=s, dur=2.0, surface="concrete", shoe="boot") for s in range(2)]
    cent = [np.median([spectral_centroid_hz(y, SR) for y in ys]) for ys in (heel, bare)]
    assert cent[0] > 1.5 * cent[1]  # a heel's tip clicks, a bare foot slaps
    low = [np.median([band_share(y, 20, 200) for y in ys]) for ys in (boot, heel)]
    assert low[0] > 1.5 * low[1]  # a boot lands heavier than a high heel

    def gap(heel_toe):  # heel -> toe time of the first step
        y = steps(seed=0, dur=1.0, surface="wood", rate=-1.0, heel_toe=heel_toe)
        on = onsets_s(y, SR, threshold=0.1, min_gap_ms=40.0)
        return on[1] - on[0]

    assert gap(1.0) > 2.5 * gap(-1.0)


def test_pace_and_surface_words():
    def words(**p):
        return " ".join(caption_patch(Patch("footsteps").with_params(**p), n=5, seed=0).captions)

    assert "slow" in words(surface="gravel", rate=_x_of_pace(1.5))
    assert "run" in words(surface="grass", rate=_x_of_pace(3.0))
    assert "sprint" in words(rate=_x_of_pace(5.0))
    normal = words(surface="wood", rate=_x_of_pace(1.9))
    assert not any(w in normal for w in ("slow", "run", "sprint")) and "wood" in normal
    assert "heels" in words(surface="concrete", shoe="heel") and "bare" in words(shoe="bare")
