"""DSP toolkit: filters, dynamics, reverb, onsets, pitch, fades and measurements.

Audio is (channels, samples) float32 with an explicit ``sample_rate`` in Hz. Functions follow a
pedalboard-like style with unit-named, keyword-only parameters; effects are small dataclasses
called as ``effect(audio, sample_rate)`` and serialise with ``to_dict``/``from_dict``.
Submodules import only numpy at load time (scipy/soxr are imported when used).
"""

from sfxgen.dsp.analysis import (
    decay_time_s, direct_to_reverb_ratio_db, f0_hz, hf_ratio, peak_db, rms_db, rt60_s, spectral_centroid_hz,
)
from sfxgen.dsp.dynamics import Compressor, Gate, gain_db
from sfxgen.dsp.fades import fade, trim
from sfxgen.dsp.filters import EQ, EQBand, bandpass, high_shelf, highpass, low_shelf, lowpass, notch, peak, tilt
from sfxgen.dsp.onsets import main_transient_s, onsets_s
from sfxgen.dsp.pitch import pitch_shift, reverse, time_stretch
from sfxgen.dsp.reverb import Reverb, ReverbSettings, convolve, synth_ir

__all__ = [
    "decay_time_s", "direct_to_reverb_ratio_db", "f0_hz", "hf_ratio", "peak_db", "rms_db", "rt60_s",
    "spectral_centroid_hz", "Compressor", "Gate", "gain_db", "fade", "trim", "EQ", "EQBand", "bandpass",
    "high_shelf", "highpass", "low_shelf", "lowpass", "notch", "peak", "tilt", "main_transient_s", "onsets_s",
    "pitch_shift", "reverse", "time_stretch", "Reverb", "ReverbSettings", "convolve", "synth_ir",
]
