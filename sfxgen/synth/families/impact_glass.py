"""Glass impact: a clink or tap on glass (modal synthesis).

High, sparse shell modes (n(n²-1)/√(n²+1)) with faint doublets, a bright long ring and a hard
tick of contact noise. Thicker glass is higher and rings shorter; size lowers the modes.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.physics.struck import size_freq, tilt_amps, strike, glass_modes
from sfxgen.synth.family import Family, Param, Physical, material_texture

DEFAULT_DURATION_S = 1.5


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Glass clink: high shell modes with doublets, bright long ring and a hard tick.

    aux: ring (decay), hardness (tick sharpness), thickness (raises modes, shortens ring).
    """
    sr = sample_rate
    ring, hard, thick = ph.aux[:3]
    f0 = size_freq(ph.size, 2400.0, 420.0) * ph.pitch_ratio * (0.8 + 0.5 * thick)
    f, t60 = glass_modes(f0, rng, 8, ring * (1.0 - 0.4 * thick), ph.decay_s, ph.size)
    f = f * (1 + 0.04 * rng.uniform(-1, 1, f.size) * (np.arange(f.size) > 0))  # inharmonic shell
    # bright: upper modes as strong as the lowest (a struck glass is a sharp "tink", not a beep)
    amps = tilt_amps(f, f0, ph.brightness, base=-0.15, span=1.4) * rng.uniform(0.5, 1.0, f.size)
    amps[0] *= 0.8
    split = 1 + rng.uniform(0.0003, 0.0015, f.size)  # faint doublets: a shimmer, not a wobble
    ir = P.modal_ir(n, sr, np.concatenate([f, f * split]), np.concatenate([t60, t60]),
                    np.concatenate([amps, 0.25 * amps]), phases=rng.uniform(0, 2 * np.pi, 2 * f.size))
    y = strike(ir, sr, np.clip(0.7 + 0.2 * hard + 0.1 * ph.intensity, 0, 1), mass_ms=0.4)
    y /= P.peak_abs(y) + 1e-12
    tick = P.highpass(P.white(rng, n) * P.decay_env(n, sr, 0.0015 + 0.002 * (1 - hard)), sr, 3000.0)
    y += (0.25 + 0.5 * hard) * tick / (P.peak_abs(tick) + 1e-12)
    return y[None, :]


FAMILY = Family(
    name="impact_glass", ucs="GLASImpt", noun="glass impact", kind="oneshot",
    render=render,
    params=(
        Param("ring", unit="x", lo=0.5, hi=2.0,
              doc="How long the glass rings: multiplies the decay time (x0.5 .. x2, shortened by thickness).",
              low_words=("dull",), high_words=("ringing",)),
        Param("hardness", unit="%", lo=0.0, hi=100.0,
              doc="Striker hardness: a soft tap .. a sharp tick of contact noise."),
        Param("thickness", unit="%", lo=0.0, hi=100.0,
              doc="Wall thickness: thin (lower, longer ring) .. thick (modes x1.3 higher, shorter ring).",
              low_words=("thin",), high_words=("thick",)),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("glass impact", 1), ("glass clink", 1), ("glass tap", 1), ("glassy hit", 1)),
    scenes=(
        "a {adj} glass struck{post}",
        "a {adj} glass bottle tapped{post}",
        "clink of a {adj} glass{post}",
    ),
    tags=("glass", "impact", "clink"),
    keywords=("glass", "clink", "wine glass", "bottle", "glass tap", "glass hit", "tink", "jar"),
    ringing=True,
    tonal_pitch=True,
    **material_texture(category="impact"),
    presets={
        "wine_glass_clink": {"size": -0.4, "ring": 0.6, "thickness": -0.6},
        "bottle_tap": {"thickness": 0.6, "ring": -0.2},
        "thick_glass_knock": {"thickness": 1.0, "ring": -0.8},
    },
)
