"""The sfxgen web UI: a ``gr.Blocks`` app over a :class:`sfxgen.service.SfxgenService`.

``build_app(service)`` maps widgets onto the service; :class:`Handlers` holds the event
functions (plain Python, unit-tested without a browser); ``launch(service, ...)`` serves it with
queues, upload limits and ``allowed_paths`` restricted to the service's output folder and the
library roots. Every event has an ``api_name`` (see ``ui/README.md`` for the HTTP API).
No logic lives here: values are converted and handed to the service.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from sfxgen.errors import SfxgenError  # noqa: E402

MAX_SLOTS = 4  # candidate players shown at once
N_SLIDERS = 16
#: What each common patch parameter means (slider help); a family's own parameters show their doc,
#: unit and range from the family module (``service.families``).
PARAM_HELP = {
    "pitch": "−24 … +24 semitones", "size": "tiny … huge", "brightness": "dark … bright",
    "attack": "1 ms … 2 s", "decay": "30 ms … 8 s", "distance": "close … far",
    "space": "dry … 8 s reverb", "width": "mono … wide", "intensity": "gentle … violent",
    "rate": "¼× … 4× speed",
}
AUX_HELP = "family control"
COMMON_PARAMS = tuple(PARAM_HELP)
RESULT_HEADERS = ["id", "file", "category", "duration (s)", "channels", "rate (Hz)", "relevance", "description"]
RESULT_WIDTHS = ["5%", "31%", "12%", "8%", "7%", "7%", "6%", "24%"]
LAYER_HEADERS = ["name", "role", "source", "gain dB", "offset ms", "fade in ms", "fade out ms", "EQ bands",
                 "reverb send dB", "mute"]
LAYER_WIDTHS = ["8%", "8%", "20%", "7%", "8%", "8%", "8%", "18%", "8%", "7%"]
FAILURE_HEADERS = ["file", "problem"]
CSS = """
.sfx-small textarea {font-size: 0.85em}
.sfx-cards {display: flex; flex-direction: column; gap: 6px}
.sfx-card {display: flex; gap: 12px; align-items: center; border: 1px solid #ddd; border-radius: 6px; padding: 6px}
.sfx-wave {cursor: pointer} .sfx-info {flex: 1} .sfx-name {font-weight: 600} .sfx-facts {font-size: 0.85em; color: #555}
.sfx-card audio {height: 28px; margin-top: 4px} .sfx-card mark {background: #ffe27a}
.sfx-actions {display: flex; flex-direction: column; gap: 4px} .sfx-drag {cursor: grab; font-size: 0.85em}
#sfx-title h1 {margin-bottom: 0}
"""


def _errors(fn):
    """Turn sfxgen errors into a UI error message (and an API error) instead of a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except SfxgenError as exc:
            raise gr.Error(str(exc), print_exception=False) from None

    return wrapper


def _fmt(v, unit: str, digits: int = 1) -> str:
    return "—" if v is None else f"{v:.{digits}f} {unit}"


def _highlight(text: str, words) -> str:
    """``text`` HTML-escaped, with case-insensitive occurrences of ``words`` in ``<mark>``."""
    import html
    import re

    words = sorted({w for w in words if w}, key=len, reverse=True)
    if not words:
        return html.escape(text)
    parts = re.split(f"(?i)({'|'.join(re.escape(w) for w in words)})", text)
    return "".join(f"<mark>{html.escape(p)}</mark>" if i % 2 else html.escape(p) for i, p in enumerate(parts))


def _waveform_svg(peaks, *, width: int = 160, height: int = 40) -> str:
    """A mirrored peak outline as an inline SVG (an empty box when there are no peaks)."""
    if not peaks:
        return f"<svg width='{width}' height='{height}'><rect width='100%' height='100%' fill='#eee'/></svg>"
    n = len(peaks)
    mid = height / 2
    top = " ".join(f"{i * width / (n - 1 or 1):.1f},{mid - max(p, 0.01) * mid:.1f}" for i, p in enumerate(peaks))
    bot = " ".join(f"{i * width / (n - 1 or 1):.1f},{mid + max(p, 0.01) * mid:.1f}" for i, p in reversed(list(enumerate(peaks))))
    return (f"<svg width='{width}' height='{height}' viewBox='0 0 {width} {height}'>"
            f"<polygon points='{top} {bot}' fill='#4a7bd0'/></svg>")


def _recipe_text(recipe: dict | None) -> str:
    return "" if not recipe else json.dumps(recipe, indent=2)


class Handlers:
    """Event functions: widget values in, widget values/updates out. Raise ``gr.Error``."""

    def __init__(self, service):
        self.svc = service

    # ---------------------------------------------------------------- generate tab
    def _slots(self, result) -> list:
        out = []
        for i in range(MAX_SLOTS):
            if i < len(result.candidates):
                c = result.candidates[i]
                score = "" if c.score is None else f" · match {c.score:.2f}"
                label = f"{i + 1}: {c.family or result.model_id}{score}"
                out += [gr.update(value=c.audio_path, label=label, visible=True),
                        gr.update(value=c.spectrogram_path, visible=True)]
            else:
                out += [gr.update(value=None, visible=False), gr.update(value=None, visible=False)]
        return out

    def _after_generate(self, result) -> tuple:
        cands = [c.to_dict() for c in result.candidates]
        hero = cands[0]["hero"] if cands else {}
        ranked = any(c.score is not None for c in result.candidates)
        status = (f"{len(cands)} candidate(s) from **{result.model_id}** with seeds {result.seed}"
                  + (f"–{result.seed + len(cands) - 1}" if len(cands) > 1 else "")
                  + (", best match first" if ranked else "")
                  + " (each picture shows its seed; that seed with 1 variation remakes it). "
                  "Pick one below to edit it or use it as the hero.")
        match = getattr(result, "family_match", None)
        if match and match.get("low"):
            from sfxgen.generate.confidence import low_confidence_message

            status = "**" + low_confidence_message(result.prompt, match) + "**\n\n" + status
        return (result.seed, status, cands, *self._slots(result),
                gr.update(value="1" if cands else None), hero, *self._slider_updates(hero))

    @_errors
    def generate(self, prompt, negative_prompt, duration_s, variations, seed, steps, guidance, model,
                 progress=gr.Progress()):
        progress(0.1, desc="generating")
        res = self.svc.generate(prompt, negative_prompt=negative_prompt or None,
                                duration_s=float(duration_s or 0) or None, variations=int(variations),
                                seed=int(seed if seed is not None else -1), steps=int(steps),
                                guidance=float(guidance), model=model or None)
        return self._after_generate(res)

    def _family_help(self, family: str | None) -> dict[str, tuple[str, str]]:
        """{parameter name: (label with unit, help text)} of a family's own parameters."""
        if not family:
            return {}
        try:
            fams = self.svc.families(family)
        except SfxgenError:
            return {}
        out = {}
        for p in fams[0]["params"]:
            unit = "" if p.get("choices") else f" ({p['unit']})" if p["unit"] else ""
            out[p["name"]] = (p["name"] + unit, f"{p['doc']} [{p['range']}]")
        return out

    def _slider_updates(self, hero: dict | None) -> list:
        patch = (hero or {}).get("patch") or {}
        params = patch.get("params") or {}
        names = list(params)
        own = self._family_help(patch.get("family"))
        ups = []
        for i in range(N_SLIDERS):
            if i < len(names) and not (i >= len(COMMON_PARAMS) and names[i].startswith("aux")):
                n = names[i]
                label, info = own.get(n, (n, PARAM_HELP.get(n, AUX_HELP)))
                ups.append(gr.update(label=label, value=round(float(params[n]), 2), visible=True, info=info))
            else:
                ups.append(gr.update(visible=False, value=0.0))  # unused aux slot, or a waveform model
        return ups

    @_errors
    def select_candidate(self, candidates, choice):
        cands = candidates or []
        try:
            idx = int(choice) - 1
        except (TypeError, ValueError):
            idx = 0
        if not cands or not 0 <= idx < len(cands):
            raise gr.Error("generate candidates first, then pick one")
        hero = cands[idx]["hero"]
        fam = hero.get("patch", {}).get("family", "waveform model")
        return hero, f"Chosen: candidate {idx + 1} ({fam}, seed {hero.get('seed')})", *self._slider_updates(hero)

    @_errors
    def edit_hero(self, hero, pitch, size, brightness, attack, decay, distance, space, width, intensity, rate,
                  aux1, aux2, aux3, aux4, aux5, aux6):
        """Slider values are in patch order: the ten common parameters, then the family's aux ones."""
        values = (pitch, size, brightness, attack, decay, distance, space, width, intensity, rate,
                  aux1, aux2, aux3, aux4, aux5, aux6)
        if not hero or not hero.get("patch"):
            raise gr.Error("pick a generated candidate first (this model's candidates have no editable parameters)")
        current = hero["patch"]["params"]
        names = list(current)
        # sliders show 2 decimals: a value within half a step of the hero's is "unchanged"
        changes = {n: float(v) for i, (n, v) in enumerate(zip(names, values))
                   if v is not None and not (i >= len(COMMON_PARAMS) and n.startswith("aux"))
                   and abs(float(v) - float(current[n])) > 0.0051}
        if not changes:
            raise gr.Error("move a parameter slider first: nothing changed")
        info = self.svc.edit_hero(hero, changes)
        return (gr.update(value=info.audio_path, label=f"Edited hero: {info.family} (seed {info.seed})", visible=True),
                gr.update(value=info.spectrogram_path, visible=True), info.hero,
                "Re-rendered with the new parameters; 'Use as hero' now takes this edited version.")

    @staticmethod
    def element_rows(hero: dict | None) -> list[list]:
        """The composed hero's elements as table rows: #, name, role, level (dB), onset (ms), state."""
        comp = (hero or {}).get("composition") or {}
        return [[i + 1, e["family"], e["role"], round(float(e["gain_db"]), 1), round(float(e["onset_ms"])),
                 "muted" if e.get("muted") else "on"] for i, e in enumerate(comp.get("elements", []))]

    @_errors
    def element_edit(self, op, hero, element, family, seed):
        """Mute / unmute / solo / re-roll / swap one element of the chosen hero and re-render it."""
        if not hero or not hero.get("composition"):
            raise gr.Error("pick a composed candidate first (its elements are listed above)")
        try:
            index = int(element) - 1
        except (TypeError, ValueError):
            raise gr.Error("type the number of the element to change (1 = the main source)") from None
        info = self.svc.edit_element(hero, op, index, family=family or None,
                                     seed=None if seed is None or int(seed) < 0 else int(seed))
        e = info.hero["edited"]
        msg = f"{op} element {index + 1} ({e['family']}, {e['role']}); the other elements are unchanged."
        return (gr.update(value=info.audio_path, label=f"Edited hero: {op} element {index + 1} (seed {info.seed})",
                          visible=True),
                gr.update(value=info.spectrogram_path, visible=True), info.hero, self.element_rows(info.hero), msg)

    def element_op(self, op: str):
        def run(hero, element, family, seed):
            return self.element_edit(op, hero, element, family, seed)

        run.__name__ = f"element_{op}"
        return run

    @_errors
    def more_like_this(self, hero, prompt, strength, variations, seed, steps, guidance, progress=gr.Progress()):
        if not hero or not hero.get("patch"):
            raise gr.Error("pick a generated candidate first")
        progress(0.1, desc="varying")
        res = self.svc.more_like_this(hero, prompt=prompt or None, strength=float(strength),
                                      variations=int(variations), seed=int(seed if seed is not None else -1),
                                      steps=int(steps), guidance=float(guidance))
        return self._after_generate(res)

    @_errors
    def use_as_hero(self, recipe_text, hero):
        recipe = self.svc.use_as_hero(recipe_text or None, hero)
        n = len(recipe["layers"])
        return (_recipe_text(recipe), self.svc.layer_table(recipe),
                f"Hero set in recipe **{recipe['name']}** ({n} layer{'s' if n != 1 else ''}).",
                f"Hero sent to recipe **{recipe['name']}**: add library layers on the *Library* tab, then render "
                "and export on *Layer & export*.")

    # ---------------------------------------------------------------- library tab
    def _stats_md(self, stats: dict) -> str:
        mins = stats.get("total_duration_s", 0.0) / 60.0
        model = stats.get("audio_model_id") or "not set yet"
        return (f"**{stats.get('ok', 0)}** files indexed ({mins:.1f} min of audio), "
                f"**{stats.get('failed', 0)}** could not be read · audio model `{model}` · "
                f"index `{stats.get('index_dir')}`")

    @_errors
    def library_stats(self):
        return self._stats_md(self.svc.library_stats()), [[f["path"], f["error"]] for f in self.svc.failures()]

    @_errors
    def index_folder(self, folder, progress=gr.Progress()):
        if not folder or not str(folder).strip():
            raise gr.Error("type the path of a folder on this computer to index")

        def on_progress(p):
            progress((p.done, p.total), desc=f"indexing {Path(p.path).name}", unit="files")

        progress(0.0, desc="scanning")
        rep = self.svc.index([str(folder).strip()], on_progress=on_progress)
        s = rep.summary
        status = (f"Indexed {s['indexed']} new/changed, {s['unchanged']} unchanged, {s['removed']} removed, "
                  f"{len(rep.failures)} failed in {s['elapsed_s']:.1f} s.")
        return self._stats_md(rep.stats), [[f["path"], f["error"]] for f in rep.failures], status

    @staticmethod
    def _rows(result) -> list[list]:
        return [[h.id, Path(h.path).name, " / ".join(x for x in (h.category, h.subcategory) if x) or "",
                 None if h.duration_s is None else round(h.duration_s, 2), h.channels, h.sample_rate,
                 round(float(h.score), 3), h.description or ""] for h in result.hits]

    @_errors
    def search(self, text, mode, top_k, min_duration_s, max_duration_s, category, channels, path_glob):
        filters = {"min_duration_s": float(min_duration_s) if min_duration_s else None,
                   "max_duration_s": float(max_duration_s) if max_duration_s else None,
                   "category": (category or "").strip() or None,
                   "channels": int(channels) if channels not in (None, "", "any") else None,
                   "path_glob": (path_glob or "").strip() or None}
        res = self.svc.search(text, top_k=int(top_k), mode=mode, filters=filters)
        rows = self._rows(res)
        first = rows[0][0] if rows else None
        understood = f" Understood: {'; '.join(res.notes)}." if res.notes else ""
        return rows, first, (f"{len(rows)} result(s) for “{text}” ({mode}; relevance = estimated chance the file "
                             f"is what you asked for).{understood} Click a row or a waveform to audition it.")

    def result_cards(self, table, query=None) -> str:
        """The result list as cards: waveform, duration, channels, loudness, UCS category, matched
        words highlighted, a player, "find similar" and a drag-out handle per file."""
        import html

        rows = table.values.tolist() if hasattr(table, "values") else (table or [])
        ids = [int(r[0]) for r in rows if r and r[0] not in (None, "")]
        score = {int(r[0]): r[6] for r in rows if r and r[0] not in (None, "")}
        try:
            details = self.svc.result_details(ids, query=query or None)
        except SfxgenError:
            return ""
        cards = []
        for d in details:
            name = _highlight(d["name"], d["matched"])
            url = "/gradio_api/file=" + html.escape(d["path"], quote=True)
            cat = " / ".join(x for x in (d["category"], d["subcategory"]) if x) or "no UCS category"
            facts = " · ".join(x for x in (_fmt(d["duration_s"], "s", 2), f"{d['channels'] or '?'} ch",
                                           _fmt(d["loudness_lufs"], "LUFS"), html.escape(cat)) if x)
            pick = (f"const n=document.querySelector('#sel-id input');n.value={d['id']};"
                    "n.dispatchEvent(new Event('input',{bubbles:true}));")
            drag = (f"event.dataTransfer.setData('DownloadURL','application/octet-stream:{html.escape(d['name'], quote=True)}:'"
                    "+new URL(this.href,location.href).href)")
            rel = score.get(d["id"])
            cards.append(
                f"<div class='sfx-card' data-id='{d['id']}'>"
                f"<div class='sfx-wave' title='click to audition' onclick=\"{pick}setTimeout(()=>document.querySelector('#audition-btn').click(),150)\">{_waveform_svg(d['peaks'])}</div>"
                f"<div class='sfx-info'><div class='sfx-name'>#{d['id']} {name}</div><div class='sfx-facts'>{facts}"
                f"{'' if rel is None else f' · relevance {float(rel):.2f}'}</div>"
                f"<audio controls preload='none' src='{url}'></audio></div>"
                f"<div class='sfx-actions'><button class='sfx-sim' onclick=\"{pick}setTimeout(()=>document.querySelector('#similar-btn').click(),150)\">Find similar</button>"
                f"<a class='sfx-drag' draggable='true' href='{url}' download='{html.escape(d['name'], quote=True)}' ondragstart=\"{drag}\" "
                f"title='drag into your editor or onto the desktop'>⇲ drag file</a></div></div>")
        return "<div class='sfx-cards'>" + "".join(cards) + "</div>"

    @staticmethod
    def select_result(table, evt: gr.SelectData):
        try:
            row = evt.index[0]
            rows = table.values.tolist() if hasattr(table, "values") else table
            return int(rows[row][0])
        except (TypeError, ValueError, IndexError, AttributeError):
            raise gr.Error("click a result row") from None

    @_errors
    def audition(self, file_id):
        if file_id in (None, ""):
            raise gr.Error("search first, then click a result")
        a = self.svc.audition(int(file_id))
        rec = a.record
        # no "path" key: gradio_client would take a dict with "path" for a file to download
        meta = {"file": rec.get("path")} | {k: rec.get(k) for k in (
            "duration_s", "sample_rate", "channels", "bit_depth", "format",
                                          "category", "subcategory", "ucs_catid", "description", "loudness_lufs",
                                          "true_peak_dbtp", "peak_dbfs", "tags")}
        meta = {k: round(v, 2) if isinstance(v, float) else v for k, v in meta.items()}
        return gr.update(value=a.audio_path, label=f"Audition: {Path(rec['path']).name}"), meta

    @_errors
    def similar(self, file_id, top_k):
        if file_id in (None, ""):
            raise gr.Error("select a result first, then 'Find similar'")
        res = self.svc.similar(int(file_id), top_k=int(top_k))
        rows = self._rows(res)
        return rows, (rows[0][0] if rows else None), f"{len(rows)} file(s) that sound like #{int(file_id)}."

    @_errors
    def add_layer(self, recipe_text, file_id, role):
        if file_id in (None, ""):
            raise gr.Error("select a result first, then 'Add layer'")
        recipe = self.svc.add_layer(recipe_text or None, int(file_id), role=role)
        n = len(recipe["layers"])
        msg = (f"Added file #{int(file_id)} as a {role} layer: recipe **{recipe['name']}** has "
               f"{n} layer{'s' if n != 1 else ''}.")
        return _recipe_text(recipe), self.svc.layer_table(recipe), msg, msg

    # ---------------------------------------------------------------- layer & export tab
    def _current(self, recipe_text, table, preset):
        """The recipe with the table's edits and the chosen preset applied."""
        if not recipe_text or not str(recipe_text).strip():
            raise gr.Error("the recipe is empty: use a generated hero, add library layers, or auto-design one")
        rows = table.values.tolist() if hasattr(table, "values") else (table or [])
        rows = [r for r in rows if any(v not in (None, "") for v in r)]
        if not rows:
            return self.svc.load_recipe(recipe_text) if not preset else \
                self.svc.apply_layer_table(recipe_text, self.svc.layer_table(recipe_text), preset=preset)
        return self.svc.apply_layer_table(recipe_text, rows, preset=preset)

    @_errors
    def design(self, prompt, layers, seed, preset, duration_s, progress=gr.Progress()):
        progress(0.1, desc="designing")
        d = self.svc.design(prompt, preset=preset, layers=int(layers), seed=int(seed if seed is not None else 0),
                            duration_s=float(duration_s or 0) or None)
        picks = "; ".join(f"{p['role']}: {p.get('source')}" + (f" ({Path(p['path']).name})" if p.get("path") else "")
                          + (f" — {p['reason']}" if p.get("reason") and p["role"] != "hero" else "")
                          for p in d.picks)
        return _recipe_text(d.recipe), self.svc.layer_table(d.recipe), f"Designed **{d.recipe['name']}** — {picks}"

    @_errors
    def apply_layers(self, recipe_text, table, preset):
        recipe = self._current(recipe_text, table, preset)
        return _recipe_text(recipe), self.svc.layer_table(recipe), "Layer edits applied."

    @_errors
    def recipe_table(self, recipe_text):
        if not recipe_text or not str(recipe_text).strip():
            return []
        return self.svc.layer_table(self.svc.load_recipe(recipe_text))

    def _loudness_md(self, loud: dict, preset: dict, gain_db: float | None = None, met: bool | None = None,
                     reason: str | None = None) -> str:
        from sfxgen.loudness.presets import DeliveryPreset

        i = loud.get("integrated_lufs")
        target, tol, ceil = preset["target_lufs"], preset["tolerance_lu"], preset["true_peak_ceiling_dbtp"]
        tp = loud.get("true_peak_dbtp")
        v = DeliveryPreset(**preset).judge(integrated_lufs=i, true_peak_dbtp=tp,
                                           max_short_term_lufs=loud.get("max_short_term_lufs"))  # the one rule
        ok_i = "—" if v.integrated_ok is None else ("pass" if v.integrated_ok else "**FAIL**")
        ok_tp = "—" if v.true_peak_ok is None else ("pass" if v.true_peak_ok else "**FAIL**")
        st_cap = preset.get("max_short_term_lufs")
        st_spec = "" if st_cap is None else f"≤ {st_cap:g} LUFS"
        lra = _fmt(loud.get("lra_lu"), "LU")
        if loud.get("lra_lu") is None and loud.get("duration_s", 0) < 3.0:
            lra = "— (needs ≥ 3 s)"
        lines = [f"**Loudness** (preset `{preset['name']}`)", "",
                 "| reading | value | spec | check |", "|---|---|---|---|",
                 f"| Integrated | {_fmt(i, 'LUFS')} | {target:g} ± {tol:g} LU | {ok_i} |",
                 f"| True peak | {_fmt(tp, 'dBTP')} | ≤ {ceil:g} dBTP | {ok_tp} |",
                 f"| Sample peak | {_fmt(loud.get('sample_peak_dbfs'), 'dBFS')} | | |",
                 f"| Loudness range | {lra} | | |",
                 f"| Max momentary (400 ms) | {_fmt(loud.get('max_momentary_lufs'), 'LUFS')} | | |",
                 f"| Max short-term (3 s) | {_fmt(loud.get('max_short_term_lufs'), 'LUFS')} | "
                 f"{st_spec} | |",
                 f"| Duration | {loud.get('duration_s', 0):.2f} s | | |"]
        if gain_db is not None:
            lines.append(f"| Master gain | {gain_db:+.1f} dB | | |")
        if met is False and reason:
            lines += ["", f"**Note:** {reason}"]
        return "\n".join(lines)

    @_errors
    def render_preview(self, recipe_text, table, preset, progress=gr.Progress()):
        recipe = self._current(recipe_text, table, preset)
        progress(0.2, desc="rendering")
        p = self.svc.render_recipe(recipe)
        return (_recipe_text(p.recipe), self.svc.layer_table(p.recipe), p.mix_path,
                self._loudness_md(p.loudness, p.preset, p.master_gain_db, p.met_target, p.reason),
                p.qc_text, p.picture_path)

    @_errors
    def export(self, recipe_text, table, preset, progress=gr.Progress()):
        recipe = self._current(recipe_text, table, preset)
        progress(0.2, desc="rendering and writing the package")
        ex = self.svc.export(recipe)
        m = ex.manifest
        status = (f"Exported **{m['name']}**: mix + {len(m['stems'])} stems (layers + reverb return), recipe, QC "
                  f"({'PASS' if m['qc_passed'] else 'FAIL'}), mastered to `{m['preset']}`. Download the zip below.")
        return ex.zip_path, ex.qc_text, status

    @_errors
    def download_recipe(self, recipe_text, table, preset):
        recipe = self._current(recipe_text, table, preset)
        return self.svc.save_recipe(recipe)

    @_errors
    def upload_recipe(self, file):
        if not file:
            raise gr.Error("choose a recipe .json file")
        path = file if isinstance(file, str) else getattr(file, "name", None)
        recipe = self.svc.load_recipe(Path(path))
        return _recipe_text(recipe), self.svc.layer_table(recipe), f"Loaded recipe **{recipe['name']}**."

    @_errors
    def loudness(self, path, preset):
        rep = self.svc.loudness(path, preset=preset)
        return self._loudness_md(rep.loudness, rep.preset)

    @_errors
    def qc(self, path, preset):
        return self.svc.qc(path, preset=preset).to_text()


def _preset_names():
    from sfxgen.loudness import preset_names

    return [p for p in preset_names() if p != "custom"]


def build_app(service, *, gen_concurrency: int = 1, search_concurrency: int = 4) -> gr.Blocks:
    """The sfxgen ``gr.Blocks`` app over ``service``. Call ``.queue()``/``.launch()`` (or :func:`launch`)."""
    from sfxgen.layering.recipe import ROLES

    h = Handlers(service)
    presets = _preset_names()
    models = service.models()
    families = [f["name"] for f in service.families()]
    gen_q = dict(concurrency_limit=gen_concurrency, concurrency_id="generate")
    search_q = dict(concurrency_limit=search_concurrency, concurrency_id="search")

    with gr.Blocks(title="sfxgen", analytics_enabled=False, delete_cache=(1800, 4 * 3600)) as app:
        gr.Markdown("# sfxgen — prompt to delivery-ready sound effects\n"
                    "Generate a hero → edit it → **Use as hero** → add library layers → **Layer & export** → "
                    "preview, check loudness, export a zip of stems + mix + recipe + QC.", elem_id="sfx-title")
        with gr.Tabs():
            # ======================================================= Generate
            with gr.Tab("Generate", id="generate"):
                with gr.Row():
                    with gr.Column(scale=3):
                        prompt = gr.Textbox(label="Prompt", lines=2, elem_id="prompt",
                                            placeholder="e.g. heavy metal door slam in a large concrete hall")
                        negative = gr.Textbox(label="Negative prompt (what to avoid)", placeholder="e.g. rain, music")
                        with gr.Row():
                            gen_btn = gr.Button("Generate", variant="primary", elem_id="generate-btn")
                            status = gr.Markdown("")
                    with gr.Column(scale=2):
                        with gr.Row():
                            duration = gr.Slider(0, 10, value=0, step=0.1, label="Duration (s)",
                                                 info="0 = the sound's natural length", elem_id="duration")
                            variations = gr.Slider(1, MAX_SLOTS, value=MAX_SLOTS, step=1, label="Variations")
                        with gr.Row():
                            seed = gr.Number(value=-1, precision=0, label="Seed", info="−1 = random")
                            used_seed = gr.Number(label="Seed used", interactive=False, precision=0,
                                                  elem_id="used-seed")
                        with gr.Row():
                            steps = gr.Slider(1, 100, value=25, step=1, label="Steps", info="diffusion steps")
                            guidance = gr.Slider(0, 10, value=3.0, step=0.1, label="Guidance",
                                                 info="how strictly to follow the prompt")
                        model = gr.Dropdown(models, value=models[0], label="Model")
                cand_audio, cand_img = [], []
                with gr.Row(equal_height=True):
                    for i in range(MAX_SLOTS):
                        with gr.Column(min_width=240):
                            cand_audio.append(gr.Audio(label=f"Candidate {i + 1}", type="filepath", interactive=False,
                                                       visible=False, buttons=["download"],
                                                       elem_id=f"cand-audio-{i + 1}"))
                            cand_img.append(gr.Image(label="Spectrogram", type="filepath", interactive=False,
                                                     visible=False, height=170, show_label=False, buttons=[],
                                                     elem_id=f"cand-spec-{i + 1}"))
                with gr.Row(equal_height=True):
                    choice = gr.Radio([str(i + 1) for i in range(MAX_SLOTS)], label="Chosen candidate",
                                      elem_id="choice", scale=2)
                    use_btn = gr.Button("Use as hero", variant="primary", elem_id="use-hero-btn", scale=1)
                    strength = gr.Slider(0.05, 1.0, value=0.35, step=0.05, label="Variation strength", scale=2,
                                         info="0 = nearly identical … 1 = anything goes")
                    more_btn = gr.Button("More like this", elem_id="more-btn", scale=1)
                chosen_md = gr.Markdown("")
                gr.Markdown("**Hero parameters** — normalised −1 … +1; *Re-render* to hear the change")
                sliders = []
                layout = [COMMON_PARAMS[:5], COMMON_PARAMS[5:], tuple(f"aux{i}" for i in range(1, 7))]
                for names in layout:
                    with gr.Row():
                        for name in names:
                            sliders.append(gr.Slider(-1, 1, value=0, step=0.01, label=name,
                                                     info=PARAM_HELP.get(name, AUX_HELP),
                                                     visible=name in COMMON_PARAMS, min_width=160,
                                                     elem_id=f"param-{name}"))
                edit_btn = gr.Button("Re-render with these parameters", elem_id="edit-btn")
                gr.Markdown("**Elements** of the chosen hero — the main source first, then what the words "
                            "added (material, mechanism, sweetener), each with its level; change one and "
                            "re-render without touching the others")
                elements_df = gr.Dataframe(headers=["#", "element", "role", "level (dB)", "onset (ms)", "state"],
                                           interactive=False, elem_id="elements", wrap=True)
                with gr.Row(equal_height=True):
                    el_index = gr.Number(value=2, precision=0, label="Element #", minimum=1, maximum=4,
                                         elem_id="element-index")
                    el_family = gr.Dropdown(families, value=None, label="Swap to family", allow_custom_value=False,
                                            elem_id="element-family")
                    mute_btn = gr.Button("Mute", elem_id="element-mute")
                    unmute_btn = gr.Button("Unmute", elem_id="element-unmute")
                    solo_btn = gr.Button("Solo", elem_id="element-solo")
                    reroll_btn = gr.Button("Re-roll", elem_id="element-reroll")
                    swap_btn = gr.Button("Swap", elem_id="element-swap")
                with gr.Row(equal_height=True):
                    edited_audio = gr.Audio(label="Edited hero", type="filepath", interactive=False,
                                            visible=False, buttons=["download"])
                    edited_img = gr.Image(type="filepath", interactive=False, visible=False, height=170,
                                          show_label=False, buttons=[])
                with gr.Accordion("Details (JSON)", open=False):
                    cands_json = gr.JSON(label="Candidates")
                    hero_json = gr.JSON(label="Chosen hero (spec used by edit / more like this / use as hero)")

            # ======================================================= Library
            with gr.Tab("Library", id="library"):
                stats_md = gr.Markdown("")
                with gr.Row():
                    folder = gr.Textbox(label="Folder to index (a path on the computer running sfxgen)", scale=4,
                                        placeholder="/path/to/sound/library")
                    index_btn = gr.Button("Index folder", scale=1)
                index_status = gr.Markdown("")
                with gr.Accordion("Files that could not be indexed", open=False):
                    failures = gr.Dataframe(headers=FAILURE_HEADERS, datatype=["str", "str"], interactive=False,
                                            wrap=True, max_height=240, column_count=2)
                with gr.Row():
                    query = gr.Textbox(label="Search by description", scale=4, placeholder="e.g. glass bottle smash",
                                       elem_id="search-box")
                    mode = gr.Radio(["hybrid", "audio", "meta", "lexical"], value="hybrid", label="Match on", scale=2,
                                    info="hybrid = sound + names/tags; audio = sound only; meta = names/tags; "
                                         "lexical = exact words only. Try 'explosion, not metallic', 'short whoosh'")
                    top_k = gr.Slider(1, 50, value=10, step=1, label="Results", scale=1)
                    search_btn = gr.Button("Search", variant="primary", scale=1)
                with gr.Accordion("Filters", open=False):
                    with gr.Row():
                        min_dur = gr.Number(value=None, label="Min duration (s)", minimum=0)
                        max_dur = gr.Number(value=None, label="Max duration (s)", minimum=0)
                        category = gr.Textbox(label="UCS category / CatID", placeholder="e.g. DOORS or DOORWood")
                        channels = gr.Dropdown(["any", "1", "2"], value="any", label="Channels")
                        path_glob = gr.Textbox(label="Path pattern", placeholder="e.g. */Foley/*")
                search_status = gr.Markdown("")
                cards = gr.HTML("", elem_id="result-cards")
                with gr.Accordion("Results as a table", open=False):
                    results = gr.Dataframe(headers=RESULT_HEADERS, interactive=False, elem_id="results", wrap=True,
                                           max_height=480, column_widths=RESULT_WIDTHS,
                                           column_count=len(RESULT_HEADERS),
                                           datatype=["number", "str", "str", "number", "number", "number", "number", "str"])
                with gr.Row():
                    with gr.Column(scale=2):
                        sel_id = gr.Number(label="Selected file id (click a row)", precision=0, elem_id="sel-id")
                        audition_audio = gr.Audio(label="Audition", type="filepath", interactive=False,
                                                  elem_id="audition")
                        with gr.Row():
                            audition_btn = gr.Button("Audition", elem_id="audition-btn")
                            similar_btn = gr.Button("Find similar", elem_id="similar-btn")
                        with gr.Row():
                            role = gr.Dropdown(list(ROLES), value="texture", label="Layer role")
                            add_btn = gr.Button("Add layer", variant="primary", elem_id="add-layer-btn")
                        add_status = gr.Markdown("")
                    with gr.Column(scale=3):
                        meta_json = gr.JSON(label="File metadata", elem_id="meta-json")

            # ======================================================= Layer & export
            with gr.Tab("Layer & export", id="layers"):
                with gr.Accordion("Auto-design a layered recipe from a prompt", open=False):
                    with gr.Row():
                        d_prompt = gr.Textbox(label="Prompt", scale=3,
                                              placeholder="e.g. rusty spaceship door in a cavern")
                        d_layers = gr.Slider(0, 6, value=3, step=1, label="Supporting layers")
                        d_seed = gr.Number(value=0, precision=0, label="Seed", info="−1 = random")
                        d_duration = gr.Slider(0, 10, value=0, step=0.1, label="Hero duration (s)", info="0 = natural")
                        design_btn = gr.Button("Auto-design", variant="primary")
                layer_status = gr.Markdown("No recipe yet: *Use as hero* on the Generate tab, *Add layer* from the "
                                           "Library, auto-design one above, or upload a recipe.")
                layers_df = gr.Dataframe(headers=LAYER_HEADERS, label="Layers (edit cells, then Apply or Render)",
                                         datatype=["str", "str", "str", "number", "number", "number", "number", "str",
                                                   "str", "bool"],
                                         interactive=True, wrap=True, column_count=len(LAYER_HEADERS),
                                         static_columns=[2], elem_id="layers-table", column_widths=LAYER_WIDTHS)
                gr.Markdown("EQ bands: `highpass 80Hz; peak 400Hz -3dB q2; high_shelf 8kHz +2dB` · reverb send: "
                            "blank = off · roles: " + ", ".join(ROLES), elem_classes=["sfx-small"])
                with gr.Row():
                    preset = gr.Dropdown(presets, value="ebu-r128", label="Delivery preset")
                    apply_btn = gr.Button("Apply layer edits")
                    render_btn = gr.Button("Render preview", variant="primary", elem_id="render-btn")
                    export_btn = gr.Button("Export zip", variant="primary", elem_id="export-btn")
                with gr.Row():
                    with gr.Column(scale=3):
                        preview_audio = gr.Audio(label="Preview (mastered mix)", type="filepath", interactive=False,
                                                 buttons=["download"])
                        preview_img = gr.Image(label="Mix and stems (waveform | spectrogram)", type="filepath",
                                               interactive=False)
                    with gr.Column(scale=2):
                        meter_md = gr.Markdown("", elem_id="meter")
                        export_file = gr.File(label="Delivery package (zip)", interactive=False, elem_id="export-file",
                                              height=110)
                        export_status = gr.Markdown("")
                qc_text = gr.Textbox(label="QC report", lines=10, interactive=False, elem_classes=["sfx-small"])
                with gr.Accordion("Recipe (JSON) — download, upload, or edit directly", open=False):
                    recipe_code = gr.Code(language="json", label="Recipe", lines=16, interactive=True)
                    with gr.Row():
                        recipe_dl_btn = gr.Button("Download recipe")
                        recipe_file = gr.File(label="Recipe file", interactive=False)
                        recipe_up = gr.File(label="Upload a recipe (.json)", file_types=[".json"], type="filepath")
                with gr.Accordion("Check any audio file: loudness and QC", open=False):
                    with gr.Row():
                        check_file = gr.Audio(label="Audio file", type="filepath", sources=["upload"])
                        check_preset = gr.Dropdown(presets, value="ebu-r128", label="Against preset")
                        with gr.Column():
                            loud_btn = gr.Button("Measure loudness")
                            qc_btn = gr.Button("QC report")
                    check_md = gr.Markdown("")
                    check_qc = gr.Textbox(label="QC", lines=8, interactive=False, elem_classes=["sfx-small"])

            # ======================================================= Cue sheet
            with gr.Tab("Cue sheet", id="cues"):
                from ui.cues_tab import build_cue_tab

                build_cue_tab(service, presets, queue=gen_q)

        # ----------------------------------------------------------- events
        gen_outputs = [used_seed, status, cands_json, *[x for pair in zip(cand_audio, cand_img) for x in pair],
                       choice, hero_json, *sliders]
        gen_btn.click(h.generate, [prompt, negative, duration, variations, seed, steps, guidance, model], gen_outputs,
                      api_name="generate", **gen_q)
        prompt.submit(h.generate, [prompt, negative, duration, variations, seed, steps, guidance, model], gen_outputs,
                      api_name="generate_submit", **gen_q)
        choice.input(h.select_candidate, [cands_json, choice], [hero_json, chosen_md, *sliders],
                     api_name="select_candidate")
        hero_json.change(h.element_rows, [hero_json], [elements_df], api_name="element_rows",
                         api_visibility="private")
        el_outputs = [edited_audio, edited_img, hero_json, elements_df, chosen_md]
        for op, btn in (("mute", mute_btn), ("unmute", unmute_btn), ("solo", solo_btn), ("reroll", reroll_btn),
                        ("swap", swap_btn)):
            btn.click(h.element_op(op), [hero_json, el_index, el_family, seed], el_outputs,
                      api_name=f"element_{op}", **gen_q)
        edit_btn.click(h.edit_hero, [hero_json, *sliders], [edited_audio, edited_img, hero_json, chosen_md],
                       api_name="edit_hero", **gen_q)
        more_btn.click(h.more_like_this, [hero_json, prompt, strength, variations, seed, steps, guidance], gen_outputs,
                       api_name="more_like_this", **gen_q)
        use_btn.click(h.use_as_hero, [recipe_code, hero_json], [recipe_code, layers_df, layer_status, chosen_md],
                      api_name="use_as_hero")

        app.load(h.library_stats, None, [stats_md, failures], api_name="library_stats")
        index_btn.click(h.index_folder, [folder], [stats_md, failures, index_status], api_name="index",
                        concurrency_limit=1, concurrency_id="index")
        search_inputs = [query, mode, top_k, min_dur, max_dur, category, channels, path_glob]
        search_btn.click(h.search, search_inputs, [results, sel_id, search_status], api_name="search", **search_q).then(
            h.result_cards, [results, query], [cards], api_name="result_cards", api_visibility="private", **search_q)
        query.submit(h.search, search_inputs, [results, sel_id, search_status], api_name="search_submit", **search_q).then(
            h.result_cards, [results, query], [cards], api_name="result_cards_submit", api_visibility="private", **search_q)
        results.select(h.select_result, [results], [sel_id], api_name="select_result", api_visibility="private").then(
            h.audition, [sel_id], [audition_audio, meta_json], api_name="audition_selected", api_visibility="private",
            **search_q)
        audition_btn.click(h.audition, [sel_id], [audition_audio, meta_json], api_name="audition", **search_q)
        similar_btn.click(h.similar, [sel_id, top_k], [results, sel_id, search_status], api_name="similar", **search_q).then(
            h.result_cards, [results], [cards], api_name="result_cards_similar", api_visibility="private", **search_q)
        add_btn.click(h.add_layer, [recipe_code, sel_id, role], [recipe_code, layers_df, add_status, layer_status],
                      api_name="add_layer")

        design_btn.click(h.design, [d_prompt, d_layers, d_seed, preset, d_duration],
                         [recipe_code, layers_df, layer_status], api_name="design", **gen_q)
        apply_btn.click(h.apply_layers, [recipe_code, layers_df, preset], [recipe_code, layers_df, layer_status],
                        api_name="apply_layers")
        recipe_code.blur(h.recipe_table, [recipe_code], [layers_df], api_name="recipe_table")
        render_btn.click(h.render_preview, [recipe_code, layers_df, preset],
                         [recipe_code, layers_df, preview_audio, meter_md, qc_text, preview_img],
                         api_name="render_preview", **gen_q)
        export_btn.click(h.export, [recipe_code, layers_df, preset], [export_file, qc_text, export_status],
                         api_name="export", **gen_q)
        recipe_dl_btn.click(h.download_recipe, [recipe_code, layers_df, preset], [recipe_file],
                            api_name="download_recipe")
        recipe_up.upload(h.upload_recipe, [recipe_up], [recipe_code, layers_df, layer_status], api_name="upload_recipe")
        loud_btn.click(h.loudness, [check_file, check_preset], [check_md], api_name="loudness", **search_q)
        qc_btn.click(h.qc, [check_file, check_preset], [check_qc], api_name="qc", **search_q)
    return app


def allowed_paths(service) -> list[str]:
    """Folders the browser may read: the service's output folder and the library roots."""
    return [str(Path(service.output_root).resolve())] + [str(p) for p in service.library_roots]


def launch(service, *, host: str = "127.0.0.1", port: int | None = 7860, auth: tuple[str, str] | None = None,
           max_file_size: str = "200mb", gen_concurrency: int = 1, search_concurrency: int = 4,
           prevent_thread_lock: bool = False, quiet: bool = False, app: gr.Blocks | None = None):
    """Build (unless ``app`` is given), queue and serve the UI; returns ``(app, local_url)``.

    Generation-type events share one queue slot group (``gen_concurrency``), search-type
    events another (``search_concurrency``); uploads are capped at ``max_file_size``; the
    browser may only fetch files from :func:`allowed_paths` (plus Gradio's own cache).
    """
    app = app or build_app(service, gen_concurrency=gen_concurrency, search_concurrency=search_concurrency)
    app.queue(default_concurrency_limit=2, max_size=512)
    _, url, _ = app.launch(server_name=host, server_port=port, auth=auth, allowed_paths=allowed_paths(service),
                           max_file_size=max_file_size, prevent_thread_lock=prevent_thread_lock, quiet=quiet,
                           show_error=True, ssr_mode=False, css=CSS, inbrowser=False)
    return app, url
