"""Energy hum: a force field, power core or transformer hum.

A mains-like buzz (an odd-rich harmonic series), a high coil whine, an airy band, a pulsing
level and, when unstable, pitch drift and crackle. Size lowers the hum; rate speeds the pulse.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import norm_peak
from sfxgen.synth.family import BED_LAYER, Family, Param, Physical

DEFAULT_DURATION_S = 4.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Energy field / power hum: a mains-like buzz (odd-rich harmonic series), a high coil
    whine, an airy band, pulsing level and unstable drift with occasional crackle.

    aux: pulse (throb depth), harmonics (dull hum .. bright buzz), instability (drift, crackle).
    """
    sr = sample_rate
    pulse, harm, inst = ph.aux[:3]
    f0 = 100.0 * ph.pitch_ratio * 2.0 ** (-1.0 * ph.size)
    drift = 1.0 + 0.01 * inst * P.smooth_random(rng, n, sr, 1.5) + 0.003 * inst * P.smooth_random(rng, n, sr, 12.0)
    f = f0 * drift
    K = 24
    k = np.arange(1, K + 1)
    amps = k ** -(2.0 - 1.6 * harm) * np.where(k % 2 == 1, 1.0, 0.35 + 0.5 * harm)
    buzz = P.harmonic_osc(f, n, sr, amps)
    whine = P.sine(f * (12 + int(8 * ph.brightness)), n, sr) * (0.6 + 0.4 * P.smooth_random(rng, n, sr, 0.7))
    air = P.bandpass(P.white(rng, n), sr, 2500.0 + 3000.0 * ph.brightness, q=1.5)
    y = norm_peak(buzz) + 0.08 * (0.3 + ph.brightness) * whine + 0.1 * norm_peak(air) * (0.3 + ph.intensity)
    t = P.time_s(n, sr)
    pr = (1.0 + 5.0 * ph.intensity) * ph.rate
    y = y * (1.0 - 0.7 * pulse * (0.5 + 0.5 * P.sin_cycles(pr * t)))
    if inst > 0.2:
        on = P.poisson_onsets(rng, 15.0 * inst * ph.rate, n, sr)
        cr = P.place(n, on, P.noise_grains(rng, on.size, sr, length_s=0.01, t60_s=0.004), rng.uniform(0.5, 1.5, on.size))
        y = y + 0.6 * inst * P.highpass(cr, sr, 2000.0)
    y = P.saturate(y, 0.15 + 0.4 * ph.intensity)
    return y[None, :]


FAMILY = Family(
    name="energy_hum", ucs="SCIEnrg", noun="energy hum", kind="texture",
    render=render,
    params=(
        Param("pulse", unit="%", lo=0.0, hi=100.0,
              doc="Depth of the throbbing level (at (1 + 5 x intensity) x rate Hz): steady .. pulsing.",
              low_words=("steady",), high_words=("pulsing", "throbbing")),
        Param("harmonics", unit="dB/oct", lo=-12.04, hi=-2.41,
              doc="Slope of the harmonic series: a dull hum (-12 dB/oct) .. a bright buzz (-2.4 dB/oct).",
              low_words=("pure", "smooth"), high_words=("buzzy", "harsh")),
        Param("instability", unit="%", lo=0.0, hi=100.0,
              doc="Pitch drift (up to 1 %) and, above 20 %, crackles: stable .. flickering.",
              low_words=("stable",), high_words=("unstable", "flickering")),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("energy hum", 1), ("electric hum", 1), ("force field hum", 1), ("power hum", 1)),
    scenes=(
        "a {adj} humming energy field{post}",
        "a {adj} sci-fi power core hum{post}",
        "a {adj} electrical hum{post}",
    ),
    tags=("hum", "energy", "sci-fi", "electric"),
    keywords=("hum", "energy", "force field", "power hum", "electric hum", "generator hum", "reactor",
              "power core", "buzz", "transformer"),
    rate_doc="1-6 pulses/s at rate 1 (x rate)",
    tonal_pitch=True,
    element_roles=("main", "mechanism"),
    design_roles=("bed",),
    role_params={
        "bed": BED_LAYER,
    },
    category="scifi",
    presets={
        "force_field": {"pulse": 0.4, "harmonics": 0.2},
        "transformer_hum": {"harmonics": -0.4, "instability": -1.0, "pitch": -0.5},
        "unstable_core": {"instability": 0.9, "pulse": 0.6},
    },
)
