import os
import sys
from pathlib import Path

import pytest

# Make ``helpers`` importable from every test module.
sys.path.insert(0, str(Path(__file__).parent))

from helpers import CORPUS_DIR, SHARED_DIR  # importable from here on

# In CI (CI=true): hypothesis keeps no example database, so nothing is written into the
# checkout and every run explores afresh; each property test bounds its own examples.
if os.environ.get("CI"):
    from hypothesis import settings

    settings.register_profile("ci", database=None)
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repository (its ``corpus/``); where it is absent, the test that
    asks for it is skipped with a reason that ``-ra`` (on by default) prints."""
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"../shared not found at {SHARED_DIR} (no corpus/ there): corpus tests skipped")
    return SHARED_DIR
