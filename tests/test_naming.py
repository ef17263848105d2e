"""One naming rule (sfxgen.naming) for generate, design and the UI; exported files are readable
by others (0644) and packages carry no absolute server paths."""

from __future__ import annotations

import json
import os
import stat
import zipfile

import numpy as np
import pytest

from sfxgen.naming import MAX_STEM_CHARS, file_stem, fx_name, ucs_stem


@pytest.mark.parametrize("prompt, stem", [
    ("Huge metal door SLAM, in a cathedral!", "huge_metal_door_slam_in_a_cathedral"),
    ("  café  crème   pour ", "cafe_creme_pour"),
    ("!!!", "sfx"),
    ("", "sfx"),
    ("a" * 60, "a" * MAX_STEM_CHARS),
])
def test_file_stem(prompt, stem):
    assert file_stem(prompt) == stem


def test_file_stem_never_cuts_a_word():
    prompt = "enormous reverberant industrial warehouse shutter door slamming closed"
    stem = file_stem(prompt)
    assert len(stem) <= MAX_STEM_CHARS and prompt.replace(" ", "_").startswith(stem + "_")
    assert file_stem(prompt, max_chars=20) == "enormous_reverberant"


def test_permissions_and_portable_manifest(tmp_path):
    from sfxgen.audio import write_audio
    from sfxgen.export import write_text_atomic
    from sfxgen.paths import portable

    wav = write_audio(tmp_path / "x.wav", np.zeros((2, 4800), np.float32), 48000)
    txt = write_text_atomic(tmp_path / "x.json", "{}")
    for p in (wav, txt):
        assert stat.S_IMODE(p.stat().st_mode) == 0o644
    m = {"out_dir": str(tmp_path), "mix": str(wav), "stems": {"a": str(tmp_path / "s" / "a.wav")},
         "other": "/srv/elsewhere/lib", "n": 3, "rel": "keep/me"}
    assert portable(m, tmp_path) == {"out_dir": ".", "mix": "x.wav", "stems": {"a": "s/a.wav"},
                                     "other": "lib", "n": 3, "rel": "keep/me"}


def test_generate_and_ui_name_a_candidate_alike(tmp_path):
    from sfxgen.generate.base import HeroCandidate, HeroResult
    from sfxgen.generate.cli import save_result
    from sfxgen.service import SfxgenService

    prompt = "Heavy wooden door slam, in a large stone hall with a long tail"
    res = HeroResult(prompt=prompt, negative_prompt=None, model_id="m", duration_s=0.1, num_inference_steps=1,
                     guidance_scale=1.0,
                     candidates=[HeroCandidate(audio=np.full((2, 4800), 0.1, np.float32), sample_rate=48000, seed=3)])
    files = save_result(res, tmp_path / "cli")
    assert files[0]["path"].endswith(f"/{file_stem(prompt)}_s3.wav")
    svc = SfxgenService(output_root=tmp_path / "srv")
    out = svc.new_request_dir("generate")
    info = svc._candidate_files(res.candidates[0], 0, out, prompt=prompt, model_id="m", title="t")
    assert info.audio_path.endswith(f"/{file_stem(prompt)}_s3.wav")
    recipe = svc.use_as_hero(None, {**info.hero, "patch": None})
    assert recipe["name"] == file_stem(prompt)
    # the downloadable package: readable files, no server paths inside
    ex = svc.export(recipe)
    assert stat.S_IMODE(os.stat(ex.zip_path).st_mode) == 0o644
    with zipfile.ZipFile(ex.zip_path) as z:
        members = z.namelist()
        for info in z.infolist():
            assert (info.external_attr >> 16) & 0o777 == 0o644, info.filename
        texts = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".json", ".txt"))}
    assert any(n.endswith("manifest.json") for n in texts)
    for name, text in texts.items():  # (a recipe's file sources still name their file: it replays from it)
        assert name.endswith("recipe.json") or str(tmp_path) not in text, name
    manifest = json.loads(next(t for n, t in texts.items() if n.endswith("manifest.json")))
    # delivered files are UCS-named around the same stem
    assert manifest["mix"] == f"{ucs_stem('DOORWood', prompt, stem=file_stem(prompt))}_mix.wav"
    assert manifest["mix"].startswith("DOORWood_Heavy Wooden Door Slam In A Large Stone_sfxgen_heavy-wooden-")
    assert manifest["mix"].split("_")[0] == manifest["ucs_catid"]
    assert manifest["out_dir"] == "." and not manifest["mix"].startswith("/")
    assert any(m.endswith("/" + manifest["mix"]) for m in members)  # relative to the package folder


def test_fx_name_whole_words_title_case():
    assert fx_name("Heavy wooden door SLAM, in a large stone hall") == "Heavy Wooden Door Slam In A Large Stone"
    assert len(fx_name("word " * 30)) <= 40 and not fx_name("word " * 30).endswith(" ")
    assert fx_name("porte qui grince, l'été") == "Porte Qui Grince L'été"
    assert fx_name("!!!") == "Untitled"
    assert fx_name("x" * 80) == "X" + "x" * 39
    assert ucs_stem("DOORWood", "door slam", stem="door_slam") == "DOORWood_Door Slam_sfxgen_door-slam"
