"""The layering recipe: a typed, versioned, JSON-serialisable description of a designed effect.

A recipe says everything needed to rebuild the same audio bit for bit: every layer's source
(a procedural patch and seed, or a library file identified by path and content hash), its
edits (trim, offset, gain, fades, pitch, reverse, EQ, compressor, reverb send), the shared bus
(reverb, compressor) and the master stage (delivery preset). ``Recipe.from_json(r.to_json())``
round-trips exactly; :func:`sfxgen.layering.render.render_recipe` renders it.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from sfxgen.dsp.dynamics import Compressor
from sfxgen.dsp.filters import EQBand
from sfxgen.dsp.reverb import ReverbSettings
from sfxgen.errors import ParameterError, RecipeError

RECIPE_VERSION = 1
ROLES = ("hero", "sub", "body", "texture", "transient", "tail", "sweetener", "bed")
SOURCE_KINDS = ("synth", "file")
FADE_CURVES = ("linear", "equal_power", "exponential", "s_curve")


def _finite(name: str, value: float, *, lo: float = -math.inf, hi: float = math.inf) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise RecipeError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(v):
        raise RecipeError(f"{name} must be a finite number, got {value!r}")
    if not lo <= v <= hi:
        raise RecipeError(f"{name} = {v:g} is out of range [{lo:g}, {hi:g}]")
    return v


def _from_dict(cls, d: dict[str, Any], what: str):
    if not isinstance(d, dict):
        raise RecipeError(f"{what} must be a JSON object, got {type(d).__name__}")
    names = {f.name for f in fields(cls)}
    unknown = set(d) - names
    if unknown:
        raise RecipeError(f"{what} has unknown fields: {', '.join(sorted(unknown))}")
    try:
        return cls(**d)
    except TypeError as exc:
        raise RecipeError(f"{what}: {exc}") from None


def _dsp_from_dict(cls, d, what: str):
    try:
        return cls.from_dict(d)
    except (ParameterError, TypeError) as exc:
        raise RecipeError(f"{what}: {exc}") from None


def _check_dsp(where: str, check) -> None:
    try:
        check()
    except ParameterError as exc:
        raise RecipeError(f"{where}: {exc}") from None


@dataclass
class Source:
    """Where a layer's audio comes from.

    ``kind="synth"``: the procedural engine renders ``patch`` (``Patch.to_dict()``) with ``seed``
    for ``duration_s`` (a hero from the embedded generator is such a source; ``prompt`` and
    ``model_id`` record where it came from). ``kind="file"``: a library (or exported hero) file by
    ``path`` with its ``sha1`` content hash, refused at render time if the file changed.
    """

    kind: str
    patch: dict | None = None
    seed: int = 0
    duration_s: float = 0.0
    path: str | None = None
    sha1: str | None = None
    prompt: str | None = None
    model_id: str | None = None
    description: str = ""
    root: str | None = None

    def validate(self, where: str) -> None:
        if self.kind not in SOURCE_KINDS:
            raise RecipeError(f"{where}: unknown source kind {self.kind!r} (use one of {', '.join(SOURCE_KINDS)})")
        if self.kind == "synth":
            if not isinstance(self.patch, dict) or "family" not in self.patch:
                raise RecipeError(f"{where}: a synth source needs a patch with a family")
            _finite(f"{where} duration_s", self.duration_s, lo=0.05, hi=60.0)
        else:
            if not self.path:
                raise RecipeError(f"{where}: a file source needs a path")


@dataclass
class Layer:
    """One layer: a source plus its edits. Times in seconds/milliseconds as named."""

    name: str
    role: str
    source: Source
    trim_start_s: float = 0.0
    trim_end_s: float | None = None
    offset_ms: float = 0.0
    gain_db: float = 0.0
    fade_in_ms: float = 0.0
    fade_out_ms: float = 0.0
    fade_curve: str = "equal_power"
    pitch_semitones: float = 0.0
    reverse: bool = False
    eq: list[EQBand] = field(default_factory=list)
    compressor: Compressor | None = None
    reverb_send_db: float | None = None  # None = no send
    mute: bool = False
    #: further placements of the same edited audio, in ms after ``offset_ms`` (one per step of a walk)
    repeats_ms: list[float] = field(default_factory=list)
    #: the library query that found the source, and why the layer is in the design
    query: str = ""
    reason: str = ""

    def validate(self, index: int) -> None:
        where = f"layer {index + 1} ({self.name!r})"
        if not self.name or any(c in self.name for c in "/\\\0") or self.name in (".", ".."):
            raise RecipeError(f"{where}: layer names must be non-empty and contain no path separators")
        if self.role not in ROLES:
            raise RecipeError(f"{where}: unknown role {self.role!r} (use one of {', '.join(ROLES)})")
        self.source.validate(where)
        _finite(f"{where} trim_start_s", self.trim_start_s, lo=0.0, hi=3600.0)
        if self.trim_end_s is not None:
            end = _finite(f"{where} trim_end_s", self.trim_end_s, lo=0.0, hi=3600.0)
            if end <= self.trim_start_s:
                raise RecipeError(f"{where}: trim_end_s ({end:g}) must be after trim_start_s ({self.trim_start_s:g})")
        _finite(f"{where} offset_ms", self.offset_ms, lo=0.0, hi=600000.0)
        _finite(f"{where} gain_db", self.gain_db, lo=-120.0, hi=36.0)
        _finite(f"{where} fade_in_ms", self.fade_in_ms, lo=0.0, hi=600000.0)
        _finite(f"{where} fade_out_ms", self.fade_out_ms, lo=0.0, hi=600000.0)
        if self.fade_curve not in FADE_CURVES:
            raise RecipeError(f"{where}: unknown fade curve {self.fade_curve!r} (use {', '.join(FADE_CURVES)})")
        _finite(f"{where} pitch_semitones", self.pitch_semitones, lo=-36.0, hi=36.0)
        for j, band in enumerate(self.eq):
            _check_dsp(f"{where} EQ band {j + 1}", lambda b=band: b.sos(48000))
        if self.compressor is not None:
            _check_dsp(f"{where} compressor", self.compressor._check)
        if self.reverb_send_db is not None:
            _finite(f"{where} reverb_send_db", self.reverb_send_db, lo=-120.0, hi=12.0)
        if not isinstance(self.repeats_ms, list) or len(self.repeats_ms) > 512:
            raise RecipeError(f"{where}: repeats_ms must be a list of at most 512 times in ms")
        for r in self.repeats_ms:
            _finite(f"{where} repeats_ms", r, lo=0.0, hi=600000.0)

    @classmethod
    def from_dict(cls, d: dict) -> "Layer":
        d = dict(d)
        d["source"] = _from_dict(Source, d.get("source", {}), "layer source")
        d["eq"] = [_dsp_from_dict(EQBand, b, "EQ band") for b in d.get("eq", [])]
        if d.get("compressor") is not None:
            d["compressor"] = _dsp_from_dict(Compressor, d["compressor"], "compressor")
        return _from_dict(cls, d, "layer")


@dataclass
class Bus:
    """Shared bus: one reverb fed by layer sends, and an optional glue compressor."""

    reverb: ReverbSettings = field(default_factory=lambda: ReverbSettings(rt60_s=1.2, pre_delay_ms=12.0, wet_db=0.0))
    compressor: Compressor | None = None

    @classmethod
    def from_dict(cls, d: dict) -> "Bus":
        d = dict(d)
        d["reverb"] = _dsp_from_dict(ReverbSettings, d.get("reverb", {}), "bus reverb")
        if d.get("compressor") is not None:
            d["compressor"] = _dsp_from_dict(Compressor, d["compressor"], "bus compressor")
        return _from_dict(cls, d, "bus")


@dataclass
class Master:
    """Master stage: a delivery preset name, optionally overriding its target and ceiling."""

    preset: str = "ebu-r128"
    target_lufs: float | None = None
    ceiling_dbtp: float | None = None
    #: fade applied to the whole pre-master (every stem and the reverb alike) at the very end,
    #: so the design never stops hard while its tail still sounds
    fade_out_ms: float = 0.0

    def validate(self) -> None:
        _finite("master fade_out_ms", self.fade_out_ms, lo=0.0, hi=60000.0)
        if self.target_lufs is not None:
            _finite("master target_lufs", self.target_lufs, lo=-70.0, hi=0.0)
        if self.ceiling_dbtp is not None:
            _finite("master ceiling_dbtp", self.ceiling_dbtp, lo=-20.0, hi=0.0)


@dataclass
class Recipe:
    """A complete, replayable design. ``duration_s`` None = the end of the longest layer."""

    name: str
    layers: list[Layer]
    bus: Bus = field(default_factory=Bus)
    master: Master = field(default_factory=Master)
    sample_rate: int = 48000
    duration_s: float | None = None
    prompt: str = ""
    version: int = RECIPE_VERSION
    #: what kind of sound the design is ("oneshot", "texture", "tonal"; None unknown): QC judges
    #: its loudness range and end for that kind
    kind: str | None = None

    def validate(self) -> "Recipe":
        """Check every field; raise :class:`RecipeError` naming the first problem."""
        if self.version != RECIPE_VERSION:
            raise RecipeError(f"recipe version {self.version} is not supported (this sfxgen reads version {RECIPE_VERSION})")
        if not self.name or any(c in self.name for c in "/\\\0") or self.name in (".", ".."):
            raise RecipeError("recipe name must be non-empty and contain no path separators")
        if int(self.sample_rate) not in (44100, 48000, 96000):
            raise RecipeError(f"recipe sample_rate must be 44100, 48000 or 96000 Hz, got {self.sample_rate}")
        if not self.layers:
            raise RecipeError("recipe has no layers")
        names = [l.name for l in self.layers]
        if len(set(names)) != len(names):
            raise RecipeError("layer names must be unique (they name the stem files)")
        for i, layer in enumerate(self.layers):
            layer.validate(i)
        if self.duration_s is not None:
            _finite("recipe duration_s", self.duration_s, lo=0.05, hi=600.0)
        rv = self.bus.reverb
        _finite("bus reverb rt60_s", rv.rt60_s, lo=0.05, hi=20.0)
        _finite("bus reverb pre_delay_ms", rv.pre_delay_ms, lo=0.0, hi=500.0)
        _finite("bus reverb size", rv.size, lo=0.0, hi=1.0)
        _finite("bus reverb brightness", rv.brightness, lo=0.0, hi=1.0)
        _finite("bus reverb wet_db (return level)", rv.wet_db, lo=-120.0, hi=12.0)
        if self.bus.compressor is not None:
            _check_dsp("bus compressor", self.bus.compressor._check)
        if self.kind is not None and self.kind not in ("oneshot", "texture", "tonal"):
            raise RecipeError(f"recipe kind {self.kind!r} is unknown (use oneshot, texture or tonal)")
        self.master.validate()
        return self

    def to_dict(self) -> dict:
        d = asdict(self)
        for layer, ld in zip(self.layers, d["layers"]):
            ld["eq"] = [b.to_dict() for b in layer.eq]
            ld["compressor"] = layer.compressor.to_dict() if layer.compressor else None
        d["bus"]["reverb"] = self.bus.reverb.to_dict()
        d["bus"]["compressor"] = self.bus.compressor.to_dict() if self.bus.compressor else None
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=False)

    @classmethod
    def from_dict(cls, d: dict) -> "Recipe":
        if not isinstance(d, dict):
            raise RecipeError("a recipe must be a JSON object")
        d = dict(d)
        try:
            d["layers"] = [Layer.from_dict(x) for x in d.get("layers", [])]
        except AttributeError:
            raise RecipeError("recipe layers must be a list of objects") from None
        d["bus"] = Bus.from_dict(d.get("bus", {}))
        d["master"] = _from_dict(Master, d.get("master", {}), "master")
        return _from_dict(cls, d, "recipe")

    @classmethod
    def from_json(cls, text: str) -> "Recipe":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RecipeError(f"recipe is not valid JSON: {exc}") from None
        return cls.from_dict(data)
