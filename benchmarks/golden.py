"""Record every command's output on every real file set and the demo, and compare two records.

A refactor that promises "no change in behaviour" is held to it here: ``record DIR`` runs each
command of the CLI (every output format, both languages, the files it writes) over the real
published sets in ``../shared/data`` and ``fixtures/demo``, and stores stdout, stderr, the exit
code and every written file per case. ``compare OLD NEW`` lists each case whose output differs,
byte for byte. Run ``record`` before the change and after it, then ``compare``.

Usage:
    python benchmarks/golden.py record DIR [--jobs N] [--only SUBSTRING]
    python benchmarks/golden.py compare OLD NEW
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
D = "../shared/data"
SCRATCH = ROOT / "bench-out" / "golden"

#: The sets a user passes together (as tests/test_realdata_walk.py walks them), plus the
#: protocol's test material, the PDF folder and the demo.
SETS: dict[str, list[str]] = {
    "demo": ["fixtures/demo"],
    "gr2022": [f"{D}/GR2022/eml", f"{D}/GR2022/osv4-3_bulk", f"{D}/GR2022/broken_in_source"],
    "gr2022-eml": [f"{D}/GR2022/eml"],
    "wmw": [f"{D}/GR2022/WestMaasenWaal"],
    "tk2021": [f"{D}/TK2021"],
    "tk2023": [f"{D}/TK2023/osv"],
    "tk2025": [f"{D}/TK2025"],
    "vlieland": [f"{D}/GR2026/Vlieland"],
    "renswoude": [f"{D}/GR2026/Renswoude"],
    "stadskanaal": [f"{D}/GR2026/Verkiezingsdefinitie_GR2026_Stadskanaal.eml.xml"],
    "ps2019": [f"{D}/PS2019"],
    "ab2019": [f"{D}/AB2019"],
    "ps2023": [f"{D}/PS2023"],
    "ab2023": [f"{D}/AB2023"],
    "hcp-dordrecht": [f"{D}/hcp/FAKE_TEST_DATA_TK2023_DORDRECHT"],
    "hcp-e2e": [f"{D}/hcp/e2e"],
    "hcp-emls": [f"{D}/hcp/emls"],
    "hcp-odts": [f"{D}/hcp/odts"],
    "abacus-pv": [f"{D}/abacus-pv"],
}
#: Sets with stations (510b or CSV) for the protocol and plausibility.
STATION_SETS = ["demo", "gr2022-eml", "wmw", "tk2025", "vlieland", "renswoude", "ps2019", "ab2019",
                "hcp-dordrecht", "hcp-e2e", "hcp-odts", "abacus-pv"]
SMALL_SETS = [s for s in SETS if s not in ("gr2022", "gr2022-eml")]


def cases() -> dict[str, list[str]]:
    """Case name -> the arguments of one osv-verify call ({out} is the case's scratch folder)."""
    c: dict[str, list[str]] = {}
    for name, paths in SETS.items():
        c[f"verify-{name}"] = ["verify", *paths, "--no-progress"]
        c[f"verify-json-{name}"] = ["verify", *paths, "--no-progress", "-f", "json", "--min-severity", "info"]
        c[f"inspect-{name}"] = ["inspect", *paths]
        c[f"inspect-json-{name}"] = ["inspect", *paths, "-f", "json"]
        c[f"export-{name}"] = ["export", *paths, "--no-progress", "-o", "{out}/export.csv"]
        c[f"seats-{name}"] = ["seats", *paths, "--explain"]
        if name in SMALL_SETS:
            c[f"verify-md-{name}"] = ["verify", *paths, "--no-progress", "-f", "markdown"]
            c[f"verify-csv-{name}"] = ["verify", *paths, "--no-progress", "-f", "csv", "--min-severity", "info"]
            c[f"verify-html-{name}"] = ["verify", *paths, "--no-progress", "-f", "html", "-o", "{out}/r.html"]
            c[f"verify-en-{name}"] = ["verify", *paths, "--no-progress", "--lang", "en", "--min-severity", "info"]
            c[f"export-json-{name}"] = ["export", *paths, "--no-progress", "-f", "json"]
            c[f"seats-json-{name}"] = ["seats", *paths, "-f", "json"]
            c[f"seats-html-{name}"] = ["seats", *paths, "-f", "html", "--lang", "en"]
            c[f"inspect-en-{name}"] = ["inspect", *paths, "--lang", "en"]
    for name in STATION_SETS:
        paths = SETS[name]
        c[f"plaus-{name}"] = ["verify", *paths, "--no-progress", "--plausibility", "-f", "json"]
        c[f"plaus-table-{name}"] = ["verify", *paths, "--no-progress", "--plausibility", "--lang", "en"]
        c[f"protocol-csv-{name}"] = ["protocol", *paths, "-o", "{out}/sheets"]
        c[f"protocol-json-{name}"] = ["protocol", *paths, "-f", "json"]
        c[f"protocol-md-{name}"] = ["protocol", *paths, "-f", "markdown", "--lang", "en"]
        c[f"protocol-html-{name}"] = ["protocol", *paths, "-f", "html"]
    nb = f"{D}/hcp/cbs/zip_to_neighbourhood_2024.csv"
    c["protocol-nb-dordrecht"] = ["protocol", *SETS["hcp-dordrecht"], "-f", "json", "--neighbourhoods", nb]
    c["protocol-nbpq-odts"] = ["protocol", *SETS["hcp-odts"], "-f", "json", "--neighbourhoods",
                               f"{D}/hcp/cbs/zip_to_neighbourhood_2024.parquet"]
    c["verify-protocol-csv-wmw"] = ["verify", *SETS["wmw"], "--no-progress", "--protocol-csv", "{out}/p"]
    c["verify-set-demo"] = ["verify", "fixtures/demo", "--no-progress", "--plausibility", "--set", "min_votes=10"]
    c["verify-jobs-gr2022"] = ["verify", *SETS["gr2022"], "--no-progress", "-j", "2", "-q"]
    c["verify-quiet-gr2022"] = ["verify", *SETS["gr2022"], "--no-progress", "-q", "--lang", "en"]
    for fmt in ("table", "json", "markdown", "csv"):
        c[f"checks-{fmt}"] = ["verify", "--list-checks", "-f", fmt]
    c["checks-en"] = ["verify", "--list-checks", "--lang", "en"]
    # compare: two entries of one count (EML against its CSV), a file against itself, demo
    c["compare-ps2019"] = ["compare", f"{D}/PS2019/Telling_PS2019_Fryslan_gemeente_Tytsjerksteradiel.eml.xml",
                           f"{D}/PS2019/osv4-3_Telling_PS2019_Fryslan_gemeente_Tytsjerksteradiel.csv"]
    c["compare-json-ab2019"] = ["compare", f"{D}/AB2019/Telling_AB2019_Fryslan_gemeente_Tytsjerksteradiel.eml.xml",
                                f"{D}/AB2019/osv4-3_Telling_AB2019_Fryslan_gemeente_Tytsjerksteradiel.csv", "-f", "json"]
    c["compare-demo"] = ["compare", "fixtures/demo/Telling_GR2026_Kleinbroek.eml.xml",
                         "fixtures/demo/osv4-3_Telling_GR2026_Kleinbroek.csv", "--min-severity", "info"]
    c["compare-html-demo"] = ["compare", "fixtures/demo/Telling_GR2026_Kleinbroek.eml.xml",
                              "fixtures/demo/osv4-3_Telling_GR2026_Kleinbroek.csv", "-f", "html"]
    c["compare-self"] = ["compare", "fixtures/demo/Telling_GR2026_Kleinbroek.eml.xml",
                         "fixtures/demo/Telling_GR2026_Kleinbroek.eml.xml"]
    c["compare-wmw-abacus"] = ["compare", f"{D}/abacus-pv/Telling_GR2022_WestMaasenWaal.eml.xml",
                               f"{D}/abacus-pv/WestMaasenWaal_corrigendum.eml.xml", "-f", "markdown", "--lang", "en"]
    c["template-demo"] = ["template", "fixtures/demo", "-o", "{out}/t.csv"]
    c["template-wmw"] = ["template", *SETS["wmw"], "-o", "{out}/t.csv"]
    c["hash-ps2019"] = ["hash", f"{D}/PS2019/Telling_PS2019_Fryslan_gemeente_Tytsjerksteradiel.eml.xml",
                        "--expect", "5b09 5dae 163a 90b3 1a74 15be a81b 2318 23e0 1ae1 024a a8c8 2f03 dbd2 56b7 8369"]
    c["hash-many"] = ["hash", *SETS["wmw"], "-f", "json"]
    c["seats-votes"] = ["seats", "--votes", "{out}/../../votes.csv", "--seats", "9", "--explain"]
    for cmd in ("verify", "seats", "inspect", "compare", "template", "export", "protocol", "hash"):
        c[f"help-{cmd}"] = [cmd, "--help"]
    c["help"] = ["--help"]
    c["version"] = ["--version"]
    c["bad-path"] = ["verify", "no/such/path", "--no-progress"]
    c["bad-format"] = ["verify", "fixtures/demo", "-f", "yaml"]
    return c


def run_case(name: str, args: list[str], record: Path) -> None:
    out = SCRATCH / name
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    argv = [a.replace("{out}", str(out.relative_to(ROOT))) for a in args]
    env = dict(os.environ, COLUMNS="120", TERM="dumb", NO_COLOR="1", PYTHONHASHSEED="0")
    p = subprocess.run([sys.executable, "-m", "osv_verify", *argv], cwd=ROOT, capture_output=True, env=env,
                       timeout=900)
    dest = record / name
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(out, dest / "files")
    (dest / "stdout").write_bytes(p.stdout)
    (dest / "stderr").write_bytes(p.stderr)
    (dest / "exit").write_text(f"{p.returncode}\n")


def record(dest: Path, jobs: int, only: str | None) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    (SCRATCH).mkdir(parents=True, exist_ok=True)
    (SCRATCH / "votes.csv").write_text("list;name;votes\n1;A;1200\n2;B;800\n3;C;433\n4;D;433\n")
    todo = {k: v for k, v in cases().items() if only is None or only in k}
    with ThreadPoolExecutor(jobs) as pool:
        for name, fut in [(n, pool.submit(run_case, n, a, dest)) for n, a in todo.items()]:
            fut.result()
            print(name, file=sys.stderr)


def compare(old: Path, new: Path) -> int:
    differ = []

    def walk(cmp: filecmp.dircmp, where: str) -> None:
        if cmp.left_only or cmp.right_only:
            differ.append(f"{where}: only in old {cmp.left_only}, only in new {cmp.right_only}")
        for f in cmp.common_files:
            if (Path(cmp.left) / f).read_bytes() != (Path(cmp.right) / f).read_bytes():
                differ.append(f"{where}/{f}")
        for sub, c in cmp.subdirs.items():
            walk(c, f"{where}/{sub}")

    walk(filecmp.dircmp(old, new), ".")
    for line in differ:
        print(line)
    print(f"{len(differ)} differences", file=sys.stderr)
    return 1 if differ else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="what", required=True)
    r = sub.add_parser("record")
    r.add_argument("dest", type=Path)
    r.add_argument("--jobs", type=int, default=2)
    r.add_argument("--only")
    c = sub.add_parser("compare")
    c.add_argument("old", type=Path)
    c.add_argument("new", type=Path)
    a = ap.parse_args()
    if a.what == "record":
        record(a.dest.resolve(), a.jobs, a.only)
        return 0
    return compare(a.old, a.new)


if __name__ == "__main__":
    raise SystemExit(main())
