"""Door latch: a lock or latch mechanism clicking.

Sub-millisecond contact bursts (with bounces) exciting a few short-lived modes of the small
parts, re-tuned per click, a short slide of the handle, the panel thunking with the final snap
and a buzzing return spring: a dry click-clack, never a ringing chord. Rate speeds the handle.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import (
    white,
    highpass,
    bandpass,
    modes,
    sine_grains,
    noise_grains,
    convolve,
    finish,
    freq_scale,
    count_of,
    knock,
)
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 1.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Door latch / lock mechanism: metallic click-clack. aux: spring (a short buzzing rattle of
    the return spring after the bolt snaps), clicks (1 .. 4 ratchet clicks before the final
    snap), metal (dull plastic/wood hardware .. bright steel). ``rate`` speeds the handle.

    Every click is a sub-millisecond contact burst exciting a few short-lived (3-25 ms) modes of
    the small parts, re-tuned per click, so the result is a dry click-clack, never a ringing
    chord; ``decay`` lengthens those rings and the spring rattle only a little."""
    sr = sample_rate
    spring, nclick, metal = ph.aux[0], ph.aux[1], ph.aux[2]
    sc = freq_scale(ph, 1.2)
    force = 0.4 + 0.9 * ph.intensity
    ringk = float(np.clip((ph.decay_s / 0.5) ** 0.3, 0.5, 1.8))
    k = count_of(nclick, 1, 4)
    gap = 0.045 / ph.rate * rng.uniform(0.7, 1.3, k)
    tk = 0.01 + np.concatenate([[0.0], np.cumsum(gap[:-1])])
    t_snap = tk[-1] + 0.05 / ph.rate
    # handle travel: a short metal-on-metal slide between the clicks
    t = np.arange(n) / sr
    slide_env = np.clip((t - tk[0]) / (t_snap - tk[0] + 1e-3), 0, 1) * (t < t_snap) * (t > tk[0])
    slide = bandpass(white(rng, n), 1500 * sc, 6000 * sc, sr) * slide_env * 0.03
    tt = np.concatenate([tk, [t_snap]])
    amps = np.concatenate([rng.uniform(0.3, 0.5, k), [1.0]]) * force
    # contact bursts (each click and its bounce 1-2 ms later)
    st = (tt * sr).astype(np.int64)
    bounce = st + (rng.uniform(0.0008, 0.002, tt.size) * sr).astype(np.int64)
    starts = np.concatenate([st, bounce])
    ca = np.concatenate([amps, amps * rng.uniform(0.2, 0.5, tt.size)])
    click = noise_grains(rng, n, sr, starts, np.full(starts.size, 0.00025 + 0.0003 * (1 - metal)), ca)[0]
    click = highpass(click, 1200 * sc, sr, 1)
    # part resonances, each click a slightly different tuning (a different part/contact)
    y = click
    f_m = np.array([2100, 3500, 5200, 7300]) * sc
    f_p = np.array([800, 1400, 2300, 3500]) * sc
    for i in range(tt.size):
        j = rng.uniform(0.93, 1.07, 4)
        ir_m = modes(f_m * j, np.array([0.006, 0.005, 0.004, 0.003]) * (0.5 + 1.5 * metal) * ringk, [1, 0.8, 0.6, 0.4], sr, 0.2)
        ir_p = modes(f_p * j, np.array([0.003, 0.0025, 0.002, 0.0015]) * ringk, [1, 0.8, 0.6, 0.4], sr, 0.1)
        L = max(ir_m.size, ir_p.size)
        ir = metal * np.pad(ir_m, (0, L - ir_m.size)) + (1 - metal) * 1.5 * np.pad(ir_p, (0, L - ir_p.size))
        ex = P.impulses(n, [st[i], bounce[i]], [amps[i], 0.4 * amps[i]])
        y = y + 0.25 * convolve(ex, ir)
    # the door/panel the latch is mounted on thunks with the final snap
    s_snap = int(t_snap * sr)
    y = y + 0.4 * force * knock(rng, n, sr, s_snap, 400.0 * sc, 0.012 * ringk)
    if spring > 0.02:
        # spring rattle: a quick train of tiny ticks (the coil buzzing against its seat),
        # 25-60 ticks/s dying away within 60-250 ms, plus a faint short coil tone
        dur_r = (0.06 + 0.19 * spring) * ringk
        rate_r = rng.uniform(25.0, 60.0) * ph.rate ** 0.3
        m = max(int(dur_r * rate_r), 2)
        tr = t_snap + 0.01 + np.cumsum(rng.uniform(0.7, 1.3, m) / rate_r)
        ra = force * 0.35 * spring * np.exp(-(tr - t_snap) / (0.4 * dur_r)) * rng.uniform(0.5, 1.0, m)
        ticks = noise_grains(rng, n, sr, (tr * sr).astype(np.int64), np.full(m, 0.0004), ra)[0]
        y = y + bandpass(ticks, 2000 * sc, 9000 * sc, sr)
        f_sp = 2600.0 * sc * rng.uniform(0.9, 1.1)
        y = y + spring * force * 0.06 * sine_grains(n, sr, np.array([s_snap]), np.array([f_sp]),
                                                     np.array([0.01 + 0.025 * spring]), np.array([1.0]))[0]
    y = y + slide
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


def _words(ph: Physical, duration_s: float | None) -> list:
    """Ratchet words, read as the renderer counts clicks."""
    if count_of(ph.a(1), 1, 4) >= 3:
        return [("clicks", ["ratcheting"], ["with several ratchet clicks"], "ratchet")]
    return []


FAMILY = Family(
    name="door_latch", ucs="MECHLtch", noun="latch", kind="oneshot",
    render=render,
    params=(
        Param("spring", unit="%", lo=0.0, hi=100.0,
              doc="Return-spring rattle after the bolt snaps (60 .. 250 ms; above 2 %).",
              high_words=("springy", "with a spring twang"), where="post"),
        Param("clicks", unit="clicks", lo=1, hi=4,
              doc="Ratchet clicks before the final snap."),
        Param("metal", unit="%", lo=0.0, hi=100.0,
              doc="Hardware: dull plastic or wood .. bright steel.",
              low_words=("plastic",), high_words=("metal", "metallic")),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("latch", 1), ("door latch", 1), ("latch click", 1), ("lock latch", 1)),
    scenes=(
        "a {adj} door latch clicking{post}",
        "a {adj} latch snapping shut{post}",
        "a {adj} lock latch{post}",
    ),
    tags=("latch", "lock", "door", "mechanical"),
    keywords=("latch", "lock", "door latch", "lock click", "deadbolt", "handle click", "bolt", "unlock",
              "door lock"),
    rate_doc="clicks 45 ms apart at rate 1 (/ rate)",
    special_words=_words,
    element_roles=("main", "mechanism"),
    design_roles=("transient",),
    role_params={
        "transient": {"brightness": 0.6, "space": -1.0},
    },
    category="door",
    presets={
        "door_handle": {"clicks": -0.3, "spring": 0.4},
        "padlock": {"metal": 0.9, "clicks": -1.0},
        "ratchet_lock": {"clicks": 1.0},
    },
)
