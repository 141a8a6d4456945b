"""DF209 rpm-without-yes: ``yum``/``dnf``/``zypper`` install without the non-interactive switch.

``yum install`` and ``dnf install`` ask "Is this ok [y/N]" and ``zypper install`` asks
"Continue? [y/n/v/...]"; a build has no terminal to answer, so the command aborts (or, for
zypper, may wait on a question).

Fires on ``yum``/``dnf`` ``install``, ``groupinstall``, ``localinstall``, ``reinstall``,
``update``, ``upgrade``, ``downgrade``, ``remove``, ``erase``, ``autoremove``, ``swap`` and
``group install`` without ``-y``/``--assumeyes`` (or ``--setopt=assumeyes=1``), and on
``zypper`` ``install``/``in``, ``remove``/``rm``, ``update``/``up``, ``patch``,
``dist-upgrade``/``dup``, ``source-install``/``si`` without ``-n``/``--non-interactive``
(before the subcommand) or ``-y``/``--no-confirm`` (after it). ``microdnf`` never asks and
is not reported; neither is a command fed by ``yes |``.

Where it points: at the subcommand word (``install``).
"""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, rule
from dockerlint.models.image import ImageBuild
from dockerlint.rules.image._hygiene import package_call, stage_runs, with_fix

_YUM_ACTIONS = frozenset(
    {
        "install",
        "groupinstall",
        "localinstall",
        "reinstall",
        "update",
        "upgrade",
        "downgrade",
        "remove",
        "erase",
        "autoremove",
        "swap",
        "group",
        "groupupdate",
        "groupremove",
        "distro-sync",
        "module",
    }
)
_ZYPPER_ACTIONS = frozenset(
    {
        "install",
        "in",
        "remove",
        "rm",
        "update",
        "up",
        "patch",
        "dist-upgrade",
        "dup",
        "source-install",
        "si",
        "install-new-recommends",
        "inr",
    }
)


def _mentions(text: str) -> bool:
    return "yum" in text or "dnf" in text or "zypper" in text


@rule(
    id="DF209",
    name="rpm-without-yes",
    reads=ImageBuild,
    severity=Severity.LOW,
    summary="yum/dnf/zypper install without -y (--non-interactive)",
    enabled_by_default=False,
    peers={"hadolint": "DL3030, DL3038, DL3034", "kics": "yum_install_allows_manual_input"},
    precision="very-high",
    tags=("hygiene", "reliability"),
)
def rpm_without_yes(build: ImageBuild, ctx: RuleContext) -> Iterator[Hit]:
    for _, _, script in stage_runs(build, ctx, _mentions, words=("yum", "dnf", "zypper")):
        for step in script.walk():
            cmd = step.command
            if cmd.name not in ("yum", "dnf", "zypper"):
                continue
            call = package_call(cmd)
            if call is None or call.subcommand is None:
                continue
            if step.position > 0 and step.pipeline.commands[step.position - 1].name == "yes":
                continue
            if call.tool == "zypper":
                if call.action not in _ZYPPER_ACTIONS or call.has("-n", "--non-interactive", "-y", "--no-confirm"):
                    continue
                fix = "zypper --non-interactive " + call.action
            else:
                if call.action not in _YUM_ACTIONS or call.has("-y", "--assumeyes", "--assumeno"):
                    continue
                if any(
                    v.replace(" ", "").lower() in ("assumeyes=1", "assumeyes=true", "assumeyes=yes")
                    for v in call.value_of("--setopt")
                ):
                    continue
                if call.action in ("group", "module") and not call.packages:
                    continue  # "group list", "module list"...
                if call.action in ("group", "module") and call.packages[0].value not in (
                    "install",
                    "update",
                    "upgrade",
                    "remove",
                    "erase",
                    "enable",
                    "reset",
                    "disable",
                ):
                    continue
                fix = f"{call.tool} -y {call.action}"
            yield Hit(
                call.subcommand.span,
                with_fix(
                    f"{call.tool} {call.action} without a non-interactive switch stops at its first question",
                    f" (a build has no terminal); use {fix}",
                    f"; use {fix}",
                ),
                context=f"{call.tool}-yes:{call.action}",
            )
