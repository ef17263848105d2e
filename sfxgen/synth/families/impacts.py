"""Struck objects: metal, wood, glass, stone, body punches, bells and breaking glass.

All are excitation + resonator models (Designing Sound ch. "Idiophones"): a contact-force pulse
(:func:`~sfxgen.synth.primitives.mallet`, shorter = harder = brighter) drives a bank of
exponentially decaying modes (:func:`~sfxgen.synth.primitives.modal_ir`). Materials differ in
their mode pattern and damping:

* metal: dense, inharmonic (stiff plate/bar) modes with doublets (beating), long decay, high
  modes decaying only slightly faster (low internal friction);
* wood: few low-Q modes, short decay, high modes damped hard, fibrous noise;
* glass: sparse, high, shell-like modes (n(n²-1)/√(n²+1)), long bright ring, hard tick;
* stone: very dense, heavily damped modes plus grit (noise) and falling debris;
* body: a dull low thud (low-passed noise push, brief pitch drop), a skin slap and cloth
  movement; nothing rings.

Size lowers every mode (∝ 1/size for a scaled object) and lengthens decay; pitch shifts the
modes by ``pitch_ratio``; brightness tilts mode amplitudes; intensity hardens the strike.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.family import Physical


def _size_freq(size: float, small_hz: float, large_hz: float) -> float:
    """Log-interpolated fundamental: ``small_hz`` for a tiny object, ``large_hz`` for a huge one."""
    return float(small_hz * (large_hz / small_hz) ** size)


def _tilt_amps(freqs: np.ndarray, f_ref: float, brightness: float, *, base: float = -0.6,
               span: float = 1.2) -> np.ndarray:
    """Mode amplitude tilt: power-law slope ``base ± span/2`` in frequency by brightness."""
    slope = base + span * (brightness - 0.5)
    return (np.maximum(freqs, 1.0) / f_ref) ** slope


def _hit(ir: np.ndarray, sr: int, hardness: float, mass_ms: float) -> np.ndarray:
    return P.excite(ir, P.mallet(sr, hardness=hardness, mass_ms=mass_ms))


# ----------------------------------------------------------------------------- metal
def impact_metal(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Metal hit: inharmonic plate/bar modes with beating doublets, long ring, optional rattle.

    aux: ring (decay multiplier), hardness (mallet), inharmonicity (bar → plate-like spread),
    damping_hf (how much faster high modes die), rattle (loose-part buzz).
    """
    sr = sample_rate
    ring, hard, inh, damp, rattle = ph.aux[:5]
    f0 = _size_freq(ph.size, 3000.0, 160.0) * ph.pitch_ratio
    M = 28
    k = np.arange(1, M + 1, dtype=np.float64)
    bar = (2 * k + 1) ** 2 / 9.0  # free-free bar ~ (2k+1)² spacing (1, 2.78, 5.44, ...)
    plate = k ** 1.35 * (1 + 0.25 * rng.uniform(-1, 1, M))
    ratios = np.sort((1 - inh) * bar + inh * plate)
    ratios[0] = 1.0
    f = f0 * ratios * (1 + 0.01 * rng.standard_normal(M))
    amps = _tilt_amps(f, f0, ph.brightness, base=0.1, span=1.6) * rng.uniform(0.3, 1.0, M)
    amps[0] = 3.0  # the fundamental is a full-strength mode: it sets the perceived pitch
    t60_0 = ph.decay_s * (0.5 + 2.5 * ring) * (0.6 + 0.8 * ph.size)
    t60 = t60_0 * (f / f0) ** (-(0.02 + 0.5 * damp))
    # doublets: each mode split by 0.05-0.6 % -> slow beating typical of metal shells
    split = 1 + rng.uniform(0.0005, 0.006, M)
    freqs = np.concatenate([f, f * split])
    ir = P.modal_ir(n, sr, freqs, np.concatenate([t60, t60 * 0.9]),
                    np.concatenate([amps, amps * rng.uniform(0.2, 0.8, M)]),
                    phases=rng.uniform(0, 2 * np.pi, 2 * M))
    hardness = np.clip(0.35 * hard + 0.35 * ph.intensity + 0.3 * ph.brightness, 0, 1)
    y = _hit(ir, sr, hardness, mass_ms=0.4 + 1.0 * ph.size)
    y /= P.peak_abs(y) + 1e-12
    # contact click: a short bright noise burst
    tc = 0.004 + 0.004 * (1 - hard)
    m = min(n, int(P.ENV_FLOOR_T60S * tc * sr) + 1)  # decay_env is exactly 0 after m
    click = np.zeros(n)
    click[:m] = P.white(rng, n)[:m] * P.decay_env(m, sr, tc)
    click = P.highpass(click, sr, 2500.0, sparse=True)
    y += (0.05 + 0.25 * hard * ph.intensity) * click / (P.peak_abs(click) + 1e-12)
    if rattle > 0.05:
        on = P.poisson_onsets(rng, 150 + 500 * rattle, n, sr, end_s=min(n / sr, 0.15 + 0.6 * t60_0))
        env = P.decay_env(n, sr, 0.3 + 0.6 * t60_0)
        buzz = P.bandpass(P.impulses(n, on, rng.uniform(0.3, 1.0, on.size)), sr, 2.5 * f0 + 1500.0, q=2.0,
                          sparse=True)
        y += 0.6 * rattle * env * buzz / (P.peak_abs(buzz) + 1e-12)
    if ph.intensity > 0.7:
        y = P.saturate(y, (ph.intensity - 0.7) * 1.2)
    return y[None, :]


# ----------------------------------------------------------------------------- wood
def impact_wood(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Wood knock: a few low-Q plank modes, short decay, fibrous noise and optional crack.

    aux: hollowness (box cavity resonance), hardness, grain (fibre noise), crack (splinter).
    """
    sr = sample_rate
    hollow, hard, grain, crack = ph.aux[:4]
    f0 = _size_freq(ph.size, 1300.0, 110.0) * ph.pitch_ratio
    ratios = np.array([1.0, 2.6, 4.3, 6.6, 9.2, 12.5]) * (1 + 0.05 * rng.uniform(-1, 1, 6))
    f = f0 * ratios
    amps = _tilt_amps(f, f0, ph.brightness, base=-0.3, span=1.8) * rng.uniform(0.5, 1.0, 6)
    t60_0 = np.clip(0.25 * ph.decay_s, 0.03, 0.6) * (0.6 + 0.8 * ph.size)
    t60 = t60_0 * (f / f0) ** -0.8
    if hollow > 0.05:  # Helmholtz-like cavity: lower, longer, rounder
        f = np.append(f, f0 * (0.55 + 0.1 * rng.uniform()))
        t60 = np.append(t60, t60_0 * (1.0 + 1.2 * hollow))
        amps = np.append(amps, 0.8 * hollow)
    ir = P.modal_ir(n, sr, f, t60, amps, phases=rng.uniform(0, 2 * np.pi, f.size))
    hardness = np.clip(0.4 * hard + 0.3 * ph.intensity + 0.3 * ph.brightness, 0, 1)
    y = _hit(ir, sr, hardness, mass_ms=0.3 + 0.8 * ph.size)
    y /= P.peak_abs(y) + 1e-12
    # fibrous body noise: band-passed noise burst through a short decay
    fib = P.bandpass(P.white(rng, n), sr, 500.0 + 3500.0 * ph.brightness ** 1.5, q=0.9)
    fib *= P.decay_env(n, sr, 0.02 + 0.05 * t60_0 / 0.6)
    y += (0.15 + 0.6 * grain) * fib / (P.peak_abs(fib) + 1e-12)
    if crack > 0.05:
        on = np.sort(rng.integers(0, int(0.004 * sr) + 1, 1 + int(6 * crack))) + int(0.0005 * sr)
        snaps = P.place(n, on, P.noise_grains(rng, on.size, sr, length_s=0.012, t60_s=0.006),
                        rng.uniform(0.4, 1.0, on.size))
        snaps = P.highpass(snaps, sr, 1800.0)
        y += 0.9 * crack * snaps / (P.peak_abs(snaps) + 1e-12)
    return y[None, :]


# ----------------------------------------------------------------------------- glass
_SHELL = np.array([n * (n * n - 1) / np.sqrt(n * n + 1) for n in range(2, 14)])
_SHELL = _SHELL / _SHELL[0]  # 1, 2.83, 5.42, 8.77, 12.9, ... (bell/glass shell modes)


def _glass_modes(f0: float, rng, count: int, ring: float, decay_s: float, size: float):
    ratios = _SHELL[:count] * (1 + 0.015 * rng.uniform(-1, 1, count))
    f = f0 * ratios
    t60_0 = min(decay_s * (0.5 + 1.5 * ring) * (0.5 + size), 6.0)  # glass rings, but not for ever
    t60 = t60_0 * (f / f0) ** -0.45
    return f, t60


def impact_glass(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Glass clink: high shell modes with doublets, bright long ring and a hard tick.

    aux: ring (decay), hardness (tick sharpness), thickness (raises modes, shortens ring).
    """
    sr = sample_rate
    ring, hard, thick = ph.aux[:3]
    f0 = _size_freq(ph.size, 2400.0, 420.0) * ph.pitch_ratio * (0.8 + 0.5 * thick)
    f, t60 = _glass_modes(f0, rng, 8, ring * (1.0 - 0.4 * thick), ph.decay_s, ph.size)
    f = f * (1 + 0.04 * rng.uniform(-1, 1, f.size) * (np.arange(f.size) > 0))  # inharmonic shell
    # bright: upper modes as strong as the lowest (a struck glass is a sharp "tink", not a beep)
    amps = _tilt_amps(f, f0, ph.brightness, base=-0.15, span=1.4) * rng.uniform(0.5, 1.0, f.size)
    amps[0] *= 0.8
    split = 1 + rng.uniform(0.0003, 0.0015, f.size)  # faint doublets: a shimmer, not a wobble
    ir = P.modal_ir(n, sr, np.concatenate([f, f * split]), np.concatenate([t60, t60]),
                    np.concatenate([amps, 0.25 * amps]), phases=rng.uniform(0, 2 * np.pi, 2 * f.size))
    y = _hit(ir, sr, np.clip(0.7 + 0.2 * hard + 0.1 * ph.intensity, 0, 1), mass_ms=0.4)
    y /= P.peak_abs(y) + 1e-12
    tick = P.highpass(P.white(rng, n) * P.decay_env(n, sr, 0.0015 + 0.002 * (1 - hard)), sr, 3000.0)
    y += (0.25 + 0.5 * hard) * tick / (P.peak_abs(tick) + 1e-12)
    return y[None, :]


# ----------------------------------------------------------------------------- stone
def impact_stone(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Stone/rock hit: dense heavily damped modes, gritty contact noise, falling debris.

    aux: grit (crushed-surface noise), hardness, debris (pebbles bouncing after the hit).
    """
    sr = sample_rate
    grit, hard, debris = ph.aux[:3]
    f0 = _size_freq(ph.size, 600.0, 45.0) * ph.pitch_ratio
    M = 24
    f = f0 * np.sort(np.exp(rng.uniform(0, np.log(40.0), M)))
    f[0] = f0
    t60_0 = np.clip(0.12 * ph.decay_s, 0.03, 0.35) * (0.6 + 0.8 * ph.size)
    t60 = t60_0 * (f / f0) ** -0.8
    amps = _tilt_amps(f, f0, ph.brightness, base=-0.7) * rng.uniform(0.2, 1.0, M)
    ir = P.modal_ir(n, sr, f, t60, amps, phases=rng.uniform(0, 2 * np.pi, M))
    y = _hit(ir, sr, np.clip(0.4 * hard + 0.4 * ph.intensity + 0.2 * ph.brightness, 0, 1),
             mass_ms=1.5 + 2.0 * ph.size)
    y /= P.peak_abs(y) + 1e-12
    # grit: crunchy noise with a micro-impulse texture
    on = P.poisson_onsets(rng, 4000.0, n, sr, end_s=0.02 + 0.06 * grit)
    crunch = P.impulses(n, on, rng.uniform(-1, 1, on.size)) + 0.3 * P.white(rng, n)
    crunch = P.bandpass(crunch, sr, 1500.0 + 3500.0 * ph.brightness, q=0.7)
    crunch *= P.decay_env(n, sr, 0.03 + 0.08 * grit)
    y += (0.2 + 0.9 * grit) * crunch / (P.peak_abs(crunch) + 1e-12)
    if debris > 0.05:
        dur = 0.3 + 1.0 * debris
        rate = (20.0 + 80.0 * debris) * P.decay_env(n, sr, dur, start_s=0.02) * (P.time_s(n, sr) > 0.02)
        on = P.poisson_onsets(rng, rate, n, sr)
        fr = rng.uniform(1200.0, 5000.0, on.size) * (1.3 - 0.6 * ph.size)
        peb = P.ping_grains(sr, fr, rng.uniform(0.01, 0.04, on.size), length_s=0.04,
                            phases=rng.uniform(0, 2 * np.pi, on.size))
        rubble = P.place(n, on, peb, rng.uniform(0.1, 0.6, on.size) * P.decay_env(n, sr, dur)[on])
        y += 0.5 * debris * rubble / (P.peak_abs(rubble) + 1e-12)
    return y[None, :]


# ----------------------------------------------------------------------------- body
def impact_body(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Punch/body hit: pitched-down low thud (chest/gut resonance), skin slap, cloth swish.

    aux: slap (skin-contact crack), thud (low body weight), cloth (jacket movement).
    """
    sr = sample_rate
    slap, thud, cloth = ph.aux[:3]
    f_body = _size_freq(ph.size, 180.0, 55.0) * ph.pitch_ratio
    # a body is soft and lossy: the thud is a low-passed noise push with only a brief pitched
    # component (T60 <= 0.15 s) and heavily damped cavity modes -- nothing rings
    dec = float(np.clip(0.04 * ph.decay_s, 0.05, 0.15))
    # each enveloped layer is computed over its envelope's non-zero head only (0 after)
    d_push = 0.06 + 0.08 * ph.size + 0.3 * dec
    m = P.ad_env_len(n, sr, attack_s=0.003, decay_s=d_push)
    push = np.zeros(n)
    push[:m] = P.lowpass(P.white(rng, n)[:m], sr, 2.5 * f_body, order=2)
    push[:m] *= P.ad_env(m, sr, attack_s=0.003, decay_s=d_push, curve=4.0)
    m = P.ad_env_len(n, sr, attack_s=0.002, decay_s=dec)
    fi = P.glide(m, sr, f_body * (1.6 + 0.8 * ph.intensity), f_body, time_s_=0.04 + 0.04 * ph.size, curve=4.0)
    tone = np.zeros(n)
    tone[:m] = P.sine(fi, m, sr)
    tone[:m] *= P.ad_env(m, sr, attack_s=0.002, decay_s=dec)
    res = P.modal_ir(n, sr, f_body * np.array([1.9, 3.1, 4.7]) * rng.uniform(0.9, 1.1, 3),
                     np.array([0.05, 0.035, 0.025]), np.array([0.5, 0.3, 0.2]))
    low = _norm_peak(push) + 0.7 * _norm_peak(tone) + 0.4 * _norm_peak(P.excite(res, P.mallet(sr, hardness=0.3, mass_ms=2.0)))
    low /= P.peak_abs(low) + 1e-12
    d_s = 0.015 + 0.03 * (1 - ph.intensity)
    m = P.ad_env_len(n, sr, attack_s=0.0005, decay_s=d_s)
    s = np.zeros(n)
    s[:m] = P.bandpass(P.white(rng, n)[:m], sr, 1800.0 + 3000.0 * ph.brightness, q=0.8)
    s[:m] *= P.ad_env(m, sr, attack_s=0.0005, decay_s=d_s)
    s /= P.peak_abs(s) + 1e-12
    sw = P.bandpass(P.pink(rng, n), sr, 900.0 + 1500.0 * ph.brightness, q=0.6)
    sw *= P.ad_env(n, sr, attack_s=0.03, decay_s=0.12 + 0.25 * cloth, start_s=0.0) \
        + 0.6 * P.ad_env(n, sr, attack_s=0.01, decay_s=0.1, start_s=0.05)
    sw /= P.peak_abs(sw) + 1e-12
    y = (0.5 + 0.9 * thud) * low + (0.15 + 0.8 * slap) * s + 0.25 * cloth * sw
    return P.saturate(y, 0.15 + 0.35 * ph.intensity)[None, :]


def _norm_peak(x: np.ndarray) -> np.ndarray:
    return x / (P.peak_abs(x) + 1e-12)


# ----------------------------------------------------------------------------- bell
_BELL = np.array([0.5, 1.0, 1.183, 1.506, 2.0, 2.514, 2.662, 3.011, 4.166, 5.433, 6.796, 8.215])


def bell_chime(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Bell/chime: church-bell partials (hum, prime, tierce, quint, nominal, ...) with beating
    doublets, hum decaying longest; 1-4 strikes.

    aux: material (0 light thin chime .. 1 heavy bronze), strikes, inharmonicity.
    """
    sr = sample_rate
    mat, strikes, inh = ph.aux[:3]
    f0 = _size_freq(ph.size, 1600.0, 180.0) * ph.pitch_ratio
    M = _BELL.size
    ratios = _BELL * (1 + inh * 0.08 * rng.uniform(-1, 1, M)) * (1 + 0.02 * inh * np.arange(M) / M)
    f = f0 * ratios
    t60_0 = ph.decay_s * (0.6 + 1.4 * mat) * (0.6 + 0.8 * ph.size) * 1.5
    t60 = t60_0 * (f / f0) ** -(0.9 - 0.4 * mat)
    amps = _tilt_amps(f, f0, ph.brightness, base=-0.3 - 0.4 * mat) * rng.uniform(0.5, 1.0, M)
    amps[0] *= 0.5 + mat
    split = 1 + rng.uniform(0.0005, 0.003, M)
    ir = P.modal_ir(n, sr, np.concatenate([f, f * split]), np.concatenate([t60, t60]),
                    np.concatenate([amps, 0.7 * amps]), phases=rng.uniform(0, 2 * np.pi, 2 * M))
    count = 1 + int(round(3 * strikes))
    gap = (0.25 + 0.6 * rng.uniform(size=count)) / ph.rate
    at = np.concatenate([[0.0], np.cumsum(gap[:-1])])
    at = at[at < 0.8 * n / sr]
    vel = np.concatenate([[1.0], rng.uniform(0.45, 0.9, at.size - 1)])
    exc = P.impulses(n, (at * sr).astype(np.int64), vel)
    m = P.mallet(sr, hardness=np.clip(0.4 + 0.4 * ph.intensity + 0.2 * ph.brightness, 0, 1), mass_ms=0.8)
    y = P.excite(ir, np.convolve(exc[: int(at[-1] * sr) + m.size + 1], m))
    return y[None, :]


# ----------------------------------------------------------------------------- shatter
def glass_shatter(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Breaking glass: an impact crash, a burst of shards (short bright pings, density falling
    off exponentially), then sparse tinkles of fragments bouncing. Stereo: shards scatter L/R.

    aux: shards (count), pane_size (bigger pane: lower crash, longer, more pieces), tinkle.
    """
    sr = sample_rate
    shards, pane, tinkle = ph.aux[:3]
    base = _size_freq(0.5 * ph.size + 0.5 * pane, 4500.0, 1500.0) * ph.pitch_ratio
    crash_f, crash_t60 = _glass_modes(base * 0.45, rng, 6, 0.3, 0.4, 0.4)
    crash = P.modal_ir(n, sr, crash_f, crash_t60 * 0.5, 1.0, phases=rng.uniform(0, 6.3, crash_f.size))
    crash = P.excite(crash, P.mallet(sr, hardness=0.9, mass_ms=0.5))
    crash = crash / (P.peak_abs(crash) + 1e-12)
    burst = P.highpass(P.white(rng, n), sr, 2000.0) * P.ad_env(n, sr, attack_s=0.001, decay_s=0.06 + 0.1 * pane)
    burst /= P.peak_abs(burst) + 1e-12
    # shards: a few frequency classes, each an impulse train convolved with one ping
    dur = (0.3 + 0.8 * pane + 0.4 * ph.decay_s / 8.0) / np.sqrt(ph.rate)
    rate = (150.0 + 900.0 * shards) * (0.5 + ph.intensity) * P.decay_env(n, sr, dur)
    trains, pings = [], []
    for c in range(4):  # four pitch classes of shards, each an impulse train (L, R) and a ping
        fc = base * (1.0 + 0.8 * c) * (1.3 - 0.4 * ph.size)
        on = P.poisson_onsets(rng, rate / 4.0, n, sr)
        gains = rng.uniform(0.1, 1.0, on.size) ** 2
        pan = rng.uniform(0, 1, on.size)
        trains.append([P.impulses(n, on, gains * np.sqrt(pan)), P.impulses(n, on, gains * np.sqrt(1 - pan))])
        pings.append(P.ping_grains(sr, np.array([fc, fc * 2.7, fc * 4.9]), np.array([0.06, 0.03, 0.02]) * (0.6 + 0.8 * ph.brightness),
                                   length_s=0.06).sum(axis=0))
    out = P.convolve_sum(np.array(trains), np.array(pings))
    # tinkles: sparse, later, small bright pieces settling
    t_rate = (4.0 + 25.0 * tinkle) * P.ad_env(n, sr, attack_s=0.2 * dur, decay_s=2.5 * dur + 0.5, start_s=0.1)
    on = P.poisson_onsets(rng, t_rate, n, sr)
    if on.size:
        tk = P.ping_grains(sr, rng.uniform(3000, 9000, on.size) * ph.pitch_ratio ** 0.5, rng.uniform(0.03, 0.12, on.size),
                           length_s=0.12, phases=rng.uniform(0, 6.3, on.size))
        pan = rng.uniform(0, 1, on.size)
        g = rng.uniform(0.05, 0.35, on.size) * (0.3 + tinkle)
        out[0] += P.place(n, on, tk, g * np.sqrt(pan))
        out[1] += P.place(n, on, tk, g * np.sqrt(1 - pan))
    pk = P.peak_abs(out) + 1e-12
    body = 0.7 * crash + (0.35 + 0.4 * ph.intensity) * burst
    out = out / pk * (0.6 + 0.4 * shards) + body[None, :]
    return P.tilt(out, sr, ph.brightness)


RENDERERS = {
    "impact_metal": impact_metal,
    "impact_wood": impact_wood,
    "impact_glass": impact_glass,
    "impact_stone": impact_stone,
    "impact_body": impact_body,
    "bell_chime": bell_chime,
    "glass_shatter": glass_shatter,
}
