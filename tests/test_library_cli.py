"""`sfxgen index/search/similar` end to end in subprocesses, including kill -9 mid-run.

The subprocesses load the real ``sfxgen-clap-small`` code path from a tiny random-weight model
directory written here (``--model DIR``), so the CLI, the default embedder class, the worker
front end and the crash recovery are exercised together. Ranking quality is tested elsewhere.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import torch

from sfxgen.audio import write_audio  # noqa: E402
from sfxgen.embed.clap_small import ClapSmall, ClapSmallConfig, save_pretrained  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SR = 48000
N_FILES = 40


def _env(**extra):
    env = dict(os.environ)
    env.update(OMP_NUM_THREADS="1", PYTHONPATH=str(REPO), HF_HUB_OFFLINE="1", **extra)
    return env


def _sfxgen(*args, **env):
    return subprocess.run([sys.executable, "-m", "sfxgen", *args], capture_output=True, text=True, env=_env(**env),
                          cwd=REPO, timeout=300)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    model_dir = tmp_path_factory.mktemp("tiny_clap")
    torch.manual_seed(0)
    save_pretrained(ClapSmall(ClapSmallConfig(channels=(8, 16, 16, 32), blocks_per_stage=1, head_dim=32, embed_dim=24)),
                    model_dir, fp16=False)
    root = tmp_path_factory.mktemp("cli_lib")
    rng = np.random.default_rng(0)
    t = np.arange(int(0.5 * SR)) / SR
    for i in range(N_FILES):
        f = 60 * 1.1 ** i
        x = (0.3 * np.sin(2 * np.pi * f * t) + 0.01 * rng.standard_normal(len(t))).astype(np.float32)
        name = ("DOORWood_Door Slam %02d_ACME_LIB.wav" if i % 2 else "WATRDrip_Water Drip %02d_ACME_LIB.wav") % i
        write_audio(root / name, x[None], SR)
    (root / "broken.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    return {"model": str(model_dir), "root": root, "idx": tmp_path_factory.mktemp("cli_idx") / "index"}


def _ok_rows(idx: Path) -> int:
    try:
        with sqlite3.connect(idx / "catalog.sqlite", timeout=5) as c:
            return c.execute("SELECT COUNT(*) FROM files WHERE status='ok'").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_kill_9_mid_run_then_resume(setup):
    idx, root, model = setup["idx"], setup["root"], setup["model"]
    cmd = [sys.executable, "-m", "sfxgen", "index", str(root), "--index", str(idx), "--model", model,
           "--batch-size", "4", "--json"]
    proc = subprocess.Popen(cmd, env=_env(SFXGEN_INDEX_SLOWDOWN_S="0.15"), cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 240
    while _ok_rows(idx) < 8 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.1)
    assert proc.poll() is None, f"indexer ended before it could be killed: {proc.communicate()}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    committed = _ok_rows(idx)
    assert 8 <= committed < N_FILES

    from sfxgen.embed import get_embedder
    from sfxgen.library import Library

    lib = Library.open(idx, create=False, embedder=get_embedder(model))
    assert lib.consistency() == {"audio": {"missing": [], "extra": []}, "meta": {"missing": [], "extra": []}}
    assert lib.audio_store.count == committed == lib.meta_store.count
    lib.close()

    r = _sfxgen("index", str(root), "--index", str(idx), "--model", model, "--json")
    assert r.returncode == 1, r.stderr  # the broken file is reported
    summary = json.loads(r.stdout)
    assert summary["unchanged"] == committed
    assert summary["indexed"] == N_FILES - committed
    assert summary["removed"] == 0
    assert summary["failed"] == [{"path": str(root / "broken.wav"), "error": summary["failed"][0]["error"]}]
    assert "truncated" in summary["failed"][0]["error"] or "audio" in summary["failed"][0]["error"]
    assert set(summary) >= {"indexed", "unchanged", "removed", "failed"}

    lib = Library.open(idx, create=False, embedder=get_embedder(model))
    assert lib.stats().ok == N_FILES and lib.audio_store.count == N_FILES
    assert lib.consistency()["audio"] == {"missing": [], "extra": []}
    lib.close()

    # a third run touches nothing
    summary = json.loads(_sfxgen("index", str(root), "--index", str(idx), "--model", model, "--json").stdout)
    assert (summary["indexed"], summary["unchanged"], summary["audio_embedded"]) == (0, N_FILES, 0)


def test_search_and_similar_json(setup):
    idx, model = setup["idx"], setup["model"]
    if not (idx / "catalog.sqlite").exists():
        r = _sfxgen("index", str(setup["root"]), "--index", str(idx), "--model", model, "--json")
        assert r.returncode in (0, 1), r.stderr
    r = _sfxgen("search", "water drip", "--index", str(idx), "--model", model, "--json", "--top", "5", "--mode", "meta")
    assert r.returncode == 0, r.stderr
    hits = json.loads(r.stdout)
    assert len(hits) == 5
    for h in hits:
        assert {"path", "score", "duration_s", "category", "description", "id"} <= set(h)
        assert h["category"] == "WATER"
    r = _sfxgen("search", "door", "--index", str(idx), "--model", model, "--json", "--category", "DOORWood",
                "--max-duration", "1", "--mode", "audio")
    hits = json.loads(r.stdout)
    assert len(hits) == 10 and all(h["category"] == "DOORS" and h["meta_score"] is None for h in hits)
    r = _sfxgen("similar", str(hits[0]["id"]), "--index", str(idx), "--model", model, "--json", "--top", "3")
    sim = json.loads(r.stdout)
    assert r.returncode == 0 and len(sim) == 3 and hits[0]["id"] not in [h["id"] for h in sim]
    r = _sfxgen("search", "door", "--index", str(idx))  # default model differs from the index's
    assert r.returncode == 2 and "error:" in r.stderr


def test_search_missing_index_is_a_clear_error(tmp_path):
    r = _sfxgen("search", "door", "--index", str(tmp_path / "nothing"), "--mode", "meta")
    assert r.returncode == 2 and "no library index" in r.stderr
