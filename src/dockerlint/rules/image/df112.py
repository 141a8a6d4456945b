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
(``--checksum``, ``--keep-git-dir``, ``--unpack``) and heredoc sources.

A source whose value is not known (``ADD ${JAR_FILE} app.jar`` with an ``ARG`` without a
default) fires, as hadolint's DL3020 does, unless something says it may be a URL or an
archive: the written text (``${BASE}/x.tar.gz``, ``https://${HOST}/x``), a default written
for the variable anywhere in the Dockerfile, or the variable's name (``*_URL``, ``*_URI``,
``DOWNLOAD_*``, ``*_REPO``, ``*_GIT``, ``*_TARBALL``, ``*_ARCHIVE``, ``*_TGZ``, ``ROOTFS``…).
The message says that the value is not known.

Where it points: at the ``ADD`` keyword (the fix is to change that word).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.image import ImageBuild
from dockerlint.rules.common.image import add_sources, is_remote_source
from dockerlint.rules.common.secrets import name_words

_ARCHIVE = re.compile(
    r"\.(?:tar|tar\.(?:gz|bz2|xz|zst|lz|lzma|z)|tgz|taz|tbz|tbz2|tb2|txz|tzst|tlz|gz|bz2|xz|zst)$", re.IGNORECASE
)
_ADD_ONLY_FLAGS = frozenset({"checksum", "keep-git-dir", "unpack"})
_VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")  # the name only: linear on any text
# Words of a variable's name that say its value may be a URL or a git repository, or an archive.
_REMOTE_WORDS = frozenset(
    {
        "URL",
        "URI",
        "URLS",
        "LINK",
        "HREF",
        "HTTP",
        "HTTPS",
        "DOWNLOAD",
        "REMOTE",
        "GIT",
        "REPO",
        "REPOSITORY",
        "MIRROR",
        "ENDPOINT",
        "HOST",
        "SERVER",
        "CDN",
        "REGISTRY",
        "RELEASE",
    }
)
_ARCHIVE_WORDS = frozenset(
    {
        "TAR",
        "TARBALL",
        "TGZ",
        "TXZ",
        "ARCHIVE",
        "ARCHIVES",
        "ROOTFS",
        "GZ",
        "XZ",
        "BZ2",
        "ZST",
        "TARFILE",
        "COMPRESSED",
        "LAYER",
        "LAYERS",
    }
)


def _is_archive(text: str) -> bool:
    # A glob such as 'dist/*.tar.gz' keeps its extension; 'rootfs.tar.gz/' does not exist.
    return bool(_ARCHIVE.search(text.rstrip("/")))


def _variables(text: str) -> list[str]:
    return _VARIABLE.findall(text)


def _written_defaults(build: ImageBuild) -> dict[str, list[str]]:
    """Every value written for each variable in the Dockerfile (ARG defaults, ENV values), as written."""
    out: dict[str, list[str]] = {}
    for a in build.global_args:
        if a.default is not None:
            out.setdefault(a.name.value, []).append(a.default.value)
    for ins in build.instructions:
        if ins.keyword in ("ARG", "ENV"):
            for p in ins.pairs:
                if p.value is not None:
                    out.setdefault(p.key.value, []).append(p.value.value)
    return out


def _may_be_remote_or_archive(defaults: dict[str, list[str]], text: str) -> bool:
    """Whether an unresolved source may be a URL or an archive: its written text, a default
    written for one of its variables, or one of their names says so."""
    if is_remote_source(text) or _is_archive(text) or "://" in text:
        return True
    for name in _variables(text):
        for value in defaults.get(name, ()):
            if "://" in value or is_remote_source(value.strip("\"'")) or _is_archive(value.strip("\"'")):
                return True
        if not _REMOTE_WORDS.isdisjoint(name_words(name)) or not _ARCHIVE_WORDS.isdisjoint(name_words(name)):
            return True
    return False


@rule(
    id="DF112",
    name="add-instead-of-copy",
    reads=ImageBuild,
    severity=Severity.LOW,
    summary="ADD of local files that COPY would copy the same way",
    cis=("4.9",),
    peers={"hadolint": "DL3020", "checkov": "CKV_DOCKER_4", "trivy": "DS-0005", "kics": "add_instead_of_copy"},
    precision="high",
    tags=("security", "best-practice"),
)
def add_instead_of_copy(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    defaults: dict[str, list[str]] | None = None  # built at the first unresolved source
    for ins in build.instructions:
        if ins.keyword != "ADD" or any(f.name in _ADD_ONLY_FLAGS for f in ins.flags):
            continue
        sources = add_sources(ins)
        if not sources:
            continue
        texts = [s.text for s in sources]
        if any(is_remote_source(t) or _is_archive(t) for t in texts):
            continue
        unknown = [t for t in texts if "$" in t]
        if unknown and defaults is None:
            defaults = _written_defaults(build)
        if any(_may_be_remote_or_archive(defaults or {}, t) for t in unknown):
            continue
        shown = ", ".join(quote(s.value) for s in sources[:3]) + (", …" if len(sources) > 3 else "")
        what = "that are not tar archives"
        if unknown:
            names = ", ".join(dict.fromkeys(f"${{{n}}}" for t in unknown for n in _variables(t)))
            what = f"that are not tar archives (nothing suggests {quote(names)} is a URL or an archive)"
        yield Hit(ins.keyword_span, f"ADD of local sources {shown} {what}; use COPY", context="add:" + " ".join(texts))
