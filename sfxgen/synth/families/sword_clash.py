"""Sword clash: two steel blades striking, ringing and (optionally) scraping along each other.

Each blade is a long thin steel bar held at the hilt (clamped-free Euler-Bernoulli beam): its
flexural modes ``f_n = (beta_n L)^2 / (2 pi L^2) * sqrt(E / rho) * h / sqrt(12)`` crowd the
2-14 kHz band a few hundred hertz apart (edge-on bending of the thin blade), joined by a few
in-plane bending modes of the wide blade; hilt and hand damp every mode, the lower ones less.
Two blades of slightly different length and thickness ring together (the beating "shing").
The strike is a short contact-force pulse (harder edge-on contact is shorter and brighter)
plus a broadband contact click; a scrape is stick-slip friction driving the same modes while
the blades slide apart, decelerating. The two blades sit slightly left and right.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.family import Family, Param, Physical
from sfxgen.synth.physics.motion import pan_stereo

HARD = Param("hardness", "Contact hardness: a soft flat-of-blade parry (1 ms contact, dull) .. a hard "
             "edge-on strike (0.08 ms contact, bright clang).", "", 0.0, 1.0,
             low_words=("dull", "flat-bladed"), high_words=("sharp", "bright"))
RING = Param("ring_s", "Ring time (T60) of the blades' 2 kHz modes; higher modes die sooner. A tight "
             "grip gives a short clank, a loose one a long ring.", "s", 0.06, 2.0, "log",
             low_words=("damped", "short"), high_words=("ringing", "resonant"))
SCRAPE = Param("scrape_s", "Length of the blade-on-blade slide after the hit (0 = a clean strike).",
               "s", 0.0, 0.9, low_words=(), high_words=("with a long scrape", "with blades grinding"),
               where="post")
HITS = Param("hits", "Number of strikes in the exchange, the whole part of this value (1 below "
             "u = 0.5, 2, then 3 from u = 0.79); the common rate slot sets their pace.",
             "count", 1.0, 3.99, "log")

STEEL_C_MPS = 5100.0  # longitudinal wave speed sqrt(E / rho) of steel
_BETA = np.concatenate([[1.875, 4.694, 7.855], (np.arange(4, 60) - 0.5) * np.pi])  # clamped-free beta_n L


def blade_modes(rng, *, length_m: float, thick_m: float, width_m: float, sr: int, fmax_hz: float):
    """Frequencies (Hz) and relative amplitudes of a blade's audible flexural modes (edge-on
    bending of the thin blade plus in-plane bending of the wide one), with +-1.5 % taper jitter."""
    f = []
    a = []
    for h, gain in ((thick_m, 1.0), (width_m, 0.5)):
        fn = _BETA ** 2 / (2 * np.pi * length_m ** 2) * STEEL_C_MPS * h / np.sqrt(12.0)
        keep = (fn > 300.0) & (fn < min(fmax_hz, 0.46 * sr))
        f.append(fn[keep])
        a.append(gain * rng.uniform(0.3, 1.0, int(keep.sum())))
    f = np.concatenate(f)
    return f * (1.0 + 0.015 * rng.uniform(-1, 1, f.size)), np.concatenate(a)


def _blade_ir(rng, sr: int, *, length_m: float, thick_m: float, width_m: float, ring_s: float,
              bright: float, max_len: int, max_t60_s: float) -> np.ndarray:
    f, a = blade_modes(rng, length_m=length_m, thick_m=thick_m, width_m=width_m, sr=sr, fmax_hz=16000.0)
    t60 = np.minimum(ring_s * (f / 2000.0) ** -0.7, max_t60_s)  # (a one-shot dies inside its clip)
    a = a * np.minimum(f / 2500.0, 1.0) ** 1.5 * (f / 2500.0) ** (0.3 + 0.8 * bright)
    L = min(max_len, int(P.ENV_FLOOR_T60S * 0.5 * float(np.max(t60)) * sr) + 1)
    return P.modal_ir(L, sr, f, t60, a, phases=rng.uniform(0, 2 * np.pi, f.size))


def hit_count(ph: Physical) -> int:
    return int(HITS.value(ph.a(3)))


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    sr = sample_rate
    T = n / sr
    hard = HARD.value(ph.a(0))
    ring = RING.value(ph.a(1)) * (0.6 + 0.8 * ph.decay_s ** 0.25 / 8 ** 0.25)
    scrape = SCRAPE.value(ph.a(2))
    k = hit_count(ph)
    length = (0.6 + 0.5 * ph.size) / np.sqrt(ph.pitch_ratio)
    # strike times: the exchange's pace follows rate; everything fits the clip
    gap = 0.32 / ph.rate
    k = max(1, min(k, int(0.6 * T / gap) + 1))
    starts = 0.004 + np.arange(k) * gap * rng.uniform(0.85, 1.15, k)
    starts[0] = 0.004
    room = max(T - starts[-1] - (scrape if scrape > 0.01 else 0.0), 0.05)
    irs = [_blade_ir(rng, sr, length_m=length * s, thick_m=0.0045 * s ** 0.5, width_m=0.04,
                     ring_s=ring, bright=ph.brightness, max_len=n, max_t60_s=0.85 * room)
           for s in (1.0, rng.uniform(0.82, 0.95))]
    contact = max(int(0.001 * (0.08 / 1.0) ** hard * sr), 1)
    force = np.sin(np.pi * (np.arange(contact) + 0.5) / contact)
    force /= force.sum()  # one unit of impulse: a harder (shorter) contact only adds highs
    gains = (0.5 + 0.5 * ph.intensity) * np.concatenate([[1.0], rng.uniform(0.6, 0.95, k - 1)])
    on = (starts * sr).astype(np.int64)
    strike = P.place(n, on, force, gains)
    scr = None
    if scrape > 0.01:
        # the last strike slides off: stick-slip at a rate that falls as the blades slow down
        t = P.time_s(n, sr)
        t_last = starts[-1] + 0.01
        dur = min(scrape, max(T - t_last - 0.05, 0.02))
        v = np.clip(1.0 - (t - t_last) / dur, 0.0, 1.0) * (t >= t_last)
        slips = P.stick_slip(rng, n, sr, velocity=v ** 0.7, pressure=0.4 + 0.4 * ph.intensity * v,
                             base_rate_hz=2500.0, jitter=0.5)
        scr = slips + 0.3 * P.highpass(P.white(rng, n), sr, 3000.0) * v
    click = P.highpass(P.noise_grains(rng, k, sr, length_s=0.004, t60_s=0.003 - 0.002 * hard), sr, 800.0)
    clicks = P.place(n, on, click, gains)
    out = np.zeros((2, n))
    for ir, pan in zip(irs, (-0.25, 0.25)):
        y = P.normalize_peak(P.convolve_head(strike, ir))
        y += (0.3 + 0.5 * hard) * P.normalize_peak(clicks)
        if scr is not None:
            y += (0.25 + 0.2 * ph.intensity) * P.normalize_peak(P.convolve_head(scr, ir))
        out += pan_stereo(y, pan)
    return P.highpass_tilt(out, sr, 30.0, 0.35 + 0.3 * ph.brightness, order=4)


def _special(ph: Physical, duration_s):
    k = hit_count(ph)
    if k == 1:
        return [("hits", ["single"], ["struck once"], "single")]
    return [("hits", [], ["clashing twice" if k == 2 else "clashing three times"], "repeated")]


_CLOSE = {"space": -0.6, "distance": -0.6, "attack": -1.0}

FAMILY = Family(
    name="sword_clash", ucs="WEAPSwrd", noun="sword clash", kind="oneshot", render=render,
    params=(HARD, RING, SCRAPE, HITS), default_duration_s=1.5,
    nouns=(("sword clash", 1), ("blade clang", 1), ("sword hit", 1), ("clash of swords", 1),
           ("steel blade strike", 1)),
    scenes=("two {adj} swords clashing{post}", "a {adj} blade striking another blade{post}",
            "a {adj} sword parry{post}"),
    tags=("sword", "clash", "metal", "blade", "weapon", "clang"),
    keywords=("sword clash", "swords clashing", "sword fight", "parry", "blade clang", "sword hit",
              "clash", "blades", "swordfight", "steel on steel"),
    rate_words=(("slow",), ("rapid", "fast")), rate_doc="strikes 0.32 s apart at rate 1",
    intensity_words=(("light", "glancing"), ("violent", "heavy")),
    ringing=True, special_words=_special,
    element_roles=("main", "material"), design_roles=("transient", "tail"),
    role_params={"transient": {"ring_s": -0.7, "scrape_s": -1.0, "hits": -1.0},
                 "tail": {"ring_s": 0.8, "scrape_s": -1.0}},
    category="weapon",
    presets={k: {**_CLOSE, **v} for k, v in {
        "parry": {"hardness": 0.6, "ring_s": -0.5, "scrape_s": -1.0, "hits": -1.0},
        "ringing_clang": {"hardness": 0.9, "ring_s": 0.4, "scrape_s": -1.0, "hits": -1.0},
        "scrape_off": {"hardness": 0.4, "ring_s": -0.3, "scrape_s": 0.3, "hits": -1.0},
        "exchange": {"hits": 1.0, "ring_s": -0.6, "scrape_s": -1.0, "rate": 0.1},
        "heavy_block": {"hardness": -0.3, "ring_s": -0.6, "size": 0.6, "intensity": 0.6, "hits": -1.0},
    }.items()},
)
