"""ice_crack: ice cracking: a frozen lake's singing cracks, a block splitting, cubes crackling.

A crack is a burst of micro-fractures (:mod:`sfxgen.synth.physics.crumple`: clustered,
power-law clicks) that strikes the ice's modes (:mod:`sfxgen.synth.physics.modal` ``ice``:
glass-like but more damped). On a floating ice **sheet** the crack's energy runs off as
flexural waves, which are dispersive (group speed ~ sqrt(f)): at a distance the highs arrive
first and the lows last, so each crack is heard as a descending "pew" chirp whose frequency
falls as f(t) ~ (d / (c t))**2, the eerie laser-like song of frozen lakes. A **block** splits
with a sharp crack and its pieces tinkle down; **cubes** in a drink crackle and pop as they
warm, with the occasional clink of a cube against the glass.

Common slots: ``rate`` how quickly cracks follow each other (1.0 = one every ~0.4 s);
``intensity`` their force; ``size`` the sheet/block (lower, longer chirps); ``pitch`` and
``brightness`` tune and tilt; ``decay`` the ice's ring.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics import crumple, modal

KINDS = ("sheet", "block", "cubes")


def cracks_of(ph: Physical) -> int:
    return int(round(FAMILY.params[1].value(ph.aux[1])))


def _special(ph: Physical, duration_s: float | None):
    kind = FAMILY.params[0].choice(ph.aux[0])
    words = {"sheet": (["frozen lake"], ["on a frozen lake", "as lake ice"]),
             "block": (["block of"], ["as a block splits"]),
             "cubes": (["crackling"], ["as ice cubes crackle in a drink"])}[kind]
    out = [("kind", words[0], words[1], kind)]
    if cracks_of(ph) == 1:
        out.append(("cracks", ["single"], [], "single"))
    return out


def dispersive_chirp(n: int, sr: int, start: int, *, f_hi: float, f_lo: float, length_s: float) -> np.ndarray:
    """A flexural-wave arrival (n,): frequency falling as 1/t**2 from ``f_hi`` to ``f_lo`` over
    ``length_s`` after sample ``start`` (phase in closed form: the integral of A/t**2), with an
    amplitude that fades as the lows arrive weaker."""
    out = np.zeros(n)
    L = min(int(length_s * sr), n - start)
    if L <= 4:
        return out
    # f(t) = A / (t + t0)**2 with f(0) = f_hi and f(length) = f_lo
    r = np.sqrt(f_hi / f_lo)
    t0 = length_s / (r - 1.0)
    a = f_hi * t0 * t0
    tt = np.arange(L) / sr
    phase = a * (1.0 / t0 - 1.0 / (tt + t0))  # cycles
    env = np.exp(-3.0 * tt / length_s) * np.minimum(tt / 0.002, 1.0)
    out[start:start + L] = P.sin_cycles(phase) * env
    return out


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    kind = FAMILY.params[0].choice(ph.aux[0])
    cracks = cracks_of(ph)
    chirp, crackle, shatter = (FAMILY.params[i].value(ph.aux[i]) for i in range(2, 5))
    dur = n / sr
    t = np.arange(n) / sr
    force = 0.4 + 0.8 * ph.intensity
    sc = ph.pitch_ratio * 2.0 ** (-1.2 * (ph.size - 0.5))
    ring = modal.ring_factor(ph.decay_s)
    spacing = (0.4 if kind != "cubes" else 0.25) / ph.rate
    chirp_len = (0.15 + 0.5 * ph.size) * (0.4 + chirp) if kind == "sheet" else 0.0
    tail = max(chirp_len, 0.3) + (0.5 * shatter if kind == "block" else 0.0)
    starts, k = crumple.gesture_starts(rng, cracks, period_s=spacing, length_s=0.05, dur_s=dur, tail_s=tail)
    starts = starts + rng.uniform(0, 0.3, cracks) * spacing * k * (np.arange(cracks) > 0)
    chirp_len *= k
    g = force * rng.uniform(0.5, 1.0, cracks)
    g[0] = force
    on = (starts * sr).astype(np.int64)
    # micro-fracture bursts at each crack (and a crackle in between for cubes)
    burst = 0.004 + 0.01 * ph.size
    rate = crumple.gesture_rate(n, sr, starts, np.full(cracks, 2.5 * burst), g * 3000.0)
    if kind == "cubes" or crackle > 0.05:
        wander = 1.0 + 0.6 * B.smooth_random(rng, n, sr, 4.0)
        rate += (20.0 + 200.0 * crackle) * force * wander * (t < starts[-1] + 0.2 * k)
    ev = crumple.event_times(rng, n, sr, np.maximum(rate, 0.0), cap=int(3000 * min(dur, 8.0)) + 40, cluster=1.0,
                             cluster_ms=2.0)
    y = np.zeros((2, n))
    if ev.size:
        e = crumple.power_law(rng, ev.size, exponent=1.5, lo=1.0, hi=400.0)
        y = crumple.clicks(rng, n, sr, ev, e, f_lo=2000.0 * sc, f_hi=16000.0 * min(sc, 1.3), ring_s=0.0012,
                           tick_mix=0.5, pans=np.clip(rng.normal(0, 0.3, ev.size), -1, 1), spread=0.45)
        y /= P.peak_abs(y) + 1e-12
    # the ice body ringing at each crack
    f1 = {"sheet": 180.0, "block": 420.0, "cubes": 2400.0}[kind] * sc
    body = modal.body("ice", f1, modal.plate_ratios(24, 1.3) if kind != "cubes" else modal.chunk_ratios(rng, 8, 1.0),
                      rng=rng, tilt=-0.4 + 0.4 * ph.brightness, detune=0.03, decay_scale=0.4 * ring)
    rung = modal.strikes(n, sr, body, on, g, rng=rng, hardness=0.9, detune=0.06)
    y += crumple.pan(0.35 * rung / (P.peak_abs(rung) + 1e-12), 0.0)
    if kind == "sheet" and chirp > 0.02:  # dispersive flexural arrivals: the lake's "pew"
        ch = np.zeros(n)
        for i0, gi in zip(on, g):  # one arrival (and a fainter second path) per crack
            lag = int(rng.uniform(0.005, 0.03) * sr)
            ch += gi * dispersive_chirp(n, sr, i0 + lag, f_hi=6000.0 * sc, f_lo=120.0 * sc, length_s=chirp_len)
            ch += 0.4 * gi * dispersive_chirp(n, sr, i0 + 2 * lag + int(0.02 * sr), f_hi=4000.0 * sc, f_lo=100.0 * sc,
                                              length_s=1.3 * chirp_len)
        y += crumple.pan(1.2 * chirp * ch / (P.peak_abs(ch) + 1e-12), -0.15) + crumple.pan(
            0.8 * chirp * ch / (P.peak_abs(ch) + 1e-12), 0.2)
    if kind == "block" and shatter > 0.05:  # pieces breaking off and tinkling down
        m = 3 + int(10 * shatter)
        tp = starts[0] + (0.05 + 0.4 * rng.random(m) ** 1.5) * k
        shard = modal.body("ice", 1800.0 * sc, modal.chunk_ratios(rng, 8, 1.0), rng=rng, decay_scale=0.5 * ring)
        pp = np.clip(rng.normal(0, 0.5, m), -1, 1)
        gp = force * rng.uniform(0.15, 0.6, m)
        sh = crumple.pan_buses(n, pp, lambda sel: modal.strikes(n, sr, shard, (tp[sel] * sr).astype(np.int64), gp[sel],
                                                                rng=rng, hardness=0.9, detune=0.3), spread=0.5)
        y += 0.7 * sh / (P.peak_abs(sh) + 1e-12)
    if kind == "cubes":  # a cube knocking the glass now and then
        m = 1 + int(2 * rng.random())
        tg = np.sort(rng.uniform(0.1, 0.9, m)) * (dur * 0.8)
        glass = modal.body("glass", 1300.0 * ph.pitch_ratio, modal.plate_ratios(10, 1.0), rng=rng, decay_scale=0.5 * ring)
        cl = modal.strikes(n, sr, glass, (tg * sr).astype(np.int64), rng.uniform(0.3, 0.7, m), rng=rng, hardness=0.9)
        y += crumple.pan(0.4 * cl / (P.peak_abs(cl) + 1e-12), 0.1)
    y = modal.radiate(y, sr, brightness=0.3 + 0.4 * ph.brightness, low_cut_hz=60.0, order=4)
    return B.finish(modal.fade_tail(y, sr))


FAMILY = Family(
    name="ice_crack",
    ucs="ICEBrk",
    noun="ice cracking",
    kind="oneshot",
    render=render,
    params=(
        Param("kind", doc="What cracks: a floating ice sheet (a frozen lake: cracks that sing as descending "
              "chirps), a block of ice (a sharp split, pieces falling) or ice cubes in a drink (crackle and pops)",
              choices=KINDS),
        Param("cracks", doc="How many cracks: 1 .. 6", unit="count", lo=1.0, hi=6.0),
        Param("chirp", doc="Sheet only: how strongly the cracks sing as dispersive 'pew' chirps: 0 none .. 1 "
              "long, clear chirps", high_words=("singing", "pinging")),
        Param("crackle", doc="Fine crackling of micro-fractures between the cracks: 0 none .. 1 dense",
              high_words=("crackling",)),
        Param("shatter", doc="Block only: pieces breaking off and tinkling down: 0 none .. 1 many",
              high_words=("with shards tinkling",), where="post"),
    ),
    default_duration_s=2.0,
    nouns=(("ice cracking", 0), ("ice crack", 1), ("cracking ice", 0)),
    scenes=("{adj} ice cracking{post}", "a {adj} crack running through ice{post}", "the sound of {adj} ice breaking{post}"),
    tags=("ice", "crack", "cold", "winter", "break"),
    keywords=("ice", "ice crack", "cracking ice", "frozen lake", "lake ice", "ice breaking", "ice cubes",
              "ice block", "glacier", "frozen"),
    rate_words=(("slow",), ("rapid",)),
    rate_doc="1.0 = a crack every ~0.4 s",
    intensity_words=(("faint", "gentle"), ("loud", "violent")),
    special_words=_special,
    element_roles=("main", "material"),
    design_roles=("transient", "sweetener"),
    role_params={"transient": {"kind": "block", "cracks": -1.0, "shatter": -1.0, "space": -1.0}},
    category="destruction",
    presets={
        "frozen lake": {"kind": "sheet", "cracks": -0.2, "chirp": 0.8, "crackle": -0.6, "size": 0.5, "space": 0.5,
                        "rate": -0.5},
        "ice block split": {"kind": "block", "cracks": -1.0, "chirp": -1.0, "crackle": -0.4, "shatter": 0.5},
        "ice cubes in a drink": {"kind": "cubes", "cracks": 0.2, "crackle": 0.4, "size": -0.8, "intensity": -0.4},
        "thin ice under foot": {"kind": "sheet", "cracks": -0.6, "chirp": 0.2, "crackle": 0.4, "size": -0.2,
                                "rate": 0.6},
    },
)
