"""Family renderers: the dry source of every sound family, merged into :data:`RENDERERS`.

Contract for a family module (``impacts``, ``designed``, ``machines``, ``nature``, ``foley``,
``tonal_ui``): it exposes ``RENDERERS: dict[str, Callable]`` mapping family names (from
:data:`sfxgen.synth.patch.FAMILY_LIST`) to renderers

    fn(ph: Physical, *, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray

returning the **dry** source, shape (1, n) or (2, n) (a 1-D (n,) array is taken as mono), any
level (the renderer peak-normalises it), finite. Rules:

* use ``ph`` (see :class:`~sfxgen.synth.patch.Physical`): pitch_ratio, size, brightness,
  decay_s, intensity, rate and the family's aux values ``ph.aux[i]`` (named in FAMILY_LIST);
* do **not** apply ``attack_s``, ``distance``, ``rt60_s``/space or ``width`` -- the shared stages
  in :mod:`sfxgen.synth.space` do that identically for every family (a family may still use
  ``width`` to decide whether its source is natively stereo, e.g. rain);
* all randomness from ``rng`` (deterministic per seed), no per-sample Python loops, build from
  :mod:`sfxgen.synth.primitives` (its filters add a -500 dB dither so IIR tails never fall into
  slow subnormal floats; raw ``scipy.signal.lfilter`` on decaying signals can be 10x slower);
* fill all ``n`` samples sensibly for any duration 0.05..30 s (a one-shot decays into
  silence, a texture keeps going).
"""

from __future__ import annotations

import importlib
from typing import Callable

from sfxgen.synth.patch import FAMILY_NAMES

_MODULES = ("impacts", "designed", "machines", "nature", "foley", "tonal_ui")


def _collect() -> dict[str, Callable]:
    out: dict[str, Callable] = {}
    for name in _MODULES:
        mod = importlib.import_module(f"{__name__}.{name}")
        for fam, fn in mod.RENDERERS.items():
            if fam not in FAMILY_NAMES:
                raise RuntimeError(f"{name}.py registers unknown family {fam!r}")
            if fam in out:
                raise RuntimeError(f"family {fam!r} is registered twice")
            out[fam] = fn
    return out


RENDERERS: dict[str, Callable] = _collect()
"""Family name -> dry-source renderer (see module docstring)."""
