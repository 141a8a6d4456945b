"""Finding rule and formatter plugins: entry points read only from trusted folders, and only
when a distribution other than dockerlint declares the group.

dockerlint's own rules are not an entry point (the registry lists ``dockerlint/rules/``), so a
run without plugins never imports ``importlib.metadata``: a plain scan of the ``*.dist-info``
folders' ``entry_points.txt`` (:func:`other_providers`) says whether there is anything to load.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def plugin_path(untrusted: Sequence[str] = ()) -> list[str]:
    """The ``sys.path`` entries where plugins (``*.dist-info`` entry points) may be found.

    Left out: the working directory (``''``, or the folder ``python -m`` puts first) and any
    entry inside it or inside one of the ``untrusted`` folders (the scanned paths): the
    repository being linted is the attacker's, and a ``*.dist-info`` folder committed there
    must not make dockerlint import its code. The running environment's own site-packages
    folders stay, even inside the working directory (a project's ``.venv``): whoever
    controls them controls the interpreter anyway.
    """
    import os
    import sys

    from dockerlint.util.containment import realpaths
    from dockerlint.util.safefiles import is_inside

    try:
        cwd = os.getcwd()
    except OSError:  # deleted: nothing can be found through it
        cwd = ""
    avoid = realpaths(d for d in (cwd, *untrusted) if d)
    site_dirs = [os.path.realpath(d) for d in _site_dirs()]
    out: list[str] = []
    for entry in sys.path:
        if not isinstance(entry, str) or entry in ("", "."):
            continue
        real = os.path.realpath(entry)
        if is_inside(real, avoid) and not is_inside(real, site_dirs):
            continue
        out.append(entry)
    return out


def _site_dirs() -> list[str]:
    import sys

    site = sys.modules.get("site")
    dirs: list[str] = []
    try:
        if site is not None:
            dirs.extend(site.getsitepackages())
            if site.ENABLE_USER_SITE:
                dirs.append(site.getusersitepackages())
    except (AttributeError, OSError, TypeError):  # an embedded or customised interpreter
        pass
    return dirs


def other_providers(group: str, path: Sequence[str]) -> bool:
    """Whether a distribution other than dockerlint declares ``group`` in the folders ``path``.

    A plain scan of the ``*.dist-info`` / ``*.egg-info`` folders' ``entry_points.txt``:
    ``importlib.metadata`` costs more to import than a run over one Dockerfile takes, so
    it is used only when there are plugins to load.
    """
    import os

    header = f"[{group}]"
    for entry in path:
        try:
            names = os.listdir(entry)
        except OSError:
            continue  # a zip file or a missing folder: importlib.metadata looks there when needed
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            if is_dockerlint(name.rsplit(".", 1)[0].split("-", 1)[0]):
                continue
            try:
                with open(os.path.join(entry, name, "entry_points.txt"), encoding="utf-8") as fh:
                    if header in fh.read():
                        return True
            except (OSError, UnicodeDecodeError):
                continue
    return False


def is_dockerlint(dist_name: str) -> bool:
    """Whether a distribution name is dockerlint's own (any spelling)."""
    return dist_name.lower().replace("_", "-") == "dockerlint"


def entry_points_of(group: str, path: Sequence[str]) -> list[Any]:
    """The entry points of ``group`` declared by the distributions found in ``path`` (the
    first distribution of a name wins, as on ``sys.path``), sorted by name."""
    from importlib.metadata import distributions

    seen: set[str] = set()
    out: list[Any] = []
    for dist in distributions(path=list(path)):
        name = (dist.metadata["Name"] or "").lower().replace("_", "-")
        if name:
            if name in seen:
                continue
            seen.add(name)
        out.extend(ep for ep in dist.entry_points if ep.group == group)
    return sorted(out, key=lambda e: e.name)
