"""Shared fixtures for the seat-allocation tests: where the real published data lives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DATA = Path(os.environ.get("OSV_VERIFY_DATA", Path(__file__).resolve().parents[3] / "shared" / "data"))


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The folder ``../shared/data`` (or ``$OSV_VERIFY_DATA``); skips the test when absent."""
    if not DATA.is_dir():
        pytest.skip(f"real data not found at {DATA} (set OSV_VERIFY_DATA to the shared/data folder)")
    return DATA
