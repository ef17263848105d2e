"""Body punch: a fist or kick into a body.

A dull low thud (low-passed noise push, a brief pitched drop and heavily damped chest/gut
modes: nothing rings), a skin slap and a swish of clothing. Size lowers the body resonance;
intensity drives the mix harder and shortens the slap.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import norm_peak
from sfxgen.synth.physics.struck import size_freq
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 1.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Punch/body hit: pitched-down low thud (chest/gut resonance), skin slap, cloth swish.

    aux: slap (skin-contact crack), thud (low body weight), cloth (jacket movement).
    """
    sr = sample_rate
    slap, thud, cloth = ph.aux[:3]
    f_body = size_freq(ph.size, 180.0, 55.0) * ph.pitch_ratio
    # a body is soft and lossy: the thud is a low-passed noise push with only a brief pitched
    # component (T60 <= 0.15 s) and heavily damped cavity modes -- nothing rings
    dec = float(np.clip(0.04 * ph.decay_s, 0.05, 0.15))
    # each enveloped layer is computed over its envelope's non-zero head only (0 after)
    d_push = 0.06 + 0.08 * ph.size + 0.3 * dec
    m = P.ad_env_len(n, sr, attack_s=0.003, decay_s=d_push)
    push = np.zeros(n)
    push[:m] = P.lowpass(P.white(rng, n)[:m], sr, 2.5 * f_body, order=2)
    push[:m] *= P.ad_env(m, sr, attack_s=0.003, decay_s=d_push, curve=4.0)
    m = P.ad_env_len(n, sr, attack_s=0.002, decay_s=dec)
    fi = P.glide(m, sr, f_body * (1.6 + 0.8 * ph.intensity), f_body, time_s_=0.04 + 0.04 * ph.size, curve=4.0)
    tone = np.zeros(n)
    tone[:m] = P.sine(fi, m, sr)
    tone[:m] *= P.ad_env(m, sr, attack_s=0.002, decay_s=dec)
    res = P.modal_ir(n, sr, f_body * np.array([1.9, 3.1, 4.7]) * rng.uniform(0.9, 1.1, 3),
                     np.array([0.05, 0.035, 0.025]), np.array([0.5, 0.3, 0.2]))
    low = norm_peak(push) + 0.7 * norm_peak(tone) + 0.4 * norm_peak(P.excite(res, P.mallet(sr, hardness=0.3, mass_ms=2.0)))
    low /= P.peak_abs(low) + 1e-12
    d_s = 0.015 + 0.03 * (1 - ph.intensity)
    m = P.ad_env_len(n, sr, attack_s=0.0005, decay_s=d_s)
    s = np.zeros(n)
    s[:m] = P.bandpass(P.white(rng, n)[:m], sr, 1800.0 + 3000.0 * ph.brightness, q=0.8)
    s[:m] *= P.ad_env(m, sr, attack_s=0.0005, decay_s=d_s)
    s /= P.peak_abs(s) + 1e-12
    sw = P.bandpass(P.pink(rng, n), sr, 900.0 + 1500.0 * ph.brightness, q=0.6)
    sw *= P.ad_env(n, sr, attack_s=0.03, decay_s=0.12 + 0.25 * cloth, start_s=0.0) \
        + 0.6 * P.ad_env(n, sr, attack_s=0.01, decay_s=0.1, start_s=0.05)
    sw /= P.peak_abs(sw) + 1e-12
    y = (0.5 + 0.9 * thud) * low + (0.15 + 0.8 * slap) * s + 0.25 * cloth * sw
    return P.saturate(y, 0.15 + 0.35 * ph.intensity)[None, :]


FAMILY = Family(
    name="impact_body", ucs="FGHTImpt", noun="body punch", kind="oneshot",
    render=render,
    params=(
        Param("slap", unit="%", lo=0.0, hi=100.0,
              doc="Skin-contact slap: faint .. a loud smacking crack.",
              high_words=("slappy", "smacking")),
        Param("thud", unit="%", lo=0.0, hi=100.0,
              doc="Low body weight of the hit: light .. a heavy, meaty thud.",
              high_words=("thuddy", "meaty")),
        Param("cloth", unit="%", lo=0.0, hi=100.0,
              doc="Jacket and sleeve movement with the punch: none .. a clear swish.",
              high_words=("with cloth movement", "with clothing rustle"), where="post"),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("body punch", 1), ("punch", 1), ("body hit", 1), ("fight hit", 1), ("body blow", 1)),
    scenes=(
        "a {adj} punch to the body{post}",
        "a {adj} fist hitting a body{post}",
        "a {adj} fight punch impact{post}",
    ),
    tags=("punch", "fight", "body", "hit"),
    keywords=("punch", "body hit", "fight", "fist", "kick", "blow", "smack", "hit", "body blow", "brawl"),
    element_roles=("main",),
    design_roles=("body",),
    role_params={
        "body": {"thud": 0.6, "slap": -0.4, "cloth": -1.0, "space": -1.0},
    },
    category="impact",
    presets={
        "jab": {"size": -0.4, "slap": 0.6, "thud": -0.4},
        "heavy_body_blow": {"size": 0.6, "thud": 0.9, "intensity": 0.7},
        "movie_punch": {"slap": 0.8, "thud": 0.6, "cloth": 0.4, "intensity": 0.8},
    },
)
