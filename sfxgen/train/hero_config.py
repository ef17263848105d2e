"""Hyper-parameters of the hero trainers (:mod:`sfxgen.train.hero`), in a module of their own so
the CLI can show their defaults without importing numpy or the trainer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class HeroTrainConfig:
    """Hyper-parameters of one run (saved into checkpoints and the model config)."""

    steps: int = 6000
    batch_size: int = 256
    lr: float = 1e-3
    weight_decay: float = 0.01
    warmup_steps: int = 200
    cond_dropout: float = 0.12
    ema_decay: float = 0.999
    seed: int = 0
    patches_per_family: int = 500
    full_captions: int = 2
    partial_captions: int = 2
    hidden: int = 384
    n_blocks: int = 4
    checkpoint_every: int = 500
    max_minutes: float | None = None
    families: tuple | None = None  # None = every family of the synth
    fast_attack_prior: bool = True  # see only_asked_slow_attacks
    vocab_captions: int = 1  # UCS-vocabulary captions per patch, see add_vocabulary_captions (0 = off)


@dataclass
class ComposeTrainConfig:
    """Hyper-parameters of a composed-hero run (saved into the model config)."""

    steps: int = 6000
    batch_size: int = 128
    lr: float = 1e-3
    weight_decay: float = 0.01
    warmup_steps: int = 200
    cond_dropout: float = 0.1
    ema_decay: float = 0.998
    seed: int = 0
    examples: int = 20000
    d_model: int = 128
    n_layers: int = 3
    n_heads: int = 4
    max_text_tokens: int = 48
    text_dim: int = 64
    checkpoint_every: int = 500
    max_minutes: float | None = None
    families: tuple | None = None
