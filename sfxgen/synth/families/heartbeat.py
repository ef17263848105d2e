"""Heartbeat: "lub-dub" pairs of muffled low thuds.

Each beat is two soft-onset low tones (the valves closing) with a little band noise; tension
brings the second sound closer and sharper and speeds the beat.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth.blocks import lowpass, highpass, bandpass, sine_grains, noise_grains, finish, freq_scale
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 4.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Heartbeat ("lub-dub"). aux: thump (weight of the low thud, sub body), tension (stress:
    faster, closer and sharper second sound). ``rate``: about 66 bpm at the default, up to ~200."""
    sr = sample_rate
    thump, tension = ph.aux[0], ph.aux[1]
    dur = n / sr
    sc = freq_scale(ph, 1.0)
    bpm = 66.0 * ph.rate ** 0.8 * (1.0 + 0.35 * tension)
    period = 60.0 / bpm
    k = int(dur / period) + 2
    tb = 0.05 + np.arange(k) * period + rng.normal(0, 0.015 * period, k)
    tb = tb[(tb >= 0) & (tb < dur)]
    k = tb.size
    s2 = tb + 0.34 * period ** 0.5 * (1 - 0.25 * tension)
    force = 0.4 + 0.9 * ph.intensity
    a1 = force * rng.uniform(0.9, 1.1, k)
    a2 = force * (0.55 + 0.35 * tension) * rng.uniform(0.9, 1.1, k)

    def thud(times, f, tau, amp):
        # soft-onset low tone: amp * (exp(-t/tau) - exp(-t/(tau/4))) * sin(2 pi f t), a muffled
        # swell of a few cycles rather than a click
        st = (times * sr).astype(np.int64)
        ff = np.full(times.size, f)
        return (sine_grains(n, sr, st, ff, np.full(times.size, tau), amp)[0]
                - sine_grains(n, sr, st, ff, np.full(times.size, tau / 4), amp)[0]) * 1.6

    y = thud(tb, 52.0 * sc, 0.045, a1) + 0.5 * thud(tb + 0.012, 95.0 * sc, 0.03, a1)
    y = y + thud(s2, 68.0 * sc, 0.03 * (1 - 0.3 * tension), a2) + 0.5 * thud(s2 + 0.006, 130.0 * sc, 0.02, a2)
    y = y + thump * thud(tb, 32.0 * sc, 0.07, a1 * 1.2)
    # valve click / flow noise: a little band noise gives the thud texture
    valve = noise_grains(rng, n, sr, np.concatenate([(tb * sr), (s2 * sr)]).astype(np.int64),
                         np.full(2 * k, 0.02), np.concatenate([a1, a2 * (1 + tension)]))[0]
    y = y + 0.15 * bandpass(valve, 60 * sc, 400 * sc * (0.5 + ph.brightness), sr)
    y = lowpass(y, (250.0 + 1500.0 * ph.brightness ** 1.5) * sc, sr, 2)
    y = highpass(y, 20.0, sr, 1)
    return finish(y)


FAMILY = Family(
    name="heartbeat", ucs="HMNHart", noun="heartbeat", kind="texture",
    render=render,
    params=(
        Param("thump", unit="%", lo=0.0, hi=100.0,
              doc="Weight of the low thud (a sub body under the beat).",
              high_words=("thumping", "booming")),
        Param("tension", unit="%", lo=0.0, hi=100.0,
              doc="Stress: relaxed .. tense (up to 35 % faster, closer and sharper second sound).",
              low_words=("relaxed", "calm"), high_words=("tense", "anxious")),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("heartbeat", 1), ("heart beat", 1), ("heart pounding", 1), ("pulse", 1)),
    scenes=(
        "a {adj} heartbeat thumping{post}",
        "a {adj} heart beating{post}",
        "the sound of a {adj} heartbeat{post}",
    ),
    tags=("heartbeat", "heart", "pulse", "human"),
    keywords=("heartbeat", "heart", "pulse", "heart beat", "heart pounding", "lub dub", "heartbeats"),
    rate_doc="66 beats/min at rate 1 (x rate^0.8)",
    rate_words=(("slow", "resting"), ("fast", "racing", "rapid")),
    intensity_words=(("faint", "soft"), ("pounding", "strong", "hard")),
    element_roles=("main",),
    design_roles=(),
    category=None,
    presets={
        "resting": {"rate": -0.3, "tension": -0.8},
        "racing": {"rate": 0.6, "tension": 0.8, "intensity": 0.6},
        "deep_thump": {"thump": 0.9, "size": 0.5},
    },
)
