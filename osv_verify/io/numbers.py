"""A count as every published format writes it: ASCII digits, 0 <= n <= ``MAX_COUNT``.

One rule and one wording for every reader (EML, OSV CSV, the ``--votes`` CSV), so a bad
number reads the same whichever file it is in.
"""

from __future__ import annotations

from osv_verify.core.errors import InputError
from osv_verify.core.text import Text

#: No published count comes near this; anything larger is a broken or hostile file.
MAX_COUNT = 999_999_999
#: Whitespace around a number as XML (and the CSV reader) define it: not NBSP, not any other
#: Unicode space that ``str.strip`` would remove.
XML_WHITESPACE = " \t\r\n"
#: The Dutch of the ``what`` that a message names.
_WHAT_NL = {"count": "aantal", "list number": "lijstnummer"}
_SHOWN_CHARS = 40


def parse_count(text: str | None, source: str, where: str, what: str = "count") -> int:
    """The count in ``text`` (surrounding whitespace ignored), or an ``InputError`` naming
    ``what`` (``count``, ``list number``) at ``where``. Safe for thousands of digits, which
    ``int()`` refuses."""
    written = text or ""
    t = written.strip(XML_WHITESPACE)
    shown = written if len(written) <= _SHOWN_CHARS else written[:_SHOWN_CHARS] + "…"
    what_nl = _WHAT_NL.get(what, what)
    if not (t.isascii() and t.isdigit()):
        raise InputError(source, Text(f"{what_nl} {shown!r} is geen geheel getal van 0 of meer",
                                      f"{what} {shown!r} is not a whole non-negative number"), where)
    digits = t.lstrip("0") or "0"
    if len(digits) > len(str(MAX_COUNT)):
        raise InputError(source, Text(f"{what_nl} {shown} is groter dan een echte telling kan zijn (max {MAX_COUNT})",
                                      f"{what} {shown} is larger than any real count (max {MAX_COUNT})"), where)
    return int(digits)


def ascii_digits(text: str | None) -> bool:
    """``text`` is one or more ASCII digits 0-9 (``str.isdigit`` also says yes to ``²``, which
    ``int`` refuses, and to ``٣``, which ``int`` reads as 3)."""
    return bool(text) and text.isascii() and text.isdigit()  # type: ignore[union-attr]
