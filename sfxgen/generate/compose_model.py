"""The composed-hero denoiser: a small transformer over element slots, cross-attending to the
prompt's MiniLM token states.

A :class:`~sfxgen.generate.compose.Composition` is encoded as ``n_slots`` element slots plus one
shared-space token, flattened to one vector per hero (so diffusers' schedulers, and their dynamic
thresholding, see ``(B, 1, D)`` as for the single-patch model)::

    slot  = [family code (C), patch params (P), onset, gain, role one-hot (R), active]
    x     = [slot_0 .. slot_{S-1}, space, distance]             D = S * (C + P + 2 + R + 1) + 2

The family is an *analog-bits* code: a fixed random ``{-1, +1}^C`` word per family
(:func:`family_codes`, stored with the weights), decoded to the nearest word. With 99 families a
one-hot part leaves the diffusion little signal per class (measured: at 1,500 steps the family
was set by the noise seed, confidence ~0.04); a 32-bit code is dense, and sampling clamps each
``x0`` estimate's code to its nearest word (Diffusion-LM's clamping), so a slot commits to one
family. The model predicts ``x0`` (``prediction_type="sample"``).

``onset`` is the element's start as a fraction of the hero's length (``2 f - 1``), ``gain`` its
level (``1 + gain_db / 12``: 0 dB -> 1, -24 dB -> -1), ``active`` +1 for a sounding slot. An
empty slot is all -1 except its params (0). Slot 0 is the main source.

The denoiser embeds each slot and the space token, adds a slot-position embedding and runs
``n_layers`` blocks of (self-attention across slots, cross-attention to the text tokens, MLP),
each modulated (adaLN, zero-initialised) by the timestep and the pooled sentence vector. Word
order and roles reach the slots through the cross-attention: "a cat purring on a night train"
and "a train with a cat" attend to different tokens for slot 0. A learned null token and null
pooled vector stand in for "no text" (classifier-free guidance; condition dropout in training).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import torch
from torch import nn

from sfxgen.errors import ModelError
from sfxgen.generate.model import load_module, read_config, save_module, timestep_embedding
from sfxgen.synth.family import ELEMENT_ROLES

COMPOSE_MODEL_TYPE = "sfxgen-hero-compose"
GAIN_SCALE_DB = 12.0


@dataclass
class ComposeModelConfig:
    """Shape and conventions of a composed-hero denoiser (``config.json`` next to the weights)."""

    family_names: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=lambda: list(ELEMENT_ROLES))
    n_params: int = 16
    n_slots: int = 4
    cond_dim: int = 384
    d_model: int = 128
    n_layers: int = 3
    n_heads: int = 4
    ff_mult: int = 3
    time_dim: int = 64
    max_text_tokens: int = 48
    text_dim: int = 64
    text_encoder: str = "all-MiniLM-L6-v2"
    num_train_timesteps: int = 1000
    beta_schedule: str = "squaredcos_cap_v2"
    prediction_type: str = "sample"
    family_code_dim: int = 32
    model_type: str = COMPOSE_MODEL_TYPE

    @property
    def n_families(self) -> int:
        return len(self.family_names)

    @property
    def slot_dim(self) -> int:
        return self.family_code_dim + self.n_params + 2 + len(self.roles) + 1

    def family_slices(self) -> list[slice]:
        """Where each slot's family code sits in the flat vector."""
        return [slice(s * self.slot_dim, s * self.slot_dim + self.family_code_dim) for s in range(self.n_slots)]

    @property
    def sample_dim(self) -> int:
        return self.n_slots * self.slot_dim + 2

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "ComposeModelConfig":
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})


def family_codes(n_families: int, dim: int, *, seed: int = 0) -> np.ndarray:
    """``(n_families, dim)`` float32 words in ``{-1, +1}``: random, re-drawn until every pair
    differs in at least ``dim // 4`` bits (deterministic in ``seed``)."""
    rng = np.random.default_rng(seed)
    best, best_d = None, -1
    for _ in range(200):
        c = rng.choice(np.array([-1.0, 1.0], np.float32), size=(n_families, dim))
        ham = (dim - c @ c.T) / 2 + np.eye(n_families) * dim
        d = int(ham.min())
        if d > best_d:
            best, best_d = c, d
        if d >= dim // 4:
            break
    return best.astype(np.float32)


def nearest_code(x: np.ndarray, codes: np.ndarray, *, temperature: float = 4.0):
    """``(index, probability)`` of the code word nearest to ``x`` (C,) and its softmax share over
    ``-squared distance / temperature``."""
    d = ((codes - x[None]) ** 2).sum(1)
    z = -d / temperature
    e = np.exp(z - z.max())
    i = int(d.argmin())
    return i, float(e[i] / e.sum())


class _Block(nn.Module):
    def __init__(self, d: int, heads: int, ff_mult: int, text_dim: int):
        super().__init__()
        self.n1, self.n2, self.n3 = (nn.LayerNorm(d, elementwise_affine=False) for _ in range(3))
        self.self_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d, heads, batch_first=True, kdim=text_dim, vdim=text_dim)
        self.ff = nn.Sequential(nn.Linear(d, ff_mult * d), nn.GELU(), nn.Linear(ff_mult * d, d))
        self.mod = nn.Linear(d, 6 * d)
        nn.init.zeros_(self.mod.weight)  # adaLN-zero
        nn.init.zeros_(self.mod.bias)

    def forward(self, h, c, text, text_pad):
        s1, b1, g1, s3, b3, g3 = self.mod(c)[:, None].chunk(6, dim=-1)
        y = self.n1(h) * (1 + s1) + b1
        h = h + (1 + g1) * self.self_attn(y, y, y, need_weights=False)[0]
        y = self.n2(h)
        h = h + self.cross_attn(y, text, text, key_padding_mask=text_pad, need_weights=False)[0]
        y = self.n3(h) * (1 + s3) + b3
        return h + (1 + g3) * self.ff(y)


class ComposeDenoiser(nn.Module):
    """Noise predictor ``eps(x_t, t, text tokens, pooled text)`` over composition vectors.

    ``forward(sample (B, D), timestep, tokens (B, T, text_dim) (:meth:`reduce_tokens`), token_mask (B, T) bool (True =
    a real token), pooled (B, cond_dim), drop_mask (B,) bool or None)`` returns ``(B, D)``.
    Rows with ``drop_mask`` (or ``tokens=None``) use the learned null condition.
    """

    def __init__(self, config: ComposeModelConfig):
        super().__init__()
        if config.n_families < 2:
            raise ModelError("a composed-hero model needs at least two families in its config")
        self.config = config
        d = config.d_model
        self.slot_in = nn.Linear(config.slot_dim, d)
        self.space_in = nn.Linear(2, d)
        self.pos = nn.Parameter(torch.randn(config.n_slots + 1, d) * 0.02)
        self.time_proj = nn.Sequential(nn.Linear(config.time_dim, d), nn.SiLU(), nn.Linear(d, d))
        self.pool_proj = nn.Sequential(nn.Linear(config.cond_dim, d), nn.SiLU(), nn.Linear(d, d))
        # a fixed PCA basis of MiniLM token states (set from the training captions): the
        # cross-attention reads text_dim features per token instead of 384 (4-6x less work)
        self.register_buffer("text_mean", torch.zeros(config.cond_dim))
        self.register_buffer("text_basis", torch.eye(config.cond_dim, config.text_dim))
        self.text_norm = nn.LayerNorm(config.text_dim)
        self.null_token = nn.Parameter(torch.zeros(config.text_dim))
        self.null_pooled = nn.Parameter(torch.zeros(config.cond_dim))
        self.register_buffer("family_codes", torch.from_numpy(family_codes(config.n_families, config.family_code_dim)))
        self.blocks = nn.ModuleList(_Block(d, config.n_heads, config.ff_mult, config.text_dim)
                                    for _ in range(config.n_layers))
        self.out_norm = nn.LayerNorm(d)
        self.slot_out = nn.Linear(d, config.slot_dim)
        self.space_out = nn.Linear(d, 2)
        for m in (self.slot_out, self.space_out):
            nn.init.zeros_(m.weight)
            nn.init.zeros_(m.bias)

    @property
    def dtype(self) -> torch.dtype:
        return self.slot_in.weight.dtype

    @property
    def device(self) -> torch.device:
        return self.slot_in.weight.device

    def reduce_tokens(self, states: torch.Tensor) -> torch.Tensor:
        """MiniLM token states ``(B, T, cond_dim)`` -> ``(B, T, text_dim)`` model token features."""
        return (states.to(self.text_basis.dtype) - self.text_mean) @ self.text_basis

    def null_condition(self, b: int):
        """``(tokens (b, 1, cond), mask (b, 1), pooled (b, cond))`` of the learned "no text"."""
        tok = self.null_token[None, None].expand(b, 1, -1)
        return tok, torch.ones(b, 1, dtype=torch.bool, device=tok.device), self.null_pooled[None].expand(b, -1)

    def forward(self, sample, timestep, tokens=None, token_mask=None, pooled=None, drop_mask=None):
        cfg = self.config
        b = sample.shape[0]
        t = torch.as_tensor(timestep, device=sample.device)
        if t.ndim == 0:
            t = t.expand(b)
        if tokens is None:
            tokens, token_mask, pooled = self.null_condition(b)
        elif drop_mask is not None and bool(drop_mask.any()):
            null_tok = self.null_token.to(tokens.dtype)
            tokens = tokens.clone()
            tokens[drop_mask, 0] = null_tok
            token_mask = token_mask.clone()
            token_mask[drop_mask] = False
            token_mask[drop_mask, 0] = True
            pooled = torch.where(drop_mask[:, None], self.null_pooled.to(pooled.dtype)[None], pooled)
        c = self.time_proj(timestep_embedding(t, cfg.time_dim).to(sample.dtype)) + self.pool_proj(pooled)
        c = nn.functional.silu(c)
        slots = sample[:, : cfg.n_slots * cfg.slot_dim].reshape(b, cfg.n_slots, cfg.slot_dim)
        h = torch.cat([self.slot_in(slots), self.space_in(sample[:, -2:])[:, None]], dim=1) + self.pos[None]
        text = self.text_norm(tokens)
        pad = ~token_mask.bool()
        for block in self.blocks:
            h = block(h, c, text, pad)
        h = self.out_norm(h)
        return torch.cat([self.slot_out(h[:, :-1]).reshape(b, -1), self.space_out(h[:, -1])], dim=1)

    def clamp_families(self, x0: torch.Tensor) -> torch.Tensor:
        """``x0`` (B, D) with each slot's family code replaced by its nearest code word."""
        cfg = self.config
        out = x0.clone()
        codes = self.family_codes.to(x0.dtype)
        for sl in cfg.family_slices():
            idx = torch.cdist(x0[:, sl], codes).argmin(1)
            out[:, sl] = codes[idx]
        return out

    def save_pretrained(self, directory, *, fp16: bool = True, extra_config: dict | None = None):
        return save_module(self, self.config.to_dict(), directory, fp16=fp16, extra_config=extra_config,
                           model_type=COMPOSE_MODEL_TYPE)

    @classmethod
    def from_pretrained(cls, directory, *, device="cpu") -> "ComposeDenoiser":
        raw = read_config(directory, COMPOSE_MODEL_TYPE)
        return load_module(cls(ComposeModelConfig.from_dict(raw)), directory, device=device)


# ---------------------------------------------------------------------- composition <-> vector
@dataclass
class SlotTarget:
    """One element as the model sees it: family index, params ``(P,)``, onset fraction of the
    hero length, gain in dB, role name."""

    family: int
    params: np.ndarray
    onset_frac: float
    gain_db: float
    role: str


def encode_slots(elements: list, space: tuple[float, float], config: ComposeModelConfig,
                 codes: np.ndarray | None = None) -> np.ndarray:
    """``(D,)`` float32 vector of up to ``n_slots`` :class:`SlotTarget` s (main first) and the
    shared ``(space, distance)`` (normalised)."""
    f, p, r = config.family_code_dim, config.n_params, len(config.roles)
    codes = family_codes(config.n_families, f) if codes is None else codes
    out = np.empty(config.sample_dim, np.float32)
    for s in range(config.n_slots):
        v = np.full(config.slot_dim, -1.0, np.float32)
        v[f:f + p] = 0.0
        if s < len(elements):
            e = elements[s]
            v[:f] = codes[e.family]
            v[f:f + p] = np.clip(e.params, -1, 1)
            v[f + p] = float(np.clip(2.0 * e.onset_frac - 1.0, -1, 1))
            v[f + p + 1] = float(np.clip(1.0 + e.gain_db / GAIN_SCALE_DB, -1, 1))
            v[f + p + 2 + config.roles.index(e.role)] = 1.0
            v[-1] = 1.0
        out[s * config.slot_dim:(s + 1) * config.slot_dim] = v
    out[-2:] = np.clip(space, -1, 1)
    return out


def decode_slots(vec: np.ndarray, config: ComposeModelConfig, codes: np.ndarray | None = None):
    """Inverse of :func:`encode_slots` for one ``(D,)`` vector: ``(elements, (space, distance),
    confidences)``. Slot 0 is always the main element; a later slot sounds when its active value
    is > 0. ``confidences[i]`` is the softmax share of element ``i``'s family code word among all
    words (:func:`nearest_code`): how clearly the diffusion chose it."""
    f, p, r = config.family_code_dim, config.n_params, len(config.roles)
    codes = family_codes(config.n_families, f) if codes is None else codes
    v = np.asarray(vec, np.float32)
    elements, conf = [], []
    for s in range(config.n_slots):
        z = v[s * config.slot_dim:(s + 1) * config.slot_dim]
        if s > 0 and z[-1] <= 0.0:
            continue
        fam, c = nearest_code(z[:f], codes)
        conf.append(c)
        role = "main" if s == 0 else config.roles[int(z[f + p + 2:f + p + 2 + r].argmax())]
        elements.append(SlotTarget(fam, np.clip(z[f:f + p], -1, 1), float(np.clip((z[f + p] + 1) / 2, 0, 1)),
                                   float(np.clip((z[f + p + 1] - 1.0) * GAIN_SCALE_DB, -24.0, 0.0)), role))
    return elements, (float(np.clip(v[-2], -1, 1)), float(np.clip(v[-1], -1, 1))), conf
