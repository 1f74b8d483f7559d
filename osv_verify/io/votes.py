"""The what-if input of ``osv-verify seats --votes FILE``: a small CSV a journalist types.

Header ``list;name;votes`` and optionally ``candidates`` (the number of candidates on the
list, for list exhaustion); ``;`` or ``,`` as separator; a BOM is fine.
"""

from __future__ import annotations

import csv
import io

from osv_verify.core.errors import InputError
from osv_verify.core.text import Text
from osv_verify.io.numbers import ascii_digits, parse_count
from osv_verify.seats.apportion import ListInput

REQUIRED = ("list", "name", "votes")


def read_votes(data: bytes, source: str) -> list[ListInput]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(source, Text(f"geen UTF-8-tekst (byte {err.start})", f"not UTF-8 text (byte {err.start})")) from None
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise InputError(source, Text("leeg bestand", "empty file"))
    header = [c.strip().lower() for c in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        need, lack = ", ".join(f"'{c}'" for c in REQUIRED), ", ".join(f"'{c}'" for c in missing)
        raise InputError(source, Text(f"de kopregel moet {need} hebben (en eventueel 'candidates'); ontbreekt: {lack}",
                                      f"header must have {need} (and optionally 'candidates'); missing {lack}"), "row 1")
    col = {name: header.index(name) for name in header}
    lists: list[ListInput] = []
    seen: set[int] = set()
    for i, row in enumerate(rows[1:], start=2):
        def cell(name: str) -> str:
            return row[col[name]].strip() if col[name] < len(row) else ""
        where = f"row {i}"
        n = parse_count(cell("list"), source, where + ", column list")
        if n in seen:
            raise InputError(source, Text(f"lijst {n} staat er twee keer in", f"list {n} appears twice"), where)
        seen.add(n)
        cands = cell("candidates") if "candidates" in col else ""
        lists.append(ListInput(n, parse_count(cell("votes"), source, where + ", column votes"), cell("name"),
                               parse_count(cands, source, where + ", column candidates") if cands else None))
    return lists


def read_lots(data: bytes, source: str) -> tuple[int | str, ...]:
    """Drawn lots, in the order they were drawn: list numbers or candidate ids, separated by
    commas, semicolons or new lines; ``#`` starts a comment."""
    text = data.decode("utf-8-sig", errors="replace")
    items: list[int | str] = []
    for line in text.splitlines():
        for token in line.split("#", 1)[0].replace(";", ",").split(","):
            token = token.strip()
            if token:
                items.append(int(token) if ascii_digits(token) else token)
    if not items:
        raise InputError(source, Text("geen getrokken loten in het bestand", "no drawn lots in the file"))
    return tuple(items)
