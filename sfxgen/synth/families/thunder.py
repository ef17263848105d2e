"""Thunder: a ripping crackle and clap, then rolling rumble.

The near channel of the bolt gives a dense crackle and a clap (may be bright); several
low-passed noise swells then arrive from ever farther parts of the channel (darker, later),
dominant below 1-2 kHz. A longer channel (size) sounds lower and longer.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import count_of
from sfxgen.synth.family import Family, Param, Physical

DEFAULT_DURATION_S = 6.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Thunder: a ripping crackle and clap (the near channel of the bolt, may be bright) followed
    by rolling rumble -- several low-passed noise swells arriving from ever farther parts of the
    channel, dominant below 1-2 kHz.

    aux: crack (near-strike ripping crackle), rumble (tail weight and length), rolls (how many
    separate rolls).
    """
    sr = sample_rate
    crack, rumble, rolls = ph.aux[:3]
    T = n / sr
    low = 2.0 ** (-1.5 * ph.size)  # a longer/higher channel sounds lower and longer
    # crackle: dense burst of clicks over 50-300 ms, then the first big clap
    c_len = 0.05 + 0.25 * crack
    mc = min(n, int(np.ceil(c_len * sr)))  # samples with time < c_len
    while mc > 0 and (mc - 1) / sr >= c_len:
        mc -= 1
    while mc < n and mc / sr < c_len:
        mc += 1
    rate = np.zeros(n)
    rate[:mc] = 3000.0 * crack + 200.0
    on = P.poisson_onsets(rng, rate, n, sr)
    # the crackle and the clap are filtered over their envelopes' non-zero spans only (each
    # envelope is exactly 0 from -150 dB on; the filters' ring-out after that is below -150 dB)
    m = min(n, int(P.ENV_FLOOR_T60S * c_len * 3 * sr) + 1)
    crk = np.zeros(n)
    crk[:m] = P.highpass(P.impulses(m, on, rng.standard_normal(on.size)) * P.decay_env(m, sr, c_len * 3),
                         sr, (800.0 + 2500.0 * ph.brightness) * low)
    noise = P.white(rng, n)
    m = min(n, int((c_len * 0.5 + 0.005 + P.ENV_FLOOR_T60S * 0.4) * sr) + 1)
    clap = np.zeros(n)
    clap[:m] = P.lowpass(noise[:m], sr, (1500.0 + 3000.0 * ph.brightness) * low)
    clap[:m] *= P.ad_env(m, sr, attack_s=0.005, decay_s=0.4, start_s=c_len * 0.5)
    # rolls: k swells of low-passed brown noise at increasing delay; later rolls come from
    # farther parts of the channel, so they are darker. Rumble stays under ~1-2 kHz: the drive
    # is applied to the rolls alone and its harmonics are low-passed away again.
    k = count_of(rolls, 1, 6)
    span = max(0.3, (1.5 + 4.0 * rumble) * (0.6 + 0.8 * ph.size) * min(1.0, T / 6.0))
    starts = np.sort(rng.uniform(0.05, 0.6, k)) * span
    fc = max((140.0 + 360.0 * ph.brightness) * ph.pitch_ratio * low, 45.0)  # (rolls stay audible)
    near = P.brown_lowpass(rng, n, sr, corner_hz=40.0, cutoff_hz=2.5 * fc, floor_hz=28.0)
    far = P.brown_lowpass(rng, n, sr, corner_hz=40.0, cutoff_hz=fc, floor_hz=28.0)
    env_near, env_far = np.zeros(n), np.zeros(n)
    for i, s0 in enumerate(starts):  # k <= 6 envelope shapes, each added over its non-zero span
        g = rng.uniform(0.4, 1.0)
        a_s = rng.uniform(0.08, 0.4)
        d_s = rng.uniform(0.6, 1.6) * span * 0.6
        e = P.ad_env(n, sr, attack_s=a_s, decay_s=d_s, start_s=s0)
        i0, i1 = min(n, max(int(s0 * sr), 0)), P.ad_env_len(n, sr, attack_s=a_s, decay_s=d_s, start_s=s0)
        w = 1.0 - i / max(k - 1, 1)  # first rolls nearer (brighter), last ones far
        env_near[i0:i1] += (g * w) * e[i0:i1]
        env_far[i0:i1] += (g * (1.0 - 0.5 * w)) * e[i0:i1]
    roll = near * env_near  # (near and far have unit RMS already)
    roll += far * env_far
    wob = P.smooth_random(rng, n, sr, 6.0)
    wob *= 0.3
    wob += 1.0
    roll *= wob
    roll = P.lowpass(P.saturate(roll, 0.2 + 0.4 * ph.intensity), sr, min(6.0 * fc, 2000.0), order=2)
    y = roll
    y *= (0.5 + 0.5 * rumble) / (P.peak_abs(roll) + 1e-12)
    y += crk * ((0.1 + 0.9 * crack) / (P.peak_abs(crk) + 1e-12))
    y += clap * ((0.2 + 0.6 * crack) / (P.peak_abs(clap) + 1e-12))
    # multipath: the two ears hear slightly different rolls
    d = min(int(0.011 * sr), n)
    other = 0.3 * y[: n - d]  # the other ear: 11 ms later
    out = np.empty((2, n))
    out[:, :d] = y[:d]
    np.add(y[d:], other, out=out[0, d:])
    np.subtract(y[d:], other, out=out[1, d:])
    return out


FAMILY = Family(
    name="thunder", ucs="THUN", noun="thunder", kind="oneshot",
    render=render,
    params=(
        Param("crack", unit="%", lo=0.0, hi=100.0,
              doc="The near-strike ripping crackle and clap: faint (distant) .. sharp (close strike).",
              high_words=("with a sharp crack", "cracking"), where="post"),
        Param("rumble", unit="%", lo=0.0, hi=100.0,
              doc="Weight and length of the rumbling tail.",
              high_words=("with a long rumble", "rumbling"), where="post"),
        Param("rolls", unit="rolls", lo=1, hi=6,
              doc="Number of separate rolls.",
              high_words=("rolling", "with multiple rolls"), where="post"),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("thunder", 0), ("thunderclap", 1), ("thunder rumble", 1), ("thunderstorm", 1)),
    scenes=(
        "a {adj} thunderclap{post}",
        "{adj} thunder rolling{post}",
        "a {adj} thunder strike in a storm{post}",
    ),
    tags=("thunder", "storm", "weather"),
    keywords=("thunder", "thunderclap", "lightning", "storm", "thunderstorm", "rumble", "thunder roll",
              "lightning strike"),
    element_roles=("main",),
    design_roles=("tail",),
    role_params={
        "tail": {"size": 0.3, "distance": 0.6, "brightness": -0.5},
    },
    category="weather",
    presets={
        "close_strike": {"crack": 0.9, "distance": -0.6},
        "distant_rumble": {"crack": -1.0, "distance": 0.8, "rumble": 0.6},
        "rolling_thunder": {"rolls": 0.9, "rumble": 0.8},
    },
)
