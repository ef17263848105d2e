"""Boing: a plucked door-stop spring -- the cartoon "boi-oi-oing".

A coil spring clamped at its base and flicked sideways swings as a cantilever at a few to
twenty hertz (inaudible by itself) while its coil "twangs" at a few hundred hertz. The swing
bends the coil, and bending either way stretches it: the twang's tension -- and so its pitch
-- is modulated at twice the swing rate, with a depth proportional to the swing amplitude,
which dies away faster than the twang. The result is a harmonic-rich tone wobbling fast at the
start and settling to a steady, decaying note; the coil's dispersion adds a short "dwang"
chirp at the pluck (high partials arrive first), and the base plate radiates a dull knock.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics.motion import pan_stereo

TWANG = Param("twang_hz", "Pitch of the coil's twang (the note of the boing).", "Hz", 90.0, 700.0, "log",
              low_words=("low", "deep"), high_words=("high", "twangy"))
WOBBLE = Param("wobble", "Pitch wobble depth from the swing (0 a plain twang .. 1 a wide "
               "boi-oi-oing).", "", 0.0, 1.0, low_words=("plain",), high_words=("wobbly", "wobbling"))
SWING = Param("swing_hz", "Swing rate of the spring (the wobble runs at twice it).", "Hz", 2.0, 10.0, "log",
              low_words=("slow-wobbling",), high_words=("fast-wobbling",))
RING = Param("ring_s", "Decay time (T60) of the twang; the swing dies twice as fast.", "s", 0.3, 3.0, "log",
             low_words=("short",), high_words=("long", "ringing"))


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    T = n / sr
    t = P.time_s(n, sr)
    f0 = TWANG.value(ph.a(0)) * ph.pitch_ratio * rng.uniform(0.985, 1.015)  # no two flicks alike
    ring = min(RING.value(ph.a(3)) * (0.7 + 0.6 * ph.size), 0.8 * T)
    swing_hz = SWING.value(ph.a(2)) * ph.rate ** 0.5 * rng.uniform(0.95, 1.05)
    swing_amp = np.exp(-6.9 * t / (0.5 * ring))  # the swing dies twice as fast as the twang
    bend = np.abs(P.sin_cycles(swing_hz * t + 0.25))  # either way stretches the coil
    depth = 0.6 * WOBBLE.value(ph.a(1)) * (0.5 + 0.5 * ph.intensity)
    f = f0 * (1.0 + depth * swing_amp * (bend - 0.3))
    # the coil's partials are slightly stretched (a stiff helix) and die faster the higher they are
    amps = np.array([1.0, 0.55, 0.4, 0.28, 0.2, 0.14, 0.1, 0.07])
    k = np.arange(1, amps.size + 1)
    tone = np.zeros(n)
    for kk, a in zip(k, amps):  # 8 partials, each its own decay
        fk = f * kk * (1.0 + 0.004 * kk * kk)
        if float(np.max(fk)) >= 0.45 * sr:
            break
        tone += a * P.sine(fk, n, sr) * np.exp(-6.9 * t / (ring / (1.0 + 0.35 * (kk - 1))))
    # the pluck: a short dispersive chirp (high partials first) and the base plate's knock
    L = min(n, int(0.06 * sr))
    tc = t[:L]
    chirp = P.sin_cycles(f0 * 12.0 * tc - f0 * 60.0 * tc * tc) * np.exp(-tc / 0.012)
    tone[:L] += 0.3 * chirp
    knock = P.modal_ir(min(n, int(0.2 * sr)), sr, [180.0, 420.0], [0.06, 0.04], [1.0, 0.5])
    tone[: knock.size] += 0.25 * knock / (P.peak_abs(knock) + 1e-12)
    tone *= np.minimum(t / 0.002, 1.0)
    return P.highpass_tilt(pan_stereo(tone, 0.0), sr, 30.0, 0.3 + 0.4 * ph.brightness, order=4)


FAMILY = Family(
    name="boing", ucs="TOONBoing", noun="cartoon boing", kind="tonal", render=render,
    params=(TWANG, WOBBLE, SWING, RING), default_duration_s=1.5,
    nouns=(("cartoon boing", 1), ("boing", 1), ("spring boing", 1), ("doorstop spring twang", 1),
           ("bouncy spring", 1)),
    scenes=("a {adj} cartoon boing{post}", "a {adj} spring being flicked{post}", "a {adj} bouncy boing{post}"),
    tags=("cartoon", "boing", "spring", "bounce", "comedy", "toon"),
    keywords=("boing", "boinng", "cartoon boing", "spring", "doorstop", "bounce", "bouncy", "comedy",
              "cartoon", "twang", "jaw harp"),
    rate_words=(("slow-wobbling",), ("fast-wobbling",)), rate_doc="the swing rate multiplier (wobble at 2x swing)",
    intensity_words=(("gentle",), ("wild",)), tonal_pitch=True, ringing=True,
    element_roles=("main", "sweetener"), design_roles=("sweetener",),
    role_params={"sweetener": {"ring_s": -0.5}},
    category=None,
    presets={
        "classic_boing": {"twang_hz": -0.1, "wobble": 0.7, "swing_hz": 0.0, "ring_s": 0.0, "space": -0.8,
                          "distance": -0.8, "attack": -1.0},
        "deep_sproing": {"twang_hz": -0.7, "wobble": 0.9, "swing_hz": -0.4, "ring_s": 0.4, "space": -0.8,
                         "distance": -0.8, "attack": -1.0},
        "tiny_twang": {"twang_hz": 0.7, "wobble": 0.2, "swing_hz": 0.6, "ring_s": -0.6, "space": -0.8,
                       "distance": -0.8, "attack": -1.0},
        "long_wobble": {"twang_hz": 0.0, "wobble": 1.0, "swing_hz": -0.2, "ring_s": 0.8, "space": -0.7,
                        "distance": -0.8, "attack": -1.0},
    },
)
