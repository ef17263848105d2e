"""Train ride: riding a train over jointed rail -- the clickety-clack, rumble and sway.

The rhythm is the geometry: rails of 25 m meet at joints, and every joint is crossed by both
axles of a bogie (2.5 m apart: "da-dum"), then by the car's other bogie 17 m later and the
next car's nearest one -- so at speed ``v`` the pattern repeats every ``25 / v`` seconds with
inner gaps ``2.5 / v``. Each crossing is a wheel dropping onto the next rail end: a low thud
(wheelset and axle box, 60-200 Hz) with a metallic clank of wheel and rail modes. Between
them the steel wheels roll with a broadband rumble rising with speed, the body sways and
rattles, and on curves a flange squeals. Inside the car the body filters it all: dull and
boomy; outside (between cars, on the open platform) it is bright and loud.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import aero
from sfxgen.synth.physics.motion import pan_stereo

RAIL_M, AXLES_M, BOGIES_M = 25.0, 2.5, 17.0

SPEED = Param("speed_kmh", "Train speed: the clickety-clack repeats every 25 m / v (with 2.5 m / v "
              "between the two axles of a bogie); the rumble rises with it.", "km/h", 20.0, 180.0, "log",
              low_words=("slow", "slowly rolling"), high_words=("fast", "speeding"))
PLACE = Param("perspective", "Inside a carriage (the body filters: dull, boomy) or outside between "
              "the cars (bright, loud).", choices=("exterior", "interior"),
              choice_words=(("interior", ("inside a carriage", "from inside the train")),
                            ("exterior", ("from between the cars",))))
JOINTS = Param("joints", "Jointed-track clacks: 0 welded rail (smooth rumble, a rare joint) .. 1 "
               "old jointed track with hard clacks.", "", 0.0, 1.0,
               low_words=("smooth",), high_words=("clattering", "clickety-clack"))
SQUEAL = Param("squeal", "Flange squeal on curves (intermittent high whine).", "", 0.0, 1.0,
               low_words=(), high_words=("with squealing wheels",), where="post")
RATTLE = Param("rattle", "Body and fittings rattling with the sway.", "", 0.0, 1.0,
               low_words=(), high_words=("rattling",))


def crossing_times(v_mps: float, T: float, rng) -> tuple[np.ndarray, np.ndarray]:
    """Times (s) and gains of the wheel crossings heard over ``T`` seconds at speed ``v_mps``:
    per rail joint, the near bogie's two axles (loud), the car's far bogie (quieter) and the next
    car's nearest bogie."""
    period = RAIL_M / v_mps
    first = -rng.uniform(0.0, period)
    joints = first + period * np.arange(int(T / period) + 3)
    offsets = np.array([0.0, AXLES_M, BOGIES_M, BOGIES_M + AXLES_M, 22.0, 22.0 + AXLES_M]) / v_mps
    gains = np.array([1.0, 0.9, 0.35, 0.32, 0.55, 0.5])
    t = (joints[:, None] + offsets[None, :]).ravel()
    g = np.tile(gains, joints.size) * rng.uniform(0.75, 1.0, t.size)
    keep = (t >= 0) & (t < T)
    return t[keep], g[keep]


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    T = n / sr
    v = SPEED.value(ph.a(0)) / 3.6
    inside = PLACE.choice(ph.a(1)) == "interior"
    joints = JOINTS.value(ph.a(2))
    # rolling rumble: broadband, rising with speed, swaying slowly
    rumble = P.shaped_noise(rng, n, sr, lambda f, t: aero.peak_spectrum(f, 90.0 + 1.5 * v, rise=1.5, fall=1.0))
    sway = 1.0 + 0.25 * P.smooth_random(rng, n, sr, 0.7)
    y = 0.2 * (v / 25.0) ** 0.5 * sway * rumble / (P.rms(rumble) + 1e-12)
    # the clacks: a thud and a clank per wheel crossing
    t_on, g = crossing_times(v, T, rng)
    if joints < 0.3:  # welded rail: only the odd joint
        keep = rng.uniform(size=t_on.size) < 0.15 + joints
        t_on, g = t_on[keep], g[keep]
    L = int(0.25 * sr)
    thud = P.modal_ir(L, sr, np.array([105.0, 170.0, 260.0]) * 2 ** (-0.5 * (ph.size - 0.5)), [0.12, 0.08, 0.06],
                      [1.0, 0.7, 0.4])
    clank = P.modal_ir(L, sr, np.array([620.0, 1180.0, 1730.0, 2450.0, 3300.0]) * rng.uniform(0.95, 1.05, 5),
                       [0.1, 0.08, 0.06, 0.05, 0.04], [0.7, 1.0, 0.6, 0.5, 0.3])
    kernel = thud / P.peak_abs(thud) + (0.5 + 0.6 * joints) * clank / P.peak_abs(clank)
    kernel += 0.3 * P.highpass(P.white(rng, L) * np.exp(-np.arange(L) / (0.003 * sr)), sr, 800.0)
    clacks = P.place(n, (t_on * sr).astype(np.int64), kernel, g * (0.3 + 0.9 * joints) * (v / 25.0) ** 0.3)
    y += 1.5 * clacks
    rattle = RATTLE.value(ph.a(4))
    if rattle > 0.02:
        on = P.poisson_onsets(rng, 25.0 * rattle * np.clip(sway, 0.5, None), n, sr)
        tick = P.highpass(P.noise_grains(rng, 1, sr, length_s=0.02, t60_s=0.006)[0], sr, 1200.0)
        y += 0.15 * rattle * P.place(n, on, tick, rng.uniform(0.2, 1.0, on.size))
    squeal = SQUEAL.value(ph.a(3))
    if squeal > 0.02:
        f = 3100.0 * ph.pitch_ratio * (1.0 + 0.02 * P.smooth_random(rng, n, sr, 3.0))
        amp = np.clip(P.smooth_random(rng, n, sr, 0.6) - 0.2, 0.0, None) ** 2
        y += 0.25 * squeal * amp * P.harmonic_osc(f, n, sr, [1.0, 0.3, 0.1])
    if inside:  # the carriage body: low-passed, a boomy cabin resonance
        y = P.peak_eq(P.lowpass(y, sr, 1800.0, order=2), sr, 110.0, gain_db=6.0, q=1.2)
    y = P.highpass(y, sr, 30.0)
    fade = np.minimum(np.minimum(P.time_s(n, sr) / min(0.3, 0.1 * T), (T - P.time_s(n, sr)) / min(0.5, 0.15 * T)), 1.0)
    y *= np.sin(0.5 * np.pi * np.clip(fade, 0.0, 1.0)) ** 2
    return P.highpass_tilt(pan_stereo(y, 0.1 * P.smooth_random(rng, n, sr, 0.3)), sr, 30.0, 0.3 + 0.4 * ph.brightness, order=4)


FAMILY = Family(
    name="train_ride", ucs="TRNClak", noun="train ride", kind="texture", render=render,
    params=(SPEED, PLACE, JOINTS, SQUEAL, RATTLE), default_duration_s=8.0,
    nouns=(("train ride", 1), ("train on the tracks", 1), ("clickety-clack of a train", 1),
           ("railway carriage", 1), ("train rolling", 1)),
    scenes=("a {adj} train rolling over the tracks{post}", "riding a {adj} train{post}",
            "the {adj} clickety-clack of railway wheels{post}"),
    tags=("train", "rail", "clack", "rumble", "railway", "wheels"),
    keywords=("train", "train ride", "railway", "railroad", "clickety-clack", "clickety clack", "rail",
              "tracks", "carriage", "subway", "tram", "freight train"),
    intensity_words=None, sized=True,
    element_roles=("main",), design_roles=("bed", "texture"),
    role_params={"bed": {"perspective": "interior", "joints": -0.2}},
    category="vehicle",
    presets={
        "interior_old_track": {"speed_kmh": 0.0, "perspective": "interior", "joints": 0.7, "rattle": 0.2,
                               "space": -0.8, "distance": -0.6},
        "interior_fast_welded": {"speed_kmh": 0.7, "perspective": "interior", "joints": -0.7,
                                 "space": -0.8, "distance": -0.6},
        "between_cars": {"speed_kmh": 0.0, "perspective": "exterior", "joints": 0.6, "squeal": -0.2,
                         "space": -0.8, "distance": -0.7},
        "slow_freight": {"speed_kmh": -0.6, "perspective": "exterior", "joints": 0.9, "rattle": 0.5,
                         "size": 0.6, "space": -0.6, "distance": -0.6},
        "curve_squeal": {"speed_kmh": -0.3, "perspective": "exterior", "squeal": 0.8, "joints": 0.4,
                         "space": -0.7, "distance": -0.6},
    },
)
