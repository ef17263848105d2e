"""Teleport: a body dematerialising (or materialising) -- a phasing sweep and an air pop.

The sci-fi convention, built from physical pieces: a **sweep** of a harmonic-rich tone and
noise through a comb filter whose delay glides (a flanger: two copies of the same sound a
varying few milliseconds apart, the interference notches sliding through the spectrum), rising
as the body dissolves out or falling as it forms in; a **shimmer** of bright particles riding
the sweep; and the **pop** at the moment the volume is vacated (air rushing into the hole: a
short implosion pulse and a puff of turbulent noise) or filled (a soft displacement thump).
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.families.magic_spell import sparkles
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import aero
from sfxgen.synth.physics.motion import pan_stereo

DIRECTION = Param("direction", "Beaming out (sweep up, pop at the end) or in (pop first, sweep down "
                  "as it forms).", choices=("in", "out"),
                  choice_words=(("out", ("teleporting away", "beaming out")), ("in", ("materialising", "beaming in"))))
SWEEP = Param("sweep_s", "Length of the sweep (the rate slot divides it).", "s", 0.2, 2.5, "log", low_words=("quick",), high_words=("slow",))
PHASING = Param("phasing", "Depth of the flanging comb (0 plain sweep .. 1 deep jet-like phasing).", "", 0.0, 1.0,
                low_words=(), high_words=("phasing", "flanging"))
SHIMMER = Param("shimmer", "Bright particle shimmer riding the sweep.", "", 0.0, 1.0,
                low_words=(), high_words=("shimmering", "sparkling"))
POP = Param("pop", "Level of the air pop (implosion or displacement).", "", 0.0, 1.0,
            low_words=(), high_words=("with a pop", "popping"), where="post")


def flange(x: np.ndarray, sr: int, delay_s: np.ndarray, depth: float) -> np.ndarray:
    """``x + depth * x(t - delay(t))`` with a time-varying delay (n,) read by linear
    interpolation: the comb's notches slide as the delay glides."""
    n = x.shape[-1]
    pos = np.arange(n) - np.asarray(delay_s) * sr
    return x + depth * P.interp_uniform(np.maximum(pos, 0.0), x)


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    T = n / sr
    t = P.time_s(n, sr)
    out_dir = DIRECTION.choice(ph.a(0)) == "out"
    sweep = min(SWEEP.value(ph.a(1)) / ph.rate, 0.7 * T)
    t0 = 0.02 if out_dir else min(0.12, 0.1 * T)
    x = np.clip((t - t0) / sweep, 0.0, 1.0)
    prog = x if out_dir else 1.0 - x
    inside = (t >= t0) & (t <= t0 + sweep)
    f = 120.0 * ph.pitch_ratio * 2 ** (-0.6 * (ph.size - 0.5)) * 2.0 ** (3.0 * prog)
    tone = P.saw(f, n, sr) + 0.6 * P.saw(f * 1.5 * 1.003, n, sr)
    noise = P.shaped_noise(rng, n, sr, lambda fr, tt: aero.peak_spectrum(fr, 900.0, rise=1.0, fall=1.2))
    src = tone / (P.rms(tone) + 1e-12) + 0.5 * noise / (P.rms(noise) + 1e-12)
    depth = PHASING.value(ph.a(2))
    delay = 0.0002 + 0.006 * (0.5 + 0.5 * P.sin_cycles(0.8 * t / max(sweep, 0.1))) * (1.0 - 0.7 * prog)
    y = flange(src, sr, delay, 0.3 + 0.65 * depth)
    env = np.sin(np.pi * x) ** 0.7 * inside
    env = env * (0.4 + 0.6 * (x if out_dir else 1.0 - x))  # the swell towards the pop (out) / from it (in)
    y = P.lowpass(y, sr, 1500.0 + 8000.0 * ph.brightness) * env
    st = pan_stereo(y, 0.0)
    shimmer = SHIMMER.value(ph.a(3))
    if shimmer > 0.02:
        sp = sparkles(rng, n, sr, (20.0 + 400.0 * shimmer) * env, (2500.0, 9000.0), None, ph.pitch_ratio, env)
        st += 0.4 * shimmer * sp / (np.sqrt(np.mean(sp ** 2)) + 1e-12) * np.sqrt(np.mean(st ** 2))
    pop = POP.value(ph.a(4))
    if pop > 0.02:
        t_pop = t0 + sweep if out_dir else t0
        i0 = min(int(t_pop * sr), n - 1)
        L = min(int(0.3 * sr), n - i0)
        tp = np.arange(L) / sr
        w = 0.004 if out_dir else 0.012  # an implosion is sharper than a displacement
        pulse = -(tp / w) * np.exp(1.0 - tp / w) + 0.4 * np.exp(-tp / (3 * w))
        puff = P.bandpass(P.white(rng, L), sr, 1200.0, q=0.6) * np.exp(-tp / 0.05)
        p = P.highpass(pulse + 0.5 * puff, sr, 40.0)
        st[:, i0:i0 + L] += pan_stereo(1.5 * pop * p / (P.peak_abs(p) + 1e-12) * P.peak_abs(st[0]), 0.0)
    return P.highpass_tilt(st, sr, 30.0, 0.3 + 0.4 * ph.brightness, order=4)


FAMILY = Family(
    name="teleport", ucs="SCIEnrg", noun="teleport", kind="oneshot", render=render,
    params=(DIRECTION, SWEEP, PHASING, SHIMMER, POP), default_duration_s=2.0,
    nouns=(("teleport", 1), ("teleportation", 1), ("beam-out", 1), ("transporter beam", 1), ("warp", 1)),
    scenes=("a {adj} teleport{post}", "someone {adj} teleporting{post}", "a {adj} sci-fi transporter beam{post}"),
    tags=("teleport", "sci-fi", "warp", "sweep", "phasing", "magic"),
    keywords=("teleport", "teleporting", "teleportation", "beam me up", "transporter", "beam out", "beam in",
              "warp", "blink", "vanish", "materialize", "dematerialize", "portal"),
    rate_words=(("slow",), ("quick", "instant")), rate_doc="the sweep time divided by rate",
    intensity_words=None,
    element_roles=("main", "sweetener"), design_roles=("sweetener",),
    category="magic",
    presets={
        "beam_out": {"direction": "out", "sweep_s": 0.0, "phasing": 0.6, "shimmer": 0.4, "pop": 0.2,
                     "space": -0.5, "distance": -0.7, "attack": -1.0},
        "beam_in": {"direction": "in", "sweep_s": 0.0, "phasing": 0.6, "shimmer": 0.4, "pop": -0.2,
                    "space": -0.5, "distance": -0.7, "attack": -1.0},
        "quick_blink": {"direction": "out", "sweep_s": -0.8, "phasing": 0.0, "shimmer": -0.5, "pop": 0.8,
                        "space": -0.6, "distance": -0.7, "attack": -1.0},
        "slow_transporter": {"direction": "out", "sweep_s": 0.7, "phasing": 0.9, "shimmer": 0.9, "pop": -0.6,
                             "space": -0.3, "distance": -0.7, "attack": -1.0},
    },
)
