"""Creature chitter: the fast, high, clicking chatter of a bug-like or rodent-like monster (an
alien hive drone, a giant spider, a bio-luminescent cave critter, a bat swarm).

A chitter is a FAST, HIGH click train (:func:`sfxgen.synth.physics.bio.click_train`: 40-200
clicks/s ringing stiff 3-9 kHz resonances) in bursts, with squeaky vocal chirps riding on it
(short FM syllables at 2-6 kHz with a few harmonics, :func:`~sfxgen.synth.physics.bio.render_syllables`,
10-25 per second, like a rodent's or bat's chatter) and occasional low mandible clacks.
Most of the energy sits above 2 kHz. Real chitters measured in the development corpus
(Lugaru rabbit chitter, Flare antlion, UFO:AI blood spider): centroid 1.9-5 kHz, 85 % of the
energy under 2.4-8 kHz, 13-16 onsets/s, squeak harmonics at 1.6-2, 4 and 8 kHz.

Common slots: ``rate`` the click and squeak rate (x 0.25 .. 4), ``pitch`` and ``size`` the
resonances and squeak pitch (a big creature: lower, slower), ``decay`` the burst length,
``intensity`` agitation (louder, faster, harsher), ``brightness`` the upper resonances.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import finish, pan_gains
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import bio as B

BASE_CLICK_HZ = 90.0

PARAMS = (
    Param("squeak", "Level of the squeaky vocal chirps over the clicks (0: clicks only)", "%", 0, 100,
          low_words=("dry-clicking",), high_words=("squeaking", "squealing")),
    Param("burstiness", "Rhythm: a continuous chatter .. short bursts and pauses", "%", 0, 100,
          low_words=("continuous",), high_words=("stuttering",)),
    Param("mandibles", "Low mandible clacks between bursts", "%", 0, 100,
          low_words=(), high_words=("clacking",)),
    Param("wetness", "Wet, hissing noise in the clicks (a slimy creature)", "%", 0, 100,
          low_words=("dry",), high_words=("wet", "slimy", "hissing")),
    Param("creatures", "How many: one up to 50 %, then 2 .. 8 (a hive)", "%", 0, 100),
)


def creature_count(u: float) -> int:
    """Creatures for the ``creatures`` slot: 1 up to 0.5, then 2 .. 8."""
    return 1 if u <= 0.5 else 1 + int(np.ceil((u - 0.5) / 0.5 * 7 - 1e-9))


def _one(rng: np.random.Generator, ph: Physical, n: int, sr: int, *, level: float) -> np.ndarray:
    """One creature's chitter, mono (n,)."""
    dur = n / sr
    squeak, burst, mand, wet = ph.a(0), ph.a(1), ph.a(2), ph.a(3)
    agit = 0.5 + ph.intensity
    scale = ph.pitch_ratio * 2.0 ** (-1.3 * (ph.size - 0.5))
    rate = BASE_CLICK_HZ * ph.rate * (0.8 + 0.4 * ph.intensity) * 2.0 ** (-0.5 * (ph.size - 0.5))
    burst_s = float(np.clip(0.06 + 0.3 * ph.decay_s ** 0.8, 0.06, 1.5)) * (2.5 - 1.8 * burst)
    gap_s = 0.03 + 0.4 * burst ** 1.5
    t = B.burst_times(rng, duration_s=dur - 0.02, rate_hz=rate * rng.uniform(0.85, 1.15), burst_s=burst_s,
                      gap_s=gap_s, jitter=0.15 + 0.2 * burst, accel=rng.uniform(-0.5, 0.5),
                      start_s=rng.uniform(0.0, min(0.06, 0.3 * dur)))
    a = rng.uniform(0.4, 1.0, t.size) * level
    f = 3200.0 * scale * rng.uniform(0.9, 1.1)
    modes = np.array([1.0, 1.53, 2.2]) * f
    modes = modes[modes < 0.45 * sr]
    y = B.click_train(rng, t, a, n=n, sr=sr, modes_hz=modes, t60_ms=1.5, noise=0.2 + 1.5 * wet * agit,
                      spread=0.15)
    if squeak > 0.05 and t.size:
        # squeaks at a sub-multiple of the click rate, inside the bursts
        every = max(int(round(rate / (14.0 * ph.rate ** 0.5))), 1)
        st = t[::every] + rng.uniform(0.0, 0.01, t[::every].size)
        d = np.minimum(rng.uniform(0.018, 0.045, st.size), 0.8 * every / rate)
        keep = st + d < dur - 0.01
        st, d = st[keep], d[keep]
        fq = 2800.0 * scale * np.exp(0.15 * rng.standard_normal(st.size))
        shape = rng.choice([2, 3, 5], st.size)  # down, arch, warble
        syl = B.Syllables.build(st, d, fq, shape, rng.uniform(0.2, 0.7, st.size),
                                rng.uniform(0.5, 1.0, st.size) * level, attack=0.2, cycles=2.0)
        sq = B.render_syllables(syl, n=n, sr=sr, harmonics=(1.0, 0.45, 0.25, 0.12))
        y = y + squeak * 1.5 * sq * (1.0 + 0.6 * wet * P.white(rng, n))
    if mand > 0.05 and t.size:
        # clacks: a few low, woody knocks at burst starts
        starts = t[np.r_[True, np.diff(t) > 2.5 / rate]]
        clack = B.click_train(rng, starts, mand * level * rng.uniform(0.6, 1.0, starts.size), n=n, sr=sr,
                              modes_hz=(900.0 * scale, 1700.0 * scale, 2600.0 * scale), t60_ms=12.0, noise=0.4)
        y = y + 1.5 * clack
    return P.lowpass(P.highpass(y, sr, 600.0 * min(scale, 2.0)), sr, 7000.0 * min(scale, 2.0), order=1)


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Dry chitter: (1, n) for one creature, (2, n) with several panned."""
    sr = sample_rate
    k = creature_count(ph.a(4))
    if k == 1:
        return finish(_one(rng, ph, n, sr, level=1.0)[None, :])
    out = np.zeros((2, n))
    pans = np.linspace(-0.7, 0.7, k)[rng.permutation(k)]
    for i in range(k):
        y = _one(rng, ph, n, sr, level=1.0 if i == 0 else rng.uniform(0.3, 0.8))
        gl, gr = pan_gains(np.array([pans[i]]))
        out[0] += gl[0] * y
        out[1] += gr[0] * y
    return finish(out)


def _words(ph: Physical, duration_s: float | None):
    k = creature_count(ph.a(4))
    if k == 1:
        return []
    return [("creatures", ["swarming"] if k >= 4 else [], ["of a hive" if k >= 4 else "of a few creatures"], "hive")]


FAMILY = Family(
    name="creature_chitter",
    ucs="CREAInsc",
    noun="creature chitter",
    kind="texture",
    render=render,
    params=PARAMS,
    default_duration_s=3.0,
    nouns=(("creature chitter", 1), ("chittering creature", 1), ("alien chittering", 0), ("bug creature chatter", 1)),
    scenes=("a {adj} bug-like alien chittering{post}", "a {adj} giant spider chittering in the dark{post}",
            "a {adj} bio-luminescent creature chittering{post}", "a {adj} hive creature clicking and chattering{post}"),
    tags=("creature", "chitter", "alien", "bug", "monster", "fantasy"),
    keywords=("chitter", "chittering", "chatter", "alien", "bug", "insectoid", "spider", "hive", "xenomorph",
              "creature", "critter", "bat", "rodent", "rat", "bio-luminescent", "clicking monster"),
    rate_words=(("slow",), ("rapid", "frantic")),
    rate_doc="90 clicks/s, 14 squeaks/s",
    intensity_words=(("curious", "quiet"), ("agitated", "aggressive")),
    element_roles=("main", "sweetener"),
    design_roles=("sweetener", "texture"),
    role_params={"texture": {"creatures": 0.6, "distance": 0.3}, "sweetener": {"squeak": 0.3}},
    category="creature",
    special_words=_words,
    presets={
        "alien insectoid chatter": {"squeak": 0.2, "mandibles": 0.4, "wetness": 0.3},
        "giant spider": {"size": 0.6, "squeak": -0.8, "mandibles": 0.7, "burstiness": 0.6},
        "rat-like critter squeaks": {"size": -0.6, "squeak": 0.8, "burstiness": 0.3},
        "bat swarm": {"size": -0.8, "creatures": 0.9, "squeak": 0.6, "rate": 0.4},
        "slimy hive": {"creatures": 0.7, "wetness": 0.9, "squeak": 0.0},
    },
)
