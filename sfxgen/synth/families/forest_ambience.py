"""Forest ambience (day): songbirds near and far, wind in the leaves, distant insects and the
odd woodpecker, as a spatial bed (:mod:`sfxgen.synth.physics.ambience`, :mod:`~sfxgen.synth.physics.bio`).

Each bird is a singer (:func:`sfxgen.synth.physics.bio.songbird`) at its own bearing and
distance (near ones bright and clear, far ones dull and quiet), singing in bouts; the canopy
is a coherent leaf-rustle field (broadband 0.5-8 kHz) swelling with the gusts of the wind, with
a low wind rumble under it; insects hum far away (wing-beat buzz); a woodpecker drums (a 15-20
Hz burst of woody knocks). Real daytime forest ambiences in the development corpus (0 A.D.
temperate days, Wesnoth birds, MegaGlest forests): centroid 2-4.7 kHz, most of the energy in
1.6-6.4 kHz (the birds) over a weaker broadband bed.

Common slots: ``intensity`` how lively the forest is (more and louder birds), ``rate`` the
birds' singing pace and the gust speed, ``size`` the forest's depth (birds spread further
away), ``brightness`` the leaves' rustle.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import finish
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import ambience as A
from sfxgen.synth.physics import bio as B

MAX_BIRDS = 7
STYLES = ("warbler", "whistler", "chirper", "trill", "dove")

PARAMS = (
    Param("birds", "How many birds sing: none .. a dawn chorus of 7+", "birds", 0.0, 7.0,
          low_words=("quiet",), high_words=("with lots of birdsong", "with a chorus of birds"), where="post"),
    Param("wind", "Wind in the leaves: still .. a breezy canopy", "%", 0, 100,
          low_words=("still", "calm"), high_words=("windy", "breezy")),
    Param("insects", "Distant hum of insects", "%", 0, 100, low_words=(), high_words=("with buzzing insects",),
          where="post"),
    Param("woodpecker", "A woodpecker drumming now and then: none up to 50 %, then more often", "%", 0, 100),
)


def _birds(ph: Physical, rng: np.random.Generator, n: int, sr: int, count: int) -> np.ndarray:
    out = np.zeros((2, n))
    depth = 2.0 + 10.0 * ph.size
    for k in range(count):
        style = STYLES[int(rng.integers(0, len(STYLES)))] if k else "warbler"
        base = {"whistler": 2600.0, "chirper": 4200.0, "warbler": 3800.0, "trill": 4000.0, "dove": 560.0}[style]
        y = B.songbird(rng, style, n=n, sr=sr, f0=base * 2.0 ** rng.uniform(-0.4, 0.4) * ph.pitch_ratio,
                       pace=ph.rate * rng.uniform(0.8, 1.2), phrase_s=rng.uniform(1.0, 2.5),
                       pause_s=rng.uniform(1.0, 5.0) / (0.5 + ph.intensity), variety=rng.uniform(0.2, 0.8),
                       brightness=0.5, start_s=rng.uniform(0.0, 3.0))
        out += A.pan(A.air(y, sr, rng.uniform(1.0, depth) * (1.0 if k else 0.7)), rng.uniform(-0.7, 0.7))
    return out


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Dry forest bed (2, n)."""
    sr = sample_rate
    dur = n / sr
    count = int(round(PARAMS[0].value(ph.a(0)) * (0.6 + 0.8 * ph.intensity)))
    wind, insects, wood = ph.a(1), ph.a(2), ph.a(3)
    out = 0.5 * _birds(ph, rng, n, sr, min(count, MAX_BIRDS))
    # the canopy: leaves rustling with the gusts, a low wind rumble under them
    gust = A.swell(rng, n, sr, rate_hz=0.15 * ph.rate, depth=0.4 + 0.6 * wind)
    top = 6000.0 * 2.0 ** (2.0 * (ph.brightness - 0.5))
    leaves = A.field(rng, n, sr, lambda t, f: (np.maximum(f, 1.0) / 500.0) ** 2 / (1.0 + (f / 500.0) ** 2)
                     / (1.0 + (f / top) ** 2) * np.ones_like(t), k=3, spread=0.7, mod=gust ** 1.5)
    rumble = A.field(rng, n, sr, lambda t, f: (np.maximum(f, 1.0) / (np.maximum(f, 1.0) + 40.0)) ** 2
                     / (1.0 + (f / 250.0) ** 2) * np.ones_like(t), k=2, spread=0.5, mod=gust)
    out += (0.015 + 0.12 * wind) * leaves + (0.01 + 0.08 * wind) * rumble
    if insects > 0.05:  # a couple of distant insects drifting about
        for _ in range(2):
            m = n // 64 + 2
            f0 = P.ramp_interp(rng.uniform(150, 300) * np.exp(0.04 * P.smooth_random(rng, m, sr // 64, 1.0)), 1 / 64, n)
            a = P.ramp_interp(np.exp(0.8 * P.smooth_random(rng, m, sr // 64, 0.2)), 1 / 64, n)
            y = B.wingbeat(rng, f0, a, sr=sr, cutoff_hz=2500.0)
            out += A.pan(0.025 * insects * A.air(y, sr, rng.uniform(3.0, 8.0)), rng.uniform(-0.7, 0.7))
    if wood > 0.5:  # woodpecker drumming: bursts of woody knocks at ~17 Hz, slowing
        starts = A.event_times(rng, dur - 1.0, 0.05 + 0.3 * (wood - 0.5))
        for s in starts:
            k = int(rng.integers(12, 22))
            t = s + np.cumsum(np.full(k, 1.0 / rng.uniform(15.0, 19.0)) * np.linspace(1.0, 1.25, k))
            a = np.linspace(1.0, 0.5, k) * rng.uniform(0.5, 1.0)
            knock = B.click_train(rng, t, a, n=n, sr=sr, modes_hz=(700.0, 1250.0, 2100.0), t60_ms=25.0, noise=0.5)
            out += A.pan(0.5 * A.air(knock, sr, rng.uniform(4.0, 15.0)), rng.uniform(-0.7, 0.7))
    return finish(P.highpass(out, sr, 30.0))


def _words(ph: Physical, duration_s: float | None):
    return [("woodpecker", [], ["with a woodpecker drumming"], "woodpecker")] if ph.a(3) > 0.5 else []


FAMILY = Family(
    name="forest_ambience",
    ucs="AMBForst",
    noun="forest ambience",
    kind="texture",
    render=render,
    params=PARAMS,
    default_duration_s=15.0,
    nouns=(("forest ambience", 1), ("forest", 1), ("woodland ambience", 1), ("forest birdsong", 0),
           ("nature ambience", 1)),
    scenes=("a {adj} forest on a summer day{post}", "{adj} woodland ambience with birds{post}",
            "a {adj} morning in the woods{post}"),
    tags=("forest", "ambience", "birds", "nature", "woods", "day"),
    keywords=("forest", "woods", "woodland", "jungle", "nature", "birds", "birdsong", "trees", "park",
              "countryside", "daytime", "morning", "ambience", "wilderness"),
    rate_words=None,
    intensity_words=(("quiet", "sparse"), ("lively", "busy")),
    sized=False,
    element_roles=("main", "sweetener"),
    design_roles=("bed",),
    role_params={"bed": {"birds": -0.2, "distance": 0.3, "woodpecker": -1.0}},
    category="ambience",
    special_words=_words,
    presets={
        "quiet woodland": {"birds": -0.5, "wind": -0.4, "intensity": -0.4},
        "dawn chorus": {"birds": 1.0, "intensity": 0.7, "wind": -0.7},
        "windy forest": {"wind": 0.9, "birds": -0.4},
        "summer forest with insects": {"insects": 0.8, "birds": 0.0, "woodpecker": 0.7},
    },
)
