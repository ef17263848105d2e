"""Night ambience (outdoors): a chorus of crickets, frogs calling, an owl, a breath of wind, as a
spatial bed (:mod:`sfxgen.synth.physics.ambience`, :mod:`~sfxgen.synth.physics.bio`).

Crickets are individual singers (:func:`sfxgen.synth.physics.bio.cricket_song`) at their own
pitches, rates, bearings and distances -- the near one clear, the field behind a shimmering
wash; frogs call in bouts (a croak is a train of glottal pulses at 40-120 per second ringing
the throat's resonance at 0.8-2.5 kHz: :func:`~sfxgen.synth.physics.bio.click_train`); an owl
hoots from far away (soft, pure 300-450 Hz notes, "hoo ... hoo-hoo"); a light wind moves
through the grass. Real night ambiences in the development corpus (Wesnoth, MegaGlest, UFO:AI)
put their energy in the crickets' band (1.6-6.4 kHz) over a weak low bed; centroids 0.4-4 kHz.

Common slots: ``intensity`` how alive the night is (more, louder calls), ``rate`` the tempo of
every singer (a warm night is faster), ``pitch`` the crickets' and frogs' pitch, ``size`` how
far the field extends (more distant singers), ``brightness`` the wind's hiss.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import finish
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import ambience as A
from sfxgen.synth.physics import bio as B

MAX_CRICKETS = 6

PARAMS = (
    Param("crickets", "Crickets: none .. a dense field of them", "%", 0, 100,
          low_words=(), high_words=("with a chorus of crickets",), where="post"),
    Param("frogs", "Frogs calling from a pond: none up to 30 %, then more and more", "%", 0, 100,
          low_words=(), high_words=("with croaking frogs", "by a pond"), where="post"),
    Param("owl", "An owl hooting in the distance: none up to 50 %, then more often", "%", 0, 100),
    Param("wind", "A breath of wind in the grass and trees", "%", 0, 100,
          low_words=("still", "windless"), high_words=("breezy",)),
)


def _frogs(rng: np.random.Generator, ph: Physical, n: int, sr: int, count: int, depth: float) -> np.ndarray:
    dur = n / sr
    out = np.zeros((2, n))
    for _ in range(count):
        pulse_hz = rng.uniform(40.0, 110.0) * ph.rate ** 0.3
        carrier = rng.uniform(800.0, 2400.0) * ph.pitch_ratio
        croak = rng.uniform(0.12, 0.35)
        bouts = A.event_times(rng, dur - croak - 0.05, rng.uniform(0.6, 1.6) * ph.rate * (0.5 + ph.intensity),
                              bout_s=rng.uniform(2.0, 5.0), bout_gap_s=rng.uniform(1.0, 6.0))
        if bouts.size == 0:
            continue
        k = max(int(croak * pulse_hz), 2)
        t = (bouts[:, None] + np.arange(k)[None, :] / pulse_hz).reshape(-1)
        env = np.sin(np.pi * (np.arange(k) + 0.5) / k) ** 0.7
        a = (np.ones((bouts.size, 1)) * env[None, :] * rng.uniform(0.6, 1.0, (bouts.size, 1))).reshape(-1)
        y = B.click_train(rng, t, a, n=n, sr=sr, modes_hz=(carrier, 2.0 * carrier), t60_ms=12.0, noise=0.1,
                          spread=0.02)
        out += A.pan(A.air(y, sr, rng.uniform(1.5, depth)), rng.uniform(-0.7, 0.7))
    return out


def _owl(rng: np.random.Generator, ph: Physical, n: int, sr: int, u: float) -> np.ndarray:
    dur = n / sr
    calls = A.event_times(rng, dur - 3.0, 0.05 + 0.25 * (u - 0.5) / 0.5)
    if calls.size == 0:
        return np.zeros((2, n))
    f0 = rng.uniform(300.0, 420.0)
    st, d, f = [], [], []
    for c in calls:  # "hoo ... hoo-hoo-hoooo"
        pattern = [(0.0, 0.45), (0.9, 0.18), (1.15, 0.18), (1.4, 0.7)]
        for off, ln in pattern:
            st.append(c + off)
            d.append(ln)
            f.append(f0 * rng.uniform(0.98, 1.02))
    syl = B.Syllables.build(st, d, f, 3, 0.04, rng.uniform(0.7, 1.0, len(st)), attack=0.3)
    y = B.render_syllables(syl, n=n, sr=sr, harmonics=(1.0, 0.12, 0.03))
    return A.pan(A.air(y, sr, rng.uniform(4.0, 12.0)), rng.uniform(-0.7, 0.7))


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Dry night bed (2, n)."""
    sr = sample_rate
    dur = n / sr
    crickets, frogs, owl, wind = ph.a(0), ph.a(1), ph.a(2), ph.a(3)
    life = 0.5 + ph.intensity
    depth = 3.0 + 12.0 * ph.size
    out = np.zeros((2, n))
    k = int(round(crickets * 10 * life))
    voices = min(k, MAX_CRICKETS)
    for i in range(voices):
        fc = 4500.0 * ph.pitch_ratio * 2.0 ** rng.uniform(-0.35, 0.35)
        syl = B.cricket_song(rng, dur, fc=min(fc, 0.4 * sr), rate=ph.rate * rng.uniform(0.85, 1.15),
                             song="chirp" if rng.uniform() < 0.7 else "trill", syllables=int(rng.integers(2, 6)),
                             regularity=rng.uniform(0.3, 0.9))
        y = B.render_syllables(syl, n=n, sr=sr, harmonics=(1.0, 0.08))
        dist = rng.uniform(1.5, 2.5) if i == 0 else rng.uniform(2.0, depth)
        out += 0.3 * np.sqrt(k / max(voices, 1)) * A.pan(A.air(y, sr, dist), rng.uniform(-0.7, 0.7))
    if frogs > 0.3:
        out += 1.2 * _frogs(rng, ph, n, sr, min(1 + int(round((frogs - 0.3) / 0.7 * 5 * life)), 4), depth)
    if owl > 0.5:
        out += 0.5 * _owl(rng, ph, n, sr, owl)
    # the night air: a faint, dark, slowly breathing bed with the wind in the grass
    top = 4000.0 * 2.0 ** (2.0 * (ph.brightness - 0.5))
    air = A.field(rng, n, sr, lambda t, f: (np.maximum(f, 1.0) / (np.maximum(f, 1.0) + 80.0))
                  / (1.0 + (f / 400.0)) / (1.0 + (f / top) ** 2) * np.ones_like(t), k=2, spread=0.5,
                  mod=A.swell(rng, n, sr, rate_hz=0.1, depth=0.3 + 0.7 * wind))
    out += (0.012 + 0.08 * wind) * air
    return finish(P.highpass(out, sr, 30.0))


def _words(ph: Physical, duration_s: float | None):
    return [("owl", [], ["with an owl hooting", "an owl hooting in the distance"], "owl")] if ph.a(2) > 0.5 else []


FAMILY = Family(
    name="night_ambience",
    ucs="AMBInsc",
    noun="night ambience",
    kind="texture",
    render=render,
    params=PARAMS,
    default_duration_s=15.0,
    nouns=(("night ambience", 1), ("nighttime ambience", 1), ("night outdoors", 0), ("summer night", 1)),
    scenes=("a {adj} summer night in the countryside{post}", "{adj} night ambience outdoors{post}",
            "a {adj} warm night by a meadow{post}"),
    tags=("night", "ambience", "crickets", "nature", "outdoors"),
    keywords=("night", "nighttime", "evening", "crickets", "frogs", "owl", "summer night", "countryside", "swamp",
              "pond", "marsh", "dark", "nocturnal", "ambience", "camping"),
    rate_words=(("slow", "cool"), ("warm", "lively")),
    rate_doc="every singer's natural tempo",
    intensity_words=(("quiet", "hushed"), ("teeming", "noisy")),
    sized=False,
    element_roles=("main", "sweetener"),
    design_roles=("bed",),
    role_params={"bed": {"owl": -1.0, "frogs": -0.4, "distance": 0.3}},
    category="ambience",
    special_words=_words,
    presets={
        "crickets in a meadow": {"crickets": 0.8, "frogs": -1.0, "owl": -1.0},
        "pond at night": {"frogs": 0.8, "crickets": 0.0},
        "still night with an owl": {"owl": 0.8, "crickets": -0.4, "wind": -0.8, "intensity": -0.4},
        "swampy summer night": {"frogs": 1.0, "crickets": 0.6, "intensity": 0.6, "rate": 0.3},
    },
)
