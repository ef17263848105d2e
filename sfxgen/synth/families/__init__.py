"""Family renderers: one module per family (``<name>.py`` defining ``FAMILY``, see
:mod:`sfxgen.synth.family` for the contract and :mod:`sfxgen.synth.registry` for discovery),
plus the grouped legacy modules whose ``RENDERERS`` dicts still serve the families of
``sfxgen.synth.patch.LEGACY_FAMILY_LIST``.

:func:`renderers` merges both into ``{family name: renderer}``; the module attribute
``RENDERERS`` is the same dict (built on first use, so importing this package imports no family).
"""

from __future__ import annotations

import functools
import importlib
from typing import Callable

_LEGACY_MODULES = ("impacts", "designed", "machines", "nature", "foley", "tonal_ui")


@functools.lru_cache(maxsize=1)
def renderers() -> dict[str, Callable]:
    """Family name -> dry-source renderer, for every family."""
    from sfxgen.synth.patch import FAMILY_NAMES
    from sfxgen.synth.registry import discover

    out: dict[str, Callable] = {name: fam.render for name, fam in discover().items()}
    for name in _LEGACY_MODULES:
        try:
            mod = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}":  # grouped module fully moved out
                continue
            raise
        for fam, fn in getattr(mod, "RENDERERS", {}).items():
            if fam not in FAMILY_NAMES:
                raise RuntimeError(f"{name}.py registers unknown family {fam!r}")
            if fam in out:
                raise RuntimeError(f"family {fam!r} is registered twice")
            out[fam] = fn
    return out


def __getattr__(name):
    if name == "RENDERERS":
        return renderers()
    raise AttributeError(name)
