"""Small input checks shared by the DSP modules (private)."""

from __future__ import annotations

import numpy as np

from sfxgen.errors import ParameterError


def as_2d(audio, *, name: str = "audio", allow_empty: bool = False) -> np.ndarray:
    """:func:`sfxgen.audio.as_audio` with empty input refused by default (DSP needs samples)."""
    from sfxgen.audio.convert import as_audio

    return as_audio(audio, name=name, allow_empty=allow_empty)


def check_rate(sample_rate) -> int:
    """Validate a sample rate in Hz and return it as int."""
    try:
        sr = int(sample_rate)
    except (TypeError, ValueError):
        raise ParameterError(f"sample_rate must be a positive integer in Hz; got {sample_rate!r}") from None
    if sr != sample_rate or sr < 1000 or sr > 1_536_000:
        raise ParameterError(f"sample_rate must be an integer between 1000 and 1536000 Hz; got {sample_rate!r}")
    return sr


def check_range(name: str, value, lo=None, hi=None, *, lo_open: bool = False) -> float:
    """Validate a finite number within [lo, hi] (or (lo, hi] when ``lo_open``) and return it."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a number; got {value!r}") from None
    if not np.isfinite(v):
        raise ParameterError(f"{name} must be finite; got {value!r}")
    if lo is not None and (v < lo or (lo_open and v == lo)):
        raise ParameterError(f"{name} must be {'>' if lo_open else '>='} {lo}; got {value!r}")
    if hi is not None and v > hi:
        raise ParameterError(f"{name} must be <= {hi}; got {value!r}")
    return v


def mono_power(x: np.ndarray) -> np.ndarray:
    """Mean-over-channels squared signal (float64), shape (samples,)."""
    x64 = x.astype(np.float64)
    return np.mean(x64 * x64, axis=0)


def db(power_or_amp, *, power: bool, floor_db: float = -200.0):
    """Convert to dB with a floor (silence reads ``floor_db`` instead of -inf)."""
    v = np.asarray(power_or_amp, dtype=np.float64)
    k = 10.0 if power else 20.0
    tiny = 10.0 ** (floor_db / k)
    return k * np.log10(np.maximum(v, tiny))


class SettingsMixin:
    """``to_dict``/``from_dict`` for flat settings dataclasses (JSON-friendly fields only).

    Fields whose name starts with ``_`` (caches) are skipped; unknown keys raise ParameterError.
    """

    def to_dict(self) -> dict:
        from dataclasses import fields

        return {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}

    @classmethod
    def from_dict(cls, d: dict):
        from dataclasses import fields

        if not isinstance(d, dict):
            raise ParameterError(f"{cls.__name__} settings must be a JSON object; got {type(d).__name__}")
        names = {f.name for f in fields(cls) if f.init and not f.name.startswith("_")}
        unknown = set(d) - names
        if unknown:
            raise ParameterError(f"unknown {cls.__name__} setting(s): {', '.join(sorted(unknown))}")
        return cls(**d)
