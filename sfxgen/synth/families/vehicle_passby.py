"""Vehicle pass-by: a car, truck or motorcycle approaching, passing and receding.

The source is rendered on the vehicle's own clock -- a four-stroke engine
(:func:`sfxgen.synth.physics.rotor.piston_engine`: firing pulses ringing the exhaust pipe,
rpm from road speed and gear, rising under throttle), tyre/road noise (broadband, peaking near
1 kHz, ~ speed^3 in level, with a wet-road hiss when the road is wet) and wind rush at speed --
and heard through :class:`sfxgen.synth.physics.motion.PassBy`: retarded-time reading (the
Doppler glide down as it passes, steepest for a fast, close pass), spherical spreading, the
ground reflection's sweeping comb, air absorption and a pan across the image. The exhaust
radiates mostly backwards, so the receding half is throatier. The clip fades in from and out
to beyond earshot.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import aero, rotor
from sfxgen.synth.physics.motion import DIRECTION, PassBy, direction_sign, earshot_fades

VEHICLES = ("truck", "motorcycle", "car", "sports_car")
# cylinders, cruise rpm at 80 km/h, exhaust quarter-wave (Hz), muffler damping, engine level, tyre level
_SPEC = {
    "car": (4, 2300.0, 70.0, 0.75, 0.5, 1.0),
    "truck": (6, 1500.0, 42.0, 0.55, 0.9, 1.6),
    "motorcycle": (2, 4800.0, 105.0, 0.3, 1.4, 0.45),
    "sports_car": (8, 3600.0, 85.0, 0.4, 1.3, 0.9),
}

SPEED = Param("speed_kmh", "Road speed: the Doppler ratio (approach / recede pitch = (c + v) / (c - v)), "
              "engine rpm in gear and the tyre-noise share grow with it.", "km/h", 20.0, 200.0, "log",
              low_words=("slow", "crawling"), high_words=("fast", "speeding"))
CLOSEST = Param("closest_m", "Distance from the listener at the closest point: near passes swell "
                "and glide fast, far ones slowly and duller.", "m", 2.0, 60.0, "log",
                low_words=("close",), high_words=("distant",))
VEHICLE = Param("vehicle", "What passes: a car, a diesel truck, a motorcycle or a V8 sports car.",
                choices=VEHICLES,
                choice_words=(("car", ()), ("truck", ("of a heavy truck",)),
                              ("motorcycle", ("of a motorbike", "of a motorcycle")),
                              ("sports_car", ("of a sports car", "of a V8 sports car"))))
THROTTLE = Param("throttle", "Engine load: 0 coasting (tyres and wind dominate) .. 0.6 cruising "
                 "under load .. 1 accelerating hard (loud, bright exhaust, rpm climbing).", "", 0.0, 1.0,
                 low_words=("coasting",), high_words=("accelerating", "revving"))
ROAD = Param("road", "Road surface: dry asphalt or wet (tyre spray hiss).", choices=("wet", "dry"),
             choice_words=(("wet", ("on a wet road", "through the rain")),))


def source(rng, m: int, sr: int, ph: Physical, *, kind: str, speed_kmh: float, throttle: float,
           wet: bool, span_s: float) -> np.ndarray:
    """The vehicle's own sound over ``m`` samples of its clock (n,)."""
    cyl, rpm80, pipe, damp, g_eng, g_tyre = _SPEC[kind]
    rpm = rpm80 * (0.55 + 0.45 * min(speed_kmh / 80.0, 2.0)) * (0.85 + 0.35 * throttle) * ph.pitch_ratio
    accel = max(throttle - 0.6, 0.0) / 0.4  # above 60 % throttle the car accelerates: rpm climbs
    climb = 1.0 + 0.25 * accel * np.linspace(0.0, 1.0, m) * min(span_s / 6.0, 1.0)
    rpm = np.clip(rpm * climb * (1.0 + 0.01 * P.smooth_random(rng, m, sr, 2.0)), 600.0, 9500.0)
    eng = rotor.piston_engine(rng, m, sr, rpm=rpm, cylinders=cyl, pipe_hz=pipe * 2 ** (-0.8 * ph.size + 0.4),
                              roughness=0.15 + 0.4 * ph.intensity, load=0.2 + 0.8 * throttle,
                              damping=damp)
    eng = P.highpass(eng, sr, 25.0)
    v = speed_kmh / 80.0
    tyre_peak = 420.0 + 200.0 * min(v, 2.0)
    tyre = P.shaped_noise(rng, m, sr, lambda f, t: aero.peak_spectrum(f, tyre_peak, rise=0.4, fall=2.6)
                          + 0.5 * aero.peak_spectrum(f, 120.0, rise=1.5, fall=1.0))
    y = (g_eng * (0.2 + 0.9 * throttle)) * eng / (P.rms(eng) + 1e-12)
    y += (g_tyre * v ** 1.5) * tyre / (P.rms(tyre) + 1e-12)
    if speed_kmh > 90.0:
        wind = P.shaped_noise(rng, m, sr, lambda f, t: aero.peak_spectrum(f, 300.0 + 3.0 * speed_kmh, rise=1.0, fall=1.4))
        y += 0.3 * (speed_kmh / 150.0) ** 3 * wind / (P.rms(wind) + 1e-12)
    if wet:
        hiss = P.shaped_noise(rng, m, sr, lambda f, t: aero.peak_spectrum(f, 3500.0, rise=1.5, fall=1.5))
        hiss *= 1.0 + 0.4 * P.smooth_random(rng, m, sr, 12.0)
        y += 0.9 * v ** 1.5 * hiss / (P.rms(hiss) + 1e-12)
    return y


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    T = n / sr
    speed_kmh = SPEED.value(ph.a(0))
    kind = VEHICLE.choice(ph.a(2))
    direction = direction_sign(ph.a(5))
    pb = PassBy(speed_mps=speed_kmh / 3.6, closest_m=CLOSEST.value(ph.a(1)),
                t_closest_s=T * rng.uniform(0.45, 0.55), source_height_m=0.4 if kind != "truck" else 1.0,
                ground_reflection=0.55, convective=1.0, width=0.6, direction=direction)
    lo, m = pb.source_span(n, sr)
    src = source(rng, m, sr, ph, kind=kind, speed_kmh=speed_kmh, throttle=THROTTLE.value(ph.a(3)),
                 wet=ROAD.choice(ph.a(4)) == "wet", span_s=m / sr)
    y = pb.render(src, lo, sr, n, directivity=lambda c: 1.0 - 0.25 * c)
    # beyond earshot at both ends: a slow fade in and out over the clip's outer fifths
    y *= earshot_fades(n, sr, in_s=0.2 * T, out_s=0.2 * T)
    return P.highpass_tilt(y, sr, 30.0, 0.3 + 0.4 * ph.brightness, order=4)


FAMILY = Family(
    name="vehicle_passby", ucs="VEHBy", noun="car passing by", kind="oneshot", render=render,
    params=(SPEED, CLOSEST, VEHICLE, THROTTLE, ROAD, DIRECTION), default_duration_s=6.0,
    nouns=(("car passing by", 1), ("vehicle pass-by", 1), ("car driving past", 1), ("pass-by", 1),
           ("passing car", 1)),
    scenes=("a {adj} car driving past{post}", "a {adj} vehicle passing by on a road{post}",
            "traffic: a {adj} car going by{post}"),
    tags=("vehicle", "car", "pass-by", "doppler", "road", "traffic"),
    keywords=("pass by", "passby", "pass-by", "drive by", "drives past", "car passing", "car driving",
              "vehicle", "truck", "motorcycle", "motorbike", "traffic", "doppler", "car", "whizz by"),
    rate_words=None, intensity_words=(("smooth",), ("rough", "rattling")),
    sized=True,
    element_roles=("main",), design_roles=("bed",),
    role_params={"bed": {"closest_m": 0.8, "throttle": -0.8}},
    category="vehicle",
    presets={
        "car_city": {"speed_kmh": -0.3, "closest_m": -0.3, "vehicle": "car", "throttle": -0.2,
                     "space": -0.6, "distance": -0.8},
        "car_highway": {"speed_kmh": 0.5, "closest_m": 0.0, "vehicle": "car", "throttle": 0.0,
                        "space": -0.8, "distance": -0.8},
        "truck": {"speed_kmh": -0.1, "closest_m": -0.2, "vehicle": "truck", "throttle": 0.3,
                  "space": -0.6, "distance": -0.8},
        "motorbike_fast": {"speed_kmh": 0.7, "closest_m": -0.4, "vehicle": "motorcycle", "throttle": 0.8,
                           "space": -0.8, "distance": -0.8},
        "wet_road": {"speed_kmh": 0.2, "vehicle": "car", "road": "wet", "space": -0.7, "distance": -0.8},
        "sports_car": {"speed_kmh": 0.8, "closest_m": -0.5, "vehicle": "sports_car", "throttle": 1.0,
                       "space": -0.8, "distance": -0.8},
    },
)
