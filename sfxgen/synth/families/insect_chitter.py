"""Insect chitter: fast trains of tiny, high, resonant clicks -- mandibles, wing snaps, a beetle's
ticking, a cicada's tymbal clicks -- grouped in bursts (:func:`sfxgen.synth.physics.bio.click_train`).

Each click is a sub-millisecond snap ringing a few stiff, heavily damped cuticle modes
(3-12 kHz) plus a puff of noise; clicks come in bursts at tens to hundreds per second. Real
chitters and clicking critters measured in the development corpus (Flare antlion, UFO:AI blood
spider, Lugaru): centroid 2-5 kHz, 85 % of the energy under 2.4-8 kHz, 10-20 onsets/s.

Common slots: ``rate`` the click rate (80 clicks/s x 0.25 .. 4), ``pitch`` and ``size`` the
click resonances (small: higher), ``intensity`` click force (louder, harder, more noise),
``brightness`` the upper modes, ``decay`` how long a burst lasts (0.05 .. 1.5 s).
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import finish
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import ambience as A
from sfxgen.synth.physics import bio as B

BASE_RATE_HZ = 80.0
MAX_CRITTERS = 8

PARAMS = (
    Param("burstiness", "Rhythm: a continuous ticking .. short bursts separated by pauses", "%", 0, 100,
          low_words=("continuous", "steady"), high_words=("in bursts", "stuttering"), where="adj"),
    Param("crowd", "How many insects: one up to 50 %, then 2 .. 20", "%", 0, 100),
    Param("resonance", "Click ring time: dry ticks .. ringing, glassy clicks", "ms", 0.4, 6.0, curve="log",
          low_words=("dry", "ticking"), high_words=("ringing", "glassy")),
    Param("rasp", "Noise in each click: clean tick .. scratchy rasp", "%", 0, 100,
          low_words=("clean",), high_words=("scratchy", "raspy")),
)


def crowd_size(u: float) -> int:
    """Insects for the ``crowd`` slot: 1 up to 0.5, then 2 .. 20 (log)."""
    return 1 if u <= 0.5 else int(round(2.0 * 10.0 ** ((u - 0.5) / 0.5)))


def chitter_times(rng: np.random.Generator, ph: Physical, dur: float, *, base_rate_hz: float,
                  burstiness: float) -> np.ndarray:
    """Click times of one chitterer: bursts (length from ``decay``) at the click rate, gaps
    growing with ``burstiness`` (none: one continuous train)."""
    rate = base_rate_hz * ph.rate
    burst_s = float(np.clip(0.05 + 0.35 * ph.decay_s ** 0.8, 0.05, 1.5)) * (3.0 - 2.0 * burstiness)
    gap_s = 0.02 + 0.6 * burstiness ** 1.5
    return B.burst_times(rng, duration_s=dur - 0.01, rate_hz=rate, burst_s=burst_s, gap_s=gap_s,
                         jitter=0.1 + 0.25 * burstiness, accel=rng.uniform(-0.4, 0.4),
                         start_s=rng.uniform(0.0, min(0.1, 0.3 * dur)))


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Dry chitter (2, n): each insect's clicks panned at its place."""
    sr = sample_rate
    dur = n / sr
    burst, rasp = ph.a(0), ph.a(3)
    count = crowd_size(ph.a(1))
    t60_ms = PARAMS[2].value(ph.a(2))
    f = 4200.0 * ph.pitch_ratio * 2.0 ** (-1.2 * (ph.size - 0.5))
    modes = np.array([1.0, 1.47, 2.09, 2.8]) * f
    modes = modes[modes < 0.45 * sr]
    bright = 0.3 + 0.8 * ph.brightness
    weights = bright ** np.arange(modes.size)
    y = np.zeros((2, n))
    for k in range(min(count, MAX_CRITTERS)):  # each insect's clicks, placed at its bearing
        t = chitter_times(rng, ph, dur, base_rate_hz=BASE_RATE_HZ * rng.uniform(0.8, 1.25), burstiness=burst)
        a = rng.uniform(0.5, 1.0, t.size) * (0.6 + 0.4 * ph.intensity) * (1.0 if k == 0 else rng.uniform(0.25, 0.7))
        x = B.click_train(rng, t, a, n=n, sr=sr, modes_hz=(f,), t60_ms=0.6, spread=0.3,
                          noise=0.3 + 2.5 * rasp * (0.5 + ph.intensity)) * 0.3
        for mf, w in zip(modes, weights):  # one mode per pass: each ring time scales with its mode
            x += w * B.click_train(rng, t, a, n=n, sr=sr, modes_hz=(mf,), t60_ms=t60_ms * (f / mf) ** 0.5,
                                   noise=0.0, spread=0.12)
        y += A.pan(x, rng.uniform(-0.2, 0.2) if k == 0 else rng.uniform(-0.7, 0.7))
    y = P.lowpass(P.highpass(y, sr, 1200.0), sr, 7000.0 * 2.0 ** (2.0 * (ph.brightness - 0.5)), order=1)
    if count > MAX_CRITTERS:
        y *= np.sqrt(count / MAX_CRITTERS)
    return finish(y)


def _words(ph: Physical, duration_s: float | None):
    count = crowd_size(ph.a(1))
    if count == 1:
        return []
    return [("crowd", [], ["of many insects" if count >= 6 else "of a few insects"], "many")]


FAMILY = Family(
    name="insect_chitter",
    ucs="ANMLInsc",
    noun="insect chitter",
    kind="texture",
    render=render,
    params=PARAMS,
    default_duration_s=3.0,
    nouns=(("insect chitter", 1), ("chittering insect", 1), ("clicking bug", 1), ("insect clicks", 0),
           ("beetle clicking", 1)),
    scenes=("a {adj} beetle clicking its mandibles{post}", "a {adj} insect chittering in the undergrowth{post}",
            "{adj} bugs ticking and clicking{post}"),
    tags=("insect", "chitter", "clicks", "bug", "animal"),
    keywords=("chitter", "chittering", "click", "clicking", "ticking", "insect", "bug", "beetle", "mandible",
              "cicada", "termite", "ants", "scuttling"),
    rate_words=(("slow-ticking",), ("rapid", "fast")),
    rate_doc="80 clicks/s",
    intensity_words=(("faint", "delicate"), ("loud", "hard")),
    element_roles=("main", "sweetener"),
    design_roles=("texture", "sweetener", "transient"),
    role_params={"texture": {"crowd": 0.6}, "transient": {"decay": -0.8, "burstiness": 0.9}},
    category="animal",
    special_words=_words,
    presets={
        "beetle mandible clicks": {"burstiness": 0.6, "resonance": -0.3, "rate": -0.2},
        "cicada ticking": {"burstiness": -0.7, "rate": 0.6, "resonance": 0.4, "pitch": -0.2},
        "termite swarm": {"crowd": 0.9, "rate": 0.5, "rasp": 0.3, "distance": 0.2},
        "deathwatch tapping": {"burstiness": 0.9, "rate": -0.8, "resonance": -0.8, "pitch": -0.6, "size": 0.5},
    },
)
