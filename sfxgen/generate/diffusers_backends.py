"""Real checkpoints behind the hero interface: diffusers AudioLDM 2 and Stable Audio.

Loaded only from a local folder (``from_pretrained(DIR, local_files_only=True)``): nothing is
downloaded. Both wrappers take the same call as :class:`~sfxgen.generate.pipeline.HeroPipeline`
and return a :class:`~sfxgen.generate.base.HeroResult`:

==================  ==========================================  ======================================
sfxgen              AudioLDM2Pipeline                            StableAudioPipeline
==================  ==========================================  ======================================
prompt              prompt                                       prompt
negative_prompt     negative_prompt                              negative_prompt
duration_s          audio_length_in_s (rounded up by the model,  audio_end_in_s (start 0; at most the
                    then cut to exactly duration_s)              model's maximum length)
num_variations      one call per variation                       one call per variation
seed                torch.Generator().manual_seed(seed + i)      same
num_inference_steps num_inference_steps                          num_inference_steps
guidance_scale      guidance_scale                               guidance_scale
==================  ==========================================  ======================================

One call per variation keeps "variation i == seed + i" exact (AudioLDM 2 would otherwise reorder
a batch by its own CLAP score). Output is resampled (soxr) from the model rate to 48 kHz and
returned as ``(2, n)`` float32 (mono models are duplicated to both channels), cut or padded to
exactly ``round(duration_s * 48000)`` samples. Candidates are ranked by the sfxgen scorer when
one is set.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sfxgen.errors import ModelError, ParameterError
from sfxgen.generate.base import SAMPLE_RATE, HeroCandidate, HeroResult, check_inputs, rank_candidates, variation_seeds


def _fit(audio: np.ndarray, sr_in: int, n_out: int) -> np.ndarray:
    """Model output ``(n,)``/``(C, n)`` at ``sr_in`` -> ``(2, n_out)`` float32 at 48 kHz."""
    from sfxgen.audio import resample

    a = np.asarray(audio, np.float32)
    if a.ndim == 1:
        a = a[None]
    a = np.nan_to_num(a, nan=0.0, posinf=0.0, neginf=0.0)
    if int(sr_in) != SAMPLE_RATE:
        a = np.asarray(resample(a, int(sr_in), SAMPLE_RATE), np.float32)
    if a.shape[0] == 1:
        a = np.repeat(a, 2, axis=0)
    elif a.shape[0] > 2:
        a = a[:2]
    if a.shape[1] >= n_out:
        a = a[:, :n_out]
    else:
        a = np.pad(a, ((0, 0), (0, n_out - a.shape[1])))
    return np.clip(a, -1.0, 1.0).astype(np.float32)


class DiffusersBackend:
    """Shared wrapper logic; subclasses say how to call their pipeline and what its rate is."""

    kind = ""
    pipeline_class = ""

    def __init__(self, pipe, *, scorer=None, model_id: str | None = None):
        self.pipe = pipe
        self.scorer = scorer
        self.model_id = model_id or self.kind
        if hasattr(pipe, "set_progress_bar_config"):
            pipe.set_progress_bar_config(disable=True)

    @classmethod
    def from_pretrained(cls, directory, *, scorer="auto", device: str = "cpu", dtype=None):
        """Load a saved diffusers pipeline folder with ``local_files_only=True``."""
        import diffusers

        d = Path(directory)
        if not (d / "model_index.json").is_file():
            raise ModelError(f"{d}: not a diffusers pipeline folder (no model_index.json)")
        kwargs = {"local_files_only": True}
        if dtype is not None:
            kwargs["dtype"] = dtype
        try:
            pipe = getattr(diffusers, cls.pipeline_class).from_pretrained(str(d), **kwargs)
        except (OSError, ValueError, EnvironmentError) as exc:
            raise ModelError(f"{d}: cannot load {cls.pipeline_class} ({exc})") from exc
        pipe = pipe.to(device)
        if scorer == "auto":
            from sfxgen.generate.rerank import default_scorer

            scorer = default_scorer()
        return cls(pipe, scorer=scorer, model_id=d.name)

    def save_pretrained(self, directory) -> Path:
        self.pipe.save_pretrained(str(directory))
        return Path(directory)

    @property
    def model_sample_rate(self) -> int:
        raise NotImplementedError

    @property
    def max_duration_s(self) -> float:
        return 30.0

    @property
    def default_duration_s(self) -> float:
        return min(5.0, self.max_duration_s)

    def _generate(self, prompt, negative_prompt, duration_s, steps, guidance, generator) -> np.ndarray:
        raise NotImplementedError

    def __call__(self, prompt: str, *, negative_prompt: str | None = None, duration_s: float | None = None,
                 num_variations: int = 4, seed: int | None = 0, num_inference_steps: int = 50,
                 guidance_scale: float = 3.5, rerank: bool = True) -> HeroResult:
        """Generate ``num_variations`` candidates (see module doc for the argument mapping)."""
        import torch

        prompt, negative_prompt, duration_s, num_variations, seed = check_inputs(
            prompt, negative_prompt, duration_s, num_variations, seed, num_inference_steps, guidance_scale,
            max_duration_s=self.max_duration_s)
        dur = duration_s if duration_s is not None else self.default_duration_s
        n_out = int(round(dur * SAMPLE_RATE))
        cands = []
        for s in variation_seeds(seed, num_variations):
            gen = torch.Generator(device="cpu").manual_seed(int(s))
            raw = self._generate(prompt, negative_prompt, dur, int(num_inference_steps), float(guidance_scale), gen)
            cands.append(HeroCandidate(audio=_fit(raw, self.model_sample_rate, n_out), sample_rate=SAMPLE_RATE,
                                       seed=int(s)))
        scorer = self.scorer if rerank else None
        cands = rank_candidates(cands, prompt, scorer)
        return HeroResult(prompt=prompt, negative_prompt=negative_prompt, model_id=self.model_id, candidates=cands,
                          duration_s=dur, num_inference_steps=int(num_inference_steps),
                          guidance_scale=float(guidance_scale),
                          scorer_id=getattr(scorer, "model_id", None) if scorer is not None else None,
                          extra={"backend": self.pipeline_class, "model_sample_rate": self.model_sample_rate})


class AudioLDM2Backend(DiffusersBackend):
    """diffusers ``AudioLDM2Pipeline`` (mono, 16 kHz vocoder) behind the hero interface."""

    kind = "audioldm2"
    pipeline_class = "AudioLDM2Pipeline"

    @property
    def model_sample_rate(self) -> int:
        return int(self.pipe.vocoder.config.sampling_rate)

    def _generate(self, prompt, negative_prompt, duration_s, steps, guidance, generator):
        out = self.pipe(prompt, negative_prompt=negative_prompt, audio_length_in_s=float(duration_s),
                        num_inference_steps=steps, guidance_scale=guidance, num_waveforms_per_prompt=1,
                        generator=generator, output_type="np")
        return np.asarray(out.audios[0], np.float32)


class StableAudioBackend(DiffusersBackend):
    """diffusers ``StableAudioPipeline`` (stereo, 44.1 kHz for Stable Audio Open) behind the hero interface."""

    kind = "stable_audio"
    pipeline_class = "StableAudioPipeline"

    @property
    def model_sample_rate(self) -> int:
        return int(self.pipe.vae.config.sampling_rate)

    @property
    def max_duration_s(self) -> float:
        p = self.pipe
        return float(p.transformer.config.sample_size * p.vae.hop_length / p.vae.config.sampling_rate)

    def _generate(self, prompt, negative_prompt, duration_s, steps, guidance, generator):
        if duration_s > self.max_duration_s:
            raise ParameterError(f"this Stable Audio model makes at most {self.max_duration_s:.2f} s; asked {duration_s} s")
        out = self.pipe(prompt, negative_prompt=negative_prompt, audio_start_in_s=0.0,
                        audio_end_in_s=float(duration_s), num_inference_steps=steps, guidance_scale=guidance,
                        num_waveforms_per_prompt=1, generator=generator, output_type="np")
        return np.asarray(out.audios[0], np.float32)


BACKENDS = {"audioldm2": AudioLDM2Backend, "stable_audio": StableAudioBackend}


def load_diffusers_backend(directory, *, kind: str, scorer="auto", device: str = "cpu"):
    """Backend of ``kind`` ("audioldm2" or "stable_audio") loaded from a local folder."""
    if kind not in BACKENDS:
        raise ModelError(f"unknown diffusers backend {kind!r}; known: {', '.join(BACKENDS)}")
    return BACKENDS[kind].from_pretrained(directory, scorer=scorer, device=device)
