"""DF102, DC117 (Compose environment, command lines, .env files), DF114 and DF117 never print the
credentials they find: not in messages, not in ``--show-source`` excerpts, not in any format, and
the fingerprints hash the masked text (as DD121 does, tests/test_client_files.py). Another rule's
finding on the same line (DF104 on a download piped into sh) masks them too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import run
from helpers import write_tree

DOCKERFILE = """\
FROM node:20-bookworm-slim
ARG NPM_TOKEN=npm_Zq81vLw0pR4tXyQ8mN2
ENV DB_PASSWORD=Pw-Env-Value-7781 API_KEY=Ak-Env-Value-1234
RUN DB_PW=Pw-Run-Value-5512 ./init.sh && curl -u deploy:Curl-Pw-Value-99 https://n.example.com/x
RUN git clone https://bob:Url-Pw-Value-31@git.example.com/app.git /app && npm ci
RUN ./configure --admin-password \\
      Multi-Line-Pw-Value-42 --prefix=/usr
RUN echo "root:Chpasswd-Value-77" | chpasswd && curl -fsSL https://bob:Pipe-Pw-Value-55@get.example.com/i.sh | sh
USER node
"""
COMPOSE = """\
services:
  db:
    image: postgres:16.3
    environment:
      POSTGRES_PASSWORD: Compose-Pw-Value-66
      REDIS_PASSWORD: ${REDIS_PASSWORD}
    command: ["postgres", "--admin-password=Cmd-Pw-Value-808"]
"""
DOTENV = "REDIS_PASSWORD=Dotenv-Pw-Value-450\n"
SECRETS = (
    "Zq81vLw0pR4tXyQ8mN2",
    "Pw-Env-Value-7781",
    "Ak-Env-Value-1234",
    "Pw-Run-Value-5512",
    "Curl-Pw-Value-99",
    "Url-Pw-Value-31",
    "Multi-Line-Pw-Value-42",
    "Compose-Pw-Value-66",
    "Cmd-Pw-Value-808",
    "Dotenv-Pw-Value-450",
    "Chpasswd-Value-77",
    "Pipe-Pw-Value-55",
)
RULES = "DF102,DF104,DF114,DF117,DC117"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "gitlab", "junit"])
@pytest.mark.parametrize("show", ["--show-source", "--no-show-source"])
def test_found_credentials_are_never_printed(tmp_path: Path, fmt: str, show: str) -> None:
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE, "compose.yaml": COMPOSE, ".env": DOTENV})
    code, out, err = run(["--no-color", "--format", fmt, show, "--select", "ALL", "."], tmp_path, tty=True)
    assert code == 1, err
    for rule in ("DF102", "DF104", "DF114", "DF117", "DC117"):
        assert rule in out, (fmt, rule)
    for secret in SECRETS:
        for part in (secret, secret[4:]):  # not even a fragment that a mask left in the clear
            assert part not in out and part not in err, (fmt, show, part)
    if fmt == "text" and show == "--show-source":
        assert "curl -u " + "*" * len("deploy:Curl-Pw-Value-99") in out  # masked in place, carets aligned
        assert "POSTGRES_PASSWORD: " + "*" * len("Compose-Pw-Value-66") in out
        assert 'RUN echo "' + "*" * len("root:Chpasswd-Value-77") + '" | chpasswd' in out


def test_every_finding_is_found(tmp_path: Path) -> None:
    """The test above judges findings that exist: each credential has its finding."""
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE, "compose.yaml": COMPOSE, ".env": DOTENV})
    _, out, _ = run(["--format", "json", "--select", RULES, "."], tmp_path)
    got = sorted((f["rule_id"], Path(f["path"]).name, f["line"]) for f in json.loads(out)["findings"])
    assert [g for g in got if g[0] == "DF117"] == [
        ("DF117", "Dockerfile", 2),
        ("DF117", "Dockerfile", 4),
        ("DF117", "Dockerfile", 4),
        ("DF117", "Dockerfile", 5),
        ("DF117", "Dockerfile", 7),
        ("DF117", "Dockerfile", 8),
    ]
    assert ("DC117", ".env", 1) in got and ("DC117", "compose.yaml", 5) in got and ("DC117", "compose.yaml", 7) in got
    assert ("DF102", "Dockerfile", 2) in got and ("DF102", "Dockerfile", 3) in got
    assert ("DF114", "Dockerfile", 8) in got and ("DF104", "Dockerfile", 8) in got


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Dockerfile", "FROM alpine:3.20\nRUN DB_PW={} ./init.sh\n"),
        ("Dockerfile", "FROM alpine:3.20\nENV DB_PASSWORD={}\n"),
        ("Dockerfile", "FROM alpine:3.20\nRUN curl -fsSL https://bob:{}@get.example.com/i.sh | sh\n"),
        ("compose.yaml", "services:\n  db:\n    image: postgres:16.3\n    environment:\n      POSTGRES_PASSWORD: {}\n"),
    ],
)
def test_the_fingerprint_does_not_depend_on_the_credential(tmp_path: Path, name: str, text: str) -> None:
    """Rotating the password keeps the finding's identity, and a report's fingerprint cannot be
    brute-forced back into a short password."""

    def fingerprints(secret: str) -> list[str]:
        write_tree(tmp_path, {name: text.format(secret)})
        _, out, _ = run(["--format", "json", "--select", RULES, name], tmp_path)
        return [str(f["fingerprint"]) for f in json.loads(out)["findings"]]

    first = fingerprints("Hunter2-first-value")
    assert first and first == fingerprints("Hunter2-other-value")


def test_masking_many_spans_of_one_line_is_one_pass() -> None:
    """redact_all masks what masking each range of the written line would, in one pass (the
    quotes of a quoted value kept): a line of thousands of credentials is rebuilt once."""
    import random

    from dockerlint.util.safetext import redact_all

    rng = random.Random(7)
    for _ in range(5000):
        line = "".join(rng.choice("ab'\" ") for _ in range(rng.randint(0, 20)))
        ranges = [(rng.randint(-2, 22), rng.randint(-2, 22)) for _ in range(rng.randint(0, 4))]
        want = list(line)
        for a, b in ranges:
            start, end = max(a, 0), min(b, len(line))
            if end - start >= 2 and line[start] == line[end - 1] and line[start] in "\"'":
                start, end = start + 1, end - 1
            for i in range(start, end):
                want[i] = "*"
        assert redact_all(line, ranges) == "".join(want), (line, ranges)
