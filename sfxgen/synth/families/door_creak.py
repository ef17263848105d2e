"""Door creak: stick-slip friction in a hinge exciting the door body.

Slip pulses whose rate follows the swing velocity over the pressure (primitives.stick_slip)
drive a wooden panel's damped modes or a metal hinge's ringing ones, with the direct squeak and
a friction rub. Rate is how fast the door swings (shorter, higher when faster).
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import white, bandpass, smooth_random, modes, convolve, finish, freq_scale
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 3.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Door creak: stick-slip friction in the hinge exciting the door body. aux: stick_slip
    (steady squeak .. irregular chattering slips), pressure (light, high squeak .. heavy, low,
    grinding groan), wood_metal (wooden panel body .. metal hinge/gate ringing). ``rate`` is how
    fast the door swings (the creak is shorter and higher when faster)."""
    sr = sample_rate
    irreg, pressure, wm = ph.aux[0], ph.aux[1], ph.aux[2]
    dur = n / sr
    sc = freq_scale(ph, 1.5)
    T = float(np.clip(1.6 / ph.rate ** 0.7, 0.25, dur * 0.9))
    t = np.arange(n) / sr
    prog = np.clip(t / T, 0.0, 1.0)
    vel = np.maximum(P.sin_cycles(0.5 * prog), 0.0) ** 0.6 * (t < T)
    wob = smooth_random(rng, n, sr, 3.0 * ph.rate)
    vel = np.clip(vel * (1.0 + 0.35 * wob), 0.0, None)
    # slips (primitives.stick_slip): rate ~ velocity / (0.25 + pressure), so heavier pressure
    # gives slower, bigger slips (a low groan) and light pressure a fast squeak; stick_slip adds
    # the irregular wander of the slip period
    base = 150.0 * sc * ph.rate ** 0.3
    exc = P.stick_slip(rng, n, sr, velocity=0.35 + 0.9 * vel, pressure=np.full(n, pressure),
                       base_rate_hz=base, jitter=0.02 + 0.3 * irreg ** 2)
    # stick: below a threshold speed the hinge grips; chatter gates the squeak on and off
    gate = smooth_random(rng, n, sr, 6.0 * ph.rate) + 1.1 - 1.1 * irreg
    on = (vel > 0.12) & (gate > 0)
    if not np.any(on[exc != 0]):
        on = vel > 0.05
    exc = exc * on * vel ** 0.7 * np.sqrt(0.2 + ph.intensity)
    # the slip is a sharp release: short decaying pulse; higher pressure = stronger low harmonics
    kern = np.exp(-np.arange(int(0.0015 * sr)) / ((0.0002 + 0.0006 * pressure) * sr))
    exc = convolve(exc, kern)
    # body: wooden door panel (damped, low) vs metal hinge/gate (bright, ringing)
    fw = np.array([96, 157, 231, 330, 452, 640, 890, 1210, 1650, 2240]) * sc * rng.uniform(0.95, 1.05, 10)
    ir_w = modes(fw, np.array([0.06, 0.05, 0.05, 0.04, 0.035, 0.03, 0.025, 0.02, 0.015, 0.01]) * (0.6 + ph.size),
                    np.array([1.0, 0.9, 0.8, 0.8, 0.7, 0.6, 0.5, 0.35, 0.25, 0.15]), sr, 1.0)
    fm = 1150.0 * sc * np.array([1.0, 1.61, 2.27, 2.98, 3.84, 4.71]) * rng.uniform(0.97, 1.03, 6)
    ir_m = modes(fm, np.array([0.25, 0.18, 0.14, 0.1, 0.08, 0.06]) * (0.5 + ph.size), [1.0, 0.7, 0.5, 0.4, 0.3, 0.2], sr, 1.5)
    ir = np.zeros(max(ir_w.size, ir_m.size))
    ir[: ir_w.size] += (1 - wm) * ir_w / (np.abs(ir_w).sum() ** 0.5)
    ir[: ir_m.size] += wm * ir_m / (np.abs(ir_m).sum() ** 0.5)
    body = convolve(exc, ir)
    # direct squeak (the pulse train itself, band-limited) and a smooth friction rub
    squeak = bandpass(exc, 400 * sc, 6000 * sc, sr)
    rub = bandpass(white(rng, n), 200 * sc, 2500 * sc, sr) * vel * (0.05 + 0.2 * pressure)
    ref = max(float(np.std(body)), 1e-3 * float(P.peak_abs(body)), 1e-9)
    y = body + 0.8 * squeak + (0.02 + 0.1 * irreg) * rub * ref / (np.std(rub) + 1e-12)
    y = y * P.ad_env(n, sr, attack_s=0.001, decay_s=T + ph.decay_s, start_s=0.0) ** 0.2
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


FAMILY = Family(
    name="door_creak", ucs="DOORCreak", noun="door creak", kind="oneshot",
    render=render,
    params=(
        Param("stick_slip", unit="%", lo=0.0, hi=100.0,
              doc="Irregularity of the slips: a steady squeak .. juddering, chattering slips.",
              low_words=("smooth", "steady"), high_words=("juddering", "chattering")),
        Param("pressure", unit="%", lo=0.0, hi=100.0,
              doc="Hinge pressure: light (a high, fast squeak) .. heavy (a low groan of slow, big slips).",
              low_words=("squeaky", "squealing"), high_words=("groaning", "grinding")),
        Param("wood_metal", unit="%", lo=0.0, hi=100.0,
              doc="The body the hinge excites: a wooden door panel .. a metal gate ringing.",
              low_words=("wooden",), high_words=("metal", "rusty metal")),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("door creak", 1), ("creaking door", 1), ("creaky hinge", 1), ("squeaky door", 1)),
    scenes=(
        "a {adj} door creaking open{post}",
        "a {adj} creaky door hinge{post}",
        "the creak of a {adj} old door{post}",
    ),
    tags=("door", "creak", "squeak", "hinge"),
    keywords=("creak", "creaking", "creaky door", "squeaky hinge", "squeak", "hinge", "haunted door",
              "creaky", "door opening"),
    rate_doc="a swing of 1.6 s at rate 1 (/ rate^0.7)",
    rate_words=(("slow", "slowly opening"), ("fast", "quickly opening")),
    element_roles=("main", "material"),
    design_roles=(),
    category="door",
    presets={
        "haunted_door": {"rate": -0.5, "pressure": 0.5, "stick_slip": 0.6},
        "squeaky_gate": {"wood_metal": 0.9, "pressure": -0.6},
        "slow_groan": {"pressure": 0.9, "rate": -0.7},
    },
)
