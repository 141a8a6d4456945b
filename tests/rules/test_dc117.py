"""DC117 secret-in-environment."""

from __future__ import annotations

import pytest

from helpers import check


def test_literal_password_points_at_the_value_and_masks_it() -> None:
    got = check("DC117", """
        services:
          db:
            image: mariadb:11.4
            environment:
              MYSQL_ROOT_PASSWORD: s3cr3t-Pa55
              MYSQL_DATABASE: app
              MYSQL_PASSWORD_FILE: /run/secrets/db_password
        """, expect=[(5, 28, "sets MYSQL_ROOT_PASSWORD to a literal value (11 characters)")], name="compose.yaml")
    assert "s3cr3t" not in got[0].message


def test_list_syntax_points_at_the_item() -> None:
    check("DC117", """
        services:
          grafana:
            image: grafana/grafana:11.1.0
            environment:
              - GF_SECURITY_ADMIN_USER=admin
              - GF_SECURITY_ADMIN_PASSWORD=grafana
        """, expect=[(6, 9, "GF_SECURITY_ADMIN_PASSWORD")], name="compose.yaml")


@pytest.mark.parametrize("name", [
    "POSTGRES_PASSWORD", "DB_PASSWD", "DB_PASS", "SMTP_PWD", "PGADMIN_PW", "JWT_SECRET", "SECRET_KEY_BASE",
    "NPM_TOKEN", "API_KEY", "STRIPE_API_KEY", "AWS_SECRET_ACCESS_KEY", "APP_KEY", "WEBPASSWORD",
    "dbPassword", "client.secret", "WORDPRESS_AUTH_SALT", "REDIS_REQUIREPASS", "ENCRYPTION_KEY",
    "LDAP_BIND_CREDENTIALS", "GPG_PASSPHRASE",
])
def test_secret_names(name: str) -> None:
    check("DC117", f"services:\n  a:\n    environment:\n      {name}: hunter2-value\n",
          expect=[(4, 7 + len(name) + 2)], name="compose.yaml")


@pytest.mark.parametrize(("name", "value"), [
    ("POSTGRES_PASSWORD_FILE", "/run/secrets/pg"), ("TOKEN_FILE", "token.txt"), ("GOPRIVATE", "github.com/acme"),
    ("PASSWORD_MIN_LENGTH", "12"), ("AWS_ACCESS_KEY_ID", "example-id"), ("PWD", "/app"), ("SORT_KEY", "name"),
    ("MYSQL_RANDOM_ROOT_PASSWORD", "yes"), ("MYSQL_ALLOW_EMPTY_PASSWORD", "'true'"), ("DB_PASSWORD", "''"),
    ("DATABASE_PASSWORD", "/run/secrets/db-password"), ("POSTGRES_USER", "app"), ("SECRET_NAME", "db-creds"),
    ("PASSPORT_STRATEGY", "local"), ("TOKENIZER", "bert"), ("DB_PASSWORD", "${DB_PASSWORD}"),
    ("DB_PASSWORD", "$DB_PASSWORD"), ("DB_PASSWORD", "${DB_PASSWORD:?set it}"), ("DB_PASSWORD", "${DB_PASSWORD:-}"),
    ("KEYCLOAK_URL", "https://auth.example.com/realms/app"), ("ACCESS_TOKEN_TTL", "3600"),
    ("MYSQL_ALLOW_EMPTY_PASSWORD", "1"), ("MARIADB_RANDOM_ROOT_PASSWORD", "1"), ("DISABLE_PASSWORD_LOGIN", "1"),
])
def test_not_secrets(name: str, value: str) -> None:
    check("DC117", f"services:\n  a:\n    environment:\n      {name}: {value}\n", expect=[], name="compose.yaml")


def test_pass_through_variable_is_clean() -> None:
    check("DC117", "services:\n  a:\n    environment:\n      - DB_PASSWORD\n      - API_TOKEN=\n",
          expect=[], name="compose.yaml")


def test_interpolation_default_counts() -> None:
    got = check("DC117", "services:\n  a:\n    environment:\n      DB_PASSWORD: ${DB_PASS:-changeme}\n",
                expect=[(4, 20, ", the default of ${DB_PASS}: ")], name="compose.yaml")
    assert "changeme" not in got[0].message


@pytest.mark.parametrize(("value", "what"), [
    ("postgres://app:s3cret@db:5432/app", "password in the URL 'postgres://app:****@db:5432/app'"),
    ("redis://:s3cret@cache:6379/0", "redis://:****@cache:6379/0"),
    ("AKIAIOSFODNN7EXAMPLE", "AWS access key id"),
    ("ghp_0123456789abcdefghijABCDEFGHIJ012345", "GitHub token"),
    ("glpat-0123456789abcdefghij", "GitLab token"),
    ("xoxb-123456789012-abcdefghijkl", "Slack token"),
])
def test_secret_values_in_any_variable(value: str, what: str) -> None:
    got = check("DC117", f"services:\n  a:\n    environment:\n      CONFIG: '{value}'\n",
                expect=[(4, 15, what)], name="compose.yaml")
    assert "s3cret" not in got[0].message


@pytest.mark.parametrize("value", ["postgres://app:${DB_PASS}@db/app", "postgres://db:5432/app",
                                   "http://+:8000", "https://user@example.com/", "postgres://app:****@db/app"])
def test_urls_without_literal_password_are_clean(value: str) -> None:
    check("DC117", f"services:\n  a:\n    environment:\n      DATABASE_URL: '{value}'\n", expect=[],
          name="compose.yaml")


def test_command_flags() -> None:
    check("DC117", """
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
        """, expect=[(4, 14, "to --requirepass"), (7, 15, "to --admin-password"), (10, 27, "to --api-key")],
        name="compose.yaml")


@pytest.mark.parametrize("command", [
    "redis-server --requirepass ${REDIS_PASSWORD}",
    "mysqld --default-authentication-plugin=mysql_native_password",
    "psql -p 5432 -U app",
    "app --password-file /run/secrets/pw",
    "app --token-ttl 60",
    "app --no-password serve",
    "docker login --password-stdin registry.example.com",
    "ansible-playbook --ask-become-pass site.yml",
])
def test_commands_without_literal_secrets_are_clean(command: str) -> None:
    check("DC117", f"services:\n  a:\n    command: {command}\n", expect=[], name="compose.yaml")


def test_url_in_command() -> None:
    check("DC117", "services:\n  a:\n    command: ['migrate', '-database', 'mysql://root:pw123@db/app']\n",
          expect=[(3, 39, "mysql://root:****@db/app")], name="compose.yaml")


# -- issue 12 B6: one "usable credential" model (checks/_secrets.py) -------------------------

@pytest.mark.parametrize(("name", "value"), [
    ("API_KEY", "<your-API-Key>"), ("WGUI_PASSWORD", "<WGUI_PASSWORD>"), ("DB_PASSWORD", "xxx"),
    ("DB_PASSWORD", "x"), ("MAILER_PASSWORD", "'~'"), ("OPENAI_API_KEY", "your_openai_api_key_here"),
    ("SMTP_PASSWORD", "user_provided"), ("LDAP_PASSWORD", "invalid"), ("REDIS_PASSWORD", "none"),
    ("TOKEN", "token"), ("DUCKDNS_TOKEN", "your-token"), ("API_KEY", "apikey"), ("SECRET_KEY", "REPLACE_ME"),
    ("API_TOKEN", "'{{ api_token }}'"), ("TOKEN_TIME", "168"), ("SESSION_SECRET_EXPIRY", "24h"),
    ("ACCESS_TOKEN_LIFETIME", "3600"), ("PASS_SCHEME", "BLF-CRYPT"), ("PASSWORD_HASH", "bcrypt"),
    ("JWT_SECRET_ALGORITHM", "HS256"), ("DB_PASSWORD_PATH", "/run/secrets/db"), ("GH_TOKEN_FILE", "token.txt"),
    ("PRIVATE_KEY", "server.key"), ("LICENSE_KEY", "123456789"), ("PY3_DETECT_SECRETS", "1.5.0"),
    ("VAULT_TOKEN", "https://vault.example.com/v1/auth"),
])
def test_placeholders_sentinels_and_settings_are_not_credentials(name: str, value: str) -> None:
    check("DC117", f"services:\n  a:\n    image: x:1\n    environment:\n      {name}: {value}\n", expect=[],
          name="compose.yaml")


@pytest.mark.parametrize(("name", "value"), [
    ("POSTGRES_PASSWORD", "changeme"), ("PASSWORD", "password"), ("ADMIN_PASSWORD", "admin"),
    ("SA_PASSWORD", '"yourStrong(!)Password"'), ("PASSWORD", "casaos"), ("DB_PASSWORD", "example"),
    ("MYSQL_PASSWORD", "mypassword"), ("ROOT_PASSWORD", "123456"), ("JWT_SECRET", "secret"),
    ("DB_PASSWORD_PROD", "hunter2"), ("DUCKDNS_TOKEN", "a7c4d0ad-114e-40ef-ba1d-d217904a50f2"),
])
def test_weak_but_real_defaults_keep_firing(name: str, value: str) -> None:
    check("DC117", f"services:\n  a:\n    image: x:1\n    environment:\n      {name}: {value}\n",
          expect=[(5, 9 + len(name))], name="compose.yaml")


def test_command_flag_placeholders_are_not_credentials() -> None:
    check("DC117", """
        services:
          a:
            image: x:1
            command: ["app", "--api-key", "<your-api-key>", "--password=changeme", "--token=xxx"]
        """, expect=[(4, 53, "to --password")], name="compose.yaml")
