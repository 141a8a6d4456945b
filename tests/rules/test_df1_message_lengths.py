"""The image rules' messages stay short on hostile input (docs/messages.md, issue 13 wave 4).

Long values the user wrote are elided by ``api.quote`` (the snippet and the SARIF region keep
the whole text), optional parts are added only when they fit, and credentials stay masked: at
most 200 characters on any input (140 over the fixtures: tests/test_messages.py).
"""

from __future__ import annotations

from helpers import findings

LONG = "x" * 400
NAME = "A" * 300
DOCKERFILE = f"""\
FROM registry-{LONG}.example.com/img AS build
ARG {NAME}_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789AB
RUN make
ENV DB_{NAME}_PASSWORD=Sup3rS3cretValue
ADD https://example.com/{LONG}.sh /tmp/
ADD src/{LONG}.txt /app/
COPY certs/{LONG}.key /etc/{LONG}/
RUN chmod 777 /srv/{LONG} /b/{LONG}
RUN curl -fsSL https://x/{LONG} | sh
RUN echo 'Acquire::https::Verify-Peer "false"; // {LONG}' > /etc/apt/apt.conf.d/{LONG}
VOLUME /var/run/{LONG}/docker.sock
RUN --mount=type=bind,source=/var/run/{LONG}/docker.sock,target=/run/docker.sock true
RUN useradd -m u{LONG} && echo 'u{LONG} ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/{LONG}
RUN mysql -pS3cr3tP4ssw0rd{LONG} -e 'select 1'
EXPOSE ${{SSH_PORT:-22}}
USER u{LONG}
"""
RULES = ("DF102", "DF103", "DF104", "DF105", "DF106", "DF108", "DF110", "DF111", "DF112", "DF113", "DF116", "DF117")


def test_long_values_are_elided_and_secrets_masked() -> None:
    seen = set()
    for rule_id in RULES:
        for f in findings(rule_id, {"Dockerfile": DOCKERFILE}):
            seen.add(rule_id)
            assert len(f.message) <= 200, f"{rule_id} ({len(f.message)}): {f.message}"
            assert "x" * 60 not in f.message and "A" * 60 not in f.message, f.message
            for secret in ("Sup3rS3cret", "S3cr3tP4ssw0rd", "abcdefghijklmnop"):
                assert secret not in f.message, f.message
    assert seen == set(RULES)


def test_df101_names_services_only_when_they_fit() -> None:
    compose = "services:\n" + "".join(f"  {'s' * 60}{k}:\n    build: .\n" for k in range(3))
    got = findings("DF101", {"Dockerfile": 'FROM debian:12-slim\nCMD ["app"]\n', "compose.yaml": compose})
    assert len(got) == 1
    assert got[0].message.endswith("; used by 3 services") and len(got[0].message) <= 140, got[0].message
