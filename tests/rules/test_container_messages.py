"""How the container rules' messages name the container and stay within 140 characters
(docs/messages.md; issue 13 WP4.3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import findings

SRC = Path(__file__).resolve().parents[2] / "src" / "dockerlint" / "rules" / "container"


def _privileged(service: str) -> str:
    (f,) = findings(
        "DC102",
        {"compose.yaml": f"services:\n  {service}:\n    image: a:1\n    privileged: true\n"},
        name="compose.yaml",
    )
    return f.message


def test_a_service_name_is_quoted_escaped_and_elided() -> None:
    assert _privileged("web") == "service 'web' runs privileged"
    # the name is the file's text: what could move a terminal's cursor is escaped
    assert _privileged('"we\\u001b[2Jb"') == "service 'we\\x1b[2Jb' runs privileged"
    long = _privileged("a" * 80)
    assert "a" * 40 not in long and "\u2026" in long and len(long) < 60


def test_profiles_are_quoted_too() -> None:
    (f,) = findings(
        "DC102",
        {
            "compose.yaml": "services:\n  debug:\n    image: a:1\n    privileged: true\n"
            '    profiles: [dev, "x\\u001by"]\n'
        },
        name="compose.yaml",
    )
    assert f.message == "service 'debug' (profiles 'dev', 'x\\x1by') runs privileged"


@pytest.mark.parametrize(
    ("files", "subject"),
    [
        ({"run.sh": "#!/bin/sh\ndocker run --privileged alpine:3.20\n"}, "docker run"),
        (
            {".devcontainer/devcontainer.json": '{"name": "Go", "image": "golang:1.22", "privileged": true}'},
            "dev container 'Go'",
        ),
        (
            {
                "etc/containers/systemd/web.container": "[Container]\nImage=docker.io/library/nginx:1.27\n"
                "PodmanArgs=--privileged\n"
            },
            "Quadlet container 'web.container'",
        ),
    ],
)
def test_each_source_names_its_container_its_way(files: dict[str, str], subject: str) -> None:
    (f,) = findings("DC102", files)
    assert f.message == f"{subject} runs privileged"


def test_one_helper_names_the_container() -> None:
    """Every container rule starts its message with rules.common.containers.subject, not with
    the model's label (which does not quote a Compose service's name)."""
    users = [p.name for p in sorted(SRC.rglob("*.py")) if re.search(r"\bc\.label\b", p.read_text(encoding="utf-8"))]
    assert users == []


def test_fit_keeps_the_tails_that_fit_in_order() -> None:
    from dockerlint.rules.container._text import fit

    assert fit("a" * 130, "; too long tail", "; ok") == "a" * 130 + "; ok"
    assert fit("a" * 138, "; x", limit=141) == "a" * 138 + "; x"
    assert fit("a" * 150, "; x") == "a" * 150  # the head is never cut


def test_a_rootless_unit_keeps_a_short_reason_for_its_lower_severity() -> None:
    text = "[Container]\nImage=docker.io/library/nginx:1.27\nPodmanArgs=--privileged\n"
    (rooted,) = findings("DC102", {"etc/containers/systemd/web.container": text})
    (rootless,) = findings("DC102", {"home/u/.config/containers/systemd/web.container": text})
    (unknown,) = findings("DC102", {"deploy/web.container": text})
    assert rooted.message == "Quadlet container 'web.container' runs privileged"
    assert rootless.message == "Quadlet container 'web.container' runs privileged (rootless: severity lowered)"
    assert str(rootless.severity) == "high"
    assert unknown.message == (
        "Quadlet container 'web.container' runs privileged (unit's location unknown: assumed to run as root)"
    )
