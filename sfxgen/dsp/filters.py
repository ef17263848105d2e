"""Filters and EQ as second-order sections (SOS).

Butterworth high/low/band-pass come from :func:`scipy.signal.butter` (-3.01 dB at the cutoff for
every order); shelves, peaks, band-pass and notch biquads follow the RBJ Audio EQ Cookbook
(R. Bristow-Johnson). All filters are causal IIR (``scipy.signal.sosfilt``) and run along the
sample axis of (channels, samples) audio. :class:`EQ` chains bands and reports its exact
frequency response via ``sosfreqz``.

Shelf conventions (RBJ): ``low_shelf``/``high_shelf`` reach ``gain_db`` far from ``freq_hz`` and
``gain_db / 2`` at ``freq_hz``; ``q`` = 1/sqrt(2) gives the steepest shelf without overshoot.
``tilt`` pivots around ``pivot_hz`` (0 dB there) with ``-tilt_db/2`` at the bottom and
``+tilt_db/2`` at the top of the spectrum.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sfxgen.dsp._util import SettingsMixin, as_2d, check_range, check_rate
from sfxgen.errors import ParameterError

__all__ = [
    "highpass", "lowpass", "bandpass", "low_shelf", "high_shelf", "peak", "notch", "tilt",
    "apply_sos", "design_sos", "EQBand", "EQ", "BAND_TYPES",
]

BAND_TYPES = ("highpass", "lowpass", "bandpass", "low_shelf", "high_shelf", "peak", "notch", "tilt")
_SQRT1_2 = float(np.sqrt(0.5))


def _check_freq(name: str, f, sr: int) -> float:
    v = check_range(name, f, 0.0, None, lo_open=True)
    if v >= sr / 2:
        raise ParameterError(f"{name}={v:g} Hz must be below the Nyquist frequency ({sr / 2:g} Hz)")
    return v


def _check_order(order) -> int:
    if int(order) != order or not 1 <= int(order) <= 16:
        raise ParameterError(f"order must be an integer 1..16; got {order!r}")
    return int(order)


def _biquad(b0, b1, b2, a0, a1, a2) -> np.ndarray:
    return np.array([[b0 / a0, b1 / a0, b2 / a0, 1.0, a1 / a0, a2 / a0]])


def _rbj(kind: str, freq_hz: float, sr: int, gain_db: float, q: float) -> np.ndarray:
    a = 10.0 ** (gain_db / 40.0)
    w0 = 2.0 * np.pi * freq_hz / sr
    cw, sw = np.cos(w0), np.sin(w0)
    alpha = sw / (2.0 * q)
    if kind == "peak":
        return _biquad(1 + alpha * a, -2 * cw, 1 - alpha * a, 1 + alpha / a, -2 * cw, 1 - alpha / a)
    if kind == "bandpass":
        return _biquad(alpha, 0.0, -alpha, 1 + alpha, -2 * cw, 1 - alpha)
    if kind == "notch":
        return _biquad(1.0, -2 * cw, 1.0, 1 + alpha, -2 * cw, 1 - alpha)
    sa = 2.0 * np.sqrt(a) * alpha
    if kind == "low_shelf":
        return _biquad(
            a * ((a + 1) - (a - 1) * cw + sa), 2 * a * ((a - 1) - (a + 1) * cw), a * ((a + 1) - (a - 1) * cw - sa),
            (a + 1) + (a - 1) * cw + sa, -2 * ((a - 1) + (a + 1) * cw), (a + 1) + (a - 1) * cw - sa,
        )
    if kind == "high_shelf":
        return _biquad(
            a * ((a + 1) + (a - 1) * cw + sa), -2 * a * ((a - 1) + (a + 1) * cw), a * ((a + 1) + (a - 1) * cw - sa),
            (a + 1) - (a - 1) * cw + sa, 2 * ((a - 1) - (a + 1) * cw), (a + 1) - (a - 1) * cw - sa,
        )
    raise ParameterError(f"unknown biquad type {kind!r}")


def design_sos(kind: str, sample_rate: int, *, freq_hz: float, gain_db: float = 0.0, q: float = _SQRT1_2,
               order: int = 2, high_hz: float | None = None) -> np.ndarray:
    """Second-order sections (n, 6) for one filter band.

    ``kind`` is one of :data:`BAND_TYPES`. ``highpass``/``lowpass`` are Butterworth of ``order``
    (q ignored). ``bandpass`` is a Butterworth band from ``freq_hz`` to ``high_hz`` when
    ``high_hz`` is given, else an RBJ constant-0-dB-peak band-pass centred at ``freq_hz`` with
    ``q``. ``tilt`` uses ``freq_hz`` as the pivot and ``gain_db`` as the total tilt.
    """
    from scipy.signal import butter

    sr = check_rate(sample_rate)
    f = _check_freq("freq_hz", freq_hz, sr)
    g = check_range("gain_db", gain_db, -60.0, 60.0)
    qq = check_range("q", q, 0.0, 100.0, lo_open=True)
    if kind in ("highpass", "lowpass"):
        return butter(_check_order(order), f, btype=kind, fs=sr, output="sos")
    if kind == "bandpass" and high_hz is not None:
        hi = _check_freq("high_hz", high_hz, sr)
        if hi <= f:
            raise ParameterError(f"band-pass high_hz ({hi:g}) must be above freq_hz ({f:g})")
        return butter(_check_order(order), [f, hi], btype="bandpass", fs=sr, output="sos")
    if kind == "tilt":
        return np.concatenate([_rbj("low_shelf", f, sr, -g / 2, _SQRT1_2), _rbj("high_shelf", f, sr, g / 2, _SQRT1_2)])
    if kind not in BAND_TYPES:
        raise ParameterError(f"unknown filter type {kind!r}; expected one of {', '.join(BAND_TYPES)}")
    return _rbj(kind, f, sr, g, qq)


def apply_sos(audio, sos: np.ndarray) -> np.ndarray:
    """Filter (channels, samples) audio with SOS along the sample axis; returns float32."""
    from scipy.signal import sosfilt

    x = as_2d(audio, allow_empty=True)
    if x.shape[1] == 0:
        return x.copy()
    return sosfilt(sos, x.astype(np.float64), axis=-1).astype(np.float32)


def highpass(audio, sample_rate: int, *, freq_hz: float, order: int = 2) -> np.ndarray:
    """Butterworth high-pass (-3 dB at ``freq_hz``, 6*order dB/octave below)."""
    return apply_sos(audio, design_sos("highpass", sample_rate, freq_hz=freq_hz, order=order))


def lowpass(audio, sample_rate: int, *, freq_hz: float, order: int = 2) -> np.ndarray:
    """Butterworth low-pass (-3 dB at ``freq_hz``, 6*order dB/octave above)."""
    return apply_sos(audio, design_sos("lowpass", sample_rate, freq_hz=freq_hz, order=order))


def bandpass(audio, sample_rate: int, *, low_hz: float, high_hz: float, order: int = 2) -> np.ndarray:
    """Butterworth band-pass, -3 dB at ``low_hz`` and ``high_hz``."""
    return apply_sos(audio, design_sos("bandpass", sample_rate, freq_hz=low_hz, high_hz=high_hz, order=order))


def low_shelf(audio, sample_rate: int, *, freq_hz: float, gain_db: float, q: float = _SQRT1_2) -> np.ndarray:
    """RBJ low shelf: ``gain_db`` at DC, ``gain_db/2`` at ``freq_hz``."""
    return apply_sos(audio, design_sos("low_shelf", sample_rate, freq_hz=freq_hz, gain_db=gain_db, q=q))


def high_shelf(audio, sample_rate: int, *, freq_hz: float, gain_db: float, q: float = _SQRT1_2) -> np.ndarray:
    """RBJ high shelf: ``gain_db`` towards Nyquist, ``gain_db/2`` at ``freq_hz``."""
    return apply_sos(audio, design_sos("high_shelf", sample_rate, freq_hz=freq_hz, gain_db=gain_db, q=q))


def peak(audio, sample_rate: int, *, freq_hz: float, gain_db: float, q: float = 1.0) -> np.ndarray:
    """RBJ peaking EQ: exactly ``gain_db`` at ``freq_hz``; bandwidth set by ``q``."""
    return apply_sos(audio, design_sos("peak", sample_rate, freq_hz=freq_hz, gain_db=gain_db, q=q))


def notch(audio, sample_rate: int, *, freq_hz: float, q: float = 10.0) -> np.ndarray:
    """RBJ notch: zero gain at ``freq_hz``."""
    return apply_sos(audio, design_sos("notch", sample_rate, freq_hz=freq_hz, q=q))


def tilt(audio, sample_rate: int, *, tilt_db: float, pivot_hz: float = 1000.0) -> np.ndarray:
    """Tilt EQ: 0 dB at ``pivot_hz``, ``+tilt_db/2`` at the top, ``-tilt_db/2`` at the bottom
    (positive = brighter)."""
    return apply_sos(audio, design_sos("tilt", sample_rate, freq_hz=pivot_hz, gain_db=tilt_db))


@dataclass
class EQBand(SettingsMixin):
    """One EQ band. ``type`` in :data:`BAND_TYPES`; ``order`` for Butterworth types; for
    ``bandpass`` an optional ``high_hz`` turns it into a Butterworth band from freq_hz to high_hz;
    for ``tilt`` ``freq_hz`` is the pivot and ``gain_db`` the total tilt."""

    type: str
    freq_hz: float
    gain_db: float = 0.0
    q: float = _SQRT1_2
    order: int = 2
    high_hz: float | None = None

    def sos(self, sample_rate: int) -> np.ndarray:
        return design_sos(self.type, sample_rate, freq_hz=self.freq_hz, gain_db=self.gain_db, q=self.q,
                          order=self.order, high_hz=self.high_hz)


@dataclass
class EQ:
    """A chain of :class:`EQBand` applied in order; ``EQ(bands=[...])(audio, sample_rate)``.

    Serialises as ``{"bands": [band dicts]}``.
    """

    bands: list = field(default_factory=list)

    def __post_init__(self):
        self.bands = [b if isinstance(b, EQBand) else EQBand.from_dict(b) for b in self.bands]

    def sos(self, sample_rate: int) -> np.ndarray:
        """All bands' sections stacked, shape (n, 6); identity section when there are no bands."""
        if not self.bands:
            return np.array([[1.0, 0.0, 0.0, 1.0, 0.0, 0.0]])
        return np.concatenate([b.sos(sample_rate) for b in self.bands])

    def apply(self, audio, sample_rate: int) -> np.ndarray:
        """Filter (channels, samples) audio; returns float32 of the same shape."""
        return apply_sos(audio, self.sos(sample_rate))

    __call__ = apply

    def response_db(self, freqs_hz, sample_rate: int) -> np.ndarray:
        """Magnitude response (dB) at ``freqs_hz`` (array-like, Hz), from ``sosfreqz``."""
        from scipy.signal import sosfreqz

        f = np.atleast_1d(np.asarray(freqs_hz, dtype=np.float64))
        _, h = sosfreqz(self.sos(sample_rate), worN=f, fs=check_rate(sample_rate))
        return 20.0 * np.log10(np.maximum(np.abs(h), 1e-12))

    def to_dict(self) -> dict:
        return {"bands": [b.to_dict() for b in self.bands]}

    @classmethod
    def from_dict(cls, d: dict):
        if not isinstance(d, dict) or set(d) - {"bands"}:
            raise ParameterError("EQ settings must be an object with a 'bands' list")
        return cls(bands=list(d.get("bands", [])))
