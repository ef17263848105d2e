"""The shipped sfxgen-hero-small weights (the composed-hero model, issue #16): load, steer by text,
keep the main source of compound prompts, honour adjectives (compositions are checked without
rendering, so this stays fast)."""

from __future__ import annotations

import numpy as np
import pytest

import torch


@pytest.fixture(scope="module")
def pipe():
    from sfxgen.generate import load_pipeline

    torch.set_num_threads(1)
    return load_pipeline(scorer=None)


def _comps(pipe, prompt, n=6, **kw):
    return [c for c, _, _ in pipe.compose(prompt, duration_s=3.0, seeds=range(n), **kw)]


@pytest.mark.parametrize("prompt, family", [
    ("heavy rain pouring on a tin roof", "rain"),
    ("a pistol shot in an alley", "gunshot"),
    ("campfire crackling at night", "fire"),
    ("footsteps on gravel", "footsteps"),
    ("police siren wailing", "alarm_siren"),
    ("a window breaking into pieces", "glass_shatter"),
])
def test_shipped_model_follows_the_prompt(pipe, prompt, family):
    fams = [c.main.family for c in _comps(pipe, prompt)]
    assert fams.count(family) >= 4, fams


def test_shipped_model_keeps_the_main_source_of_a_compound_prompt(pipe):
    for prompt, main, other in (("a door opening with a hydraulic hiss", "door_open", "hydraulic_hiss"),
                                ("a dog barking on a busy city street", "dog_bark", "city_ambience")):
        comps = _comps(pipe, prompt)
        assert sum(c.main.family == main for c in comps) >= 4, [c.main.family for c in comps]
        others = [e.family for c in comps for e in c.elements[1:]]
        assert others.count(other) >= 3, others


def test_shipped_model_adjectives_move_parameters(pipe):
    tiny = np.mean([c.main.patch.get("size") for c in _comps(pipe, "a tiny metal clink")])
    huge = np.mean([c.main.patch.get("size") for c in _comps(pipe, "a huge metal clang")])
    assert huge - tiny > 0.5


def test_shipped_model_end_to_end_audio(pipe):
    res = pipe("a huge metal door slam in a cathedral", duration_s=3.0, num_variations=2, seed=7)
    assert res.model_id == "sfxgen-hero-small"
    for c in res.candidates:
        assert c.audio.shape == (2, 144000) and np.isfinite(c.audio).all()
        assert 1e-3 < np.abs(c.audio).max() < 0.999
        assert c.to_dict()["elements"][0]["role"] == "main"


def test_shipped_model_says_when_no_family_fits(pipe):
    assert pipe.family_match("a violin playing a slow melody")["low"]
    assert not pipe.family_match("a heavy wooden door slam")["low"]
