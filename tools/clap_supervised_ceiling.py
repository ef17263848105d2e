#!/usr/bin/env python3
"""How far can sfxgen-clap-small's audio features go on unseen real packages? A supervised check.

Trains plain classifiers on the CLAP front end's descriptors (the 541 values the audio tower sees,
tail-trimmed as at inference) with the *category labels* of the training packages, and reports
top-1 category accuracy on the held-out packages: the same 21-way task as ``sfxgen eval retrieval``'s
zero-shot line, but with labels instead of text. If a supervised classifier on these features scores
X, a contrastive model on the same features and data should not be expected to beat X zero-shot.

    python tools/clap_supervised_ceiling.py --manifest ~/.cache/sfxgen/manifest.csv \\
        --corpus ~/.cache/sfxgen/devcorpus [--extra-manifest ~/.cache/sfxgen/extracorpus/manifest.csv]

Classifiers (torch, full batch, class-balanced loss, fixed seed): multinomial logistic regression and
an MLP 541-256-classes (dropout 0.3). Prints top-1 accuracy (chance 1 / classes) and P@10 per class
ranked by class probability over categories with >= 10 held-out clips (as ``sfxgen eval retrieval``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def descriptors(manifest, root, *, trim_tail_db: float = 60.0, max_frames: int = 500):
    """``(X (n, 541), categories (n,), packages (n,))`` for the labelled, decodable clips of a manifest."""
    import torch

    from sfxgen.embed.descriptors import mel_descriptors
    from sfxgen.embed.features import MelConfig
    from sfxgen.train.clap import _trimmed, compute_logmels, read_manifest

    rows = [r for r in read_manifest(manifest) if r["category"]]
    mels = _trimmed(compute_logmels([Path(root) / r["path"] for r in rows], MelConfig(), max_clip_s=12.0,
                                    show_progress=False), trim_tail_db)
    X, y, pk = [], [], []
    for r, m in zip(rows, mels):
        if m is None:
            continue
        m = torch.from_numpy(m[:, :max_frames].astype(np.float32))[None]
        X.append(mel_descriptors(m, torch.tensor([m.shape[-1]]))[0].numpy())
        y.append(r["category"])
        pk.append(r["package"])
    return np.array(X, np.float32), np.array(y), np.array(pk)


def fit_predict(Xtr, ytr, Xte, n_classes: int, *, hidden: int, steps: int = 1500, seed: int = 0) -> np.ndarray:
    """Class probabilities ``(len(Xte), n_classes)`` of a classifier trained on ``(Xtr, ytr)``."""
    import torch
    from torch import nn

    torch.manual_seed(seed)
    mu, sd = Xtr.mean(0), Xtr.std(0) + 1e-6
    xtr, xte = torch.from_numpy((Xtr - mu) / sd), torch.from_numpy((Xte - mu) / sd)
    t = torch.from_numpy(ytr)
    net = nn.Linear(xtr.shape[1], n_classes) if hidden == 0 else nn.Sequential(
        nn.Linear(xtr.shape[1], hidden), nn.GELU(), nn.Dropout(0.3), nn.Linear(hidden, n_classes))
    counts = np.bincount(ytr, minlength=n_classes).astype(np.float32)
    weight = torch.from_numpy(np.where(counts > 0, 1.0 / np.maximum(counts, 1), 0.0) * counts.sum() / n_classes)
    opt = torch.optim.AdamW(net.parameters(), lr=3e-3, weight_decay=0.05 if hidden else 0.01)
    for _ in range(steps):
        loss = nn.functional.cross_entropy(net(xtr), t, weight=weight)
        opt.zero_grad()
        loss.backward()
        opt.step()
    net.eval()
    with torch.no_grad():
        return net(xte).softmax(1).numpy()


def precision_at_10(prob: np.ndarray, y: np.ndarray, *, min_clips: int = 10) -> float:
    """Mean over classes with >= ``min_clips`` test clips of the precision of the 10 clips ranked most
    likely for that class (the retrieval eval's P@10, with class probability as the score)."""
    vals = [np.mean(y[np.argsort(-prob[:, c])[:10]] == c) for c in range(prob.shape[1]) if (y == c).sum() >= min_clips]
    return float(np.mean(vals))


def main(argv=None) -> int:
    from sfxgen.train.cli import DEFAULT_HOLDOUT_PACKAGES

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--extra-manifest", action="append", default=[], help="more training corpora (paths relative to the CSV)")
    ap.add_argument("--holdout-packages", default=",".join(DEFAULT_HOLDOUT_PACKAGES))
    args = ap.parse_args(argv)
    hold = {p.strip() for p in args.holdout_packages.split(",") if p.strip()}
    X, y, pk = descriptors(args.manifest, args.corpus)
    te = np.isin(pk, sorted(hold))
    classes = sorted(set(y[te]))
    index = {c: i for i, c in enumerate(classes)}
    sets = {"training packages": (X[~te], y[~te])}
    if args.extra_manifest:
        parts = [descriptors(m, Path(m).parent) for m in args.extra_manifest]
        extra = [(Xe[~np.isin(pe, sorted(hold))], ye[~np.isin(pe, sorted(hold))]) for Xe, ye, pe in parts]
        sets["training packages + extra"] = (np.concatenate([X[~te]] + [e[0] for e in extra]),
                                             np.concatenate([y[~te]] + [e[1] for e in extra]))
    yte = np.array([index[c] for c in y[te]])
    print(f"held-out packages {', '.join(sorted(hold))}: {te.sum()} labelled clips, {len(classes)} categories, "
          f"chance {1 / len(classes):.3f}")
    for name, (Xtr, ytr) in sets.items():
        keep = np.isin(ytr, classes)
        Xtr, ytr = Xtr[keep], np.array([index[c] for c in ytr[keep]])
        for label, hidden in (("logistic regression", 0), ("MLP 256", 256)):
            prob = fit_predict(Xtr, ytr, X[te], len(classes), hidden=hidden)
            acc = float((prob.argmax(1) == yte).mean())
            print(f"  {name} ({len(Xtr)} clips), {label}: held-out top-1 {acc:.3f}, "
                  f"P@10 {precision_at_10(prob, yte):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
