"""Whistle: a referee's pea whistle, a pea-less whistle, or a steam whistle, blown in blasts.

A whistle is an edge tone locked to a resonator. In a referee's whistle the air jet drives the
barrel's Helmholtz resonance (2-4 kHz, ``f = c / 2 pi sqrt(A / (V L))``) and the cork pea,
spun around the chamber by the flow, periodically changes the cavity volume and blocks the
jet: the tone is amplitude- and frequency-modulated 20-40 times a second -- the trill -- with
breath noise under it. A pea-less (coach's) whistle is the same tone, steady. A steam whistle
is a large bell resonator (a closed pipe, odd partials) sounding 300-900 Hz with a lot of
steam hiss, often a chord of pipes. Each blast has a breathy onset in which the pitch rises
as the flow builds, and a short release.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.families.car_horn import press_times, presses
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import aero
from sfxgen.synth.physics.motion import pan_stereo

KINDS = ("pealess", "referee", "steam")
# fundamental (Hz), trill rate (Hz), attack (s), release (s)
_SPEC = {"referee": (2900.0, 28.0, 0.03, 0.04), "pealess": (3300.0, 0.0, 0.025, 0.035),
         "steam": (520.0, 0.0, 0.15, 0.3)}

KIND = Param("whistle", "A referee's pea whistle (trilling), a pea-less whistle (steady) or a steam "
             "whistle (a low chord of pipes with steam).", choices=KINDS,
             choice_words=(("referee", ("from a referee's whistle",)), ("pealess", ("from a coach's whistle",)),
                           ("steam", ("from a steam whistle", "from a train whistle"))))
BLASTS = Param("blasts", "Number of blasts, the whole part of this value (1 .. 3); rate tightens the gaps.",
               "count", 1.0, 3.99, "log")
LENGTH = Param("blast_s", "Length of each blast (a short peep .. a long blast).", "s", 0.1, 2.5, "log",
               low_words=("short",), high_words=("long",))
BREATH = Param("breath", "Breath / steam noise against the tone.", "", 0.0, 1.0,
               low_words=("pure",), high_words=("breathy", "airy"))


def blast_count(ph: Physical) -> int:
    return int(BLASTS.value(ph.a(1)))


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    T = n / sr
    kind = KIND.choice(ph.a(0))
    f0, trill, att, rel = _SPEC[kind]
    f0 *= ph.pitch_ratio * 2 ** (-0.7 * (ph.size - 0.5))
    breath = BREATH.value(ph.a(3))
    starts, lengths, _ = press_times(blast_count(ph), LENGTH.value(ph.a(2)), 0.15 / ph.rate, T)
    env = presses(n, sr, starts, lengths, attack_s=att, release_s=rel)
    # flow builds at each onset: pitch rises a few percent over the attack
    flow = presses(n, sr, starts, lengths, attack_s=3 * att, release_s=rel)
    f = f0 * (0.94 + 0.06 * flow) * (1.0 + 0.003 * P.smooth_random(rng, n, sr, 4.0))
    if trill > 0:  # the pea: AM and FM at its spin rate, the rate itself wandering with the blow
        spin = P.phase_of(trill * ph.rate ** 0.3 * (1.0 + 0.15 * P.smooth_random(rng, n, sr, 2.0)), n, sr)
        pea = 0.5 + 0.5 * P.sin_cycles(spin)
        f = f * (1.0 - 0.06 * pea)
        amp = 1.0 - 0.75 * pea ** 2
    else:
        amp = np.ones(n)
    if kind == "steam":
        tone = sum(g * P.harmonic_osc(f * r, n, sr, [1.0, 0.0, 0.35, 0.0, 0.15])
                   for r, g in ((1.0, 1.0), (1.26, 0.8), (1.5, 0.7)))  # a chord of closed pipes
        noise_peak = 2000.0
    else:
        tone = P.harmonic_osc(f, n, sr, [1.0, 0.12, 0.04])
        noise_peak = f0
    hiss = P.shaped_noise(rng, n, sr, lambda fr, t: aero.peak_spectrum(fr, noise_peak, rise=1.5, fall=1.5))
    y = tone / (P.rms(tone) + 1e-12) * amp + (0.15 + 0.9 * breath) * hiss / (P.rms(hiss) + 1e-12) * (0.4 + 0.6 * amp)
    return P.highpass_tilt(pan_stereo(y * env, 0.0), sr, 30.0, 0.3 + 0.4 * ph.brightness, order=4)


def _special(ph: Physical, duration_s):
    k = press_times(blast_count(ph), LENGTH.value(ph.a(2)), 0.15 / ph.rate,
                    duration_s or FAMILY.default_duration_s)[2]
    words = {1: ["one blast", "blown once"], 2: ["two blasts", "blown twice"], 3: ["three blasts", "blown three times"]}[k]
    return [("blasts", [], words, "single" if k == 1 else "repeated")]


FAMILY = Family(
    name="whistle", ucs="WHSTMech", noun="whistle", kind="oneshot", render=render,
    params=(KIND, BLASTS, LENGTH, BREATH), default_duration_s=2.0,
    nouns=(("whistle", 1), ("whistle blow", 1), ("referee whistle", 1), ("whistle blast", 1)),
    scenes=("a {adj} whistle being blown{post}", "a referee blowing a {adj} whistle{post}",
            "a {adj} whistle blast{post}"),
    tags=("whistle", "referee", "blow", "signal", "sport"),
    keywords=("whistle", "referee whistle", "pea whistle", "coach whistle", "steam whistle", "train whistle",
              "whistle blow", "blow a whistle", "sports whistle"),
    rate_words=(("slow",), ("rapid", "urgent")), rate_doc="0.15 s between blasts at rate 1",
    intensity_words=None, tonal_pitch=True, special_words=_special,
    element_roles=("main",), design_roles=(),
    category="alarm",
    presets={
        "referee_long": {"whistle": "referee", "blasts": -1.0, "blast_s": 0.3, "space": -0.5, "distance": -0.6,
                         "attack": -1.0},
        "referee_three": {"whistle": "referee", "blasts": 1.0, "blast_s": -0.6, "space": -0.5, "distance": -0.6,
                          "attack": -1.0},
        "coach_peep": {"whistle": "pealess", "blasts": 0.0, "blast_s": -0.8, "space": -0.6, "distance": -0.6,
                       "attack": -1.0},
        "steam_train": {"whistle": "steam", "blasts": -1.0, "blast_s": 0.6, "breath": 0.4, "space": -0.2,
                        "distance": -0.6, "attack": -1.0},
    },
)
