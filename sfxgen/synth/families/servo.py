"""Servo: a small electric motor moving a robot joint.

A motor whine whose pitch follows speed, gear-mesh sidebands and a buzz, spinning up, holding and
spinning down in 1-4 moves, each ending in a mechanical stop click. Size lowers the motor; rate
shortens the moves.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import norm_peak, count_of
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 2.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Servo / small motor move: whine rising with speed, gear mesh, stop clicks.

    aux: gear_whine (gear-tooth harmonic level), load (strain: lower pitch, more buzz),
    stops (number of moves 1-4).
    """
    sr = sample_rate
    gear, load, stops = ph.aux[:3]
    T = n / sr
    moves = count_of(stops, 1, 4)
    seg = 0.92 * T / moves
    move_len = seg * np.clip(0.35 + 0.4 * rng.uniform(size=moves), 0.2, 0.8) / np.sqrt(ph.rate)
    starts = np.arange(moves) * seg + rng.uniform(0, 0.1, moves) * seg
    t = P.time_s(n, sr)
    ramp = min(0.04 + 0.1 * ph.size, 0.3)
    speed = np.zeros(n)
    for s0, L in zip(starts, move_len):  # a handful of moves, each vectorised over its span
        i0, i1 = np.searchsorted(t, [s0, s0 + L], side="right")  # 0 outside (t - s0 <= 0, s0 + L - t <= 0)
        i0 = max(int(i0) - 1, 0)
        i1 = int(i1)
        tt = t[i0:i1]
        up = np.clip((tt - s0) / ramp, 0, 1)
        down = np.clip((s0 + L - tt) / ramp, 0, 1)
        speed[i0:i1] = np.maximum(speed[i0:i1], np.minimum(up, down) * rng.uniform(0.8, 1.0))
    f_motor = 180.0 * ph.pitch_ratio * 2.0 ** (-1.2 * ph.size) * (1.0 - 0.35 * load) * (0.7 + 0.6 * ph.intensity)
    f = f_motor * (0.15 + 0.85 * speed) * (1 + 0.01 * load * P.smooth_random(rng, n, sr, 20.0))
    teeth = 7 + int(rng.integers(0, 6))
    whine = P.harmonic_osc(f, n, sr, [1.0, 0.5, 0.3, 0.2, 0.12])
    mesh = P.fm(f * teeth, n, sr, ratio=1.0 / teeth, index=0.8 + 2 * load)
    buzz = P.bandpass(P.square(f * 2, n, sr, duty=0.2), sr, 2000.0 + 3000.0 * ph.brightness, q=1.0)
    y = (norm_peak(whine) + (0.1 + 0.7 * gear) * norm_peak(mesh) + (0.1 + 0.5 * load) * norm_peak(buzz)) * (speed * np.sqrt(speed))
    clicks = np.concatenate([starts, starts + move_len])
    on = (clicks[clicks < T] * sr).astype(np.int64)
    ck = P.ping_grains(sr, np.array([2200.0, 3900.0, 6100.0]) * (1.2 - 0.4 * ph.size), 0.015, length_s=0.03).sum(axis=0)
    y = y + 0.6 * P.place(n, on, ck, rng.uniform(0.5, 1.0, on.size))
    return P.tilt(y, sr, ph.brightness)[None, :]


def _words(ph: Physical, duration_s: float | None) -> list:
    """Move-count words, read as the renderer counts moves."""
    moves = count_of(ph.a(2), 1, 4)
    if moves == 1:
        return [("stops", ["single-move"], ["in one move"], "single")]
    if moves >= 3:
        return [("stops", ["stop-start", "stepping"], ["in several moves", "moving in steps"], "steps")]
    return []


FAMILY = Family(
    name="servo", ucs="MOTRSrvo", noun="servo motor", kind="oneshot",
    render=render,
    params=(
        Param("gear_whine", unit="%", lo=0.0, hi=100.0,
              doc="Level of the gear-tooth mesh whine: faint .. whining.",
              high_words=("whining", "gear-whining")),
        Param("load", unit="%", lo=0.0, hi=100.0,
              doc="Strain on the motor: free (higher, clean) .. labouring (35 % lower, buzzier, wavering).",
              high_words=("strained", "labouring")),
        Param("stops", unit="moves", lo=1, hi=4,
              doc="Number of moves (each a spin-up, hold, spin-down and stop click)."),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("servo motor", 1), ("servo", 1), ("robotic servo", 1), ("motor whir", 1)),
    scenes=(
        "a {adj} robot arm servo moving{post}",
        "a {adj} small electric motor whirring{post}",
        "a {adj} mechanical servo whir{post}",
    ),
    tags=("servo", "motor", "robot", "mechanical"),
    keywords=("servo", "robot", "robotic arm", "motor", "whir", "actuator", "mechanical arm", "servo motor",
              "robot movement"),
    rate_doc="moves last 0.35-0.75 x their share / rate^0.5",
    tonal_pitch=True,
    special_words=_words,
    element_roles=("main", "mechanism"),
    design_roles=(),
    category=None,
    presets={
        "robot_arm": {"stops": -0.3, "gear_whine": 0.3},
        "stepping_servo": {"stops": 1.0, "rate": 0.3},
        "heavy_actuator": {"size": 0.6, "load": 0.8},
    },
)
