"""Evaluation of library search modes on the real dev corpus (``sfxgen eval library``).

Indexes the corpus packages (by default those the audio model was *not* trained on) with
:class:`sfxgen.library.Library` — the same scan, metadata and embedding path a user gets — then
asks one text query per category (:data:`sfxgen.eval.retrieval.CATEGORY_QUERIES`, the same
phrasing as ``sfxgen eval retrieval``) in each mode and reports **P@10**: the fraction of the
top 10 hits (exact duplicates collapsed) whose manifest ``category`` is the queried one. The
headline is the mean over categories with at least ``min_clips`` labelled clips.

``audio`` ranks by audio embeddings only, ``meta`` by the metadata text (file name, folders,
tags), ``hybrid`` by the fused score. The hybrid audio weight is swept over ``weights``; the
report gives every weight's mean P@10 and a two-fold cross-validated figure (weight chosen on
half of the categories, scored on the other half), so the tuned default is not judged on the
queries it was picked with. Note that the manifest's categories are derived from the corpus
paths by keyword rules, so ``meta`` sees words closely related to the labels; ``audio`` does not.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from sfxgen.errors import ParameterError

DEFAULT_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


@dataclass
class LibraryEvalReport:
    """P@10 per category and mode; ``mean`` over categories with ≥ ``min_clips`` clips."""

    audio_model_id: str
    packages: list[str]
    n_indexed: int
    n_failed: int
    categories: list[str]
    per_category: dict[str, dict] = field(default_factory=dict)  # cat -> {n, audio, meta, hybrid}
    mean: dict[str, float] = field(default_factory=dict)  # mode -> mean P@10
    hybrid_weight: float = 0.0
    weight_sweep: dict[str, float] = field(default_factory=dict)  # weight -> mean hybrid P@10
    hybrid_cv: float = 0.0  # two-fold cross-validated hybrid mean P@10
    min_clips: int = 10
    index_seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)

    def format(self) -> str:
        lines = [f"library search on {', '.join(self.packages)} ({self.n_indexed} clips indexed, {self.n_failed} failed)",
                 f"audio model {self.audio_model_id}; hybrid audio weight {self.hybrid_weight}",
                 f"{'category':14s} {'n':>5s} {'audio':>6s} {'meta':>6s} {'hybrid':>6s}"]
        for c in self.categories:
            r = self.per_category[c]
            lines.append(f"{c:14s} {r['n']:5d} {r['audio']:6.2f} {r['meta']:6.2f} {r['hybrid']:6.2f}")
        lines.append(f"{'mean P@10':14s} {'':5s} {self.mean['audio']:6.3f} {self.mean['meta']:6.3f} {self.mean['hybrid']:6.3f}")
        lines.append("hybrid weight sweep: " + ", ".join(f"{w}: {p:.3f}" for w, p in self.weight_sweep.items()))
        lines.append(f"hybrid two-fold cross-validated mean P@10: {self.hybrid_cv:.3f}")
        return "\n".join(lines)


def read_labels(manifest) -> list[dict]:
    with open(manifest, newline="") as f:
        return list(csv.DictReader(f))


def evaluate_library(
    corpus_dir,
    manifest,
    *,
    index_dir,
    embedder=None,
    text_encoder=None,
    model: str | None = None,
    packages: Sequence[str] | None = None,
    allow_trained: bool = False,
    weights: Sequence[float] = DEFAULT_WEIGHTS,
    min_clips: int = 10,
    progress: bool = True,
) -> LibraryEvalReport:
    """Index ``packages`` of the corpus into ``index_dir`` (incremental: re-runs reuse it) and
    evaluate the three search modes. See the module doc."""
    import time

    from sfxgen.eval.retrieval import CATEGORY_QUERIES, trained_packages
    from sfxgen.library import Library
    from sfxgen.library.search import Searcher

    corpus = Path(corpus_dir).resolve()
    rows = read_labels(manifest)
    lib = Library.open(index_dir, embedder=embedder, text_encoder=text_encoder, model=model)
    emb, enc = lib.embedder, lib.text_encoder
    seen = trained_packages(emb)
    all_pkgs = sorted({r["package"] for r in rows})
    pkgs = list(packages) if packages else [p for p in all_pkgs if p not in seen]
    if not allow_trained and set(pkgs) & set(seen):
        raise ParameterError(f"packages {sorted(set(pkgs) & set(seen))} were used to train {emb.model_id}; pass allow_trained to evaluate on them")
    if not pkgs:
        raise ParameterError("no packages left to evaluate")
    t = time.perf_counter()
    summary = lib.index([corpus / p for p in pkgs], progress=progress)
    index_s = time.perf_counter() - t
    label = {str(corpus / r["path"]): r["category"] for r in rows if r["package"] in pkgs}
    counts: dict[str, int] = {}
    for c in label.values():
        if c:
            counts[c] = counts.get(c, 0) + 1
    cats = sorted(c for c, n in counts.items() if n >= min_clips and c in CATEGORY_QUERIES)
    if not cats:
        raise ParameterError("no category has enough labelled clips in the evaluated packages")
    queries = [CATEGORY_QUERIES[c] for c in cats]
    aq = np.asarray(emb.embed_text(queries), np.float32)
    mq = np.asarray(enc.embed_text(queries), np.float32)

    def p_at_10(hits, cat) -> float:
        top = hits[:10]
        return sum(1 for h in top if label.get(h.path) == cat) / 10.0

    per: dict[str, dict] = {c: {"n": counts[c]} for c in cats}
    ref = lib.reference_sample()
    base = Searcher(lib.catalog, lib.audio_store, lib.meta_store, reference=ref)
    for i, c in enumerate(cats):
        per[c]["audio"] = p_at_10(base.rank(audio_query=aq[i], meta_query=None, top_k=10, mode="audio"), c)
        per[c]["meta"] = p_at_10(base.rank(audio_query=None, meta_query=mq[i], top_k=10, mode="meta"), c)
    sweep_per: dict[float, list[float]] = {}
    for w in weights:
        s = Searcher(lib.catalog, lib.audio_store, lib.meta_store, audio_weight=w, reference=ref)
        sweep_per[w] = [p_at_10(s.rank(audio_query=aq[i], meta_query=mq[i], top_k=10, mode="hybrid"), c) for i, c in enumerate(cats)]
    sweep = {str(w): float(np.mean(v)) for w, v in sweep_per.items()}
    w_default = lib.audio_weight
    if w_default not in sweep_per:
        s = Searcher(lib.catalog, lib.audio_store, lib.meta_store, audio_weight=w_default, reference=ref)
        sweep_per[w_default] = [p_at_10(s.rank(audio_query=aq[i], meta_query=mq[i], top_k=10, mode="hybrid"), c) for i, c in enumerate(cats)]
    for i, c in enumerate(cats):
        per[c]["hybrid"] = sweep_per[w_default][i]
    # two-fold CV over categories: pick w on one half, score the other
    folds = [list(range(0, len(cats), 2)), list(range(1, len(cats), 2))]
    cv_scores = []
    for k in (0, 1):
        tune, test = folds[k], folds[1 - k]
        if not tune or not test:
            continue
        best = max(weights, key=lambda w: (np.mean([sweep_per[w][j] for j in tune]), -abs(w - w_default)))
        cv_scores += [sweep_per[best][j] for j in test]
    report = LibraryEvalReport(
        audio_model_id=emb.model_id, packages=pkgs, n_indexed=lib.stats().ok, n_failed=len(summary.failed),
        categories=cats, per_category=per,
        mean={m: float(np.mean([per[c][m] for c in cats])) for m in ("audio", "meta", "hybrid")},
        hybrid_weight=w_default, weight_sweep=sweep, hybrid_cv=float(np.mean(cv_scores)) if cv_scores else float("nan"),
        min_clips=min_clips, index_seconds=index_s,
    )
    lib.close()
    return report
