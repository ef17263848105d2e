"""Cat purr: a low, pulsing rumble on both the out-breath and the in-breath, from a source-filter
voice at a very low pulse rate (:mod:`sfxgen.synth.physics.voice`).

A purr is the glottis snapping open and shut about 25 times a second (Schötz & Eklund 2011:
f0 21-27 Hz egressive, 23-26 Hz ingressive in domestic cats; a cheetah's ~20 Hz): each closure
is a click that rings the (mostly closed-mouthed, nasal) vocal tract, so the sound is a train
of short low bursts -- a rolled "rrrr" -- whose level swells and fades with each breath, with a
short pause at each turn of the breath. The egressive phase is usually longer and louder.

Common slots: ``size`` a kitten (faster pulses, short tract) .. a big cat, ``pitch`` shifts the
pulse rate and the resonances, ``rate`` the breathing speed (about 1.3 s per phase at 1x),
``intensity`` loudness and brightness of the clicks, ``brightness`` the glottal tilt.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import finish
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import voice as V

BASE_PHASE_S = 1.3

PARAMS = (
    Param("ingress", "Level of the in-breath phase relative to the out-breath", "%", 10, 100,
          low_words=("exhaling",), high_words=()),
    Param("breath", "Breath noise through the nose", "%", 0, 100, low_words=(), high_words=("breathy", "wheezy")),
    Param("roughness", "Pulse irregularity: a smooth, even purr .. a rattling, uneven one", "%", 0, 100,
          low_words=("smooth", "even"), high_words=("rattling", "rough")),
)


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Dry purr (1, n)."""
    sr = sample_rate
    dur = n / sr
    ingress, breath, rough = PARAMS[0].value(ph.a(0)) / 100.0, ph.a(1), ph.a(2)
    f0 = 27.0 * (20.0 / 27.0) ** ph.size * ph.pitch_ratio ** 0.5
    tract_m = 0.06 * (0.12 / 0.06) ** ph.size / ph.pitch_ratio ** 0.3
    tilt = 1400.0 * 2.0 ** (1.2 * ph.intensity + 2.0 * (ph.brightness - 0.5))
    phase_s = BASE_PHASE_S / ph.rate
    calls = []
    t = -rng.uniform(0.0, phase_s)  # the clip starts somewhere in a breath
    out_breath = bool(rng.integers(0, 2))
    while t < dur:
        ln = phase_s * (1.15 if out_breath else 0.85) * rng.uniform(0.85, 1.15)
        lvl = (1.0 if out_breath else ingress) * rng.uniform(0.85, 1.0)
        fk = f0 * (1.0 if out_breath else 1.06) * rng.uniform(0.95, 1.05)
        calls.append(V.Call(
            start_s=t, dur_s=ln, f0_hz=((0.0, 0.95 * fk), (0.3, fk), (1.0, 0.93 * fk)),
            amp=((0.0, 0.0), (0.15, 0.8), (0.4, 1.0), (0.8, 0.85), (1.0, 0.0)),
            open=((0.0, 0.1),), front=((0.0, 0.3),), closed=((0.0, 0.75),), level=lvl,
            noise=0.15 + 1.5 * breath ** 1.5, jitter=0.03 + 0.12 * rough, shimmer=0.15 + 0.35 * rough,
            subharmonic=0.3 * rough, tilt_hz=tilt, peak_ratio=18.0, wobble_st=1.0 + 2.0 * rough))
        t += ln + rng.uniform(0.04, 0.15)
        out_breath = not out_breath
    y = V.render_calls(calls, n=n, sr=sr, rng=rng, tract_m=tract_m, bandwidth=1.5)
    # the ~25 Hz pulse rate itself wanders down towards 20 Hz: keep the sub-audio out
    return finish(P.highpass(y, sr, 35.0)[None, :])


FAMILY = Family(
    name="cat_purr",
    ucs="ANMLCat",
    noun="cat purring",
    kind="texture",
    render=render,
    params=PARAMS,
    default_duration_s=5.0,
    nouns=(("cat purring", 1), ("purring cat", 1), ("purr", 1), ("cat purr", 1)),
    scenes=("a {adj} cat purring on a lap{post}", "a {adj} contented cat purring{post}",
            "a {adj} purr of a sleepy cat{post}"),
    tags=("cat", "purr", "animal", "pet", "feline"),
    keywords=("purr", "purring", "cat", "kitten", "kitty", "feline", "content cat", "cheetah"),
    rate_words=(("slow", "sleepy", "relaxed"), ("fast", "quick-breathing")),
    rate_doc="1.3 s per breath phase",
    intensity_words=(("soft", "gentle"), ("loud", "strong")),
    element_roles=("main",),
    design_roles=("texture", "bed"),
    role_params={"bed": {"distance": 0.2, "intensity": -0.4}},
    category="animal",
    presets={
        "contented house cat": {"ingress": 0.2, "roughness": -0.4},
        "kitten purr": {"size": -0.8, "intensity": -0.4, "rate": 0.3},
        "big cat rumble": {"size": 0.9, "intensity": 0.5, "roughness": 0.5},
        "sleepy purr": {"rate": -0.5, "intensity": -0.6, "breath": 0.3},
    },
)
