"""Synthetic room impulse responses and convolution reverb.

:func:`synth_ir` builds a decorrelated multichannel impulse response from a few perceptual
settings (RT60, pre-delay, size, brightness): a sparse early-reflection pattern followed by a
diffuse tail of band-split noise, each band decaying exponentially at its own rate (highs decay
faster; lower ``brightness`` means darker onset and faster high decay). The band decay times are
scaled so that the *broadband* energy-decay curve (Schroeder integral, T30 fit) of the expected
energy envelope, early reflections included, gives the requested RT60.

Level convention: every IR channel has unit energy (sum of squares = 1). Convolving stationary
white noise with it therefore keeps the RMS level; for typical effects the wet RMS is within a
few dB of the dry RMS, so ``wet_db`` in :class:`Reverb` is the wet level relative to the dry.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from sfxgen.dsp._util import SettingsMixin, as_2d, check_range, check_rate
from sfxgen.errors import ParameterError

__all__ = ["synth_ir", "convolve", "Reverb", "ReverbSettings"]

_LN1000 = np.log(1000.0)  # amplitude decays by 60 dB over RT60: exp(-ln(1000) t / RT60)
_BAND_CENTRES_HZ = 62.5 * 2.0 ** np.arange(0, 10)  # 62.5 Hz .. 32 kHz, octave spaced


def _band_masks(freqs: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Octave band masks (K, F) whose amplitudes sum to 1 at every frequency (cos^2 crossovers)."""
    lf = np.log2(np.maximum(freqs, 1e-3))
    lc = np.log2(centres)
    m = np.zeros((centres.size, freqs.size))
    for k, c in enumerate(lc):  # each band is non-zero within one octave of its centre only
        i0, i1 = np.searchsorted(lf, [c - 1.0, c + 1.0])  # freqs ascending
        while i0 > 0 and lf[i0 - 1] > c - 1.0:
            i0 -= 1
        d = lf[i0:i1] - c
        m[k, i0:i1] = np.where(np.abs(d) < 1.0, np.cos(0.5 * np.pi * d) ** 2, 0.0)
    m[0, lf <= lc[0]] = 1.0
    m[-1, lf >= lc[-1]] = 1.0
    return m


_BAND_NOISE_CACHE_MAX = 1 << 18
"""Length of the cached band-noise set (samples; 5.5 s at 48 kHz, 21 MB in stereo)."""


def _band_noise(nfft: int, sample_rate: int, brightness: float, seed: int, channels: int):
    """Octave-band noise for an IR tail (read-only): ``(bands (channels, K, >= nfft) float32,
    gram (K, K))``, where gram is the per-sample covariance of the bands.

    Independent of the RT60, so IRs of every decay time (same seed and brightness) share one
    set of band signals and an IR costs a few vector operations instead of an inverse FFT per
    band and channel. One cached set of :data:`_BAND_NOISE_CACHE_MAX` samples serves every IR
    longer than 0.7 s (repeated circularly past 5.5 s, see :func:`_first`), a set of 2**15
    samples the shorter ones."""
    size = _BAND_NOISE_CACHE_MAX if nfft > 1 << 15 else 1 << 15
    return _band_noise_cached(size, sample_rate, brightness, seed, channels)


def _first(x: np.ndarray, n: int) -> np.ndarray:
    """The first ``n`` samples of a band signal, repeating it circularly when it is shorter (the
    band noise is made by an inverse FFT, so it is exactly periodic and the repeat is seamless;
    a repeat of a reverb tail's fine structure after 5.5 s is not audible)."""
    if x.shape[-1] >= n:
        return x[..., :n]
    return np.concatenate([x] * (-(-n // x.shape[-1])), axis=-1)[..., :n]


@functools.lru_cache(maxsize=4)
def _band_noise_cached(nfft: int, sample_rate: int, brightness: float, seed: int, channels: int):
    return _make_band_noise(nfft, sample_rate, brightness, seed, channels)


def _make_band_noise(nfft: int, sample_rate: int, brightness: float, seed: int, channels: int):
    import scipy.fft as sfft

    freqs = np.fft.rfftfreq(nfft, d=1.0 / sample_rate)
    centres = _BAND_CENTRES_HZ[_BAND_CENTRES_HZ < 0.5 * sample_rate]
    masks = (_band_masks(freqs, centres) * _onset_tilt(freqs, brightness)[None, :]).astype(np.float32)
    w = np.full(freqs.size, 2.0, np.float32)
    w[0] = 1.0
    if nfft % 2 == 0:
        w[-1] = 1.0
    gram = ((masks * w) @ masks.T).astype(np.float64) / nfft
    rng = np.random.default_rng([seed & 0xFFFFFFFF, 0xB4D5])
    bands = np.empty((channels, centres.size, nfft), np.float32)
    for c in range(channels):
        spec = sfft.rfft(rng.standard_normal(nfft, dtype=np.float32))
        bands[c] = sfft.irfft(spec[None, :] * masks, nfft, axis=-1)
    bands.setflags(write=False)
    gram.setflags(write=False)
    return bands, gram


def _band_decay_ratio(centres: np.ndarray, brightness: float) -> np.ndarray:
    """Per-band RT60 relative to the broadband value (before calibration).

    Flat up to 1 kHz, falling above it (more steeply when dark); slightly longer lows when dark.
    """
    alpha = 0.15 + 0.45 * (1.0 - brightness)
    r = np.where(centres > 1000.0, (centres / 1000.0) ** (-alpha), 1.0)
    low = np.clip(np.log2(250.0 / centres), 0.0, None) / 2.0
    r = r * (1.0 + 0.15 * (1.0 - brightness) * low)
    return np.maximum(r, 0.1)


def _onset_tilt(freqs: np.ndarray, brightness: float) -> np.ndarray:
    """Amplitude tilt of the tail's initial spectrum: -0..-3 dB/octave above 2 kHz, 20 Hz highpass."""
    beta = 0.5 * (1.0 - brightness)
    g = np.where(freqs > 2000.0, (np.maximum(freqs, 1.0) / 2000.0) ** (-beta), 1.0)
    hp = np.clip((freqs - 10.0) / 10.0, 0.0, 1.0)  # fade in 10..20 Hz, no DC
    return g * hp


def _t30_of_energy(e: np.ndarray, dt: float) -> float:
    """T30 (s) of an energy envelope sampled every ``dt`` seconds, fit from its first sample."""
    edc = np.cumsum(e[::-1])[::-1]
    edc_db = 10.0 * np.log10(np.maximum(edc / edc[0], 1e-30))
    i0 = int(np.argmax(edc_db <= -5.0))
    i1 = int(np.argmax(edc_db <= -35.0))
    if i1 <= i0 + 2:
        raise ParameterError("reverb settings give a decay too short to model at this sample rate")
    t = np.arange(i0, i1 + 1) * dt
    y = edc_db[i0 : i1 + 1]
    tc = t - t.mean()
    slope = float(np.dot(tc, y - y.mean()) / np.dot(tc, tc))  # least-squares line (as polyfit, deg 1)
    return float(-60.0 / slope)


class _IRPlan:
    """Everything about an IR that depends on its settings but not on its length: the
    early-reflection taps, the calibrated per-band decay times, the expected energy envelope
    and the band grouping (see :func:`_ir_plan`)."""

    def __init__(self, sr, rt60, size, bright, seed, channels, gram, band_size):
        centres = _BAND_CENTRES_HZ[_BAND_CENTRES_HZ < 0.5 * sr]
        ratio = _band_decay_ratio(centres, bright)
        n_full = max(int(np.ceil(1.5 * rt60 * sr)), 64)
        er_len_s = 0.010 + 0.090 * size
        t_build = er_len_s / 3.0
        n_taps = int(8 + round(16 * size))
        er_ratio = 0.35 - 0.25 * size  # early-reflection energy relative to the tail's

        rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, 0x5F3E])
        # Tap pattern per channel: first reflection at t=0, density growing like t^2.
        tap_idx, tap_gain = [], []
        for _c in range(channels):
            u = np.sort(rng.random(n_taps - 1)) ** (1.0 / 3.0)
            idx = np.concatenate([[0], np.round(u * er_len_s * sr).astype(int)])
            idx = np.clip(idx, 0, n_full - 1)
            g = np.concatenate([[1.0], rng.uniform(0.35, 0.85, n_taps - 1)])
            g *= rng.choice([-1.0, 1.0], n_taps)
            tap_idx.append(idx)
            tap_gain.append(g)

        tap_power = float(np.sum(np.mean(np.square(tap_gain), axis=0)))

        # Calibrate the decay scale so the expected broadband T30 equals rt60 (ramp and taps included).
        step = max(1, n_full // 2500)  # calibration grid: ~2500 points are ample for a T30 fit
        tg = np.arange(0, n_full, step) / sr
        rg = 1.0 - np.exp(-tg / t_build)

        def expected(scale: float):
            a = np.exp(-_LN1000 * tg[None, :] / (scale * rt60 * ratio[:, None]))  # (K, G)
            e_tail = np.einsum("kg,kg->g", gram @ a, a)  # a_k gram_kj a_j summed, via one small matmul
            env = np.sqrt(e_tail / e_tail[0])
            e = rg**2 * e_tail
            tail_energy = e.sum() * step
            amp_er = np.sqrt(er_ratio * tail_energy / tap_power)
            a0 = max(amp_er, 6.0 * np.sqrt(e.max()))
            idx0 = tap_idx[0] // step
            e_er = np.zeros_like(e)
            np.add.at(e_er, idx0, (a0 * tap_gain[0] * env[idx0]) ** 2 / step)
            return e + e_er, a0

        scale = 1.0
        for _ in range(6):
            e, _ = expected(scale)
            got = _t30_of_energy(e, step / sr)
            scale *= rt60 / got
            if abs(got / rt60 - 1.0) < 0.002:
                break
        e, a0 = expected(scale)
        self.taus = scale * rt60 * ratio  # final per-band RT60s
        self.uniq, inv = np.unique(np.round(self.taus, 9), return_inverse=True)
        self.inv = inv.reshape(-1)
        self.tap_idx, self.tap_gain, self.a0, self.e, self.step, self.t_build = tap_idx, tap_gain, a0, e, step, t_build
        self._key = (band_size, sr, round(bright, 6), seed, channels)
        for arr in (self.taus, self.uniq, self.inv, self.e, *tap_idx, *tap_gain):
            arr.setflags(write=False)

    def grouped(self) -> np.ndarray:
        """The band noise summed within each decay group: (channels, G, N) float32, cached."""
        return _grouped_bands(*self._key, tuple(self.inv.tolist()))


@functools.lru_cache(maxsize=64)
def _ir_plan(sr, rt60, size, bright, seed, channels, band_size) -> _IRPlan:
    """The length-independent part of :func:`synth_ir` for these settings (taps, calibration),
    cached: a clip-length cut of the same room reuses it instead of recalibrating."""
    _, gram = _band_noise_cached(band_size, sr, round(bright, 6), seed, channels)
    return _IRPlan(sr, rt60, size, bright, seed, channels, gram, band_size)


@functools.lru_cache(maxsize=4)
def _grouped_bands(band_size, sr, bright, seed, channels, inv: tuple) -> np.ndarray:
    """The cached band noise summed within each decay group ``inv`` (band -> group):
    (channels, G, band_size) float32, read-only."""
    bands, _ = _band_noise_cached(band_size, sr, bright, seed, channels)
    inv = np.asarray(inv)
    out = np.empty((bands.shape[0], int(inv.max()) + 1, bands.shape[-1]), np.float32)
    for g in range(out.shape[1]):
        group = np.flatnonzero(inv == g)
        for c in range(bands.shape[0]):
            xs = bands[c, group]
            out[c, g] = xs[0] if group.size == 1 else xs.sum(axis=0)
    out.setflags(write=False)
    return out


def synth_ir(
    *,
    rt60_s: float,
    sample_rate: int,
    pre_delay_ms: float = 0.0,
    size: float = 0.5,
    brightness: float = 0.5,
    channels: int = 2,
    seed: int = 0,
    length_s: float | None = None,
) -> np.ndarray:
    """Synthesize a room impulse response, shape (channels, n) float32, each channel unit energy.

    Args:
        rt60_s: broadband reverberation time (s, 0.05..30); measured by Schroeder integration
            with a T30 fit the result is within a few percent of this.
        sample_rate: Hz.
        pre_delay_ms: silence before the first reflection (0..500 ms).
        size: 0..1 room size; sets the early-reflection window (10..100 ms), tap count and
            spacing (bigger rooms: later, sparser first reflections, weaker relative to tail).
        brightness: 0..1; low values darken the tail onset and make highs decay faster.
        channels: number of decorrelated output channels (independent noise and reflections).
        seed: makes the IR reproducible.
        length_s: optional cut (s, after the pre-delay): only that much of the IR is
            synthesised (much cheaper when convolving a clip shorter than the tail), scaled as
            that part of a unit-energy full-length IR (its share of the expected energy). The
            cut IR is not a prefix of the uncut one (different noise), but has the same decay.

    Length is ``1.5 * rt60_s`` plus pre-delay (the tail is ~90 dB down by then), or less with
    ``length_s``. The tail is float32 octave-band noise (shared by every RT60, see
    :func:`_band_noise`), each band under its own exponential decay.
    """
    from scipy.signal import lfilter

    sr = check_rate(sample_rate)
    rt60 = check_range("rt60_s", rt60_s, 0.05, 30.0)
    pre = check_range("pre_delay_ms", pre_delay_ms, 0.0, 500.0)
    size = check_range("size", size, 0.0, 1.0)
    bright = check_range("brightness", brightness, 0.0, 1.0)
    if int(channels) != channels or not 1 <= int(channels) <= 64:
        raise ParameterError(f"channels must be an integer 1..64; got {channels!r}")
    channels = int(channels)
    if int(seed) != seed:
        raise ParameterError(f"seed must be an integer; got {seed!r}")

    n_pre = int(round(pre * 1e-3 * sr))
    n_full = max(int(np.ceil(1.5 * rt60 * sr)), 64)
    n = n_full
    if length_s is not None:
        n = min(n_full, max(int(np.ceil(check_range("length_s", length_s, 0.0, 1e4) * sr)), 64))
    # band noise shared by every RT60 (see _band_noise)
    nfft = max(1 << int(np.ceil(np.log2(n))), 8192)
    bands, gram = _band_noise(nfft, sr, round(bright, 6), int(seed), channels)
    plan = _ir_plan(sr, rt60, size, bright, int(seed), channels, bands.shape[-1])
    tap_idx, tap_gain, a0, taus, e, step, grouped = (
        plan.tap_idx, plan.tap_gain, plan.a0, plan.taus, plan.e, plan.step, plan.grouped())
    # onset ramp; past 40 time constants it is exactly 1.0 in float64, so only the head is kept
    ramp = 1.0 - np.exp(-(np.arange(min(n, int(np.ceil(40.0 * plan.t_build * sr)) + 1)) / sr) / plan.t_build)

    def broadband_env(idx):
        a = np.exp(-_LN1000 * (idx / sr)[None, :] / taus[:, None])
        return np.sqrt(np.einsum("kn,kj,jn->n", a, gram, a) / gram.sum())

    cutoff = min(3000.0 + 15000.0 * bright, 0.45 * sr)
    lp = _er_lowpass(cutoff, sr)

    # Bands sharing a decay time share one envelope (and one cached band sum); float32
    # throughout; decay envelopes stop at e^-60 (-520 dB) so no float32 goes subnormal.
    uniq = plan.uniq
    envs = np.multiply.outer((-_LN1000 / uniq).astype(np.float32), (np.arange(n) / sr).astype(np.float32))
    if _LN1000 / float(uniq.min()) * (n / sr) > 59.0:  # (the clamp is a no-op unless an exponent can reach -60)
        np.maximum(envs, np.float32(-60.0), out=envs)
    np.exp(envs, out=envs)  # (G, n)
    # share of the full-length IR's expected energy that the cut keeps (1 when not cut)
    keep = 1.0 if n == n_full else float(e[: -(-n // step)].sum() / e.sum())
    out = np.zeros((channels, n_pre + n), dtype=np.float32)
    for c in range(channels):
        # sum over groups, one pass; past the band noise's length it repeats circularly (see _first)
        ir = np.empty(n, np.float32)
        period = grouped.shape[-1]
        for s0 in range(0, n, period):
            s1 = min(n, s0 + period)
            np.einsum("gn,gn->n", envs[:, s0:s1], grouped[c, :, : s1 - s0], out=ir[s0:s1])
        ir[: ramp.size] *= ramp
        taps = tap_idx[c][1:][tap_idx[c][1:] < n]
        gains = tap_gain[c][1:][tap_idx[c][1:] < n]
        # the low-pass rings out within ~1 ms of the last tap: filter only up to 20 ms past it
        # (the rest is below 1e-100 and would crawl through subnormal floats), and add a fixed
        # -500 dB dither so that the ringing between sparse taps does not either
        end = min(n, int(taps.max(initial=0)) + int(0.02 * sr) + 1)
        later = 1e-25 * _er_dither(end)  # later reflections are softened by the low-pass, the first stays crisp
        np.add.at(later, taps, a0 * gains * broadband_env(taps))
        ir[:end] += lfilter(lp[0, :3], lp[0, 3:], later)  # (one section: lfilter, no sosfilt checks)
        ir[tap_idx[c][0]] += a0 * tap_gain[c][0]
        energy = float(np.dot(ir.astype(np.float64), ir.astype(np.float64))) if n < 65536 else float(np.dot(ir, ir))
        np.multiply(ir, np.float32(1.0 / np.sqrt(energy / keep)), out=out[c, n_pre:])
    return out


def _er_dither(n: int) -> np.ndarray:
    """A fixed unit-variance noise sequence of ``n`` samples (read-only): the prefix of one
    cached block per power-of-two length (the generator's output is prefix-stable, so every
    ``n`` gets the same values as drawing ``n`` samples afresh)."""
    return _er_dither_block(max(1 << max(int(n) - 1, 0).bit_length(), 1 << 14))[:n]


@functools.lru_cache(maxsize=4)
def _er_dither_block(m: int) -> np.ndarray:
    d = np.random.default_rng(0xE7).standard_normal(m)
    d.setflags(write=False)
    return d


@functools.lru_cache(maxsize=64)
def _er_lowpass(cutoff_hz: float, sample_rate: int) -> np.ndarray:
    """2nd-order Butterworth low-pass (sos) softening the later early reflections (shared: do
    not modify; not flagged read-only because scipy's sosfilt rejects read-only sections)."""
    from scipy.signal import butter

    return butter(2, cutoff_hz, btype="low", fs=sample_rate, output="sos")


def convolve(audio, ir) -> np.ndarray:
    """Convolve audio (channels, n) with an IR (channels_ir, m); returns (C, n + m - 1) float32.

    Channel rules: equal counts convolve channel by channel; a mono source with a multichannel
    IR gives one output per IR channel; a mono IR is applied to every source channel. Other
    combinations raise ParameterError. FFT overlap-add (scipy.signal.oaconvolve).
    """
    from scipy.signal import oaconvolve

    x = as_2d(audio)
    h = as_2d(ir, name="ir")
    cx, ch = x.shape[0], h.shape[0]
    if cx != ch and cx != 1 and ch != 1:
        raise ParameterError(
            f"cannot convolve {cx}-channel audio with a {ch}-channel IR; use a mono IR or match channels"
        )
    c = max(cx, ch)
    x = np.broadcast_to(x, (c, x.shape[1])).astype(np.float64)
    h = np.broadcast_to(h, (c, h.shape[1])).astype(np.float64)
    return oaconvolve(x, h, axes=-1).astype(np.float32)


@dataclass
class ReverbSettings(SettingsMixin):
    """Serializable reverb settings (plain JSON-friendly fields).

    ``wet_db`` is the wet gain relative to unit-energy IR convolution; ``dry_db`` the dry gain;
    ``wet_only`` returns the wet signal alone (a mixer's reverb-bus return); ``keep_tail`` keeps
    the full ``len(audio) + len(ir) - 1`` output instead of trimming to the input length.
    """

    rt60_s: float = 1.2
    pre_delay_ms: float = 10.0
    size: float = 0.5
    brightness: float = 0.5
    wet_db: float = -12.0
    dry_db: float = 0.0
    wet_only: bool = False
    keep_tail: bool = True
    channels: int = 2
    seed: int = 0


@dataclass
class Reverb(ReverbSettings):
    """Convolution reverb effect: ``Reverb(rt60_s=2.0, wet_db=-10)(audio, sample_rate)``.

    Builds its IR with :func:`synth_ir` (``channels`` = max(setting, input channels)) and caches
    it per sample rate and channel count. Mono input gives multichannel (default stereo) output.
    """

    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def impulse_response(self, sample_rate: int, channels: int | None = None) -> np.ndarray:
        """The IR this effect uses at ``sample_rate`` (shape (channels, n) float32)."""
        ch = max(int(self.channels), int(channels or 1))
        key = (check_rate(sample_rate), ch, tuple(sorted(self.to_dict().items())))
        if key not in self._cache:
            self._cache.clear()
            self._cache[key] = synth_ir(
                rt60_s=self.rt60_s, sample_rate=sample_rate, pre_delay_ms=self.pre_delay_ms,
                size=self.size, brightness=self.brightness, channels=ch, seed=self.seed,
            )
        return self._cache[key]

    def __call__(self, audio, sample_rate: int) -> np.ndarray:
        """Apply to (channels, n) audio; returns float32 (C_out, n or n + len(ir) - 1)."""
        x = as_2d(audio)
        wet_gain = 10.0 ** (check_range("wet_db", self.wet_db, hi=60.0) / 20.0)
        dry_gain = 10.0 ** (check_range("dry_db", self.dry_db, hi=60.0) / 20.0)
        ir = self.impulse_response(sample_rate, x.shape[0])
        wet = convolve(x, ir) * wet_gain
        if not self.keep_tail:
            wet = wet[:, : x.shape[1]]
        if self.wet_only:
            return wet.astype(np.float32)
        out = wet.astype(np.float64)
        out[:, : x.shape[1]] += dry_gain * np.broadcast_to(x, (out.shape[0], x.shape[1]))
        return out.astype(np.float32)

