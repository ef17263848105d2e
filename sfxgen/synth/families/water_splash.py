"""Water splash: something falling into water.

An impact thump and the gloop of the collapsing cavity, a sloshing body, bright spray and a
shower of droplets falling back (bubbles and ticks spread over the tail). Decay sets how long
the fall-back lasts; a heavier mass is lower.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import (
    white,
    lowpass,
    highpass,
    bandpass,
    sine_grains,
    noise_grains,
    finish,
    clamp_hz,
    place_two,
)
from sfxgen.synth.physics.bubbles import minnaert_tau_s
from sfxgen.synth.family import TEXTURE_LAYER, Family, Param, Physical

DEFAULT_DURATION_S = 2.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Splash (one-shot). aux: mass (pebble .. body falling in: deeper thump and cavity gloop),
    spray (sheet of bright spray noise), droplets (shower of drops falling back). ``decay`` sets
    how long the fall-back lasts."""
    sr = sample_rate
    mass, spray, drops = ph.aux[0], ph.aux[1], ph.aux[2]
    pr = ph.pitch_ratio * 2.0 ** (-1.5 * (ph.size - 0.5)) * 2.0 ** (-1.0 * mass)
    force = 0.4 + 0.8 * ph.intensity
    t0 = 0.005
    tail = max(ph.decay_s, 0.15)
    # impact thump + cavity collapse "gloop"
    y = np.zeros((2, n))
    thump = sine_grains(n, sr, np.array([int(t0 * sr)]), np.array([90.0 * pr]), np.array([0.03 + 0.04 * mass]),
                        np.array([(0.5 + 1.5 * mass) * force]), rise=-0.1)
    gloop = sine_grains(n, sr, np.array([int((t0 + 0.04 + 0.06 * mass) * sr)]), np.array([380.0 * pr]),
                        np.array([0.03 + 0.03 * mass]), np.array([0.8 * mass * force]), rise=0.2)
    y += thump + gloop
    # slosh body: band noise with a fast attack
    env = P.ad_env(n, sr, attack_s=0.004 + 0.02 * mass, decay_s=tail * (0.6 + 0.8 * mass), start_s=t0)
    body = place_two(bandpass(white(rng, (2, n)), 250 * pr, 2500 * pr * (0.6 + ph.brightness), sr))
    y += body * env * (0.5 + mass) * force
    # spray: bright, spattering (noise AM by a fast random crackle)
    sp_env = P.ad_env(n, sr, attack_s=0.012 + 0.02 * spray, decay_s=tail * 0.8, start_s=t0)
    spatter = np.abs(lowpass(white(rng, (2, n)), 300.0, sr, 1)) * 8
    spr = place_two(bandpass(white(rng, (2, n)), 1800 * pr, 15000 * pr, sr, 2) * spatter) * sp_env / np.sqrt(pr)
    y += spr * (0.1 + 1.2 * spray) * force * 0.6
    # droplets falling back: bubbles and ticks spread over the tail
    k = int((10 + 260 * drops) * force)
    td = t0 + 0.05 + rng.gamma(1.6, tail * 0.22, k)
    td = td[td < n / sr - 0.01]
    k = td.size
    f0 = 3.26 / (np.exp(rng.normal(np.log(1.2), 0.5, k)) * 1e-3) * ph.pitch_ratio
    f0 = clamp_hz(f0, sr)
    da = rng.uniform(0.1, 0.5, k) * force * np.exp(-(td - t0) / (tail + 1e-3))
    pans = rng.uniform(-0.9, 0.9, k)
    y += sine_grains(n, sr, (td * sr).astype(np.int64), f0, minnaert_tau_s(f0), da, pans, rise=0.3)
    y += highpass(noise_grains(rng, n, sr, (td * sr).astype(np.int64), np.full(k, 0.0004), da * 0.8, pans), 2000.0, sr, 1)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


FAMILY = Family(
    name="water_splash", ucs="WATRSplsh", noun="water splash", kind="oneshot",
    render=render,
    params=(
        Param("mass", unit="%", lo=0.0, hi=100.0,
              doc="What falls in: a pebble .. a body (a deeper thump and cavity gloop, lower).",
              low_words=("small", "light"), high_words=("heavy", "big")),
        Param("spray", unit="%", lo=0.0, hi=100.0,
              doc="Sheet of bright, spattering spray.",
              high_words=("with spray", "with a spray of water"), where="post"),
        Param("droplets", unit="%", lo=0.0, hi=100.0,
              doc="Droplets falling back into the water (10 .. 270 x force).",
              high_words=("with droplets falling back", "with trailing droplets"), where="post"),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("water splash", 1), ("splash", 1), ("splash into water", 1)),
    scenes=(
        "a {adj} object splashing into water{post}",
        "a {adj} splash in a pool{post}",
        "a {adj} water splash{post}",
    ),
    tags=("water", "splash"),
    keywords=("splash", "water splash", "jump into water", "plunge", "dive", "splash into pool",
              "drop in water", "plop", "sploosh"),
    element_roles=("main", "material"),
    design_roles=("texture",),
    role_params={
        "texture": TEXTURE_LAYER,
    },
    category="water",
    presets={
        "pebble_plop": {"mass": -0.8, "spray": -0.8, "droplets": -0.6},
        "cannonball": {"mass": 0.9, "spray": 0.7, "droplets": 0.8, "intensity": 0.7},
        "hand_splash": {"mass": -0.3, "spray": 0.4},
    },
)
