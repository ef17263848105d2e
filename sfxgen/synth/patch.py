"""Patch layout: one fixed-length, normalised parameter vector shared by every family.

A :class:`Patch` is a family name plus ``N_PARAMS`` floats in [-1, 1]. The first
``len(COMMON)`` slots mean the same in every family (pitch, size, brightness, ...); the last
``N_AUX`` slots are family-specific and named per family in :data:`FAMILIES` (each family's
``params``, with units, ranges and docs). One model (the
hero generator) can therefore learn every family over one vector.

Mapping from normalised ``x`` in [-1, 1] to physical values: see
:class:`sfxgen.synth.family.Physical` (one table, with units).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sfxgen.errors import ParameterError
from sfxgen.synth.family import AUX, COMMON, N_AUX, Family, Param, Physical  # noqa: F401  (re-exported)

PARAM_NAMES: tuple[str, ...] = COMMON + AUX
N_PARAMS = len(PARAM_NAMES)

FamilyInfo = Family
"""The old name of :class:`sfxgen.synth.family.Family` (kept for callers)."""


def _all_families() -> tuple[Family, ...]:
    from sfxgen.synth.registry import discover

    modular = discover()
    return tuple(modular[k] for k in sorted(modular))


FAMILY_LIST: tuple[Family, ...] = _all_families()
"""Every family (one module each, :mod:`sfxgen.synth.registry`), by name. A model stores its own
family list, so this order is not a model contract."""
FAMILIES: dict[str, Family] = {f.name: f for f in FAMILY_LIST}
FAMILY_NAMES: tuple[str, ...] = tuple(f.name for f in FAMILY_LIST)


def family_index(name: str) -> int:
    """Position of ``name`` in :data:`FAMILY_LIST` (the model's class index)."""
    try:
        return FAMILY_NAMES.index(name)
    except ValueError:
        raise ParameterError(
            f"unknown sound family {name!r}; known families: {', '.join(FAMILY_NAMES)}"
        ) from None


@dataclass
class Patch:
    """A family plus its normalised parameter vector (``N_PARAMS`` floats in [-1, 1])."""

    family: str
    params: np.ndarray = field(default_factory=lambda: np.zeros(N_PARAMS, np.float32))

    def __post_init__(self):
        family_index(self.family)
        p = np.asarray(self.params, dtype=np.float32).reshape(-1)
        if p.shape != (N_PARAMS,):
            raise ParameterError(f"a patch needs {N_PARAMS} parameters, got {p.size}")
        if not np.all(np.isfinite(p)):
            raise ParameterError("patch parameters must be finite numbers")
        self.params = np.clip(p, -1.0, 1.0)

    @property
    def info(self) -> Family:
        return FAMILIES[self.family]

    def names(self) -> tuple[str, ...]:
        """Slot names for this family: common names then the family's aux names (or auxN)."""
        aux = self.info.aux
        return COMMON + tuple(aux[i] if i < len(aux) else AUX[i] for i in range(N_AUX))

    def get(self, name: str) -> float:
        """Normalised value of a slot by common or family-specific name."""
        return float(self.params[self._slot(name)])

    def with_params(self, **values: float | str) -> "Patch":
        """A copy with named slots set to normalised values in [-1, 1] (or, for a categorical
        parameter, to one of its choices by name)."""
        p = self.params.copy()
        for k, v in values.items():
            i = self._slot(k)
            if isinstance(v, str):  # a categorical parameter's choice, e.g. surface="gravel"
                try:
                    v = 2.0 * self.info.param(k).u_of(v) - 1.0
                except (KeyError, ValueError) as exc:
                    raise ParameterError(f"{self.family}: {exc}") from None
            p[i] = float(v)
        return Patch(self.family, p)

    def _slot(self, name: str) -> int:
        names = self.names()
        if name in names:
            return names.index(name)
        if name in PARAM_NAMES:
            return PARAM_NAMES.index(name)
        raise ParameterError(f"{self.family} has no parameter {name!r}; it has {', '.join(names)}")

    def physical(self) -> "Physical":
        """The physical values the renderer uses (see module docstring)."""
        return Physical.from_params(self.params)

    def to_dict(self) -> dict:
        return {"family": self.family, "params": {n: round(float(v), 6) for n, v in zip(self.names(), self.params)}}

    @classmethod
    def from_dict(cls, d: dict) -> "Patch":
        fam = d["family"]
        patch = cls(fam)
        params = d.get("params", {})
        if isinstance(params, dict):
            return patch.with_params(**params)
        return cls(fam, np.asarray(params, np.float32))

    @classmethod
    def random(cls, family: str, rng: np.random.Generator) -> "Patch":
        """A random patch of ``family`` (uniform over the normalised cube)."""
        return cls(family, rng.uniform(-1, 1, N_PARAMS).astype(np.float32))
