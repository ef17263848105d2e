"""The rules for building and editing a recipe, in one place: hero and support-layer defaults,
naming, fades, the preset, and the layer table the UI edits.

The designer (:mod:`sfxgen.layering.auto`), the service facade and the UI all build and edit
recipes through these functions, so a hero layer made by ``sfxgen design`` and one made by "use
as hero" in the UI are the same layer.
"""

from __future__ import annotations

import math
import re
from typing import Any

from sfxgen.errors import ParameterError, RecipeError
from sfxgen.layering.recipe import ROLES, Layer, Recipe, Source

#: hero layer defaults: a little of the space, a short fade so it never clicks off
HERO_SEND_DB = -14.0
HERO_FADE_OUT_MS = 20.0
#: a layer added by hand: short fades, a little of the space (none for a sub)
SUPPORT_FADE_IN_MS = 2.0
SUPPORT_FADE_OUT_MS = 60.0
SUPPORT_SEND_DB = -18.0
LAYER_COLUMNS = ("name", "role", "source", "gain_db", "offset_ms", "fade_in_ms", "fade_out_ms",
                 "eq", "reverb_send_db", "mute")


def default_recipe_name(prompt: str) -> str:
    """A recipe's default name: the one file-naming rule (:func:`sfxgen.naming.file_stem`)."""
    from sfxgen.naming import file_stem

    return file_stem(prompt)


def unique_name(base: str, names) -> str:
    """``base``, or ``base_2``, ``base_3`` ... when taken (layer names name the stem files)."""
    if base not in names:
        return base
    k = 2
    while f"{base}_{k}" in names:
        k += 1
    return f"{base}_{k}"


def hero_layer(source: Source, *, name: str = "hero", **edits) -> Layer:
    """The hero layer with its defaults (send, fade) and any ``edits``."""
    kw = {"reverb_send_db": HERO_SEND_DB, "fade_out_ms": HERO_FADE_OUT_MS, **edits}
    return Layer(name=name, role="hero", source=source, **kw)


def support_layer(source: Source, *, role: str, name: str, gain_db: float = 0.0, **edits) -> Layer:
    """A supporting layer with the defaults for a layer added by hand."""
    if role not in ROLES:
        raise ParameterError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    kw = {"fade_in_ms": SUPPORT_FADE_IN_MS, "fade_out_ms": SUPPORT_FADE_OUT_MS,
          "reverb_send_db": None if role == "sub" else SUPPORT_SEND_DB, **edits}
    return Layer(name=name, role=role, source=source, gain_db=float(gain_db), **kw)


def recipe_obj(recipe) -> Recipe:
    """A validated :class:`Recipe` (a copy) from a Recipe, dict or JSON text."""
    if isinstance(recipe, Recipe):
        return Recipe.from_dict(recipe.to_dict()).validate()
    if isinstance(recipe, (str, bytes)):
        if not str(recipe).strip():
            raise RecipeError("the recipe is empty: generate a hero and 'use as hero', or auto-design one")
        return Recipe.from_json(recipe).validate()
    if isinstance(recipe, dict):
        return Recipe.from_dict(recipe).validate()
    raise RecipeError(f"a recipe must be JSON text or an object, got {type(recipe).__name__}")


def is_empty(recipe) -> bool:
    return recipe in (None, "", {}) or (isinstance(recipe, str) and not recipe.strip())


def with_preset(r: Recipe, preset: str | None) -> Recipe:
    """``r`` mastered with ``preset`` (checked) when one is given."""
    if preset:
        from sfxgen.loudness import get_preset

        get_preset(preset)
        r.master.preset = preset
    return r


def set_hero(recipe, source: Source, *, prompt: str = "", name: str | None = None) -> Recipe:
    """``recipe`` (or a new one) with ``source`` as its hero (replacing the hero's source and
    keeping its edits; a hero layer is inserted first when there is none)."""
    if is_empty(recipe):
        return Recipe(name=name or default_recipe_name(prompt), layers=[hero_layer(source)], prompt=prompt).validate()
    r = recipe_obj(recipe)
    for layer in r.layers:
        if layer.role == "hero":
            layer.source = source
            break
    else:
        r.layers.insert(0, hero_layer(source, name=unique_name("hero", {l.name for l in r.layers})))
    if prompt and not r.prompt:
        r.prompt = prompt
    return r.validate()


def add_layer(recipe, source: Source, *, role: str, gain_db: float = 0.0, name_hint: str = "sfx") -> Recipe:
    """``recipe`` (or a new one named after ``name_hint``) plus a ``role`` layer playing ``source``."""
    from sfxgen.export import safe_name

    r = Recipe(name=safe_name(name_hint.lower()), layers=[]) if is_empty(recipe) else recipe_obj(recipe)
    r.layers.append(support_layer(source, role=role, name=unique_name(role, {l.name for l in r.layers}),
                                  gain_db=gain_db))
    return r.validate()


# ------------------------------------------------------------------ the editable layer table
_FREQ_RE = re.compile(r"^([0-9.]+)\s*(k?hz)?$", re.I)


def format_eq(bands) -> str:
    """EQ bands as editable text: ``"highpass 80Hz; peak 400Hz -3dB q2"`` (see :func:`parse_eq`)."""
    from sfxgen.dsp.filters import EQBand

    default_q = EQBand("peak", 1000.0).q
    parts = []
    for b in bands:
        s = f"{b.type} {b.freq_hz:g}Hz"
        if b.high_hz is not None:
            s += f" to {b.high_hz:g}Hz"
        if b.gain_db:
            s += f" {b.gain_db:+g}dB"
        if abs(b.q - default_q) > 1e-6:
            s += f" q{b.q:g}"
        if b.order != 2:
            s += f" order{b.order}"
        parts.append(s)
    return "; ".join(parts)


def parse_eq(text: str) -> list:
    """Parse :func:`format_eq` text back into ``EQBand`` s. Bands are separated by ``;``; each is
    ``TYPE FREQ[Hz|kHz] [to FREQ] [GAINdB] [qQ] [orderN]``, e.g. ``peak 2.5kHz -4dB q1.5``."""
    from sfxgen.dsp.filters import BAND_TYPES, EQBand

    aliases = {"hp": "highpass", "hpf": "highpass", "lp": "lowpass", "lpf": "lowpass", "bell": "peak",
               "lowshelf": "low_shelf", "highshelf": "high_shelf", "bp": "bandpass"}
    bands = []
    for raw in str(text or "").split(";"):
        words = raw.replace(",", " ").split()
        if not words:
            continue
        kind = aliases.get(words[0].lower().replace("-", "_"), words[0].lower().replace("-", "_"))
        if kind not in BAND_TYPES:
            raise ParameterError(f"EQ band {raw.strip()!r}: unknown type {words[0]!r} (use {', '.join(BAND_TYPES)})")
        kw: dict[str, Any] = {}
        freqs = []
        for w0 in words[1:]:
            w = w0.lower()
            if w == "to":
                continue
            m = _FREQ_RE.match(w)
            try:
                if w.endswith("db"):
                    kw["gain_db"] = float(w[:-2])
                elif w.startswith("q") and w != "q":
                    kw["q"] = float(w[1:].lstrip("="))
                elif w.startswith("order"):
                    kw["order"] = int(w[5:].lstrip("="))
                elif m:
                    freqs.append(float(m.group(1)) * (1000.0 if (m.group(2) or "").lower() == "khz" else 1.0))
                else:
                    raise ValueError
            except ValueError:
                raise ParameterError(f"EQ band {raw.strip()!r}: cannot read {w0!r} "
                                     "(write e.g. 'peak 400Hz -3dB q2' or 'highpass 80Hz')") from None
        if not freqs:
            raise ParameterError(f"EQ band {raw.strip()!r} needs a frequency, e.g. '{kind} 400Hz'")
        if len(freqs) > 1:
            kw["high_hz"] = freqs[1]
        band = EQBand(kind, freqs[0], **kw)
        try:
            band.sos(48000)
        except ParameterError as exc:
            raise ParameterError(f"EQ band {raw.strip()!r}: {exc}") from None
        bands.append(band)
    return bands


def number_in_range(name: str, value, *, lo: float, hi: float, integer: bool = False):
    """``value`` as a float in [lo, hi] (an int with ``integer``), else ParameterError naming ``name``."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(v) or not lo <= v <= hi:
        raise ParameterError(f"{name} must be between {lo:g} and {hi:g}, got {value!r}")
    if integer:
        if not v.is_integer():
            raise ParameterError(f"{name} must be a whole number, got {value!r}")
        return int(v)
    return v


def layer_table(recipe) -> list[list]:
    """The recipe's layers as editable rows (see :data:`LAYER_COLUMNS`; EQ as text)."""
    from pathlib import Path

    r = None if is_empty(recipe) else recipe_obj(recipe)
    rows = []
    for l in (r.layers if r else []):
        src = l.source.description or (Path(l.source.path).name if l.source.path else l.source.kind)
        rows.append([l.name, l.role, src, round(l.gain_db, 2), round(l.offset_ms, 1), round(l.fade_in_ms, 1),
                     round(l.fade_out_ms, 1), format_eq(l.eq),
                     "" if l.reverb_send_db is None else round(l.reverb_send_db, 1), bool(l.mute)])
    return rows


def apply_layer_table(recipe, rows, *, preset: str | None = None) -> Recipe:
    """Apply edited layer rows to ``recipe``: rows are matched to layers by name, their order
    becomes the layer order and layers without a row are removed."""
    r = recipe_obj(recipe)
    by_name = {l.name: l for l in r.layers}
    new = []
    for i, row in enumerate(rows or []):
        row = list(row) + [None] * (len(LAYER_COLUMNS) - len(row))
        vals = dict(zip(LAYER_COLUMNS, row))
        name = str(vals["name"] or "").strip()
        if not name and not any(v not in (None, "") for v in row):
            continue
        if name not in by_name:
            raise RecipeError(f"row {i + 1}: no layer named {name!r} (layer names: {', '.join(by_name)})")
        l = by_name[name]
        where = f"layer {name!r}"
        l.role = str(vals["role"] or l.role).strip()
        for key, lo, hi in (("gain_db", -120, 36), ("offset_ms", 0, 600000), ("fade_in_ms", 0, 600000),
                            ("fade_out_ms", 0, 600000)):
            v = vals[key]
            if v not in (None, ""):
                setattr(l, key, number_in_range(f"{where} {key}", v, lo=lo, hi=hi))
        l.eq = parse_eq(vals["eq"] or "")
        send = vals["reverb_send_db"]
        l.reverb_send_db = None if send in (None, "") or str(send).strip().lower() in ("", "none", "off", "-") \
            else number_in_range(f"{where} reverb_send_db", send, lo=-120, hi=12)
        mute = vals["mute"]
        l.mute = mute if isinstance(mute, bool) else str(mute).strip().lower() in ("true", "1", "yes", "x")
        new.append(l)
    if not new:
        raise RecipeError("the layer list is empty: a recipe needs at least one layer")
    r.layers = new
    return with_preset(r, preset).validate()


__all__ = ["LAYER_COLUMNS", "add_layer", "apply_layer_table", "default_recipe_name", "format_eq", "hero_layer",
           "layer_table", "parse_eq", "recipe_obj", "set_hero", "support_layer", "unique_name", "with_preset"]
