"""DF117 secret-in-build-history."""

from __future__ import annotations

import pytest

from helpers import check


def test_secret_arg_used_by_run_points_at_the_arg() -> None:
    got = check("DF117", """
        FROM node:20-bookworm-slim
        ARG NPM_TOKEN
        RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
        """, expect=[(2, 5, "build argument NPM_TOKEN looks like a secret, and the RUN at line 3")])
    assert got[0].severity.value == "high"
    assert "docker history shows RUN |1 NPM_TOKEN=" in got[0].message


def test_env_copy_of_a_build_argument_points_at_the_env_value() -> None:
    check("DF117", "FROM node:20\nARG NPM_TOKEN\nENV NPM_TOKEN=$NPM_TOKEN\nRUN npm ci\n",
          expect=[(3, 15, "ENV NPM_TOKEN copies build argument NPM_TOKEN into the image config")])
    check("DF117", "FROM alpine:3.20\nARG T\nENV GITHUB_TOKEN=${T}\n",
          expect=[(3, 18, "ENV GITHUB_TOKEN copies build argument T")])


def test_builder_only_stages_are_medium_and_say_why() -> None:
    got = check("DF117", """
        FROM node:20 AS build
        ARG NPM_TOKEN
        RUN npm ci && npm run build
        FROM nginx:1.27-alpine
        COPY --from=build /app/dist /usr/share/nginx/html
        """, expect=[(2, 5, "this stage is builder-only")])
    assert got[0].severity.value == "medium"
    got = check("DF117", """
        FROM node:20 AS base
        ARG NPM_TOKEN
        RUN npm ci
        FROM base
        CMD ["node", "server.js"]
        """, expect=[(2, 5, "stage 'base'")])
    assert got[0].severity.value == "high"  # the final image builds on it: its history ships


def test_a_variant_stage_or_a_targeted_stage_is_not_builder_only() -> None:
    # No stage copies out of 'slim': it is built with --target slim and published; its history ships.
    got = check("DF117", """
        FROM node:20 AS slim
        ARG NPM_TOKEN
        RUN npm ci
        FROM node:20 AS build
        RUN npm run build
        FROM nginx:1.27-alpine
        COPY --from=build /app/dist /usr/share/nginx/html
        """, expect=[(2, 5, "stage 'slim'")])
    assert got[0].severity.value == "high" and "builder-only" not in got[0].message
    copied = """\
FROM node:20 AS deps
ARG NPM_TOKEN
RUN npm ci
FROM nginx:1.27-alpine
COPY --from=deps /app/node_modules /m
"""
    got = check("DF117", copied, expect=[(2, 5, "this stage is builder-only")])
    assert got[0].severity.value == "medium"
    # ... unless a build of the scan targets it: a Compose service runs that stage
    got = check("DF117", {"Dockerfile": copied,
                          "compose.yaml": "services:\n  dev:\n    build:\n      context: .\n      target: deps\n"},
                expect=[("Dockerfile", 2, 5, "stage 'deps'")])
    assert got[0].severity.value == "high" and "builder-only" not in got[0].message


@pytest.mark.parametrize("text", [
    "ARG NPM_TOKEN\nCOPY . .",  # no RUN after it
    "ARG GPG_KEY\nRUN gpg --recv-keys $GPG_KEY",  # not a secret name
    "ARG TOKEN_FILE=/run/secrets/t\nRUN cat $TOKEN_FILE",
    "ARG VERSION\nENV APP_VERSION=$VERSION",
    "RUN --mount=type=secret,id=npm,env=NPM_TOKEN npm ci",
])
def test_clean_args(text: str) -> None:
    check("DF117", f"FROM node:20\n{text}\n", expect=[])


def test_a_global_arg_not_redeclared_is_not_in_the_stage() -> None:
    check("DF117", "ARG NPM_TOKEN\nFROM node:20\nRUN npm ci\n", expect=[])
    check("DF117", "ARG NPM_TOKEN\nFROM node:20\nARG NPM_TOKEN\nRUN npm ci\n", expect=[(3, 5)])


@pytest.mark.parametrize(("run", "col", "part"), [
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
])
def test_literal_credentials_in_run(run: str, col: int, part: str) -> None:
    got = check("DF117", f"FROM alpine:3.20\nRUN {run}\n", expect=[(2, col, part)])
    for secret in ("Sup3rS3cret", "admin123", "hunter22", "AbCdEf123456", "abc123def456", "s3cret", "N4o5P6q7R8"):
        assert secret not in got[0].message


@pytest.mark.parametrize("run", [
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
])
def test_clean_runs(run: str) -> None:
    check("DF117", f"FROM alpine:3.20\nRUN --mount=type=secret,id=token {run}\n", expect=[])


def test_literal_in_a_builder_stage_is_medium() -> None:
    got = check("DF117", """
        FROM maven:3.9-eclipse-temurin-21 AS build
        RUN mvn -s settings.xml deploy -Drepo.password=x --settings s.xml \\
            && curl -u deploy:Hunter22x https://nexus.example.com/upload -T target/app.jar
        FROM eclipse-temurin:21-jre
        COPY --from=build /app.jar /app.jar
        """, expect=[(3, 16, "this stage is builder-only")])
    assert got[0].severity.value == "medium"


# -- JVM system properties, openssl pass phrases, keytool passwords ---------------------------------

def test_maven_and_gradle_secret_properties() -> None:
    got = check("DF117", """
        FROM maven:3.9-eclipse-temurin-21
        RUN mvn -B deploy -DskipTests -Dgpg.passphrase=S3cret-gpg -Dmaven.wagon.http.ssl.insecure=true
        RUN ./gradlew publish -PsigningPassword=pa55word -Psonar.host=https://sonar.example.com
        RUN mvn verify -Dsonar.token=squ_0a1b2c3d4e5f60718293a4b5c6d7e8f901234567
        """, expect=[(2, 31, "mvn -Dgpg.passphrase= with a literal value (10 characters)"),
                     (3, 23, "gradlew -PsigningPassword= with a literal value (8 characters)"),
                     (4, 16, "mvn -Dsonar.token= with a literal value")])
    assert all("S3cret" not in f.message and "pa55word" not in f.message for f in got)


@pytest.mark.parametrize("text", [
    "RUN mvn -B package -Dgpg.passphrase=${GPG_PASSPHRASE}",
    "RUN mvn -B package -Dgpg.passphrase.file=/run/secrets/gpg",
    "RUN --mount=type=secret,id=gpg,env=GPG_PASSPHRASE mvn -B deploy -Dgpg.passphrase=$GPG_PASSPHRASE",
    "RUN mvn -B package -Djavax.net.ssl.trustStorePassword=<your-password>",
    "RUN java -Dserver.port=8080 -jar app.jar",
    "RUN echo -Dgpg.passphrase=not-a-jvm-tool",
])
def test_jvm_properties_without_literal_secrets_are_clean(text: str) -> None:
    check("DF117", f"FROM maven:3.9-eclipse-temurin-21\n{text}\n", expect=[])


def test_openssl_literal_pass_phrases() -> None:
    check("DF117", """
        FROM alpine:3.20
        RUN openssl genrsa -aes256 -passout pass:S3rverKey! -out /etc/ssl/key.pem 4096
        RUN openssl pkcs12 -export -in c.pem -inkey k.pem -out s.p12 -passin pass:S3rverKey! -passout=pass:exp0rt-pw
        RUN openssl enc -aes-256-cbc -pass pass:hunter22 -in a -out a.enc
        """, expect=[(2, 37, "openssl -passout pass: with a literal pass phrase (10 characters)"),
                     (3, 70, "openssl -passin pass:"), (3, 86, "openssl -passout pass:"),
                     (4, 36, "openssl -pass pass:")])


@pytest.mark.parametrize("text", [
    "RUN openssl genrsa -passout env:KEY_PASS -out k.pem 4096",
    "RUN openssl genrsa -passout file:/run/secrets/key_pass -out k.pem 4096",
    "RUN openssl rsa -in k.pem -passin stdin -out plain.pem",
    "RUN openssl genrsa -passout pass:$KEY_PASS -out k.pem 4096",
    "RUN openssl req -x509 -nodes -newkey rsa:2048 -keyout k.pem -out c.pem -subj /CN=localhost",
])
def test_openssl_without_literal_pass_phrases_is_clean(text: str) -> None:
    check("DF117", f"FROM alpine:3.20\n{text}\n", expect=[])


def test_keytool_literal_passwords() -> None:
    check("DF117", """
        FROM eclipse-temurin:21-jre
        RUN keytool -genkeypair -alias a -keystore /app/ks.p12 -storepass Ks-pa55word -keypass Ks-pa55word -dname CN=app
        RUN keytool -importkeystore -srckeystore x -srcstorepass changeme -destkeystore b.p12 -deststorepass changeme
        """, expect=[(2, 67, "keytool -storepass with a literal password (11 characters)"),
                     (2, 88, "keytool -keypass"), (3, 58, "keytool -srcstorepass"),
                     (3, 102, "keytool -deststorepass")])


@pytest.mark.parametrize("text", [
    # The JDK trust store's public default password: it holds public certificates only.
    "RUN keytool -importcert -noprompt -cacerts -storepass changeit -alias corp -file /tmp/corp.crt",
    ("RUN keytool -import -trustcacerts -keystore $JAVA_HOME/lib/security/cacerts -storepass changeit -noprompt "
     "-alias corp -file corp.crt"),
    "RUN keytool -genkeypair -keystore ks.p12 -storepass:env KS_PASS -alias app -dname CN=app",
    "RUN keytool -genkeypair -keystore ks.p12 -storepass:file /run/secrets/ks -alias app -dname CN=app",
    "RUN keytool -list -keystore ks.p12 -storepass \"$KS_PASS\"",
])
def test_keytool_without_literal_secrets_is_clean(text: str) -> None:
    check("DF117", f"FROM eclipse-temurin:21-jre\n{text}\n", expect=[])


def test_keytool_changeit_on_an_application_keystore_still_fires() -> None:
    check("DF117", "FROM eclipse-temurin:21-jre\nRUN keytool -genkeypair -keystore /app/ks.p12 -storepass changeit "
                   "-alias app -dname CN=app\n", expect=[(2, 58, "keytool -storepass")])
