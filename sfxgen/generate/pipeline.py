"""HeroPipeline: prompt -> text vector -> patch diffusion -> sfxgen.synth render -> CLAP rerank.

Components are separate objects (diffusers style):

* ``text_encoder`` -- frozen MiniLM (``embed_text(list[str]) -> (n, 384)``);
* ``denoiser`` -- :class:`~sfxgen.generate.model.HeroDenoiser` (noise prediction over patch vectors);
* ``scheduler`` -- a diffusers scheduler (``DPMSolverMultistepScheduler`` by default, or
  ``DDIMScheduler``) built from the training ``DDPMScheduler`` config;
* ``renderer`` -- :func:`sfxgen.synth.render.render` (patch -> ``(2, n)`` float32 at 48 kHz);
* ``scorer`` -- optional text-audio scorer for ranking (:mod:`sfxgen.generate.rerank`).

Classifier-free guidance: ``eps = eps_u + g * (eps_c - eps_u)`` where ``eps_u`` uses the learned
null embedding, or the negative prompt's embedding when one is given (guiding away from it).
"""

from __future__ import annotations

import copy
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from sfxgen.errors import ModelError, ParameterError
from sfxgen.generate.base import (
    DEFAULT_CANDIDATES_PER_VARIATION, MAX_CANDIDATES_PER_VARIATION, SAMPLE_RATE, HeroCandidate, HeroResult,
    check_inputs, per_seed, rank_candidates, score_candidates, variation_seeds,
)

DEFAULT_MODEL_NAME = "sfxgen-hero-small"
SCHEDULERS = ("dpmsolver", "ddim", "ddpm")


def pool_noise_seed(seed: int, j: int) -> int:
    """Diffusion-noise seed of sample ``j`` in seed ``seed``'s candidate pool (``j = 0`` -> ``seed``)."""
    if j == 0:
        return int(seed)
    return int(np.random.SeedSequence([int(seed), int(j), 0x5F3C]).generate_state(1)[0] >> 1)


def import_schedulers():
    """``(DDIMScheduler, DDPMScheduler, DPMSolverMultistepScheduler)`` from diffusers.

    diffusers imports ``torch._dynamo`` at start-up only to mark modules for ``torch.compile``
    (guarded by ``except ImportError``); sampling here never compiles, and that import is most of
    the hero's load time (1.9 s CPU of 3.4 s measured). When neither is loaded yet, diffusers is
    imported with ``torch._dynamo`` hidden, which is then importable as usual."""
    import sys

    if "diffusers" not in sys.modules and "torch._dynamo" not in sys.modules:
        sys.modules["torch._dynamo"] = None  # type: ignore[assignment]
        try:
            import diffusers.schedulers  # noqa: F401
        finally:
            del sys.modules["torch._dynamo"]
    from diffusers import DDIMScheduler, DDPMScheduler, DPMSolverMultistepScheduler

    return DDIMScheduler, DDPMScheduler, DPMSolverMultistepScheduler


def load_parts(denoiser_cls, directory, *, scorer, text_encoder, device: str):
    """``(folder, denoiser, text encoder, scorer)`` for a hero pipeline: the denoiser from
    ``directory`` (default ``models/sfxgen-hero-small``), the text encoder it was trained with
    (refused if another is given) and ``scorer`` (``"auto"`` = the installed CLAP scorer)."""
    from sfxgen.paths import models_dir

    d = Path(directory) if directory is not None else models_dir() / DEFAULT_MODEL_NAME
    denoiser = denoiser_cls.from_pretrained(d, device=device)
    if text_encoder is None:
        from sfxgen.embed import get_text_encoder

        text_encoder = get_text_encoder(device)
    enc_id = getattr(text_encoder, "model_id", None)
    if enc_id is not None and enc_id != denoiser.config.text_encoder:
        raise ModelError(f"{d}: trained on text encoder {denoiser.config.text_encoder!r}, got {enc_id!r}")
    if scorer == "auto":
        from sfxgen.generate.rerank import default_scorer

        scorer = default_scorer()
    return d, denoiser, text_encoder, scorer


def start_latents(sched, seeds, *, dim: int, device, dtype, num_inference_steps: int, init_x0=None,
                  strength: float = 1.0):
    """``(x (B, 1, dim), timesteps, noise)`` to start sampling from: each seed's own Gaussian noise
    (``torch.Generator`` seeded per sample, so a sample never depends on its batch), scaled for
    ``sched``; with ``init_x0`` (B, 1, dim) and ``strength`` < 1 that sample noised to the
    matching step (SDEdit) and only the remaining timesteps."""
    import torch

    sched.set_timesteps(int(num_inference_steps))
    timesteps = sched.timesteps
    noise = torch.stack([torch.randn(dim, generator=torch.Generator().manual_seed(int(s))) for s in seeds])
    noise = noise.to(device, dtype)[:, None, :]
    if init_x0 is None or strength >= 1.0:
        return noise * float(getattr(sched, "init_noise_sigma", 1.0)), timesteps, noise
    order = int(getattr(sched, "order", 1))
    n_run = min(max(int(round(num_inference_steps * strength)), 1), num_inference_steps)
    start = (num_inference_steps - n_run) * order
    timesteps = timesteps[start:]
    if hasattr(sched, "set_begin_index"):
        sched.set_begin_index(start)
    return sched.add_noise(init_x0, noise, timesteps[:1].repeat(len(seeds))), timesteps, noise


def make_scheduler(kind: str, config):
    """A diffusers sampling scheduler of ``kind`` matching the denoiser's training schedule."""
    DDIMScheduler, DDPMScheduler, DPMSolverMultistepScheduler = import_schedulers()

    common = dict(num_train_timesteps=config.num_train_timesteps, beta_schedule=config.beta_schedule,
                  prediction_type=config.prediction_type)
    if kind == "dpmsolver":
        # Dynamic thresholding keeps each x0 estimate inside the data range [-1, 1]; without it the
        # first step (alpha_bar ~ 0 at t = 999 on the cosine schedule) amplifies noise-prediction
        # error and every parameter ends saturated at +-1.
        return DPMSolverMultistepScheduler(**common, algorithm_type="dpmsolver++", solver_order=2,
                                           lower_order_final=True, thresholding=True,
                                           dynamic_thresholding_ratio=0.995, sample_max_value=1.0)
    if kind == "ddim":
        return DDIMScheduler(**common, clip_sample=False, set_alpha_to_one=False)
    if kind == "ddpm":
        return DDPMScheduler(**common, clip_sample=False)
    raise ParameterError(f"unknown scheduler {kind!r}; choose one of {', '.join(SCHEDULERS)}")


@contextmanager
def _one_thread(enabled: bool = True):
    """Run torch on one CPU thread inside the block (restored after). The hero model and a
    one-prompt MiniLM pass are far too small to gain from threads, and on a small shared CPU
    extra threads spin against other work (measured 5-25x slower under load)."""
    import torch

    n = torch.get_num_threads()
    if enabled:
        torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(n)


def _default_renderer():
    from sfxgen.synth.render import render

    return render


class HeroPipeline:
    """The embedded text-to-hero generator (``sfxgen-hero-small``)."""

    sample_rate = SAMPLE_RATE

    def __init__(self, *, denoiser, scheduler, text_encoder, renderer: Callable | None = None,
                 scorer=None, model_id: str = DEFAULT_MODEL_NAME):
        self.denoiser = denoiser.eval()
        self.scheduler = scheduler
        self.text_encoder = text_encoder
        self.renderer = renderer or _default_renderer()
        self.scorer = scorer
        self.model_id = model_id
        self.family_names = tuple(denoiser.config.family_names)
        from sfxgen.synth.patch import FAMILY_NAMES

        unknown = [f for f in self.family_names if f not in FAMILY_NAMES]
        if unknown:
            raise ModelError(f"model {model_id!r} knows families the synth does not: {', '.join(unknown)}")

    # ------------------------------------------------------------------ loading
    @classmethod
    def from_pretrained(cls, directory=None, *, scheduler: str = "dpmsolver", scorer="auto",
                        text_encoder=None, device: str = "cpu") -> "HeroPipeline":
        """Load ``directory`` (default ``models/sfxgen-hero-small``). ``scorer="auto"`` uses the
        installed CLAP embedder when present; pass ``None`` to skip ranking."""
        from sfxgen.generate.model import HeroDenoiser

        d, denoiser, text_encoder, scorer = load_parts(HeroDenoiser, directory, scorer=scorer,
                                                       text_encoder=text_encoder, device=device)
        return cls(denoiser=denoiser, scheduler=make_scheduler(scheduler, denoiser.config),
                   text_encoder=text_encoder, scorer=scorer, model_id=d.name if directory is not None else DEFAULT_MODEL_NAME)

    def save_pretrained(self, directory, *, fp16: bool = True) -> Path:
        return self.denoiser.save_pretrained(directory, fp16=fp16)

    # ------------------------------------------------------------------ pieces
    def encode_prompt(self, texts: Sequence[str]):
        """``(n, cond_dim)`` float32 torch tensor of text vectors."""
        import torch

        with _one_thread(len(texts) <= 8 and self.denoiser.device.type == "cpu"):
            vec = np.asarray(self.text_encoder.embed_text(list(texts)), np.float32)
        return torch.from_numpy(vec).to(self.denoiser.device)

    def _fresh_scheduler(self):
        # set_timesteps mutates scheduler state; a copy per call keeps concurrent calls apart.
        return copy.deepcopy(self.scheduler)

    def denoise(self, cond, *, seeds: Sequence[int], num_inference_steps: int, guidance_scale: float,
                uncond=None, init=None, strength: float = 1.0):
        """Run the reverse diffusion for ``len(seeds)`` samples; returns ``(B, D)`` numpy vectors.

        ``cond``/``uncond``: ``(1 or B, cond_dim)`` text vectors (``uncond=None`` -> null embedding).
        ``init`` ``(B, D)`` with ``strength`` in (0, 1] starts from a noised copy of ``init``
        (SDEdit): ``strength=1`` ignores it, small strengths stay close to it.
        """
        import torch

        model = self.denoiser
        dim = model.config.sample_dim
        b = len(seeds)
        sched = self._fresh_scheduler()
        # schedulers see (B, 1, D) (their thresholding needs a channel axis); the model sees (B, D)
        x0 = None if init is None else torch.as_tensor(np.asarray(init, np.float32), device=model.device)[:, None, :]
        x, timesteps, _ = start_latents(sched, seeds, dim=dim, device=model.device, dtype=model.dtype,
                                     num_inference_steps=num_inference_steps, init_x0=x0, strength=strength)
        cond = cond.expand(b, -1) if cond.shape[0] == 1 else cond
        null = model.null_embedding.detach()[None].expand(b, -1)
        if uncond is None:
            uncond = null
        elif uncond.shape[0] == 1:
            uncond = uncond.expand(b, -1)
        guided = float(guidance_scale) != 1.0
        with _one_thread(model.device.type == "cpu"):
            x = self._loop(sched, timesteps, x, cond, uncond, guided, guidance_scale)
        return x[:, 0].float().cpu().numpy()

    def _loop(self, sched, timesteps, x, cond, uncond, guided, guidance_scale):
        import torch

        model = self.denoiser
        with torch.inference_mode():
            for t in timesteps:
                xin = sched.scale_model_input(x, t)[:, 0]
                if guided:
                    eps_u, eps_c = model(torch.cat([xin, xin]), t, torch.cat([uncond, cond])).chunk(2)
                    eps = eps_u + float(guidance_scale) * (eps_c - eps_u)
                else:
                    eps = model(xin, t, cond)
                x = sched.step(eps[:, None, :], t, x).prev_sample
        return x

    def decode(self, vectors: np.ndarray) -> list:
        """Patch vectors ``(B, D)`` -> list of (Patch, family confidence)."""
        from sfxgen.generate.model import vector_to_patch
        from sfxgen.synth.patch import Patch

        fam, params, conf = vector_to_patch(vectors, len(self.family_names))
        return [(Patch(self.family_names[f], p), float(c)) for f, p, c in zip(fam, params, conf)]

    def encode_patches(self, patches: Sequence) -> np.ndarray:
        """Patches -> ``(B, D)`` diffusion vectors (inverse of :meth:`decode`)."""
        from sfxgen.generate.model import patch_to_vector

        for p in patches:
            if p.family not in self.family_names:
                raise ParameterError(f"model {self.model_id!r} cannot edit family {p.family!r}")
        idx = [self.family_names.index(p.family) for p in patches]
        return patch_to_vector(idx, np.stack([p.params for p in patches]), len(self.family_names))

    def render(self, patch, *, duration_s: float | None, seed: int) -> np.ndarray:
        """Render one patch at 48 kHz; ``duration_s=None`` uses the family's default length."""
        dur = float(duration_s) if duration_s is not None else float(patch.info.default_duration_s)
        audio = np.asarray(self.renderer(patch, duration_s=dur, sample_rate=self.sample_rate, seed=int(seed)), np.float32)
        if not np.all(np.isfinite(audio)):
            raise ModelError(f"the synth produced non-finite audio for {patch.family}; this is a bug")
        return audio

    def _candidates(self, vectors, seeds, duration_s) -> list[HeroCandidate]:
        out = []
        for (patch, conf), s in zip(self.decode(vectors), seeds):
            out.append(HeroCandidate(audio=self.render(patch, duration_s=duration_s, seed=s),
                                     sample_rate=self.sample_rate, seed=int(s), patch=patch,
                                     family_confidence=conf))
        return out

    def _best_of(self, cond, uncond, *, seeds, pool: int, prompt: str, duration_s, num_inference_steps: int,
                 guidance_scale: float, scorer) -> list[HeroCandidate]:
        """One candidate per seed: the best-scoring of ``pool`` diffusion samples drawn for that seed
        (AudioLDM's ``n_candidate_gen_per_text``). Sample 0 of seed ``s`` uses the noise of ``s`` itself,
        samples ``j > 0`` the noise of :func:`pool_noise_seed`; all render with seed ``s``. Each seed's
        pool is denoised and scored in its own batch (:func:`per_seed`), so ``num_variations=1, seed=s``
        returns the same candidate bit for bit."""
        def one_seed(s: int) -> list[HeroCandidate]:
            x = self.denoise(cond, uncond=uncond, seeds=[pool_noise_seed(s, j) for j in range(pool)],
                             num_inference_steps=num_inference_steps, guidance_scale=guidance_scale)
            pooled = self._candidates(x, [s] * pool, duration_s)
            score_candidates(pooled, prompt, scorer)
            return [pooled[0] if pool == 1 else max(pooled, key=lambda c: c.score)]

        return per_seed(one_seed, seeds)

    # ------------------------------------------------------------------ the call
    def __call__(self, prompt: str, *, negative_prompt: str | None = None, duration_s: float | None = None,
                 num_variations: int = 4, seed: int | None = 0, num_inference_steps: int = 25,
                 guidance_scale: float = 3.0, rerank: bool = True,
                 candidates_per_variation: int = DEFAULT_CANDIDATES_PER_VARIATION) -> HeroResult:
        """Generate ``num_variations`` heroes for ``prompt``.

        Variation ``i`` uses seed ``seed + i`` for both the diffusion noise and the render, so
        one seed reproduces the same audio. ``duration_s`` (0.1..30 s; ``None`` = the family's
        natural length). Candidates come back best CLAP match first when a scorer is set.
        ``candidates_per_variation``: with a scorer and ``rerank``, each variation is the best CLAP
        match of that many samples drawn for its seed (1 = the seed's first sample, as without a scorer).
        """
        prompt, negative_prompt, duration_s, num_variations, seed = check_inputs(
            prompt, negative_prompt, duration_s, num_variations, seed, num_inference_steps, guidance_scale)
        if not isinstance(candidates_per_variation, int) or isinstance(candidates_per_variation, bool) \
                or not 1 <= candidates_per_variation <= MAX_CANDIDATES_PER_VARIATION:
            raise ParameterError(f"candidates_per_variation must be a whole number from 1 to "
                                 f"{MAX_CANDIDATES_PER_VARIATION}, got {candidates_per_variation!r}")
        seeds = variation_seeds(seed, num_variations)
        texts = [prompt] + ([negative_prompt] if negative_prompt else [])
        vecs = self.encode_prompt(texts)
        cond, uncond = vecs[:1], (vecs[1:2] if negative_prompt else None)
        scorer = self.scorer if rerank else None
        pool = candidates_per_variation if scorer is not None else 1
        cands = self._best_of(cond, uncond, seeds=seeds, pool=pool, prompt=prompt, duration_s=duration_s,
                              num_inference_steps=num_inference_steps, guidance_scale=guidance_scale, scorer=scorer)
        if scorer is not None:
            cands = sorted(cands, key=lambda c: -c.score)
        return HeroResult(prompt=prompt, negative_prompt=negative_prompt, model_id=self.model_id,
                          candidates=cands, duration_s=duration_s, num_inference_steps=int(num_inference_steps),
                          guidance_scale=float(guidance_scale),
                          scorer_id=getattr(scorer, "model_id", None) if scorer is not None else None,
                          extra={"scheduler": type(self.scheduler).__name__, "candidates_per_variation": pool})

    # ------------------------------------------------------------------ editing
    def edit(self, candidate: HeroCandidate, *, duration_s: float | None = None, seed: int | None = None,
             **changes: float) -> HeroCandidate:
        """Re-render ``candidate`` with named parameters changed (see :func:`sfxgen.generate.edit.edit_patch`)."""
        from sfxgen.generate.edit import edit_patch

        if candidate.patch is None:
            raise ParameterError("this candidate has no patch to edit (it came from a waveform model)")
        patch = edit_patch(candidate.patch, **changes)
        dur = duration_s if duration_s is not None else candidate.duration_s
        s = candidate.seed if seed is None else int(seed)
        return HeroCandidate(audio=self.render(patch, duration_s=dur, seed=s), sample_rate=self.sample_rate,
                             seed=s, patch=patch, family_confidence=candidate.family_confidence)

    def more_like_this(self, candidate: HeroCandidate, *, prompt: str | None = None, strength: float = 0.35,
                       num_variations: int = 4, seed: int | None = 0, num_inference_steps: int = 25,
                       guidance_scale: float = 3.0, duration_s: float | None = None,
                       negative_prompt: str | None = None) -> HeroResult:
        """Variations near ``candidate`` (SDEdit in patch space): noise its patch vector to
        ``strength`` (0 = identical, 1 = fresh sample) and denoise, conditioned on ``prompt``
        (or unconditioned when ``prompt`` is None, so results stay near the patch)."""
        if candidate.patch is None:
            raise ParameterError("'more like this' needs a candidate from the embedded model (it has a patch)")
        if isinstance(strength, bool) or not isinstance(strength, (int, float)) or not 0.0 < float(strength) <= 1.0:
            raise ParameterError(f"strength must be a number in (0, 1], got {strength!r}")
        dur = duration_s if duration_s is not None else candidate.duration_s
        _, negative_prompt, dur, num_variations, seed = check_inputs(
            prompt or candidate.patch.info.noun, negative_prompt, dur, num_variations, seed,
            num_inference_steps, guidance_scale)
        seeds = variation_seeds(seed, num_variations)
        if prompt:
            vecs = self.encode_prompt([prompt] + ([negative_prompt] if negative_prompt else []))
            cond, uncond, g = vecs[:1], (vecs[1:2] if negative_prompt else None), guidance_scale
        else:
            cond, uncond, g = self.denoiser.null_embedding.detach()[None], None, 1.0
        init = self.encode_patches([candidate.patch])
        cands = per_seed(lambda s: self._candidates(
            self.denoise(cond, uncond=uncond, seeds=[s], num_inference_steps=num_inference_steps,
                         guidance_scale=g, init=init, strength=float(strength)), [s], dur), seeds)
        scorer = self.scorer if prompt else None
        cands = rank_candidates(cands, prompt, scorer) if prompt else cands
        return HeroResult(prompt=prompt or "", negative_prompt=negative_prompt, model_id=self.model_id,
                          candidates=cands, duration_s=dur, num_inference_steps=int(num_inference_steps),
                          guidance_scale=float(g), scorer_id=getattr(scorer, "model_id", None) if scorer else None,
                          extra={"more_like_this": candidate.patch.to_dict(), "strength": float(strength)})
