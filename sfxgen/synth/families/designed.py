"""Designed (trailer / sci-fi / UI-scale) sounds: whoosh, riser, downer, sub drop, laser,
energy hum and spaceship drone.

These are the classic sound-design recipes: noise through a moving resonant band (whoosh),
stacked detuned oscillators and Shepard glissandi under a crescendo (riser), pitch-falling
sines with saturation (sub drop, downer), fast FM sweeps (laser), mains-like harmonic buzz with
drift (hum) and slowly beating detuned stacks over rumble (drone).
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.family import Physical


def _pan(x: np.ndarray, pos: np.ndarray | float) -> np.ndarray:
    """Equal-power pan of mono ``x`` (n,); ``pos`` in [-1, 1] (scalar or (n,)) -> (2, n)."""
    c = (np.asarray(pos) + 1.0) / 8.0  # the pan angle (pos + 1) pi / 4 in cycles
    return np.stack([x * P.sin_cycles(c + 0.25), x * P.sin_cycles(c)])


def _norm(x: np.ndarray) -> np.ndarray:
    return x / (P.peak_abs(x) + 1e-12)


# ----------------------------------------------------------------------------- whoosh
def whoosh(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """An object swishing past: noise through a resonant band that rises then falls in centre
    frequency (and pitch, by Doppler) while the level swells and dies; pans across the field.

    aux: sweep (how far the band moves), tonal (airy band -> whistling resonance), doppler
    (pitch drop as it passes), flutter (blade/cloth amplitude flutter). Size lowers the band and
    lengthens the pass; rate is the speed.
    """
    sr = sample_rate
    sweep, tonal, doppler, flutter = ph.aux[:4]
    T = n / sr
    L = min(0.92 * T, (0.3 + 1.1 * ph.size) / ph.rate * (0.7 + 0.15 * np.log2(ph.decay_s / 0.03 + 1) / 3))
    tp = 0.5 * L * (0.8 + 0.4 * rng.uniform())
    f_mid = 1400.0 * (0.25 ** ph.size) * ph.pitch_ratio * (0.6 + 0.8 * ph.brightness)
    q = 0.8 + 10.0 * tonal ** 2

    def gain(f, t):
        x = (t - tp) / max(tp, 1e-3)
        up = np.exp(-0.5 * (np.minimum(x, 0) / 0.45) ** 2)
        down = np.exp(-np.maximum(x, 0) * (2.0 + 2.0 / max(L - tp, 0.05)))
        env = np.where(x < 0, up, down)
        dop = 2.0 ** (doppler * 0.5 * np.tanh(-3 * x))  # higher approaching, lower receding
        fc = f_mid * (1.0 + 1.5 * sweep * env) * dop
        return env * P.band_gain(f, fc, q) * (1.0 + 0.3 * (np.maximum(f, 20.0) / 3000.0) ** (ph.brightness - 0.5))

    y = P.shaped_noise(rng, n, sr, gain)
    if tonal > 0.3:  # whistle: a sine riding the band centre
        t = P.time_s(n, sr)
        x = (t - tp) / max(tp, 1e-3)
        env = np.where(x < 0, np.exp(-0.5 * (np.minimum(x, 0) / 0.45) ** 2), np.exp(-np.maximum(x, 0) * 3.0))
        fc = f_mid * (1.0 + 1.5 * sweep * env) * np.exp2(doppler * 0.5 * np.tanh(-3 * x))
        y = _norm(y) + 0.5 * (tonal - 0.3) * env * P.sine(fc, n, sr)
    if flutter > 0.05:
        t = P.time_s(n, sr)
        fr = (8.0 + 30.0 * flutter) * ph.rate
        y = y * (1.0 - 0.8 * flutter * (0.5 + 0.5 * P.sin_cycles(fr * t + P.smooth_random(rng, n, sr, 3.0) / (2 * np.pi))))
    y = P.saturate(_norm(y), 0.3 * ph.intensity)
    t = P.time_s(n, sr)
    side = 1 if rng.uniform() < 0.5 else -1
    return _pan(y, side * np.tanh(2.5 * (t - tp) / max(L, 0.05)))


# ----------------------------------------------------------------------------- riser / downer
def _shepard(n: int, sr: int, f_lo: float, oct_per_s: float, *, k: int = 6) -> np.ndarray:
    """Shepard-Risset glissando: k octave-spaced sines rising ``oct_per_s`` under a sin² bell.

    Each component's frequency f_lo·2^pos rises exponentially, so its phase has the closed form
    f_lo·2^pos / (r·ln 2); where it wraps from the top octave to the bottom its bell amplitude
    is exactly 0, so the phase reset is silent.
    """
    t = P.time_s(n, sr)
    r = max(oct_per_s, 1e-3)
    out = np.zeros(n)
    rt = r * t
    for j in range(k):  # k vector ops
        u = (rt + j) / k
        u -= np.floor(u)  # pos / k, pos = (j + r t) mod k
        bell = P.sin_cycles(0.5 * u)
        bell *= bell
        bell *= P.sin_cycles(f_lo / (r * np.log(2.0)) * np.exp2(k * u))
        out += bell
    return out


def riser(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Tension riser: detuned saw stack gliding up 1-2 octaves (or an endless Shepard rise), a
    noise wash whose filter opens, tremolo accelerating into the end; builds to the last frame.

    aux: noise_mix, tension (detune + accelerating tremolo), shepard (glissando illusion).
    """
    sr = sample_rate
    noise_mix, tension, shep = ph.aux[:3]
    T = n / sr
    t = P.time_s(n, sr)
    prog = np.clip(t / (0.97 * T), 0, 1)
    shape = prog ** (1.0 + 1.5 * (1 - ph.rate / 4))  # slow builds stay low longer
    f0 = 110.0 * ph.pitch_ratio * 2.0 ** (-1.5 * ph.size)
    octs = 1.0 + 1.5 * ph.intensity
    f = f0 * np.exp2(octs * shape)
    det = 0.002 + 0.02 * tension
    stack = sum(P.saw(f * (1 + det * d), n, sr, phase0=rng.uniform()) for d in (-1.0, -0.4, 0.3, 1.0))
    stack = stack + 0.5 * P.saw(2 * f * (1 + det * 0.5), n, sr)
    open_ = 0.5 + ph.brightness
    ton = P.stft_shape(stack, sr, lambda fr, tt: 1.0 / (1.0 + (fr / (300.0 * 2.0 ** (5.0 * open_ * np.clip(tt / (0.97 * T), 0, 1) ** 1.5))) ** 4))
    if shep > 0.05:
        sh = _shepard(n, sr, 55.0 * ph.pitch_ratio, (1.0 + 3.0 * ph.rate) * 2.0 / max(T, 1e-3))
        ton = (1 - shep) * _norm(ton) + shep * _norm(sh)
    nz = P.shaped_noise(rng, n, sr, lambda fr, tt: P.band_gain(fr, 500.0 * 2.0 ** (4.5 * np.clip(tt / T, 0, 1) ** 1.5), 0.7))
    y = (1 - 0.8 * noise_mix) * _norm(ton) + (0.15 + 0.85 * noise_mix) * _norm(nz)
    trem_rate = (2.0 + 14.0 * shape) * (0.5 + tension)
    trem = 1.0 - 0.6 * tension * (0.5 + 0.5 * P.sin_cycles(np.cumsum(trem_rate) / sr))
    env = 0.05 + 0.95 * shape ** 1.5
    return (y * env * trem)[None, :]


def downer(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Power-down / downer: a detuned oscillator stack falling 1-3 octaves with a closing filter
    and fading level, plus a noise exhale.

    aux: noise_mix, curve (0 linear glide .. 1 fast early drop).
    """
    sr = sample_rate
    noise_mix, curve = ph.aux[:2]
    T = n / sr
    u_dec = float(np.log(ph.decay_s / 0.03) / np.log(8.0 / 0.03))  # the decay slot, 0..1
    L = float(np.clip(T * (0.35 + 0.6 * u_dec) / ph.rate ** 0.5, min(0.25, 0.9 * T), 0.9 * T))
    f_start = 440.0 * ph.pitch_ratio * 2.0 ** (-1.5 * ph.size)
    f = P.glide(n, sr, f_start, f_start / 2.0 ** (1.0 + 2.0 * ph.intensity), time_s_=L, curve=5.0 * curve - 2.0)
    osc = P.saw(f, n, sr) + P.saw(f * 1.007, n, sr) + 0.6 * P.sine(f * 0.5, n, sr)
    g = np.clip(f / f_start, 0, 1)
    def closing(fr, tt):  # 1 / (1 + (f / fc(t))**4), the (bins x frames) part in float32
        inv_fc = (1.0 / (200.0 + 6000.0 * ph.brightness * np.interp(tt, P.time_s(n, sr)[::256], g[::256]))).astype(np.float32)
        x = fr.astype(np.float32) * inv_fc
        x *= x
        x *= x
        x += np.float32(1.0)
        return np.reciprocal(x, out=x)

    osc = P.stft_shape(osc, sr, closing)
    nz = P.bandpass(P.pink(rng, n), sr, 1200.0 * ph.pitch_ratio ** 0.5, q=0.6)
    # level holds through most of the fall, then dies with it (the fall is what you hear)
    env = P.ad_env(n, sr, attack_s=0.005, decay_s=L * 2.5, curve=2.0) * np.clip((1.1 * L - P.time_s(n, sr)) / (0.3 * L), 0, 1)
    y = ((1 - 0.8 * noise_mix) * _norm(osc) + noise_mix * _norm(nz) * P.decay_env(n, sr, 0.5 * L)) * env
    return y[None, :]


# ----------------------------------------------------------------------------- sub drop
def sub_drop(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Trailer sub drop / boom: a sine falling from the low-mids into the sub range with a long
    decay, a transient click on top and saturation harmonics so small speakers hear it.

    aux: sweep_depth (octaves fallen), click, distortion.
    """
    sr = sample_rate
    depth, click, dist = ph.aux[:3]
    f_end = 38.0 * ph.pitch_ratio * 2.0 ** (-0.5 * ph.size) * (1 + 0.04 * rng.uniform(-1, 1))
    f_start = f_end * 2.0 ** ((0.5 + 2.5 * depth) * (1 + 0.1 * rng.uniform(-1, 1)))
    dec = max(0.3, ph.decay_s * (0.6 + 0.8 * ph.size)) * (1 + 0.1 * rng.uniform(-1, 1))
    f = P.glide(n, sr, f_start, f_end, time_s_=(0.15 + 0.6 * ph.size / ph.rate) * rng.uniform(0.85, 1.15), curve=5.0)
    env = P.ad_env(n, sr, attack_s=0.003, decay_s=dec, curve=4.0)
    body = P.sine(f, n, sr, phase0=rng.uniform()) * env
    body = P.saturate(body, 0.1 + 0.6 * dist * (0.5 + ph.intensity))
    rum = P.brown_lowpass(rng, n, sr, corner_hz=20.0, cutoff_hz=2.5 * f_end) * env
    body = _norm(body) + 0.25 * _norm(rum)
    ck = P.highpass(P.white(rng, n) * P.decay_env(n, sr, 0.01 + 0.02 * (1 - ph.brightness)), sr, 1500.0)
    ck = ck + 0.6 * P.sine(f * 2, n, sr) * P.decay_env(n, sr, 0.03)
    y = _norm(body) + (0.05 + 0.5 * click) * _norm(ck)
    return y[None, :]


# ----------------------------------------------------------------------------- laser
def laser(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Sci-fi laser zap: a clear exponential downward chirp (0.06-0.45 s) of an FM/pulse tone;
    1-5 repeats.

    aux: sweep (octaves the pitch falls), fm_depth (metallic FM sidebands), repeats.
    """
    sr = sample_rate
    sweep, fm_depth, reps = ph.aux[:3]
    T = n / sr
    count = 1 + int(round(4 * reps))
    gap = 0.12 / ph.rate
    # each shot is a clear downward chirp of 0.06-0.4 s: a tone whose pitch falls 0.5-3.5
    # octaves, FM only adding a few harmonic (integer/half ratio) sidebands
    shot = min(0.95 * T / count, max(0.06, (0.15 + 0.3 * ph.size) * (ph.decay_s / 0.5) ** 0.2))
    f_hi = 2800.0 * ph.pitch_ratio * 2.0 ** (-1.5 * ph.size)
    L = int(shot * sr)
    f = P.glide(L, sr, f_hi, f_hi / 2.0 ** (0.5 + 3.0 * sweep), curve=1.0)
    ratio = 1.0 + 0.5 * np.round(2.0 * fm_depth * rng.uniform())
    tone = P.fm(f, L, sr, ratio=ratio, index=2.5 * fm_depth * P.decay_env(L, sr, shot))
    tone = (1 - 0.5 * ph.brightness ** 2) * tone + 0.5 * ph.brightness ** 2 * P.square(f, L, sr, duty=0.3)
    tone *= P.ad_env(L, sr, attack_s=0.002, decay_s=shot * 2.0, curve=3.0)
    fade = min(int(0.006 * sr), L // 2)
    tone[L - fade:] *= np.linspace(1.0, 0.0, fade)  # no click where the shot is cut
    onsets = (np.arange(count) * min(gap + shot * 0.6, T / count) * sr).astype(np.int64)
    y = P.place(n, onsets[onsets < n], tone, rng.uniform(0.7, 1.0, np.sum(onsets < n)))
    y = P.saturate(y, 0.1 + 0.4 * ph.intensity)
    return y[None, :]


# ----------------------------------------------------------------------------- energy hum
def energy_hum(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Energy field / power hum: a mains-like buzz (odd-rich harmonic series), a high coil
    whine, an airy band, pulsing level and unstable drift with occasional crackle.

    aux: pulse (throb depth), harmonics (dull hum .. bright buzz), instability (drift, crackle).
    """
    sr = sample_rate
    pulse, harm, inst = ph.aux[:3]
    f0 = 100.0 * ph.pitch_ratio * 2.0 ** (-1.0 * ph.size)
    drift = 1.0 + 0.01 * inst * P.smooth_random(rng, n, sr, 1.5) + 0.003 * inst * P.smooth_random(rng, n, sr, 12.0)
    f = f0 * drift
    K = 24
    k = np.arange(1, K + 1)
    amps = k ** -(2.0 - 1.6 * harm) * np.where(k % 2 == 1, 1.0, 0.35 + 0.5 * harm)
    buzz = P.harmonic_osc(f, n, sr, amps)
    whine = P.sine(f * (12 + int(8 * ph.brightness)), n, sr) * (0.6 + 0.4 * P.smooth_random(rng, n, sr, 0.7))
    air = P.bandpass(P.white(rng, n), sr, 2500.0 + 3000.0 * ph.brightness, q=1.5)
    y = _norm(buzz) + 0.08 * (0.3 + ph.brightness) * whine + 0.1 * _norm(air) * (0.3 + ph.intensity)
    t = P.time_s(n, sr)
    pr = (1.0 + 5.0 * ph.intensity) * ph.rate
    y = y * (1.0 - 0.7 * pulse * (0.5 + 0.5 * P.sin_cycles(pr * t)))
    if inst > 0.2:
        on = P.poisson_onsets(rng, 15.0 * inst * ph.rate, n, sr)
        cr = P.place(n, on, P.noise_grains(rng, on.size, sr, length_s=0.01, t60_s=0.004), rng.uniform(0.5, 1.5, on.size))
        y = y + 0.6 * inst * P.highpass(cr, sr, 2000.0)
    y = P.saturate(y, 0.15 + 0.4 * ph.intensity)
    return y[None, :]


# ----------------------------------------------------------------------------- spaceship drone
def spaceship_drone(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Spaceship interior/flyby drone: detuned saw stacks (different per side, so it is wide)
    through a slowly breathing low-pass, a tonal engine whine with beating, and deep rumble.

    aux: engine_tone (whine level), modulation (filter and amplitude motion), rumble.
    """
    sr = sample_rate
    tone, mod, rumble = ph.aux[:3]
    f0 = 55.0 * ph.pitch_ratio * 2.0 ** (-1.0 * ph.size)
    lfo = P.smooth_random(rng, n, sr, 0.3 * ph.rate)
    out = []
    for c in range(2):  # each side its own detuned stack -> a naturally wide drone
        det = 1.0 + np.array([-0.011, -0.004, 0.006]) * (1 + rng.uniform(-0.3, 0.3, 3))
        out.append(sum(P.saw(f0 * d, n, sr, phase0=rng.uniform()) for d in det) + 0.7 * P.saw(f0 * 1.5 * det[1], n, sr))
    st = np.stack(out)
    # breathing low-pass: crossfade a darker and a brighter copy by the slow LFO (cheap, smooth)
    base_cut = 250.0 + 2500.0 * ph.brightness
    dark = P.lowpass(st, sr, base_cut * 2.0 ** (-1.5 * mod), order=2)
    bright = P.lowpass(st, sr, base_cut * 2.0 ** (1.5 * mod), order=2)
    mix = 0.5 + 0.5 * np.tanh(1.2 * lfo)
    st = dark * (1 - mix) + bright * mix
    whine_f = f0 * (8.0 + 4.0 * rng.uniform())
    whine = P.sine(whine_f, n, sr) + P.sine(whine_f * 1.004, n, sr) + 0.3 * P.sine(whine_f * 2.01, n, sr)
    rum = P.brown_lowpass(rng, n, sr, corner_hz=15.0, cutoff_hz=90.0 + 60.0 * ph.intensity)
    y = _norm(st) + (0.05 + 0.3 * tone) * _norm(whine)[None, :] + (0.1 + 0.9 * rumble) * _norm(rum)[None, :]
    y = y * (1.0 - 0.35 * mod * (0.5 + 0.5 * np.tanh(lfo)))[None, :]
    return P.saturate(y, 0.1 + 0.3 * ph.intensity)


RENDERERS = {
    "whoosh": whoosh,
    "riser": riser,
    "downer": downer,
    "sub_drop": sub_drop,
    "laser": laser,
    "energy_hum": energy_hum,
    "spaceship_drone": spaceship_drone,
}
