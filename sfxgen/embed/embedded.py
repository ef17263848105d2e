"""The embedder object for ``sfxgen-clap-small`` (text + audio in one joint space)."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from sfxgen.embed.audio import pad_batch, pool_windows, split_windows, trailing_silence_end, window_times_s
from sfxgen.embed.base import AudioEmbedder, TextEmbedder, l2_normalize
from sfxgen.embed.features import clip_logmel


class ClapSmallEmbedder(TextEmbedder, AudioEmbedder):
    """Embeds text (frozen MiniLM + learned projection) and audio (compact CNN on log-mel windows).

    ``model_id`` identifies these exact weights; ``dim`` is the joint-space size; ``window_s`` /
    ``hop_s`` define how long clips are windowed (see :mod:`sfxgen.embed.audio`).
    """

    def __init__(self, model_dir, *, device: str = "cpu", text_encoder=None):
        import json
        from pathlib import Path

        from sfxgen.errors import ModelError

        d = Path(model_dir)
        try:
            raw = json.loads((d / "config.json").read_text())
            if not (d / "model.safetensors").is_file():
                raise OSError("model.safetensors not found")
        except (OSError, ValueError) as exc:
            raise ModelError(f"{d}: the embedded model 'sfxgen-clap-small' is missing or unreadable ({exc}); train it "
                             "with `sfxgen train clap` or point SFXGEN_MODELS_DIR at a folder that has it") from None
        if raw.get("model_type") != "sfxgen-clap-small" or "model_id" not in raw:
            raise ModelError(f"{d / 'config.json'}: not an sfxgen-clap-small config (model_type={raw.get('model_type')!r})")
        self.model_dir = str(d)
        self.model_id: str = raw["model_id"]
        self.dim: int = int(raw["embed_dim"])
        self.window_s: float = float(raw["window_s"])
        self.hop_s: float = float(raw["window_hop_s"])
        self.sample_rate: int = int(raw["mel"]["sample_rate"])
        self.device = device
        self._text_encoder = text_encoder
        self._model = None
        self._text_weights = None

    @property
    def model(self):
        """The torch model (audio tower), loaded on first use: text queries never need it."""
        if self._model is None:
            from sfxgen.embed.clap_small import fuse_for_inference, load_pretrained

            model, _ = load_pretrained(self.model_dir, device=self.device)
            self._model = fuse_for_inference(model)
        return self._model

    @property
    def config(self):
        return self.model.config

    # -- text ----------------------------------------------------------------------------------
    @property
    def text_encoder(self):
        if self._text_encoder is None:
            from sfxgen.embed.text import get_text_encoder

            self._text_encoder = get_text_encoder()
        return self._text_encoder

    def _text_projection(self) -> dict:
        """The learned text projection's weights (float32 numpy), read without torch."""
        if self._text_weights is None:
            from pathlib import Path

            from safetensors.numpy import load_file

            w = load_file(str(Path(self.model_dir) / "model.safetensors"))
            self._text_weights = {k[len("text."):]: v.astype(np.float32) for k, v in w.items() if k.startswith("text.")}
        return self._text_weights

    def project_sentence_vectors(self, vectors: np.ndarray) -> np.ndarray:
        """Frozen MiniLM vectors ``(n, 384)`` -> joint-space text vectors ``(n, dim)`` (unnormalised):
        ``skip(t) [+ fc2(gelu(fc1(t)))]`` as :class:`sfxgen.embed.clap_small.TextProjection`, in numpy."""
        from sfxgen.embed.text import gelu

        w = self._text_projection()
        t = np.asarray(vectors, dtype=np.float32)
        out = t @ w["skip.weight"].T if "skip.weight" in w else t
        if "fc1.weight" in w:
            h = gelu(t @ w["fc1.weight"].T + w["fc1.bias"])
            out = out + h @ w["fc2.weight"].T + w["fc2.bias"]
        return out.astype(np.float32)

    def embed_text(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return l2_normalize(self.project_sentence_vectors(self.text_encoder.embed_text(texts, batch_size=batch_size)))

    # -- audio ---------------------------------------------------------------------------------
    @property
    def _window_frames(self) -> tuple[int, int]:
        fps = self.config.mel.frames_per_s
        return int(round(self.window_s * fps)), int(round(self.hop_s * fps))

    def logmel(self, audio: np.ndarray, sample_rate: int, *, name: str = "<audio>") -> np.ndarray:
        """The canonical front end for this model: ``(n_mels, frames)``."""
        return clip_logmel(audio, sample_rate, self.config.mel, name=name)

    def _bucket(self, frames: int) -> int:
        """Padded length for a window of ``frames``: the smallest of 1, 2, 3 s or the full window
        that holds it. Depends only on the window itself, so a clip's vector never depends on
        which other clips share its batch."""
        wf = self._window_frames[0]
        fps = self.config.mel.frames_per_s
        for b in (int(fps), int(2 * fps), int(3 * fps)):
            if frames <= b < wf:
                return b
        return max(wf, frames)

    def embed_windows_batch(self, windows: Sequence[np.ndarray], *, batch_size: int = 32) -> np.ndarray:
        """Unit vectors ``(n, dim)`` for log-mel windows of varying length (batched per length bucket)."""
        import torch

        if not windows:
            return np.zeros((0, self.dim), np.float32)
        buckets = np.array([self._bucket(w.shape[1]) for w in windows])
        out = np.zeros((len(windows), self.dim), np.float32)
        with torch.inference_mode():
            for b in np.unique(buckets):
                members = np.flatnonzero(buckets == b)
                for i in range(0, len(members), batch_size):
                    idx = members[i : i + batch_size]
                    mel, lengths = pad_batch([windows[j] for j in idx], min_frames=int(b))
                    v = self.model.encode_audio(torch.from_numpy(mel).to(self.device), torch.from_numpy(lengths).to(self.device))
                    out[idx] = v.float().cpu().numpy()
        return out

    def trim(self, mel: np.ndarray) -> np.ndarray:
        """The model's silent-tail trim (``config.trim_tail_db``; identity when unset)."""
        db = self.config.trim_tail_db
        return mel if db is None else mel[:, : trailing_silence_end(mel, floor_db=db)]

    def embed_logmels(self, mels: Sequence[np.ndarray], *, batch_size: int = 32,
                      extra_windows_s: Sequence[float] = ()) -> tuple[np.ndarray, list[np.ndarray]]:
        """Clip log-mels -> (pooled clip vectors ``(n, dim)``, per-clip window vectors).

        ``extra_windows_s``: also pool windows of these lengths (hop = half a window) and average
        the unit vectors of every scale (test-time pooling over crops; the window vectors returned
        are the model's own ``window_s`` ones). A clip shorter than every window gets the same
        vector at each scale, so its result does not change."""
        mels = [self.trim(m) for m in mels]
        pooled, windows = self._pooled(mels, self._window_frames, batch_size)
        if not pooled:
            return np.zeros((0, self.dim), np.float32), []
        total = np.stack(pooled)
        fps = self.config.mel.frames_per_s
        for w in extra_windows_s:
            wf = max(1, int(round(float(w) * fps)))
            extra, _ = self._pooled(mels, (wf, max(1, wf // 2)), batch_size)
            total = total + np.stack(extra)
        return l2_normalize(total), windows

    def _pooled(self, mels, frames: tuple[int, int], batch_size: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
        wf, hf = frames
        per_clip = [split_windows(m, wf, hf) for m in mels]
        flat = [w for ws in per_clip for w in ws]
        vecs = self.embed_windows_batch(flat, batch_size=batch_size)
        pooled, windows, k = [], [], 0
        for ws in per_clip:
            v = vecs[k : k + len(ws)]
            k += len(ws)
            windows.append(v)
            pooled.append(pool_windows(v, max_pooled=self.config.max_pooled_windows))
        return pooled, windows

    def embed_audio(self, clips: Sequence[tuple[np.ndarray, int]], *, batch_size: int = 32) -> np.ndarray:
        mels = [self.logmel(a, sr, name=f"clip {i}") for i, (a, sr) in enumerate(clips)]
        return self.embed_logmels(mels, batch_size=batch_size)[0]

    def embed_audio_windows(self, clip: tuple[np.ndarray, int], *, batch_size: int = 32) -> np.ndarray:
        """Per-window unit vectors ``(n_windows, dim)`` of one clip (window k starts at ``window_times(clip)[k, 0]``)."""
        mel = self.logmel(*clip)
        return self.embed_logmels([mel], batch_size=batch_size)[1][0]

    def window_times(self, clip: tuple[np.ndarray, int]) -> np.ndarray:
        """``(n_windows, 2)`` start/end seconds matching :meth:`embed_audio_windows`."""
        audio, sr = clip
        if self.config.trim_tail_db is not None:
            frames = self.trim(self.logmel(audio, sr)).shape[1]
        else:
            n = np.asarray(audio).shape[-1]
            frames = int(round(n * self.sample_rate / sr)) // self.config.mel.hop_length + 1
        wf, hf = self._window_frames
        return window_times_s(frames, wf, hf, self.config.mel.frames_per_s)

    def __repr__(self) -> str:
        return f"ClapSmallEmbedder(model_id={self.model_id!r}, dim={self.dim}, dir={self.model_dir!r})"
