"""Room tone (the dialogue editor's "audio putty"): learn a recording's noise floor from its quiet
passages and synthesise as much matching, non-repeating room tone as asked.

Learning (:func:`learn_room_tone`):

1. **quiet passages**: 40 ms frames whose level is within 4 dB of the recording's 10th-percentile
   frame, in runs of at least 120 ms, two frames away from anything louder (speech edges and
   breaths stay out); digital silence is never a noise floor;
2. **spectrum**: the mean STFT power per bin of those frames, per channel, and the inter-channel
   coherence per octave band (a stereo floor keeps its width);
3. **slow modulation**: per octave band, the frame-to-frame level movement of the floor (its
   standard deviation in dB beyond what stationary noise of that spectrum shows by itself, its
   one-step correlation, i.e. how slowly it moves, and how much the bands move together).

Synthesis (:func:`synthesize_room_tone`) shapes fresh Gaussian noise in the STFT domain by the
learned spectrum and by band gains drawn from first-order autoregressive processes with the
learned depth, speed and cross-band correlation, then inverts the STFT. Every sample comes from
new noise: nothing is tiled, so the tone never repeats. Long durations are made in blocks of
about 22 s, each from its own noise, joined by 0.7 s equal-power crossfades.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sfxgen.errors import ParameterError

N_FFT = 8192
HOP = 2048
FRAME_S = 0.04
QUIET_DB = 4.0
GUARD_FRAMES = 2
MIN_RUN_S = 0.12
MIN_QUIET_S = 0.5
BAND_EDGES_HZ = (20.0, 63.0, 125.0, 250.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0, 16000.0, 24000.0)
BLOCK = 1 << 20
OVERLAP = 4 * N_FFT
MAX_DURATION_S = 3600.0


@dataclass
class RoomToneProfile:
    """A learned noise floor. ``psd``: (channels, N_FFT//2+1) mean STFT power per bin;
    ``coherence``: per band, inter-channel coherence (stereo); ``mod_std_db`` / ``mod_rho`` per
    band: the slow level movement's depth and one-hop correlation; ``mod_shared``: how much of it
    the bands share (0..1). ``quiet_s``: seconds of quiet passages learned from."""

    sample_rate: int
    psd: np.ndarray
    coherence: np.ndarray
    mod_std_db: np.ndarray
    mod_rho: np.ndarray
    mod_shared: float
    quiet_s: float
    floor_dbfs: float
    notes: list[str] = field(default_factory=list)

    @property
    def channels(self) -> int:
        return int(self.psd.shape[0])

    def to_dict(self) -> dict:
        """JSON-ready summary (no spectra)."""
        return {"sample_rate": self.sample_rate, "channels": self.channels, "quiet_s": round(self.quiet_s, 3),
                "floor_dbfs": round(self.floor_dbfs, 2), "band_edges_hz": list(BAND_EDGES_HZ),
                "mod_std_db": [round(float(v), 3) for v in self.mod_std_db],
                "mod_rho": [round(float(v), 4) for v in self.mod_rho], "mod_shared": round(self.mod_shared, 3),
                "coherence": [round(float(v), 3) for v in self.coherence], "notes": list(self.notes)}


def _stft(x: np.ndarray, sr: int) -> np.ndarray:
    """(channels, bins, frames) complex STFT (Hann, N_FFT, HOP)."""
    from scipy.signal import stft

    return stft(x, fs=sr, window="hann", nperseg=N_FFT, noverlap=N_FFT - HOP, boundary="even", padded=True)[2]


def _istft(z: np.ndarray, sr: int) -> np.ndarray:
    from scipy.signal import istft

    return istft(z, fs=sr, window="hann", nperseg=N_FFT, noverlap=N_FFT - HOP, boundary=True)[1]


def _band_index(sr: int) -> np.ndarray:
    """The octave band of each STFT bin (0..len(BAND_EDGES_HZ)-2)."""
    f = np.fft.rfftfreq(N_FFT, 1.0 / sr)
    return np.clip(np.searchsorted(BAND_EDGES_HZ, f, side="right") - 1, 0, len(BAND_EDGES_HZ) - 2)


def quiet_mask(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Per-sample boolean mask of the recording's quiet passages (see the module docstring)."""
    from scipy.ndimage import binary_dilation, binary_opening

    x = np.asarray(audio, np.float64)
    mono = x.mean(axis=0)
    hop = max(1, int(round(FRAME_S * sample_rate)))
    nf = mono.size // hop
    if nf < 3:
        raise ParameterError("the recording is too short to find its quiet passages")
    frames = mono[: nf * hop].reshape(nf, hop)
    p = np.mean(frames**2, axis=1)
    live = p > 1e-14
    if not np.any(live):
        raise ParameterError("the recording is digital silence: there is no noise floor to learn")
    db = 10.0 * np.log10(np.where(live, p, 1e-14))
    floor = np.percentile(db[live], 10.0)
    quiet = live & (db <= floor + QUIET_DB)
    quiet &= ~binary_dilation(~quiet, iterations=GUARD_FRAMES)
    run = max(1, int(np.ceil(MIN_RUN_S / FRAME_S)))
    quiet = binary_opening(quiet, structure=np.ones(run, bool))
    mask = np.zeros(mono.size, bool)
    mask[: nf * hop] = np.repeat(quiet, hop)
    return mask


def learn_room_tone(audio, sample_rate: int) -> RoomToneProfile:
    """Learn the noise floor of ``audio`` (channels, n) float32 (see the module docstring).
    More than two channels are folded to stereo. Raises ParameterError when the recording has
    fewer than 0.5 s of quiet passages."""
    from sfxgen.audio import to_channels

    x = np.asarray(audio, np.float32)
    if x.ndim == 1:
        x = x[None]
    if x.shape[0] > 2:
        x = to_channels(x, 2)
    sr = int(sample_rate)
    mask = quiet_mask(x, sr)
    quiet_s = float(mask.sum()) / sr
    if quiet_s < MIN_QUIET_S:
        raise ParameterError(f"only {quiet_s:.2f} s of quiet passages (between the words) were found; room tone "
                             f"needs at least {MIN_QUIET_S:g} s of the recording's own noise floor")
    z = _stft(x.astype(np.float64), sr)  # (C, bins, frames)
    centres = np.clip(np.arange(z.shape[2]) * HOP, 0, x.shape[1] - 1)
    # a frame counts when its whole window lies in quiet material
    half = N_FFT // 2
    cum = np.concatenate([[0], np.cumsum(~mask)])
    lo = np.clip(centres - half, 0, x.shape[1])
    hi = np.clip(centres + half, 0, x.shape[1])
    sel = (cum[hi] - cum[lo]) == 0
    if sel.sum() < 8:
        raise ParameterError("the quiet passages are too short to learn a spectrum from (each under 0.2 s)")
    zq = z[:, :, sel]
    power = np.abs(zq) ** 2
    psd = power.mean(axis=2)
    bands = _band_index(sr)
    nb = len(BAND_EDGES_HZ) - 1
    coh = np.ones(nb)
    if x.shape[0] == 2:
        cross = (zq[0] * np.conj(zq[1])).mean(axis=1)
        for b in range(nb):
            k = bands == b
            den = np.sqrt(psd[0, k].sum() * psd[1, k].sum()) + 1e-30
            coh[b] = float(np.clip(np.real(cross[k].sum()) / den, 0.0, 1.0))
    std_db, rho, shared = _modulation(power.sum(axis=0), sel, bands, nb)
    ref_std, _, _ = _modulation(_stationary_power(psd.sum(axis=0, keepdims=True), sr, int(sel.sum())),
                                np.ones(int(sel.sum()), bool), bands, nb)
    extra = np.sqrt(np.maximum(std_db**2 - ref_std**2, 0.0))
    floor = float(10.0 * np.log10(np.mean(x[:, mask].astype(np.float64) ** 2) + 1e-20))
    return RoomToneProfile(sample_rate=sr, psd=psd.astype(np.float64), coherence=coh, mod_std_db=extra,
                           mod_rho=rho, mod_shared=shared, quiet_s=quiet_s, floor_dbfs=floor)


def _stationary_power(psd: np.ndarray, sr: int, frames: int) -> np.ndarray:
    """STFT power (bins, frames) of stationary Gaussian noise with mean power ``psd`` per bin:
    the level movement every noise shows by itself, which the learned modulation excludes."""
    rng = np.random.default_rng(12345)
    z = (rng.standard_normal((psd.shape[1], frames)) + 1j * rng.standard_normal((psd.shape[1], frames))) / np.sqrt(2)
    return np.abs(z) ** 2 * psd[0][:, None]


def _modulation(power: np.ndarray, sel: np.ndarray, bands: np.ndarray, nb: int):
    """Per-band std (dB) and one-hop correlation of band levels over the selected frames, and
    the mean cross-band correlation. ``power``: (bins, frames of ``sel``)."""
    lv = np.stack([10.0 * np.log10(power[bands == b].sum(axis=0) + 1e-30) for b in range(nb)])
    lv = lv - lv.mean(axis=1, keepdims=True)
    std = lv.std(axis=1)
    idx = np.flatnonzero(sel)
    consecutive = np.flatnonzero(np.diff(idx) == 1)  # pairs of frames next to each other
    rho = np.zeros(nb)
    if consecutive.size > 4:
        a, b = lv[:, consecutive], lv[:, consecutive + 1]
        rho = np.clip(np.sum(a * b, axis=1) / (np.sqrt(np.sum(a * a, axis=1) * np.sum(b * b, axis=1)) + 1e-12),
                      0.0, 0.999)
    c = np.corrcoef(lv) if lv.shape[1] > 2 else np.eye(nb)
    off = c[~np.eye(nb, dtype=bool)]
    shared = float(np.clip(np.nanmean(off), 0.0, 1.0)) if off.size else 0.0
    return std, rho, shared


def _band_gains(profile: RoomToneProfile, frames: int, rng: np.random.Generator) -> np.ndarray:
    """(bands, frames) linear gains: AR(1) level movement with the learned depth/speed/sharing."""
    from scipy.signal import lfilter

    nb = profile.mod_std_db.size
    common = rng.standard_normal(frames)
    out = np.zeros((nb, frames))
    s = float(profile.mod_shared)
    for b in range(nb):
        r = float(profile.mod_rho[b])
        e = np.sqrt(s) * common + np.sqrt(1.0 - s) * rng.standard_normal(frames)
        ar = lfilter([np.sqrt(1.0 - r * r)], [1.0, -r], e)  # unit variance in steady state
        out[b] = ar * profile.mod_std_db[b]
    # a log-normal gain raises the mean power by exp((ln10/10)^2 sigma^2 / 2): divide it out
    k = np.log(10.0) / 10.0
    return 10.0 ** (out / 20.0) / np.exp(0.25 * (k * profile.mod_std_db[:, None]) ** 2)


def _block(profile: RoomToneProfile, n: int, rng: np.random.Generator) -> np.ndarray:
    sr = profile.sample_rate
    C = profile.channels
    white = rng.standard_normal((C + 1, n))
    z = _stft(white, sr)  # (C + 1, bins, frames)
    win = np.hanning(N_FFT + 1)[:-1]
    unit = float(np.sum(win**2) / np.sum(win) ** 2)  # E|STFT|^2 of unit white noise (scipy's scaling)
    bands = _band_index(sr)
    gains = _band_gains(profile, z.shape[2], rng)[bands]  # (bins, frames)
    out = np.zeros((C, n))
    for c in range(C):
        coh = profile.coherence[bands][:, None] if C > 1 else 1.0
        mixed = np.sqrt(coh) * z[C] + np.sqrt(1.0 - coh) * z[c] if C > 1 else z[c]
        spec = mixed * np.sqrt(profile.psd[c] / unit)[:, None] * gains
        y = _istft(spec, sr)
        out[c] = y[:n]
    return out


def synthesize_room_tone(profile: RoomToneProfile, duration_s: float, *, seed: int = 0) -> np.ndarray:
    """``duration_s`` of room tone matching ``profile``: (channels, n) float32 at its rate."""
    if not 0.05 <= float(duration_s) <= MAX_DURATION_S:
        raise ParameterError(f"room tone duration must be between 0.05 s and {MAX_DURATION_S:g} s, got {duration_s!r}")
    sr = profile.sample_rate
    n = int(round(float(duration_s) * sr))
    rng = np.random.default_rng([int(seed), 0x70DE])
    if n <= BLOCK:
        return _block(profile, n, rng).astype(np.float32)
    out = np.zeros((profile.channels, n), np.float32)
    u = (np.arange(OVERLAP) + 0.5) / OVERLAP
    fade_in, fade_out = np.sin(0.5 * np.pi * u), np.cos(0.5 * np.pi * u)  # equal power: the blocks are independent
    pos = 0
    while True:
        m = min(BLOCK, n - pos)
        y = _block(profile, m, rng)
        if pos == 0:
            out[:, :m] = y
        else:
            k = min(OVERLAP, m)
            out[:, pos: pos + k] = out[:, pos: pos + k] * fade_out[:k] + y[:, :k] * fade_in[:k]
            out[:, pos + k: pos + m] = y[:, k:]
        if pos + m >= n:
            break
        pos += m - OVERLAP
    return out


def room_tone(audio, sample_rate: int, *, duration_s: float, seed: int = 0) -> tuple[np.ndarray, RoomToneProfile]:
    """Learn ``audio``'s floor and synthesise ``duration_s`` of it: (tone, profile)."""
    profile = learn_room_tone(audio, sample_rate)
    return synthesize_room_tone(profile, duration_s, seed=seed), profile





@dataclass
class RoomToneResult:
    """A written room tone: its path, the profile learned, and how the result compares with the
    recording's quiet passages (``band_diff_db``: third-octave levels, tone minus recording)."""

    path: str
    duration_s: float
    profile: dict
    band_diff_db: dict

    def to_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


def compare_bands(tone: np.ndarray, reference: np.ndarray, sample_rate: int) -> dict:
    """Third-octave band levels (Welch, 31.5 Hz .. 16 kHz) of ``tone`` minus ``reference``, in dB,
    by band centre (bands where the reference is 60 dB under its loudest are skipped)."""
    from scipy.signal import welch

    centres = 1000.0 * 2.0 ** (np.arange(-15, 13) / 3.0)
    out = {}
    lv = []
    for x in (tone, reference):
        f, p = welch(np.asarray(x, np.float64).mean(axis=0), fs=sample_rate, nperseg=8192)
        lv.append(np.array([10 * np.log10(p[(f >= c * 2 ** (-1 / 6)) & (f < c * 2 ** (1 / 6))].sum() + 1e-30)
                            for c in centres]))
    keep = lv[1] >= lv[1].max() - 60.0
    for c, a, b, k in zip(centres, lv[0], lv[1], keep):
        if k and c < sample_rate / 2:
            out[f"{c:.0f}"] = round(float(a - b), 2)
    return out


def write_room_tone(match, path, *, duration_s: float, seed: int = 0) -> RoomToneResult:
    """Learn ``match``'s floor, synthesise ``duration_s`` of room tone at its rate and channel
    count, and write it (48 kHz / 24-bit BWF)."""
    from sfxgen.audio import Bext, read_audio, resample, write_audio

    audio, sr = read_audio(match)
    tone, profile = room_tone(audio, sr, duration_s=duration_s, seed=seed)
    diff = compare_bands(tone, audio[:, quiet_mask(audio, sr)], sr)
    if sr != 48000:
        tone = resample(tone, sr, 48000)
    p = write_audio(path, tone, 48000, bit_depth=24,
                    bext=Bext(description=f"room tone matched to {Path(str(match)).name}"[:256]))
    return RoomToneResult(path=str(p), duration_s=float(duration_s), profile=profile.to_dict(), band_diff_db=diff)

__all__ = ["RoomToneProfile", "RoomToneResult", "learn_room_tone", "synthesize_room_tone", "room_tone", "quiet_mask",
           "compare_bands", "write_room_tone"]
