"""Paths as the run compares them."""

from __future__ import annotations

import os


def path_key(path: str) -> str:
    """How two display paths are told to be the same file (the Dockerfile a build names
    and a Dockerfile of the scan)."""
    return os.path.normcase(os.path.normpath(os.path.abspath(path)))
