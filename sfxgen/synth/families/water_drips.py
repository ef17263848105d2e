"""Water drips: drops falling into water from one or a few leaks.

Each drip is an impact tick and a Minnaert bubble whose pitch rises as it settles; a ringing
vessel or pool under the drips can resonate with them. Rate is drips per second (1.5/s at the
default, shared between the sources).
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import bandpass, modes, sine_grains, noise_grains, convolve, finish
from sfxgen.synth.physics.bubbles import minnaert_tau_s
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 4.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Water drips. aux: drop_size (bigger drops: lower plink, more body), resonance (dull
    drips .. ringing drips in a pipe/bowl/cave pool), regularity (0 several random drips .. 1 one
    metronomic leaking tap). ``rate`` is drips per second (about 1.5/s at the default)."""
    sr = sample_rate
    dsz, res, reg = ph.aux[0], ph.aux[1], ph.aux[2]
    dur = n / sr
    n_src = 1 + int(round((1 - reg) * 3))
    pr = ph.pitch_ratio * 2.0 ** (-1.2 * (ph.size - 0.5))
    per_src = 1.5 * ph.rate / n_src * (1.0 + 0.5 * ph.intensity)
    times, srcs = [], []
    for s in range(n_src):
        period = 1.0 / per_src * rng.uniform(0.7, 1.4)
        k = int(dur / period) + 2
        jit = (1 - reg) * rng.exponential(1.0, k) + reg * 1.0
        iv = period * jit / (jit.mean() if k > 1 else 1.0)
        iv = iv * (1 + 0.03 * (1 - reg) * rng.normal(0, 1, k))
        ts = rng.uniform(0.02, min(period, 0.4)) + np.concatenate([[0.0], np.cumsum(iv[:-1])])
        ts = ts[ts < dur - 0.01]
        times.append(ts)
        srcs.append(np.full(ts.size, s))
    t = np.concatenate(times)
    src = np.concatenate(srcs)
    E = len(t)
    if E == 0:
        t = np.array([0.02]); src = np.array([0]); E = 1
    base_f = 1300.0 * pr * 2.0 ** (-1.6 * dsz) * np.exp(rng.normal(0, 0.25, n_src))
    f0 = base_f[src] * np.exp(rng.normal(0, 0.04, E))
    tau = minnaert_tau_s(f0) * (0.6 + 2.0 * res) * (0.7 + 0.6 * ph.size) * (ph.decay_s / 0.5) ** 0.3
    amp = (0.6 + 0.4 * rng.uniform(0, 1, E)) * (0.5 + 0.5 * ph.intensity)
    src_pan = rng.uniform(-0.7, 0.7, n_src)
    pans = src_pan[src]
    starts = (t * sr).astype(np.int64)
    plink = sine_grains(n, sr, starts + int(0.003 * sr), f0, tau, amp, pans, rise=0.35 + 0.3 * (1 - dsz))
    tick = noise_grains(rng, n, sr, starts, np.full(E, 0.0006 + 0.001 * dsz), amp * (0.5 + ph.intensity), pans)
    tick = bandpass(tick, 800 * pr, 9000 * pr, sr, 1)
    y = plink + 0.4 * tick
    if res > 0.05:
        # the vessel or pool under the drip rings with it
        ir = modes(base_f.mean() * np.array([0.5, 0.77, 1.31, 2.02]), np.full(4, 0.02 + 0.3 * res ** 2) * (0.5 + ph.size),
                      [1.0, 0.6, 0.4, 0.25], sr, 2.0)
        y = y + res * 0.03 * convolve(y, ir)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


FAMILY = Family(
    name="water_drips", ucs="WATRDrip", noun="water drips", kind="texture",
    render=render,
    params=(
        Param("drop_size", unit="%", lo=0.0, hi=100.0,
              doc="Size of the drops: tiny (high plink) .. big (lower, more body).",
              low_words=("small-drop", "tiny-drop"), high_words=("big-drop", "heavy-drop")),
        Param("resonance", unit="%", lo=0.0, hi=100.0,
              doc="Dull drips .. ringing drips in a pipe, bowl or cave pool.",
              high_words=("resonant", "plinky")),
        Param("regularity", unit="%", lo=0.0, hi=100.0,
              doc="Several random drips (up to 4 sources) .. one metronomic leaking tap.",
              low_words=("irregular", "random"), high_words=("regular", "steady")),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("water drips", 0), ("dripping water", 0), ("drips", 0), ("water droplets", 0)),
    scenes=(
        "{adj} water dripping{post}",
        "{adj} drops of water falling{post}",
        "a {adj} leaking tap dripping{post}",
    ),
    tags=("water", "drip", "drops"),
    keywords=("drip", "dripping", "drops", "leak", "leaking tap", "faucet", "cave drips", "drip drop",
              "droplets"),
    rate_doc="1.5 drips/s at rate 1 (x rate, shared by the sources)",
    rate_words=(("slow",), ("fast", "rapid")),
    element_roles=("main",),
    design_roles=(),
    category="water",
    presets={
        "leaky_tap": {"regularity": 1.0, "resonance": 0.3},
        "cave_drips": {"resonance": 0.8, "space": 0.6, "regularity": -0.8},
        "big_drops": {"drop_size": 0.8},
    },
)
