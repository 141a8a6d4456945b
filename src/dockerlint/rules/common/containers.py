"""How a finding's message names the container it is about (docs/messages.md: the subject).

Every rule that judges a :class:`~dockerlint.models.container.Container` starts its message
with :func:`subject`, so the container is named the way its source names it, the same way in
every rule: ``service 'web'`` (a Compose service, with ``(profile 'dev')`` when it runs only
with a profile), ``docker run`` (a command line: its words), ``dev container 'Go'``,
``Quadlet container 'web.container'``, ``service 'postgres' of job 'test'`` (GitLab CI),
``agent docker of stage 'build'`` (Jenkins)...
"""

from __future__ import annotations

from dockerlint.api import quote
from dockerlint.models.container import Container

# A service name is the user's text: short enough to leave the message its room.
_NAME_LIMIT = 32


def subject(c: Container) -> str:
    """The container as a message names it. A Compose service's name (and profiles) go through
    :func:`dockerlint.api.quote` (escaped, elided past 32 characters); the other sources' labels
    are built by their parsers from the words of the file."""
    if c.source != "compose":
        return c.label
    name = f"service {quote(c.name.value, _NAME_LIMIT)}"
    if not c.profiles:
        return name
    which = "profile" if len(c.profiles) == 1 else "profiles"
    return f"{name} ({which} {', '.join(quote(p, _NAME_LIMIT) for p in c.profiles)})"
