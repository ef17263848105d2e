"""Bell / chime: struck bell partials (hum, prime, tierce, quint, nominal, ...).

Church-bell partial ratios with beating doublets, the hum decaying longest, struck 1-4 times by
a mallet. A heavy bronze bell has a stronger hum and longer, more even ring; size lowers the bell.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import count_of
from sfxgen.synth.physics.struck import size_freq, tilt_amps
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 4.0


_BELL = np.array([0.5, 1.0, 1.183, 1.506, 2.0, 2.514, 2.662, 3.011, 4.166, 5.433, 6.796, 8.215])


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Bell/chime: church-bell partials (hum, prime, tierce, quint, nominal, ...) with beating
    doublets, hum decaying longest; 1-4 strikes.

    aux: material (0 light thin chime .. 1 heavy bronze), strikes, inharmonicity.
    """
    sr = sample_rate
    mat, strikes, inh = ph.aux[:3]
    f0 = size_freq(ph.size, 1600.0, 180.0) * ph.pitch_ratio
    M = _BELL.size
    ratios = _BELL * (1 + inh * 0.08 * rng.uniform(-1, 1, M)) * (1 + 0.02 * inh * np.arange(M) / M)
    f = f0 * ratios
    t60_0 = ph.decay_s * (0.6 + 1.4 * mat) * (0.6 + 0.8 * ph.size) * 1.5
    t60 = t60_0 * (f / f0) ** -(0.9 - 0.4 * mat)
    amps = tilt_amps(f, f0, ph.brightness, base=-0.3 - 0.4 * mat) * rng.uniform(0.5, 1.0, M)
    amps[0] *= 0.5 + mat
    split = 1 + rng.uniform(0.0005, 0.003, M)
    ir = P.modal_ir(n, sr, np.concatenate([f, f * split]), np.concatenate([t60, t60]),
                    np.concatenate([amps, 0.7 * amps]), phases=rng.uniform(0, 2 * np.pi, 2 * M))
    count = count_of(strikes, 1, 4)
    gap = (0.25 + 0.6 * rng.uniform(size=count)) / ph.rate
    at = np.concatenate([[0.0], np.cumsum(gap[:-1])])
    at = at[at < 0.8 * n / sr]
    vel = np.concatenate([[1.0], rng.uniform(0.45, 0.9, at.size - 1)])
    exc = P.impulses(n, (at * sr).astype(np.int64), vel)
    m = P.mallet(sr, hardness=np.clip(0.4 + 0.4 * ph.intensity + 0.2 * ph.brightness, 0, 1), mass_ms=0.8)
    y = P.excite(ir, np.convolve(exc[: int(at[-1] * sr) + m.size + 1], m))
    return y[None, :]


def _words(ph: Physical, duration_s: float | None) -> list:
    """Strike-count words, read as the renderer counts strikes (several only when they fit)."""
    count = count_of(ph.a(1), 1, 4)
    dur = duration_s if duration_s is not None else DEFAULT_DURATION_S
    if count == 1:
        return [("strikes", ["single-strike"], ["struck once"], "single")]
    if count >= 3 and 0.85 * 2 / ph.rate < 0.8 * dur:
        return [("strikes", ["repeatedly struck"], ["struck several times", "with repeated strikes"], "repeated")]
    return []


FAMILY = Family(
    name="bell_chime", ucs="BELLHand", noun="bell chime", kind="oneshot",
    render=render,
    params=(
        Param("material", unit="%", lo=0.0, hi=100.0,
              doc=("Bell material: a light, thin chime (short, bright) .. heavy bronze (stronger hum, longer "
                   "ring)."),
              low_words=("light", "thin"), high_words=("heavy bronze", "heavy")),
        Param("strikes", unit="strikes", lo=1, hi=4,
              doc="Number of strikes, spaced 0.25-0.85 s / rate apart."),
        Param("inharmonicity", unit="%", lo=0.0, hi=100.0,
              doc="Detuning of the partials: a clean, tuned bell .. a clangy, inharmonic one.",
              high_words=("clangy", "inharmonic")),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("bell chime", 1), ("bell", 1), ("chime", 1), ("hand bell", 1), ("bell ring", 1)),
    scenes=(
        "a {adj} bell being struck{post}",
        "a {adj} chime ringing{post}",
        "a {adj} hand bell rung{post}",
    ),
    tags=("bell", "chime", "ring"),
    keywords=("bell", "chime", "church bell", "hand bell", "ding", "ring", "bell toll", "doorbell", "gong"),
    rate_doc="strikes 0.25-0.85 s apart at rate 1 (/ rate)",
    ringing=True,
    tonal_pitch=True,
    special_words=_words,
    element_roles=("main", "sweetener"),
    design_roles=(),
    category=None,
    presets={
        "church_bell": {"size": 0.8, "material": 0.9, "decay": 0.6},
        "hand_bell": {"size": -0.3, "strikes": -0.3},
        "small_chime": {"size": -0.8, "material": -0.8},
        "repeated_toll": {"size": 0.6, "strikes": 1.0, "rate": -0.5},
    },
)
