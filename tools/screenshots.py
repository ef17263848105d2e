"""Screenshots of every UI tab after a realistic session, for checking the layout by eye.

    python tools/screenshots.py --out out/screenshots                # serve the default UI itself
    python tools/screenshots.py --url http://127.0.0.1:7860 --out DIR  # or shoot a running one

Drives Debian's Chromium (``/usr/bin/chromium``) headless with Playwright: generates a hero,
picks it, re-renders an edit, uses it as hero, searches the library and adds a layer, renders a
preview with loudness readings, exports, and writes ``01_generate.png`` ... ``05_cue_sheet.png``
(full page, 1440 px wide). Never downloads a browser.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def capture(url: str, out_dir, *, prompt: str = "heavy metal door slam in a large hall",
            query: str = "metal impact", timeout_ms: int = 300_000) -> list[Path]:
    """Run the session against ``url`` and save one full-page PNG per step; returns the paths."""
    from playwright.sync_api import expect, sync_playwright

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
            page.goto(url)

            def shot(name):
                page.wait_for_timeout(800)
                path = out / name
                page.screenshot(path=str(path), full_page=True)
                shots.append(path)
                print(f"wrote {path}", flush=True)

            page.locator("#prompt textarea").fill(prompt)
            page.locator("#duration input[type=number]").fill("1.5")
            page.locator("#duration input[type=number]").press("Enter")
            page.locator("#generate-btn").click()
            expect(page.locator("#cand-audio-1 audio, #cand-audio-1 .waveform-container").first).to_be_attached(
                timeout=timeout_ms)
            size = page.locator("#param-size input[type=number]")
            size.fill("0.9")
            size.press("Enter")
            page.locator("#edit-btn").click()
            page.wait_for_timeout(3000)
            shot("01_generate.png")
            page.locator("#use-hero-btn").click()
            page.wait_for_timeout(1500)

            page.get_by_role("tab", name="Library").click()
            page.locator("#search-box textarea").fill(query)
            page.locator("#search-box textarea").press("Enter")
            page.wait_for_timeout(4000)
            cells = page.locator("#results").get_by_role("gridcell")
            if cells.count() > 1:
                cells.nth(1).click()
                page.wait_for_timeout(2500)
                page.locator("#add-layer-btn").click()
                page.wait_for_timeout(1500)
            shot("02_library.png")

            page.get_by_role("tab", name="Layer & export").click()
            page.locator("#render-btn").click()
            expect(page.locator("#meter")).to_contain_text("Integrated", timeout=timeout_ms)
            shot("03_layers_preview.png")
            page.locator("#export-btn").click()
            expect(page.locator("#export-file a").first).to_be_visible(timeout=timeout_ms)
            shot("04_layers_export.png")

            page.get_by_role("tab", name="Cue sheet").click()
            shot("05_cue_sheet.png")
        finally:
            browser.close()
    return shots


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="out/screenshots", help="folder for the PNGs")
    ap.add_argument("--url", default=None, help="shoot a running UI instead of serving one")
    ap.add_argument("--index", default=None, help="library index to serve (default: library_index/)")
    ap.add_argument("--prompt", default="heavy metal door slam in a large hall")
    ap.add_argument("--query", default="metal impact")
    args = ap.parse_args(argv)
    if not os.path.exists(CHROMIUM):
        print(f"error: {CHROMIUM} is missing (apt-get install chromium)", file=sys.stderr)
        return 2
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    app = None
    url = args.url
    if url is None:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from sfxgen.service import SfxgenService
        from ui.app import launch

        app, url = launch(SfxgenService(index_dir=args.index), port=None, prevent_thread_lock=True, quiet=True)
    try:
        capture(url, args.out, prompt=args.prompt, query=args.query)
    finally:
        if app is not None:
            app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
