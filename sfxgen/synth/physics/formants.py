"""Source-filter voices: a glottal pulse source through vocal-tract formant resonators
(Klatt-style parallel formants; Rosenberg glottal pulse).

The adult vowel table (u, o, a, e, i), interpolation along it, a parallel formant filter and the
glottal flow derivative with period doubling. Used by the creature growl and the crowd walla.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P

VOWELS = ("u", "o", "a", "e", "i")
"""Vowel order of :data:`FORMANTS_HZ` (a front-back, open-close path through the vowel space)."""
FORMANTS_HZ = np.array([
    [300.0, 870.0, 2240.0, 3300.0],
    [450.0, 800.0, 2830.0, 3500.0],
    [730.0, 1090.0, 2440.0, 3400.0],
    [530.0, 1840.0, 2480.0, 3500.0],
    [270.0, 2290.0, 3010.0, 3700.0],
])
"""First four formant frequencies (Hz) of an adult voice per vowel of :data:`VOWELS`."""
BANDWIDTHS_HZ = np.array([80.0, 100.0, 140.0, 200.0])
"""Bandwidths (Hz) of formants 1..4."""
FORMANT_GAINS = np.array([1.0, 0.7, 0.35, 0.2])
"""Relative levels of formants 1..4."""
for _a in (FORMANTS_HZ, BANDWIDTHS_HZ, FORMANT_GAINS):
    _a.setflags(write=False)


def vowel_formants(u: float) -> np.ndarray:
    """Formant frequencies (4,) interpolated along the vowel axis u in [0, 1] (u, o, a, e, i)."""
    x = float(np.clip(u, 0, 1)) * (len(VOWELS) - 1)
    i = min(int(x), len(VOWELS) - 2)
    fr = x - i
    return FORMANTS_HZ[i] * (1 - fr) + FORMANTS_HZ[i + 1] * fr


def formant_filter(x: np.ndarray, sr: int, freqs: np.ndarray, bw_scale: float = 1.0,
                   gains: np.ndarray = FORMANT_GAINS) -> np.ndarray:
    """Parallel formant resonators (:func:`primitives.resonator_bank`); bandwidth -> T60
    (``bw_scale`` widens every formant: a rougher, less defined vowel)."""
    t60 = 6.9 / (np.pi * BANDWIDTHS_HZ * bw_scale)
    return P.resonator_bank(x, sr, np.minimum(freqs, 0.45 * sr), t60, gains)


def glottal(f0: np.ndarray, sr: int, open_q: float, sub: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
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
