"""Insect buzz: the wing-beat tone of a flying insect (or a swarm) moving around the listener
(:func:`sfxgen.synth.physics.bio.wingbeat`).

Each insect is a harmonic pulse train at its wing-beat rate -- mosquito ~550 Hz, housefly
~200 Hz, honeybee ~230 Hz, wasp ~170 Hz, bumblebee ~150 Hz, beetle ~80 Hz -- whose pitch
wavers with its manoeuvres, on a 2-D path around the listener: the level follows 1/distance,
the pan its bearing, the pitch a small Doppler shift. Real buzzes measured in the development
corpus (MegaGlest and Hedgewars bees): f0 180-310 Hz with harmonics to 5-10 kHz, centroid
1.1-1.9 kHz, level and pitch wobbling at 5-10 Hz.

Common slots: ``size`` lowers the wing-beat and darkens it (bigger wings), ``pitch`` shifts it,
``rate`` how fast the insect moves about, ``intensity`` agitation (faster wings, louder, more
erratic), ``brightness`` the harmonic roll-off.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import finish, pan_gains
from sfxgen.synth.blocks import smooth_random as wander
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import bio as B

INSECTS = {  # wing-beat Hz, harmonic cutoff Hz, upstroke level, turbulence noise
    "mosquito": (550.0, 7000.0, 0.7, 0.05),
    "fly": (200.0, 4500.0, 0.6, 0.15),
    "bee": (235.0, 4000.0, 0.5, 0.2),
    "wasp": (170.0, 5000.0, 0.55, 0.15),
    "bumblebee": (150.0, 2500.0, 0.4, 0.3),
    "beetle": (85.0, 2000.0, 0.35, 0.4),
}
MAX_VOICES = 6
SPEED_OF_SOUND = 343.0

PARAMS = (
    Param("insect", "Which insect: sets the wing-beat rate and timbre", choices=tuple(INSECTS),
          choice_words=(("mosquito", ("of a mosquito", "of a whining mosquito")),
                        ("fly", ("of a housefly", "of a fly")), ("bee", ("of a bee", "of a honeybee")),
                        ("wasp", ("of a wasp",)), ("bumblebee", ("of a bumblebee",)),
                        ("beetle", ("of a flying beetle",)))),
    Param("swarm", "How many insects: one up to 50 %, then 2 .. 40 (a swarm)", "%", 0, 100),
    Param("motion", "How the insect moves: hovering in place .. darting around the listener", "%", 0, 100,
          low_words=("hovering",), high_words=("darting", "circling")),
    Param("flyby", "A close pass: 0 stays at its distance .. 100 % flies right past the ear", "%", 0, 100,
          low_words=(), high_words=("flying past",)),
)


def swarm_size(u: float) -> int:
    """Insects for the ``swarm`` slot: 1 up to 0.5, then 2 .. 40 (log)."""
    return 1 if u <= 0.5 else int(round(2.0 * 20.0 ** ((u - 0.5) / 0.5)))


def _path(rng: np.random.Generator, m: int, ctrl_hz: float, *, motion: float, speed: float, flyby: float):
    """Control-rate (m,) distance (m), bearing (pan in [-1, 1]) and radial speed (m/s) of one
    insect: a smooth random walk around a point ~0.6 m away, plus an optional straight pass."""
    t = np.arange(m) / ctrl_hz
    dur = m / ctrl_hz
    r0 = rng.uniform(0.4, 0.9)
    a0 = rng.uniform(-np.pi, np.pi)
    wx = wander(rng, m, int(ctrl_hz), 0.3 + 1.2 * speed) * (0.05 + 0.5 * motion)
    wy = wander(rng, m, int(ctrl_hz), 0.3 + 1.2 * speed) * (0.05 + 0.5 * motion)
    x = r0 * np.cos(a0) + wx
    y = r0 * np.sin(a0) + wy
    if flyby > 0.05:
        v = (0.5 + 2.5 * speed) * (0.5 + flyby)
        tc = dur * rng.uniform(0.35, 0.65)
        x = x * (1 - flyby) + v * (t - tc)
        y = y * (1 - flyby) + (0.08 + 0.5 * (1 - flyby)) * np.sign(np.sin(a0) + 1e-9)
    r = np.sqrt(x * x + y * y + 0.01)
    pan = np.clip(x / r, -1.0, 1.0) * 0.85
    vr = np.gradient(r) * ctrl_hz
    return r, pan, vr


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Dry buzz (2, n): each insect panned along its path."""
    sr = sample_rate
    f_base, cut, upstroke, turb = INSECTS[PARAMS[0].choice(ph.a(0))]
    count = swarm_size(ph.a(1))
    motion, flyby = ph.a(2), ph.a(3)
    speed = float(np.clip(0.35 * ph.rate ** 0.7, 0.05, 1.5))
    f0 = f_base * ph.pitch_ratio * 2.0 ** (-0.8 * (ph.size - 0.5)) * (0.93 + 0.15 * ph.intensity)
    cut = cut * 2.0 ** (2.0 * (ph.brightness - 0.5) - 0.8 * (ph.size - 0.5))
    voices = min(count, MAX_VOICES)
    ctrl_hz = 200.0
    m = int(np.ceil(n / sr * ctrl_hz)) + 2
    u = np.arange(n) * (ctrl_hz / sr)
    out = np.zeros((2, n))
    for k in range(voices):
        fk = f0 * (2.0 ** (rng.uniform(-0.25, 0.25)) if k else 1.0)
        r, pan, vr = _path(rng, m, ctrl_hz, motion=motion, speed=speed, flyby=flyby if k == 0 else 0.3 * flyby)
        if k:  # the rest of a swarm spreads out, further away
            r = r * rng.uniform(1.2, 3.0)
        # wing-beat wavers with manoeuvres (and faster when agitated); Doppler from radial speed
        wob = wander(rng, m, int(ctrl_hz), 2.0 + 6.0 * ph.intensity) * (0.015 + 0.05 * motion + 0.03 * ph.intensity)
        fc = fk * np.exp(wob) * (1.0 - vr / SPEED_OF_SOUND)
        level = 1.0 / np.maximum(r, 0.12)
        flutter = 1.0 + (0.08 + 0.15 * ph.intensity) * wander(rng, m, int(ctrl_hz), 8.0)
        f_a = P.interp_uniform(u, fc)
        a_a = P.interp_uniform(u, level * flutter)
        y = B.wingbeat_source(rng, f_a, a_a, sr=sr, upstroke=upstroke, noise=turb)
        gl, gr = pan_gains(pan)
        out[0] += P.interp_uniform(u, gl) * y
        out[1] += P.interp_uniform(u, gr) * y
    out = B.wingbeat_filter(out, sr, f0_hz=f0 * 0.85, cutoff_hz=cut)
    if count > voices:  # a bigger swarm: the voices stand for count / voices insects each
        out *= np.sqrt(count / voices)
    return finish(out)


def _words(ph: Physical, duration_s: float | None):
    count = swarm_size(ph.a(1))
    if count == 1:
        return [("swarm", [], ["of a single insect"], "single")]
    if count < 8:
        return [("swarm", [], ["of a few insects", f"of {count} insects"], "few")]
    return [("swarm", ["swarming"], ["of a swarm", "of a buzzing swarm"], "swarm")]


FAMILY = Family(
    name="insect_buzz",
    ucs="ANMLInsc",
    noun="insect buzz",
    kind="texture",
    render=render,
    params=PARAMS,
    default_duration_s=4.0,
    nouns=(("insect buzz", 1), ("buzzing", 0), ("buzzing insect", 1), ("insect flying around", 1)),
    scenes=("a {adj} insect buzzing around the room{post}", "a {adj} buzz of an insect in flight{post}",
            "a {adj} bug flying close to the microphone{post}"),
    tags=("insect", "buzz", "bug", "fly", "animal"),
    keywords=("buzz", "buzzing", "insect", "bug", "fly", "housefly", "bee", "bees", "wasp", "hornet",
              "mosquito", "bumblebee", "swarm", "beetle", "drone of insects"),
    rate_words=(("lazily circling",), ("zipping", "frantic")),
    rate_doc="moves about at ~0.35 m/s",
    intensity_words=(("calm",), ("agitated", "angry")),
    element_roles=("main", "sweetener"),
    design_roles=("texture", "sweetener", "bed"),
    role_params={"bed": {"swarm": 0.8, "distance": 0.5, "motion": 0.2}, "texture": {"swarm": 0.5}},
    category="animal",
    special_words=_words,
    presets={
        "mosquito whine": {"insect": "mosquito", "motion": 0.3, "flyby": 0.2},
        "housefly around the room": {"insect": "fly", "motion": 0.9, "rate": 0.3},
        "bee flying past": {"insect": "bee", "flyby": 0.9},
        "angry wasp": {"insect": "wasp", "intensity": 0.8, "motion": 0.7},
        "beehive swarm": {"insect": "bee", "swarm": 0.9, "motion": -0.2, "distance": 0.2},
        "bumblebee drifting": {"insect": "bumblebee", "motion": 0.0, "rate": -0.5},
    },
)
