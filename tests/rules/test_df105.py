"""DF105 tls-verification-disabled."""

from __future__ import annotations

import pytest

from helpers import check


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        ("curl -k https://x/a.tgz -o /a.tgz", 10, "curl -k"),
        ("curl -fsSLk https://x/a.tgz -o /a.tgz", 10, "curl -k"),
        ("curl --insecure -fsSL https://x/a.tgz", 10, "curl --insecure"),
        ("curl -fsSL --proxy-insecure -x http://p:3128 https://x", 16, "--proxy-insecure"),
        ("wget --no-check-certificate https://x/a.tgz", 10, "wget"),
        ("wget -e check_certificate=off https://x/a.tgz", 10, "wget"),
        ("pip install --trusted-host pypi.org flask", 17, "--trusted-host"),
        ("python3 -m pip install --trusted-host=pypi.org flask", 28, "--trusted-host"),
        ("pip3 config set global.trusted-host pypi.org", 21, "trusted-host"),
        ("npm config set strict-ssl false", 20, "strict-ssl"),
        ("yarn config set strict-ssl false", 21, "strict-ssl"),
        ("yarn config set enableStrictSsl false", 21, "enableStrictSsl"),
        ("npm install --strict-ssl=false", 17, "--strict-ssl=false"),
        ("git -c http.sslVerify=false clone https://git.example.com/r.git", 12, "http.sslVerify=false"),
        ("git config --global http.sslverify false", 25, "http.sslverify false"),
        ("git config --global http.https://git.example.com/.sslVerify false", 25, "sslVerify"),
        ("apt-get install -y --allow-unauthenticated foo", 24, "--allow-unauthenticated"),
        ("apt-get install -y --force-yes foo", 24, "--force-yes"),
        ("apt-get -o Acquire::https::Verify-Peer=false update", 16, "Verify-Peer"),
        ("apt-get -oAPT::Get::AllowUnauthenticated=true install foo", 13, "AllowUnauthenticated"),
        ("apk add --no-cache --allow-untrusted foo", 24, "--allow-untrusted"),
        ("wget -q https://x/foo.apk && apk add --allow-untrusted foo.apk", 42, "--allow-untrusted"),
        ("yum install -y --nogpgcheck foo", 20, "--nogpgcheck"),
        ("dnf --setopt=sslverify=false install foo", 9, "sslverify"),
        ("microdnf install --setopt=*.gpgcheck=0 foo", 22, "gpgcheck"),
        ("zypper --no-gpg-checks install foo", 12, "--no-gpg-checks"),
        ("rpm -i --nosignature https://x/foo.rpm", 12, "--nosignature"),
        ("conda config --set ssl_verify false", 24, "ssl_verify"),
        ("composer config -g disable-tls true", 24, "disable-tls"),
        ("bundle config set ssl_verify_mode 0", 23, "ssl_verify_mode"),
        ("helm repo add x https://charts.example.com --insecure-skip-tls-verify", 48, "--insecure"),
        ("skopeo copy --src-tls-verify=true --tls-verify=false docker://a docker://b", 39, "--tls-verify"),
        ("aws s3 cp --no-verify-ssl s3://b/k /k", 15, "--no-verify-ssl"),
    ],
)
def test_commands(run: str, col: int, part: str) -> None:
    check("DF105", f"FROM debian:12\nRUN {run}\n", expect=[(2, col, part)])


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("ENV NODE_TLS_REJECT_UNAUTHORIZED=0", [(2, 5, "Node.js")]),
        ("ENV NODE_TLS_REJECT_UNAUTHORIZED='0'", [(2, 5)]),
        ("ENV PYTHONHTTPSVERIFY 0", [(2, 5, "Python")]),
        ("ARG GIT_SSL_NO_VERIFY=1", [(2, 5, "(any value does)")]),
        ("ENV GIT_SSL_NO_VERIFY=false", [(2, 5)]),
        ('ENV PIP_TRUSTED_HOST="pypi.org files.pythonhosted.org"', [(2, 5, "pip")]),
        ("ENV A=1 NPM_CONFIG_STRICT_SSL=false", [(2, 9, "npm")]),
        ("ENV npm_config_strict_ssl=false", [(2, 5)]),
        ("ENV GOINSECURE=git.example.com/*", [(2, 5, "Go")]),
        ("ENV GOFLAGS=-insecure", [(2, 5)]),
        ("ENV NODE_TLS_REJECT_UNAUTHORIZED=1", []),
        ("ENV PYTHONHTTPSVERIFY=1", []),
        ("ENV PIP_TRUSTED_HOST=", []),
        ("ARG GIT_SSL_NO_VERIFY", []),
        ('ENV CURL_CA_BUNDLE=""', []),
    ],
)
def test_env_and_arg(text: str, expect: list[tuple[object, ...]]) -> None:
    check("DF105", f"FROM node:20\n{text}\n", expect=expect)


@pytest.mark.parametrize(
    ("run", "col"),
    [
        ("NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci", 5),
        ("export GIT_SSL_NO_VERIFY=true && git clone https://x/r.git", 12),
        ("env PYTHONHTTPSVERIFY=0 python3 fetch.py", 9),
    ],
)
def test_environment_in_run(run: str, col: int) -> None:
    check("DF105", f"FROM python:3.12\nRUN {run}\n", expect=[(2, col)])


def test_written_configuration() -> None:
    check(
        "DF105",
        """
        FROM debian:12
        RUN echo insecure >> ~/.curlrc
        RUN echo 'deb [trusted=yes] http://apt.example.com/ stable main' > /etc/apt/sources.list.d/x.list
        RUN printf 'check_certificate = off\\n' > /etc/wgetrc
        RUN cat <<EOF > /etc/apt/apt.conf.d/99insecure
        // the next line turns TLS off
        Acquire::https::Verify-Peer "false";
        EOF
        RUN tee /etc/yum.repos.d/x.repo <<EOF
        [x]
        baseurl=https://rpm.example.com
        gpgcheck=0
        EOF
        """,
        expect=[
            (2, 10, "insecure"),
            (3, 10, "trusted=yes"),
            (4, 12, "check_certificate"),
            (7, 1, "Verify-Peer"),
            (12, 1, "gpgcheck=0"),
        ],
    )


def test_in_heredocs_continuations_and_exec_form() -> None:
    check(
        "DF105",
        """
        FROM alpine:3.20
        RUN set -eux; \\
            apk add --no-cache curl; \\
            curl -fsSL \\
              --insecure \\
              https://x/a.tgz | tar -xz
        RUN <<EOF
        wget --no-check-certificate -qO /a https://x/a
        EOF
        RUN ["sh", "-c", "curl -k https://x/a -o /a"]
        RUN ["curl", "-k", "https://x/a", "-o", "/a"]
        """,
        expect=[(5, 7), (8, 6), (10, 24), (11, 14)],
    )


@pytest.mark.parametrize(
    "run",
    [
        "curl -fsSL --proto '=https' --tlsv1.2 https://x -o /k",
        "curl -o -k https://x",
        "wget -k -r https://x/site/",
        "git config --global http.sslVerify true",
        "npm config set strict-ssl true",
        "apt-mark hold foo && apt-get install -y --no-install-recommends bar",
        "apk add --no-cache --allow-untrusted /tmp/packages/*.apk",
        "apk index --allow-untrusted -o /tmp/APKINDEX.tar.gz /tmp/*.apk",
        "rpm -i --nosignature /tmp/foo.rpm",
        "echo 'deb [ trusted=yes ] file:///tmp/repo ./' > /etc/apt/sources.list.d/local.list",
        "echo 'check_certificate = on' > /etc/wgetrc",
        "echo '--insecure' > /root/notes.txt",
        "echo 'apt-get --allow-unauthenticated' >> /docs.md",
    ],
)
def test_clean(run: str) -> None:
    check("DF105", f"FROM debian:12\nRUN {run}\n", expect=[])


# -- the shared option table (knowledge/commands.py) where DF105's own copy was wrong -------------


@pytest.mark.parametrize(
    ("run", "col", "part"),
    [
        # apt-get(8): -q is a quietness count (-q, -qq), it takes no value: the copy DF105 had
        # read "-q --allow-unauthenticated" as -q with a value and missed the option.
        ("apt-get install -q --allow-unauthenticated foo", 24, "--allow-unauthenticated"),
        # aptitude(8): -q is a count as well.
        ("aptitude install -q -o Acquire::https::Verify-Peer=false foo", 28, "Verify-Peer"),
        # apk(8): -U is --update-cache, a flag; the copy read "-U --allow-untrusted" as a value.
        ("apk add -U --allow-untrusted foo", 16, "--allow-untrusted"),
    ],
)
def test_options_the_manuals_say_take_no_value(run: str, col: int, part: str) -> None:
    check("DF105", f"FROM debian:12\nRUN {run}\n", expect=[(2, col, part)])


@pytest.mark.parametrize(
    "run",
    [
        # curl(1): --data-urlencode <data> and --proxy-header <header> take a value (ARG_STRG in
        # curl's option table); "-k" after them is that value, not --insecure.
        "curl --data-urlencode -k https://x/api",
        "curl --proxy-header -k -x http://p:3128 https://x",
        # rpm(8): -r/--root DIRECTORY takes a value: the package is the local file.
        "rpm -r /mnt/sysroot -i --nosignature /tmp/foo.rpm",
    ],
)
def test_option_values_the_manuals_name_are_not_options(run: str) -> None:
    check("DF105", f"FROM debian:12\nRUN {run}\n", expect=[])
