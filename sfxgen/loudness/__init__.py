"""Loudness: BS.1770 / EBU R128 metering, true-peak limiting, normalisation to delivery presets.

    from sfxgen.loudness import measure, normalize, get_preset
    result = measure(audio, 48000)            # LoudnessResult
    out = normalize(audio, 48000, preset="ebu-r128")
"""

from sfxgen.loudness.limiter import LimiterResult, TruePeakLimiter, limit
from sfxgen.loudness.meter import (
    LoudnessResult,
    LoudnessSeries,
    TruePeakMeter,
    channel_weights,
    k_weighting_sos,
    loudness_series,
    measure,
    true_peak,
)
from sfxgen.loudness.normalize import NormalizeResult, normalize
from sfxgen.loudness.presets import PRESETS, DeliveryPreset, custom_preset, get_preset, preset_names

__all__ = [
    "PRESETS", "DeliveryPreset", "LimiterResult", "LoudnessResult", "LoudnessSeries", "NormalizeResult",
    "TruePeakLimiter", "TruePeakMeter", "channel_weights", "custom_preset", "get_preset", "k_weighting_sos",
    "limit", "loudness_series", "measure", "normalize", "preset_names", "true_peak",
]
