"""Which PDF library reads Abacus's processen-verbaal: pypdf against pdfminer.six, measured.

For every PDF in ``../shared/data/abacus-pv`` (the PVs rendered with Abacus's templates, each
with the JSON it was rendered from) each library extracts the text of every page, in a fresh
subprocess (so peak memory is that run's own). Reported per library: total wall time (median
of ``--runs``), peak resident memory, and correctness: how many of the printed strings the
data set's ``verification.json`` expects (``"16.202 Z Kiesgerechtigden"``, a station row, a
candidate's number and votes...) appear in the extracted text with whitespace collapsed, which
needs text in reading order.

Usage: python benchmarks/pdf_library.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("OSV_VERIFY_DATA", ROOT.parent / "shared" / "data")) / "abacus-pv"

CHILD = r"""
import json, re, resource, sys, time
lib, out, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
start = time.perf_counter()
texts = {}
for path in paths:
    if lib == "pypdf":
        import pypdf
        pages = [p.extract_text() for p in pypdf.PdfReader(path).pages]
    else:
        from pdfminer.high_level import extract_text
        pages = [extract_text(path)]
    texts[path] = re.sub(r"\s+", " ", " ".join(pages))
wall = time.perf_counter() - start
json.dump(texts, open(out, "w"))
print(wall, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def expected_strings() -> dict[str, list[str]]:
    """Per PDF (relative path), the printed strings ``verification.json`` implies: each letter box
    as ``value letter`` (``16.202 Z``), the footer hash and the footer date."""
    found: dict[str, list[str]] = {}
    for entry in json.loads((DATA / "verification.json").read_text()):
        for check in entry["render_checks"]:
            expected = check["expected"]
            if re.fullmatch(r"[A-Z](\.\d+)?", check["check"]) and re.fullmatch(r"[\d.]+", expected):
                found.setdefault(entry["pdf"], []).append(f"{expected} {check['check']} ")
            elif check["check"] in ("hash on every page", "creation date in footer"):
                found.setdefault(entry["pdf"], []).append(expected)
    return found


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    pdfs = sorted(DATA.rglob("*.pdf"))
    if not pdfs:
        sys.exit(f"no PDFs in {DATA}")
    expected = expected_strings()
    out = ROOT / "bench-out" / "pdf_text.json"
    out.parent.mkdir(exist_ok=True)
    print(f"{len(pdfs)} PDFs, {sum(p.stat().st_size for p in pdfs) / 1e6:.1f} MB")
    print("| library | wall s (median) | peak MB | expected strings found |")
    print("| --- | ---: | ---: | ---: |")
    for lib in ("pypdf", "pdfminer"):
        walls, peaks = [], []
        for _ in range(a.runs):
            res = subprocess.run([sys.executable, "-c", CHILD, lib, str(out), *map(str, pdfs)],
                                 capture_output=True, text=True, check=True)
            wall, rss = res.stdout.split()
            walls.append(float(wall))
            peaks.append(int(rss) / 1024)
        texts = json.loads(out.read_text())
        hits = total = 0
        for path, text in texts.items():
            for needle in expected.get(str(Path(path).relative_to(DATA)), []):
                total += 1
                hits += " ".join(needle.split()) in text
        print(f"| {lib} | {statistics.median(walls):.2f} | {max(peaks):.0f} | {hits}/{total} |")


if __name__ == "__main__":
    main()
