"""Helicopter: main-rotor blade slap, tail-rotor buzz and turbine, hovering or flying past.

The main rotor turns at 4-7 rev/s with 2-5 blades; each blade passage is an impulsive
blade-vortex-interaction pulse (:func:`sfxgen.synth.physics.rotor.blade_slap`, the "whop")
over broadband rotor noise swelling once per passage
(:func:`~sfxgen.synth.physics.rotor.modulated_noise`). The tail rotor spins ~5x faster with
its own blades: a buzzy tone stack at its blade-passing frequency, amplitude-modulated where
it cuts the main rotor's wake. A turboshaft adds a high whine and exhaust roar, the gearbox a
mid whine. Hovering, the aircraft drifts and yaws slowly (small level and pitch wander);
flying past, the whole source goes through :class:`~sfxgen.synth.physics.motion.PassBy`
(Doppler on the tail-rotor harmonics, ground-reflection comb, air absorption).
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import aero, rotor
from sfxgen.synth.physics.motion import PassBy, earshot_fades, pan_stereo

BLADES = Param("blades", "Main-rotor blades (2 Huey-style thump .. 5 heavy-lift hum); the tail rotor "
               "has two more.", "count", 2.0, 5.99)
SLAP = Param("slap", "Blade-vortex-interaction slap: 0 a soft rotor hum .. 1 the sharp, cracking "
             "whop of a descending or banking helicopter.", "", 0.0, 1.0,
             low_words=("soft", "smooth"), high_words=("thumping", "slapping"))
MOTION = Param("motion", "Hovering in place (slow drift) or flying past with Doppler.",
               choices=("hover", "flyby"),
               choice_words=(("hover", ("hovering", "hovering overhead")),
                             ("flyby", ("flying past", "flying overhead"))))
SPEED = Param("speed_mps", "Air speed in a fly-by (Doppler and how fast it crosses).", "m/s", 15.0, 80.0,
              low_words=("slow",), high_words=("fast",))
ALTITUDE = Param("altitude_m", "Height at the closest point (hover: its distance).", "m", 10.0, 400.0, "log",
                 low_words=("low",), high_words=("high", "distant"))
TURBINE = Param("turbine", "Level of the turboshaft whine and exhaust against the rotors.", "", 0.0, 1.0,
                low_words=(), high_words=("whining",))


def source(rng, m: int, sr: int, ph: Physical, *, blades: int, slap: float, turbine: float) -> np.ndarray:
    """The helicopter's own sound (m,) on its clock."""
    f_rot = (6.6 - 2.6 * ph.size) * ph.pitch_ratio ** 0.5 * (1.0 + 0.004 * P.smooth_random(rng, m, sr, 0.3))
    bpf = blades * f_rot
    width = 0.006 - 0.004 * slap
    pulses = rotor.blade_slap(rng, m, sr, bpf_hz=bpf, width_s=width, blades=blades, spread=0.15)
    pulses = P.highpass(P.bandpass(pulses, sr, 400.0 + 600.0 * slap, q=0.4), sr, 70.0)
    swish = rotor.modulated_noise(rng, m, sr, bpf_hz=bpf, depth=0.5 + 0.4 * slap, duty=0.12)
    swish = P.sosfilt(P.bandpass_sos(sr, 700.0, q=0.5), swish)
    tr_bpf = (blades + 2) * f_rot * 5.2
    tail = rotor.blade_tones(tr_bpf, m, sr, tip_mach=0.65, count=16, rng=rng, wobble=0.003)
    tail *= 1.0 + 0.3 * P.sin_cycles(P.phase_of(bpf, m, sr))  # cutting the main rotor's wake
    whine = P.sine(7200.0 * ph.pitch_ratio * (1 + 0.002 * P.smooth_random(rng, m, sr, 0.5)), m, sr)
    gear = P.harmonic_osc(1850.0 * ph.pitch_ratio, m, sr, [1.0, 0.3])
    roar = P.shaped_noise(rng, m, sr, lambda f, t: aero.peak_spectrum(f, 300.0, rise=1.2, fall=1.3))
    y = (0.6 + 1.4 * slap) * pulses / (P.rms(pulses) + 1e-12)
    y += 0.7 * swish / (P.rms(swish) + 1e-12)
    y += 0.8 * tail / (P.rms(tail) + 1e-12)
    y += turbine * (0.12 * whine + 0.08 * gear + 0.5 * roar / (P.rms(roar) + 1e-12))
    return P.highpass(y, sr, 35.0, order=2)


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    T = n / sr
    blades = int(BLADES.value(ph.a(0)))
    slap, turbine = SLAP.value(ph.a(1)), TURBINE.value(ph.a(5))
    alt = ALTITUDE.value(ph.a(4))
    if MOTION.choice(ph.a(2)) == "flyby":
        pb = PassBy(speed_mps=SPEED.value(ph.a(3)), closest_m=0.4 * alt, t_closest_s=T * rng.uniform(0.4, 0.5),
                    source_height_m=alt, ground_reflection=0.7, convective=1.0, width=0.55,
                    direction=1.0 if rng.uniform() < 0.5 else -1.0)
        lo, m = pb.source_span(n, sr)
        y = pb.render(source(rng, m, sr, ph, blades=blades, slap=slap, turbine=turbine), lo, sr, n)
        fades = earshot_fades(n, sr, in_s=0.15 * T, out_s=0.2 * T)
    else:
        y = source(rng, n, sr, ph, blades=blades, slap=slap, turbine=turbine)
        # hovering: slow drift in level and position, duller when farther
        drift = P.smooth_random(rng, n, sr, 0.25)
        y = P.lowpass(y, sr, 12000.0 * (40.0 / (alt + 30.0)) ** 0.5) * (1.0 + 0.2 * drift)
        y = pan_stereo(y, 0.3 * P.smooth_random(rng, n, sr, 0.15))
        fades = earshot_fades(n, sr, in_s=min(0.6, 0.2 * T), out_s=min(0.8, 0.25 * T))
    y *= fades
    return P.highpass_tilt(y, sr, 30.0, 0.3 + 0.4 * ph.brightness, order=4)


FAMILY = Family(
    name="helicopter", ucs="AEROHeli", noun="helicopter", kind="texture", render=render,
    params=(BLADES, SLAP, MOTION, SPEED, ALTITUDE, TURBINE), default_duration_s=6.0,
    nouns=(("helicopter", 1), ("chopper", 1), ("helicopter rotor", 1), ("helicopter flying", 1)),
    scenes=("a {adj} helicopter{post}", "the rotor blades of a {adj} helicopter{post}",
            "a {adj} chopper{post}"),
    tags=("helicopter", "rotor", "chopper", "aircraft", "thump"),
    keywords=("helicopter", "chopper", "heli", "rotor blades", "helicopter rotor", "whirlybird",
              "blade slap"),
    intensity_words=None, sized=True,
    element_roles=("main",), design_roles=("bed", "texture"),
    role_params={"bed": {"motion": "hover", "altitude_m": 0.6}},
    category="vehicle",
    presets={
        "hover_close": {"motion": "hover", "altitude_m": -0.6, "slap": 0.0, "blades": -0.6, "space": -0.8,
                        "distance": -0.8},
        "huey_flyby": {"motion": "flyby", "blades": -1.0, "slap": 0.7, "speed_mps": 0.2, "altitude_m": -0.3,
                       "space": -0.9, "distance": -0.9},
        "news_chopper_high": {"motion": "hover", "altitude_m": 0.6, "blades": 0.0, "slap": -0.4,
                              "space": -0.6, "distance": -0.6},
        "military_flyby_low": {"motion": "flyby", "blades": 0.3, "slap": 0.5, "speed_mps": 0.7,
                               "altitude_m": -0.7, "turbine": 0.5, "space": -0.9, "distance": -0.9},
    },
)
