"""Honest confidence: does any sound family fit the prompt's words?

Each family is described by a few phrases (its description "the sound of a {noun}", its caption
nouns and the keywords users type, :meth:`sfxgen.synth.family.Family.all_keywords`). The match of a
prompt with a family is the best cosine between the prompt's MiniLM sentence vector and those
phrases; when the best family's match is under a threshold calibrated on training captions and
out-of-scope prompts (model card), the generator says so and names the nearest families instead
of silently rendering something else.

The phrase vectors ship with the model (``family_phrases.npz``) and are recomputed (and kept on
the pipeline) only when the engine's family words have changed since.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

PHRASES_NAME = "family_phrases.npz"
MAX_PHRASES = 8


def family_phrases(families) -> tuple[list[str], np.ndarray]:
    """``(phrases, owner (M,) family index)`` for ``families`` (names)."""
    from sfxgen.synth.patch import FAMILIES

    phrases, owner = [], []
    for i, name in enumerate(families):
        f = FAMILIES[name]
        words = list(dict.fromkeys([f.description, *f.all_keywords()]))[:MAX_PHRASES]
        phrases += words
        owner += [i] * len(words)
    return phrases, np.asarray(owner, np.int64)


def save_phrase_vectors(directory, families, *, text_encoder) -> Path:
    """Embed every family's phrases and write ``family_phrases.npz`` (float16) into ``directory``."""
    phrases, owner = family_phrases(families)
    vecs = np.asarray(text_encoder.embed_text(phrases, batch_size=128), np.float32)
    path = Path(directory) / PHRASES_NAME
    tmp = path.with_name(".family_phrases.tmp.npz")
    np.savez(tmp, phrases=np.asarray(phrases), owner=owner, vectors=vecs.astype(np.float16))
    tmp.replace(path)
    return path


def load_phrase_vectors(directory, families, *, text_encoder) -> tuple[np.ndarray, np.ndarray]:
    """``(vectors (M, 384), owner (M,))``: from ``directory`` when its phrases are today's, else
    embedded now."""
    phrases, owner = family_phrases(families)
    path = Path(directory) / PHRASES_NAME if directory is not None else None
    if path is not None and path.is_file():
        z = np.load(path, allow_pickle=False)
        if list(z["phrases"]) == phrases:
            return z["vectors"].astype(np.float32), owner
    return np.asarray(text_encoder.embed_text(phrases, batch_size=128), np.float32), owner


def match_scores(prompt_vec: np.ndarray, vectors: np.ndarray, owner: np.ndarray, n_families: int) -> np.ndarray:
    """``(n_families,)`` best cosine of ``prompt_vec`` (384,) with each family's phrases."""
    sims = vectors @ np.asarray(prompt_vec, np.float32)
    out = np.full(n_families, -1.0, np.float32)
    np.maximum.at(out, owner, sims)
    return out


def family_match(prompt: str, *, text_encoder, families, vectors: np.ndarray, owner: np.ndarray,
                 threshold: float, top: int = 3) -> dict:
    """``{"best", "match", "threshold", "low", "nearest": [{"family", "match"}...]}`` for ``prompt``."""
    v = np.asarray(text_encoder.embed_text([prompt]), np.float32)[0]
    scores = match_scores(v, vectors, owner, len(families))
    order = np.argsort(-scores)[:top]
    best = float(scores[order[0]])
    return {"best": families[int(order[0])], "match": round(best, 4), "threshold": round(float(threshold), 4),
            "low": bool(best < threshold),
            "nearest": [{"family": families[int(i)], "match": round(float(scores[i]), 4)} for i in order]}


def low_confidence_message(prompt: str, match: dict) -> str:
    """The sentence a designer reads when no family fits."""
    near = ", ".join(f"{n['family']} ({n['match']:.2f})" for n in match["nearest"])
    return (f"no sound family fits {prompt!r} well (best text match {match['match']:.2f} is under "
            f"{match['threshold']:.2f}); the nearest families are {near}. The heroes below are the closest the "
            f"engine can make; rephrase with one of those sources for a better result.")


def default_out_of_scope_path() -> Path:
    from sfxgen.paths import DATA_DIR

    return DATA_DIR / "out_of_scope_prompts.json"


def calibrate(directory, families, *, in_scope_vectors: np.ndarray, text_encoder, keep: float = 0.97,
              out_of_scope_path=None) -> dict:
    """Choose the "no family fits" threshold for the model in ``directory`` and store it there.

    The threshold keeps ``keep`` of the in-scope prompts above it (``in_scope_vectors``: sentence
    vectors of training captions, which always name an engine family); the out-of-scope prompts
    (``sfxgen/data/out_of_scope_prompts.json``: sounds the engine has no family for) measure how
    many the threshold then flags. Writes ``family_phrases.npz`` and ``match_threshold`` +
    ``match_calibration`` into ``config.json``; returns the calibration dict."""
    import json

    save_phrase_vectors(directory, families, text_encoder=text_encoder)
    vectors, owner = load_phrase_vectors(directory, families, text_encoder=text_encoder)
    best_in = np.array([match_scores(v, vectors, owner, len(families)).max() for v in in_scope_vectors])
    thr = float(np.quantile(best_in, 1.0 - keep))
    oos = json.loads(Path(out_of_scope_path or default_out_of_scope_path()).read_text())["prompts"]
    ov = np.asarray(text_encoder.embed_text(oos), np.float32)
    best_out = np.array([match_scores(v, vectors, owner, len(families)).max() for v in ov])
    cal = {"threshold": round(thr, 4), "in_scope_kept": keep, "in_scope_n": int(len(best_in)),
           "in_scope_median": round(float(np.median(best_in)), 4), "out_of_scope_n": int(len(best_out)),
           "out_of_scope_flagged": round(float(np.mean(best_out < thr)), 4),
           "out_of_scope_median": round(float(np.median(best_out)), 4)}
    cfg_path = Path(directory) / "config.json"
    cfg = json.loads(cfg_path.read_text())
    cfg["match_threshold"] = round(thr, 4)
    cfg["match_calibration"] = cal
    tmp = cfg_path.with_name(".config.json.tmp")
    tmp.write_text(json.dumps(cfg, indent=2) + "\n")
    tmp.replace(cfg_path)
    return cal
