"""Text a person reads, in Dutch (the default) and English (``--lang en``).

One mechanism: code below the report layer never chooses a language. It returns ``Text``
(both sentences, Dutch first) or data; the report and CLI layers render it with
``Text.render(lang)`` (``pick`` is the same for a literal pair written in a renderer).
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Text(NamedTuple):
    """One sentence in both languages, Dutch first: what the domain returns instead of a string."""

    nl: str
    en: str

    def render(self, lang: str) -> str:
        """The sentence in ``lang``: Dutch unless ``lang`` is ``en``."""
        return self.en if lang == "en" else self.nl


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


#: What a page or a terminal cannot show: control characters (an ESC in a file's text would reach
#: a terminal as an escape sequence) and the bidirectional overrides that reorder what a reader sees.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` without the characters of ``_INVISIBLE``: for names read from a PDF or a certificate."""
    return _INVISIBLE.sub("", text)
