#!/usr/bin/env python3
"""Fetch extra real sound effects for CLAP training from Debian (bookworm, main) game data packages.

Usage: ``python tools/fetch_train_sfx.py TARGET [PKG ...]`` (all packages below when none is named),
then ``python ../shared/corpus/make_manifest.py TARGET -o TARGET/manifest.csv``.

Why: the shared dev corpus gives 9 training packages (1.8k clips); the audio tower learns each
package's recording chain as much as the sound. More packages, each with its own recording chain,
is the data-side fix. These packages are disjoint from the shared corpus, so its four held-out
packages stay unseen. Everything is third-party: cache TARGET outside the repository, never commit it.

Per package: ``apt-get download`` into TARGET/_debs, ``dpkg-deb -x`` into a scratch folder, copy only
audio files (also from .zip/.pk3/.wz containers, as ``<container>.d/<member>``) whose path matches the
include pattern and none of the excludes (music, speech, voice packs), then record
TARGET/_meta/PKG.copyright (the licence text), TARGET/PKG/.complete and TARGET/_meta/versions.tsv.
A package with a marker is skipped, so re-runs resume. Needs apt-get and dpkg-deb (Debian/Ubuntu).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

# name: include regex ('' = everything) -- all packages are Debian main, i.e. DFSG-free licences.
PACKAGES = {
    "hedgewars-data": r"/sounds/",
    "freedroidrpg-data": r"/sound/effects/",
    "warzone2100-data": r"\.wz\.d/audio/sfx/",
    "megaglest-data": r"/(sounds?|units|upgrades|buildings)/",
    "scorched3d-data": r"/wav/",
    "endless-sky-data": r"/sounds/",
    "pingus-data": r"/sounds/",
    "lincity-ng-data": r"/sounds/",
    "sound-theme-freedesktop": r"",
    "oxygen-sounds": r"",
    "frozen-bubble-data": r"/snd/",
    "xmoto-data": r"",
    "chromium-bsu-data": r"",
    "lbreakout2-data": r"",
    "blobby-data": r"",
    "alienblaster-data": r"",
    "holotz-castle-data": r"",
    "ufoai-sound": r"\.pk3\.d/sound/",
    "lugaru-data": r"/sounds/",
    "marsshooter-data": r"",
    "freeciv-data": r"stdsounds/",
    "warmux-data": r"/sound/",
    "cube2-data": r"/sounds/",
    "tecnoballz-data": r"",
    "pinball-data": r"",
    "powermanga-data": r"",
    "extremetuxracer-data": r"/sounds/",
    "trigger-rally-data": r"\.zip\.d/.*sounds?/",
}
EXCLUDE = re.compile(r"(^|/)(music|musics|voices?|speech|speeches|taunts?|announcer|dialogs?|narrator|songs?|"
                     r"ambient_music|soundtrack)(/|$)|(silence|empty|null)\.(wav|ogg)$", re.I)
AUDIO = re.compile(r"\.(ogg|oga|opus|wav|flac|mp3|aiff?)$", re.I)
CONTAINER = re.compile(r"\.(zip|pk3|wz)$", re.I)


def _wanted(rel: str, include: re.Pattern | None) -> bool:
    return bool(AUDIO.search(rel)) and not EXCLUDE.search(rel) and (include is None or bool(include.search(rel)))


def _extract(src: str, dst: str, include: re.Pattern | None) -> int:
    """Copy the wanted audio files under ``src`` into ``dst`` keeping relative paths; return the count."""
    n = 0
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(root, name)
            rel = os.path.relpath(full, src).replace(os.sep, "/")
            if os.path.islink(full):
                continue
            if CONTAINER.search(name):
                try:
                    zf = zipfile.ZipFile(full)
                except zipfile.BadZipFile:
                    continue
                with zf:
                    for info in zf.infolist():
                        member = info.filename.lstrip("/")
                        mrel = rel + ".d/" + member
                        if info.is_dir() or ".." in member.split("/") or not _wanted(mrel, include):
                            continue
                        out = os.path.join(dst, mrel)
                        os.makedirs(os.path.dirname(out), exist_ok=True)
                        with zf.open(info) as fi, open(out, "wb") as fo:
                            shutil.copyfileobj(fi, fo, 1 << 20)
                        n += 1
            elif _wanted(rel, include):
                out = os.path.join(dst, rel)
                os.makedirs(os.path.dirname(out), exist_ok=True)
                shutil.copy2(full, out)
                n += 1
    return n


def fetch(target: str, pkg: str) -> int:
    """Download, unpack and extract one package; returns the number of audio files kept."""
    out = os.path.join(target, pkg)
    if os.path.exists(os.path.join(out, ".complete")):
        return -1
    debs = os.path.join(target, "_debs")
    meta = os.path.join(target, "_meta")
    os.makedirs(debs, exist_ok=True)
    os.makedirs(meta, exist_ok=True)
    if not any(f.startswith(pkg + "_") and f.endswith(".deb") for f in os.listdir(debs)):
        subprocess.run(["apt-get", "download", "-q", pkg], cwd=debs, check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deb = next(os.path.join(debs, f) for f in sorted(os.listdir(debs)) if f.startswith(pkg + "_"))
    version = subprocess.run(["dpkg-deb", "-f", deb, "Version"], check=True, capture_output=True,
                             text=True).stdout.strip()
    with tempfile.TemporaryDirectory(dir=target, prefix=".tmp-") as scratch:
        unpacked = os.path.join(scratch, "x")
        stage = os.path.join(scratch, "stage")
        os.makedirs(stage)
        subprocess.run(["dpkg-deb", "-x", deb, unpacked], check=True)
        inc = PACKAGES[pkg]
        n = _extract(unpacked, stage, re.compile(inc, re.I) if inc else None)
        cr = os.path.join(unpacked, "usr/share/doc", pkg, "copyright")
        if os.path.isfile(cr):
            shutil.copy(cr, os.path.join(meta, pkg + ".copyright"))
        shutil.rmtree(out, ignore_errors=True)
        os.replace(stage, out)
    with open(os.path.join(out, ".complete"), "w") as f:
        f.write(f"{pkg} {version} files={n}\n")
    os.remove(deb)
    return n


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__)
        return 2
    target = os.path.abspath(argv[0])
    wanted = argv[1:] or list(PACKAGES)
    unknown = [p for p in wanted if p not in PACKAGES]
    if unknown:
        print(f"unknown package(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    os.makedirs(target, exist_ok=True)
    for pkg in wanted:
        try:
            n = fetch(target, pkg)
        except (subprocess.CalledProcessError, StopIteration) as exc:
            print(f"== {pkg}: FAILED ({exc})", flush=True)
            continue
        print(f"== {pkg}: {'already done' if n < 0 else f'{n} audio files'}", flush=True)
    rows = []
    for pkg in sorted(os.listdir(target)):
        marker = os.path.join(target, pkg, ".complete")
        if os.path.isfile(marker):
            p, v, f = open(marker).read().split()
            rows.append(f"{p}\t{v}\t{f.removeprefix('files=')}")
    with open(os.path.join(target, "_meta", "versions.tsv"), "w") as f:
        f.write("package\tversion\tfiles\n" + "".join(r + "\n" for r in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
