"""Dev container configurations (``.devcontainer/devcontainer.json``, ``.devcontainer.json``,
``.devcontainer/<name>/devcontainer.json``) -> the container the dev container tools start.

The file is JSONC (``//`` and ``/* */`` comments, trailing commas), read with the
position-keeping JSON reader (:func:`dockerlint.parsers.jsonpos.parse_jsonc`): a setting in a
comment is no setting, and invalid JSONC is one DC000 at its position.

What the tools do with the file, as ``devcontainer up`` (devcontainers/cli) does it:

* ``runArgs``: extra ``docker run`` arguments, one per string (no shell splits them), read
  with the command-line reader (``parsers/cmdline.py``), each located inside its JSON string;
* ``privileged``, ``init``, ``capAdd``, ``securityOpt``; ``mounts`` (each one a ``--mount`` value, or
  an object with ``type``/``source``/``target``); ``containerEnv`` (``-e``);
* ``containerUser`` is the container's user (``--user``). ``remoteUser`` is only the user of
  the processes the tool starts in it (editor server, terminals): not the container's user;
* ``remoteEnv`` is the environment of those processes: a committed secret or a Docker client
  setting there is one as much as in ``containerEnv`` (DC117, DD104);
* ``appPort`` publishes like ``-p``: a number ``N`` as ``127.0.0.1:N:N``, a string as written.
  ``forwardPorts`` never publishes (the tool tunnels those ports);
* Features: ``docker-outside-of-docker`` (formerly ``docker-from-docker``) mounts the host's
  Docker socket, ``docker-in-docker`` runs the container privileged;
* ``image``, or ``build.dockerfile`` (legacy ``dockerFile``, relative to the file's folder):
  the image, linked to its Dockerfile as a Compose ``build:`` is (DC122; the Dockerfile is
  linted whatever its name);
* ``dockerComposeFile`` + ``service``: the container is that Compose service, judged where the
  Compose file writes it (the scan reads the Compose file itself). ``runArgs`` and ``appPort``
  are ignored, as the tools ignore them; what the tools add to the service (features,
  ``mounts``, ``containerEnv``, ``privileged``, ``capAdd``, ``securityOpt``,
  ``containerUser``) is judged here, and only that: the service is judged once.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from typing import Any

from dockerlint.models.base import LBool, LStr, Span
from dockerlint.models.container import BuildRef, Container, EnvVar, Mount
from dockerlint.models.shell import Word
from dockerlint.models.source import SourceFile
from dockerlint.parsers import jsonpos
from dockerlint.parsers.cmdline import RUN_FLAGS, RUN_SHORT, Val, apply_flags, mount, parse_args, port
from dockerlint.parsers.errors import ParseError
from dockerlint.parsers.output import Comment, ParseOutput, comment_at

WHAT = "devcontainer.json"
READER = "the dev container tools"
SOCKET = "/var/run/docker.sock"
# Feature ids (OCI reference without its tag or digest, or a legacy short id), lower case.
_FEATURE = re.compile(
    r"^(?:ghcr\.io/devcontainers/features/|ghcr\.io/microsoft/vscode-dev-containers/)?"
    r"(?P<id>docker-outside-of-docker|docker-from-docker|docker-in-docker)(?:[:@].*)?$"
)
_SOCKET_FEATURES = frozenset({"docker-outside-of-docker", "docker-from-docker"})
# The tools' variables for the local machine: ``${localEnv:NAME}`` (``${env:NAME}`` in older
# VS Code), empty when unset, or ``${localEnv:NAME:default}`` (a default stops at the next
# ``$``: no nesting, and each match ends before the next variable, so the scan stays linear).
_LOCAL_ENV = re.compile(r"\$\{(?:localEnv|env):(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::(?P<default>[^}$]*))?\}")
# The user's home on every system: HOME (Linux, macOS) or USERPROFILE (Windows); configurations
# write both side by side (``${localEnv:HOME}${localEnv:USERPROFILE}/.ssh``), one of them empty.
_HOME_NAMES = frozenset({"HOME", "USERPROFILE"})
_HOMES = re.compile(r"~+")


def parse(src: SourceFile) -> ParseOutput:
    try:
        got = jsonpos.parse_jsonc(src.text, WHAT, READER)
    except ParseError as exc:
        exc.comments = []
        raise
    lines = src.lines
    comments: list[Comment] = [comment_at(lines, line, col, end) for line, col, end in got.comments]
    root = got.document.root
    if root is None or root.kind != "object":
        line, col = (root.line, root.col) if root is not None else (1, 1)
        error = ParseError(
            f"a dev container configuration must be a JSON object, not "
            f"{root.type_name if root is not None else 'an empty file'}",
            line,
            col,
            col + 1,
        )
        error.comments = comments
        raise error
    out = _DevContainer(src.path, got.document, root).run()
    out.comments = comments
    return out


class _DevContainer:
    def __init__(self, path: str, doc: jsonpos.Document, root: jsonpos.Node) -> None:
        self.path = path
        self.doc = doc
        self.root = root

    # -- values with spans ---------------------------------------------------------------

    def span(self, node: jsonpos.Node) -> Span:
        return node.span(self.path)

    def val(self, node: jsonpos.Node) -> Val:
        """A string node as the command-line reader reads a word: its value, located inside
        the quotes (a part of it at the characters that write it)."""
        text: str = node.value
        inner = self.doc.string_span(node, self.path, 0, len(text)) if text else self.span(node)

        def sub(a: int, b: int) -> Span:
            return self.doc.string_span(node, self.path, a, b)

        return Val(text, inner, True, sub)

    def lstr(self, node: jsonpos.Node) -> LStr:
        return self.val(node).lstr()

    def word(self, node: jsonpos.Node) -> Word:
        """A ``runArgs`` string as one argument (no shell splits or expands it)."""
        text: str = node.value
        raw = self.doc.text[node.start + 1 : node.end - 1]
        span = self.val(node).span
        return Word(raw=raw, value=text, text=text, span=span, quoted=False, substitutions=())

    def strings(self, key: str) -> list[jsonpos.Node]:
        """The string items of an array (or the string itself) at ``key``."""
        node = self.root.get(key)
        if node is None:
            return []
        items = node.value if node.kind == "array" else [node]
        return [i for i in items if i.kind == "string" and i.value != ""]

    # -- the container ---------------------------------------------------------------------

    def run(self) -> ParseOutput:
        f: dict[str, Any] = {}
        compose = self.compose_service()
        if compose is None:
            self.run_args(f)
        self.settings(f)
        if compose is None:
            self.workspace_mount(f)
        self.features(f)
        self.env(f)
        if compose is None:
            self.app_ports(f)
            self.image(f)
        elif not f:
            return ParseOutput()  # nothing added to the Compose service: it is judged where it is written
        if "volumes" in f:
            f["volumes"] = [_local_source(m) for m in f["volumes"]]
        name_node = self.root.get("name")
        named = name_node is not None and name_node.kind == "string" and name_node.value.strip()
        label = f"dev container {name_node.value.strip()!r}" if named and name_node is not None else "dev container"
        anchor = (
            self.span(name_node)
            if named and name_node is not None
            else Span(self.path, self.root.line, self.root.col, self.root.line, self.root.col + 1)
        )
        managed = None
        if compose is not None:
            managed = f"the Compose service {compose!r}"
            label += f" (Compose service {compose!r})"
        c = Container(
            source="devcontainer",
            path=self.path,
            name=LStr(label, anchor),
            span=self.span(self.root),
            managed_by=managed,
            **f,
        )
        from dockerlint.parsers.cmdline import client_env_of

        models: list[Any] = [c]
        env = client_env_of(c)
        if env is not None:
            models.append(env)
        return ParseOutput(models=models)

    def compose_service(self) -> str | None:
        """The service of a Compose-based configuration (``dockerComposeFile`` set), or None."""
        if self.root.get("dockerComposeFile") is None:
            return None
        service = self.root.get("service")
        return service.value if service is not None and service.kind == "string" else "?"

    def run_args(self, f: dict[str, Any]) -> None:
        words = [self.word(n) for n in self.strings("runArgs")]
        if words:
            apply_flags(parse_args(words, RUN_FLAGS, RUN_SHORT, stop_at_operand=False).flags, f)

    def settings(self, f: dict[str, Any]) -> None:
        """``privileged``, ``capAdd``, ``securityOpt``, ``containerUser``, ``mounts``: what the
        tools pass as the matching ``docker run`` flags (after ``runArgs``)."""
        for key in ("privileged", "init"):
            for m in self.root.members(key):
                if m.value.kind == "bool":
                    f[key] = LBool(bool(m.value.value), self.span(m.key_node))
        for key, field in (("capAdd", "cap_add"), ("securityOpt", "security_opt")):
            for item in self.strings(key):
                f.setdefault(field, []).append(self.lstr(item))
        user = self.root.get("containerUser")
        if user is not None and user.kind == "string" and user.value.strip():
            f["user"] = self.lstr(user)
        node = self.root.get("mounts")
        for item in node.value if node is not None and node.kind == "array" else []:
            got = mount(self.val(item)) if item.kind == "string" else self.mount_object(item)
            if got is not None:
                f.setdefault("volumes", []).append(got)

    def workspace_mount(self, f: dict[str, Any]) -> None:
        """``workspaceMount``: the workspace's own mount instead of the default one, a
        ``--mount`` value (image and Dockerfile configurations only, as the tools read it)."""
        node = self.root.get("workspaceMount")
        if node is not None and node.kind == "string" and node.value.strip():
            got = mount(self.val(node))
            if got is not None:
                f.setdefault("volumes", []).append(got)

    def mount_object(self, node: jsonpos.Node) -> Mount | None:
        """``{"type": "bind", "source": "…", "target": "…"}``."""
        if node.kind != "object":
            return None
        values = {m.key: m.value for m in node.members() if m.value.kind == "string"}
        kind = values.get("type")
        source = values.get("source")
        target = values.get("target")
        if kind is None or target is None:
            return None  # the tools refuse it
        return Mount(
            span=self.span(node),
            type=kind.value.lower(),
            source=self.lstr(source) if source is not None and source.value else None,
            target=self.lstr(target),
            read_only=False,
            propagation=None,
            options=[],
        )

    def features(self, f: dict[str, Any]) -> None:
        """The Docker features: the host's socket (docker-outside-of-docker), or a privileged
        container (docker-in-docker), located at the feature's id."""
        node = self.root.get("features")
        for m in node.members() if node is not None else []:
            got = _FEATURE.match(m.key.strip().lower())
            if got is None or m.value.kind in ("null",) or (m.value.kind == "bool" and not m.value.value):
                continue
            at = self.val(m.key_node)
            if got.group("id") in _SOCKET_FEATURES:
                # The feature mounts the host's socket at /var/run/docker-host.sock.
                sock = LStr(SOCKET, at.span)
                target = LStr("/var/run/docker-host.sock", at.span)
                f.setdefault("volumes", []).append(
                    Mount(
                        span=at.span,
                        type="bind",
                        source=sock,
                        target=target,
                        read_only=False,
                        propagation=None,
                        options=[f"feature {m.key}"],
                    )
                )
            else:
                f["privileged"] = LBool(True, at.span)

    def env(self, f: dict[str, Any]) -> None:
        for key in ("containerEnv", "remoteEnv"):
            node = self.root.get(key)
            for m in node.members() if node is not None else []:
                if m.value.kind != "string":
                    continue
                k, v = m.key_node, m.value
                span = Span(self.path, k.line, k.col, v.end_line, v.end_col)
                f.setdefault("environment", []).append(
                    EnvVar(name=self.lstr(k), value=self.lstr(v) if v.value else LStr("", self.span(v)), span=span)
                )

    def app_ports(self, f: dict[str, Any]) -> None:
        node = self.root.get("appPort")
        if node is None:
            return
        for item in node.value if node.kind == "array" else [node]:
            if item.kind == "number" and isinstance(item.value, int):
                # The tools publish a number on the loopback only (127.0.0.1:N:N).
                text = f"127.0.0.1:{item.value}:{item.value}"
                span = self.span(item)
                got = port(Val(text, span, True))
            elif item.kind == "string" and item.value:
                got = port(self.val(item))
            else:
                continue
            if got is not None:
                f.setdefault("ports", []).append(got)

    def image(self, f: dict[str, Any]) -> None:
        """``image``, or the Dockerfile build (``build.dockerfile``; legacy ``dockerFile`` and
        ``context`` at the top level), relative to this file's folder."""
        image = self.root.get("image")
        if image is not None and image.kind == "string" and image.value.strip():
            f["image"] = self.lstr(image)
        got = self.dockerfile()
        if got is not None:
            f["build"] = self.build_ref(*got)

    def dockerfile(self) -> tuple[jsonpos.Node, jsonpos.Member] | None:
        """The object holding the build settings and the ``dockerfile`` member: ``build``, or
        the top level (legacy ``dockerFile``/``dockerfile``)."""
        node = self.root.get("build")
        if node is not None and node.kind == "object":
            member = next(iter(reversed(node.members("dockerfile"))), None)
            if member is not None:
                return node, member
        legacy = [m for m in self.root.members() if m.key in ("dockerFile", "dockerfile")]
        return (self.root, legacy[-1]) if legacy else None

    def build_ref(self, holder: jsonpos.Node, member: jsonpos.Member) -> BuildRef | None:
        node = member.value
        if node.kind != "string" or not node.value.strip():
            return None
        written = node.value.strip()
        path = None
        if "${" not in written:
            joined = written if os.path.isabs(written) else os.path.join(os.path.dirname(self.path), written)
            path = os.path.normpath(joined).replace(os.sep, "/")
        context = holder.get("context")
        target = holder.get("target") if holder is not self.root else None
        return BuildRef(
            span=self.span(node),
            key_span=self.span(member.key_node),
            context=self.lstr(context) if context is not None and context.kind == "string" else None,
            dockerfile=self.lstr(node),
            target=self.lstr(target) if target is not None and target.kind == "string" and target.value else None,
            privileged=None,
            dockerfile_path=path,
        )


def _local_source(m: Mount) -> Mount:
    """``m`` with its source as the tools expand it on the local machine, where that is known:
    the user's home (``~``) for ``${localEnv:HOME}`` / ``${localEnv:USERPROFILE}``, and a
    default for ``${localEnv:NAME:default}``; the written value stays what messages quote."""
    src = m.source
    if src is None or "${" not in src.value:
        return m

    def one(got: re.Match[str]) -> str:
        if got.group("name") in _HOME_NAMES:
            return "~"
        default = got.group("default")
        return got.group(0) if default is None else default

    text = _HOMES.sub("~", _LOCAL_ENV.sub(one, src.text))
    if text == src.text:
        return m
    return replace(m, source=LStr(src.value, src.span, text))
