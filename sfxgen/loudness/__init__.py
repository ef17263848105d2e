"""Loudness: BS.1770 / EBU R128 metering, true-peak limiting, normalisation to delivery presets.

    from sfxgen.loudness import measure, normalize, get_preset
    result = measure(audio, 48000)            # LoudnessResult
    out = normalize(audio, 48000, preset="ebu-r128")

Measurement conventions (README-ready):

* Meter: ITU-R BS.1770-4/5 with EBU Tech 3341/3342 behaviour, verified on the EBU test cases
  (3341: 1-6, 9, 12, 15-23; 3342: 1-4), against libebur128 and ffmpeg. Any sample rate (the
  K-weighting is re-derived from the analog prototype), any channel count (5.0/5.1/7.1 weights,
  LFE excluded). True peak is 4x oversampled (polyphase FIR).
* Short clips: a clip shorter than 400 ms is measured as if followed by silence, i.e. zero-padded
  to one 400 ms block (and to one 3 s window for short-term). This is what a standard meter
  reads when the one-shot plays once in silence; a 100 ms burst reads 6 dB below its steady
  level. ffmpeg/libebur128 report no integrated value (-70 LUFS / -inf) for such clips. LRA is
  not defined under 3 s (null).
* Silence: below the -70 LUFS absolute gate there is no measurable loudness: figures are null,
  never -inf, and normalising such audio raises LoudnessError ("no measurable loudness").
* Normalising: gain to the preset target, then a look-ahead (2 ms) true-peak limiter, linked
  channels, 8x oversampled side chain, 0.3 dB safety margin under the ceiling; the gain is
  re-iterated until within 0.05 LU. If that would need more than 12 dB of limiting
  (``max_gain_reduction_db``), the target is given up and the result says why
  (``met_target=False``, ``reason``); the CLI then still writes the file and exits 1.
"""

from sfxgen.lazy import lazy_package

# Names load on first use so that ``sfxgen --help`` (which imports sfxgen.loudness.cli) does
# not pull in scipy.
__all__ = lazy_package(__name__, {
    **dict.fromkeys(("LimiterResult", "TruePeakLimiter", "limit"), "sfxgen.loudness.limiter"),
    **dict.fromkeys(("LoudnessResult", "LoudnessSeries", "TruePeakMeter", "channel_weights", "k_weighting_sos",
                     "loudness_series", "measure", "true_peak"), "sfxgen.loudness.meter"),
    **dict.fromkeys(("NormalizeResult", "normalize"), "sfxgen.loudness.normalize"),
    **dict.fromkeys(("PRESETS", "DeliveryPreset", "custom_preset", "get_preset", "preset_names"),
                    "sfxgen.loudness.presets"),
})
