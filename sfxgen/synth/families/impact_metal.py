"""Metal impact: a struck bar or plate (modal synthesis).

A contact-force pulse drives dense, inharmonic bar/plate modes with beating doublets (metal
shells), a long ring whose high modes die only slightly faster (low internal friction), a bright
contact click and an optional rattle of loose parts. Size lowers every mode (1/size) and
lengthens the ring; pitch shifts the modes; brightness tilts their amplitudes; intensity hardens
the strike and drives it into saturation.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.physics.struck import size_freq, tilt_amps, strike
from sfxgen.synth.family import Family, Param, Physical, material_texture

DEFAULT_DURATION_S = 2.5


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Metal hit: inharmonic plate/bar modes with beating doublets, long ring, optional rattle.

    aux: ring (decay multiplier), hardness (mallet), inharmonicity (bar → plate-like spread),
    damping_hf (how much faster high modes die), rattle (loose-part buzz).
    """
    sr = sample_rate
    ring, hard, inh, damp, rattle = ph.aux[:5]
    f0 = size_freq(ph.size, 3000.0, 160.0) * ph.pitch_ratio
    M = 28
    k = np.arange(1, M + 1, dtype=np.float64)
    bar = (2 * k + 1) ** 2 / 9.0  # free-free bar ~ (2k+1)² spacing (1, 2.78, 5.44, ...)
    plate = k ** 1.35 * (1 + 0.25 * rng.uniform(-1, 1, M))
    ratios = np.sort((1 - inh) * bar + inh * plate)
    ratios[0] = 1.0
    f = f0 * ratios * (1 + 0.01 * rng.standard_normal(M))
    amps = tilt_amps(f, f0, ph.brightness, base=0.1, span=1.6) * rng.uniform(0.3, 1.0, M)
    amps[0] = 3.0  # the fundamental is a full-strength mode: it sets the perceived pitch
    t60_0 = ph.decay_s * (0.5 + 2.5 * ring) * (0.6 + 0.8 * ph.size)
    t60 = t60_0 * (f / f0) ** (-(0.02 + 0.5 * damp))
    # doublets: each mode split by 0.05-0.6 % -> slow beating typical of metal shells
    split = 1 + rng.uniform(0.0005, 0.006, M)
    freqs = np.concatenate([f, f * split])
    ir = P.modal_ir(n, sr, freqs, np.concatenate([t60, t60 * 0.9]),
                    np.concatenate([amps, amps * rng.uniform(0.2, 0.8, M)]),
                    phases=rng.uniform(0, 2 * np.pi, 2 * M))
    hardness = np.clip(0.35 * hard + 0.35 * ph.intensity + 0.3 * ph.brightness, 0, 1)
    y = strike(ir, sr, hardness, mass_ms=0.4 + 1.0 * ph.size)
    y /= P.peak_abs(y) + 1e-12
    # contact click: a short bright noise burst
    tc = 0.004 + 0.004 * (1 - hard)
    m = min(n, int(P.ENV_FLOOR_T60S * tc * sr) + 1)  # decay_env is exactly 0 after m
    click = np.zeros(n)
    click[:m] = P.white(rng, n)[:m] * P.decay_env(m, sr, tc)
    click = P.highpass(click, sr, 2500.0, sparse=True)
    y += (0.05 + 0.25 * hard * ph.intensity) * click / (P.peak_abs(click) + 1e-12)
    if rattle > 0.05:
        on = P.poisson_onsets(rng, 150 + 500 * rattle, n, sr, end_s=min(n / sr, 0.15 + 0.6 * t60_0))
        env = P.decay_env(n, sr, 0.3 + 0.6 * t60_0)
        buzz = P.bandpass(P.impulses(n, on, rng.uniform(0.3, 1.0, on.size)), sr, 2.5 * f0 + 1500.0, q=2.0,
                          sparse=True)
        y += 0.6 * rattle * env * buzz / (P.peak_abs(buzz) + 1e-12)
    if ph.intensity > 0.7:
        y = P.saturate(y, (ph.intensity - 0.7) * 1.2)
    return y[None, :]


FAMILY = Family(
    name="impact_metal", ucs="METLImpt", noun="metal impact", kind="oneshot",
    render=render,
    params=(
        Param("ring", unit="x", lo=0.5, hi=3.0,
              doc="How long the metal rings: multiplies the decay time (x0.5 damped .. x3 ringing).",
              low_words=("dull", "damped"), high_words=("ringing", "resonant")),
        Param("hardness", unit="%", lo=0.0, hi=100.0,
              doc=("Striker hardness: soft mallet (few, dull high modes) .. hard hammer (a sharp contact click, "
                   "bright modes)."),
              low_words=("soft-mallet",), high_words=("hard-hit",)),
        Param("inharmonicity", unit="%", lo=0.0, hi=100.0,
              doc=("Mode pattern: a free bar ((2k+1)^2 spacing, almost tonal) .. a plate (dense, clangorous "
                   "partials)."),
              high_words=("clangorous", "jangly")),
        Param("damping_hf", unit="exponent", lo=0.02, hi=0.52,
              doc=("How much faster high modes die: T60 falls as (f / f0)^-e with e from 0.02 (all ring) to 0.52"
                   " (only the fundamental rings).")),
        Param("rattle", unit="%", lo=0.0, hi=100.0,
              doc="Loose-part buzz after the hit (a rattling lid, a loose bolt): none .. strong (above 5 %).",
              high_words=("with a rattle", "with a rattling buzz"), where="post"),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("metal impact", 1), ("metal clang", 1), ("steel hit", 1), ("metallic strike", 1), ("clang", 1)),
    scenes=(
        "a {adj} steel beam struck{post}",
        "clang of a {adj} metal pipe{post}",
        "a {adj} metal plate hit with a hammer{post}",
        "a {adj} iron bar struck{post}",
    ),
    tags=("metal", "impact", "clang", "hit"),
    keywords=("metal", "steel", "iron", "clang", "metal hit", "anvil", "pipe", "metal plate", "metallic",
              "tin can", "hammer on metal"),
    ringing=True,
    tonal_pitch=True,
    **material_texture(category="impact"),
    presets={
        "pipe_clang": {"size": -0.2, "ring": 0.5, "inharmonicity": -0.6},
        "anvil_strike": {"size": 0.2, "hardness": 1.0, "ring": 0.8, "inharmonicity": -0.2, "decay": 0.5},
        "sheet_metal": {"size": 0.6, "inharmonicity": 0.9, "rattle": 0.6},
        "tin_can": {"size": -0.8, "ring": -0.6, "rattle": 0.2},
    },
)
