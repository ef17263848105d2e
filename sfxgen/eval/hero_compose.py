"""``sfxgen eval hero`` on compound prompts (issue #16): does the main source win, and are the
elements the words ask for present?

The held-out file ``sfxgen/data/compose_eval_prompts.json`` (frozen before the composed-hero
model was trained; hand-written, never from the caption templates) gives each prompt its main
family, the other elements it asks for (a family, or a role when any family in that role would
do) and a category (material, mechanism, context, timing, count, sweetener, setting).

For each prompt ``num_variations`` heroes are drawn as ``sfxgen generate`` draws them (seeds
``seed .. seed + n - 1``, the default candidate pick) -- the compositions are scored without
rendering, since the measures are about what the model chose:

* **main family accuracy** -- share of heroes whose main element (the first) is the prompt's main
  family. Goal >= :data:`MAIN_ACCURACY_GOAL`.
* **element recall** -- share of the asked-for elements found among a hero's other elements (each
  generated element matches at most one asked-for element; a family must match exactly, a role
  by role). Goal >= :data:`ELEMENT_RECALL_GOAL`.

A single-patch model (the previous ``sfxgen-hero-small``) is scored the same way as a
composition of one element: its main family is its patch family and it recalls no element.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from sfxgen.errors import ParameterError

MAIN_ACCURACY_GOAL = 0.90
ELEMENT_RECALL_GOAL = 0.75


def default_compose_prompts_path() -> Path:
    from sfxgen.paths import DATA_DIR

    return DATA_DIR / "compose_eval_prompts.json"


def load_compose_prompts(path=None) -> list[dict]:
    """The compound prompts, validated (families and roles exist)."""
    from sfxgen.synth.family import ELEMENT_ROLES
    from sfxgen.synth.patch import FAMILY_NAMES

    p = Path(path) if path else default_compose_prompts_path()
    try:
        items = json.loads(p.read_text())["prompts"]
    except (OSError, ValueError, KeyError) as exc:
        raise ParameterError(f"{p}: cannot read compound evaluation prompts ({exc})") from exc
    for it in items:
        bad = [it.get("main")] if it.get("main") not in FAMILY_NAMES else []
        bad += [e for e in it.get("elements", []) if e.get("family", FAMILY_NAMES[0]) not in FAMILY_NAMES
                or e.get("role", "main") not in ELEMENT_ROLES]
        if bad or not it.get("category"):
            raise ParameterError(f"{p}: prompt {it.get('prompt')!r} names unknown families/roles {bad} or no category")
    return items


def element_hits(expected: list[dict], generated: list) -> int:
    """How many ``expected`` elements (``{"family"}`` or ``{"role"}``) the ``generated`` ones
    (``(family, role)`` pairs, the main excluded) cover, each generated element used once."""
    free = list(generated)
    hits = 0
    for want in sorted(expected, key=lambda e: "family" not in e):  # families first, roles take what is left
        for i, (fam, role) in enumerate(free):
            if ("family" in want and fam == want["family"]) or ("family" not in want and role == want["role"]):
                hits += 1
                del free[i]
                break
    return hits


def _draw(pipe, prompt: str, *, seeds, num_inference_steps: int, guidance_scale: float, duration_s: float):
    """``[(main family, [(family, role) of the other elements]), ...]`` one per seed."""
    if hasattr(pipe, "compose"):
        out = pipe.compose(prompt, duration_s=duration_s, seeds=seeds, num_inference_steps=num_inference_steps,
                           guidance_scale=guidance_scale)
        return [(c.main.family, [(e.family, e.role) for e in c.elements[1:]]) for c, _, _ in out]
    # single-patch model: its raw patch sample per seed (no render needed)
    vec = pipe.encode_prompt([prompt])
    x = pipe.denoise(vec[:1], seeds=list(seeds), num_inference_steps=num_inference_steps, guidance_scale=guidance_scale)
    return [(p.family, []) for p, _ in pipe.decode(x)]


@dataclass
class ComposeEvalReport:
    model_id: str
    n_prompts: int
    n_heroes: int
    settings: dict
    main_accuracy: float = 0.0
    element_recall: float | None = None
    per_category: dict = field(default_factory=dict)
    misreadings: list = field(default_factory=list)
    seconds_per_hero: float = 0.0
    baseline: dict | None = None

    @property
    def failed(self) -> bool:
        return self.main_accuracy < MAIN_ACCURACY_GOAL or (self.element_recall or 0.0) < ELEMENT_RECALL_GOAL

    def to_dict(self) -> dict:
        return {**asdict(self), "goals": {"main_accuracy": MAIN_ACCURACY_GOAL, "element_recall": ELEMENT_RECALL_GOAL},
                "passed": not self.failed}

    def format(self) -> str:
        base = self.baseline or {}
        bcat = base.get("per_category", {})
        lines = [f"compound prompts: {self.n_prompts} prompts, {self.n_heroes} heroes, model {self.model_id}"
                 + (f" (baseline {base.get('model_id')})" if base else ""),
                 "| category | prompts | main family (this model) | main family (baseline) | element recall |",
                 "|---|---|---|---|---|"]
        for cat, v in sorted(self.per_category.items()) + [("all", {"n": self.n_prompts, "main": self.main_accuracy,
                                                                     "recall": self.element_recall})]:
            b = base.get("main_accuracy") if cat == "all" else bcat.get(cat, {}).get("main")
            rec = "-" if v["recall"] is None else f"{v['recall']:.3f}"
            lines.append(f"| {cat} | {v['n']} | {v['main']:.3f} | {'-' if b is None else f'{b:.3f}'} | {rec} |")
        lines.append(f"goals: main family >= {MAIN_ACCURACY_GOAL} "
                     f"({'pass' if self.main_accuracy >= MAIN_ACCURACY_GOAL else 'FAIL'}), element recall >= "
                     f"{ELEMENT_RECALL_GOAL} ({'pass' if (self.element_recall or 0) >= ELEMENT_RECALL_GOAL else 'FAIL'})")
        lines.append(f"time per hero (composition, no render): {self.seconds_per_hero:.3f} s")
        if self.misreadings:
            lines.append("misreadings (prompt -> main family chosen, most frequent first):")
            lines += [f"  {m['prompt']!r}: {m['intended']} -> {m['chosen']}" for m in self.misreadings[:25]]
        return "\n".join(lines)


def evaluate_compose(pipe, *, prompts_path=None, num_variations: int = 4, seed: int = 0, duration_s: float = 3.0,
                     num_inference_steps: int = 12, guidance_scale: float = 3.0, limit: int | None = None,
                     baseline=None, show_progress: bool = True) -> ComposeEvalReport:
    """Score ``pipe`` (and ``baseline``, another pipeline, when given) on the compound prompts."""
    items = load_compose_prompts(prompts_path)[: limit or None]
    seeds = list(range(int(seed), int(seed) + int(num_variations)))
    settings = dict(num_variations=num_variations, seed=seed, duration_s=duration_s,
                    num_inference_steps=num_inference_steps, guidance_scale=guidance_scale)
    rep = ComposeEvalReport(model_id=getattr(pipe, "model_id", "?"), n_prompts=len(items), n_heroes=0,
                            settings=settings)
    main_hits, rec_hits, rec_total = [], 0, 0
    cats: dict[str, dict] = {}
    t0 = time.monotonic()
    for k, it in enumerate(items):
        drawn = _draw(pipe, it["prompt"], seeds=seeds, num_inference_steps=num_inference_steps,
                      guidance_scale=guidance_scale, duration_s=duration_s)
        c = cats.setdefault(it["category"], {"n": 0, "main": [], "hits": 0, "total": 0})
        c["n"] += 1
        for main, others in drawn:
            ok = main == it["main"]
            main_hits.append(ok)
            c["main"].append(ok)
            h = element_hits(it.get("elements", []), others)
            rec_hits += h
            rec_total += len(it.get("elements", []))
            c["hits"] += h
            c["total"] += len(it.get("elements", []))
        wrong = [m for m, _ in drawn if m != it["main"]]
        if wrong:
            rep.misreadings.append({"prompt": it["prompt"], "intended": it["main"],
                                    "chosen": max(set(wrong), key=wrong.count), "wrong": len(wrong)})
        rep.n_heroes += len(drawn)
        if show_progress and (k + 1) % 20 == 0:
            print(f"  {k + 1}/{len(items)} prompts ({time.monotonic() - t0:.0f} s)", flush=True)
    rep.seconds_per_hero = (time.monotonic() - t0) / max(1, rep.n_heroes)
    rep.main_accuracy = float(np.mean(main_hits)) if main_hits else 0.0
    rep.element_recall = rec_hits / rec_total if rec_total else None
    rep.per_category = {cat: {"n": v["n"], "main": round(float(np.mean(v["main"])), 4),
                              "recall": round(v["hits"] / v["total"], 4) if v["total"] else None}
                        for cat, v in cats.items()}
    rep.misreadings.sort(key=lambda m: -m["wrong"])
    if baseline is not None:
        b = evaluate_compose(baseline, prompts_path=prompts_path, num_variations=num_variations, seed=seed,
                             duration_s=duration_s, num_inference_steps=num_inference_steps,
                             guidance_scale=guidance_scale, limit=limit, show_progress=False)
        rep.baseline = {"model_id": b.model_id, "main_accuracy": b.main_accuracy, "element_recall": b.element_recall,
                        "per_category": b.per_category}
    return rep


def realism_of_heroes(pipes: dict, manifest, corpus_dir, *, extra_manifests=(), prompts_path=None, seed: int = 0,
                      duration_s: float = 3.0, limit: int | None = None) -> dict:
    """Issue #16 item 5 with the engine issue's yardstick (:mod:`sfxgen.eval.realism`): the share
    of heroes for the held-out compound prompts that a classifier trained only on real recordings
    labels as the category of the prompt's main family (prompts whose main family has a real
    category). ``pipes``: ``{name: pipeline}``; one hero per prompt (``seed``), as generated.
    Returns ``{name: {"recognised", "n"}, "real_recall": mean leave-one-package-out recall}``."""
    from sfxgen.eval.realism import _classifier, clip_features, leave_one_package_out, load_real
    from sfxgen.synth.patch import FAMILIES

    real = load_real(manifest, corpus_dir, extra_manifests=extra_manifests)
    classes = real.classes()
    sel = np.isin(real.categories, classes)
    clf = _classifier().fit(real.X[sel], real.categories[sel])
    items = [it for it in load_compose_prompts(prompts_path)[: limit or None] if FAMILIES[it["main"]].category in classes]
    out = {"real_recall": leave_one_package_out(real, classes)["_mean"], "prompts": len(items)}
    for name, pipe in pipes.items():
        feats, want = [], []
        for it in items:
            res = pipe(it["prompt"], duration_s=duration_s, num_variations=1, seed=seed, rerank=False,
                       **({"candidates_per_variation": 1} if not hasattr(pipe, "compose") else {}))
            feats.append(clip_features(res.candidates[0].audio, res.sample_rate))
            want.append(FAMILIES[it["main"]].category)
        pred = clf.predict(np.stack(feats))
        out[name] = {"recognised": round(float(np.mean(pred == np.asarray(want))), 4), "n": len(items)}
    return out
