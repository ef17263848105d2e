"""Explosion: a blast with boom, rumble, debris and fire.

A broadband blast and crack, a low noise boom with a short falling sub thump, the fireball's
roar, a long swelling rumble, debris (pieces of random pitch and gritty ticks scattered left
and right) and crackling fire; no sustained tones. Bigger blasts are lower and longer.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import onsets, norm_peak
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 5.0


def _stereo_scatter(rng, n: int, onsets: np.ndarray, grain: np.ndarray, gains: np.ndarray) -> np.ndarray:
    """Place grains at onsets with random equal-power pan -> (2, n)."""
    pan = rng.uniform(0, 1, onsets.size)
    if onsets.size * grain.size < 4 * n:  # few short grains: scatter directly
        return np.stack([P.place(n, onsets, grain, gains * np.sqrt(pan)),
                         P.place(n, onsets, grain, gains * np.sqrt(1 - pan))])
    trains = np.stack([P.impulses(n, onsets, gains * np.sqrt(pan)), P.impulses(n, onsets, gains * np.sqrt(1 - pan))])
    return signal.oaconvolve(trains, grain[None, :], axes=-1)[:, :n]


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Explosion: broadband blast + crack + low noise boom + short sub thump + long swelling
    rumble + debris (pieces of random pitch) + fire; no sustained tones.

    aux: debris (density of falling pieces), crack (initial transient), rumble (tail length and
    level), fire (crackling flames after the blast). Size: bigger blasts are lower and longer.
    """
    sr = sample_rate
    debris, crack, rumble, fire = ph.aux[:4]
    T = n / sr
    big = ph.size
    low = 2.0 ** (-1.2 * big) * ph.pitch_ratio  # bigger blasts: everything lower and longer
    # blast: the shock front, a broadband noise burst (no tones anywhere: all layers are noise
    # except a short sub thump)
    blast = P.white(rng, n) * P.ad_env(n, sr, attack_s=0.0005, decay_s=0.05 + 0.6 * big, curve=5.0)
    blast = P.lowpass(blast, sr, (1500.0 + 8000.0 * ph.brightness) * low, order=2)
    crk = P.highpass(P.white(rng, n), sr, 2000.0) * P.ad_env(n, sr, attack_s=0.0002, decay_s=0.01 + 0.04 * crack)
    # boom: low-passed brown noise with a fast attack and a long decay
    boom_dec = 0.3 + 2.2 * big + 0.15 * ph.decay_s
    boom = P.brown_lowpass(rng, n, sr, corner_hz=40.0, cutoff_hz=max((120.0 + 160.0 * ph.brightness) * low, 60.0),
                           floor_hz=28.0)
    boom = boom * P.ad_env(n, sr, attack_s=0.004, decay_s=boom_dec, curve=4.0)
    # body: the broadband roar of the fireball (low-mid noise), decaying with the boom
    body = P.bandpass(P.white(rng, n), sr, (350.0 + 300.0 * ph.brightness) * low, q=0.6)
    body = body * P.ad_env(n, sr, attack_s=0.003, decay_s=0.7 * boom_dec, curve=4.0)
    # sub thump: a falling sine that dies within a second (the chest hit, not a held tone)
    f_sub = max(55.0 * low, 32.0)  # (the thump falls to f_sub: under ~30 Hz it is inaudible)
    thump = P.sine(P.glide(n, sr, f_sub * 2.0, f_sub, time_s_=0.12 + 0.2 * big, curve=4.0), n, sr)
    thump = thump * P.ad_env(n, sr, attack_s=0.003, decay_s=0.25 + 0.6 * big, curve=4.0)
    # rumble: a low, swelling tail that ends with the boom's echoes (real explosion files fall
    # from -20 to -40 dB in a fifth of their length: T60 up to ~4 s, was ~7 s)
    rum_len = (0.8 + 2.0 * rumble) * (0.6 + 0.8 * big) + 0.2 * ph.decay_s
    swell = np.clip(1.0 + 0.6 * P.smooth_random(rng, n, sr, 1.5), 0.15, None)
    rum = P.brown_lowpass(rng, n, sr, corner_hz=40.0, cutoff_hz=max((80.0 + 220.0 * ph.brightness) * low, 50.0),
                          floor_hz=28.0)
    rum = rum * P.ad_env(n, sr, attack_s=0.08 + 0.15 * big, decay_s=rum_len, curve=2.0) * swell
    # a small blast (firecracker, grenade) is mostly crack and blast; a big one mostly boom
    y = (0.8 * norm_peak(blast) + (0.15 + 0.7 * crack) * norm_peak(crk) + (0.3 + 0.7 * big) * norm_peak(boom)
         + (0.3 + 0.6 * big) * norm_peak(body) + (0.15 + 0.45 * big) * norm_peak(thump) + (0.3 + 0.6 * rumble) * (0.3 + 0.7 * big) * norm_peak(rum))
    y = P.saturate(y, 0.1 + 0.35 * ph.intensity)
    out = np.stack([y, y])
    if debris > 0.05:
        # debris: every piece its own pitch and ring (random pings) plus gritty noise ticks, so
        # the rain of rubble never forms a steady tone
        dd = (0.3 + 2.0 * debris) * (0.4 + 1.2 * big)
        rate = (30.0 + 250.0 * debris) * P.ad_env(n, sr, attack_s=0.15, decay_s=dd, start_s=0.05)
        on = P.poisson_onsets(rng, rate, n, sr)[:3000]
        g = rng.uniform(0.05, 1.0, on.size) ** 2
        half = on.size // 2
        fr = np.exp(rng.uniform(np.log(500.0), np.log(5000.0), on.size - half)) * (1.3 - 0.6 * big)
        rocks = P.ping_grains(sr, fr, rng.uniform(0.01, 0.05, fr.size), length_s=0.05,
                              phases=rng.uniform(0, 2 * np.pi, fr.size))
        pan = rng.uniform(0, 1, on.size)
        tick = P.noise_grains(rng, half, sr, length_s=0.02, t60_s=0.008)
        d_st = np.stack([P.place(n, on[:half], tick, g[:half] * np.sqrt(pan[:half])),
                         P.place(n, on[:half], tick, g[:half] * np.sqrt(1 - pan[:half]))])
        d_st = P.bandpass(d_st, sr, 2500.0 * (1.2 - 0.5 * big), q=0.6)
        d_st += np.stack([P.place(n, on[half:], rocks, g[half:] * np.sqrt(pan[half:])),
                          P.place(n, on[half:], rocks, g[half:] * np.sqrt(1 - pan[half:]))])
        out += (0.1 + 0.3 * debris) * d_st / (P.peak_abs(d_st) + 1e-12)
    if fire > 0.05:
        # the fireball burns out in 1-4 s (T60), not over the whole clip
        f_len = min(T, 1.0 + 2.0 * fire + big)
        rate = (10.0 + 60.0 * fire) * P.ad_env(n, sr, attack_s=0.3, decay_s=f_len, start_s=0.2)
        on = P.poisson_onsets(rng, rate, n, sr)
        pop = P.highpass(P.noise_grains(rng, 1, sr, length_s=0.01, t60_s=0.003)[0], sr, 1500.0)
        fc = _stereo_scatter(rng, n, on, pop, rng.uniform(0.1, 1.0, on.size) ** 3)
        roar = P.lowpass(P.pink(rng, n), sr, 600.0) * P.ad_env(n, sr, attack_s=0.4, decay_s=f_len, start_s=0.1)
        out += fire * (0.2 * fc / (P.peak_abs(fc) + 1e-12) + 0.15 * norm_peak(roar)[None, :])
    return out


FAMILY = Family(
    name="explosion", ucs="EXPLReal", noun="explosion", kind="oneshot",
    render=render,
    params=(
        Param("debris", unit="%", lo=0.0, hi=100.0,
              doc="Density of falling pieces after the blast (30-280 per second; above 5 %).",
              high_words=("with falling debris", "with debris raining down"), where="post"),
        Param("crack", unit="%", lo=0.0, hi=100.0,
              doc="The initial crack transient: faint .. sharp."),
        Param("rumble", unit="%", lo=0.0, hi=100.0,
              doc="Length and level of the rumbling tail: short .. long, rolling.",
              high_words=("with a long rumble", "with a rolling rumble"), where="post"),
        Param("fire", unit="%", lo=0.0, hi=100.0,
              doc="Crackling flames and roar after the blast (above 5 %): none .. a burning fireball.",
              high_words=("with fiery flames", "with a burning fireball"), where="post"),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("explosion", 1), ("blast", 1), ("detonation", 1), ("explosive boom", 1)),
    scenes=(
        "a {adj} explosion going off{post}",
        "a {adj} bomb detonating{post}",
        "a {adj} blast{post}",
    ),
    tags=("explosion", "blast", "boom"),
    keywords=("explosion", "blast", "bomb", "detonation", "grenade", "explode", "kaboom", "dynamite",
              "explosive"),
    element_roles=("main",),
    design_roles=(),
    category="explosion",
    presets={
        "grenade": {"size": -0.3, "crack": 0.7, "debris": 0.3},
        "big_bomb": {"size": 0.8, "rumble": 0.8, "debris": 0.6},
        "fireball": {"fire": 0.9, "rumble": 0.4},
        "distant_blast": {"distance": 0.7, "space": 0.3},
    },
)
