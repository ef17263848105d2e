"""Audio files in and out, resampling and channel layout.

In memory, audio is ``(channels, samples)`` float32 with an explicit ``sample_rate``.
"""

from sfxgen.audio.bwf import Bext, read_bext, read_ixml
from sfxgen.audio.convert import as_audio, peak_abs, resample, to_channels
from sfxgen.audio.io import AUDIO_EXTENSIONS, AudioFile, AudioInfo, audio_info, read_audio, write_audio

__all__ = [
    "AUDIO_EXTENSIONS", "AudioFile", "AudioInfo", "Bext", "as_audio", "audio_info", "peak_abs", "read_audio", "read_bext",
    "read_ixml", "resample", "to_channels", "write_audio",
]
