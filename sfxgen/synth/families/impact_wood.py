"""Wood impact: a knock on a plank or box (modal synthesis).

A few low-Q plank modes with a short decay and high modes damped hard, fibrous body noise, an
optional box-cavity mode (hollowness) and splinter snaps (crack). Size lowers the modes and
lengthens the knock; intensity and brightness harden the strike.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.physics.struck import size_freq, tilt_amps, strike
from sfxgen.synth.family import TEXTURE_LAYER, Family, Param, Physical

DEFAULT_DURATION_S = 1.5


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Wood knock: a few low-Q plank modes, short decay, fibrous noise and optional crack.

    aux: hollowness (box cavity resonance), hardness, grain (fibre noise), crack (splinter).
    """
    sr = sample_rate
    hollow, hard, grain, crack = ph.aux[:4]
    f0 = size_freq(ph.size, 1300.0, 110.0) * ph.pitch_ratio
    ratios = np.array([1.0, 2.6, 4.3, 6.6, 9.2, 12.5]) * (1 + 0.05 * rng.uniform(-1, 1, 6))
    f = f0 * ratios
    amps = tilt_amps(f, f0, ph.brightness, base=-0.3, span=1.8) * rng.uniform(0.5, 1.0, 6)
    t60_0 = np.clip(0.25 * ph.decay_s, 0.03, 0.6) * (0.6 + 0.8 * ph.size)
    t60 = t60_0 * (f / f0) ** -0.8
    if hollow > 0.05:  # Helmholtz-like cavity: lower, longer, rounder
        f = np.append(f, f0 * (0.55 + 0.1 * rng.uniform()))
        t60 = np.append(t60, t60_0 * (1.0 + 1.2 * hollow))
        amps = np.append(amps, 0.8 * hollow)
    ir = P.modal_ir(n, sr, f, t60, amps, phases=rng.uniform(0, 2 * np.pi, f.size))
    hardness = np.clip(0.4 * hard + 0.3 * ph.intensity + 0.3 * ph.brightness, 0, 1)
    y = strike(ir, sr, hardness, mass_ms=0.3 + 0.8 * ph.size)
    y /= P.peak_abs(y) + 1e-12
    # fibrous body noise: band-passed noise burst through a short decay
    fib = P.bandpass(P.white(rng, n), sr, 500.0 + 3500.0 * ph.brightness ** 1.5, q=0.9)
    fib *= P.decay_env(n, sr, 0.02 + 0.05 * t60_0 / 0.6)
    y += (0.15 + 0.6 * grain) * fib / (P.peak_abs(fib) + 1e-12)
    if crack > 0.05:
        on = np.sort(rng.integers(0, int(0.004 * sr) + 1, 1 + int(6 * crack))) + int(0.0005 * sr)
        snaps = P.place(n, on, P.noise_grains(rng, on.size, sr, length_s=0.012, t60_s=0.006),
                        rng.uniform(0.4, 1.0, on.size))
        snaps = P.highpass(snaps, sr, 1800.0)
        y += 0.9 * crack * snaps / (P.peak_abs(snaps) + 1e-12)
    return y[None, :]


FAMILY = Family(
    name="impact_wood", ucs="WOODImpt", noun="wood impact", kind="oneshot",
    render=render,
    params=(
        Param("hollowness", unit="%", lo=0.0, hi=100.0,
              doc=("Box cavity resonance: a solid plank .. a hollow box (a lower, longer cavity mode, above 5 "
                   "%)."),
              low_words=("solid",), high_words=("hollow",)),
        Param("hardness", unit="%", lo=0.0, hi=100.0,
              doc="Striker hardness: soft (a dull thud) .. hard (a bright knock)."),
        Param("grain", unit="%", lo=0.0, hi=100.0,
              doc="Fibrous body noise of the wood: faint .. rough."),
        Param("crack", unit="%", lo=0.0, hi=100.0,
              doc="Splinter snaps on the hit: none .. a sharp splintering crack (1 to 7 snaps, above 5 %).",
              high_words=("with a sharp crack", "with a splintering crack"), where="post"),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("wood impact", 1), ("wooden knock", 1), ("wood hit", 1), ("timber thud", 1)),
    scenes=(
        "a {adj} wooden plank struck{post}",
        "knock on a {adj} wooden box{post}",
        "a {adj} piece of timber hit{post}",
    ),
    tags=("wood", "impact", "knock", "hit"),
    keywords=("wood", "wooden", "knock", "plank", "crate", "timber", "log", "wood hit", "wooden box"),
    element_roles=("main", "material"),
    design_roles=("texture", "body"),
    role_params={
        "texture": TEXTURE_LAYER,
        "body": {"size": 0.4, "space": -1.0},
    },
    category="impact",
    presets={
        "plank_drop": {"size": 0.5, "hollowness": -0.6, "intensity": 0.5},
        "hollow_crate": {"hollowness": 0.9, "size": 0.2},
        "stick_crack": {"size": -0.6, "crack": 0.9, "hardness": 0.8},
        "knuckle_knock": {"size": -0.2, "hardness": -0.3, "decay": -0.5},
    },
)
