"""DF210 rpm-cache-not-cleaned: ``yum``/``dnf``/``zypper`` install without cleaning its cache.

``yum``, ``dnf`` and ``microdnf`` keep the repository metadata (and, depending on the
configuration, the downloaded packages) in ``/var/cache/yum`` / ``/var/cache/dnf``;
``zypper`` keeps them in ``/var/cache/zypp``. Unless the same ``RUN`` removes them, they
stay in the layer.

Fires on an ``install``-like subcommand (``install``, ``groupinstall``, ``localinstall``,
``reinstall``, ``update``/``upgrade``, ``group install``; zypper ``install``/``in``,
``update``/``up``, ``patch``, ``dist-upgrade``/``dup``) in a ``RUN`` of a shipped stage (the
final stage, a stage nothing refers to, or one they are built ``FROM``), when no
``yum clean all`` / ``dnf clean all`` / ``microdnf clean all`` / ``zypper clean`` (``cc``),
nor an ``rm -rf`` of the cache directory, follows it in the same ``RUN``. Not when the
cache directory is a ``--mount=type=cache``.

Where it points: at the command word (``yum``) of the first install of the ``RUN``.
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.image import ImageBuild
from dockerlint.models.shell import Step
from dockerlint.rules.image._hygiene import (
    cache_mounts,
    image_stages,
    package_call,
    stage_runs,
    steps_of,
    under_mount,
)
from dockerlint.rules.image._shell import removed_later

_INSTALLS = frozenset(
    {
        "install",
        "groupinstall",
        "localinstall",
        "reinstall",
        "update",
        "upgrade",
        "in",
        "up",
        "patch",
        "dist-upgrade",
        "dup",
        "distro-sync",
    }
)
_CACHE = {"yum": "/var/cache/yum", "dnf": "/var/cache/dnf", "microdnf": "/var/cache/dnf", "zypper": "/var/cache/zypp"}
# yum is dnf since RHEL 8: either directory may hold the cache.
_DIRS = {
    "yum": ("/var/cache/yum", "/var/cache/dnf"),
    "dnf": ("/var/cache/dnf", "/var/cache/yum"),
    "microdnf": ("/var/cache/dnf", "/var/cache/yum"),
    "zypper": ("/var/cache/zypp",),
}
_CLEAN = {
    "yum": "yum clean all",
    "dnf": "dnf clean all",
    "microdnf": "microdnf clean all",
    "zypper": "zypper clean --all",
}


def _mentions(text: str) -> bool:
    return "yum" in text or "dnf" in text or "zypper" in text


def _cleaned_later(steps: list[Step], k: int, tool: str) -> bool:
    family = ("yum", "dnf", "microdnf") if tool != "zypper" else ("zypper",)
    for step in steps[k + 1 :]:
        cmd = step.command
        if cmd.name in family:
            call = package_call(cmd)
            if call is None:
                continue
            if tool == "zypper" and call.action in ("clean", "cc"):
                return True
            if call.action == "clean" and any(w.value in ("all", "packages", "metadata") for w in call.packages):
                return True
    return False


@rule(
    id="DF210",
    name="rpm-cache-not-cleaned",
    reads=ImageBuild,
    severity=Severity.INFO,
    summary="yum/dnf/zypper install without cleaning the package cache",
    enabled_by_default=False,
    peers={
        "hadolint": "DL3032, DL3040, DL3036",
        "trivy": "DS-0015, DS-0019, DS-0020, DS-0027",
        "kics": "yum_clean_all_missing, missing_dnf_clean_all, missing_zypper_clean",
    },
    precision="high",
    tags=("hygiene", "image-size"),
)
def rpm_cache_not_cleaned(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    shipped = image_stages(build, ctx)
    for stage, ins, script in stage_runs(build, ctx, _mentions, words=("yum", "dnf", "zypper")):
        if stage.index not in shipped and ins.keyword != "ONBUILD":
            continue
        mounts = cache_mounts(ins)
        steps = steps_of(script)
        for k, step in enumerate(steps):
            cmd = step.command
            if cmd.name not in _CACHE:
                continue
            call = package_call(cmd)
            if call is None or call.action not in _INSTALLS:
                continue
            if call.action == "group" and (not call.packages or call.packages[0].value != "install"):
                continue
            cache = _CACHE[call.tool]
            if any(
                under_mount(d + "/x", mounts) or removed_later(script, k, d + "/x") for d in _DIRS[call.tool]
            ) or _cleaned_later(steps, k, call.tool):
                continue
            word = cmd.command_word
            assert word is not None
            yield Hit(
                word.span,
                f"{call.tool} {call.action} leaves its cache in {cache} and this RUN does not "
                f"clean it, so it stays in the image; end the same RUN with {_CLEAN[call.tool]}",
                context=f"{call.tool}-clean:{call.action}",
            )
            break
