"""Shared training plumbing: device choice, seeding, resumable checkpoints, thread limits.

Kept free of any model specifics so every trainer (``train clap``, ``train hero``) uses the
same conventions: a checkpoint is one ``.pt`` file holding ``{"step", "model", "optimizer",
"scheduler", "rng", "extra"}``, written to a temp file and renamed so an interrupted save
never destroys the previous one.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import numpy as np

from sfxgen.errors import ModelError, ParameterError


def pick_device(requested: str | None = None):
    """``torch.device`` for ``requested`` ("cpu", "cuda", "cuda:1", "mps") or the best available.

    ``None``/"auto" picks CUDA when present, then Apple MPS, else CPU. Asking for a device that
    is not there raises :class:`ParameterError` rather than silently training on the CPU.
    """
    import torch

    if requested in (None, "", "auto"):
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    dev = torch.device(requested)
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ParameterError(f"device {requested!r} requested but no CUDA GPU is available")
    if dev.type == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise ParameterError(f"device {requested!r} requested but Apple MPS is not available")
    return dev


def set_threads(n: int | None) -> None:
    """Limit torch intra-op threads (``None`` leaves the default). On a shared 2-core machine
    oversubscription makes training 10-50x slower, so trainers set this explicitly."""
    if n:
        import torch

        torch.set_num_threads(int(n))


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and torch (CPU and CUDA) RNGs for reproducible runs."""
    import torch

    random.seed(seed)
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


def rng_state() -> dict[str, Any]:
    """Snapshot of every RNG a trainer uses, for bit-for-bit resume."""
    import torch

    state = {"python": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict[str, Any]) -> None:
    import torch

    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def save_checkpoint(path, *, step: int, model, optimizer=None, scheduler=None, extra: dict | None = None) -> Path:
    """Write a resumable checkpoint atomically (temp file + rename). Returns the path."""
    import torch

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "step": int(step),
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict() if optimizer is not None else None,
        "scheduler": scheduler.state_dict() if scheduler is not None else None,
        "rng": rng_state(),
        "extra": extra or {},
    }
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    torch.save(payload, tmp)
    os.replace(tmp, path)
    return path


def load_checkpoint(path, *, model, optimizer=None, scheduler=None, map_location="cpu", restore_rng: bool = True) -> dict:
    """Restore model (and optimizer/scheduler/RNG) state from :func:`save_checkpoint` output.

    Returns the payload (``step`` and ``extra`` included). A missing or unreadable file raises
    :class:`ModelError` naming the file.
    """
    import torch

    path = Path(path)
    if not path.is_file():
        raise ModelError(f"{path}: checkpoint not found")
    try:
        payload = torch.load(path, map_location=map_location, weights_only=False)
        model.load_state_dict(payload["model"])
    except (RuntimeError, KeyError, EOFError, OSError) as exc:
        raise ModelError(f"{path}: cannot resume from this checkpoint ({exc})") from exc
    if optimizer is not None and payload.get("optimizer") is not None:
        optimizer.load_state_dict(payload["optimizer"])
    if scheduler is not None and payload.get("scheduler") is not None:
        scheduler.load_state_dict(payload["scheduler"])
    if restore_rng and payload.get("rng"):
        set_rng_state(payload["rng"])
    return payload


def latest_checkpoint(run_dir) -> Path | None:
    """``run_dir/last.pt`` if it exists (the file trainers overwrite every save), else None."""
    p = Path(run_dir) / "last.pt"
    return p if p.is_file() else None


def progress(iterable=None, *, total: int | None = None, desc: str = "", disable: bool = False):
    """A tqdm progress bar (quiet when ``disable``)."""
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, disable=disable, dynamic_ncols=True)
