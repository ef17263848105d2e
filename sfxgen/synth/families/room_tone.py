"""Room tone: the quiet, steady sound of an empty interior -- air, ventilation, electrical hum and
the world outside -- as a coherent stereo bed (:mod:`sfxgen.synth.physics.ambience`).

The air of a room is a soft, dark noise coloured by the room's low modes (axial resonances at
multiples of c / 2L: a small room's start near 50 Hz, a hall's near 15 Hz) and rolling off
above a few kHz. Ventilation adds a broadband rush with the tonal blade-pass whine of its fan
(blades x rotation: 80-250 Hz and harmonics) from one direction; appliances and lights add a
mains hum (50 or 60 Hz and its harmonics, strongest at 100/120 Hz); traffic outside bleeds in
through the walls as a low, slowly swelling rumble. Game room tones in the development corpus
(Nexuiz air, OpenArena fans and ambiences) put 85 % of their energy under 0.3-1.4 kHz.

Common slots: ``size`` the room (the modes: small .. hall), ``brightness`` the air's
high-frequency hiss, ``intensity`` the overall activity (louder ventilation and outside),
``rate`` how fast the bed swells.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import finish
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import ambience as A

PARAMS = (
    Param("hvac", "Ventilation: none .. a loud air handler with a fan whine", "%", 0, 100,
          low_words=("still", "quiet"), high_words=("with air conditioning", "with ventilation noise"), where="post"),
    Param("hum", "Electrical hum of appliances and lights", "%", 0, 100,
          low_words=(), high_words=("with electrical hum", "with a mains hum"), where="post"),
    Param("mains", "Mains frequency of the hum", "Hz", choices=("50", "60")),
    Param("outside", "Traffic and city bleeding in through the walls", "%", 0, 100,
          low_words=("isolated",), high_words=("with distant traffic outside",), where="post"),
)


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Dry room tone (2, n)."""
    sr = sample_rate
    hvac, hum, outside = ph.a(0), ph.a(1), ph.a(3)
    mains = float(PARAMS[2].choice(ph.a(2)))
    length_m = 3.0 * (25.0 / 3.0) ** ph.size
    modes = 343.0 / (2.0 * length_m) * np.array([1.0, 2.0, 3.0, 4.0]) * rng.uniform(0.95, 1.05, 4)
    modes = np.concatenate([modes, modes * rng.uniform(1.25, 1.45)])  # the other room dimension
    air_top = 800.0 * 2.0 ** (2.5 * (ph.brightness - 0.5))
    act = 0.5 + ph.intensity

    def air_mag(t, f):
        ff = np.maximum(f, 1.0)
        base = (60.0 / (ff + 60.0)) ** 0.5 / (1.0 + (ff / air_top) ** 2) * (ff / (ff + 25.0)) ** 2
        res = 1.0 + 2.0 * np.sum([P.band_gain(ff, m, 6.0) for m in modes], axis=0)
        return (base * res) * np.ones_like(t)

    out = 0.5 * A.field(rng, n, sr, air_mag, k=3, spread=0.7,
                        mod=A.swell(rng, n, sr, rate_hz=0.1 * ph.rate, depth=0.1))
    if hvac > 0.02:  # the air handler: a rush from one vent with its fan's blade-pass whine
        bpf = rng.uniform(90.0, 220.0)
        vent = rng.uniform(-0.6, 0.6)

        def vent_mag(t, f):
            ff = np.maximum(f, 1.0)
            rush = (ff / (ff + 120.0)) / (1.0 + (ff / 900.0) ** 2)
            return rush * np.ones_like(t)

        rush = P.spectral_noise(rng, n, sr, vent_mag)[0] * A.swell(rng, n, sr, rate_hz=0.5 * ph.rate, depth=0.05)
        f_b = bpf * (1.0 + 0.004 * P.smooth_random(rng, n, sr, 0.5))
        whine = P.harmonic_osc(f_b, n, sr, [1.0, 0.5, 0.3, 0.15]) * 0.12
        out += A.pan(hvac * act * (rush + whine), vent) + 0.4 * hvac * act * A.field(
            rng, n, sr, vent_mag, k=2, spread=0.6)  # and its reflections around the room
    if hum > 0.02:
        f_m = mains * (1.0 + 0.001 * P.smooth_random(rng, n, sr, 0.2))
        tone = P.harmonic_osc(f_m, n, sr, [0.3, 1.0, 0.4, 0.25, 0.12, 0.08])
        out += A.pan(0.05 * hum * tone, rng.uniform(-0.3, 0.3))
    if outside > 0.02:  # traffic through the walls: a low rumble with passing swells
        rumble = A.field(rng, n, sr, lambda t, f: (np.maximum(f, 1.0) / (np.maximum(f, 1.0) + 40.0)) ** 2
                         / (1.0 + (f / 250.0) ** 2) * np.ones_like(t),
                         k=2, spread=0.5, mod=A.swell(rng, n, sr, rate_hz=0.15 * ph.rate, depth=0.7))
        out += 0.8 * outside * act * rumble
    return finish(P.highpass(out, sr, 25.0))


FAMILY = Family(
    name="room_tone",
    ucs="AMBRoom",
    noun="room tone",
    kind="texture",
    render=render,
    params=PARAMS,
    default_duration_s=10.0,
    nouns=(("room tone", 1), ("room ambience", 1), ("interior ambience", 1), ("quiet room", 1), ("air tone", 1)),
    scenes=("{adj} room tone of an empty room{post}", "a {adj} quiet office at night{post}",
            "{adj} ambience of an empty interior{post}"),
    tags=("room tone", "ambience", "interior", "background", "air"),
    keywords=("room tone", "roomtone", "room", "interior", "indoor", "quiet", "silence", "air", "hvac", "office",
              "hum", "ambience", "presence", "background noise", "fridge"),
    rate_words=None,
    intensity_words=(("very quiet", "hushed"), ("busy", "noisy")),
    sized=True,
    element_roles=("main", "sweetener"),
    design_roles=("bed",),
    role_params={"bed": {"hvac": -0.4, "hum": -0.6, "outside": -0.4, "intensity": -0.5}},
    category="ambience",
    presets={
        "quiet bedroom": {"size": -0.6, "hvac": -1.0, "hum": -0.8, "outside": -0.4, "intensity": -0.6},
        "office with air conditioning": {"size": 0.0, "hvac": 0.6, "hum": 0.2, "outside": -0.2},
        "server room": {"size": 0.2, "hvac": 1.0, "hum": 0.6, "brightness": 0.3, "intensity": 0.6},
        "apartment over a street": {"size": -0.3, "outside": 0.8, "hvac": -0.6},
        "empty hall": {"size": 0.9, "hvac": -0.2, "hum": -1.0, "outside": 0.0},
    },
)
