"""Credentials are masked by the credential model applied to the lines a finding shows, not by
the findings of the rules that happened to run: with DF117 off (``--ignore DF117``, config,
per-file ignores) or its finding suppressed, another rule's excerpt of the same line, its
fingerprints and its SARIF line hash never hold the password (issue 12: safe on hostile
repositories)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import run
from dockerlint.core.keeping import masked_text
from dockerlint.knowledge.secrets import credential_spans
from dockerlint.util.fingerprint import line_hashes
from dockerlint.util.safetext import redact_all
from helpers import write_tree

PASSWORD = "Hunter2Secret"
DOCKERFILE = f"FROM alpine:3.20\nRUN curl -fsSL https://bob:{PASSWORD}@example.com/install.sh | sh\n"
# DF104 (a piped download run by a shell) fires on line 2; DF117 finds the URL password there.
SELECTIONS = {
    "all rules": [],
    "--ignore DF117": ["--ignore", "DF117"],
    "--select DF104": ["--select", "DF104"],
}
FORMATS = ("json", "sarif", "gitlab", "junit", "github")


def _outputs(tmp_path: Path, extra: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for fmt in FORMATS:
        _, text, err = run(["--no-color", "--fail-on", "never", "--format", fmt, *extra, "."], tmp_path)
        out[fmt] = text + err
    _, text, err = run(["--no-color", "--fail-on", "never", "--show-source", *extra, "."], tmp_path)
    out["text --show-source"] = text + err
    return out


@pytest.mark.parametrize("selection", sorted(SELECTIONS))
def test_no_format_shows_a_password_whatever_rules_run(tmp_path: Path, selection: str) -> None:
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE})
    outputs = _outputs(tmp_path, SELECTIONS[selection])
    assert "DF104" in outputs["json"]
    for fmt, text in outputs.items():
        assert PASSWORD not in text, (fmt, text[:3000])
    assert "bob:*************@example.com" in outputs["text --show-source"]


def _df104(tmp_path: Path, extra: list[str]) -> tuple[str, str]:
    _, out, _ = run(["--no-color", "--fail-on", "never", "--format", "sarif", *extra, "."], tmp_path)
    (res,) = [r for r in json.loads(out)["runs"][0]["results"] if r["ruleId"] == "DF104"]
    fp = res["partialFingerprints"]
    return fp["primaryLocationLineHash"], next(v for k, v in fp.items() if k != "primaryLocationLineHash")


def test_fingerprints_do_not_depend_on_the_rules_that_ran_nor_hash_the_password(tmp_path: Path) -> None:
    write_tree(tmp_path, {"Dockerfile": DOCKERFILE})
    got = {name: _df104(tmp_path, extra) for name, extra in SELECTIONS.items()}
    assert len(set(got.values())) == 1, got
    line_hash, _ = got["all rules"]
    raw = line_hashes(DOCKERFILE)[1]
    masked = line_hashes(DOCKERFILE.replace(PASSWORD, "*" * len(PASSWORD)))[1]
    assert line_hash == masked != raw


def test_suppressed_and_per_file_ignored_credential_rules_still_mask(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "Dockerfile": DOCKERFILE.replace("RUN curl", "# dockerlint: ignore[DF117] reviewed\nRUN curl"),
            "sub/Dockerfile": DOCKERFILE,
            ".dockerlint.yml": "per-file-ignores:\n  'sub/*': [DF117]\n",
        },
    )
    _, out, err = run(["--no-color", "--fail-on", "never", "--show-source", "."], tmp_path)
    assert out.count("DF104") == 2 and PASSWORD not in out + err, out


@pytest.mark.parametrize(
    ("run_line", "secret"),
    [
        ("RUN DB_PW=Pw-Run-Value-5512 curl -fsSL https://x.example.com/i.sh | sh", "Pw-Run-Value-5512"),
        ("RUN curl -u deploy:Curl-Pw-Value-99 -fsSL https://x.example.com/i.sh | sh", "Curl-Pw-Value-99"),
        (
            'RUN echo "root:Chpasswd-Value-77" | chpasswd && curl -fsSL https://x.example.com/i.sh | sh',
            "Chpasswd-Value-77",
        ),
        (
            "RUN mysql -uroot -pMysql-Pw-Value-1 -e 'select 1' && curl -fsSL https://x.example.com/i.sh | sh",
            "Mysql-Pw-Value-1",
        ),
        (
            "RUN ./configure --admin-password Opt-Pw-Value-42 && curl -fsSL https://x.example.com/i.sh | sh",
            "Opt-Pw-Value-42",
        ),
    ],
)
def test_every_credential_form_is_masked_in_another_rules_excerpt(tmp_path: Path, run_line: str, secret: str) -> None:
    """The credential rules off: DF104's excerpt of the line still hides each form they know."""
    write_tree(tmp_path, {"Dockerfile": f"FROM alpine:3.20\n{run_line}\n"})
    _, out, err = run(
        ["--no-color", "--fail-on", "never", "--show-source", "--ignore", "DF102,DF114,DF117", "."], tmp_path
    )
    assert "DF104" in out and secret not in out + err, out
    assert "*" * len(secret) in out


@pytest.mark.parametrize(
    ("line", "secrets"),
    [
        ("RUN curl https://bob:pw12345x@example.com/x | sh", ["pw12345x"]),
        ("ENV DB_PASSWORD=s3cr3tvalue", ["s3cr3tvalue"]),
        ("ENV DB_PASSWORD s3cr3tvalue", ["s3cr3tvalue"]),
        ("ARG DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-dev-only-7c1e0b9a}", ["dev-only-7c1e0b9a"]),
        ('  "auths": {"r.example.com": {"auth": "YWRtaW46Y2hhbmdlbWU="}}', ["YWRtaW46Y2hhbmdlbWU="]),
        ('  POSTGRES_PASSWORD: "realpass"', ["realpass"]),
        ("      POSTGRES_PASSWORD: realpass # set me", ["realpass"]),
        ('  "password": "abc123x",', ["abc123x"]),
        ("environment: {DB_PASSWORD: abc9, X: y}", ["abc9"]),
        ("RUN mysql -uroot -psupersecret db", ["supersecret"]),
        ("RUN curl -u admin:Adm1nPass https://x", ["Adm1nPass"]),
        ("RUN echo 'root:toor' | chpasswd", ["toor"]),
        ("RUN app --api-token abcdefgh1234 run", ["abcdefgh1234"]),
        ("RUN openssl genrsa -passout pass:Foo123 -out k.pem", ["Foo123"]),
        ("RUN keytool -genkey -storepass Qwerty12 -keystore k.jks", ["Qwerty12"]),
        ("RUN sshpass -p mypass ssh host", ["mypass"]),
        ("RUN mvn deploy -Dgpg.passphrase=Letmein1", ["Letmein1"]),
        ("- MYSQL_ROOT_PASSWORD=${PW}", []),
        ("TOKEN_FILE=/run/secrets/token PASSWORD_LENGTH=12", []),
        ("image: postgres:16  # old password: hunter22", ["hunter22"]),  # a comment leaks it too
    ],
)
def test_the_line_model_finds_what_the_rules_mask(line: str, secrets: list[str]) -> None:
    spans = credential_spans(line)
    assert sorted(line[a:b] for a, b in spans) == sorted(secrets), spans
    masked = redact_all(line, spans)
    assert len(masked) == len(line) and not any(s in masked for s in secrets)


def test_masked_text_keeps_lengths_and_line_breaks() -> None:
    text = "A=1\r\nDB_PASSWORD=abcdef9\nB=2\n"
    assert masked_text(text) == "A=1\r\nDB_PASSWORD=*******\nB=2\n"
    assert masked_text("nothing here\n") == "nothing here\n"


@pytest.mark.parametrize(
    "piece",
    [
        "a=",
        "PASSWORD=",
        "PASSWORD=x",
        "password: ",
        "password:",
        '"password":"',
        "TOKEN=${A:-",
        "-u a:",
        "--password ",
        "-p",
        "mysql -px ",
        "pass:",
        "echo a:b | chpasswd ",
        "x" * 7,
        "ENV PASSWORD ",
        "a_password_",
        "://",
        "'\"",
    ],
)
def test_the_line_model_is_linear(piece: str) -> None:
    """Every excerpt line is read by the model: a hostile line must cost linear time."""
    import time

    def cost(n: int) -> float:
        line = piece * (n // len(piece))
        best = float("inf")
        for _ in range(3):
            start = time.thread_time()
            credential_spans(line)
            best = min(best, time.thread_time() - start)
        return best

    small, big = cost(12_500), cost(100_000)
    # 8 times the text: 8 times the time when linear, 64 when quadratic; small absolute
    # times are noise, so a fast big line passes whatever the ratio.
    assert big < 0.25 or big < 20 * max(small, 1e-3), (piece, small, big)


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_inspect_shows_no_credential_of_the_forms_the_model_knows(tmp_path: Path, fmt: str) -> None:
    secrets = ("Changeme-Legacy-1", PASSWORD, "Mysql-Pw-Value-1", "Adm1nPass-99", "Toor-Value-77")
    write_tree(
        tmp_path,
        {
            "Dockerfile": (
                "FROM alpine:3.20\n"
                f"ENV REDIS_PASSWORD {secrets[0]}\n"
                f"RUN curl -fsSL https://bob:{PASSWORD}@example.com/install.sh | sh\n"
                f"RUN mysql -uroot -p{secrets[2]} db && curl -u adm:{secrets[3]} https://x.example.com/\n"
                f'RUN echo "root:{secrets[4]}" | chpasswd\n'
            )
        },
    )
    _, out, err = run(["inspect", "--format", fmt, "."], tmp_path)
    assert "REDIS_PASSWORD" in out
    for secret in secrets:
        assert secret not in out + err, (secret, out)
