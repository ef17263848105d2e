"""A recipe reads only what it may: file sources resolve inside the library roots or the job's
own folders, everything else is refused with one message that reveals nothing about the path;
recipes reference library files relative to the root and replay with the root remapped."""

import json
import os
import shutil

import numpy as np
import pytest

from sfxgen.audio import read_audio, write_audio
from sfxgen.errors import RecipeError
from sfxgen.layering.recipe import Layer, Recipe, Source
from sfxgen.layering.render import file_sha1, render_recipe
from sfxgen.layering.sources import REFUSED, SourceAccess, relative_source_path

SR = 48000


def _wav(path, freq=220.0):
    t = np.arange(SR // 2) / SR
    x = (0.3 * np.sin(2 * np.pi * freq * t) * np.exp(-4 * t)).astype(np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_audio(path, np.stack([x, x]), SR)


def _recipe(path, sha1=None, root=None):
    src = Source(kind="file", path=str(path), sha1=sha1, root=root)
    return Recipe(name="sec", layers=[Layer("hero", "hero", src)])


@pytest.fixture()
def dirs(tmp_path):
    lib = tmp_path / "library"
    secret = tmp_path / "secret"
    inside = _wav(lib / "sub" / "boom.wav")
    outside = _wav(secret / "private.wav", 440.0)
    return tmp_path, lib, secret, inside, outside


def _refused(recipe, access):
    with pytest.raises(RecipeError) as e:
        render_recipe(recipe, access=access)
    return str(e.value)


def test_paths_outside_the_roots_are_refused_with_one_message(dirs):
    tmp, lib, secret, inside, outside = dirs
    access = SourceAccess(roots=[str(lib)])
    assert render_recipe(_recipe(inside), access=access).master.shape[0] == 2
    msgs = {
        "absolute": _refused(_recipe(outside), access),
        "absolute missing": _refused(_recipe(secret / "nope.wav"), access),
        "dotdot": _refused(_recipe("../secret/private.wav", root=str(lib)), access),
        "dotdot abs": _refused(_recipe(str(lib / ".." / "secret" / "private.wav")), access),
        "etc": _refused(_recipe("/etc/passwd"), access),
    }
    link = lib / "innocent.wav"
    os.symlink(outside, link)
    msgs["symlink"] = _refused(_recipe(link), access)
    os.symlink(secret, lib / "dirlink")
    msgs["dir symlink"] = _refused(_recipe("dirlink/private.wav", root=str(lib)), access)
    assert len({m.split(": ", 1)[1] for m in msgs.values()}) == 1  # one message for all
    for m in msgs.values():
        assert REFUSED in m and "secret" not in m and "private" not in m and "passwd" not in m


def test_no_sha1_oracle_outside_the_library(dirs):
    tmp, lib, secret, inside, outside = dirs
    access = SourceAccess(roots=[str(lib)])
    right, wrong = file_sha1(outside), "0" * 40
    # a right and a wrong guess of the content hash (and no file at all) answer the same
    a = _refused(_recipe(outside, sha1=right), access)
    b = _refused(_recipe(outside, sha1=wrong), access)
    c = _refused(_recipe(secret / "missing.wav", sha1=right), access)
    assert a == b == c
    # inside the library, a changed file is named (the designer's own files)
    with pytest.raises(RecipeError, match="changed"):
        render_recipe(_recipe(inside, sha1=wrong), access=access)


def test_service_preview_and_export_refuse_outside_files(dirs):
    from sfxgen.service import SfxgenService

    tmp, lib, secret, inside, outside = dirs
    svc = SfxgenService(output_root=tmp / "out", library_roots=[lib], index_dir=tmp / "no_index")
    r = _recipe(outside, sha1=file_sha1(outside)).to_dict()
    for call in (lambda: svc.render_recipe(r, picture=False), lambda: svc.export(r)):
        with pytest.raises(RecipeError, match="not in the library") as e:
            call()
        assert "secret" not in str(e.value)
    ok = svc.export(_recipe(inside, sha1=file_sha1(inside)).to_dict())
    assert os.path.isfile(ok.manifest["mix"])


def test_recipes_replay_with_the_library_root_remapped(dirs, tmp_path):
    from sfxgen.cli import main

    tmp, lib, secret, inside, outside = dirs
    rel, root = relative_source_path(inside, [lib])
    assert rel == os.path.join("sub", "boom.wav") and root == os.path.realpath(lib)
    recipe = _recipe(rel, sha1=file_sha1(inside), root=root)
    before = render_recipe(recipe, access=SourceAccess(roots=[str(lib)])).master
    moved = tmp / "elsewhere" / "lib"
    shutil.move(str(lib), str(moved))  # "another machine": the root is gone
    path = tmp / "recipe.json"
    path.write_text(json.dumps(recipe.to_dict()))
    assert main(["render", str(path), "--out", str(tmp / "r1"), "--index", str(tmp / "noidx")]) == 2
    assert main(["render", str(path), "--out", str(tmp / "r2"), "--index", str(tmp / "noidx"),
                 "--library-root", str(moved)]) == 0
    mix, _ = read_audio(next((tmp / "r2").glob("*_mix.wav")))
    assert np.max(np.abs(mix - before)) < 1e-4


def test_catalogued_files_are_allowed_not_their_common_parent(dirs):
    tmp, lib, secret, inside, outside = dirs
    access = SourceAccess(roots=[], files={os.path.realpath(inside)})
    assert render_recipe(_recipe(inside), access=access).master.shape[0] == 2
    assert REFUSED in _refused(_recipe(outside), access)  # a sibling folder under the same parent
