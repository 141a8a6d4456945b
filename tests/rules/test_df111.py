"""DF111 secret-file-in-image."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dockerlint.rules.image.df111 import secret_kind
from helpers import check, lint_tree, write_tree


@pytest.mark.parametrize(
    ("line", "col", "part"),
    [
        ("COPY id_rsa /root/.ssh/id_rsa", 6, "an SSH private key"),
        ("COPY deploy/id_ed25519 /root/.ssh/", 6, "SSH private key"),
        ("COPY deploy_key /root/.ssh/", 6, "(it lands at '/root/.ssh/')"),
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
    ],
)
def test_copied_secret_files(line: str, col: int, part: str) -> None:
    check("DF111", f"FROM debian:12\n{line}\n", expect=[(2, col, part)])


def test_every_source_is_checked() -> None:
    check(
        "DF111",
        "FROM node:20\nCOPY package.json .npmrc .env.example id_rsa.pub /app/\nCOPY a .env /b/\n",
        expect=[(2, 19, ".npmrc"), (3, 8, ".env")],
    )


@pytest.mark.parametrize(
    "line",
    [
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
    ],
)
def test_clean_copies(line: str) -> None:
    check("DF111", f"FROM debian:12\n{line}\n", expect=[])


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        ('echo "machine github.com login x password ${GH_TOKEN}" > ~/.netrc && go mod download', 62, ".netrc"),
        ('echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" >> /root/.npmrc && npm ci', 61, ".npmrc"),
        ('printf "[pypi]\\nusername = __token__\\npassword = %s\\n" "$T" > ~/.pypirc', 67, ".pypirc"),
        ('echo "https://x:${TOKEN}@github.com" > ~/.git-credentials', 44, ".git-credentials"),
        ('echo "$SSH_KEY" | tee /root/.ssh/id_rsa >/dev/null', 27, "SSH private key"),
        ('echo "{\\"auths\\": {\\"r.io\\": {\\"auth\\": \\"$A\\"}}}" > /root/.docker/config.json', 58, "Docker"),
        ("git config --global credential.helper store", 25, "credential.helper store"),
        ("npm config set //registry.npmjs.org/:_authToken ${NPM_TOKEN}", 20, "_authToken"),
        ("yarn config set npmAuthToken ${NPM_TOKEN}", 21, "npmAuthToken"),
        ('echo "$PW" | docker login -u ci --password-stdin registry.example.com', 37, "docker login"),
        ("aws configure set aws_secret_access_key ${AWS_SECRET_ACCESS_KEY}", 23, "aws configure"),
    ],
)
def test_run_writes_credentials(run: str, col: int, part: str) -> None:
    check("DF111", f"FROM node:20\nRUN {run}\n", expect=[(2, col, part)])


def test_secret_mount_alone_does_not_help_but_removal_does() -> None:
    check(
        "DF111",
        """
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
        """,
        expect=[
            (3, 73, ("this RUN writes a .netrc (login credentials) to '/root/.netrc'; mount it as a build secret"))
        ],
    )


@pytest.mark.parametrize(
    "run",
    [
        "echo 'registry=https://npm.example.com/' > .npmrc",
        "echo 'always-auth=false' >> ~/.npmrc",
        "cat /root/.netrc",
        "ssh-keyscan github.com >> /root/.ssh/known_hosts",
        "echo 'Host *' > /root/.ssh/config",
        "git config --global credential.helper cache",
        "npm config set registry https://npm.example.com/",
        "docker-php-ext-install pdo_mysql",
        'echo \'{"credsStore": "ecr-login"}\' > /root/.docker/config.json',
    ],
)
def test_clean_runs(run: str) -> None:
    check("DF111", f"FROM node:20\nRUN {run}\n", expect=[])


@pytest.mark.parametrize(
    ("path", "secret"),
    [
        ("id_rsa", True),
        ("id_rsa.pub", False),
        ("keys/id_ecdsa_sk", True),
        (".env", True),
        (".env.local", True),
        (".env.example", False),
        ("a/b/.aws/credentials", True),
        ("credentials", False),
        ("config.json", False),
        (".docker/config.json", True),
        ("server.key", True),
        ("apt.gpg.key", False),
        ("cert.pem", False),
        ("server-key.pem", True),
        ("x.pfx", True),
        (".ssh/known_hosts", False),
        (".ssh/deploy", True),
        ("_netrc", True),
        ("", False),
    ],
)
def test_secret_kind(path: str, secret: bool) -> None:
    assert (secret_kind(path) is not None) == secret


# -- issue 12 B1: a public key is not a secret; the file's first bytes decide -----------------

PGP_PUBLIC = (
    "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n"
    "mQINBFit2ioBEADhWpZ8/wvZ6hUTiXOwQHXMAlaFHcPH9hAtr4F1y2+OYdbtMuth\n"
    "-----END PGP PUBLIC KEY BLOCK-----\n"
)
OPENSSH_PRIVATE = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n"
)
CERT = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUX\n-----END CERTIFICATE-----\n"
SSH_PUBLIC = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ci@example\n"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("keys/docker.key", PGP_PUBLIC),
        ("keys/repo.asc", PGP_PUBLIC),
        ("keys/ci.pub", SSH_PUBLIC),
        ("keys/deploy.key", SSH_PUBLIC),
        ("certs/tls.key", CERT),
        ("keys/id_ed25519", SSH_PUBLIC),
        ("keys/trusted.gpg", b"\x99\x01\x0d\x04\x5a\x1b\x2c\x3d\x01\x08\x00"),
    ],
)
def test_public_material_in_the_tree_is_not_a_secret(name: str, content: str | bytes) -> None:
    check("DF111", {"Dockerfile": f"FROM debian:12\nCOPY {name} /etc/keys/\n", name: content}, expect=[])


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("certs/server.crt", "a private key (-----BEGIN OPENSSH PRIVATE KEY-----)"),
        ("keys/deploy.pub", "a private key (-----BEGIN OPENSSH PRIVATE KEY-----)"),
        ("keys/server.key", "a private key (-----BEGIN OPENSSH PRIVATE KEY-----)"),
    ],
)
def test_a_private_key_in_the_tree_fires_whatever_its_name(name: str, what: str) -> None:
    got = check(
        "DF111",
        {"Dockerfile": f"FROM debian:12\nCOPY {name} /srv/\n", name: OPENSSH_PRIVATE},
        expect=[(2, 6, f"COPY puts {what} into the image")],
    )
    assert "judged by name" not in got[0].message


def test_combined_pem_with_a_key_after_the_certificate_fires() -> None:
    check(
        "DF111",
        {
            "Dockerfile": "FROM haproxy:3.0\nCOPY site.pem /usr/local/etc/haproxy/\n",
            "site.pem": CERT + CERT + OPENSSH_PRIVATE,
        },
        expect=[(2, 6, "a private key (")],
    )


def test_name_decides_only_when_the_file_is_not_in_the_tree() -> None:
    got = check(
        "DF111", "FROM debian:12\nCOPY certs/server.key /etc/nginx/\n", expect=[(2, 6, "a private key into the image")]
    )
    assert "(judged by name: 'certs/server.key' is not in the scan)" in got[0].message


def test_the_build_context_may_be_above_the_dockerfile_or_set_by_compose() -> None:
    check(
        "DF111",
        {"docker/Dockerfile": "FROM debian:12\nCOPY keys/apt.key /etc/apt/keyrings/\n", "keys/apt.key": PGP_PUBLIC},
        expect=[],
    )
    check(
        "DF111",
        {
            "app/Dockerfile": "FROM debian:12\nCOPY keys/apt.key /etc/apt/keyrings/\n",
            "ctx/keys/apt.key": OPENSSH_PRIVATE,
            "app/keys/apt.key": PGP_PUBLIC,
            "compose.yaml": "services:\n  a:\n    build:\n      context: ctx\n      dockerfile: ../app/Dockerfile\n",
        },
        expect=[("app/Dockerfile", 2, 6)],
    )


def test_copy_from_a_stage_is_judged_by_name() -> None:
    check(
        "DF111",
        {
            "Dockerfile": "FROM debian:12 AS keys\nFROM debian:12\nCOPY --from=keys /k/repo.key /etc/\n",
            "k/repo.key": PGP_PUBLIC,
        },
        expect=[(3, 18, "a private key")],
    )


def test_globs_are_read_and_every_match_must_be_public() -> None:
    check(
        "DF111",
        {
            "Dockerfile": "FROM debian:12\nCOPY keys/*.key /etc/keys/\n",
            "keys/a.key": PGP_PUBLIC,
            "keys/b.key": PGP_PUBLIC,
        },
        expect=[],
    )
    check(
        "DF111",
        {
            "Dockerfile": "FROM debian:12\nCOPY keys/*.key /etc/keys/\n",
            "keys/a.key": PGP_PUBLIC,
            "keys/b.key": OPENSSH_PRIVATE,
        },
        expect=[(2, 6, "a private key (")],
    )


@pytest.mark.parametrize(
    ("npmrc", "fires"),
    [
        ("shamefully-hoist=true\nauto-install-peers=true\n", False),
        ("//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", False),
        ("//registry.npmjs.org/:_authToken=npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8\n", True),
    ],
)
def test_npmrc_in_the_tree_fires_only_with_a_token(npmrc: str, fires: bool) -> None:
    check(
        "DF111",
        {"Dockerfile": "FROM node:20\nCOPY package.json .npmrc ./\n", ".npmrc": npmrc},
        expect=[(2, 19, ".npmrc")] if fires else [],
    )


def test_links_out_of_the_tree_and_fifos_are_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "public.key").write_text(PGP_PUBLIC, encoding="utf-8")
    root = tmp_path / "repo"
    write_tree(
        root,
        {
            "Dockerfile": "FROM debian:12\nCOPY keys/link.key /a/\nCOPY keys/fifo.key /b/\nCOPY keys/inner.key /c/\n",
            "keys/real.key": PGP_PUBLIC,
        },
    )
    os.symlink(outside / "public.key", root / "keys" / "link.key")
    os.symlink(root / "keys" / "real.key", root / "keys" / "inner.key")
    os.mkfifo(root / "keys" / "fifo.key")
    result = lint_tree(root, select=["DF111"])
    got = [(f.span.line, f.span.col) for f in result.findings]
    assert got == [(2, 6), (3, 6)]  # the link inside the tree is read: a public key
    assert all("(judged by name: not a regular file in the scan)" in f.message for f in result.findings)


def test_only_a_prefix_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockerlint.rules.common import tree as _tree

    write_tree(tmp_path, {"Dockerfile": "FROM debian:12\nCOPY big.key /k/\n"})
    (tmp_path / "big.key").write_bytes(PGP_PUBLIC.encode() + b"A" * 5_000_000)
    sizes: list[int] = []
    real_read = _tree.containment.read_regular

    def spy(path: str, limit: int | None = None, *, prefix: bool = False) -> bytes:
        data = real_read(path, limit, prefix=prefix)
        sizes.append(len(data))
        return data

    monkeypatch.setattr(_tree.containment, "read_regular", spy)  # every read of a file of the tree
    assert lint_tree(tmp_path, select=["DF111"]).findings == []
    assert sizes and max(sizes) <= _tree.PREFIX + 1


def test_the_file_system_root_is_never_the_tree(tmp_path: Path) -> None:
    from dockerlint.rules.common.tree import read_prefix

    key = tmp_path / "repo.key"
    key.write_text(PGP_PUBLIC, encoding="utf-8")
    assert read_prefix(str(key), [str(tmp_path)]) is not None
    assert read_prefix(str(key), ["/"]) is None  # a container's working directory is often /
    assert read_prefix(str(key), [str(tmp_path / "elsewhere")]) is None


# -- builder-only stages: the file is not in the image anyone pulls -----------------------------

_BUILDER = """\
FROM node:22 AS assets
WORKDIR /build
COPY package.json .npmrc ./
RUN npm ci && npm run build

FROM golang:1.23 AS builder
COPY certs/server.key ./
RUN go build -o /app .

FROM debian:12-slim
COPY --from=assets /build/dist /www
COPY --from=builder /app /app
ENTRYPOINT ["/app"]
"""


def _severities(files: dict[str, str]) -> list[tuple[str, int, int, str]]:
    from helpers import findings

    return [(f.span.path, f.span.line, f.span.col, f.severity.value) for f in findings("DF111", files)]


def test_a_secret_in_a_builder_only_stage_is_medium_and_says_why() -> None:
    got = check(
        "DF111",
        {"Dockerfile": _BUILDER},
        expect=[(3, 19, "into builder-only stage 'assets'"), (7, 6, "into builder-only stage 'builder'")],
    )
    assert [f.severity.value for f in got] == ["medium", "medium"]
    assert not any("into the image" in f.message for f in got)


def test_a_stage_the_final_image_builds_on_is_shipped() -> None:
    text = _BUILDER.replace("FROM debian:12-slim", "FROM builder")
    assert _severities({"Dockerfile": text}) == [("Dockerfile", 3, 19, "medium"), ("Dockerfile", 7, 6, "high")]


def test_a_stage_nothing_uses_is_a_variant_built_with_target() -> None:
    # FROM alpine AS alpine: published with --target alpine; no stage copies from it.
    text = _BUILDER.replace("FROM debian:12-slim", "FROM alpine:3.20 AS alpine\nCOPY .env /\n\nFROM debian:12-slim")
    assert _severities({"Dockerfile": text}) == [
        ("Dockerfile", 3, 19, "medium"),
        ("Dockerfile", 7, 6, "medium"),
        ("Dockerfile", 11, 6, "high"),
    ]


@pytest.mark.parametrize("target", ["assets", "ASSETS", "${TARGET}"])
def test_a_stage_a_compose_build_targets_is_shipped(target: str) -> None:
    compose = f"services:\n  web:\n    build:\n      context: .\n      target: {target}\n"
    assert _severities({"Dockerfile": _BUILDER, "compose.yaml": compose})[0] == ("Dockerfile", 3, 19, "high")
    # the other services and stages are still judged: an unknown target could be any stage
    assert _severities({"Dockerfile": _BUILDER, "compose.yaml": compose})[1][3] == (
        "high" if "$" in target else "medium"
    )


def test_a_stage_a_docker_build_line_targets_is_shipped() -> None:
    files = {"Dockerfile": _BUILDER, "build.sh": "#!/bin/sh\ndocker build --target builder -t acme/b:dev .\n"}
    assert _severities(files) == [("Dockerfile", 3, 19, "medium"), ("Dockerfile", 7, 6, "high")]


def test_stages_used_by_index_or_by_a_run_mount_are_builder_only() -> None:
    text = (
        "FROM debian:12\nCOPY .netrc /root/\n\nFROM debian:12 AS tools\nCOPY id_rsa /root/.ssh/\n\n"
        "FROM debian:12\nCOPY --from=0 /etc/os-release /\n"
        "RUN --mount=type=bind,from=tools,source=/usr/bin,target=/t /t/run\n"
    )
    assert _severities({"Dockerfile": text}) == [("Dockerfile", 2, 6, "medium"), ("Dockerfile", 5, 6, "medium")]


def test_a_run_writing_a_secret_in_a_builder_only_stage_is_medium() -> None:
    text = (
        "FROM node:22 AS build\nARG NPM_TOKEN\n"
        'RUN echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > /root/.npmrc && npm ci\n'
        "FROM node:22-slim\nCOPY --from=build /app /app\n"
    )
    part = "to '/root/.npmrc', in builder-only stage 'build'"
    got = check("DF111", {"Dockerfile": text}, expect=[(3, 58, part)])
    assert got[0].severity.value == "medium"


def test_a_single_stage_and_an_unknown_stage_reference_stay_high() -> None:
    assert _severities({"Dockerfile": "FROM debian:12\nCOPY .env /app/\n"}) == [("Dockerfile", 2, 6, "high")]
    # --from=${STAGE} may name the stage or not: it does not make the stage builder-only
    text = "FROM debian:12 AS a\nCOPY .env /app/\nFROM debian:12\nARG STAGE=a\nCOPY --from=${STAGE} /app /app\n"
    assert _severities({"Dockerfile": text})[0] == ("Dockerfile", 2, 6, "high")
