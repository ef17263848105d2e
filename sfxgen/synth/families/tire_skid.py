"""Tyre skid: rubber sliding on the road, from a braking stop or a cornering squeal.

A locked or slipping tyre's tread blocks stick and slip against the road: on dry asphalt or
concrete they lock into a squeal -- a tone of 0.6-1.4 kHz with harmonics whose pitch wanders
and whose level chatters as the contact patch grips and lets go -- over broadband rubber scrub
(peaking at 2-3 kHz) and the tyre's low road rumble. Braking, the car decelerates at ``mu g``
(dry 0.8, wet 0.5, gravel 0.55), so a skid from ``v0`` lasts ``v0 / (mu g)``; as it slows the
squeal drops a little, breaks into chirps and stops with the body settling on its
suspension (a dull clunk). ABS brakes pulse the slip ~14 times a second. On gravel there is
no squeal: stones crunch and scatter (dense granular grains). Wet roads hiss and barely squeal.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import noise_grains
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import aero
from sfxgen.synth.physics.motion import pan_stereo

G = 9.81
SURFACES = ("concrete", "wet", "asphalt", "gravel")
_MU = {"asphalt": 0.8, "concrete": 0.75, "wet": 0.5, "gravel": 0.55}

SPEED = Param("speed_kmh", "Speed when the skid starts: a braking skid lasts v / (mu g) and is louder "
              "and longer from higher speed.", "km/h", 20.0, 150.0, "log",
              low_words=("short", "low-speed"), high_words=("long", "high-speed"))
SURFACE = Param("surface", "Road surface: asphalt, concrete (higher squeal), wet (hiss, little squeal) "
                "or gravel (crunch, no squeal).", choices=SURFACES,
                choice_words=(("concrete", ("on concrete",)), ("wet", ("on a wet road",)),
                              ("gravel", ("on gravel",))))
SQUEAL = Param("squeal", "Tonal squeal against broadband scrub: 0 a dull scrub .. 1 a piercing squeal.",
               "", 0.0, 1.0, low_words=("scrubbing",), high_words=("squealing", "screeching"))
MOVE = Param("manoeuvre", "A braking skid to a stop, or a cornering squeal that swells and fades.",
             choices=("corner", "brake"),
             choice_words=(("brake", ("braking to a stop", "skidding to a halt")),
                           ("corner", ("around a corner", "cornering hard"))))
ABS = Param("abs", "ABS pulsing of the brake (0 locked wheels .. 1 strong ~14 Hz pulsing).", "", 0.0, 1.0,
            low_words=(), high_words=("ABS-pulsing",))


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    T = n / sr
    t = P.time_s(n, sr)
    surface = SURFACE.choice(ph.a(1))
    v0 = SPEED.value(ph.a(0)) / 3.6
    brake = MOVE.choice(ph.a(3)) == "brake"
    if brake:
        dur = min(v0 / (_MU[surface] * G) / ph.rate, 0.85 * T)
        v = v0 * np.clip(1.0 - t / dur, 0.0, 1.0) ** 0.8
    else:
        dur = 0.9 * T
        v = v0 * np.sin(np.pi * np.clip(t / dur, 0.0, 1.0)) ** 0.5
    vr = v / v0
    active = vr > 0
    # the squeal: tread blocks locking into a tone, pitch wandering, level chattering
    squeal = SQUEAL.value(ph.a(2)) * {"asphalt": 1.0, "concrete": 1.0, "wet": 0.15, "gravel": 0.0}[surface]
    out = np.zeros(n)
    if squeal > 0.01:
        f0 = (850.0 if surface != "concrete" else 1100.0) * ph.pitch_ratio * 2 ** (-0.5 * (ph.size - 0.5))
        f = f0 * (0.88 + 0.12 * vr) * (1.0 + 0.035 * P.smooth_random(rng, n, sr, 5.0)
                                       + 0.012 * P.smooth_random(rng, n, sr, 35.0))
        tone = P.harmonic_osc(f, n, sr, [1.0, 0.55, 0.4, 0.22, 0.15, 0.08])
        grip = np.clip(0.55 + 0.7 * P.smooth_random(rng, n, sr, 9.0 + 14.0 * (1.0 - vr.mean())), 0.0, 1.0)
        chirpy = np.clip((0.35 - vr) / 0.35, 0.0, 1.0)  # slow: the squeal breaks into chirps
        grip = grip ** (1.0 + 4.0 * chirpy)
        out += squeal * tone * grip * np.minimum(vr * 4.0, 1.0)
    scrub = P.shaped_noise(rng, n, sr, lambda fr, tt: aero.peak_spectrum(fr, 2500.0, rise=1.0, fall=1.3))
    rumble = P.lowpass(P.white(rng, n), sr, 250.0, order=2)
    out += (0.35 + 0.4 * (1.0 - squeal)) * vr ** 1.5 * scrub / (P.rms(scrub) + 1e-12) * 0.5
    out += 0.25 * vr * rumble / (P.rms(rumble) + 1e-12)
    if surface == "wet":
        hiss = P.shaped_noise(rng, n, sr, lambda fr, tt: aero.peak_spectrum(fr, 5000.0, rise=1.5, fall=1.5))
        out += 0.5 * vr ** 1.5 * hiss / (P.rms(hiss) + 1e-12)
    if surface == "gravel":
        on = P.poisson_onsets(rng, 1500.0 * vr * active, n, sr)
        crunch = noise_grains(rng, n, sr, on, rng.uniform(0.0005, 0.003, on.size), rng.uniform(0.1, 1.0, on.size) ** 2)
        crunch = P.bandpass(crunch[0], sr, 2200.0, q=0.5)
        out += 1.2 * crunch / (P.rms(crunch) + 1e-12) * np.sqrt(np.mean(vr ** 2)) * vr
    depth = ABS.value(ph.a(4))
    if depth > 0.02:
        out *= 1.0 - depth * 0.8 * (0.5 + 0.5 * P.sin_cycles(14.0 * t))
    if brake:  # the car settles on its suspension
        stop = min(int(dur * sr), n - 1)
        settle = P.modal_ir(min(int(0.4 * sr), n - stop), sr, [95.0, 160.0], [0.25, 0.15], [1.0, 0.5])
        out[stop: stop + settle.size] += 0.25 * settle / (P.peak_abs(settle) + 1e-12) * P.peak_abs(out)
    out *= np.minimum(t / 0.02, 1.0)  # the tyre bites in over ~20 ms
    return P.highpass_tilt(pan_stereo(out, 0.15 * P.smooth_random(rng, n, sr, 0.5)), sr, 30.0, 0.3 + 0.4 * ph.brightness, order=4)


FAMILY = Family(
    name="tire_skid", ucs="VEHSkid", noun="tire skid", kind="oneshot", render=render,
    params=(SPEED, SURFACE, SQUEAL, MOVE, ABS), default_duration_s=3.0,
    nouns=(("tire skid", 1), ("tyre screech", 1), ("car skidding", 1), ("tire squeal", 1),
           ("screeching tires", 0)),
    scenes=("a {adj} car skidding{post}", "{adj} tires screeching{post}", "a {adj} tyre skid{post}"),
    tags=("tire", "skid", "screech", "squeal", "car", "brakes"),
    keywords=("skid", "skidding", "tire screech", "tyre screech", "screeching tires", "tire squeal",
              "brakes", "braking", "handbrake", "drift", "burnout", "tires"),
    rate_words=(("long", "slow"), ("short", "abrupt")), rate_doc="a braking skid of v / (mu g) at rate 1",
    intensity_words=None, sized=True,
    element_roles=("main", "sweetener"), design_roles=("sweetener",),
    role_params={"sweetener": {"manoeuvre": "brake", "squeal": 0.6}},
    category="vehicle",
    presets={
        "brake_stop": {"speed_kmh": 0.0, "surface": "asphalt", "squeal": 0.4, "manoeuvre": "brake",
                       "space": -0.8, "distance": -0.6, "attack": -1.0},
        "corner_squeal": {"speed_kmh": 0.3, "surface": "asphalt", "squeal": 0.8, "manoeuvre": "corner",
                          "space": -0.8, "distance": -0.6, "attack": -1.0},
        "abs_stop": {"speed_kmh": 0.2, "surface": "asphalt", "squeal": -0.2, "abs": 0.8, "manoeuvre": "brake",
                     "space": -0.8, "distance": -0.6, "attack": -1.0},
        "gravel_slide": {"speed_kmh": -0.2, "surface": "gravel", "manoeuvre": "brake", "space": -0.9,
                         "distance": -0.6, "attack": -1.0},
        "wet_skid": {"speed_kmh": 0.0, "surface": "wet", "manoeuvre": "brake", "space": -0.8,
                     "distance": -0.6, "attack": -1.0},
    },
)
