"""Procedural sound engine: a :class:`Patch` (family + normalised parameters) rendered to audio.

``render(patch, *, duration_s, sample_rate=48000, seed=0) -> (2, n) float32``; see
:mod:`sfxgen.synth.render` for the signal chain and loudness contract, :mod:`sfxgen.synth.patch`
for the parameter layout, :mod:`sfxgen.synth.families` for the family renderers.
"""

import sys
import types

# Names load on first use (PEP 562): the CLI imports ``sfxgen.synth.cli`` for its argument parser,
# which must not pull in scipy and the family renderers.
_LAZY = {
    **dict.fromkeys(("COMMON", "FAMILIES", "FAMILY_LIST", "FAMILY_NAMES", "N_PARAMS", "PARAM_NAMES",
                     "FamilyInfo", "Patch", "Physical", "family_index"), "sfxgen.synth.patch"),
    **dict.fromkeys(("LOUDNESS_RANGE_LUFS", "PEAK_CEILING_DBFS", "TARGET_LUFS", "render"), "sfxgen.synth.render"),
}

__all__ = [
    "COMMON", "FAMILIES", "FAMILY_LIST", "FAMILY_NAMES", "N_PARAMS", "PARAM_NAMES", "FamilyInfo",
    "Patch", "Physical", "family_index", "render", "TARGET_LUFS", "LOUDNESS_RANGE_LUFS",
    "PEAK_CEILING_DBFS",
]


def __getattr__(name):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sfxgen.synth' has no attribute {name!r}")


class _Package(types.ModuleType):
    """Keeps ``sfxgen.synth.render`` the function: importing the submodule of the same name
    would otherwise rebind the package attribute to the module."""

    def __setattr__(self, name, value):
        if name == "render" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
