"""Silent-tail trimming of the embedded CLAP front end (``ClapSmallConfig.trim_tail_db``)."""

from __future__ import annotations

import numpy as np
import torch

from sfxgen.embed import get_embedder
from sfxgen.embed.audio import trailing_silence_end
from sfxgen.embed.clap_small import ClapSmall, ClapSmallConfig, save_pretrained
from sfxgen.embed.features import LOG_FLOOR, clip_logmel

SR = 48000


def click(duration_s: float, *, tail_s: float) -> np.ndarray:
    """A decaying 2 kHz burst of ``duration_s`` followed by ``tail_s`` of digital silence."""
    t = np.arange(int(duration_s * SR)) / SR
    x = (np.sin(2 * np.pi * 2000 * t) * np.exp(-t / 0.05)).astype(np.float32)
    return np.concatenate([x, np.zeros(int(tail_s * SR), np.float32)])[None]


def test_trailing_silence_end_keeps_sound_and_drops_the_silent_tail():
    mel = clip_logmel(click(0.4, tail_s=2.6), SR)
    end = trailing_silence_end(mel, floor_db=60.0)
    assert 0.15 * 100 < end < 0.45 * 100  # frames at 100 per second: the decay is cut near -60 dB
    assert trailing_silence_end(mel, floor_db=30.0) < end  # a shallower floor cuts more tail
    # the numerical floor of the front end bounds the trim: a quiet click keeps no floor-level tail
    quiet = clip_logmel(click(0.4, tail_s=2.6) * 10 ** (-40 / 20), SR)
    assert trailing_silence_end(quiet, floor_db=120.0) < 0.45 * 100
    full = clip_logmel(click(3.0, tail_s=0.0) * 0 + 0.1, SR)  # steady sound: nothing to trim
    assert trailing_silence_end(full, floor_db=60.0) == full.shape[1]
    silent = np.full((64, 50), LOG_FLOOR, np.float32)
    assert trailing_silence_end(silent, floor_db=60.0) == 50  # all equal: keep everything
    assert trailing_silence_end(silent[:, :1], floor_db=60.0) == 1


def _model_dir(path, trim_tail_db):
    torch.manual_seed(0)
    cfg = ClapSmallConfig(audio_arch="stats", text_residual=False, head_dim=32, trim_tail_db=trim_tail_db)
    model = ClapSmall(cfg).eval()
    save_pretrained(model, path, fp16=False)
    return get_embedder(str(path))


def test_trimming_model_ignores_padding_silence_and_untrimmed_model_does_not(tmp_path):
    short, padded = click(0.4, tail_s=0.0), click(0.4, tail_s=2.6)
    trim = _model_dir(tmp_path / "trim", 60.0)
    a, b = trim.embed_audio([(short, SR), (padded, SR)])
    assert float(a @ b) > 0.999
    assert trim.window_times((padded, SR)).shape == (1, 2) and trim.window_times((padded, SR))[0, 1] < 0.5
    plain = _model_dir(tmp_path / "plain", None)
    a, b = plain.embed_audio([(short, SR), (padded, SR)])
    assert float(a @ b) < 0.999  # duration/envelope descriptors see the silence
    assert plain.config.trim_tail_db is None and trim.config.trim_tail_db == 60.0
