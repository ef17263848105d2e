"""Patch layout: one fixed-length, normalised parameter vector shared by every family.

A :class:`Patch` is a family name plus ``N_PARAMS`` floats in [-1, 1]. The first
``len(COMMON)`` slots mean the same in every family (pitch, size, brightness, ...); the last
``N_AUX`` slots are family-specific and named per family in :data:`FAMILIES`. One model (the
hero generator) can therefore learn every family over one vector.

Mapping from normalised ``x`` in [-1, 1] to physical values (``u = (x + 1) / 2`` in [0, 1]):

==============  =========================  ==========================================
slot            physical                   mapping
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
aux1..aux6      family-specific 0..1       ``u``  (named in FAMILIES[family].aux)
==============  =========================  ==========================================
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


def _f(name, ucs, noun, kind, aux=(), dur=2.0):
    """A family still described by the legacy table below (renderer in a grouped module)."""
    return Family(name=name, ucs=ucs, noun=noun, kind=kind, render=None,
                  params=tuple(Param(a, doc="") for a in aux), default_duration_s=dur)


# Families not yet moved into a module of their own (sfxgen/synth/families/<name>.py). The
# registry lists them first, in this order, then the module families by name.
LEGACY_FAMILY_LIST: tuple[Family, ...] = (
    _f("impact_metal", "METLImpt", "metal impact", "oneshot", ("ring", "hardness", "inharmonicity", "damping_hf", "rattle"), 2.5),
    _f("impact_wood", "WOODImpt", "wood impact", "oneshot", ("hollowness", "hardness", "grain", "crack"), 1.5),
    _f("impact_glass", "GLASImpt", "glass impact", "oneshot", ("ring", "hardness", "thickness"), 1.5),
    _f("impact_stone", "ROCKImpt", "stone impact", "oneshot", ("grit", "hardness", "debris"), 1.5),
    _f("impact_body", "FGHTImpt", "body punch", "oneshot", ("slap", "thud", "cloth"), 1.0),
    _f("whoosh", "DSGNWhsh", "whoosh", "oneshot", ("sweep", "tonal", "doppler", "flutter"), 1.5),
    _f("riser", "DSGNRise", "riser", "tonal", ("noise_mix", "tension", "shepard"), 4.0),
    _f("downer", "DSGNMisc", "downer", "tonal", ("noise_mix", "curve"), 3.0),
    _f("sub_drop", "DSGNBoom", "sub drop boom", "oneshot", ("sweep_depth", "click", "distortion"), 3.0),
    _f("explosion", "EXPLReal", "explosion", "oneshot", ("debris", "crack", "rumble", "fire"), 5.0),
    _f("gunshot", "GUNPis", "gunshot", "oneshot", ("caliber", "mechanics", "crack"), 2.0),
    _f("laser", "LASRGun", "laser zap", "oneshot", ("sweep", "fm_depth", "repeats"), 1.0),
    _f("energy_hum", "SCIEnrg", "energy hum", "texture", ("pulse", "harmonics", "instability"), 4.0),
    _f("servo", "MOTRSrvo", "servo motor", "oneshot", ("gear_whine", "load", "stops"), 2.0),
    _f("engine", "MOTRComb", "engine", "texture", ("cylinders", "rev", "roughness", "exhaust"), 4.0),
    _f("wind", "WIND", "wind", "texture", ("gustiness", "whistle", "howl"), 5.0),
    _f("rain", "RAIN", "rain", "texture", ("drop_size", "surface_hardness", "roof"), 5.0),
    _f("fire", "FIRECrkl", "fire crackle", "texture", ("crackle_density", "roar", "pops"), 5.0),
    _f("water_drips", "WATRDrip", "water drips", "texture", ("drop_size", "resonance", "regularity"), 4.0),
    _f("water_bubbles", "WATRBubl", "bubbles", "texture", ("bubble_size", "density", "gurgle"), 3.0),
    _f("water_splash", "WATRSplsh", "water splash", "oneshot", ("mass", "spray", "droplets"), 2.0),
    _f("water_stream", "WATRFlow", "water stream", "texture", ("flow", "babble", "depth"), 5.0),
    _f("thunder", "THUN", "thunder", "oneshot", ("crack", "rumble", "rolls"), 6.0),
    _f("footsteps", "FEETHmn", "footsteps", "texture", ("surface", "weight", "shoe_hardness", "scuff"), 4.0),
    _f("door_creak", "DOORCreak", "door creak", "oneshot", ("stick_slip", "pressure", "wood_metal"), 3.0),
    _f("door_slam", "DOORWood", "door slam", "oneshot", ("material", "latch", "rattle"), 2.0),
    _f("door_latch", "MECHLtch", "latch", "oneshot", ("spring", "clicks", "metal"), 1.0),
    _f("switch_click", "MECHSwtch", "switch click", "oneshot", ("plastic_metal", "double", "thunk"), 0.5),
    _f("alarm_siren", "ALRMSirn", "siren alarm", "tonal", ("sweep_depth", "waveform", "beeping"), 4.0),
    _f("ui_blip", "UIBeep", "UI blip", "oneshot", ("notes", "interval", "waveform", "glide"), 0.6),
    _f("bell_chime", "BELLHand", "bell chime", "oneshot", ("material", "strikes", "inharmonicity"), 4.0),
    _f("electric_sparks", "ELECSprk", "electric sparks", "texture", ("arc", "buzz", "burstiness"), 2.0),
    _f("creature_growl", "CREAMnstr", "creature growl", "oneshot", ("vowel", "roughness", "snarl", "breath"), 3.0),
    _f("heartbeat", "HMNHart", "heartbeat", "texture", ("thump", "tension"), 4.0),
    _f("clock_tick", "CLOCKTick", "clock ticking", "texture", ("tock", "mechanism", "material"), 4.0),
    _f("glass_shatter", "GLASBrk", "glass shatter", "oneshot", ("shards", "pane_size", "tinkle"), 2.5),
    _f("cloth_rustle", "CLOTHMvmt", "cloth rustle", "texture", ("fabric_stiffness", "motion", "flap"), 2.0),
    _f("crowd_murmur", "CRWDWalla", "crowd murmur", "texture", ("voices", "excitement", "room_size"), 5.0),
    _f("spaceship_drone", "SCIShip", "spaceship drone", "texture", ("engine_tone", "modulation", "rumble"), 6.0),
)


def _all_families() -> tuple[Family, ...]:
    from sfxgen.synth.registry import discover

    modular = discover()
    legacy = [f for f in LEGACY_FAMILY_LIST if f.name not in modular]
    return tuple(legacy) + tuple(modular[k] for k in sorted(modular))


FAMILY_LIST: tuple[Family, ...] = _all_families()
"""Every family: the legacy table's first (in its order), then the module families by name. A
model stores its own family list, so this order is not a model contract."""
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
