"""Whoosh: an object swishing past the listener.

Noise through a resonant band that rises then falls in centre frequency (and pitch, by Doppler)
while the level swells and dies, panning across the field as it passes. Size lowers the band and
lengthens the pass; rate is the speed.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import norm_peak
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 1.5


def _pan(x: np.ndarray, pos: np.ndarray | float) -> np.ndarray:
    """Equal-power pan of mono ``x`` (n,); ``pos`` in [-1, 1] (scalar or (n,)) -> (2, n)."""
    c = (np.asarray(pos) + 1.0) / 8.0  # the pan angle (pos + 1) pi / 4 in cycles
    return np.stack([x * P.sin_cycles(c + 0.25), x * P.sin_cycles(c)])


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """An object swishing past: noise through a resonant band that rises then falls in centre
    frequency (and pitch, by Doppler) while the level swells and dies; pans across the field.

    aux: sweep (how far the band moves), tonal (airy band -> whistling resonance), doppler
    (pitch drop as it passes), flutter (blade/cloth amplitude flutter). Size lowers the band and
    lengthens the pass; rate is the speed.
    """
    sr = sample_rate
    sweep, tonal, doppler, flutter = ph.aux[:4]
    T = n / sr
    L = min(0.92 * T, (0.3 + 1.1 * ph.size) / ph.rate * (0.7 + 0.15 * np.log2(ph.decay_s / 0.03 + 1) / 3))
    tp = 0.5 * L * (0.8 + 0.4 * rng.uniform())
    f_mid = 1400.0 * (0.25 ** ph.size) * ph.pitch_ratio * (0.6 + 0.8 * ph.brightness)
    q = 0.8 + 10.0 * tonal ** 2

    def gain(f, t):
        x = (t - tp) / max(tp, 1e-3)
        up = np.exp(-0.5 * (np.minimum(x, 0) / 0.45) ** 2)
        down = np.exp(-np.maximum(x, 0) * (2.0 + 2.0 / max(L - tp, 0.05)))
        env = np.where(x < 0, up, down)
        dop = 2.0 ** (doppler * 0.5 * np.tanh(-3 * x))  # higher approaching, lower receding
        fc = f_mid * (1.0 + 1.5 * sweep * env) * dop
        return env * P.band_gain(f, fc, q) * (1.0 + 0.3 * (np.maximum(f, 20.0) / 3000.0) ** (ph.brightness - 0.5))

    y = P.shaped_noise(rng, n, sr, gain)
    if tonal > 0.3:  # whistle: a sine riding the band centre
        t = P.time_s(n, sr)
        x = (t - tp) / max(tp, 1e-3)
        env = np.where(x < 0, np.exp(-0.5 * (np.minimum(x, 0) / 0.45) ** 2), np.exp(-np.maximum(x, 0) * 3.0))
        fc = f_mid * (1.0 + 1.5 * sweep * env) * np.exp2(doppler * 0.5 * np.tanh(-3 * x))
        y = norm_peak(y) + 0.5 * (tonal - 0.3) * env * P.sine(fc, n, sr)
    if flutter > 0.05:
        t = P.time_s(n, sr)
        fr = (8.0 + 30.0 * flutter) * ph.rate
        y = y * (1.0 - 0.8 * flutter * (0.5 + 0.5 * P.sin_cycles(fr * t + P.smooth_random(rng, n, sr, 3.0) / (2 * np.pi))))
    y = P.saturate(norm_peak(y), 0.3 * ph.intensity)
    t = P.time_s(n, sr)
    side = 1 if rng.uniform() < 0.5 else -1
    return _pan(y, side * np.tanh(2.5 * (t - tp) / max(L, 0.05)))


FAMILY = Family(
    name="whoosh", ucs="DSGNWhsh", noun="whoosh", kind="oneshot",
    render=render,
    params=(
        Param("sweep", unit="x", lo=1.0, hi=2.5,
              doc="How far the band centre rises at the moment of passing: x1 (static) .. x2.5."),
        Param("tonal", unit="%", lo=0.0, hi=100.0,
              doc=("Band resonance: airy noise (Q 0.8) .. a whistling tone (Q 10.8, u² curve; a sine whistle "
                   "above 30 %)."),
              low_words=("airy", "noisy"), high_words=("tonal", "whistling")),
        Param("doppler", unit="st", lo=0.0, hi=12.0,
              doc="Pitch drop as it passes (+half .. -half of this span around the pass).",
              high_words=("passing by", "with a doppler pass-by"), where="post"),
        Param("flutter", unit="Hz", lo=8.0, hi=38.0,
              doc="Blade or cloth flutter of the level: none .. 38 Hz x rate, deep (above 5 %).",
              high_words=("fluttering",)),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("whoosh", 1), ("swish", 1), ("swoosh", 1), ("air whoosh", 1), ("pass-by whoosh", 1)),
    scenes=(
        "a {adj} whoosh of something flying past{post}",
        "a {adj} swish through the air{post}",
        "a {adj} air swoosh transition{post}",
    ),
    tags=("whoosh", "swish", "air", "transition"),
    keywords=("whoosh", "swish", "swoosh", "pass-by", "fly-by", "flyby", "swing", "swipe", "air movement",
              "transition", "woosh"),
    rate_doc="a pass of (0.3 + 1.1 size) s at rate 1 (/ rate)",
    rate_words=(("slow",), ("fast", "quick")),
    element_roles=("main", "sweetener"),
    design_roles=("sweetener",),
    role_params={
        "sweetener": {"space": -0.5},
    },
    category="movement",
    presets={
        "fast_swish": {"rate": 0.6, "size": -0.5},
        "big_passby": {"size": 0.7, "doppler": 0.8, "sweep": 0.4},
        "whistling_arrow": {"tonal": 0.9, "size": -0.6, "rate": 0.5},
        "flag_whoosh": {"flutter": 0.7},
    },
)
