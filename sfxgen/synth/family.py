"""What a sound family is: one self-contained description that the whole engine reads.

A family module (``sfxgen/synth/families/<name>.py``) defines one module-level ``FAMILY`` =
:class:`Family`: its named parameters with units and ranges, its renderer, the words that describe
it (caption nouns, scenes, tags, UCS CatID, the words at each end of each parameter), the roles it
can play in a composed hero and in a layered design, and the real-recording category it is
measured against. :mod:`sfxgen.synth.registry` discovers the modules; adding a family touches its
module and its test, nothing else.

Parameter vector (layout version :data:`PATCH_LAYOUT_VERSION`): ``len(COMMON)`` common slots that
mean the same in every family, then :data:`N_AUX` family-specific slots named by ``Family.params``
in order. Each slot is a normalised ``x`` in [-1, 1]; ``u = (x + 1) / 2`` in [0, 1]. The common
slots map to physical values as :class:`Physical` documents; a family :class:`Param` maps its
``u`` to ``lo .. hi`` (linear or log) in its ``unit``, or, when it has ``choices``, picks one of
them in equal ranges of ``u``.

Renderer contract: ``render(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator)
-> np.ndarray`` returning the **dry** source, shape (1, n) or (2, n), any level, finite. It must
not apply ``attack_s``, ``distance``, ``rt60_s``/space or ``width`` (the shared stages in
:mod:`sfxgen.synth.space` do), must take all randomness from ``rng``, must have no per-sample
Python loops, and must fill ``n`` samples sensibly for 0.05..30 s (a one-shot decays into
silence on its own, a texture keeps going). Build it from :mod:`sfxgen.synth.primitives` and
:mod:`sfxgen.synth.blocks`.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

PATCH_LAYOUT_VERSION = 2
"""Version of the parameter-vector layout (common slots + named aux slots). Recipes store the
named values, so a layout change only matters to models trained on the vector. 2: footsteps v2
(aux surface of 8 choices, weight, shoe of 4 choices, scuff, heel_toe; was surface of 5,
weight, shoe_hardness, scuff); a recipe naming ``shoe_hardness`` is refused by name."""

COMMON: tuple[str, ...] = (
    "pitch", "size", "brightness", "attack", "decay",
    "distance", "space", "width", "intensity", "rate",
)
N_AUX = 6
AUX: tuple[str, ...] = tuple(f"aux{i}" for i in range(1, N_AUX + 1))

KINDS = ("oneshot", "texture", "tonal")
"""``oneshot``: one event with a main transient that decays on its own; ``texture``: a continuous
bed or a train of events that fills any length; ``tonal``: a pitched designed gesture."""

ELEMENT_ROLES = ("main", "material", "mechanism", "sweetener")
"""Roles of the elements of a composed hero: the source the prompt names (``main``), what its
material adds (a squeal, a rattle), the machinery behind it (hydraulics, servo), and sweeteners
(whoosh, sub, air)."""

DESIGN_ROLES = ("sub", "texture", "tail", "transient", "body", "sweetener", "bed")
"""Supporting-layer roles in a layered design (:mod:`sfxgen.layering`)."""

TEXTURE_LAYER = {"size": -0.6, "brightness": 0.6, "space": -1.0}
"""``role_params["texture"]`` of a material family (metal, wood, glass, stone, water, fire, ...):
small, bright and dry, so its detail sits on top of the hero's body."""
BED_LAYER = {"distance": 0.3}
"""``role_params["bed"]`` of a continuous family: a little back, under the hero."""


def layer_params(*roles: str) -> dict[str, dict[str, float]]:
    """A family's ``role_params`` for the shared layer roles named (``"texture"``:
    :data:`TEXTURE_LAYER`, ``"bed"``: :data:`BED_LAYER`): one declaration for every family
    that layers the same way."""
    shared = {"texture": TEXTURE_LAYER, "bed": BED_LAYER}
    return {r: shared[r] for r in roles}


def material_texture(*, category: str) -> dict:
    """:class:`Family` keywords of a material family (an impact on metal, glass, stone) that
    serves a design as its material element and as a texture layer (:data:`TEXTURE_LAYER`)."""
    return {"element_roles": ("main", "material"), "design_roles": ("texture",),
            "role_params": layer_params("texture"), "category": category}


@dataclass(frozen=True)
class Physical:
    """Physical values of a patch's parameters (units in the names).

    ==============  =========================  ==========================================
    slot            physical                   mapping of normalised x (u = (x + 1) / 2)
    ==============  =========================  ==========================================
    pitch           ``pitch_st`` semitones     ``24 * x``  (-24 .. +24 st around the family's base)
    size            ``size`` 0..1              ``u``  (0 tiny .. 1 huge; lowers modes, lengthens decay)
    brightness      ``brightness`` 0..1        ``u``  (0 dark/muffled .. 1 bright/sharp)
    attack          ``attack_s`` seconds       ``0.001 * 2000 ** u``  (1 ms .. 2 s, log)
    decay           ``decay_s`` seconds        ``0.03 * (8 / 0.03) ** u``  (30 ms .. 8 s, log)
    distance        ``distance`` 0..1          ``u``  (0 close-up .. 1 far away; less highs, more reverb)
    space           ``rt60_s`` seconds         ``0.1 * 80 ** u``  (0.1 s dry .. 8 s vast cavern)
    width           ``width`` 0..1             ``u``  (0 mono .. 1 wide stereo)
    intensity       ``intensity`` 0..1         ``u``  (0 gentle .. 1 violent; drive, density, force)
    rate            ``rate`` multiplier        ``4 ** x``  (0.25x .. 4x speed of repeats/motion)
    aux1..aux6      family-specific            ``u`` in [0, 1]; ``Family.params[i].value(u)``
    ==============  =========================  ==========================================
    """

    pitch_st: float
    size: float
    brightness: float
    attack_s: float
    decay_s: float
    distance: float
    rt60_s: float
    width: float
    intensity: float
    rate: float
    aux: tuple[float, ...]  # each u in [0, 1]

    @property
    def pitch_ratio(self) -> float:
        """Frequency multiplier of the pitch offset (1.0 = the family's base)."""
        return float(2.0 ** (self.pitch_st / 12.0))

    @property
    def space(self) -> float:
        """The space slot as u in [0, 1] (0 dry .. 1 vast)."""
        return float(np.log(self.rt60_s / 0.1) / np.log(80.0))

    def a(self, index: int) -> float:
        """An aux value u in [0, 1] by 0-based index."""
        return float(self.aux[index])

    @classmethod
    def from_params(cls, p: np.ndarray) -> "Physical":
        """Physical values of a normalised vector ``p`` (``len(COMMON) + N_AUX`` floats in [-1, 1])."""
        p = np.asarray(p, np.float64)
        u = (p + 1.0) / 2.0
        return cls(
            pitch_st=float(24.0 * p[0]),
            size=float(u[1]),
            brightness=float(u[2]),
            attack_s=float(0.001 * 2000.0 ** u[3]),
            decay_s=float(0.03 * (8.0 / 0.03) ** u[4]),
            distance=float(u[5]),
            rt60_s=float(0.1 * 80.0 ** u[6]),
            width=float(u[7]),
            intensity=float(u[8]),
            rate=float(4.0 ** p[9]),
            aux=tuple(float(x) for x in u[len(COMMON):]),
        )


@dataclass(frozen=True)
class Param:
    """One family-specific parameter (an aux slot): what it does, its unit and range, its words.

    ``value(u)`` maps u in [0, 1] to ``lo .. hi`` in ``unit`` (``curve`` "lin" or "log"). With
    ``choices`` the slot is categorical: ``choice(u)`` picks one of them in equal ranges of u, and
    ``choice_words`` gives each choice the caption phrases that say it ("on gravel").
    ``low_words`` / ``high_words`` are said when u <= 0.2 / u >= 0.8 (an empty tuple: that end
    says nothing), placed before the noun (``where="adj"``) or after it (``"post"``).
    """

    name: str
    doc: str
    unit: str = ""
    lo: float = 0.0
    hi: float = 1.0
    curve: str = "lin"
    choices: tuple[str, ...] = ()
    choice_words: tuple[tuple[str, tuple[str, ...]], ...] = ()
    low_words: tuple[str, ...] = ()
    high_words: tuple[str, ...] = ()
    where: str = "adj"

    def __post_init__(self):
        if self.curve not in ("lin", "log"):
            raise ValueError(f"param {self.name}: curve must be 'lin' or 'log'")
        if self.curve == "log" and not (self.lo > 0 and self.hi > 0):
            raise ValueError(f"param {self.name}: a log range needs positive ends")
        if self.where not in ("adj", "post"):
            raise ValueError(f"param {self.name}: where must be 'adj' or 'post'")
        known = set(self.choices)
        for c, _ in self.choice_words:
            if c not in known:
                raise ValueError(f"param {self.name}: words for unknown choice {c!r}")

    def value(self, u: float) -> float:
        """Physical value of ``u`` in [0, 1] (in ``unit``)."""
        u = min(max(float(u), 0.0), 1.0)
        if self.curve == "log":
            return float(self.lo * (self.hi / self.lo) ** u)
        return float(self.lo + (self.hi - self.lo) * u)

    def choice(self, u: float) -> str:
        """The choice ``u`` selects (equal ranges of u, in order)."""
        if not self.choices:
            raise ValueError(f"param {self.name} has no choices")
        k = len(self.choices)
        return self.choices[min(int(min(max(float(u), 0.0), 1.0) * k), k - 1)]

    def u_of(self, value) -> float:
        """The u in [0, 1] that gives ``value``: a choice name (the centre of its range) or a
        physical value (clipped to the range)."""
        if isinstance(value, str):
            if value not in self.choices:
                raise ValueError(f"{self.name} has no choice {value!r}; choices: {', '.join(self.choices)}")
            return (self.choices.index(value) + 0.5) / len(self.choices)
        v = float(value)
        if self.curve == "log":
            u = math.log(max(v, 1e-30) / self.lo) / math.log(self.hi / self.lo)
        else:
            u = (v - self.lo) / (self.hi - self.lo) if self.hi != self.lo else 0.5
        return min(max(u, 0.0), 1.0)

    def range_text(self) -> str:
        """The physical range as text: ``"0.5 .. 3 x"``, ``"700 .. 6200 rpm (log)"`` or the choices."""
        if self.choices:
            return " | ".join(self.choices)
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.lo:g} .. {self.hi:g}{unit}" + (" (log)" if self.curve == "log" else "")

    def to_dict(self) -> dict:
        """JSON-ready description (name, doc, unit, lo, hi, curve, range text, choices)."""
        d = {"name": self.name, "doc": self.doc, "unit": self.unit, "lo": self.lo, "hi": self.hi, "curve": self.curve,
             "range": self.range_text()}
        if self.choices:
            d["choices"] = list(self.choices)
        return d

    def words_for_choice(self, choice: str) -> tuple[str, ...]:
        for c, words in self.choice_words:
            if c == choice:
                return words
        return ()


@dataclass(frozen=True)
class Family:
    """A sound family: parameters, renderer, words, roles (see the module docstring).

    Words: ``nouns`` are (phrase, countable) caption nouns; ``scenes`` are sentences with
    ``{adj}`` (pre-noun adjectives) and ``{post}`` (trailing phrases) slots; ``tags`` are short
    keywords; ``keywords`` are the words and phrases a user's prompt uses to ask for this family
    (nouns included automatically). ``rate_words`` / ``intensity_words`` are (low, high) word
    tuples for the common ``rate`` / ``intensity`` slots where they mean something audible for this
    family (``rate_doc`` says what rate 1.0 is, e.g. "1.8 steps/s"). ``sized``: size words apply
    (default: not for textures). ``ringing``: a long decay "rings". ``tonal_pitch``: pitch words
    apply as musical pitch. ``special_words(ph, duration_s)`` returns extra caption terms for
    counted or categorical readings ``[(key, adjs, posts, tag), ...]`` when the plain low/high and
    choice words are not enough. ``ucs_of(ph) -> str`` gives the UCS CatID when the parameters
    change the category (a steel door slam is DOORMetl, a wooden one DOORWood); default ``ucs``.

    Roles: ``element_roles`` (subset of :data:`ELEMENT_ROLES`) this family can take in a composed
    hero; ``design_roles`` (subset of :data:`DESIGN_ROLES`) it can fill as a supporting layer, with
    ``role_params`` giving the named normalised values it is rendered with in that role.
    ``category`` names the development corpus category it is measured against (``None``: no real
    counterpart). ``presets`` are named starting points: {name: {param: normalised value or choice}}.
    """

    name: str
    ucs: str
    noun: str
    kind: str
    render: Callable | None
    params: tuple[Param, ...] = ()
    default_duration_s: float = 2.0
    nouns: tuple[tuple[str, int], ...] = ()
    scenes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    rate_words: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    rate_doc: str = ""
    intensity_words: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    sized: bool | None = None
    ringing: bool = False
    tonal_pitch: bool = False
    special_words: Callable | None = None
    ucs_of: Callable | None = None
    element_roles: tuple[str, ...] = ("main",)
    design_roles: tuple[str, ...] = ()
    role_params: dict = field(default_factory=dict)
    category: str | None = None
    presets: dict = field(default_factory=dict)
    sharp_onset: bool | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"family {self.name}: kind must be one of {KINDS}")
        if len(self.params) > N_AUX:
            raise ValueError(f"family {self.name}: at most {N_AUX} parameters of its own")
        names = [p.name for p in self.params]
        clash = set(names) & set(COMMON) or {n for n in names if names.count(n) > 1}
        if clash:
            raise ValueError(f"family {self.name}: parameter names clash: {sorted(clash)}")
        bad = [r for r in self.element_roles if r not in ELEMENT_ROLES]
        bad += [r for r in self.design_roles if r not in DESIGN_ROLES]
        bad += [r for r in self.role_params if r not in DESIGN_ROLES and r not in ELEMENT_ROLES]
        if bad:
            raise ValueError(f"family {self.name}: unknown roles {bad}")

    # --- the legacy FamilyInfo interface (patch.py, captions, corpus, models)
    @property
    def aux(self) -> tuple[str, ...]:
        """Names of the family's aux slots, in slot order."""
        return tuple(p.name for p in self.params)

    @property
    def description(self) -> str:
        """The family as one sentence, ``the sound of a {noun}``: the text a CLAP embedder compares
        a family's audio with (hero vocabulary anchors, zero-shot classes in evaluations)."""
        return f"the sound of a {self.noun}"

    @property
    def seed_key(self) -> int:
        """Stable per-family key mixed into the render seed (independent of registry order)."""
        return zlib.crc32(self.name.encode("utf-8"))

    @property
    def has_sharp_onset(self) -> bool:
        """Whether real recordings of the family start on a transient (attack under ~20 ms, as
        the dev corpus's footsteps, impacts, doors and weapons do): every one-shot, and a texture
        made of transients when it says so (``sharp_onset=True``: footsteps, hooves). The corpus
        sampler draws such families' attack slot mostly in 1 .. 7 ms."""
        return self.kind == "oneshot" if self.sharp_onset is None else bool(self.sharp_onset)

    @property
    def is_sized(self) -> bool:
        return self.kind != "texture" if self.sized is None else bool(self.sized)

    def ucs_for(self, ph: Physical) -> str:
        """The UCS CatID of a patch with physical values ``ph``."""
        return self.ucs if self.ucs_of is None else str(self.ucs_of(ph))

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(f"{self.name} has no parameter {name!r}")

    def to_dict(self) -> dict:
        """JSON-ready description of the family for listings and the UI: name, UCS CatID, noun,
        kind, default duration, parameters (with units, ranges, docs), rate doc, roles, category,
        preset names and keywords."""
        return {"name": self.name, "ucs": self.ucs, "noun": self.noun, "kind": self.kind,
                "default_duration_s": self.default_duration_s, "params": [p.to_dict() for p in self.params],
                "rate_doc": self.rate_doc, "element_roles": list(self.element_roles),
                "design_roles": list(self.design_roles), "category": self.category,
                "presets": sorted(self.presets), "keywords": list(self.all_keywords())}

    def all_keywords(self) -> tuple[str, ...]:
        """Prompt words/phrases that ask for this family: its keywords, nouns and name words."""
        seen: dict[str, None] = {}
        for w in (*self.keywords, self.noun, *(n for n, _ in self.nouns)):
            seen.setdefault(w.lower(), None)
        return tuple(seen)
