"""Cat meow: "m-i-a-ow" calls from a short vocal tract (:mod:`sfxgen.synth.physics.voice`).

A meow starts with the mouth closed (a nasal "m"), opens through an "i" into a wide "a" (the
jaw drops: F1 rises -- the diphthong that gives the call its name; Schötz et al. study meows
as vowel sequences) and closes again into a rounded "ow". The f0 contour is rising, arched or
falling with the cat's mood (Schötz 2019: friendly contexts rise, stressed ones fall);
domestic cats meow at f0 ~400-800 Hz (kittens higher) for 0.4-1.5 s, with a 6-8 cm vocal tract
(formants about 1.1, 3.4, 5.6 kHz).

Common slots: ``size`` kitten (high, short tract) .. big tomcat, ``pitch`` shifts the voice,
``decay`` the length of a meow (0.3 .. 2.4 s), ``rate`` the gap between meows, ``intensity``
insistence (louder, higher, brighter; a yowl at the top), ``brightness`` the glottal tilt.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth.blocks import finish
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import voice as V

TAIL_S = 0.1
BASE_GAP_S = 0.35

PARAMS = (
    Param("meows", "Number of meows (as many as fit the clip)", "meows", 1.0, 4.0),
    Param("contour", "Pitch shape: falling (complaining) .. arched .. rising (asking)", "%", -100, 100,
          low_words=("complaining", "plaintive"), high_words=("questioning", "inquisitive")),
    Param("mouth", "How wide the mouth opens: a small 'mew' .. a wide 'MEOW'", "%", 0, 100,
          low_words=("mewing", "soft mewing"), high_words=("wide-mouthed",)),
    Param("roughness", "Voice roughness: clean .. a raspy, growly yowl", "%", 0, 100,
          low_words=("sweet",), high_words=("raspy", "yowling")),
)


def _layout(ph: Physical, duration_s: float) -> tuple[int, float, float]:
    """(meows that fit, interval s, meow length s)."""
    call_s = float(np.clip(0.3 + 0.8 * ph.decay_s ** 0.6, 0.3, 2.4)) * (0.8 + 0.4 * ph.size)
    return V.series_layout(PARAMS[0].value(ph.a(0)), call_s=call_s, gap_s=BASE_GAP_S / ph.rate, tail_s=TAIL_S,
                           duration_s=duration_s)


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Dry meow(s) (1, n)."""
    sr = sample_rate
    count, interval, call_s = _layout(ph, n / sr)
    contour = PARAMS[1].value(ph.a(1)) / 100.0
    mouth, rough = ph.a(2), ph.a(3)
    tract_m = 0.05 * (0.1 / 0.05) ** ph.size
    f0 = 950.0 * (330.0 / 950.0) ** ph.size * ph.pitch_ratio * (0.9 + 0.3 * ph.intensity)
    tilt = 2200.0 * 2.0 ** (1.5 * ph.intensity + 2.0 * (ph.brightness - 0.5))
    top = 0.35 + 0.65 * mouth
    calls = []
    for s in V.call_starts(rng, count, interval_s=interval, jitter=0.15):
        k = float(np.exp(0.07 * rng.standard_normal()))
        c = float(np.clip(contour + 0.25 * rng.standard_normal(), -1.0, 1.0))
        ln = call_s * rng.uniform(0.85, 1.0)
        peak_at = 0.35 + 0.25 * c  # where the pitch peaks: early when falling, late when rising
        f_start = f0 * k * (0.8 - 0.12 * c)
        f_peak = f0 * k * (1.22 + 0.08 * abs(c))
        f_end = f0 * k * (0.8 + 0.3 * c)
        calls.append(V.Call(
            start_s=float(s), dur_s=ln,
            f0_hz=((0.0, f_start), (0.08, f_start * 1.04), (peak_at, f_peak), (0.88, 0.5 * (f_peak + f_end)),
                   (1.0, f_end)),
            amp=((0.0, 0.0), (0.06, 0.45), (0.15, 0.85), (0.35, 1.0), (0.75, 0.8), (1.0, 0.0)),
            open=((0.0, 0.05), (0.12, 0.2), (0.4, top), (0.7, 0.7 * top), (1.0, 0.15)),
            front=((0.0, 0.6), (0.15, 0.85), (0.45, 0.5), (0.8, 0.15), (1.0, 0.1)),
            closed=((0.0, 0.9), (0.1, 0.6), (0.2, 0.0), (0.9, 0.0), (1.0, 0.3)),
            level=rng.uniform(0.8, 1.0), noise=0.06 + 0.5 * rough ** 1.5, jitter=0.004 + 0.03 * rough ** 2,
            shimmer=0.03 + 0.15 * rough, subharmonic=0.5 * rough ** 2, tilt_hz=tilt, peak_ratio=1.6,
            vibrato_hz=float(rng.uniform(5.0, 7.0)), vibrato_st=0.2 * rough, wobble_st=0.4 + 0.6 * rough))
    y = V.render_calls(calls, n=n, sr=sr, rng=rng, tract_m=tract_m, bandwidth=1.3 + 0.4 * rough, frame=512)
    return finish(y[None, :])


FAMILY = Family(
    name="cat_meow",
    ucs="ANMLCat",
    noun="cat meow",
    kind="oneshot",
    render=render,
    params=PARAMS,
    default_duration_s=2.0,
    nouns=(("cat meow", 1), ("meowing cat", 1), ("cat meowing", 1), ("meow", 1)),
    scenes=("a {adj} cat meowing for food{post}", "a {adj} cat calling at the door{post}",
            "a {adj} meow from a house cat{post}"),
    tags=("cat", "meow", "animal", "pet", "feline"),
    keywords=("cat", "meow", "miaow", "mew", "kitten", "kitty", "feline", "yowl", "pet"),
    rate_words=(("slow",), ("insistent", "rapid")),
    rate_doc="0.35 s between meows",
    intensity_words=(("soft", "quiet"), ("loud", "demanding")),
    element_roles=("main",),
    design_roles=("sweetener",),
    role_params={"sweetener": {"meows": -1.0, "distance": 0.3}},
    category="animal",
    special_words=V.series_words(_layout, "meows", verb="meowing", plural="meows", default_duration_s=2.0),
    presets={
        "kitten mewing": {"size": -0.9, "mouth": -0.5, "decay": -0.4, "meows": 0.3, "intensity": -0.4},
        "hungry cat": {"contour": 0.6, "mouth": 0.6, "meows": 0.3, "intensity": 0.3},
        "annoyed tomcat yowl": {"size": 0.8, "contour": -0.6, "roughness": 0.7, "decay": 0.5, "meows": -1.0},
    },
)
