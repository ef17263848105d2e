"""Slide whistle: a stopped flue pipe whose plunger slides, gliding the pitch up and down.

A slide whistle is a fipple (recorder-like edge tone) on a pipe closed by a plunger: the
stopped pipe sounds at ``f = c / 4 L`` with weak odd partials, so pushing the plunger in
(shorter pipe) glides the pitch up and pulling it out glides it down -- with the pitch
following the plunger's motion, which accelerates and decelerates (a smooth S-curve, not a
straight line). Breath noise sits under the tone, a little vibrato comes from the player's
hand, and the tone speaks with a breathy, slightly flat onset.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.families.car_horn import presses
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import aero
from sfxgen.synth.physics.motion import pan_stereo

SPEED_OF_SOUND = 343.0
CONTOURS = ("up", "up_down", "down", "down_up", "wobble")

CONTOUR = Param("contour", "Plunger motion: a rising slide, a falling slide (the classic cartoon "
                "fall), up then down, down then up, or a quick back-and-forth wobble.", choices=CONTOURS,
                choice_words=(("up", ("sliding up", "rising")), ("down", ("sliding down", "falling")),
                              ("up_down", ("sliding up and down",)), ("down_up", ("sliding down and up",)),
                              ("wobble", ("wobbling back and forth",))))
LOW = Param("low_hz", "Lowest note (plunger pulled out: pipe length c / 4f).", "Hz", 220.0, 900.0, "log",
            low_words=("low",), high_words=("high",))
RANGE = Param("range_oct", "How far the slide travels, in octaves.", "oct", 0.5, 2.5,
              low_words=("short-sliding",), high_words=("wide-sliding",))
BREATH = Param("breath", "Breath noise under the tone.", "", 0.0, 1.0, low_words=("pure",), high_words=("breathy",))


def plunger(contour: str, x: np.ndarray, wobbles: float) -> np.ndarray:
    """Plunger position 0 (out, low) .. 1 (in, high) over the gesture's progress ``x`` in [0, 1]."""
    s = 0.5 - 0.5 * np.cos(np.pi * np.clip(x, 0, 1))  # accelerate, then decelerate
    if contour == "up":
        return s
    if contour == "down":
        return 1.0 - s
    if contour == "up_down":
        return np.sin(np.pi * np.clip(x, 0, 1)) ** 1.5
    if contour == "down_up":
        return 1.0 - np.sin(np.pi * np.clip(x, 0, 1)) ** 1.5
    return 0.5 - 0.5 * np.cos(2 * np.pi * wobbles * np.clip(x, 0, 1))


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    T = n / sr
    t = P.time_s(n, sr)
    contour = CONTOUR.choice(ph.a(0))
    f_lo = LOW.value(ph.a(1)) * ph.pitch_ratio
    span = RANGE.value(ph.a(2))
    dur = min(0.9 * T, max(0.25, 1.2 / ph.rate))
    x = (t - 0.03) / max(dur - 0.1, 0.05)
    pos = plunger(contour, x, wobbles=3.0 * ph.rate ** 0.5)
    f = f_lo * 2.0 ** (span * pos) * (1.0 + 0.006 * P.sin_cycles(5.5 * t) + 0.003 * P.smooth_random(rng, n, sr, 3.0))
    env = presses(n, sr, [0.03], [dur - 0.1], attack_s=0.04, release_s=0.08)
    f = f * (0.97 + 0.03 * env)  # speaks slightly flat until the flow is up
    tone = P.harmonic_osc(f, n, sr, [1.0, 0.0, 0.12, 0.0, 0.04])  # stopped pipe: odd partials
    breath = P.shaped_noise(rng, n, sr, lambda fr, tt: aero.peak_spectrum(fr, 2.0 * f_lo * 2 ** (0.5 * span),
                                                                        rise=1.0, fall=1.5))
    y = tone / (P.rms(tone) + 1e-12) + (0.08 + 0.5 * BREATH.value(ph.a(3))) * breath / (P.rms(breath) + 1e-12)
    return P.highpass_tilt(pan_stereo(y * env, 0.0), sr, 30.0, 0.3 + 0.4 * ph.brightness, order=4)


FAMILY = Family(
    name="slide_whistle", ucs="TOONWhis", noun="slide whistle", kind="tonal", render=render,
    params=(CONTOUR, LOW, RANGE, BREATH), default_duration_s=1.5,
    nouns=(("slide whistle", 1), ("cartoon slide whistle", 1), ("swanee whistle", 1)),
    scenes=("a {adj} slide whistle{post}", "a {adj} cartoon slide whistle{post}",
            "a {adj} swanee whistle glide{post}"),
    tags=("cartoon", "slide whistle", "whistle", "comedy", "glide", "toon"),
    keywords=("slide whistle", "swanee whistle", "cartoon whistle", "cartoon fall", "whistle up",
              "whistle down", "comedy whistle"),
    rate_words=(("slow",), ("fast", "quick")), rate_doc="a 1.2 s slide at rate 1",
    intensity_words=None, tonal_pitch=True,
    element_roles=("main", "sweetener"), design_roles=("sweetener",),
    category=None,
    presets={
        "cartoon_fall": {"contour": "down", "low_hz": -0.3, "range_oct": 0.4, "space": -0.8, "distance": -0.8,
                         "attack": -1.0},
        "rise": {"contour": "up", "low_hz": -0.2, "range_oct": 0.2, "space": -0.8, "distance": -0.8,
                 "attack": -1.0},
        "up_and_down": {"contour": "up_down", "range_oct": 0.0, "space": -0.8, "distance": -0.8, "attack": -1.0},
        "wobble": {"contour": "wobble", "range_oct": -0.5, "rate": 0.3, "space": -0.8, "distance": -0.8,
                   "attack": -1.0},
    },
)
