"""sfxgen.audio: formats, conversions, atomic writes, BWF chunks checked by an independent reader."""


import numpy as np
import pytest
import soundfile as sf

from sfxgen.audio import (
    Bext, audio_info, read_audio, read_bext, read_ixml, resample, to_channels, write_audio,
)
from sfxgen.errors import AudioReadError, ParameterError

SR = 48000


def tone(freq_hz=1000.0, seconds=0.5, sr=SR, channels=2, amp=0.5):
    t = np.arange(int(seconds * sr)) / sr
    x = (amp * np.sin(2 * np.pi * freq_hz * t)).astype(np.float32)
    return np.tile(x, (channels, 1))


@pytest.mark.parametrize(
    "ext,fmt,subtype,tol",
    [
        ("wav", "WAV", "PCM_24", 1e-6),
        ("aiff", "AIFF", "PCM_16", 1e-4),
        ("flac", "FLAC", "PCM_24", 1e-6),
        ("ogg", "OGG", "VORBIS", None),
        ("opus", "OGG", "OPUS", None),
        ("mp3", "MP3", "MPEG_LAYER_III", None),
        ("rf64", "RF64", "PCM_24", 1e-6),
    ],
)
def test_reads_library_formats(tmp_path, ext, fmt, subtype, tol):
    x = tone(440.0)
    path = tmp_path / f"clip.{ext}"
    sf.write(path, x.T, SR, format=fmt, subtype=subtype)
    y, sr = read_audio(path)
    assert sr == SR and y.dtype == np.float32 and y.shape[0] == 2
    if tol is not None:
        assert y.shape == x.shape
        assert np.max(np.abs(y - x)) < tol
    else:  # lossy: same loudness ballpark, same length within codec padding
        assert abs(y.shape[1] - x.shape[1]) < 0.1 * SR
        assert abs(np.sqrt(np.mean(y**2)) - np.sqrt(np.mean(x**2))) < 0.05
    info = audio_info(path)
    assert info.sample_rate == SR and info.channels == 2


def test_write_read_roundtrip_bit_depths(tmp_path):
    x = tone(997.0, channels=1)
    for bits, tol in ((16, 2e-4), (24, 1e-6), (32, 0.0)):
        p = write_audio(tmp_path / f"b{bits}.wav", x, SR, bit_depth=bits)
        y, _ = read_audio(p)
        assert np.max(np.abs(y - x)) <= tol
        assert audio_info(p).bit_depth == bits
    p = write_audio(tmp_path / "c.flac", x, SR, fmt="flac")
    assert audio_info(p).format == "FLAC"


def test_pcm_clips_instead_of_wrapping(tmp_path):
    x = np.array([[1.5, -1.5, 0.25]], np.float32)
    y, _ = read_audio(write_audio(tmp_path / "c.wav", x, SR))
    assert y[0, 0] > 0.999 and y[0, 1] < -0.999 and abs(y[0, 2] - 0.25) < 1e-6


def test_bext_and_ixml_verified_by_wavinfo(tmp_path):
    import wavinfo

    b = Bext(
        description="Rusty spaceship door, vast cavern",
        originator="sfxgen",
        originator_reference="REF123",
        origination_date="2026-11-25",
        origination_time="12:34:56",
        time_reference=48000 * 3600,
        loudness_value=-23.0,
        loudness_range=7.5,
        max_true_peak_level=-1.2,
        max_momentary_loudness=-18.4,
        max_short_term_loudness=-20.1,
        coding_history="A=PCM,F=48000,W=24,M=stereo,T=sfxgen",
    )
    ixml = "<?xml version='1.0'?><BWFXML><PROJECT>demo</PROJECT></BWFXML>"
    p = write_audio(tmp_path / "meta.wav", tone(), SR, bext=b, ixml=ixml)
    w = wavinfo.WavInfoReader(str(p))
    assert w.bext.description == b.description
    assert w.bext.originator == "sfxgen"
    assert w.bext.originator_ref == "REF123"
    assert w.bext.originator_date == "2026-11-25"
    assert w.bext.originator_time == "12:34:56"
    assert w.bext.time_reference == 48000 * 3600
    assert w.bext.version == 2
    assert w.bext.loudness_value == pytest.approx(-23.0)
    assert w.bext.loudness_range == pytest.approx(7.5)
    assert w.bext.max_true_peak == pytest.approx(-1.2)
    assert w.bext.max_momentary_loudness == pytest.approx(-18.4)
    assert w.bext.max_shortterm_loudness == pytest.approx(-20.1)
    assert "A=PCM,F=48000" in w.bext.coding_history
    assert w.fmt.sample_rate == SR and w.fmt.bits_per_sample == 24 and w.fmt.channel_count == 2
    assert b"<PROJECT>demo</PROJECT>" in w.ixml.source
    # our own reader agrees, and the audio is intact
    rb = read_bext(p)
    assert rb.description == b.description and rb.loudness_range == pytest.approx(7.5)
    assert rb.max_true_peak_level == pytest.approx(-1.2)
    assert "<PROJECT>demo</PROJECT>" in read_ixml(p)
    y, _ = read_audio(p)
    assert np.max(np.abs(y - tone())) < 1e-6
    # soundfile (libsndfile) also reads the file as a valid WAV
    assert sf.info(str(p)).frames == tone().shape[1]


def test_bext_unset_loudness_and_non_ascii(tmp_path):
    p = write_audio(tmp_path / "u.wav", tone(), SR, bext=Bext(description="Café door – slam"))
    rb = read_bext(p)
    assert rb.description == "Cafe door  slam"
    assert rb.loudness_value is None and rb.max_true_peak_level is None
    assert read_bext(write_audio(tmp_path / "plain.wav", tone(), SR)) is None


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    p = write_audio(tmp_path / "keep.wav", tone(), SR)
    before = p.read_bytes()
    with pytest.raises(ParameterError):
        write_audio(p, np.full((2, 10), np.nan, np.float32), SR)
    assert p.read_bytes() == before
    assert [f.name for f in tmp_path.iterdir()] == ["keep.wav"]  # no temp files left


def _wav_bytes(x):
    import io

    buf = io.BytesIO()
    sf.write(buf, x.T, SR, format="WAV", subtype="PCM_16")
    return buf.getvalue()


@pytest.mark.parametrize(
    "name,make,problem",
    [
        ("missing.wav", None, "not found"),
        ("empty.wav", lambda: b"", "empty"),
        ("notes.wav", lambda: b"this is a text file, not audio\n" * 20, "not a recognised audio"),
        ("trunc.wav", lambda: _wav_bytes(tone())[:2000], "truncated"),
        ("header_only.wav", lambda: _wav_bytes(tone())[:44], "truncated"),
    ],
)
def test_bad_files_give_clear_errors(tmp_path, name, make, problem):
    p = tmp_path / name
    if make is not None:
        p.write_bytes(make())
    with pytest.raises(AudioReadError) as ei:
        read_audio(p)
    msg = str(ei.value)
    assert str(p) in msg and problem in msg


def test_nan_float_wav_rejected(tmp_path):
    x = tone(channels=1)
    x[0, 100] = np.nan
    p = tmp_path / "nan.wav"
    sf.write(p, x.T, SR, subtype="FLOAT")
    with pytest.raises(AudioReadError, match="NaN"):
        read_audio(p)


def test_zero_frame_wav_rejected(tmp_path):
    p = tmp_path / "zero.wav"
    sf.write(p, np.zeros((0, 2), np.float32), SR)
    with pytest.raises(AudioReadError, match="no audio samples"):
        read_audio(p)


def test_folder_and_section_reading(tmp_path):
    with pytest.raises(AudioReadError, match="folder"):
        read_audio(tmp_path)
    p = write_audio(tmp_path / "long.wav", tone(seconds=2.0), SR)
    y, _ = read_audio(p, start_s=0.5, max_duration_s=1.0)
    assert y.shape == (2, SR)
    with pytest.raises(AudioReadError, match="too long"):
        read_audio(p, limit_duration_s=1.0)


def test_odd_rates_and_many_channels(tmp_path):
    x = np.random.default_rng(1).uniform(-0.3, 0.3, (8, 11025)).astype(np.float32)
    p = tmp_path / "eight.wav"
    sf.write(p, x.T, 11025, subtype="FLOAT")
    y, sr = read_audio(p, sample_rate=48000, channels=2)
    assert sr == 48000 and y.shape[0] == 2 and abs(y.shape[1] - 48000) <= 1


def test_resample_preserves_tone_frequency():
    x = tone(1000.0, seconds=1.0, sr=44100, channels=1)
    y = resample(x, 44100, 48000)
    assert y.shape == (1, 48000)
    spec = np.abs(np.fft.rfft(y[0]))
    assert abs(np.argmax(spec) * 48000 / y.shape[1] - 1000.0) < 2.0
    # anti-aliasing: a 20 kHz tone vanishes when going to 16 kHz
    hi = resample(tone(20000.0, seconds=1.0, channels=1), SR, 16000)
    assert np.sqrt(np.mean(hi**2)) < 1e-3


def test_channel_conversions():
    mono = tone(channels=1)
    st = to_channels(mono, 2)
    assert st.shape[0] == 2 and np.array_equal(st[0], st[1])
    back = to_channels(st, 1)
    assert np.allclose(back, mono)
    five1 = np.zeros((6, 100), np.float32)
    five1[2] = 1.0  # centre only
    five1[3] = 1.0  # LFE dropped
    lr = to_channels(five1, 2)
    expected = np.sqrt(0.5) / (1 + 2 * np.sqrt(0.5))
    assert np.allclose(lr, expected, atol=1e-6)
    full = np.ones((6, 10), np.float32)
    assert np.max(to_channels(full, 2)) <= 1.0 + 1e-6


def test_invalid_writes(tmp_path):
    with pytest.raises(ParameterError):
        write_audio(tmp_path / "x.mp4", tone(), SR, fmt="mp4")
    with pytest.raises(ParameterError):
        write_audio(tmp_path / "x.flac", tone(), SR, fmt="flac", bit_depth=32)
    with pytest.raises(ParameterError):
        write_audio(tmp_path / "x.flac", tone(), SR, fmt="flac", bext=Bext())
    with pytest.raises(Exception, match="folder does not exist"):
        write_audio(tmp_path / "nope" / "x.wav", tone(), SR)
