"""The cue-sheet job: sheet in, conformed stems, DAW session, cue report (and mix / M&E) out.

:func:`run_cues` checks everything it can before any work (the sheet, the preset, DIA/MUS files,
room-tone references, a library for ``source=library`` cues), then designs each cue through the
service facade (:mod:`sfxgen.post.cuedesign`), fits it (:mod:`sfxgen.post.fit`) and writes it as
its own clip, then conforms: stems, sessions, report, deliveries. A cue whose design fails is
reported and the others carry on. :func:`reroll_cue` designs one cue again (a new seed, or the
design's next candidate), writes it as a new take and conforms again from the clip files: every
other cue's clip is left as it was, byte for byte.

Output folder (paths in the manifest are relative to it)::

    cues/<cue>_t<take>.wav       each cue's clip (48 kHz/24-bit BWF, TimeReference = its start)
    cues/<cue>_t<take>.recipe.json   the design's recipe (``sfxgen render`` replays it)
    stem_FX.wav, stem_BG.wav, stem_FOLEY.wav   one stem per track type used
    session.otio, session.aaf, session.rpp
    cue_report.csv, cue_report.json  (the JSON also holds the job's state, for re-rolls)
    mix.wav, me.wav, qc_mix.{json,txt}, qc_me.{json,txt}   with DIA and/or MUS
    manifest.json                what ``sfxgen cues --json`` prints
"""

from __future__ import annotations

import csv
import io
import json
import os
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Callable

from sfxgen.errors import CueSheetError, ParameterError, SfxgenError
from sfxgen.post.fit import FitInfo
from sfxgen.post.sheet import Cue, CueSheet

REPORT_JSON = "cue_report.json"
REPORT_CSV = "cue_report.csv"
REPORT_COLUMNS = ("cue_id", "track", "tc_in", "tc_out", "description", "source", "take", "rerolled", "seed",
                  "candidate", "family", "layers", "file", "recipe", "clip_tc", "transient_s", "head_cut_s",
                  "tail_cut_s", "gain_db", "loudness_lufs", "true_peak_dbtp", "loop_s", "seam_clean", "design_s",
                  "error", "notes")


@dataclass
class CueRow(FitInfo):
    """One cue in the report (and the job's state for re-rolls); the fit figures come from
    :class:`~sfxgen.post.fit.FitInfo`."""

    cue_id: str
    track: str
    tc_in: str
    tc_out: str
    description: str
    source: str
    take: int = 0
    rerolled: bool = False
    seed: int | None = None
    candidate: int = 0
    family: str | None = None
    layers: list = field(default_factory=list)
    file: str | None = None
    recipe: str | None = None
    clip_tc: str | None = None
    start_frame: int | None = None
    samples: int | None = None
    design_s: float | None = None
    error: str | None = None
    notes: list = field(default_factory=list)
    previous: list = field(default_factory=list)  # earlier takes: {take, seed, candidate, file}

    def csv_row(self) -> list:
        d = asdict(self)
        d["layers"] = "; ".join(f"{l['role']}: {l['source']}" for l in self.layers)
        d["loop_s"] = (self.loop or {}).get("loop_s", "")
        d["seam_clean"] = (self.loop or {}).get("seam_clean", "")
        d["notes"] = "; ".join(self.notes)
        return ["" if d.get(k) is None else d.get(k) for k in REPORT_COLUMNS]


@dataclass
class CueJobResult:
    """What a cue-sheet run (or re-roll) wrote. :meth:`manifest` is the ``--json`` output."""

    out_dir: str
    fps: str
    preset: str
    start_tc: str
    time_reference: int
    stems: dict[str, str]
    otio: str
    aaf: str
    rpp: str
    report: str
    report_json: str
    cues: list[CueRow]
    mix: str | None = None
    me: str | None = None
    qc: dict = field(default_factory=dict)
    deliveries: dict = field(default_factory=dict)
    stem_info: dict = field(default_factory=dict)
    rerolled: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def manifest(self) -> dict:
        d = {"out_dir": self.out_dir, "fps": self.fps, "preset": self.preset, "start_tc": self.start_tc,
             "time_reference": self.time_reference, "stems": dict(self.stems), "otio": self.otio, "aaf": self.aaf,
             "rpp": self.rpp, "report": self.report, "report_json": self.report_json,
             "cues": len(self.cues), "failed": list(self.failed), "rerolled": list(self.rerolled),
             "stem_info": self.stem_info, "notes": list(self.notes)}
        if self.mix:
            d.update(mix=self.mix, me=self.me, qc=self.qc, deliveries=self.deliveries)
        return d

    def to_dict(self) -> dict:
        return {**self.manifest(), "cue_rows": [asdict(r) for r in self.cues]}


def cue_seed(job_seed: int, cue: Cue) -> int:
    """The seed a cue designs with: its own ``seed``, else one derived from the job seed and its
    id (adding or moving other cues changes nothing)."""
    if cue.seed is not None:
        return int(cue.seed)
    return (int(job_seed) * 1_000_003 + zlib.crc32(cue.cue_id.encode("utf-8"))) % (2**31)


def _rel(path, root: Path) -> str:
    return Path(path).resolve().relative_to(root.resolve()).as_posix()


def _check(service, sheet: CueSheet, *, preset: str, dia, mus, sheet_dir: Path | None) -> dict:
    """Everything checkable before any work; returns the room-tone references by cue id."""
    from sfxgen.audio import audio_info
    from sfxgen.loudness import get_preset

    get_preset(preset)
    for c in sheet.cues:
        if c.preset:
            get_preset(c.preset)
    problems = []
    for what, path in (("--dia", dia), ("--mus", mus)):
        if path:
            try:
                audio_info(path)
            except SfxgenError as exc:
                problems.append(f"{what}: {exc}")
    matches = {}
    for c in sheet.cues:
        if c.source != "roomtone":
            continue
        if c.match:
            base = (sheet_dir or Path.cwd()).resolve()
            p = (base / c.match).resolve()
            if base not in p.parents:  # a sheet names files beside it, never elsewhere on the machine
                problems.append(f"{c.where} (cue {c.cue_id}): match {c.match!r} must be a file in the sheet's folder")
                continue
            try:
                audio_info(p)
                matches[c.cue_id] = str(p)
            except SfxgenError as exc:
                problems.append(f"{c.where} (cue {c.cue_id}): match {exc}")
        elif dia:
            matches[c.cue_id] = str(dia)
        else:
            problems.append(f"{c.where} (cue {c.cue_id}): source 'roomtone' needs a 'match' recording or --dia")
    if any(c.source == "library" for c in sheet.cues):
        try:
            ok = service.library_stats().get("ok", 0)
        except SfxgenError:
            ok = 0
        if not ok:
            first = next(c for c in sheet.cues if c.source == "library")
            problems.append(f"{first.where} (cue {first.cue_id}): source 'library' but the library index is empty "
                            "(index a library with `sfxgen index`, or use source generate)")
    if problems:
        raise CueSheetError(Path(sheet.origin).name or "cue sheet", problems)
    return matches


def _make_take(service, sheet: CueSheet, cue: Cue, row: CueRow, out: Path, *, preset: str, seed: int,
               candidate: int, match_path: str | None, match_cache: dict) -> CueRow:
    """Design, fit and write one take of ``cue``; fills ``row`` (error recorded, not raised)."""
    from sfxgen.audio import read_audio, write_audio
    from sfxgen.export import write_text_atomic
    from sfxgen.loudness import get_preset
    from sfxgen.post import conform, cuedesign, fit

    rate = sheet.rate
    p = get_preset(cue.preset or preset)
    cue_s = None if cue.end_frame is None else rate.seconds(cue.length_frames())
    row.seed, row.candidate, row.error = int(seed), int(candidate), None
    try:
        match_audio = None
        if cue.source == "roomtone":
            if match_path not in match_cache:
                match_cache[match_path] = read_audio(match_path)
            match_audio = match_cache[match_path]
        take = cuedesign.design_cue(service, cue, cue_s=cue_s, preset=p.name, seed=seed, variation=candidate,
                                    match_audio=match_audio)
        sr = take.sample_rate
        if cue.track == "BG":
            placed = fit.place_bed(take.audio, sr, rate=rate, in_frame=cue.start_frame, out_frame=cue.end_frame,
                                   loop=cue.source != "roomtone")
        else:
            placed = fit.place_oneshot(take.audio, sr, rate=rate, in_frame=cue.start_frame, out_frame=cue.end_frame,
                                       floor_frame=sheet.start_frame)
        fit.set_level(placed, sr, target_lufs=p.target_lufs, ceiling_dbtp=p.true_peak_ceiling_dbtp,
                      offset_db=fit.TRACK_LEVEL_LU[cue.track] + cue.gain_db, measure_only=cue.source == "roomtone")
        if cue.source == "roomtone" and cue.gain_db:
            import numpy as np

            placed.audio = (placed.audio * np.float32(10 ** (cue.gain_db / 20))).astype(np.float32)
            placed.gain_db = cue.gain_db
    except SfxgenError as exc:
        row.error = str(exc)
        return row
    row.take += 1
    base = f"{cue.file_id}_t{row.take}"
    (out / "cues").mkdir(parents=True, exist_ok=True)
    wav = write_audio(out / "cues" / f"{base}.wav", placed.audio, sr, bit_depth=24,
                      bext=conform.bwf(f"{cue.cue_id}: {cue.description}"[:256],
                                       time_reference=rate.sample(placed.start_frame, sr)))
    row.recipe = None
    if take.recipe is not None:
        row.recipe = _rel(write_text_atomic(out / "cues" / f"{base}.recipe.json",
                                            json.dumps(take.recipe, indent=2) + "\n"), out)
    row.file = _rel(wav, out)
    row.family, row.layers, row.design_s = take.family, take.layers, round(take.design_s, 3)
    row.start_frame, row.samples = placed.start_frame, int(placed.audio.shape[1])
    row.clip_tc = rate.format(placed.start_frame)
    for f in fields(FitInfo):
        v = getattr(placed, f.name)
        setattr(row, f.name, round(v, 4) if isinstance(v, float) else v)
    row.loop = placed.loop or take.loop
    row.notes = take.notes + placed.notes
    return row


def _new_row(sheet: CueSheet, cue: Cue) -> CueRow:
    rate = sheet.rate
    return CueRow(cue_id=cue.cue_id, track=cue.track, tc_in=rate.format(cue.start_frame),
                  tc_out="" if cue.end_frame is None else rate.format(cue.end_frame), description=cue.description,
                  source=cue.source)


def run_cues(service, sheet: CueSheet, out_dir, *, preset: str = "ebu-r128", dia=None, mus=None, seed: int = 0,
             workers: int = 1, sheet_dir=None, on_progress: Callable | None = None) -> CueJobResult:
    """Design every cue of ``sheet`` and conform (see the module docstring). ``on_progress(done,
    total, message)`` is called as cues finish; ``workers`` designs that many cues at once."""
    matches = _check(service, sheet, preset=preset, dia=dia, mus=mus,
                     sheet_dir=Path(sheet_dir) if sheet_dir else Path(sheet.origin).parent if sheet.origin else None)
    out = Path(out_dir).expanduser()
    out.mkdir(parents=True, exist_ok=True)
    rows = [_new_row(sheet, c) for c in sheet.cues]
    cache: dict = {}
    total = len(sheet.cues)
    done = 0

    def one(i):
        c = sheet.cues[i]
        return _make_take(service, sheet, c, rows[i], out, preset=preset, seed=cue_seed(seed, c), candidate=0,
                          match_path=matches.get(c.cue_id), match_cache=cache)

    if on_progress:
        on_progress(0, total + 1, "designing cues")
    with ThreadPoolExecutor(max_workers=max(1, int(workers))) as pool:
        for row in pool.map(one, range(total)):
            done += 1
            if on_progress:
                on_progress(done, total + 1, f"{row.cue_id}: {'FAILED ' + row.error if row.error else row.file}")
    state = {"sheet": sheet.to_dict(), "preset": preset, "seed": int(seed), "dia": _abs(dia), "mus": _abs(mus),
             "matches": matches}
    result = conform_job(out, sheet, rows, state=state)
    if on_progress:
        on_progress(total + 1, total + 1, "conformed")
    return result


def _abs(p):
    return None if not p else str(Path(p).resolve())


def load_state(out_dir) -> tuple[CueSheet, list[CueRow], dict]:
    """The sheet, report rows and settings of the job in ``out_dir`` (from its cue_report.json)."""
    path = Path(out_dir) / REPORT_JSON
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        state = data["state"]
        sheet = CueSheet.from_dict(state["sheet"])
        rows = [CueRow(**r) for r in data["cues"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ParameterError(f"{out_dir}: not a cue-sheet output folder (cannot read {REPORT_JSON}: {exc})") from None
    return sheet, rows, state


def reroll_cue(service, out_dir, cue_id: str, *, seed: int | None = None, candidate: int | None = None,
               on_progress: Callable | None = None) -> CueJobResult:
    """Re-roll one cue of the job in ``out_dir``: a new ``seed``, or ``candidate`` (the design's
    k-th candidate); neither = the next candidate. Other cues are untouched."""
    out = Path(out_dir)
    sheet, rows, state = load_state(out)
    cue = sheet.cue(cue_id)
    row = next(r for r in rows if r.cue_id == cue.cue_id)
    if seed is None and candidate is None:
        candidate = row.candidate + 1
    new_seed = int(seed) if seed is not None else (row.seed if row.seed is not None else cue_seed(state["seed"], cue))
    new_cand = int(candidate) if candidate is not None else 0
    before = {"take": row.take, "seed": row.seed, "candidate": row.candidate, "file": row.file}
    if on_progress:
        on_progress(0, 2, f"re-rolling {cue.cue_id}")
    _make_take(service, sheet, cue, row, out, preset=state["preset"], seed=new_seed, candidate=new_cand,
               match_path=state.get("matches", {}).get(cue.cue_id), match_cache={})
    if row.error is not None and before["file"]:
        # nothing written is lost: the job's report still names the previous take
        raise SfxgenError(f"cue {cue.cue_id}: the re-roll failed ({row.error}); take {before['take']} stays")
    if before["file"]:
        row.previous.append(before)
    row.rerolled = row.error is None
    if on_progress:
        on_progress(1, 2, f"{cue.cue_id}: {'FAILED ' + row.error if row.error else row.file}")
    result = conform_job(out, sheet, rows, state=state, rerolled=[cue.cue_id])
    if on_progress:
        on_progress(2, 2, "conformed")
    return result


def conform_job(out: Path, sheet: CueSheet, rows: list[CueRow], *, state: dict, rerolled=()) -> CueJobResult:
    """Stems, sessions, report and deliveries from the clip files the rows name."""
    import numpy as np

    from sfxgen.audio import read_audio
    from sfxgen.export import write_text_atomic
    from sfxgen.loudness import get_preset
    from sfxgen.post import conform, session

    rate, sr = sheet.rate, conform.SAMPLE_RATE
    preset = get_preset(state["preset"])
    start = sheet.start_frame
    origin = rate.sample(start, sr)
    ok = [r for r in rows if r.file and r.error is None]
    ends = [rate.sample(r.start_frame, sr) + r.samples for r in ok]
    ends += [rate.sample(c.end_frame, sr) for c in sheet.cues if c.end_frame is not None]
    n = max(ends) - origin if ends else sr
    clips = {r.cue_id: read_audio(out / r.file)[0] for r in ok}
    stems, stem_info, notes = {}, {}, []
    for track in conform.TRACK_ORDER:
        mine = [r for r in ok if r.track == track]
        if not mine and not any(c.track == track for c in sheet.cues):
            continue
        audio = conform.sum_clips(((rate.sample(r.start_frame, sr) - origin, clips[r.cue_id]) for r in mine), n)
        audio, loud, limited = conform.limit_to(audio, ceiling_dbtp=preset.true_peak_ceiling_dbtp)
        path = conform.write_stem(out / f"stem_{track}.wav", audio, description=f"{track} stem from {rate.format(start)}",
                                  time_reference=origin, loud=loud)
        stems[track] = audio
        stem_info[track] = {"path": _rel(path, out), "cues": len(mine), "loudness_lufs": loud.integrated_lufs,
                            "true_peak_dbtp": loud.true_peak_dbtp, "limited_db": round(limited, 2)}
        if limited > 0:
            notes.append(f"{track} stem: overlapping cues passed {preset.true_peak_ceiling_dbtp:g} dBTP; "
                         f"limited by up to {limited:.1f} dB")
    sclips = [session.SessionClip(cue_id=r.cue_id, track=r.track, name=f"{r.cue_id} {r.description}"[:120],
                                  file=r.file, start_frame=r.start_frame,
                                  frames=_frames(rate, r.start_frame, r.samples, sr), samples=r.samples) for r in ok]
    name = Path(sheet.origin).stem or "cues"
    tl = session.build_timeline(sclips, rate=rate, start_frame=start, name=name)
    otio_path = session.write_otio(tl, out / "session.otio")
    aaf_path = session.write_aaf(tl, out / "session.aaf", drop_frame=rate.drop_frame)
    rpp_path = session.write_rpp(sclips, out / "session.rpp", rate=rate, start_frame=start)
    result = CueJobResult(out_dir=str(out), fps=rate.name, preset=preset.name, start_tc=rate.format(start),
                          time_reference=origin, stems={k: v["path"] for k, v in stem_info.items()},
                          otio=_rel(otio_path, out), aaf=_rel(aaf_path, out), rpp=_rel(rpp_path, out),
                          report=REPORT_CSV, report_json=REPORT_JSON, cues=rows, stem_info=stem_info,
                          rerolled=list(rerolled), failed=[r.cue_id for r in rows if r.error], notes=notes)
    if state.get("dia") or state.get("mus"):
        _deliveries(out, result, stems, n, origin, state, preset)
    write_text_atomic(out / REPORT_JSON, json.dumps({**result.to_dict(), "cues": [asdict(r) for r in rows],
                                                     "state": state}, indent=2, default=str) + "\n")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(REPORT_COLUMNS)
    w.writerows(r.csv_row() for r in rows)
    write_text_atomic(out / REPORT_CSV, buf.getvalue())
    from sfxgen.paths import portable

    write_text_atomic(out / "manifest.json", json.dumps(portable(result.manifest(), out), indent=2) + "\n")
    return result


def _frames(rate, start_frame: int, samples: int, sr: int) -> int:
    """Frames a clip of ``samples`` starting on ``start_frame`` spans (it ends on a frame boundary)."""
    end = rate.sample(start_frame, sr) + samples
    f = start_frame + max(1, rate.frames_of(samples / sr))
    while rate.sample(f, sr) < end:
        f += 1
    while f - 1 > start_frame and rate.sample(f - 1, sr) >= end:
        f -= 1
    return f - start_frame


def _deliveries(out: Path, result: CueJobResult, stems: dict, n: int, origin: int, state: dict, preset) -> None:
    """Full mix (everything) and M&E (no DIA), normalised, QC'd, written."""
    from sfxgen.export import write_text_atomic
    from sfxgen.post import conform

    dia = mus = None
    if state.get("dia"):
        dia, nd = conform.read_external(state["dia"], start_sample=origin, n=n, what="DIA")
        result.notes.extend(nd)
    if state.get("mus"):
        mus, nm = conform.read_external(state["mus"], start_sample=origin, n=n, what="MUS")
        result.notes.extend(nm)
    me_parts = list(stems.values()) + ([mus] if mus is not None else [])
    for key, parts, label in (("me", me_parts, "M&E (FX+BG+FOLEY+MUS, no DIA)"),
                              ("mix", me_parts + ([dia] if dia is not None else []), "full mix")):
        path = out / f"{key}.wav"
        d = conform.deliver(key, parts, preset=preset, path=str(path))
        conform.write_stem(path, d.audio, description=f"{label}, {preset.name}", time_reference=origin, loud=d.loudness)
        qj = write_text_atomic(out / f"qc_{key}.json", json.dumps(d.qc, indent=2) + "\n")
        write_text_atomic(out / f"qc_{key}.txt", d.qc_text + "\n")
        setattr(result, key, _rel(path, out))
        result.qc[key] = _rel(qj, out)
        result.deliveries[key] = {"passed": d.passed, "integrated_lufs": d.normalize["after"]["integrated_lufs"],
                                  "true_peak_dbtp": d.normalize["after"]["true_peak_dbtp"], "notes": d.notes}


def zip_outputs(out_dir, zip_path=None) -> str:
    """Zip the job's deliverables (everything but earlier takes) next to ``out_dir``."""
    import zipfile

    out = Path(out_dir)
    _, rows, _ = load_state(out)
    current = {r.file for r in rows if r.file} | {r.recipe for r in rows if r.recipe}
    zpath = Path(zip_path) if zip_path else out.with_name(f"{out.name}.zip")
    tmp = zpath.with_name(f".{zpath.name}.part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for f in sorted(out.rglob("*")):
            rel = f.relative_to(out).as_posix()
            if not f.is_file() or f.name.startswith(".") or (rel.startswith("cues/") and rel not in current):
                continue
            z.write(f, arcname=f"{out.name}/{rel}")
    os.replace(tmp, zpath)
    return str(zpath)


__all__ = ["CueRow", "CueJobResult", "run_cues", "reroll_cue", "conform_job", "load_state", "cue_seed", "zip_outputs"]
