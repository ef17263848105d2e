"""A composed hero: up to four elements (family patches with a role, an onset and a gain) in one
shared space, rendered by the procedural engine.

A sound designer's compound prompt names a main source and what to add to it: "rusty door
opening in a vast cavern" is a door opening (``main``) + a rusty squeal (``material``) in a huge
cave (the shared space). :class:`Composition` is that recipe::

    comp = Composition([Element(Patch("door_open"), "main"),
                        Element(Patch("hinge_squeal"), "material", onset_ms=120, gain_db=-8)],
                       space=SharedSpace(space=0.9, distance=-0.2))
    audio = comp.render(duration_s=3.0, seed=7)          # (2, 144000) float32 at 48 kHz
    Composition.from_dict(json.loads(json.dumps(comp.to_dict()))).render(duration_s=3.0, seed=7)  # identical

Each element is rendered dry (its own ``space`` slot at its minimum) by
:func:`sfxgen.synth.render.render` with its own seed, delayed by ``onset_ms``, scaled by
``gain_db`` and summed; the sum then goes through one room (:func:`sfxgen.synth.space.add_space`,
the shared ``space``/``distance``) and the engine's level stage, so every element sits in the
same place. Roles are :data:`sfxgen.synth.family.ELEMENT_ROLES`; several ``main`` elements are
repeats of the source ("three gunshots"), the first element is always a ``main``.
"""

from __future__ import annotations

import json
import math
import numbers
from dataclasses import dataclass, field, replace

import numpy as np

from sfxgen.errors import ParameterError
from sfxgen.synth.family import ELEMENT_ROLES

COMPOSITION_VERSION = 1
MAX_ELEMENTS = 4
GAIN_RANGE_DB = (-30.0, 6.0)
MUTED_DB = -math.inf


def _finite(name: str, v) -> float:
    if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(float(v)):
        raise ParameterError(f"{name} must be a finite number, got {v!r}")
    return float(v)


def element_seed(seed: int, index: int) -> int:
    """Render seed of element ``index`` of a composition rendered with ``seed`` (element 0 uses
    ``seed`` itself, so a one-element composition renders exactly like its patch)."""
    if index == 0:
        return int(seed)
    return int(np.random.SeedSequence([int(seed), int(index), 0xC0DE]).generate_state(1)[0] >> 1)


@dataclass
class Element:
    """One element: a :class:`~sfxgen.synth.patch.Patch`, its ``role`` (main, material,
    mechanism, sweetener), when it starts (``onset_ms`` after the hero's start) and its level
    (``gain_db`` relative to the engine's render level). ``muted`` keeps it in the recipe silent."""

    patch: object
    role: str = "main"
    onset_ms: float = 0.0
    gain_db: float = 0.0
    muted: bool = False

    def __post_init__(self):
        from sfxgen.synth.patch import Patch

        if not isinstance(self.patch, Patch):
            raise ParameterError(f"an element needs a sfxgen.synth.Patch, got {type(self.patch).__name__}")
        if self.role not in ELEMENT_ROLES:
            raise ParameterError(f"element role {self.role!r} is not one of {', '.join(ELEMENT_ROLES)}")
        self.onset_ms = _finite("onset_ms", self.onset_ms)
        if self.onset_ms < 0:
            raise ParameterError(f"onset_ms must be >= 0, got {self.onset_ms}")
        self.gain_db = float(np.clip(_finite("gain_db", self.gain_db), *GAIN_RANGE_DB))
        self.muted = bool(self.muted)

    @property
    def family(self) -> str:
        return self.patch.family

    def to_dict(self) -> dict:
        d = {"family": self.family, "role": self.role, "gain_db": round(self.gain_db, 4),
             "onset_ms": round(self.onset_ms, 3), "patch": self.patch.to_dict()}
        if self.muted:
            d["muted"] = True
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Element":
        from sfxgen.synth.patch import Patch

        try:
            patch = Patch.from_dict(d["patch"]) if "patch" in d else Patch(d["family"])
            return cls(patch, d.get("role", "main"), float(d.get("onset_ms", 0.0)), float(d.get("gain_db", 0.0)),
                       bool(d.get("muted", False)))
        except (KeyError, TypeError, ValueError) as exc:
            raise ParameterError(f"composition element {d!r} is malformed ({exc})") from None


@dataclass
class SharedSpace:
    """The one room every element plays in: ``space`` and ``distance`` are normalised in [-1, 1]
    exactly as the patch slots of the same names (space: rt60 0.1 s dry .. 8 s vast cavern;
    distance: close-up .. far away, which sets the wet level)."""

    space: float = -1.0
    distance: float = -0.6

    def __post_init__(self):
        self.space = float(np.clip(_finite("space", self.space), -1.0, 1.0))
        self.distance = float(np.clip(_finite("distance", self.distance), -1.0, 1.0))

    @property
    def rt60_s(self) -> float:
        return float(0.1 * 80.0 ** ((self.space + 1.0) / 2.0))

    def physical(self):
        from sfxgen.synth.family import COMMON, N_AUX, Physical

        p = np.zeros(len(COMMON) + N_AUX)
        p[COMMON.index("space")] = self.space
        p[COMMON.index("distance")] = self.distance
        return Physical.from_params(p)

    def to_dict(self) -> dict:
        return {"space": round(self.space, 6), "distance": round(self.distance, 6), "rt60_s": round(self.rt60_s, 4)}

    @classmethod
    def from_dict(cls, d: dict) -> "SharedSpace":
        return cls(float(d.get("space", -1.0)), float(d.get("distance", -0.6)))


@dataclass
class Composition:
    """Up to :data:`MAX_ELEMENTS` elements (the first a ``main``) plus one :class:`SharedSpace`."""

    elements: list
    space: SharedSpace = field(default_factory=SharedSpace)

    def __post_init__(self):
        self.elements = list(self.elements)
        if not 1 <= len(self.elements) <= MAX_ELEMENTS:
            raise ParameterError(f"a composition has 1 to {MAX_ELEMENTS} elements, got {len(self.elements)}")
        if any(not isinstance(e, Element) for e in self.elements):
            raise ParameterError("composition elements must be Element objects")
        if self.elements[0].role != "main":
            raise ParameterError(f"the first element must be the main source, got role {self.elements[0].role!r}")

    @property
    def main(self) -> Element:
        return self.elements[0]

    # ------------------------------------------------------------------ edits (copies)
    def with_element(self, index: int, element: Element) -> "Composition":
        """A copy with element ``index`` replaced (re-roll or swap one element)."""
        self._check_index(index)
        els = list(self.elements)
        els[index] = element
        return Composition(els, self.space)

    def muted(self, *indices: int) -> "Composition":
        """A copy with the given elements muted (they stay in the recipe)."""
        for i in indices:
            self._check_index(i)
        return Composition([replace(e, muted=e.muted or i in indices) for i, e in enumerate(self.elements)], self.space)

    def solo(self, index: int) -> "Composition":
        """A copy where only element ``index`` sounds."""
        self._check_index(index)
        return Composition([replace(e, muted=i != index) for i, e in enumerate(self.elements)], self.space)

    def _check_index(self, index) -> None:
        if isinstance(index, bool) or not isinstance(index, numbers.Integral) or not 0 <= index < len(self.elements):
            raise ParameterError(f"element index must be 0..{len(self.elements) - 1}, got {index!r}")

    # ------------------------------------------------------------------ JSON
    def to_dict(self) -> dict:
        """JSON-ready recipe: ``{"version", "elements": [...main first], "space": {...}}``."""
        return {"version": COMPOSITION_VERSION, "elements": [e.to_dict() for e in self.elements],
                "space": self.space.to_dict()}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_dict(cls, d: dict) -> "Composition":
        if not isinstance(d, dict) or "elements" not in d:
            raise ParameterError("a composition recipe needs an 'elements' list")
        if int(d.get("version", COMPOSITION_VERSION)) > COMPOSITION_VERSION:
            raise ParameterError(f"composition recipe version {d.get('version')} is newer than this sfxgen "
                                 f"understands ({COMPOSITION_VERSION})")
        return cls([Element.from_dict(e) for e in d["elements"]], SharedSpace.from_dict(d.get("space", {})))

    @classmethod
    def from_json(cls, text: str) -> "Composition":
        try:
            return cls.from_dict(json.loads(text))
        except ValueError as exc:
            raise ParameterError(f"composition recipe is not valid JSON ({exc})") from None

    # ------------------------------------------------------------------ audio
    def render(self, *, duration_s: float, sample_rate: int = 48000, seed: int = 0) -> np.ndarray:
        """``(2, round(duration_s * sample_rate))`` float32: every element rendered dry with
        :func:`element_seed`, placed at its onset with its gain, summed, one shared room, levelled
        by the engine's level stage. Deterministic in (recipe, duration, rate, seed)."""
        from sfxgen.synth.render import check_inputs, hygiene, level
        from sfxgen.synth.space import add_space, finish

        n, sr, seed = check_inputs(self.main.patch, duration_s, sample_rate, seed)
        mix = np.zeros((2, n), np.float64)
        for i, el in enumerate(self.elements):
            if el.muted:
                continue
            start = int(round(el.onset_ms * 1e-3 * sr))
            m = n - start
            if m < int(0.05 * sr):
                continue
            dry_patch = el.patch.with_params(space=-1.0)
            y = _render_patch(dry_patch, m / sr, sr, element_seed(seed, i))
            mix[:, start:start + y.shape[-1]] += (10.0 ** (el.gain_db / 20.0)) * y[:, :m]
        if not np.any(mix):
            return np.zeros((2, n), np.float32)
        mix = add_space(mix, mix.copy(), sr, self.space.physical())
        mix = finish(mix, sr, inplace=True)
        return np.asarray(hygiene(level(mix, sr).astype(np.float32), sr), np.float32)


def _render_patch(patch, duration_s: float, sr: int, seed: int) -> np.ndarray:
    from sfxgen.synth.render import render

    return render(patch, duration_s=duration_s, sample_rate=sr, seed=seed)
