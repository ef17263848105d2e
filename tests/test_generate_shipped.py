"""The shipped sfxgen-hero-small weights: load, steer by text, honour adjectives (no audio render
needed for most checks, so this stays fast)."""

from __future__ import annotations

import numpy as np
import pytest

import torch


@pytest.fixture(scope="module")
def pipe():
    from sfxgen.generate import load_pipeline

    torch.set_num_threads(1)
    return load_pipeline(scorer=None)


def _patches(pipe, prompt, n=8, g=3.0):
    x = pipe.denoise(pipe.encode_prompt([prompt]), seeds=list(range(n)), num_inference_steps=25, guidance_scale=g)
    return [p for p, _ in pipe.decode(x)]


@pytest.mark.parametrize("prompt, family", [
    ("heavy rain pouring on a tin roof", "rain"),
    ("a pistol shot in an alley", "gunshot"),
    ("campfire crackling at night", "fire"),
    ("footsteps on gravel", "footsteps"),
    ("police siren wailing", "alarm_siren"),
    ("a window breaking into pieces", "glass_shatter"),
])
def test_shipped_model_follows_the_prompt(pipe, prompt, family):
    fams = [p.family for p in _patches(pipe, prompt)]
    assert fams.count(family) >= 6, fams


def test_shipped_model_adjectives_move_parameters(pipe):
    tiny = np.mean([p.get("size") for p in _patches(pipe, "a tiny metal clink")])
    huge = np.mean([p.get("size") for p in _patches(pipe, "a huge metal clang")])
    assert huge - tiny > 1.0
    close = np.mean([p.get("distance") for p in _patches(pipe, "thunder right overhead, very close")])
    far = np.mean([p.get("distance") for p in _patches(pipe, "thunder far away on the horizon")])
    assert far > close


def test_shipped_model_negative_prompt_steers_away(pipe):
    base = [p.family for p in _patches(pipe, "an impact", n=16)]
    x = pipe.denoise(pipe.encode_prompt(["an impact"]), uncond=pipe.encode_prompt(["metal"]), seeds=list(range(16)),
                     num_inference_steps=25, guidance_scale=3.0)
    neg = [p.family for p, _ in pipe.decode(x)]
    assert base.count("impact_metal") >= 8 and neg.count("impact_metal") < base.count("impact_metal") - 4, (base, neg)


def test_shipped_model_end_to_end_audio(pipe):
    res = pipe("a huge metal door slam in a cathedral", duration_s=3.0, num_variations=2, seed=7)
    assert res.model_id == "sfxgen-hero-small"
    for c in res.candidates:
        assert c.audio.shape == (2, 144000) and np.isfinite(c.audio).all()
        assert 1e-3 < np.abs(c.audio).max() < 0.999
    assert not np.allclose(res.audios[0], res.audios[1])
