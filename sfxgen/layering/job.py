"""The main job: prompt → designed, mastered, exported effect (one or K round-robin variations).

:func:`run_design` composes the hero pipeline, the library, :class:`AutoDesigner`, the renderer
and the exporter; it owns no DSP. With ``variations=1`` the package goes straight into
``out_dir``; with ``K > 1`` each variation's package goes into ``out_dir/NAME_01/`` ... and the
mastered mixes are also written side by side as ``out_dir/NAME_01.wav`` ... (level-matched: each
is mastered to the same preset target).
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


def run_design(prompt: str, out_dir, *, preset: str = "ebu-r128", layers: int = 3, seed: int = 0,
               variations: int = 1, duration_s: float | None = None, generator=None, library=None,
               num_candidates: int = 4, name: str | None = None) -> DesignJobResult:
    """Design ``prompt`` and export ``variations`` packages under ``out_dir``."""
    from sfxgen.export import export_package, safe_name
    from sfxgen.layering.auto import AutoDesigner
    from sfxgen.layering.render import master_render, render_recipe

    if not isinstance(variations, int) or not 1 <= variations <= 32:
        raise ParameterError(f"variations must be between 1 and 32, got {variations!r}")
    if generator is None:
        from sfxgen.generate import load_pipeline

        generator = load_pipeline()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    from sfxgen.naming import file_stem

    base = safe_name(name) if name else file_stem(prompt)
    designer = AutoDesigner(generator, library=library)
    hero_result = generator(prompt, duration_s=duration_s, num_variations=max(num_candidates, variations),
                            seed=int(seed))
    packages, round_robin = [], []
    for v in range(variations):
        vname = base if variations == 1 else f"{base}_{v + 1:02d}"
        vdir = out if variations == 1 else out / vname
        design = designer.design(prompt, preset=preset, layers=layers, seed=seed, duration_s=duration_s,
                                 variation=v, name=vname, asset_dir=vdir / "sources", hero_result=hero_result)
        result = master_render(design.render) if design.render is not None else render_recipe(design.recipe)
        manifest = export_package(result, vdir, name=vname)
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
    from sfxgen.export import write_text_atomic

    from sfxgen.paths import portable

    write_text_atomic(out / "design.json", json.dumps(portable(job.to_dict(), out), indent=2) + "\n")
    return job
