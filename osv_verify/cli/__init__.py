"""The command line: ``osv-verify COMMAND PATH... [options]``, one module per command.

Every command takes the same output options (``--format``, ``--output``, ``--lang``).
Data goes to stdout (or ``--output``), progress and errors to stderr. Exit codes: 0 verified
without errors, 1 errors found, 2 input or usage error, 3 internal error (please report),
4 (``verify``) an election of which no count could be checked (not verified).

A command module parses its arguments, calls one use case (``osv_verify.app``) and one
renderer (``osv_verify.report``), and sets the exit code; ``common`` holds what they share.
The modules are imported in the order ``--help`` lists the commands.
"""

from __future__ import annotations

import signal
import sys
import threading
import traceback

from osv_verify.cli import verify, seats, inspect, compare, template, export, protocol, hash, explain  # noqa: F401  (registers the commands)
from osv_verify.cli.common import app, lang_in
from osv_verify.cli.verify import verify_exit_code
from osv_verify.core.escape import terminal
from osv_verify.core.findings import ExitCode
from osv_verify.core.text import pick

__all__ = ["app", "main", "verify_exit_code"]


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code instead of exiting (testable, pypa/build style)."""
    args = sys.argv[1:] if argv is None else argv
    previous = signal.signal(signal.SIGTERM, _terminated) if threading.current_thread() is threading.main_thread() else None
    try:
        app(args=args, prog_name="osv-verify", obj={"lang": lang_in(args)})
    except SystemExit as exc:  # typer/click end every run this way (and SIGTERM, see _terminated)
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else int(ExitCode.INPUT))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug in osv-verify
        if "--debug" in args:
            traceback.print_exc()
        print(terminal(pick(lang_in(args),
                   f"osv-verify: interne fout: {type(exc).__name__}: {exc} "
                   "(meld dit graag, met de uitvoer van --debug, aan de makers van osv-verify)",
                   f"osv-verify: internal error: {type(exc).__name__}: {exc} "
                   "(please report this, with the --debug output, to the osv-verify developers)")), file=sys.stderr)
        return int(ExitCode.INTERNAL)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return 0


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM ends the run as Ctrl-C does: through every ``finally`` and ``except`` on the way
    (an unfinished ``--output`` temporary file is removed), exit 128 + 15."""
    raise SystemExit(128 + signum)
