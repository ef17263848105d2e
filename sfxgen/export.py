"""The delivery package: stems, mix, recipe, QC report and a picture, written atomically.

Layout of ``out_dir`` for a design named ``NAME``::

    NAME_mix.wav              mastered mix (48 kHz/24-bit BWF, bext loudness filled in)
    NAME_stem_<layer>.wav     one stem per layer, post-fader/post-bus, same start and length
    NAME_stem_reverb.wav      the shared reverb return
    recipe.json               replays with ``sfxgen render recipe.json --out DIR2``
    qc.json, qc.txt           QC of the mix against the delivery preset
    NAME.png                  waveform + spectrogram of the mix and each stem
    manifest.json             what was written, with loudness figures

Stems sum to the pre-master mix (before the master gain and limiter). Every file is written to a
temporary name and renamed into place, so a crash never leaves a half-written deliverable.
This module measures nothing itself: loudness comes from :mod:`sfxgen.loudness`, checks from
:mod:`sfxgen.qc`.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sfxgen import __version__
from sfxgen.errors import AudioWriteError

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(text: str, *, max_len: int = 60) -> str:
    """A file-name-safe version of ``text`` (letters, digits, ``._-``; no leading dot)."""
    s = _SAFE.sub("_", text.strip()).strip("._") or "sfx"
    return s[:max_len]


def write_text_atomic(path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and rename."""
    path = Path(path)
    from sfxgen.paths import temp_beside

    tmp = temp_beside(path)
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise AudioWriteError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return path


@dataclass
class ExportManifest:
    """Paths written and the mix's loudness figures (``--json`` prints :meth:`to_dict`)."""

    out_dir: str
    name: str
    mix: str
    stems: dict[str, str]
    recipe: str
    qc_json: str
    qc_txt: str
    picture: str | None
    preset: str
    loudness: dict
    qc_passed: bool
    master_gain_db: float
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _bext(description: str, sample_rate: int, loud, *, bit_depth: int):
    from sfxgen.audio import Bext

    return Bext(
        description=description,
        originator="sfxgen",
        originator_reference=f"sfxgen {__version__}",
        **loud.bext_fields(),
        coding_history=f"A=PCM,F={sample_rate},W={bit_depth},M=stereo,T=sfxgen {__version__}",
    )


def export_package(result, out_dir, *, name: str | None = None, bit_depth: int = 24, picture: bool = True) -> ExportManifest:
    """Write a :class:`~sfxgen.layering.render.RenderResult` as a delivery package in ``out_dir``."""
    from sfxgen.audio import write_audio
    from sfxgen.loudness import get_preset, measure
    from sfxgen.qc import qc_report

    recipe = result.recipe
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AudioWriteError(f"{out}: cannot create the output folder ({exc.strerror or exc})") from None
    base = safe_name(name or recipe.name)
    sr = result.sample_rate
    prompt = recipe.prompt or recipe.name
    mix_loud = measure(result.master, sr)
    mix_path = write_audio(out / f"{base}_mix.wav", result.master, sr, bit_depth=bit_depth,
                           bext=_bext(f"{prompt} (mix, {recipe.master.preset})", sr, mix_loud, bit_depth=bit_depth))
    stems: dict[str, str] = {}
    roles = {l.name: l.role for l in recipe.layers}
    tracks = list(result.stems.items()) + [("reverb", result.reverb)]
    for layer_name, audio in tracks:
        loud = measure(audio, sr)
        desc = f"{prompt} ({roles.get(layer_name, 'bus')} stem: {layer_name})"
        p = write_audio(out / f"{base}_stem_{safe_name(layer_name)}.wav", audio, sr, bit_depth=bit_depth,
                        bext=_bext(desc, sr, loud, bit_depth=bit_depth))
        stems[layer_name] = str(p)
    recipe_path = write_text_atomic(out / "recipe.json", recipe.to_json() + "\n")
    preset = get_preset(recipe.master.preset)
    report = qc_report(result.master, sr, preset=preset, bit_depth=bit_depth, path=Path(mix_path).name)
    qc_json = write_text_atomic(out / "qc.json", json.dumps(report.to_dict(), indent=2) + "\n")
    qc_txt = write_text_atomic(out / "qc.txt", report.to_text() + "\n")
    pic = None
    if picture:
        pic = str(write_picture(out / f"{base}.png", result))
    notes = [] if result.master_met_target else [result.master_reason or "loudness target not met"]
    manifest = ExportManifest(
        out_dir=str(out), name=base, mix=str(mix_path), stems=stems, recipe=str(recipe_path),
        qc_json=str(qc_json), qc_txt=str(qc_txt), picture=pic, preset=recipe.master.preset,
        loudness=mix_loud.to_dict(), qc_passed=bool(report.passed), master_gain_db=result.master_gain_db,
        notes=notes,
    )
    from sfxgen.paths import portable

    write_text_atomic(out / "manifest.json", json.dumps(portable(manifest.to_dict(), out), indent=2) + "\n")
    return manifest


def write_picture(path, result, *, dpi: int | None = None) -> Path:
    """The package picture (:func:`sfxgen.plots.stems_png`): waveform with peak and loudness, and
    spectrogram, of the mix and then of each stem and the reverb return. ``dpi`` is ignored (the
    picture has one readable size)."""
    from sfxgen.plots import stems_png

    rows = [("mix", result.master)] + list(result.stems.items()) + [("reverb", result.reverb)]
    return stems_png(path, rows, result.sample_rate, title=result.recipe.prompt or result.recipe.name)
