"""Wing flaps: a bird or bat taking off, flying past, hovering or landing
(:func:`sfxgen.synth.physics.bio.wing_flaps`).

Each downstroke pushes a puff of air -- a noise burst with a soft onset whose band falls with
the wing's size, a low thump for big wings -- and feathers rustle (a spray of tiny clicks;
leathery wings snap instead); the upstroke is weaker. Flap rates fall with size (a sparrow
~15 Hz, a pigeon ~8 Hz, a crow ~4 Hz, an eagle ~2 Hz, a dragon ~1 Hz). The gesture shapes the
series: a take-off starts loud and fast and fades as the bird climbs away; a pass-by swells and
sweeps across the stereo field; hovering keeps going; a landing approaches, brakes with a few
hard flaps and stops. Real flaps in the development corpus (Wesnoth bat, BZFlag, MegaGlest
birds and dragon): 8-18 onsets/s for small wings, centroid 0.2-1.3 kHz, a strong low thump.

Common slots: ``size`` the wing (small: fast and light .. huge: slow, deep thumps), ``rate``
the flap rate (x 0.25 .. 4), ``intensity`` the force of the strokes, ``brightness`` the top
of the air band, ``decay`` how long a flap's puff lasts.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import finish
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import ambience as A
from sfxgen.synth.physics import bio as B

GESTURES = ("hover", "passby", "takeoff", "landing")

PARAMS = (
    Param("gesture", "What the flyer does over the clip", choices=GESTURES,
          choice_words=(("hover", ("hovering", "flapping in place")), ("passby", ("flying past", "passing overhead")),
                        ("takeoff", ("taking off", "flying away")), ("landing", ("landing", "coming in to land")))),
    Param("wings", "Feathered (rustle) .. leathery (a bat's or dragon's membrane: snappy, no rustle)", "%", 0, 100,
          low_words=("feathered",), high_words=("leathery",)),
    Param("thump", "Low air thump of each downstroke", "%", 0, 100, low_words=("light", "airy"),
          high_words=("heavy", "thumping")),
    Param("rustle", "Feather rustle and flutter noise", "%", 0, 100, low_words=("smooth",),
          high_words=("rustling", "fluttering")),
)


def flap_rate_hz(ph: Physical) -> float:
    """Flaps per second: 16 Hz for the smallest wings .. 1.2 Hz for the largest, times ``rate``."""
    return float(16.0 * (1.2 / 16.0) ** ph.size * ph.rate)


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Dry flaps (2, n) panned along the flight path."""
    sr = sample_rate
    dur = n / sr
    gesture = PARAMS[0].choice(ph.a(0))
    leather, thump, rustle = ph.a(1), ph.a(2), ph.a(3)
    f = flap_rate_hz(ph)
    # flap times: the rate drifts with the gesture (a take-off speeds up, a landing brakes)
    m = max(int(dur * f * 1.6) + 4, 4)
    x = np.linspace(0.0, 1.0, m)
    shape = {"takeoff": 1.3 - 0.4 * x, "passby": np.ones(m), "hover": np.ones(m), "landing": 0.85 + 0.4 * x}[gesture]
    gaps = (1.0 / f) / shape * (1.0 + 0.06 * rng.standard_normal(m))
    t = 0.01 + np.cumsum(gaps) - gaps[0]
    stroke = float(np.clip(0.35 / f, 0.03, 0.5)) * float(np.clip(0.5 + 0.5 * ph.decay_s ** 0.3, 0.5, 1.6))
    t = t[t < dur - 2.5 * stroke - 0.01]
    if t.size == 0:
        t = np.array([0.01])
        stroke = min(stroke, 0.3 * dur)
    u = t / max(dur, 1e-3)
    if gesture == "takeoff":
        level = 1.0 / (1.0 + 4.0 * u ** 1.5)
        pan = np.clip(-0.1 + 0.9 * u * rng.choice([-1, 1]), -0.8, 0.8)
    elif gesture == "passby":
        level = 1.0 / (1.0 + 12.0 * (u - 0.5) ** 2)
        pan = np.clip(1.6 * (u - 0.5) * rng.choice([-1, 1]), -0.8, 0.8)
    elif gesture == "landing":
        level = 0.3 + 0.7 * u ** 1.5
        level[-min(3, t.size):] *= 1.3  # braking strokes
        pan = np.clip(0.8 * (1.0 - u) * rng.choice([-1, 1]), -0.8, 0.8)
    else:
        level = np.ones(t.size)
        pan = 0.15 * np.sin(2 * np.pi * 0.3 * t)
    level = level * rng.uniform(0.8, 1.0, t.size) * (0.5 + ph.intensity)
    lo = 900.0 * (50.0 / 900.0) ** ph.size
    hi = 4500.0 * (700.0 / 4500.0) ** ph.size * 2.0 ** (2.0 * (ph.brightness - 0.5))
    # downstrokes, then weaker upstrokes half a period later; the flyer moves along its path
    ts = np.concatenate([t, t + 0.5 / f])
    amps = np.concatenate([level, level * (0.25 + 0.15 * leather)])
    keep = ts < dur - 2.5 * stroke - 0.005
    keep[: t.size] = True
    y = B.wing_flaps(rng, ts[keep], amps[keep], n=n, sr=sr, stroke_s=stroke, band_hz=(lo, max(hi, 2 * lo)),
                     thump=0.5 + 1.2 * thump * ph.size ** 0.5, rustle=(1.0 - leather) * (0.03 + 0.25 * rustle))
    if leather > 0.3:  # a membrane snaps taut at the bottom of each downstroke
        y = y + 0.8 * B.click_train(rng, t + 0.6 * stroke, level * leather, n=n, sr=sr,
                                    modes_hz=(lo * 3.0, lo * 5.2), t60_ms=25.0, noise=0.8)
    path = np.interp(np.arange(n) / sr, t, pan) if t.size > 1 else np.full(n, pan[0])
    y = A.pan(y, path)
    return finish(P.highpass(y, sr, 40.0))


FAMILY = Family(
    name="wing_flap",
    ucs="WINGBird",
    noun="wing flaps",
    kind="texture",
    render=render,
    params=PARAMS,
    default_duration_s=2.5,
    nouns=(("wing flaps", 0), ("flapping wings", 0), ("bird wings flapping", 0), ("wing flutter", 1)),
    scenes=("a {adj} bird flapping its wings{post}", "{adj} wings beating{post}",
            "a {adj} pigeon flapping{post}", "a {adj} bat flapping its wings{post}"),
    tags=("wings", "flap", "bird", "flutter", "animal"),
    keywords=("wing", "wings", "flap", "flapping", "flutter", "take off", "takeoff", "pigeon", "dove", "bat",
              "dragon wings", "eagle", "bird flying", "fly away", "flock"),
    rate_words=(("slow", "lazy"), ("rapid", "frantic")),
    rate_doc="16 Hz (tiny wings) .. 1.2 Hz (huge wings)",
    intensity_words=(("gentle", "soft"), ("powerful", "violent")),
    sized=True,
    element_roles=("main", "sweetener"),
    design_roles=("sweetener", "transient", "texture"),
    role_params={"sweetener": {"gesture": "passby", "distance": 0.2}, "transient": {"gesture": "takeoff", "decay": -0.5}},
    category="animal",
    presets={
        "pigeon takeoff": {"gesture": "takeoff", "size": -0.2, "rustle": 0.5},
        "small bird flutter": {"gesture": "hover", "size": -0.8, "rustle": 0.3},
        "bat flying past": {"gesture": "passby", "size": -0.6, "wings": 0.9},
        "dragon wings": {"gesture": "passby", "size": 0.9, "wings": 0.9, "thump": 0.8, "intensity": 0.7},
        "eagle landing": {"gesture": "landing", "size": 0.5, "thump": 0.4},
    },
)
