"""DF112 add-instead-of-copy: ``ADD`` where ``COPY`` does the same job.

``ADD`` does two things ``COPY`` does not: it fetches URLs and git repositories (that
is DF103's business) and it unpacks local tar archives. An ``ADD`` whose sources
are all local files that are not tar archives is a ``COPY`` with surprises: if one
of them turns out to be a tar archive, it is silently unpacked.

An archive is recognized by its name: ``.tar`` and compressed tars (``.tar.gz``,
``.tgz``, ``.tar.bz2``, ``.tbz2``, ``.tar.xz``, ``.txz``, ``.tar.zst``, …); a bare
``.gz``/``.bz2``/``.xz``/``.zst`` may hold a tar, so it is given the benefit of the
doubt. An ``ADD`` that mixes an archive with plain files is left alone (``COPY``
could not replace it as written), as are ``ADD`` flags ``COPY`` lacks
(``--checksum``, ``--keep-git-dir``, ``--unpack``), heredoc sources and sources
whose value cannot be known (an ``ARG`` without a default).

Where it points: at the ``ADD`` keyword (the fix is to change that word).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.checks._image import add_sources, is_remote_source, unresolved
from dockerlint.engine import RuleContext
from dockerlint.models.image import ImageBuild
from dockerlint.registry import Hit, Severity, rule

_ARCHIVE = re.compile(
    r"\.(?:tar|tar\.(?:gz|bz2|xz|zst|lz|lzma|z)|tgz|taz|tbz|tbz2|tb2|txz|tzst|tlz|gz|bz2|xz|zst)$",
    re.IGNORECASE)
_ADD_ONLY_FLAGS = frozenset({"checksum", "keep-git-dir", "unpack"})


def _is_archive(text: str) -> bool:
    # A glob such as 'dist/*.tar.gz' keeps its extension; 'rootfs.tar.gz/' does not exist.
    return bool(_ARCHIVE.search(text.rstrip("/")))


@rule(id="DF112", name="add-instead-of-copy", reads=ImageBuild, severity=Severity.LOW,
      summary="ADD of local files that COPY would copy the same way",
      cis=("4.9",),
      peers={"hadolint": "DL3020", "checkov": "CKV_DOCKER_4", "trivy": "DS-0005",
             "kics": "add_instead_of_copy"},
      precision="high", tags=("security", "best-practice"))
def add_instead_of_copy(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for ins in build.instructions:
        if ins.keyword != "ADD" or any(f.name in _ADD_ONLY_FLAGS for f in ins.flags):
            continue
        sources = add_sources(ins)
        if not sources:
            continue
        texts = [s.text for s in sources]
        if any(unresolved(t) or is_remote_source(t) or _is_archive(t) for t in texts):
            continue
        shown = " ".join(s.value for s in sources[:3]) + (" …" if len(sources) > 3 else "")
        yield Hit(ins.keyword_span, f"ADD of local sources ({shown}) that are not tar archives: use COPY, "
                  "which does the same without ADD's implicit unpacking and downloading",
                  context="add:" + " ".join(texts))
