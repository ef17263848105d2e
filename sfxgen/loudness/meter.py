"""ITU-R BS.1770-4/5 loudness meter with EBU Tech 3341 / 3342 behaviour, fully vectorised.

What it measures (all on ``(channels, samples)`` float audio at any sample rate):

* **integrated loudness** (LUFS): K-weighted mean square over 400 ms blocks with 75 % overlap
  (100 ms hop), absolute gate -70 LUFS, relative gate -10 LU; the incomplete last block is dropped.
* **momentary** (400 ms window) and **short-term** (3 s window) loudness every 100 ms; the
  maximum of each is reported, the series are available from :func:`loudness_series`.
* **loudness range** (LRA, EBU Tech 3342): spread between the 10th and 95th percentile of the
  short-term values that pass an absolute -70 LUFS and a relative -20 LU gate.
* **sample peak** (dBFS) and **true peak** (dBTP) from a 4x oversampled polyphase FIR
  interpolator (:class:`TruePeakMeter`), as BS.1770 Annex 2 asks.

K-weighting at any rate is designed by the bilinear transform from the analog prototype (as
libebur128 does), so a 44.1 kHz or 96 kHz file gets the same response as the 48 kHz reference
coefficients. Channel weights follow BS.1770: 1.0 for L, R, C; 1.41 for the surrounds; 0 for the
LFE (see :func:`channel_weights` for the layouts assumed per channel count).

Short clips (common one-shot sound effects): a clip shorter than a measurement window is measured
as if it were followed by silence, i.e. zero-padded to one full window (400 ms for momentary and
integrated, 3 s for short-term). That is exactly what any standard BS.1770 meter reads when the
clip plays once in silence, it is continuous with the ordinary measurement at 400 ms, and it never
raises. A 100 ms burst therefore reads 6 dB lower than its own 100 ms mean square would suggest.
LRA needs at least one full 3 s short-term window and is ``None`` for shorter clips.

Silence and near-silence (every block below the -70 LUFS absolute gate) have no measurable
loudness: integrated, momentary and short-term figures are ``None``, never ``-inf``.

Implementation: the K-filter's two sections run in numpy as a state-space filter over 100 ms
segments (:class:`sfxgen.loudness.blockfilter.BlockFilter`: short sub-blocks as one matrix
product plus the carried state, equal to ``scipy.signal.sosfilt`` to ~1e-12 at 48 kHz), per-100 ms
energy sums via reshape, window energies by cumulative sums over those segments; scipy.signal
is never imported (it alone costs ~0.75 s of start-up). A fixed -500 dB dither (:data:`DITHER`)
is added to the K-filter input so that the filter's ringing after a clip ends (or in the zero
padding of a short clip) never decays into subnormal floats, which the CPU handles 10-100x
slower; its energy (1e-50) is some 400 dB under the -70 LUFS gate, so no figure moves. The true-peak interpolator only runs on the stretches whose level could reach
the peak (an exact bound, see :class:`TruePeakMeter`).
"""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass

import numpy as np

from sfxgen.errors import ParameterError

ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
LRA_RELATIVE_GATE_LU = -20.0
MOMENTARY_S = 0.4
SHORT_TERM_S = 3.0
MIN_SAMPLE_RATE = 4000
MAX_SAMPLE_RATE = 768000
_MOMENTARY_SEGMENTS = 4  # 400 ms in 100 ms steps
_SHORT_TERM_SEGMENTS = 30
DITHER = 1e-25
"""Amplitude (-500 dBFS) of the fixed dither added to the K-filter input (see module docstring)."""

__all__ = [
    "LoudnessResult",
    "LoudnessSeries",
    "TruePeakMeter",
    "channel_weights",
    "gate_mask",
    "gated_loudness",
    "k_weighting_sos",
    "kaiser_lowpass",
    "loudness_series",
    "measure",
    "true_peak",
    "window_energies",
]


@dataclass(frozen=True)
class LoudnessResult:
    """Loudness figures of one piece of audio; ``None`` where a figure is not measurable.

    integrated_lufs: gated programme loudness (None for silence / below -70 LUFS).
    lra_lu: loudness range (None for clips shorter than 3 s or without gated short-term blocks).
    true_peak_dbtp / sample_peak_dbfs: None for digital silence (or when true peak was skipped).
    max_momentary_lufs / max_short_term_lufs: loudest 400 ms / 3 s window (None when silent).
    duration_s, sample_rate, channels: the measured audio.
    """

    integrated_lufs: float | None
    lra_lu: float | None
    true_peak_dbtp: float | None
    sample_peak_dbfs: float | None
    max_momentary_lufs: float | None
    max_short_term_lufs: float | None
    duration_s: float
    sample_rate: int
    channels: int

    def to_dict(self) -> dict:
        """JSON-ready dict with exactly the public keys (None stays None -> JSON null)."""
        return asdict(self)

    def bext_fields(self) -> dict:
        """The BWF ``bext`` v2 loudness fields (keyword arguments of :class:`sfxgen.audio.Bext`)."""
        return {
            "loudness_value": self.integrated_lufs,
            "loudness_range": self.lra_lu,
            "max_true_peak_level": self.true_peak_dbtp,
            "max_momentary_loudness": self.max_momentary_lufs,
            "max_short_term_loudness": self.max_short_term_lufs,
        }


@dataclass(frozen=True)
class LoudnessSeries:
    """Momentary and short-term loudness every 100 ms (window end times in seconds).

    Values below the measurable floor are ``-inf`` here (a series, not a headline figure).
    Only full windows are included.
    """

    momentary_times_s: np.ndarray
    momentary_lufs: np.ndarray
    short_term_times_s: np.ndarray
    short_term_lufs: np.ndarray


# --------------------------------------------------------------------------------------------
# filters and weights


def k_weighting_sos(sample_rate: float) -> np.ndarray:
    """K-weighting filter as second-order sections, shape (2, 6), for ``sample_rate`` Hz.

    Stage 1 is the high-shelf "head" filter (+4 dB above ~1.7 kHz), stage 2 the RLB high-pass
    (~38 Hz). Both are bilinear transforms of the analog prototypes whose parameters reproduce
    the BS.1770 48 kHz coefficients to ~1e-8; other rates get the same analog response.
    """
    fs = float(sample_rate)
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / fs)
    vh = 10.0 ** (gain_db / 20.0)
    vb = vh**0.4996667741545416
    a0 = 1.0 + k / q + k * k
    shelf = [
        (vh + vb * k / q + k * k) / a0,
        2.0 * (k * k - vh) / a0,
        (vh - vb * k / q + k * k) / a0,
        1.0,
        2.0 * (k * k - 1.0) / a0,
        (1.0 - k / q + k * k) / a0,
    ]
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / fs)
    a0 = 1.0 + k / q + k * k
    highpass = [1.0, -2.0, 1.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0]
    return np.array([shelf, highpass], dtype=np.float64)


def channel_weights(channels: int) -> np.ndarray:
    """BS.1770 channel weights G_i for a channel count (WAV/SMPTE channel order assumed).

    1-3 ch: mono / L R / L R C -> 1.0 each. 4 ch: quad L R Ls Rs -> 1, 1, 1.41, 1.41.
    5 ch: L R C Ls Rs -> 1, 1, 1, 1.41, 1.41. 6 ch (5.1): L R C LFE Ls Rs, LFE weight 0.
    8 ch (7.1): L R C LFE + four surrounds at 1.41. Other counts: 1.0 for every channel.
    """
    if channels < 1:
        raise ParameterError(f"audio has {channels} channels; need at least one")
    table = {
        4: [1.0, 1.0, 1.41, 1.41],
        5: [1.0, 1.0, 1.0, 1.41, 1.41],
        6: [1.0, 1.0, 1.0, 0.0, 1.41, 1.41],
        8: [1.0, 1.0, 1.0, 0.0, 1.41, 1.41, 1.41, 1.41],
    }
    return np.array(table.get(channels, [1.0] * channels), dtype=np.float64)


def _energy_to_lufs(energy):
    with np.errstate(divide="ignore"):
        return -0.691 + 10.0 * np.log10(energy)


def _check_audio(audio, sample_rate) -> tuple[np.ndarray, int]:
    try:
        sr = int(sample_rate)
    except (TypeError, ValueError):
        raise ParameterError(f"sample_rate must be a number of Hz, got {sample_rate!r}") from None
    if sr <= 0 or sr != sample_rate:
        raise ParameterError(f"sample_rate must be a positive whole number of Hz, got {sample_rate!r}")
    if not MIN_SAMPLE_RATE <= sr <= MAX_SAMPLE_RATE:
        raise ParameterError(
            f"sample rate {sr} Hz is outside {MIN_SAMPLE_RATE}-{MAX_SAMPLE_RATE} Hz; BS.1770 K-weighting "
            "(a 1.7 kHz shelf) needs at least 4 kHz"
        )
    x = np.asarray(audio)
    if x.ndim == 1:
        x = x[np.newaxis, :]
    if x.ndim != 2:
        raise ParameterError(f"audio must be (channels, samples); got shape {x.shape}")
    if x.shape[0] > x.shape[1] and x.shape[0] > 64:
        raise ParameterError(
            f"audio shape {x.shape} looks like (samples, channels); sfxgen uses (channels, samples)"
        )
    if not np.issubdtype(x.dtype, np.floating):
        raise ParameterError(f"audio must be floating point in [-1, 1], got dtype {x.dtype}")
    # a finite sum means finite samples (NaN and inf propagate); only an overflowing sum of huge
    # finite values falls through to the per-sample test
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.sum(x)
    if not np.isfinite(total) and not np.all(np.isfinite(x)):
        raise ParameterError("audio contains NaN or infinite samples; loudness is undefined")
    return x, sr


# --------------------------------------------------------------------------------------------
# block energies


@functools.lru_cache(maxsize=8)
def _dither(n: int) -> np.ndarray:
    """A fixed (deterministic) -500 dB noise sequence of ``n`` samples, read-only."""
    d = DITHER * np.random.default_rng(0x1770).standard_normal(n)
    d.setflags(write=False)
    return d


def _weights(channels: int, weights) -> np.ndarray:
    w = channel_weights(channels) if weights is None else np.asarray(weights, np.float64)
    if w.shape != (channels,):
        raise ParameterError(f"need {channels} channel weights, got {w.shape}")
    return w


_CHUNK_SEGMENTS = 64
"""K-filter pieces of 6.4 s: whole clips for most sound effects, bounded memory for long files."""


@functools.lru_cache(maxsize=8)
def _k_block_filter(sample_rate: int):
    """The K-filter of ``sample_rate`` as a :class:`~sfxgen.loudness.blockfilter.BlockFilter`
    over 100 ms segments, ``(sample_rate + 5) // 10`` samples as libebur128 cuts them (cached:
    its tables take a few ms to build)."""
    from sfxgen.loudness.blockfilter import BlockFilter

    return BlockFilter(k_weighting_sos(sample_rate), (sample_rate + 5) // 10)


class _KFilter:
    """The K-filter of each channel with its state carried from piece to piece: pieces of a
    signal filtered in turn give the energies of the whole signal filtered at once (the same
    floats when the pieces are cut alike, as the streamed and the in-memory meter cut them),
    so a file can be metered block by block (see :mod:`sfxgen.loudness.stream`)."""

    def __init__(self, sample_rate: int, channels: int):
        self._filter = _k_block_filter(sample_rate)
        self.step = self._filter.block  # samples per 100 ms, as libebur128
        self._state = [self._filter.zero_state() for _ in range(channels)]

    def segment_energies(self, c: int, piece: np.ndarray, dither: np.ndarray) -> np.ndarray:
        """Sum of squares of the K-filtered channel ``c`` per 100 ms segment of ``piece``
        (a whole number of segments), continuing from the previous piece of that channel."""
        # float64 copy with the dither added (no subnormal filter states, see DITHER)
        x = np.add(piece, dither[: piece.shape[-1]], dtype=np.float64)
        y, self._state[c] = self._filter.filter(x.reshape(-1, self.step), self._state[c])
        return np.einsum("ij,ij->i", y, y)


class _Blocks:
    """Weighted K-filtered energy in 100 ms segments, plus helpers for windows over them."""

    def __init__(self, x: np.ndarray, sample_rate: int, weights: np.ndarray | None):
        n = x.shape[1]
        kf = _KFilter(sample_rate, x.shape[0])
        self.step = kf.step
        w = _weights(x.shape[0], weights)
        active = np.flatnonzero(w)
        n_seg = n // self.step
        seg = np.zeros(n_seg, dtype=np.float64)
        used = n_seg * self.step
        chunk = _CHUNK_SEGMENTS * self.step  # bounded memory, filter state carried across pieces
        dither = _dither(min(chunk, used)) if used else None
        for c in active if used else ():
            parts = [kf.segment_energies(c, x[c, s0 : min(used, s0 + chunk)], dither) for s0 in range(0, used, chunk)]
            seg += w[c] * (parts[0] if len(parts) == 1 else np.concatenate(parts))
        self._set(seg, self.step)

    @classmethod
    def from_segments(cls, seg: np.ndarray, step: int) -> "_Blocks":
        """Blocks from already weighted segment energies (the streaming meter's)."""
        blocks = cls.__new__(cls)
        blocks._set(seg, step)
        return blocks

    def _set(self, seg: np.ndarray, step: int) -> None:
        self.step, self.seg, self.n_seg = step, seg, seg.size
        self.cum = np.concatenate(([0.0], np.cumsum(self.seg)))

    def windows(self, segments: int) -> np.ndarray:
        """Mean-square energy of every full window of ``segments`` x 100 ms, 100 ms hop."""
        if self.n_seg < segments:
            return np.zeros(0)
        e = self.cum[segments:] - self.cum[:-segments]
        return np.maximum(e, 0.0) / (segments * self.step)


def _padded_window_energy(x: np.ndarray, sample_rate: int, weights, segments: int) -> float:
    """Energy of one window of ``segments`` x 100 ms holding the whole (shorter) clip followed
    by silence; the K-filter's ringing after the clip is included, as a meter would see it."""
    step = (sample_rate + 5) // 10
    padded = np.zeros((x.shape[0], segments * step), dtype=np.float64)
    padded[:, : x.shape[1]] = x
    return float(_Blocks(padded, sample_rate, weights).windows(segments)[0])


def gate_mask(window_energies) -> np.ndarray:
    """Which 400 ms gating windows BS.1770's integrated loudness keeps (bool, one per window):
    above the absolute gate (-70 LUFS) and within the relative gate (-10 LU) of the mean of
    those. ``window_energies``: K-weighted, channel-weighted mean-square energies."""
    e = np.asarray(window_energies, np.float64)
    above = e > 10.0 ** ((ABSOLUTE_GATE_LUFS + 0.691) / 10.0)
    if not above.any():
        return above
    return above & (e > e[above].mean() * 10.0 ** (RELATIVE_GATE_LU / 10.0))


def gated_loudness(window_energies) -> float | None:
    """BS.1770 integrated loudness (LUFS) from the K-weighted, channel-weighted mean-square
    energies of the 400 ms gating windows (:func:`gate_mask`); None when every window is under
    the absolute gate."""
    return _integrated(np.asarray(window_energies, np.float64))


def window_energies(audio, sample_rate: int) -> np.ndarray:
    """(channels, windows) K-weighted mean-square energy of each channel in the 400 ms gating
    windows (100 ms hop), cut exactly as :func:`integrated_lufs` cuts them (a clip shorter than
    400 ms is one window padded with silence). For comparisons window by window, e.g. a stereo
    mix against its mono fold-down under the same gates."""
    x, sr = _check_audio(audio, sample_rate)
    rows = []
    for c in range(x.shape[0]):
        weights = np.zeros(x.shape[0])
        weights[c] = 1.0
        blocks = _Blocks(x, sr, weights)
        if blocks.n_seg >= _MOMENTARY_SEGMENTS:
            rows.append(blocks.windows(_MOMENTARY_SEGMENTS))
        else:
            rows.append(np.array([_padded_window_energy(x, sr, weights, _MOMENTARY_SEGMENTS)]))
    return np.stack(rows)


def _integrated(block_e: np.ndarray) -> float | None:
    keep = gate_mask(block_e)
    return float(_energy_to_lufs(block_e[keep].mean())) if keep.any() else None


def _loudness_range(st_e: np.ndarray) -> float | None:
    gate_abs = 10.0 ** ((ABSOLUTE_GATE_LUFS + 0.691) / 10.0)
    e = st_e[st_e > gate_abs]
    if e.size == 0:
        return None
    gate_rel = e.mean() * 10.0 ** (LRA_RELATIVE_GATE_LU / 10.0)
    e = np.sort(e[e > gate_rel])
    lo = e[int((e.size - 1) * 0.10 + 0.5)]
    hi = e[int((e.size - 1) * 0.95 + 0.5)]
    return float(_energy_to_lufs(hi) - _energy_to_lufs(lo))


def _lufs_or_none(energy: float) -> float | None:
    if energy <= 10.0 ** ((ABSOLUTE_GATE_LUFS + 0.691) / 10.0):
        return None
    return float(_energy_to_lufs(energy))


# --------------------------------------------------------------------------------------------
# true peak


def kaiser_lowpass(n_taps: int, cutoff: float, *, kaiser_beta: float) -> np.ndarray:
    """Linear-phase low-pass FIR: a Kaiser-windowed sinc of ``n_taps`` taps with its cutoff at
    ``cutoff`` x Nyquist, scaled to unity gain at DC. The design of ``scipy.signal.firwin(n_taps,
    cutoff, window=("kaiser", beta))`` (equal to ~1e-16, tested), in numpy alone: the meter
    must not import scipy.signal (~0.75 s of start-up for the ``loudness`` command)."""
    m = np.arange(n_taps) - (n_taps - 1) / 2.0
    h = cutoff * np.sinc(cutoff * m) * np.kaiser(n_taps, kaiser_beta)
    return h / h.sum()


class TruePeakMeter:
    """Polyphase FIR interpolator for true-peak measurement (BS.1770-4 Annex 2).

    The interpolation filter is a Kaiser-windowed sinc with ``oversample * taps_per_phase - 1``
    taps and its cutoff at the original Nyquist frequency. With an odd length the centre tap
    falls on a sample, so one phase is the identity (the original samples) and only the
    ``oversample - 1`` in-between phases are computed, each as an FFT overlap-save convolution
    in float32 over frames batched into 2-D arrays (no per-sample Python loop).

    oversample: interpolation factor (4 gives 192 kHz at 48 kHz, as BS.1770 requires).
    taps_per_phase: filter length per phase; 32 keeps passband ripple below 0.01 dB to 20 kHz.
    cutoff: filter cutoff as a fraction of the input Nyquist frequency (1.0 = interpolator;
        other values compute every phase since none is then the identity).
    """

    def __init__(self, *, oversample: int = 4, taps_per_phase: int = 32, kaiser_beta: float = 8.0,
                 nfft: int = 2048, cutoff: float = 1.0):
        if oversample < 1 or taps_per_phase < 2:
            raise ParameterError("oversample must be >= 1 and taps_per_phase >= 2")
        self.oversample = int(oversample)
        self.nfft = int(nfft)
        n_taps = self.oversample * int(taps_per_phase) - 1
        self.taps = kaiser_lowpass(n_taps, cutoff / self.oversample, kaiser_beta=kaiser_beta) * self.oversample
        centre = (n_taps - 1) // 2
        self._identity_phase = centre % self.oversample
        self._delay = centre // self.oversample  # input samples of delay of the identity phase
        phases = np.zeros((self.oversample, int(taps_per_phase)))
        for p in range(self.oversample):
            t = self.taps[p :: self.oversample]
            phases[p, : t.size] = t
        # in-between phases, ordered by the time they interpolate (fraction after a sample)
        exact = cutoff == 1.0  # only then is one phase exactly the input samples
        keep = [p for p in range(self.oversample) if p != self._identity_phase or not exact]
        frac = [((self._identity_phase - p) % self.oversample) for p in keep]
        order = np.argsort(frac)[::-1]
        self._phases = phases[np.array(keep, dtype=int)[order]] if keep else np.zeros((0, phases.shape[1]))

    def _chunks(self, x: np.ndarray):
        """Yield (start, y) with y (channels, phases, m): interpolated values between input
        samples start+j and start+j+1 for j < m, at fractions 1/L, 2/L, ... (L-1)/L."""
        ch, n = x.shape

        def span(a: int, b: int) -> np.ndarray:  # x[:, a:b] with zeros outside the signal
            out = np.zeros((ch, b - a), dtype=np.float32)
            lo, hi = max(a, 0), min(b, n)
            if hi > lo:
                out[:, lo - a : hi - a] = x[:, lo:hi]
            return out

        yield from self._chunks_from(span, ch, n)

    def _chunks_from(self, span, ch: int, n: int):
        """:meth:`_chunks` over a signal of ``n`` samples read through ``span(a, b)`` ->
        ``(ch, b - a)`` float32 (zeros outside ``[0, n)``), called with increasing, slightly
        overlapping ranges: a file can be measured without holding it in memory, with the very
        same frames, batches and FFTs as in memory (bit-identical peaks)."""
        import scipy.fft as sf

        t = self._phases.shape[1]
        nfft = max(self.nfft, 2 * t)
        hop = nfft - t + 1
        lead = t - 1
        # xp[k] = x[k - lead]; output j of frame f is sum_i h[i] xp[f*hop + j + lead - i]
        n_frames = -(-(n + self._delay + 1) // hop)
        spec = sf.rfft(self._phases.astype(np.float32), nfft, axis=-1)[np.newaxis, :, np.newaxis, :]
        per = max(1, (1 << 19) // nfft)
        for f0 in range(0, n_frames, per):  # bounded memory; each pass is a batched 2-D FFT
            f1 = min(n_frames, f0 + per)
            seg = span(f0 * hop - lead, (f1 - 1) * hop + nfft - lead)
            view = np.lib.stride_tricks.sliding_window_view(seg, nfft, axis=-1)
            frames = sf.rfft(view[:, np.arange(f1 - f0) * hop, :], axis=-1)[:, np.newaxis]  # (ch, 1, F, bins)
            y = sf.irfft(frames * spec, nfft, axis=-1)[..., t - 1 :]  # (ch, P, F, hop)
            y = y.reshape(ch, y.shape[1], -1)
            # conv output index k interpolates between x[k - delay - 1] and x[k - delay]
            yield f0 * hop - self._delay - 1, y

    def peak(self, x: np.ndarray) -> float:
        """Largest absolute value of the signal and its interpolation, linear full scale."""
        x = np.atleast_2d(np.asarray(x))
        if x.shape[1] == 0:
            return 0.0
        best = float(np.abs(x).max())
        if self._phases.shape[0] == 0 or best == 0.0:
            return best
        return max(best, self.interpolated_peak(self._chunks(x), x.shape[1]))

    @staticmethod
    def interpolated_peak(chunks, n: int) -> float:
        """Largest absolute interpolated value yielded by :meth:`_chunks` / :meth:`_chunks_from`
        for a signal of ``n`` samples (the samples themselves not included)."""
        best = 0.0
        for start, y in chunks:
            lo = max(0, -start)
            hi = min(y.shape[-1], n - 1 - start)
            if hi > lo:
                best = max(best, float(np.abs(y[..., lo:hi]).max()))
        return best

    def envelope(self, x: np.ndarray) -> np.ndarray:
        """Per-sample peak envelope, shape (samples,): max over channels of |x[m]| and of the
        interpolated values between x[m-1], x[m] and x[m+1]; channels linked."""
        x = np.atleast_2d(np.asarray(x))
        n = x.shape[1]
        env = np.abs(x).max(axis=0).astype(np.float64)
        if n < 2 or self._phases.shape[0] == 0:
            return env
        between = np.zeros(n - 1)
        for start, y in self._chunks(x):
            lo = max(0, -start)
            hi = min(y.shape[-1], n - 1 - start)
            if hi > lo:
                between[start + lo : start + hi] = np.abs(y[..., lo:hi]).max(axis=(0, 1))
        env[:-1] = np.maximum(env[:-1], between)
        env[1:] = np.maximum(env[1:], between)
        return env


@functools.lru_cache(maxsize=1)
def _default_tp() -> TruePeakMeter:
    """The measuring interpolator (built once; it holds only constant filter taps)."""
    return TruePeakMeter()


def true_peak(audio, sample_rate=None, *, meter: TruePeakMeter | None = None) -> float:
    """True peak of ``audio`` (channels, samples) in linear full-scale units (4x oversampled)."""
    del sample_rate  # the interpolator works on the sample grid at any rate
    return (meter or _default_tp()).peak(np.atleast_2d(audio))


# --------------------------------------------------------------------------------------------
# public API


def integrated_lufs(audio, sample_rate: int) -> float | None:
    """Integrated loudness alone, exactly as :func:`measure` reads it (same K-filter, blocks,
    gates and short-clip padding), without the short-term, LRA and peak figures: the cheap
    reading for code that only needs a gain (the synth level stage meters every render)."""
    x, sr = _check_audio(audio, sample_rate)
    blocks = _Blocks(x, sr, None)
    if blocks.n_seg >= _MOMENTARY_SEGMENTS:
        return _integrated(blocks.windows(_MOMENTARY_SEGMENTS))
    return _lufs_or_none(_padded_window_energy(x, sr, None, _MOMENTARY_SEGMENTS))


def measure(audio, sample_rate: int, *, true_peak: bool = True,
            weights: np.ndarray | None = None) -> LoudnessResult:
    """Measure BS.1770 / EBU R128 loudness of ``audio``.

    audio: (channels, samples) float array (a 1-D array is taken as mono), full scale = 1.0.
    sample_rate: Hz, any positive integer rate.
    true_peak: set False to skip the (comparatively costly) oversampled peak; true_peak_dbtp is
        then None.
    weights: optional BS.1770 G weights overriding :func:`channel_weights`.

    Returns a :class:`LoudnessResult`; see the module docstring for clips shorter than 400 ms
    (zero-padded to one window) and silence (None figures).
    """
    x, sr = _check_audio(audio, sample_rate)
    ch, n = x.shape
    blocks = _Blocks(x, sr, weights)
    sp = float(np.abs(x).max()) if n else 0.0
    tp = _default_tp().peak(x) if true_peak and sp > 0 else None
    return result_from_blocks(blocks, lambda segments: _padded_window_energy(x, sr, weights, segments),
                              sample_peak=sp, true_peak=tp, samples=n, sample_rate=sr, channels=ch)


def result_from_blocks(blocks: _Blocks, padded_energy, *, sample_peak: float, true_peak: float | None,
                       samples: int, sample_rate: int, channels: int) -> LoudnessResult:
    """The :class:`LoudnessResult` of K-filtered segment energies ``blocks`` plus the linear
    ``sample_peak`` and ``true_peak`` (None = not measured). ``padded_energy(segments)`` gives
    the energy of one window holding the whole (shorter) clip followed by silence; it is only
    called for clips shorter than that window."""
    if blocks.n_seg >= _MOMENTARY_SEGMENTS:
        momentary = blocks.windows(_MOMENTARY_SEGMENTS)
        integrated = _integrated(momentary)
        max_m = _lufs_or_none(float(momentary.max()))
    else:  # shorter than 400 ms: one zero-padded block
        integrated = max_m = _lufs_or_none(padded_energy(_MOMENTARY_SEGMENTS))
    if blocks.n_seg >= _SHORT_TERM_SEGMENTS:
        short_term = blocks.windows(_SHORT_TERM_SEGMENTS)
        lra = _loudness_range(short_term)
        max_s = _lufs_or_none(float(short_term.max()))
    else:  # shorter than 3 s: one zero-padded short-term window, no LRA
        lra = None
        max_s = _lufs_or_none(padded_energy(_SHORT_TERM_SEGMENTS))
    sp = float(sample_peak)
    return LoudnessResult(
        integrated_lufs=integrated,
        lra_lu=lra,
        true_peak_dbtp=float(20.0 * np.log10(true_peak)) if true_peak is not None and sp > 0 else None,
        sample_peak_dbfs=float(20.0 * np.log10(sp)) if sp > 0 else None,
        max_momentary_lufs=max_m,
        max_short_term_lufs=max_s,
        duration_s=samples / sample_rate,
        sample_rate=sample_rate,
        channels=channels,
    )


def loudness_series(audio, sample_rate: int) -> LoudnessSeries:
    """Momentary (400 ms) and short-term (3 s) loudness every 100 ms over full windows."""
    x, sr = _check_audio(audio, sample_rate)
    blocks = _Blocks(x, sr, None)
    m = blocks.windows(_MOMENTARY_SEGMENTS)
    s = blocks.windows(_SHORT_TERM_SEGMENTS)
    hop = blocks.step / sr
    return LoudnessSeries(
        momentary_times_s=(np.arange(m.size) + _MOMENTARY_SEGMENTS) * hop,
        momentary_lufs=_energy_to_lufs(m),
        short_term_times_s=(np.arange(s.size) + _SHORT_TERM_SEGMENTS) * hop,
        short_term_lufs=_energy_to_lufs(s),
    )
