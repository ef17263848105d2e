"""DSP toolkit: filters, dynamics, reverb, onsets, pitch, fades and measurements.

Audio is (channels, samples) float32 with an explicit ``sample_rate`` in Hz. Functions follow a
pedalboard-like style with unit-named, keyword-only parameters; effects are small dataclasses
called as ``effect(audio, sample_rate)`` and serialise with ``to_dict``/``from_dict``.
"""
