"""DC117 secret-in-environment."""

from __future__ import annotations

import pytest

from helpers import check, findings, lint, write_tree


def test_literal_password_points_at_the_value_and_masks_it() -> None:
    got = check(
        "DC117",
        """
        services:
          db:
            image: mariadb:11.4
            environment:
              MYSQL_ROOT_PASSWORD: s3cr3t-Pa55
              MYSQL_DATABASE: app
              MYSQL_PASSWORD_FILE: /run/secrets/db_password
        """,
        expect=[(5, 28, "sets MYSQL_ROOT_PASSWORD to a literal value (11 characters)")],
        name="compose.yaml",
    )
    assert "s3cr3t" not in got[0].message


def test_list_syntax_points_at_the_item() -> None:
    check(
        "DC117",
        """
        services:
          grafana:
            image: grafana/grafana:11.1.0
            environment:
              - GF_SECURITY_ADMIN_USER=admin
              - GF_SECURITY_ADMIN_PASSWORD=grafana
        """,
        expect=[(6, 9, "GF_SECURITY_ADMIN_PASSWORD")],
        name="compose.yaml",
    )


@pytest.mark.parametrize(
    "name",
    [
        "POSTGRES_PASSWORD",
        "DB_PASSWD",
        "DB_PASS",
        "SMTP_PWD",
        "PGADMIN_PW",
        "JWT_SECRET",
        "SECRET_KEY_BASE",
        "NPM_TOKEN",
        "API_KEY",
        "STRIPE_API_KEY",
        "AWS_SECRET_ACCESS_KEY",
        "APP_KEY",
        "WEBPASSWORD",
        "dbPassword",
        "client.secret",
        "WORDPRESS_AUTH_SALT",
        "REDIS_REQUIREPASS",
        "ENCRYPTION_KEY",
        "LDAP_BIND_CREDENTIALS",
        "GPG_PASSPHRASE",
    ],
)
def test_secret_names(name: str) -> None:
    check(
        "DC117",
        f"services:\n  a:\n    environment:\n      {name}: hunter2-value\n",
        expect=[(4, 7 + len(name) + 2)],
        name="compose.yaml",
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("POSTGRES_PASSWORD_FILE", "/run/secrets/pg"),
        ("TOKEN_FILE", "token.txt"),
        ("GOPRIVATE", "github.com/acme"),
        ("PASSWORD_MIN_LENGTH", "12"),
        ("AWS_ACCESS_KEY_ID", "example-id"),
        ("PWD", "/app"),
        ("SORT_KEY", "name"),
        ("MYSQL_RANDOM_ROOT_PASSWORD", "yes"),
        ("MYSQL_ALLOW_EMPTY_PASSWORD", "'true'"),
        ("DB_PASSWORD", "''"),
        ("DATABASE_PASSWORD", "/run/secrets/db-password"),
        ("POSTGRES_USER", "app"),
        ("SECRET_NAME", "db-creds"),
        ("PASSPORT_STRATEGY", "local"),
        ("TOKENIZER", "bert"),
        ("DB_PASSWORD", "${DB_PASSWORD}"),
        ("DB_PASSWORD", "$DB_PASSWORD"),
        ("DB_PASSWORD", "${DB_PASSWORD:?set it}"),
        ("DB_PASSWORD", "${DB_PASSWORD:-}"),
        ("KEYCLOAK_URL", "https://auth.example.com/realms/app"),
        ("ACCESS_TOKEN_TTL", "3600"),
        ("MYSQL_ALLOW_EMPTY_PASSWORD", "1"),
        ("MARIADB_RANDOM_ROOT_PASSWORD", "1"),
        ("DISABLE_PASSWORD_LOGIN", "1"),
    ],
)
def test_not_secrets(name: str, value: str) -> None:
    check("DC117", f"services:\n  a:\n    environment:\n      {name}: {value}\n", expect=[], name="compose.yaml")


def test_pass_through_variable_is_clean() -> None:
    check(
        "DC117",
        "services:\n  a:\n    environment:\n      - DB_PASSWORD\n      - API_TOKEN=\n",
        expect=[],
        name="compose.yaml",
    )


def test_interpolation_default_counts() -> None:
    got = check(
        "DC117",
        "services:\n  a:\n    environment:\n      DB_PASSWORD: ${DB_PASS:-changeme}\n",
        expect=[(4, 20, ", the default of ${DB_PASS}; use ${...:?error} or a Compose secret")],
        name="compose.yaml",
    )
    assert "changeme" not in got[0].message


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("postgres://app:s3cret@db:5432/app", "password in the URL 'postgres://app:****@db:5432/app'"),
        ("redis://:s3cret@cache:6379/0", "redis://:****@cache:6379/0"),
        ("AKIAIOSFODNN7EXAMPLE", "AWS access key id"),
        ("ghp_0123456789abcdefghijABCDEFGHIJ012345", "GitHub token"),
        ("glpat-0123456789abcdefghij", "GitLab token"),
        ("xoxb-123456789012-abcdefghijkl", "Slack token"),
    ],
)
def test_secret_values_in_any_variable(value: str, what: str) -> None:
    got = check(
        "DC117",
        f"services:\n  a:\n    environment:\n      CONFIG: '{value}'\n",
        expect=[(4, 15, what)],
        name="compose.yaml",
    )
    assert "s3cret" not in got[0].message


@pytest.mark.parametrize(
    "value",
    [
        "postgres://app:${DB_PASS}@db/app",
        "postgres://db:5432/app",
        "http://+:8000",
        "https://user@example.com/",
        "postgres://app:****@db/app",
    ],
)
def test_urls_without_literal_password_are_clean(value: str) -> None:
    check(
        "DC117", f"services:\n  a:\n    environment:\n      DATABASE_URL: '{value}'\n", expect=[], name="compose.yaml"
    )


def test_command_flags() -> None:
    check(
        "DC117",
        """
        services:
          cache:
            image: redis:7.2.5
            command: redis-server --requirepass s3cret --appendonly yes
          db:
            image: example/db:1.0
            command: ["--admin-password=s3cret", "--password-file=/run/secrets/pw", "--token", "$$TOKEN"]
          shell:
            image: alpine:3.20
            command: ["sh", "-c", "app --api-key=abc123 --port 80"]
        """,
        expect=[(4, 14, "to --requirepass"), (7, 15, "to --admin-password"), (10, 27, "to --api-key")],
        name="compose.yaml",
    )


@pytest.mark.parametrize(
    "command",
    [
        "redis-server --requirepass ${REDIS_PASSWORD}",
        "mysqld --default-authentication-plugin=mysql_native_password",
        "psql -p 5432 -U app",
        "app --password-file /run/secrets/pw",
        "app --token-ttl 60",
        "app --no-password serve",
        "docker login --password-stdin registry.example.com",
        "ansible-playbook --ask-become-pass site.yml",
    ],
)
def test_commands_without_literal_secrets_are_clean(command: str) -> None:
    check("DC117", f"services:\n  a:\n    command: {command}\n", expect=[], name="compose.yaml")


def test_url_in_command() -> None:
    check(
        "DC117",
        "services:\n  a:\n    command: ['migrate', '-database', 'mysql://root:pw123@db/app']\n",
        expect=[(3, 39, "mysql://root:****@db/app")],
        name="compose.yaml",
    )


def test_the_words_of_one_expression_are_read_once() -> None:
    """The words of one expression share its whole text: it is split once, not once per word
    (20,000 words of one 100 KB unclosed ``${`` split it 20,000 times: minutes)."""
    from dockerlint.models.container import Container
    from dockerlint.models.source import SourceFile
    from dockerlint.parsers import compose
    from dockerlint.rules.container.dc117 import _words

    text = "services:\n  a:\n    command: run ${X:-a --token s3cret-tok} ${Y:-c d}\n"
    models = compose.parse(SourceFile(path="compose.yaml", kind="compose", text=text)).models
    container = next(m for m in models if isinstance(m, Container))
    assert len(container.command) == 6  # run, a, --token, s3cret-tok, c, d
    assert [part for _, part in _words(container)] == ["run", "a", "--token", "s3cret-tok", "c", "d"]
    check("DC117", text, expect=[(3, 14, "to --token")], name="compose.yaml")


# -- issue 12 B6: one "usable credential" model (rules/common/secrets.py) -------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("API_KEY", "<your-API-Key>"),
        ("WGUI_PASSWORD", "<WGUI_PASSWORD>"),
        ("DB_PASSWORD", "xxx"),
        ("DB_PASSWORD", "x"),
        ("MAILER_PASSWORD", "'~'"),
        ("OPENAI_API_KEY", "your_openai_api_key_here"),
        ("SMTP_PASSWORD", "user_provided"),
        ("LDAP_PASSWORD", "invalid"),
        ("REDIS_PASSWORD", "none"),
        ("TOKEN", "token"),
        ("DUCKDNS_TOKEN", "your-token"),
        ("API_KEY", "apikey"),
        ("SECRET_KEY", "REPLACE_ME"),
        ("API_TOKEN", "'{{ api_token }}'"),
        ("TOKEN_TIME", "168"),
        ("SESSION_SECRET_EXPIRY", "24h"),
        ("ACCESS_TOKEN_LIFETIME", "3600"),
        ("PASS_SCHEME", "BLF-CRYPT"),
        ("PASSWORD_HASH", "bcrypt"),
        ("JWT_SECRET_ALGORITHM", "HS256"),
        ("DB_PASSWORD_PATH", "/run/secrets/db"),
        ("GH_TOKEN_FILE", "token.txt"),
        ("PRIVATE_KEY", "server.key"),
        ("LICENSE_KEY", "123456789"),
        ("PY3_DETECT_SECRETS", "1.5.0"),
        ("VAULT_TOKEN", "https://vault.example.com/v1/auth"),
    ],
)
def test_placeholders_sentinels_and_settings_are_not_credentials(name: str, value: str) -> None:
    check(
        "DC117",
        f"services:\n  a:\n    image: x:1\n    environment:\n      {name}: {value}\n",
        expect=[],
        name="compose.yaml",
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("POSTGRES_PASSWORD", "changeme"),
        ("PASSWORD", "password"),
        ("ADMIN_PASSWORD", "admin"),
        ("SA_PASSWORD", '"yourStrong(!)Password"'),
        ("PASSWORD", "casaos"),
        ("DB_PASSWORD", "example"),
        ("MYSQL_PASSWORD", "mypassword"),
        ("ROOT_PASSWORD", "123456"),
        ("JWT_SECRET", "secret"),
        ("DB_PASSWORD_PROD", "hunter2"),
        ("DUCKDNS_TOKEN", "a7c4d0ad-114e-40ef-ba1d-d217904a50f2"),
    ],
)
def test_weak_but_real_defaults_keep_firing(name: str, value: str) -> None:
    check(
        "DC117",
        f"services:\n  a:\n    image: x:1\n    environment:\n      {name}: {value}\n",
        expect=[(5, 9 + len(name))],
        name="compose.yaml",
    )


def test_command_flag_placeholders_are_not_credentials() -> None:
    check(
        "DC117",
        """
        services:
          a:
            image: x:1
            command: ["app", "--api-key", "<your-api-key>", "--password=changeme", "--token=xxx"]
        """,
        expect=[(4, 53, "to --password")],
        name="compose.yaml",
    )


# -- issue 12 C6: credentials committed in an environment file --------------------------------

COMPOSE_USES_ENV = """
    services:
      db:
        image: postgres:16.3
        environment:
          POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
      app:
        image: example/app:1.2.0
        env_file: .env
    """


def test_dotenv_credential_fires_at_its_line_naming_the_services() -> None:
    got = check(
        "DC117",
        {"compose.yaml": COMPOSE_USES_ENV, ".env": "POSTGRES_USER=app\nPOSTGRES_PASSWORD=hunter2-real\n"},
        expect=[
            (
                ".env",
                2,
                19,
                (
                    "'.env' sets POSTGRES_PASSWORD to a literal value (12 characters), "
                    "received by service 'app' (env_file) and service 'db' (POSTGRES_PASSWORD)"
                ),
            )
        ],
    )
    assert "hunter2" not in got[0].message
    assert "; no ignore rule excludes the file" not in got[0].message  # the receivers first: both do not fit
    assert (got[0].span.end_line, got[0].span.end_col) == (2, 31)


def test_dotenv_value_reaching_a_secret_named_variable_fires_whatever_its_own_name() -> None:
    check(
        "DC117",
        {
            "compose.yaml": """
        services:
          db:
            image: mariadb:11.4
            environment:
              MARIADB_ROOT_PASSWORD: ${DB_ROOT}
              MARIADB_DATABASE: ${DB_ROOT}
        """,
            ".env": "DB_ROOT='s3cr3t value'\n",
        },
        expect=[(".env", 1, 9, "received by service 'db' (MARIADB_ROOT_PASSWORD, MARIADB_DATABASE)")],
    )


def test_dotenv_value_that_makes_a_url_credential_fires() -> None:
    got = check(
        "DC117",
        {
            "compose.yaml": """
        services:
          app:
            image: example/app:1.2.0
            environment:
              DATABASE_URL: postgres://app:${DB_VALUE}@db:5432/app
        """,
            ".env": "DB_VALUE=hunter2\n",
        },
        expect=[
            (
                ".env",
                1,
                10,
                (
                    "'.env' sets DB_VALUE, part of a password in the URL "
                    "'postgres://app:****@db:5432/app', received by service 'app' (DATABASE_URL)"
                ),
            )
        ],
    )
    assert "hunter2" not in got[0].message


def test_dotenv_secret_named_variable_nobody_uses_still_fires() -> None:
    check(
        "DC117",
        {
            "compose.yaml": "services:\n  web:\n    image: nginx:1.27.0\n",
            ".env": "# deploy settings\nexport CLOUDFLARE_API_TOKEN=Vq3n0cZ2t8xYp1LmR4sK\n",
        },
        expect=[
            (
                ".env",
                2,
                29,
                (
                    "sets CLOUDFLARE_API_TOKEN to a literal value (20 characters); no service "
                    "of the scan receives it; no ignore rule excludes the file"
                ),
            )
        ],
    )


def test_dotenv_one_finding_per_line_however_many_services_receive_it() -> None:
    services = "".join(f"  s{i}:\n    image: x:1\n    environment:\n      API_KEY: ${{API_KEY}}\n" for i in range(6))
    got = check(
        "DC117",
        {"compose.yaml": "services:\n" + services, ".env": "API_KEY=k3y-Real-Value\n"},
        expect=[(".env", 1, 9, "service 's0' (API_KEY), service 's1' (API_KEY)")],
    )
    assert got[0].message.count("service 's") == 2 and "and 4 more" in got[0].message


def test_an_env_file_other_than_dotenv_fires_too() -> None:
    check(
        "DC117",
        {
            "compose.yaml": """
        services:
          app:
            image: example/app:1.2.0
            env_file:
              - config/app.env
        """,
            "config/app.env": "LOG_LEVEL=info\nSECRET_KEY=django-insecure-9s8d7f6g5h4j3k2l\n",
        },
        expect=[
            (
                "config/app.env",
                2,
                12,
                ("'app.env' sets SECRET_KEY to a literal value (32 characters), received by service 'app' (env_file)"),
            )
        ],
    )


@pytest.mark.parametrize(
    "value",
    [
        "",
        "''",
        "<your-password>",
        "your_postgres_password_here",
        "changeme_please_here",
        "xxx",
        "${PGPASS}",
        "${PGPASS:-}",
        "/run/secrets/postgres",
        "none",
        "user_provided",
    ],
)
def test_dotenv_placeholders_stay_silent(value: str) -> None:
    check("DC117", {"compose.yaml": COMPOSE_USES_ENV, ".env": f"POSTGRES_PASSWORD={value}\n"}, expect=[])


def test_dotenv_settings_that_are_not_credentials_stay_silent() -> None:
    check(
        "DC117",
        {
            "compose.yaml": COMPOSE_USES_ENV,
            ".env": """
        COMPOSE_PROJECT_NAME=shop
        COMPOSE_FILE=compose.yaml
        POSTGRES_USER=app
        POSTGRES_PASSWORD_FILE=/run/secrets/pg
        TOKEN_TTL=3600
        DOMAIN=shop.example.com
        """,
        },
        expect=[],
    )


def test_dotenv_value_built_from_other_variables_is_judged_where_they_are_written() -> None:
    check(
        "DC117",
        {
            "compose.yaml": """
        services:
          app:
            image: example/app:1.2.0
            environment:
              DATABASE_URL: ${DATABASE_URL}
        """,
            ".env": "DB_PASSWORD=hunter2x\nDATABASE_URL=postgres://app:${DB_PASSWORD}@db/app\n",
        },
        expect=[(".env", 1, 13, "sets DB_PASSWORD")],
    )


def test_compose_default_and_dotenv_value_are_two_credentials() -> None:
    """``${DB_PASS:-changeme}`` writes a default in the Compose file (used when .env lacks the
    variable); the .env writes the value used now: each is judged where it is written."""
    got = check(
        "DC117",
        {
            "compose.yaml": """
        services:
          app:
            image: example/app:1.2.0
            environment:
              DB_PASSWORD: ${DB_PASS:-changeme}
            command: ["serve", "--api-token=${API_TOKEN}"]
        """,
            ".env": "DB_PASS=a-much-longer-real-password\nAPI_TOKEN=t0k3n-real-value\n",
        },
        expect=[
            (".env", 1, 9, "DB_PASS"),
            (".env", 2, 11, "API_TOKEN"),
            ("compose.yaml", 5, 20, "a literal value (8 characters), the default of ${DB_PASS}"),
        ],
    )
    assert "received by service 'app' (DB_PASSWORD)" in got[0].message
    assert "received by service 'app' (command)" in got[1].message


IGNORED = {"compose.yaml": COMPOSE_USES_ENV, ".env": "POSTGRES_PASSWORD=hunter2-real\n"}


@pytest.mark.parametrize(
    "ignore_files",
    [
        {".gitignore": ".env\n"},
        {".gitignore": "*.env\n"},
        {".gitignore": "/.env\n"},
        {".gitignore": "**/.env\n"},
        {".gitignore": ".env*\n!.env.example\n"},
        {".git/info/exclude": ".env\n"},
        {".gitignore": "# local settings\n.env   \n"},
    ],
)
def test_an_ignored_dotenv_is_local_and_stays_silent(ignore_files: dict[str, str]) -> None:
    check("DC117", {**IGNORED, **ignore_files}, expect=[])


@pytest.mark.parametrize(
    "ignore_files",
    [
        {".gitignore": ".env\n!.env\n"},
        {".gitignore": "*.env\n", "sub/.gitignore": ""},
        {".gitignore": ".ENV\n"},
        {".gitignore": "\\#.env\n# .env\n"},
        {".gitignore": ".env/\n"},
        {".gitignore": "app/.env\n"},
        {".git/info/exclude": ".env\n", ".gitignore": "!.env\n"},
    ],
)
def test_a_dotenv_the_rules_do_not_exclude_fires(ignore_files: dict[str, str]) -> None:
    files = {**IGNORED, **ignore_files}
    if "sub/.gitignore" in ignore_files:  # the project lives in sub/: its .gitignore re-includes nothing
        files = {"sub/compose.yaml": COMPOSE_USES_ENV, "sub/.env": IGNORED[".env"], **ignore_files}
        files["sub/.gitignore"] = "!.env\n"
        check("DC117", files, expect=[("sub/.env", 1, 19)])
        return
    check("DC117", files, expect=[(".env", 1, 19)])


def test_inline_suppression_in_the_dotenv() -> None:
    result = lint(
        {
            "compose.yaml": COMPOSE_USES_ENV,
            ".env": """
        # dockerlint: ignore[DC117] a throwaway password for the local demo (SEC-12)
        POSTGRES_PASSWORD=hunter2-real
        API_TOKEN=t0k3n-real-value # dockerlint: ignore[DC117] revoked token kept for the tests
        SECRET_KEY="k3y-real-value" # dockerlint: ignore[DC117] rotated on deploy
        SESSION_SECRET=s3ss-real-value#dockerlint: ignore[DC117] not a comment: glued to the value
        """,
        },
        name="compose.yaml",
        select=["DC117", "DL"],
    )
    assert [(f.rule_id, f.span.line) for f in result.findings] == [("DC117", 5)]
    assert sorted(f.span.line for f in result.suppressed) == [2, 3, 4]
    assert {f.suppression.kind for f in result.suppressed} == {"inline"}


def test_suppression_text_inside_a_quoted_value_is_not_a_comment() -> None:
    result = lint(
        {
            "compose.yaml": COMPOSE_USES_ENV,
            ".env": """
        MOTD="hello
        # dockerlint: ignore[DC117] inside the quotes
        "
        POSTGRES_PASSWORD=hunter2-real
        """,
        },
        name="compose.yaml",
        select=["DC117"],
    )
    assert [(f.rule_id, f.span.line) for f in result.findings] == [("DC117", 4)]


def test_no_gitignore_reading_without_a_dotenv_credential(tmp_path) -> None:
    """The ignore rules are read only for an environment file that holds a credential."""
    import subprocess
    import sys

    write_tree(tmp_path, {"compose.yaml": COMPOSE_USES_ENV, ".env": "POSTGRES_PASSWORD=${PGPASS}\nTZ=UTC\n"})
    code = (
        "import sys, json\nfrom dockerlint.cli import main\nrc = main(['-q', '.'])\n"
        "print(json.dumps('dockerlint.util.gitignore' in sys.modules))\n"
    )  # the child imports json
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert out.stdout.strip().splitlines()[-1] == "false", out.stderr


def test_fixture_dotenv_ignored_through_info_exclude(tmp_path) -> None:
    """fixtures/DC117/fire-dotenv with a ``.git/info/exclude`` that excludes its .env (a
    ``.git`` folder cannot be committed as a fixture, so it is made here)."""
    import shutil
    from pathlib import Path

    from helpers import lint_tree

    case = tmp_path / "case"
    shutil.copytree(Path(__file__).resolve().parents[2] / "fixtures" / "DC117" / "fire-dotenv", case)
    for name in ("expected.txt", "expected.sarif.json"):
        (case / name).unlink()
    before = [(f.span.path, f.span.line, f.span.col) for f in lint_tree(case, select=["DC117"]).findings]
    assert before == [(".env", 5, 19), (".env", 6, 12), (".env", 7, 8)]
    (case / ".git" / "info").mkdir(parents=True)
    (case / ".git" / "info" / "exclude").write_text(
        "# git ls-files --others --exclude-from=.git/info/exclude\n.env\n", encoding="utf-8"
    )
    assert lint_tree(case, select=["DC117"]).findings == []
    # A .gitignore re-including it wins over info/exclude.
    (case / ".gitignore").write_text("!.env\n", encoding="utf-8")
    assert len(lint_tree(case, select=["DC117"]).findings) == 3


# -- a CI job's throwaway services (wild corpus review, issue 12 D) ---------------------------

_GITLAB = """
    job_postgres_test:
      image: python:3.12-slim
      services:
        - postgres:12.11-alpine
        - docker:20-dind
      variables:
        POSTGRES_DB: "mayan"
        POSTGRES_PASSWORD: "mayanuserpass"
        POSTGRES_USER: "mayan"
        {extra}
      script:
        - make test
    """


def test_gitlab_service_initial_password_is_not_reported() -> None:
    # The job's variables reach every service: postgres creates its account with the password,
    # dind merely receives it. Both live and die with the job.
    check("DC117", {".gitlab-ci.yml": _GITLAB.format(extra="")}, expect=[])


@pytest.mark.parametrize(
    ("extra", "name"),
    [
        ("REGISTRY_PASSWORD: hunter2-registry", "REGISTRY_PASSWORD"),  # an outside system's password
        ("DOCKER_PASSWORD: hunter2-hub", "DOCKER_PASSWORD"),  # dind creates no account
        ("SONAR_TOKEN: 0a1b2c3d4e5f6a7b8c9d", "SONAR_TOKEN"),  # issued elsewhere
        ("MYSQL_ROOT_PASSWORD: hunter2-mysql", "MYSQL_ROOT_PASSWORD"),  # no mysql service in the job
    ],
)
def test_gitlab_other_credentials_still_fire(extra: str, name: str) -> None:
    got = check(
        "DC117",
        {".gitlab-ci.yml": _GITLAB.format(extra=extra)},
        expect=[(".gitlab-ci.yml", 10, 7 + len(name)), (".gitlab-ci.yml", 10, 7 + len(name))],
    )
    assert {f.message.split(" of job")[0] for f in got} == {
        "service 'postgres:12.11-alpine'",
        "service 'docker:20-dind'",
    }


def test_gitlab_url_with_the_password_still_fires() -> None:
    check(
        "DC117",
        {".gitlab-ci.yml": _GITLAB.format(extra="DATABASE_URL: postgres://mayan:mayanuserpass@db.example.com/mayan")},
        expect=[(".gitlab-ci.yml", 10, 19, "a password in the URL")] * 2,
    )


_GITHUB = """
    name: ci
    on: push
    jobs:
      test:
        runs-on: ubuntu-24.04
        container:
          image: node:20-bookworm-slim
          env:
            {client}
        services:
          postgres:
            image: postgres:16.4
            env:
              POSTGRES_PASSWORD: postgres
          search:
            image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0
            env:
              ELASTIC_PASSWORD: changeme
          cache:
            image: bitnami/redis:7.4
            env:
              REDIS_PASSWORD: redis-pass
        steps:
          - run: npm test
    """


def test_github_service_initial_passwords_are_not_reported() -> None:
    check("DC117", {".github/workflows/ci.yml": _GITHUB.format(client="CI: 'true'")}, expect=[])


@pytest.mark.parametrize(
    ("client", "col", "part"),
    [
        ("NPM_TOKEN: npm_0123456789abcdefghijklmnopqrstuvwxyz", 20, "an npm token"),
        ("SMTP_PASSWORD: mail-pass-2024", 24, "SMTP_PASSWORD"),
    ],
)
def test_github_job_container_other_credentials_fire(client: str, col: int, part: str) -> None:
    check(
        "DC117",
        {".github/workflows/ci.yml": _GITHUB.format(client=client)},
        expect=[(".github/workflows/ci.yml", 9, col, part)],
    )


def test_github_job_container_with_the_service_password_is_clean() -> None:
    # The client side of the job's postgres service: the same throwaway password.
    check("DC117", {".github/workflows/ci.yml": _GITHUB.format(client="POSTGRES_PASSWORD: postgres")}, expect=[])


def test_github_job_without_services_keeps_firing() -> None:
    check(
        "DC117",
        {
            ".github/workflows/ci.yml": """
        on: push
        jobs:
          test:
            runs-on: ubuntu-24.04
            container:
              image: postgres:16.4
              env:
                POSTGRES_PASSWORD: postgres
            steps:
              - run: pg_isready
        """
        },
        expect=[(".github/workflows/ci.yml", 8, 28, "POSTGRES_PASSWORD")],
    )


def test_compose_initial_password_keeps_firing() -> None:
    check(
        "DC117",
        "services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD: postgres\n",
        expect=[(5, 26, "POSTGRES_PASSWORD")],
        name="compose.yaml",
    )


@pytest.mark.parametrize(
    ("name", "images", "found"),
    [
        ("POSTGRES_PASSWORD", ["postgres:16"], "postgres:16"),
        ("POSTGRESQL_PASSWORD", ["bitnami/postgresql:16"], "bitnami/postgresql:16"),
        (
            "MSSQL_SA_PASSWORD",
            ["mcr.microsoft.com/mssql/server:2022-latest"],
            "mcr.microsoft.com/mssql/server:2022-latest",
        ),
        (
            "MONGO_INITDB_ROOT_PASSWORD",
            ["registry.example.com:5000/mongo:7@sha256:" + "0" * 64],
            "registry.example.com:5000/mongo:7@sha256:" + "0" * 64,
        ),
        ("SA_PASSWORD", ["mcr.microsoft.com/mssql/server:2022-latest"], None),  # too short to name an image
        ("MYSQL_ROOT_PASSWORD", ["mariadb:11"], "mariadb:11"),  # MariaDB keeps MySQL's names
        ("POSTGRES_PASSWORD", ["timescale/timescaledb-ha:pg17"], "timescale/timescaledb-ha:pg17"),
        ("MYSQL_ROOT_PASSWORD", ["postgres:16"], None),
        ("DOCKER_PASSWORD", ["docker:27-dind"], None),
        ("POSTGRES_TOKEN", ["postgres:16"], None),  # issued, not chosen
        ("POSTGRES_PASSWORD_FILE", ["postgres:16"], None),  # not a credential
        ("POSTGRES_PASSWORD", [], None),
    ],
)
def test_throwaway_service(name: str, images: list[str], found: str | None) -> None:
    from dockerlint.rules.common.secrets import throwaway_service

    assert throwaway_service(name, images) == found


def test_the_fix_is_said_in_the_terms_of_the_file() -> None:
    # A docker run line has no Compose secret or .env: -e NAME passes the caller's value.
    (got,) = check(
        "DC117",
        {"run.sh": "#!/bin/sh\ndocker run -d -e POSTGRES_PASSWORD=Sup3rS3cret123 postgres:16\n"},
        expect=[("run.sh", 2, 36, "; pass it from the environment (-e POSTGRES_PASSWORD)")],
    )
    assert "Compose" not in got.message
    ci = (
        "release:\n  image: docker:27-cli\n  services:\n    - docker:27-dind\n  variables:\n"
        "    SONAR_TOKEN: 5f0e1d2c3b4a59687766554433221100aabbccdd\n  script:\n    - docker build .\n"
    )
    got_ci = findings("DC117", {".gitlab-ci.yml": ci})
    assert got_ci
    for f in got_ci:
        assert "Compose" not in f.message and "masked CI/CD variable" in f.message, f.message
