"""Fluids: bubbles, air columns and turbulent jets.

**Bubbles** (van den Doel 2005, "Physically based models for liquid sounds"; Minnaert 1933):
most liquid sound is the ring of air bubbles formed at impact. A bubble of radius r rings at
the Minnaert frequency ``f = 3.26 / r`` (Hz, r in metres: 1 mm -> 3.3 kHz), decays with damping
``d = 0.043 f + 0.0014 f**1.5`` (1/s) and rises in pitch as it settles, ``f(t) = f0 (1 + xi d t)``
with xi ~ 0.1. Louder for bigger bubbles (amplitude ~ r**alpha).

**Air columns**: a vessel being filled is a quarter-wave resonator closed by the liquid surface,
``f = c / (4 (L_eff))`` with the air column shrinking as the level rises: the rising pitch that
tells the ear "nearly full".

**Turbulent jets** (hiss of escaping gas; Lighthill): broadband noise peaking near the Strouhal
frequency ``f_p ~ 0.2 U / D`` (U jet speed, D nozzle diameter), rising ~ f**1.4 below the peak and
falling ~ f**-1.5 above (power); the radiated power grows as U**8. A vessel venting through a valve
blows down exponentially: pressure, jet speed, level and peak frequency all fall together.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P

SPEED_OF_SOUND = 343.0  # m/s, air at 20 C


def minnaert_hz(radius_m) -> np.ndarray:
    """Resonance (Hz) of an air bubble of ``radius_m`` in water (Minnaert)."""
    return 3.26 / np.maximum(np.asarray(radius_m, np.float64), 1e-5)


def bubble_damping(freq_hz) -> np.ndarray:
    """Decay rate d (1/s) of a bubble ringing at ``freq_hz`` (viscous, thermal and radiation
    losses; van den Doel's fit)."""
    f = np.asarray(freq_hz, np.float64)
    return 0.043 * f + 0.0014 * f ** 1.5


def bubbles(n: int, sr: int, onsets: np.ndarray, radii_m: np.ndarray, *, gains=1.0, xi: float = 0.1,
            alpha: float = 1.0, damping: float = 1.0) -> np.ndarray:
    """Bubble sounds (n,): one damped, upward-chirping sinusoid per bubble at its Minnaert
    frequency, amplitude ~ (r / 1 mm) ** ``alpha`` x ``gains``; ``damping`` scales the decay
    rate (a viscous liquid damps more)."""
    onsets = np.asarray(onsets, np.int64)
    if onsets.size == 0:
        return np.zeros(n)
    r = np.asarray(radii_m, np.float64)
    f = minnaert_hz(r)
    d = bubble_damping(f) * damping
    amp = (r / 1e-3) ** alpha * np.broadcast_to(np.asarray(gains, np.float64), r.shape)
    return B.sine_grains(n, sr, onsets, f, 1.0 / d, amp, rise=xi / damping, max_len_s=0.25)[0]


def quarter_wave_hz(length_m) -> np.ndarray:
    """Resonance (Hz) of an air column of ``length_m`` closed at one end (open end corrected)."""
    return SPEED_OF_SOUND / (4.0 * np.maximum(np.asarray(length_m, np.float64), 1e-3))


def jet_spectrum(freqs_hz: np.ndarray, peak_hz) -> np.ndarray:
    """Relative amplitude spectrum of turbulent jet noise peaking at ``peak_hz``: ~f**0.7 below
    the peak, ~f**-0.75 above (power f**1.4 / f**-1.5: the broad hump of measured jet spectra);
    1 at the peak. Broadcasts."""
    x = np.maximum(np.asarray(freqs_hz, np.float64), 1.0) / np.maximum(np.asarray(peak_hz, np.float64), 1.0)
    return np.where(x < 1.0, x ** 0.7, x ** -0.75)


def jet_noise(rng: np.random.Generator, n: int, sr: int, *, speed, diameter_m: float,
              strouhal: float = 0.2, ref_speed: float = 100.0, nfft: int = 1024) -> np.ndarray:
    """Turbulent jet noise (n,) for a jet ``speed`` (m/s, scalar or (n,) curve) from a nozzle of
    ``diameter_m``: spectrum :func:`jet_spectrum` at ``strouhal * U / D``, amplitude ~
    (U / ``ref_speed``) ** 4 (power ~ U**8). Synthesised in the STFT domain (one inverse FFT
    per hop), mono."""
    u = np.broadcast_to(np.maximum(np.asarray(speed, np.float64), 0.0), (n,))
    hop = nfft // 2
    frames = n // hop + 2
    idx = np.minimum(np.arange(frames) * hop, max(n - 1, 0))
    uf = u[idx][:, None] if n else np.zeros((frames, 1))

    def mag(t, f):
        peak = np.clip(strouhal * uf / max(diameter_m, 1e-4), 200.0, 0.45 * sr)
        return jet_spectrum(f, peak) * (uf / ref_speed) ** 4

    return P.spectral_noise(rng, n, sr, mag, channels=1, nfft=nfft)[0]


def blowdown(n: int, sr: int, *, start_s: float, tau_s: float, p0: float = 1.0) -> np.ndarray:
    """Gauge pressure (n,) of a vessel venting from ``start_s`` on: 0 before, then
    ``p0 * exp(-(t - start) / tau_s)`` (choked-flow blowdown is close to exponential)."""
    t = np.arange(n) / sr - start_s
    out = np.zeros(n)
    on = t >= 0
    out[on] = p0 * np.exp(-t[on] / max(tau_s, 1e-4))
    return out


CHOKE_BAR = 0.58
"""Gauge pressure (bar) above which an air jet is choked: its speed stays ~310 m/s and only
its mass flow (and noise) still grows with pressure."""


def jet_speed(pressure) -> np.ndarray:
    """Jet speed (m/s) from a gauge pressure in bar (Bernoulli for the incompressible part,
    capped at the choked ~ 310 m/s of air above :data:`CHOKE_BAR`)."""
    p = np.maximum(np.asarray(pressure, np.float64), 0.0)
    return np.minimum(np.sqrt(2.0 * p * 1e5 / 1.2), 310.0)
