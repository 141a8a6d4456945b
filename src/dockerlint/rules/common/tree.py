"""Reading a few bytes of a file of the scanned tree, safely (DF111, DF116).

Some rules are more precise when they can look at a file an instruction copies: a
``*.key`` holding ``-----BEGIN PGP PUBLIC KEY BLOCK-----`` is no secret. The scanned
repository is hostile, so :func:`read_prefix` reads only

- files inside the tree, as :mod:`dockerlint.util.containment` defines it (the scanned folders,
  ``RuleContext.roots``, or the working directory when there are none; never ``/``),
  after every link is resolved: a link that leads out of it is not followed, whatever its
  name;
- regular files, opened without blocking (a FIFO or a device never hangs the run) and
  without following a link swapped in after the check (``O_NOFOLLOW`` on the resolved
  path, then ``fstat`` of what was opened);
- at most ``limit`` bytes from the start (8 KiB by default), whatever the file's size.

Anything else is "not known" (None), and the rule falls back to what the name says.

:func:`key_material` says what a file's first bytes are: a private key, or public
material (a public key, a certificate, a PGP public key block or keyring).
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable, Sequence

from dockerlint.util import containment

PREFIX = 8192  # bytes read from a file: a PEM header, an SSH key line, a short certificate chain
MAX_GLOB_MATCHES = 32  # a COPY glob that matches more is judged by name


def _tree(roots: Sequence[str]) -> tuple[str, ...]:
    """The tree as ``containment`` defines it: the real paths of the scanned folders (the
    working directory when there are none), never the file system's root."""
    return containment.tree_dirs(roots or [os.getcwd()])


def inside(abspath: str, roots: Sequence[str]) -> bool:
    """``abspath``, links resolved, is in the tree (see :func:`dockerlint.util.containment.inside`)."""
    return containment.inside(abspath, _tree(roots))


def read_prefix(abspath: str, roots: Sequence[str], limit: int = PREFIX) -> bytes | None:
    """The first ``limit`` bytes of the regular file ``abspath`` inside ``roots``, or None.

    Containment is ``containment.inside`` (every link resolved, the real path in the tree);
    the file is read by ``containment.read_regular`` (no blocking on a FIFO, no link
    swapped in at the last component, ``fstat`` of what was opened), only a prefix of it,
    whatever the file's size."""
    real = os.path.realpath(abspath)
    if not containment.is_below(real, _tree(roots)):
        return None
    try:
        return containment.read_regular(real, limit, prefix=True)
    except (OSError, containment.Refused):
        return None


def context_files(context: str, source: str, roots: Sequence[str]) -> list[str] | None:
    """The files of the build context ``context`` (an absolute folder) that the ``COPY``
    source ``source`` names: one path, or the matches of a glob in its last part. None
    when the source names nothing there (or too much, or leaves the context)."""
    rel = posixpath.normpath(source.replace("\\", "/").lstrip("/")) if source.strip("/") else "."
    if rel == "." or rel.startswith("../") or rel == ".." or "$" in rel:
        return None
    folder, _, last = rel.rpartition("/")
    if any(ch in folder for ch in "*?["):
        return None
    base = os.path.join(context, *folder.split("/")) if folder else context
    if not inside(base, roots):
        return None
    if not any(ch in last for ch in "*?["):
        path = os.path.join(base, last)
        return [path] if os.path.lexists(path) else None
    import fnmatch

    try:
        names = sorted(n for n in os.listdir(base) if fnmatch.fnmatchcase(n, last))
    except OSError:
        return None
    if not names or len(names) > MAX_GLOB_MATCHES:
        return None
    return [os.path.join(base, n) for n in names]


# -- what key material a file holds -------------------------------------------------------

_PEM = re.compile(rb"-----BEGIN ([A-Z0-9 ]{1,60})-----")
_SSH_PUBLIC = re.compile(
    rb"^(?:[^\s]+\s+)?(?:ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp\d+|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)"
    rb"@openssh\.com|ssh-(?:rsa|ed25519|dss)-cert-v01@openssh\.com)\s+AAAA[0-9A-Za-z+/]",
    re.MULTILINE,
)
_PUBLIC_PEM = (
    "PUBLIC KEY",
    "CERTIFICATE",
    "X509 CRL",
    "PKCS7",
    "CMS",
    "PGP SIGNATURE",
    "PGP MESSAGE",
    "DH PARAMETERS",
    "EC PARAMETERS",
    "SSH2 PUBLIC KEY",
    "PGP PUBLIC KEY BLOCK",
)
# OpenPGP packet tags (RFC 4880, 4.3): 6 public key, 14 public subkey, 5 secret key, 7 secret subkey.
_PGP_PUBLIC_TAGS = (6, 14)
_PGP_SECRET_TAGS = (5, 7)


def _pgp_tag(data: bytes) -> int | None:
    """The tag of the OpenPGP packet ``data`` starts with, when it is a key packet header
    followed by a key version (3 to 6); None otherwise."""
    if len(data) < 3 or not data[0] & 0x80:
        return None
    first = data[0]
    if first & 0x40:  # new format: tag in the low 6 bits, then a 1, 2 or 5 byte length
        tag, size = first & 0x3F, data[1]
        offset = 2 if size < 192 else 3 if size < 224 else 6 if size == 255 else 0
    else:  # old format: tag in bits 5-2, length type in bits 1-0
        tag, offset = (first >> 2) & 0x0F, {0: 2, 1: 3, 2: 5}.get(first & 0x03, 0)
    if not offset or len(data) <= offset or data[offset] not in (3, 4, 5, 6):
        return None
    return tag


def key_material(data: bytes, complete: bool) -> tuple[str, str] | None:
    """What the first bytes of a file hold: ``("secret", what)``, ``("public", what)`` or None
    (not known). ``complete``: ``data`` is the whole file. A prefix that shows only
    certificates is not enough (a combined PEM may hold the key further on), but an armored
    PGP public key block or an SSH public key line is one block: the file is public."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    headers = [m.group(1).decode("ascii") for m in _PEM.finditer(head)]
    for h in headers:
        if "PRIVATE KEY" in h:
            return "secret", f"a private key (-----BEGIN {h}-----)"
    if headers:
        first = headers[0]
        if not all(any(p in h for p in _PUBLIC_PEM) for h in headers) or not head.startswith(b"-----BEGIN"):
            return None
        if "PGP PUBLIC KEY BLOCK" in first:
            return "public", "a PGP public key"
        if not complete:
            return None
        return "public", "a certificate" if "CERTIFICATE" in first else f"public material (-----BEGIN {first}-----)"
    if _SSH_PUBLIC.match(head):
        return "public", "an SSH public key"
    tag = _pgp_tag(data)
    if tag in _PGP_PUBLIC_TAGS:
        return "public", "a PGP public keyring"
    if tag in _PGP_SECRET_TAGS:
        return "secret", "a PGP secret key"
    if len(data) >= 12 and data[8:12] == b"KBXf":
        return "public", "a GnuPG public keybox"
    return None


def classify(paths: Iterable[str], roots: Sequence[str]) -> tuple[str, str] | None:
    """:func:`key_material` over files: ``("secret", what)`` when one holds a private key,
    ``("public", what)`` when every one is public material, ``("unreadable", path)`` when
    one cannot be read (a link out of the tree, not a regular file), else None."""
    public: str | None = None
    for path in paths:
        data = read_prefix(path, roots, PREFIX + 1)
        if data is None:
            return "unreadable", path
        got = key_material(data[:PREFIX], complete=len(data) <= PREFIX)
        if got is None:
            return None
        verdict, what = got
        if verdict == "secret":
            return got
        public = public or what
    return ("public", public) if public else None
