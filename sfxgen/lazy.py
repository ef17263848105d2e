"""Package names that load on first use (PEP 562), so that ``sfxgen --help`` and light commands
do not import scipy and the family renderers through a package ``__init__``."""

from __future__ import annotations

import importlib
import sys
import types


class _LazyPackage(types.ModuleType):
    """A package whose public names come from its submodules on first access.

    When a public name equals a submodule's name (``sfxgen.synth.render`` the function and
    ``sfxgen/synth/render.py``), importing the submodule would rebind the package attribute to
    the module; the function is kept instead, as an eager ``from .render import render`` would."""

    def __getattr__(self, name):
        where = self.__dict__.get("_lazy_names", {}).get(name)
        if where is None:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(where), name)
        types.ModuleType.__setattr__(self, name, value)
        return value

    def __setattr__(self, name, value):
        lazy = self.__dict__.get("_lazy_names", {})
        if isinstance(value, types.ModuleType) and name in lazy and lazy[name] == f"{self.__name__}.{name}":
            if name in self.__dict__:
                return
            value = getattr(value, name)
        types.ModuleType.__setattr__(self, name, value)


def lazy_package(module_name: str, names: dict[str, str]) -> list[str]:
    """Make ``module_name`` (a package being initialised) serve ``names`` (public name -> module
    that defines it) lazily; returns the sorted names for ``__all__``."""
    module = sys.modules[module_name]
    module.__class__ = _LazyPackage
    module._lazy_names = dict(names)
    return sorted(names)
