"""Hero generation: prompt in, several 48 kHz candidates out.

``load_pipeline(model=None)`` returns a pipeline with one call signature for every backend::

    pipe = load_pipeline()                       # embedded sfxgen-hero-small (patch diffusion)
    pipe = load_pipeline("/models/audioldm2")    # a local diffusers AudioLDM2Pipeline folder
    pipe = load_pipeline("/models/stable-audio") # a local diffusers StableAudioPipeline folder
    result = pipe("huge metal door slam in a cathedral", negative_prompt="music", duration_s=3.0,
                  num_variations=4, seed=7, num_inference_steps=25, guidance_scale=3.0)

``result`` is a :class:`~sfxgen.generate.base.HeroResult`. Heavy modules (torch, diffusers)
load when a pipeline is built, not on import.
"""

from __future__ import annotations

import json
from pathlib import Path

from sfxgen.errors import ModelError

DEFAULT_MODEL = "sfxgen-hero-small"
COMPOSE_MODEL_TYPE = "sfxgen-hero-compose"

__all__ = ["DEFAULT_MODEL", "load_pipeline", "model_kind", "HeroCandidate", "HeroResult"]


def __getattr__(name):
    if name in ("HeroCandidate", "HeroResult"):
        from sfxgen.generate import base

        return getattr(base, name)
    if name == "HeroPipeline":
        from sfxgen.generate.pipeline import HeroPipeline

        return HeroPipeline
    raise AttributeError(name)


def model_kind(model=None) -> tuple[str, Path]:
    """``model`` -> (``"compose"``, ``"hero"``, ``"audioldm2"`` or ``"stable_audio"``, its directory).

    ``"compose"`` is the composed-hero model (``model_type`` ``sfxgen-hero-compose``, issue #16), ``"hero"``
    the single-patch one. ``None`` / ``"sfxgen-hero-small"`` is the embedded model in ``sfxgen.paths.models_dir()``; a
    directory is recognised by its ``model_index.json`` (diffusers) or ``config.json``.
    """
    from sfxgen.paths import models_dir

    if model is None or str(model) == DEFAULT_MODEL:
        model = models_dir() / DEFAULT_MODEL
    d = Path(model).expanduser()
    if not d.is_dir() and not d.is_absolute() and (models_dir() / str(model)).is_dir():
        d = models_dir() / str(model)
    if not d.is_dir():
        raise ModelError(f"{model}: model folder not found (give {DEFAULT_MODEL!r} or a local model directory)")
    index = d / "model_index.json"
    if index.is_file():
        try:
            cls = json.loads(index.read_text()).get("_class_name", "")
        except (OSError, ValueError) as exc:
            raise ModelError(f"{index}: unreadable diffusers model index ({exc})") from exc
        if cls == "AudioLDM2Pipeline":
            return "audioldm2", d
        if cls == "StableAudioPipeline":
            return "stable_audio", d
        raise ModelError(f"{d}: diffusers pipeline {cls!r} is not supported (AudioLDM2Pipeline or StableAudioPipeline)")
    cfg = d / "config.json"
    if cfg.is_file():
        try:
            mt = json.loads(cfg.read_text()).get("model_type")
        except (OSError, ValueError) as exc:
            raise ModelError(f"{cfg}: unreadable model config ({exc})") from exc
        if mt == DEFAULT_MODEL:
            return "hero", d
        if mt == COMPOSE_MODEL_TYPE:
            return "compose", d
        raise ModelError(f"{cfg}: model_type {mt!r} is not a hero generator")
    raise ModelError(f"{d}: no model_index.json (diffusers) or config.json ({DEFAULT_MODEL}) in this folder")


def load_pipeline(model=None, *, scheduler: str | None = None, scorer="auto", device: str = "cpu"):
    """Build the pipeline for ``model`` (see :func:`model_kind`). ``scorer="auto"`` ranks
    candidates with the installed CLAP embedder when there is one; ``None`` disables ranking.
    ``scheduler``: "dpmsolver" (default) or "ddim" for the embedded model."""
    kind, d = model_kind(model)
    if kind == "compose":
        from sfxgen.generate.compose_pipeline import ComposePipeline

        return ComposePipeline.from_pretrained(d, scheduler=scheduler or "dpmsolver", scorer=scorer, device=device)
    if kind == "hero":
        from sfxgen.generate.pipeline import HeroPipeline

        return HeroPipeline.from_pretrained(d, scheduler=scheduler or "dpmsolver", scorer=scorer, device=device)
    from sfxgen.generate.diffusers_backends import load_diffusers_backend

    return load_diffusers_backend(d, kind=kind, scorer=scorer, device=device)
