"""Sword swing: a blade swung through air, by the compact-source aeroacoustic model.

Each swing is an angular-speed curve (the arm accelerates, the follow-through brakes) whose
total arc is about 2.5 rad, so a faster swing is also a shorter one. Compact sources along the
blade (:func:`sfxgen.synth.physics.aero.compact_sources`) each shed an Aeolian tone at
``St u / d`` with intensity ~ ``u^6`` plus turbulent wake noise: the "vwoom" glides up and back
down with the speed, and the tip dominates. The tip sweeps past the listener: a proximity
gain, a Doppler glide (``1 / (1 - M cos theta)``) and a pan across the image. Several swings
alternate forehand and backhand.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import aero
from sfxgen.synth.physics.motion import SPEED_OF_SOUND_MPS, pan_stereo

SPEED = Param("speed_mps", "Tip speed at the fastest moment of the swing: the Aeolian tone pitch "
              "rises with it (f = St u / d) and the level with u^3; a faster swing is also shorter.",
              "m/s", 12.0, 60.0, low_words=("slow", "lazy"), high_words=("fast", "vicious"))
THICK = Param("thickness_mm", "Thickness of the blade edge-on to the flow at the tip (3 mm rapier, "
              "6 mm sword, 30 mm staff, 60 mm bat): thicker sheds lower, broader tones.",
              "mm", 3.0, 70.0, "log", low_words=("thin-bladed", "razor-thin"),
              high_words=("thick", "club-like"))
SWINGS = Param("swings", "Number of swings, the whole part of this value (1 below u = 0.5, 2, 3 "
               "from u = 0.79), alternating forehand and backhand; the common rate slot shortens "
               "the pause between them.", "count", 1.0, 3.99, "log")
WHISTLE = Param("whistle", "Share of the clean Aeolian tone against the broadband wake noise "
                "(0 airy swoosh .. 1 singing whistle).", "", 0.0, 1.0,
                low_words=("airy", "breathy"), high_words=("whistling", "singing"))
PASS = Param("pass_m", "Closest distance of the tip to the listener: close passes are short, "
             "sharp and pan fast; far ones a broad swell.", "m", 0.2, 3.0, "log",
             low_words=(), high_words=("distant-passing",), where="adj")

ARC_RAD = 2.5  # the swept arc of one swing


def swing_count(ph: Physical) -> int:
    return int(SWINGS.value(ph.a(2)))


def _swing(rng, out: np.ndarray, sr: int, *, t_peak: float, u_peak: float, length_m: float, thick_m: float,
           whistle: float, pass_m: float, side: float) -> None:
    """Add one swing into ``out`` (2, n), computed only over its audible window (the level
    ~ u^3 is -80 dB 3.5 widths from the peak)."""
    n = out.shape[-1]
    omega_peak = u_peak / length_m
    sig = ARC_RAD / (omega_peak * np.sqrt(np.pi / 2.0))  # sum of the two half-Gaussian widths
    rise, fall = 0.42 * sig, 0.58 * sig
    i0 = min(max(int((t_peak - 3.5 * rise) * sr), 0), n)
    i1 = min(max(int((t_peak + 3.5 * fall) * sr) + 1, i0), n)
    m = i1 - i0
    if m < 16:
        return
    w = aero.swing_speed(m, sr, t_peak_s=t_peak - i0 / sr, rise_s=rise, fall_s=fall) * omega_peak
    angle = np.cumsum(w) / sr
    at = float(angle[min(max(int(t_peak * sr) - i0, 0), m - 1)])
    close = pass_m / length_m
    r, d, span = aero.compact_sources(length_m, thick_m, count=6)
    speeds = w[None, :] * r[:, None]
    x = (angle - at) / close
    cos_t = -x / np.sqrt(1.0 + x * x)  # approaching before the closest point, receding after
    dop = 1.0 / (1.0 - (u_peak * w / omega_peak / SPEED_OF_SOUND_MPS) * cos_t)
    y = aero.aeolian(rng, sr, speeds, d, span, tone=0.15 + 1.2 * whistle, wake=1.0 - 0.6 * whistle,
                     doppler=dop)
    y *= aero.passing_gain(angle, at_rad=at, closeness=close) ** 0.5
    out[:, i0:i1] += pan_stereo(y, side * 0.4 * np.tanh(0.8 * x))


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    T = n / sr
    u_peak = SPEED.value(ph.a(0)) * (0.8 + 0.4 * ph.intensity)
    thick = THICK.value(ph.a(1)) * 1e-3 / ph.pitch_ratio
    k = swing_count(ph)
    length = 0.7 + 1.1 * ph.size  # pivot (shoulder) to tip, m
    gap = 0.38 / ph.rate
    dur1 = ARC_RAD * length / u_peak * 1.6  # one swing's audible span (~4 sigma)
    k = max(1, min(k, int((0.95 * T - 0.05) / max(gap, 1e-3)) + 1))
    scale = min(1.0, 0.85 * T / (dur1 + (k - 1) * gap + 0.02))
    out = np.zeros((2, n))
    side = 1.0 if rng.uniform() < 0.5 else -1.0
    t0 = 0.02 * scale + 0.5 * dur1 * scale
    for i in range(k):
        u = u_peak * scale ** -0.5 * (1.0 if i == 0 else rng.uniform(0.8, 1.0))
        _swing(rng, out, sr, t_peak=t0 + i * gap * scale, u_peak=u, length_m=length * scale ** 0.5,
                      thick_m=thick, whistle=WHISTLE.value(ph.a(3)), pass_m=PASS.value(ph.a(4)), side=side)
        side = -side
    return P.highpass_tilt(out, sr, 50.0, ph.brightness, order=4)


_DRY = {"space": -0.7, "distance": -0.7, "attack": -1.0}  # close-miked in a small dry room, as swings are recorded


def _special(ph: Physical, duration_s):
    k = swing_count(ph)
    if k == 1:
        return [("swings", ["single"], [], "single")]
    words = {2: ["swung twice", "in two swings"], 3: ["swung three times", "in three swings"]}[k]
    return [("swings", [], words, "repeated")]


FAMILY = Family(
    name="sword_swing", ucs="WEAPSwrd", noun="sword swing", kind="oneshot", render=render,
    params=(SPEED, THICK, SWINGS, WHISTLE, PASS), default_duration_s=0.8,
    nouns=(("sword swing", 1), ("blade swish", 1), ("sword whoosh", 1), ("swing of a sword", 1),
           ("blade swoosh", 1)),
    scenes=("a {adj} sword swung through the air{post}", "a {adj} blade slicing the air{post}",
            "a {adj} katana swish{post}"),
    tags=("sword", "swing", "swish", "blade", "weapon", "whoosh"),
    keywords=("sword swing", "sword swoosh", "sword whoosh", "blade swish", "katana", "slash",
              "swish", "swoosh", "swing", "sabre", "sword"),
    rate_words=(("slow",), ("rapid", "quick")), rate_doc="one swing; several swings 0.38 s apart at rate 1",
    intensity_words=(("gentle", "light"), ("vicious", "powerful")),
    special_words=_special,
    element_roles=("main", "sweetener"), design_roles=("sweetener", "transient"),
    role_params={"sweetener": {"whistle": -0.6, "pass_m": 0.0}},
    category="weapon",
    presets={k: {**_DRY, **v} for k, v in {
        "katana": {"speed_mps": 0.4, "thickness_mm": -0.6, "whistle": 0.4, "size": 0.0},
        "broadsword": {"speed_mps": -0.2, "thickness_mm": -0.25, "whistle": -0.2, "size": 0.5},
        "dagger": {"speed_mps": 0.6, "thickness_mm": -0.8, "size": -0.8, "whistle": 0.0},
        "staff": {"speed_mps": -0.4, "thickness_mm": 0.5, "whistle": -0.5, "size": 0.6},
        "combo": {"swings": 1.0, "speed_mps": 0.3, "rate": 0.2},
    }.items()},
)
