"""CLI: ``sfxgen cues`` (cue sheet -> conformed stems, DAW session, report, mix/M&E) and
``sfxgen roomtone`` (matching room tone from a dialogue recording)."""

from __future__ import annotations

import json
import sys


def register(sub) -> None:
    p = sub.add_parser("cues", help="design every cue of a cue sheet and conform stems, a DAW session and an M&E")
    p.add_argument("sheet", help="cue sheet: CSV (cue_id, tc_in, tc_out|duration_s, track, description), "
                                 "or an EDL / AAF / OTIO timeline")
    p.add_argument("--fps", required=True, help="frame rate: 23.976, 24, 25, 29.97 (drop-frame) or 30")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--preset", default="ebu-r128", help="delivery preset (see `sfxgen presets`)")
    p.add_argument("--dia", default=None, help="dialogue stem: builds the full mix (and room tone cues match it)")
    p.add_argument("--mus", default=None, help="music stem: goes into the full mix and the M&E")
    p.add_argument("--seed", type=int, default=0, help="job seed (cues without their own seed derive theirs from it)")
    p.add_argument("--index", default=None, help="library index folder (default: library_index/ when it exists)")
    p.add_argument("--workers", type=int, default=2, help="cues designed at once (default 2)")
    p.add_argument("--reroll", metavar="CUE_ID", default=None,
                   help="re-roll one cue of the job already in --out (the others stay as they are)")
    p.add_argument("--reroll-seed", type=int, default=None, help="with --reroll: the new seed")
    p.add_argument("--candidate", type=int, default=None,
                   help="with --reroll: the design's candidate number (default: the next one)")
    p.add_argument("--json", action="store_true", help="print the manifest as JSON")
    p.set_defaults(func=_cues)

    r = sub.add_parser("roomtone", help="learn a recording's noise floor and synthesise matching room tone")
    r.add_argument("--match", required=True, help="the dialogue recording whose quiet passages to match")
    r.add_argument("--duration", type=float, required=True, help="seconds of room tone to make")
    r.add_argument("--out", default=None, help="output WAV (default: roomtone_<name>.wav here)")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--json", action="store_true", help="print what was made as JSON")
    r.set_defaults(func=_roomtone)


def _bar(total_hint: int = 1):
    from tqdm import tqdm

    bar = tqdm(total=total_hint, unit="cue", desc="cues", file=sys.stderr, dynamic_ncols=True)

    def update(done, total, message):
        bar.total = total
        bar.n = done
        bar.set_postfix_str(str(message)[:60])
        bar.refresh()

    return bar, update


def _cues(args) -> int:
    from sfxgen.service import SfxgenService

    service = SfxgenService(index_dir=args.index)
    bar, update = _bar()
    try:
        if args.reroll:
            job = service.reroll_cue(args.out, args.reroll, seed=args.reroll_seed, candidate=args.candidate,
                                     on_progress=update)
        else:
            job = service.cues(args.sheet, fps=args.fps, out_dir=args.out, preset=args.preset, dia=args.dia,
                               mus=args.mus, seed=args.seed, workers=args.workers, on_progress=update)
    finally:
        bar.close()
    m = job.manifest()
    if args.json:
        print(json.dumps(m, indent=2))
    else:
        for track, path in m["stems"].items():
            print(f"{track:6s} {path}")
        for key in ("otio", "aaf", "rpp", "report", "mix", "me"):
            if m.get(key):
                print(f"{key:6s} {m[key]}")
        for row in job.cues:
            if row.error:
                print(f"error: cue {row.cue_id}: {row.error}", file=sys.stderr)
        for note in m["notes"]:
            print(f"note: {note}", file=sys.stderr)
    failed_qc = [k for k, v in m.get("deliveries", {}).items() if not v["passed"]]
    return 1 if m["failed"] or failed_qc else 0


def _roomtone(args) -> int:
    from pathlib import Path

    from sfxgen.service import SfxgenService

    out = args.out or f"roomtone_{Path(args.match).stem}.wav"
    res = SfxgenService().roomtone(args.match, duration_s=args.duration, out=out, seed=args.seed)
    if args.json:
        print(json.dumps(res.to_dict(), indent=2))
    else:
        worst = max((abs(v) for v in res.band_diff_db.values()), default=0.0)
        print(f"{res.path}  ({res.duration_s:g} s, learned from {res.profile['quiet_s']:.1f} s of quiet passages, "
              f"floor {res.profile['floor_dbfs']:.1f} dBFS, band levels within {worst:.1f} dB)")
    return 0
