"""``sfxgen eval realism``: how much the engine's renders look like real recordings of their kind.

Two measurements per family that names a real category (``Family.category``), both on the same
fixed audio features (pooled log-mel descriptors, :func:`clip_features`: a deterministic function
of the audio, not a trained model):

(a) **recognition** -- a classifier trained *only on real clips* of the development corpus
    (standardised features, balanced logistic regression) labels renders of the family; the
    share labelled as the family's category is compared with how often the same classifier,
    trained leave-one-package-out, recognises real clips of that category from a package it has
    not seen (``real_recall``). A family passes (a) when ``recognised >= real_recall``.
(b) **distance** -- the kernel distance (KID: unbiased squared MMD, cubic polynomial kernel, on the
    standardised features) between the renders and the real clips of the category, against the
    mean real-vs-real distance between two packages' clips of that category (``kid_real_real``).
    ``kid_ratio`` = render-vs-real / real-vs-real: 1 means renders are as far from the real clips
    as one game's recordings are from another's.

Every clip, real or render, is featurised at the same loudness (:data:`FEATURE_LUFS`): a
recording's absolute level says how its package was mastered, not what it is, and a classifier
fed raw levels learned the mastering (renders at -20 LUFS read as "not footsteps" because the
real footsteps sat near -27 LUFS; turned down 12 dB, the same renders were recognised 5x as often).

Neither the classifier nor the features were fitted to renders, so the engine is judged by a
yardstick it did not shape. The features are coarse (band levels, their spread and modulation,
spectral shape, envelope): passing says the spectro-temporal statistics match, not that a
listener would be fooled; look at spectrogram sheets too (``tools/spectrogram_sheet.py``).
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from sfxgen.errors import ParameterError

#: Real categories need at least this many clips and two packages to be a classifier class.
MIN_CLIPS, MIN_PACKAGES = 15, 2
#: Longest section of a real clip or render that is featurised (seconds).
MAX_CLIP_S = 10.0
#: Categories left out of the classifier: music is not a sound effect, and "pickup" (game item
#: pick-ups) names a game event, not a kind of sound.
EXCLUDED_CATEGORIES = ("music", "pickup")
#: Integrated loudness every clip is brought to before its features are taken (see module doc).
FEATURE_LUFS = -23.0
#: Version of :func:`clip_features` (part of the real-set cache key).
FEATURES_VERSION = 2


def clip_features(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """``(channels, samples)`` at any rate -> 1-D float32 feature vector: the pooled log-mel
    descriptors of the (mono, 16 kHz, at most :data:`MAX_CLIP_S`) clip, with trailing silence
    trimmed (a render's or a file's silent tail is not the sound), measured at
    :data:`FEATURE_LUFS` integrated loudness (a clip under the -70 LUFS gate stays as it is)."""
    import torch

    from sfxgen.embed.descriptors import mel_descriptors
    from sfxgen.embed.features import MelConfig, logmel, prepare_waveform
    from sfxgen.loudness.meter import integrated_lufs

    cfg = MelConfig()
    x = np.asarray(audio, np.float32)[..., : int(MAX_CLIP_S * sample_rate)]
    lufs = integrated_lufs(x, sample_rate) if x.shape[-1] else None
    if lufs is not None:
        x = x * np.float32(10.0 ** ((FEATURE_LUFS - lufs) / 20.0))
    wave = prepare_waveform(x, sample_rate, cfg)
    mel = logmel(wave, cfg)
    energy = np.log(np.exp(mel).sum(axis=0))
    loud = np.flatnonzero(energy > energy.max() - 11.5)  # frames within ~50 dB of the loudest
    end = int(loud[-1]) + 1 if loud.size else mel.shape[1]
    with torch.inference_mode():
        d = mel_descriptors(torch.from_numpy(np.ascontiguousarray(mel[:, : max(end, 1)]))[None])[0]
    return d.numpy().astype(np.float32)


@dataclass
class RealSet:
    """Features of the labelled real clips: ``X`` (n, d), ``categories`` (n,), ``packages`` (n,)."""

    X: np.ndarray
    categories: np.ndarray
    packages: np.ndarray
    paths: list[str]

    def classes(self) -> list[str]:
        """Categories with enough clips in enough packages to be a classifier class."""
        out = []
        for c in sorted(set(self.categories)):
            sel = self.categories == c
            if c and c not in EXCLUDED_CATEGORIES and sel.sum() >= MIN_CLIPS and len(set(self.packages[sel])) >= MIN_PACKAGES:
                out.append(str(c))
        return out


def load_real(manifest, corpus_dir, *, extra_manifests: Sequence = (), cache_dir=None,
              progress: bool = False) -> RealSet:
    """Featurise the labelled, non-duplicate, decodable clips of ``manifest`` (paths relative to
    ``corpus_dir``) and of each extra manifest (paths relative to the CSV's own folder, as
    ``tools/fetch_train_sfx.py`` writes them). Cached per manifest."""
    sets = [_load_one(Path(manifest), Path(corpus_dir), cache_dir=cache_dir, progress=progress)]
    sets += [_load_one(Path(m), Path(m).parent, cache_dir=cache_dir, progress=progress) for m in extra_manifests]
    return RealSet(np.concatenate([s.X for s in sets]), np.concatenate([s.categories for s in sets]),
                   np.concatenate([s.packages for s in sets]), [p for s in sets for p in s.paths])


def _load_one(manifest: Path, corpus_dir: Path, *, cache_dir=None, progress: bool = False) -> RealSet:
    from sfxgen.audio import read_audio
    from sfxgen.errors import AudioReadError
    from sfxgen.paths import cache_dir as default_cache

    if not manifest.is_file():
        raise ParameterError(f"{manifest}: no such manifest (build one with shared/corpus/make_manifest.py)")
    rows = [r for r in csv.DictReader(manifest.open(newline="")) if r.get("category") and not r.get("duplicate_of")
            and not r.get("decode_error")]
    key = hashlib.sha1(f"{FEATURES_VERSION}:{corpus_dir.resolve()}{manifest.read_text()}".encode()).hexdigest()[:16]
    cache = Path(cache_dir) if cache_dir else default_cache() / "realism"
    path = cache / f"real_{key}.npz"
    if path.is_file():
        z = np.load(path, allow_pickle=False)
        return RealSet(z["X"], z["categories"], z["packages"], list(z["paths"]))
    X, cats, pkgs, paths = [], [], [], []
    for i, r in enumerate(rows):
        try:
            audio, sr = read_audio(corpus_dir / r["path"], max_duration_s=MAX_CLIP_S)
            if audio.shape[-1] < 0.02 * sr or not np.any(audio):
                continue
            X.append(clip_features(audio, sr))
        except AudioReadError:
            continue
        cats.append(r["category"])
        pkgs.append(r["package"])
        paths.append(r["path"])
        if progress and i % 200 == 0:
            print(f"  {manifest.name}: real clips {i}/{len(rows)}", flush=True)
    real = RealSet(np.stack(X), np.array(cats), np.array(pkgs), paths)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, X=real.X, categories=real.categories, packages=real.packages, paths=np.array(paths))
    tmp.replace(path)
    return real


def category_durations(manifests: Sequence, category: str) -> np.ndarray:
    """Durations (s) of the labelled, non-duplicate, decodable clips of ``category`` in the
    manifests (their ``duration_s`` column)."""
    out = []
    for m in manifests:
        for r in csv.DictReader(Path(m).open(newline="")):
            if r.get("category") == category and not r.get("duplicate_of") and not r.get("decode_error"):
                try:
                    out.append(float(r["duration_s"]))
                except (KeyError, TypeError, ValueError):
                    continue
    return np.array(out, np.float64)


def _classifier():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=0.01, class_weight="balanced", max_iter=3000))


def leave_one_package_out(real: RealSet, classes: Sequence[str]) -> dict[str, float]:
    """Per-category recall of the classifier on packages it was not trained on (each package's
    clips predicted by a classifier fitted on all the other packages), plus ``"_mean"``."""
    sel = np.isin(real.categories, classes)
    X, y, pk = real.X[sel], real.categories[sel], real.packages[sel]
    pred = np.empty(len(y), dtype=object)
    for p in sorted(set(pk)):
        test = pk == p
        train = ~test
        if len(set(y[train])) < 2:
            pred[test] = ""
            continue
        pred[test] = _classifier().fit(X[train], y[train]).predict(X[test])
    out = {c: float(np.mean(pred[y == c] == c)) for c in classes}
    out["_mean"] = float(np.mean(list(out.values())))
    return out


def kid(a: np.ndarray, b: np.ndarray) -> float:
    """Unbiased squared MMD with the cubic polynomial kernel ``(x.y / d + 1)^3`` (the KID of
    Binkowski et al.), for row sets ``a`` (n, d) and ``b`` (m, d), n, m >= 2."""
    d = a.shape[1]
    kaa = (a @ a.T / d + 1) ** 3
    kbb = (b @ b.T / d + 1) ** 3
    kab = (a @ b.T / d + 1) ** 3
    n, m = len(a), len(b)
    return float((kaa.sum() - np.trace(kaa)) / (n * (n - 1)) + (kbb.sum() - np.trace(kbb)) / (m * (m - 1))
                 - 2 * kab.mean())


def real_vs_real_kid(Z: np.ndarray, packages: np.ndarray, *, min_clips: int = 5) -> float | None:
    """Mean KID between every two packages' clips (standardised ``Z``) with >= ``min_clips`` each."""
    pk = [p for p in sorted(set(packages)) if (packages == p).sum() >= min_clips]
    vals = [kid(Z[packages == p], Z[packages == q]) for i, p in enumerate(pk) for q in pk[i + 1:]]
    return float(np.mean(vals)) if vals else None


def render_family(family: str, *, n: int, seed: int, durations_s: Sequence[float] | None = None) -> list[np.ndarray]:
    """``n`` renders of ``family`` (random patches from the corpus builder's sampler, its
    durations) as feature vectors. With ``durations_s`` (the real clips' durations of the
    family's category) each render instead takes the duration of a real clip drawn at random
    (0.25 .. :data:`MAX_CLIP_S` s): like is compared with like where the real clips are single
    events and the family's default is a sequence (a 0.4 s footstep file vs a 4 s walk)."""
    from sfxgen.synth import render
    from sfxgen.synth.corpus import sample_item

    feats = []
    for i in range(n):
        patch, clip_seed, dur = sample_item(i, seed=seed, families=(family,))
        if durations_s is not None and len(durations_s):
            pick = np.random.default_rng([int(seed), i, 11]).choice(np.asarray(durations_s, np.float64))
            dur = round(float(np.clip(pick, 0.25, MAX_CLIP_S)), 3)
        audio = render(patch, duration_s=dur, seed=clip_seed)
        feats.append(clip_features(audio, 48000))
    return feats


@dataclass
class RealismRow:
    family: str
    category: str
    n_renders: int
    recognised: float
    real_recall: float
    passes_recognition: bool
    top_labels: dict
    kid_render_real: float
    kid_real_real: float | None
    kid_ratio: float | None


@dataclass
class RealismReport:
    classes: list[str]
    chance: float
    real_lopo_recall: dict
    rows: list[RealismRow] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    durations: str = "family"

    def to_dict(self) -> dict:
        return asdict(self)

    def format(self) -> str:
        lines = [f"classifier on real clips only: {len(self.classes)} categories (chance {self.chance:.3f}), "
                 f"leave-one-package-out recall {self.real_lopo_recall['_mean']:.3f}; render durations: "
                 + ("the family's corpus durations" if self.durations == "family"
                    else "drawn from the category's real clips"),
                 f"{'family':20s} {'category':12s} {'recog':>6s} {'real':>6s} {'pass':>5s} "
                 f"{'KID r-r':>8s} {'KID real':>9s} {'ratio':>6s}  top labels"]
        for r in self.rows:
            top = ", ".join(f"{k} {v:.2f}" for k, v in r.top_labels.items())
            rr = "-" if r.kid_real_real is None else f"{r.kid_real_real:8.3f}"
            ratio = "-" if r.kid_ratio is None else f"{r.kid_ratio:6.2f}"
            lines.append(f"{r.family:20s} {r.category:12s} {r.recognised:6.2f} {r.real_recall:6.2f} "
                         f"{'yes' if r.passes_recognition else 'no':>5s} {r.kid_render_real:8.3f} {rr:>9s} {ratio:>6s}  {top}")
        if self.rows:
            rec = np.mean([r.recognised for r in self.rows])
            passed = sum(r.passes_recognition for r in self.rows)
            ratios = [r.kid_ratio for r in self.rows if r.kid_ratio is not None]
            lines.append(f"mean recognised {rec:.3f}; {passed}/{len(self.rows)} families pass (a); "
                         f"median KID ratio {np.median(ratios):.2f}" if ratios else "")
        if self.unmapped:
            lines.append(f"families with no real category (not measured): {', '.join(self.unmapped)}")
        return "\n".join(lines)


def evaluate(manifest, corpus_dir, *, extra_manifests: Sequence = (), families: Sequence[str] | None = None,
             n_renders: int = 24, seed: int = 0, progress: bool = False, durations: str = "family") -> RealismReport:
    """Measure (a) and (b) for ``families`` (default: every family with a real category).
    ``durations``: ``"family"`` renders at the corpus builder's durations (the family default
    ±25 %), ``"real"`` at durations of the category's real clips (:func:`render_family`)."""
    if durations not in ("family", "real"):
        raise ParameterError(f"durations must be 'family' or 'real', got {durations!r}")
    from sfxgen.synth.patch import FAMILIES

    real = load_real(manifest, corpus_dir, extra_manifests=extra_manifests, progress=progress)
    classes = real.classes()
    if len(classes) < 2:
        raise ParameterError(f"{manifest}: fewer than two usable real categories; is it the development corpus manifest?")
    fams = list(families) if families else list(FAMILIES)
    unknown = [f for f in fams if f not in FAMILIES]
    if unknown:
        raise ParameterError(f"unknown sound families: {', '.join(unknown)}")
    mapped = [f for f in fams if FAMILIES[f].category in classes]
    report = RealismReport(classes=classes, chance=1.0 / len(classes),
                           real_lopo_recall=leave_one_package_out(real, classes),
                           unmapped=[f for f in fams if f not in mapped], durations=durations)
    sel = np.isin(real.categories, classes)
    clf = _classifier().fit(real.X[sel], real.categories[sel])
    scaler = clf.named_steps["standardscaler"]
    Z = scaler.transform(real.X)
    for fam in mapped:
        cat = FAMILIES[fam].category
        durs = category_durations([manifest, *extra_manifests], cat) if durations == "real" else None
        F = np.stack(render_family(fam, n=n_renders, seed=seed, durations_s=durs))
        pred = clf.predict(F)
        labels, counts = np.unique(pred, return_counts=True)
        top = {str(labels[i]): float(counts[i] / len(pred)) for i in np.argsort(-counts)[:3]}
        recognised = float(np.mean(pred == cat))
        in_cat = real.categories == cat
        k_rr = real_vs_real_kid(Z[in_cat], real.packages[in_cat])
        k_real = kid(scaler.transform(F), Z[in_cat])
        report.rows.append(RealismRow(
            family=fam, category=cat, n_renders=len(F), recognised=recognised,
            real_recall=report.real_lopo_recall[cat], passes_recognition=recognised >= report.real_lopo_recall[cat],
            top_labels=top, kid_render_real=k_real, kid_real_real=k_rr,
            kid_ratio=None if not k_rr or k_rr <= 0 else float(k_real / k_rr)))
        if progress:
            print(f"  {fam}: recognised {recognised:.2f} as {cat}", flush=True)
    return report


def report_json(report: RealismReport) -> str:
    return json.dumps(report.to_dict(), indent=2)
