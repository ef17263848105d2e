"""Downer: a power-down falling in pitch.

A detuned oscillator stack falling 1-3 octaves through a closing filter with fading level, plus a
noise exhale. Intensity deepens the fall; decay and rate set its length.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import norm_peak
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 3.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Power-down / downer: a detuned oscillator stack falling 1-3 octaves with a closing filter
    and fading level, plus a noise exhale.

    aux: noise_mix, curve (0 linear glide .. 1 fast early drop).
    """
    sr = sample_rate
    noise_mix, curve = ph.aux[:2]
    T = n / sr
    u_dec = float(np.log(ph.decay_s / 0.03) / np.log(8.0 / 0.03))  # the decay slot, 0..1
    L = float(np.clip(T * (0.35 + 0.6 * u_dec) / ph.rate ** 0.5, min(0.25, 0.9 * T), 0.9 * T))
    f_start = 440.0 * ph.pitch_ratio * 2.0 ** (-1.5 * ph.size)
    f = P.glide(n, sr, f_start, f_start / 2.0 ** (1.0 + 2.0 * ph.intensity), time_s_=L, curve=5.0 * curve - 2.0)
    osc = P.saw(f, n, sr) + P.saw(f * 1.007, n, sr) + 0.6 * P.sine(f * 0.5, n, sr)
    g = np.clip(f / f_start, 0, 1)
    def closing(fr, tt):  # 1 / (1 + (f / fc(t))**4), the (bins x frames) part in float32
        inv_fc = (1.0 / (200.0 + 6000.0 * ph.brightness * np.interp(tt, P.time_s(n, sr)[::256], g[::256]))).astype(np.float32)
        x = fr.astype(np.float32) * inv_fc
        x *= x
        x *= x
        x += np.float32(1.0)
        return np.reciprocal(x, out=x)

    osc = P.stft_shape(osc, sr, closing)
    nz = P.bandpass(P.pink(rng, n), sr, 1200.0 * ph.pitch_ratio ** 0.5, q=0.6)
    # level holds through most of the fall, then dies with it (the fall is what you hear)
    env = P.ad_env(n, sr, attack_s=0.005, decay_s=L * 2.5, curve=2.0) * np.clip((1.1 * L - P.time_s(n, sr)) / (0.3 * L), 0, 1)
    y = ((1 - 0.8 * noise_mix) * norm_peak(osc) + noise_mix * norm_peak(nz) * P.decay_env(n, sr, 0.5 * L)) * env
    return y[None, :]


FAMILY = Family(
    name="downer", ucs="DSGNMisc", noun="downer", kind="tonal",
    render=render,
    params=(
        Param("noise_mix", unit="%", lo=0.0, hi=100.0,
              doc="Balance of the falling tone and the noise exhale: tonal .. noisy.",
              low_words=("tonal",), high_words=("noisy",)),
        Param("curve", unit="curve", lo=-2.0, hi=3.0,
              doc="Shape of the glide (primitives.glide curve): -2 a slow start .. 3 a fast early drop."),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("downer", 1), ("falling sweep", 1), ("pitch drop", 1), ("down-sweep", 1)),
    scenes=(
        "a {adj} sound falling in pitch{post}",
        "a {adj} downward sweep{post}",
        "a {adj} power-down{post}",
    ),
    tags=("downer", "falling", "designed"),
    keywords=("downer", "power down", "power-down", "falling", "pitch drop", "down sweep", "downlifter",
              "shut down", "tape stop"),
    rate_doc="the fall takes (0.35-0.95) x clip / rate^0.5",
    tonal_pitch=True,
    element_roles=("main", "sweetener"),
    design_roles=(),
    category=None,
    presets={
        "power_down": {"noise_mix": -0.6, "curve": 0.6},
        "tape_stop": {"curve": 1.0, "noise_mix": -1.0, "decay": -0.5},
        "noise_downlifter": {"noise_mix": 0.8},
    },
)
