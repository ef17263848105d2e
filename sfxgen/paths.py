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


def temp_beside(path, *, suffix: str = ".part") -> str:
    """A new, empty temporary file in ``path``'s folder, to be renamed onto ``path``.

    Readable like any other file a user writes (0644): ``tempfile.mkstemp`` creates 0600, which
    would survive the rename and leave exported WAVs, pictures and JSON unreadable to the rest
    of a team sharing the folder."""
    import tempfile

    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    os.close(fd)
    os.chmod(tmp, 0o644)
    return tmp


def portable(obj, root):
    """``obj`` (JSON-ready dicts/lists/strings) with every absolute path made relative to
    ``root`` (posix separators; ``root`` itself becomes ``"."``), for manifests that travel in a
    zip: a downloaded package must not reveal, or depend on, the server's folder layout. An
    absolute path outside ``root`` keeps only its last component."""
    base = Path(root).resolve()
    if isinstance(obj, dict):
        return {k: portable(v, base) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [portable(v, base) for v in obj]
    if isinstance(obj, str) and os.path.isabs(obj):
        p = Path(obj).resolve()
        try:
            return p.relative_to(base).as_posix() or "."
        except ValueError:
            return p.name
    return obj
