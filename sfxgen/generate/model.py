"""The ``sfxgen-hero-small`` denoiser: a residual MLP over the procedural engine's patch space.

A hero is a :class:`~sfxgen.synth.patch.Patch` (family + ``N_PARAMS`` normalised floats). The
diffusion model works on one continuous vector per patch::

    x = [family one-hot scaled to [-1, 1]  (n_families),  params in [-1, 1]  (n_params)]

and predicts the noise added to it (DDPM epsilon objective), conditioned on a 384-d MiniLM
sentence vector and the diffusion timestep. Conditioning enters every residual block through
FiLM (per-channel scale and shift), so the text steers both which family wins the argmax and
where in parameter space the sample lands. A learned ``null_embedding`` stands in for "no text"
(classifier-free guidance: trained with condition dropout, used as the unconditional branch when
no negative prompt is given).

Why an MLP: a patch vector has ~55 dimensions, so thousands of training steps per minute fit on
a 2-core CPU, and 25 sampling steps cost milliseconds -- the audio comes from ``sfxgen.synth``.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn

from sfxgen.errors import ModelError

MODEL_TYPE = "sfxgen-hero-small"
WEIGHTS_NAME = "model.safetensors"
CONFIG_NAME = "config.json"


@dataclass
class HeroModelConfig:
    """Shape and conventions of a hero denoiser (saved as ``config.json`` next to the weights)."""

    family_names: list[str] = field(default_factory=list)
    n_params: int = 16
    cond_dim: int = 384
    hidden: int = 384
    n_blocks: int = 4
    expansion: int = 2
    time_dim: int = 128
    text_encoder: str = "all-MiniLM-L6-v2"
    # diffusers scheduler config used in training (DDPMScheduler kwargs); sampling schedulers
    # are built from the same config so betas and timesteps agree.
    num_train_timesteps: int = 1000
    beta_schedule: str = "squaredcos_cap_v2"
    prediction_type: str = "epsilon"
    model_type: str = MODEL_TYPE

    @property
    def n_families(self) -> int:
        return len(self.family_names)

    @property
    def sample_dim(self) -> int:
        return self.n_families + self.n_params

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "HeroModelConfig":
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})


def timestep_embedding(t: torch.Tensor, dim: int) -> torch.Tensor:
    """Sinusoidal embedding ``(B, dim)`` of diffusion timesteps ``t`` ``(B,)`` (as in DDPM)."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class FiLMResBlock(nn.Module):
    """Pre-norm residual MLP block whose normalised input is scaled/shifted by the condition."""

    def __init__(self, hidden: int, expansion: int):
        super().__init__()
        self.norm = nn.LayerNorm(hidden, elementwise_affine=False)
        self.film = nn.Linear(hidden, 2 * hidden)
        self.fc1 = nn.Linear(hidden, hidden * expansion)
        self.fc2 = nn.Linear(hidden * expansion, hidden)
        self.act = nn.SiLU()
        nn.init.zeros_(self.film.weight)
        nn.init.zeros_(self.film.bias)
        nn.init.zeros_(self.fc2.weight)
        nn.init.zeros_(self.fc2.bias)

    def forward(self, h: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        scale, shift = self.film(c).chunk(2, dim=-1)
        y = self.norm(h) * (1.0 + scale) + shift
        return h + self.fc2(self.act(self.fc1(y)))


class HeroDenoiser(nn.Module):
    """Noise predictor ``eps(x_t, t, text)`` over patch vectors.

    ``forward(sample (B, D), timestep (B,) or scalar, cond (B, cond_dim) or None)`` returns
    ``(B, D)``. ``cond=None`` (or rows where ``drop_mask`` is True) use the learned null
    embedding. ``D = n_families + n_params``.
    """

    def __init__(self, config: HeroModelConfig):
        super().__init__()
        if config.n_families < 2:
            raise ModelError("a hero model needs at least two families in its config")
        self.config = config
        h = config.hidden
        self.null_embedding = nn.Parameter(torch.zeros(config.cond_dim))
        self.cond_proj = nn.Sequential(nn.Linear(config.cond_dim, h), nn.SiLU(), nn.Linear(h, h))
        self.time_proj = nn.Sequential(nn.Linear(config.time_dim, h), nn.SiLU(), nn.Linear(h, h))
        self.in_proj = nn.Linear(config.sample_dim, h)
        self.blocks = nn.ModuleList(FiLMResBlock(h, config.expansion) for _ in range(config.n_blocks))
        self.out_norm = nn.LayerNorm(h)
        self.out_proj = nn.Linear(h, config.sample_dim)
        nn.init.zeros_(self.out_proj.weight)
        nn.init.zeros_(self.out_proj.bias)

    @property
    def dtype(self) -> torch.dtype:
        return self.in_proj.weight.dtype

    @property
    def device(self) -> torch.device:
        return self.in_proj.weight.device

    def forward(self, sample: torch.Tensor, timestep, cond: torch.Tensor | None = None,
                drop_mask: torch.Tensor | None = None) -> torch.Tensor:
        b = sample.shape[0]
        t = torch.as_tensor(timestep, device=sample.device)
        if t.ndim == 0:
            t = t.expand(b)
        null = self.null_embedding.to(sample.dtype)[None].expand(b, -1)
        if cond is None:
            cond = null
        elif drop_mask is not None:
            cond = torch.where(drop_mask[:, None], null, cond)
        c = self.time_proj(timestep_embedding(t, self.config.time_dim).to(sample.dtype)) + self.cond_proj(cond)
        c = nn.functional.silu(c)
        h = self.in_proj(sample) + c
        for block in self.blocks:
            h = block(h, c)
        return self.out_proj(self.out_norm(h))

    # ------------------------------------------------------------------ persistence
    def save_pretrained(self, directory, *, fp16: bool = True, extra_config: dict | None = None) -> Path:
        """Write ``config.json`` + ``model.safetensors`` (fp16 by default) into ``directory``."""
        return save_module(self, self.config.to_dict(), directory, fp16=fp16, extra_config=extra_config,
                           model_type=MODEL_TYPE)

    @classmethod
    def from_pretrained(cls, directory, *, device: str | torch.device = "cpu") -> "HeroDenoiser":
        """Load a saved denoiser (weights cast to float32). Raises ModelError naming the problem."""
        raw = read_config(directory, MODEL_TYPE)
        return load_module(cls(HeroModelConfig.from_dict(raw)), directory, device=device)


def save_module(model: nn.Module, config: dict, directory, *, fp16: bool, extra_config: dict | None,
                model_type: str) -> Path:
    """Write ``model``'s weights (``model.safetensors``, fp16 by default, written to a temp name and
    renamed) and ``config`` (+ ``extra_config``, ``weights_dtype``) as ``config.json`` into ``directory``."""
    from safetensors.torch import save_file

    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    state = {k: (v.half() if fp16 and v.is_floating_point() else v).contiguous().cpu()
             for k, v in model.state_dict().items()}
    tmp = d / f".{WEIGHTS_NAME}.tmp"
    save_file(state, str(tmp), metadata={"model_type": model_type})
    tmp.replace(d / WEIGHTS_NAME)
    cfg = dict(config)
    cfg["weights_dtype"] = "float16" if fp16 else "float32"
    if extra_config:
        cfg.update(extra_config)
    tmp = d / f".{CONFIG_NAME}.tmp"
    tmp.write_text(json.dumps(cfg, indent=2) + "\n")
    tmp.replace(d / CONFIG_NAME)
    return d


def read_config(directory, model_type: str) -> dict:
    """The ``config.json`` of a saved model of ``model_type`` (ModelError naming the problem)."""
    d = Path(directory)
    cfg_path, w_path = d / CONFIG_NAME, d / WEIGHTS_NAME
    if not cfg_path.is_file() or not w_path.is_file():
        raise ModelError(
            f"{d}: no hero model here (needs {CONFIG_NAME} and {WEIGHTS_NAME}); train one with "
            "`sfxgen train hero` or pass --model DIR"
        )
    try:
        raw = json.loads(cfg_path.read_text())
    except (OSError, ValueError) as exc:
        raise ModelError(f"{cfg_path}: unreadable model config ({exc})") from exc
    if raw.get("model_type") != model_type:
        raise ModelError(f"{cfg_path}: model_type {raw.get('model_type')!r} is not {model_type!r}")
    return raw


def load_module(model: nn.Module, directory, *, device="cpu"):
    """Load ``model.safetensors`` of ``directory`` into ``model`` (cast to float32); eval mode."""
    from safetensors.torch import load_file

    w_path = Path(directory) / WEIGHTS_NAME
    try:
        state = load_file(str(w_path))
        model.load_state_dict({k: v.float() for k, v in state.items()})
    except Exception as exc:  # safetensors raises its own error types
        raise ModelError(f"{w_path}: weights do not match the config ({exc})") from exc
    return model.to(device).eval()


def n_parameters(model: nn.Module) -> int:
    return int(sum(p.numel() for p in model.parameters()))


# ---------------------------------------------------------------------- patch <-> vector
def patch_to_vector(family_idx, params, n_families: int) -> np.ndarray:
    """``(B, n_families + n_params)`` float32 vectors from family indices ``(B,)`` and params ``(B, P)``."""
    fam = np.atleast_1d(np.asarray(family_idx, dtype=np.int64))
    p = np.atleast_2d(np.asarray(params, dtype=np.float32))
    onehot = np.full((fam.size, n_families), -1.0, np.float32)
    onehot[np.arange(fam.size), fam] = 1.0
    return np.concatenate([onehot, p], axis=1)


def vector_to_patch(vec: np.ndarray, n_families: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inverse of :func:`patch_to_vector`: (family indices ``(B,)``, params clipped to [-1, 1]
    ``(B, P)``, family confidence ``(B,)`` = softmax probability of the argmax over the one-hot
    part at temperature 0.25)."""
    v = np.atleast_2d(np.asarray(vec, dtype=np.float32))
    logits = v[:, :n_families] / 0.25
    fam = logits.argmax(1)
    z = np.exp(logits - logits.max(1, keepdims=True))
    conf = (z / z.sum(1, keepdims=True))[np.arange(len(fam)), fam]
    return fam, np.clip(v[:, n_families:], -1.0, 1.0), conf.astype(np.float32)
