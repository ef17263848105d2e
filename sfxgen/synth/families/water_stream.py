"""Water stream: a brook, creek or river flowing.

A turbulent flow bed (STFT-shaped noise with slow surges) and dense babbling bubbles cut short by
the turbulence. Depth lowers everything (a deep river); size lowers it too.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import smooth_random, onsets, sine_grains, spectral_noise, log_bump, finish, clamp_hz, place_two
from sfxgen.synth.physics.bubbles import minnaert_tau_s
from sfxgen.synth.family import BED_LAYER, Family, Param, Physical

DEFAULT_DURATION_S = 5.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Stream / brook / river. aux: flow (trickle .. rushing: level of the turbulent bed and its
    motion), babble (density of the bubbling, gurgling voices), depth (shallow bright brook ..
    deep, low river)."""
    sr = sample_rate
    flow, babble, depth = ph.aux[0], ph.aux[1], ph.aux[2]
    dur = n / sr
    pr = ph.pitch_ratio * 2.0 ** (-1.2 * (ph.size - 0.5)) * 2.0 ** (-1.5 * depth)
    m = int(dur * 50) + 4
    surge = smooth_random(rng, m, 50, 0.4 * ph.rate)
    tc = np.arange(m) / 50.0

    def mag(times, freqs):
        s = 1.0 + 0.3 * (0.3 + flow) * np.interp(times, tc, surge)
        fc = 900.0 * pr * (0.7 + 0.6 * flow)
        return (0.2 + flow) * s * (log_bump(freqs, fc, 1.5) + 0.3 * (0.5 + depth) * log_bump(freqs, 120 * pr, 1.0))

    bed = place_two(spectral_noise(rng, n, sr, mag, channels=2, nfft=1024)) * (0.3 + 0.7 * ph.intensity)
    rate = (30.0 + 900.0 * babble ** 1.5) * (0.4 + 0.8 * ph.intensity) * ph.rate * (0.5 + flow)
    modu = rate * (0.9 + 0.4 * P.ramp_interp(surge, 50.0 / sr, n))  # tc = arange(m) / 50
    t = onsets(rng, modu, n, sr, cap=int(250 * dur)) / sr
    E = len(t)
    f0 = clamp_hz(1100.0 * pr * np.exp(rng.normal(0, 0.55, E)), sr)
    tau = minnaert_tau_s(f0) * rng.uniform(0.6, 1.3, E)
    amp = rng.uniform(0.05, 0.3, E) * (f0 / 1000.0) ** -0.5 * (0.4 + ph.intensity)
    # turbulent water damps its bubbles: rings are cut short (and rendering stays cheap)
    bub = sine_grains(n, sr, (t * sr).astype(np.int64), f0, np.minimum(tau, 0.02 * min((ph.decay_s / 0.5) ** 0.3, 1.5)), amp, rng.uniform(-1, 1, E),
                      rise=0.4 * rng.uniform(0, 1, E), max_len_s=0.08)
    y = bed * 0.5 + bub
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


FAMILY = Family(
    name="water_stream", ucs="WATRFlow", noun="water stream", kind="texture",
    render=render,
    params=(
        Param("flow", unit="%", lo=0.0, hi=100.0,
              doc="Flow speed: a trickle .. rushing (level and motion of the turbulent bed).",
              low_words=("trickling", "slow-flowing"), high_words=("rushing", "fast-flowing")),
        Param("babble", unit="%", lo=0.0, hi=100.0,
              doc="Density of the bubbling, gurgling voices (30 .. 930 per second).",
              high_words=("babbling", "gurgling")),
        Param("depth", unit="%", lo=0.0, hi=100.0,
              doc="A shallow, bright brook .. a deep, low river (-1.5 octaves).",
              low_words=("shallow",), high_words=("deep",)),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("water stream", 1), ("flowing water", 0), ("stream", 1), ("running water", 0)),
    scenes=(
        "a {adj} stream flowing{post}",
        "{adj} water running{post}",
        "a {adj} creek babbling{post}",
    ),
    tags=("water", "stream", "flow", "river"),
    keywords=("stream", "river", "brook", "creek", "running water", "flowing water", "babbling brook",
              "tap running", "waterfall"),
    rate_doc="babble density and surges x rate",
    intensity_words=(("gentle", "calm", "quiet"), ("rushing", "torrential", "strong")),
    sized=True,
    element_roles=("main",),
    design_roles=("bed",),
    role_params={
        "bed": BED_LAYER,
    },
    category="water",
    presets={
        "babbling_brook": {"babble": 0.7, "depth": -0.6},
        "wide_river": {"depth": 0.8, "flow": 0.6},
        "trickle": {"flow": -0.8, "intensity": -0.5},
    },
)
