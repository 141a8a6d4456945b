"""DF117 secret-in-build-history."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerlint.models.image import ImageBuild, Instruction, Stage
from dockerlint.models.source import SourceFile
from dockerlint.parsers import dockerfile
from dockerlint.parsers.dockerfile_run import RunScripts
from dockerlint.parsers.errors import ParseError
from dockerlint.rules.image import df117
from helpers import check, findings


def test_secret_arg_used_by_run_points_at_the_arg() -> None:
    got = check(
        "DF117",
        """
        FROM node:20-bookworm-slim
        ARG NPM_TOKEN
        RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
        """,
        expect=[(2, 5, "secret-like build argument 'NPM_TOKEN' reaches the RUN at line 3")],
    )
    assert got[0].severity.value == "high"
    # The why (docker history shows RUN |1 NPM_TOKEN=…) is on the rule page, not in the message.
    page = (Path(__file__).resolve().parents[2] / "rules" / "DF117.md").read_text(encoding="utf-8")
    assert "`docker history` shows `RUN |1 NPM_TOKEN=" in page


def test_env_copy_of_a_build_argument_points_at_the_env_value() -> None:
    check(
        "DF117",
        "FROM node:20\nARG NPM_TOKEN\nENV NPM_TOKEN=$NPM_TOKEN\nRUN npm ci\n",
        expect=[(3, 15, "ENV 'NPM_TOKEN' copies build argument 'NPM_TOKEN' into the image config")],
    )
    check(
        "DF117",
        "FROM alpine:3.20\nARG T\nENV GITHUB_TOKEN=${T}\n",
        expect=[(3, 18, "ENV 'GITHUB_TOKEN' copies build argument 'T")],
    )


def test_builder_only_stages_are_medium_and_say_why() -> None:
    got = check(
        "DF117",
        """
        FROM node:20 AS build
        ARG NPM_TOKEN
        RUN npm ci && npm run build
        FROM nginx:1.27-alpine
        COPY --from=build /app/dist /usr/share/nginx/html
        """,
        expect=[(2, 5, "(builder-only stage)")],
    )
    assert got[0].severity.value == "medium"
    got = check(
        "DF117",
        """
        FROM node:20 AS base
        ARG NPM_TOKEN
        RUN npm ci
        FROM base
        CMD ["node", "server.js"]
        """,
        expect=[(2, 5, "reaches the RUN at line 3 and later ones; use a build secret")],
    )
    assert got[0].severity.value == "high"  # the final image builds on it: its history ships


def test_a_variant_stage_or_a_targeted_stage_is_not_builder_only() -> None:
    # No stage copies out of 'slim': it is built with --target slim and published; its history ships.
    got = check(
        "DF117",
        """
        FROM node:20 AS slim
        ARG NPM_TOKEN
        RUN npm ci
        FROM node:20 AS build
        RUN npm run build
        FROM nginx:1.27-alpine
        COPY --from=build /app/dist /usr/share/nginx/html
        """,
        expect=[(2, 5, "reaches the RUN at line 3 and later ones; use a build secret")],
    )
    assert got[0].severity.value == "high" and "builder-only" not in got[0].message
    copied = """\
FROM node:20 AS deps
ARG NPM_TOKEN
RUN npm ci
FROM nginx:1.27-alpine
COPY --from=deps /app/node_modules /m
"""
    got = check("DF117", copied, expect=[(2, 5, "(builder-only stage)")])
    assert got[0].severity.value == "medium"
    # ... unless a build of the scan targets it: a Compose service runs that stage
    got = check(
        "DF117",
        {"Dockerfile": copied, "compose.yaml": "services:\n  dev:\n    build:\n      context: .\n      target: deps\n"},
        expect=[("Dockerfile", 2, 5, "reaches the RUN at line 3 and later ones; use")],
    )
    assert got[0].severity.value == "high" and "builder-only" not in got[0].message


@pytest.mark.parametrize(
    "text",
    [
        "ARG NPM_TOKEN\nCOPY . .",  # no RUN after it
        "ARG GPG_KEY\nRUN gpg --recv-keys $GPG_KEY",  # not a secret name
        "ARG TOKEN_FILE=/run/secrets/t\nRUN cat $TOKEN_FILE",
        "ARG VERSION\nENV APP_VERSION=$VERSION",
        "RUN --mount=type=secret,id=npm,env=NPM_TOKEN npm ci",
    ],
)
def test_clean_args(text: str) -> None:
    check("DF117", f"FROM node:20\n{text}\n", expect=[])


def test_a_global_arg_not_redeclared_is_not_in_the_stage() -> None:
    check("DF117", "ARG NPM_TOKEN\nFROM node:20\nRUN npm ci\n", expect=[])
    check("DF117", "ARG NPM_TOKEN\nFROM node:20\nARG NPM_TOKEN\nRUN npm ci\n", expect=[(3, 5)])


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        ("git clone https://ci:Sup3rS3cret@git.example.com/app.git /app", 15, "a URL with a password (https://ci:****"),
        ("curl -fsSL -u admin:admin123 https://nexus.example.com/x -o /x", 19, "curl -u user:password"),
        ("some-cli login --password=hunter22 --user bob", 20, "--password with a literal value (8 characters)"),
        ("vault login --token s.AbCdEf123456", 25, "--token with a literal value"),
        ('mysql -uroot -proot -e "CREATE DATABASE app"', 18, "mysql -p with a literal password"),
        ('PGPASSWORD=secret psql -h db -U app -c "select 1"', 5, "PGPASSWORD is set to a literal credential"),
        ("export API_TOKEN=abc123def456 && ./deploy.sh", 12, "API_TOKEN is set to a literal credential"),
        ("sshpass -p hunter2 scp x host:/y", 16, "sshpass -p"),
        ("docker login -u ci -p hunter22 registry.example.com", 27, "docker login -p"),
        ("htpasswd -bc /etc/nginx/.htpasswd admin s3cret", 45, "htpasswd -b"),
        ("echo ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8 | gh auth login --with-token", 10, "a GitHub token (ghp_"),
    ],
)
def test_literal_credentials_in_run(run: str, col: int, part: str) -> None:
    got = check("DF117", f"FROM alpine:3.20\nRUN {run}\n", expect=[(2, col, part)])
    for secret in ("Sup3rS3cret", "admin123", "hunter22", "AbCdEf123456", "abc123def456", "s3cret", "N4o5P6q7R8"):
        assert secret not in got[0].message


@pytest.mark.parametrize(
    "run",
    [
        "git clone https://ci:${GIT_TOKEN}@git.example.com/app.git /app",
        'curl -u "admin:$NEXUS_PASSWORD" https://nexus.example.com/x',
        "psql --password mydb -c 'select 1'",  # psql's --password prompts
        "mysql -p -e 'select 1'",  # -p alone prompts
        "app --password=<your-password> --api-key=xxx",
        'echo "$PW" | docker login --password-stdin -u ci registry.example.com',
        'app --token "$(cat /run/secrets/token)"',
        "app --token-ttl 60 --password-file /run/secrets/pw",
        "echo 'root:toor' | chpasswd",  # DF114
        "curl -u admin https://example.com/",  # curl prompts for the password
        # wget(1): -U is --user-agent, not a user (curl's -U is --proxy-user)
        'wget -U "Wget/1.21:ArchiveBot" https://example.com/f',
        "wget -qU Mozilla:Sekr3tPassw0rd https://example.com/f",
    ],
)
def test_clean_runs(run: str) -> None:
    check("DF117", f"FROM alpine:3.20\nRUN --mount=type=secret,id=token {run}\n", expect=[])


def test_literal_in_a_builder_stage_is_medium() -> None:
    got = check(
        "DF117",
        """
        FROM maven:3.9-eclipse-temurin-21 AS build
        RUN mvn -s settings.xml deploy -Drepo.password=x --settings s.xml \\
            && curl -u deploy:Hunter22x https://nexus.example.com/upload -T target/app.jar
        FROM eclipse-temurin:21-jre
        COPY --from=build /app.jar /app.jar
        """,
        expect=[(3, 16, "(builder-only stage)")],
    )
    assert got[0].severity.value == "medium"


# -- JVM system properties, openssl pass phrases, keytool passwords ---------------------------------


def test_maven_and_gradle_secret_properties() -> None:
    got = check(
        "DF117",
        """
        FROM maven:3.9-eclipse-temurin-21
        RUN mvn -B deploy -DskipTests -Dgpg.passphrase=S3cret-gpg -Dmaven.wagon.http.ssl.insecure=true
        RUN ./gradlew publish -PsigningPassword=pa55word -Psonar.host=https://sonar.example.com
        RUN mvn verify -Dsonar.token=squ_0a1b2c3d4e5f60718293a4b5c6d7e8f901234567
        """,
        expect=[
            (2, 31, "mvn -Dgpg.passphrase= with a literal value (10 characters)"),
            (3, 23, "gradlew -PsigningPassword= with a literal value (8 characters)"),
            (4, 16, "mvn -Dsonar.token= with a literal value"),
        ],
    )
    assert all("S3cret" not in f.message and "pa55word" not in f.message for f in got)


@pytest.mark.parametrize(
    "text",
    [
        "RUN mvn -B package -Dgpg.passphrase=${GPG_PASSPHRASE}",
        "RUN mvn -B package -Dgpg.passphrase.file=/run/secrets/gpg",
        "RUN --mount=type=secret,id=gpg,env=GPG_PASSPHRASE mvn -B deploy -Dgpg.passphrase=$GPG_PASSPHRASE",
        "RUN mvn -B package -Djavax.net.ssl.trustStorePassword=<your-password>",
        "RUN java -Dserver.port=8080 -jar app.jar",
        "RUN echo -Dgpg.passphrase=not-a-jvm-tool",
    ],
)
def test_jvm_properties_without_literal_secrets_are_clean(text: str) -> None:
    check("DF117", f"FROM maven:3.9-eclipse-temurin-21\n{text}\n", expect=[])


def test_openssl_literal_pass_phrases() -> None:
    check(
        "DF117",
        """
        FROM alpine:3.20
        RUN openssl genrsa -aes256 -passout pass:S3rverKey! -out /etc/ssl/key.pem 4096
        RUN openssl pkcs12 -export -in c.pem -inkey k.pem -out s.p12 -passin pass:S3rverKey! -passout=pass:exp0rt-pw
        RUN openssl enc -aes-256-cbc -pass pass:hunter22 -in a -out a.enc
        """,
        expect=[
            (2, 37, "openssl -passout pass: with a literal pass phrase (10 characters)"),
            (3, 70, "openssl -passin pass:"),
            (3, 86, "openssl -passout pass:"),
            (4, 36, "openssl -pass pass:"),
        ],
    )


@pytest.mark.parametrize(
    "text",
    [
        "RUN openssl genrsa -passout env:KEY_PASS -out k.pem 4096",
        "RUN openssl genrsa -passout file:/run/secrets/key_pass -out k.pem 4096",
        "RUN openssl rsa -in k.pem -passin stdin -out plain.pem",
        "RUN openssl genrsa -passout pass:$KEY_PASS -out k.pem 4096",
        "RUN openssl req -x509 -nodes -newkey rsa:2048 -keyout k.pem -out c.pem -subj /CN=localhost",
    ],
)
def test_openssl_without_literal_pass_phrases_is_clean(text: str) -> None:
    check("DF117", f"FROM alpine:3.20\n{text}\n", expect=[])


def test_keytool_literal_passwords() -> None:
    check(
        "DF117",
        """
        FROM eclipse-temurin:21-jre
        RUN keytool -genkeypair -alias a -keystore /app/ks.p12 -storepass Ks-pa55word -keypass Ks-pa55word -dname CN=app
        RUN keytool -importkeystore -srckeystore x -srcstorepass changeme -destkeystore b.p12 -deststorepass changeme
        """,
        expect=[
            (2, 67, "keytool -storepass with a literal password (11 characters)"),
            (2, 88, "keytool -keypass"),
            (3, 58, "keytool -srcstorepass"),
            (3, 102, "keytool -deststorepass"),
        ],
    )


@pytest.mark.parametrize(
    "text",
    [
        # The JDK trust store's public default password: it holds public certificates only.
        "RUN keytool -importcert -noprompt -cacerts -storepass changeit -alias corp -file /tmp/corp.crt",
        (
            "RUN keytool -import -trustcacerts -keystore $JAVA_HOME/lib/security/cacerts -storepass changeit -noprompt "
            "-alias corp -file corp.crt"
        ),
        "RUN keytool -genkeypair -keystore ks.p12 -storepass:env KS_PASS -alias app -dname CN=app",
        "RUN keytool -genkeypair -keystore ks.p12 -storepass:file /run/secrets/ks -alias app -dname CN=app",
        'RUN keytool -list -keystore ks.p12 -storepass "$KS_PASS"',
    ],
)
def test_keytool_without_literal_secrets_is_clean(text: str) -> None:
    check("DF117", f"FROM eclipse-temurin:21-jre\n{text}\n", expect=[])


def test_keytool_changeit_on_an_application_keystore_still_fires() -> None:
    check(
        "DF117",
        "FROM eclipse-temurin:21-jre\nRUN keytool -genkeypair -keystore /app/ks.p12 -storepass changeit "
        "-alias app -dname CN=app\n",
        expect=[(2, 58, "keytool -storepass")],
    )


# -- the prefilter: a necessary condition, and fewer shell parses --------------------------------


def _runs(text: str, path: str = "Dockerfile") -> Iterator[tuple[Instruction, Stage]]:
    out = dockerfile.parse(SourceFile(path=path, kind="dockerfile", text=text))
    for build in out.models:
        if isinstance(build, ImageBuild):
            for stage in build.stages:
                for ins in stage.instructions:
                    if ins.keyword == "RUN":
                        yield ins, stage


def _hits_and_prefilter(ins: Instruction, stage: Stage) -> tuple[int, bool]:
    """(DF117 literal-credential hits of the RUN, parsed whatever the prefilter says; the prefilter's answer)."""
    script = ins.script
    hits = len(list(df117._run_hits(ins, script, stage, True))) if script is not None and script.pipelines else 0
    text = "\n".join([ins.args_text, *(h.body for h in ins.heredocs)])
    return hits, df117._may_hold_credential(text)


_FIRING_RUNS = [
    "curl -fsSLu deploy:s3cr3tPassw0rd https://nexus.example.com/x -o /x",
    "curl --user=deploy:s3cr3tPassw0rd https://nexus.example.com/x",
    "wget --proxy-user 'bob:hunter2hunter2' https://example.com/x",
    'mysql -h db -u root "-pHunter2!Zq8" -e "select 1"',
    "/usr/bin/mariadb -uroot -p'Hunter2!Zq8' app < /dump.sql",
    "sshpass -p 'Hunter2!Zq8' ssh deploy@host true",
    "docker login -u bob -p Hunter2!Zq8 registry.example.com",
    "htpasswd -bc /etc/nginx/.htpasswd admin Hunter2!Zq8",
    'mvn -B deploy "-Dgpg.passphrase=Hunter2!Zq8"',
    "./gradlew publish -PsigningPassword=Hunter2!Zq8 -Ddb.rootpass=Hunter2!Zq8",
    "java -Drootpass=Hunter2!Zq8 -jar app.jar",
    "openssl pkcs12 -export -in c.pem -out c.p12 -passout 'pass:Hunter2!Zq8'",
    "keytool -genkeypair -alias app -keystore app.p12 -storepass Hunter2!Zq8 -keypass=Hunter2!Zq8",
    "keytool -storepasswd -new Hunter2!Zq8 -keystore app.jks",
    'export "DB_PASSWORD_PROD=Hunter2!Zq8" && ./migrate',
    'DB_PW="Hunter2!Zq8" ./migrate',
    "REDIS_MASTERAUTH=Hunter2!Zq8 APP_SALT=Hunter2!Zq8 ./run",
    "readonly GITHUB_TOKEN=Zq81vLw0pR4tXy; ./release",
    "sh -c 'export npm_token=0123456789abcdef0123456789abcdef; npm publish'",
    'echo "$(API_KEY=0123456789abcdef0123456789abcdef ./fetch)"',
    "./configure --admin-pass Hunter2!Zq8",
    "some-tool --client-secret=Hunter2!Zq8 --api_key 0123456789abcdef0123456789abcdef",
    'pip install --index-url "https://bob:Hunter2!Zq8@pypi.example.com/simple" app',
    "git clone https://bob:Hunter2!Zq8@git.example.com/app.git",
    "echo AKIAIOSFODNN7REALKEY > /tmp/k",
    "echo 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB' > /tmp/t",
    'printf "%s" "-----BEGIN RSA PRIVATE KEY-----" > /k',
    "export DB_\\\n  PASSWORD=Hunter2!Zq8",
    '["sh", "-c", "DB_PASSWORD=Hunter2!Zq8 ./migrate"]',
    "<<EOF\nexport DB_PASSWORD=Hunter2!Zq8\n./migrate\nEOF",
]


@pytest.mark.parametrize("run", _FIRING_RUNS)
def test_the_prefilter_passes_every_kind_of_literal_credential(run: str) -> None:
    [(ins, stage)] = list(_runs(f"FROM alpine:3.20\nRUN {run}\n"))
    hits, passed = _hits_and_prefilter(ins, stage)
    assert hits >= 1, run  # the line really fires, so the check below means something
    assert passed, run


def test_the_prefilter_passes_every_run_with_a_hit_in_the_fixtures() -> None:
    fixtures = Path(__file__).resolve().parents[2] / "fixtures"
    firing = 0
    for path in sorted(fixtures.rglob("*")):
        if not path.is_file() or not ("dockerfile" in path.name.lower() or "containerfile" in path.name.lower()):
            continue
        try:
            runs = list(_runs(path.read_text(encoding="utf-8", errors="replace"), str(path)))
        except ParseError:
            continue  # a fixture of an unreadable Dockerfile: no rule runs on it
        for ins, stage in runs:
            hits, passed = _hits_and_prefilter(ins, stage)
            firing += hits > 0
            assert passed or not hits, f"{path}:{ins.start_line}"
    assert firing >= 3  # the fixtures do hold firing RUN lines


_NAMES = st.sampled_from(
    [
        "DB_PASSWORD",
        "dbPassword",
        "API_KEY",
        "apikey",
        "GITHUB_TOKEN",
        "rootpass",
        "ROOT_PW",
        "PASSWORD_PROD",
        "SECRET_KEY_BASE",
        "CREDENTIALS_JSON",
        "APP_SALT",
        "MASTERAUTH",
        "PASS",
        "PASSWORD_FILE",
        "GPG_KEY",
        "NO_PASSWORD",
        "TOKEN_TTL",
        "signing.password",
    ]
)
_VALUES = st.sampled_from(
    [
        "Hunter2!Zq8",
        "0123456789abcdef0123456789ab",
        "changeit",
        "$VAR",
        "x",
        "pass:abc123XY",
        "bob:Hunter2!Zq8",
        "/run/secrets/db",
        "AKIAIOSFODNN7REALKEY",
    ]
)
_OPTION_WORDS = st.sampled_from(
    [
        "-u",
        "-p",
        "-fsSLu",
        "-P",
        "-D",
        "--user",
        "--proxy-user",
        "-storepass",
        "-keypass",
        "-new",
        "-passin",
        "-passout",
        "-bc",
        "--password",
        "--token",
        "-e",
        "-eux",
        "-b",
    ]
)
_PROGRAMS = st.sampled_from(
    [
        "curl",
        "wget",
        "mysql",
        "mariadb-dump",
        "sshpass",
        "docker login",
        "openssl pkcs12",
        "keytool",
        "htpasswd",
        "mvn",
        "gradle",
        "java",
        "export",
        "env",
        "echo",
        "./tool",
        "sudo -E /usr/bin/curl",
    ]
)


@st.composite
def _words(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 4))
    name, value = draw(_NAMES), draw(_VALUES)
    word = [f"{name}={value}", f"--{name}", f"--{name}={value}", f"-D{name}={value}", value][kind]
    quote = draw(st.sampled_from(["", "'", '"', "half"]))
    if quote == "half":
        cut = draw(st.integers(0, len(word)))
        return f'{word[:cut]}"{word[cut:]}"'
    return f"{quote}{word}{quote}"


@st.composite
def _commands(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.one_of(_words(), _OPTION_WORDS, _VALUES), min_size=1, max_size=5))
    prefix = draw(st.lists(st.sampled_from(["DB_PASSWORD=Hunter2!Zq8", "A=1"]), max_size=1))
    return " ".join([*prefix, draw(_PROGRAMS), *words])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_commands(), min_size=1, max_size=3),
    st.sampled_from([" && ", "; ", " | ", "\n"]),
    st.sampled_from(["{}", "sh -c '{}'", 'bash -c "{}"', "<<EOF\n{}\nEOF"]),
)
def test_the_prefilter_is_a_necessary_condition(commands: list[str], sep: str, wrap: str) -> None:
    body = sep.join(commands)
    if wrap.startswith("<<"):
        run = wrap.format(body)
    elif sep == "\n":
        return  # a multi-line command only fits a heredoc
    else:
        run = wrap.format(body.replace("'", "") if "'" in wrap else body.replace('"', ""))
    for ins, stage in _runs(f"FROM alpine:3.20\nRUN {run}\n"):
        hits, passed = _hits_and_prefilter(ins, stage)
        assert passed or not hits, run


_REALISTIC = {
    "php/Dockerfile": """\
FROM debian:bookworm-slim
ENV PHP_CFLAGS="-fstack-protector-strong -fpic -fpie -O2"
RUN set -eux; \\
    apt-get update; apt-get install -y --no-install-recommends libargon2-dev libsodium-dev libcurl4-openssl-dev; \\
    ./configure --with-password-argon2 --with-sodium=shared --with-pdo-mysql=mysqlnd --with-curl; \\
    find /usr/local -type f -perm '/0111' -exec sh -euxc 'strip --strip-all "$@" || :' -- '{}' +
RUN echo "mpd ALL=NOPASSWD: /usr/bin/mount" >> /etc/sudoers && gpasswd -a app audio
""",
    "postgres/Dockerfile": """\
FROM debian:bookworm-slim
RUN set -ex; key='B97B0AFCAA1A47F044F244A07FCC7D46ACCC4CF8'; export GNUPGHOME="$(mktemp -d)"; \\
    gpg --batch --keyserver keyserver.ubuntu.com --recv-keys "$key"; \\
    gpg --batch --export "$key" > /usr/local/share/keyrings/postgres.gpg
RUN sed -i 's/#PasswordAuthentication yes/PasswordAuthentication no/' /etc/ssh/sshd_config
RUN --mount=type=secret,id=npm,env=NPM_TOKEN npm ci && npm run build
""",
    "app/Dockerfile": """\
FROM alpine:3.20
RUN apk add --no-cache curl keepassxc secretless mysql-client && mkdir -p /app
RUN curl -fsSL -u "deploy:Hunter2Hunter2" https://nexus.example.com/raw/model.bin -o /app/model.bin
""",
}


def test_df117_parses_only_the_run_lines_that_could_hold_a_credential(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[int] = []
    original = RunScripts._run

    def counting(self: RunScripts, raw: Any, *args: Any) -> Any:
        parsed.append(raw.line if hasattr(raw, "line") else 0)
        return original(self, raw, *args)

    monkeypatch.setattr(RunScripts, "_run", counting)
    got = findings("DF117", _REALISTIC)
    assert [(f.span.path, f.span.line) for f in got] == [("app/Dockerfile", 3)]
    assert len(parsed) == 1  # of the 7 RUN lines, only the one with the credential is parsed


# -- secret names alone on the line (the old prefilter needed "pass"/"token" elsewhere) --------


@pytest.mark.parametrize(
    ("run", "col", "name"),
    [
        ("DB_PW=s3cr3tValue9 ./init.sh", 5, "DB_PW"),
        ("APP_SALT=Qz7mN2xV8kLp4Rt ./seed.sh", 5, "APP_SALT"),
        ("export REDIS_MASTERAUTH=r3dis-Repl-2024 && ./init.sh", 12, "REDIS_MASTERAUTH"),
        ("ROOTPW=Zq81vLw0pR4tXy ./setup", 5, "ROOTPW"),
        ("env SIGNING_CREDENTIAL=Zq81vLw0pR4tXy ./sign", 9, "SIGNING_CREDENTIAL"),
    ],
)
def test_a_secret_name_fires_without_another_secret_word_on_the_line(run: str, col: int, name: str) -> None:
    check("DF117", f"FROM alpine:3.20\nRUN {run}\n", expect=[(2, col, name)])


# -- the prefilter is derived from the credential model -----------------------------------------


def test_every_secret_word_of_the_model_holds_a_mark() -> None:
    from dockerlint.knowledge import secrets

    words = {*secrets._CHOSEN_WORDS, *secrets._ISSUED_WORDS, *secrets._GLUED_LONG, *secrets._GLUED_SHORT, "KEY"}
    assert secrets.SECRET_WORD_MARKS
    for w in words:
        assert any(m in w.lower() for m in secrets.SECRET_WORD_MARKS), w


_MODEL_WORDS = st.sampled_from(
    sorted(
        {
            "PASSWORD",
            "PASSWD",
            "PASS",
            "PWD",
            "PW",
            "PASSPHRASE",
            "SECRET",
            "SALT",
            "REQUIREPASS",
            "MASTERAUTH",
            "TOKEN",
            "APIKEY",
            "CREDENTIALS",
            "API_KEY",
            "SECRET_KEY",
            "ACCESS_KEY",
            "ROOTPASS",
            "WEBPASSWORD",
            "AUTHTOKEN",
            "KEY",
            "CLIENT_SECRET",
            "DBPW",
        }
    )
)
_OTHER_WORDS = st.sampled_from(
    [
        "DB",
        "APP",
        "REDIS",
        "GRAFANA",
        "ADMIN",
        "PROD",
        "HASH",
        "2",
        "FILE",
        "TTL",
        "NO",
        "ALLOW",
        "X",
        "ROOT",
        "B64",
        "API",
        "SIGNING",
        "JSON",
        "PATH",
    ]
)


@st.composite
def _secretish_names(draw: st.DrawFn) -> str:
    words = draw(st.lists(_OTHER_WORDS, max_size=2)) + [draw(_MODEL_WORDS)] + draw(st.lists(_OTHER_WORDS, max_size=2))
    style = draw(st.sampled_from(["upper", "lower", "camel", "dash", "dot"]))
    if style == "camel":
        return words[0].lower() + "".join(w.capitalize() for w in words[1:])
    sep = {"dash": "-", "dot": "."}.get(style, "_")
    name = sep.join(words)
    return name.lower() if style in ("lower", "dash", "dot") else name


@settings(max_examples=300, deadline=None)
@given(_secretish_names(), st.sampled_from(["", "x_", "x ", "A=1 ", "--", "no ", "sh;"]))
def test_may_name_secret_is_implied_by_secret_name(name: str, front: str) -> None:
    from dockerlint.rules.common.secrets import may_name_secret, secret_name

    if secret_name(name) is not None:
        assert may_name_secret(front + name), (front, name)


# -- "the full check fires" implies "the prefilter admits", on generated RUN lines --------------

_LITERALS = st.sampled_from(
    [
        "Hunter2!Zq8",
        "s3cr3tValue9",
        "0123456789abcdef0123456789abcdef",
        "changeme",
        "r3dis Repl 2024",
        "a;b|c&d",
        "Zq8$VAR",
        "${TOKEN}",
        "$(cat /run/secrets/x)",
    ]
)


def _split_word(draw: st.DrawFn, word: str) -> str:
    """``word`` as a shell may write it: quoted whole or in parts, with a line continuation or
    an escaped character inside."""
    how = draw(st.sampled_from(["plain", "single", "double", "part", "continuation", "escape", "empty-quotes"]))
    cut = draw(st.integers(0, len(word)))
    if how == "single" and "'" not in word:
        return f"'{word}'"
    if how == "double" and '"' not in word and "$" not in word:
        return f'"{word}"'
    if how == "part" and '"' not in word[cut:] and "$" not in word[cut:]:
        return f'{word[:cut]}"{word[cut:]}"'
    if how == "continuation":
        return f"{word[:cut]}\\\n  {word[cut:]}"
    if how == "escape" and word[cut : cut + 1].isalnum():
        return f"{word[:cut]}\\{word[cut:]}"
    if how == "empty-quotes":
        return f"{word[:cut]}''{word[cut:]}"
    return word


def _quoted_value(draw: st.DrawFn, value: str) -> str:
    if any(c in value for c in " ;|&$()"):
        return "'" + value + "'" if "$" not in value or draw(st.booleans()) else '"' + value + '"'
    return value


@st.composite
def _credential_commands(draw: st.DrawFn) -> str:
    name, value = draw(_secretish_names()), draw(_LITERALS)
    qv = _quoted_value(draw, value)
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return f"{_split_word(draw, name + '=' + qv) if '=' not in name else name + '=' + qv} ./run"
    if kind == 1:
        return f"export {_split_word(draw, name)}={qv}"
    if kind == 2:
        return f"./configure --{_split_word(draw, name)}={qv}"
    if kind == 3:
        return f"some-tool --{name} {qv} --verbose"
    if kind == 4:
        return f"mvn -B deploy -D{_split_word(draw, name)}={qv}"
    if kind == 5:
        user = draw(st.sampled_from(["deploy", "ci-bot"]))
        flag = draw(st.sampled_from(["-u", "-fsSLu", "--user", "--user=", "-U"]))
        sep = "" if flag.endswith("=") else " "
        userinfo = _split_word(draw, f"{user}:{value}")
        return f"curl {flag}{sep}{userinfo} https://nexus.example.com/x"
    if kind == 6:
        host = draw(st.sampled_from(["git.example.com", "10.0.0.2:8443"]))
        return f"git clone https://bob:{value.replace(' ', '')}@{host}/app.git"
    if kind == 7:
        return f"mysql -uroot {_split_word(draw, '-p' + value.replace(' ', ''))} -e 'select 1'"
    if kind == 8:
        return f"sshpass -p {qv} ssh deploy@host true"
    return f"docker login -u bob {draw(st.sampled_from(['-p', '--password']))} {qv} registry.example.com"


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(_credential_commands(), st.sampled_from(["apt-get update", "set -eux", "cd /app"])),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from([" && ", "; ", " | ", " \\\n  && "]),
    st.sampled_from(["{}", "sh -c '{}'", 'bash -c "{}"', "<<EOF\n{}\nEOF", "set -e; {}", '["sh", "-c", "{}"]']),
)
def test_the_prefilter_admits_every_run_line_the_full_check_fires_on(commands: list[str], sep: str, wrap: str) -> None:
    body = sep.join(commands)
    if "'" in wrap:
        body = body.replace("'", "")
    elif '"' in wrap:
        body = body.replace('"', "").replace("\\\n", "")
    if wrap.startswith("<<"):
        body = body.replace(" \\\n  && ", " && ")
    run = wrap.format(body)
    for ins, stage in _runs(f"FROM alpine:3.20\nRUN {run}\n"):
        hits, passed = _hits_and_prefilter(ins, stage)
        assert passed or not hits, run


@pytest.mark.parametrize(
    "text",
    [
        "curl -fsSL https://example.com/x.tgz | tar xz && find /usr/local -type f -executable -exec strip {} +",
        "curl -fsSL https://example.com/list | sort -u > /tmp/list",
        "wget -q https://example.com/x && sed -i 's/$/x/' /etc/a && grep -E 'a$' /etc/b",
        'apt-get install -y mysql-client && sshpass -V && echo "$(printf %s x)"',
    ],
)
def test_the_prefilter_refuses_common_lines_no_hit_can_come_from(text: str) -> None:
    assert not df117._may_hold_credential(text)


# -- the prefilter's patterns, rewritten for speed, find what the old ones found ----------------
# Before: each started with a look back at the character before, which made the search try it
# at every character; now each starts with what it matches (a program name, "-") and looks
# back after it. The old patterns are the specification.

_SEPARATORS = r" \t\n\r\f\v;&|()<>`"


def _old_program(names: str) -> re.Pattern[str]:
    return re.compile(rf"(?:^|[{_SEPARATORS}/])(?:{names})(?=[{_SEPARATORS}]|$)")


_OLD_BLANK_BEFORE = r"(?<![^ \t\n\r\f\v$])"
_OLD_PATTERNS = [
    (df117._CURL_WGET, _old_program("curl|wget"), True),
    (
        df117._MYSQL,
        _old_program("|".join(sorted(map(re.escape, df117._MYSQL_CLIENTS), key=len, reverse=True))),
        True,
    ),
    (df117._PASSWORD_P, _old_program("sshpass|login"), True),
    (
        df117._USER_OPTION,
        re.compile(
            _OLD_BLANK_BEFORE + r"(?:--(?:proxy-)?user|-(?!-)(?:[^ \t\n\r\f\voeuU]{0,32}[uU]|[^ \t\n\r\f\voeuU]{33}))"
        ),
        False,
    ),
    (df117._MYSQL_P, re.compile(_OLD_BLANK_BEFORE + r"-p"), False),
    (
        df117._P_OPTION,
        re.compile(_OLD_BLANK_BEFORE + r"-(?!-)(?:[^ \t\n\r\f\vpfdu]{0,32}p|[^ \t\n\r\f\vpfdu]{33})"),
        False,
    ),
]
_PATTERN_PIECES = st.sampled_from(
    [" ", "\t", "\n", ";", "&", "|", "(", ")", "<", ">", "`", "/", "$", "-", "--", "=", "x", "_", "u", "U"]
    + ["p", "o", "e", "f", "d", "curl", "wget", "mysql", "mysqldump", "mariadb", "mariadb-dump", "sshpass"]
    + ["login", "--user", "--proxy-user", "-u", "-fsSLu", "-p", "-pX", "-e", "abcdefghijklmnopqrstuvwxyzABCDEFG"]
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_PATTERN_PIECES, max_size=12).map("".join), st.integers(0, 12), st.integers(0, 40))
def test_the_rewritten_prefilter_patterns_find_what_the_old_ones_found(text: str, pos: int, endpos: int) -> None:
    for new, old, program in _OLD_PATTERNS:
        if program:  # a program: where each occurrence ends (what _after_program reads)
            assert [m.end() for m in new.finditer(text)] == [m.end() for m in old.finditer(text)], (new, text)
        else:  # an option: searched from a program's end, up to a command's end
            got, want = new.search(text, pos, endpos), old.search(text, pos, endpos)
            assert (got is None) == (want is None), (new, text, pos, endpos)
            assert got is None or want is None or got.span() == want.span()


def _old_glued(text: str) -> str:
    """df117._glued as it was: one function call per quoted string (the specification)."""
    quoted = re.compile(r"""'[^']*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z)|\\.""", re.DOTALL)
    glue = str.maketrans(df117._SEPARATORS, "_" * len(df117._SEPARATORS))
    return quoted.sub(lambda m: m.group().translate(glue), text).translate(str.maketrans("", "", "'\"\\"))


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(["'", '"', "\\", "a", " ", ";", "|", "\n", "\t", "$", "`", "(", "<"]), max_size=16))
def test_glued_as_the_function_per_quote_one(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert df117._glued(text) == _old_glued(text)
    assert df117._unquote(text) == text.translate(str.maketrans("", "", "'\"\\"))
