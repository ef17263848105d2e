"""Propeller plane: a piston-engined aircraft (or a model plane) flying past.

The source, on the aircraft's clock: the propeller's blade-passing tone stack (thickness and
loading noise, harmonics rolling off more slowly the faster the blade tips run,
:func:`sfxgen.synth.physics.rotor.blade_tones`) with its broadband vortex noise swelling once
per blade passage, over the piston engine's exhaust note
(:func:`~sfxgen.synth.physics.rotor.piston_engine`; the propeller is direct-drive, so both
follow the same rpm, which wanders slightly with the throttle). Heard through
:class:`~sfxgen.synth.physics.motion.PassBy`: the Doppler drop as it passes overhead, the
ground-reflection comb, air absorption and spreading.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import aero, rotor
from sfxgen.synth.physics.motion import DIRECTION, PassBy, direction_sign, earshot_fades

AIRCRAFT = ("warbird", "light_aircraft", "rc_model")
# blades, cylinders, cruise rpm, exhaust pipe (Hz), propeller tip Mach, engine level
_SPEC = {"light_aircraft": (2, 4, 2450.0, 80.0, 0.7, 0.7),
         "warbird": (3, 12, 2700.0, 95.0, 0.85, 1.0),
         "rc_model": (2, 2, 11000.0, 400.0, 0.5, 1.2)}

SPEED = Param("speed_mps", "Air speed: the Doppler drop ((c + v) / (c - v) overhead) and how fast it "
              "crosses.", "m/s", 20.0, 140.0, "log", low_words=("slow",), high_words=("fast",))
ALTITUDE = Param("altitude_m", "Height at the closest point: low passes are loud, bright and brief; "
                 "high ones a long droning hum.", "m", 8.0, 800.0, "log",
                 low_words=("low", "low-flying"), high_words=("high", "distant"))
AIRCRAFT_P = Param("aircraft", "A light single-engine plane, a WWII-style warbird (V12, three blades) "
                   "or a radio-controlled model (tiny two-stroke, high buzz).", choices=AIRCRAFT,
                   choice_words=(("light_aircraft", ("of a small propeller plane", "of a Cessna")),
                                 ("warbird", ("of a vintage warplane", "of a WWII fighter plane")),
                                 ("rc_model", ("of a model airplane", "of an RC plane"))))
THROTTLE = Param("throttle", "Engine power: rpm and exhaust brightness (0 gliding in .. 1 full power).",
                 "", 0.0, 1.0, low_words=("idling", "gliding"), high_words=("full-throttle", "droning loud"))


def source(rng, m: int, sr: int, ph: Physical, kind: str, throttle: float) -> np.ndarray:
    blades, cyl, rpm0, pipe, mach, g_eng = _SPEC[kind]
    rpm = rpm0 * (0.8 + 0.3 * throttle) * ph.pitch_ratio * (1.0 + 0.006 * P.smooth_random(rng, m, sr, 0.7))
    bpf = rpm / 60.0 * blades
    prop = rotor.blade_tones(bpf, m, sr, tip_mach=mach * (0.85 + 0.2 * throttle), count=30)
    vortex = rotor.modulated_noise(rng, m, sr, bpf_hz=bpf, depth=0.6, duty=0.25)
    vortex = P.sosfilt(P.bandpass_sos(sr, 6.0 * float(np.mean(bpf)), q=0.4), vortex)
    eng = rotor.piston_engine(rng, m, sr, rpm=rpm, cylinders=cyl, pipe_hz=pipe * 2 ** (-0.6 * (ph.size - 0.5)),
                              roughness=0.1 + 0.4 * ph.intensity, load=0.3 + 0.7 * throttle, damping=0.35)
    air = P.shaped_noise(rng, m, sr, lambda f, t: aero.peak_spectrum(f, 500.0, rise=1.0, fall=1.3))
    y = prop / (P.rms(prop) + 1e-12) + 0.45 * vortex / (P.rms(vortex) + 1e-12)
    y += g_eng * (0.4 + 0.6 * throttle) * eng / (P.rms(eng) + 1e-12)
    y += 0.25 * air / (P.rms(air) + 1e-12)
    return P.highpass(y, sr, 30.0)


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    T = n / sr
    kind = AIRCRAFT_P.choice(ph.a(2))
    alt = ALTITUDE.value(ph.a(1)) * (0.12 if kind == "rc_model" else 1.0)
    pb = PassBy(speed_mps=SPEED.value(ph.a(0)) * (0.5 if kind == "rc_model" else 1.0), closest_m=0.3 * alt,
                t_closest_s=T * rng.uniform(0.4, 0.5), source_height_m=alt, ground_reflection=0.7,
                convective=1.0, width=0.55,
                direction=direction_sign(ph.a(4)))
    lo, m = pb.source_span(n, sr)
    y = pb.render(source(rng, m, sr, ph, kind, THROTTLE.value(ph.a(3))), lo, sr, n)
    y *= earshot_fades(n, sr, in_s=0.15 * T, out_s=0.2 * T)
    return P.highpass_tilt(y, sr, 30.0, 0.3 + 0.4 * ph.brightness, order=4)


FAMILY = Family(
    name="propeller_plane", ucs="AEROProp", noun="propeller plane", kind="oneshot", render=render,
    params=(SPEED, ALTITUDE, AIRCRAFT_P, THROTTLE, DIRECTION), default_duration_s=8.0,
    nouns=(("propeller plane", 1), ("prop plane flying over", 1), ("small plane flyby", 1),
           ("propeller aircraft", 1), ("light aircraft", 1)),
    scenes=("a {adj} propeller plane flying overhead{post}", "a {adj} small plane droning past{post}",
            "a {adj} prop aircraft flying by{post}"),
    tags=("airplane", "propeller", "aircraft", "flyby", "drone", "engine"),
    keywords=("propeller plane", "prop plane", "propeller", "cessna", "biplane", "warbird", "spitfire",
              "small plane", "light aircraft", "model airplane", "rc plane", "crop duster"),
    intensity_words=(("smooth",), ("rough", "sputtering")),
    sized=True,
    element_roles=("main",), design_roles=("bed",),
    role_params={"bed": {"altitude_m": 0.8, "throttle": -0.3}},
    category="vehicle",
    presets={
        "cessna_overhead": {"aircraft": "light_aircraft", "speed_mps": -0.2, "altitude_m": -0.2,
                            "throttle": 0.2, "space": -0.9, "distance": -0.9},
        "warbird_low_pass": {"aircraft": "warbird", "speed_mps": 0.5, "altitude_m": -0.6, "throttle": 0.9,
                             "space": -0.9, "distance": -0.9},
        "rc_plane": {"aircraft": "rc_model", "speed_mps": -0.2, "altitude_m": -0.5, "throttle": 0.5,
                     "space": -0.9, "distance": -0.9},
        "distant_drone": {"aircraft": "light_aircraft", "speed_mps": -0.4, "altitude_m": 0.8,
                          "throttle": 0.0, "space": -0.8, "distance": -0.6},
    },
)
