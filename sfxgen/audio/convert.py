"""Sample-rate and channel-layout conversion on ``(channels, samples)`` float32 arrays."""

from __future__ import annotations

import numpy as np

from sfxgen.errors import ParameterError

_SQRT1_2 = float(np.sqrt(0.5))


def as_audio(audio, *, name: str = "audio", allow_empty: bool = True) -> np.ndarray:
    """Validate and return ``audio`` as a C-contiguous ``(channels, samples)`` float32 array.

    The one input check of audio arrays (the DSP modules use it too). A 1-D array is taken as
    mono. Raises :class:`ParameterError` on other shapes, a transposed-looking shape, non-numeric
    data, NaN/inf and, unless ``allow_empty``, zero samples.
    """
    a = np.asarray(audio)
    if not (np.issubdtype(a.dtype, np.floating) or np.issubdtype(a.dtype, np.integer)):
        raise ParameterError(f"{name} must be numeric audio; got dtype {a.dtype}")
    a = a.astype(np.float32, copy=False)
    if a.ndim == 1:
        a = a[None, :]
    if a.ndim != 2 or a.shape[0] < 1:
        raise ParameterError(f"{name} must be shaped (channels, samples), got {a.shape}")
    if a.shape[0] > 64 and a.shape[1] <= 64:
        raise ParameterError(f"{name} looks transposed: shape {a.shape}; expected (channels, samples)")
    if a.shape[1] == 0 and not allow_empty:
        raise ParameterError(f"{name} is empty (0 samples)")
    if a.size and not np.isfinite(a).all():
        raise ParameterError(f"{name} contains NaN or infinite samples")
    return np.ascontiguousarray(a)


def resample(audio: np.ndarray, orig_sr: int, target_sr: int, *, quality: str = "VHQ") -> np.ndarray:
    """Resample ``(channels, samples)`` audio from ``orig_sr`` to ``target_sr`` Hz with soxr.

    ``quality`` is a soxr recipe ("VHQ" default, "HQ", "MQ", "LQ", "QQ"). Returns float32.
    """
    import soxr

    if orig_sr <= 0 or target_sr <= 0:
        raise ParameterError(f"sample rates must be positive, got {orig_sr} -> {target_sr}")
    a = as_audio(audio)
    if orig_sr == target_sr:
        return a
    out = soxr.resample(a.T, orig_sr, target_sr, quality=quality)
    return np.ascontiguousarray(np.asarray(out, dtype=np.float32).reshape(-1, a.shape[0]).T)


def to_channels(audio: np.ndarray, channels: int) -> np.ndarray:
    """Up- or down-mix to ``channels``.

    Mono→N copies to the first two channels (L/R; others silent). Stereo→mono averages.
    5.1 (L R C LFE Ls Rs) and 5.0 (L R C Ls Rs) fold down with ITU-R BS.775 coefficients
    (C and surrounds at -3 dB, LFE dropped), scaled so a full-scale input cannot clip.
    Other layouts: odd channels to left, even to right (averaged); extra output channels silent.
    """
    a = as_audio(audio)
    n_in = a.shape[0]
    if channels < 1:
        raise ParameterError(f"channel count must be at least 1, got {channels}")
    if n_in == channels:
        return a
    if channels == 1:
        return _to_stereo(a).mean(axis=0, keepdims=True) if n_in > 2 else a.mean(axis=0, keepdims=True)
    if n_in == 1:
        out = np.zeros((channels, a.shape[1]), np.float32)
        out[: min(2, channels)] = a[0]
        return out
    st = _to_stereo(a) if n_in > 2 else a
    out = np.zeros((channels, a.shape[1]), np.float32)
    out[:2] = st[:2]
    return out


def _to_stereo(a: np.ndarray) -> np.ndarray:
    n = a.shape[0]
    if n in (5, 6):
        if n == 6:
            l, r, c, _lfe, ls, rs = a
        else:
            l, r, c, ls, rs = a
        scale = 1.0 / (1.0 + 2 * _SQRT1_2)
        left = (l + _SQRT1_2 * c + _SQRT1_2 * ls) * scale
        right = (r + _SQRT1_2 * c + _SQRT1_2 * rs) * scale
        return np.stack([left, right]).astype(np.float32)
    return np.stack([a[0::2].mean(axis=0), a[1::2].mean(axis=0)]).astype(np.float32)


def peak_abs(x: np.ndarray) -> float:
    """max |x| (linear) without an |x| temporary: the largest of max(x) and -min(x); 0 when empty."""
    return float(max(np.max(x), -np.min(x))) if x.size else 0.0
