"""Stone impact: rock hitting rock (modal synthesis with grit and debris).

Very dense, heavily damped modes, gritty crunch noise from the crushed surface and optional
pebbles bouncing after the hit. Size lowers the modes and the pebbles.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.physics.struck import size_freq, tilt_amps, strike
from sfxgen.synth.family import Family, Param, Physical, material_texture

DEFAULT_DURATION_S = 1.5


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Stone/rock hit: dense heavily damped modes, gritty contact noise, falling debris.

    aux: grit (crushed-surface noise), hardness, debris (pebbles bouncing after the hit).
    """
    sr = sample_rate
    grit, hard, debris = ph.aux[:3]
    f0 = size_freq(ph.size, 600.0, 45.0) * ph.pitch_ratio
    M = 24
    f = f0 * np.sort(np.exp(rng.uniform(0, np.log(40.0), M)))
    f[0] = f0
    t60_0 = np.clip(0.12 * ph.decay_s, 0.03, 0.35) * (0.6 + 0.8 * ph.size)
    t60 = t60_0 * (f / f0) ** -0.8
    amps = tilt_amps(f, f0, ph.brightness, base=-0.7) * rng.uniform(0.2, 1.0, M)
    ir = P.modal_ir(n, sr, f, t60, amps, phases=rng.uniform(0, 2 * np.pi, M))
    y = strike(ir, sr, np.clip(0.4 * hard + 0.4 * ph.intensity + 0.2 * ph.brightness, 0, 1),
             mass_ms=1.5 + 2.0 * ph.size)
    y /= P.peak_abs(y) + 1e-12
    # grit: crunchy noise with a micro-impulse texture
    on = P.poisson_onsets(rng, 4000.0, n, sr, end_s=0.02 + 0.06 * grit)
    crunch = P.impulses(n, on, rng.uniform(-1, 1, on.size)) + 0.3 * P.white(rng, n)
    crunch = P.bandpass(crunch, sr, 1500.0 + 3500.0 * ph.brightness, q=0.7)
    crunch *= P.decay_env(n, sr, 0.03 + 0.08 * grit)
    y += (0.2 + 0.9 * grit) * crunch / (P.peak_abs(crunch) + 1e-12)
    if debris > 0.05:
        dur = 0.3 + 1.0 * debris
        rate = (20.0 + 80.0 * debris) * P.decay_env(n, sr, dur, start_s=0.02) * (P.time_s(n, sr) > 0.02)
        on = P.poisson_onsets(rng, rate, n, sr)
        fr = rng.uniform(1200.0, 5000.0, on.size) * (1.3 - 0.6 * ph.size)
        peb = P.ping_grains(sr, fr, rng.uniform(0.01, 0.04, on.size), length_s=0.04,
                            phases=rng.uniform(0, 2 * np.pi, on.size))
        rubble = P.place(n, on, peb, rng.uniform(0.1, 0.6, on.size) * P.decay_env(n, sr, dur)[on])
        y += 0.5 * debris * rubble / (P.peak_abs(rubble) + 1e-12)
    return y[None, :]


FAMILY = Family(
    name="impact_stone", ucs="ROCKImpt", noun="stone impact", kind="oneshot",
    render=render,
    params=(
        Param("grit", unit="%", lo=0.0, hi=100.0,
              doc="Crushed-surface crunch: a short tick (20 ms) .. a gravelly crunch (80 ms, louder).",
              high_words=("gritty", "gravelly")),
        Param("hardness", unit="%", lo=0.0, hi=100.0,
              doc="Striker hardness: a dull thud .. a sharp crack."),
        Param("debris", unit="%", lo=0.0, hi=100.0,
              doc="Falling debris after the hit: none .. 1.3 s of bouncing pebbles (above 5 %).",
              high_words=("with falling debris", "with crumbling debris"), where="post"),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("stone impact", 1), ("rock hit", 1), ("stone thud", 1), ("rock impact", 1)),
    scenes=(
        "a {adj} rock dropped onto stone{post}",
        "a {adj} stone block hit{post}",
        "a {adj} boulder impact{post}",
    ),
    tags=("stone", "rock", "impact"),
    keywords=("stone", "rock", "boulder", "concrete", "brick", "rock hit", "pebble", "cobblestone"),
    **material_texture(category="impact"),
    presets={
        "rock_drop": {"size": 0.3, "debris": 0.3},
        "boulder_impact": {"size": 0.9, "debris": 0.6, "intensity": 0.6},
        "pebble_tap": {"size": -0.8, "grit": -0.4},
        "brick_hit": {"grit": 0.6, "hardness": 0.6},
    },
)
