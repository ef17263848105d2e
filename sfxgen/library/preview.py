"""Small previews of library files for result lists: a waveform outline (peak envelope).

Why: a designer judges a result by its shape at a glance (one hit, a swell, a loop) before
listening. The outline is computed on demand from the first ``max_duration_s`` seconds
(decoded through :mod:`sfxgen.audio`) and cached per file version.
"""

from __future__ import annotations

import os
from functools import lru_cache

import numpy as np

PREVIEW_MAX_S = 30.0


def waveform_peaks(path: str, *, n_points: int = 96, max_duration_s: float = PREVIEW_MAX_S) -> list[float]:
    """Peak absolute amplitude (0-1, all channels) of ``n_points`` equal time slices of the file's
    first ``max_duration_s`` seconds; raises AudioReadError for unreadable files."""
    st = os.stat(path)
    return list(_peaks(str(path), st.st_size, st.st_mtime_ns, int(n_points), float(max_duration_s)))


@lru_cache(maxsize=512)
def _peaks(path: str, size: int, mtime_ns: int, n_points: int, max_duration_s: float) -> tuple[float, ...]:
    from sfxgen.audio import read_audio

    audio, _ = read_audio(path, max_duration_s=max_duration_s)
    x = np.abs(np.asarray(audio, np.float32)).max(axis=0)
    n = len(x)
    if n == 0:
        return tuple([0.0] * n_points)
    edges = np.linspace(0, n, n_points + 1).astype(np.int64)
    edges[1:] = np.maximum(edges[1:], edges[:-1] + 1)
    edges = np.minimum(edges, n)
    peaks = np.maximum.reduceat(np.concatenate([x, [0.0]]), np.minimum(edges[:-1], n))
    return tuple(float(v) for v in np.clip(peaks, 0.0, 1.0))
