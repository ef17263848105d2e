"""Loudness normalisation to a delivery preset with true-peak limiting.

``normalize(audio, sample_rate, preset=...)``:

1. measure the input (:func:`~sfxgen.loudness.meter.measure`); silence or audio below the
   -70 LUFS gate raises :class:`~sfxgen.errors.LoudnessError` (there is no loudness to scale,
   and a gain computed from ``-inf`` would be meaningless);
2. apply the gain that brings integrated loudness to the target;
3. run the look-ahead true-peak limiter (:class:`~sfxgen.loudness.limiter.TruePeakLimiter`) to
   the preset's ceiling, re-measure, correct the gain by the remaining error and repeat (a few
   iterations) so the result lands within 0.05 LU of the target whenever the ceiling allows;
4. if reaching the target would take more than ``max_gain_reduction_db`` of limiting (a very
   peaky signal such as a gunshot pushed to -14 LUFS), the gain is capped there instead of
   crushing the transient: the result then has ``met_target=False`` and a ``reason`` that says
   by how much and why. The same happens when the loudest 3 s exceed a preset's short-term cap.

Clips shorter than 400 ms are measured as the meter defines (zero-padded to one 400 ms window,
i.e. the reading of a standard meter when the clip plays once in silence).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sfxgen.errors import LoudnessError, ParameterError
from sfxgen.loudness.limiter import TruePeakLimiter
from sfxgen.loudness.meter import LoudnessResult, measure
from sfxgen.loudness.presets import DeliveryPreset, get_preset

__all__ = ["NormalizeResult", "normalize"]

_AIM_LU = 0.05  # iterate until this close to the target


@dataclass(frozen=True)
class NormalizeResult:
    """audio: normalised (channels, samples) float32. gain_db: static gain applied before the
    limiter. before / after: measurements. met_target: integrated within tolerance, true peak
    under the ceiling and short-term cap respected. reason: why not, else None.
    max_gain_reduction_db: the most the limiter took off (0 if it did nothing). limiter_gain: the
    limiter's linked gain per sample (samples,), so ``audio == input * 10**(gain_db/20) *
    limiter_gain``: the same gain applied to parts of the input (stems) makes them sum to the output."""

    audio: np.ndarray
    gain_db: float
    before: LoudnessResult
    after: LoudnessResult
    met_target: bool
    reason: str | None
    preset: DeliveryPreset
    max_gain_reduction_db: float = 0.0
    limiter_gain: np.ndarray | None = None

    def to_dict(self) -> dict:
        """Summary (without the audio) for JSON reports."""
        return {
            "preset": self.preset.name,
            "gain_db": self.gain_db,
            "max_gain_reduction_db": self.max_gain_reduction_db,
            "met_target": self.met_target,
            "reason": self.reason,
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
        }


def normalize(audio, sample_rate: int, *, preset: DeliveryPreset | str = "ebu-r128",
              max_gain_reduction_db: float = 12.0, iterations: int = 6,
              limiter: TruePeakLimiter | None = None) -> NormalizeResult:
    """Normalise ``audio`` (channels, samples) to ``preset`` (name or :class:`DeliveryPreset`).

    max_gain_reduction_db: most limiting allowed to reach the target (dB); beyond that the
        target is given up (``met_target=False``) rather than flattening the sound.
    iterations: gain corrections after limiting.
    limiter: a configured :class:`TruePeakLimiter`; default: preset ceiling, 2 ms look-ahead.

    Raises LoudnessError for silence / no measurable loudness.
    """
    spec = get_preset(preset)
    if max_gain_reduction_db < 0:
        raise ParameterError(f"max_gain_reduction_db must be >= 0, got {max_gain_reduction_db}")
    before = measure(audio, sample_rate)
    if before.integrated_lufs is None:
        raise LoudnessError(
            "no measurable loudness: the audio is silent or quieter than the -70 LUFS gate, "
            "so there is nothing to normalise"
        )
    x = np.asarray(audio, dtype=np.float32)
    if x.ndim == 1:
        x = x[np.newaxis]
    lim = limiter or TruePeakLimiter(ceiling_dbtp=spec.true_peak_ceiling_dbtp)
    ceiling_db = lim.ceiling_dbtp - lim.margin_db
    peak_db = before.true_peak_dbtp if before.true_peak_dbtp is not None else -np.inf
    gain_cap_db = ceiling_db - peak_db + max_gain_reduction_db  # gain beyond this over-limits

    gain_db = spec.target_lufs - before.integrated_lufs
    capped = False
    out, after, gr, lim_gain = x, before, 0.0, None
    prev = None  # (gain_db, integrated) of the previous try, for a secant step
    env = lim.envelope(x)  # side-chain envelope scales with the gain: compute it once
    for _ in range(max(1, iterations) + 1):
        if gain_db >= gain_cap_db:
            gain_db, capped = gain_cap_db, True
        g = 10.0 ** (gain_db / 20.0)
        res = lim(x * np.float32(g), sample_rate, envelope=env * g)
        out, gr, lim_gain = res.audio, res.max_gain_reduction_db, res.gain
        after = measure(out, sample_rate)
        err = spec.target_lufs - after.integrated_lufs
        if abs(err) <= _AIM_LU or (capped and err > 0):
            break
        # limiting makes loudness rise slower than the gain: estimate the slope from two tries
        slope = 1.0
        if prev is not None and abs(gain_db - prev[0]) > 1e-6:
            slope = float(np.clip((after.integrated_lufs - prev[1]) / (gain_db - prev[0]), 0.1, 1.0))
        prev = (gain_db, after.integrated_lufs)
        gain_db += err / slope

    verdict = spec.judge(integrated_lufs=after.integrated_lufs, true_peak_dbtp=after.true_peak_dbtp,
                         max_short_term_lufs=after.max_short_term_lufs)
    reasons = list(verdict.reasons)
    err = after.integrated_lufs - spec.target_lufs
    if capped and err < 0 and verdict.integrated_ok is False:  # say why the target was given up
        reasons[0] = (f"reaching {spec.target_lufs:g} LUFS under {spec.true_peak_ceiling_dbtp:g} dBTP would need more "
                      f"than {max_gain_reduction_db:g} dB of peak limiting (the sound is very peaky); stopped at "
                      f"{after.integrated_lufs:.1f} LUFS")
    return NormalizeResult(
        audio=out,
        gain_db=float(gain_db),
        before=before,
        after=after,
        met_target=not reasons,
        reason="; ".join(reasons) or None,
        preset=spec,
        max_gain_reduction_db=float(gr),
        limiter_gain=lim_gain,
    )
