"""``sfxgen-clap-small``: a compact CPU-trainable audio-text model in one joint space.

Text tower: frozen all-MiniLM-L6-v2 sentence vectors (384-d) followed by a learned residual
projection ``t + MLP(t)`` (last layer zero-initialised, so training starts from MiniLM's own
semantic geometry; that keeps unseen query wording meaningful).

Audio tower: log-mel ``(64, frames)`` -> conv stem (stride 2 in frequency, 4 in time) -> depthwise-separable conv
blocks (each stage halves frequency and time) -> masked mean+max pooling over time of the
frequency-averaged map -> MLP -> ``embed_dim``. Attention-free, ~1M parameters, so a
5 s window costs a few MFLOP and training runs on 2 CPU cores.

``audio_arch="stats"`` (the shipped default model) replaces the conv tower by an MLP on pooled
log-mel descriptors (:mod:`sfxgen.embed.descriptors`), and ``text_residual=False`` drops the
learned text projection so audio is mapped straight into MiniLM's sentence space (unseen query
wording keeps MiniLM's own semantics). Both measured better on held-out packages (model card).

Both towers end L2-normalised; similarity is the dot product. A learned temperature
(``logit_scale``) scales it for the symmetric InfoNCE loss.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields

import torch
from torch import nn
import torch.nn.functional as F

from sfxgen.embed.features import MelConfig

MODEL_NAME = "sfxgen-clap-small"


@dataclass
class ClapSmallConfig:
    """Architecture and front-end settings; saved as ``config.json`` beside the weights."""

    model_type: str = MODEL_NAME
    audio_arch: str = "cnn"  # "cnn" (conv tower on the log-mel) or "stats" (MLP on pooled descriptors)
    text_residual: bool = True  # False: text vectors are MiniLM's own (no learned text projection)
    channels: tuple[int, ...] = (32, 64, 128, 256)
    stem_time_stride: int = 4  # the stem keeps 1 of 4 frame positions (10 ms -> 40 ms), halving cost twice
    blocks_per_stage: int = 2
    head_dim: int = 512
    embed_dim: int = 384
    text_dim: int = 384
    text_model: str = "all-MiniLM-L6-v2"
    window_s: float = 5.0
    window_hop_s: float = 2.5
    max_pooled_windows: int = 64
    trim_tail_db: float | None = None  # drop a clip's tail quieter than this below its loudest frame (None: keep)
    mel: MelConfig = field(default_factory=MelConfig)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["channels"] = list(self.channels)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "ClapSmallConfig":
        known = {f.name for f in fields(cls)}
        kw = {k: v for k, v in d.items() if k in known}
        if "mel" in kw and isinstance(kw["mel"], dict):
            kw["mel"] = MelConfig(**kw["mel"])
        if "channels" in kw:
            kw["channels"] = tuple(kw["channels"])
        return cls(**kw)


class DSBlock(nn.Module):
    """Depthwise 3x3 (optionally strided) + pointwise 1x1, BN+ReLU each; residual when shapes match."""

    def __init__(self, cin: int, cout: int, stride: int = 1):
        super().__init__()
        self.dw = nn.Conv2d(cin, cin, 3, stride=stride, padding=1, groups=cin, bias=False)
        self.bn1 = nn.BatchNorm2d(cin)
        self.pw = nn.Conv2d(cin, cout, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = F.relu(self.bn1(self.dw(x)))
        y = self.bn2(self.pw(y))
        return F.relu(y + x) if self.residual else F.relu(y)


def _downsampled_lengths(lengths: torch.Tensor, stem_stride: int, n_stride2: int) -> torch.Tensor:
    lengths = torch.div(lengths + stem_stride - 1, stem_stride, rounding_mode="floor")
    for _ in range(n_stride2):
        lengths = torch.div(lengths + 1, 2, rounding_mode="floor")
    return lengths.clamp(min=1)


class AudioEncoder(nn.Module):
    """Log-mel ``(batch, n_mels, frames)`` + valid ``lengths`` (frames) -> ``(batch, embed_dim)`` (unnormalised)."""

    def __init__(self, cfg: ClapSmallConfig):
        super().__init__()
        c = cfg.channels
        self.in_norm = nn.BatchNorm2d(1)
        st = int(cfg.stem_time_stride)
        self.stem_time_stride = st
        self.stem = nn.Sequential(
            nn.Conv2d(1, c[0], (3, 2 * st - 1 if st > 1 else 3), stride=(2, st), padding=(1, st - 1 if st > 1 else 1), bias=False),
            nn.BatchNorm2d(c[0]), nn.ReLU(),
        )
        stages = []
        for cin, cout in zip(c[:-1], c[1:]):
            stages.append(DSBlock(cin, cout, stride=2))
            stages.extend(DSBlock(cout, cout) for _ in range(cfg.blocks_per_stage - 1))
        self.stages = nn.Sequential(*stages)
        self.n_stride2 = len(c) - 1
        self.head = nn.Sequential(nn.Linear(2 * c[-1], cfg.head_dim), nn.ReLU(), nn.Linear(cfg.head_dim, cfg.embed_dim))

    def forward(self, mel: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        x = self.stages(self.stem(self.in_norm(mel.unsqueeze(1))))  # (B, C, F', T')
        x = x.mean(dim=2)  # (B, C, T')
        t = x.shape[-1]
        if lengths is None:
            mean, mx = x.mean(-1), x.amax(-1)
        else:
            valid = _downsampled_lengths(lengths.to(x.device), self.stem_time_stride, self.n_stride2).clamp(max=t)
            mask = torch.arange(t, device=x.device)[None] < valid[:, None]  # (B, T')
            m = mask[:, None].to(x.dtype)
            mean = (x * m).sum(-1) / m.sum(-1)
            mx = x.masked_fill(~mask[:, None], float("-inf")).amax(-1)
        return self.head(torch.cat([mean, mx], dim=1))


class StatsEncoder(nn.Module):
    """Log-mel ``(batch, n_mels, frames)`` + ``lengths`` -> pooled descriptors
    (:func:`sfxgen.embed.descriptors.mel_descriptors`) -> standardised with training-set statistics
    (buffers) -> MLP -> ``(batch, embed_dim)``. Cheap, and transfers across recording sources
    better than a conv tower trained from scratch on ~2k clips."""

    def __init__(self, cfg: ClapSmallConfig):
        super().__init__()
        from sfxgen.embed.descriptors import descriptor_dim

        d = descriptor_dim(cfg.mel.n_mels)
        self.register_buffer("feat_mean", torch.zeros(d))
        self.register_buffer("feat_std", torch.ones(d))
        h = cfg.head_dim
        self.mlp = nn.Sequential(nn.Linear(d, h), nn.GELU(), nn.Dropout(0.2), nn.Linear(h, h), nn.GELU(), nn.Dropout(0.2),
                                 nn.Linear(h, cfg.embed_dim))

    def descriptors(self, mel, lengths=None):
        from sfxgen.embed.descriptors import mel_descriptors

        return mel_descriptors(mel, lengths)

    @torch.no_grad()
    def fit_normalizer(self, descriptors: torch.Tensor) -> None:
        """Set the standardisation from descriptors ``(n, d)`` of the training clips."""
        self.feat_mean.copy_(descriptors.mean(0))
        self.feat_std.copy_(descriptors.std(0) + 1e-3)

    def forward(self, mel: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        x = (self.descriptors(mel, lengths) - self.feat_mean) / self.feat_std
        return self.mlp(x)


class TextProjection(nn.Module):
    """Residual MLP on frozen sentence vectors: ``t + W2 gelu(W1 t)`` (W2 starts at zero)."""

    def __init__(self, cfg: ClapSmallConfig):
        super().__init__()
        self.residual = bool(cfg.text_residual)
        if self.residual:
            self.fc1 = nn.Linear(cfg.text_dim, cfg.head_dim)
            self.fc2 = nn.Linear(cfg.head_dim, cfg.embed_dim)
            nn.init.zeros_(self.fc2.weight)
            nn.init.zeros_(self.fc2.bias)
        self.skip = nn.Identity() if cfg.text_dim == cfg.embed_dim else nn.Linear(cfg.text_dim, cfg.embed_dim, bias=False)

    def forward(self, t: torch.Tensor) -> torch.Tensor:
        if not self.residual:
            return self.skip(t)
        return self.skip(t) + self.fc2(F.gelu(self.fc1(t)))


class ClapSmall(nn.Module):
    """The trainable part of sfxgen-clap-small (the MiniLM text encoder stays outside, frozen)."""

    def __init__(self, cfg: ClapSmallConfig | None = None):
        super().__init__()
        self.config = cfg or ClapSmallConfig()
        if self.config.audio_arch not in ("cnn", "stats"):
            raise ValueError(f"unknown audio_arch {self.config.audio_arch!r} (expected 'cnn' or 'stats')")
        self.audio = AudioEncoder(self.config) if self.config.audio_arch == "cnn" else StatsEncoder(self.config)
        self.text = TextProjection(self.config)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def encode_audio(self, mel, lengths=None):
        return F.normalize(self.audio(mel, lengths), dim=-1)

    def encode_text(self, sentence_vectors):
        return F.normalize(self.text(sentence_vectors), dim=-1)

    def forward(self, mel, lengths, sentence_vectors):
        return self.encode_audio(mel, lengths), self.encode_text(sentence_vectors)


def contrastive_loss(audio_emb, text_emb, logit_scale, *, group_ids=None) -> torch.Tensor:
    """Symmetric InfoNCE over a batch; items sharing a ``group_ids`` value (same caption) count
    as positives for each other instead of as false negatives."""
    scale = logit_scale.exp().clamp(max=100.0)
    logits = scale * audio_emb @ text_emb.t()
    n = logits.shape[0]
    if group_ids is None:
        targets = torch.eye(n, device=logits.device)
    else:
        targets = (group_ids[:, None] == group_ids[None, :]).to(logits.dtype)
    targets = targets / targets.sum(1, keepdim=True)
    la = -(targets * F.log_softmax(logits, dim=1)).sum(1).mean()
    lt = -(targets.t() * F.log_softmax(logits.t(), dim=1)).sum(1).mean()
    return 0.5 * (la + lt)


def fuse_for_inference(model: ClapSmall) -> ClapSmall:
    """Fold eval-mode BatchNorms into the convolutions before them (same outputs, fewer passes
    over memory). Only for inference: the result must not be trained further."""
    from torch.nn.utils.fusion import fuse_conv_bn_eval

    model.eval()
    enc = model.audio
    if not isinstance(enc, AudioEncoder):
        return model
    enc.stem[0] = fuse_conv_bn_eval(enc.stem[0], enc.stem[1])
    enc.stem[1] = nn.Identity()
    for block in enc.stages:
        block.dw = fuse_conv_bn_eval(block.dw, block.bn1)
        block.bn1 = nn.Identity()
        block.pw = fuse_conv_bn_eval(block.pw, block.bn2)
        block.bn2 = nn.Identity()
    return model


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


# ---------------------------------------------------------------------------------------------
# Saving / loading and the embedder used by the library


CONFIG_NAME = "config.json"
WEIGHTS_NAME = "model.safetensors"


def save_pretrained(model: ClapSmall, out_dir, *, fp16: bool = True, extra: dict | None = None) -> str:
    """Write ``config.json`` + ``model.safetensors`` (fp16 by default) atomically; returns the model id.

    The model id is ``sfxgen-clap-small-<first 8 hex of the weights' SHA-256>``: stable for one set
    of weights, different after retraining, so an index built with older weights refuses queries.
    """
    import hashlib
    import json
    import os
    from pathlib import Path

    from safetensors.torch import save_file

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    dtype = torch.float16 if fp16 else torch.float32
    state = {}
    for k, v in model.state_dict().items():
        v = v.detach().cpu()
        state[k] = (v.to(dtype) if v.is_floating_point() else v).contiguous()
    tmp_w = out / f".{WEIGHTS_NAME}.{os.getpid()}.tmp"
    save_file(state, str(tmp_w), metadata={"format": "pt", "model_type": MODEL_NAME})
    os.chmod(tmp_w, 0o644)
    digest = hashlib.sha256(tmp_w.read_bytes()).hexdigest()[:8]
    model_id = f"{MODEL_NAME}-{digest}"
    cfg = model.config.to_dict()
    cfg.update(model_id=model_id, dtype=str(dtype).replace("torch.", ""), **(extra or {}))
    tmp_c = out / f".{CONFIG_NAME}.{os.getpid()}.tmp"
    tmp_c.write_text(json.dumps(cfg, indent=2) + "\n")
    os.replace(tmp_w, out / WEIGHTS_NAME)
    os.replace(tmp_c, out / CONFIG_NAME)
    return model_id


def load_pretrained(model_dir, *, device="cpu") -> tuple[ClapSmall, dict]:
    """Load a directory written by :func:`save_pretrained` -> (model in eval mode, float32; raw config)."""
    import json
    from pathlib import Path

    from safetensors.torch import load_file

    from sfxgen.errors import ModelError

    d = Path(model_dir)
    cfg_path, w_path = d / CONFIG_NAME, d / WEIGHTS_NAME
    if not cfg_path.is_file() or not w_path.is_file():
        raise ModelError(
            f"{d}: the embedded model {MODEL_NAME!r} is missing ({CONFIG_NAME} and {WEIGHTS_NAME} expected); "
            f"train it with `sfxgen train clap` or point SFXGEN_MODELS_DIR at a folder that has it"
        )
    try:
        raw = json.loads(cfg_path.read_text())
        if raw.get("model_type") != MODEL_NAME:
            raise ModelError(f"{cfg_path}: not an {MODEL_NAME} config (model_type={raw.get('model_type')!r})")
        model = ClapSmall(ClapSmallConfig.from_dict(raw))
        state = {k: (v.float() if v.is_floating_point() else v) for k, v in load_file(str(w_path)).items()}
        model.load_state_dict(state)
    except ModelError:
        raise
    except (ValueError, RuntimeError, OSError, KeyError, TypeError) as exc:
        raise ModelError(f"{d}: cannot load {MODEL_NAME} weights ({exc})") from exc
    return model.to(device).eval(), raw
