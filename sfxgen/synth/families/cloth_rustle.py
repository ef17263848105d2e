"""Cloth rustle: fabric moving, rubbed or flapping.

Gestures (sin²-shaped bursts of handling) drive a band of rubbing noise and crackles whose
density and brightness grow with the fabric's stiffness; a flap adds periodic snapping like a
sheet or flag. Rate speeds the gestures and the flapping.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import white, bandpass, smooth_random, onsets, noise_grains, finish, freq_scale
from sfxgen.synth.family import TEXTURE_LAYER, Family, Param, Physical

DEFAULT_DURATION_S = 2.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Cloth rustle. aux: fabric_stiffness (soft cotton: dull, smooth .. nylon/leather: crisp
    crackles), motion (a single gesture .. continuous handling), flap (flapping/snapping like a
    sheet or flag). ``rate`` speeds gestures and flapping."""
    sr = sample_rate
    stiff, motion, flap = ph.aux[0], ph.aux[1], ph.aux[2]
    dur = n / sr
    sc = freq_scale(ph, 1.0)
    force = 0.3 + 0.9 * ph.intensity
    g = 1 + rng.poisson(dur * (0.4 + 2.5 * motion) * ph.rate)
    gs = np.sort(rng.uniform(0, dur * 0.85, g))
    gs[0] = min(gs[0], 0.05)
    gd = rng.uniform(0.15, 0.6, g) / ph.rate ** 0.5
    env = np.zeros(n)
    for s, d, a in zip(gs, gd, rng.uniform(0.4, 1.0, g)):
        i0, i1 = int(s * sr), min(int((s + d) * sr), n)
        if i1 > i0:
            env[i0:i1] += a * np.sin(np.linspace(0, np.pi, i1 - i0)) ** 2
    env = env * force
    lo, hi = (250 + 1500 * stiff) * sc, (2500 + 9000 * stiff) * sc * (0.5 + ph.brightness)
    rub = bandpass(white(rng, n), lo, hi, sr) * env ** 1.3 / np.sqrt(sc)
    ct = onsets(rng, (40 + 2500 * stiff ** 1.5) * env, n, sr, cap=int(1500 * dur)) / sr
    cr = noise_grains(rng, n, sr, (ct * sr).astype(np.int64), rng.uniform(0.00008, 0.0006 + 0.001 * (1 - stiff), ct.size),
                      np.minimum(rng.pareto(2.0, ct.size), 8) * (0.2 + 0.8 * stiff))[0]
    y = rub * (0.6 - 0.3 * stiff) + bandpass(cr, 1200 * sc, 14000 * sc, sr) * 0.6
    if flap > 0.02:
        ff = 5.0 * ph.rate * (1.2 - 0.5 * ph.size)
        fph = np.cumsum(ff * (1 + 0.2 * smooth_random(rng, n, sr, 2.0)) / sr)
        pulse = (0.5 + 0.5 * P.sin_cycles(fph + 0.25)) ** 12
        flapn = bandpass(white(rng, n), 150 * sc, 3000 * sc, sr) * pulse * np.clip(env, 0, None) ** 0.7
        y = y + flap * 1.2 * flapn
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


FAMILY = Family(
    name="cloth_rustle", ucs="CLOTHMvmt", noun="cloth rustle", kind="texture",
    render=render,
    params=(
        Param("fabric_stiffness", unit="%", lo=0.0, hi=100.0,
              doc="Soft cotton (dull, smooth) .. nylon, canvas, leather (crisp crackles).",
              low_words=("soft", "cotton"), high_words=("stiff", "nylon", "canvas")),
        Param("motion", unit="%", lo=0.0, hi=100.0,
              doc="A single gesture .. continuous handling (0.4 .. 2.9 gestures/s x rate)."),
        Param("flap", unit="%", lo=0.0, hi=100.0,
              doc="Flapping or snapping like a sheet or flag (about 5 Hz x rate).",
              high_words=("flapping",)),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("cloth rustle", 1), ("fabric rustle", 1), ("clothing movement", 0), ("cloth movement", 0)),
    scenes=(
        "{adj} fabric rustling{post}",
        "{adj} clothes moving{post}",
        "a {adj} jacket rustle{post}",
    ),
    tags=("cloth", "fabric", "rustle", "foley"),
    keywords=("cloth", "fabric", "rustle", "clothing", "jacket", "coat", "sheet", "flag", "costume",
              "clothes", "foley movement"),
    rate_doc="0.4-2.9 gestures/s at rate 1 (x rate; flapping about 5 Hz x rate)",
    rate_words=(("slow",), ("fast", "quick")),
    element_roles=("main", "material"),
    design_roles=("texture",),
    role_params={
        "texture": TEXTURE_LAYER,
    },
    category="foley",
    presets={
        "jacket_movement": {"fabric_stiffness": 0.3},
        "nylon_rustle": {"fabric_stiffness": 0.9},
        "flag_flapping": {"flap": 0.9, "motion": 0.8},
        "cotton_shift": {"fabric_stiffness": -0.8, "motion": -0.6},
    },
)
