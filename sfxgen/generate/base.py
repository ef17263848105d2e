"""What every hero pipeline shares: output dataclasses and input validation.

All backends (the embedded ``sfxgen-hero-small`` patch diffusion, diffusers AudioLDM 2 and
Stable Audio) are called the same way::

    result = pipe("heavy metal door slam in a cathedral", negative_prompt="music",
                  duration_s=3.0, num_variations=4, seed=7,
                  num_inference_steps=25, guidance_scale=3.0)

and return a :class:`HeroResult` of :class:`HeroCandidate` s, each ``(2, n)`` float32 audio at
48 kHz with the seed that reproduces it, best match first when a scorer ranked them.
"""

from __future__ import annotations

import math
import numbers
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, TypeVar

from sfxgen.errors import ParameterError

if TYPE_CHECKING:  # numpy loads when audio is handled, not when the CLI reads these limits
    import numpy as np

SAMPLE_RATE = 48000
MIN_DURATION_S, MAX_DURATION_S = 0.1, 30.0
MAX_VARIATIONS = 32
MAX_STEPS = 1000
MAX_GUIDANCE = 50.0
MAX_PROMPT_CHARS = 1000
# Embedded model: samples drawn per seed, the best CLAP match kept (AudioLDM's n_candidate_gen_per_text).
# `sfxgen eval hero`, seeds 0/1: CLAP family accuracy 0.653/0.619 (1), 0.809/0.803 (4), 0.820/0.818 (6);
# ~0.2 s per 3 s hero at 6.
DEFAULT_CANDIDATES_PER_VARIATION = 6
MAX_CANDIDATES_PER_VARIATION = 16


@dataclass
class HeroCandidate:
    """One generated variation: audio ``(channels, samples)`` float32 at ``sample_rate``.

    ``seed`` regenerates exactly this candidate (``num_variations=1, seed=seed``). ``score`` is
    the text-audio similarity used for ranking (``None`` when no scorer ran). ``patch`` is the
    :class:`~sfxgen.synth.patch.Patch` for the embedded model (``None`` for waveform backends).
    """

    audio: np.ndarray
    sample_rate: int
    seed: int
    score: float | None = None
    patch: Any = None
    family_confidence: float | None = None
    composition: Any = None  # sfxgen.generate.compose.Composition (composed heroes); patch = its main

    @property
    def duration_s(self) -> float:
        return self.audio.shape[-1] / float(self.sample_rate)

    def to_dict(self) -> dict:
        """JSON-ready description (no audio)."""
        d = {"seed": int(self.seed), "score": None if self.score is None else round(float(self.score), 6),
             "sample_rate": int(self.sample_rate), "duration_s": round(self.duration_s, 6)}
        if self.patch is not None:
            d["patch"] = self.patch.to_dict()
        if self.family_confidence is not None:
            d["family_confidence"] = round(float(self.family_confidence), 4)
        if self.composition is not None:
            c = self.composition.to_dict()
            d["elements"] = c["elements"]
            d["space"] = c["space"]
        elif self.patch is not None:
            d["elements"] = [{"family": self.patch.family, "role": "main", "gain_db": 0.0, "onset_ms": 0.0,
                              "patch": self.patch.to_dict()}]
        return d


@dataclass
class HeroResult:
    """Output of a hero pipeline call: candidates (best first when scored) and the settings used."""

    prompt: str
    negative_prompt: str | None
    model_id: str
    candidates: list[HeroCandidate]
    duration_s: float | None
    num_inference_steps: int
    guidance_scale: float
    scorer_id: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def audios(self) -> list[np.ndarray]:
        return [c.audio for c in self.candidates]

    @property
    def seeds(self) -> list[int]:
        return [c.seed for c in self.candidates]

    @property
    def scores(self) -> list[float | None]:
        return [c.score for c in self.candidates]

    @property
    def patches(self) -> list:
        return [c.patch for c in self.candidates]

    @property
    def sample_rate(self) -> int:
        return self.candidates[0].sample_rate if self.candidates else SAMPLE_RATE

    def to_dict(self) -> dict:
        return {
            "prompt": self.prompt, "negative_prompt": self.negative_prompt, "model": self.model_id,
            "duration_s": self.duration_s, "num_inference_steps": self.num_inference_steps,
            "guidance_scale": self.guidance_scale, "scorer": self.scorer_id,
            "candidates": [c.to_dict() for c in self.candidates], **self.extra,
        }


def _is_int(x) -> bool:
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def _is_real(x) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool) and math.isfinite(float(x))


def check_prompt(prompt, negative_prompt=None) -> tuple[str, str | None]:
    """Normalised ``(prompt, negative_prompt)`` (runs of spaces collapsed; a blank negative prompt
    is none), or ParameterError for an empty prompt, non-text, or more than
    :data:`MAX_PROMPT_CHARS` characters in either. Cheap: commands call it before loading models."""
    if not isinstance(prompt, str):
        raise ParameterError(f"prompt must be text, got {type(prompt).__name__}")
    prompt = " ".join(prompt.split())
    if not prompt:
        raise ParameterError("prompt is empty: describe the sound, e.g. 'heavy wooden door slam'")
    if len(prompt) > MAX_PROMPT_CHARS:
        raise ParameterError(f"prompt is too long ({len(prompt)} characters; at most {MAX_PROMPT_CHARS})")
    if negative_prompt is not None:
        if not isinstance(negative_prompt, str):
            raise ParameterError(f"negative_prompt must be text, got {type(negative_prompt).__name__}")
        negative_prompt = " ".join(negative_prompt.split()) or None
        if negative_prompt is not None and len(negative_prompt) > MAX_PROMPT_CHARS:
            raise ParameterError(f"negative prompt is too long ({len(negative_prompt)} characters; "
                                 f"at most {MAX_PROMPT_CHARS})")
    return prompt, negative_prompt


def check_inputs(prompt, negative_prompt, duration_s, num_variations, seed, num_inference_steps,
                 guidance_scale, *, max_duration_s: float = MAX_DURATION_S, allow_no_duration: bool = True):
    """Validate the shared call arguments up front; returns the normalised
    ``(prompt, negative_prompt, duration_s, num_variations, seed)`` or raises ParameterError.

    A blank ``negative_prompt`` means none; ``seed=None`` draws a fresh seed (reported in the
    result so the call can be repeated).
    """
    prompt, negative_prompt = check_prompt(prompt, negative_prompt)
    if duration_s is None:
        if not allow_no_duration:
            raise ParameterError("duration_s is required for this model")
    else:
        if not _is_real(duration_s):
            raise ParameterError(f"duration_s must be a number of seconds, got {duration_s!r}")
        if not MIN_DURATION_S <= float(duration_s) <= max_duration_s:
            raise ParameterError(
                f"duration_s must be between {MIN_DURATION_S} and {max_duration_s} seconds, got {duration_s}"
            )
        duration_s = float(duration_s)
    if not _is_int(num_variations) or not 1 <= int(num_variations) <= MAX_VARIATIONS:
        raise ParameterError(f"num_variations must be a whole number from 1 to {MAX_VARIATIONS}, got {num_variations!r}")
    if seed is None:
        seed = int.from_bytes(os.urandom(4), "little") >> 1
    elif not _is_int(seed) or not 0 <= int(seed) < 2**31 - MAX_VARIATIONS:
        raise ParameterError(f"seed must be a whole number from 0 to {2**31 - MAX_VARIATIONS - 1}, got {seed!r}")
    if not _is_int(num_inference_steps) or int(num_inference_steps) <= 0:
        raise ParameterError(f"num_inference_steps must be a positive whole number, got {num_inference_steps!r}")
    if int(num_inference_steps) > MAX_STEPS:
        raise ParameterError(f"num_inference_steps must be at most {MAX_STEPS}, got {num_inference_steps}")
    if not _is_real(guidance_scale) or not 0.0 <= float(guidance_scale) <= MAX_GUIDANCE:
        raise ParameterError(f"guidance_scale must be a number from 0 to {MAX_GUIDANCE}, got {guidance_scale!r}")
    return prompt, negative_prompt, duration_s, int(num_variations), int(seed)


def variation_seeds(seed: int, num_variations: int) -> list[int]:
    """Seed of each variation: ``seed, seed+1, ...`` -- so variation ``i`` of a call is exactly
    what ``seed=seed+i, num_variations=1`` gives."""
    return [int(seed) + i for i in range(int(num_variations))]


T = TypeVar("T")


def per_seed(fn: Callable[[int], list[T]], seeds: Iterable[int]) -> list[T]:
    """Concatenate ``fn(seed)`` over ``seeds``, one call per seed.

    Why: batched float math (matmul blocking, padding, reductions) rounds differently for
    different batch sizes, so a seed sampled inside a batch of 4 is not bit-identical to the same
    seed alone. Running each seed's model work in its own call makes variation ``i`` of any call
    equal a single call with ``seed + i``, bit for bit, on any CPU.
    """
    out: list[T] = []
    for s in seeds:
        out.extend(fn(int(s)))
    return out


def score_candidates(candidates: list[HeroCandidate], prompt: str, scorer) -> None:
    """Set each candidate's ``score`` with ``scorer`` (nothing when ``scorer`` is None).

    One scorer call per candidate, so a candidate's score does not depend on which others were
    scored with it (see :func:`per_seed`)."""
    if scorer is None or not candidates:
        return
    import numpy as np

    for c in candidates:
        c.score = float(np.asarray(scorer.score(prompt, [(c.audio, c.sample_rate)]), np.float32)[0])


def rank_candidates(candidates: list[HeroCandidate], prompt: str, scorer) -> list[HeroCandidate]:
    """Score each candidate with ``scorer`` (if any) and sort best first (stable on ties)."""
    if scorer is None or not candidates:
        return candidates
    score_candidates(candidates, prompt, scorer)
    return sorted(candidates, key=lambda c: -c.score)
