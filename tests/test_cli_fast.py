"""The CLI answers at once: heavy modules load only in the commands that need them, and cheap
checks (empty or over-long prompt, missing files) come before any model loads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "transformers", "gradio", "faiss", "matplotlib", "diffusers", "scipy")


def _run(code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter; it prints the heavy modules it ended up importing."""
    prog = ("import sys, json\n" + code + "\n"
            f"print('LOADED=' + json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)


def _loaded(proc) -> list[str]:
    line = next(x for x in proc.stdout.splitlines() if x.startswith("LOADED="))
    return json.loads(line[len("LOADED="):])


def _cli(args: list[str]) -> str:
    return ("from sfxgen.cli import main\n"
            f"rc = main({args!r})\n"
            "print('RC=' + str(rc))")


def test_import_and_help_load_nothing_heavy():
    proc = _run("import sfxgen.cli\ntry:\n    sfxgen.cli.main(['--help'])\nexcept SystemExit:\n    pass")
    assert proc.returncode == 0, proc.stderr
    assert "generate" in proc.stdout and "search" in proc.stdout
    assert _loaded(proc) == []


@pytest.mark.parametrize("args, message", [
    (["generate", "", "--out", "OUT"], "prompt is empty"),
    (["generate", "x" * 1001, "--out", "OUT"], "prompt is too long"),
    (["generate", "door", "--negative", "y" * 1001, "--out", "OUT"], "negative prompt is too long"),
    (["generate", "door", "--model", "/no/such/model", "--out", "OUT"], "model folder not found"),
    (["loudness", "/no/such/file.wav"], "/no/such/file.wav"),
    (["design", " ", "--out", "OUT"], "prompt is empty"),
    (["design", "x" * 1001, "--out", "OUT"], "prompt is too long"),
])
def test_bad_input_is_one_line_before_any_model_loads(args, message, tmp_path):
    args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    proc = _run(_cli(args))
    assert proc.returncode == 0, proc.stderr
    assert "RC=0" not in proc.stdout
    errors = [x for x in proc.stderr.splitlines() if x.strip()]
    assert len(errors) == 1 and errors[0].startswith("error: ") and message in errors[0]
    assert not {"torch", "transformers", "diffusers", "faiss"} & set(_loaded(proc))


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    from sfxgen.library import Library

    d = tmp_path_factory.mktemp("fastlib")
    files = d / "files"
    files.mkdir()
    sr, t = 48000, np.arange(48000) / 48000
    for i, name in enumerate(["DOORWood_Heavy Wooden Door Slam_T_L.wav", "RAINGen_Light Rain On Roof_T_L.wav"]):
        x = (0.3 * np.sin(2 * np.pi * (100 + 300 * i) * t) * np.exp(-3 * t)).astype(np.float32)
        sf.write(str(files / name), np.stack([x, x], 1), sr, subtype="PCM_24")
    with Library.open(d / "index", create=True) as lib:
        lib.index([files], progress=False)
    return d / "index"


def test_meta_search_loads_no_audio_model_and_hybrid_no_torch(small_index):
    meta = _run(_cli(["search", "wooden door", "--mode", "meta", "--index", str(small_index)]))
    assert meta.returncode == 0 and "RC=0" in meta.stdout, meta.stderr
    assert "Heavy Wooden Door Slam" in meta.stdout.splitlines()[1]
    assert not {"torch", "transformers", "scipy"} & set(_loaded(meta))
    hybrid = _run(_cli(["search", "wooden door", "--index", str(small_index)]))
    assert hybrid.returncode == 0 and "RC=0" in hybrid.stdout, hybrid.stderr
    assert "Heavy Wooden Door Slam" in hybrid.stdout.splitlines()[1]
    assert not {"torch", "transformers"} & set(_loaded(hybrid))
    empty = _run(_cli(["search", "  ", "--index", str(small_index)]))
    assert "error: the search text is empty" in empty.stderr and "RC=2" in empty.stdout


def test_loudness_command_does_not_import_scipy_signal(tmp_path):
    """``scipy.signal`` alone costs ~0.75 s of start-up: the meter (K-filter, true-peak FIR) and
    the streamed file reader do without it, and still measure."""
    p = tmp_path / "tone.wav"
    t = np.arange(48000 * 10) / 48000
    x = (0.1 * np.sin(2 * np.pi * 997 * t)).astype(np.float32)
    sf.write(str(p), np.stack([x, x], 1), 48000, subtype="PCM_24")
    proc = _run(_cli(["loudness", str(p), "--json"]) + "\nprint('SIGNAL=' + str('scipy.signal' in sys.modules))")
    assert proc.returncode == 0, proc.stderr
    assert "RC=0" in proc.stdout and "SIGNAL=False" in proc.stdout
    report = json.loads(proc.stdout[proc.stdout.index("{"): proc.stdout.rindex("}") + 1])
    assert report["integrated_lufs"] == pytest.approx(-20.0, abs=0.05)  # 1 kHz at -20 dBFS peak, both channels


@pytest.mark.parametrize("torch_loaded", [False, True])
def test_executable_flushes_output_runs_exit_handlers_and_keeps_the_exit_code(torch_loaded, tmp_path):
    """``sfxgen`` (``cli.run``) skips the interpreter's module teardown once torch is loaded
    (0.4-0.9 s): what the command printed, the exit handlers and the exit code must survive it."""
    marker = tmp_path / "atexit.txt"
    prog = ("import atexit, sys\n"
            + ("import torch\n" if torch_loaded else "")
            + f"atexit.register(lambda: open({str(marker)!r}, 'w').write('ran'))\n"
            "sys.argv = ['sfxgen'] + sys.argv[1:]\n"
            "from sfxgen.cli import run\n"
            "run()\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    ok = subprocess.run([sys.executable, "-c", prog, "presets", "--json"], capture_output=True, text=True, env=env,
                        timeout=300)
    assert ok.returncode == 0, ok.stderr
    assert {p["name"] for p in json.loads(ok.stdout)} >= {"ebu-r128", "atsc-a85"}  # every byte arrived
    assert marker.read_text() == "ran"
    bad = subprocess.run([sys.executable, "-c", prog, "loudness", str(tmp_path / "missing.wav")], capture_output=True,
                         text=True, env=env, timeout=300)
    assert bad.returncode != 0 and "missing.wav" in bad.stderr and bad.stdout == ""
