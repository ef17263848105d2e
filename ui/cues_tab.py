"""The UI's "Cue sheet" tab: upload a sheet, run it, audition and re-roll cues, download the zip.

:class:`CueHandlers` are the tab's event functions (plain Python over the service, unit-tested
without a browser); :func:`build_cue_tab` lays out the widgets inside the tab and wires the
events, each with an ``api_name`` (``cues``, ``cue_audition``, ``cue_reroll``, ``cues_zip``) so
the same job runs over the HTTP API. A job folder travels as text between calls and is accepted
only inside the service's output folder.
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from sfxgen.errors import ParameterError, SfxgenError

CUE_HEADERS = ["cue", "track", "tc in", "tc out", "description", "take", "seed", "candidate", "family",
               "LUFS", "notes"]
FPS_CHOICES = ["23.976", "24", "25", "29.97", "30"]


def _path(file) -> str | None:
    if not file:
        return None
    return file if isinstance(file, str) else getattr(file, "name", None)


class CueHandlers:
    """Event functions of the cue tab. Raise ``gr.Error`` with the service's message."""

    def __init__(self, service):
        self.svc = service

    def _job_dir(self, job_dir: str) -> Path:
        if not job_dir or not str(job_dir).strip():
            raise ParameterError("run a cue sheet first")
        p = Path(str(job_dir)).resolve()
        root = Path(self.svc.output_root).resolve()
        if root not in p.parents or not (p / "cue_report.json").is_file():
            raise ParameterError("that cue job is not one this service made (or it expired): run the sheet again")
        return p

    @staticmethod
    def _rows(job) -> list[list]:
        rows = []
        for r in job.cues:
            notes = "; ".join(([f"FAILED: {r.error}"] if r.error else []) + list(r.notes))
            rows.append([r.cue_id, r.track, r.tc_in, r.tc_out, r.description, r.take, r.seed, r.candidate,
                         r.family or "", "" if r.loudness_lufs is None else round(r.loudness_lufs, 1), notes])
        return rows

    @staticmethod
    def _status(job, what: str) -> str:
        m = job.manifest()
        parts = [f"{what}: **{m['cues']}** cues from {m['start_tc']} at {m['fps']} fps, stems "
                 + ", ".join(f"`{k}`" for k in m["stems"])]
        if m.get("mix"):
            d = m["deliveries"]
            parts.append("mix / M&E QC: " + " / ".join("PASS" if d[k]["passed"] else "FAIL" for k in ("mix", "me")))
        if m["failed"]:
            parts.append(f"failed: {', '.join(m['failed'])}")
        if m["rerolled"]:
            parts.append(f"re-rolled: {', '.join(m['rerolled'])}")
        return " · ".join(parts)

    def run(self, sheet, fps, preset, dia, mus, seed, progress=gr.Progress()):
        try:
            path = _path(sheet)
            if not path:
                raise ParameterError("upload a cue sheet (CSV, EDL, AAF or OTIO)")

            def report(done, total, message):
                progress(done / max(total, 1), desc=str(message)[:80])

            job = self.svc.cues(path, fps=fps, preset=preset, dia=_path(dia), mus=_path(mus),
                                seed=int(seed or 0), workers=2, on_progress=report)
        except SfxgenError as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        first = job.cues[0].cue_id if job.cues else None
        return job.out_dir, self._rows(job), self._status(job, "Conformed"), gr.update(
            choices=[r.cue_id for r in job.cues], value=first)

    def select(self, table, evt: gr.SelectData):
        try:
            row = evt.index[0]
            return str(table.iloc[row, 0]) if hasattr(table, "iloc") else str(table[row][0])
        except (IndexError, KeyError, TypeError):
            return gr.update()

    def audition(self, job_dir, cue_id):
        try:
            from sfxgen.post.job import load_state

            out = self._job_dir(job_dir)
            _, rows, _ = load_state(out)
            row = next((r for r in rows if r.cue_id == cue_id), None)
            if row is None or not row.file:
                raise ParameterError(f"cue {cue_id!r} has no audio (did its design fail?)")
            return str(out / row.file)
        except SfxgenError as exc:
            raise gr.Error(str(exc), print_exception=False) from None

    def reroll(self, job_dir, cue_id, how, progress=gr.Progress()):
        try:
            out = self._job_dir(job_dir)
            if not cue_id:
                raise ParameterError("choose the cue to re-roll")
            seed = -1 if how == "new seed" else None
            job = self.svc.reroll_cue(out, cue_id, seed=seed,
                                      on_progress=lambda d, t, m: progress(d / max(t, 1), desc=str(m)[:80]))
            row = next(r for r in job.cues if r.cue_id == cue_id)
            audio = str(out / row.file) if row.file else None
        except SfxgenError as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        return self._rows(job), self._status(job, "Re-rolled"), audio

    def zip(self, job_dir):
        try:
            return self.svc.cues_zip(self._job_dir(job_dir))
        except SfxgenError as exc:
            raise gr.Error(str(exc), print_exception=False) from None


def build_cue_tab(service, presets: list[str], *, queue: dict) -> CueHandlers:
    """Lay out the cue tab's widgets (call inside ``gr.Tab``) and wire its events."""
    h = CueHandlers(service)
    gr.Markdown("### Cue sheet → conformed stems\nUpload the spotting session's cue sheet (CSV with `cue_id, tc_in, "
                "tc_out` or `duration_s`, `track` FX/BG/FOLEY, `description`; or an EDL / AAF / OTIO timeline). "
                "Every cue is designed, placed on its frame, and conformed into one BWF stem per track, a DAW "
                "session (OTIO, AAF, Reaper) and a cue report; add DIA and MUS stems for the full mix and the M&E.")
    with gr.Row():
        with gr.Column(scale=2):
            sheet = gr.File(label="Cue sheet", file_types=[".csv", ".edl", ".aaf", ".otio"], elem_id="cue-sheet")
            with gr.Row():
                fps = gr.Dropdown(FPS_CHOICES, value="24", label="Frame rate (29.97 = drop-frame)", elem_id="cue-fps")
                preset = gr.Dropdown(presets, value="ebu-r128", label="Delivery preset", elem_id="cue-preset")
                seed = gr.Number(value=0, precision=0, label="Seed", elem_id="cue-seed")
        with gr.Column(scale=1):
            dia = gr.File(label="DIA stem (optional)", file_types=["audio"], elem_id="cue-dia")
            mus = gr.File(label="MUS stem (optional)", file_types=["audio"], elem_id="cue-mus")
    with gr.Row():
        run_btn = gr.Button("Design and conform", variant="primary", elem_id="cue-run")
        status = gr.Markdown("", elem_id="cue-status")
    job_dir = gr.Textbox(visible=False, elem_id="cue-job")
    table = gr.Dataframe(headers=CUE_HEADERS, interactive=False, wrap=True, elem_id="cue-table", label="Cues")
    with gr.Row():
        cue = gr.Dropdown([], label="Cue", allow_custom_value=True, elem_id="cue-id")
        audition_btn = gr.Button("Audition")
        how = gr.Radio(["next candidate", "new seed"], value="next candidate", label="Re-roll with")
        reroll_btn = gr.Button("Re-roll this cue", elem_id="cue-reroll")
    player = gr.Audio(label="Cue clip", type="filepath", interactive=False, elem_id="cue-audio")
    with gr.Row():
        zip_btn = gr.Button("Export zip", elem_id="cue-zip")
        zip_file = gr.File(label="Delivery zip", interactive=False)

    run_btn.click(h.run, [sheet, fps, preset, dia, mus, seed], [job_dir, table, status, cue], api_name="cues", **queue)
    table.select(h.select, [table], [cue], api_name="cue_select", api_visibility="private").then(
        h.audition, [job_dir, cue], [player], api_name="cue_audition_selected", api_visibility="private")
    audition_btn.click(h.audition, [job_dir, cue], [player], api_name="cue_audition")
    reroll_btn.click(h.reroll, [job_dir, cue, how], [table, status, player], api_name="cue_reroll", **queue)
    zip_btn.click(h.zip, [job_dir], [zip_file], api_name="cues_zip")
    return h
