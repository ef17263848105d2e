"""Retrieval evaluation of an embedder on a labelled corpus (``sfxgen eval retrieval``).

Given a manifest (make_manifest.py columns: path, package, caption, category, ...) and the
corpus root, it embeds every clip of the evaluated packages and reports:

* per category and mean (macro) **P@10** and **mAP** for one text query per category
  (:data:`CATEGORY_QUERIES`), ranking all labelled clips; the headline mean P@10 averages the
  categories with at least ``min_clips`` (10) clips, where P@10 can reach 1 (the mean over
  all categories is reported beside it);
* **text->audio R@1 / R@10** with each clip's caption as the query (a hit is any clip carrying
  exactly that caption, since path-derived captions repeat);
* **zero-shot top-1** category accuracy: each clip is assigned the category whose query scores
  highest among the categories present in the evaluated set (chance = 1 / that count).

By default the packages a model was trained on (recorded in its config) are excluded, so
numbers describe unseen packages.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from sfxgen.errors import ParameterError, SfxgenError

CATEGORY_QUERIES: dict[str, str] = {
    "alarm": "the sound of an alarm, a siren or a ticking clock",
    "ambience": "ambient background atmosphere of a place",
    "animal": "the sound of an animal",
    "creature": "a monster or creature growling",
    "destruction": "something breaking, shattering and collapsing",
    "door": "a door opening or closing",
    "explosion": "the sound of an explosion",
    "fire": "fire burning and crackling",
    "foley": "foley sound of cloth and objects being handled",
    "footstep": "the sound of footsteps",
    "impact": "an impact, something hitting something",
    "magic": "a magic spell being cast",
    "movement": "a fast whoosh of movement",
    "music": "a short musical jingle",
    "pickup": "picking up an item in a video game",
    "scifi": "a sci-fi electronic sound",
    "tools": "tools and machinery at work",
    "ui": "a user interface click or notification sound",
    "vehicle": "a vehicle engine",
    "voice": "a human voice",
    "water": "water splashing",
    "weapon": "a weapon being fired or swung",
    "weather": "weather: wind, rain or thunder",
}


@dataclass
class RetrievalReport:
    """Metrics of one evaluation run (fractions in [0, 1])."""

    model_id: str
    packages: list[str]
    n_clips: int
    n_labelled: int
    per_category: dict[str, dict] = field(default_factory=dict)  # cat -> {n, p_at_10, ap}
    mean_p_at_10: float = 0.0  # over categories with >= min_clips clips (P@10 is capped at n/10 below that)
    mean_p_at_10_all: float = 0.0  # over every category present
    min_clips: int = 10
    map: float = 0.0
    r_at_1: float = 0.0
    r_at_10: float = 0.0
    zero_shot_top1: float = 0.0
    zero_shot_chance: float = 0.0
    failed: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    def format(self) -> str:
        lines = [f"model {self.model_id} on {', '.join(self.packages)}: {self.n_clips} clips, {self.n_labelled} labelled",
                 f"{'category':14s} {'n':>5s} {'P@10':>6s} {'AP':>6s}"]
        for cat, m in sorted(self.per_category.items()):
            lines.append(f"{cat:14s} {m['n']:5d} {m['p_at_10']:6.3f} {m['ap']:6.3f}")
        lines += [f"mean P@10 {self.mean_p_at_10:.3f} (categories with >= {self.min_clips} clips; all: "
                  f"{self.mean_p_at_10_all:.3f})   mAP {self.map:.3f}",
                  f"text->audio R@1 {self.r_at_1:.3f}   R@10 {self.r_at_10:.3f}",
                  f"zero-shot top-1 {self.zero_shot_top1:.3f} (chance {self.zero_shot_chance:.3f})"]
        if self.failed:
            lines.append(f"{len(self.failed)} clips failed to load")
        return "\n".join(lines)


def precision_at_k(relevant_sorted: np.ndarray, k: int) -> float:
    """Fraction of relevant items among the first ``k`` of a ranking (boolean array, best first)."""
    return float(np.asarray(relevant_sorted[:k], dtype=np.float64).sum() / k)


def average_precision(relevant_sorted: np.ndarray) -> float:
    """AP of a full ranking (boolean array, best first); 0 when nothing is relevant."""
    rel = np.asarray(relevant_sorted, dtype=np.float64)
    if rel.sum() == 0:
        return 0.0
    hits = np.cumsum(rel)
    return float((hits / np.arange(1, len(rel) + 1) * rel).sum() / rel.sum())


def category_metrics(sims: np.ndarray, labels: Sequence[str], categories: Sequence[str], *, k: int = 10) -> dict:
    """``sims`` ``(n_categories, n_clips)`` -> {cat: {n, p_at_10, ap}}."""
    labels = np.asarray(labels)
    out = {}
    for i, cat in enumerate(categories):
        order = np.argsort(-sims[i], kind="stable")
        rel = labels[order] == cat
        out[cat] = {"n": int(rel.sum()), "p_at_10": precision_at_k(rel, k), "ap": average_precision(rel)}
    return out


def caption_recall(sims: np.ndarray, query_captions: Sequence[str], clip_captions: Sequence[str], ks=(1, 10)) -> dict:
    """``sims`` ``(n_queries, n_clips)``; a hit is a clip with the query's exact caption in the top k."""
    clip_captions = np.asarray(clip_captions)
    order = np.argsort(-sims, axis=1, kind="stable")
    out = {}
    for k in ks:
        top = clip_captions[order[:, :k]]
        out[k] = float(np.mean([q in row for q, row in zip(query_captions, top)])) if len(query_captions) else 0.0
    return out


def zero_shot_top1(sims: np.ndarray, labels: Sequence[str], categories: Sequence[str]) -> float:
    """``sims`` ``(n_categories, n_clips)`` -> accuracy of argmax category per clip."""
    if sims.shape[1] == 0:
        return 0.0
    pred = np.asarray(categories)[np.argmax(sims, axis=0)]
    return float(np.mean(pred == np.asarray(labels)))


def trained_packages(embedder) -> list[str]:
    """Packages an embedded model was trained on (from its config), [] if unknown."""
    cfg_path = Path(getattr(embedder, "model_dir", "")) / "config.json"
    if not cfg_path.is_file():
        return []
    import json

    training = json.loads(cfg_path.read_text()).get("training", {})
    return sorted(training.get("real_clips_per_package", {}))


def evaluate(embedder, manifest, corpus_dir, *, packages: Sequence[str] | None = None, max_clip_s: float = 30.0,
             batch_size: int = 32, allow_trained: bool = False, min_clips: int = 10,
             show_progress: bool = True) -> RetrievalReport:
    """Embed the clips of ``packages`` (default: all not trained on) and compute the metrics."""
    from sfxgen.audio import read_audio
    from sfxgen.train.clap import read_manifest
    from sfxgen.train.common import progress

    rows = read_manifest(manifest)
    seen = trained_packages(embedder)
    all_pkgs = sorted({r["package"] for r in rows})
    pkgs = list(packages) if packages else [p for p in all_pkgs if p not in seen]
    unknown = sorted(set(pkgs) - set(all_pkgs))
    if unknown:
        raise ParameterError(f"{manifest}: no clips for package(s) {', '.join(unknown)}")
    leaked = sorted(set(pkgs) & set(seen))
    if leaked and not allow_trained:
        raise ParameterError(f"model {embedder.model_id} was trained on {', '.join(leaked)}; evaluate on other packages "
                             f"(or pass --allow-trained to measure training-set fit)")
    rows = [r for r in rows if r["package"] in set(pkgs)]
    if not rows:
        raise ParameterError("no clips to evaluate")
    vecs, kept, failed = [], [], []
    for i in progress(range(0, len(rows), batch_size), desc="embed clips", disable=not show_progress):
        clips, ok_rows = [], []
        for r in rows[i : i + batch_size]:
            try:
                clips.append(read_audio(Path(corpus_dir) / r["path"], max_duration_s=max_clip_s))
                ok_rows.append(r)
            except SfxgenError as exc:
                failed.append(str(exc))
        if clips:
            try:
                vecs.append(embedder.embed_audio(clips, batch_size=batch_size))
                kept.extend(ok_rows)
            except SfxgenError:
                for r, c in zip(ok_rows, clips):  # find the bad one, keep the rest
                    try:
                        vecs.append(embedder.embed_audio([c]))
                        kept.append(r)
                    except SfxgenError as exc:
                        failed.append(f"{r['path']}: {exc}")
    audio = np.concatenate(vecs) if vecs else np.zeros((0, embedder.dim), np.float32)
    labels = [r["category"] for r in kept]
    lab_idx = np.array([i for i, c in enumerate(labels) if c in CATEGORY_QUERIES], dtype=int)
    lab = [labels[i] for i in lab_idx]
    cats = sorted(set(lab))
    report = RetrievalReport(model_id=embedder.model_id, packages=pkgs, n_clips=len(kept), n_labelled=len(lab_idx),
                             failed=failed, min_clips=min_clips)
    if cats:
        q = embedder.embed_text([CATEGORY_QUERIES[c] for c in cats])
        sims = q @ audio[lab_idx].T
        report.per_category = category_metrics(sims, lab, cats)
        big = [m["p_at_10"] for m in report.per_category.values() if m["n"] >= min_clips]
        report.mean_p_at_10 = float(np.mean(big)) if big else 0.0
        report.mean_p_at_10_all = float(np.mean([m["p_at_10"] for m in report.per_category.values()]))
        report.map = float(np.mean([m["ap"] for m in report.per_category.values()]))
        report.zero_shot_top1 = zero_shot_top1(sims, lab, cats)
        report.zero_shot_chance = 1.0 / len(cats)
    captions = [r["caption"].replace("_", " ") for r in kept]
    if captions:
        t = embedder.embed_text(captions)
        rec = caption_recall(t @ audio.T, captions, captions)
        report.r_at_1, report.r_at_10 = rec[1], rec[10]
    return report
