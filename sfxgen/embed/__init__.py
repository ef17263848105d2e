"""Text and audio embedders in one joint space (see :mod:`sfxgen.embed.base`).

``get_embedder(model=None)`` returns an object implementing both
:class:`~sfxgen.embed.base.TextEmbedder` and :class:`~sfxgen.embed.base.AudioEmbedder`:

* ``None`` or ``"sfxgen-clap-small"``: the embedded default from
  ``sfxgen.paths.models_dir() / "sfxgen-clap-small"``;
* ``"laion:DIR"`` or a directory holding a transformers ``ClapModel`` config: the LAION-CLAP
  backend (:mod:`sfxgen.embed.laion`);
* any other directory holding an ``sfxgen-clap-small`` config: that copy of the embedded model.

Instances are cached per resolved path (loading takes seconds). Heavy modules load lazily.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from sfxgen.embed.base import AudioEmbedder, TextEmbedder, check_model_id, l2_normalize
from sfxgen.errors import ModelError

DEFAULT_MODEL = "sfxgen-clap-small"

__all__ = [
    "AudioEmbedder", "TextEmbedder", "check_model_id", "l2_normalize",
    "get_embedder", "get_text_encoder", "resolve_model", "DEFAULT_MODEL",
]


def get_text_encoder(device: str = "cpu"):
    """The frozen MiniLM sentence encoder (384-d), cached per process."""
    from sfxgen.embed.text import get_text_encoder as _get

    return _get(device)


def resolve_model(model: str | Path | None = None) -> tuple[str, Path]:
    """``model`` argument -> (backend ``"clap-small"`` or ``"laion"``, absolute directory)."""
    from sfxgen.paths import models_dir

    if model is None or str(model) == DEFAULT_MODEL:
        return "clap-small", (models_dir() / DEFAULT_MODEL).resolve()
    text = str(model)
    if text.startswith("laion:"):
        d = Path(text[len("laion:"):]).expanduser().resolve()
        if not d.is_dir():
            raise ModelError(f"{d}: LAION-CLAP model directory not found")
        return "laion", d
    d = Path(text).expanduser()
    if not d.is_dir() and not d.is_absolute() and (models_dir() / text).is_dir():
        d = models_dir() / text
    d = d.resolve()
    cfg = d / "config.json"
    if not cfg.is_file():
        raise ModelError(
            f"{model}: not a known embedding model (expected {DEFAULT_MODEL!r}, 'laion:DIR', or a folder with config.json)"
        )
    try:
        model_type = json.loads(cfg.read_text()).get("model_type")
    except (OSError, ValueError) as exc:
        raise ModelError(f"{cfg}: unreadable model config ({exc})") from exc
    if model_type == "clap":
        return "laion", d
    if model_type == DEFAULT_MODEL:
        return "clap-small", d
    raise ModelError(f"{cfg}: unsupported model_type {model_type!r} (expected 'clap' or {DEFAULT_MODEL!r})")


@lru_cache(maxsize=4)
def _load(kind: str, path: str, device: str):
    if kind == "laion":
        from sfxgen.embed.laion import LaionClapEmbedder

        return LaionClapEmbedder(path, device=device)
    from sfxgen.embed.embedded import ClapSmallEmbedder

    return ClapSmallEmbedder(path, device=device)


def get_embedder(model: str | Path | None = None, *, device: str = "cpu"):
    """A text+audio embedder for ``model`` (see module doc); raises ModelError when weights are missing."""
    kind, path = resolve_model(model)
    return _load(kind, str(path), device)
