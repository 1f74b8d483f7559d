"""The journalist's example in the README tells the truth about the real data.

Its answer is recomputed here from the export without pandas (pandas is not a dependency);
where pandas is installed, the example's own code is run too and must print what the page shows.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

import pytest

from osv_verify import cli
from osv_verify.app.export import rows

pytestmark = pytest.mark.realdata
PAGE = Path(__file__).resolve().parents[1] / "README.md"


def block(lang: str, index: int = 0) -> str:
    return re.findall(rf"```{lang}\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.DOTALL)[index]


def shown_answer() -> list[tuple[str, str, str]]:
    """(unit, unit name, share) from the output block under the example."""
    lines = block("text").splitlines()[1:-1]
    return [tuple(re.fullmatch(r"(\S+)\s+(.+?)\s+(\d+\.\d)", line).groups()) for line in lines]  # type: ignore[misc]


def test_the_answer_shown_is_the_export_recomputed(real_data: Path):
    votes: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for r in rows([real_data / "GR2022" / "WestMaasenWaal"]):
        if r.level == "stembureau" and r.kind == "list":
            votes[(r.unit, r.unit_name)][r.list_name] = r.value
    share = {unit: Fraction(100 * v["CDA"], sum(v.values())) for unit, v in votes.items()}
    top = sorted(share.items(), key=lambda kv: -kv[1])[:5]
    assert [(u, name, f"{float(s):.1f}") for (u, name), s in top] == shown_answer()


def test_the_example_code_prints_what_the_page_shows(real_data: Path, tmp_path: Path, monkeypatch, capsys):
    pytest.importorskip("pandas", reason="pandas is not a dependency; the example's answer is checked without it above")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["export", str(real_data / "GR2022" / "WestMaasenWaal"), "-o", "westmaasenwaal.csv"]) == 0
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(block("python"), {})  # noqa: S102 - our own documentation
    assert out.getvalue() == block("text")
