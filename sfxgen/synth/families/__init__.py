"""Family modules: one per family (``<name>.py`` defining ``FAMILY``, see
:mod:`sfxgen.synth.family` for the contract and :mod:`sfxgen.synth.registry` for discovery).

:func:`renderers` is ``{family name: renderer}`` for every registered family; the module
attribute ``RENDERERS`` is the same dict (built on first use, so importing this package imports
no family).
"""

from __future__ import annotations

import functools
from typing import Callable


@functools.lru_cache(maxsize=1)
def renderers() -> dict[str, Callable]:
    """Family name -> dry-source renderer, for every family."""
    from sfxgen.synth.registry import discover

    return {name: fam.render for name, fam in discover().items()}


def __getattr__(name):
    if name == "RENDERERS":
        return renderers()
    raise AttributeError(name)
