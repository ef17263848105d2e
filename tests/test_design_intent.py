"""Reading a prompt and a hero into the roles a design needs (no models: fast)."""

import numpy as np

from sfxgen.layering.intent import HeroProfile, measure_hero, plan_roles, read_prompt, role_fit

SR = 48000


def hero(**kw):
    base = dict(duration_s=2.0, sub40_db=-30.0, low120_db=-15.0, high4k_db=-20.0, attack_s=0.002, decay_s=0.8,
                onsets_s=(0.01,), main_transient_s=0.01, kind="oneshot")
    base.update(kw)
    return HeroProfile(**base)


def roles(prompt, h, layers=4):
    return {n.role: n for n in plan_roles(read_prompt(prompt), h, max_layers=layers)}


def test_prompt_reading_uses_the_registry_words():
    r = read_prompt("footsteps on gravel, slow walk")
    assert r.families[0] == "footsteps" and r.material == "gravel" and r.continuous
    r = read_prompt("heavy metal door slam in a vast echoing cavern")
    assert r.material == "metal" and r.size > 0 and r.space[0] == "vast cavern" and "door_slam" in r.families
    assert read_prompt("distant explosion").distance == "distant"
    assert read_prompt("a 10 second engine idle").duration_s == 10.0


def test_a_ui_click_gets_no_boom_and_no_tail():
    got = roles("ui click", hero(family="switch_click", duration_s=0.3, low120_db=-20.0, category="ui"))
    assert "sub" not in got and "tail" not in got and "body" not in got


def test_footsteps_get_texture_per_step_not_an_explosion_tail():
    h = hero(family="footsteps", kind="texture", duration_s=4.0, onsets_s=(0.1, 0.9, 1.7, 2.5, 3.3), category="footstep")
    got = roles("footsteps on gravel, slow walk", h)
    assert got["texture"].per_step and "gravel" in got["texture"].query
    assert "tail" not in got and "sub" not in got and "transient" not in got


def test_big_impacts_get_weight_only_when_the_hero_lacks_it():
    thin = roles("huge metal impact", hero(family="impact_metal", low120_db=-20.0, category="impact"))
    assert "sub" in thin and "metal" in thin["texture"].query
    full = roles("huge metal impact", hero(family="impact_metal", low120_db=-1.0, category="impact"))
    assert "sub" not in full
    assert "sub" not in roles("distant explosion", hero(family="explosion", low120_db=-20.0, category="explosion"))


def test_space_words_size_the_tail_and_queries_use_the_prompt_words():
    got = roles("rusty spaceship door opening in a vast echoing cavern", hero(family="door_open", category="door"))
    assert "tail" in got and "cavern" in got["tail"].query and "4.5" in got["tail"].reason
    assert all("spaceship" in n.query or "cavern" in n.query for n in got.values())
    assert all(n.reason for n in got.values())
    assert "tail" not in roles("wooden box impact", hero(family="impact_wood", category="impact"))


def test_role_fit_checks_the_audio():
    t = np.arange(SR) / SR
    boom = np.stack([np.sin(2 * np.pi * 50 * t) * np.exp(-3 * t)] * 2).astype(np.float32)
    hiss = np.stack([np.random.default_rng(0).standard_normal(SR) * np.exp(-5 * t)] * 2).astype(np.float32)
    b, h = measure_hero(boom, SR, onsets=False), measure_hero(hiss, SR, onsets=False)
    assert role_fit("sub", b) > 0.8 > 0.2 > role_fit("sub", h)
    assert role_fit("texture", h) > 0.8 > 0.2 > role_fit("texture", b)


def test_a_composed_hero_lends_its_elements_and_replays_from_its_file(tmp_path):
    from types import SimpleNamespace

    from sfxgen.generate.base import HeroResult
    from sfxgen.layering.auto import AutoDesigner, _element_families
    from sfxgen.synth import Patch

    els = [SimpleNamespace(family="door_open"), SimpleNamespace(family="hydraulic_hiss")]
    cand = SimpleNamespace(audio=np.zeros((2, SR), np.float32), sample_rate=SR, seed=3, score=0.5,
                           patch=Patch("door_open"), composition=SimpleNamespace(elements=els), duration_s=1.0)
    res = HeroResult(prompt="p", negative_prompt=None, model_id="m", candidates=[cand], duration_s=1.0,
                     num_inference_steps=1, guidance_scale=1.0)
    assert _element_families(cand, res) == ("door_open", "hydraulic_hiss")
    src = AutoDesigner(None)._hero_source(cand, res, "p", tmp_path, 0)
    assert src.kind == "file" and (tmp_path / src.path).is_file()  # not just the main patch


def _decay(seconds, tau_s, *, pad_s=0.0, seed=0):
    """Stereo noise dying away as exp(-t / tau_s), then ``pad_s`` of silence."""
    n = int(SR * seconds)
    x = np.random.default_rng(seed).standard_normal(n) * np.exp(-np.arange(n) / SR / tau_s)
    x = np.concatenate([x, np.zeros(int(SR * pad_s))])
    return np.stack([x, x]).astype(np.float32)


def test_audible_end_is_where_a_one_shot_has_died_away():
    from functools import partial

    from sfxgen.dsp.analysis import audible_end_s as end_at
    from sfxgen.layering.intent import END_DB

    audible_end_s = partial(end_at, floor_db=END_DB)
    # 8.69 dB per tau: 50 dB under the first 50 ms after 5.76 tau = 0.58 s
    assert abs(audible_end_s(_decay(1.0, 0.1), SR) - 0.6) <= 0.05
    assert audible_end_s(_decay(1.0, 0.1, pad_s=2.0), SR) == audible_end_s(_decay(1.0, 0.1), SR)
    assert audible_end_s(np.zeros((2, SR), np.float32), SR) == 0.0
    padded = measure_hero(_decay(1.0, 0.1, pad_s=1.0), SR, onsets=False)
    assert padded.end_s == round(audible_end_s(_decay(1.0, 0.1), SR), 4)


def test_one_shot_layers_end_with_the_hero_not_with_its_file():
    from sfxgen.layering.auto import AutoDesigner
    from sfxgen.layering.intent import RoleNeed

    body = RoleNeed(role="body", query="glass", want={}, reason="", synth_families=())
    ringing = _decay(1.6, 100.0)  # a "body" that does not decay in its 1.6 s
    designer = AutoDesigner(None)
    shatter = hero(duration_s=2.5, end_s=0.6, main_transient_s=0.05)
    trim, fade_ms = designer._fit_length(body, ringing, shatter, 1.0, False)
    assert trim is not None and trim <= 0.6 and 20.0 <= fade_ms <= 0.4 * trim * 1000.0 + 1e-6
    # a texture or a walk runs to its end by design: its layers follow its whole length
    trim, _ = designer._fit_length(body, ringing, shatter, 1.0, True)
    assert trim is None


def test_a_layer_that_rings_on_after_a_one_shot_hero_fits_less(tmp_path):
    from types import SimpleNamespace

    from sfxgen.audio import write_audio
    from sfxgen.layering.auto import AutoDesigner
    from sfxgen.layering.intent import RoleNeed

    ring, short = tmp_path / "ring.wav", tmp_path / "short.wav"
    write_audio(ring, _decay(2.0, 100.0, seed=1), SR)
    write_audio(short, _decay(1.0, 0.08, seed=2), SR)
    hits = [SimpleNamespace(path=str(ring), score=0.95, description="glass"),
            SimpleNamespace(path=str(short), score=0.80, description="glass")]
    library = SimpleNamespace(search=lambda *a, **k: hits)
    designer = AutoDesigner(None, library=library, library_roots=[str(tmp_path)])
    need = RoleNeed(role="body", query="glass", want={}, reason="", synth_families=())
    _, _, free = designer._library_pick(need, 0)
    _, _, one_shot = designer._library_pick(need, 0, hero_ring_s=0.5)
    assert free["path"] == str(ring)  # by name and spectrum alone the ringing file wins
    assert one_shot["path"] == str(short)  # under a 0.5 s one-shot it rings ~1.2 s too long


def test_a_one_element_composed_hero_also_replays_from_its_file(tmp_path):
    """Rendered dry with its element seed and then in the shared space, a one-element composition
    is not its main patch rendered alone: the design must deliver the candidate it measured."""
    from types import SimpleNamespace

    from sfxgen.generate.base import HeroResult
    from sfxgen.layering.auto import AutoDesigner
    from sfxgen.synth import Patch

    audio = 0.2 * _decay(1.0, 0.2)
    cand = SimpleNamespace(audio=audio, sample_rate=SR, seed=3, score=0.5, patch=Patch("laser"),
                           composition=SimpleNamespace(elements=[SimpleNamespace(family="laser")]), duration_s=1.0)
    res = HeroResult(prompt="p", negative_prompt=None, model_id="m", candidates=[cand], duration_s=1.0,
                     num_inference_steps=1, guidance_scale=1.0)
    src = AutoDesigner(None)._hero_source(cand, res, "laser zap", tmp_path, 0)
    from sfxgen.audio import read_audio

    assert src.kind == "file"
    back, _ = read_audio(tmp_path / src.path)
    assert np.abs(back - audio).max() < 1e-4  # the candidate itself (24-bit file)
    plain = SimpleNamespace(**{**vars(cand), "composition": None})  # a single-patch model's hero
    assert AutoDesigner(None)._hero_source(plain, res, "laser zap", None, 0).kind == "synth"
