"""Contrastive training of ``sfxgen-clap-small`` (``sfxgen train clap``).

Data: real clips from a dev-corpus manifest (only the packages named for training; evaluation
packages are held out whole) and/or procedural corpora (``captions.jsonl`` with ``path`` and
``captions``). Audio is decoded once into log-mel features (cached under
``sfxgen.paths.cache_dir()/clap_features``) and captions into frozen MiniLM vectors (cached
too), so a training step only runs the small CNN and the text projection.

Augmentation happens in the mel domain on whole batches (vectorised, cheap on a CPU) and
imitates the gap between clean synthetic and real recordings: gain, spectral tilt (EQ),
band-limiting, exponential reverb tails, coloured background noise, mixing two clips (captions
joined), time crop/shift, codec-like degradation (band limit + coarse quantisation + smearing)
and SpecAugment masks.

Loss: symmetric InfoNCE with a learned temperature; items sharing a caption count as mutual
positives. Fixed seeds, resumable ``last.pt`` checkpoints, device picked by
:func:`sfxgen.train.common.pick_device`.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from sfxgen.audio import read_audio
from sfxgen.embed.features import LOG_EPS, LOG_FLOOR, MelConfig, clip_logmel
from sfxgen.errors import ParameterError, SfxgenError

# Words used to describe manifest categories in *training* captions. Evaluation queries are
# phrased differently (sfxgen.eval.retrieval.CATEGORY_QUERIES).
CATEGORY_WORDS = {
    "alarm": "alarm siren ticking timer", "ambience": "ambience background atmosphere",
    "animal": "animal", "creature": "creature monster", "destruction": "destruction breaking debris",
    "door": "door", "explosion": "explosion blast", "fire": "fire flames burning", "foley": "foley cloth rustle",
    "footstep": "footsteps walking", "impact": "impact hit", "magic": "magic spell",
    "movement": "movement whoosh", "music": "musical jingle", "pickup": "item pickup",
    "scifi": "sci-fi electronic", "tools": "tools machinery work", "ui": "user interface notification",
    "vehicle": "vehicle engine", "voice": "human voice", "water": "water splash",
    "weapon": "weapon", "weather": "weather wind rain storm",
}


@dataclass
class TrainConfig:
    """Hyper-parameters of one run (saved into checkpoints and the model config)."""

    steps: int = 3000
    batch_size: int = 64
    lr: float = 2e-3
    weight_decay: float = 0.01
    warmup_steps: int = 100
    crop_s: float = 2.0
    max_clip_s: float = 12.0
    synth_fraction: float = 0.3
    seed: int = 0
    augment: bool = True
    clean_fraction: float = 0.0  # share of each batch left un-augmented (clean examples anchor the descriptors)
    checkpoint_every: int = 200
    max_minutes: float | None = None
    caption_templates: bool = False  # also train on "the sound of {category words}"-style captions
    synth_family_captions: bool = False  # procedural clips also get their family noun in those templates
    prototype_weight: float = 0.0  # weight of the class-prototype loss (see prototype_targets)


# --------------------------------------------------------------------------------------------
# Data


@dataclass
class ClipSet:
    """Training clips as log-mels plus caption indices into a shared text table."""

    mels: list = field(default_factory=list)  # (n_mels, frames) float16 each
    text_ids: list = field(default_factory=list)  # list[list[int]] per clip
    sources: list = field(default_factory=list)  # "real" / "synth"
    categories: list = field(default_factory=list)
    texts: list = field(default_factory=list)  # unique caption strings
    _text_index: dict = field(default_factory=dict)

    def add(self, mel: np.ndarray, captions: Sequence[str], *, source: str, category: str = "") -> None:
        ids = []
        for c in captions:
            c = " ".join(str(c).split())
            if not c:
                continue
            if c not in self._text_index:
                self._text_index[c] = len(self.texts)
                self.texts.append(c)
            ids.append(self._text_index[c])
        if not ids:
            return
        self.mels.append(mel.astype(np.float16))
        self.text_ids.append(ids)
        self.sources.append(source)
        self.categories.append(category)

    def __len__(self) -> int:
        return len(self.mels)


def _cache_key(*parts) -> str:
    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _features_cache_dir() -> Path:
    from sfxgen.paths import cache_dir

    d = cache_dir() / "clap_features"
    d.mkdir(parents=True, exist_ok=True)
    return d


def compute_logmels(paths: Sequence[Path], mel_cfg: MelConfig, *, max_clip_s: float, use_cache: bool = True,
                    show_progress: bool = True) -> list[np.ndarray | None]:
    """Log-mel (float16) per file, reading at most ``max_clip_s``; None (and a printed note) for files that fail.

    Cached per file (path, size, mtime, front-end settings) in one ``.npz`` per call set.
    """
    from sfxgen.train.common import progress

    stats = [(str(p), p.stat().st_size, p.stat().st_mtime_ns) if p.exists() else (str(p), -1, -1) for p in paths]
    key = _cache_key(stats, mel_cfg.to_dict(), max_clip_s)
    cache = _features_cache_dir() / f"{key}.npz"
    if use_cache and cache.is_file():
        with np.load(cache, allow_pickle=False) as z:
            ok = z["ok"]
            return [z[f"m{i}"] if ok[i] else None for i in range(len(paths))]
    out: list[np.ndarray | None] = []
    for p in progress(paths, desc="log-mel features", disable=not show_progress):
        try:
            audio, sr = read_audio(p, max_duration_s=max_clip_s)
            out.append(clip_logmel(audio, sr, mel_cfg, name=str(p)).astype(np.float16))
        except SfxgenError as exc:
            print(f"skipped: {exc}")
            out.append(None)
    if use_cache:
        arrays = {f"m{i}": m for i, m in enumerate(out) if m is not None}
        tmp = cache.with_name(f".{cache.name}.tmp.npz")
        np.savez(tmp, ok=np.array([m is not None for m in out]), **arrays)
        tmp.replace(cache)
    return out


def read_manifest(manifest) -> list[dict]:
    """Rows of a dev-corpus manifest CSV (make_manifest.py); duplicates and undecodable rows dropped."""
    manifest = Path(manifest)
    if not manifest.is_file():
        raise ParameterError(f"{manifest}: manifest not found")
    with open(manifest, newline="") as f:
        rows = list(csv.DictReader(f))
    need = {"path", "package", "caption", "category"}
    if rows and not need <= set(rows[0]):
        raise ParameterError(f"{manifest}: manifest lacks columns {sorted(need - set(rows[0]))}")
    return [r for r in rows if not r.get("duplicate_of") and not r.get("decode_error")]


CAPTION_TEMPLATES = ("the sound of {words}", "{words} sound effect", "a recording of {words}")


def real_captions(row: dict, *, templates: bool = False) -> list[str]:
    """Training captions for a manifest row: its path caption, plus category words when labelled
    (and, with ``templates``, the category words in :data:`CAPTION_TEMPLATES`)."""
    cap, cat = row["caption"].replace("_", " "), row.get("category", "")
    caps = [cap]
    if cat:
        words = CATEGORY_WORDS.get(cat, cat)
        caps += [f"{words}: {cap}", words]
        if templates:
            caps += [t.format(words=words) for t in CAPTION_TEMPLATES]
    return caps


def _trimmed(mels, trim_tail_db):
    """Apply the model's silent-tail trim (as the embedder does at inference) to cached log-mels."""
    if trim_tail_db is None:
        return mels
    from sfxgen.embed.audio import trailing_silence_end

    return [None if m is None else m[:, : trailing_silence_end(m, floor_db=trim_tail_db)] for m in mels]


def add_real_clips(clips: ClipSet, manifest, corpus_dir, *, packages: Sequence[str], mel_cfg: MelConfig,
                   max_clip_s: float, show_progress: bool = True, templates: bool = False,
                   trim_tail_db: float | None = None) -> dict:
    """Add the manifest's clips from ``packages`` (whole packages only). Returns per-package counts."""
    rows = [r for r in read_manifest(manifest) if r["package"] in set(packages)]
    missing = sorted(set(packages) - {r["package"] for r in rows})
    if missing:
        raise ParameterError(f"{manifest}: no clips for training package(s) {', '.join(missing)}")
    mels = _trimmed(compute_logmels([Path(corpus_dir) / r["path"] for r in rows], mel_cfg, max_clip_s=max_clip_s,
                                    show_progress=show_progress), trim_tail_db)
    counts: dict[str, int] = {}
    for r, m in zip(rows, mels):
        if m is None:
            continue
        clips.add(m, real_captions(r, templates=templates), source="real", category=r.get("category", ""))
        counts[r["package"]] = counts.get(r["package"], 0) + 1
    return counts


def synth_family_captions(family: str) -> list[str]:
    """Attribute-free captions of a procedural family: its noun, alone and in :data:`CAPTION_TEMPLATES`.

    The generated captions name many attributes ("distant hard clothing movement"), so in MiniLM
    space they scatter around the family; clips sharing these short captions are mutual positives,
    which pulls every render of a family towards one point (like the category words of real clips)."""
    from sfxgen.synth.patch import FAMILIES

    info = FAMILIES.get(family)
    if info is None:
        return []
    return [info.noun] + [t.format(words=info.noun) for t in CAPTION_TEMPLATES[:2]]


def add_synth_clips(clips: ClipSet, corpus_dir, *, mel_cfg: MelConfig, max_clip_s: float, limit: int | None = None,
                    show_progress: bool = True, trim_tail_db: float | None = None, family_captions: bool = False) -> int:
    """Add a procedural corpus (``captions.jsonl``: path, captions[, family, ucs]). Returns the clip count.
    ``family_captions`` adds :func:`synth_family_captions` to each clip's own captions."""
    corpus_dir = Path(corpus_dir)
    index = corpus_dir / "captions.jsonl"
    if not index.is_file():
        raise ParameterError(f"{corpus_dir}: no captions.jsonl (build one with `sfxgen corpus build`)")
    entries = [json.loads(line) for line in index.read_text().splitlines() if line.strip()]
    if limit:
        entries = entries[:limit]
    paths = [Path(e["path"]) if Path(e["path"]).is_absolute() else corpus_dir / e["path"] for e in entries]
    mels = _trimmed(compute_logmels(paths, mel_cfg, max_clip_s=max_clip_s, show_progress=show_progress), trim_tail_db)
    n = 0
    for e, m in zip(entries, mels):
        if m is None:
            continue
        caps = e.get("captions") or [e.get("caption", "")]
        if isinstance(caps, str):
            caps = [caps]
        if family_captions:
            caps = list(caps) + synth_family_captions(e.get("family", ""))
        clips.add(m, caps, source="synth", category=e.get("family", ""))
        n += 1
    return n


def sentence_vectors(texts: Sequence[str], text_encoder=None, *, use_cache: bool = True) -> np.ndarray:
    """Frozen MiniLM vectors ``(len(texts), 384)`` for the caption table (cached on disk)."""
    if text_encoder is None:
        from sfxgen.embed import get_text_encoder

        text_encoder = get_text_encoder()
    key = _cache_key(list(texts), getattr(text_encoder, "model_id", "?"))
    cache = _features_cache_dir() / f"text-{key}.npy"
    if use_cache and cache.is_file():
        return np.load(cache)
    vecs = text_encoder.embed_text(list(texts), batch_size=128).astype(np.float32)
    if use_cache:
        tmp = cache.with_name(f".{cache.name}.tmp.npy")
        np.save(tmp, vecs)
        tmp.replace(cache)
    return vecs


# --------------------------------------------------------------------------------------------
# Batches and augmentation


class BatchSampler:
    """Draws training batches: category-balanced (1/sqrt(count)) real clips + a share of synthetic ones,
    random crops of up to ``crop_frames``, one random caption per clip."""

    def __init__(self, clips: ClipSet, text_vecs: np.ndarray, *, crop_frames: int, synth_fraction: float, rng):
        self.clips, self.text_vecs, self.crop, self.rng = clips, text_vecs, crop_frames, rng
        src = np.array(clips.sources)
        cats = np.array([c or "?" for c in clips.categories])
        w = np.zeros(len(clips))
        for s in ("real", "synth"):
            sel = src == s
            if not sel.any():
                continue
            _, inv, counts = np.unique(cats[sel], return_inverse=True, return_counts=True)
            ws = 1.0 / np.sqrt(counts[inv])
            share = synth_fraction if s == "synth" else 1.0 - synth_fraction
            if not (src != s).any():
                share = 1.0
            w[sel] = share * ws / ws.sum()
        self.p = w / w.sum()

    def sample(self, batch_size: int):
        idx = self.rng.choice(len(self.clips), size=batch_size, p=self.p)
        mels, lengths, tids = [], [], []
        for i in idx:
            m = self.clips.mels[i]
            t = m.shape[1]
            if t > self.crop:
                s = int(self.rng.integers(0, t - self.crop + 1))
                m = m[:, s : s + self.crop]
            mels.append(m)
            ids = self.clips.text_ids[i]
            tids.append(ids[int(self.rng.integers(len(ids)))])
        lengths = np.array([m.shape[1] for m in mels])
        out = np.full((batch_size, mels[0].shape[0], lengths.max()), LOG_FLOOR, np.float32)
        for k, m in enumerate(mels):
            out[k, :, : m.shape[1]] = m
        tids = np.array(tids)
        self.last_indices = idx
        return out, lengths, self.text_vecs[tids], tids


def augment_batch(mel, lengths, text, group, gen):
    """Mel-domain augmentation of a torch batch ``(B, n_mels, T)`` (log power); see module doc.

    ``text`` ``(B, 384)`` sentence vectors and ``group`` ``(B,)`` caption ids are updated for
    mixed items (joined caption = normalised sum of both vectors; a fresh group id).
    """
    import torch
    import torch.nn.functional as F

    B, M, T = mel.shape
    dev = mel.device

    def u(lo, hi, *shape):
        return lo + (hi - lo) * torch.rand(*shape, generator=gen, device=dev)

    def coin(p):
        return torch.rand(B, generator=gen, device=dev) < p

    valid = (torch.arange(T, device=dev)[None] < lengths[:, None]).to(mel.dtype)[:, None]  # (B,1,T)
    p = torch.exp(mel) * valid

    # mix two sources (captions joined)
    mix = coin(0.25)
    if mix.any():
        perm = torch.randperm(B, generator=gen, device=dev)
        g = torch.exp(u(-1.5, 1.5, B))[:, None, None]
        p = torch.where(mix[:, None, None], p + g * p[perm], p)
        lengths = torch.where(mix, torch.maximum(lengths, lengths[perm]), lengths)
        text = torch.where(mix[:, None], F.normalize(text + text[perm], dim=-1), text)
        group = torch.where(mix, -1 - torch.arange(B, device=dev), group)
        valid = (torch.arange(T, device=dev)[None] < lengths[:, None]).to(mel.dtype)[:, None]

    freqs = torch.linspace(-1, 1, M, device=dev)[None, :, None]
    # reverb: exponential tail per band, decay time 0.1-1.5 s (frames at 100/s)
    rev = coin(0.3)
    if rev.any():
        k = 96
        tau = u(10, 150, B)[:, None]
        kern = torch.exp(-torch.arange(k, device=dev)[None] / tau) * u(0.02, 0.3, B)[:, None]
        kern[:, 0] = 1.0
        kern = torch.where(rev[:, None], kern, torch.nn.functional.one_hot(torch.zeros(B, dtype=torch.long, device=dev), k).to(kern))
        x = F.pad(p.reshape(1, B * M, T), (k - 1, 0))
        w = kern.flip(-1).repeat_interleave(M, 0)[:, None]
        p = F.conv1d(x, w, groups=B * M).reshape(B, M, T)
        lengths = torch.where(rev, torch.clamp(lengths + 30, max=T), lengths)
        valid = (torch.arange(T, device=dev)[None] < lengths[:, None]).to(mel.dtype)[:, None]

    # background noise: coloured, fluctuating, SNR 3-30 dB relative to the clip's mean power
    noise = coin(0.4)
    if noise.any():
        mean_pow = (p * valid).sum((1, 2)) / (valid.sum((1, 2)) * M)
        snr = 10 ** (u(3, 30, B) / 10)
        colour = torch.exp(u(-3, 1, B)[:, None, None] * (freqs + 1))
        flutter = torch.exp(0.5 * torch.randn(B, 1, T, generator=gen, device=dev))
        n = (mean_pow / snr)[:, None, None] * colour * flutter
        p = torch.where(noise[:, None, None], p + n * valid, p)

    x = torch.log(p + LOG_EPS)
    # gain and EQ tilt
    x = x + u(-1.5, 1.5, B)[:, None, None] + u(-1.5, 1.5, B)[:, None, None] * freqs
    # band-limiting (low-pass and/or high-pass)
    bins = torch.arange(M, device=dev)[None, :, None].float()
    lp = coin(0.3)
    cut = u(24, M, B)[:, None, None]
    x = torch.where(lp[:, None, None], x - 1.5 * torch.relu(bins - cut), x)
    hp = coin(0.15)
    cut = u(0, 10, B)[:, None, None]
    x = torch.where(hp[:, None, None], x - 1.5 * torch.relu(cut - bins), x)
    # codec-like: band limit + coarse quantisation + temporal smearing
    codec = coin(0.15)
    if codec.any():
        q = u(0.5, 2.0, B)[:, None, None]
        xc = torch.round(x / q) * q
        xc = F.avg_pool1d(xc, 3, stride=1, padding=1, count_include_pad=False)
        xc = xc - 3.0 * torch.relu(bins - u(40, M, B)[:, None, None])
        x = torch.where(codec[:, None, None], xc, x)
    # SpecAugment: one frequency band and one time span masked to the floor
    fm = coin(0.5)
    f0, fw = u(0, M, B)[:, None, None], u(2, 8, B)[:, None, None]
    fmask = fm[:, None, None] & (bins >= f0) & (bins < f0 + fw)
    tpos = torch.arange(T, device=dev)[None, None].float()
    tm = coin(0.5)
    t0, tw = u(0, 1, B)[:, None, None] * lengths[:, None, None], u(5, 30, B)[:, None, None]
    tmask = tm[:, None, None] & (tpos >= t0) & (tpos < t0 + tw)
    x = x.masked_fill(fmask | tmask, LOG_FLOOR)
    x = torch.where(valid.bool(), x, torch.full_like(x, LOG_FLOOR))
    return x.clamp(min=LOG_FLOOR), lengths, text, group


# --------------------------------------------------------------------------------------------
# Training loop


def _param_groups(model, weight_decay):
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if p.ndim < 2 or name == "logit_scale" else decay).append(p)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


def _clean_descriptors(encoder, clips: ClipSet, crop_frames: int, dev, *, batch_size: int = 64):
    """Descriptors ``(n, d)`` of every clip's first ``crop_frames`` (no augmentation), for the
    ``stats`` tower's input standardisation."""
    import torch

    from sfxgen.embed.audio import pad_batch

    out = []
    with torch.no_grad():
        for i in range(0, len(clips), batch_size):
            mel, lengths = pad_batch([m[:, :crop_frames].astype(np.float32) for m in clips.mels[i : i + batch_size]])
            out.append(encoder.descriptors(torch.from_numpy(mel).to(dev), torch.from_numpy(lengths).to(dev)))
    return torch.cat(out)


def prototype_targets(clips: ClipSet, *, text_encoder=None) -> tuple[np.ndarray, list[np.ndarray]]:
    """Class labels and prototype text vectors for the prototype loss.

    Each labelled clip is also classified, with the contrastive temperature, among the sentence
    vectors of its label set: procedural clips among ``the sound of {family noun}`` of every
    family, real clips among ``the sound of {category words}`` of every category. In-batch
    InfoNCE only contrasts the captions that happen to share a batch; this full softmax over
    fixed text prototypes is what zero-shot classification later asks of the audio vectors.
    Returns ``labels`` ``(n_clips,)`` (-1 = none) and one ``(n_classes, 384)`` table per source
    (index 0 synthetic, 1 real); labels of real clips are offset by the synthetic class count.
    """
    from sfxgen.synth.patch import FAMILIES

    fams = sorted({c for c, s in zip(clips.categories, clips.sources) if s == "synth" and c in FAMILIES})
    cats = sorted({c for c, s in zip(clips.categories, clips.sources) if s == "real" and c})
    template = CAPTION_TEMPLATES[0]  # "the sound of {words}", as in the training captions
    texts = [template.format(words=FAMILIES[f].noun) for f in fams] + \
        [template.format(words=CATEGORY_WORDS.get(c, c)) for c in cats]
    vecs = sentence_vectors(texts, text_encoder) if texts else np.zeros((0, 384), np.float32)
    fam_id, cat_id = {f: i for i, f in enumerate(fams)}, {c: len(fams) + i for i, c in enumerate(cats)}
    labels = np.array([fam_id.get(c, -1) if s == "synth" else cat_id.get(c, -1)
                       for c, s in zip(clips.categories, clips.sources)], np.int64)
    return labels, [vecs[: len(fams)], vecs[len(fams):]]


def _prototype_loss(a, labels, tables, scale):
    """Mean cross-entropy of unit audio vectors ``a`` against their source's prototype table."""
    import torch
    import torch.nn.functional as F

    losses, n_syn = [], tables[0].shape[0]
    for lo, table in ((0, tables[0]), (n_syn, tables[1])):
        sel = (labels >= lo) & (labels < lo + table.shape[0])  # empty table: nothing selected
        if sel.any():
            logits = scale * F.normalize(a[sel], dim=-1) @ table.T
            losses.append(F.cross_entropy(logits, labels[sel] - lo, reduction="sum"))
    n = int((labels >= 0).sum())
    return torch.stack(losses).sum() / max(1, n) if losses else a.new_zeros(())


def train(clips: ClipSet, text_vecs: np.ndarray, *, config: TrainConfig, run_dir, model_config=None,
          device=None, resume: bool = False, show_progress: bool = True,
          on_step: Callable[[int, float], None] | None = None):
    """Train on ``clips`` (captions given as rows of ``text_vecs``); returns (model, loss history).

    Writes ``run_dir/last.pt`` every ``checkpoint_every`` steps and at the end; with
    ``resume`` it continues from there (same data order and RNG state).
    """
    import torch

    from sfxgen.embed.clap_small import ClapSmall, ClapSmallConfig, contrastive_loss
    from sfxgen.train.common import latest_checkpoint, load_checkpoint, pick_device, progress, save_checkpoint, seed_everything

    if len(clips) < 2:
        raise ParameterError(f"need at least 2 training clips, got {len(clips)}")
    if config.batch_size < 2:
        raise ParameterError("batch_size must be at least 2 for a contrastive loss")
    dev = pick_device(device)
    seed_everything(config.seed)
    model = ClapSmall(model_config or ClapSmallConfig()).to(dev)
    mel_cfg = model.config.mel
    opt = torch.optim.AdamW(_param_groups(model, config.weight_decay), lr=config.lr)

    def lr_factor(progress_frac):
        return 0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress_frac)))

    rng = np.random.default_rng(config.seed)
    gen = torch.Generator(device=dev)
    gen.manual_seed(config.seed)
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    start, history, elapsed_before = 0, [], 0.0
    ckpt = latest_checkpoint(run_dir) if resume else None
    if ckpt is not None:
        payload = load_checkpoint(ckpt, model=model, optimizer=opt, map_location=dev)
        start = payload["step"]
        history = list(payload["extra"].get("history", []))
        elapsed_before = float(payload["extra"].get("train_seconds", 0.0))
        rng.bit_generator.state = payload["extra"]["np_rng"]
        gen.set_state(payload["extra"]["torch_gen"].cpu() if dev.type == "cpu" else payload["extra"]["torch_gen"])
    crop_frames = int(config.crop_s * mel_cfg.frames_per_s)
    if ckpt is None and hasattr(model.audio, "fit_normalizer"):
        model.audio.fit_normalizer(_clean_descriptors(model.audio, clips, crop_frames, dev))
    sampler = BatchSampler(clips, text_vecs, crop_frames=crop_frames, synth_fraction=config.synth_fraction, rng=rng)
    if config.prototype_weight > 0:
        proto_labels, proto_np = prototype_targets(clips)
        proto_tables = [torch.from_numpy(np.asarray(t, np.float32)).to(dev) for t in proto_np]

    def save(step):
        save_checkpoint(run_dir / "last.pt", step=step, model=model, optimizer=opt,
                        extra={"history": history, "np_rng": rng.bit_generator.state, "torch_gen": gen.get_state(),
                               "train_seconds": elapsed(), "train_config": asdict(config)})

    t0 = time.monotonic()

    def elapsed():
        return elapsed_before + time.monotonic() - t0

    budget_s = config.max_minutes * 60 if config.max_minutes else None
    model.train()
    bar = progress(range(start, config.steps), total=config.steps - start, desc="train clap", disable=not show_progress)
    step = start
    for step in bar:
        # warm-up, then cosine decay over the steps or the time budget, whichever runs out first
        frac = (step - config.warmup_steps) / max(1, config.steps - config.warmup_steps)
        if budget_s:
            frac = max(frac, elapsed() / budget_s)
        factor = (step + 1) / config.warmup_steps if step < config.warmup_steps else lr_factor(frac)
        for g in opt.param_groups:
            g["lr"] = config.lr * factor
        mel, lengths, text, group = sampler.sample(config.batch_size)
        mel = torch.from_numpy(mel).to(dev)
        lengths = torch.from_numpy(lengths).to(dev)
        text = torch.from_numpy(text).to(dev)
        group = torch.from_numpy(group).to(dev)
        if config.augment:
            aug = augment_batch(mel, lengths, text, group, gen)
            if config.clean_fraction > 0:
                keep = torch.rand(mel.shape[0], generator=gen, device=dev) < config.clean_fraction
                mel, lengths, text, group = (torch.where(keep.view(-1, *[1] * (o.dim() - 1)), o, a)
                                             for o, a in zip((mel, lengths, text, group), aug))
            else:
                mel, lengths, text, group = aug
        a, t = model(mel, lengths, text)
        loss = contrastive_loss(a, t, model.logit_scale, group_ids=group)
        if config.prototype_weight > 0:
            labels = torch.from_numpy(proto_labels[sampler.last_indices]).to(dev)
            labels = torch.where(group >= 0, labels, torch.full_like(labels, -1))  # mixed clips have two labels
            loss = loss + config.prototype_weight * _prototype_loss(a, labels, proto_tables, model.logit_scale.exp())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0, math.log(100))
        history.append(loss.item())
        if on_step:
            on_step(step, history[-1])
        if show_progress and step % 10 == 0:
            bar.set_postfix(loss=f"{np.mean(history[-50:]):.3f}", temp=f"{1 / model.logit_scale.exp().item():.3f}")
        done = step + 1
        if done % config.checkpoint_every == 0:
            save(done)
        if budget_s and elapsed() > budget_s:
            print(f"time budget of {config.max_minutes} min reached at step {done}")
            step = done - 1
            break
    save(step + 1 if config.steps > start else start)
    model.eval()
    return model, history


def run(*, manifest=None, corpus_dir=None, train_packages: Sequence[str] = (), extra_manifests: Sequence = (),
        synth_dirs: Sequence = (),
        synth_limit: int | None = None, config: TrainConfig, run_dir, out_dir=None, device=None, resume=False,
        fp16: bool = True, show_progress: bool = True, model_config=None) -> dict:
    """The ``sfxgen train clap`` pipeline: gather data, train, save the model; returns a summary dict.

    ``extra_manifests``: ``(manifest_csv, packages)`` pairs of further real corpora, paths relative to the CSV's folder."""
    from sfxgen.embed.clap_small import ClapSmallConfig, count_parameters, save_pretrained

    model_cfg = model_config or ClapSmallConfig()
    clips = ClipSet()
    corpora = [(m, Path(m).parent, packages) for m, packages in extra_manifests]
    if manifest is not None:
        if corpus_dir is None or not train_packages:
            raise ParameterError("real training data needs --corpus and --train-packages alongside --manifest")
        corpora.insert(0, (manifest, corpus_dir, train_packages))
    real_counts = {}
    for m, root, packages in corpora:
        real_counts.update(add_real_clips(clips, m, root, packages=packages, mel_cfg=model_cfg.mel,
                                          max_clip_s=config.max_clip_s, show_progress=show_progress,
                                          templates=config.caption_templates, trim_tail_db=model_cfg.trim_tail_db))
    n_synth = 0
    for d in synth_dirs:
        n_synth += add_synth_clips(clips, d, mel_cfg=model_cfg.mel, max_clip_s=config.max_clip_s, limit=synth_limit,
                                   show_progress=show_progress, trim_tail_db=model_cfg.trim_tail_db,
                                   family_captions=config.synth_family_captions)
    if len(clips) == 0:
        raise ParameterError("no training data: give --manifest/--corpus/--train-packages and/or --synth DIR")
    print(f"training clips: {len(clips)} ({sum(real_counts.values())} real, {n_synth} synthetic); "
          f"{len(clips.texts)} distinct captions")
    text_vecs = sentence_vectors(clips.texts)
    t0 = time.monotonic()
    model, history = train(clips, text_vecs, config=config, run_dir=run_dir, model_config=model_cfg, device=device,
                           resume=resume, show_progress=show_progress)
    summary = {
        "steps": len(history),
        "final_loss": float(np.mean(history[-50:])) if history else None,
        "train_minutes": round((time.monotonic() - t0) / 60, 2),
        "real_clips_per_package": real_counts,
        "synthetic_clips": n_synth,
        "parameters": count_parameters(model),
        "train_config": asdict(config),
    }
    if out_dir is not None:
        summary["model_id"] = save_pretrained(model, out_dir, fp16=fp16, extra={"training": {
            k: summary[k] for k in ("steps", "final_loss", "real_clips_per_package", "synthetic_clips", "train_config")}})
        (Path(run_dir) / "summary.json").write_text(json.dumps(summary, indent=2))
    return summary
