"""Bird song: phrases of FM-swept tonal syllables from a syrinx
(:func:`sfxgen.synth.physics.bio.render_syllables`), or the harsh caw of a crow from a
source-filter voice (:mod:`sfxgen.synth.physics.voice`).

Songbirds sing nearly pure tones swept in frequency within each syllable; a song is a phrase
of syllables drawn from a small repertoire and repeated with variation (Farnell, *Designing
Sound*, "Birds"). Styles: *whistler* (slow fluty slides, a blackbird or robin), *chirper*
(repeated sharp down-sweeps, a sparrow), *warbler* (fast varied syllables), *trill* (one short
note repeated 12-25 times a second, a canary or wren), *dove* (soft low coos) and *crow*
(noisy caws). Real songs measured in the development corpus (Widelands birds, Wesnoth and
Flare ambiences): carriers 2-5 kHz, syllables 40-400 ms, 2.5-14 onsets/s, centroid 2.9-5 kHz
with 85 % of the energy under 3.1-7.3 kHz; several birds sing at different distances and
bearings.

Common slots: ``pitch`` the register (+-2 octaves), ``size`` a small bird (higher, faster) ..
a big one, ``rate`` the singing pace, ``decay`` the phrase length, ``intensity`` loudness and
excitement, ``brightness`` the harmonics.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth.blocks import finish
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import ambience as A
from sfxgen.synth.physics import bio as B
from sfxgen.synth.physics import voice as V

STYLES = ("whistler", "chirper", "trill", "warbler", "dove", "crow")
MAX_BIRDS = 8

PARAMS = (
    Param("style", "Song style (see the module docstring)", choices=STYLES,
          choice_words=(("whistler", ("whistling", "with fluty whistles")), ("chirper", ("chirping",)),
                        ("warbler", ("warbling",)), ("trill", ("trilling",)), ("dove", ("of a cooing dove",)),
                        ("crow", ("of a cawing crow", "of a crow"))),
          ),
    Param("birds", "How many birds: one up to 50 %, then 2 .. 16 (a dawn chorus)", "%", 0, 100),
    Param("variety", "How varied the song is: one motif repeated .. every phrase different", "%", 0, 100,
          low_words=("repetitive",), high_words=("varied", "melodious")),
    Param("pause", "Silence between phrases: back-to-back singing .. long pauses", "s", 0.1, 3.0, curve="log",
          low_words=("continuous",), high_words=("occasional",)),
)


def bird_count(u: float) -> int:
    """Birds for the ``birds`` slot: 1 up to 0.5, then 2 .. 16 (log)."""
    return 1 if u <= 0.5 else int(round(2.0 * 8.0 ** ((u - 0.5) / 0.5)))


def _songbird(rng: np.random.Generator, ph: Physical, style: str, n: int, sr: int, f0: float) -> np.ndarray:
    return B.songbird(rng, style, n=n, sr=sr, f0=f0,
                      pace=ph.rate * 2.0 ** (-0.5 * (ph.size - 0.5)) * (0.9 + 0.2 * ph.intensity),
                      phrase_s=float(np.clip(0.5 + 1.2 * ph.decay_s ** 0.6, 0.4, 5.0)),
                      pause_s=PARAMS[3].value(ph.a(3)), variety=ph.a(2), brightness=ph.brightness)


def _crow(rng: np.random.Generator, ph: Physical, n: int, sr: int, f0: float) -> np.ndarray:
    """Caws in groups of 2-5 (more with ``variety``) separated by ``pause``-long silences."""
    dur = n / sr
    pace = ph.rate
    caw = min(float(np.clip(0.2 + 0.15 * ph.decay_s ** 0.5, 0.15, 0.6)), V.room_s(dur, 0.05))
    gap = 0.25 / pace + 0.1
    pause = PARAMS[3].value(ph.a(3))
    starts = []
    t = V.LEAD_S
    while t + caw < V.LEAD_S + V.room_s(dur, 0.05) or not starts:
        for _ in range(int(rng.integers(2, 3 + int(3 * ph.a(2))))):
            if starts and t + caw > V.LEAD_S + V.room_s(dur, 0.05):
                break
            starts.append(t)
            t += caw + gap * rng.uniform(0.8, 1.2)
        t += pause * rng.uniform(0.8, 1.5) / pace ** 0.5
    calls = [V.Call(start_s=float(s), dur_s=caw, f0_hz=((0.0, 0.85 * f0), (0.2, f0), (1.0, 0.8 * f0)),
                    amp=((0.0, 0.0), (0.08, 1.0), (0.7, 0.8), (1.0, 0.0)), open=((0.0, 0.4), (0.3, 1.0), (1.0, 0.5)),
                    front=((0.0, 0.6),), level=rng.uniform(0.7, 1.0), noise=1.2, jitter=0.05, shimmer=0.3,
                    subharmonic=0.6, tilt_hz=3000.0, peak_ratio=2.0, wobble_st=1.5)
             for s in starts]
    return V.render_calls(calls, n=n, sr=sr, rng=rng, tract_m=0.06 * 2.0 ** (ph.size - 0.5), bandwidth=2.0, frame=512)


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Dry bird song: (1, n) for one bird, (2, n) for several panned at their distances."""
    sr = sample_rate
    style = PARAMS[0].choice(ph.a(0))
    count = bird_count(ph.a(1))
    base = {"whistler": 2600.0, "chirper": 4200.0, "warbler": 3800.0, "trill": 4000.0, "dove": 560.0,
            "crow": 520.0}[style]
    f0 = min(base * ph.pitch_ratio * 2.0 ** (-0.8 * (ph.size - 0.5)), 0.3 * sr)

    def one(fk):
        if style == "crow":
            return _crow(rng, ph, n, sr, fk)
        return _songbird(rng, ph, style, n, sr, fk)

    if count == 1:
        return finish(one(f0)[None, :])
    out = np.zeros((2, n))
    for k in range(min(count, MAX_BIRDS)):
        fk = f0 * 2.0 ** (rng.uniform(-0.4, 0.4)) if k else f0
        y = one(fk)
        y = A.air(y, sr, 1.0 if k == 0 else rng.uniform(1.3, 5.0))
        out += A.pan(y, rng.uniform(-0.3, 0.3) if k == 0 else rng.uniform(-0.7, 0.7))
    if count > MAX_BIRDS:
        out *= np.sqrt(count / MAX_BIRDS)
    return finish(out)


def _words(ph: Physical, duration_s: float | None):
    count = bird_count(ph.a(1))
    if count == 1:
        return [("birds", [], ["of a single bird"], "single")]
    if count < 6:
        return [("birds", [], ["of a few birds"], "birds")]
    return [("birds", [], ["of a dawn chorus", "of many birds singing"], "chorus")]


FAMILY = Family(
    name="bird_song",
    ucs="BIRDSong",
    noun="bird song",
    kind="texture",
    render=render,
    params=PARAMS,
    default_duration_s=5.0,
    nouns=(("bird song", 1), ("birdsong", 0), ("singing bird", 1), ("bird chirping", 1), ("birds singing", 0)),
    scenes=("a {adj} bird singing in a tree{post}", "a {adj} songbird in the garden{post}",
            "{adj} birds chirping in the morning{post}"),
    tags=("bird", "song", "animal", "nature", "chirp"),
    keywords=("bird", "birds", "birdsong", "song", "chirp", "chirping", "tweet", "twitter", "warble", "trill",
              "songbird", "sparrow", "robin", "blackbird", "canary", "dove", "pigeon", "coo", "crow", "caw", "raven",
              "dawn chorus"),
    rate_words=(("slow", "lazy"), ("fast", "rapid", "excited")),
    rate_doc="the style's natural pace",
    intensity_words=(("soft", "distant-sounding"), ("loud", "exuberant")),
    tonal_pitch=True,
    element_roles=("main", "sweetener"),
    design_roles=("sweetener", "bed"),
    role_params={"bed": {"birds": 0.7, "distance": 0.5, "pause": 0.3}, "sweetener": {"birds": -1.0, "distance": 0.3}},
    category="animal",
    special_words=_words,
    presets={
        "blackbird whistling": {"style": "whistler", "variety": 0.5},
        "sparrow chirps": {"style": "chirper", "pause": -0.4},
        "canary trill": {"style": "trill", "variety": 0.6},
        "dawn chorus": {"style": "warbler", "birds": 0.9, "variety": 0.7, "space": -0.2, "distance": 0.3},
        "cooing dove": {"style": "dove", "rate": -0.4},
        "crow cawing": {"style": "crow", "variety": 0.3},
    },
)
