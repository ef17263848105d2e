"""Candidate scoring by text-audio similarity in a joint (CLAP-style) embedding space.

A *scorer* is any object with ``score(prompt, clips) -> (n,) float32`` where ``clips`` is a list
of ``(audio (channels, samples) float32, sample_rate)``; higher means a better match. Pipelines
sort their candidates by it, as AudioLDM 2 ranks its waveforms with CLAP.
"""

from __future__ import annotations

from typing import Protocol, Sequence

import numpy as np


class Scorer(Protocol):
    model_id: str

    def score(self, prompt: str, clips: Sequence[tuple[np.ndarray, int]]) -> np.ndarray: ...


class ClapScorer:
    """Cosine similarity between the prompt's text embedding and each clip's audio embedding."""

    def __init__(self, embedder):
        self.embedder = embedder
        self.model_id = getattr(embedder, "model_id", type(embedder).__name__)

    def score(self, prompt: str, clips: Sequence[tuple[np.ndarray, int]]) -> np.ndarray:
        if not clips:
            return np.zeros(0, np.float32)
        t = np.asarray(self.embedder.embed_text([prompt]), np.float32)[0]
        a = np.asarray(self.embedder.embed_audio(list(clips)), np.float32)
        return (a @ t).astype(np.float32)


def default_scorer(model=None):
    """A :class:`ClapScorer` over ``sfxgen.embed.get_embedder(model)``, or ``None`` when no
    embedding model is installed (candidates then keep their seed order, unscored)."""
    from sfxgen.errors import ModelError

    try:
        from sfxgen.embed import get_embedder

        return ClapScorer(get_embedder(model))
    except (ModelError, ImportError):
        return None
