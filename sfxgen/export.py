"""The delivery package: stems, mix, recipe, QC report and a picture, written atomically.

Layout of ``out_dir`` for a design named ``NAME`` (file names follow UCS:
``CatID_FXName_sfxgen_NAME``, then the user-data part)::

    CatID_FXName_sfxgen_NAME_mix.wav           mastered mix (48 kHz/24-bit BWF, bext loudness filled in)
    CatID_FXName_sfxgen_NAME_stem_<layer>.wav  one stem per layer, same start and length
    CatID_FXName_sfxgen_NAME_stem_reverb.wav   the shared reverb return
    recipe.json               replays with ``sfxgen render recipe.json --out DIR2``
    qc.json, qc.txt           QC of the mix against the delivery preset
    NAME.png                  waveform + spectrogram of the mix and each stem
    manifest.json             what was written, with loudness figures

Stems are printed post-master by default: the mix's master gain and the limiter's gain envelope
(computed once on the mix, linked) are applied to every stem, so the stems summed at unity are
the delivered mix; ``stems="pre-master"`` prints them before the master stage (they then sum to
the pre-master mix). Every WAV carries bext (description, loudness) and iXML (UCS CatID,
category, FX name, keywords, description, which stem it is and its loudness, designer tool).
Every file is written to a temporary name and renamed into place, so a crash never leaves a
half-written deliverable.
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
    stems_mode: str = "post-master"
    ucs_catid: str = "DSGNMisc"
    stem_loudness: dict = field(default_factory=dict)

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


def recipe_catid(recipe) -> str:
    """The UCS CatID of a designed effect: its hero patch's (the family's, for its parameters),
    else the best UCS match of its prompt, else ``DSGNMisc``."""
    from sfxgen.ucs import load_ucs

    hero = next((l for l in recipe.layers if l.role == "hero"), None)
    if hero is not None and hero.source.kind == "synth":
        from sfxgen.errors import SfxgenError
        from sfxgen.synth import FAMILIES, Patch

        try:
            patch = Patch.from_dict(hero.source.patch)
            cat = FAMILIES[patch.family].ucs_for(patch.physical())
            if cat in load_ucs():
                return cat
        except (SfxgenError, KeyError, ValueError):  # an unknown or old patch: fall back to the words
            pass
    if recipe.prompt:
        from sfxgen.layering.intent import read_prompt
        from sfxgen.synth import FAMILIES

        reading = read_prompt(recipe.prompt)  # the family the words name, else the UCS list's match
        for cat in [FAMILIES[f].ucs for f in reading.families[:1]] + [reading.ucs]:
            if cat and cat in load_ucs():
                return cat
    return "DSGNMisc"


def _keywords(recipe, catid: str) -> str:
    from sfxgen.library.lexical import STOPWORDS
    from sfxgen.ucs import load_ucs

    entry = load_ucs()[catid]
    words = [w.lower().strip(",.;:") for w in (recipe.prompt or "").split()]
    words += [entry.category.lower(), entry.subcategory.lower(), *(l.role for l in recipe.layers)]
    return ", ".join(dict.fromkeys(w for w in words if w and w not in STOPWORDS))


def _ixml(*, catid: str, fx_name: str, description: str, keywords: str, note: str, track: str, loud) -> str:
    """An iXML chunk (UCS fields, designer tool, which stem, its loudness)."""
    from xml.sax.saxutils import escape

    from sfxgen.ucs import load_ucs

    e = load_ucs()[catid]
    lufs = "" if loud.integrated_lufs is None else f"{loud.integrated_lufs:.1f}"
    tp = "" if loud.true_peak_dbtp is None else f"{loud.true_peak_dbtp:.1f}"
    fields = {"CATID": catid, "CATEGORY": e.category, "SUBCATEGORY": e.subcategory, "FXNAME": fx_name,
              "DESCRIPTION": description, "KEYWORDS": keywords, "LIBRARY": "sfxgen", "DESIGNER": f"sfxgen {__version__}",
              "NOTE": note, "LOUDNESS_LUFS": lufs, "TRUE_PEAK_DBTP": tp}
    def tags(keys):
        return "".join(f"<{k}>{escape(fields[k])}</{k}>" for k in keys)

    ucs_tags = ("CATID", "CATEGORY", "SUBCATEGORY", "FXNAME", "DESCRIPTION", "KEYWORDS", "LIBRARY")
    return ('<?xml version="1.0" encoding="UTF-8"?><BWFXML><IXML_VERSION>2.10</IXML_VERSION>'
            f"<PROJECT>sfxgen</PROJECT><NOTE>{escape(note)}</NOTE><TRACK_LIST><TRACK_COUNT>1</TRACK_COUNT>"
            f"<TRACK><CHANNEL_INDEX>1</CHANNEL_INDEX><NAME>{escape(track)}</NAME></TRACK></TRACK_LIST>"
            f"{tags(ucs_tags)}<USER>{tags(fields)}</USER></BWFXML>")


def export_package(result, out_dir, *, name: str | None = None, bit_depth: int = 24, picture: bool = True,
                   stems: str = "post-master") -> ExportManifest:
    """Write a :class:`~sfxgen.layering.render.RenderResult` as a delivery package in ``out_dir``.

    ``stems``: ``"post-master"`` (default; stems sum at unity to the delivered mix) or
    ``"pre-master"`` (stems before the master gain and limiter)."""
    from sfxgen.audio import write_audio
    from sfxgen.loudness import get_preset, measure
    from sfxgen.qc import qc_report
    from sfxgen.naming import fx_name, ucs_stem

    recipe = result.recipe
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AudioWriteError(f"{out}: cannot create the output folder ({exc.strerror or exc})") from None
    base = safe_name(name or recipe.name)
    tracks = result.delivered_stems(stems)
    sr = result.sample_rate
    prompt = recipe.prompt or recipe.name
    catid = recipe_catid(recipe)
    fx = fx_name(recipe.prompt or recipe.name.replace("_", " "))
    keywords = _keywords(recipe, catid)
    prefix = ucs_stem(catid, recipe.prompt or recipe.name.replace("_", " "), stem=base)
    mix_loud = measure(result.master, sr)
    desc = f"{prompt} (mix, {recipe.master.preset})"
    mix_path = write_audio(out / f"{prefix}_mix.wav", result.master, sr, bit_depth=bit_depth,
                           bext=_bext(desc, sr, mix_loud, bit_depth=bit_depth),
                           ixml=_ixml(catid=catid, fx_name=fx, description=desc, keywords=keywords,
                                      note=f"mix mastered to {recipe.master.preset}", track="mix", loud=mix_loud))
    stem_paths: dict[str, str] = {}
    stem_loud: dict[str, dict] = {}
    roles = {l.name: l.role for l in recipe.layers}
    for layer_name, audio in tracks.items():
        loud = measure(audio, sr)
        role = roles.get(layer_name, "bus")
        desc = f"{prompt} ({role} stem: {layer_name}, {stems})"
        p = write_audio(out / f"{prefix}_stem_{safe_name(layer_name)}.wav", audio, sr, bit_depth=bit_depth,
                        bext=_bext(desc, sr, loud, bit_depth=bit_depth),
                        ixml=_ixml(catid=catid, fx_name=fx, description=desc, keywords=keywords,
                                   note=f"{stems} stem '{layer_name}' ({role}); " + (
                                       "the stems sum at unity to the delivered mix" if stems == "post-master"
                                       else "the stems sum to the mix before the master gain and limiter"),
                                   track=layer_name, loud=loud))
        stem_paths[layer_name] = str(p)
        stem_loud[layer_name] = {"integrated_lufs": loud.integrated_lufs, "true_peak_dbtp": loud.true_peak_dbtp}
    recipe_path = write_text_atomic(out / "recipe.json", recipe.to_json() + "\n")
    preset = get_preset(recipe.master.preset)
    report = qc_report(result.master, sr, preset=preset, bit_depth=bit_depth, path=Path(mix_path).name,
                       kind=recipe.kind)
    qc_json = write_text_atomic(out / "qc.json", json.dumps(report.to_dict(), indent=2) + "\n")
    qc_txt = write_text_atomic(out / "qc.txt", report.to_text() + "\n")
    pic = None
    if picture:
        pic = str(write_picture(out / f"{base}.png", result))
    notes = [] if result.master_met_target else [result.master_reason or "loudness target not met"]
    manifest = ExportManifest(
        out_dir=str(out), name=base, mix=str(mix_path), stems=stem_paths, recipe=str(recipe_path),
        qc_json=str(qc_json), qc_txt=str(qc_txt), picture=pic, preset=recipe.master.preset,
        loudness=mix_loud.to_dict(), qc_passed=bool(report.passed), master_gain_db=result.master_gain_db,
        notes=notes, stems_mode=stems, ucs_catid=catid, stem_loudness=stem_loud,
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
