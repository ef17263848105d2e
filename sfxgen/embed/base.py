"""Embedder interfaces: text and audio into one joint, L2-normalised space.

Every embedder carries a stable ``model_id`` (recorded by an index; a query from another model
is refused) and ``dim``. Outputs are ``(n, dim)`` float32 with unit L2 norm per row.

Audio input convention: a list of ``(audio, sample_rate)`` with ``audio`` shaped
``(channels, samples)`` float32. Embedders resample/down-mix internally.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Sequence

import numpy as np

from sfxgen.errors import IndexError_


class TextEmbedder(ABC):
    """Maps text to vectors in the joint space."""

    model_id: str
    dim: int

    @abstractmethod
    def embed_text(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        """``(len(texts), dim)`` float32, unit L2 norm."""


class AudioEmbedder(ABC):
    """Maps audio clips to vectors in the joint space."""

    model_id: str
    dim: int

    @abstractmethod
    def embed_audio(self, clips: Sequence[tuple[np.ndarray, int]], *, batch_size: int = 32) -> np.ndarray:
        """``(len(clips), dim)`` float32, unit L2 norm; one pooled vector per clip."""


def l2_normalize(x: np.ndarray, *, eps: float = 1e-12) -> np.ndarray:
    """Rows scaled to unit L2 norm (float32). Zero rows stay zero."""
    x = np.asarray(x, dtype=np.float32)
    n = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.maximum(n, eps)


def check_model_id(expected: str, got: str, *, what: str = "index") -> None:
    """Refuse to mix vectors of different models with a message a user understands."""
    if expected != got:
        raise IndexError_(
            f"this {what} was built with embedding model {expected!r} but the query uses {got!r}; "
            f"re-index with {got!r} or search with {expected!r}"
        )
