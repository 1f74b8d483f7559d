"""Typed errors for input that cannot be judged.

A discrepancy in the numbers is a *finding* (data, see ``osv_verify.core.findings``); a file that
cannot be read at all is an ``InputError``. The CLI turns an ``InputError`` into one line on
stderr and exit code 2; it never shows a traceback for one.

Every message is a ``Text`` (Dutch first, as everywhere); ``message_in(lang)`` picks one. The
place (``where``) is written once, in English words (``row 3, column 5``, ``line 12``), and
``place_in`` gives it in the user's language.
"""

from __future__ import annotations

import errno
import re

from osv_verify.core.text import Text

#: The place words readers write in ``where``, and their Dutch.
_PLACE_WORDS_NL = {"line": "regel", "row": "rij", "column": "kolom", "byte": "byte", "also row": "ook rij"}
_PLACE = re.compile(r"\b(also row|line|row|column|byte)(?= \S)")


def place_in(where: str, lang: str) -> str:
    """``row 3, column 5`` -> ``rij 3, kolom 5`` in Dutch; unchanged in English."""
    if lang != "nl":
        return where
    return _PLACE.sub(lambda m: _PLACE_WORDS_NL[m.group(1)], where)


#: Dutch for the operating system's reasons a file cannot be read (``OSError.errno``).
_OS_REASONS_NL = {errno.ENOENT: "bestand bestaat niet", errno.EACCES: "geen toegang", errno.EPERM: "geen toestemming",
                  errno.EISDIR: "is een map", errno.ENOTDIR: "een deel van het pad is geen map", errno.EIO: "leesfout (I/O)",
                  errno.ENAMETOOLONG: "naam te lang", errno.ELOOP: "te veel symbolische links"}


def unreadable(source: str, err: BaseException) -> InputError:
    """The input error for a file the operating system (or an archive) would not read."""
    why = getattr(err, "strerror", None) or err
    nl = _OS_REASONS_NL.get(getattr(err, "errno", None) or -1, f"\"{why}\"")
    return InputError(source, Text(f"niet te lezen: {nl}", f"cannot read: {why}"))


class OsvError(Exception):
    """Base class: osv-verify cannot judge this input."""

    def message_in(self, lang: str) -> str:
        return str(self)


class InputError(OsvError):
    """A file (or a place in it) cannot be read as what it claims to be.

    ``source`` names the file (``archive.zip!member.xml`` inside a zip), ``where`` the place
    in it (line, element, CSV row/column) when known, ``problem`` what is wrong, in both
    languages.
    """

    def __init__(self, source: str, problem: Text, where: str | None = None) -> None:
        self.source = str(source)
        self.problem = problem
        self.where = where
        super().__init__(self.message)

    def __reduce__(self) -> tuple:
        # picklable (for --jobs worker processes): rebuild from the parts, not the message
        return (type(self), (self.source, self.problem, self.where))

    @property
    def message(self) -> str:
        return self.message_in("en")

    def problem_in(self, lang: str) -> str:
        """What is wrong, without file and place, in ``lang``."""
        return self.problem.render(lang)

    def message_in(self, lang: str) -> str:
        """The one-line message in ``lang`` (``nl`` or ``en``)."""
        place = f"{place_in(self.where, lang)}: " if self.where else ""
        return f"{self.source}: {place}{self.problem_in(lang)}"


class UsageError(OsvError):
    """The command line asks for something impossible (exit code 2): ``UsageError(Text(nl, en))``."""

    def __init__(self, text: Text) -> None:
        self.text = text
        super().__init__(text.en)

    def __reduce__(self) -> tuple:
        return (type(self), (self.text,))

    def message_in(self, lang: str) -> str:
        return self.text.render(lang)
