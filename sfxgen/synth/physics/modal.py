"""Modal bodies with material damping: what a struck, rubbed or broken solid rings with.

A body is a set of modes (frequency, T60, amplitude). Frequencies follow the object's shape
(free-free bar, rectangular plate, irregular chunk, hollow box); the decay of each mode follows
its material through a loss factor (internal friction) plus a frequency-independent loss at the
supports and a quadratic air/thermoelastic loss at the top (the damping law of Sound Design
Toolkit-style modal resonators, cf. Aramaki & Kronland-Martinet's material categorisation):

    decay rate  sigma(f) = sigma0 + pi * eta * f + k_air * f**2      (1/s),  T60 = ln(1000) / sigma

so wood (eta ~ 0.01) rings for tenths of a second with its highs gone first, steel
(eta ~ 5e-4) for seconds, cardboard and flesh (eta 0.1-0.3) not at all. The strike's contact
time shapes the excitation spectrum (a half-sine force pulse: hard and short = bright, soft and
long = dull), applied per mode in closed form instead of a convolution.

All functions are vectorised: impulse responses come from :func:`sfxgen.synth.primitives.modal_ir`
(block-recursive), repeated strikes are copies of a few IR variants placed at their onsets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sfxgen.synth import blocks as B
from sfxgen.synth import primitives as P


@dataclass(frozen=True)
class Material:
    """Damping and radiation character of a solid.

    ``eta``: loss factor (internal friction); ``sigma0_per_s``: frequency-independent decay
    (supports, radiation); ``k_air``: quadratic high-frequency loss (s); ``density``: how
    densely its modes crowd (1 = a clean bar/plate, more = a rough, irregular chunk);
    ``noise``: share of broadband contact noise in a strike (rough, granular materials).
    """

    eta: float
    sigma0_per_s: float
    k_air: float
    density: float
    noise: float


MATERIALS: dict[str, Material] = {
    "steel": Material(eta=0.0006, sigma0_per_s=0.8, k_air=2.0e-9, density=1.0, noise=0.05),
    "brass": Material(eta=0.0010, sigma0_per_s=1.0, k_air=3.0e-9, density=1.0, noise=0.05),
    "glass": Material(eta=0.0015, sigma0_per_s=1.5, k_air=4.0e-9, density=1.0, noise=0.04),
    "ice": Material(eta=0.0040, sigma0_per_s=3.0, k_air=8.0e-9, density=1.3, noise=0.10),
    "stone": Material(eta=0.0080, sigma0_per_s=8.0, k_air=3.0e-8, density=2.0, noise=0.35),
    "wood": Material(eta=0.0120, sigma0_per_s=4.0, k_air=2.0e-8, density=1.3, noise=0.15),
    "plastic": Material(eta=0.0300, sigma0_per_s=6.0, k_air=4.0e-8, density=1.2, noise=0.15),
    "cardboard": Material(eta=0.0800, sigma0_per_s=12.0, k_air=8.0e-8, density=1.5, noise=0.40),
    "flesh": Material(eta=0.2500, sigma0_per_s=25.0, k_air=2.0e-7, density=1.0, noise=0.30),
}


def t60_s(material: str | Material, freqs_hz, *, scale: float = 1.0) -> np.ndarray:
    """T60 (s) of modes at ``freqs_hz`` in ``material`` (see the module's damping law);
    ``scale`` multiplies every decay (a bigger or freer-hanging object rings longer)."""
    m = MATERIALS[material] if isinstance(material, str) else material
    f = np.asarray(freqs_hz, np.float64)
    sigma = m.sigma0_per_s + np.pi * m.eta * f + m.k_air * f * f
    return scale * P.LN1000 / sigma


# ----------------------------------------------------------------------------- mode patterns
BAR_RATIOS = np.array([1.0, 2.756, 5.404, 8.933, 13.345, 18.638, 24.81, 31.87, 39.81, 48.63])
"""Free-free (Euler-Bernoulli) beam modes relative to the first: a plank, a stick, a rod."""


def plate_ratios(count: int, aspect: float = 1.43) -> np.ndarray:
    """First ``count`` modes of a simply supported rectangular plate with side ratio ``aspect``,
    relative to the first: f_mn ~ m**2 + (n / aspect)**2 (a door panel, a sheet, an ice sheet)."""
    m = np.arange(1, count + 2)
    grid = (m[:, None] ** 2 + (m[None, :] / aspect) ** 2).ravel()
    r = np.sort(grid)[:count]
    return r / r[0]


def chunk_ratios(rng: np.random.Generator, count: int, density: float = 1.5) -> np.ndarray:
    """Irregular solid (a rock, a shard, a splinter): modes spread log-randomly upward from 1,
    ``density`` crowding them (more = rougher); sorted, first = 1."""
    steps = rng.gamma(2.0, 0.5 / max(density, 0.1), count - 1)
    return np.concatenate([[1.0], np.exp(np.cumsum(steps))])


def box_ratios(count: int) -> np.ndarray:
    """A hollow box or cabinet: a strong low air/panel mode, then panel modes (plate) above."""
    return np.concatenate([[1.0], 1.8 * plate_ratios(count - 1, 1.2)])


MIN_MODE_HZ = 40.0
"""Lowest mode frequency a :func:`body` keeps (Hz)."""


@dataclass(frozen=True)
class Body:
    """A modal body: ``freqs_hz``, ``t60_s`` and ``amps`` arrays of equal length."""

    freqs_hz: np.ndarray
    t60_s: np.ndarray
    amps: np.ndarray

    def ir(self, n: int, sr: int, *, rng: np.random.Generator | None = None, position: float | None = None,
           hardness: float = 0.5, contact_ms: float = 1.0) -> np.ndarray:
        """Impulse response (n,) of one strike: mode amplitudes weighted by the strike position
        (a ``sin`` shape per mode; random when ``position`` is None and ``rng`` is given) and by
        the spectrum of a half-sine contact pulse whose length falls with ``hardness``."""
        a = self.amps * contact_spectrum(self.freqs_hz, contact_s(hardness, contact_ms))
        if position is not None or rng is not None:
            x = position if position is not None else float(rng.uniform(0.1, 0.9))
            k = np.arange(1, a.size + 1)
            a = a * (0.25 + 0.75 * np.abs(np.sin(np.pi * k * x * 1.618)))
        return P.modal_ir(n, sr, self.freqs_hz, self.t60_s, a,
                          phases=None if rng is None else rng.uniform(-0.3, 0.3, a.size))

    def ring_len(self, sr: int, *, cap_s: float = 4.0) -> int:
        """Samples until the longest mode has fallen by ~75 dB (at most ``cap_s``)."""
        return int(min(1.25 * float(np.max(self.t60_s)), cap_s) * sr) + 1

    def scaled(self, *, freq: float = 1.0, decay: float = 1.0) -> "Body":
        return Body(self.freqs_hz * freq, self.t60_s * decay, self.amps)


def body(material: str, f1_hz: float, ratios: np.ndarray, *, rng: np.random.Generator | None = None,
         tilt: float = -0.5, detune: float = 0.01, decay_scale: float = 1.0, max_hz: float = 20000.0,
         min_hz: float = MIN_MODE_HZ) -> Body:
    """A modal body of ``material`` with first mode ``f1_hz`` and mode ``ratios``.

    Amplitudes fall as ``(f / f1) ** tilt`` (brightness), each detuned by up to ``detune``
    (relative, random) and given a random 0.4-1 weight when ``rng`` is given; T60s follow the
    material's damping law. Modes above ``max_hz`` and below ``min_hz`` are dropped (an object
    small against the wavelength does not radiate them, and nothing may land under 20 Hz);
    when that leaves none, the lowest mode is moved up to ``min_hz``."""
    f = f1_hz * np.asarray(ratios, np.float64)
    if rng is not None:
        f = f * (1.0 + detune * rng.uniform(-1, 1, f.size))
    keep = (f < max_hz) & (f >= min_hz)
    if not np.any(keep):
        f, keep = np.array([max(min_hz, min(float(np.min(f)), max_hz))]), np.ones(1, bool)
    f = f[keep]
    a = (f / max(f1_hz, min_hz)) ** tilt
    if rng is not None:
        a = a * rng.uniform(0.4, 1.0, f.size)
    return Body(f, t60_s(material, f, scale=decay_scale), a)


def contact_s(hardness: float, contact_ms: float = 1.0) -> float:
    """Contact time (s) of a strike: ``contact_ms`` x 6 ms for a soft mallet (hardness 0) down to
    ``contact_ms`` x 0.1 ms for a hard one (1), log between."""
    h = float(np.clip(hardness, 0.0, 1.0))
    return contact_ms * 1e-3 * 6.0 * (0.1 / 6.0) ** h


def contact_spectrum(freqs_hz, tau_s: float) -> np.ndarray:
    """Magnitude (1 at DC) of a half-sine force pulse of length ``tau_s`` at ``freqs_hz``:
    |cos(pi f tau)| / |1 - (2 f tau)**2|, floored at -60 dB (the first lobe then a -12 dB/oct roll)."""
    x = 2.0 * np.asarray(freqs_hz, np.float64) * tau_s
    den = 1.0 - x * x
    near = np.abs(den) < 1e-6
    mag = np.abs(np.cos(0.5 * np.pi * x)) / np.where(near, 1.0, np.abs(den))
    mag = np.where(near, np.pi / 4.0, mag)
    return np.maximum(mag, 1e-3 / (1.0 + x * x))


def strikes(n: int, sr: int, body_: Body, onsets: np.ndarray, gains: np.ndarray, *,
            rng: np.random.Generator, hardness=0.5, contact_ms: float = 1.0, variants: int = 3,
            detune: float = 0.0, pans: np.ndarray | None = None, spread: float = 0.5) -> np.ndarray:
    """The body struck at sample ``onsets`` with ``gains``: (n,), or (2, n) with ``pans``.

    ``variants`` IRs with random strike positions (and ``hardness`` per variant: a scalar, or an
    array per onset whose values are binned into the variants) are placed as copies at the
    onsets: cheap for tens of strikes, and no two consecutive strikes sound identical.
    ``detune`` (relative) retunes every mode of each variant at random: many similar objects
    (the links of a chain, pieces of rubble) rather than one struck again and again. With
    ``pans`` (one per onset, in [-1, 1]) each variant is also a place: events are binned by pan
    into the variants, which sit at equal-power positions across +-``spread`` (<= 0.6 keeps the
    mono fold-down within a decibel): stereo at the cost of the mono render."""
    onsets = np.asarray(onsets, np.int64)
    gains = np.broadcast_to(np.asarray(gains, np.float64), onsets.shape)
    keep = (onsets >= 0) & (onsets < n)
    onsets, gains = onsets[keep], gains[keep]
    out = np.zeros(n if pans is None else (2, n))
    if onsets.size == 0:
        return out
    L = min(body_.ring_len(sr), n)
    h = np.broadcast_to(np.asarray(hardness, np.float64), keep.shape)[keep]
    v = max(int(variants), 1)
    h_lo, h_hi = float(np.min(h)), float(np.max(h))
    if pans is not None:
        p = np.broadcast_to(np.asarray(pans, np.float64), keep.shape)[keep]
        which = np.clip(np.round((np.clip(p, -1, 1) + 1) / 2 * (v - 1)).astype(np.int64), 0, v - 1)
        gl, gr = B.pan_gains(np.linspace(-spread, spread, v) if v > 1 else np.zeros(1))
    elif h_hi - h_lo > 1e-3:  # the variants span the hardness range: each strike takes its nearest
        which = np.clip(np.round((h - h_lo) / (h_hi - h_lo) * (v - 1)).astype(np.int64), 0, v - 1)
    else:
        which = rng.integers(0, v, onsets.size)
    for k in range(v):
        sel = which == k
        if not np.any(sel):
            continue
        hk = float(np.mean(h[sel])) if pans is not None else h_lo + (h_hi - h_lo) * (k / max(v - 1, 1))
        bk = body_ if detune <= 0 else Body(body_.freqs_hz * (1.0 + detune * rng.uniform(-1, 1, body_.freqs_hz.size)),
                                           body_.t60_s, body_.amps)
        ir = bk.ir(L, sr, rng=rng, hardness=hk, contact_ms=contact_ms)
        y = B.convolve(P.impulses(n, onsets[sel], gains[sel]), ir)
        if pans is None:
            out += y
        else:
            out[0] += gl[k] * y
            out[1] += gr[k] * y
    return out


def contact_clicks(rng: np.random.Generator, n: int, sr: int, onsets: np.ndarray, gains: np.ndarray, *,
                   tau_s: float = 0.0006, lo_hz: float = 1500.0, hi_hz: float = 16000.0) -> np.ndarray:
    """Broadband contact noise of strikes (the 'tick' of hard contact, the grit of rough
    material): exponentially decaying noise bursts of time constant ``tau_s``, band-limited.
    (n,)."""
    onsets = np.asarray(onsets, np.int64)
    if onsets.size == 0:
        return np.zeros(n)
    g = np.broadcast_to(np.asarray(gains, np.float64), onsets.shape)
    y = B.noise_grains(rng, n, sr, onsets, np.full(onsets.size, tau_s), g, max_len_s=0.1)[0]
    return B.bandpass(y, lo_hz, hi_hz, sr, sparse=True)


# ----------------------------------------------------------------------------- doors and hardware
DOOR_MATERIALS = ("wood", "metal", "glass")
"""Door panel materials :func:`door_panel` knows."""


def door_panel(material: str, *, size: float, freq: float = 1.0, rng: np.random.Generator | None = None,
               brightness: float = 0.5, decay: float = 1.0) -> Body:
    """A door leaf as a plate: ``material`` one of :data:`DOOR_MATERIALS`; ``size`` 0..1 (a cabinet
    door .. a castle door: lower and longer-ringing); ``freq`` multiplies every mode (pitch);
    ``brightness`` tilts the mode amplitudes; ``decay`` scales every T60.

    wood: a 40 mm panel, first mode ~ 95 Hz at mid size, damped within tenths of a second;
    metal: a steel sheet door (filled and framed, so damped ~15x more than a bare plate), lower,
    ringing longer in its highs; glass: a framed pane, higher and brighter. 32-40 modes with a
    few per cent of random detuning: a dense, rough panel rather than a few clean lines."""
    span = 2.0 ** (-1.6 * (size - 0.5))
    tilt = -0.9 + 0.8 * brightness
    life = decay * (0.6 + 0.8 * size)
    if material == "metal":
        return body("steel", 75.0 * span * freq, plate_ratios(40, 2.1), rng=rng, tilt=tilt + 0.2, detune=0.03,
                    decay_scale=0.06 * life)
    if material == "glass":
        return body("glass", 160.0 * span * freq, plate_ratios(32, 1.6), rng=rng, tilt=tilt + 0.3, detune=0.03,
                    decay_scale=0.2 * life)
    return body("wood", 95.0 * span * freq, plate_ratios(40, 2.2), rng=rng, tilt=tilt, detune=0.04,
                decay_scale=0.3 * life)


def hardware(f1_hz: float, *, material: str = "steel", rng: np.random.Generator | None = None,
             count: int = 10, decay: float = 1.0) -> Body:
    """A small metal part (latch bolt, handle, hinge leaf, chain link): an irregular chunk of
    ``count`` modes from ``f1_hz`` up, damped by its mounting and its neighbours (T60s x 0.015:
    a dry click of tens of milliseconds, not a bell) times ``decay``."""
    ratios = chunk_ratios(rng, count, 1.0) if rng is not None else BAR_RATIOS[:count]
    return body(material, f1_hz, ratios, rng=rng, tilt=-0.3, decay_scale=0.015 * decay)


def hardware_clicks(rng: np.random.Generator, n: int, sr: int, onsets, gains, *, f1_hz: float,
                    material: str = "steel", decay: float = 1.0, hardness: float = 0.9,
                    tick: float = 1.0) -> np.ndarray:
    """Clicks of small hardware (a latch, a lock, a handle's spring): each onset strikes a
    :func:`hardware` body (three tunings, hard contact) with a bright contact tick (weight
    ``tick``); (n,)."""
    onsets = np.asarray(onsets, np.int64)
    g = np.broadcast_to(np.asarray(gains, np.float64), onsets.shape)
    part = hardware(f1_hz, material=material, rng=rng, decay=decay)
    y = strikes(n, sr, part, onsets, g, rng=rng, hardness=hardness, contact_ms=0.5)
    y /= max(float(P.peak_abs(y)), 1e-12) / max(float(np.max(np.abs(g))) if g.size else 1.0, 1e-12)
    if tick > 0:
        c = contact_clicks(rng, n, sr, onsets, g, tau_s=0.00025, lo_hz=2000.0)
        y += tick * c / max(float(P.peak_abs(c)), 1e-12) * (float(np.max(np.abs(g))) if g.size else 1.0)
    return y


DOOR_MATERIAL_ADJ = {"wood": ("wooden",), "metal": ("metal", "steel"), "glass": ("glass",)}
"""Caption adjectives of :data:`DOOR_MATERIALS`."""


def choice_adjectives(index: int, choices: tuple[str, ...], adjectives: dict, *, key: str = "material"):
    """A ``Family.special_words`` function saying the choice of categorical aux slot ``index``
    (one of ``choices``, equal ranges of u, as ``Param.choice`` picks) with its ``adjectives``
    before the noun; ``key`` is the caption attribute (the parameter's name)."""

    def words(ph, duration_s=None):
        k = len(choices)
        c = choices[min(int(min(max(ph.aux[index], 0.0), 1.0) * k), k - 1)]
        return [(key, list(adjectives[c]), [], c)] if adjectives.get(c) else []

    return words


def radiate(y: np.ndarray, sr: int, *, brightness: float, low_cut_hz: float, order: int = 2) -> np.ndarray:
    """What reaches the microphone from a small radiator: the spectral tilt of
    :func:`sfxgen.synth.primitives.tilt` (``brightness`` 0 dark .. 0.5 flat .. 1 bright) and a
    Butterworth low cut of ``order`` at ``low_cut_hz`` (a body much smaller than a wavelength
    radiates its lowest frequencies poorly; it also keeps sub-20 Hz energy out), as one cascade
    of second-order sections: a single filter pass over ``y`` ((n,) or (C, n))."""
    b = float(np.clip(brightness, 0.0, 1.0))
    fc = 800.0 * (20000.0 / 800.0) ** (b / 0.5)
    if b < 0.5:
        tilt = P.butter_sos(1, fc, "lowpass", sr) if fc < 0.45 * sr else np.zeros((0, 6))
    else:  # 1 + lift x first-order high-pass at 3 kHz, as one first-order shelf section
        lift = 10 ** (9.0 * (b - 0.5) / 0.5 / 20) - 1.0
        hp = P.butter_sos(1, 3000.0, "highpass", sr)[0]
        tilt = np.array([[1.0 + lift * hp[0], hp[4] + lift * hp[1], 0.0, 1.0, hp[4], 0.0]])
    sos = np.concatenate([tilt, P.butter_sos(order, low_cut_hz, "highpass", sr)])
    return P.sosfilt(sos, y)


def fade_tail(y: np.ndarray, sr: int, *, frac: float = 0.15, max_s: float = 0.3) -> np.ndarray:
    """A one-shot's safety net at the clip end: a raised-cosine fade over the last ``frac`` of
    the clip (at most ``max_s``). A gesture fitted into its clip has decayed by then and is
    untouched; one whose ring outlasts a short clip (a long ``decay``, a low, slow patch) ends in
    this fade instead of being cut. Returns ``y`` faded in place."""
    n = y.shape[-1]
    m = min(int(frac * n), int(max_s * sr))
    if m >= 2:
        y[..., n - m:] *= 0.5 + 0.5 * np.cos(np.pi * (np.arange(m) + 0.5) / m)
    return y


def ring_factor(decay_s: float, *, lo: float = 0.4, hi: float = 2.5) -> float:
    """The common ``decay`` slot (``decay_s``, 0.5 s neutral) as a multiplier of a family's
    natural ring times: ``(decay_s / 0.5) ** 0.4`` clipped to [``lo``, ``hi``] (a body's ring
    follows its material; the slot only leans on it)."""
    return float(np.clip((decay_s / 0.5) ** 0.4, lo, hi))
