"""DF102 secret-in-image."""

from __future__ import annotations

import pytest

from helpers import check, dedent

GITHUB_TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"


def test_env_password_points_at_the_value() -> None:
    got = check(
        "DF102",
        """
        FROM postgres:16
        ENV POSTGRES_PASSWORD=s3cr3t-Passw0rd
        """,
        expect=[(2, 23, "ENV 'POSTGRES_PASSWORD' sets a literal secret ('s3********')")],
    )
    assert "s3cr3t-Passw0rd" not in got[0].message
    assert (got[0].span.end_line, got[0].span.end_col) == (2, 38)


def test_legacy_form_quotes_and_continuations() -> None:
    check("DF102", "FROM alpine:3.20\nENV DB_PASSWORD hunter22\n", expect=[(2, 17)])
    check("DF102", 'FROM alpine:3.20\nENV API_KEY="abc def ghi"\n', expect=[(2, 13)])
    check(
        "DF102",
        """
        FROM alpine:3.20
        ENV APP_ENV=production \\
            API_KEY=abcdef123456 \\
            LOG_LEVEL=info
        """,
        expect=[(3, 13, "ENV 'API_KEY'")],
    )


@pytest.mark.parametrize(
    "name",
    [
        "DB_PASSWORD",
        "MYSQL_ROOT_PASSWORD",
        "dbPassword",
        "GITHUB_TOKEN",
        "NPM_TOKEN",
        "api-key",
        "apiKey",
        "AWS_SECRET_ACCESS_KEY",
        "DJANGO_SECRET_KEY",
        "SECRET_KEY_BASE",
        "LDAP_ROOTPASS",
        "REDIS_PASS",
        "DB_PWD",
        "JWT_SECRET",
        "OAUTH_CLIENT_SECRET",
        "TS_AUTHKEY",
        "NEW_RELIC_LICENSE_KEY",
        "ADMINPASSWORD",
        "PASSWORD",
        "app.db.password",
    ],
)
def test_secret_names_fire(name: str) -> None:
    check("DF102", f"FROM alpine:3.20\nENV {name}=Tr0ub4dor3\n", expect=[(2, 6 + len(name), f"ENV '{name}' ")])


@pytest.mark.parametrize(
    "name",
    [
        "GITHUB_TOKEN_FILE",
        "POSTGRES_PASSWORD_FILE",
        "DB_SECRET_NAME",
        "GOPRIVATE",
        "PASSWORD_LENGTH",
        "TOKEN_URL",
        "GPG_KEY",
        "GPG_KEYS",
        "PYTHON_SHA256",
        "PWD",
        "BYPASS",
        "PASSTHROUGH",
        "TOKENIZERS_PARALLELISM",
        "KEYCLOAK_ADMIN",
        "OAUTH2_PROXY_VERSION",
        "SMTP_AUTH",
        "SSH_AUTH_SOCK",
        "GIT_ASKPASS",
        "SECRETS_DIR",
        "PASSWORD_HASH_ALGORITHM",
        "TOKEN_ENDPOINT",
        "API_KEY_HEADER",
    ],
)
def test_names_about_secrets_do_not_fire(name: str) -> None:
    check("DF102", f"FROM alpine:3.20\nENV {name}=Tr0ub4dor3\n", expect=[])


@pytest.mark.parametrize(
    "value",
    [
        '""',
        "",
        "${DB_PASSWORD}",
        "$DB_PASSWORD",
        '"${DB_PASSWORD}"',
        "true",
        "no",
        "0",
        "/run/secrets/db_password",
        "./secrets/db",
        "<your-password>",
        "xxx",
        "'********'",
        '"{{ db_password }}"',
        "${DB_PASSWORD:-}",
    ],
)
def test_values_that_are_not_secrets(value: str) -> None:
    check("DF102", f"FROM alpine:3.20\nENV DB_PASSWORD={value}\n", expect=[])


@pytest.mark.parametrize("value", ["changeme", "admin", "my-secret-pw", "${DB_PASSWORD:-changeme}", "'$ecret'"])
def test_default_passwords_fire(value: str) -> None:
    check("DF102", f"FROM alpine:3.20\nENV DB_PASSWORD={value}\n", expect=[(2, 17)])


def test_arg_without_default_is_fine_with_default_fires() -> None:
    check("DF102", "FROM node:20\nARG NPM_TOKEN\nRUN --mount=type=secret,id=npm npm ci\n", expect=[])
    check(
        "DF102",
        f"ARG GITHUB_TOKEN={GITHUB_TOKEN}\nFROM alpine:3.20\nARG GITHUB_TOKEN\n",
        expect=[(1, 18, "ARG 'GITHUB_TOKEN' holds a GitHub token ('ghp_********')")],
    )
    check(
        "DF102",
        "FROM alpine:3.20\nARG DEPLOY_TOKEN=abc123def456\n",
        expect=[(2, 18, "ARG 'DEPLOY_TOKEN' sets a literal secret")],
    )


@pytest.mark.parametrize(
    ("value", "what", "shown"),
    [
        ("AKIAZ7VRSQ5TJN2ABCDE", "an AWS access key id", "AKIA********"),
        (GITHUB_TOKEN, "a GitHub token", "ghp_********"),
        ("github_pat_11ABCDEFG0123456789abcdefghijklmnop", "a GitHub token", "github_pat_********"),
        ("glpat-abcdefghij0123456789", "a GitLab token", "glpat-********"),
        ("xoxb-123456789012-abcdefghij", "a Slack token", "xoxb-********"),
        ("sk_live_51Habcdefghijklmnopqrstuv", "a Stripe secret key", "sk_live_********"),
        ("AIzaSyA-1234567890abcdefghijklmnopqrstu", "a Google API key", "AIza********"),
        (
            '"-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAA"',
            "a private key",
            "-----BEGIN OPENSSH PRIVATE KEY-----",
        ),
        ("postgres://app:hunter22@db:5432/app", "a URL with a password", "postgres://app:********@db:5432"),
        ("https://:Tr0ub4dor3@registry.example.com", "a URL with a password", "https://:********@registry"),
    ],
)
def test_token_shapes_fire_whatever_the_name(value: str, what: str, shown: str) -> None:
    got = check(
        "DF102",
        f"FROM alpine:3.20\nLABEL build.config={value}\n",
        expect=[(2, 20, f"LABEL 'build.config' holds {what} ('{shown}")],
    )
    assert value.strip('"')[12:] not in got[0].message


@pytest.mark.parametrize(
    "value",
    [
        "AKIAIOSFODNN7EXAMPLE",  # the key id of AWS's documentation
        "git@github.com:org/repo.git",
        "postgres://${DB_USER}:${DB_PASS}@db/app",
        "https://user@example.com/",
        "http://proxy.internal:3128",
        "7169605F62C751356D054A26A821E680E5FA6305",
        "ghp_short",
    ],
)
def test_lookalikes_do_not_fire(value: str) -> None:
    check("DF102", f"FROM alpine:3.20\nENV SETTING={value}\n", expect=[])


def test_one_finding_when_name_and_value_both_match() -> None:
    check("DF102", f"FROM alpine:3.20\nENV GITHUB_TOKEN={GITHUB_TOKEN}\n", expect=[(2, 18, "a GitHub token")])


def test_label_and_multiple_pairs() -> None:
    check(
        "DF102",
        """
        FROM alpine:3.20
        LABEL org.opencontainers.image.title="api" com.example.api-token="9f8e7d6c5b4a"
        """,
        expect=[(2, 66, "LABEL 'com.example.api-token'")],
    )


def test_official_image_settings_are_clean() -> None:
    check(
        "DF102",
        """
        FROM debian:bookworm-slim
        ENV GPG_KEY 7169605F62C751356D054A26A821E680E5FA6305
        ENV PYTHON_VERSION 3.13.1
        ENV PYTHON_SHA256 9cf9427bee9e2242e3877dd0f6b641c1853ca461f39d6503ce260a59c80bf0d9
        ENV GPG_KEYS 1198C0117593497A5EC5C199286AF1F9897469DC 39B641343D8C104B2B146DC3F9C39DC0B9698544
        ENV PHP_URL="https://www.php.net/distributions/php-8.3.0.tar.xz" PHP_ASC_URL="https://www.php.net/distributions/php-8.3.0.tar.xz.asc"
        ENV TOMCAT_SHA512 fa2bc3bbd3e4ab1c5ebf1bc5b1b3eb8bd0c2d5a36ac4a2b12b1b7c8f2b4a5e1b
        ENV PATH /usr/local/bin:$PATH
        """,
        expect=[],
    )


def test_the_parser_gives_each_pair_with_its_spans() -> None:
    # DF102 reads Instruction.pairs: check the model it relies on (ENV/LABEL/ARG forms).
    from dockerlint.models.source import SourceFile
    from dockerlint.parsers.dockerfile import parse

    text = dedent("""
        ARG BASE_PASS=one
        FROM alpine:3.20
        ARG BASE_PASS
        ENV A=1 B="x y" \\
            C=${BASE_PASS}z
        ENV LEGACY some value
        LABEL "com.example.key"='v' empty=
        """)
    build = parse(SourceFile("Dockerfile", "dockerfile", text)).models[0]
    got = [
        (
            kv.key.text,
            None
            if kv.value is None
            else (kv.value.value, kv.value.text, kv.value.span.line, kv.value.span.col, kv.value.span.end_col),
        )
        for ins in build.instructions
        for kv in ins.pairs
    ]
    assert got == [
        ("BASE_PASS", ("one", "one", 1, 15, 18)),
        ("BASE_PASS", None),
        ("A", ("1", "1", 4, 7, 8)),
        ("B", ('"x y"', "x y", 4, 11, 16)),
        ("C", ("${BASE_PASS}z", "onez", 5, 7, 20)),
        ("LEGACY", ("some value", "some value", 6, 12, 22)),
        ("com.example.key", ("'v'", "v", 7, 25, 28)),
        ("empty", ("", "", 7, 34, 35)),
    ]


# -- issue 12 B6: the shared credential model ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("API_KEY", "<your-API-Key>"),
        ("ADMIN_PASSWORD", "<ADMIN_PASSWORD>"),
        ("API_TOKEN", "your_token_here"),
        ("SMTP_PASSWORD", "user_provided"),
        ("DB_PASSWORD", "invalid"),
        ("TOKEN", "token"),
        ("API_KEY", "apikey"),
        ("TOKEN_TIME", "168"),
        ("TOKEN_TTL", "3600"),
        ("TOKEN_EXPIRY", "7d"),
        ("PASS_SCHEME", "BLF-CRYPT"),
        ("DB_PASSWORD_FILE", "/run/secrets/db"),
        ("SSH_PRIVATE_KEY_PATH", "/keys/id_ed25519"),
        ("PY3_DETECT_SECRETS", "1.5.0"),
        ("DB_PASSWORD", "'~'"),
    ],
)
def test_placeholders_and_settings_about_secrets_do_not_fire(name: str, value: str) -> None:
    check("DF102", f"FROM alpine:3.20\nENV {name}={value}\n", expect=[])


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DB_PASSWORD", "password"),
        ("ADMIN_PASSWORD", "admin"),
        ("SA_PASSWORD", "'yourStrong(!)Password'"),
        ("DB_PASSWORD_PROD", "hunter22"),
        ("API_KEY", "a7c4d0ad-114e-40ef-ba1d-d217904a50f2"),
    ],
)
def test_weak_but_real_values_fire(name: str, value: str) -> None:
    check("DF102", f"FROM alpine:3.20\nENV {name}={value}\n", expect=[(2, 6 + len(name))])
