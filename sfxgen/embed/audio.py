"""Windowing and pooling for clips of any length.

A clip's log-mel ``(n_mels, frames)`` is cut into windows of ``window_s`` seconds every
``hop_s`` seconds; the last window is aligned to the clip's end so the tail is always covered.
A clip shorter than one window is a single window of its own length; the embedder pads it with
the silence floor to a fixed bucket (1, 2, 3 s or the window) and pools only its valid frames. The clip vector is the mean of
the L2-normalised window vectors, normalised again; very long clips pool at most
``max_pooled`` evenly spaced windows (their per-window vectors are still all available).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from sfxgen.embed.base import l2_normalize
from sfxgen.embed.features import LOG_FLOOR
from sfxgen.errors import ParameterError


#: frames less than this far above the log-mel floor count as silence when trimming tails
FLOOR_MARGIN_DB = 10.0


def trailing_silence_end(mel: np.ndarray, *, floor_db: float) -> int:
    """Frames of ``mel`` ``(n_mels, frames)`` to keep so a silent tail is dropped: up to the last
    frame whose energy is within ``floor_db`` of the loudest frame and more than
    ``FLOOR_MARGIN_DB`` above the front end's numerical floor (``LOG_FLOOR`` in every band), at
    least one frame.

    Why: a 0.4 s click rendered into a 3 s file, or a library file padded with silence, would
    otherwise embed differently from the same click trimmed (duration and envelope descriptors
    see the silence). Only the tail is cut, so window start times stay those of the file."""
    n = mel.shape[1]
    if n <= 1:
        return n
    m = np.asarray(mel, np.float32)
    peak = m.max(axis=0)
    energy = peak + np.log(np.exp(m - peak).sum(axis=0))  # log-sum-exp over bands, natural-log power
    db_to_nat = 1.0 / (10.0 * np.log10(np.e))
    floor = LOG_FLOOR + np.log(m.shape[0]) + FLOOR_MARGIN_DB * db_to_nat
    loud = np.flatnonzero(energy >= max(energy.max() - floor_db * db_to_nat, floor))
    return int(loud[-1]) + 1 if len(loud) else n


def window_starts(n_frames: int, window_frames: int, hop_frames: int) -> np.ndarray:
    """Start frames of the windows covering ``n_frames`` (at least one window)."""
    if window_frames <= 0 or hop_frames <= 0:
        raise ParameterError(f"window ({window_frames}) and hop ({hop_frames}) must be positive frame counts")
    if n_frames <= window_frames:
        return np.zeros(1, dtype=np.int64)
    starts = np.arange(0, n_frames - window_frames + 1, hop_frames, dtype=np.int64)
    if starts[-1] + window_frames < n_frames:
        starts = np.append(starts, n_frames - window_frames)
    return starts


def split_windows(mel: np.ndarray, window_frames: int, hop_frames: int) -> list[np.ndarray]:
    """``(n_mels, frames)`` -> list of ``(n_mels, <=window_frames)`` views, in time order."""
    return [mel[:, s : s + window_frames] for s in window_starts(mel.shape[1], window_frames, hop_frames)]


def window_times_s(n_frames: int, window_frames: int, hop_frames: int, frames_per_s: float) -> np.ndarray:
    """``(n_windows, 2)`` start/end seconds of each window, for per-window search hits."""
    starts = window_starts(n_frames, window_frames, hop_frames)
    ends = np.minimum(starts + window_frames, n_frames)
    return np.stack([starts, ends], 1).astype(np.float64) / frames_per_s


def pad_batch(mels: Sequence[np.ndarray], *, pad_value: float = LOG_FLOOR, min_frames: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Stack variable-length log-mels into ``(batch, n_mels, max(max_frames, min_frames))`` padded
    with the silence floor, plus valid ``lengths`` (frames)."""
    lengths = np.array([m.shape[1] for m in mels], dtype=np.int64)
    out = np.full((len(mels), mels[0].shape[0], max(int(lengths.max()), min_frames)), pad_value, dtype=np.float32)
    for i, m in enumerate(mels):
        out[i, :, : m.shape[1]] = m
    return out, lengths


def pool_windows(window_vectors: np.ndarray, *, max_pooled: int | None = None) -> np.ndarray:
    """Mean of unit window vectors ``(n_windows, dim)`` -> one unit clip vector ``(dim,)``."""
    v = np.asarray(window_vectors, dtype=np.float32)
    if max_pooled and len(v) > max_pooled:
        v = v[np.linspace(0, len(v) - 1, max_pooled).round().astype(int)]
    return l2_normalize(v.mean(0, keepdims=True))[0]
