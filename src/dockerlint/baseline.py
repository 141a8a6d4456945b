"""Baselines: adopt dockerlint on an existing repository without fixing everything first.

``--write-baseline FILE`` records the findings of a run; ``--baseline FILE`` then reports
only findings that are not in it. A finding is recorded by a line-independent
fingerprint (:func:`~dockerlint.util.fingerprint.stable_fingerprint`): the rule id,
the file's path relative to the baseline's folder, the flagged source text with
whitespace collapsed, and the finding's context (a service name, a stage). Moving code
around, re-indenting it or adding lines above it keeps a finding baselined; editing the
flagged text, renaming the file or adding a second identical construct makes a new one
(identical fingerprints are counted: the baseline holds N of them, the N+1th is new).

File format (JSON, ``version`` 1)::

    {"version": 1, "tool": "dockerlint",
     "findings": [{"fingerprint": "<sha256 hex>", "rule_id": "DC101",
                   "path": "deploy/compose.yaml", "line": 9, "message": "..."}]}

Only ``fingerprint`` is used for matching; the rest is there for reviewers.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from dockerlint.core.findings import Finding, Result, Suppressed
from dockerlint.util.fingerprint import stable_fingerprint
from dockerlint.util.limits import DEFAULT_MAX_FILE_SIZE

VERSION = 1


class BaselineError(Exception):
    pass


def _relative(path: str, base_dir: str) -> str:
    try:
        rel = os.path.relpath(os.path.abspath(path), base_dir)
    except ValueError:
        rel = path
    return rel.replace(os.sep, "/")


def fingerprint(f: Finding, base_dir: str) -> str:
    return stable_fingerprint(f.rule_id, _relative(f.path, base_dir), f.snippet, f.context)


def write(path: str, result: Result, guarded: Sequence[str] = ()) -> int:
    """Write the baseline of ``result``'s findings to ``path``; returns how many it holds.

    The file is replaced atomically; a symbolic link on the way that lies inside one of the
    ``guarded`` folders (the working directory, the scanned ones) is refused."""
    from dockerlint.util.safefiles import WriteRefused, write_report

    base_dir = os.path.dirname(os.path.abspath(path))
    rows = sorted(
        (_relative(f.path, base_dir), f.span.line, f.rule_id, fingerprint(f, base_dir), f.message)
        for f in result.findings
    )
    records = [
        {"fingerprint": fp, "rule_id": rule_id, "path": rel, "line": line, "message": message}
        for rel, line, rule_id, fp, message in rows
    ]
    doc = {"version": VERSION, "tool": "dockerlint", "findings": records}
    try:
        write_report(path, _json(doc).encode("utf-8"), guarded)
    except WriteRefused as exc:
        raise BaselineError(
            f"not writing the baseline to {path}: {exc}: dockerlint does not write through links of the tree it lints"
        ) from None
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write the baseline: {exc.strerror or exc}") from None
    return len(records)


def _json(doc: object) -> str:
    """``doc`` as UTF-8-ready JSON. A path whose bytes are not UTF-8 holds lone surrogates
    (``os.fsdecode``), which cannot be written raw: they are kept as ``\\udcXX`` escapes,
    which read back as the same path."""
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)


def load(
    path: str, tree: Sequence[str] | None = None, holders: Sequence[str] = (), max_size: int = DEFAULT_MAX_FILE_SIZE
) -> Counter[str]:
    """The fingerprints a baseline records, with their counts.

    Read only within the tree (:mod:`dockerlint.util.containment`): a baseline you name outside
    the working directory and the linted folders is read as you say, but a symbolic link of
    the repository (in the ``tree``, or in a ``holders`` folder) that leads out of the ``tree``
    (real paths; default the working directory) is refused, and so are FIFOs, devices and
    files over ``max_size`` bytes.
    """
    from dockerlint.util import containment

    if tree is None:
        tree = containment.real_dirs([os.getcwd()])
    try:
        data = containment.read_in_tree(path, tree, max_size, holders)
        doc = json.loads(data.decode("utf-8"))
    except containment.OutsideTree as exc:
        raise BaselineError(
            f"{path}: not read: {exc} (dockerlint follows no link of the repository out of "
            "the linted folders; name the file it points to instead to use it)"
        ) from None
    except containment.TooLarge as exc:
        raise BaselineError(f"{path}: not read: {exc} (raise the limit with --max-file-size)") from None
    except containment.Refused as exc:
        raise BaselineError(f"{path}: not read: {exc}") from None
    except OSError as exc:
        raise BaselineError(
            f"{path}: cannot read the baseline: {exc.strerror or exc} (create one with --write-baseline)"
        ) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: not a dockerlint baseline: invalid JSON ({exc})") from None
    except RecursionError:
        raise BaselineError(f"{path}: not a dockerlint baseline: invalid JSON (nested too deeply)") from None
    if not isinstance(doc, dict) or doc.get("tool") != "dockerlint" or not isinstance(doc.get("findings"), list):
        raise BaselineError(
            f'{path}: not a dockerlint baseline (expected an object with "tool": "dockerlint" and a "findings" list)'
        )
    if doc.get("version") != VERSION:
        raise BaselineError(
            f"{path}: baseline version {doc.get('version')!r} is not supported "
            f"(this dockerlint reads version {VERSION}); write it again with --write-baseline"
        )
    counts: Counter[str] = Counter()
    for i, rec in enumerate(doc["findings"]):
        fp = rec.get("fingerprint") if isinstance(rec, dict) else None
        if not isinstance(fp, str):
            raise BaselineError(f'{path}: findings[{i}] has no "fingerprint" string')
        counts[fp] += 1
    return counts


def apply(result: Result, path: str, counts: Counter[str]) -> int:
    """Move the findings recorded in the baseline to ``result.suppressed``; returns how many."""
    base_dir = os.path.dirname(os.path.abspath(path))
    remaining = Counter(counts)
    kept: list[Finding] = []
    moved = 0
    label = os.path.basename(path)
    for f in result.findings:  # sorted by path and position: earlier occurrences match first
        fp = fingerprint(f, base_dir)
        if remaining[fp] > 0:
            remaining[fp] -= 1
            result.suppressed.append(replace(f, suppression=Suppressed("baseline", f"recorded in {label}")))
            moved += 1
        else:
            kept.append(f)
    result.findings = kept
    result.suppressed.sort(key=Finding.sort_key)
    return moved
