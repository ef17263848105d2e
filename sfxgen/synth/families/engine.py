"""Engine: a running combustion engine.

Firing pulses at rpm/60 x cylinders/2 with per-cylinder irregularity, each ringing the exhaust
resonances, plus intake/exhaust noise; the rpm drifts around the rev level (faster with rate).
Size lowers the exhaust resonances (a bigger engine and pipe).
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import norm_peak
from sfxgen.synth.family import BED_LAYER, Family, Param, Physical

DEFAULT_DURATION_S = 4.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Combustion engine: firing pulses ringing the exhaust, rpm drifting around the rev level.

    aux: cylinders (1..12), rev (idle .. redline), roughness (misfire/irregularity), exhaust
    (pipe resonance and noise). Size lowers the exhaust resonances (bigger engine/pipe).
    """
    sr = sample_rate
    cyl_u, rev, rough, exh = ph.aux[:4]
    cyl = int(np.clip(round(1 + 11 * cyl_u), 1, 12))
    rpm = (700.0 + 5500.0 * rev ** 1.3) * ph.pitch_ratio
    rpm_t = rpm * (1.0 + 0.05 * ph.rate * P.smooth_random(rng, n, sr, 0.4 * ph.rate) * (0.3 + rev))
    fire_hz = rpm_t / 60.0 * cyl / 2.0
    jitter = 1.0 + 0.04 * rough * rng.standard_normal(n).cumsum() / np.sqrt(np.arange(1, n + 1))
    ph_fire = np.cumsum(fire_hz * jitter) / sr
    idx = np.flatnonzero(np.diff(np.floor(ph_fire), prepend=0.0) > 0)
    k = np.arange(idx.size)
    cyl_gain = rng.uniform(0.7, 1.0, cyl)[k % cyl]
    amps = cyl_gain * (1.0 + rough * 0.6 * rng.standard_normal(idx.size)).clip(0.05)
    if rough > 0.5:
        amps[rng.uniform(size=idx.size) < 0.05 * (rough - 0.5)] *= 0.1  # misfires
    pulses = P.impulses(n, idx, amps)
    f_ex = 90.0 * 2.0 ** (-1.2 * ph.size) * (1 + 0.3 * rng.uniform())
    res_f = f_ex * np.array([1.0, 2.3, 3.9, 6.2, 9.1])
    L = int(0.08 * sr)
    res = P.modal_ir(L, sr, res_f, np.array([0.08, 0.05, 0.04, 0.03, 0.02]) * (0.6 + exh),
                     np.array([1.0, 0.6, 0.4, 0.25, 0.15]) * (1 + 0.2 * rng.uniform(-1, 1, 5)))
    blast = P.noise_grains(rng, 1, sr, length_s=L / sr, t60_s=0.008)[0][:L]
    kernel = P.lowpass(res + (0.2 + 0.6 * ph.brightness) * 0.1 * blast, sr, 1500.0 + 5000.0 * ph.brightness)
    y = P.excite(pulses, kernel)
    env_fire = P.lowpass(np.abs(y), sr, 30.0, order=1)
    noise = P.bandpass(P.white(rng, n), sr, 700.0 + 1500.0 * ph.brightness, q=0.6) * (0.3 + env_fire / (env_fire.max() + 1e-12))
    y = norm_peak(y) + (0.05 + 0.4 * exh) * norm_peak(noise)
    return P.saturate(y, 0.15 + 0.5 * ph.intensity)[None, :]


FAMILY = Family(
    name="engine", ucs="MOTRComb", noun="engine", kind="texture",
    render=render,
    params=(
        Param("cylinders", unit="cylinders", lo=1, hi=12,
              doc="Number of cylinders (sets the firing rate at a given rpm)."),
        Param("rev", unit="rpm", lo=700.0, hi=6200.0,
              doc="Engine speed: idling .. near the redline (rpm = 700 + 5500 u^1.3).",
              low_words=("idling",), high_words=("revving", "high-revving")),
        Param("roughness", unit="%", lo=0.0, hi=100.0,
              doc="Irregular firing and, above 50 %, misfires: smooth .. rough, sputtering.",
              low_words=("smooth",), high_words=("rough", "sputtering")),
        Param("exhaust", unit="%", lo=0.0, hi=100.0,
              doc="Exhaust pipe resonance and noise: quiet .. a throaty exhaust note.",
              high_words=("with a throaty exhaust", "with a loud exhaust note"), where="post"),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("engine", 1), ("motor", 1), ("combustion engine", 1), ("engine drone", 1)),
    scenes=(
        "a {adj} engine running{post}",
        "a {adj} motor idling{post}",
        "a {adj} combustion engine rumbling{post}",
    ),
    tags=("engine", "motor", "vehicle"),
    keywords=("engine", "motor", "car engine", "idling", "revving", "motorbike", "motorcycle", "truck",
              "combustion engine", "generator", "car"),
    rate_doc="speed of the rpm drift",
    sized=True,
    element_roles=("main", "mechanism"),
    design_roles=("bed",),
    role_params={
        "bed": BED_LAYER,
    },
    category="vehicle",
    presets={
        "car_idle": {"cylinders": -0.3, "rev": -0.8},
        "motorbike_rev": {"cylinders": -0.8, "rev": 0.6, "exhaust": 0.6},
        "diesel_truck": {"size": 0.7, "roughness": 0.4, "rev": -0.6},
        "v12_scream": {"cylinders": 1.0, "rev": 0.9},
    },
)
