"""Measurement helpers: level, spectrum, decay and pitch of a clip.

Used by tests across the project and by QC reports. Every function takes audio as
(channels, samples) or (samples,) float and an explicit ``sample_rate`` in Hz where timing or
frequency matters. Multichannel audio is measured on the mean channel power (levels, spectra,
decays) or on the mean of the channels (pitch). Levels are floored at -200 dB, so silence reads
-200 dB rather than -inf (keeps JSON reports valid).
"""

from __future__ import annotations

import numpy as np

from sfxgen.dsp._util import as_2d, check_range, check_rate, db, mono_power
from sfxgen.errors import ParameterError

__all__ = [
    "rms_db",
    "peak_db",
    "spectral_centroid_hz",
    "hf_ratio",
    "energy_envelope_db",
    "schroeder_edc_db",
    "rt60_s",
    "decay_time_s",
    "f0_hz",
    "onset_index",
    "direct_to_reverb_ratio_db",
    "band_energy_db",
    "end_level_db",
    "audible_end_s",
    "envelope_times_s",
]


def rms_db(audio) -> float:
    """RMS level in dBFS over all channels and samples (full-scale sine peak 1.0 reads -3.01)."""
    x = as_2d(audio)
    return float(db(np.mean(mono_power(x)), power=True))


def peak_db(audio) -> float:
    """Sample-peak level in dBFS over all channels (not true peak; see sfxgen.loudness)."""
    x = as_2d(audio)
    return float(db(np.max(np.abs(x)), power=False))


def _power_spectrum(x: np.ndarray, sample_rate: int):
    spec = np.fft.rfft(x.astype(np.float64), axis=-1)
    p = np.sum(spec.real**2 + spec.imag**2, axis=0)
    f = np.fft.rfftfreq(x.shape[-1], d=1.0 / sample_rate)
    return f, p


def spectral_centroid_hz(audio, sample_rate: int) -> float:
    """Energy-weighted mean frequency (Hz) of the whole clip, all channels pooled.

    Computed from one periodogram of the full clip, so it weighs loud parts more, like the ear's
    overall impression of brightness. Raises ParameterError on silence.
    """
    sr = check_rate(sample_rate)
    x = as_2d(audio)
    f, p = _power_spectrum(x, sr)
    p[0] = 0.0  # DC offset is not brightness
    total = p.sum()
    if total <= 0:
        raise ParameterError("cannot measure spectral centroid of silent audio")
    return float(np.sum(f * p) / total)


def hf_ratio(audio, sample_rate: int, *, split_hz: float = 4000.0) -> float:
    """Fraction (0..1) of the clip's energy above ``split_hz``. Raises ParameterError on silence."""
    sr = check_rate(sample_rate)
    split = check_range("split_hz", split_hz, 0.0, sr / 2, lo_open=True)
    x = as_2d(audio)
    f, p = _power_spectrum(x, sr)
    p[0] = 0.0
    total = p.sum()
    if total <= 0:
        raise ParameterError("cannot measure high-frequency ratio of silent audio")
    return float(p[f >= split].sum() / total)


def energy_envelope_db(audio, sample_rate: int, *, window_ms: float = 5.0) -> np.ndarray:
    """Smoothed power envelope in dB (moving average of mean channel power), shape (samples,)."""
    from scipy.ndimage import uniform_filter1d

    sr = check_rate(sample_rate)
    x = as_2d(audio)
    win = max(1, int(round(check_range("window_ms", window_ms, 0.0, lo_open=True) * 1e-3 * sr)))
    env = uniform_filter1d(mono_power(x), size=win, mode="constant")
    return db(env, power=True)


def schroeder_edc_db(audio, sample_rate: int | None = None, *, noise_compensation: bool = True):
    """Schroeder backward-integrated energy decay curve in dB (0 dB at the first sample).

    The curve starts at the energy peak, which removes leading silence/pre-delay. With
    ``noise_compensation`` the noise floor (mean power of the last 10% of the clip, if it is at
    least 20 dB under the peak envelope) is subtracted and integration is truncated where the
    envelope meets it, so a decaying sound recorded over a noise floor still gives a clean curve.
    Returns (edc_db, start_index).
    """
    x = as_2d(audio)
    p = mono_power(x)
    if not np.any(p > 0):
        raise ParameterError("cannot measure the decay of silent audio")
    start = int(np.argmax(p))
    p = p[start:]
    if noise_compensation and p.size >= 200:
        from scipy.ndimage import uniform_filter1d

        tail = p[int(0.9 * p.size):]
        noise = float(np.mean(tail))
        win = max(1, p.size // 200)
        env = uniform_filter1d(p, size=win, mode="nearest")
        if noise > 0 and noise < 0.01 * env.max():
            below = np.nonzero(env <= 3.16 * noise)[0]  # within 5 dB of the floor
            end = int(below[0]) if below.size else p.size
            p = np.clip(p[: max(end, 2)] - noise, 0.0, None)
    edc = np.cumsum(p[::-1])[::-1]
    if edc[0] <= 0:
        raise ParameterError("cannot measure the decay of silent audio")
    return db(edc / edc[0], power=True, floor_db=-300.0), start


def rt60_s(ir_or_decay_audio, sample_rate: int, *, method: str = "auto") -> float:
    """Reverberation time RT60 (s) by Schroeder backward integration and a line fit.

    ``method``: ``"t30"`` fits the energy decay curve from -5 to -35 dB, ``"t20"`` from -5 to
    -25 dB, ``"edt"`` from 0 to -10 dB; each is extrapolated to 60 dB of decay. ``"auto"`` uses
    T30 when the curve reaches -35 dB, else T20, else T10 (-5..-15 dB). Works on an impulse
    response or on any decaying sound (a struck impact's tail): the fit starts at the energy
    peak. Raises ParameterError when the decay has too little dynamic range to fit, or when the
    decay curve is far from a straight line in dB (correlation of the fit above -0.99), as for
    steady sounds.
    """
    sr = check_rate(sample_rate)
    edc_db, _ = schroeder_edc_db(ir_or_decay_audio, sr)
    ranges = {"t30": (-5.0, -35.0), "t20": (-5.0, -25.0), "edt": (0.0, -10.0), "t10": (-5.0, -15.0)}
    if method == "auto":
        # The last few samples of the EDC plunge to the floor; require margin past the range.
        lowest = float(np.min(edc_db[: max(1, int(0.98 * edc_db.size))]))
        for key in ("t30", "t20", "t10"):
            if lowest <= ranges[key][1] - 1.0:
                method = key
                break
        else:
            raise ParameterError(
                f"decay is too short or noisy to measure RT60 (only {-lowest:.1f} dB of decay)"
            )
    if method not in ranges:
        raise ParameterError(f"method must be 'auto', 't30', 't20', 't10' or 'edt'; got {method!r}")
    hi, lo = ranges[method]
    i0 = int(np.argmax(edc_db <= hi))
    below = np.nonzero(edc_db <= lo)[0]
    if below.size == 0:
        raise ParameterError(f"decay does not reach {lo:.0f} dB; cannot compute {method.upper()}")
    i1 = int(below[0])
    if i1 - i0 < 3:
        raise ParameterError("decay is too fast to measure at this sample rate")
    t = np.arange(i0, i1 + 1) / sr
    y = edc_db[i0 : i1 + 1]
    slope, _ = np.polyfit(t, y, 1)
    r = np.corrcoef(t, y)[0, 1]
    if slope >= 0 or r > -0.99:
        raise ParameterError(
            "energy does not decay exponentially (steady or irregular sound); cannot measure RT60"
        )
    return float(-60.0 / slope)


def decay_time_s(audio, sample_rate: int, *, drop_db: float = 30.0, window_ms: float = 5.0) -> float:
    """Seconds from the peak of the smoothed power envelope until it first falls ``drop_db`` below.

    Returns ``inf`` if the clip ends before the level has dropped that far.
    """
    sr = check_rate(sample_rate)
    drop = check_range("drop_db", drop_db, 0.0, lo_open=True)
    env = energy_envelope_db(audio, sr, window_ms=window_ms)
    k = int(np.argmax(env))
    if env[k] <= -199.0:
        raise ParameterError("cannot measure the decay of silent audio")
    below = np.nonzero(env[k:] <= env[k] - drop)[0]
    if below.size == 0:
        return float("inf")
    return float(below[0] / sr)


def f0_hz(
    audio,
    sample_rate: int,
    *,
    fmin_hz: float = 40.0,
    fmax_hz: float = 5000.0,
    threshold: float = 0.15,
) -> float | None:
    """Fundamental frequency (Hz) of the loudest part of the clip, YIN style; None if aperiodic.

    Takes the loudest frame (long enough for three periods of ``fmin_hz``), computes YIN's
    cumulative-mean-normalised difference via FFT autocorrelation, picks the first dip below
    ``threshold`` (else the global minimum if it is below 0.35) and refines it by parabolic
    interpolation. Noise and silence return None.
    """
    sr = check_rate(sample_rate)
    fmin = check_range("fmin_hz", fmin_hz, 0.0, lo_open=True)
    fmax = check_range("fmax_hz", fmax_hz, fmin, sr / 2)
    x = as_2d(audio).astype(np.float64).mean(axis=0)
    tau_max = int(np.ceil(sr / fmin))
    tau_min = max(2, int(np.floor(sr / fmax)))
    frame = max(3 * tau_max, int(0.1 * sr), 2048)
    if x.size < 2 * tau_min + 4:
        return None
    if x.size > frame:
        from scipy.ndimage import uniform_filter1d

        energy = uniform_filter1d(x * x, size=frame, mode="constant")
        c = int(np.argmax(energy[frame // 2 : x.size - frame // 2 + 1])) + frame // 2
        seg = x[c - frame // 2 : c - frame // 2 + frame]
    else:
        seg = x
    seg = seg - seg.mean()
    if not np.any(seg != 0):
        return None
    w = seg.size // 2
    tau_max = min(tau_max, seg.size - w - 1)
    if tau_max <= tau_min + 2:
        return None
    # Difference d(tau) = sum_{j<w} (x_j - x_{j+tau})^2 via FFT cross-correlation.
    nfft = 1 << int(np.ceil(np.log2(seg.size + w)))
    a = np.fft.rfft(seg[:w], nfft)
    b = np.fft.rfft(seg, nfft)
    cross = np.fft.irfft(np.conj(a) * b, nfft)[: tau_max + 1]
    sq = np.concatenate([[0.0], np.cumsum(seg * seg)])
    e0 = sq[w]
    etau = sq[np.arange(tau_max + 1) + w] - sq[np.arange(tau_max + 1)]
    d = e0 + etau - 2.0 * cross
    d[0] = 0.0
    cum = np.cumsum(d[1:])
    cmnd = np.ones_like(d)
    cmnd[1:] = d[1:] * np.arange(1, tau_max + 1) / np.maximum(cum, 1e-300)
    region = cmnd[tau_min : tau_max + 1]
    cand = np.nonzero(region < threshold)[0]
    if cand.size:
        i = int(cand[0])
        while i + 1 < region.size and region[i + 1] < region[i]:
            i += 1
    else:
        i = int(np.argmin(region))
        if region[i] > 0.35:
            return None
    tau = i + tau_min
    if 1 <= tau < tau_max:
        y0, y1, y2 = cmnd[tau - 1], cmnd[tau], cmnd[tau + 1]
        den = y0 - 2 * y1 + y2
        shift = 0.5 * (y0 - y2) / den if den > 0 else 0.0
        tau_f = tau + float(np.clip(shift, -1.0, 1.0))
    else:
        tau_f = float(tau)
    return float(sr / tau_f)


def onset_index(audio, *, threshold_db: float = -20.0) -> int:
    """Index of the first sample whose magnitude (any channel) is within ``threshold_db`` of the peak."""
    x = as_2d(audio)
    mag = np.max(np.abs(x), axis=0)
    peak = mag.max()
    if peak <= 0:
        raise ParameterError("audio is silent; it has no onset")
    return int(np.argmax(mag >= peak * 10.0 ** (threshold_db / 20.0)))


def direct_to_reverb_ratio_db(audio, sample_rate: int, *, direct_ms: float = 50.0) -> float:
    """Direct-to-reverberant energy ratio (dB): energy in the first ``direct_ms`` after the onset
    versus everything after that.

    The onset is the first sample within 20 dB of the clip's peak (see :func:`onset_index`),
    backed off by 1 ms. Meaningful for a short dry event followed by its reverb; a wetter mix
    reads lower. Returns 200.0 when nothing follows the direct window.
    """
    sr = check_rate(sample_rate)
    win = int(round(check_range("direct_ms", direct_ms, 0.0, lo_open=True) * 1e-3 * sr))
    x = as_2d(audio)
    p = mono_power(x)
    start = max(0, onset_index(x) - int(1e-3 * sr))
    direct = float(p[start : start + win].sum())
    late = float(p[start + win :].sum())
    if late <= 0:
        return 200.0
    return float(db(direct / late, power=True))


def band_energy_db(audio, sample_rate: int, *, below_hz: float = 20.0) -> float:
    """Energy of the clip below ``below_hz`` relative to its total energy (dB, <= 0; all channels
    pooled, one periodogram). -30 means the band holds a thousandth of the energy. Energy under
    20 Hz is inaudible but eats headroom and moves loudspeaker cones. Raises ParameterError on
    silence."""
    sr = check_rate(sample_rate)
    cut = check_range("below_hz", below_hz, 0.0, sr / 2, lo_open=True)
    f, p = _power_spectrum(as_2d(audio), sr)
    total = p.sum()
    if total <= 0:
        raise ParameterError("cannot measure the spectrum of silent audio")
    return float(db(p[f < cut].sum() / total, power=True))


def _frame_level_db(x: np.ndarray, sr: int, window_ms: float) -> np.ndarray:
    """Mean-channel power in consecutive ``window_ms`` frames, dB (frames,); the last partial
    frame is dropped."""
    w = max(1, int(round(window_ms * 1e-3 * sr)))
    p = mono_power(x)
    k = p.size // w
    if k == 0:
        raise ParameterError(f"the clip is shorter than one {window_ms:g} ms frame")
    return db(p[: k * w].reshape(k, w).mean(axis=1), power=True)


def end_level_db(audio, sample_rate: int, *, window_ms: float = 50.0) -> float:
    """Level of the clip's last ``window_ms`` relative to its loudest ``window_ms`` frame (dB, <= 0).

    A sound that ends in its own decay or a fade reads far below 0 (-20 dB or less); a clip cut
    while still sounding (a hard stop) reads close to 0. Frames are counted back from the end
    so the last frame is exactly the clip's end. Raises ParameterError on silence."""
    sr = check_rate(sample_rate)
    x = as_2d(audio)
    w = max(1, int(round(check_range("window_ms", window_ms, 0.0, lo_open=True) * 1e-3 * sr)))
    levels = _frame_level_db(x[:, (x.shape[-1] % w):], sr, window_ms)
    top = float(levels.max())
    if top <= -199.0:
        raise ParameterError("cannot measure the end level of silent audio")
    return float(levels[-1] - top)


def audible_end_s(audio, sample_rate: int, *, floor_db: float, window_ms: float = 50.0) -> float:
    """End (s) of the last ``window_ms`` frame whose level is within ``floor_db`` (< 0) of the
    loudest frame: where a one-shot has died away. The whole length for audio shorter than three
    frames, 0 for silence."""
    sr = check_rate(sample_rate)
    x = as_2d(audio)
    w = max(1, int(round(check_range("window_ms", window_ms, 0.0, lo_open=True) * 1e-3 * sr)))
    if not np.any(x):
        return 0.0
    if x.shape[-1] // w <= 2:
        return x.shape[-1] / sr
    levels = _frame_level_db(x, sr, window_ms)
    return (int(np.flatnonzero(levels >= levels.max() + floor_db)[-1]) + 1) * (window_ms / 1000.0)


def envelope_times_s(audio, sample_rate: int, *, window_ms: float = 5.0, low_db: float = 30.0,
                     high_db: float = 3.0) -> tuple[float, float]:
    """(attack_s, decay_s) of the clip's level envelope (``window_ms`` frames, dB re its peak).

    attack: from the first frame within ``low_db`` of the peak to the first frame within
    ``high_db`` of it (how fast the sound comes in); decay: from the last frame within
    ``high_db`` of the peak to the first later frame ``low_db`` under it, or to the clip end when
    it never gets there (how the sound leaves). Clip-level times, as an editor sees the
    waveform: a train of steps has a fast attack and the decay of its last step."""
    sr = check_rate(sample_rate)
    lv = _frame_level_db(as_2d(audio), sr, window_ms)
    top = float(lv.max())
    if top <= -199.0:
        raise ParameterError("cannot measure the envelope of silent audio")
    fr = window_ms * 1e-3
    loud = np.flatnonzero(lv >= top - high_db)
    start = int(np.argmax(lv >= top - low_db))
    attack = (int(loud[0]) - start) * fr
    last = int(loud[-1])
    quiet = np.flatnonzero(lv[last:] <= top - low_db)
    decay = (int(quiet[0]) if quiet.size else lv.size - last) * fr
    return float(attack), float(decay)
