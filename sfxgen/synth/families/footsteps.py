"""Footsteps: a person walking.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import (
    white,
    lowpass,
    highpass,
    bandpass,
    bandpass_sos,
    modes,
    sine_grains,
    noise_grains,
    convolve,
    finish,
    freq_scale,
)
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 4.0


SURFACES: tuple[str, ...] = ("concrete", "wood", "gravel", "grass_leaves", "metal")


def surface_name(u: float) -> str:
    """The footsteps surface selected by aux ``surface`` = u in [0, 1] (five equal ranges)."""
    return SURFACES[min(int(u * len(SURFACES)), len(SURFACES) - 1)]


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Footsteps. aux: surface (see module table), weight (light child .. heavy body: more thud,
    slower roll, more grains), shoe_hardness (soft sneaker .. hard heel: click brightness),
    scuff (dragging after each step). ``rate`` is pace: 1.8 steps/s at the default."""
    sr = sample_rate
    surf = surface_name(ph.aux[0])
    weight, shoe, scuff = ph.aux[1], ph.aux[2], ph.aux[3]
    dur = n / sr
    sc = freq_scale(ph, 1.0)
    ring = (ph.decay_s / 0.5) ** 0.3
    force = 0.4 + 0.9 * ph.intensity
    interval = 0.55 / ph.rate
    k = int((dur - 0.05) / interval) + 1
    t_heel = 0.05 + np.arange(k) * interval + rng.normal(0, 0.03 * interval, k)
    t_heel = np.clip(t_heel, 0.0, None)
    t_heel = t_heel[t_heel < dur - 0.02]
    k = t_heel.size
    roll = (0.045 + 0.06 * weight) * min(1.0, interval / 0.45)
    t_toe = t_heel + roll * rng.uniform(0.85, 1.15, k)
    a = force * rng.uniform(0.85, 1.15, k) * np.where(np.arange(k) % 2, 0.9, 1.0)
    hs, ts = (t_heel * sr).astype(np.int64), (t_toe * sr).astype(np.int64)
    soft_ground = surf == "grass_leaves"
    # heel/toe clicks: shoe sole against the ground
    ctau = (0.0025 - 0.0021 * shoe) * (1.5 if soft_ground else 1.0)
    clicks = noise_grains(rng, n, sr, np.concatenate([hs, ts]), np.full(2 * k, ctau),
                          np.concatenate([a, 0.55 * a]))[0]
    clicks = lowpass(clicks, (900.0 + 9000.0 * shoe * (0.4 + 0.6 * ph.brightness)) * sc, sr, sparse=True)
    # a hard heel/sole is itself a small resonant body: a short "tock" on top of the contact noise
    clicks = clicks + shoe * P.resonator_bank(clicks, sr, np.array([1150.0, 2350.0, 3900.0]) * sc,
                                              np.array([0.03, 0.02, 0.012]), np.array([1.0, 0.6, 0.35]), sparse=True)
    # body weight thud
    thud = sine_grains(n, sr, hs, np.full(k, 75.0 * sc * (1.2 - 0.4 * weight)), np.full(k, 0.025 + 0.03 * weight),
                       a * (0.3 + 1.2 * weight) * (0.5 if soft_ground else 1.0), rise=-0.15)[0]
    y = 0.5 * thud
    exc = P.impulses(n, np.concatenate([hs, ts]), np.concatenate([a, 0.5 * a]))
    if surf == "concrete":
        grit = noise_grains(rng, n, sr, np.concatenate([hs, ts]), np.full(2 * k, 0.006 * ring),
                            np.concatenate([a, 0.5 * a]) * 0.35)[0]
        y = y + clicks + bandpass(grit, 900 * sc, 7000 * sc, sr, sparse=True)
    elif surf == "wood":
        f = np.array([105, 172, 248, 355, 512, 690, 930, 1320, 1850]) * sc * rng.uniform(0.95, 1.05, 9)
        ir = modes(f, np.array([0.09, 0.07, 0.06, 0.05, 0.04, 0.03, 0.025, 0.02, 0.015]) * ring * (0.6 + ph.size),
                      np.array([1.0, 0.8, 0.9, 0.6, 0.5, 0.4, 0.3, 0.2, 0.15]), sr, 1.0)
        y = y + 0.6 * clicks + 0.25 * convolve(exc + 0.5 * clicks, ir)
    elif surf in ("gravel", "grass_leaves"):
        g = int(25 + 60 * weight) if surf == "gravel" else int(60 + 80 * weight)
        spread = (0.09 if surf == "gravel" else 0.16) * (0.7 + 0.6 * weight) * min(1.0, interval / 0.45) ** 0.5
        gt = np.repeat(t_heel, g) + rng.gamma(1.5, spread / 1.5, k * g)
        gt = np.concatenate([gt, np.repeat(t_toe, g // 2) + rng.gamma(1.3, spread / 2.5, k * (g // 2))])
        ga = np.minimum(rng.pareto(2.0, gt.size), 8.0) * np.concatenate([np.repeat(a, g), np.repeat(a, g // 2)])
        if surf == "gravel":
            gr = noise_grains(rng, n, sr, (gt * sr).astype(np.int64), rng.uniform(0.0003, 0.002, gt.size) * ring, ga * 0.25)[0]
            y = y + 0.7 * clicks + bandpass(gr, 600 * sc, 8000 * sc * (0.5 + ph.brightness), sr, sparse=True)
        else:
            gr = noise_grains(rng, n, sr, (gt * sr).astype(np.int64), rng.uniform(0.00008, 0.0005, gt.size), ga * 0.25)[0]
            swish_env = convolve(exc, np.exp(-np.arange(int(0.12 * sr)) / (0.04 * sr)))
            swish = highpass(white(rng, n), 1500 * sc, sr) * swish_env * 0.02
            y = y + 0.25 * clicks + highpass(gr, 1800 * sc, sr, sparse=True) + swish
    else:  # metal
        f = 380.0 * sc * np.array([1.0, 1.58, 2.43, 3.17, 4.09, 5.3, 6.7, 8.2, 10.4]) * rng.uniform(0.97, 1.03, 9)
        ir = modes(f, np.array([0.35, 0.3, 0.25, 0.2, 0.16, 0.12, 0.09, 0.07, 0.05]) * ring * (0.5 + ph.size),
                      1.0 / np.sqrt(np.arange(1, 10)), sr, 2.0)
        rat = noise_grains(rng, n, sr, (np.repeat(t_heel, 3) + rng.uniform(0.01, 0.06, 3 * k)) * sr,
                           np.full(3 * k, 0.0008), np.repeat(a, 3) * 0.3)[0]
        y = y + 0.7 * clicks + 0.15 * convolve(exc + 0.3 * clicks + rat, ir)
    if scuff > 0.02:
        env = convolve(P.impulses(n, ts, a), np.sin(np.linspace(0, np.pi, int(0.14 * sr))) ** 2)
        # the drag noise is filtered only where its envelope is non-zero
        drag = P.sosfilt_gated(bandpass_sos(350 * sc, 4500 * sc, sr), white(rng, n), env)
        if surf in ("gravel", "grass_leaves"):
            drag = drag * (1 + 3 * np.abs(lowpass(white(rng, n), 80, sr, 1)) * 10)
        y = y + scuff * 0.25 * drag
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


FAMILY = Family(
    name="footsteps", ucs="FEETHmn", noun="footsteps", kind="texture",
    render=render,
    params=(
        Param("surface", choices=("concrete", "wood", "gravel", "grass_leaves", "metal"),
                                  choice_words=(("concrete", ("on concrete", "on a concrete floor")), ("wood",
                                  ("on a wooden floor", "on wooden boards")), ("gravel", ("on gravel",
                                  "on a gravel path")), ("grass_leaves", ("on grass and leaves",
                                  "through dry leaves")), ("metal", ("on a metal grating", "on metal"))),
              doc="Ground surface, five equal ranges of u."),
        Param("weight", unit="%", lo=0.0, hi=100.0,
              doc="Walker weight: light child .. heavy body (more thud, slower roll, more grains)."),
        Param("shoe_hardness", unit="%", lo=0.0, hi=100.0,
              doc="Sole: soft sneaker .. hard heel (brighter, sharper click).",
              low_words=("soft-soled", "sneaker"), high_words=("hard-soled", "heeled")),
        Param("scuff", unit="%", lo=0.0, hi=100.0,
              doc="Dragging of the foot after each step.",
              high_words=("with scuffs", "scuffing"), where="post"),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("footsteps", 0), ("steps", 0), ("footfalls", 0)),
    scenes=(
        "{adj} footsteps walking{post}",
        "someone walking with {adj} steps{post}",
        "a person's {adj} footsteps{post}",
    ),
    tags=("footsteps", "walking", "steps", "foley"),
    keywords=("footsteps", "steps", "walking", "walk", "footstep", "running", "foley steps"),
    rate_doc="1.8 steps/s at rate 1 (x rate)",
    rate_words=(("slow",), ("fast", "hurried", "quick")),
    intensity_words=(("light", "soft", "quiet"), ("heavy", "stomping", "hard")),
    element_roles=("main",),
    design_roles=(),
    category="footstep",
)
