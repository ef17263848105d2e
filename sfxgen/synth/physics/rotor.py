"""Rotating machinery: rotor blades, propellers and piston engines.

* **Blade passage** -- a rotor of ``B`` blades turning at ``f_rot`` radiates at the blade
  passing frequency ``BPF = B f_rot`` and its harmonics (thickness and loading noise; Gutin).
  The faster the blade tips (tip Mach number), the more harmonics carry energy:
  :func:`rotor_harmonics` gives the loading-harmonic amplitudes, :func:`blade_tones` the
  tone stack (propellers, tail rotors, fans).
* **Blade slap** -- a helicopter's main rotor slices the tip vortices of the blade ahead
  (blade-vortex interaction): each passage is a sharp impulsive pressure pulse, the "whop"
  (:func:`blade_slap`). Its fundamental (10-30 Hz) is under hearing; the pulses' broadband
  content up to ~2 kHz is what is heard, together with broadband rotor noise swelling once
  per blade passage (:func:`modulated_noise`).
* **Piston engines** -- combustion pulses at the firing frequency ``rpm / 60 * cyl / 2``, each a
  blow-down burst ringing the exhaust pipe (a closed-open tube: odd quarter-wave resonances),
  with per-cylinder imbalance and cycle-to-cycle variation (:func:`piston_engine`).

Frequencies may be curves (n,), so spin-up, rev changes and Doppler-free source clocks are
all vectorised; no state, no per-sample Python loops.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import primitives as P
from sfxgen.synth.blocks import place_grains


def passage_times(rate_hz, n: int, sr: int, *, phase0: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Sample indices at which a periodic event of (possibly varying) rate ``rate_hz`` occurs
    (a blade passing, a cylinder firing), and the running event count at each of them."""
    ph = P.phase_of(rate_hz, n, sr, phase0=phase0)
    k = np.floor(ph)
    idx = np.flatnonzero(np.diff(k, prepend=np.floor(phase0)) > 0)
    return idx, k[idx].astype(np.int64)


def rotor_harmonics(count: int, *, tip_mach: float) -> np.ndarray:
    """Relative amplitudes (count,) of the loading-noise harmonics m = 1..count of a rotor's
    blade passing frequency: they fall off exponentially, more slowly as the tip Mach number
    rises (a slow fan hums, a fast propeller buzzes)."""
    m = np.arange(1, count + 1, dtype=np.float64)
    return np.exp(-(m - 1.0) / (0.8 + 10.0 * max(tip_mach, 0.0) ** 2))


def blade_tones(bpf_hz, n: int, sr: int, *, tip_mach: float, count: int = 24,
                rng: np.random.Generator | None = None, wobble: float = 0.0) -> np.ndarray:
    """Tone stack of a rotor's blade passing frequency ``bpf_hz`` (scalar or (n,)) with
    :func:`rotor_harmonics` amplitudes; ``wobble`` adds a slow random speed wander. (n,)."""
    f = np.broadcast_to(np.asarray(bpf_hz, np.float64), (n,))
    if wobble > 0 and rng is not None:
        f = f * (1.0 + wobble * P.smooth_random(rng, n, sr, 1.5))
    return P.harmonic_osc(f, n, sr, rotor_harmonics(count, tip_mach=tip_mach))


def blade_slap(rng: np.random.Generator, n: int, sr: int, *, bpf_hz, width_s: float,
               blades: int, spread: float = 0.1) -> np.ndarray:
    """Impulsive blade-vortex-interaction pulses, one per blade passage (n,): each an
    asymmetric pressure pulse (a sharp rise and a slower recovery, ~``width_s`` long) with
    blade-to-blade level differences (tracking) and ``spread`` cycle-to-cycle variation."""
    idx, k = passage_times(bpf_hz, n, sr, phase0=rng.uniform())
    if idx.size == 0:
        return np.zeros(n)
    L = max(int(6 * width_s * sr), 8)
    t = np.arange(L) / sr
    w = max(width_s, 2.0 / sr)
    pulse = (t / w) * np.exp(1.0 - t / w)  # sharp rise, slower recovery
    pulse -= np.exp(-t / (2.5 * w)) * np.mean(pulse) / np.mean(np.exp(-t / (2.5 * w)))  # zero mean
    blade_gain = rng.uniform(0.8, 1.0, max(blades, 1))[k % max(blades, 1)]
    amp = blade_gain * np.exp(spread * rng.standard_normal(idx.size))
    return place_grains(n, idx, (amp[:, None] * pulse[None, :]).astype(np.float32))[0]


def modulated_noise(rng: np.random.Generator, n: int, sr: int, *, bpf_hz, depth: float,
                    duty: float = 0.3) -> np.ndarray:
    """Unit-RMS white noise amplitude-modulated once per blade passage (n,): a smooth swell of
    relative width ``duty`` of the period, ``depth`` 0 (steady) .. 1 (silent between blades).
    Filter it to the band wanted."""
    ph = P.frac(P.phase_of(bpf_hz, n, sr, phase0=rng.uniform()))
    x = (ph - 0.5) / max(duty, 1e-3)
    env = 1.0 - depth + depth * np.exp(-0.5 * x * x) * 1.6
    return P.white(rng, n) * env


def exhaust_ir(sr: int, *, pipe_hz: float, damping: float, rng: np.random.Generator,
               length_s: float = 0.08) -> np.ndarray:
    """Impulse response of an exhaust system (closed-open tube, quarter-wave resonance
    ``pipe_hz``: odd harmonics 1, 3, 5, 7, 9) plus the blow-down's noise burst (L,); higher
    ``damping`` (a muffler) shortens the ring."""
    L = max(int(length_s * sr), 16)
    odd = np.array([1.0, 3.0, 5.0, 7.0, 9.0]) * (1.0 + 0.03 * rng.uniform(-1, 1, 5))
    t60 = np.array([0.12, 0.07, 0.05, 0.035, 0.025]) * (1.2 - damping)
    ring = P.modal_ir(L, sr, pipe_hz * odd, t60, np.array([1.0, 0.55, 0.35, 0.22, 0.14]))
    burst = P.white(rng, L) * np.exp(-np.arange(L) / (0.004 * sr))
    return ring / (P.peak_abs(ring) + 1e-12) + (0.15 + 0.3 * (1 - damping)) * burst


def piston_engine(rng: np.random.Generator, n: int, sr: int, *, rpm, cylinders: int,
                  pipe_hz: float, roughness: float = 0.2, load: float = 0.5,
                  damping: float = 0.5) -> np.ndarray:
    """A four-stroke piston engine's exhaust note (n,): combustion pulses at ``rpm / 60 *
    cylinders / 2`` (``rpm`` scalar or (n,)), each cylinder with its own strength (imbalance),
    cycle-to-cycle variation growing with ``roughness``, louder and brighter under ``load``,
    convolved with :func:`exhaust_ir`; plus mechanical clatter at the firing rate."""
    cyl = max(int(cylinders), 1)
    fire = np.asarray(rpm, np.float64) / 60.0 * cyl / 2.0
    idx, k = passage_times(fire, n, sr, phase0=rng.uniform())
    if idx.size == 0:
        return np.zeros(n)
    cyl_gain = rng.uniform(1.0 - 0.3 * roughness - 0.05, 1.0, cyl)[k % cyl]
    amp = cyl_gain * np.exp((0.08 + 0.4 * roughness) * rng.standard_normal(idx.size))
    ir = exhaust_ir(sr, pipe_hz=pipe_hz, damping=damping, rng=rng)
    if load < 1.0:
        ir = P.lowpass(ir, sr, 600.0 + 6000.0 * load ** 1.5, order=1)
    y = P.convolve_head(P.impulses(n, idx, amp), ir)
    clatter = P.highpass(P.noise_grains(rng, 1, sr, length_s=0.01, t60_s=0.004)[0], sr, 1500.0)
    y += 0.08 * P.peak_abs(y) * P.place(n, idx, clatter, amp) / (P.peak_abs(clatter) + 1e-12)
    return y
