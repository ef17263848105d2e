"""Where a recipe's file sources may be read from, and how they are found again.

A file source is stored relative to the library root it came from (``Source.root`` keeps that
root as it was on the designing machine) together with its SHA-1, so a recipe replays on another
machine once the root is remapped (``sfxgen render --library-root NEW``): the path is tried
under each remapped root, then each configured root, then its own root.

:class:`SourceAccess` is the security rule for recipes that come from outside (the UI, the HTTP
API, a recipe file): a file source must resolve, symlinks followed, inside one of the allowed
roots (the configured library roots and the job's own output folder). Anything else is refused
with one message that says nothing about the path, whether it exists or what it holds, before
the file is opened or hashed (no existence or content oracle).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from sfxgen.errors import RecipeError

REFUSED = "its file source is not in the library or this job's folders, so it was not read"


def _real(p) -> str:
    return os.path.realpath(os.path.expanduser(str(p)))


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


@dataclass
class SourceAccess:
    """Allowed roots for file sources (resolved, symlinks followed), remapped library roots
    tried first (``--library-root``; allowed too) and ``files``: single allowed files (the
    library's catalogued paths, so a catalogue spread over several folders allows exactly its
    files, never their common parent)."""

    roots: list[str] = field(default_factory=list)
    remap: list[str] = field(default_factory=list)
    files: frozenset = frozenset()

    def __post_init__(self):
        self.roots = list(dict.fromkeys(_real(r) for r in [*self.remap, *self.roots] if str(r).strip()))
        self.remap = [_real(r) for r in self.remap if str(r).strip()]
        self.files = frozenset(self.files)

    def allows(self, path) -> bool:
        """True when ``path`` resolves (symlinks followed) inside an allowed root or to a
        catalogued file."""
        real = _real(path)
        return real in self.files or any(_inside(real, r) for r in self.roots)


def candidates(source, access: SourceAccess | None) -> list[Path]:
    """Paths to try for a file ``source``, in order: under each remapped root, each allowed
    root, the source's own root; an absolute path (an older recipe) as it is."""
    p = Path(str(source.path))
    if p.is_absolute():
        rel = None
        if source.root and _inside(str(p), str(source.root)):
            rel = p.relative_to(source.root)
        out = [p] if rel is None else []
    else:
        rel, out = p, []
    if rel is not None:
        roots = [*(access.remap if access else []), *(access.roots if access else []),
                 *([source.root] if source.root else [])]
        out = [Path(r) / rel for r in dict.fromkeys(map(str, roots))] + out
        if access is None and not p.is_absolute():
            out.append(p)
    return out


def resolve_file(source, access: SourceAccess | None, *, where: str) -> Path:
    """The file a ``file`` source reads: the first candidate (see :func:`candidates`) that is
    allowed, exists and (when the recipe has one) matches the SHA-1. With ``access`` None every
    path is allowed (trusted in-process use). Raises RecipeError: the one :data:`REFUSED`
    message when no candidate is allowed; 'missing' or 'changed' only for allowed paths."""
    from sfxgen.library.scan import file_sha1

    allowed = [c for c in candidates(source, access) if access is None or access.allows(c)]
    if not allowed:
        raise RecipeError(f"{where}: {REFUSED}")
    changed = None
    for c in allowed:
        if not c.is_file():
            continue
        if source.sha1 and file_sha1(c) != source.sha1:
            changed = c
            continue
        return c
    if changed is not None:
        raise RecipeError(f"{where}: source file {changed} has changed since the recipe was made (content hash differs)")
    shown = Path(str(source.path)).name if access is not None else str(allowed[0])
    raise RecipeError(f"{where}: source file {shown} is missing (remap the library with --library-root)")


def relative_source_path(path, roots) -> tuple[str, str | None]:
    """(path relative to the deepest root of ``roots`` that holds it, that root) or the absolute
    path and None when no root holds it."""
    real = _real(path)
    best = None
    for r in roots:
        rr = _real(r)
        if _inside(real, rr) and (best is None or len(rr) > len(best)):
            best = rr
    if best is None:
        return str(Path(path).resolve()), None
    return os.path.relpath(real, best), best


def catalogue_files(library) -> frozenset:
    """Every catalogued file path of ``library`` (empty for an unreadable index)."""
    import sqlite3

    try:
        return frozenset(library.catalog.fingerprints())
    except (AttributeError, OSError, sqlite3.Error):
        return frozenset()


def catalogue_root(library) -> str | None:
    """The folder holding every file catalogued in ``library`` (an open Library or a view with
    its ``catalog``), or None for an empty or unreadable index. Library files are stored in
    recipes relative to it (portability only: it is never an allowed root by itself)."""
    paths = catalogue_files(library)
    if not paths:
        return None
    # the catalogue stores resolved paths: the common folder of the first and last in sort order
    # is every path's (one pass over the strings, no file-system call per path)
    lo, hi = min(paths), max(paths)
    return _real(os.path.commonpath([os.path.dirname(lo), os.path.dirname(hi)]))


__all__ = ["REFUSED", "catalogue_files", "catalogue_root", "SourceAccess", "candidates", "relative_source_path", "resolve_file"]
