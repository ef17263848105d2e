"""Bubbles: bubbles rising and popping in water.

Minnaert bubbles (damped sines whose pitch rises as they settle) at a Poisson rate, optionally
arriving in glugging bursts with big low bubbles and sloshing water.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import white, bandpass, smooth_random, onsets, sine_grains, finish, clamp_hz, place_two
from sfxgen.synth.physics.bubbles import minnaert_tau_s
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 3.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Bubbles. aux: bubble_size (fizz .. big blops), density (sparse .. boiling), gurgle
    (bubbles arrive in glugging bursts with big low bubbles)."""
    sr = sample_rate
    bsz, dens, gurg = ph.aux[0], ph.aux[1], ph.aux[2]
    dur = n / sr
    rate = (6.0 + 500.0 * dens ** 2) * (0.3 + ph.intensity) * ph.rate
    # bursts: with gurgle the rate is gated by a slow random pulse train
    burst = np.clip(smooth_random(rng, 2048, 2048 / dur, 1.2 * ph.rate) * 2.5 + 0.5, 0, None)
    burst_env = P.interp_uniform(np.arange(n) * (2047 / (dur * sr)), burst)  # burst on 2048 points over the clip
    gate = rate * ((1 - gurg) + gurg * 2.5 * burst_env)
    t = onsets(rng, gate, n, sr, cap=int(500 * dur)) / sr
    t = np.concatenate([[min(rng.uniform(0.005, 0.05), 0.5 * dur)], t])  # something bubbles at once
    E = len(t)
    r_mm = np.exp(rng.normal(np.log(0.6 + 5.0 * bsz ** 1.5), 0.45, E)) * (0.5 + ph.size)
    f0 = 3.26 / (r_mm * 1e-3) * ph.pitch_ratio
    big = rng.uniform(0, 1, E) < 0.15 * gurg
    f0[big] *= rng.uniform(0.15, 0.35, big.sum())
    f0 = clamp_hz(f0, sr)
    tau = minnaert_tau_s(f0) * (0.7 + 0.6 * rng.uniform(0, 1, E))
    amp = (r_mm / 2.0) ** 0.5 * rng.uniform(0.3, 1.0, E) * (0.5 + 0.7 * ph.intensity)
    amp[big] *= 2.0
    pans = rng.uniform(-0.8, 0.8, E)
    y = sine_grains(n, sr, (t * sr).astype(np.int64), f0, tau, amp, pans, rise=0.25 + 0.4 * rng.uniform(0, 1, E))
    if gurg > 0.1:
        env = burst_env
        slosh = place_two(bandpass(white(rng, (2, n)), 120 * ph.pitch_ratio, 900 * ph.pitch_ratio, sr))
        y = y + slosh * env * gurg * 0.08 * (0.3 + ph.intensity)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


FAMILY = Family(
    name="water_bubbles", ucs="WATRBubl", noun="bubbles", kind="texture",
    render=render,
    params=(
        Param("bubble_size", unit="%", lo=0.0, hi=100.0,
              doc="Bubble radius (0.6 .. 5.6 mm median): a fizz of tiny bubbles .. big, glugging blops.",
              low_words=("tiny", "fizzy"), high_words=("big", "large", "glugging")),
        Param("density", unit="%", lo=0.0, hi=100.0,
              doc="Bubbles per second (6 .. 500, u² curve): sparse .. boiling.",
              low_words=("sparse", "occasional"), high_words=("dense", "frothing", "boiling")),
        Param("gurgle", unit="%", lo=0.0, hi=100.0,
              doc="Bubbles arrive in glugging bursts with big low bubbles and sloshing.",
              high_words=("gurgling",)),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("bubbles", 0), ("bubbling water", 0), ("underwater bubbles", 0), ("water bubbling", 0)),
    scenes=(
        "{adj} bubbles rising in water{post}",
        "{adj} water bubbling{post}",
        "the sound of {adj} bubbles{post}",
    ),
    tags=("water", "bubbles", "bubbling"),
    keywords=("bubbles", "bubbling", "underwater", "boiling", "gurgle", "fizz", "aquarium", "bubbly", "blub"),
    rate_doc="bubbles/s and glug bursts x rate",
    element_roles=("main",),
    design_roles=(),
    category="water",
    presets={
        "boiling_pot": {"density": 0.9, "bubble_size": -0.2},
        "aquarium": {"density": -0.2, "bubble_size": -0.5},
        "gurgling_drain": {"gurgle": 0.9, "bubble_size": 0.5},
        "fizz": {"bubble_size": -1.0, "density": 0.8},
    },
)
