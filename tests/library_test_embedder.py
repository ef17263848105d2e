"""TEST-ONLY joint embedder for the library tests (never shipped or used by the package).

A small but genuinely content-based embedder: audio → 16 log-band energies (relative to the
clip's total), spectral flatness (noise vs tone) and log duration, centred and L2-normalised,
then rotated into ``dim`` by a fixed orthogonal matrix. Text → the same feature template built
from a tiny vocabulary of spectral words ("low", "rumble", "high", "hiss", "tone", "noise"...),
so a query like "low rumble" lands near low-frequency sounds. It lets the library tests check
real ranking behaviour without waiting for the trained ``sfxgen-clap-small``.
"""

from __future__ import annotations

import numpy as np

N_BANDS = 16
_EDGES_HZ = np.geomspace(40.0, 7900.0, N_BANDS + 1)
SAMPLE_RATE = 16000

_WORDS = {
    "low": (0, 5), "rumble": (0, 4), "bass": (0, 5), "sub": (0, 3), "boom": (0, 5), "thump": (0, 5),
    "mid": (6, 10), "body": (6, 10),
    "high": (12, 16), "hiss": (12, 16), "bright": (11, 16), "sizzle": (12, 16), "air": (13, 16),
}


class SpectralTestEmbedder:
    """Band-energy audio features in a rotated space; text via a spectral-word template."""

    sample_rate = SAMPLE_RATE

    def __init__(self, dim: int = 24, *, model_id: str = "test-spectral-v1", seed: int = 0):
        self.dim = dim
        self.model_id = model_id
        q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((dim, N_BANDS + 2)))
        self.proj = q.astype(np.float32)  # (dim, features), orthonormal columns
        self.calls = 0

    def _features(self, audio: np.ndarray, sr: int) -> np.ndarray:
        x = np.asarray(audio, np.float32).mean(axis=0)
        n = 2048
        if len(x) < n:
            x = np.pad(x, (0, n - len(x)))
        frames = np.lib.stride_tricks.sliding_window_view(x, n)[:: n // 2]
        spec = (np.abs(np.fft.rfft(frames * np.hanning(n), axis=1)) ** 2).mean(axis=0) + 1e-12
        freqs = np.fft.rfftfreq(n, 1.0 / sr)
        band = np.array([spec[(freqs >= lo) & (freqs < hi)].sum() + 1e-12 for lo, hi in zip(_EDGES_HZ[:-1], _EDGES_HZ[1:])])
        logb = np.log10(band / band.sum())
        flat = float(np.exp(np.mean(np.log(spec))) / np.mean(spec))
        f = np.concatenate([(logb - logb.mean()) / 3.0, [4.0 * flat - 1.0, np.log10(len(x) / sr + 1e-3)]])
        return f.astype(np.float32)

    def _to_space(self, feats: np.ndarray) -> np.ndarray:
        v = feats @ self.proj.T
        return (v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)).astype(np.float32)

    def embed_audio(self, clips, *, batch_size: int = 32) -> np.ndarray:
        self.calls += len(clips)
        if not clips:
            return np.zeros((0, self.dim), np.float32)
        return self._to_space(np.stack([self._features(a, sr) for a, sr in clips]))

    def embed_text(self, texts, *, batch_size: int = 64) -> np.ndarray:
        out = []
        for t in texts:
            f = np.full(N_BANDS + 2, -0.5, np.float32)
            f[N_BANDS:] = 0.0
            for w in str(t).lower().split():
                if w in _WORDS:
                    lo, hi = _WORDS[w]
                    f[lo:hi] = 1.0
                elif w in ("noise", "noisy", "hiss"):
                    f[N_BANDS] = 1.0
                elif w in ("tone", "beep", "sine", "hum"):
                    f[N_BANDS] = -1.0
            out.append(f - f[:N_BANDS].mean() * np.r_[np.ones(N_BANDS), 0, 0])
        return self._to_space(np.stack(out))
