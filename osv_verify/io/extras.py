"""The optional extras (``pip install osv-verify[parquet]``, ``[duckdb]``): imported only where a
feature needs one, and a missing one is a one-line error that says which extra to install."""

from __future__ import annotations

import importlib
from types import ModuleType

from osv_verify.core.errors import UsageError
from osv_verify.core.text import Text


def need(module: str, extra: str, what: Text) -> ModuleType:
    """Import ``module`` from the extra ``extra``; without it, a ``UsageError`` naming ``what``
    needs it and how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise UsageError(Text(f"{what.nl} heeft de extra '{extra}' nodig: pip install 'osv-verify[{extra}]'",
                              f"{what.en} needs the extra '{extra}': pip install 'osv-verify[{extra}]'")) from None
