"""Switch click: a light switch, button or toggle.

A few milliseconds of broadband contact click (and its bounce) plus a tiny, always short (1-25 ms)
body resonance; optionally the release as a second click and a thunk of a heavy switch (a thud
in the 100 Hz - 1 kHz band, never a sub-bass boom).
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import highpass, modes, noise_grains, convolve, finish, freq_scale, knock
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 0.5


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Switch click: a few milliseconds of broadband contact click plus a tiny body resonance.
    aux: plastic_metal (damped plastic rocker .. brighter, slightly ringing metal toggle), double
    (0 single press .. 1 press and release as two clicks), thunk (low body thump of a heavy
    switch). ``decay`` lengthens the (always short: 1-25 ms) body ring."""
    sr = sample_rate
    pm, dbl, thunk = ph.aux[0], ph.aux[1], ph.aux[2]
    sc = freq_scale(ph, 1.5)
    force = 0.4 + 0.9 * ph.intensity
    ringk = float(np.clip((ph.decay_s / 0.5) ** 0.25, 0.6, 1.6))
    s0 = int(0.003 * sr)
    times = [s0, s0 + int(rng.uniform(0.0006, 0.002) * sr)]  # contact and its bounce
    amps = [force, force * rng.uniform(0.25, 0.5)]
    if dbl > 0.05:
        s1 = s0 + int((0.05 + 0.12 * (1 - dbl)) / ph.rate * sr)
        times += [s1, s1 + int(rng.uniform(0.0005, 0.0015) * sr)]
        amps += [force * (0.4 + 0.5 * dbl), force * 0.15 * dbl]
    st, a = np.array(times, np.int64), np.array(amps)
    click = noise_grains(rng, n, sr, st, np.full(st.size, 0.0002 + 0.0003 * (1 - pm)), a)[0]
    click = highpass(click, 1000 * sc, sr, 1)
    exc = P.impulses(n, st, a)
    fp = np.array([1900, 3300, 5000, 7200]) * sc * rng.uniform(0.94, 1.06, 4)
    fmt = np.array([2900, 4700, 6900, 9800]) * sc * rng.uniform(0.96, 1.04, 4)
    ir_p = modes(fp, np.array([0.0025, 0.002, 0.0015, 0.001]) * ringk, [1, 0.8, 0.6, 0.4], sr, 0.05)
    ir_m = modes(fmt, np.array([0.008, 0.006, 0.005, 0.004]) * ringk, [1, 0.8, 0.7, 0.5], sr, 0.1)
    body = (1 - pm) * convolve(exc, ir_p) + pm * 0.6 * convolve(exc, ir_m)
    y = click + 0.12 * body / (P.peak_abs(body) + 1e-12) * P.peak_abs(click)
    if thunk > 0.02:
        # a switch body thuds (100-300 Hz and up), it never booms, however big and low: low-passed
        # noise alone put half a switch's energy under 120 Hz (real UI recordings: 2.5 % median)
        thud_hz = max(350.0 * sc, 300.0)
        y = y + thunk * force * 0.5 * P.peak_abs(click) * knock(rng, n, sr, s0, thud_hz, 0.008 * ringk,
                                                                  floor_hz=thud_hz / 3.0)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


FAMILY = Family(
    name="switch_click", ucs="MECHSwtch", noun="switch click", kind="oneshot",
    render=render,
    params=(
        Param("plastic_metal", unit="%", lo=0.0, hi=100.0,
              doc="Switch body: a damped plastic rocker .. a brighter, slightly ringing metal toggle.",
              low_words=("plastic",), high_words=("metal",)),
        Param("double", unit="%", lo=0.0, hi=100.0,
              doc="Press only .. press and release as two clicks (closer together at higher values; above 5 %).",
              high_words=("with a double click", "clicked twice"), where="post"),
        Param("thunk", unit="%", lo=0.0, hi=100.0,
              doc="Low body thump of a heavy switch.",
              high_words=("thunky", "heavy-action")),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("switch click", 1), ("switch", 1), ("button click", 1), ("toggle click", 1)),
    scenes=(
        "a {adj} light switch flicked{post}",
        "a {adj} button clicked{post}",
        "a {adj} toggle switch{post}",
    ),
    tags=("switch", "click", "button", "mechanical"),
    keywords=("switch", "click", "button", "toggle", "light switch", "button press", "clicker", "mouse click",
              "press"),
    rate_doc="press-release gap 50-170 ms at rate 1 (/ rate)",
    element_roles=("main", "mechanism"),
    design_roles=("transient",),
    role_params={
        "transient": {"brightness": 0.8, "space": -1.0, "size": -0.5},
    },
    category="ui",
    presets={
        "light_switch": {"plastic_metal": -0.6, "thunk": 0.2},
        "metal_toggle": {"plastic_metal": 1.0},
        "mouse_click": {"size": -0.8, "double": -1.0},
    },
)
