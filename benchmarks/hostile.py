"""``make bench-hostile``: what hostile input may cost (issue 25), asserted.

Each case builds one hostile input into ``bench-out/hostile/`` and runs ``osv-verify`` on it in a
fresh process (so its peak memory is its own); it fails when the run takes longer or more memory
than the case allows, or exits with another code than expected. The limits are generous (this
is a shared 2-core machine); what they catch is a return to quadratic cost: the "before" column
is what issue 25 measured on the same kind of machine.

Usage: python benchmarks/hostile.py [--only SUBSTRING]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-out" / "hostile"
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "pv")]

from conftest import STATIONS, make_510b  # noqa: E402
from odt_builder import content, odt, row  # noqa: E402

#: Runs one command line in this process and prints its wall time and peak memory (kB).
CHILD = r"""
import contextlib, io, resource, sys, time
from osv_verify.cli import main
t = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(code, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

CSV_HEAD = ('"Verkiezing";;"Gemeenteraad Anderdorp 2030"\n"Datum";;"2030-03-20"\n"Gebied";;"Gemeente Anderdorp"\n'
            '"Nummer";;"0997"\n\n')


@dataclass(frozen=True)
class Case:
    name: str
    before: str  # as issue 25 measured it
    make: Callable[[Path], list[str]]  # builds the input under the folder, returns the arguments
    seconds: float
    megabytes: int
    exit_codes: tuple[int, ...]


def zip_of(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def many_notes(n: int) -> Callable[[Path], list[str]]:
    return lambda d: ["verify", str(zip_of(d / f"notes{n}.zip", {f"n{i}.txt": b"x" for i in range(n)})), "--no-progress"]


def many_broken(d: Path) -> list[str]:
    return ["verify", str(zip_of(d / "broken.zip", {f"b{i}.eml.xml": b"<EML broken" for i in range(2000)})), "--no-progress"]


def csv_fallback(d: Path) -> list[str]:
    rows = "".join(f'{i};"Partij {i}" X;;;"0";"0"\n' for i in range(1, 16_000))
    (d / "fallback.csv").write_text(CSV_HEAD + '"Lijstnummer";"Aanduiding";"Volgnummer";"Naam kandidaat";"Totaal";"S1"\n'
                                    + rows, encoding="utf-8")
    return ["verify", str(d / "fallback.csv"), "--no-progress"]


def wide_csv(d: Path) -> list[str]:
    n = 1_000_000
    header = '"Lijstnummer";"Aanduiding";"Volgnummer";"Naam kandidaat";"Totaal";' + ";".join(["S"] * n) + "\n"
    (d / "wide.csv").write_text(CSV_HEAD + header + ';"opgeroepenen";;;"0";' + ";".join(["0"] * n) + "\n", encoding="utf-8")
    return ["verify", str(d / "wide.csv"), "--no-progress"]


def long_name(d: Path) -> list[str]:
    (d / "name.eml.xml").write_bytes(make_510b(STATIONS).replace(b">Stembureau 0999::SB1<", b">" + b"N" * 9_000_000 + b"<"))
    return ["export", str(d / "name.eml.xml"), "--no-progress"]


def nested_odt(d: Path) -> list[str]:
    def nest(depth: int) -> str:
        inner = "" if depth == 0 else f"<table:table-row><table:table-cell>{nest(depth - 1)}</table:table-cell></table:table-row>"
        return f'<table:table table:name="NieuweTelling">{row("1", "A") * 40}{inner}</table:table>'
    doc = content("31-1").replace(b"</office:text>", nest(62).encode() + b"</office:text>")
    (d / "pv.odt").write_bytes(odt(doc))
    (d / "Telling.eml.xml").write_bytes(make_510b(STATIONS))
    return ["protocol", str(d / "pv.odt"), str(d / "Telling.eml.xml"), "-f", "json"]


def big_hash(d: Path) -> list[str]:
    with open(d / "big.bin", "wb") as f:
        for _ in range(300):
            f.write(bytes(1024**2))
    return ["hash", str(d / "big.bin")]


CASES = [
    Case("zip of 2,000 notes", "58 s, 2.2 GB (with errors)", many_notes(2000), 15, 300, (2,)),
    Case("zip of 10,000 notes", "over 2 min, 4 GB", many_notes(10_000), 40, 400, (2,)),
    Case("zip of 2,000 broken counts", "104 s, 2.2 GB", many_broken, 30, 400, (2,)),
    Case("CSV fallback, 16,000 rows", "130 s", csv_fallback, 20, 300, (0, 1, 2, 4)),
    Case("CSV of 1,000,000 stations", "129 s, 2.4 GB", wide_csv, 60, 1500, (2,)),
    Case("9 MB station name", "209 MB export", long_name, 20, 500, (2,)),
    Case("ODT of nested tables", "35 s", nested_odt, 20, 400, (0, 1, 2)),
    Case("hash of 300 MB", "300 MB in memory", big_hash, 30, 150, (0,)),
    Case("--votes /dev/zero", "out of memory", lambda d: ["seats", "--votes", "/dev/zero", "--seats", "3"], 10, 200, (2,)),
    Case("--lots /dev/zero", "out of memory",
         lambda d: ["seats", "--votes", "/dev/zero", "--seats", "3", "--lots", "/dev/zero"], 10, 200, (2,)),
]


def measure(args: list[str]) -> tuple[int, float, int]:
    done = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True, cwd=ROOT)
    code, wall, kb = done.stdout.split()[-3:]
    return int(code), float(wall), int(kb)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="run only the cases whose name contains this")
    only = parser.parse_args().only
    failed = 0
    print("| case | before (issue 25) | now | limit | exit |\n|---|---|---|---|---|")
    for case in CASES:
        if only not in case.name:
            continue
        folder = OUT / "".join(c if c.isalnum() else "-" for c in case.name)
        folder.mkdir(parents=True, exist_ok=True)
        code, wall, kb = measure(case.make(folder))
        ok = wall <= case.seconds and kb <= case.megabytes * 1024 and code in case.exit_codes
        failed += not ok
        print(f"| {case.name} | {case.before} | {wall:.1f} s, {kb // 1024} MB | {case.seconds:g} s, {case.megabytes} MB | "
              f"{code}{'' if ok else '  FAILED'} |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
