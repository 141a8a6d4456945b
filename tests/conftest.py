import os
import sys
from pathlib import Path

# Make ``helpers`` importable from every test module.
sys.path.insert(0, str(Path(__file__).parent))

# In CI (CI=true): hypothesis keeps no example database, so nothing is written into the
# checkout and every run explores afresh; each property test bounds its own examples.
if os.environ.get("CI"):
    from hypothesis import settings

    settings.register_profile("ci", database=None)
    settings.load_profile("ci")
