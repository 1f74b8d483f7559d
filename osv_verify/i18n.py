"""Small language helpers shared by every report: Dutch by default, English with ``--lang en``."""

from __future__ import annotations


#: Severity words for people (the values ``error``/``warning``/``info`` stay the data keys).
SEVERITY_NL = {"error": "fout", "warning": "waarschuwing", "info": "info"}


def severity(value: str, lang: str) -> str:
    """``fout`` for ``error`` in Dutch; the value itself in English."""
    return value if lang == "en" else SEVERITY_NL.get(value, value)


def count(n: int, one: str, many: str) -> str:
    """``1 bestand``, ``2 bestanden``: a number with the right singular or plural noun."""
    return f"{n} {one if n == 1 else many}"


def pick(lang: str, nl: str, en: str) -> str:
    """The text of the language: Dutch unless ``lang`` is ``en``."""
    return en if lang == "en" else nl
