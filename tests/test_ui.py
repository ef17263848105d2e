"""The Gradio UI: event functions, every api_name through gradio_client, served-file safety,
concurrent clients, and a real headless Chromium (Playwright) session. One app per module,
tiny hero model and the test spectral embedder (tests/service_fixtures.py)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
import torch
import gradio as gr
sys.path.insert(0, os.path.dirname(__file__))
from service_fixtures import LIBRARY_FILES, make_service  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

API_NAMES = {
    "generate", "generate_submit", "select_candidate", "edit_hero", "more_like_this", "use_as_hero",
    "library_stats", "index", "search", "search_submit", "audition", "similar", "add_layer", "design",
    "apply_layers", "recipe_table", "render_preview", "export", "download_recipe", "upload_recipe",
    "loudness", "qc", "cues", "cue_audition", "cue_reroll", "cues_zip",
    "element_mute", "element_unmute", "element_solo", "element_reroll", "element_swap",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from ui.app import launch

    torch.set_num_threads(1)
    svc, libdir = make_service(tmp_path_factory)
    app, url = launch(svc, port=_free_port(), prevent_thread_lock=True, quiet=True, search_concurrency=4,
                      max_file_size="2mb")
    yield svc, libdir, app, url.rstrip("/")
    app.close()


@pytest.fixture(scope="module")
def handlers(served):
    from ui.app import Handlers

    return Handlers(served[0])


@pytest.fixture(scope="module")
def client(served):
    from gradio_client import Client

    return Client(served[3], verbose=False)


def _val(x):
    """An output's value: events that also change a widget's label/visibility return update dicts."""
    return x["value"] if isinstance(x, dict) and x.get("__type__") == "update" else x


def _table(rows):
    from ui.app import LAYER_HEADERS

    return {"headers": LAYER_HEADERS, "data": rows, "metadata": None}


# --------------------------------------------------------------------------- event functions
def test_generate_select_edit_and_use_as_hero_handlers(handlers):
    out = handlers.generate("metal clang", "", 0.4, 2, 7, 5, 3.0, None)
    seed, status, cands = out[0], out[1], out[2]
    assert seed == 7 and len(cands) == 2 and "seeds 7–8" in status
    slots = out[3:11]
    assert slots[0]["visible"] and slots[0]["value"] == cands[0]["audio_path"]
    assert slots[4]["visible"] is False and slots[6]["visible"] is False  # slots 3, 4 hidden
    hero, choice_up = out[12], out[11]
    assert choice_up["value"] == "1" and hero == cands[0]["hero"]
    sliders = out[13:]
    assert len(sliders) == 16 and sliders[0]["label"] == "pitch"
    names = list(hero["patch"]["params"])
    assert [s.get("label").split(" (")[0] for s in sliders if s.get("visible")] == [
        n for i, n in enumerate(names) if i < 10 or not n.startswith("aux")]
    # the family's own parameters show their unit in the label and their doc and range as help
    from sfxgen.synth import FAMILIES

    own = FAMILIES[hero["patch"]["family"]].params
    for s, p in zip(sliders[10:], own):
        assert s["label"] == (p.name if p.choices else f"{p.name} ({p.unit})")
        assert s["info"].startswith(p.doc) and p.range_text() in s["info"]
    hero2, msg, *_ = handlers.select_candidate(cands, "2")
    assert hero2["seed"] == 8 and "candidate 2" in msg
    values = [float(s.get("value", 0.0)) for s in sliders]
    values[1] = 0.37  # size; the other sliders show the hero's values rounded to 2 decimals
    audio_up, img_up, edited, _ = handlers.edit_hero(hero, *values)
    assert edited["patch"]["params"]["size"] == 0.37 and Path(audio_up["value"]).is_file()
    for n, v in hero["patch"]["params"].items():  # unmoved sliders leave the exact values alone
        if n != "size":
            assert edited["patch"]["params"][n] == v
    with pytest.raises(gr.Error, match="nothing changed"):
        handlers.edit_hero(hero, *[float(s.get("value", 0.0)) for s in sliders])
    recipe_text, rows, msg, msg2 = handlers.use_as_hero("", edited)
    recipe = json.loads(recipe_text)
    assert rows[0][:2] == ["hero", "hero"] and recipe["layers"][0]["source"]["patch"]["params"]["size"] == 0.37
    with pytest.raises(gr.Error, match="prompt is empty"):
        handlers.generate("  ", "", 0.4, 1, 0, 3, 3.0, None)
    with pytest.raises(gr.Error, match="generate candidates first"):
        handlers.select_candidate([], "1")


@pytest.fixture(scope="module")
def compose_handlers(tmp_path_factory):
    """Handlers over a service whose generator is the shipped composed-hero model."""
    from sfxgen.generate import load_pipeline
    from sfxgen.service import SfxgenService
    from ui.app import Handlers

    svc = SfxgenService(generator=load_pipeline(scorer=None), output_root=tmp_path_factory.mktemp("compose-ui"))
    return Handlers(svc)


def test_element_handlers_change_one_element(compose_handlers):
    handlers = compose_handlers
    out = handlers.generate("a door opening with a hydraulic hiss", "", 0.4, 1, 3, 5, 3.0, None)
    hero = out[12]
    rows = handlers.element_rows(hero)
    assert rows and rows[0][0] == 1 and rows[0][2] == "main" and rows[0][5] == "on"
    audio_up, _, swapped, rows2, msg = handlers.element_op("swap")(hero, 1, "impact_wood", 0)
    assert rows2[0][1] == "impact_wood" and rows2[0][2] == "main" and Path(audio_up["value"]).is_file()
    assert swapped["composition"]["elements"][1:] == hero["composition"]["elements"][1:]
    assert "swap element 1" in msg
    if len(rows) > 1:
        _, _, muted, rows3, _ = handlers.element_op("mute")(hero, 2, None, 0)
        assert rows3[1][5] == "muted" and rows3[0] == rows[0]
        _, _, rolled, _, _ = handlers.element_op("reroll")(hero, 2, None, 5)
        assert rolled["composition"]["elements"][0] == hero["composition"]["elements"][0]
    with pytest.raises(gr.Error, match="element"):
        handlers.element_op("solo")(hero, 9, None, 0)


def test_library_handlers(handlers, served):
    svc, libdir = served[0], served[1]
    stats_md, fails = handlers.library_stats()
    assert f"**{len(LIBRARY_FILES)}** files" in stats_md and fails[0][0].endswith("broken_truncated.wav")
    rows, first, msg = handlers.search("wooden door slam", "meta", 3, None, None, "", "any", "")
    assert rows[0][1].startswith("DOORWood") and first == rows[0][0]
    assert all(0.0 <= r[6] <= 1.0 for r in rows)
    cards = handlers.result_cards(rows, "wooden door slam")
    assert cards.count("class='sfx-card'") == len(rows) and "<polygon" in cards and "<mark>Door</mark>" in cards
    assert "LUFS" in cards and "Find similar" in cards and "DownloadURL" in cards and "<audio" in cards
    rows, _, _ = handlers.search("boom", "hybrid", 10, 0.5, 2.0, "DESIGNED", "2", "")
    assert rows and all(r[2].startswith("DESIGNED") for r in rows)
    audio_up, meta = handlers.audition(first)
    assert Path(audio_up["value"]).is_file() and meta["file"].endswith(".wav")
    sim_rows, _, _ = handlers.similar(first, 3)
    assert first not in [r[0] for r in sim_rows]
    text, layer_rows, msg, _ = handlers.add_layer("", first, "texture")
    assert layer_rows[0][1] == "texture" and "texture" in msg
    with pytest.raises(gr.Error, match="select a result first"):
        handlers.add_layer("", None, "texture")
    with pytest.raises(gr.Error, match="no such file or folder"):
        handlers.index_folder("/no/such/folder")
    ticks = []
    extra = libdir / "more"
    extra.mkdir(exist_ok=True)
    from sfxgen.audio import write_audio

    write_audio(extra / "tone_hum_low.wav", np.tile(np.sin(np.arange(48000) * 0.02).astype(np.float32) * 0.3, (2, 1)),
                48000)
    stats_md, fails, status = handlers.index_folder(str(libdir), progress=lambda *a, **k: ticks.append((a, k)))
    assert "Indexed 1 new/changed" in status and f"**{len(LIBRARY_FILES) + 1}** files" in stats_md
    assert fails[0][0].endswith("broken_truncated.wav")
    done = [a[0] for a, _ in ticks if isinstance(a[0], tuple)]
    assert done and done[-1][0] == done[-1][1]  # the bar reached the total


def test_layer_tab_handlers(handlers, tmp_path):
    text, rows, msg = handlers.design("heavy metal clang in a hall", 2, 3, "ebu-r128", 0.8)
    assert len(rows) == 3 and "Designed" in msg
    rows[1][3] = -9.0
    rows[1][7] = "highpass 150Hz"
    text2, rows2, _ = handlers.apply_layers(text, rows, "atsc-a85")
    r2 = json.loads(text2)
    assert r2["master"]["preset"] == "atsc-a85" and r2["layers"][1]["gain_db"] == -9.0
    assert r2["layers"][1]["eq"][0]["type"] == "highpass"
    assert handlers.recipe_table(text2) == rows2
    text3, _, mix, meter, qc_text, pic = handlers.render_preview(text2, rows2, "streaming")
    assert Path(mix).is_file() and Path(pic).is_file() and "LUFS" in meter and "-14" in meter and qc_text
    zip_path, qc2, status = handlers.export(text3, rows2, "streaming")
    assert zipfile.is_zipfile(zip_path) and "Exported" in status
    saved = handlers.download_recipe(text3, rows2, "streaming")
    text4, rows4, _ = handlers.upload_recipe(saved)
    assert json.loads(text4) == json.loads(text3)
    with pytest.raises(gr.Error, match="recipe is empty"):
        handlers.render_preview("", [], "ebu-r128")
    bad = [list(r) for r in rows2]
    bad[0][7] = "wobble 3Hz"
    with pytest.raises(gr.Error, match="unknown type"):
        handlers.apply_layers(text2, bad, "ebu-r128")
    meter = handlers.loudness(mix, "streaming")
    assert "Integrated" in meter and "| pass |" in meter
    assert "streaming" in handlers.qc(mix, "streaming")


# --------------------------------------------------------------------------- HTTP API
def test_every_api_name_is_listed(client):
    api = client.view_api(return_format="dict", print_info=False)
    names = {k.lstrip("/") for k in api["named_endpoints"]}
    assert names == API_NAMES


def test_each_api_name_through_gradio_client(client, served, tmp_path):
    from gradio_client import handle_file

    svc, libdir = served[0], served[1]
    gen_args = ("wind howling", "", 0.4, 2, 11, 4, 3.0, svc.default_model)
    for api in ("generate", "generate_submit"):
        out = client.predict(*gen_args, api_name=f"/{api}")
        assert out[0] == 11 and len(out[2]) == 2 and Path(_val(out[3])).is_file()
    cands = out[2]
    hero, msg, *sliders = client.predict(cands, "2", api_name="/select_candidate")
    assert hero["seed"] == 12
    values = [float(v) for v in cands[1]["params"].values()]
    values[2] = -0.63  # brightness
    audio, img, edited, _ = client.predict(hero, *values, api_name="/edit_hero")
    assert Path(_val(audio)).is_file() and edited["patch"]["params"]["brightness"] == -0.63
    more = client.predict(edited, "", 0.3, 2, 5, 4, 3.0, api_name="/more_like_this")
    assert more[0] == 5 and len(more[2]) == 2
    recipe_text, table, _, _ = client.predict("", edited, api_name="/use_as_hero")
    assert json.loads(recipe_text)["layers"][0]["role"] == "hero"

    stats_md, fails = client.predict(api_name="/library_stats")
    assert "files indexed" in stats_md
    idx_stats, idx_fails, idx_msg = client.predict(str(libdir), api_name="/index")
    assert "unchanged" in idx_msg and idx_fails["data"][0][0].endswith("broken_truncated.wav")
    for api in ("search", "search_submit"):
        res, first, _ = client.predict("metal clang", "meta", 5, None, None, "", "any", "", api_name=f"/{api}")
        assert res["data"][0][1].startswith("METLImpt") and first == res["data"][0][0]
    audition, meta = client.predict(first, api_name="/audition")
    assert Path(_val(audition)).is_file() and meta["file"].endswith(res["data"][0][1])
    sim, _, _ = client.predict(first, 3, api_name="/similar")
    assert len(sim["data"]) == 3
    recipe_text, table, _, _ = client.predict(recipe_text, first, "body", api_name="/add_layer")
    assert [r[1] for r in table["data"]] == ["hero", "body"]

    d_text, d_table, _ = client.predict("metal door slam", 1, 2, "ebu-r128", 0.6, api_name="/design")
    assert len(d_table["data"]) == 2
    rows = d_table["data"]
    rows[1][3] = -3.0
    a_text, a_table, _ = client.predict(d_text, _table(rows), "game-mobile", api_name="/apply_layers")
    assert json.loads(a_text)["layers"][1]["gain_db"] == -3.0
    t = client.predict(a_text, api_name="/recipe_table")
    assert t["data"] == a_table["data"]
    _, _, mix, meter, qc_text, pic = client.predict(a_text, a_table, "game-mobile", api_name="/render_preview")
    assert Path(mix).is_file() and "-18" in meter and "game-mobile" in qc_text
    zip_path, qc_text, status = client.predict(a_text, a_table, "game-mobile", api_name="/export")
    with zipfile.ZipFile(zip_path) as z:
        assert any(n.endswith("_mix.wav") for n in z.namelist())
    rpath = client.predict(a_text, a_table, "game-mobile", api_name="/download_recipe")
    up_text, _, _ = client.predict(handle_file(rpath), api_name="/upload_recipe")
    assert json.loads(up_text) == json.loads(Path(rpath).read_text())
    meter = client.predict(handle_file(mix), "game-mobile", api_name="/loudness")
    assert "Integrated" in meter
    qc = client.predict(handle_file(mix), "game-mobile", api_name="/qc")
    assert "game-mobile" in qc


def test_errors_reach_api_clients_as_messages(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="prompt is empty"):
        client.predict("", "", 0.4, 1, 1, 3, 3.0, None, api_name="/generate")


# --------------------------------------------------------------------------- serving safety
def test_served_files_are_limited_to_allowed_paths(served, client):
    import httpx

    svc, libdir, app, url = served
    out = client.predict("rain", "", 0.3, 1, 1, 3, 3.0, None, api_name="/generate")
    cand = out[2][0]["audio_path"]  # a file in the service's output folder (an allowed path)
    ok = httpx.get(f"{url}/gradio_api/file={cand}")
    assert ok.status_code == 200 and ok.content[:4] == b"RIFF"
    lib_file = libdir / LIBRARY_FILES[0][0]
    assert httpx.get(f"{url}/gradio_api/file={lib_file}").status_code == 200
    secret = Path(svc.output_root).parent / "secret.txt"
    secret.write_text("do not serve")
    repo_file = Path(__file__).resolve().parents[1] / "pyproject.toml"
    attempts = [
        "/etc/passwd",
        str(repo_file),
        str(secret),
        f"{svc.output_root}/../secret.txt",
        f"{svc.output_root}/%2e%2e/secret.txt",
        f"{libdir}/../../secret.txt",
        "../../../../etc/passwd",
        "..%2f..%2f..%2fetc%2fpasswd",
    ]
    for target in attempts:
        r = httpx.get(f"{url}/gradio_api/file={target}")
        assert r.status_code in (403, 404), (target, r.status_code)
        assert b"do not serve" not in r.content and b"root:" not in r.content


def test_uploads_over_the_size_limit_are_refused(served, tmp_path):
    import httpx

    url = served[3]
    small = tmp_path / "small.json"
    small.write_text("{}")
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (3 * 1024 * 1024))
    ok = httpx.post(f"{url}/gradio_api/upload", files={"files": small.open("rb")})
    assert ok.status_code == 200
    r = httpx.post(f"{url}/gradio_api/upload", files={"files": big.open("rb")})
    assert r.status_code == 413


def test_twenty_concurrent_clients_five_requests_each(served):
    from gradio_client import Client

    url = served[3]
    errors, answers = [], []
    lock = threading.Lock()
    queries = ["metal clang", "rain", "wind", "door slam", "sparks"]

    def user(k):
        try:
            c = Client(url, verbose=False)
            for q in queries:
                res, first, msg = c.predict(q, "meta", 3, None, None, "", "any", "", api_name="/search")
                with lock:
                    answers.append((k, q, len(res["data"])))
        except Exception as exc:  # noqa: BLE001 - collected and reported below
            with lock:
                errors.append(repr(exc))

    threads = [threading.Thread(target=user, args=(k,)) for k in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors[:3]
    assert len(answers) == 100 and all(n == 3 for _, _, n in answers)


# --------------------------------------------------------------------------- real browser
@pytest.mark.browser
def test_browser_generate_and_export_zip(served, tmp_path):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`apt-get install chromium`; .ci/run does this)")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        pytest.fail("the playwright Python package is missing: pip install -e '.[test]' "
                    "(it drives the system chromium)")

    url = served[3]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(accept_downloads=True, viewport={"width": 1400, "height": 1000})
            page.goto(url)
            page.locator("#prompt textarea").fill("heavy metal clang")
            page.locator("#duration input[type=number]").fill("0.5")
            page.locator("#duration input[type=number]").press("Enter")
            page.locator("#generate-btn").click()
            player = page.locator("#cand-audio-1 audio, #cand-audio-1 .waveform-container").first
            expect(player).to_be_attached(timeout=120_000)
            expect(page.locator("#used-seed input")).not_to_have_value("", timeout=30_000)
            page.locator("#use-hero-btn").click()
            page.get_by_role("tab", name="Layer & export").click()
            expect(page.locator("#layers-table")).to_contain_text("hero", timeout=60_000)
            page.locator("#export-btn").click()
            link = page.locator("#export-file a").first
            expect(link).to_be_visible(timeout=120_000)
            with page.expect_download(timeout=60_000) as dl:
                link.click()
            target = tmp_path / "package.zip"
            dl.value.save_as(target)
        finally:
            browser.close()
    with zipfile.ZipFile(target) as z:
        names = z.namelist()
    assert any(n.endswith("_mix.wav") for n in names) and any(n.endswith("recipe.json") for n in names)
    assert any("_stem_hero" in n for n in names)


def test_cue_sheet_tab_through_the_api(client, served, tmp_path):
    """Upload a sheet, conform it, audition a cue, re-roll it, download the zip; foreign job
    folders are refused."""
    from gradio_client import handle_file
    from gradio_client.exceptions import AppError

    sheet = tmp_path / "reel.csv"
    sheet.write_text("cue_id,tc_in,tc_out,track,description,source\n"
                     "FX1,01:00:00:12,01:00:02:00,FX,metal door slam,generate\n"
                     "BG1,01:00:00:00,01:00:06:00,BG,rain on a roof,generate\n")
    job_dir, table, status, cue = client.predict(handle_file(str(sheet)), "25", "ebu-r128", None, None, 3,
                                                 api_name="/cues")
    assert [r[0] for r in table["data"]] == ["FX1", "BG1"] and "Conformed" in status
    assert Path(job_dir, "stem_FX.wav").is_file() and Path(job_dir, "session.aaf").is_file()
    clip = client.predict(job_dir, "BG1", api_name="/cue_audition")
    assert Path(_val(clip)).is_file()
    table2, status2, audio = client.predict(job_dir, "FX1", "next candidate", api_name="/cue_reroll")
    rows = {r[0]: r for r in table2["data"]}
    assert rows["FX1"][5] == 2 and rows["BG1"][5] == 1 and "re-rolled: FX1" in status2
    zpath = client.predict(job_dir, api_name="/cues_zip")
    with zipfile.ZipFile(_val(zpath)) as z:
        assert any(n.endswith("stem_BG.wav") for n in z.namelist())
    with pytest.raises(AppError, match="not one this service made"):
        client.predict(str(tmp_path), "FX1", api_name="/cue_audition")
