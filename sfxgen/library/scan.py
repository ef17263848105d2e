"""Finding the audio files of a library: recursive walk, stat facts and content hashes.

The walk follows symbolic links (libraries are often assembled from linked drives) but visits
each real folder once, so a link loop is reported instead of recursing forever. Files with an
audio extension sfxgen reads are candidates; files with other audio-looking extensions are
reported as unsupported; everything else (PDFs, text, artwork) is ignored silently.
"""

from __future__ import annotations

import errno
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from sfxgen.audio import AUDIO_EXTENSIONS

#: Audio-looking extensions sfxgen cannot decode: reported per file as "unsupported format".
UNSUPPORTED_AUDIO_EXTENSIONS = frozenset(
    ".m4a .m4b .aac .wma .ape .alac .mka .mp4 .ac3 .dts .amr .wv .mpc .mp2 .ra .caf .w64 .sd2 .mid .midi".split()
)
DEFAULT_MAX_FILE_MB = 4096.0


@dataclass(frozen=True)
class ScanEntry:
    """A candidate audio file: absolute ``path`` with its ``size`` (bytes) and ``mtime_ns``."""

    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class ScanError:
    """A file (or folder) that cannot be indexed, with the reason in words."""

    path: str
    error: str


def _os_reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop (the link points back to itself)"
    if exc.errno == errno.ENOENT:
        return "file not found (broken link or removed during the scan)"
    return f"cannot access ({exc.strerror or exc})"


def _classify_file(path: str, st: os.stat_result, max_bytes: int | None, explicit: bool) -> ScanEntry | ScanError | None:
    ext = os.path.splitext(path)[1].lower()
    if ext not in AUDIO_EXTENSIONS:
        if ext in UNSUPPORTED_AUDIO_EXTENSIONS or explicit:
            return ScanError(path, f"unsupported file type {ext or '(no extension)'}; sfxgen reads "
                                   f"{', '.join(sorted(e.lstrip('.') for e in AUDIO_EXTENSIONS))}")
        return None
    if st.st_size == 0:
        return ScanError(path, "empty file (0 bytes)")
    if max_bytes is not None and st.st_size > max_bytes:
        return ScanError(path, f"file too large ({st.st_size / 2**20:.0f} MB; the limit is {max_bytes / 2**20:.0f} MB, see --max-file-mb)")
    return ScanEntry(path, int(st.st_size), int(st.st_mtime_ns))


def scan_paths(paths: Iterable, *, max_file_mb: float | None = DEFAULT_MAX_FILE_MB) -> Iterator[ScanEntry | ScanError]:
    """Yield a :class:`ScanEntry` per candidate audio file under ``paths`` (files or folders)
    and a :class:`ScanError` per file or folder that cannot be indexed. Paths are absolute
    (not resolved through links, so a file reached by a link keeps the name the user sees).
    Order is sorted per folder, hence deterministic.
    """
    max_bytes = None if max_file_mb is None else int(max_file_mb * 2**20)
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[str] = set()
    for root in paths:
        root = os.path.abspath(os.fspath(root))
        try:
            st = os.stat(root)
        except OSError as exc:
            yield ScanError(root, _os_reason(exc))
            continue
        if not os.path.isdir(root):
            if root not in seen_files:
                seen_files.add(root)
                r = _classify_file(root, st, max_bytes, explicit=True)
                if r is not None:
                    yield r
            continue
        stack = [root]
        while stack:
            folder = stack.pop()
            try:
                fst = os.stat(folder)
            except OSError as exc:
                yield ScanError(folder, _os_reason(exc))
                continue
            key = (fst.st_dev, fst.st_ino)
            if key in seen_dirs:
                if os.path.islink(folder):
                    yield ScanError(folder, "symbolic link loop (links to a folder already scanned)")
                continue
            seen_dirs.add(key)
            try:
                with os.scandir(folder) as it:
                    names = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                yield ScanError(folder, f"cannot list folder: {_os_reason(exc)}")
                continue
            subdirs = []
            for e in names:
                if e.name.startswith("."):
                    continue
                p = e.path
                try:
                    est = e.stat(follow_symlinks=True)
                except OSError as exc:
                    ext = os.path.splitext(p)[1].lower()
                    if e.is_symlink() or ext in AUDIO_EXTENSIONS:
                        yield ScanError(p, _os_reason(exc))
                    continue
                if e.is_dir(follow_symlinks=True):
                    subdirs.append(p)
                elif p not in seen_files:
                    seen_files.add(p)
                    r = _classify_file(p, est, max_bytes, explicit=False)
                    if r is not None:
                        yield r
            stack.extend(reversed(subdirs))


def file_sha1(path, *, chunk_bytes: int = 1 << 20) -> str:
    """SHA-1 hex digest of the file's bytes (identifies content across moves and renames)."""
    h = hashlib.sha1()
    with open(path, "rb") as f:
        while True:
            b = f.read(chunk_bytes)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


def display_path(path: str) -> str:
    """``path`` relative to the current folder when inside it (for messages)."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path
