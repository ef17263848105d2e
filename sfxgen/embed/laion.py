"""LAION-CLAP backend: a transformers ``ClapModel`` + ``ClapProcessor`` loaded from a local folder.

Nothing is downloaded: the folder must hold what ``save_pretrained`` writes (config.json,
weights, tokenizer and feature-extractor files), e.g. a copy of ``laion/clap-htsat-unfused``.
Audio is down-mixed and resampled to the feature extractor's rate (48 kHz for LAION models),
cut into windows of its ``max_length_s`` (10 s) every half window, embedded and mean-pooled.

Works with transformers 4.x (``get_*_features`` return tensors) and 5.x (they return an output
object whose ``pooler_output`` is the embedding).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Sequence

import numpy as np

from sfxgen.embed.audio import pool_windows, window_starts
from sfxgen.embed.base import AudioEmbedder, TextEmbedder, l2_normalize
from sfxgen.embed.features import to_mono, resample_mono
from sfxgen.errors import ModelError


def features_tensor(out):
    """Embedding tensor from a ``get_text_features``/``get_audio_features`` result (4.x or 5.x)."""
    import torch

    if isinstance(out, torch.Tensor):
        return out
    for name in ("pooler_output", "text_embeds", "audio_embeds"):
        value = getattr(out, name, None)
        if isinstance(value, torch.Tensor):
            return value
    if isinstance(out, (tuple, list)) and out and isinstance(out[0], torch.Tensor):
        return out[0]
    raise ModelError(f"unexpected output type from ClapModel: {type(out).__name__}")


def _model_id(model_dir: Path) -> str:
    """``laion-clap-<folder>-<8 hex>`` from the config and weight files' names and sizes."""
    h = hashlib.sha256((model_dir / "config.json").read_bytes())
    for p in sorted(model_dir.glob("*.safetensors")) + sorted(model_dir.glob("*.bin")):
        h.update(f"{p.name}:{p.stat().st_size}".encode())
    return f"laion-clap-{model_dir.name}-{h.hexdigest()[:8]}"


class LaionClapEmbedder(TextEmbedder, AudioEmbedder):
    """Text and audio embeddings from a local transformers CLAP checkpoint."""

    def __init__(self, model_dir, *, device: str = "cpu"):
        import torch
        from transformers import ClapModel, ClapProcessor

        d = Path(model_dir)
        if not (d / "config.json").is_file():
            raise ModelError(f"{d}: no config.json; save a ClapModel there with save_pretrained")
        try:
            self.model = ClapModel.from_pretrained(str(d), local_files_only=True).to(device).eval()
            self.processor = ClapProcessor.from_pretrained(str(d), local_files_only=True)
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"{d}: cannot load the LAION-CLAP model/processor ({exc})") from exc
        fe = self.processor.feature_extractor
        self.model_dir = str(d)
        self.model_id = _model_id(d)
        self.dim = int(self.model.config.projection_dim)
        self.sample_rate = int(fe.sampling_rate)
        self.window_s = float(fe.max_length_s)
        self.hop_s = self.window_s / 2
        # unfused HTSAT takes one mel channel; "fusion" truncation would stack four
        self.fused = bool(getattr(self.model.config.audio_config, "enable_fusion", False))
        self.device = device
        self._torch = torch

    def embed_text(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        chunks = []
        for i in range(0, len(texts), batch_size):
            enc = self.processor.tokenizer(texts[i : i + batch_size], padding=True, truncation=True, return_tensors="pt")
            with self._torch.inference_mode():
                out = self.model.get_text_features(**{k: v.to(self.device) for k, v in enc.items()})
            chunks.append(features_tensor(out).float().cpu().numpy())
        return l2_normalize(np.concatenate(chunks))

    def _windows(self, clip, name: str) -> list[np.ndarray]:
        audio, sr = clip
        x = resample_mono(to_mono(audio, name=name), sr, self.sample_rate, name=name)
        win, hop = int(self.window_s * self.sample_rate), int(self.hop_s * self.sample_rate)
        return [x[s : s + win] for s in window_starts(len(x), win, hop)]

    def _embed_windows(self, windows: list[np.ndarray], batch_size: int) -> np.ndarray:
        fe = self.processor.feature_extractor
        chunks = []
        for i in range(0, len(windows), batch_size):
            feats = fe(windows[i : i + batch_size], sampling_rate=self.sample_rate, return_tensors="pt",
                       **({} if self.fused else {"truncation": "rand_trunc"}))
            kwargs = {"input_features": feats["input_features"].to(self.device)}
            if "is_longer" in feats:
                kwargs["is_longer"] = feats["is_longer"].to(self.device)
            with self._torch.inference_mode():
                out = self.model.get_audio_features(**kwargs)
            chunks.append(features_tensor(out).float().cpu().numpy())
        return l2_normalize(np.concatenate(chunks)) if chunks else np.zeros((0, self.dim), np.float32)

    def embed_audio(self, clips: Sequence[tuple[np.ndarray, int]], *, batch_size: int = 32) -> np.ndarray:
        per_clip = [self._windows(c, f"clip {i}") for i, c in enumerate(clips)]
        if not per_clip:
            return np.zeros((0, self.dim), np.float32)
        vecs = self._embed_windows([w for ws in per_clip for w in ws], batch_size)
        pooled, k = [], 0
        for ws in per_clip:
            pooled.append(pool_windows(vecs[k : k + len(ws)]))
            k += len(ws)
        return l2_normalize(np.stack(pooled))

    def embed_audio_windows(self, clip: tuple[np.ndarray, int], *, batch_size: int = 32) -> np.ndarray:
        """Per-window unit vectors ``(n_windows, dim)`` (windows of ``window_s`` every ``hop_s``)."""
        return self._embed_windows(self._windows(clip, "clip"), batch_size)

    def __repr__(self) -> str:
        return f"LaionClapEmbedder(model_id={self.model_id!r}, dim={self.dim})"
