"""Cricket chirp: stridulation -- a file on one wing rubbed by a scraper on the other -- makes
nearly pure tone pulses (syllables) at the wing's resonance, grouped into chirps
(:func:`sfxgen.synth.physics.bio.render_syllables`).

A field cricket's syllable is a 10-25 ms tone burst at ~4-5 kHz whose pitch sinks slightly as
the scraper slows (the "escapement" of Bennet-Clark); 3-5 syllables at ~30 per second make a
chirp, and chirps repeat 1-3 times a second (faster when warm: Dolbear's law). Tree crickets
trill (a continuous syllable train), katydids rasp (broadband, higher). Real cricket calls
measured in the development corpus (Nexuis/UFO:AI cricket loops): carrier 4.8 kHz with a
second harmonic -20 dB at 9.6 kHz, 4-syllable chirps ~0.15 s long, ~2.7 chirps/s.
A chorus is many individuals at their own rates, pitches, distances and bearings.

Common slots: ``pitch`` the carrier (4.5 kHz base, +-2 octaves), ``size`` bigger crickets
sing lower, ``rate`` the chirp rate (temperature), ``intensity`` loudness and syllable attack,
``brightness`` the second and third harmonics.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import finish
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import ambience as A
from sfxgen.synth.physics import bio as B

SONGS = ("trill", "chirp", "katydid")
MAX_VOICES = 12

PARAMS = (
    Param("song", "Song type: a tree-cricket trill, field-cricket chirps, or a katydid's raspy rattle",
          choices=SONGS, choice_words=(("trill", ("trilling", "in a continuous trill")), ("chirp", ("in short chirps", "in regular chirps")),
                                       ("katydid", ("of a katydid", "rasping")))),
    Param("chorus", "How many crickets: one up to 50 %, then 2 .. 40 (a field full of them)", "%", 0, 100),
    Param("syllables", "Syllables (pulses) per chirp", "pulses", 2.0, 7.0),
    Param("regularity", "How steady the rhythm is: irregular, hesitant .. clockwork", "%", 0, 100,
          low_words=("irregular",), high_words=("steady", "rhythmic")),
)


def chorus_size(u: float) -> int:
    """Crickets for the ``chorus`` slot: 1 up to 0.5, then 2 .. 40 (log)."""
    return 1 if u <= 0.5 else int(round(2.0 * 20.0 ** ((u - 0.5) / 0.5)))


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Dry cricket song (2, n): every cricket panned at its bearing and distance."""
    sr = sample_rate
    dur = n / sr
    song = PARAMS[0].choice(ph.a(0))
    count = chorus_size(ph.a(1))
    syllables = int(round(PARAMS[2].value(ph.a(2))))
    regular = ph.a(3)
    fc0 = 4500.0 * ph.pitch_ratio * 2.0 ** (-0.6 * (ph.size - 0.5)) * (1.9 if song == "katydid" else 1.0)
    h2 = 0.03 + 0.25 * ph.brightness
    harmonics = (1.0, h2, 0.3 * h2 * h2)
    voices = min(count, MAX_VOICES)
    out = np.zeros((2, n))
    for k in range(voices):
        fc = min(fc0 * (2.0 ** (rng.uniform(-0.2, 0.2)) if k else 1.0), 0.42 * sr)
        syl = B.cricket_song(rng, dur, fc=fc, rate=ph.rate, song=song, syllables=syllables, regularity=regular,
                             attack=0.25 - 0.15 * ph.intensity)
        y = B.render_syllables(syl, n=n, sr=sr, harmonics=harmonics)
        if song == "katydid":  # a katydid's rasp: the tone is torn into noisy broadband pulses
            y = P.highpass(y * (1.0 + 2.0 * P.white(rng, n)), sr, 2500.0, order=2)
        y = A.air(y, sr, 1.0 if k == 0 else rng.uniform(1.5, 6.0))  # far ones lose their harmonics
        out += A.pan(y, rng.uniform(-0.3, 0.3) if k == 0 else rng.uniform(-0.7, 0.7))
    if count > voices:
        out *= np.sqrt(count / voices)
    return finish(out)


def _words(ph: Physical, duration_s: float | None):
    count = chorus_size(ph.a(1))
    if count == 1:
        return [("chorus", ["lone", "single"], ["of a single cricket"], "single")]
    if count < 6:
        return [("chorus", [], ["of a few crickets"], "few")]
    return [("chorus", [], ["of a field of crickets", "of a cricket chorus"], "chorus")]


FAMILY = Family(
    name="cricket_chirp",
    ucs="ANMLInsc",
    noun="cricket chirping",
    kind="texture",
    render=render,
    params=PARAMS,
    default_duration_s=4.0,
    nouns=(("cricket chirping", 1), ("chirping cricket", 1), ("crickets", 0), ("cricket song", 1)),
    scenes=("a {adj} cricket chirping in the grass{post}", "{adj} crickets on a summer night{post}",
            "a {adj} cricket singing in the dark{post}"),
    tags=("cricket", "insect", "chirp", "night", "nature"),
    keywords=("cricket", "crickets", "chirp", "chirping", "katydid", "grasshopper", "cicada", "stridulation",
              "summer night", "insects"),
    rate_words=(("slow", "cool-night"), ("fast", "rapid")),
    rate_doc="2.2 chirps/s (bio.CRICKET_CHIRPS_HZ)",
    intensity_words=(("soft", "faint"), ("loud", "shrill")),
    tonal_pitch=True,
    element_roles=("main", "sweetener"),
    design_roles=("bed", "texture", "sweetener"),
    role_params={"bed": {"chorus": 0.7, "distance": 0.5}, "texture": {"chorus": 0.5}},
    category="animal",
    special_words=_words,
    presets={
        "field cricket": {"song": "chirp", "chorus": -1.0},
        "cricket chorus at night": {"song": "chirp", "chorus": 0.8, "distance": 0.3, "space": -0.2},
        "tree cricket trill": {"song": "trill", "chorus": 0.0},
        "katydid rasp": {"song": "katydid", "chorus": -1.0, "syllables": 0.5},
    },
)
