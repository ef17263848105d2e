"""Aeroacoustics of objects moving through air: Aeolian tones and vortex-wake noise.

The semi-empirical model of Selfridge, Moffat and Reiss ("Sound synthesis of objects swinging
through air using physical models", Applied Sciences 7(11), 2017), which listeners rated as
plausible as recordings for most swung objects:

* air flowing at speed ``u`` past a bluff body of thickness ``d`` sheds vortices at the
  **Aeolian tone** frequency ``f = St(Re) u / d`` (Strouhal number ``St ~ 0.2``, falling at low
  Reynolds numbers ``Re = u d / nu``: Roshko's ``St = 0.198 (1 - 19.7 / Re)``); the tone is a
  narrow band whose width grows as the wake turns turbulent (larger ``Re``);
* the lift dipole radiates an intensity ``~ u^6`` per unit span: a swing is loud only near its
  fastest moment, and the tip (fastest) dominates;
* a turbulent **wake** adds broadband noise around and below the tone;
* an object is a row of **compact sources** along its length (a few diameters apart near the
  tip, where the speed and so the loudness are highest, sparser towards the hilt), each at its
  own speed ``omega r`` and so its own pitch: the blade's tone is a cluster that glides up and
  down with the swing speed.

Functions here return mono pressure signals (arbitrary scale, consistent between calls) from
speed curves; family renderers add the gesture, placement and stereo. No state, no per-sample
Python loops.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P

KINEMATIC_VISCOSITY_M2_S = 1.5e-5
"""Kinematic viscosity of air at 20 degrees C (m^2/s)."""


def reynolds(speed_mps, diameter_m) -> np.ndarray:
    """Reynolds number ``u d / nu`` of flow past a body of thickness ``diameter_m``."""
    return np.asarray(speed_mps, np.float64) * np.asarray(diameter_m, np.float64) / KINEMATIC_VISCOSITY_M2_S


def strouhal(re) -> np.ndarray:
    """Strouhal number of vortex shedding behind a cylinder at Reynolds number ``re`` (Roshko:
    ``0.198 (1 - 19.7 / Re)``, held within 0.12 .. 0.21 outside its range)."""
    re = np.maximum(np.asarray(re, np.float64), 1.0)
    return np.clip(0.198 * (1.0 - 19.7 / re), 0.12, 0.21)


def aeolian_hz(speed_mps, diameter_m) -> np.ndarray:
    """Aeolian tone frequency (Hz) ``St(Re) u / d``."""
    u = np.asarray(speed_mps, np.float64)
    return strouhal(reynolds(u, diameter_m)) * u / np.asarray(diameter_m, np.float64)


def tone_bandwidth(re) -> np.ndarray:
    """Relative -3 dB bandwidth (bandwidth / centre) of the Aeolian tone: a clean whistle for a
    laminar wake (Re of a few hundred) widening to a broad hiss band for a turbulent one."""
    x = np.clip(np.log10(np.maximum(np.asarray(re, np.float64), 1.0) / 300.0) / 2.5, 0.0, 1.0)
    return 0.02 + 0.35 * x ** 1.5


def compact_sources(length_m: float, thickness_m: float, *, taper: float = 1.5,
                    count: int = 8) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Compact sources along a swung object of ``length_m`` (from the pivot) and tip thickness
    ``thickness_m``: radii (m), thicknesses (m) and span weights (m), each (count,).

    Most sources sit near the tip, seven thicknesses apart (the spanwise correlation length of
    the shed vortices); the rest spread towards the hilt, where the object is up to
    ``1 + taper`` times thicker.
    """
    L, d = float(length_m), float(thickness_m)
    tip = min(count - 2, max(int(0.55 * L / (7.0 * d)), 1))
    r_tip = L - 7.0 * d * (np.arange(tip) + 0.5)
    inner = count - tip
    r_in = np.linspace(0.15 * L, max(r_tip[-1] - 7.0 * d, 0.2 * L), inner)
    r = np.concatenate([r_tip, r_in])
    r = np.clip(r, 0.05 * L, L)
    span = np.concatenate([np.full(tip, 7.0 * d), np.full(inner, max(r_tip[-1] - 0.15 * L, 7.0 * d) / inner)])
    thick = d * (1.0 + taper * (1.0 - r / L))
    return r, thick, span


def aeolian(rng: np.random.Generator, sr: int, speeds_mps: np.ndarray, diameters_m, spans_m, *,
            tone: float = 1.0, wake: float = 0.5, doppler: np.ndarray | None = None,
            harmonic: float = 0.12) -> np.ndarray:
    """Sum of K compact Aeolian sources moving at ``speeds_mps`` (K, n) m/s: each a narrowband
    tone at ``St u / d`` (band per :func:`tone_bandwidth`, weak drag-dipole second harmonic
    ``harmonic``) of level ``tone`` and broadband wake noise of level ``wake`` around and below
    it, amplitude ``~ u^3 sqrt(span d)`` (intensity ~ u^6). ``doppler`` (n,) scales every
    frequency (a moving observer or source). Returns (n,).

    The tones are band-limited complex noise (two low-passed noises, cut at half the band)
    modulated up to the gliding centre frequency; the wake is STFT-shaped noise.
    """
    u = np.atleast_2d(np.asarray(speeds_mps, np.float64))
    K, n = u.shape
    d = np.broadcast_to(np.asarray(diameters_m, np.float64), (K,))
    span = np.broadcast_to(np.asarray(spans_m, np.float64), (K,))
    dop = np.ones(n) if doppler is None else np.asarray(doppler, np.float64)
    f = aeolian_hz(u, d[:, None]) * dop[None, :]
    f = np.minimum(f, 0.45 * sr)
    amp = (u / 343.0) ** 3 * np.sqrt(span * d)[:, None] * 1e4
    y = np.zeros(n)
    if tone > 0:
        kmax = np.argmax(u, axis=1)
        f_top = f[np.arange(K), kmax]
        bw = tone_bandwidth(reynolds(u[np.arange(K), kmax], d)) * f_top
        # complex baseband noise per source (K, 2, n), low-passed at half the band
        base = P.white(rng, (K, 2, n)).astype(np.float64)
        for k in range(K):  # K (<= ~10) filter calls on (2, n)
            base[k] = P.lowpass(base[k], sr, max(0.5 * bw[k], 4.0), order=2)
        base /= np.sqrt(np.mean(np.square(base), axis=-1, keepdims=True)) + 1e-12
        ph = np.cumsum(f, axis=1) / sr
        carrier_c = P.sin_cycles(ph + 0.25)
        carrier_s = P.sin_cycles(ph)
        t1 = base[:, 0] * carrier_c - base[:, 1] * carrier_s
        if harmonic > 0:
            t1 += harmonic * (base[:, 0] * P.sin_cycles(2 * ph + 0.25) - base[:, 1] * P.sin_cycles(2 * ph))
        y += tone * np.sum(amp * t1, axis=0) / np.sqrt(2.0)
    if wake > 0:
        step = max(n // 400, 1)
        tt = np.arange(0, n, step) / sr
        fk, ak = f[:, ::step], amp[:, ::step]

        def gain(freqs, times):  # (F, 1), (1, T) -> (F, T)
            g = np.zeros((freqs.shape[0], times.shape[1]), np.float32)
            for k in range(K):
                fc = np.interp(times[0], tt, fk[k])[None, :]
                a = np.interp(times[0], tt, ak[k])[None, :]
                g += (a * wake_spectrum(freqs, fc)).astype(np.float32)
            return g

        y += wake * P.shaped_noise(rng, n, sr, gain)
    return y


def peak_spectrum(f_hz, peak_hz, *, rise: float, fall: float) -> np.ndarray:
    """Amplitude spectrum shape of broadband flow noise peaking at ``peak_hz``: ~ f^rise below,
    ~ f^-fall above (``x^rise / (1 + x^(rise + fall))``), 1 at the peak."""
    k = rise + fall
    xp = (rise / fall) ** (1.0 / k)  # where x^rise / (1 + x^k) peaks
    x = np.maximum(np.asarray(f_hz, np.float64), 1.0) / np.maximum(np.asarray(peak_hz, np.float64), 1.0) * xp
    return x ** rise / (1.0 + x ** k) / (xp ** rise / (1.0 + xp ** k))


def wake_spectrum(f_hz, tone_hz) -> np.ndarray:
    """Amplitude spectrum shape of the turbulent wake around an Aeolian tone at ``tone_hz``:
    peaking at three quarters of the tone, rising ~ f below and falling ~ f^-1.2 above (the
    broad "whoosh" that carries a swing's energy well above and below its tone)."""
    return peak_spectrum(f_hz, 0.75 * np.asarray(tone_hz, np.float64), rise=1.0, fall=1.2)


def swing_speed(n: int, sr: int, *, t_peak_s: float, rise_s: float, fall_s: float) -> np.ndarray:
    """Normalised angular speed (0 .. 1 at ``t_peak_s``) of a swing, shape (n,): the arm
    accelerates over ~``rise_s`` and the follow-through brakes over ~``fall_s`` (each the
    standard deviation of a half-Gaussian)."""
    t = P.time_s(n, sr) - t_peak_s
    s = np.where(t < 0, t / max(rise_s, 1e-4), t / max(fall_s, 1e-4))
    return np.exp(-0.5 * s * s)


def passing_gain(angle_rad: np.ndarray, *, at_rad: float, closeness: float) -> np.ndarray:
    """Proximity gain of a swung tip sweeping past a listener who sits in the swing plane at
    angle ``at_rad``: ``1 / (1 + ((angle - at) / closeness)^2)`` (a near listener, small
    ``closeness``, hears a short, sharp peak; a far one a broad swell)."""
    x = (np.asarray(angle_rad, np.float64) - at_rad) / max(closeness, 1e-3)
    return 1.0 / (1.0 + x * x)
