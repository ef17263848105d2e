"""One cue's sound, made through the main design path of the service facade (never re-implemented).

* FX: ``service.design(description, layers=3, seed, variation)`` -- the ``sfxgen design`` recipe
  (hero, aligned support layers, shared space, master) -- rendered by
  :func:`sfxgen.layering.render.render_recipe`, at the cue's length.
* FOLEY: the same with no support layers (Foley is one performed, dry sound); the hero must be a
  Foley family. A family is Foley when the registry says so in its own words: its development
  corpus category (foley, footstep, door), a ``foley`` tag, or the UCS category of its CatID
  (FOLEY, FOOTSTEPS, CLOTH, DOORS, ...). When the designed hero is not, the Foley family whose
  keywords the description uses best is put in as the hero (``service.use_as_hero``).
* BG: the same with no support layers, rendered long enough to cut a seamless loop from its
  settled middle (:mod:`sfxgen.post.loop`).
* ``source=library``: the best library match for the description (``service.search`` then
  ``service.add_layer``); ``roomtone``: :mod:`sfxgen.post.roomtone` from a recording.

``variation`` picks the design's next candidate (its ``variation`` argument); a new ``seed``
draws new ones: that is how one cue is re-rolled.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import numpy as np

from sfxgen.errors import ParameterError, SfxgenError

LAYERS = {"FX": 3, "FOLEY": 0, "BG": 0}
CANDIDATES = {"FX": None, "FOLEY": 1, "BG": 1}
"""Heroes drawn per cue: FX as ``sfxgen design`` does (its default); FOLEY and BG only the one
they use (``variation + 1`` when re-rolled): a bed's long texture renders cost 4x otherwise."""
BG_LOOP_MAX_S = 8.0
BG_XFADE_S = 0.75
BG_SETTLE_S = 1.0
MIN_DESIGN_S, MAX_DESIGN_S = 0.1, 30.0
FOLEY_CORPUS_CATEGORIES = ("foley", "footstep", "door")
FOLEY_UCS_CATEGORIES = ("FOLEY", "FOOTSTEPS", "CLOTH", "DOORS", "DRAWERS", "PAPER", "LEATHER", "MECHANICAL",
                        "OBJECTS", "PLASTIC", "ROPE", "CHAINS", "FIGHT", "MOVEMENT")


@dataclass
class CueTake:
    """What designing one cue produced: ``audio`` (2, n) float32 at ``sample_rate`` (mastered by
    the design path), the recipe that replays it (None for room tone), and what was picked."""

    audio: np.ndarray
    sample_rate: int
    seed: int
    variation: int
    source: str
    recipe: dict | None
    family: str | None
    layers: list[dict]
    design_s: float
    loop: dict | None = None
    notes: list[str] = field(default_factory=list)


def is_foley_family(family) -> bool:
    """Whether a synth family is a Foley family, by the registry's own words (see the module docstring)."""
    from sfxgen.synth.patch import FAMILIES
    from sfxgen.ucs import load_ucs

    fam = FAMILIES.get(family) if isinstance(family, str) else family
    if fam is None:
        return False
    if fam.category is not None:
        return fam.category in FOLEY_CORPUS_CATEGORIES
    if any(t.lower() == "foley" for t in fam.tags):
        return True
    ucs = load_ucs().get(fam.ucs)
    return ucs is not None and ucs.category in FOLEY_UCS_CATEGORIES


def foley_family_for(description: str) -> str | None:
    """The Foley family whose keywords ``description`` uses most (ties: the longer phrase), or None."""
    from sfxgen.synth.patch import FAMILY_LIST

    text = " " + " ".join(re.findall(r"[a-z0-9]+", description.lower())) + " "
    best, best_score = None, (0, 0)
    for fam in FAMILY_LIST:
        if not is_foley_family(fam):
            continue
        words = set(fam.all_keywords()) | set(fam.name.split("_"))
        hits = [w for w in words if w and f" {w} " in text or (len(w) > 3 and f" {w}s " in text)]
        score = (len(hits), max((len(w) for w in hits), default=0))
        if score > best_score:
            best, best_score = fam.name, score
    return best


def design_seconds(track: str, cue_s: float | None) -> float | None:
    """How long the design path renders a cue of ``cue_s`` seconds (None: its natural length)."""
    if track == "BG":
        loop = min(float(cue_s), BG_LOOP_MAX_S)
        return float(np.clip(BG_SETTLE_S + loop + BG_XFADE_S + 0.1, MIN_DESIGN_S, MAX_DESIGN_S))
    if cue_s is None:
        return None
    return float(np.clip(cue_s, MIN_DESIGN_S, MAX_DESIGN_S))


def _hero_family(recipe: dict) -> str | None:
    for layer in recipe.get("layers", []):
        if layer.get("role") == "hero":
            patch = (layer.get("source") or {}).get("patch") or {}
            return patch.get("family")
    return None


def _layers(recipe: dict) -> list[dict]:
    out = []
    for layer in recipe.get("layers", []):
        src = layer.get("source") or {}
        what = src.get("description") or src.get("path") or (src.get("patch") or {}).get("family") or src.get("kind")
        out.append({"name": layer.get("name"), "role": layer.get("role"), "source": what})
    return out


def _render(recipe: dict) -> tuple[np.ndarray, int]:
    from sfxgen.layering.recipe import Recipe
    from sfxgen.layering.render import render_recipe

    res = render_recipe(Recipe.from_dict(recipe))
    return res.master, res.sample_rate


def design_cue(service, cue, *, cue_s: float | None, preset: str, seed: int, variation: int = 0,
               match_audio=None) -> CueTake:
    """Design ``cue`` (a :class:`~sfxgen.post.sheet.Cue`) of ``cue_s`` seconds through ``service``.

    ``match_audio``: ``(audio, sample_rate)`` of the recording a ``roomtone`` cue matches."""
    t0 = time.perf_counter()
    if cue.source == "roomtone":
        return _roomtone_take(cue, cue_s=cue_s, seed=seed, match_audio=match_audio, t0=t0)
    dur = design_seconds(cue.track, cue_s)
    notes: list[str] = []
    recipe = None
    if cue.source == "library":
        recipe = _library_recipe(service, cue, variation=variation, preset=preset, notes=notes)
    if recipe is None:
        n = CANDIDATES[cue.track]
        d = service.design(cue.description, preset=preset, layers=LAYERS[cue.track], seed=seed, duration_s=dur,
                           variation=variation, use_library=cue.source != "generate",
                           candidates=None if n is None else max(n, variation + 1))
        recipe = d.recipe
        if cue.track == "FOLEY" and not is_foley_family(_hero_family(recipe) or ""):
            recipe = _foley_hero(service, cue, recipe, seed=seed, duration_s=dur, notes=notes)
    audio, sr = _render(recipe)
    return CueTake(audio=audio, sample_rate=sr, seed=int(seed), variation=int(variation), source=cue.source,
                   recipe=recipe, family=_hero_family(recipe), layers=_layers(recipe),
                   design_s=time.perf_counter() - t0, notes=notes)


def _foley_hero(service, cue, recipe: dict, *, seed: int, duration_s, notes: list[str]) -> dict:
    """``recipe`` with a Foley-family hero when the design picked another family."""
    from sfxgen.synth import Patch

    was = _hero_family(recipe)
    fam = foley_family_for(cue.description)
    if fam is None:
        notes.append(f"no Foley family matches the description; kept the designed {was or 'hero'}")
        return recipe
    patch = Patch(fam)
    dur = duration_s if duration_s is not None else float(patch.info.default_duration_s)
    hero = {"patch": patch.to_dict(), "seed": int(seed), "duration_s": dur, "prompt": cue.description,
            "model_id": "registry"}
    notes.append(f"the design picked {was}, not a Foley family: hero replaced by the {fam} family "
                 "(matched by its keywords)")
    return service.use_as_hero(recipe, hero)


def _library_recipe(service, cue, *, variation: int, preset: str, notes: list[str]) -> dict | None:
    """A one-layer recipe playing the ``variation``-th library match, or None (noted) without one."""
    try:
        hits = service.search(cue.description, top_k=8).hits
    except SfxgenError as exc:
        notes.append(f"library search failed ({exc}): designed instead")
        return None
    if not hits:
        notes.append("no library match: designed instead")
        return None
    hit = hits[variation % len(hits)]
    recipe = service.add_layer(None, hit.id, role="hero")
    recipe["master"]["preset"] = preset
    recipe["prompt"] = cue.description
    return recipe


def _roomtone_take(cue, *, cue_s, seed, match_audio, t0) -> CueTake:
    from sfxgen.audio import to_channels
    from sfxgen.post.roomtone import room_tone

    if match_audio is None:
        raise ParameterError(f"cue {cue.cue_id}: room tone needs a recording to match (a 'match' file or --dia)")
    audio, sr = match_audio
    tone, profile = room_tone(audio, sr, duration_s=float(cue_s), seed=int(seed))
    tone = to_channels(tone, 2)
    if sr != 48000:
        from sfxgen.audio import resample

        tone = resample(tone, sr, 48000)
    return CueTake(audio=tone.astype(np.float32), sample_rate=48000, seed=int(seed), variation=0, source="roomtone",
                   recipe=None, family=None, layers=[{"name": "roomtone", "role": "bed", "source": cue.match or "DIA"}],
                   design_s=time.perf_counter() - t0, loop={"roomtone": profile.to_dict()})


__all__ = ["CueTake", "design_cue", "design_seconds", "is_foley_family", "foley_family_for", "LAYERS"]
