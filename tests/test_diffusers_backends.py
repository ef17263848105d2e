"""AudioLDM 2 and Stable Audio backends end to end with tiny random-weight pipelines built here.

Tokenizers are made locally; pipelines are saved to a temp dir and loaded back through
``sfxgen.generate.load_pipeline(DIR)`` (``local_files_only``), so no download can happen.
"""

from __future__ import annotations

import numpy as np
import pytest

import torch
import diffusers  # noqa: F401  (declared dependency: a missing one must fail, not skip)

from sfxgen.errors import ParameterError  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def _offline(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("HF_HUB_OFFLINE", "1")
    mp.setenv("TRANSFORMERS_OFFLINE", "1")
    torch.set_num_threads(1)
    yield
    mp.undo()


@pytest.fixture(scope="module")
def audioldm2_dir(tmp_path_factory):
    from sfxgen.generate.diffusers_arch import tiny_audioldm2_pipeline

    d = tmp_path_factory.mktemp("aldm2") / "tiny-audioldm2"
    tiny_audioldm2_pipeline(seed=0).save_pretrained(str(d))
    return d


@pytest.fixture(scope="module")
def stable_audio_dir(tmp_path_factory):
    import torchsde  # noqa: F401
    from sfxgen.generate.diffusers_arch import tiny_stable_audio_pipeline

    d = tmp_path_factory.mktemp("sa") / "tiny-stable-audio"
    tiny_stable_audio_pipeline(seed=0).save_pretrained(str(d))
    return d


class SpyScorer:
    """Ranks by RMS (a checkable order) and records what it was asked."""

    model_id = "rms-scorer"

    def __init__(self):
        self.calls = []

    def score(self, prompt, clips):
        self.calls.append((prompt, len(clips), {sr for _, sr in clips}))
        return np.array([float(np.sqrt(np.mean(a.astype(np.float64) ** 2))) for a, _ in clips], np.float32)


def _check_result(res, *, n, dur, seed):
    assert len(res.candidates) == n and sorted(res.seeds) == list(range(seed, seed + n))
    for c in res.candidates:
        assert c.sample_rate == 48000 and c.audio.dtype == np.float32
        assert c.audio.shape == (2, int(round(dur * 48000)))
        assert np.isfinite(c.audio).all() and c.patch is None


@pytest.mark.parametrize("which", ["audioldm2", "stable_audio"])
def test_backend_roundtrip_and_mapping(which, request):
    from sfxgen.generate import load_pipeline, model_kind

    d = request.getfixturevalue(f"{which}_dir")
    assert model_kind(d) == (which, d)
    pipe = load_pipeline(d, scorer=None)
    assert type(pipe).__name__ == {"audioldm2": "AudioLDM2Backend", "stable_audio": "StableAudioBackend"}[which]
    args = dict(duration_s=0.25, num_variations=2, seed=5, num_inference_steps=2, guidance_scale=3.0)
    a = pipe("a hammer hitting wood", **args)
    _check_result(a, n=2, dur=0.25, seed=5)
    assert a.model_id == d.name and a.extra["backend"].endswith("Pipeline")
    # same seed -> same audio; variation i == seed + i; different seeds differ
    b = pipe("a hammer hitting wood", **args)
    assert all(np.array_equal(x, y) for x, y in zip(a.audios, b.audios))
    one = pipe("a hammer hitting wood", **{**args, "num_variations": 1, "seed": 6})
    assert np.allclose(one.audios[0], a.audios[1], atol=1e-6)
    assert not np.allclose(a.audios[0], a.audios[1])
    # negative prompt, steps and guidance reach the model
    neg = pipe("a hammer hitting wood", negative_prompt="music", **args)
    assert not np.allclose(neg.audios[0], a.audios[0])
    g = pipe("a hammer hitting wood", **{**args, "guidance_scale": 7.0})
    assert not np.allclose(g.audios[0], a.audios[0])
    st = pipe("a hammer hitting wood", **{**args, "num_inference_steps": 3})
    assert not np.allclose(st.audios[0], a.audios[0])
    # another duration is honoured exactly at 48 kHz
    _check_result(pipe("rain", duration_s=0.4, num_variations=1, seed=0, num_inference_steps=2), n=1, dur=0.4, seed=0)
    with pytest.raises(ParameterError, match="prompt is empty"):
        pipe("", duration_s=0.25)
    with pytest.raises(ParameterError, match="num_inference_steps"):
        pipe("rain", duration_s=0.25, num_inference_steps=0)


def test_backend_reranks_with_scorer(audioldm2_dir):
    from sfxgen.generate.diffusers_backends import AudioLDM2Backend

    spy = SpyScorer()
    pipe = AudioLDM2Backend.from_pretrained(audioldm2_dir, scorer=spy)
    res = pipe("glass breaking", duration_s=0.2, num_variations=3, seed=0, num_inference_steps=2)
    # one call per candidate: a candidate's score never depends on which others were scored with it
    assert spy.calls == [("glass breaking", 1, {48000})] * 3
    assert res.scores == sorted(res.scores, reverse=True) and res.scorer_id == "rms-scorer"


def test_stable_audio_refuses_too_long(stable_audio_dir):
    from sfxgen.generate import load_pipeline

    pipe = load_pipeline(stable_audio_dir, scorer=None)
    with pytest.raises(ParameterError, match="duration_s must be between"):
        pipe("rain", duration_s=pipe.max_duration_s + 1.0, num_inference_steps=2)


def test_missing_weights_are_a_clear_error(tmp_path, audioldm2_dir):
    import shutil

    from sfxgen.errors import ModelError
    from sfxgen.generate import load_pipeline

    broken = tmp_path / "broken"
    shutil.copytree(audioldm2_dir, broken)
    shutil.rmtree(broken / "unet")
    with pytest.raises(ModelError, match="broken"):
        load_pipeline(broken, scorer=None)
