"""Canonical log-mel front end of the embedded audio encoder.

Every audio path into ``sfxgen-clap-small`` goes through here so training, indexing and
queries see identical features: down-mix to mono, resample to 16 kHz with soxr, then a 64-band
log-mel spectrogram with 25 ms Hann windows every 10 ms (100 frames per second).

Shapes: a clip ``(channels, samples)`` float32 at any rate -> mono ``(samples16k,)`` ->
log-mel ``(64, frames)`` float32 with ``frames = samples16k // 160 + 1``. Values are natural
log of mel power (``log(power + 1e-6)``), so silence sits at about -13.8.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache

import numpy as np

from sfxgen.errors import AudioReadError, ParameterError

LOG_EPS = 1e-6
LOG_FLOOR = float(np.log(LOG_EPS))


@dataclass(frozen=True)
class MelConfig:
    """Front-end parameters (units in the names). Stored in a model's config.json."""

    sample_rate: int = 16000
    n_mels: int = 64
    win_length: int = 400  # 25 ms at 16 kHz
    hop_length: int = 160  # 10 ms
    n_fft: int = 512
    fmin_hz: float = 50.0
    fmax_hz: float = 8000.0

    @property
    def frames_per_s(self) -> float:
        return self.sample_rate / self.hop_length

    def to_dict(self) -> dict:
        return asdict(self)


def _hz_to_mel(f):
    return 2595.0 * np.log10(1.0 + np.asarray(f, dtype=np.float64) / 700.0)


def _mel_to_hz(m):
    return 700.0 * (10.0 ** (np.asarray(m, dtype=np.float64) / 2595.0) - 1.0)


@lru_cache(maxsize=8)
def mel_filterbank(sample_rate: int, n_fft: int, n_mels: int, fmin_hz: float, fmax_hz: float) -> np.ndarray:
    """HTK-scale triangular filters, area-normalised (Slaney), ``(n_mels, n_fft // 2 + 1)`` float32."""
    if not 0 <= fmin_hz < fmax_hz <= sample_rate / 2:
        raise ParameterError(f"mel range {fmin_hz}-{fmax_hz} Hz does not fit sample rate {sample_rate} Hz")
    freqs = np.linspace(0, sample_rate / 2, n_fft // 2 + 1)
    edges = _mel_to_hz(np.linspace(_hz_to_mel(fmin_hz), _hz_to_mel(fmax_hz), n_mels + 2))
    lower, centre, upper = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    up = (freqs[None] - lower) / (centre - lower)
    down = (upper - freqs[None]) / (upper - centre)
    fb = np.maximum(0.0, np.minimum(up, down)) * (2.0 / (upper - lower))
    return fb.astype(np.float32)


def to_mono(audio: np.ndarray, *, name: str = "<audio>") -> np.ndarray:
    """``(channels, samples)`` or ``(samples,)`` -> mono ``(samples,)`` float32, checked finite."""
    x = np.asarray(audio)
    if x.ndim == 1:
        x = x[None]
    if x.ndim != 2:
        raise AudioReadError(name, f"audio must be shaped (channels, samples), got {x.shape}")
    if x.shape[1] == 0:
        raise AudioReadError(name, "audio is empty (0 samples)")
    if x.shape[0] > x.shape[1] and x.shape[1] <= 64:
        raise AudioReadError(name, f"audio looks transposed: {x.shape} (expected (channels, samples))")
    x = x.astype(np.float32, copy=False)
    if not np.isfinite(x).all():
        raise AudioReadError(name, "audio contains NaN or infinite samples")
    return x.mean(axis=0) if x.shape[0] > 1 else x[0]


def resample_mono(x: np.ndarray, sample_rate: int, target_rate: int, *, name: str = "<audio>") -> np.ndarray:
    """Resample a mono signal with soxr (high quality)."""
    if not isinstance(sample_rate, (int, np.integer)) or sample_rate <= 0:
        raise AudioReadError(name, f"invalid sample rate {sample_rate!r}")
    if sample_rate == target_rate:
        return np.ascontiguousarray(x, dtype=np.float32)
    if sample_rate < 1000 or sample_rate > 768000:
        raise AudioReadError(name, f"unsupported sample rate {sample_rate} Hz (1 kHz to 768 kHz)")
    import soxr

    return soxr.resample(np.ascontiguousarray(x, dtype=np.float32), int(sample_rate), int(target_rate), quality="HQ").astype(
        np.float32, copy=False
    )


def prepare_waveform(audio: np.ndarray, sample_rate: int, cfg: MelConfig = MelConfig(), *, name: str = "<audio>") -> np.ndarray:
    """Any clip -> mono float32 at ``cfg.sample_rate`` (the encoder's input signal)."""
    return resample_mono(to_mono(audio, name=name), sample_rate, cfg.sample_rate, name=name)


def logmel_batch(waves, cfg: MelConfig = MelConfig()):
    """Log-mel of a torch tensor ``(batch, samples)`` at ``cfg.sample_rate`` -> ``(batch, n_mels, frames)``."""
    import torch

    if waves.shape[-1] < cfg.n_fft // 2 + 1:
        waves = torch.nn.functional.pad(waves, (0, cfg.n_fft // 2 + 1 - waves.shape[-1]))
    window, fb = _stft_constants(cfg, waves.device, waves.dtype)
    spec = torch.stft(
        waves, cfg.n_fft, hop_length=cfg.hop_length, win_length=cfg.win_length, window=window,
        center=True, pad_mode="constant", return_complex=True,
    )
    power = spec.real.square() + spec.imag.square()
    return torch.log(torch.matmul(fb, power) + LOG_EPS)


@lru_cache(maxsize=8)
def _stft_constants(cfg: MelConfig, device, dtype):
    """Hann window and mel filterbank tensors for ``cfg`` (built once: per-clip construction
    was a fifth of the cost of a short clip's log-mel). Read-only; shared between threads."""
    import torch

    window = torch.hann_window(cfg.win_length, device=device, dtype=dtype)
    fb = torch.from_numpy(mel_filterbank(cfg.sample_rate, cfg.n_fft, cfg.n_mels, cfg.fmin_hz, cfg.fmax_hz)).to(device=device, dtype=dtype)
    return window, fb


def logmel(wave: np.ndarray, cfg: MelConfig = MelConfig()) -> np.ndarray:
    """Log-mel ``(n_mels, frames)`` float32 of a mono signal already at ``cfg.sample_rate``."""
    import torch

    with torch.inference_mode():
        out = logmel_batch(torch.from_numpy(np.ascontiguousarray(wave, dtype=np.float32))[None], cfg)[0]
    return out.numpy()


def clip_logmel(audio: np.ndarray, sample_rate: int, cfg: MelConfig = MelConfig(), *, name: str = "<audio>") -> np.ndarray:
    """Convenience: ``(channels, samples)`` at any rate -> log-mel ``(n_mels, frames)``."""
    return logmel(prepare_waveform(audio, sample_rate, cfg, name=name), cfg)
