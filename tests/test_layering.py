"""Layering: recipe round-trip and validation, deterministic render, stems that sum to the
pre-master mix, mastering to the preset, the export package, and auto-layering decisions."""

import json
import math
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from scipy.signal import resample_poly

from sfxgen.audio import read_audio, read_bext, write_audio
from sfxgen.dsp.dynamics import Compressor
from sfxgen.dsp.filters import EQBand
from sfxgen.dsp.reverb import ReverbSettings
from sfxgen.errors import RecipeError
from sfxgen.export import export_package
from sfxgen.layering.auto import carve_bands, prompt_space, role_query
from sfxgen.layering.recipe import Bus, Layer, Master, Recipe, Source
from sfxgen.layering.render import file_sha1, render_recipe
from sfxgen.loudness import measure

SR = 48000


def independent_true_peak_dbtp(audio):
    """8x polyphase oversampled peak (scipy), independent of sfxgen's meter."""
    up = resample_poly(audio.astype(np.float64), 8, 1, axis=-1)
    return 20 * math.log10(max(np.max(np.abs(up)), 1e-12))


def synth(family, *, seed=0, dur=1.5, **params):
    return Source(kind="synth", patch={"family": family, "params": params}, seed=seed, duration_s=dur)


@pytest.fixture()
def library_file(tmp_path):
    t = np.arange(int(0.8 * SR)) / SR
    x = (0.3 * np.sin(2 * np.pi * 60 * t) * np.exp(-t * 4)).astype(np.float32)
    return write_audio(tmp_path / "lowboom.wav", np.stack([x, x]), SR)


def make_recipe(library_file, **kw):
    layers = [
        Layer("hero", "hero", synth("impact_metal", seed=1, size=0.3), reverb_send_db=-12.0,
              eq=[EQBand("highpass", 60.0)], compressor=Compressor(threshold_db=-24, ratio=3)),
        Layer("sub", "sub", Source(kind="file", path=str(library_file), sha1=file_sha1(library_file)),
              gain_db=-3.0, offset_ms=12.5, fade_out_ms=200.0, eq=[EQBand("lowpass", 150.0, order=4)]),
        Layer("texture", "texture", synth("glass_shatter", seed=2), gain_db=-8.0, pitch_semitones=2.0,
              reverse=False, reverb_send_db=-6.0, fade_in_ms=5.0, fade_curve="s_curve",
              eq=[EQBand("peak", 2000.0, gain_db=-4.0, q=2.0)]),
    ]
    return Recipe(name="door_test", layers=layers, prompt="metal door in a hall",
                  bus=Bus(reverb=ReverbSettings(rt60_s=1.5, pre_delay_ms=15.0, wet_db=0.0),
                          compressor=Compressor(threshold_db=-20, ratio=2, attack_ms=15, release_ms=120)),
                  master=Master(preset="ebu-r128"), **kw)


def test_recipe_json_roundtrip(library_file):
    r = make_recipe(library_file)
    again = Recipe.from_json(r.to_json())
    assert again == r
    assert json.loads(again.to_json()) == json.loads(r.to_json())


@pytest.mark.parametrize(
    "mutate,message",
    [
        (lambda r: setattr(r.layers[0], "role", "lead"), "unknown role"),
        (lambda r: setattr(r.layers[1], "gain_db", float("nan")), "finite"),
        (lambda r: setattr(r.layers[0].source, "duration_s", -1.0), "duration_s"),
        (lambda r: setattr(r, "duration_s", -2.0), "duration_s"),
        (lambda r: setattr(r.layers[2], "offset_ms", -5.0), "offset_ms"),
        (lambda r: setattr(r.layers[1].source, "kind", "youtube"), "unknown source kind"),
        (lambda r: setattr(r.layers[1], "name", "../evil"), "path separators"),
        (lambda r: setattr(r, "version", 99), "version"),
    ],
)
def test_invalid_recipes_fail_clearly(library_file, mutate, message):
    r = make_recipe(library_file)
    mutate(r)
    with pytest.raises(RecipeError, match=message):
        render_recipe(r)


def test_missing_or_changed_file_and_late_offset(library_file, tmp_path):
    r = make_recipe(library_file)
    library_file.write_bytes(library_file.read_bytes()[:-2] + b"\x01\x02")
    with pytest.raises(RecipeError, match="changed since"):
        render_recipe(r)
    r.layers[1].source.path = str(tmp_path / "gone.wav")
    with pytest.raises(RecipeError, match="missing"):
        render_recipe(r)
    write_audio(tmp_path / "x.wav", np.zeros((2, 4800), np.float32), SR)
    r2 = make_recipe(tmp_path / "x.wav")
    r2.layers = [r2.layers[0], r2.layers[2]]
    r2.duration_s = 1.0
    r2.layers[1].offset_ms = 1500.0
    with pytest.raises(RecipeError, match="start after the end"):
        render_recipe(r2)


def test_bad_recipe_writes_nothing_via_cli(library_file, tmp_path):
    from sfxgen.cli import main

    r = make_recipe(library_file)
    r.layers[1].gain_db = float("inf")
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(r.to_dict()).replace("Infinity", "1e999"))
    out = tmp_path / "out"
    assert main(["render", str(path), "--out", str(out)]) == 2
    assert not out.exists() or not any(out.iterdir())


def test_render_is_deterministic_and_stems_sum(library_file):
    r = make_recipe(library_file)
    a = render_recipe(r)
    b = render_recipe(Recipe.from_json(r.to_json()))
    assert np.array_equal(a.master, b.master)
    for k in a.stems:
        assert np.array_equal(a.stems[k], b.stems[k])
    total = sum(a.stems.values()) + a.reverb
    assert np.max(np.abs(total - a.premaster)) < 10 ** (-90 / 20)
    n = a.premaster.shape[1]
    assert all(s.shape == (2, n) for s in a.stems.values()) and a.reverb.shape == (2, n)
    # sub starts at its offset: nothing before 12.5 ms
    assert np.max(np.abs(a.stems["sub"][:, : int(0.012 * SR)])) == 0.0
    assert np.max(np.abs(a.reverb)) > 1e-4  # the sends reached the reverb
    assert a.master_met_target
    loud = measure(a.master, SR)
    assert abs(loud.integrated_lufs - (-23.0)) <= 0.1
    assert independent_true_peak_dbtp(a.master) <= -1.0 + 0.05


def test_master_render_finishes_an_unmastered_render(library_file):
    from sfxgen.layering.render import master_render

    r = make_recipe(library_file)
    raw = render_recipe(r, master=False)
    assert np.array_equal(raw.master, raw.premaster) and raw.master_gain_db == 0.0
    done, direct = master_render(raw), render_recipe(r)
    assert np.array_equal(done.master, direct.master) and done.master_gain_db == direct.master_gain_db
    assert np.array_equal(done.premaster, raw.premaster) and not np.array_equal(done.master, raw.master)
    r.master.target_lufs = -14.0  # overrides are read from the result's recipe
    assert abs(measure(master_render(raw).master, SR).integrated_lufs + 14.0) <= 0.1


def test_mute_and_no_sends(library_file):
    r = make_recipe(library_file)
    for l in r.layers:
        l.reverb_send_db = None
    r.layers[2].mute = True
    res = render_recipe(r)
    assert np.max(np.abs(res.reverb)) == 0.0
    assert np.max(np.abs(res.stems["texture"])) == 0.0


def test_export_package_and_replay(library_file, tmp_path):
    from sfxgen.cli import main

    r = make_recipe(library_file)
    res = render_recipe(r)
    m = export_package(res, tmp_path / "pkg", stems="pre-master")
    names = sorted(p.name for p in (tmp_path / "pkg").iterdir())
    assert "recipe.json" in names and "qc.json" in names and "qc.txt" in names and "manifest.json" in names
    assert any(n.endswith(".png") for n in names)
    assert set(m.stems) == {"hero", "sub", "texture", "reverb"}
    # stems read back from 24-bit files sum to the pre-master mix within -90 dBFS
    total = None
    lengths = set()
    for path in m.stems.values():
        info = sf.info(path)
        assert info.samplerate == SR and info.subtype == "PCM_24"
        x, _ = read_audio(path)
        lengths.add(x.shape[1])
        total = x if total is None else total + x
        b = read_bext(path)
        assert b.description and "stem" in b.description
    assert len(lengths) == 1
    assert np.max(np.abs(total - res.premaster)) < 10 ** (-90 / 20)
    mix, _ = read_audio(m.mix)
    assert abs(measure(mix, SR).integrated_lufs + 23.0) <= 0.1
    assert independent_true_peak_dbtp(mix) <= -1.0 + 0.05
    assert read_bext(m.mix).loudness_value == pytest.approx(m.loudness["integrated_lufs"], abs=0.01)
    qc = json.loads((tmp_path / "pkg" / "qc.json").read_text())
    assert qc and m.qc_passed in (True, False)
    # replay from recipe.json gives identical audio
    out2 = tmp_path / "again"
    assert main(["render", m.recipe, "--out", str(out2), "--json", "--stems", "pre-master",
                 "--library-root", str(tmp_path)]) == 0
    mix2, _ = read_audio(next(out2.glob("*_mix.wav")))
    assert np.array_equal(mix, mix2)


def _sum_files(paths):
    total = None
    for path in paths:
        x, _ = read_audio(path)
        total = x if total is None else total + x
    return total


def test_post_master_stems_sum_to_the_delivered_mix(library_file, tmp_path):
    """Default export: master gain and the limiter's envelope on every stem, so the stems read
    back from 24-bit files and summed at unity equal the delivered mix within -60 dBFS (the limiter
    is made to work hard here: streaming target on a peaky recipe)."""
    from sfxgen.audio import read_ixml

    r = make_recipe(library_file)
    r.master.preset = "streaming"
    res = render_recipe(r)
    assert res.master_gain_curve is not None and res.master_gain_curve.min() < 0.9 * res.master_gain_curve.max()
    m = export_package(res, tmp_path / "post", picture=False)
    mix, _ = read_audio(m.mix)
    err = np.max(np.abs(_sum_files(m.stems.values()) - mix))
    assert 20 * np.log10(err) < -60.0
    # pre-master stems do not sum to the delivered mix (that was the trap)
    pre = export_package(res, tmp_path / "pre", picture=False, stems="pre-master")
    assert np.max(np.abs(_sum_files(pre.stems.values()) - mix)) > 0.01
    # UCS names and metadata on every file; each stem says which it is and carries its loudness
    assert all(Path(p).name.startswith(f"{m.ucs_catid}_") for p in [m.mix, *m.stems.values()])
    for name, path in m.stems.items():
        xml = read_ixml(path)
        assert "<CATID>" in xml and "<KEYWORDS>" in xml and "post-master stem" in xml and "sfxgen" in xml
        assert "<LOUDNESS_LUFS>" in xml
        assert "post-master" in read_bext(path).description
    assert "pre-master" in read_bext(pre.stems["hero"]).description
    assert "<CATID>" in read_ixml(m.mix)


def test_carve_bands_measures_masking():
    rng = np.random.default_rng(0)
    from sfxgen.dsp.filters import bandpass

    noise = rng.standard_normal((2, SR)).astype(np.float32)
    hero = bandpass(noise, SR, low_hz=800.0, high_hz=1600.0, order=4)
    same = 0.8 * bandpass(rng.standard_normal((2, SR)).astype(np.float32), SR, low_hz=900.0, high_hz=1400.0, order=4)
    elsewhere = bandpass(rng.standard_normal((2, SR)).astype(np.float32), SR, low_hz=6000.0, high_hz=9000.0, order=4)
    cuts = carve_bands(hero, same, SR)
    assert cuts and all(700 <= f <= 1800 and g < 0 for f, g in cuts)
    assert carve_bands(hero, elsewhere, SR) == []


def test_prompt_words_drive_space_and_queries():
    assert prompt_space("door in a vast echoing cavern")[1] > prompt_space("door in a small room")[1]
    assert prompt_space("a door") is None
    assert "wood" in role_query("texture", "old wooden door creaks")
    assert "cavern" in role_query("tail", "boom in a cave")
