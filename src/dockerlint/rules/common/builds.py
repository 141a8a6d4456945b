"""Links between containers and the images built in the same scan, and what an image's
user is.

- :func:`build_of`: the Dockerfile (:class:`ImageBuild`) and stage a Compose service's
  ``build:`` produces (``target``, else the final stage), when that Dockerfile is in the scan.
- :func:`services_using`: the Compose services that run the final stage of a Dockerfile
  (DF101 names them).
- :func:`image_for_tag`: for ``docker run IMAGE`` lines: the image built in this scan
  under the name ``IMAGE`` by a Compose service (``build:`` with ``image:``) or by a
  ``docker build -t IMAGE`` line, as ``(ImageBuild, Stage)``; None when no build in the
  scan produces it.
- :func:`built_here`: whether a build of the scan produces an image name at all (its
  Dockerfile in the scan or not), and where: such an image is built, not pulled (DF106,
  DC118).

The indexes are built once per scan version (``ctx.scan.cached``).
Also here: the user logic DF101 and DC122 share (what counts as root, base images known
to default to a non-root user, entrypoints that drop privileges).
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import TYPE_CHECKING

from dockerlint.api import RuleContext, ScanView, Severity
from dockerlint.models.base import LStr
from dockerlint.util.paths import path_key as _key  # the engine keeps the builds by the same key

if TYPE_CHECKING:
    from dockerlint.models.container import BuiltImage, Container
    from dockerlint.models.image import ImageBuild, Stage

# -- the user of an image ---------------------------------------------------------------

# Windows base images have no root; their admin account is ContainerAdministrator,
# the default user of Server Core and Windows images. Nano Server defaults to the
# unprivileged ContainerUser.
WINDOWS_ADMIN = "containeradministrator"
WINDOWS_ADMIN_BASES = ("mcr.microsoft.com/windows/*", "*servercore*")

# Globs (fnmatch, case-insensitive) over a base image reference with its digest removed:
# images that run as a non-root user by default. A glob starting with "!" takes an image
# back out (the last glob that matches decides). Each entry says where the fact comes from.
NONROOT_BASE_IMAGES = [
    # Distroless ":nonroot" tags run as uid 65532 ("nonroot"):
    # https://github.com/GoogleContainerTools/distroless/blob/main/README.md (section "Debug images" / nonroot tags)
    "*distroless*:nonroot",
    "*distroless*:nonroot-*",  # ...:nonroot-amd64
    "*distroless*:*-nonroot",  # ...:debug-nonroot, ...:latest-nonroot
    "*:*-nonroot",  # the -nonroot tag convention of the same projects
    # Chainguard images run as nonroot (65532) unless noted otherwise; wolfi-base and
    # chainguard-base run as root: https://edu.chainguard.dev/chainguard/chainguard-images/
    # (overview: "Chainguard Containers typically don't run as root") and the image pages
    # https://images.chainguard.dev/directory/image/<name>/specifications ("User: 65532")
    "cgr.dev/chainguard/static",
    "cgr.dev/chainguard/static:*",
    "cgr.dev/chainguard/python:*",
    "cgr.dev/chainguard/node:*",
    "cgr.dev/chainguard/nginx:*",
    "cgr.dev/chainguard/jre:*",
    # .NET chiseled images run as "app" (1654):
    # https://learn.microsoft.com/dotnet/core/docker/container-images#ubuntu-chiseled-images
    "mcr.microsoft.com/dotnet/*:*-chiseled*",
    # Windows Nano Server runs as ContainerUser:
    # https://learn.microsoft.com/virtualization/windowscontainers/manage-containers/container-base-images
    "*nanoserver*",
    # Bitnami's infrastructure images run as uid 1001 (their language runtimes such as
    # bitnami/node and their base, minideb, run as root, so only these are listed):
    # https://docs.bitnami.com/tutorials/work-with-non-root-containers/
    *(
        f"*bitnami*/{name}{tag}"
        for name in (
            "postgresql",
            "mysql",
            "mariadb",
            "mongodb",
            "redis",
            "valkey",
            "rabbitmq",
            "kafka",
            "zookeeper",
            "memcached",
            "nginx",
            "etcd",
            "minio",
            "kubectl",
            "keycloak",
            "openldap",
        )
        for tag in ("", ":*")
    ),
    # The Jenkins controller and agent images end with USER jenkins (1000):
    # https://github.com/jenkinsci/docker/blob/master/README.md ("jenkins user, uid 1000"),
    # https://github.com/jenkinsci/docker-agent (USER ${user})
    "jenkins/jenkins",
    "jenkins/jenkins:*",
    "jenkins/inbound-agent*",
    "jenkins/agent*",
    # NGINX unprivileged runs as uid 101: https://github.com/nginxinc/docker-nginx-unprivileged
    "nginxinc/nginx-unprivileged*",
    "*/nginx/nginx-unprivileged*",  # quay.io/nginx/..., public.ecr.aws/nginx/...
    "ghcr.io/nginxinc/nginx-unprivileged*",
    # Grafana runs as "grafana" (472) since 5.1:
    # https://grafana.com/docs/grafana/latest/setup-grafana/installation/docker/
    "grafana/grafana",
    "grafana/grafana:*",
    "grafana/grafana-oss*",
    "grafana/grafana-enterprise*",
    # Prometheus projects' images end with USER nobody:
    # https://github.com/prometheus/prometheus/blob/main/Dockerfile (and alertmanager, node_exporter,
    # pushgateway, blackbox_exporter, built from the same template)
    "prom/prometheus*",
    "prom/alertmanager*",
    "prom/node-exporter*",
    "prom/pushgateway*",
    "prom/blackbox-exporter*",
    "quay.io/prometheus/*",
    # Keycloak runs as uid 1000: https://github.com/keycloak/keycloak/blob/main/quarkus/container/Dockerfile
    "quay.io/keycloak/keycloak*",
    # Jupyter Docker Stacks run as "jovyan" (1000):
    # https://jupyter-docker-stacks.readthedocs.io/en/latest/using/common.html#user-related-configurations
    "jupyter/*-notebook*",
    "quay.io/jupyter/*-notebook*",
    "*jupyter/docker-stacks-foundation*",
    # Apache Airflow runs as "airflow" (50000): https://airflow.apache.org/docs/docker-stack/entrypoint.html
    "apache/airflow*",
    # SQL Server 2019 and later run as "mssql" (10001):
    # https://learn.microsoft.com/sql/linux/sql-server-linux-docker-container-security
    "mcr.microsoft.com/mssql/server:2019*",
    "mcr.microsoft.com/mssql/server:2022*",
    "mcr.microsoft.com/mssql/server:2025*",
    # Gitea's rootless images run as "git" (1000): https://docs.gitea.com/installation/install-with-docker-rootless
    "gitea/gitea:*rootless*",
    # SonarQube ends with USER sonarqube: https://github.com/SonarSource/docker-sonarqube
    "sonarqube",
    "sonarqube:*",
    # Elastic's images run as uid 1000:
    # https://www.elastic.co/guide/en/elasticsearch/reference/current/docker.html ("runs as user elasticsearch")
    "docker.elastic.co/elasticsearch/elasticsearch*",
    "docker.elastic.co/kibana/kibana*",
    "docker.elastic.co/logstash/logstash*",
    # Red Hat's UBI language images run as uid 1001 (185 for OpenJDK):
    # https://github.com/sclorg/s2i-nodejs-container, https://github.com/sclorg/s2i-python-container,
    # https://github.com/jboss-container-images/openjdk
    "registry.access.redhat.com/ubi*/nodejs-*",
    "registry.access.redhat.com/ubi*/python-*",
    "registry.access.redhat.com/ubi*/openjdk-*",
]

# Tools an entrypoint uses to drop from root to another user at start (postgres, redis
# and most official images start as root and switch with gosu/su-exec).
_DROPS_PRIVILEGES = re.compile(
    r"\b(?:gosu|su-exec|setpriv|runuser|s6-setuidgid|chpst\s+-u|setuidgid)\b|chroot\s+--userspec"
)
# Servers whose master process starts as root and runs its workers as another user.
_PRIVSEP_SERVERS = {
    "nginx",
    "httpd",
    "httpd-foreground",
    "apache2-foreground",
    "apache2ctl",
    "php-fpm",
    "haproxy",
    "haproxy-systemd-wrapper",
    "sshd",
}
# Commands of a base or toolchain image: an interpreter or shell to build on, not a service.
_BASE_COMMANDS = {
    "sh",
    "bash",
    "ash",
    "dash",
    "zsh",
    "python",
    "python2",
    "python3",
    "node",
    "irb",
    "ruby",
    "php",
    "ghci",
    "jshell",
    "iex",
    "erl",
    "pwsh",
    "powershell",
    "cmd",
    "bun",
    "deno",
    "perl",
    "lua",
    "julia",
    "R",
    "scala",
    "clojure",
    "go",
    "java",
}


def is_root_user(text: str) -> bool:
    """``root``, ``0``, ``root:<group>``, ``0:<group>`` and Windows' ContainerAdministrator."""
    user = text.strip().split(":", 1)[0].strip()
    if user == "root" or (user.isdigit() and int(user) == 0):
        return True
    return user.lower() == WINDOWS_ADMIN


_Matchers = tuple[tuple[bool, Callable[[str], object]], ...]


@lru_cache(maxsize=64)
def _glob_matchers(globs: tuple[str, ...]) -> tuple[dict[str, _Matchers], _Matchers]:
    """The globs made into matchers once: ``(negated, matcher)``, in order, by the first
    character of the references they can match (a glob that starts with a letter matches
    only references that start with it: a reference is tried against a few of the hundred
    :data:`NONROOT_BASE_IMAGES`, not all); and those of any reference (a glob that starts
    with ``*``, ``?`` or ``[``, or is empty)."""
    made = [(g.removeprefix("!").lower(), (g.startswith("!"), _matcher(g.removeprefix("!").lower()))) for g in globs]
    anywhere = tuple(m for glob, m in made if glob[:1] in ("", "*", "?", "["))
    firsts = {glob[0] for glob, _ in made if glob[:1] not in ("", "*", "?", "[")}
    by_first = {c: tuple(m for glob, m in made if glob[:1] in (c, "", "*", "?", "[")) for c in firsts}
    return by_first, anywhere


def _matcher(glob: str) -> Callable[[str], object]:
    """``fnmatch.fnmatchcase(text, glob)`` as a function of ``text``. A glob whose only
    wildcard is ``*`` (nearly all of them) is matched piece by piece, with no regular
    expression to translate and compile: a one-Dockerfile run would otherwise compile the
    hundred globs of :data:`NONROOT_BASE_IMAGES` to look at one base image."""
    if "?" in glob or "[" in glob:
        return re.compile(fnmatch.translate(glob)).match
    pieces = glob.split("*")
    if len(pieces) == 1:
        return glob.__eq__
    return partial(_star_match, pieces[0], tuple(pieces[1:-1]), pieces[-1])


def _star_match(first: str, middle: tuple[str, ...], last: str, text: str) -> bool:
    """Whether ``text`` is ``first``, then each of ``middle`` in order, then ``last``, with
    anything between them (the glob ``first*middle...*last``)."""
    end = len(text) - len(last)
    if end < len(first) or not text.startswith(first) or not text.endswith(last):
        return False
    pos = len(first)
    for piece in middle:
        at = text.find(piece, pos, end)
        if at < 0:
            return False
        pos = at + len(piece)
    return True


def matches_image(image: str, globs: list[str] | tuple[str, ...]) -> bool:
    """Whether ``image`` (digest removed) matches the globs; a glob starting with ``!``
    takes it back out, and the last glob that matches decides."""
    ref = image.split("@", 1)[0].lower()
    by_first, anywhere = _glob_matchers(tuple(globs))
    for negated, matches in reversed(by_first.get(ref[:1], anywhere)):
        if matches(ref):
            return not negated
    return False


def user_text(stage: Stage, user: LStr) -> tuple[str, str]:
    """The user as written and as BuildKit sees it (ARG/ENV defaults substituted)."""
    last = stage.users[-1]
    if len(last.args) == 1:
        return user.value, last.args[0].text
    return user.value, user.value


def _program(build: ImageBuild, stage: Stage, keyword: str) -> tuple[str, list[str]] | None:
    """The program the last ``keyword`` (ENTRYPOINT or CMD) of the stage's chain names, and
    its arguments."""
    for s in build.stage_chain(stage.index):
        found = [i for i in s.instructions if i.keyword == keyword]
        if found:
            words = [a.text.strip("\"'[], ") for a in found[-1].args]
            words = [w for w in words if w]
            if not words:
                return None
            return words[0].rsplit("/", 1)[-1].rsplit("\\", 1)[-1], words[1:]
    return None


def _command(build: ImageBuild, stage: Stage) -> tuple[str, list[str]] | None:
    """The program that does the container's work: the ENTRYPOINT, or the CMD when the
    entrypoint is a wrapper script that ends by running it (``docker-entrypoint.sh``)."""
    entrypoint = _program(build, stage, "ENTRYPOINT")
    cmd = _program(build, stage, "CMD")
    if entrypoint is None or ("entrypoint" in entrypoint[0].lower() and cmd is not None):
        return cmd
    return entrypoint


def _drops_privileges(build: ImageBuild, stage: Stage) -> bool:
    for s in build.stage_chain(stage.index):
        for ins in s.instructions:
            if ins.keyword in ("RUN", "ENTRYPOINT", "CMD") and (
                _DROPS_PRIVILEGES.search(ins.args_text) or any(_DROPS_PRIVILEGES.search(h.body) for h in ins.heredocs)
            ):
                return True
    return False


@dataclass(frozen=True, slots=True)
class NoUser:
    """How sure a finding about a stage without USER is that a root process does the work:
    ``severity``; ``reason``, the clause that says why it is lower (``"; it sets no CMD or
    ENTRYPOINT"``, "" when nothing lowers it); ``detail``, what follows from it, for a message
    that has the room (``", so it runs what its base image runs"``)."""

    severity: Severity
    reason: str = ""
    detail: str = ""


def no_user_severity(build: ImageBuild, stage: Stage, high: Severity = Severity.HIGH) -> NoUser:
    """How sure a finding about a stage without USER is that a root process does the work,
    and why (``high`` when nothing lowers it)."""
    command = _command(build, stage)
    program = command[0] if command else None
    if _drops_privileges(build, stage):
        return NoUser(
            Severity.LOW,
            "; the image ships a privilege-dropping tool (gosu, su-exec, setpriv...)",
            ", so its entrypoint may switch users at start: make sure it does on every path, or set USER",
        )
    if program in _PRIVSEP_SERVERS:
        return NoUser(
            Severity.LOW,
            f"; {program}'s master process runs as root",
            " (it starts as root and runs its workers as another user)",
        )
    medium = min(Severity.MEDIUM, high, key=lambda s: s.rank)
    if command is None:
        return NoUser(medium, "; it sets no CMD or ENTRYPOINT", ", so it runs what its base image runs")
    if program in _BASE_COMMANDS and all(a in ("-a", "-i") for a in command[1]):
        return NoUser(
            medium,
            f"; it looks like a base image (it starts a bare '{program}')",
            ": every image built from it inherits this user unless it sets USER",
        )
    return NoUser(high)


# -- links across the scan ----------------------------------------------------------------


def stage_for(build: ImageBuild, target: str | None) -> Stage | None:
    """The stage a build with ``target`` produces (the final stage without one)."""
    if not target:
        return build.final_stage
    want = target.strip().lower()
    for stage in build.stages:
        if stage.name is not None and stage.name.value.lower() == want:
            return stage
    return None


def image_key(ref: str) -> str:
    """How two references to one image are told the same: ``nginx``, ``nginx:latest``,
    ``docker.io/library/nginx:latest`` are one key; a registry port is not a tag."""
    name, _, digest = ref.strip().partition("@")
    slash, colon = name.rfind("/"), name.rfind(":")
    repo, tag = (name[:colon], name[colon + 1 :]) if colon > slash else (name, "latest")
    repo = repo.lower()  # repository names are lowercase (docker refuses others)
    for prefix in ("docker.io/", "index.docker.io/"):
        if repo.startswith(prefix):
            repo = repo[len(prefix) :]
            break
    if repo.startswith("library/") and repo.count("/") == 1:
        repo = repo[len("library/") :]
    return f"{repo}:{tag}@{digest}" if digest else f"{repo}:{tag}"


# Compose pull policies that fetch the image from the registry even when a service builds
# it (``every_<duration>`` too): with them the built image is replaced by the pulled one.
PULLING_POLICIES = frozenset({"always", "daily", "weekly", "refresh"})


def pulls_despite_build(policy: LStr | None) -> bool:
    """Whether a Compose ``pull_policy`` (or ``docker run --pull``) fetches the registry's image
    even where the image is built locally."""
    if policy is None:
        return False
    text = policy.text.strip().lower()
    return text in PULLING_POLICIES or text.startswith("every_")


@dataclass(frozen=True)
class Producer:
    """A build of the scan that produces an image name."""

    where: str  # for messages: "service 'api' (compose.yaml:4)", "docker build -t (build.sh:12)"
    dockerfile: str | None  # the ``path_key`` of its Dockerfile, when known
    # A Compose pull_policy that fetches the registry's image instead (``always``...): the
    # service builds the image only when asked to (``--build``).
    pulls: str | None = None


@dataclass
class _Links:
    builds: dict[str, ImageBuild] = field(default_factory=dict)  # normalized path -> build
    # build path -> the Compose services that run its final stage
    users: dict[str, list[Container]] = field(default_factory=dict)
    # image key (``image_key``) of a service's ``image:`` or a ``-t`` name -> (build, stage)
    tags: dict[str, tuple[ImageBuild, Stage]] = field(default_factory=dict)
    # image key -> the builds that produce it, Dockerfile in the scan or not
    produced: dict[str, list[Producer]] = field(default_factory=dict)
    # build path -> the build contexts (absolute folders) Compose services build it from
    contexts: dict[str, list[str]] = field(default_factory=dict)
    # another path to a Dockerfile of the scan (a symbolic link) -> the path it is linted under
    aliases: dict[str, str] = field(default_factory=dict)
    # build path -> the stages that builds of the scan produce (``target``, else the final
    # stage); ANY_STAGE among them: a build whose target is not known (``${TARGET}``)
    targets: dict[str, set[int]] = field(default_factory=dict)

    def key(self, path: str) -> str:
        """``_key`` of a Dockerfile path a build names, as the scan lints that file."""
        k = _key(path)
        return self.aliases.get(k, k)


def _links(ctx: RuleContext) -> _Links:
    """The builds of the scan and what links them to containers, once per scan version."""
    return ctx.scan.cached(_scan_links)


def _scan_links(scan: ScanView) -> _Links:
    links = _Links(aliases=getattr(scan, "aliases", None) or {})
    if not scan.models:  # one Dockerfile on its own: no container model is even imported
        return links
    from dockerlint.models.container import BuiltImage, Container
    from dockerlint.rules.common.daemons import model_class

    # None when the Dockerfile models were never imported: then the scan holds no build.
    image_build = model_class("dockerlint.models.image", "ImageBuild") or ()
    containers: list[Container] = []
    built: list[BuiltImage] = []  # docker build -t lines
    for m in scan.models:
        if image_build and isinstance(m, image_build):
            links.builds[_key(m.path)] = m
        elif isinstance(m, Container) and m.build is not None:
            containers.append(m)
        elif isinstance(m, BuiltImage):
            built.append(m)
    for c in containers:
        _link_service(links, c)
    for b in built:
        _link_build_line(links, b)
    for users in links.users.values():
        users.sort(key=lambda c: (c.path, c.name.value))
    return links


def _link_service(links: _Links, c: Container) -> None:
    """What a Compose service with ``build:`` adds to ``links``: the image name it produces,
    the Dockerfile stage it runs, its build context."""
    assert c.build is not None
    named = _image_name(c)
    if named is not None:
        from_path = c.build.built_path
        dockerfile = links.key(from_path) if from_path is not None else None
        pulls = c.pull_policy.text.strip() if pulls_despite_build(c.pull_policy) and c.pull_policy else None
        links.produced.setdefault(image_key(named), []).append(
            Producer(f"{c.label} ({c.path}:{c.build.span.line})", dockerfile, pulls)
        )
    got = _resolve(links, c)
    if got is None:
        # A target the file does not name (``${TARGET}``): any stage of that Dockerfile may be built.
        built_path = c.build.built_path
        if _unknown(c.build.target) and built_path is not None and links.key(built_path) in links.builds:
            links.targets.setdefault(links.key(built_path), set()).add(ANY_STAGE)
        return
    build, stage = got
    links.targets.setdefault(_key(build.path), set()).add(stage.index)
    final = build.final_stage
    if final is not None and stage.index == final.index:
        links.users.setdefault(_key(build.path), []).append(c)
    context = _context_of(c)
    if context is not None:
        known = links.contexts.setdefault(_key(build.path), [])
        if context not in known:
            known.append(context)
    if named is not None:
        links.tags.setdefault(image_key(named), got)


def _unknown(target: LStr | None) -> bool:
    """Whether a build target comes from a variable, so any stage may be the one built."""
    return target is not None and "$" in target.text


def _image_name(c: Container) -> str | None:
    """A service's ``image:`` as written, when it names one image (no variable)."""
    if c.image is None or "$" in c.image.text or not c.image.text.strip():
        return None
    return c.image.text


def _link_build_line(links: _Links, b: BuiltImage) -> None:
    """What a ``docker build -t`` line adds to ``links``: the names it produces and, when its
    Dockerfile is in the scan, the stage those names run."""
    keys = list(dict.fromkeys(links.key(p) for p in b.dockerfiles))
    for tag in b.tags:
        links.produced.setdefault(image_key(tag.text), []).append(
            Producer(
                f"docker build -t {tag.text.strip()} ({b.path}:{b.span.line})", keys[0] if len(keys) == 1 else None
            )
        )
    # Linked only when exactly one of the places the line may run from gives a
    # Dockerfile of the scan: a guess between two would judge the wrong image.
    found = [links.builds[k] for k in keys if k in links.builds]
    if len(found) != 1:
        return
    target = b.target.text if b.target is not None else None
    target_stage = stage_for(found[0], target)
    if _unknown(b.target):
        links.targets.setdefault(_key(found[0].path), set()).add(ANY_STAGE)
    if target_stage is None:
        return
    links.targets.setdefault(_key(found[0].path), set()).add(target_stage.index)
    for tag in b.tags:
        links.tags.setdefault(image_key(tag.text), (found[0], target_stage))


def _context_of(c: Container) -> str | None:
    """The absolute build context folder of a service whose Dockerfile is known: the
    ``context`` as written, from the Compose file's folder, when it leads to the Dockerfile
    the parser resolved (an override file's context starts from the project's folder: then
    the context is what the Dockerfile path ends with)."""
    b = c.build
    if b is not None and b.dockerfile_path is None and b.inline is not None:
        # dockerfile_inline: the context alone (from the Compose file's folder).
        written = b.context.text if b.context is not None else "."
        if "$" in written or "://" in written:
            return None
        return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(c.path)), written))
    if b is None or b.dockerfile_path is None:
        return None
    path = os.path.abspath(b.dockerfile_path)
    written = b.context.text if b.context is not None else "."
    name = b.dockerfile.text if b.dockerfile is not None else "Dockerfile"
    if "$" not in written and "://" not in written:
        folder = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(c.path)), written))
        if os.path.normpath(os.path.join(folder, name)) == path:
            return folder
    rel = os.path.normpath(name)
    if os.path.isabs(rel) or rel.startswith(".."):
        return None
    suffix = os.sep + rel
    return path[: -len(suffix)] if path.endswith(suffix) else None


def build_contexts(build: ImageBuild, ctx: RuleContext) -> list[str]:
    """The folders ``build``'s ``COPY`` sources may come from, most likely first: the
    contexts of the Compose services that build it, then the Dockerfile's folder and the
    folders above it (``docker build -f docker/Dockerfile .``), all inside the scanned folders."""
    from dockerlint.rules.common.tree import inside

    out = [c for c in _links(ctx).contexts.get(_key(build.path), []) if inside(c, ctx.roots)]
    folder = os.path.dirname(os.path.abspath(build.path))
    while inside(folder, ctx.roots):
        if folder not in out:
            out.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return out


ANY_STAGE = -1


def _stage_named(build: ImageBuild, ref: str, before: int) -> int | None:
    """The stage a ``--from=`` value names from stage ``before``: an earlier stage's name
    (case-insensitive, the last one of that name) or index; None for an image or an
    unresolved value."""
    want = ref.strip().lower()
    if not want or "$" in want:
        return None
    if want.isdigit():
        return int(want) if int(want) < before else None
    for stage in reversed(build.stages[:before]):
        if stage.name is not None and stage.name.value.lower() == want:
            return stage.index
    return None


def _copied_from(build: ImageBuild) -> set[int]:
    """The stages other stages use: a ``FROM <stage>`` parent, a ``COPY``/``ADD --from=``
    source, a ``RUN --mount=...,from=`` source."""
    from dockerlint.rules.common.image import mount_options

    out: set[int] = set()
    for stage in build.stages:
        if stage.parent is not None:
            out.add(stage.parent)
        for ins in stage.instructions:
            refs: list[str] = []
            if ins.keyword in ("COPY", "ADD"):
                flag = ins.flag("from")
                if flag is not None and flag.value:
                    refs.append(flag.value)
            elif ins.keyword == "RUN":
                refs += [mount_options(f.value).get("from", "") for f in ins.flags if f.name == "mount" and f.value]
            for ref in refs:
                index = _stage_named(build, ref, stage.index)
                if index is not None:
                    out.add(index)
    return out


def shipped_stages(build: ImageBuild, ctx: RuleContext) -> set[int]:
    """The stages whose layers, history and config are in an image someone can run or pull:
    the stages that the final stage, a stage a build of the scan targets (Compose
    ``build.target``, ``docker build --target``) or a stage no other stage uses (a variant
    built with ``--target``) builds on with ``FROM <stage>``. Every other stage is
    builder-only: other stages copy files out of it, and its layers stay in the build
    cache. A build of the scan whose target is not known makes every stage shipped."""
    final = build.final_stage
    if final is None:
        return set()
    if len(build.stages) == 1:
        return {final.index}  # whatever targets it: most Dockerfiles, answered without the links
    targets = _links(ctx).targets.get(_key(build.path), set())
    if ANY_STAGE in targets:
        return {s.index for s in build.stages}
    used = _copied_from(build)
    roots = {final.index} | targets | {s.index for s in build.stages if s.index not in used}
    return {s.index for root in roots for s in build.stage_chain(root)}


def _resolve(links: _Links, c: Container) -> tuple[ImageBuild, Stage] | None:
    built = c.build.built_path if c.build is not None else None
    if c.build is None or built is None:
        return None
    build = links.builds.get(links.key(built))
    if build is None:
        return None
    target = c.build.target.text if c.build.target is not None else None
    if target is not None and "$" in target:
        return None
    stage = stage_for(build, target)
    return (build, stage) if stage is not None else None


_INLINE_PATH = re.compile(r"^(?P<file>.+)/dockerfile_inline:(?P<line>[0-9]+):[0-9]+$")


def built_from(build: ImageBuild) -> str:
    """How a message names the Dockerfile of a build: ``'api/Dockerfile'``, or ``the
    dockerfile_inline at compose.yaml:12`` for one written in a Compose file (whose
    findings are in that file, where its path says the build is)."""
    m = _INLINE_PATH.match(build.path)
    if m is not None and build.span.path == m.group("file"):
        return f"the dockerfile_inline at {m.group('file')}:{m.group('line')}"
    return repr(build.path)


def build_of(c: Container, ctx: RuleContext) -> tuple[ImageBuild, Stage] | None:
    """The Dockerfile in the scan and the stage the container's ``build:`` produces."""
    if c.build is None or c.build.built_path is None:
        return None
    return _resolve(_links(ctx), c)


def services_using(build: ImageBuild, ctx: RuleContext) -> list[Container]:
    """The Compose services of the scan that run the final stage of ``build``, by file and name."""
    return _links(ctx).users.get(_key(build.path), [])


@dataclass
class BaseUser:
    """Who a stage that sets no USER runs as, followed through the base images the scan builds."""

    user: LStr | None  # the USER of a Dockerfile of the scan that decides (None: an outside image does)
    owner: Stage | None  # the stage of that Dockerfile that sets it
    build: ImageBuild | None  # that Dockerfile
    external: str  # the first base image the scan does not build ("" when a USER decides)
    via: list[tuple[str, ImageBuild]] = field(default_factory=list)  # images of the scan passed through


def base_user(build: ImageBuild, stage: Stage, ctx: RuleContext) -> BaseUser:
    """The user a stage without USER inherits: ``FROM <image>`` where a Compose service
    (``build:`` with ``image:``) or a ``docker build -t`` line of the scan builds ``<image>``
    gives the final USER of that image's Dockerfile (followed further when it sets none);
    otherwise the outside base image decides. ``stage`` is the stage whose ``FROM`` names the
    base (the end of the ``FROM <stage>`` chain)."""
    links = _links(ctx)
    seen = {(_key(build.path), stage.index)}
    via: list[tuple[str, ImageBuild]] = []
    current = stage
    for _ in range(16):
        ref = current.resolved_image
        got = None if "$" in ref else links.tags.get(image_key(ref))
        if got is not None and (_key(got[0].path), got[1].index) in seen:
            return BaseUser(None, None, None, stage.resolved_image, [])  # images that build each other
        if got is None:
            return BaseUser(None, None, None, ref, via)
        image, target = got
        seen.add((_key(image.path), target.index))
        via.append((ref, image))
        user, owner = image.effective_user(target.index)
        if user is not None:
            return BaseUser(user, owner, image, "", via)
        current = owner
    return BaseUser(None, None, None, current.resolved_image, via)


def image_for_tag(tag: str, ctx: RuleContext) -> tuple[ImageBuild, Stage] | None:
    """The image built in this scan under the name ``tag`` (a Compose service's ``image:``
    next to its ``build:``, or a ``docker build -t`` line), for ``docker run`` lines: None
    when no build produces it."""
    return _links(ctx).tags.get(image_key(tag))


def built_here(ref: str, ctx: RuleContext, besides: str | None = None) -> Producer | None:
    """The first build of the scan that produces image ``ref`` (a Compose service with
    ``build:`` and ``image: ref``, a ``docker build -t ref`` line), whether or not its
    Dockerfile is in the scan; None when nothing here builds it, so it is pulled.
    ``besides``: a Dockerfile path whose own builds do not count (a ``FROM`` of the image
    the same Dockerfile builds is the previous version, pulled). A producer whose
    ``pulls`` is set does not build the image on a plain ``up``: the registry's wins."""
    if not ctx.scan.models:
        return None
    skip = _key(besides) if besides is not None else None
    found = [p for p in _links(ctx).produced.get(image_key(ref), ()) if skip is None or p.dockerfile != skip]
    # One that really builds it first; else one whose pull_policy pulls it instead (its
    # ``pulls`` says so).
    return next((p for p in found if p.pulls is None), found[0] if found else None)
