"""Evaluation of library search modes on the real dev corpus (``sfxgen eval library``).

Indexes the corpus packages (by default those the audio model was *not* trained on) with
:class:`sfxgen.library.Library` — the same scan, metadata and embedding path a user gets — then
asks one text query per category (:data:`sfxgen.eval.retrieval.CATEGORY_QUERIES`, the same
phrasing as ``sfxgen eval retrieval``) through :meth:`~sfxgen.library.Library.search` in each
mode (audio, lexical, meta, hybrid: query reading, feedback, fusion and duplicate collapsing
included) and reports **P@10** (fraction of the top 10 whose manifest ``category`` is the
queried one) and **R@10** (relevant hits in the top 10 / min(10, relevant clips)). The headline
is the mean over categories with at least ``min_clips`` labelled clips.

The shipped fusion models were fitted on these packages (``sfxgen train relevance``), so the
report also gives the **leave-one-package-out** figures (each package ranked by models fitted
on the others; :func:`sfxgen.train.relevance.fit_relevance`), the honest ones. Note that the
manifest's categories are derived from the corpus paths by keyword rules, so ``lexical`` and
``meta`` see words closely related to the labels; ``audio`` does not.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from sfxgen.errors import ParameterError

MODES = ("audio", "lexical", "meta", "hybrid")


@dataclass
class LibraryEvalReport:
    """P@10 and R@10 per category and mode; ``mean``/``mean_r_at_10`` over categories with
    ≥ ``min_clips`` clips; ``lopo``: leave-one-package-out means per mode (``{}`` with one package)."""

    audio_model_id: str
    packages: list[str]
    n_indexed: int
    n_failed: int
    categories: list[str]
    per_category: dict[str, dict] = field(default_factory=dict)  # cat -> {n, audio, lexical, meta, hybrid, r_at_10}
    mean: dict[str, float] = field(default_factory=dict)  # mode -> mean P@10
    mean_r_at_10: dict[str, float] = field(default_factory=dict)
    lopo: dict[str, dict] = field(default_factory=dict)  # mode -> {"p_at_10", "r_at_10"}
    min_clips: int = 10
    index_seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)

    def format(self) -> str:
        lines = [f"library search on {', '.join(self.packages)} ({self.n_indexed} clips indexed, {self.n_failed} failed)",
                 f"audio model {self.audio_model_id}; shipped fusion (fitted on these packages), P@10:",
                 f"{'category':14s} {'n':>5s} " + " ".join(f"{m:>7s}" for m in MODES)]
        for c in self.categories:
            r = self.per_category[c]
            lines.append(f"{c:14s} {r['n']:5d} " + " ".join(f"{r[m]:7.2f}" for m in MODES))
        lines.append(f"{'mean P@10':14s} {'':5s} " + " ".join(f"{self.mean[m]:7.3f}" for m in MODES))
        lines.append(f"{'mean R@10':14s} {'':5s} " + " ".join(f"{self.mean_r_at_10[m]:7.3f}" for m in MODES))
        if self.lopo:
            lines.append(f"{'leave-one-package-out P@10':27s}" + " ".join(
                f" {m} {self.lopo[m]['p_at_10']:.3f}" for m in MODES if m in self.lopo))
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
    min_clips: int = 10,
    progress: bool = True,
) -> LibraryEvalReport:
    """Index ``packages`` of the corpus into ``index_dir`` (incremental: re-runs reuse it) and
    evaluate the search modes. See the module doc."""
    import time

    from sfxgen.eval.retrieval import CATEGORY_QUERIES, trained_packages
    from sfxgen.library import Library

    corpus = Path(corpus_dir).resolve()
    rows = read_labels(manifest)
    lib = Library.open(index_dir, embedder=embedder, text_encoder=text_encoder, model=model)
    emb = lib.embedder
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
    package_of = {str(corpus / r["path"]): r["package"] for r in rows if r["package"] in pkgs}
    counts: dict[str, int] = {}
    for c in label.values():
        if c:
            counts[c] = counts.get(c, 0) + 1
    cats = sorted(c for c, n in counts.items() if n >= min_clips and c in CATEGORY_QUERIES)
    if not cats:
        raise ParameterError("no category has enough labelled clips in the evaluated packages")
    per: dict[str, dict] = {c: {"n": counts[c]} for c in cats}
    for c in cats:
        for m in MODES:
            top = [label.get(h.path) == c for h in lib.search(CATEGORY_QUERIES[c], top_k=10, mode=m)]
            per[c][m] = sum(top) / 10.0
            per[c][f"r_at_10_{m}"] = sum(top) / min(10, counts[c])
    lopo = {}
    if len(set(package_of.values())) > 1:
        from sfxgen.train.relevance import fit_relevance

        _, rep = fit_relevance(lib, label, package_of, min_clips=min_clips)
        lopo = {m: {"p_at_10": r["p_at_10"], "r_at_10": r["r_at_10"]} for m, r in rep.modes.items()}
    report = LibraryEvalReport(
        audio_model_id=emb.model_id, packages=pkgs, n_indexed=lib.stats().ok, n_failed=len(summary.failed),
        categories=cats, per_category=per,
        mean={m: float(np.mean([per[c][m] for c in cats])) for m in MODES},
        mean_r_at_10={m: float(np.mean([per[c][f"r_at_10_{m}"] for c in cats])) for m in MODES},
        lopo=lopo, min_clips=min_clips, index_seconds=index_s,
    )
    lib.close()
    return report
