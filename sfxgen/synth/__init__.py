"""Procedural sound engine: a :class:`Patch` (family + normalised parameters) rendered to audio.

``render(patch, *, duration_s, sample_rate=48000, seed=0) -> (2, n) float32``; see
:mod:`sfxgen.synth.render` for the signal chain and loudness contract, :mod:`sfxgen.synth.patch`
for the parameter layout, :mod:`sfxgen.synth.families` for the family renderers.
"""

from sfxgen.lazy import lazy_package

# Names load on first use: the CLI imports ``sfxgen.synth.cli`` for its argument parser, which
# must not pull in scipy and the family renderers.
__all__ = lazy_package(__name__, {
    **dict.fromkeys(("COMMON", "FAMILIES", "FAMILY_LIST", "FAMILY_NAMES", "N_PARAMS", "PARAM_NAMES",
                     "FamilyInfo", "Patch", "Physical", "family_index"), "sfxgen.synth.patch"),
    **dict.fromkeys(("LOUDNESS_RANGE_LUFS", "PEAK_CEILING_DBFS", "TARGET_LUFS", "render"), "sfxgen.synth.render"),
})
