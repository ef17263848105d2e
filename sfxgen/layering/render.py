"""Render a :class:`~sfxgen.layering.recipe.Recipe` into stems, a bus return and a mastered mix.

Signal flow (all offline, deterministic: the same recipe gives bit-identical audio):

1. per layer: source (procedural patch render, or library file checked against its SHA-1),
   trim, reverse, pitch (varispeed), fades, EQ, compressor, gain, placed at ``offset_ms`` on a
   common timeline of ``n`` samples (stereo, recipe sample rate);
2. sends: every layer with a ``reverb_send_db`` feeds the shared reverb (wet only);
3. bus compressor: its gain is computed from the full pre-master sum and applied to every stem
   and the reverb return alike, so the stems still sum exactly to the pre-master mix; then a
   common headroom trim (see :data:`HEADROOM_PEAK`) keeps every stem and the sum unclipped;
4. master: :func:`sfxgen.loudness.normalize` with the recipe's delivery preset (gain to the
   target, then the true-peak limiter).

Stems are therefore "post-fader, post-bus" contributions: ``sum(stems) + reverb == premaster``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sfxgen.errors import AudioReadError, ParameterError, RecipeError
from sfxgen.layering.recipe import Layer, Recipe
from sfxgen.library.scan import file_sha1  # one content hash for the catalogue and recipes

TAIL_MAX_S = 6.0
#: how stems are printed: after the master stage (they sum to the delivered mix) or before it
STEM_MODES = ("post-master", "pre-master")
HEADROOM_PEAK = 10.0 ** (-1.0 / 20.0)
"""Stems and the pre-master sum are turned down together to peak at most -1 dBFS, so 24-bit
stems never clip; the master stage makes up the level."""


@dataclass
class RenderResult:
    """Everything a render produces. Arrays are ``(2, n)`` float32 at ``sample_rate``."""

    recipe: Recipe
    sample_rate: int
    stems: dict[str, np.ndarray]
    reverb: np.ndarray
    premaster: np.ndarray
    master: np.ndarray
    master_gain_db: float
    master_met_target: bool
    master_reason: str | None
    headroom_db: float = 0.0
    layer_sources_s: dict[str, float] = field(default_factory=dict)  # source length after edits
    #: the master stage as one gain per sample (samples,): the preset gain times the limiter's
    #: linked gain, computed once on the mix (``master == premaster * master_gain_curve``)
    master_gain_curve: np.ndarray | None = None

    @property
    def duration_s(self) -> float:
        return self.master.shape[1] / self.sample_rate

    def delivered_stems(self, mode: str = "post-master") -> dict[str, np.ndarray]:
        """Every stem and the reverb return (key ``"reverb"``) as delivered, ``(2, n)`` float32.

        ``"post-master"`` (default): the master gain and the limiter's gain envelope applied to
        each, so they sum at unity to :attr:`master`; ``"pre-master"``: as rendered, summing to
        :attr:`premaster` (the master stage is then for the mixer to redo)."""
        if mode not in STEM_MODES:
            raise ParameterError(f"stems must be one of {', '.join(STEM_MODES)}, got {mode!r}")
        tracks = {**self.stems, "reverb": self.reverb}
        if mode == "pre-master" or self.master_gain_curve is None:
            return tracks
        g = self.master_gain_curve
        return {k: (v * g).astype(np.float32) for k, v in tracks.items()}


def load_source(layer: Layer, *, sample_rate: int, where: str, access=None) -> np.ndarray:
    """The layer's raw source as ``(2, n)`` float32 at ``sample_rate``. ``access``: a
    :class:`~sfxgen.layering.sources.SourceAccess` (where file sources may be read from; None =
    anywhere, for trusted in-process use)."""
    src = layer.source
    if src.kind == "synth":
        from sfxgen.synth import Patch, render

        try:
            patch = Patch.from_dict(src.patch)
            return render(patch, duration_s=float(src.duration_s), sample_rate=sample_rate, seed=int(src.seed))
        except ParameterError as exc:
            raise RecipeError(f"{where}: cannot render its patch: {exc}") from None
    from sfxgen.audio import read_audio
    from sfxgen.layering.sources import resolve_file

    path = resolve_file(src, access, where=where)
    try:
        audio, _ = read_audio(path, sample_rate=sample_rate, channels=2, max_duration_s=600.0)
    except AudioReadError as exc:
        raise RecipeError(f"{where}: {exc}") from None
    return audio


def process_layer(layer: Layer, audio: np.ndarray, *, sample_rate: int) -> np.ndarray:
    """Apply a layer's edits (trim, reverse, pitch, fades, EQ, compressor, gain) to its source."""
    from sfxgen.dsp.dynamics import gain_db
    from sfxgen.dsp.fades import fade
    from sfxgen.dsp.filters import EQ
    from sfxgen.dsp.pitch import pitch_shift, reverse

    sr = sample_rate
    start = int(round(layer.trim_start_s * sr))
    stop = audio.shape[1] if layer.trim_end_s is None else min(audio.shape[1], int(round(layer.trim_end_s * sr)))
    if start >= stop:
        raise RecipeError(f"layer {layer.name!r}: trim starts at {layer.trim_start_s:g} s, past the end of its "
                          f"{audio.shape[1] / sr:.3f} s source")
    x = audio[:, start:stop]
    if layer.reverse:
        x = reverse(x)
    if layer.pitch_semitones:
        x = pitch_shift(x, sr, semitones=layer.pitch_semitones)
    if layer.fade_in_ms or layer.fade_out_ms:
        x = fade(x, sr, in_ms=layer.fade_in_ms, out_ms=layer.fade_out_ms, curve=layer.fade_curve)
    if layer.eq:
        x = EQ(bands=list(layer.eq))(x, sr)
    if layer.compressor is not None:
        x = layer.compressor(x, sr)
    if layer.gain_db:
        x = gain_db(x, layer.gain_db)
    return np.ascontiguousarray(x, dtype=np.float32)


def render_recipe(recipe: Recipe, *, master: bool = True, access=None) -> RenderResult:
    """Render ``recipe`` (validated first; nothing is written). See the module docstring.
    ``access``: where its file sources may be read from (see :func:`load_source`)."""
    from sfxgen.dsp.reverb import Reverb

    recipe.validate()
    sr = int(recipe.sample_rate)
    processed: dict[str, np.ndarray] = {}
    offsets: dict[str, int] = {}
    for i, layer in enumerate(recipe.layers):
        where = f"layer {i + 1} ({layer.name!r})"
        raw = load_source(layer, sample_rate=sr, where=where, access=access)
        processed[layer.name] = process_layer(layer, raw, sample_rate=sr)
        offsets[layer.name] = int(round(layer.offset_ms * 1e-3 * sr))
    repeats = {l.name: [offsets[l.name] + int(round(r * 1e-3 * sr)) for r in l.repeats_ms] for l in recipe.layers}
    ends = [max([offsets[k], *repeats[k]]) + v.shape[1] for k, v in processed.items()]
    sends = [l for l in recipe.layers if l.reverb_send_db is not None and not l.mute]
    if recipe.duration_s is not None:
        n = int(round(recipe.duration_s * sr))
        late = [l.name for l in recipe.layers if offsets[l.name] >= n]
        if late:
            raise RecipeError(f"layer(s) {', '.join(late)} start after the end of the {recipe.duration_s:g} s recipe")
    else:
        tail = min(recipe.bus.reverb.rt60_s, TAIL_MAX_S) if sends else 0.0
        n = max(ends) + int(round(tail * sr))

    stems: dict[str, np.ndarray] = {}
    send_sum = np.zeros((2, n), np.float64)
    for layer in recipe.layers:
        track = np.zeros((2, n), np.float64)
        if not layer.mute:
            x = processed[layer.name]
            for o in (offsets[layer.name], *repeats[layer.name]):
                m = min(x.shape[1], n - o)
                if m > 0:
                    track[:, o : o + m] += x[:, :m]
            if layer.reverb_send_db is not None:
                send_sum += track * 10.0 ** (layer.reverb_send_db / 20.0)
        stems[layer.name] = track
    if sends:
        rv = recipe.bus.reverb
        reverb_fx = Reverb(**{**rv.to_dict(), "wet_only": True, "keep_tail": True, "channels": 2})
        wet = reverb_fx(send_sum.astype(np.float32), sr).astype(np.float64)[:, :n]
        reverb = np.zeros((2, n), np.float64)
        reverb[:, : wet.shape[1]] = wet
    else:
        reverb = np.zeros((2, n), np.float64)

    if recipe.bus.compressor is not None:
        total = sum(stems.values()) + reverb
        comp = recipe.bus.compressor
        gr = comp.gain_reduction_db(total.astype(np.float32), sr)
        g = 10.0 ** ((comp.makeup_db - gr) / 20.0)
        stems = {k: v * g for k, v in stems.items()}
        reverb = reverb * g

    fade_n = min(n, int(round(recipe.master.fade_out_ms * 1e-3 * sr)))
    if fade_n > 1:  # one fade on every track alike, so the stems still sum to the mix
        from sfxgen.dsp.fades import fade_curve

        ramp = fade_curve("equal_power", np.arange(fade_n)[::-1] / fade_n)
        stems = {k: _fade_end(v, ramp) for k, v in stems.items()}
        reverb = _fade_end(reverb, ramp)

    premaster64 = sum(stems.values()) + reverb
    peak = max([np.max(np.abs(premaster64))] + [np.max(np.abs(v)) for v in stems.values()] + [np.max(np.abs(reverb))])
    headroom_db = 0.0
    if peak > HEADROOM_PEAK:
        g = HEADROOM_PEAK / peak
        headroom_db = float(20.0 * np.log10(g))
        stems = {k: v * g for k, v in stems.items()}
        reverb = reverb * g
    stems32 = {k: v.astype(np.float32) for k, v in stems.items()}
    reverb32 = reverb.astype(np.float32)
    premaster = (sum(stems.values()) + reverb).astype(np.float32)
    result = RenderResult(
        recipe=recipe,
        sample_rate=sr,
        stems=stems32,
        reverb=reverb32,
        premaster=premaster,
        master=premaster,
        master_gain_db=0.0,
        master_met_target=True,
        master_reason=None,
        headroom_db=headroom_db,
        layer_sources_s={k: v.shape[1] / sr for k, v in processed.items()},
    )
    return master_render(result) if master else result


def _fade_end(x: np.ndarray, ramp: np.ndarray) -> np.ndarray:
    """``x`` (channels, n) with its last ``ramp.size`` samples multiplied by ``ramp``."""
    y = x.copy()
    y[:, y.shape[1] - ramp.size:] *= ramp
    return y


def master_render(result: RenderResult) -> RenderResult:
    """Step 4 alone: ``result``'s pre-master normalised with its recipe's delivery preset (and
    target/ceiling overrides). ``render_recipe(r)`` equals ``master_render(render_recipe(r, master=False))``."""
    from dataclasses import replace

    from sfxgen.loudness import get_preset, normalize

    m = result.recipe.master
    preset = get_preset(m.preset)
    if m.target_lufs is not None or m.ceiling_dbtp is not None:
        preset = replace(
            preset,
            target_lufs=m.target_lufs if m.target_lufs is not None else preset.target_lufs,
            true_peak_ceiling_dbtp=m.ceiling_dbtp if m.ceiling_dbtp is not None else preset.true_peak_ceiling_dbtp,
        )
    res = normalize(result.premaster, result.sample_rate, preset=preset)
    curve = np.float64(np.float32(10.0 ** (res.gain_db / 20.0))) * (
        res.limiter_gain if res.limiter_gain is not None else np.ones(result.premaster.shape[1]))
    return replace(result, master=res.audio.astype(np.float32), master_gain_db=float(res.gain_db),
                   master_met_target=bool(res.met_target), master_reason=res.reason,
                   master_gain_curve=np.asarray(curve, np.float64))
