"""Every link in README.md and docs/*.md leads somewhere: a relative file link names a file or
folder that exists, and an #anchor names a heading of the page it points into (GitHub's slugs).
Links to other sites are not followed (the suite runs offline)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")


def prose(text: str) -> list[str]:
    """The lines of a Markdown page outside fenced code blocks."""
    out, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            out.append(line)
    return out


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for line in prose(page.read_text(encoding="utf-8")):
        m = HEADING.match(line)
        if m:
            base = slug(m.group(1))
            n = seen.get(base, 0)
            seen[base] = n + 1
            out.add(base if n == 0 else f"{base}-{n}")
    return out


def links(page: Path) -> list[str]:
    return [m.group(1) for line in prose(page.read_text(encoding="utf-8"))
            for m in LINK.finditer(re.sub(r"`[^`]*`", "", line))]  # a link shown as code is no link


def dead(page: Path) -> list[str]:
    out = []
    for target in links(page):
        if re.match(r"[a-z]+:", target):  # https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        where = (page.parent / path).resolve() if path else page
        if not where.exists():
            out.append(f"{target}: no such file")
        elif anchor and where.suffix == ".md" and anchor not in anchors(where):
            out.append(f"{target}: no heading #{anchor} in {where.name}")
    return out


def named_pages(page: Path) -> list[str]:
    """Pages a text names as code (`docs/cli.md`): they exist too (paths from the project root)."""
    return [f"`{name}`: no such file" for line in prose(page.read_text(encoding="utf-8"))
            for name in re.findall(r"`((?:docs|fixtures|benchmarks)/[\w./-]+\.md)`", line) if not (ROOT / name).exists()]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_dead_links(page):
    assert dead(page) + named_pages(page) == []


def test_the_walk_finds_a_dead_link_and_a_dead_anchor(tmp_path):
    page = tmp_path / "page.md"
    (tmp_path / "there.md").write_text("# A heading: with `code`\n", encoding="utf-8")
    page.write_text("# Top\n[ok](there.md#a-heading-with-code) [ok](#top) [gone](docs/readme/export.md) "
                    "[bad](there.md#elsewhere) [web](https://example.org/x)\n```\n[in code](nowhere.md)\n```\n",
                    encoding="utf-8")
    assert dead(page) == ["docs/readme/export.md: no such file", "there.md#elsewhere: no heading #elsewhere in there.md"]


def test_every_command_has_its_section_in_the_cli_docs():
    from osv_verify.devtools.docs import commands

    titles = anchors(ROOT / "docs" / "cli.md")
    assert "protocol" in commands()
    assert {f"osv-verify-{c}" for c in commands()} <= titles
