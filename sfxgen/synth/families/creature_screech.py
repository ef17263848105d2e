"""Creature screech: a piercing, harsh, high-pitched cry (gryphon, wyvern, harpy, giant bat,
banshee) from a source-filter voice driven into chaos (:mod:`sfxgen.synth.physics.voice`).

A screech is a high fundamental (0.8-2.5 kHz) pressed hard: strong harmonics, heavy breath
noise, period doubling and jitter that smear it into a rasp, a short vocal tract with wide
formants, and a saturating larynx/beak. Real screeches and shrieks measured in the development
corpus (Wesnoth gryphon, wail, bat; Flare wyvern): f0 0.65-2 kHz, centroid 0.8-2.1 kHz, 85 %
of the energy under 1.2-3.1 kHz, sustained 0.8-2.7 s with a steady or slowly falling pitch.

Common slots: ``size`` a bat-sized critter (higher, shorter tract) .. a dragon (lower, longer),
``pitch`` shifts the voice, ``decay`` the length of a screech (0.3 .. 3.5 s), ``rate`` the gap
between screeches and the flutter speed, ``intensity`` force (harsher, brighter, louder),
``brightness`` the glottal tilt.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import finish
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import voice as V

TAIL_S = 0.1
BASE_GAP_S = 0.3

PARAMS = (
    Param("screeches", "Number of screeches (as many as fit the clip)", "screeches", 1.0, 4.0),
    Param("harshness", "Chaos in the voice: a clear, whistling cry .. a rasping, noisy shriek", "%", 0, 100,
          low_words=("whistling", "clear"), high_words=("rasping", "shrieking", "harsh")),
    Param("contour", "Pitch shape: falling .. steady .. rising", "%", -100, 100,
          low_words=("falling", "dying"), high_words=("rising",)),
    Param("flutter", "A rattling amplitude/pitch flutter (tongue or syrinx) at 15-45 Hz", "%", 0, 100,
          low_words=(), high_words=("fluttering", "trilling")),
    Param("distortion", "Saturation of the cry (overdriven, ragged)", "%", 0, 100,
          low_words=(), high_words=("distorted", "ragged")),
)


def _layout(ph: Physical, duration_s: float) -> tuple[int, float, float]:
    """(screeches that fit, interval s, screech length s)."""
    call_s = float(np.clip(0.3 + 1.2 * ph.decay_s ** 0.7, 0.3, 3.5)) * (0.8 + 0.4 * ph.size)
    return V.series_layout(PARAMS[0].value(ph.a(0)), call_s=call_s, gap_s=BASE_GAP_S / ph.rate, tail_s=TAIL_S,
                           duration_s=duration_s)


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Dry screech(es) (1, n)."""
    sr = sample_rate
    count, interval, call_s = _layout(ph, n / sr)
    harsh, contour, flutter, dist = ph.a(1), PARAMS[2].value(ph.a(2)) / 100.0, ph.a(3), ph.a(4)
    drive = 0.3 + 0.7 * ph.intensity
    tract_m = 0.05 * (0.3 / 0.05) ** ph.size
    f0 = 2600.0 * (650.0 / 2600.0) ** ph.size * ph.pitch_ratio * (0.9 + 0.2 * ph.intensity)
    tilt = 1500.0 * 2.0 ** (1.2 * drive + 2.0 * (ph.brightness - 0.5))
    calls = []
    for s in V.call_starts(rng, count, interval_s=interval, jitter=0.1):
        k = float(np.exp(0.06 * rng.standard_normal()))
        ln = call_s * rng.uniform(0.85, 1.0)
        f_end = f0 * k * 2.0 ** (0.5 * contour + 0.1 * rng.standard_normal())
        calls.append(V.Call(
            start_s=float(s), dur_s=ln,
            f0_hz=((0.0, 0.75 * f0 * k), (0.06, f0 * k), (0.5, f0 * k * 2 ** (0.15 * contour)), (0.9, f_end),
                   (1.0, 0.85 * f_end)),
            amp=((0.0, 0.0), (0.04, 0.9), (0.12, 1.0), (0.75, 0.85), (1.0, 0.0)),
            open=((0.0, 0.5), (0.1, 1.0), (0.8, 0.9), (1.0, 0.5)), front=((0.0, 0.7), (1.0, 0.5)),
            level=rng.uniform(0.8, 1.0), noise=(0.2 + 1.2 * harsh ** 1.3) * drive,
            jitter=0.004 + 0.05 * harsh ** 2, shimmer=0.05 + 0.3 * harsh, subharmonic=0.8 * harsh ** 1.5,
            tilt_hz=tilt, peak_ratio=1.2 + 1.5 * drive, wobble_st=0.5 + 1.5 * harsh,
            vibrato_hz=(15.0 + 30.0 * flutter) * ph.rate ** 0.3, vibrato_st=1.5 * flutter ** 1.5))
    y = V.render_calls(calls, n=n, sr=sr, rng=rng, tract_m=tract_m, bandwidth=1.5 + 1.0 * harsh, frame=512)
    if flutter > 0.05:  # the rattle also beats the amplitude
        rate = (15.0 + 30.0 * flutter) * ph.rate ** 0.3
        y = y * (1.0 - 0.6 * flutter * (0.5 + 0.5 * P.sin_cycles(P.phase_of(rate, n, sr))))
    if dist + 0.4 * drive > 0.2:
        # saturation leaves difference tones under the voice: high-pass well below f0
        y = P.highpass(P.saturate(y, 0.2 * drive + 0.8 * dist), sr, min(0.25 * f0, 250.0))
    return finish(y[None, :])


def _words(ph: Physical, duration_s: float | None):
    dur = FAMILY.default_duration_s if duration_s is None else duration_s
    count = _layout(ph, dur)[0]
    if count == 1:
        return [("screeches", ["single"], [], "single")]
    return [("screeches", ["repeated"], [f"screeching {V.times_word(count)}"], V.times_word(count).split()[0])]


FAMILY = Family(
    name="creature_screech",
    ucs="CREAMnstr",
    noun="creature screech",
    kind="oneshot",
    render=render,
    params=PARAMS,
    default_duration_s=2.0,
    nouns=(("creature screech", 1), ("monster shriek", 1), ("screeching creature", 1), ("screech", 1),
           ("shriek", 1)),
    scenes=("a {adj} winged beast screeching{post}", "a {adj} shriek of a monster{post}",
            "a {adj} gryphon screech{post}", "a {adj} banshee wail{post}"),
    tags=("creature", "screech", "shriek", "monster", "fantasy"),
    keywords=("screech", "screeching", "shriek", "shrieking", "scream", "gryphon", "griffin", "wyvern",
              "harpy", "banshee", "pterodactyl", "bat", "monster", "creature", "wail", "cry", "hawk", "eagle"),
    rate_words=(("slow",), ("rapid",)),
    rate_doc="0.3 s between screeches",
    intensity_words=(("soft", "distant-sounding"), ("violent", "furious", "piercing")),
    tonal_pitch=True,
    element_roles=("main", "sweetener"),
    design_roles=("sweetener", "transient"),
    role_params={"sweetener": {"screeches": -1.0, "distance": 0.3}, "transient": {"decay": -0.6, "screeches": -1.0}},
    category="creature",
    special_words=_words,
    presets={
        "gryphon screech": {"size": 0.3, "harshness": 0.2, "decay": 0.3, "screeches": -1.0},
        "giant bat shriek": {"size": -0.7, "flutter": 0.6, "decay": -0.5, "screeches": 0.3},
        "banshee wail": {"size": 0.0, "harshness": -0.5, "contour": -0.6, "decay": 0.6, "screeches": -1.0},
        "dragon screech": {"size": 0.9, "harshness": 0.7, "distortion": 0.5, "intensity": 0.7},
    },
)
