"""DF101 final-stage-root: the image's final stage runs as root.

Only the final stage matters: it is what runs. Build stages may use root freely
(hadolint's DL3002 fires on them too; that is noise). The user in force is the last
``USER`` of the final stage or of the stages it builds on (``FROM <stage>``); with
none, the base image's default applies, which is root except for images known to
default to a non-root user (option ``nonroot_base_images``).

Where it points: at the ``USER`` value that selects root, or, when no stage sets a
user, at the image reference of the final stage's ``FROM`` (the image that brings
the root default).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from dockerlint.engine import RuleContext
from dockerlint.models.base import LStr
from dockerlint.models.image import ImageBuild, Stage
from dockerlint.registry import Hit, Severity, rule

# Windows base images have no root; their admin account is ContainerAdministrator,
# the default user of Server Core and Windows images. Nano Server defaults to the
# unprivileged ContainerUser.
WINDOWS_ADMIN = "containeradministrator"
WINDOWS_ADMIN_BASES = ("mcr.microsoft.com/windows/*", "*servercore*")


class Options(BaseModel):
    """Options of DF101 (``[rules.DF101]`` in the configuration)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Globs (fnmatch, case-insensitive) over the base image reference with its digest
    # removed. A final stage that sets no USER on such a base image does not fire.
    nonroot_base_images: list[str] = [
        "*distroless*:nonroot",  # gcr.io/distroless/static-debian12:nonroot
        "*distroless*:nonroot-*",  # ...:nonroot-amd64
        "*distroless*:*-nonroot",  # ...:debug-nonroot, ...:latest-nonroot
        "*:*-nonroot",  # the -nonroot tag convention
        "cgr.dev/chainguard/static",  # Chainguard static runs as nonroot (65532)
        "cgr.dev/chainguard/static:*",
        "mcr.microsoft.com/dotnet/*:*-chiseled*",  # .NET chiseled images run as "app"
        "*nanoserver*",  # Windows Nano Server runs as ContainerUser
    ]


# Tools an entrypoint uses to drop from root to another user at start (postgres, redis
# and most official images start as root and switch with gosu/su-exec).
_DROPS_PRIVILEGES = re.compile(
    r"\b(?:gosu|su-exec|setpriv|runuser|s6-setuidgid|chpst\s+-u|setuidgid)\b|chroot\s+--userspec"
)
# Servers whose master process starts as root and runs its workers as another user.
_PRIVSEP_SERVERS = {"nginx", "httpd", "httpd-foreground", "apache2-foreground", "apache2ctl",
                    "php-fpm", "haproxy", "haproxy-systemd-wrapper", "sshd"}
# Commands of a base or toolchain image: an interpreter or shell to build on, not a service.
_BASE_COMMANDS = {"sh", "bash", "ash", "dash", "zsh", "python", "python2", "python3", "node", "irb",
                  "ruby", "php", "ghci", "jshell", "iex", "erl", "pwsh", "powershell", "cmd",
                  "bun", "deno", "perl", "lua", "julia", "R", "scala", "clojure", "go", "java"}


def _program(build: ImageBuild, final: Stage, keyword: str) -> tuple[str, list[str]] | None:
    """The program the last ``keyword`` (ENTRYPOINT or CMD) of the final stage's chain
    names, and its arguments."""
    for stage in build.stage_chain(final.index):
        found = [i for i in stage.instructions if i.keyword == keyword]
        if found:
            words = [a.text.strip("\"'[], ") for a in found[-1].args]
            words = [w for w in words if w]
            if not words:
                return None
            return words[0].rsplit("/", 1)[-1].rsplit("\\", 1)[-1], words[1:]
    return None


def _command(build: ImageBuild, final: Stage) -> tuple[str, list[str]] | None:
    """The program that does the container's work: the ENTRYPOINT, or the CMD when the
    entrypoint is a wrapper script that ends by running it (``docker-entrypoint.sh``)."""
    entrypoint = _program(build, final, "ENTRYPOINT")
    cmd = _program(build, final, "CMD")
    if entrypoint is None or ("entrypoint" in entrypoint[0].lower() and cmd is not None):
        return cmd
    return entrypoint


def _drops_privileges(build: ImageBuild, final: Stage) -> bool:
    for stage in build.stage_chain(final.index):
        for ins in stage.instructions:
            if ins.keyword in ("RUN", "ENTRYPOINT", "CMD") and (
                _DROPS_PRIVILEGES.search(ins.args_text)
                or any(_DROPS_PRIVILEGES.search(h.body) for h in ins.heredocs)
            ):
                return True
    return False


def _no_user_severity(build: ImageBuild, final: Stage) -> tuple[Severity, str]:
    """How sure the finding is that a root process does the work, and why."""
    command = _command(build, final)
    program = command[0] if command else None
    if _drops_privileges(build, final):
        return Severity.LOW, ("; the image ships a privilege-dropping tool (gosu, su-exec, setpriv...), "
                              "so its entrypoint may switch users at start: make sure it does on every path, "
                              "or set USER")
    if program in _PRIVSEP_SERVERS:
        return Severity.LOW, (f"; {program} starts as root and runs its workers as another user, "
                              "but its master process stays root")
    if command is None:
        return Severity.MEDIUM, ("; it sets no CMD or ENTRYPOINT, so it runs what its base image runs, "
                                 "as root")
    if program in _BASE_COMMANDS and all(a in ("-a", "-i") for a in command[1]):
        return Severity.MEDIUM, (f"; it looks like a base image (it starts a bare '{program}'): every image "
                                 "built from it runs as root unless it sets USER")
    return Severity.HIGH, ""


def is_root_user(text: str) -> bool:
    """``root``, ``0``, ``root:<group>``, ``0:<group>`` and Windows' ContainerAdministrator."""
    user = text.strip().split(":", 1)[0].strip()
    if user == "root" or (user.isdigit() and int(user) == 0):
        return True
    return user.lower() == WINDOWS_ADMIN


def _options(ctx: RuleContext) -> Options:
    opts = ctx.options
    if isinstance(opts, Options):
        return opts
    if isinstance(opts, dict):
        return Options.model_validate(opts)
    return Options()


def _matches(image: str, globs: list[str]) -> bool:
    ref = image.split("@", 1)[0].lower()
    return any(fnmatch.fnmatchcase(ref, g.lower()) for g in globs)


def _user_text(stage: Stage, user: LStr) -> tuple[str, str]:
    """The user as written and as BuildKit sees it (ARG/ENV defaults substituted)."""
    last = stage.users[-1]
    if len(last.args) == 1:
        return user.value, last.args[0].text
    return user.value, user.value


@rule(id="DF101", name="final-stage-root", reads=ImageBuild, severity=Severity.HIGH,
      summary="The final stage runs as root",
      cwe=(250,), cis=("4.1",),
      peers={"hadolint": "DL3002", "checkov": "CKV_DOCKER_3, CKV_DOCKER_8", "trivy": "DS-0002",
             "kics": "last_user_is_root, missing_user"},
      precision="high", tags=("security",), options=Options)
def final_stage_root(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    final = build.final_stage
    if final is None:
        return
    user, owner = build.effective_user(final.index)
    if user is None:
        base = owner.resolved_image
        if _matches(base, _options(ctx).nonroot_base_images):
            return
        who = "ContainerAdministrator" if _matches(base, list(WINDOWS_ADMIN_BASES)) else "root"
        scope = "final stage sets"
        if owner.index != final.index:
            scope = "final stage and the stages it builds on set"
        severity, why = _no_user_severity(build, final)
        yield Hit(final.image.span,
                  f"{scope} no USER, so the container runs as {who} (base image {base!r}){why}; "
                  "add a USER with a non-root user", severity=severity, context="final-stage:no-user")
        return
    written, meant = _user_text(owner, user)
    if not is_root_user(meant):
        return
    via = f" (= {meant!r} from its default)" if meant != written else ""
    where = ""
    if owner.index != final.index:
        stage = repr(owner.name.value) if owner.name is not None else str(owner.index)
        where = f", inherited from stage {stage}"
    admin = meant.split(":", 1)[0].strip().lower() == WINDOWS_ADMIN
    who = "ContainerAdministrator" if admin else "root"
    yield Hit(user.span, f"final stage switches to USER {written}{via}{where}, so the container runs "
              f"as {who}; end the final stage with a non-root USER", context="final-stage:user")
