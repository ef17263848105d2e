"""Clock ticking: an escapement ticking through a case.

Each tick is 1-4 escapement sub-clicks through the case's modes (wood: warm hollow knock; metal:
bright ring); alternate ticks can sound lower and softer (tick-tock). Rate: 2 ticks/s at the
default (0.5 .. 8).
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import highpass, modes, convolve, finish, count_of
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 4.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Clock ticking. aux: tock (identical ticks .. alternating tick/tock in pitch and level),
    mechanism (one clean click .. escapement with several sub-clicks and recoil), material
    (wooden case: warm hollow knock .. metal: bright ringing). ``rate``: 2 ticks/s at the
    default (0.5 .. 8)."""
    sr = sample_rate
    tock, mech, mat = ph.aux[0], ph.aux[1], ph.aux[2]
    dur = n / sr
    sc = ph.pitch_ratio ** 0.6 * 2.0 ** (-1.2 * (ph.size - 0.5))
    force = 0.4 + 0.9 * ph.intensity
    period = 0.5 / ph.rate
    k = int(dur / period) + 1
    tt = 0.03 + np.arange(k) * period * (1 + rng.normal(0, 0.002, k))
    tt = tt[tt < dur - 0.005]
    k = tt.size
    odd = np.arange(k) % 2 == 1
    amp = force * np.where(odd, 1.0 - 0.35 * tock, 1.0) * rng.uniform(0.93, 1.07, k)
    sub = count_of(mech, 1, 4)
    offs = np.array([0.0, 0.0035, 0.009, 0.021])[:sub] * rng.uniform(0.8, 1.2, sub)
    sa = np.array([1.0, 0.6, 0.35, 0.25])[:sub]
    starts = (np.repeat(tt, sub) + np.tile(offs, k)) * sr
    amps = np.repeat(amp, sub) * np.tile(sa, k)
    # tock: the odd ticks sound through a lower, detuned copy of the resonator
    ringk = (ph.decay_s / 0.5) ** 0.3 * (0.6 + ph.size)
    ir_m = modes(np.array([2400, 3700, 5300, 7400, 9900]) * sc, np.array([0.025, 0.02, 0.015, 0.01, 0.008]) * ringk, [1, 0.7, 0.6, 0.4, 0.3], sr)
    ir_w = modes(np.array([260, 520, 930, 1450, 2300, 3600]) * sc, np.array([0.03, 0.025, 0.02, 0.015, 0.01, 0.008]) * ringk,
                    [0.8, 1, 0.8, 0.6, 0.5, 0.4], sr)
    tk_ratio = 1.0 - 0.25 * tock
    ir_m2 = modes(np.array([2400, 3700, 5300, 7400, 9900]) * sc * tk_ratio, np.array([0.025, 0.02, 0.015, 0.01, 0.008]) * ringk, [1, 0.7, 0.6, 0.4, 0.3], sr)
    ir_w2 = modes(np.array([260, 520, 930, 1450, 2300, 3600]) * sc * tk_ratio, np.array([0.03, 0.025, 0.02, 0.015, 0.01, 0.008]) * ringk,
                     [0.8, 1, 0.8, 0.6, 0.5, 0.4], sr)
    is_odd = np.repeat(odd, sub)
    e1 = P.impulses(n, starts[~is_odd], amps[~is_odd])
    e2 = P.impulses(n, starts[is_odd], amps[is_odd])
    y = mat * (convolve(e1, ir_m) + convolve(e2, ir_m2)) + (1 - mat) * 1.6 * (convolve(e1, ir_w) + convolve(e2, ir_w2))
    y = y + 0.2 * highpass(e1 + e2, 4000, sr)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


FAMILY = Family(
    name="clock_tick", ucs="CLOCKTick", noun="clock ticking", kind="texture",
    render=render,
    params=(
        Param("tock", unit="%", lo=0.0, hi=100.0,
              doc="Identical ticks .. alternating tick and tock (a lower, softer every other tick).",
              high_words=("tick-tock",)),
        Param("mechanism", unit="clicks", lo=1, hi=4,
              doc="Escapement sub-clicks per tick: one clean click .. several with recoil."),
        Param("material", unit="%", lo=0.0, hi=100.0,
              doc="Case material: wooden (warm, hollow) .. metal (bright, ringing).",
              low_words=("wooden",), high_words=("metallic",)),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("clock ticking", 0), ("clock tick", 1), ("ticking clock", 1), ("tick-tock", 1)),
    scenes=(
        "a {adj} clock ticking{post}",
        "the ticking of a {adj} clock{post}",
        "a {adj} clock mechanism ticking{post}",
    ),
    tags=("clock", "tick", "ticking"),
    keywords=("clock", "tick", "ticking", "tick tock", "watch", "pendulum", "grandfather clock", "timer",
              "clockwork"),
    rate_doc="2 ticks/s at rate 1 (x rate)",
    rate_words=(("slow",), ("fast", "rapid")),
    element_roles=("main", "mechanism"),
    design_roles=(),
    category=None,
    presets={
        "grandfather_clock": {"size": 0.7, "tock": 0.8, "material": -0.8, "rate": -0.5},
        "pocket_watch": {"size": -0.9, "material": 0.9, "rate": 0.5},
        "kitchen_timer": {"material": 0.2, "rate": 0.5},
    },
)
