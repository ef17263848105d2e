"""Cow moo: a long, low, harmonic-rich call that starts as a closed-mouth hum ("mmm") and opens
into a bellow ("ooo-aah"), from a source-filter voice (:mod:`sfxgen.synth.physics.voice`).

Real moos measured in the development corpus (0 A.D. cattle, Widelands ox, MegaGlest and
Scorched 3D cows): f0 100-240 Hz, nearly flat with a small rise and a falling "fry" at the end,
1-2 s long, dense harmonics up to 3 kHz and beyond, centroid 0.6-1.1 kHz, the higher harmonics
appearing when the mouth opens 0.3-0.5 s into the call. The vocal tract is long (a 0.3-0.5 m
tract: formants every 350-580 Hz).

Common slots: ``size`` a calf (short tract, f0 ~300 Hz) .. a bull (long tract, f0 ~85 Hz),
``pitch`` shifts the voice, ``decay`` the length of each moo (0.5 .. 3.5 s), ``rate`` the gap
between moos, ``intensity`` bellowing force (louder, brighter, rougher), ``brightness`` the
glottal tilt.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth.blocks import finish
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import voice as V

TAIL_S = 0.15
BASE_GAP_S = 0.6

PARAMS = (
    Param("moos", "Number of moos (as many as fit the clip)", "moos", 1.0, 3.0),
    Param("mouth", "How far the mouth opens: a closed hum 'mmm' .. a wide-open bellow 'maaa'", "%", 0, 100,
          low_words=("humming", "low mooing"), high_words=("bellowing", "open-mouthed")),
    Param("roughness", "Voice roughness: jitter, subharmonics (a breaking, groaning voice at 100 %)", "%", 0, 100,
          low_words=("smooth",), high_words=("rough", "groaning")),
    Param("breath", "Breath noise in the voice", "%", 0, 100, low_words=(), high_words=("breathy",)),
    Param("contour", "Pitch shape of a moo: falling .. flat .. rising", "%", -100, 100,
          low_words=("falling",), high_words=("rising",)),
)


def _layout(ph: Physical, duration_s: float) -> tuple[int, float, float]:
    """(moos that fit, interval s, moo length s)."""
    call_s = float(np.clip(0.6 + 1.2 * ph.decay_s ** 0.6, 0.6, 3.5)) * (0.85 + 0.3 * ph.size)
    return V.series_layout(PARAMS[0].value(ph.a(0)), call_s=call_s, gap_s=BASE_GAP_S / ph.rate, tail_s=TAIL_S,
                           duration_s=duration_s)


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Dry cow moo(s) (1, n)."""
    sr = sample_rate
    count, interval, call_s = _layout(ph, n / sr)
    mouth, rough, breath = ph.a(1), ph.a(2), ph.a(3)
    slope = PARAMS[4].value(ph.a(4)) / 100.0
    tract_m = 0.22 * (0.55 / 0.22) ** ph.size
    f0 = 300.0 * (85.0 / 300.0) ** ph.size * ph.pitch_ratio * (0.92 + 0.2 * ph.intensity)
    tilt = 1900.0 * 2.0 ** (1.2 * ph.intensity + 2.0 * (ph.brightness - 0.5))
    calls = []
    for s in V.call_starts(rng, count, interval_s=interval, jitter=0.05):
        k = float(np.exp(0.05 * rng.standard_normal()))
        ln = call_s * rng.uniform(0.9, 1.0)
        opening = float(rng.uniform(0.2, 0.4))  # when the mouth has opened (fraction of the moo)
        top = 0.2 + 0.8 * mouth
        calls.append(V.Call(
            start_s=float(s), dur_s=ln,
            f0_hz=((0.0, 0.86 * f0 * k), (0.12, 0.98 * f0 * k), (0.5, f0 * k * (1 + 0.08 * slope)),
                   (0.85, f0 * k * (1 + 0.16 * slope) * 0.98), (1.0, 0.62 * f0 * k)),
            amp=((0.0, 0.0), (0.08, 0.55), (opening, 0.8), (opening + 0.1, 1.0), (0.86, 0.85), (1.0, 0.0)),
            open=((0.0, 0.1), (opening, 0.15), (min(opening + 0.15, 0.9), top), (1.0, 0.6 * top)),
            front=((0.0, 0.25), (0.6, 0.2 + 0.3 * mouth), (1.0, 0.3)),
            closed=((0.0, 1.0), (opening, 0.85), (min(opening + 0.12, 0.95), 0.0)),
            noise=0.03 + 0.6 * breath ** 1.5, peak_ratio=3.5 + 3.0 * ph.intensity, jitter=0.003 + 0.03 * rough ** 2,
            shimmer=0.02 + 0.15 * rough ** 2, subharmonic=0.6 * rough ** 2, tilt_hz=tilt,
            vibrato_hz=float(rng.uniform(4.0, 6.0)), vibrato_st=0.15 * rough, wobble_st=0.2 + 0.8 * rough))
    y = V.render_calls(calls, n=n, sr=sr, rng=rng, tract_m=tract_m, bandwidth=1.0 + 0.5 * rough)
    return finish(y[None, :])


FAMILY = Family(
    name="cow_moo",
    ucs="ANMLFarm",
    noun="cow moo",
    kind="oneshot",
    render=render,
    params=PARAMS,
    default_duration_s=2.5,
    nouns=(("cow moo", 1), ("cow mooing", 1), ("mooing cow", 1), ("moo", 1), ("cattle lowing", 0)),
    scenes=("a {adj} cow mooing in a field{post}", "a {adj} cow calling from the barn{post}",
            "a {adj} moo of a cow{post}"),
    tags=("cow", "moo", "animal", "farm", "cattle"),
    keywords=("cow", "moo", "mooing", "cattle", "bull", "ox", "calf", "lowing", "farm animal"),
    rate_words=(("slow",), ("quick",)),
    rate_doc="0.6 s between moos",
    intensity_words=(("soft", "gentle"), ("loud", "bellowing")),
    element_roles=("main",),
    design_roles=("sweetener",),
    role_params={"sweetener": {"distance": 0.5, "moos": -1.0}},
    category="animal",
    special_words=V.series_words(_layout, "moos", verb="mooing", plural="moos", default_duration_s=2.5),
    presets={
        "calf calling": {"size": -0.8, "mouth": 0.3, "moos": 0.0, "contour": 0.4},
        "bull bellow": {"size": 0.9, "intensity": 0.7, "roughness": 0.5, "mouth": 0.8, "decay": 0.3},
        "contented moo": {"mouth": -0.3, "roughness": -0.6, "breath": -0.4, "intensity": -0.3},
        "distant cow": {"distance": 0.7, "space": 0.0},
    },
)
