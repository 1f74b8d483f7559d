"""Text from the files, made harmless for the medium it is written to: one helper per medium.

Every name, Id and file name osv-verify shows comes from files anyone can write, so each
medium gets the escaping it needs, here and nowhere else:

- **terminal** (``terminal``, and ``cli.common.SafeConsole`` that applies it to everything printed): control characters (C0 but line feed and tab,
  DEL, C1, and the bidirectional overrides of "Trojan Source") are shown as ``\ufffd``; they
  would otherwise clear the screen (``ESC[2J``), plant a hidden link (OSC 8), write the
  clipboard (OSC 52) or reorder what is shown. ``rich_text`` escapes rich's markup as well,
  for the places that style text with markup (``[/]`` would crash the run, ``[link=...]``
  plant a link, ``[red]`` vanish).
- **spreadsheet** (``csv_cell``): a text cell that a spreadsheet would run as a formula (it
  starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return) gets a leading ``'``, as OWASP's
  "CSV Injection" page recommends. Numbers stay numbers: an ``int`` is never changed, nor a
  text cell that is a plain number or percentage (``-3``, ``+12``, ``-0,5``, ``+38.3%``), which no spreadsheet runs as a
  formula; so a column of numbers still sums.
- **Markdown** (``md_cell``): a table cell on one line, its pipes escaped, and HTML and link
  syntax (``<script>``, ``<img onerror>``, ``[x](javascript:...)``) escaped (``<`` and brackets), so a renderer that
  allows HTML shows them as text.
"""

from __future__ import annotations

import re

#: Control characters no terminal should receive from data, each shown as U+FFFD (one
#: character for one, so styled spans keep their place).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal(text: str) -> str:
    """``text`` with every control character but line feed and tab replaced by U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


def rich_text(text: object) -> str:
    """``text`` for a place where rich reads markup: controls replaced and markup escaped."""
    from rich.markup import escape  # only the report layer asks, with rich loaded already

    return escape(terminal(str(text)))


def has_control(text: str) -> bool:
    """``text`` holds a character ``terminal`` would replace."""
    return _CONTROL.search(text) is not None


#: A text a spreadsheet would run as a formula starts with one of these (OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?%?")


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text, never runs: ``None`` is empty, a number is
    itself, a text that would start a formula gets a leading ``'`` unless it is a plain number."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


_MD_SPECIAL = re.compile(r"[\\`\[\]|]")
_HTML = str.maketrans({"<": "&lt;"})  # no tag, comment or autolink can open without it


def md_cell(value: object) -> str:
    """A Markdown table cell: one line, no control characters, ``|`` and link/emphasis syntax
    backslash-escaped (so no link forms), ``<`` as ``&lt;``."""
    if value is None:
        return ""
    text = terminal(str(value)).replace("\n", " ").replace("\t", " ")
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), text).translate(_HTML)
