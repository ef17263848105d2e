"""Seamless loops for beds (BG cues), and the click check that proves a seam is clean.

:func:`make_loop` cuts a loop of about ``loop_s`` from a rendered texture: the loop starts at a
rising zero crossing and its end is the rising zero crossing, within ±20 ms of the asked
length, whose following waveform best matches the loop's start (normalised cross-correlation of
the mono sum). The audio just after the loop end is crossfaded (equal power) over the loop's
head, so playing the loop end into its start continues the source's own waveform: the seam is
the pair of consecutive source samples ``end - 1, end`` and cannot click, and the crossfade
region blends two stretches chosen to agree.

:func:`seam_check` measures a seam as the issue's criterion states it: the sample step across
the seam must be no larger than the largest step the signal itself makes within a few
milliseconds on either side.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from sfxgen.errors import ParameterError

SEARCH_MS = 20.0
MATCH_MS = 10.0
LOCAL_MS = 5.0


@dataclass
class Loop:
    """A seamless loop ``audio`` (channels, n) float32 and how its seam measures."""

    audio: np.ndarray
    start_sample: int  # where the loop starts in the source
    length: int  # samples
    xfade: int  # samples of crossfade over the head
    match: float  # normalised correlation of the waveforms after the end and at the start
    seam: "SeamCheck"

    def info(self, sample_rate: int) -> dict:
        """JSON-ready summary for reports."""
        return {"loop_s": round(self.length / sample_rate, 4), "xfade_s": round(self.xfade / sample_rate, 4),
                "source_start_s": round(self.start_sample / sample_rate, 4), "match": round(self.match, 4),
                **self.seam.to_dict()}


@dataclass(frozen=True)
class SeamCheck:
    """The step across a seam against the largest step of the signal around it (same units:
    full scale). ``clean``: the seam's step is not above the local signal's own."""

    seam_step: float
    local_step: float

    @property
    def clean(self) -> bool:
        return bool(self.seam_step <= self.local_step)

    def to_dict(self) -> dict:
        return {"seam_step": float(self.seam_step), "local_step": float(self.local_step), "seam_clean": self.clean}


def seam_check(before: np.ndarray, after: np.ndarray, sample_rate: int, *, local_ms: float = LOCAL_MS) -> SeamCheck:
    """The seam where ``before`` (channels, >= 2) ends and ``after`` (channels, >= 2) begins.

    Seam step: the largest absolute change from ``before[:, -1]`` to ``after[:, 0]`` over the
    channels. Local step: the largest absolute sample-to-sample change within ``local_ms`` before
    the seam (inside ``before``) and after it (inside ``after``)."""
    k = max(2, int(round(local_ms * 1e-3 * sample_rate)))
    a = np.asarray(before, np.float64)[:, -k:]
    b = np.asarray(after, np.float64)[:, :k]
    if a.shape[1] < 2 or b.shape[1] < 2:
        raise ParameterError("a seam check needs at least two samples on each side")
    seam = float(np.max(np.abs(b[:, 0] - a[:, -1])))
    local = float(max(np.max(np.abs(np.diff(a, axis=1))), np.max(np.abs(np.diff(b, axis=1)))))
    return SeamCheck(seam, local)


def _rising_zero_crossings(mono: np.ndarray) -> np.ndarray:
    """Indices i where mono[i - 1] < 0 <= mono[i]."""
    return np.flatnonzero((mono[:-1] < 0.0) & (mono[1:] >= 0.0)) + 1


def make_loop(audio, sample_rate: int, *, loop_s: float, xfade_s: float = 0.75, start_s: float = 0.0) -> Loop:
    """A seamless loop of about ``loop_s`` cut from ``audio`` (channels, n) starting near
    ``start_s`` (see the module docstring). The source must hold ``loop_s + xfade_s`` plus 40 ms
    after ``start_s``."""
    x = np.asarray(audio, np.float32)
    if x.ndim == 1:
        x = x[None]
    sr = int(sample_rate)
    L0 = int(round(loop_s * sr))
    C = int(round(xfade_s * sr))
    w = int(round(SEARCH_MS * 1e-3 * sr))
    a0 = int(round(start_s * sr))
    if L0 < 2 * C or C < 2:
        raise ParameterError(f"a {loop_s:g} s loop is too short for a {xfade_s:g} s crossfade")
    if a0 + L0 + C + 2 * w > x.shape[1]:
        raise ParameterError(f"the source ({x.shape[1] / sr:.2f} s) is too short for a {loop_s:g} s loop "
                             f"from {start_s:g} s with a {xfade_s:g} s crossfade")
    mono = x.mean(axis=0).astype(np.float64)
    zc = _rising_zero_crossings(mono[a0: a0 + w]) + a0
    a = int(zc[0]) if zc.size else a0
    m = int(round(MATCH_MS * 1e-3 * sr))
    ref = mono[a: a + m]
    ref = ref - ref.mean()
    cands = _rising_zero_crossings(mono[a + L0 - w: a + L0 + w]) + a + L0 - w
    cands = cands[cands + C <= x.shape[1]]
    best, best_score = a + L0, -np.inf
    if cands.size:
        seg = np.stack([mono[c: c + m] for c in cands])
        seg = seg - seg.mean(axis=1, keepdims=True)
        den = np.linalg.norm(seg, axis=1) * (np.linalg.norm(ref) + 1e-12) + 1e-12
        scores = seg @ ref / den
        i = int(np.argmax(scores))
        best, best_score = int(cands[i]), float(scores[i])
    L = best - a
    body = x[:, a: a + L].astype(np.float64)
    tail = x[:, a + L: a + L + C].astype(np.float64)
    u = (np.arange(C) + 0.5) / C
    body[:, :C] = body[:, :C] * np.sin(0.5 * np.pi * u) + tail * np.cos(0.5 * np.pi * u)
    y = body.astype(np.float32)
    return Loop(audio=y, start_sample=a, length=L, xfade=C, match=float(best_score) if np.isfinite(best_score) else 0.0,
                seam=seam_check(y, y, sr))


def fill(loop: np.ndarray, n: int, sample_rate: int, *, fade_s: float = 1.0) -> np.ndarray:
    """``loop`` (channels, L) repeated to ``n`` samples, with equal-power fades of ``fade_s``
    (at most a quarter of ``n``) at both ends."""
    from sfxgen.dsp.fades import fade

    y = np.asarray(loop, np.float32)
    reps = -(-int(n) // y.shape[1])
    out = np.tile(y, (1, reps))[:, : int(n)]
    f_ms = 1000.0 * min(float(fade_s), 0.25 * n / sample_rate)
    return fade(out, sample_rate, in_ms=f_ms, out_ms=f_ms, curve="equal_power")


__all__ = ["Loop", "SeamCheck", "make_loop", "fill", "seam_check"]
