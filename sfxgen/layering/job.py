"""The main job, one path for the CLI, the UI and the HTTP API: design -> render -> export.

* :func:`run_design` (``sfxgen design``, the service's ``design_job``): the hero pipeline, the
  library, :class:`~sfxgen.layering.auto.AutoDesigner`, the renderer and the exporter, for one or
  K round-robin variations. With ``variations=1`` the package goes straight into ``out_dir``;
  with ``K > 1`` each variation's package goes into ``out_dir/NAME_01/`` ... and the mastered
  mixes are also written side by side as ``out_dir/NAME_01.wav`` ... (level-matched: each is
  mastered to the same preset target).
* :func:`render_and_export` (``sfxgen render``, the UI's and API's export): a recipe rendered
  with its file sources checked (:class:`~sfxgen.layering.sources.SourceAccess`) and exported.
* :func:`preview` (the UI's and API's preview): the same render, the mix written with its
  loudness judged by the preset and its QC.

It owns no DSP: the designer, :mod:`sfxgen.layering.render` and :mod:`sfxgen.export` do the work.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sfxgen.errors import ParameterError


@dataclass
class DesignJobResult:
    """What ``sfxgen design`` made. :meth:`to_dict` is the ``--json`` manifest."""

    prompt: str
    out_dir: str
    name: str
    preset: str
    variations: list[dict]  # one ExportManifest dict (+ picks, hero) per variation
    round_robin: list[str] = field(default_factory=list)  # NAME_01.wav ... when K > 1
    library: str | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        first = self.variations[0]
        d.update(mix=first["mix"], stems=first["stems"], recipe=first["recipe"], qc=first["qc_json"],
                 loudness=first["loudness"])
        return d


@dataclass
class PreviewOutput:
    """A rendered recipe's mix written to ``mix_path`` with its loudness, the preset's verdict
    and QC (the UI's preview)."""

    result: object  # RenderResult
    mix_path: str
    picture_path: str | None
    loudness: dict
    verdict: dict
    qc: object  # QCReport


def render(recipe, *, access=None):
    """``recipe`` rendered and mastered (file sources read only where ``access`` allows)."""
    from sfxgen.layering.render import render_recipe

    return render_recipe(recipe, access=access)


def render_and_export(recipe, out_dir, *, name: str | None = None, stems: str = "post-master", access=None,
                      picture: bool = True):
    """Render ``recipe`` and write its delivery package into ``out_dir``; returns
    ``(RenderResult, ExportManifest)``."""
    from sfxgen.export import export_package

    result = render(recipe, access=access)
    return result, export_package(result, out_dir, name=name, stems=stems, picture=picture)


def preview(recipe, out_dir, *, access=None, picture: bool = True) -> PreviewOutput:
    """Render ``recipe``, write its mastered mix (24-bit WAV) and picture into ``out_dir`` and
    judge it: loudness against the preset (:meth:`DeliveryPreset.judge`) and QC for its kind."""
    from sfxgen.audio import write_audio
    from sfxgen.export import safe_name, write_picture
    from sfxgen.loudness import get_preset, measure
    from sfxgen.qc import qc_report

    result = render(recipe, access=access)
    out = Path(out_dir)
    base = safe_name(recipe.name)
    mix = write_audio(out / f"{base}_preview.wav", result.master, result.sample_rate, bit_depth=24)
    pic = str(write_picture(out / f"{base}.png", result)) if picture else None
    p = get_preset(recipe.master.preset)
    loud = measure(result.master, result.sample_rate)
    verdict = p.judge(integrated_lufs=loud.integrated_lufs, true_peak_dbtp=loud.true_peak_dbtp,
                      max_short_term_lufs=loud.max_short_term_lufs)
    report = qc_report(result.master, result.sample_rate, preset=p, bit_depth=24, path=str(mix), kind=recipe.kind)
    return PreviewOutput(result=result, mix_path=str(mix), picture_path=pic, loudness=loud.to_dict(),
                         verdict=verdict.to_dict(), qc=report)


def run_design(prompt: str, out_dir, *, preset: str = "ebu-r128", layers: int = 3, seed: int = 0,
               variations: int = 1, duration_s: float | None = None, generator=None, library=None,
               num_candidates: int = 4, name: str | None = None, stems: str = "post-master",
               designer=None, picture: bool = True) -> DesignJobResult:
    """Design ``prompt`` and export ``variations`` packages under ``out_dir``. ``designer``: an
    :class:`~sfxgen.layering.auto.AutoDesigner` to use (keeps its reuse ledger across jobs);
    default one over ``generator`` and ``library``. ``picture``: draw the package picture."""
    from sfxgen.export import export_package, safe_name, write_text_atomic
    from sfxgen.layering.auto import AutoDesigner
    from sfxgen.layering.render import STEM_MODES, master_render, render_recipe

    if not isinstance(variations, int) or not 1 <= variations <= 32:
        raise ParameterError(f"variations must be between 1 and 32, got {variations!r}")
    if stems not in STEM_MODES:
        raise ParameterError(f"stems must be one of {', '.join(STEM_MODES)}, got {stems!r}")
    if designer is None:
        if generator is None:
            from sfxgen.generate import load_pipeline

            generator = load_pipeline()
        designer = AutoDesigner(generator, library=library)
    generator, library = designer.generator, designer.library
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    from sfxgen.layering.intent import read_prompt
    from sfxgen.naming import file_stem

    base = safe_name(name) if name else file_stem(prompt)
    said = read_prompt(prompt).duration_s
    hero_dur = duration_s if duration_s is not None else (min(max(said, 0.5), 60.0) if said else None)
    hero_result = generator(prompt, duration_s=hero_dur, num_variations=max(num_candidates, variations),
                            seed=int(seed))
    packages, round_robin = [], []
    for v in range(variations):
        vname = base if variations == 1 else f"{base}_{v + 1:02d}"
        vdir = out if variations == 1 else out / vname
        design = designer.design(prompt, preset=preset, layers=layers, seed=seed, duration_s=hero_dur,
                                 variation=v, name=vname, asset_dir=vdir / "sources", hero_result=hero_result)
        result = master_render(design.render) if design.render is not None else render_recipe(design.recipe)
        manifest = export_package(result, vdir, name=vname, stems=stems, picture=picture)
        entry = manifest.to_dict()
        entry.update(picks=design.picks, hero_model_id=design.hero_model_id, hero_score=design.hero_score,
                     headroom_db=result.headroom_db)
        packages.append(entry)
        if variations > 1:
            rr = out / f"{vname}.wav"
            tmp = out / f".{vname}.wav.part"
            shutil.copyfile(manifest.mix, tmp)
            tmp.replace(rr)
            round_robin.append(str(rr))
    job = DesignJobResult(prompt=prompt, out_dir=str(out), name=base, preset=preset, variations=packages,
                          round_robin=round_robin,
                          library=str(getattr(library, "index_dir", "")) if library is not None else None)
    from sfxgen.paths import portable

    write_text_atomic(out / "design.json", json.dumps(portable(job.to_dict(), out), indent=2) + "\n")
    return job
