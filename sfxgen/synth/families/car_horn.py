"""Car horn: an electromagnetic diaphragm horn (or a truck's air horn) pressed one or more times.

An electric horn is a buzzer: an interrupter contact makes the steel diaphragm snap back and
forth at 300-500 Hz, so the pressure is a harmonic-rich pulse wave, radiated through a spiral
("snail") horn that boosts its 1.5-3 kHz harmonics -- the blare. Cars mostly carry a low and a
high horn a major third apart sounding together; the pitch sags slightly as the battery
voltage drops under load and settles in the first ~50 ms. An air horn (trucks, ships) is a
reed in a long flared trumpet: lower (150-300 Hz), sawtooth-rich, slower to speak. Each press
starts and stops within ~10-30 ms (a scooter's tiny horn is thin and high). :func:`presses`
builds the on/off envelope other signal families reuse.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics.motion import pan_stereo

KINDS = ("truck_air_horn", "car", "scooter")
# low note (Hz), attack (s), release (s), horn formant (Hz)
_SPEC = {"car": (415.0, 0.012, 0.03, 2400.0), "truck_air_horn": (185.0, 0.06, 0.12, 1100.0),
         "scooter": (620.0, 0.008, 0.02, 3200.0)}

KIND = Param("horn", "A car's electric horn pair, a truck's air horn or a scooter's small horn.",
             choices=KINDS, choice_words=(("car", ()), ("truck_air_horn", ("of a truck", "from a truck's air horn")),
                                          ("scooter", ("of a scooter", "from a small scooter horn"))))
BEEPS = Param("beeps", "Number of presses, the whole part of this value (1 .. 4); rate tightens the "
              "gaps.", "count", 1.0, 4.99, "log")
LENGTH = Param("press_s", "Length of each press: a short toot .. a long lean on the horn.", "s", 0.08, 2.0,
               "log", low_words=("short", "quick"), high_words=("long", "sustained"))
DUAL = Param("notes", "One horn, or the usual low and high pair a major third apart.",
             choices=("single", "dual"), choice_words=(("dual", ("with two tones",)),))
SAG = Param("sag", "Pitch sag and roughness of a tired horn or weak battery (0 clean .. 1 flat, "
            "rattly).", "", 0.0, 1.0, low_words=("clean",), high_words=("rattly", "tired"))


def presses(n: int, sr: int, starts_s, lengths_s, *, attack_s: float, release_s: float) -> np.ndarray:
    """On/off gain (n,) of presses starting at ``starts_s`` lasting ``lengths_s``: exponential
    rise over ``attack_s`` and exponential fall after each release (time constant
    ``release_s / 4``), overlapping presses merged by their maximum."""
    t = P.time_s(n, sr)
    g = np.zeros(n)
    for s0, L in zip(np.atleast_1d(starts_s), np.atleast_1d(lengths_s)):
        i0 = int(max(s0, 0.0) * sr)
        if i0 >= n:
            continue
        i1 = min(n, int((s0 + L + 6 * release_s) * sr) + 1)
        tt = t[i0:i1] - s0
        on = 1.0 - np.exp(-np.maximum(tt, 0.0) / max(attack_s / 4, 1e-5))
        off = np.exp(-np.maximum(tt - L, 0.0) / max(release_s / 4, 1e-5))
        np.maximum(g[i0:i1], on * off, out=g[i0:i1])
    return g


def press_times(count: int, length_s: float, gap_s: float, T: float) -> tuple[np.ndarray, np.ndarray, int]:
    """Start times and lengths of up to ``count`` presses that fit in ``T`` seconds (with a short
    lead-in and room for the last release); returns (starts, lengths, count)."""
    length = min(length_s, 0.8 * T / max(count, 1))
    k = max(1, min(count, int((0.9 * T - 0.02 + gap_s) / (length + gap_s))))
    starts = 0.02 + np.arange(k) * (length + gap_s)
    return starts, np.full(k, length), k


def horn_voice(rng, n: int, sr: int, f0: float, *, air: bool, formant_hz: float, sag: float) -> np.ndarray:
    """One horn's steady blare (n,): a diaphragm pulse wave (or an air-horn sawtooth) with its
    pitch settling and sagging, through the horn's formant."""
    t = P.time_s(n, sr)
    f = f0 * (1.0 + 0.03 * np.exp(-t / 0.03) - 0.01 * sag * np.minimum(t / 1.5, 1.0)
              + 0.002 * (1 + 3 * sag) * P.smooth_random(rng, n, sr, 7.0))
    src = P.saw(f, n, sr) if air else P.square(f, n, sr, duty=0.28)
    if sag > 0.05:  # a worn interrupter: the contact chatters (jitter in the pulse)
        src = src * (1.0 + 0.25 * sag * P.lowpass(P.white(rng, n), sr, 3.0 * f0))
    y = P.highpass(src, sr, 0.6 * f0)
    y = y + 2.5 * P.bandpass(y, sr, formant_hz, q=2.0) + 0.8 * P.bandpass(y, sr, 2.2 * formant_hz, q=3.0)
    return P.saturate(y, 0.35)


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    T = n / sr
    kind = KIND.choice(ph.a(0))
    f_lo, att, rel, formant = _SPEC[kind]
    f_lo *= ph.pitch_ratio * 2 ** (-0.5 * (ph.size - 0.5))
    sag = SAG.value(ph.a(4))
    air = kind == "truck_air_horn"
    y = horn_voice(rng, n, sr, f_lo, air=air, formant_hz=formant, sag=sag)
    if DUAL.choice(ph.a(3)) == "dual":
        y = y + 0.85 * horn_voice(rng, n, sr, f_lo * 1.26 * rng.uniform(0.995, 1.005), air=air,
                                  formant_hz=formant * 1.1, sag=sag)
    starts, lengths, _ = press_times(int(BEEPS.value(ph.a(1))), LENGTH.value(ph.a(2)), 0.12 / ph.rate, T)
    y = y * presses(n, sr, starts, lengths, attack_s=att, release_s=rel)
    return P.highpass_tilt(pan_stereo(y, 0.0), sr, 30.0, 0.3 + 0.4 * ph.brightness, order=4)


def _special(ph: Physical, duration_s):
    k = press_times(int(BEEPS.value(ph.a(1))), LENGTH.value(ph.a(2)), 0.12 / ph.rate,
                    duration_s or FAMILY.default_duration_s)[2]
    words = {1: ["honking once", "honked once"], 2: ["honking twice", "honked twice"],
             3: ["honking three times", "honked three times"], 4: ["honking four times", "honked four times"]}[k]
    return [("beeps", [], words, "single" if k == 1 else "repeated")]


FAMILY = Family(
    name="car_horn", ucs="VEHHorn", noun="car horn", kind="oneshot", render=render,
    params=(KIND, BEEPS, LENGTH, DUAL, SAG), default_duration_s=2.0,
    nouns=(("car horn", 1), ("vehicle horn", 1), ("horn", 1), ("car's horn", 1)),
    scenes=("a {adj} car horn{post}", "a driver pressing a {adj} horn{post}",
            "a {adj} horn in traffic{post}"),
    tags=("horn", "car", "honk", "traffic", "beep", "vehicle"),
    keywords=("car horn", "horn", "honk", "honking", "beep beep", "air horn", "truck horn", "toot",
              "hooter", "klaxon"),
    rate_words=(("slow",), ("rapid", "impatient")), rate_doc="0.12 s between presses at rate 1",
    intensity_words=None, tonal_pitch=True, special_words=_special,
    element_roles=("main",), design_roles=(),
    category="alarm",
    presets={
        "double_honk": {"horn": "car", "beeps": 0.0, "press_s": -0.5, "notes": "dual", "space": -0.7,
                        "distance": -0.6, "attack": -1.0},
        "long_blast": {"horn": "car", "beeps": -1.0, "press_s": 0.5, "notes": "dual", "space": -0.7,
                       "distance": -0.6, "attack": -1.0},
        "truck_air_horn": {"horn": "truck_air_horn", "beeps": -1.0, "press_s": 0.6, "notes": "dual",
                           "space": -0.5, "distance": -0.6, "attack": -1.0},
        "scooter_toots": {"horn": "scooter", "beeps": 0.6, "press_s": -0.8, "notes": "single", "space": -0.7,
                          "distance": -0.6, "attack": -1.0},
        "impatient": {"horn": "car", "beeps": 0.9, "press_s": -0.7, "rate": 0.6, "notes": "dual",
                      "space": -0.7, "distance": -0.6, "attack": -1.0},
    },
)
