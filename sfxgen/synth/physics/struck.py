"""Struck solid bodies (Designing Sound, "Idiophones"; modal synthesis): a contact-force pulse
(:func:`~sfxgen.synth.primitives.mallet`, shorter = harder = brighter) drives a bank of
exponentially decaying modes (:func:`~sfxgen.synth.primitives.modal_ir`).

Helpers shared by the struck families (metal, wood, glass, stone, bells, breaking glass): the
fundamental of an object of a given size, the spectral tilt of mode amplitudes, the strike
itself, and the shell mode pattern of glass and bells.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P

SHELL_RATIOS = np.array([n * (n * n - 1) / np.sqrt(n * n + 1) for n in range(2, 14)])
SHELL_RATIOS = SHELL_RATIOS / SHELL_RATIOS[0]
"""Mode ratios of a thin shell (glass, bell): n(n²-1)/√(n²+1) for n = 2..13, normalised:
1, 2.83, 5.42, 8.77, 12.9, ..."""
SHELL_RATIOS.setflags(write=False)


def size_freq(size: float, small_hz: float, large_hz: float) -> float:
    """Log-interpolated fundamental (Hz): ``small_hz`` for a tiny object (size 0), ``large_hz``
    for a huge one (size 1); modes of a scaled object move as 1/size."""
    return float(small_hz * (large_hz / small_hz) ** size)


def tilt_amps(freqs: np.ndarray, f_ref: float, brightness: float, *, base: float = -0.6,
              span: float = 1.2) -> np.ndarray:
    """Mode amplitude tilt: power-law slope ``base ± span/2`` in frequency by ``brightness``
    (0 dark .. 1 bright), relative to ``f_ref``."""
    slope = base + span * (brightness - 0.5)
    return (np.maximum(freqs, 1.0) / f_ref) ** slope


def strike(ir: np.ndarray, sr: int, hardness: float, mass_ms: float) -> np.ndarray:
    """The modal response ``ir`` struck by a mallet of ``hardness`` (0 soft .. 1 hard) and
    contact time scale ``mass_ms``."""
    return P.excite(ir, P.mallet(sr, hardness=hardness, mass_ms=mass_ms))


def glass_modes(f0: float, rng: np.random.Generator, count: int, ring: float, decay_s: float,
                size: float) -> tuple[np.ndarray, np.ndarray]:
    """(frequencies Hz, T60 s) of ``count`` glass shell modes over ``f0``: slightly detuned shell
    ratios, a ring of ``decay_s * (0.5 + 1.5 ring) * (0.5 + size)`` (at most 6 s) for the lowest
    mode, higher modes shorter (T60 ∝ f^-0.45)."""
    ratios = SHELL_RATIOS[:count] * (1 + 0.015 * rng.uniform(-1, 1, count))
    f = f0 * ratios
    t60_0 = min(decay_s * (0.5 + 1.5 * ring) * (0.5 + size), 6.0)  # glass rings, but not for ever
    t60 = t60_0 * (f / f0) ** -0.45
    return f, t60
