"""One calibrated relevance score in [0, 1] for every place a sound is matched to a request.

Search, "find similar", the generator's candidate pick and the designer's layer picks all show
how well a sound fits. The raw evidence lives on different scales (CLAP cosines ~0.1-0.4,
MiniLM cosines ~0.2-0.8, BM25 unbounded), so each use goes through a small logistic model fitted
on the development corpus (``sfxgen train relevance``: real third-party recordings, labels =
manifest categories, fitted and reported leave-one-package-out). Its output is the estimated
probability that a sound is what was asked for: 0.8 means about 8 in 10 such results were
right on the development corpus, whatever the mode.

Evidence (:data:`FEATURES`), computed by :func:`evidence_matrix` for both serving and fitting:

``audio_z``   text→audio CLAP cosine, standardised against the same query's cosines to a fixed
              sample of the library ("standard deviations above a typical clip")
``meta_z``    MiniLM cosine of the query to the file's metadata text, standardised the same way
``lexical``   full-text evidence (:mod:`sfxgen.library.lexical`): normalised BM25 per concept,
              averaged over the query's concepts, in [0, 1]
``coverage``  fraction of the query's concepts the file's words match
``similar_z`` audio→audio cosine (query by example), standardised against the library sample
``cosine``    a raw text→audio CLAP cosine, where no library is at hand (generated candidates)

Models (one per use, by name): ``hybrid`` (audio_z, meta_z, lexical, coverage), ``audio``
(audio_z), ``meta`` (meta_z, lexical, coverage), ``lexical`` (lexical, coverage), ``similar``
(similar_z), ``similar_hybrid`` (similar_z and meta_z of the example's metadata text),
``text_audio`` (cosine). Parameters ship in ``sfxgen/data/relevance.json`` with the
model ids they were fitted for; refit after retraining the CLAP (model card). A negated concept
("explosion, not metallic") multiplies by ``1 - relevance(negated concept)``.

Other modules call :func:`relevance` (evidence you computed) or :func:`text_audio_relevance`
(raw CLAP cosines of generated candidates to their prompt). Pure numpy: importing this module
loads no model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from sfxgen.errors import ModelError, ParameterError

FEATURES = ("audio_z", "meta_z", "lexical", "coverage", "similar_z", "cosine")
#: Derived features: ``name -> (evidence, threshold)`` = ``max(evidence - threshold, 0)``, so a
#: logistic model can trust a modality more once it is far above a typical clip.
DERIVED: dict[str, tuple[str, float]] = {
    "audio_z_hi": ("audio_z", 1.5), "meta_z_hi": ("meta_z", 1.5), "similar_z_hi": ("similar_z", 1.5),
}
MODEL_FEATURES: dict[str, tuple[str, ...]] = {
    "hybrid": ("audio_z", "meta_z", "lexical", "coverage", "audio_z_hi", "meta_z_hi"),
    "audio": ("audio_z", "audio_z_hi"),
    "meta": ("meta_z", "lexical", "coverage", "meta_z_hi"),
    "lexical": ("lexical", "coverage"),
    "similar": ("similar_z", "similar_z_hi"),
    "similar_hybrid": ("similar_z", "meta_z", "similar_z_hi", "meta_z_hi"),
    "text_audio": ("cosine",),
}
#: z-score given to a candidate with no vector in a modality (far below a typical clip).
MISSING_Z = -3.0
RELEVANCE_JSON = Path(__file__).resolve().parents[1] / "data" / "relevance.json"


@dataclass
class LogisticModel:
    """``P(relevant) = sigmoid(bias + weights · features)`` over the named ``features``."""

    features: tuple[str, ...]
    weights: list[float]
    bias: float

    def predict(self, x: np.ndarray) -> np.ndarray:
        """``x`` ``(n, len(features))`` -> probabilities ``(n,)`` in [0, 1]."""
        x = np.asarray(x, np.float64).reshape(-1, len(self.features))
        z = self.bias + x @ np.asarray(self.weights, np.float64)
        return (0.5 * (1.0 + np.tanh(0.5 * z))).astype(np.float32)  # overflow-free sigmoid

    def to_dict(self) -> dict:
        return {"features": list(self.features), "weights": [float(w) for w in self.weights], "bias": float(self.bias)}

    @classmethod
    def from_dict(cls, d: Mapping) -> "LogisticModel":
        return cls(features=tuple(d["features"]), weights=[float(w) for w in d["weights"]], bias=float(d["bias"]))


@dataclass
class RelevanceSet:
    """The fitted models of one embedder pair, with what they were fitted on."""

    models: dict[str, LogisticModel]
    audio_model_id: str | None = None
    text_model_id: str | None = None
    fitted_on: dict = field(default_factory=dict)
    report: dict = field(default_factory=dict)

    def model(self, name: str) -> LogisticModel:
        if name not in self.models:
            raise ModelError(f"the relevance calibration has no {name!r} model; refit it with `sfxgen train relevance`")
        return self.models[name]

    def to_dict(self) -> dict:
        return {"audio_model_id": self.audio_model_id, "text_model_id": self.text_model_id,
                "fitted_on": self.fitted_on, "report": self.report,
                "models": {k: m.to_dict() for k, m in self.models.items()}}

    @classmethod
    def from_dict(cls, d: Mapping) -> "RelevanceSet":
        return cls(models={k: LogisticModel.from_dict(v) for k, v in d.get("models", {}).items()},
                   audio_model_id=d.get("audio_model_id"), text_model_id=d.get("text_model_id"),
                   fitted_on=dict(d.get("fitted_on", {})), report=dict(d.get("report", {})))

    def save(self, path) -> None:
        """Write as JSON (temp file + rename)."""
        import os
        import tempfile

        path = Path(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w") as f:
            json.dump(self.to_dict(), f, indent=1)
            f.write("\n")
        os.replace(tmp, path)


@lru_cache(maxsize=4)
def _load(path: str) -> RelevanceSet:
    try:
        return RelevanceSet.from_dict(json.loads(Path(path).read_text()))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{path}: cannot read the relevance calibration ({exc}); refit it with `sfxgen train relevance`") from None


def load_relevance(path=None) -> RelevanceSet:
    """The shipped calibration (or the one at ``path``), cached."""
    return _load(str(Path(path) if path else RELEVANCE_JSON))


def standardise(cosines: np.ndarray, reference: np.ndarray | None) -> np.ndarray:
    """``(cosines - mean) / std`` of the same query's cosines to a library sample ``reference``
    (1-d); the cosines' own statistics when no usable reference is given."""
    c = np.asarray(cosines, np.float32)
    ref = c if reference is None or len(reference) < 2 else np.asarray(reference, np.float32)
    ref = ref[np.isfinite(ref)]
    if len(ref) < 2:
        return np.where(np.isfinite(c), 0.0, MISSING_Z).astype(np.float32)
    z = (c - float(ref.mean())) / max(float(ref.std()), 1e-6)
    return np.where(np.isfinite(z), z, MISSING_Z).astype(np.float32)


def evidence_matrix(model: LogisticModel, evidence: Mapping[str, np.ndarray | float | None], n: int) -> np.ndarray:
    """Stack ``evidence`` (name -> array of ``n`` values or a scalar) into ``(n, features)``
    for ``model``; missing z-scores count as :data:`MISSING_Z`, missing lexical evidence as 0."""
    return feature_matrix(model.features, evidence, n)


def feature_matrix(features: Sequence[str], evidence: Mapping[str, np.ndarray | float | None], n: int) -> np.ndarray:
    """``(n, len(features))`` from base ``evidence``, :data:`DERIVED` features computed here."""
    cols = []
    for name in features:
        if name in DERIVED:
            base, threshold = DERIVED[name]
            cols.append(np.maximum(feature_matrix((base,), evidence, n)[:, 0] - threshold, 0.0))
            continue
        v = evidence.get(name)
        if v is None:
            v = MISSING_Z if name.endswith("_z") else 0.0
        v = np.broadcast_to(np.asarray(v, np.float32), (n,))
        if name.endswith("_z"):
            v = np.where(np.isfinite(v), v, MISSING_Z)
        cols.append(v)
    return np.stack(cols, 1) if cols else np.zeros((n, 0), np.float32)


def relevance(*, model: str = "hybrid", relevance_set: RelevanceSet | None = None, **evidence) -> np.ndarray:
    """Calibrated relevance in [0, 1] from evidence arrays (see module doc for the names), with
    the named model: ``relevance(audio_z=za, meta_z=zm, lexical=lx, coverage=cv)`` -> ``(n,)``.

    Unknown evidence names are refused (a typo would otherwise silently count as missing)."""
    unknown = set(evidence) - set(FEATURES)
    if unknown:
        raise ParameterError(f"unknown relevance evidence {sorted(unknown)}; use {', '.join(FEATURES)}")
    rs = relevance_set or load_relevance()
    m = rs.model(model)
    sizes = {np.asarray(v).size for v in evidence.values() if v is not None and np.ndim(v) > 0}
    if len(sizes) > 1:
        raise ParameterError(f"relevance evidence arrays differ in length: {sorted(sizes)}")
    n = sizes.pop() if sizes else 1
    return m.predict(evidence_matrix(m, evidence, n))


def text_audio_relevance(cosines, *, relevance_set: RelevanceSet | None = None) -> np.ndarray:
    """Relevance in [0, 1] of sounds to a text from raw CLAP text→audio cosines (e.g. generated
    candidates against their prompt; no library needed). Same calibration as search."""
    return relevance(model="text_audio", cosine=np.atleast_1d(np.asarray(cosines, np.float32)), relevance_set=relevance_set)


def combine_negation(positive: np.ndarray, negatives: Sequence[np.ndarray]) -> np.ndarray:
    """Relevance to "A, not B, not C": ``p(A) · Π (1 - p(B_i))`` (independence assumed)."""
    out = np.asarray(positive, np.float32).copy()
    for neg in negatives:
        out *= 1.0 - np.asarray(neg, np.float32)
    return out


def fit_logistic(x: np.ndarray, y: np.ndarray, features: Sequence[str], *, l2: float = 1e-3) -> LogisticModel:
    """Maximum-likelihood logistic regression (L2 on the weights, not the bias), unweighted so
    the probabilities stay calibrated to the fitting data's base rate. scipy L-BFGS."""
    from scipy.optimize import minimize

    x = np.asarray(x, np.float64).reshape(len(y), -1)
    y = np.asarray(y, np.float64)
    if len(np.unique(y)) < 2:
        raise ParameterError("fitting relevance needs both relevant and irrelevant examples")
    n = len(y)

    def loss(p):
        z = p[0] + x @ p[1:]
        ll = np.logaddexp(0, z) - y * z
        g = 1.0 / (1.0 + np.exp(-z)) - y
        return ll.mean() + l2 * (p[1:] ** 2).sum(), np.concatenate([[g.mean()], x.T @ g / n + 2 * l2 * p[1:]])

    base = np.clip(y.mean(), 1e-6, 1 - 1e-6)
    p0 = np.concatenate([[np.log(base / (1 - base))], np.zeros(x.shape[1])])
    res = minimize(loss, p0, jac=True, method="L-BFGS-B")
    return LogisticModel(features=tuple(features), weights=[float(v) for v in res.x[1:]], bias=float(res.x[0]))

