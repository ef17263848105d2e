"""``sfxgen loudness | normalize | qc | presets`` (argument mapping only; imports numpy/scipy when run).

Exit codes: 0 all good; 1 some file failed to read, failed QC, or missed its normalisation target
(the normalised file is still written, with the reason on stderr); 2 a usage or processing error.
Per-file problems print one ``error: PATH: problem`` line on stderr and the batch carries on.
"""

from __future__ import annotations

import argparse
import json
import sys

DELIVERY_RATE = 48000
DELIVERY_BITS = 24


def register(subparsers) -> None:
    p = subparsers.add_parser("loudness", help="measure BS.1770 / EBU R128 loudness of audio files")
    p.add_argument("files", nargs="+", metavar="FILE", help="audio files")
    p.add_argument("--json", action="store_true", help="one JSON object per line per file")
    p.set_defaults(func=_cmd_loudness)

    n = subparsers.add_parser(
        "normalize", help="normalise loudness to a delivery preset with true-peak limiting (48 kHz / 24-bit WAV)"
    )
    n.add_argument("input", metavar="IN", help="input audio file")
    n.add_argument("-o", "--output", required=True, metavar="OUT", help="output WAV (written atomically)")
    _preset_args(n)
    n.add_argument("--max-gain-reduction-db", type=float, default=12.0,
                   help="most peak limiting allowed to reach the target (default 12 dB)")
    n.add_argument("--json", action="store_true", help="print the result as one JSON object")
    n.set_defaults(func=_cmd_normalize)

    q = subparsers.add_parser("qc", help="delivery QC report of audio files against a preset (reports, never fixes)")
    q.add_argument("files", nargs="+", metavar="FILE", help="audio files")
    _preset_args(q)
    q.add_argument("--json", action="store_true", help="one JSON object per line per file")
    q.set_defaults(func=_cmd_qc)

    s = subparsers.add_parser("presets", help="list the loudness delivery presets")
    s.add_argument("--json", action="store_true", help="print the presets as a JSON list")
    s.set_defaults(func=_cmd_presets)


def _preset_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--preset", default="ebu-r128",
                        help="delivery preset (see `sfxgen presets`; 'custom' takes the two options below)")
    parser.add_argument("--target-lufs", type=float, default=None, help="custom preset: integrated target (LUFS)")
    parser.add_argument("--ceiling-dbtp", type=float, default=None, help="custom preset: true-peak ceiling (dBTP)")


def _preset(args):
    from sfxgen.errors import ParameterError
    from sfxgen.loudness.presets import get_preset

    custom = args.target_lufs is not None or args.ceiling_dbtp is not None
    if str(args.preset).lower() != "custom" and custom:
        raise ParameterError("--target-lufs / --ceiling-dbtp need --preset custom")
    return get_preset(args.preset, target_lufs=args.target_lufs, true_peak_ceiling_dbtp=args.ceiling_dbtp)


def _err(path, exc) -> None:
    msg = str(exc)
    if not msg.startswith(str(path)):
        msg = f"{path}: {msg}"
    print(f"error: {msg}", file=sys.stderr)


def _fmt(value, unit: str, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:.{digits}f} {unit}"


def _cmd_loudness(args) -> int:
    from sfxgen.errors import SfxgenError
    from sfxgen.loudness.stream import measure_file

    failed = 0
    for path in args.files:
        try:
            r = measure_file(path)  # block by block: memory does not grow with the file
        except SfxgenError as exc:
            _err(path, exc)
            failed += 1
            continue
        if args.json:
            print(json.dumps({"path": str(path), **r.to_dict()}), flush=True)
        else:
            print(f"{path}: I {_fmt(r.integrated_lufs, 'LUFS')}, LRA {_fmt(r.lra_lu, 'LU')}, "
                  f"TP {_fmt(r.true_peak_dbtp, 'dBTP')}, peak {_fmt(r.sample_peak_dbfs, 'dBFS')}, "
                  f"M max {_fmt(r.max_momentary_lufs, 'LUFS')}, S max {_fmt(r.max_short_term_lufs, 'LUFS')}, "
                  f"{r.duration_s:.3f} s, {r.sample_rate} Hz, {r.channels} ch", flush=True)
    return 1 if failed else 0


def _cmd_normalize(args) -> int:
    from sfxgen.audio import Bext, audio_info, read_audio, write_audio
    from sfxgen.errors import LoudnessError
    from sfxgen.loudness.normalize import normalize
    from sfxgen.loudness.stream import NORMALIZE_BYTES_PER_SAMPLE, check_memory

    spec = _preset(args)
    info = audio_info(args.input)
    frames_48k = int(info.frames * DELIVERY_RATE / info.sample_rate) + 1
    check_memory(args.input, frames_48k, info.channels, DELIVERY_RATE, bytes_per_sample=NORMALIZE_BYTES_PER_SAMPLE,
                 what="normalising")
    audio, sr = read_audio(args.input, sample_rate=DELIVERY_RATE)
    try:
        res = normalize(audio, sr, preset=spec, max_gain_reduction_db=args.max_gain_reduction_db)
    except LoudnessError as exc:
        raise LoudnessError(f"{args.input}: {exc}") from None
    a = res.after
    layout = {1: "mono", 2: "stereo"}.get(a.channels, f"{a.channels}ch")
    bext = Bext(
        description=f"sfxgen normalize: {spec.name} ({spec.target_lufs:g} LUFS, {spec.true_peak_ceiling_dbtp:g} dBTP)",
        **a.bext_fields(),
        coding_history=f"A=PCM,F={DELIVERY_RATE},W={DELIVERY_BITS},M={layout},T=sfxgen normalize {spec.name}\r\n",
    )
    write_audio(args.output, res.audio, sr, bit_depth=DELIVERY_BITS, fmt="wav", bext=bext)
    if args.json:
        print(json.dumps({"input": str(args.input), "output": str(args.output), **res.to_dict()}))
    else:
        b = res.before
        print(f"{args.output}: {spec.name}: {_fmt(b.integrated_lufs, 'LUFS')} -> {_fmt(a.integrated_lufs, 'LUFS')}, "
              f"gain {res.gain_db:+.2f} dB, limiter {res.max_gain_reduction_db:.1f} dB, "
              f"TP {_fmt(a.true_peak_dbtp, 'dBTP', 2)}")
    if not res.met_target:
        print(f"warning: {args.output}: target not met: {res.reason}", file=sys.stderr)
        return 1
    return 0


def _cmd_qc(args) -> int:
    from sfxgen.errors import SfxgenError
    from sfxgen.qc import qc_file

    spec = _preset(args)
    bad = 0
    for path in args.files:
        try:
            report = qc_file(path, preset=spec)
        except SfxgenError as exc:
            _err(path, exc)
            bad += 1
            continue
        if args.json:
            print(json.dumps(report.to_dict()), flush=True)
        else:
            print(report.to_text(), flush=True)
        bad += 0 if report.passed else 1
    return 1 if bad else 0


def _cmd_presets(args) -> int:
    from sfxgen.loudness.presets import PRESETS

    if args.json:
        print(json.dumps([p.to_dict() for p in PRESETS.values()]))
        return 0
    print(f"{'name':16} {'target':>10} {'tol':>7} {'ceiling':>10} {'max S':>9}  notes")
    for p in PRESETS.values():
        st = "-" if p.max_short_term_lufs is None else f"{p.max_short_term_lufs:g}"
        print(f"{p.name:16} {p.target_lufs:>6g} LUFS {p.tolerance_lu:>4g} LU {p.true_peak_ceiling_dbtp:>5g} dBTP "
              f"{st:>9}  {p.notes}")
    print(f"{'custom':16} --target-lufs X --ceiling-dbtp Y (default -1)")
    return 0
