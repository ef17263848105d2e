"""``sfxgen eval hero``: quality gates of a hero generator on held-out, user-style prompts.

The prompt list (``sfxgen/data/hero_eval_prompts.json``) holds >= 100 prompts written the way
users write them (paraphrases, adjectives, places), each with its intended sound family, and
attribute pairs ("a tiny metal clink" vs "a huge metal clang") with the measurement that must
move and its direction. Nothing in it comes from the training caption generator.

Measured:

* **family accuracy (CLAP)** -- each generated hero's audio embedding is compared with the text
  embeddings of every family's description ("the sound of a metal impact", ...); the argmax must
  be the intended family (zero-shot, with the installed joint embedder). Gate >= 0.80.
  Heroes are scored as the pipeline returns them: with ``candidates_per_variation`` > 1 each
  variation is the best prompt match (same embedder) of that many samples for its seed, the
  product's default (AudioLDM's candidate selection); ``1`` measures raw diffusion samples.
* **family accuracy (patch)** -- for the embedded model, the family the diffusion chose.
* **CLAP reference** -- the same zero-shot classification of renders of *random* patches of the
  intended family: the ceiling set by the embedder itself (reported, not gated).
* **diversity across seeds** -- mean pairwise distance between the variations of one prompt:
  RMS distance of the 16 normalised parameters (patch space) and 1 - cosine of CLAP audio
  embeddings. Gates: :data:`DIVERSITY_FLOOR_PATCH`, :data:`DIVERSITY_FLOOR_CLAP`.
* **audio sanity** -- no NaN/inf, no clipping (peak >= 0.999 full scale), no silence (RMS below
  -60 dBFS); every count must be 0.
* **attribute control** -- for each pair, ``attr_seeds`` heroes per side with the same seeds; the
  median of the measurement (spectral centroid, decay time, direct-to-reverb ratio) must move in
  the stated direction. Gate: at least :data:`ATTRIBUTE_PASS_RATE` of the pairs.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from sfxgen.errors import ParameterError

FAMILY_ACCURACY_GATE = 0.80
DIVERSITY_FLOOR_PATCH = 0.15
DIVERSITY_FLOOR_CLAP = 0.01
ATTRIBUTE_PASS_RATE = 0.75
CLIP_LEVEL = 0.999
SILENCE_DBFS = -60.0


def default_prompts_path() -> Path:
    from sfxgen.paths import DATA_DIR

    return DATA_DIR / "hero_eval_prompts.json"


def load_prompts(path=None) -> dict:
    """The evaluation prompt file, validated (families exist, >= 1 prompt)."""
    from sfxgen.synth.patch import FAMILY_NAMES

    p = Path(path) if path else default_prompts_path()
    try:
        doc = json.loads(p.read_text())
    except (OSError, ValueError) as exc:
        raise ParameterError(f"{p}: cannot read evaluation prompts ({exc})") from exc
    items = doc.get("prompts") or []
    if not items:
        raise ParameterError(f"{p}: no prompts")
    for it in items + doc.get("attribute_pairs", []):
        if it.get("family") not in FAMILY_NAMES:
            raise ParameterError(f"{p}: unknown family {it.get('family')!r} in {it}")
    return doc


def family_texts() -> tuple[list[str], list[str]]:
    """(family names, zero-shot description per family) for CLAP classification."""
    from sfxgen.synth.patch import FAMILY_LIST

    return [f.name for f in FAMILY_LIST], [f.description for f in FAMILY_LIST]


def _measure(name: str, audio: np.ndarray, sr: int) -> float:
    from sfxgen.dsp import analysis

    if name == "spectral_centroid_hz":
        return analysis.spectral_centroid_hz(audio, sr)
    if name == "decay_time_s":
        v = analysis.decay_time_s(audio, sr, drop_db=30.0)
        return float(v if np.isfinite(v) else audio.shape[-1] / sr)
    if name == "direct_to_reverb_ratio_db":
        return analysis.direct_to_reverb_ratio_db(audio, sr)
    raise ParameterError(f"unknown attribute measurement {name!r}")


def _reference_hit(embedder, fam_names, fam_vecs, family, rng, duration_s, seed) -> bool:
    """Does the embedder classify a render of a *random* patch of ``family`` as ``family``?

    The ceiling the CLAP family metric can reach with this embedder: if it cannot recognise the
    synth's own families, hero accuracy is bounded by that, not by the generator."""
    from sfxgen.synth.patch import Patch
    from sfxgen.synth.render import render

    audio = render(Patch.random(family, rng), duration_s=duration_s, seed=seed)
    e = np.asarray(embedder.embed_audio([(audio, 48000)]), np.float32)[0]
    return fam_names[int(np.argmax(fam_vecs @ e))] == family


def _pairwise_mean(x: np.ndarray, metric: str) -> float:
    n = len(x)
    if n < 2:
        return float("nan")
    d = []
    for i in range(n):
        for j in range(i + 1, n):
            if metric == "rms":
                d.append(float(np.sqrt(np.mean((x[i] - x[j]) ** 2))))
            else:
                d.append(float(1.0 - np.dot(x[i], x[j])))
    return float(np.mean(d))


@dataclass
class HeroEvalReport:
    model_id: str
    scorer_id: str | None
    n_prompts: int
    n_heroes: int
    settings: dict
    family_accuracy_clap: float | None = None
    family_accuracy_clap_top: float | None = None
    family_accuracy_clap_reference: float | None = None
    family_accuracy_patch: float | None = None
    diversity_patch: float | None = None
    diversity_clap: float | None = None
    n_nonfinite: int = 0
    n_clipped: int = 0
    n_silent: int = 0
    attributes: list = field(default_factory=list)
    attribute_pass_rate: float | None = None
    seconds_per_hero: float | None = None
    per_family_clap: dict = field(default_factory=dict)
    confusions: list = field(default_factory=list)

    @property
    def gates(self) -> dict:
        def ge(v, floor):
            return None if v is None else bool(v >= floor)

        return {
            f"family_accuracy_clap >= {FAMILY_ACCURACY_GATE}": ge(self.family_accuracy_clap, FAMILY_ACCURACY_GATE),
            f"diversity_patch >= {DIVERSITY_FLOOR_PATCH}": ge(self.diversity_patch, DIVERSITY_FLOOR_PATCH),
            f"diversity_clap >= {DIVERSITY_FLOOR_CLAP}": ge(self.diversity_clap, DIVERSITY_FLOOR_CLAP),
            "no NaN/inf": self.n_nonfinite == 0,
            "no clipping": self.n_clipped == 0,
            "no silence": self.n_silent == 0,
            f"attribute_pass_rate >= {ATTRIBUTE_PASS_RATE}": ge(self.attribute_pass_rate, ATTRIBUTE_PASS_RATE),
        }

    @property
    def failed(self) -> bool:
        """True when a gate failed or could not be measured (``None``)."""
        return any(v is not True for v in self.gates.values())

    def to_dict(self) -> dict:
        d = asdict(self)
        d["gates"] = self.gates
        d["passed"] = not self.failed
        return d

    def format(self) -> str:
        def f(v, nd=3):
            return "n/a" if v is None else f"{v:.{nd}f}"

        lines = [
            f"hero eval: model {self.model_id}, {self.n_prompts} prompts, {self.n_heroes} heroes, scorer {self.scorer_id}",
            f"  family accuracy (CLAP zero-shot, all heroes) {f(self.family_accuracy_clap)}"
            f"   (ranked best per prompt) {f(self.family_accuracy_clap_top)}",
            f"  family accuracy (CLAP, reference: random renders of the intended family) "
            f"{f(self.family_accuracy_clap_reference)}",
            f"  family accuracy (patch family chosen)       {f(self.family_accuracy_patch)}",
            f"  diversity across seeds: patch RMS {f(self.diversity_patch)}   CLAP 1-cos {f(self.diversity_clap, 4)}",
            f"  non-finite {self.n_nonfinite}, clipped {self.n_clipped}, silent {self.n_silent}",
            f"  attribute pairs passed {f(self.attribute_pass_rate)}",
        ]
        for a in self.attributes:
            par = ("" if a.get("param_low_mean") is None else
                   f"  [patch {a['attribute']} {a['param_low_mean']:+.2f} -> {a['param_high_mean']:+.2f}]")
            lines.append(f"    {'ok ' if a['passed'] else 'BAD'} {a['attribute']:<10} {a['family']:<14} {a['measure']:<26} "
                         f"low {a['low_median']:.3g}  high {a['high_median']:.3g}  (pairs right {a['pair_agreement']:.2f}){par}")
        lines.append(f"  seconds per hero (render+rank) {f(self.seconds_per_hero, 3)}")
        for k, v in self.gates.items():
            lines.append(f"  gate {k}: {'PASS' if v else ('not measured' if v is None else 'FAIL')}")
        return "\n".join(lines)


def evaluate(pipe, *, embedder=None, prompts_path=None, num_variations: int = 4, seed: int = 0,
             duration_s: float = 3.0, num_inference_steps: int = 25, guidance_scale: float = 3.0,
             attr_seeds: int = 6, limit: int | None = None, candidates_per_variation: int = 1,
             show_progress: bool = True) -> HeroEvalReport:
    """Run the hero evaluation (see module doc). ``embedder`` is a joint text/audio embedder for
    the CLAP metrics (``None`` leaves them unmeasured); ``limit`` evaluates only the first N prompts."""
    doc = load_prompts(prompts_path)
    items = doc["prompts"][: limit or None]
    fam_names, fam_text = family_texts()
    fam_vecs = np.asarray(embedder.embed_text(fam_text), np.float32) if embedder is not None else None
    settings = dict(num_variations=num_variations, seed=seed, duration_s=duration_s,
                    num_inference_steps=num_inference_steps, guidance_scale=guidance_scale, attr_seeds=attr_seeds,
                    candidates_per_variation=candidates_per_variation)
    if candidates_per_variation > 1 and getattr(pipe, "scorer", None) is None:
        raise ParameterError("candidates_per_variation > 1 needs a pipeline with a CLAP scorer to pick with")
    pick = dict(rerank=False) if candidates_per_variation == 1 else dict(
        rerank=True, candidates_per_variation=candidates_per_variation)
    rep = HeroEvalReport(model_id=getattr(pipe, "model_id", "?"),
                         scorer_id=getattr(embedder, "model_id", None), n_prompts=len(items), n_heroes=0,
                         settings=settings)
    clap_hits, clap_top_hits, patch_hits, div_p, div_c, ref_hits = [], [], [], [], [], []
    ref_rng = np.random.default_rng(seed)
    per_fam: dict[str, list] = {}
    t0 = time.monotonic()
    for k, it in enumerate(items):
        res = pipe(it["prompt"], duration_s=duration_s, num_variations=num_variations, seed=seed,
                   num_inference_steps=num_inference_steps, guidance_scale=guidance_scale, **pick)
        audios = res.audios
        rep.n_heroes += len(audios)
        for a in audios:
            if not np.all(np.isfinite(a)):
                rep.n_nonfinite += 1
                continue
            if np.max(np.abs(a)) >= CLIP_LEVEL:
                rep.n_clipped += 1
            rms = float(np.sqrt(np.mean(a.astype(np.float64) ** 2)))
            if rms <= 10 ** (SILENCE_DBFS / 20):
                rep.n_silent += 1
        patches = [c.patch for c in res.candidates if c.patch is not None]
        if patches:
            patch_hits += [p.family == it["family"] for p in patches]
            div_p.append(_pairwise_mean(np.stack([p.params for p in patches]), "rms"))
        if embedder is not None:
            emb = np.asarray(embedder.embed_audio([(a, res.sample_rate) for a in audios]), np.float32)
            pred = [fam_names[i] for i in (emb @ fam_vecs.T).argmax(1)]
            hits = [p == it["family"] for p in pred]
            clap_hits += hits
            per_fam.setdefault(it["family"], []).extend(hits)
            for p in pred:
                if p != it["family"]:
                    rep.confusions.append({"prompt": it["prompt"], "intended": it["family"], "heard_as": p})
            tvec = np.asarray(embedder.embed_text([it["prompt"]]), np.float32)[0]
            clap_top_hits.append(hits[int(np.argmax(emb @ tvec))])
            div_c.append(_pairwise_mean(emb, "cos"))
            ref_hits.append(_reference_hit(embedder, fam_names, fam_vecs, it["family"], ref_rng, duration_s, seed + k))
        if show_progress and (k + 1) % 10 == 0:
            print(f"  {k + 1}/{len(items)} prompts ({time.monotonic() - t0:.0f} s)", flush=True)
    rep.seconds_per_hero = (time.monotonic() - t0) / max(1, rep.n_heroes)
    if clap_hits:
        rep.family_accuracy_clap = float(np.mean(clap_hits))
        rep.family_accuracy_clap_top = float(np.mean(clap_top_hits))
        rep.family_accuracy_clap_reference = float(np.mean(ref_hits))
        rep.diversity_clap = float(np.nanmean(div_c))
        rep.per_family_clap = {f: round(float(np.mean(v)), 3) for f, v in sorted(per_fam.items())}
    if patch_hits:
        rep.family_accuracy_patch = float(np.mean(patch_hits))
        rep.diversity_patch = float(np.nanmean(div_p))
    pairs = doc.get("attribute_pairs", []) if not limit else doc.get("attribute_pairs", [])[: max(1, limit // 10)]
    for pr in pairs:
        vals, slot = {}, {}
        for side in ("low", "high"):
            res = pipe(pr[side], duration_s=duration_s, num_variations=attr_seeds, seed=seed,
                       num_inference_steps=num_inference_steps, guidance_scale=guidance_scale, **pick)
            vals[side] = np.array([_measure(pr["measure"], a, res.sample_rate) for a in res.audios])
            patches = [c.patch for c in res.candidates if c.patch is not None]
            slot[side] = float(np.mean([q.get(pr["attribute"]) for q in patches])) if patches else None
        lo, hi = vals["low"], vals["high"]
        want_higher = pr["expect"] == "high_higher"
        right = (hi > lo) if want_higher else (hi < lo)
        med_ok = (np.median(hi) > np.median(lo)) if want_higher else (np.median(hi) < np.median(lo))
        rep.attributes.append({
            "attribute": pr["attribute"], "family": pr["family"], "measure": pr["measure"], "expect": pr["expect"],
            "low": pr["low"], "high": pr["high"], "low_median": float(np.median(lo)),
            "high_median": float(np.median(hi)), "pair_agreement": float(np.mean(right)), "passed": bool(med_ok),
            "param_low_mean": slot["low"], "param_high_mean": slot["high"],
        })
    if rep.attributes:
        rep.attribute_pass_rate = float(np.mean([a["passed"] for a in rep.attributes]))
    return rep
