"""Riser: a tension build-up that climbs to the last frame.

A detuned saw stack gliding up 1-2.5 octaves (or an endless Shepard-Risset glissando), a noise
wash whose filter opens, and a tremolo accelerating into the end. Rate speeds the build;
intensity widens the climb.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import norm_peak
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 4.0


def _shepard(n: int, sr: int, f_lo: float, oct_per_s: float, *, k: int = 6) -> np.ndarray:
    """Shepard-Risset glissando: k octave-spaced sines rising ``oct_per_s`` under a sin² bell.

    Each component's frequency f_lo·2^pos rises exponentially, so its phase has the closed form
    f_lo·2^pos / (r·ln 2); where it wraps from the top octave to the bottom its bell amplitude
    is exactly 0, so the phase reset is silent.
    """
    t = P.time_s(n, sr)
    r = max(oct_per_s, 1e-3)
    out = np.zeros(n)
    rt = r * t
    for j in range(k):  # k vector ops
        u = (rt + j) / k
        u -= np.floor(u)  # pos / k, pos = (j + r t) mod k
        bell = P.sin_cycles(0.5 * u)
        bell *= bell
        bell *= P.sin_cycles(f_lo / (r * np.log(2.0)) * np.exp2(k * u))
        out += bell
    return out


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Tension riser: detuned saw stack gliding up 1-2 octaves (or an endless Shepard rise), a
    noise wash whose filter opens, tremolo accelerating into the end; builds to the last frame.

    aux: noise_mix, tension (detune + accelerating tremolo), shepard (glissando illusion).
    """
    sr = sample_rate
    noise_mix, tension, shep = ph.aux[:3]
    T = n / sr
    t = P.time_s(n, sr)
    prog = np.clip(t / (0.97 * T), 0, 1)
    shape = prog ** (1.0 + 1.5 * (1 - ph.rate / 4))  # slow builds stay low longer
    f0 = 110.0 * ph.pitch_ratio * 2.0 ** (-1.5 * ph.size)
    octs = 1.0 + 1.5 * ph.intensity
    f = f0 * np.exp2(octs * shape)
    det = 0.002 + 0.02 * tension
    stack = sum(P.saw(f * (1 + det * d), n, sr, phase0=rng.uniform()) for d in (-1.0, -0.4, 0.3, 1.0))
    stack = stack + 0.5 * P.saw(2 * f * (1 + det * 0.5), n, sr)
    open_ = 0.5 + ph.brightness
    ton = P.stft_shape(stack, sr, lambda fr, tt: 1.0 / (1.0 + (fr / (300.0 * 2.0 ** (5.0 * open_ * np.clip(tt / (0.97 * T), 0, 1) ** 1.5))) ** 4))
    if shep > 0.05:
        sh = _shepard(n, sr, 55.0 * ph.pitch_ratio, (1.0 + 3.0 * ph.rate) * 2.0 / max(T, 1e-3))
        ton = (1 - shep) * norm_peak(ton) + shep * norm_peak(sh)
    nz = P.shaped_noise(rng, n, sr, lambda fr, tt: P.band_gain(fr, 500.0 * 2.0 ** (4.5 * np.clip(tt / T, 0, 1) ** 1.5), 0.7))
    y = (1 - 0.8 * noise_mix) * norm_peak(ton) + (0.15 + 0.85 * noise_mix) * norm_peak(nz)
    trem_rate = (2.0 + 14.0 * shape) * (0.5 + tension)
    trem = 1.0 - 0.6 * tension * (0.5 + 0.5 * P.sin_cycles(np.cumsum(trem_rate) / sr))
    env = 0.05 + 0.95 * shape ** 1.5
    return (y * env * trem)[None, :]


FAMILY = Family(
    name="riser", ucs="DSGNRise", noun="riser", kind="tonal",
    render=render,
    params=(
        Param("noise_mix", unit="%", lo=0.0, hi=100.0,
              doc="Balance of the tonal stack and the noise wash: tonal .. white-noise sweep.",
              low_words=("tonal",), high_words=("noisy", "white-noise")),
        Param("tension", unit="% detune", lo=0.2, hi=2.2,
              doc="Detune of the saw stack (0.2 % .. 2.2 %) and depth of the accelerating tremolo."),
        Param("shepard", unit="%", lo=0.0, hi=100.0,
              doc="Crossfade into an endless Shepard-tone rise (above 5 %).",
              high_words=("with an endless Shepard-tone rise", "in a Shepard-tone loop"), where="post"),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("riser", 1), ("rising sweep", 1), ("build-up", 1), ("tension riser", 1)),
    scenes=(
        "a {adj} riser building up{post}",
        "a {adj} sound rising in pitch{post}",
        "a {adj} rising tension sweep{post}",
    ),
    tags=("riser", "rising", "build-up", "designed"),
    keywords=("riser", "rising", "build-up", "buildup", "tension", "swell", "uplifter", "crescendo", "rise",
              "trailer riser"),
    rate_doc="faster builds climb earlier",
    tonal_pitch=True,
    element_roles=("main", "sweetener"),
    design_roles=(),
    category=None,
    presets={
        "trailer_riser": {"intensity": 0.6, "tension": 0.5, "noise_mix": -0.2},
        "shepard_tension": {"shepard": 0.9},
        "noise_sweep_up": {"noise_mix": 0.9},
    },
)
