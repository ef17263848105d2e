"""Friction: stick-slip relaxation oscillation and rough sliding contact, vectorised.

**Stick-slip** (squeaks, squeals, creaks; Farnell, *Designing Sound*, "creaking door"; the
Sound Design Toolkit's elasto-plastic friction): while two surfaces stick, the elastic force
between them builds up linearly with the sliding velocity; when it exceeds the static limit
(proportional to the normal force) they slip and the force drops at once. The friction force
is therefore a sawtooth whose period is the time to load the spring back to the limit,

    f_slip ~ k_stiff * v / (delta_mu * N)

so the slip rate rises with the velocity ``v`` and falls with the normal force ``N`` (heavy
pressure: slow, big slips, a groan; light: a fast squeak). Real squeals *lock* onto a resonance
of the rubbed body: the slip rate is pulled to the nearest mode (or a sub-multiple) and jumps
when the drive moves too far, which is why a hinge squeal is a held pitch that breaks and jumps
instead of a smooth glide. Below a threshold velocity the contact only sticks (no sound).

Here the slip phase is integrated from the drive curves (a cumulative sum), the force is a
band-limited sawtooth of that phase with per-cycle random height and period jitter (surface
irregularity), optional mode locking is applied on a control-rate grid, and the result is
meant to drive a modal body (:mod:`sfxgen.synth.physics.modal`) or resonator bank.

**Rough contact** (scrapes, drags, rope fibres): an object sliding over a rough surface reads
the surface profile at its speed (the scraping model of the Sound Design Toolkit and van den
Doel's FoleyAutomatic), so a fractal profile gives a noise whose bandwidth and level follow the
velocity; it is synthesised directly with that time-varying spectrum.
"""

from __future__ import annotations

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P

CTRL_HZ = 400.0
"""Control rate (Hz) of the slip-rate curves (locking, jitter), interpolated to audio rate."""


def slip_rate_hz(velocity, normal_force, *, base_hz: float) -> np.ndarray:
    """Stick-slip rate (Hz) from a sliding ``velocity`` and ``normal_force`` (both >= 0, relative
    units, arrays or scalars): ``base_hz * v / (0.25 + N)`` (see the module docstring)."""
    v = np.maximum(np.asarray(velocity, np.float64), 0.0)
    return base_hz * v / (0.25 + np.maximum(np.asarray(normal_force, np.float64), 0.0))


def mode_lock(freq_hz: np.ndarray, modes_hz, *, strength: float, max_sub: int = 4) -> np.ndarray:
    """Pull a slip-rate curve onto the nearest body mode or sub-multiple (f_mode / k, k <= ``max_sub``).

    ``strength`` 0 = free glide, 1 = held on the locked pitch, which then jumps when another
    mode is nearer. Works on any (m,) curve; in log frequency."""
    f = np.maximum(np.asarray(freq_hz, np.float64), 1e-3)
    s = float(np.clip(strength, 0.0, 1.0))
    if s <= 0.0:
        return f
    cands = np.unique(np.concatenate([np.asarray(modes_hz, np.float64) / k for k in range(1, max_sub + 1)]))
    cands = cands[cands > 0]
    lf, lc = np.log(f), np.log(cands)
    i = np.clip(np.searchsorted(lc, lf), 1, lc.size - 1)
    lo, hi = lc[i - 1], lc[i]
    near = np.where(lf - lo < hi - lf, lo, hi) if lc.size > 1 else np.full_like(lf, lc[0])
    return np.exp(lf + s * (near - lf))


def slip_force(rng: np.random.Generator, n: int, sr: int, rate_hz, *, jitter: float = 0.1,
               height_jitter: float = 0.3, lock_modes_hz=None, lock: float = 0.0) -> np.ndarray:
    """Stick-slip friction force (n,): a band-limited sawtooth at the slip rate ``rate_hz``
    (scalar or (n,) Hz; 0 = stuck), each cycle with a random height (``height_jitter``, relative)
    and the period wandering by ``jitter`` (relative, smooth); the rate is optionally locked onto
    ``lock_modes_hz`` (see :func:`mode_lock`). Zero-mean per cycle; about unit amplitude."""
    r = np.broadcast_to(np.asarray(rate_hz, np.float64), (n,))
    m = max(int(np.ceil(n * CTRL_HZ / sr)) + 2, 2)
    pos = np.arange(m) * (sr / CTRL_HZ)
    rc = np.interp(pos, np.arange(n), r)
    if jitter > 0:
        rc = rc * np.exp(jitter * (B.smooth_random(rng, m, int(CTRL_HZ), 9.0)
                                   + 0.5 * B.smooth_random(rng, m, int(CTRL_HZ), 37.0)))
    if lock_modes_hz is not None and lock > 0:
        moving = rc > 1.0
        rc = np.where(moving, mode_lock(rc, lock_modes_hz, strength=lock), rc)
    f = P.ramp_interp(rc, CTRL_HZ / sr, n)
    f = np.clip(f, 0.0, 0.45 * sr)
    ph = P.phase_of(f, n, sr)
    saw = P.saw(f, n, sr)  # force: linear build-up while stuck, sudden drop at the slip
    if height_jitter > 0:
        k = int(ph[-1]) + 2 if n else 1
        h = np.clip(1.0 + height_jitter * rng.standard_normal(k), 0.1, 3.0)
        saw *= h[ph.astype(np.int64)]
    return saw


def rough_contact(rng: np.random.Generator, n: int, sr: int, velocity, *, slope: float = 2.0,
                  corner_hz: float = 6000.0, lo_hz: float = 0.0, hi_hz: float | None = None,
                  nfft: int = 512) -> np.ndarray:
    """Contact force of sliding over a rough surface (n,), about unit RMS at speed 1.

    A surface whose height spectrum falls as 1/k**slope, read at speed v, gives a force (the
    height's time derivative) with amplitude spectrum ~ v**(slope/2) * f**(1 - slope/2): louder
    and brighter the faster it slides; the contact patch smooths it above ``corner_hz`` x
    (0.3 + v). ``lo_hz`` / ``hi_hz`` band-limit it (4th-order-like skirts) for what the
    surrounding structure radiates. ``velocity`` is a scalar or (n,) curve >= 0 (relative).
    Synthesised as noise with that time-varying spectrum in the STFT domain
    (:func:`primitives.spectral_noise`, hops of ``nfft / 2``): no per-sample filter, no band-pass
    pass, no read-out images."""
    v = np.broadcast_to(np.maximum(np.asarray(velocity, np.float64), 0.0), (n,))
    hop = nfft // 2
    frames = n // hop + 2
    idx = np.minimum(np.arange(frames) * hop, max(n - 1, 0))
    vf = (v[idx] if n else np.zeros(frames))[:, None]
    k = 1.0 - 0.5 * slope

    def mag(t, f):
        ff = np.maximum(f, 40.0)
        band = (ff / 1000.0) ** k
        if lo_hz > 0:
            band = band / np.sqrt(1.0 + (lo_hz / ff) ** 4)
        if hi_hz is not None:
            band = band / np.sqrt(1.0 + (ff / hi_hz) ** 4)
        fc = corner_hz * (0.3 + vf)
        return vf ** (0.5 * slope) * band / np.sqrt(1.0 + (ff / fc) ** 2)

    return P.spectral_noise(rng, n, sr, mag, channels=1, nfft=nfft)[0]


def stick_gate(velocity: np.ndarray, threshold: float, *, soft: float = 0.5) -> np.ndarray:
    """Where the contact slides (1) or sticks silently (0): a smooth step of the velocity over
    ``threshold`` (width ``soft`` x threshold)."""
    v = np.asarray(velocity, np.float64)
    w = max(threshold * soft, 1e-9)
    return np.clip((v - threshold) / w + 0.5, 0.0, 1.0)


def creak(rng: np.random.Generator, n: int, sr: int, velocity, *, pressure: float, rust: float,
          base_hz: float, lock_modes_hz=None, lock: float = 0.0, threshold: float = 0.08) -> np.ndarray:
    """A hinge or joint creaking under motion: the stick-slip force (n,) for a sliding
    ``velocity`` curve (n,) in [0, 1] under ``pressure`` (0 light .. 1 heavy), with ``rust``
    (0 clean, steady .. 1 rusty: irregular slips, chattering stops) and optional mode locking.
    Silent where the velocity is under ``threshold`` (stuck). Level ~ sqrt(pressure) x velocity."""
    v = np.broadcast_to(np.asarray(velocity, np.float64), (n,))
    rate = slip_rate_hz(0.15 + v, pressure, base_hz=base_hz)
    f = slip_force(rng, n, sr, rate, jitter=0.03 + 0.35 * rust, height_jitter=0.15 + 0.6 * rust,
                   lock_modes_hz=lock_modes_hz, lock=lock)
    gate = stick_gate(v, threshold)
    if rust > 0.05:  # rust: the joint grabs and lets go (chatter), more often when rustier
        grab = B.smooth_random(rng, n, sr, 7.0) + 1.2 - 1.4 * rust
        gate = gate * np.clip(grab * 4.0 + 0.5, 0.0, 1.0)
    return f * gate * np.sqrt(0.3 + pressure) * np.minimum(v * 1.5, 1.0)


def door_hinge(rng: np.random.Generator, n: int, sr: int, velocity: np.ndarray, *, panel_ir: np.ndarray,
               lock_modes_hz, amount: float, size: float, pitch_ratio: float, rate: float, base_hz: float = 95.0,
               force: float = 1.0) -> np.ndarray:
    """What a door's hinge side sounds like while the leaf swings with ``velocity`` (n,) in [0, 1]:
    the hinge's stick-slip (:func:`creak`; rust and mode locking grow with the creak ``amount``
    in [0, 1]; slip rate ``base_hz`` x pitch, lower for a bigger, heavier door) radiated by the
    door panel (``panel_ir``, its slips locking to ``lock_modes_hz``) and by the hinge leaf's
    own small modes (a squeak), at a level ~ amount**3; plus a faint rub and the air the moving
    leaf pushes, always there. (n,), peak about 0.9 at full creak. Only the span where the leaf
    moves (and the panel's ring after it) is computed."""
    v_full = np.asarray(velocity, np.float64)
    out_full = np.zeros(n)
    moving = np.flatnonzero(v_full > 0)
    if moving.size == 0:
        return out_full
    a, b = int(moving[0]), min(n, int(moving[-1]) + 1 + panel_ir.size)
    v, m = v_full[a:b], b - a
    out = out_full[a:b]  # (a view: the span is written in place)
    if amount > 0.1:  # (an oiled hinge does not creak at all: no slip train)
        base = base_hz * pitch_ratio * (1.4 - 0.8 * size) * rate ** 0.3
        force_ = creak(rng, m, sr, v, pressure=0.25 + 0.5 * size, rust=0.2 + 0.4 * amount, base_hz=base,
                       lock_modes_hz=lock_modes_hz, lock=0.25 * amount)
        leaf = P.modal_ir(int(0.08 * sr), sr, np.array([900.0, 1750.0, 2900.0]) * pitch_ratio * rng.uniform(0.93, 1.07, 3),
                          np.array([0.02, 0.015, 0.012]), np.array([1.0, 0.6, 0.4]))
        ir = np.zeros(max(panel_ir.size, leaf.size))
        ir[: panel_ir.size] += panel_ir / (np.sum(np.abs(panel_ir)) + 1e-12)
        ir[: leaf.size] += 0.5 * leaf / (np.sum(np.abs(leaf)) + 1e-12)
        body = B.convolve(force_, ir)
        out += 0.9 * amount ** 3 * body / (P.peak_abs(body) + 1e-12)
    # a faint rub of the pin and the air the leaf pushes (band-limited noise following the swing)
    air = B.bandpass(B.white(rng, m), 150.0, 2500.0 * pitch_ratio, sr) * (0.5 * v + force * v * v)
    out += 0.02 * air / (P.peak_abs(air) + 1e-12)
    return out_full


STROKE_SHAPES = {
    "swing": lambda x: np.sin(np.pi * x) ** 0.6,  # eased in and out: a hinge turned, a lever pulled
    "push": lambda x: np.minimum(x / 0.08, 1.0) * (1.0 - x) ** 0.5,  # pushed off hard, dragged to a stop
}


def strokes(rng: np.random.Generator, n: int, sr: int, lengths_s: np.ndarray, gaps_s: np.ndarray, *,
            shape: str = "swing", lead_s: float = 0.02, tail_s: float = 0.2, wobble: float = 0.2,
            wobble_hz: float = 5.0) -> np.ndarray:
    """The sliding speed (n,) of a hand or load making a few strokes: one speed bump per stroke
    of ``lengths_s`` followed by ``gaps_s`` of rest (stuck: silent), each bump of
    :data:`STROKE_SHAPES` ``shape`` and a random 0.7-1 height, the whole fitted into the clip
    (:func:`sfxgen.synth.physics.crumple.fit_factor`, ``lead_s`` and ``tail_s`` included) and
    wobbling by ``wobble`` at ``wobble_hz``; >= 0."""
    from sfxgen.synth.physics.crumple import fit_factor

    lengths_s, gaps_s = np.asarray(lengths_s, np.float64), np.asarray(gaps_s, np.float64)
    k = fit_factor(lead_s + float(np.sum(lengths_s + gaps_s)) + tail_s, n / sr)
    t = np.arange(n) / sr
    v = np.zeros(n)
    t0 = lead_s * k
    for L, gap in zip(lengths_s * k, gaps_s * k):  # a handful of strokes, each a vectorised bump
        seg = (t >= t0) & (t < t0 + L)
        v[seg] = STROKE_SHAPES[shape]((t[seg] - t0) / L) * rng.uniform(0.7, 1.0)
        t0 += L + gap
    return np.maximum(v * (1.0 + wobble * B.smooth_random(rng, n, sr, wobble_hz)), 0.0)
