"""Sub drop: a trailer boom falling into the sub range.

A sine gliding down from the low mids into the sub range with a long decay, low rumble, a
transient click on top and saturation harmonics so small speakers hear it. Size lowers the end
pitch and slows the glide.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import norm_peak
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 3.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Trailer sub drop / boom: a sine falling from the low-mids into the sub range with a long
    decay, a transient click on top and saturation harmonics so small speakers hear it.

    aux: sweep_depth (octaves fallen), click, distortion.
    """
    sr = sample_rate
    depth, click, dist = ph.aux[:3]
    # the drop ends at 28 Hz at the lowest: under that it is inaudible and the render's
    # sub-sonic filter (24 Hz) would take it away
    f_end = max(38.0 * ph.pitch_ratio * 2.0 ** (-0.5 * ph.size), 28.0) * (1 + 0.04 * rng.uniform(-1, 1))
    f_start = f_end * 2.0 ** ((0.5 + 2.5 * depth) * (1 + 0.1 * rng.uniform(-1, 1)))
    dec = max(0.3, ph.decay_s * (0.6 + 0.8 * ph.size)) * (1 + 0.1 * rng.uniform(-1, 1))
    f = P.glide(n, sr, f_start, f_end, time_s_=(0.15 + 0.6 * ph.size / ph.rate) * rng.uniform(0.85, 1.15), curve=5.0)
    env = P.ad_env(n, sr, attack_s=0.003, decay_s=dec, curve=4.0)
    body = P.sine(f, n, sr, phase0=rng.uniform()) * env
    body = P.saturate(body, 0.1 + 0.6 * dist * (0.5 + ph.intensity))
    rum = P.brown_lowpass(rng, n, sr, corner_hz=40.0, cutoff_hz=2.5 * f_end, floor_hz=24.0) * env
    body = norm_peak(body) + 0.25 * norm_peak(rum)
    ck = P.highpass(P.white(rng, n) * P.decay_env(n, sr, 0.01 + 0.02 * (1 - ph.brightness)), sr, 1500.0)
    ck = ck + 0.6 * P.sine(f * 2, n, sr) * P.decay_env(n, sr, 0.03)
    y = norm_peak(body) + (0.05 + 0.5 * click) * norm_peak(ck)
    return y[None, :]


FAMILY = Family(
    name="sub_drop", ucs="DSGNBoom", noun="sub drop boom", kind="oneshot",
    render=render,
    params=(
        Param("sweep_depth", unit="oct", lo=0.5, hi=3.0,
              doc="How far the pitch falls."),
        Param("click", unit="%", lo=0.0, hi=100.0,
              doc="Transient click on top of the boom: faint .. sharp.",
              high_words=("with a click on top", "with a sharp transient click"), where="post"),
        Param("distortion", unit="%", lo=0.0, hi=100.0,
              doc="Saturation of the sine (more with intensity): clean .. distorted.",
              low_words=("clean",), high_words=("distorted", "saturated")),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("sub drop", 1), ("boom", 1), ("sub boom", 1), ("low-end hit", 1), ("bass drop", 1)),
    scenes=(
        "a {adj} sub-bass boom{post}",
        "a {adj} cinematic sub drop{post}",
        "a {adj} deep boom hit{post}",
    ),
    tags=("sub", "boom", "drop", "bass", "designed"),
    keywords=("sub drop", "boom", "sub boom", "bass drop", "low end", "sub", "cinematic boom", "thump",
              "low boom", "braam"),
    rate_doc="the glide takes (0.15 + 0.6 size) s / rate",
    element_roles=("main", "sweetener"),
    design_roles=("sub",),
    role_params={
        "sub": {"size": 0.8, "pitch": -0.3, "space": -1.0, "distance": -1.0},
    },
    category=None,
    presets={
        "trailer_boom": {"size": 0.6, "click": 0.5, "decay": 0.5},
        "deep_drop": {"sweep_depth": 0.8, "pitch": -0.2},
        "distorted_hit": {"distortion": 0.9, "click": 0.8},
    },
)
