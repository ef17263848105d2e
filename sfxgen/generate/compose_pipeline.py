"""ComposePipeline: prompt -> MiniLM token states -> slot diffusion -> Composition -> engine render.

The embedded ``sfxgen-hero-small`` v2 (issue #16). Components as in :mod:`sfxgen.generate.pipeline`
(text encoder, :class:`~sfxgen.generate.compose_model.ComposeDenoiser`, a diffusers scheduler,
the engine as renderer). Guidance: ``eps = eps_u + g (eps_c - eps_u)``; ``eps_u`` uses the learned
null condition, or the negative prompt's tokens.

Sampling is per seed: variation ``i`` of a call draws its ``candidates_per_variation`` samples in
one batch of its own (noise seeds :func:`~sfxgen.generate.pipeline.pool_noise_seed` of ``seed + i``),
so it is bit for bit what a single call with ``seed + i`` returns. The candidate pick needs no
render: the pool votes on the main family (most samples), and the sample of that family whose
slots were decoded most clearly (mean family confidence) is kept; only the picks are rendered.
"""

from __future__ import annotations

import copy
from typing import Sequence

import numpy as np

from sfxgen.errors import ModelError, ParameterError
from sfxgen.generate.base import (
    SAMPLE_RATE, HeroCandidate, HeroResult, check_inputs, per_seed, rank_candidates, variation_seeds,
)
from sfxgen.generate.pipeline import _one_thread, make_scheduler, pool_noise_seed, start_latents

DEFAULT_MODEL_NAME = "sfxgen-hero-small"
DEFAULT_POOL = 4
# 12 DPM-Solver++ steps: on the held-out compound prompts main family 0.717 / recall 0.518 at 12 vs
# 0.714 / 0.497 at 20 (same model, seeds 0-3), and 40 % less diffusion time
DEFAULT_STEPS = 12
MAX_POOL = 16
# below this cosine between the prompt and its best family text, no family fits (see confidence())
DEFAULT_MATCH_THRESHOLD = 0.35


class ComposePipeline:
    """Text -> composed hero (up to 4 elements + shared space) with the embedded model."""

    sample_rate = SAMPLE_RATE

    def __init__(self, *, denoiser, scheduler, text_encoder, scorer=None, model_id: str = DEFAULT_MODEL_NAME,
                 match_threshold: float = DEFAULT_MATCH_THRESHOLD, directory=None):
        from sfxgen.synth.patch import FAMILY_NAMES

        self.denoiser = denoiser.eval()
        self.scheduler = scheduler
        self.text_encoder = text_encoder
        self.scorer = scorer
        self.model_id = model_id
        self.config = denoiser.config
        self.family_names = tuple(self.config.family_names)
        self.match_threshold = float(match_threshold)
        self.directory = directory
        self._phrases = None  # (vectors, owner), loaded on first use
        self._codes = denoiser.family_codes.detach().cpu().numpy()
        unknown = [f for f in self.family_names if f not in FAMILY_NAMES]
        if unknown:
            raise ModelError(f"model {model_id!r} knows families the synth does not: {', '.join(unknown)}")

    @classmethod
    def from_pretrained(cls, directory=None, *, scheduler: str = "dpmsolver", scorer=None, text_encoder=None,
                        device: str = "cpu") -> "ComposePipeline":
        """Load ``directory`` (default ``models/sfxgen-hero-small``). ``scorer`` (optional) only
        orders the rendered variations; the pick itself needs none."""
        import json

        from sfxgen.generate.compose_model import ComposeDenoiser
        from sfxgen.generate.pipeline import load_parts

        d, denoiser, text_encoder, scorer = load_parts(ComposeDenoiser, directory, scorer=scorer,
                                                       text_encoder=text_encoder, device=device)
        thr = json.loads((d / "config.json").read_text()).get("match_threshold", DEFAULT_MATCH_THRESHOLD)
        name = d.name if directory is not None else DEFAULT_MODEL_NAME
        return cls(denoiser=denoiser, scheduler=make_scheduler(scheduler, denoiser.config), text_encoder=text_encoder,
                   scorer=scorer, model_id=name, match_threshold=thr, directory=d)

    # ------------------------------------------------------------------ text
    def encode_prompt(self, texts: Sequence[str]):
        """``(tokens (n, T, text_dim), mask (n, T) bool, pooled (n, 384))`` torch tensors."""
        import torch

        enc = self.text_encoder
        with _one_thread(self.denoiser.device.type == "cpu"):
            states, mask = _token_states(enc, list(texts), self.config.max_text_tokens)
            states = states.float().to(self.denoiser.device)
            mask = mask.bool().to(self.denoiser.device)
            m = mask[..., None].float()
            pooled = (states * m).sum(1) / m.sum(1).clamp(min=1e-9)
            pooled = pooled / pooled.norm(dim=-1, keepdim=True).clamp(min=1e-12)
            with torch.inference_mode():
                tokens = self.denoiser.reduce_tokens(states) * m
        return tokens, mask, pooled

    # ------------------------------------------------------------------ diffusion
    def denoise(self, cond, *, noise_seeds: Sequence[int], num_inference_steps: int, guidance_scale: float,
                uncond=None, init=None, strength: float = 1.0, keep=None) -> np.ndarray:
        """Reverse diffusion for ``len(noise_seeds)`` samples in ONE batch; ``(B, D)`` numpy.

        ``cond`` / ``uncond``: ``(tokens, mask, pooled)`` with batch 1 (``uncond=None``: the null
        condition). ``init`` ``(D,)`` with ``strength`` < 1: SDEdit from a noised copy. ``keep``:
        ``(mask (D,) bool, values (D,))`` entries held at ``values`` (re-noised to each step's
        level, exact at the end): the inpainting that keeps a chosen main family or element.
        """
        import torch

        model = self.denoiser
        dim = self.config.sample_dim
        b = len(noise_seeds)
        sched = copy.deepcopy(self.scheduler)
        x0 = None if init is None else (
            torch.as_tensor(np.asarray(init, np.float32), device=model.device).reshape(1, 1, dim).expand(b, 1, dim))
        x, timesteps, noise = start_latents(sched, noise_seeds, dim=dim, device=model.device, dtype=model.dtype,
                                     num_inference_steps=num_inference_steps, init_x0=x0, strength=strength)
        kmask = kval = None
        if keep is not None:
            kmask = torch.as_tensor(np.asarray(keep[0], bool), device=model.device)
            kval = torch.as_tensor(np.asarray(keep[1], np.float32), device=model.device).reshape(1, 1, dim).expand(b, 1, dim)
        tok, mask, pooled = (c.expand(b, *c.shape[1:]) for c in cond)
        if uncond is None:
            utok, umask, upooled = model.null_condition(b)
        else:
            utok, umask, upooled = (c.expand(b, *c.shape[1:]) for c in uncond)
        guided = float(guidance_scale) != 1.0
        if guided:  # one forward for both branches: pad the shorter token list
            t_len = max(tok.shape[1], utok.shape[1])
            tok2 = torch.cat([_pad(utok, t_len), _pad(tok, t_len)])
            mask2 = torch.cat([_pad(umask, t_len), _pad(mask, t_len)])
            pooled2 = torch.cat([upooled, pooled])
        with _one_thread(model.device.type == "cpu"), torch.inference_mode():
            for k, t in enumerate(timesteps):
                xin = sched.scale_model_input(x, t)[:, 0]
                if guided:
                    eps_u, eps_c = model(torch.cat([xin, xin]), t, tok2, mask2, pooled2).chunk(2)
                    eps = eps_u + float(guidance_scale) * (eps_c - eps_u)
                else:
                    eps = model(xin, t, tok, mask, pooled)
                if self.config.prediction_type == "sample":  # x0 estimate: commit each slot to one family
                    eps = model.clamp_families(eps)
                x = sched.step(eps[:, None, :], t, x).prev_sample
                if kmask is not None:
                    if k + 1 < len(timesteps):
                        target = sched.add_noise(kval, noise, timesteps[k + 1:k + 2].repeat(b))
                    else:
                        target = kval
                    x = torch.where(kmask, target, x)
        return x[:, 0].float().cpu().numpy()

    # ------------------------------------------------------------------ vectors <-> compositions
    def decode(self, vec: np.ndarray, *, duration_s: float):
        """One ``(D,)`` vector -> ``(Composition, confidences per element)``."""
        from sfxgen.generate.compose import Composition, Element, SharedSpace
        from sfxgen.generate.compose_model import decode_slots
        from sfxgen.synth.patch import FAMILIES, Patch

        slots, (space, distance), conf = decode_slots(vec, self.config, self._codes)
        els = []
        for s in slots:
            fam = self.family_names[s.family]
            role = s.role if (s.role == "main" or s.role in FAMILIES[fam].element_roles or
                              FAMILIES[fam].kind == "texture" or s.role == "sweetener") else "sweetener"
            els.append(Element(Patch(fam, s.params).with_params(space=-1.0), role,
                               onset_ms=round(1000.0 * s.onset_frac * duration_s, 3), gain_db=round(s.gain_db, 3)))
        return Composition(els, SharedSpace(space, distance)), conf

    def encode(self, comp, *, duration_s: float) -> np.ndarray:
        """A :class:`~sfxgen.generate.compose.Composition` -> ``(D,)`` model vector."""
        from sfxgen.generate.compose_model import SlotTarget, encode_slots

        slots = []
        for e in comp.elements[: self.config.n_slots]:
            if e.family not in self.family_names:
                raise ParameterError(f"model {self.model_id!r} cannot edit family {e.family!r}")
            slots.append(SlotTarget(self.family_names.index(e.family), e.patch.params,
                                    e.onset_ms / (1000.0 * duration_s), e.gain_db, e.role))
        return encode_slots(slots, (comp.space.space, comp.space.distance), self.config, self._codes)

    def _slot_mask(self, *slots: int, main_family: bool = False) -> np.ndarray:
        """Boolean ``(D,)`` mask over whole slots ``slots`` (and/or the main slot's family part)."""
        m = np.zeros(self.config.sample_dim, bool)
        sd = self.config.slot_dim
        for s in slots:
            m[s * sd:(s + 1) * sd] = True
        if main_family:
            m[self.config.family_slices()[0]] = True
        return m

    @staticmethod
    def pick(decoded: list) -> int:
        """Index of the kept sample of one seed's pool: the main family most samples agree on,
        then the clearest decoding (mean family confidence) among those."""
        fams = [c.main.family for c, _ in decoded]
        votes = {f: fams.count(f) for f in fams}
        best = max(votes.values())
        return max((i for i, f in enumerate(fams) if votes[f] == best), key=lambda i: (float(np.mean(decoded[i][1])), -i))

    # ------------------------------------------------------------------ honesty
    def family_match(self, prompt: str, *, top: int = 3) -> dict:
        """How well the prompt's words fit the families the engine has: the cosine between the
        prompt's MiniLM sentence vector and each family's best phrase (its description, nouns and
        keywords), the best family, the nearest ``top`` and whether the best is under the
        calibrated threshold (``low``: no family really fits)."""
        from sfxgen.generate.confidence import family_match, load_phrase_vectors

        if self._phrases is None:
            self._phrases = load_phrase_vectors(self.directory, self.family_names, text_encoder=self.text_encoder)
        vectors, owner = self._phrases
        return family_match(prompt, text_encoder=self.text_encoder, families=self.family_names, vectors=vectors,
                            owner=owner, threshold=self.match_threshold, top=top)

    # ------------------------------------------------------------------ the call
    def compose(self, prompt: str, *, negative_prompt: str | None = None, duration_s: float = 3.0,
                seeds: Sequence[int], num_inference_steps: int = DEFAULT_STEPS, guidance_scale: float = 3.0,
                candidates_per_variation: int = DEFAULT_POOL, keep=None, init=None, strength: float = 1.0):
        """Compositions (no audio) for each seed: ``[(Composition, confidences, seed), ...]``."""
        texts = [prompt] + ([negative_prompt] if negative_prompt else [])
        tok, mask, pooled = self.encode_prompt(texts)
        cond = (tok[:1], mask[:1], pooled[:1])
        uncond = (tok[1:2, : int(mask[1].sum())], mask[1:2, : int(mask[1].sum())], pooled[1:2]) if negative_prompt else None
        cond = (cond[0][:, : int(mask[0].sum())], cond[1][:, : int(mask[0].sum())], cond[2])
        def one_seed(s: int) -> list:
            noise_seeds = [pool_noise_seed(s, j) for j in range(candidates_per_variation)]
            x = self.denoise(cond, uncond=uncond, noise_seeds=noise_seeds, num_inference_steps=num_inference_steps,
                             guidance_scale=guidance_scale, keep=keep, init=init, strength=strength)
            decoded = [self.decode(v, duration_s=duration_s) for v in x]
            comp, conf = decoded[self.pick(decoded)]
            return [(comp, conf, int(s))]

        return per_seed(one_seed, seeds)

    def _candidate(self, comp, conf, seed: int, duration_s: float) -> HeroCandidate:
        from sfxgen.generate.compose import Composition

        comp = Composition.from_dict(comp.to_dict())  # exactly the values its JSON recipe stores
        audio = comp.render(duration_s=duration_s, sample_rate=self.sample_rate, seed=seed)
        return HeroCandidate(audio=audio, sample_rate=self.sample_rate, seed=int(seed), patch=comp.main.patch,
                             family_confidence=float(conf[0]), composition=comp)

    def __call__(self, prompt: str, *, negative_prompt: str | None = None, duration_s: float | None = None,
                 num_variations: int = 4, seed: int | None = 0, num_inference_steps: int = DEFAULT_STEPS,
                 guidance_scale: float = 3.0, rerank: bool = True,
                 candidates_per_variation: int = DEFAULT_POOL) -> HeroResult:
        """Generate ``num_variations`` composed heroes for ``prompt`` (``duration_s`` default: the
        main family's natural length). Raises ParameterError for prompts in another language.
        ``result.extra["family_match"]`` says how well any family fits the words."""
        from sfxgen.embed.language import check_english

        prompt, negative_prompt, duration_s, num_variations, seed = check_inputs(
            prompt, negative_prompt, duration_s, num_variations, seed, num_inference_steps, guidance_scale)
        check_english(prompt)
        if negative_prompt:
            check_english(negative_prompt, what="negative prompt")
        _check_pool(candidates_per_variation)
        seeds = variation_seeds(seed, num_variations)
        dur = 3.0 if duration_s is None else duration_s
        comps = self.compose(prompt, negative_prompt=negative_prompt, duration_s=dur, seeds=seeds,
                             num_inference_steps=num_inference_steps, guidance_scale=guidance_scale,
                             candidates_per_variation=candidates_per_variation)
        cands = []
        for comp, conf, s in comps:
            d = duration_s if duration_s is not None else float(comp.main.patch.info.default_duration_s)
            if duration_s is None:  # onsets were decoded for 3 s: rescale to the natural length
                comp = _rescale_onsets(comp, d / dur)
            cands.append(self._candidate(comp, conf, s, d))
        scorer = self.scorer if rerank else None
        cands = rank_candidates(cands, prompt, scorer)
        match = self.family_match(prompt)
        return HeroResult(prompt=prompt, negative_prompt=negative_prompt, model_id=self.model_id, candidates=cands,
                          duration_s=duration_s, num_inference_steps=int(num_inference_steps),
                          guidance_scale=float(guidance_scale),
                          scorer_id=getattr(scorer, "model_id", None) if scorer is not None else None,
                          extra={"candidates_per_variation": int(candidates_per_variation), "family_match": match})

    # ------------------------------------------------------------------ editing
    def more_like_this(self, candidate: HeroCandidate, *, prompt: str | None = None, strength: float = 0.35,
                       num_variations: int = 4, seed: int | None = 0, num_inference_steps: int = DEFAULT_STEPS,
                       guidance_scale: float = 3.0, duration_s: float | None = None,
                       negative_prompt: str | None = None) -> HeroResult:
        """Variations near ``candidate``'s composition (SDEdit at ``strength``: 0 identical .. 1
        fresh). Below 0.7 the main element's family is held (inpainted) so only its parameters
        and the other elements move; the negative prompt guides away as in a normal call."""
        comp = _composition_of(candidate)
        if isinstance(strength, bool) or not isinstance(strength, (int, float)) or not 0.0 < float(strength) <= 1.0:
            raise ParameterError(f"strength must be a number in (0, 1], got {strength!r}")
        dur = duration_s if duration_s is not None else candidate.duration_s
        text = prompt or _describe(comp)
        _, negative_prompt, dur, num_variations, seed = check_inputs(
            text, negative_prompt, dur, num_variations, seed, num_inference_steps, guidance_scale)
        init = self.encode(comp, duration_s=dur)
        keep = (self._slot_mask(main_family=True), init) if float(strength) < 0.7 else None
        comps = self.compose(text, negative_prompt=negative_prompt, duration_s=dur,
                             seeds=variation_seeds(seed, num_variations), num_inference_steps=num_inference_steps,
                             guidance_scale=guidance_scale, candidates_per_variation=1, keep=keep, init=init,
                             strength=float(strength))
        cands = [self._candidate(c, conf, s, dur) for c, conf, s in comps]
        return HeroResult(prompt=text, negative_prompt=negative_prompt, model_id=self.model_id, candidates=cands,
                          duration_s=dur, num_inference_steps=int(num_inference_steps),
                          guidance_scale=float(guidance_scale),
                          extra={"more_like_this": comp.to_dict(), "strength": float(strength),
                                 "changed": "parameters of every element" + ("" if keep is None else "; main family kept")})

    def reroll_element(self, candidate: HeroCandidate, index: int, *, prompt: str | None = None, seed: int = 0,
                       num_inference_steps: int = DEFAULT_STEPS, guidance_scale: float = 3.0) -> HeroCandidate:
        """A new draw of element ``index`` only (the diffusion inpaints that slot, every other
        slot and the space held); the others render exactly as before."""
        comp = _composition_of(candidate)
        comp._check_index(index)
        dur = candidate.duration_s
        init = self.encode(comp, duration_s=dur)
        held = [s for s in range(self.config.n_slots) if s != index]
        keep = (self._slot_mask(*held) | _space_mask(self.config), init)
        (new, conf, _), = self.compose(prompt or _describe(comp), duration_s=dur, seeds=[int(seed)],
                                       num_inference_steps=num_inference_steps, guidance_scale=guidance_scale,
                                       candidates_per_variation=1, keep=keep)
        el = new.elements[index] if index < len(new.elements) else comp.elements[index]
        if index == 0 and el.role != "main":
            el = type(el)(el.patch, "main", el.onset_ms, el.gain_db)
        out = comp.with_element(index, el)
        return self._candidate(out, conf, candidate.seed, dur)

    def swap_element(self, candidate: HeroCandidate, index: int, family: str) -> HeroCandidate:
        """Element ``index`` becomes ``family`` (same role, onset, gain and common parameters)."""
        from sfxgen.generate.compose import Element
        from sfxgen.synth.family import COMMON
        from sfxgen.synth.patch import Patch, family_index

        comp = _composition_of(candidate)
        comp._check_index(index)
        family_index(family)
        old = comp.elements[index]
        params = np.zeros_like(old.patch.params)
        params[: len(COMMON)] = old.patch.params[: len(COMMON)]
        new = Element(Patch(family, params), old.role, old.onset_ms, old.gain_db)
        return self._candidate(comp.with_element(index, new), [candidate.family_confidence or 1.0],
                               candidate.seed, candidate.duration_s)

    def rerender(self, candidate: HeroCandidate, composition) -> HeroCandidate:
        """Render an edited composition (mute, solo, gain) with the candidate's seed and length."""
        return self._candidate(composition, [candidate.family_confidence or 1.0], candidate.seed, candidate.duration_s)

    def edit(self, candidate: HeroCandidate, *, duration_s: float | None = None, seed: int | None = None,
             element: int = 0, **changes) -> HeroCandidate:
        """Named parameter changes of one element (the main by default), re-rendered."""
        from sfxgen.generate.edit import edit_patch

        comp = _composition_of(candidate)
        comp._check_index(element)
        old = comp.elements[element]
        el = type(old)(edit_patch(old.patch, **changes), old.role, old.onset_ms, old.gain_db, old.muted)
        out = comp.with_element(element, el)
        dur = duration_s if duration_s is not None else candidate.duration_s
        s = candidate.seed if seed is None else int(seed)
        return self._candidate(out, [candidate.family_confidence or 1.0], s, dur)

    def render(self, patch, *, duration_s: float | None, seed: int) -> np.ndarray:
        """Render a single patch (sidecars of the single-patch model), as HeroPipeline does."""
        from sfxgen.synth.render import render

        dur = float(duration_s) if duration_s is not None else float(patch.info.default_duration_s)
        return np.asarray(render(patch, duration_s=dur, sample_rate=self.sample_rate, seed=int(seed)), np.float32)


def _token_states(encoder, texts: list, max_tokens: int):
    """``(states (n, T, 384), mask (n, T))`` torch tensors from the text encoder (its numpy
    ``token_states_batch`` when it has one, else a torch ``token_states``)."""
    import torch

    if hasattr(encoder, "token_states_batch"):
        states, mask = encoder.token_states_batch(texts, max_tokens=max_tokens)
        return torch.from_numpy(np.ascontiguousarray(states, np.float32)), torch.from_numpy(np.asarray(mask, bool))
    old = getattr(encoder, "max_length", None)
    if old is not None:
        encoder.max_length = max_tokens
    try:
        states, mask = encoder.token_states(texts)
    finally:
        if old is not None:
            encoder.max_length = old
    return states, mask


def _pad(x, t_len: int):
    import torch

    if x.shape[1] == t_len:
        return x
    pad = torch.zeros((x.shape[0], t_len - x.shape[1]) + tuple(x.shape[2:]), dtype=x.dtype, device=x.device)
    return torch.cat([x, pad], dim=1)


def _space_mask(config) -> np.ndarray:
    m = np.zeros(config.sample_dim, bool)
    m[-2:] = True
    return m


def _check_pool(k) -> None:
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_POOL:
        raise ParameterError(f"candidates_per_variation must be a whole number from 1 to {MAX_POOL}, got {k!r}")


def _composition_of(candidate):
    from sfxgen.generate.compose import Composition, Element

    comp = getattr(candidate, "composition", None)
    if comp is not None:
        return comp
    if candidate.patch is None:
        raise ParameterError("this candidate has no composition or patch to edit (it came from a waveform model)")
    return Composition([Element(candidate.patch, "main")])


def _rescale_onsets(comp, factor: float):
    from dataclasses import replace

    from sfxgen.generate.compose import Composition

    return Composition([replace(e, onset_ms=round(e.onset_ms * factor, 3)) for e in comp.elements], comp.space)


def _describe(comp) -> str:
    """A plain text for a composition ("door opening with squeaky hinge"), used as the prompt of
    "more like this" when none is given."""
    words = [comp.main.patch.info.noun]
    others = [e.patch.info.noun for e in comp.elements[1:] if e.family != comp.main.family]
    return words[0] + (" with " + " and ".join(others) if others else "")
