"""Editing a hero's patch by parameter name.

Values are normalised in [-1, 1] (see :mod:`sfxgen.synth.patch`: -1 = tiny/dark/dry/close,
+1 = huge/bright/vast/far). A number sets the slot; a string starting with ``+`` or ``-``
(``"+0.3"``) moves it relative to its current value. Results are clipped to [-1, 1].
"""

from __future__ import annotations

import numbers

import numpy as np

from sfxgen.errors import ParameterError

ALIASES = {
    "reverb": "space", "room": "space", "tone": "brightness", "length": "decay", "tail": "decay",
    "tune": "pitch", "force": "intensity", "speed": "rate", "stereo": "width",
}


def _value(name: str, value, current: float) -> float:
    if isinstance(value, str):
        text = value.strip()
        try:
            num = float(text)
        except ValueError:
            raise ParameterError(f"{name}: {value!r} is not a number (use e.g. 0.5 or '+0.2')") from None
        out = current + num if text[:1] in "+-" else num
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        out = float(value)
    else:
        raise ParameterError(f"{name}: {value!r} is not a number")
    if not np.isfinite(out):
        raise ParameterError(f"{name}: value must be finite, got {value!r}")
    return float(np.clip(out, -1.0, 1.0))


def edit_patch(patch, **changes):
    """A copy of ``patch`` with named parameters set (numbers) or shifted (``"+0.2"`` strings).

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
    """``["size=0.8", "decay=+0.2"]`` -> ``{"size": "0.8", "decay": "+0.2"}`` (CLI helper)."""
    out = {}
    for item in items or ():
        if "=" not in item:
            raise ParameterError(f"edit {item!r} must look like NAME=VALUE, e.g. size=0.8 or decay=+0.2")
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out
