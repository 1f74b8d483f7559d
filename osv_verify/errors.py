"""Typed errors for input that cannot be judged.

A discrepancy in the numbers is a *finding* (data, see ``osv_verify.findings``); a file that
cannot be read at all is an ``InputError``. The CLI turns an ``InputError`` into one line on
stderr and exit code 2; it never shows a traceback for one.
"""

from __future__ import annotations


class OsvError(Exception):
    """Base class: osv-verify cannot judge this input."""


class InputError(OsvError):
    """A file (or a place in it) cannot be read as what it claims to be.

    ``source`` names the file (``archive.zip!member.xml`` inside a zip), ``where`` the place
    in it (line, element, CSV row/column) when known, ``problem`` what is wrong.
    """

    def __init__(self, source: str, problem: str, where: str | None = None, nl: str | None = None) -> None:
        self.source = str(source)
        self.problem = problem  # English
        self.problem_nl = nl  # Dutch; every new message gives it
        self.where = where
        super().__init__(self.message)

    def __reduce__(self) -> tuple:
        # picklable (for --jobs worker processes): rebuild from the parts, not the message
        return (type(self), (self.source, self.problem, self.where, self.problem_nl))

    @property
    def message(self) -> str:
        return self.message_in("en")

    def message_in(self, lang: str) -> str:
        """The one-line message in ``lang`` (``nl`` or ``en``)."""
        problem = self.problem_nl if lang == "nl" and self.problem_nl else self.problem
        place = f"{self.where}: " if self.where else ""
        return f"{self.source}: {place}{problem}"


class UsageError(OsvError):
    """The command line asks for something impossible (exit code 2).

    ``UsageError(english, nl=dutch)``: every new message gives both languages."""

    def __init__(self, message: str, nl: str | None = None) -> None:
        self.message_nl = nl
        super().__init__(message)

    def message_in(self, lang: str) -> str:
        return self.message_nl if lang == "nl" and self.message_nl else str(self)
