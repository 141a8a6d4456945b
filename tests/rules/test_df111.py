"""DF111 secret-file-in-image."""

from __future__ import annotations

import pytest
from helpers import check

from dockerlint.checks.df111 import secret_kind


@pytest.mark.parametrize(("line", "col", "part"), [
    ("COPY id_rsa /root/.ssh/id_rsa", 6, "an SSH private key"),
    ("COPY deploy/id_ed25519 /root/.ssh/", 6, "SSH private key"),
    ("COPY deploy_key /root/.ssh/", 6, "(it lands at /root/.ssh/)"),
    ("COPY ssh/ /root/.ssh", 6, "SSH directory"),
    ("COPY .ssh /root/.ssh", 6, "an SSH directory"),
    ("COPY .env /app/", 6, ".env file"),
    ("COPY config/.env.production /app/.env", 6, ".env file"),
    ("COPY .npmrc package.json /app/", 6, ".npmrc"),
    ("ADD .pypirc /root/", 5, ".pypirc"),
    ("COPY .netrc /root/.netrc", 6, ".netrc"),
    ("COPY .git-credentials /root/", 6, ".git-credentials"),
    ("COPY aws/credentials /root/.aws/credentials", 6, "AWS credentials"),
    ("COPY .docker/config.json /root/.docker/", 6, "Docker client config"),
    ("COPY kube/config /root/.kube/config", 6, "kubeconfig"),
    ("COPY certs/server.key /etc/nginx/", 6, "a private key"),
    ("COPY certs/privkey.pem /etc/letsencrypt/", 6, "a private key"),
    ("COPY tls/tls-key.pem /etc/tls/", 6, "a private key"),
    ("COPY keystore.p12 /opt/app/", 6, "PKCS#12"),
    ("COPY --from=build /root/.ssh/id_rsa /tmp/", 19, "SSH private key"),
    ('COPY ["secrets/.env", "/app/.env"]', 7, ".env"),
])
def test_copied_secret_files(line: str, col: int, part: str) -> None:
    check("DF111", f"FROM debian:12\n{line}\n", expect=[(2, col, part)])


def test_every_source_is_checked() -> None:
    check("DF111", "FROM node:20\nCOPY package.json .npmrc .env.example id_rsa.pub /app/\nCOPY a .env /b/\n",
          expect=[(2, 19, ".npmrc"), (3, 8, ".env")])


@pytest.mark.parametrize("line", [
    "COPY id_rsa.pub /root/.ssh/authorized_keys",
    "COPY known_hosts /root/.ssh/known_hosts",
    "COPY ssh_config /root/.ssh/config",
    "COPY .env.example .env.sample .env.template /app/",
    "COPY certs/ca.pem certs/fullchain.pem /etc/ssl/",
    "COPY repo.gpg.key /etc/apt/keyrings/",
    "COPY Release.key /tmp/",
    "COPY environment.yml /app/",
    "COPY . /app",
    "ADD https://example.com/.env /tmp/x",
    "COPY <<EOF /app/config.ini\n[app]\nname=x\nEOF",
])
def test_clean_copies(line: str) -> None:
    check("DF111", f"FROM debian:12\n{line}\n", expect=[])


@pytest.mark.parametrize(("run", "col", "part"), [
    ('echo "machine github.com login x password ${GH_TOKEN}" > ~/.netrc && go mod download', 62, ".netrc"),
    ('echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" >> /root/.npmrc && npm ci', 61, ".npmrc"),
    ('printf "[pypi]\\nusername = __token__\\npassword = %s\\n" "$T" > ~/.pypirc', 67, ".pypirc"),
    ('echo "https://x:${TOKEN}@github.com" > ~/.git-credentials', 44, ".git-credentials"),
    ('echo "$SSH_KEY" | tee /root/.ssh/id_rsa >/dev/null', 27, "SSH private key"),
    ('echo "{\\"auths\\": {\\"r.io\\": {\\"auth\\": \\"$A\\"}}}" > /root/.docker/config.json', 58, "Docker"),
    ("git config --global credential.helper store", 25, "credential.helper store"),
    ("npm config set //registry.npmjs.org/:_authToken ${NPM_TOKEN}", 20, "_authToken"),
    ("yarn config set npmAuthToken ${NPM_TOKEN}", 21, "npmAuthToken"),
    ("echo \"$PW\" | docker login -u ci --password-stdin registry.example.com", 37, "docker login"),
    ("aws configure set aws_secret_access_key ${AWS_SECRET_ACCESS_KEY}", 23, "aws configure"),
])
def test_run_writes_credentials(run: str, col: int, part: str) -> None:
    check("DF111", f"FROM node:20\nRUN {run}\n", expect=[(2, col, part)])


def test_secret_mount_alone_does_not_help_but_removal_does() -> None:
    check("DF111", """
        FROM golang:1.22
        RUN --mount=type=secret,id=gh \\
            echo "machine github.com login x password $(cat /run/secrets/gh)" > /root/.netrc \\
            && go mod download
        RUN --mount=type=secret,id=gh \\
            echo "machine github.com login x password $(cat /run/secrets/gh)" > /root/.netrc \\
            && go mod download \\
            && rm -f /root/.netrc
        RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
        RUN --mount=type=secret,id=netrc,target=/root/.netrc \\
            echo "default login x" >> /root/.netrc && go mod download
        """, expect=[(3, 73, "the file stays in the image layer")])


@pytest.mark.parametrize("run", [
    "echo 'registry=https://npm.example.com/' > .npmrc",
    "echo 'always-auth=false' >> ~/.npmrc",
    "cat /root/.netrc",
    "ssh-keyscan github.com >> /root/.ssh/known_hosts",
    "echo 'Host *' > /root/.ssh/config",
    "git config --global credential.helper cache",
    "npm config set registry https://npm.example.com/",
    "docker-php-ext-install pdo_mysql",
    "echo '{\"credsStore\": \"ecr-login\"}' > /root/.docker/config.json",
])
def test_clean_runs(run: str) -> None:
    check("DF111", f"FROM node:20\nRUN {run}\n", expect=[])


@pytest.mark.parametrize(("path", "secret"), [
    ("id_rsa", True), ("id_rsa.pub", False), ("keys/id_ecdsa_sk", True), (".env", True),
    (".env.local", True), (".env.example", False), ("a/b/.aws/credentials", True), ("credentials", False),
    ("config.json", False), (".docker/config.json", True), ("server.key", True), ("apt.gpg.key", False),
    ("cert.pem", False), ("server-key.pem", True), ("x.pfx", True), (".ssh/known_hosts", False),
    (".ssh/deploy", True), ("_netrc", True), ("", False),
])
def test_secret_kind(path: str, secret: bool) -> None:
    assert (secret_kind(path) is not None) == secret
