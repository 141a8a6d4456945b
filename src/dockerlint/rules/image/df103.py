"""DF103 remote-add: ``ADD`` of a URL without an integrity check.

``ADD https://…`` downloads at build time and trusts whatever the server sends.
``--checksum=sha256:…`` makes BuildKit verify the download. Git sources
(``ADD https://github.com/o/r.git#v1.2``, ``git@host:repo``) are judged the same
way: a tag or branch can be moved, so the source is pinned only by a commit (a
full commit hash as the ref, a ``checksum=``/``commit=`` query, or ``--checksum``).

Where it points: at the source word (the URL), so one ``ADD`` with two URLs gives
two findings.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.image import ImageBuild
from dockerlint.rules.common.image import add_sources, is_git_source, is_http_source, unresolved


@functools.cache
def _commit() -> re.Pattern[str]:
    return re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$", re.IGNORECASE)


@functools.cache
def _query_pin() -> re.Pattern[str]:
    return re.compile(r"[?&](?:checksum|commit)=[0-9a-f]{7,}", re.IGNORECASE)


def _git_pinned(url: str) -> bool:
    """A git source whose ref is a commit hash, or whose query asks BuildKit to verify one."""
    if _query_pin().search(url):
        return True
    _, _, fragment = url.partition("#")
    ref = fragment.split(":", 1)[0]
    return bool(_commit().match(ref))


def _fit(message: str, *fixes: str) -> str:
    """``message`` with the first of ``fixes`` that keeps it within 140 characters (the last one else)."""
    for fix in fixes:
        if len(message) + len(fix) <= 140:
            return message + fix
    return message + fixes[-1]


@rule(
    id="DF103",
    name="remote-add",
    reads=ImageBuild,
    severity=Severity.HIGH,
    summary="ADD downloads a URL without a checksum",
    cwe=(494,),
    cis=("4.9",),
    peers={"checkov": "CKV_DOCKER_4", "kics": "4b410d24 (curl_or_wget_instead_of_add)"},
    precision="very-high",
    tags=("security", "supply-chain"),
)
def remote_add(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for ins in build.instructions:
        if ins.keyword != "ADD":
            continue
        checksum = ins.flag("checksum")
        if checksum is not None and checksum.value:
            continue
        for src in add_sources(ins):
            url = src.text
            if unresolved(url):
                continue
            via = f" (= {quote(url, 40)})" if src.value != url else ""
            shown = quote(src.value, 40 if via else 48)
            if is_git_source(url):
                if _git_pinned(url):
                    continue
                yield Hit(
                    src.span,
                    _fit(
                        f"ADD clones {shown}{via} at a ref that can move",
                        "; pin a commit ('#<full hash>' or --checksum)",
                        "; pin a commit",
                    ),
                    context=f"git:{url}",
                )
            elif is_http_source(url):
                plain = " over plain HTTP" if url[:5].lower() == "http:" else ""
                yield Hit(
                    src.span,
                    _fit(
                        f"ADD downloads {shown}{via}{plain} without --checksum", "; add --checksum=sha256:<digest>", ""
                    ),
                    context=f"url:{url}",
                )
