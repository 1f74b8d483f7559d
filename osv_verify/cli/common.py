"""What every command shares: the Typer app, the options, ``--lang``, the consoles, the one
error helper (``fail``), writing the output (``emit``), reporting input errors, and the edge
where errors become exit codes.

Exit codes: 0 verified without errors, 1 errors found, 2 input or usage error, 3 internal error
(please report), 4 (``verify``) an election of which no count could be checked (not verified).
"""

from __future__ import annotations

import functools
import inspect
import os
import re
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.console import Console
from rich.text import Text as RichText
from typer.core import TyperGroup

from osv_verify.core.version import __version__
from osv_verify.core.errors import InputError, OsvError, UsageError
from osv_verify.core.findings import ExitCode
from osv_verify.core.text import Text, pick
from osv_verify.core.escape import has_control, terminal
from osv_verify.report.output import Format, check_output, output_path, write_atomic


if TYPE_CHECKING:
    from osv_verify.checks.thresholds import Thresholds


class Lang(StrEnum):
    NL = "nl"
    EN = "en"


class Edge(TyperGroup):
    """The one place where errors become exit codes: ours give one stderr line and exit 2, in
    the language of the command line's ``--lang`` (``main`` passes it in ``obj``, because a
    command line that click cannot parse has no parsed ``--lang``)."""

    def invoke(self, ctx: typer.Context) -> object:
        lang = (ctx.obj or {}).get("lang", Lang.NL.value)
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # ``osv-verify export | head``: the reader has what it wanted
            _quiet_stdout()
            raise typer.Exit(0) from None
        except OsvError as err:
            fail(err.message_in(lang), ExitCode.INPUT, lang)
        except CLICK_USAGE_ERROR as err:  # the command line itself: unknown option, missing argument, bad value
            command = err.ctx.command_path if getattr(err, "ctx", None) else "osv-verify"  # type: ignore[attr-defined]
            message = err.format_message()  # type: ignore[attr-defined]
            problem = _click_problem_nl(message) if lang == "nl" else message.rstrip(".")
            fail(f"{problem}; {pick(lang, 'zie', 'see')} {command} --help", ExitCode.INPUT, lang)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that Python's own flush at exit finds no closed pipe to
    complain about (the recipe in Python's ``signal`` documentation)."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


#: click's UsageError (typer may vendor click, so found through the public ``typer.BadParameter``).
CLICK_USAGE_ERROR: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


#: click's own English messages and their Dutch (click speaks English only). Matched on the
#: message text, which is the same in click and in the click that typer may vendor.
_CLICK_NL = [
    (re.compile(r"No such option:? '?([^'\s(]+)'?.*"), "onbekende optie {0}"),
    (re.compile(r"No such command '([^']+)'\.?"), "onbekende opdracht '{0}'"),
    (re.compile(r"Missing argument '?([^']+?)'?\.?"), "argument '{0}' ontbreekt"),
    (re.compile(r"Missing option '?([^']+?)'?\.?"), "optie '{0}' ontbreekt"),
    (re.compile(r"Option '?([^']+?)'? requires an argument\.?"), "optie {0} heeft een waarde nodig"),
    (re.compile(r"Invalid value for (.+?): (.*?)\.?"), "ongeldige waarde voor {0} (\"{1}\")"),
]


def _click_problem_nl(message: str) -> str:
    """What click found wrong with the command line, in Dutch."""
    for pattern, dutch in _CLICK_NL:
        m = pattern.fullmatch(message.strip())
        if m:
            return dutch.format(*m.groups())
    return f"de opdrachtregel klopt niet (\"{message.strip()}\")"


def lang_in(args: list[str]) -> str:
    """The ``--lang`` of a command line (Dutch unless it says ``en``), for the messages printed
    outside a command: errors at the edge, internal errors."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return "en" if args[i + 1].lower() == "en" else "nl"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1].lower() == "en" else "nl"
    return "nl"


app = typer.Typer(
    cls=Edge,
    help="Independently verify published Dutch election results (EML_NL and OSV4-3 CSV).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class SafeConsole(Console):
    """A rich console that never passes a control character from a string to the terminal,
    whatever the caller printed (``fail``, input errors, tables, titles): ``terminal`` on the
    rendered text, one character for one, so the styles keep their place."""

    def render_str(self, text: str, **kwargs: Any) -> RichText:
        rendered = super().render_str(text, **kwargs)
        if has_control(rendered.plain):
            rendered.plain = terminal(rendered.plain)
        return rendered


#: The width of table output into a pipe or file: wide enough never to wrap a line or cut a path.
PIPE_WIDTH = 100_000


def make_console(stderr: bool) -> SafeConsole:
    """A console for stdout or stderr; into a pipe or a file it never wraps or truncates; no
    control character from the files reaches the terminal (``SafeConsole``), and no ``:name:``
    in a file becomes an emoji."""
    console = SafeConsole(stderr=stderr, no_color=bool(os.environ.get("NO_COLOR")), highlight=False, soft_wrap=True,
                          emoji=False)
    if not console.is_terminal:
        console.width = PIPE_WIDTH
    return console


def fail(message: str, code: ExitCode, lang: str = "nl") -> None:
    """Print ``osv-verify: fout: message`` (``error:`` in English) on stderr and exit with ``code``."""
    make_console(stderr=True).print(f"osv-verify: {pick(lang, 'fout', 'error')}: {message}", markup=False, style="red")
    raise typer.Exit(int(code))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"osv-verify {__version__} ({Path(__file__).resolve().parent.parent})")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Independently verify published Dutch election results (EML_NL and OSV4-3 CSV)."""


# Shared options (sqlite-utils style: the same flags on every command).
Paths = Annotated[list[Path], typer.Argument(help="Files, folders (searched recursively) and .zip archives.", show_default=False)]
OptionalPaths = Annotated[Optional[list[Path]], typer.Argument(help="Files, folders (searched recursively) and .zip archives.", show_default=False)]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", parser=output_path, help="Write to this file (atomically; never over an existing file without --force) instead of stdout; - is stdout, a device or FIFO is written into.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace output files that already exist.")]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Language of messages: nl (Dutch, the default) or en.", case_sensitive=False)]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show the traceback of an internal error (exit 3), to report it.")]

#: The options every command has, added by ``command``: name -> (annotation, default).
SHARED_OPTIONS: dict[str, tuple[object, object]] = {"lang": (LangOpt, Lang.NL), "debug": (DebugOpt, False)}


def command(name: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a command on ``app`` with the options every command has, so that no command can
    miss one: ``--lang`` (given to the command as ``lang`` when it takes that parameter) and
    ``--debug`` (``cli.main`` reads it from the command line: a bug then shows its traceback).
    A command declares neither option itself."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        own = [p for p in inspect.signature(fn, eval_str=True).parameters.values() if p.name not in SHARED_OPTIONS]
        takes = set(inspect.signature(fn).parameters)
        shared = [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
                  for n, (annotation, default) in SHARED_OPTIONS.items()]

        @functools.wraps(fn)
        def run(**kwargs: Any) -> Any:
            return fn(**{k: v for k, v in kwargs.items() if k in takes})

        run.__signature__ = inspect.Signature([*own, *shared])  # type: ignore[attr-defined]
        return app.command(name)(run)

    return register


def check_output_early(output: Path | None, inputs: list[Path], force: bool) -> None:
    """Refuse an ``--output`` that can never be written before the run starts (the write
    checks again)."""
    if output is not None:
        check_output(output, inputs, force)


class TerminalStream:
    """stdout for a writer that streams (``export``): on a terminal, each piece written without
    control characters, as ``emit`` writes a whole text; into a pipe or file, unchanged."""

    def __init__(self, stream: IO[str]):
        self.stream = stream
        self.clean = stream.isatty()

    def write(self, text: str) -> int:
        return self.stream.write(terminal(text) if self.clean else text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def emit(text: str, output: Path | None, inputs: list[Path], force: bool = False) -> None:
    """``text`` to ``output`` (``report.output.write_atomic``), or to stdout: to a terminal
    without control characters."""
    if output is None:
        sys.stdout.write(terminal(text) if sys.stdout.isatty() else text)
    else:
        write_atomic(output, text, inputs, force)


def no_html(fmt: Format, what: str) -> None:
    """``--format html`` is a report for people: only where there is one (verify, compare, seats, protocol)."""
    if fmt is Format.HTML:
        raise UsageError(Text(f"--format html is er niet voor {what}; gebruik het bij verify, compare, seats of protocol",
                              f"--format html is not available for {what}; use it with verify, compare, seats or protocol"))


def report_input_errors(errors: list[InputError], lang: str) -> None:
    console = make_console(stderr=True)
    for err in errors:
        console.print(f"osv-verify: {pick(lang, 'invoerfout', 'input error')}: {err.message_in(lang)}", markup=False, style="red")


LotsOpt = Annotated[Optional[Path], typer.Option("--lots", help="Drawn lots, in order (list numbers or candidate ids), one per line or comma-separated.")]


def lots_option(path: Path | None) -> tuple[int | str, ...]:
    from osv_verify.app.what_if import read_lots_file

    return () if path is None else read_lots_file(path)


def _thresholds(settings: list[str] | None) -> "Thresholds":
    """The plausibility and protocol thresholds with ``--set NAME=VALUE`` applied."""
    from osv_verify.checks.thresholds import Thresholds

    return Thresholds.with_overrides(dict(item.split("=", 1) if "=" in item else (item, "") for item in settings or []))

