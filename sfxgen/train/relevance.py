"""Fitting the relevance models of library search (``sfxgen train relevance``).

The fusion of audio (CLAP), lexical (FTS5/BM25) and metadata-sentence (MiniLM) evidence, and the
calibration of every score shown to a user, are small logistic models
(:mod:`sfxgen.library.relevance`). They are fitted here on a library index of real third-party
recordings with category labels (the dev corpus manifest), using exactly the evidence search
computes (:meth:`sfxgen.library.search.Searcher.evidence`), and judged **leave one package
out**: each package's clips are scored by models fitted on the other packages only, the whole
library is ranked by those out-of-fold scores, and P@10 / R@10 per category are reported.
The shipped models are then fitted on all packages.

Queries: one per category in two phrasings, :data:`sfxgen.eval.retrieval.CATEGORY_QUERIES`
(sentences, also the evaluation's) and :data:`sfxgen.train.clap.CATEGORY_WORDS` (keywords).
Query-by-example (``similar``): every labelled clip queries the others (relevant = same
category). Duplicated content (same SHA-1) is collapsed when ranking, as search does.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Mapping, Sequence

import numpy as np

from sfxgen.errors import ParameterError
from sfxgen.library.relevance import MODEL_FEATURES, RelevanceSet, feature_matrix, fit_logistic

TEXT_MODELS = ("hybrid", "audio", "meta", "lexical", "text_audio")
EXAMPLE_MODELS = ("similar", "similar_hybrid")


@dataclass
class EvidenceTable:
    """Rows of (query, clip) evidence: ``x[name]`` ``(rows,)``, ``y`` relevance labels, the
    query index, the clip index, and per clip its package, category and SHA-1."""

    x: dict
    y: np.ndarray
    query: np.ndarray
    clip: np.ndarray
    queries: list
    query_category: list
    clip_package: np.ndarray
    clip_category: np.ndarray
    clip_sha1: np.ndarray


@dataclass
class ModeReport:
    """Leave-one-package-out P@10 and R@10 per category of one model, and their means over
    categories with at least ``min_clips`` clips."""

    per_category: dict = field(default_factory=dict)  # cat -> {"n", "p_at_10", "r_at_10"}
    p_at_10: float = 0.0
    r_at_10: float = 0.0


def library_clips(lib, labels: Mapping[str, str], packages: Mapping[str, str]):
    """``(ids, audio (n, d), meta (n, d), package, category, sha1)`` of the library's ok clips that
    the manifest knows (``labels``/``packages`` keyed by absolute path)."""
    ids_a, audio = lib.catalog.vectors("audio", dim=lib.audio_store.dim)
    ids_m, meta = lib.catalog.vectors("meta", dim=lib.meta_store.dim)
    pos_m = {int(i): k for k, i in enumerate(ids_m)}
    recs = lib.catalog.get_many(ids_a.tolist())
    keep = [k for k, i in enumerate(ids_a) if int(i) in pos_m and recs[int(i)].path in packages]
    ids = ids_a[keep]
    paths = [recs[int(i)].path for i in ids]
    return (ids, audio[keep], meta[[pos_m[int(i)] for i in ids]], np.array([packages[p] for p in paths]),
            np.array([labels.get(p, "") for p in paths]), np.array([recs[int(i)].sha1 or str(int(i)) for i in ids]))


def text_evidence(lib, queries: Sequence[str], query_category: Sequence[str], clips) -> EvidenceTable:
    """Evidence of every (query, clip) pair, computed by the searcher's own code."""
    from sfxgen.library.lexical import concepts as lexical_concepts
    from sfxgen.library.search import QuerySide, Searcher

    ids, audio, meta, pkg, cat, sha = clips
    searcher = Searcher(lib.catalog, lib.audio_store, lib.meta_store, reference=lib.reference_sample())
    aq = np.asarray(lib.embedder.embed_text(list(queries)), np.float32)
    mq = np.asarray(lib.text_encoder.embed_text(list(queries)), np.float32)
    cols: dict[str, list] = {k: [] for k in ("audio_z", "meta_z", "lexical", "coverage", "cosine")}
    y, qi, ci = [], [], []
    for k, q in enumerate(queries):
        side = QuerySide(audio=searcher.expand_audio_query(aq[k]), meta=mq[k], concepts=lexical_concepts(q))
        ev, raw = searcher.evidence(side, ids, (audio, meta), use_audio=True, use_meta=True, use_lexical=True, allowed=None)
        for name in ("audio_z", "meta_z", "lexical", "coverage"):
            cols[name].append(ev.get(name, np.zeros(len(ids), np.float32)))
        cols["cosine"].append(audio @ aq[k])  # the raw text->audio cosine, without feedback
        y.append(cat == query_category[k])
        qi.append(np.full(len(ids), k))
        ci.append(np.arange(len(ids)))
    return EvidenceTable(x={k: np.concatenate(v) for k, v in cols.items()}, y=np.concatenate(y).astype(np.float64),
                         query=np.concatenate(qi), clip=np.concatenate(ci), queries=list(queries),
                         query_category=list(query_category), clip_package=pkg, clip_category=cat, clip_sha1=sha)


def example_evidence(lib, clips, *, max_queries: int = 400, seed: int = 0) -> EvidenceTable:
    """Evidence of (example clip, other clip) pairs for the ``similar`` models."""
    from sfxgen.library.relevance import standardise

    ids, audio, meta, pkg, cat, sha = clips
    ref_a, ref_m = lib.reference_sample()
    labelled = np.flatnonzero(cat != "")
    rng = np.random.default_rng(seed)
    chosen = np.sort(rng.choice(labelled, size=min(max_queries, len(labelled)), replace=False))
    cols: dict[str, list] = {"similar_z": [], "meta_z": []}
    y, qi, ci = [], [], []
    for k, j in enumerate(chosen):
        others = np.flatnonzero((np.arange(len(ids)) != j) & (sha != sha[j]))
        cols["similar_z"].append(standardise(audio[others] @ audio[j], ref_a @ audio[j]))
        cols["meta_z"].append(standardise(meta[others] @ meta[j], ref_m @ meta[j]))
        y.append(cat[others] == cat[j])
        qi.append(np.full(len(others), k))
        ci.append(others)
    return EvidenceTable(x={k: np.concatenate(v) for k, v in cols.items()}, y=np.concatenate(y).astype(np.float64),
                         query=np.concatenate(qi), clip=np.concatenate(ci), queries=[str(int(ids[j])) for j in chosen],
                         query_category=[str(cat[j]) for j in chosen], clip_package=pkg, clip_category=cat, clip_sha1=sha)


def _matrix(table: EvidenceTable, features: Sequence[str], rows=slice(None)) -> np.ndarray:
    sub = {k: v[rows] for k, v in table.x.items()}
    return feature_matrix(features, sub, len(table.y[rows]))


def out_of_fold(table: EvidenceTable, name: str, *, fold_of_row: np.ndarray) -> np.ndarray:
    """Relevance of every row from a model of ``name`` fitted without the row's fold."""
    feats = MODEL_FEATURES[name]
    pred = np.zeros(len(table.y), np.float32)
    for fold in np.unique(fold_of_row):
        test = fold_of_row == fold
        model = fit_logistic(_matrix(table, feats, ~test), table.y[~test], feats)
        pred[test] = model.predict(_matrix(table, feats, test))
    return pred


def ranking_report(table: EvidenceTable, scores: np.ndarray, *, min_clips: int = 10, k: int = 10,
                   queries: Sequence[int] | None = None) -> ModeReport:
    """P@k and R@k per category of the rankings by ``scores`` (duplicates collapsed; a category
    queried several times is averaged); R@k = relevant hits in the top k / min(k, relevant)."""
    counts: dict[str, int] = {}
    for c in table.clip_category[np.unique(table.clip_sha1, return_index=True)[1]]:
        if c:
            counts[c] = counts.get(c, 0) + 1
    per: dict[str, dict] = {}
    for q in (range(len(table.queries)) if queries is None else queries):
        cat = table.query_category[q]
        rows = np.flatnonzero(table.query == q)
        order = rows[np.lexsort((table.clip[rows], -scores[rows]))]
        seen, top = set(), []
        for r in order:
            s = table.clip_sha1[table.clip[r]]
            if s in seen:
                continue
            seen.add(s)
            top.append(table.y[r] > 0)
            if len(top) == k:
                break
        n = counts.get(cat, 0)
        d = per.setdefault(cat, {"n": n, "p": [], "r": []})
        d["p"].append(sum(top) / k)
        d["r"].append(sum(top) / max(1, min(k, n)))
    rep = ModeReport()
    for cat, d in sorted(per.items()):
        rep.per_category[cat] = {"n": d["n"], "p_at_10": float(np.mean(d["p"])), "r_at_10": float(np.mean(d["r"]))}
    big = [v for v in rep.per_category.values() if v["n"] >= min_clips]
    rep.p_at_10 = float(np.mean([v["p_at_10"] for v in big])) if big else 0.0
    rep.r_at_10 = float(np.mean([v["r_at_10"] for v in big])) if big else 0.0
    return rep


@dataclass
class RelevanceReport:
    """What ``sfxgen train relevance`` measured (leave one package out) and fitted."""

    audio_model_id: str
    text_model_id: str
    packages: list[str]
    n_clips: int
    modes: dict = field(default_factory=dict)  # mode -> ModeReport as dict (evaluation queries)
    similar: dict = field(default_factory=dict)  # query by example
    models: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)

    def format(self) -> str:
        modes = [m for m in ("audio", "lexical", "meta", "hybrid") if m in self.modes]
        lines = [f"relevance models for {self.audio_model_id} + {self.text_model_id}, leave-one-package-out over "
                 f"{', '.join(self.packages)} ({self.n_clips} clips)",
                 f"{'category':14s} {'n':>4s} " + " ".join(f"{m:>8s}" for m in modes) + "   (P@10; R@10 below)"]
        cats = sorted(self.modes[modes[0]]["per_category"])
        for c in cats:
            n = self.modes[modes[0]]["per_category"][c]["n"]
            lines.append(f"{c:14s} {n:4d} " + " ".join(f"{self.modes[m]['per_category'][c]['p_at_10']:8.2f}" for m in modes))
        lines.append(f"{'mean P@10':14s} {'':4s} " + " ".join(f"{self.modes[m]['p_at_10']:8.3f}" for m in modes))
        lines.append(f"{'mean R@10':14s} {'':4s} " + " ".join(f"{self.modes[m]['r_at_10']:8.3f}" for m in modes))
        if self.similar:
            lines.append(f"find similar (query by example), P@10 audio {self.similar['similar']['p_at_10']:.3f}, "
                         f"audio+metadata {self.similar['similar_hybrid']['p_at_10']:.3f}")
        for name, m in self.models.items():
            lines.append(f"  {name}: " + ", ".join(f"{f} {w:+.3f}" for f, w in zip(m["features"], m["weights"]))
                         + f", bias {m['bias']:+.3f}")
        return "\n".join(lines)


def fit_relevance(lib, labels: Mapping[str, str], packages: Mapping[str, str], *, min_clips: int = 10,
                  eval_queries: Mapping[str, str] | None = None, extra_queries: Mapping[str, str] | None = None
                  ) -> tuple[RelevanceSet, RelevanceReport]:
    """Fit every relevance model on the library's labelled clips; report leave-one-package-out.

    ``labels``/``packages``: absolute path -> category / package. ``eval_queries``: category ->
    query reported (default CATEGORY_QUERIES); ``extra_queries``: more phrasings used for
    fitting only (default CATEGORY_WORDS)."""
    from sfxgen.eval.retrieval import CATEGORY_QUERIES
    from sfxgen.train.clap import CATEGORY_WORDS

    clips = library_clips(lib, labels, packages)
    pkg, cat = clips[3], clips[4]
    if len(np.unique(pkg)) < 2:
        raise ParameterError("leave-one-package-out needs clips from at least two packages")
    present = sorted({c for c in cat if c})
    eq = {c: q for c, q in (eval_queries or CATEGORY_QUERIES).items() if c in present}
    xq = {c: q for c, q in (extra_queries or CATEGORY_WORDS).items() if c in present}
    queries = list(eq.values()) + list(xq.values())
    qcats = list(eq) + list(xq)
    table = text_evidence(lib, queries, qcats, clips)
    folds = table.clip_package[table.clip]
    eval_q = list(range(len(eq)))
    rs = RelevanceSet(models={}, audio_model_id=lib.embedder.model_id, text_model_id=lib.text_encoder.model_id,
                      fitted_on={"packages": sorted(set(pkg)), "clips": int(len(pkg)), "queries": len(queries)})
    report = RelevanceReport(audio_model_id=rs.audio_model_id, text_model_id=rs.text_model_id,
                             packages=sorted(set(pkg)), n_clips=int(len(pkg)))
    for name in TEXT_MODELS:
        if name != "text_audio":
            oof = out_of_fold(table, name, fold_of_row=folds)
            report.modes[name] = asdict(ranking_report(table, oof, min_clips=min_clips, queries=eval_q))
        feats = MODEL_FEATURES[name]
        rs.models[name] = fit_logistic(_matrix(table, feats), table.y, feats)
    ex = example_evidence(lib, clips)
    ex_folds = ex.clip_package[ex.clip]
    for name in EXAMPLE_MODELS:
        oof = out_of_fold(ex, name, fold_of_row=ex_folds)
        report.similar[name] = asdict(ranking_report(ex, oof, min_clips=1))
        feats = MODEL_FEATURES[name]
        rs.models[name] = fit_logistic(_matrix(ex, feats), ex.y, feats)
    report.models = {k: m.to_dict() for k, m in rs.models.items()}
    rs.report = {"leave_one_package_out": {m: {"p_at_10": r["p_at_10"], "r_at_10": r["r_at_10"]}
                                           for m, r in report.modes.items()}}
    return rs, report


def run(*, corpus_dir, manifest, index_dir, out=None, model: str | None = None, packages: Sequence[str] | None = None,
        allow_trained: bool = False, progress: bool = True) -> RelevanceReport:
    """The ``sfxgen train relevance`` pipeline: index the corpus packages the audio model was not
    trained on (incremental), fit and report, and write the models to ``out`` (default: the
    shipped ``sfxgen/data/relevance.json``)."""
    from pathlib import Path

    from sfxgen.eval.library import read_labels
    from sfxgen.eval.retrieval import trained_packages
    from sfxgen.library import Library
    from sfxgen.library.relevance import RELEVANCE_JSON

    corpus = Path(corpus_dir).resolve()
    rows = read_labels(manifest)
    lib = Library.open(index_dir, model=model)
    try:
        seen = trained_packages(lib.embedder)
        pkgs = list(packages) if packages else sorted({r["package"] for r in rows} - set(seen))
        if set(pkgs) & set(seen) and not allow_trained:
            raise ParameterError(f"packages {sorted(set(pkgs) & set(seen))} were used to train {lib.embedder.model_id}; "
                                 "their audio scores would be optimistic (pass allow_trained to use them anyway)")
        lib.index([corpus / p for p in pkgs], progress=progress)
        labels = {str(corpus / r["path"]): r["category"] for r in rows if r["package"] in pkgs}
        package_of = {str(corpus / r["path"]): r["package"] for r in rows if r["package"] in pkgs}
        rs, report = fit_relevance(lib, labels, package_of)
    finally:
        lib.close()
    rs.save(out or RELEVANCE_JSON)
    return report
