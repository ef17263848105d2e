"""Tonal, UI, electric and voice families: alarm siren, UI blip, electric sparks, creature growl,
crowd murmur.

Renderers return the DRY source (1, n) or (2, n) float32 at any level; the shared ``render()``
adds attack, distance, space, width and loudness.

* alarm_siren -- band-limited oscillator (sine -> square -> saw, ``waveform``) swept by an LFO
  (``sweep_depth`` octaves, ``rate`` speed: slow wail .. fast yelp), optionally gated into beeps
  (``beeping``), through a horn resonance with drive from ``intensity``.
* ui_blip -- 1..4 notes (``notes``) stepping by a musical ``interval``, ``waveform`` from sine to
  saw, ``glide`` portamento between notes; ``rate`` shortens the notes, ``decay`` their ring.
* electric_sparks -- clustered snaps (``burstiness``), a sizzling arc (``arc``) and mains buzz
  (``buzz``: a 50 Hz-family hum that also modulates the arc).
* creature_growl -- source-filter voice: a glottal pulse train (f0 from ``pitch`` and ``size``,
  jitter) with ``roughness`` (period-doubling subharmonics and amplitude flutter), ``snarl``
  (pressed, driven, bright), aspiration ``breath``, through four formants interpolated along
  ``vowel`` (u, o, a, e, i) and scaled down for bigger creatures (longer vocal tract).
* crowd_murmur -- walla: many babbling voices, each a pulse train with its own pitch contour,
  syllable rhythm, talk spurts and vowel per syllable, shared formant banks per vowel, plus
  consonant noise; ``voices`` sets the head count, ``excitement`` raises pitch, pace and level
  swings, ``room_size`` blurs the crowd into a diffuse bed. Rendered at 16 kHz (speech band) and
  resampled, with fricative air added at the output rate.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import signal

from sfxgen.synth import primitives as P
from sfxgen.synth.families.nature import (
    bandpass,
    convolve,
    finish,
    highpass,
    lowpass,
    noise_grains,
    onsets,
    smooth_random,
    white,
)
from sfxgen.synth.family import Physical

TWO_PI = 2.0 * np.pi

# formant frequencies (Hz) and bandwidths of an adult vowel set, ordered u, o, a, e, i
VOWELS = ("u", "o", "a", "e", "i")
_FORMANTS = np.array([
    [300.0, 870.0, 2240.0, 3300.0],
    [450.0, 800.0, 2830.0, 3500.0],
    [730.0, 1090.0, 2440.0, 3400.0],
    [530.0, 1840.0, 2480.0, 3500.0],
    [270.0, 2290.0, 3010.0, 3700.0],
])
_BANDWIDTHS = np.array([80.0, 100.0, 140.0, 200.0])
_FORMANT_GAINS = np.array([1.0, 0.7, 0.35, 0.2])


def vowel_formants(u: float) -> np.ndarray:
    """Formant frequencies (4,) interpolated along the vowel axis u in [0, 1] (u, o, a, e, i)."""
    x = float(np.clip(u, 0, 1)) * (len(VOWELS) - 1)
    i = min(int(x), len(VOWELS) - 2)
    fr = x - i
    return _FORMANTS[i] * (1 - fr) + _FORMANTS[i + 1] * fr


def _formant_filter(x: np.ndarray, sr: int, freqs: np.ndarray, bw_scale: float = 1.0,
                    gains: np.ndarray = _FORMANT_GAINS) -> np.ndarray:
    """Parallel formant resonators (:func:`primitives.resonator_bank`); bandwidth -> T60."""
    t60 = 6.9 / (np.pi * _BANDWIDTHS * bw_scale)
    return P.resonator_bank(x, sr, np.minimum(freqs, 0.45 * sr), t60, gains)


def _morph_wave(freq_hz: np.ndarray, n: int, sr: int, shape: float) -> np.ndarray:
    """Oscillator morphing sine (0) -> triangle (1/3) -> square (2/3) -> saw (1), band-limited
    square and saw (polyBLEP from primitives); freq may vary per sample."""
    f = np.broadcast_to(np.asarray(freq_hz, float), (n,))
    ph = P.frac(P.phase_of(f, n, sr))  # np.mod(., 1.0), bit for bit
    x = float(np.clip(shape, 0, 1)) * 3
    seg = min(int(x), 2)
    fr = x - seg
    sine = np.sin((TWO_PI * ph).astype(np.float32)).astype(float)
    if seg == 0:
        tri = 1.0 - 4.0 * np.abs(ph - 0.5)
        return (1 - fr) * sine + fr * tri
    sq = P.square(f, n, sr)
    if seg == 1:
        tri = 1.0 - 4.0 * np.abs(ph - 0.5)
        return (1 - fr) * tri + fr * sq
    return (1 - fr) * sq + fr * P.saw(f, n, sr)


# --------------------------------------------------------------------------- alarm siren


def render_alarm_siren(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Siren / alarm. aux: sweep_depth (steady tone .. over an octave of sweep), waveform (sine
    .. square .. saw), beeping (continuous .. hard on/off beeps). ``pitch`` moves the base tone
    (about 720 Hz), ``size`` a bigger, lower horn, ``rate`` the sweep and beep speed, ``decay``
    how long each beep rings, ``intensity`` horn drive."""
    sr = sample_rate
    depth, wave, beep = ph.aux[0], ph.aux[1], ph.aux[2]
    t = np.arange(n) / sr
    f0 = 720.0 * ph.pitch_ratio * 2.0 ** (-1.0 * (ph.size - 0.5))
    lfo_hz = 0.33 * ph.rate
    lfo_ph = lfo_hz * t + rng.uniform(0, 0.15)
    # wail: slow rise, quicker fall (a motor siren spinning up and down)
    saw_ = P.frac(lfo_ph)
    shape = np.where(saw_ < 0.6, P.sin_cycles(saw_ / 2.4) ** 2, P.sin_cycles((saw_ - 0.6) / 1.6 + 0.25) ** 2)
    f = f0 * np.exp2(1.3 * depth * (shape - 0.5))
    y = _morph_wave(f, n, sr, wave)
    if beep > 0.02:
        beep_hz = 2.0 * ph.rate
        bph = P.frac(beep_hz * t)
        on = bph < 0.5
        ring = np.exp(-6.9 * bph / beep_hz / max(ph.decay_s, 0.02))
        edge = P.sin_cycles(0.25 * np.clip(np.minimum(bph, 0.5 - bph) / beep_hz / 0.008, 0, 1)) ** 2
        gate = on * ring * edge
        y = y * ((1 - beep) + beep * gate)
    # horn: a broad resonance around 1-2.5 kHz and a top roll-off, driven by intensity
    horn = 1600.0 * ph.pitch_ratio ** 0.3 * 2.0 ** (-(ph.size - 0.5))
    y = y + 0.8 * P.peak_eq(y, sr, horn, gain_db=6.0, q=1.2) - 0.8 * y
    y = P.saturate(y, 0.15 + 0.5 * ph.intensity)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


# --------------------------------------------------------------------------- UI blip

_INTERVALS = (-12, -7, -5, -3, 2, 3, 4, 5, 7, 12)


def render_ui_blip(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """UI blip / beep. aux: notes (1 .. 4 notes), interval (step between notes, from an octave
    down to an octave up: -12, -7, -5, -3, 2, 3, 4, 5, 7, 12 semitones), waveform (sine ..
    triangle .. square .. saw), glide (portamento between notes; a single note slides up).
    ``pitch``: base note about 880 Hz; ``rate`` faster, shorter notes; ``decay`` note ring."""
    sr = sample_rate
    notes = 1 + int(round(3 * ph.aux[0]))
    step = _INTERVALS[min(int(ph.aux[1] * len(_INTERVALS)), len(_INTERVALS) - 1)]
    wave, glide = ph.aux[2], ph.aux[3]
    dur = n / sr
    # a hand-made UI sound is exact; per seed only a few cents of tuning and 3 % of timing change
    f0 = 880.0 * ph.pitch_ratio * 2.0 ** (-(ph.size - 0.5)) * 2.0 ** (rng.uniform(-3, 3) / 1200)
    d = min(0.09 / ph.rate ** 0.7 * rng.uniform(0.97, 1.03), 0.9 * dur / notes)
    t = np.arange(n) / sr
    k = np.minimum((t / d).astype(np.int64), notes - 1)
    semis = k * step
    if notes == 1:
        semis = 12.0 * glide * np.clip(t / d, 0, 1)
    logf = np.log2(f0) + semis / 12.0
    if glide > 0.02 and notes > 1:
        a = np.exp(-1.0 / (glide * 0.5 * d * sr))
        logf = signal.lfilter([1 - a], [1, -a], logf - logf[0]) + logf[0]
    f = 2.0 ** logf
    y = _morph_wave(f, n, sr, wave)
    t_in = t - k * d
    ring = np.exp(-6.9 * t_in / max(ph.decay_s, 0.02))
    attack = np.clip(t_in / 0.002, 0, 1)
    last = k == notes - 1
    release = np.where(last, 1.0, np.clip((d - t_in) / 0.004, 0, 1))
    env = attack * np.where(last, ring, np.maximum(ring, 0.5)) * release
    y = y * env
    y = P.saturate(y, 0.4 * ph.intensity)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


# --------------------------------------------------------------------------- electric sparks


def render_electric_sparks(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Electric sparks / arcing. aux: arc (dry snaps .. sustained sizzling arc), buzz (mains hum
    and its 100 Hz modulation of the arc), burstiness (even crackle .. violent clustered bursts).
    ``rate`` sets how often sparks fire, ``intensity`` their energy and density, ``decay`` the
    ring of each zap."""
    sr = sample_rate
    arc, buzz, burst = ph.aux[0], ph.aux[1], ph.aux[2]
    dur = n / sr
    pr = ph.pitch_ratio ** 0.5 * 2.0 ** (-2.0 * (ph.size - 0.5))
    force = 0.3 + 0.9 * ph.intensity
    # bursts: cluster centres, each a shower of snaps
    c_rate = (1.5 + 4.0 * ph.intensity) * ph.rate
    kc = max(1, rng.poisson(c_rate * dur))
    ct = np.sort(rng.uniform(0, dur * 0.95, kc))
    ct[0] = min(ct[0], 0.02)
    per = rng.poisson(3 + 40 * burst * force, kc) + 1
    spread = 0.004 + 0.12 * (1 - burst)
    st = np.repeat(ct, per) + rng.exponential(spread, per.sum())
    st = st[st < dur]
    amp = np.minimum(rng.pareto(1.8, st.size), 10) * force + 0.2
    snaps = noise_grains(rng, n, sr, (st * sr).astype(np.int64), rng.uniform(0.00005, 0.0004, st.size) * (0.4 + 1.2 * ph.size), amp)[0]
    snaps = bandpass(snaps, 1500 * pr, 16000 * pr, sr)
    # the zap: each snap rings a short resonant band (the arc column)
    ring = (ph.decay_s / 0.5) ** 0.4
    zap = P.resonator_bank(snaps, sr, np.array([2800.0, 5200.0]) * pr, np.array([0.01, 0.006]) * ring, np.array([0.5, 0.3]))
    y = snaps + zap
    # sustained arc: sizzle with erratic, fast flicker, gated around the bursts
    burst_env = P.impulses(n, (ct * sr).astype(np.int64), np.ones(kc))
    burst_env = convolve(burst_env, np.exp(-np.arange(int(0.25 * sr)) / (0.08 * sr)))
    arc_gate = np.clip(0.3 + 0.7 * (1 - burst) + burst * burst_env, 0, 1.5)
    flick = np.clip(smooth_random(rng, n, sr, 60.0 * ph.rate) * 2 + 0.5, 0, None)
    hum_f = 50.0 * pr
    # 1 - buzz + buzz * (0.5 + 0.5 |sin|)**4, in float32 (its rounding is ~-140 dB)
    mod = P.sin_cycles32(hum_f * np.arange(n) / sr)
    np.abs(mod, out=mod)
    mod *= np.float32(0.5)
    mod += np.float32(0.5)
    mod *= mod
    mod *= mod
    mod *= np.float32(buzz)
    mod += np.float32(1 - buzz)
    sizzle = bandpass(white(rng, n), 2000 * pr, 14000 * pr, sr)
    sizzle *= flick
    sizzle *= arc_gate
    sizzle *= mod
    dense = onsets(rng, (300 + 3000 * arc) * force * arc_gate, n, sr, cap=int(2500 * dur))
    crackle = noise_grains(rng, n, sr, dense, np.full(dense.size, 0.00008), np.full(dense.size, 0.7))[0]
    y = y + arc * (0.5 * sizzle + bandpass(crackle, 2500 * pr, 16000 * pr, sr)) * force
    if buzz > 0.02:
        hum = P.saturate(np.sin((TWO_PI * hum_f * np.arange(n) / sr).astype(np.float32)).astype(float), 0.9)
        hum = highpass(hum, 0.7 * hum_f, sr) * arc_gate
        y = y + buzz ** 1.5 * 0.35 * hum * force
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


# --------------------------------------------------------------------------- creature growl


def _glottal(f0: np.ndarray, sr: int, open_q: float, sub: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Glottal flow derivative for an f0 contour (n,): Rosenberg-like pulse (rise over
    ``open_q`` of the cycle, fast closure) differentiated for lip radiation; ``sub`` in [0, 1]
    alternates cycle amplitudes (period doubling -> subharmonic roughness). Returns (source,
    open-phase flow) for modulating aspiration noise."""
    n = f0.size
    ph = P.phase_of(f0, n, sr)
    cyc = np.floor(ph)
    fr = ph - cyc
    tp = open_q * 0.65
    tn = open_q - tp
    flow = np.where(fr < tp, 0.5 - 0.5 * P.sin_cycles(fr / (2 * tp) + 0.25),
                    np.where(fr < open_q, P.sin_cycles((fr - tp) / (4 * max(tn, 1e-3)) + 0.25), 0.0))
    alt = 1.0 - sub * 0.8 * (np.mod(cyc, 2) == 1)
    shim = np.exp(0.15 * sub * rng.normal(0, 1, int(cyc[-1]) + 2))[cyc.astype(np.int64)]
    flow = flow * alt * shim
    src = np.diff(flow, prepend=0.0) * (sr / 1000.0)
    return src, flow


def render_creature_growl(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Creature growl (one-shot). aux: vowel (formants along u, o, a, e, i), roughness
    (subharmonics, jitter and flutter), snarl (pressed, driven, bright upper formants), breath
    (aspiration noise). ``size`` lowers both pitch and formants (bigger beast), ``pitch`` the
    voice, ``decay`` the growl's length, ``rate`` the flutter speed, ``intensity`` drive."""
    sr = sample_rate
    vowel, rough, snarl, breath = ph.aux[0], ph.aux[1], ph.aux[2], ph.aux[3]
    dur = n / sr
    t = np.arange(n) / sr
    body = 2.0 ** (-1.6 * (ph.size - 0.5))  # vocal-tract scale
    f0 = 95.0 * ph.pitch_ratio * 2.0 ** (-1.8 * (ph.size - 0.5))
    length = min(0.3 + 1.4 * ph.decay_s, dur * 0.95)
    prog = np.clip(t / length, 0, 1)
    contour = 1.0 + 0.18 * P.sin_cycles(0.5 * prog) - 0.12 * prog
    jit = smooth_random(rng, n, sr, 25.0) * (0.02 + 0.08 * rough)
    # rattle of the false folds: a pulsed ~30 Hz amplitude modulation (jittered) plus wander
    am_ph = P.phase_of(28.0 * ph.rate ** 0.5 * (1 + 0.25 * smooth_random(rng, n, sr, 6.0)), n, sr)
    rattle = (0.5 + 0.5 * P.sin_cycles(am_ph + 0.25)) ** 2
    flutter = (1.0 - 0.7 * rough * (1.0 - rattle)) * (1.0 + rough * 0.3 * smooth_random(rng, n, sr, 18.0 * ph.rate))
    f = np.clip(f0 * contour * (1 + jit), 20.0, 0.2 * sr)
    src, flow = _glottal(f, sr, 0.65 - 0.3 * snarl, rough, rng)
    amp_env = P.ad_env(n, sr, attack_s=0.06 + 0.06 * ph.size, decay_s=length, start_s=0.0, curve=1.0)
    rel = np.clip((length - t) / (0.35 * length), 0, 1)
    hold = rel * rel * (3 - 2 * rel)  # smooth release into silence at ``length``
    env = amp_env ** 0.3 * hold
    src = src * env * flutter
    asp = bandpass(white(rng, n), 400 * body, 6000 * body, sr) * env
    src = src + asp * (0.02 + 0.25 * breath) * (0.3 + flow) * np.std(src) / (np.std(asp) + 1e-12) * 3
    v0 = vowel_formants(vowel) * body
    v1 = vowel_formants(np.clip(vowel + rng.uniform(-0.25, 0.25), 0, 1)) * body
    gains = _FORMANT_GAINS * np.array([1.0, 1.0, 1.0 + 2.0 * snarl, 1.0 + 2.5 * snarl])
    y0 = _formant_filter(src, sr, v0, 1.0 + rough, gains)
    y1 = _formant_filter(src, sr, v1, 1.0 + rough, gains)
    y = y0 * (1 - prog) + y1 * prog
    # chest: big creatures radiate a low body resonance of the source itself
    y = y + (0.2 + 0.8 * ph.size) * 0.15 * lowpass(src, 250 * body, sr)
    y = y + breath * 0.5 * bandpass(white(rng, n), 300 * body, 4000 * body, sr) * env * np.std(y)
    y = P.saturate(y, 0.1 + 0.5 * snarl + 0.3 * ph.intensity)
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


# --------------------------------------------------------------------------- crowd murmur


def render_crowd_murmur(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Crowd murmur / walla. aux: voices (a few people .. a packed hall, 4 .. 60 voices),
    excitement (calm chatter .. animated, higher, louder swings), room_size (voices distinct ..
    blurred into a diffuse bed). ``pitch`` shifts every voice, ``size`` lowers voices and
    formants, ``rate`` speeds the talking."""
    sr = sample_rate
    nvox_u, exc, room = ph.aux[0], ph.aux[1], ph.aux[2]
    lo_sr = min(16000, sr)
    g = math.gcd(sr, lo_sr)
    m = int(np.ceil(n * lo_sr / sr)) + 8
    dur = m / lo_sr
    V = 4 + int(round(56 * nvox_u ** 1.3))
    ctrl = 200
    mc = int(dur * ctrl) + 2
    tc = np.arange(mc) / ctrl
    female = rng.uniform(0, 1, V) < 0.5
    base = np.where(female, rng.uniform(170, 250, V), rng.uniform(90, 145, V))
    base = base * ph.pitch_ratio * 2.0 ** (-0.7 * (ph.size - 0.5)) * (1 + 0.3 * exc) * (1 + 0.15 * ph.intensity)
    vamp = rng.uniform(0.25, 1.0, V) ** 2 * (1 + exc * rng.pareto(3.0, V)) * (0.3 + ph.intensity)
    pans = rng.uniform(-0.9, 0.9, V)
    syl_rate = rng.uniform(3.5, 5.5, V) * ph.rate ** 0.5 * (1 + 0.3 * exc)
    # control-rate contours per voice: intonation, syllables, talk spurts
    into = np.stack([smooth_random(rng, mc, ctrl, 3.0) for _ in range(V)]) * (0.14 + 0.2 * exc)
    f0c = base[:, None] * np.exp(into)
    syl_ph = np.cumsum(syl_rate[:, None] * (1 + 0.3 * np.stack([smooth_random(rng, mc, ctrl, 1.0) for _ in range(V)])), axis=1) / ctrl
    syl_ph = syl_ph + rng.uniform(0, 1, V)[:, None]
    syl_env = np.maximum(P.sin_cycles(0.5 * (syl_ph - np.floor(syl_ph))), 0.0) ** 1.5
    talk = np.stack([smooth_random(rng, mc, ctrl, 0.6 * ph.rate ** 0.5) for _ in range(V)])
    talk = np.clip((talk + 0.3) * 4, 0, 1)
    amp_c = syl_env * talk * vamp[:, None]
    nsyl = int(np.max(syl_ph)) + 2
    vowel_tab = rng.integers(0, len(VOWELS), (V, nsyl))
    cons_tab = rng.uniform(0, 1, (V, nsyl)) < 0.45
    # pulses: invert the cycle count of each voice's f0 contour
    cyc = np.cumsum(f0c, axis=1) / ctrl
    flats, wl, wr = [np.zeros(0, np.int64)], [np.zeros(0)], [np.zeros(0)]
    gl, gr = np.cos((pans + 1) * np.pi / 4), np.sin((pans + 1) * np.pi / 4)
    cons = np.zeros((2, mc))
    for v in range(V):  # per voice (<= 60), vectorised over its pulses
        kmax = int(cyc[v, -1])
        if kmax < 1:
            continue
        pt = np.interp(np.arange(1, kmax), cyc[v], tc)
        a = np.interp(pt, tc, amp_c[v])
        keep = a > 0.01
        pt, a = pt[keep], a[keep]
        si = np.minimum(np.interp(pt, tc, syl_ph[v]).astype(np.int64), nsyl - 1)
        vi = vowel_tab[v, si]
        idx = np.minimum((pt * lo_sr).astype(np.int64), m - 1)
        flats.append((vi + len(VOWELS) * int(female[v])) * m + idx)
        wl.append(a * gl[v])
        wr.append(a * gr[v])
        # consonants: a short fricative burst at the onset of some syllables while talking
        frac = np.mod(syl_ph[v], 1.0)
        fric_on = cons_tab[v, np.minimum(syl_ph[v].astype(np.int64), nsyl - 1)]
        bump = P.sin_cycles(0.5 * np.clip(frac / 0.15, 0, 1)) ** 2 * fric_on
        cons[0] += bump * talk[v] * vamp[v] * gl[v]
        cons[1] += bump * talk[v] * vamp[v] * gr[v]
    flat = np.concatenate(flats)
    nb = 2 * len(VOWELS)  # a formant bank per vowel and vocal-tract group (male, female)
    excit = np.stack([np.bincount(flat, np.concatenate(w), minlength=nb * m).reshape(nb, m)
                      for w in (wl, wr)])
    # glottal source tilt with lip radiation (net about -6 dB/oct above ~ f0), then per-vowel
    # formant banks
    b, a_ = signal.butter(1, 200.0, "lowpass", fs=lo_sr)
    scale = 2.0 ** (-0.6 * (ph.size - 0.5)) * ph.pitch_ratio ** 0.2
    # every bank's resonators as one impulse response (female vocal tracts are ~15 % shorter:
    # formants 17 % higher) with the glottal tilt folded in (linear: tilt * bank = bank * tilt,
    # its 1-pole response is below -150 dB after 25 ms), all banks driven at once by FFT
    active = [k for k in range(nb) if np.any(excit[:, k])]
    t60 = 6.9 / (np.pi * _BANDWIDTHS * 1.3)
    irs = np.stack([P.resonator_ir(lo_sr, np.minimum(_FORMANTS[k % len(VOWELS)] * scale * (1.17 if k >= len(VOWELS) else 1.0),
                                                     0.45 * lo_sr), t60, _FORMANT_GAINS) for k in active]) if active else None
    if active:
        irs = signal.lfilter(b, a_, np.pad(irs, ((0, 0), (0, int(0.025 * lo_sr)))), axis=-1)
        y = P.convolve_sum(excit[:, active].transpose(1, 0, 2), irs)
    else:
        y = np.zeros((2, m))
    y = highpass(y, 120.0, lo_sr)
    # fricatives: noise shaped by the consonant envelopes
    cenv = np.stack([np.interp(np.arange(m) / lo_sr, tc, c) for c in cons])
    fric = bandpass(white(rng, (2, m)), 2800.0, 7200.0, lo_sr) * cenv
    y = y + fric * 0.08 * np.std(y) / (np.std(fric) + 1e-12)
    if room > 0.02:
        L = int((0.08 + 0.6 * room) * lo_sr)
        tail = np.exp(-np.arange(L) / (0.25 * L))
        irs = white(rng, (2, L)) * tail
        wet = np.stack([convolve(y[c], irs[c]) for c in range(2)])
        y = (1 - 0.6 * room) * y + room * 0.9 * wet * np.std(y) / (np.std(wet) + 1e-12)
    if lo_sr != sr:
        y = signal.resample_poly(y, sr // g, lo_sr // g, axis=-1)
    y = y[:, :n]
    if y.shape[1] < n:
        y = np.pad(y, ((0, 0), (0, n - y.shape[1])))
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


RENDERERS = {
    "alarm_siren": render_alarm_siren,
    "ui_blip": render_ui_blip,
    "electric_sparks": render_electric_sparks,
    "creature_growl": render_creature_growl,
    "crowd_murmur": render_crowd_murmur,
}
