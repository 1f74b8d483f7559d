"""What osv-verify reads at most, as settings: each limit is far above any real publication and
exceeding it is a one-line input error naming the file (exit 2), never an out-of-memory.

The archive limits are in ``io/archive.py`` (member size, compression ratio, nesting), the
count and XML limits where they are read (``io/numbers.py``, ``io/xmlsafe.py``); these are the
ones every reader shares.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from osv_verify.core.errors import InputError, unreadable
from osv_verify.core.text import Text

#: An option file (``--votes``, ``--lots``, ``--neighbourhoods``): the national CBS postcode
#: table, the largest, is about 25 MB as CSV.
MAX_OPTION_FILE_BYTES = 256 * 1024**2
#: Units (stations, municipalities) in one count file: the largest real 510 has a few thousand.
MAX_UNITS_PER_FILE = 100_000
#: Characters in one name (station, list, candidate, election): real ones are under 200.
MAX_NAME_CHARS = 1_000


def check_option_file(path: Path) -> None:
    """Refuse an option file that is not a regular file (``/dev/zero``, a FIFO) or is larger
    than ``MAX_OPTION_FILE_BYTES``, before reading a byte of it."""
    try:
        st = os.stat(path)
    except OSError as err:
        raise unreadable(str(path), err) from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(str(path), Text("geen gewoon bestand (een apparaat, pipe of socket wordt nooit gelezen)",
                                         "not a regular file (a device, pipe or socket is never read)"))
    if st.st_size > MAX_OPTION_FILE_BYTES:
        raise InputError(str(path), Text(f"{st.st_size} bytes, boven de grens van {MAX_OPTION_FILE_BYTES} bytes",
                                         f"{st.st_size} bytes, over the limit of {MAX_OPTION_FILE_BYTES} bytes"))


def check_name(name: str, source: str, where: str | None = None) -> str:
    """``name`` when it is at most ``MAX_NAME_CHARS`` long, else a one-line input error."""
    if len(name) > MAX_NAME_CHARS:
        raise InputError(source, Text(f"een naam van {len(name)} tekens, boven de grens van {MAX_NAME_CHARS}",
                                      f"a name of {len(name)} characters, over the limit of {MAX_NAME_CHARS}"), where)
    return name


def check_units(n: int, source: str) -> None:
    """Refuse a count file with more than ``MAX_UNITS_PER_FILE`` units."""
    if n > MAX_UNITS_PER_FILE:
        raise InputError(source, Text(f"{n} eenheden (stembureaus of gemeenten) in één bestand, boven de grens van {MAX_UNITS_PER_FILE}",
                                      f"{n} units (stations or municipalities) in one file, over the limit of {MAX_UNITS_PER_FILE}"))
