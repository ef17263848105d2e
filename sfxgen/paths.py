"""Where sfxgen finds its shipped models, data and default index.

``SFXGEN_MODELS_DIR`` and ``SFXGEN_INDEX_DIR`` override the defaults (the repository's
``models/`` and ``library_index/``), so an installed copy can point at a studio's own folders.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PACKAGE_DIR / "data"


def models_dir() -> Path:
    """Folder holding the embedded models (``sfxgen-clap-small/``, ``sfxgen-hero-small/``)."""
    return Path(os.environ.get("SFXGEN_MODELS_DIR", PROJECT_DIR / "models"))


def default_index_dir() -> Path:
    """Default on-disk library index folder."""
    return Path(os.environ.get("SFXGEN_INDEX_DIR", PROJECT_DIR / "library_index"))


def cache_dir() -> Path:
    """Per-user cache (starter library, corpora, features); never inside the repository."""
    base = os.environ.get("SFXGEN_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "sfxgen"
    )
    return Path(base)
