"""Editing a hero's patch by parameter name.

Values are normalised in [-1, 1] (see :mod:`sfxgen.synth.patch`: -1 = tiny/dark/dry/close,
+1 = huge/bright/vast/far). A number (or numeric string, ``"-0.9"``) sets the slot; a string
``"+=0.3"`` or ``"-=0.3"`` moves it relative to its current value. Results are clipped to [-1, 1].
"""

from __future__ import annotations

import numbers
import re

import numpy as np

from sfxgen.errors import ParameterError

ALIASES = {
    "reverb": "space", "room": "space", "tone": "brightness", "length": "decay", "tail": "decay",
    "tune": "pitch", "force": "intensity", "speed": "rate", "stereo": "width",
}


def _value(name: str, value, current: float) -> float:
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        rel = text[:2] in ("+=", "-=")
        try:
            num = float(text[1:].lstrip("=") if rel else text)
        except ValueError:
            raise ParameterError(f"{name}: {value!r} is not a number (use e.g. 0.5, -0.9, '+=0.2' or '-=0.2')") from None
        out = current + (num if text[0] == "+" else -num) if rel else num
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        out = float(value)
    else:
        raise ParameterError(f"{name}: {value!r} is not a number")
    if not np.isfinite(out):
        raise ParameterError(f"{name}: value must be finite, got {value!r}")
    return float(np.clip(out, -1.0, 1.0))


def edit_patch(patch, **changes):
    """A copy of ``patch`` with named parameters set (numbers) or shifted (``"+=0.2"`` strings).

    Names are the patch's slot names (``size``, ``pitch``, ``decay``, ``space``, ``distance``,
    ``brightness``, ``intensity``, ``width``, ``attack``, ``rate`` and the family's aux names)
    or a friendly alias (``reverb`` -> space, ``tone`` -> brightness, ``length`` -> decay ...).
    Unknown names raise ParameterError listing the valid ones.
    """
    values = {}
    for raw, v in changes.items():
        name = ALIASES.get(raw, raw)
        values[name] = _value(raw, v, patch.get(name))
    return patch.with_params(**values)


def parse_edits(items) -> dict[str, str]:
    """``["size=0.8", "decay+=0.2", "space-=0.1"]`` -> ``{"size": "0.8", "decay": "+=0.2",
    "space": "-=0.1"}`` (CLI helper)."""
    out = {}
    for item in items or ():
        m = re.fullmatch(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*([+-]?=)\s*(\S+)\s*", item)
        if not m:
            raise ParameterError(f"edit {item!r} must look like NAME=VALUE, NAME+=DELTA or NAME-=DELTA, e.g. size=0.8")
        k, op, v = m.groups()
        out[k] = v if op == "=" else f"{op}{v}"
    return out


def load_candidate(sidecar, pipeline):
    """Rebuild a :class:`~sfxgen.generate.base.HeroCandidate` from a JSON sidecar written by
    ``sfxgen generate`` (patch, seed, duration) by re-rendering it with ``pipeline`` -- so a saved
    hero can be edited or used for "more like this" later. Raises ParameterError when the sidecar
    has no patch (waveform models) or is unreadable."""
    import json
    from pathlib import Path

    from sfxgen.synth.patch import Patch

    p = Path(sidecar)
    try:
        meta = json.loads(p.read_text())
    except (OSError, ValueError) as exc:
        raise ParameterError(f"{p}: cannot read hero sidecar ({exc})") from None
    if not meta.get("patch"):
        raise ParameterError(f"{p}: this hero has no patch (made by {meta.get('model')!r}); only embedded-model heroes can be edited")
    from sfxgen.generate.base import HeroCandidate

    patch = Patch.from_dict(meta["patch"])
    seed = int(meta.get("seed", 0))
    if meta.get("composition"):  # a composed hero: every element, replayed exactly
        from sfxgen.generate.compose import Composition

        comp = Composition.from_dict(meta["composition"])
        audio = comp.render(duration_s=float(meta["duration_s"]), sample_rate=pipeline.sample_rate, seed=seed)
        return HeroCandidate(audio=audio, sample_rate=pipeline.sample_rate, seed=seed, patch=comp.main.patch,
                             composition=comp)
    audio = pipeline.render(patch, duration_s=meta.get("duration_s"), seed=seed)
    return HeroCandidate(audio=audio, sample_rate=pipeline.sample_rate, seed=seed, patch=patch)
