"""Discovers the sound families: every module ``sfxgen/synth/families/<name>.py`` (names not
starting with ``_``) that defines ``FAMILY`` (a :class:`~sfxgen.synth.family.Family`).

Adding a family is adding its module (and its test); nothing else lists it.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from sfxgen.synth.family import Family


@functools.lru_cache(maxsize=1)
def discover() -> dict[str, Family]:
    """``{family name: Family}`` for every family module (imported once, cached)."""
    import sfxgen.synth.families as pkg

    out: dict[str, Family] = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{pkg.__name__}.{info.name}")
        fam = getattr(mod, "FAMILY", None)
        if fam is None:
            continue
        if not isinstance(fam, Family):
            raise RuntimeError(f"{mod.__name__}.FAMILY is not a sfxgen.synth.family.Family")
        if fam.name != info.name:
            raise RuntimeError(f"{mod.__name__} defines family {fam.name!r}: a family module is named after its family")
        if fam.render is None:
            raise RuntimeError(f"family {fam.name!r} has no renderer")
        out[fam.name] = fam
    return out
