"""Podman Quadlet units (``*.container``, ``*.pod`` and their drop-ins ``<name>.container.d/*.conf``)
-> the container the generator's ``podman run`` (or ``podman pod create``) line starts.

The file is read with the systemd reader (:mod:`dockerlint.parsers.systemd`: continuation lines,
comments, C escapes, specifiers, exact positions), then each key of ``[Container]`` / ``[Pod]``
becomes the ``podman run`` option Quadlet's generator writes for it (podman's
``pkg/systemd/quadlet/quadlet.go``; podman-systemd.unit(5)), put into the container model by the
command-line reader (:func:`dockerlint.parsers.cmdline.apply_flags`), so that every DC rule judges
it unchanged:

* single-value keys (the last one wins): ``Image=``, ``User=`` (with ``Group=``: ``--user U:G``),
  ``UserNS=`` (``--userns``), ``PidsLimit=`` (``--pids-limit``), ``SeccompProfile=``
  (``--security-opt seccomp=…``), ``ReadOnly=``,
  ``NoNewPrivileges=``, ``SecurityLabelDisable=`` (``label=disable``), ``SecurityLabelType=``
  (``label=type:…``), ``RunInit=`` (``--init``), ``Pod=``;
* list keys (every line; an empty assignment resets the list, as systemd's): ``Volume=``
  (``-v``), ``Mount=``, ``PublishPort=`` (``--publish``), ``Network=`` (``host`` is the host's
  network namespace), ``Environment=`` (``KEY=VALUE`` words, quotes as systemd reads them),
  ``EnvironmentFile=``, ``AddCapability=`` / ``DropCapability=`` / ``AddDevice=`` (several
  words per line), ``Mask=`` / ``Unmask=`` (``--security-opt unmask=…``; ``Unmask=ALL`` is
  podman's ``systempaths=unconfined``);
* ``PodmanArgs=``: more ``podman run`` options, read with the command-line reader.

**Where the unit is installed decides who runs it** (podman-systemd.unit(5), search paths): under
``.config/containers/systemd/`` (``$XDG_CONFIG_HOME``), ``/etc/containers/systemd/users/`` or
``$XDG_RUNTIME_DIR/containers/systemd/`` (``/run/user/<uid>/``) the user's systemd runs it
rootless; under ``/etc/containers/systemd/``, ``/run/containers/systemd/`` or
``/usr/share/containers/systemd/`` root runs it. The path segments inside the scanned tree
decide; elsewhere (a repository's ``deploy/web.container``) the unit is assumed to run as root
and the findings that depend on it say so (``Container.rootless`` / ``Container.placement``).

A drop-in is judged for what it adds (it cannot be joined with its unit here): rules that judge
a missing setting stay silent for it (``managed_by``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from dockerlint.models.base import LStr, Span
from dockerlint.models.container import Container
from dockerlint.models.shell import Word as ShellWord
from dockerlint.models.source import SourceFile
from dockerlint.parsers import systemd
from dockerlint.parsers.cmdline import PODMAN_RUN_FLAGS, RUN_SHORT, Flag, Val, apply_flags, parse_args
from dockerlint.parsers.errors import ParseError
from dockerlint.parsers.output import ParseOutput, Problem

# Quadlet's search paths that run a unit rootless (the user's systemd), then as root.
_ROOTLESS = re.compile(
    r"(?:^|/)(?:\.config/containers/systemd|etc/containers/systemd/users"
    r"|run/user/[^/]+/containers/systemd)(?:/|$)"
)
_ROOTFUL = re.compile(r"(?:^|/)(?:etc|run|usr/share)/containers/systemd(?:/|$)")
_GO_TRUE = {"1", "yes", "true", "on", "y", "t"}
_GO_FALSE = {"0", "no", "false", "off", "n", "f"}


def placement(path: str) -> tuple[str | None, str | None]:
    """(why the unit runs rootless, or None; what is assumed when the path does not say)."""
    p = path.replace("\\", "/")
    m = _ROOTLESS.search(p)
    if m is not None:
        where = m.group(0).strip("/")
        return (
            f"the unit is under {where}/, where a user's systemd runs Quadlet units rootless: "
            "it reaches only that user's privileges, not root's"
        ), None
    if _ROOTFUL.search(p):
        return None, None
    return None, (
        "where the unit is installed is not known from its path: assumed to run as root "
        "(/etc/containers/systemd/); under ~/.config/containers/systemd/ it would run rootless"
    )


# A user's service manager's specifiers that matter for paths: they are that user's folders.
_USER_DIRS = {"t": "${XDG_RUNTIME_DIR}", "h": "${HOME}"}


def _user_specifiers(text: str, at: list[int]) -> tuple[str, list[int]]:
    """``%t`` and ``%h`` of a user unit as the variables they are (``${XDG_RUNTIME_DIR}``,
    ``${HOME}``), each character located at the specifier; ``%%`` was already read."""
    out: list[str] = []
    where: list[int] = []
    i = 0
    while i < len(text):
        rep = _USER_DIRS.get(text[i + 1 : i + 2]) if text[i] == "%" else None
        if rep is not None:
            out.append(rep)
            where.extend([at[i]] * len(rep))
            i += 2
            continue
        out.append(text[i])
        where.append(at[i])
        i += 1
    return "".join(out), where


def _shifted(w: systemd.Word) -> Val:
    """``w`` without its first character (``AddDevice=-/dev/fuse``), located."""

    def sub(a: int, b: int) -> Span:
        return w.sub_span(a + 1, b + 1)

    return Val(w.value[1:], w.sub_span(1, len(w.value)), True, sub)


def _clipped(v: Val) -> Callable[[int, int], Span]:
    """Spans of a text that starts with ``v``'s (``User=`` then ``:Group``): within ``v``."""

    def sub(a: int, b: int) -> Span:
        return v.sub(a, min(b, len(v.text)))

    return sub


def _bool(text: str) -> bool | None:
    t = text.strip().lower()
    if t in _GO_TRUE:
        return True
    if t in _GO_FALSE:
        return False
    return None


def parse(src: SourceFile) -> ParseOutput:
    out = systemd.parse(src)  # raises ParseError (one DC000 at the position) for a unit systemd refuses
    part = out.daemon_parts[0] if out.daemon_parts else None
    if not isinstance(part, systemd.UnitPart):
        return ParseOutput(comments=out.comments, problems=_dc(out.problems))
    problems = _dc(out.problems)
    section = systemd.QUADLET_SECTIONS.get(part.unit_type, "Container")
    found = [s for s in part.sections if s.name == section]
    if not found:
        if part.dropin:
            return ParseOutput(comments=out.comments, problems=problems)
        raise _no_section(part, section, out)
    models = _Unit(part, section, problems).run()
    return ParseOutput(models=models, comments=out.comments, problems=problems)


def _dc(problems: list[Problem]) -> list[Problem]:
    """The systemd reader's notes, as the container parse-error rule's (DC000)."""
    return [Problem("DC000", p.message, p.span) for p in problems]


def _no_section(part: systemd.UnitPart, section: str, out: ParseOutput) -> ParseError:
    error = ParseError(
        f"no [{section}] section: Quadlet's generator refuses this unit and starts no container",
        1,
        1,
        part.first_line.end_col,
    )
    error.comments = out.comments if isinstance(out.comments, list) else None
    return error


class _Unit:
    def __init__(self, part: systemd.UnitPart, section: str, problems: list[Problem]) -> None:
        self.part = part
        self.section = section
        self.problems = problems
        self.flags: list[Flag] = []

    # -- reading keys ------------------------------------------------------------------------

    def all(self, key: str) -> list[systemd.Directive]:
        """Every assignment of a list key, an empty one resetting the list."""
        return self.part.effective(self.section, key)

    def last(self, key: str) -> systemd.Directive | None:
        d = self.part.last(self.section, key)
        return d if d is not None and d.value else None

    def val(self, d: systemd.Directive) -> Val:
        """The whole value, located character by character (specifiers expanded; a user unit's
        ``%t`` and ``%h`` as the variables they stand for)."""
        text, at = d.printed()
        if "%" in text and d.specifiers is not None and not d.specifiers.system:
            text, at = _user_specifiers(text, at)

        def sub(a: int, b: int) -> Span:
            if not at or b <= a or a >= len(at):
                return d.value_span
            return d.sub_span(at[a], at[min(b, len(at)) - 1] + 1)

        return Val(text, d.value_span, True, sub)

    def words(self, d: systemd.Directive) -> list[systemd.Word]:
        """The words of a value as Quadlet splits them (quotes and escapes, as systemd)."""
        words, error = systemd.split_words(d)
        if error:
            self.problems.append(Problem("DC000", f"{error}: Quadlet's generator refuses this unit", d.value_span))
        return [w.printed(d.specifiers) for w in words]

    @staticmethod
    def word_val(w: systemd.Word) -> Val:
        return Val(w.value, w.lstr.span, True, w.sub_span)

    def synthetic(self, d: systemd.Directive, text: str) -> Val:
        """A value the generator writes from the key (``label=disable``), located at the assignment."""
        return Val(text, d.span, True)

    def flag(self, name: str, d: systemd.Directive, value: Val | None) -> None:
        self.flags.append(Flag(name, Val(d.key, d.key_span, True), value))

    # -- the container -------------------------------------------------------------------------

    def run(self) -> list[Any]:
        self.pod_keys() if self.section == "Pod" else self.container_keys()
        for d in self.all("PodmanArgs"):
            self.podman_args(d)
        f: dict[str, Any] = {}
        apply_flags(self.flags, f)
        header = next(s for s in self.part.sections if s.name == self.section)
        image = self.last("Image") if self.section == "Container" else None
        if image is not None and not image.value.endswith((".image", ".build")):
            f["image"] = self.val(image).lstr()  # (foo.image, foo.build: the image another unit pulls or builds)
        elif image is None and self.section == "Container" and not self.part.dropin and self.last("Rootfs") is None:
            self.problems.append(
                Problem("DC000", "no Image= (or Rootfs=): Quadlet's generator refuses this unit", header.span)
            )
        rootless, assumed = placement(self.part.path)
        name = self.part.name
        kind = "pod" if self.section == "Pod" else "container"
        label = f"Quadlet {kind} {name!r}" + (f" (drop-in {self.part.file_name!r})" if self.part.dropin else "")
        managed = None
        if self.part.dropin:
            managed = f"the Quadlet unit {name!r}"
        elif self.section == "Pod":
            managed = "the containers of the pod"  # security options and limits are theirs
        c = Container(
            source="quadlet",
            path=self.part.path,
            name=LStr(label, header.span),
            span=header.span,
            managed_by=managed,
            rootless=rootless,
            placement=assumed,
            **f,
        )
        from dockerlint.parsers.cmdline import client_env_of

        models: list[Any] = [c]
        env = client_env_of(c)
        if env is not None:
            models.append(env)
        return models

    def container_keys(self) -> None:
        for key, flag in (
            ("Volume", "volume"),
            ("Mount", "mount"),
            ("PublishPort", "publish"),
            ("Network", "network"),
            ("EnvironmentFile", "env-file"),
            ("Tmpfs", "tmpfs"),
        ):
            for d in self.all(key):
                self.flag(flag, d, self.val(d))
        for key, flag in (("AddCapability", "cap-add"), ("DropCapability", "cap-drop"), ("AddDevice", "device")):
            for d in self.all(key):
                for w in self.words(d):
                    v = self.word_val(w)
                    if flag == "device" and v.text.startswith("-"):  # "-": only if the device exists
                        v = _shifted(w)
                    if v.text:
                        self.flag(flag, d, v)
        self.environment()
        self.user()
        self.booleans()
        # Pod=: the pod's own unit is judged for its namespaces and ports.
        for key, text in (("SeccompProfile", "seccomp={}"), ("SecurityLabelType", "label=type:{}")):
            found = self.last(key)
            if found is not None:
                self.flag("security-opt", found, self.synthetic(found, text.format(self.val(found).text)))
        # Single-value keys that are one podman run option each (quadlet.go: PidsLimit= is
        # --pids-limit).
        for key, flag in (("UserNS", "userns"), ("PidsLimit", "pids-limit")):
            found = self.last(key)
            if found is not None:
                self.flag(flag, found, self.val(found))
        for key in ("Mask", "Unmask"):
            for d in self.all(key):
                for w in self.words(d):
                    self.flag("security-opt", d, self.synthetic(d, f"{key.lower()}={w.value}"))

    def pod_keys(self) -> None:
        for key, flag in (("Volume", "volume"), ("PublishPort", "publish"), ("Network", "network")):
            for d in self.all(key):
                self.flag(flag, d, self.val(d))
        userns = self.last("UserNS")
        if userns is not None:
            self.flag("userns", userns, self.val(userns))

    def environment(self) -> None:
        """``Environment=KEY=VALUE …``: each word one ``--env`` (a word without ``=`` is ignored)."""
        for d in self.all("Environment"):
            for w in self.words(d):
                if "=" in w.value and w.value.partition("=")[0]:
                    self.flag("env", d, self.word_val(w))

    def user(self) -> None:
        user = self.last("User")
        if user is None:
            return
        group = self.last("Group")
        v = self.val(user)
        if group is not None:
            text = f"{v.text}:{self.val(group).text}"
            span = Span(
                user.path, user.value_span.line, user.value_span.col, user.value_span.end_line, user.value_span.end_col
            )
            v = Val(text, span, True, _clipped(v))
        self.flag("user", user, v)

    def booleans(self) -> None:
        for key in ("ReadOnly", "RunInit", "NoNewPrivileges", "SecurityLabelDisable"):
            d = self.last(key)
            if d is None:
                continue
            on = _bool(d.value)
            if on is None:
                self.problems.append(
                    Problem(
                        "DC000", f"{key}={d.value[:40]!r} is not a boolean: Quadlet reads it as false", d.value_span
                    )
                )
                on = False
            if key in ("ReadOnly", "RunInit"):
                flag = "read-only" if key == "ReadOnly" else "init"
                self.flag(flag, d, Val("true" if on else "false", d.value_span, True))
            elif on and key == "NoNewPrivileges":
                self.flag("security-opt", d, self.synthetic(d, "no-new-privileges"))
            elif on:
                self.flag("security-opt", d, self.synthetic(d, "label=disable"))

    def podman_args(self, d: systemd.Directive) -> None:
        """``PodmanArgs=``: options of ``podman run`` (``podman pod create``), read with the
        command-line reader, each word located in the unit."""
        words = []
        for w in self.words(d):
            raw = d.value[w.start : w.end] if 0 <= w.start < w.end <= len(d.value) else w.value
            words.append(
                ShellWord(raw=raw, value=w.value, text=w.value, span=w.lstr.span, quoted=False, substitutions=())
            )
        if words:
            self.flags.extend(parse_args(words, PODMAN_RUN_FLAGS, RUN_SHORT, stop_at_operand=False).flags)
