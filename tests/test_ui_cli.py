"""``sfxgen ui`` / ``sfxgen demo``: first-run starter library, auth, serving, printed URL.

The embedded models are swapped for the tiny test ones by wrapping the service class; the
command's own code (argument mapping, starter build + index, launch, URL) runs for real.
"""

from __future__ import annotations

import os
import socket
import sys

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
import torch
sys.path.insert(0, os.path.dirname(__file__))
from service_fixtures import tiny_hero_dir  # noqa: E402

from sfxgen.cli import main  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def test_models(monkeypatch, tmp_path_factory):
    """Make the command's SfxgenService use the tiny hero model and the test embedder."""
    import sfxgen.service as service_mod
    from library_test_embedder import SpectralTestEmbedder

    from sfxgen.generate.pipeline import HeroPipeline

    torch.set_num_threads(1)
    gen = HeroPipeline.from_pretrained(tiny_hero_dir(tmp_path_factory), scorer=None)
    real = service_mod.SfxgenService

    def make(**kw):
        kw.pop("default_model", None)
        return real(generator=gen, embedder=SpectralTestEmbedder(), **kw)

    monkeypatch.setattr(service_mod, "SfxgenService", make)
    return gen


def test_bad_auth_and_help(capsys):
    with pytest.raises(SystemExit) as e:
        main(["ui", "--auth", "nopassword"])
    assert e.value.code == 2 and "USER:PASS" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    assert "--library" in capsys.readouterr().out


def test_demo_first_run_indexes_starter_then_serves_with_auth(test_models, tmp_path, monkeypatch, capsys):
    import httpx
    import gradio as gr

    monkeypatch.setenv("SFXGEN_CACHE_DIR", str(tmp_path / "cache"))
    seen = {}

    def block_thread(self):  # instead of serving forever: check the live server, then return
        url = self.local_url.rstrip("/")
        seen["page"] = httpx.get(url + "/", follow_redirects=True).status_code
        seen["config"] = httpx.get(url + "/config").status_code
        with httpx.Client() as c:
            r = c.post(url + "/login", data={"username": "sam", "password": "s3cret"})
            seen["login"] = r.status_code
            seen["config_after_login"] = c.get(url + "/config").status_code

    monkeypatch.setattr(gr.Blocks, "block_thread", block_thread)
    port = _free_port()
    rc = main(["demo", "--index", str(tmp_path / "index"), "--out", str(tmp_path / "out"), "--port", str(port),
               "--starter-size", "3", "--auth", "sam:s3cret"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "starter library: 3 files indexed" in out and f"http://127.0.0.1:{port}" in out
    assert (tmp_path / "cache" / "starter").is_dir()
    assert seen["config"] in (401, 403) and seen["login"] == 200 and seen["config_after_login"] == 200
    # second run: the index already has files, no starter rebuild
    port = _free_port()
    rc = main(["ui", "--index", str(tmp_path / "index"), "--out", str(tmp_path / "out"), "--port", str(port)])
    out = capsys.readouterr().out
    assert rc == 0 and "starter library" not in out and "library: 3 files" in out


def test_ui_indexes_given_library_and_reports_failures(test_models, tmp_path, monkeypatch, capsys):
    import gradio as gr
    from service_fixtures import LIBRARY_FILES, make_library_folder

    monkeypatch.setenv("SFXGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(gr.Blocks, "block_thread", lambda self: None)
    lib = make_library_folder(tmp_path / "lib")
    rc = main(["ui", "--library", str(lib), "--index", str(tmp_path / "index"), "--port", str(_free_port())])
    cap = capsys.readouterr()
    assert rc == 0 and f"{len(LIBRARY_FILES)} new/changed" in cap.out and "1 failed" in cap.out
    assert "broken_truncated.wav" in cap.err and not (tmp_path / "cache" / "starter").exists()
