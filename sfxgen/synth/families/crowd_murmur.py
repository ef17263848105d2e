"""Crowd murmur: walla of many babbling voices.

Each voice is a pulse train with its own pitch contour, syllable rhythm and talk spurts, through
formant banks per vowel (male and female tracts), placed left and right, with consonant noise;
a room blurs the crowd into a bed. Rendered at 16 kHz (speech band) and resampled.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import signal

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import white, highpass, bandpass, smooth_random, convolve, finish, place_two
from sfxgen.synth.physics.formants import VOWELS, FORMANTS_HZ, BANDWIDTHS_HZ, FORMANT_GAINS
from sfxgen.synth.family import BED_LAYER, Family, Param, Physical

DEFAULT_DURATION_S = 5.0


def render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
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
    t60 = 6.9 / (np.pi * BANDWIDTHS_HZ * 1.3)
    irs = np.stack([P.resonator_ir(lo_sr, np.minimum(FORMANTS_HZ[k % len(VOWELS)] * scale * (1.17 if k >= len(VOWELS) else 1.0),
                                                     0.45 * lo_sr), t60, FORMANT_GAINS) for k in active]) if active else None
    if active:
        irs = signal.lfilter(b, a_, np.pad(irs, ((0, 0), (0, int(0.025 * lo_sr)))), axis=-1)
        y = P.convolve_sum(excit[:, active].transpose(1, 0, 2), irs)
    else:
        y = np.zeros((2, m))
    y = highpass(y, 120.0, lo_sr)
    # fricatives: noise shaped by the consonant envelopes
    cenv = np.stack([np.interp(np.arange(m) / lo_sr, tc, c) for c in cons])
    fric = place_two(bandpass(white(rng, (2, m)), 2800.0, 7200.0, lo_sr) * cenv)
    y = y + fric * 0.08 * np.std(y) / (np.std(fric) + 1e-12)
    if room > 0.02:
        L = int((0.08 + 0.6 * room) * lo_sr)
        tail = np.exp(-np.arange(L) / (0.25 * L))
        irs = white(rng, (2, L)) * tail
        wet = place_two(np.stack([convolve(y[c], irs[c]) for c in range(2)]))
        y = (1 - 0.6 * room) * y + room * 0.9 * wet * np.std(y) / (np.std(wet) + 1e-12)
    if lo_sr != sr:
        y = signal.resample_poly(y, sr // g, lo_sr // g, axis=-1)
    y = y[:, :n]
    if y.shape[1] < n:
        y = np.pad(y, ((0, 0), (0, n - y.shape[1])))
    y = P.tilt(y, sr, ph.brightness)
    return finish(y)


FAMILY = Family(
    name="crowd_murmur", ucs="CRWDWalla", noun="crowd murmur", kind="texture",
    render=render,
    params=(
        Param("voices", unit="voices", lo=4, hi=60,
              doc="Head count (4 + 56 u^1.3 voices).",
              low_words=("small", "sparse"), high_words=("large", "packed")),
        Param("excitement", unit="%", lo=0.0, hi=100.0,
              doc="Calm chatter .. animated (higher, faster, louder swings).",
              low_words=("calm", "relaxed"), high_words=("excited", "agitated")),
        Param("room_size", unit="%", lo=0.0, hi=100.0,
              doc="Voices distinct .. blurred into a diffuse bed."),
    ),
    default_duration_s=DEFAULT_DURATION_S,
    nouns=(("crowd murmur", 1), ("crowd walla", 0), ("murmuring crowd", 1), ("people talking", 0)),
    scenes=(
        "a {adj} crowd murmuring{post}",
        "{adj} background chatter of people{post}",
        "a {adj} crowd walla{post}",
    ),
    tags=("crowd", "walla", "murmur", "people"),
    keywords=("crowd", "walla", "murmur", "people talking", "chatter", "audience", "restaurant", "party",
              "babble", "crowd noise"),
    rate_doc="3.5-5.5 syllables/s per voice at rate 1 (x rate^0.5)",
    intensity_words=(("quiet", "subdued", "calm"), ("loud", "rowdy", "lively")),
    element_roles=("main",),
    design_roles=("bed",),
    role_params={
        "bed": BED_LAYER,
    },
    category="ambience",
    presets={
        "restaurant": {"room_size": 0.3},
        "stadium": {"voices": 1.0, "excitement": 0.8, "room_size": 0.6},
        "few_people": {"voices": -0.9},
    },
)
