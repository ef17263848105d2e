"""Procedural sound engine: a :class:`Patch` (family + normalised parameters) rendered to audio.

``render(patch, *, duration_s, sample_rate=48000, seed=0) -> (2, n) float32``; see
:mod:`sfxgen.synth.render` for the signal chain and loudness contract, :mod:`sfxgen.synth.patch`
for the parameter layout, :mod:`sfxgen.synth.families` for the family renderers.
"""

from sfxgen.synth.patch import (
    COMMON,
    FAMILIES,
    FAMILY_LIST,
    FAMILY_NAMES,
    N_PARAMS,
    PARAM_NAMES,
    FamilyInfo,
    Patch,
    Physical,
    family_index,
)
from sfxgen.synth.render import LOUDNESS_RANGE_LUFS, PEAK_CEILING_DBFS, TARGET_LUFS, render

__all__ = [
    "COMMON", "FAMILIES", "FAMILY_LIST", "FAMILY_NAMES", "N_PARAMS", "PARAM_NAMES", "FamilyInfo",
    "Patch", "Physical", "family_index", "render", "TARGET_LUFS", "LOUDNESS_RANGE_LUFS",
    "PEAK_CEILING_DBFS",
]
