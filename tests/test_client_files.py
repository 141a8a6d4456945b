"""Docker CLI contexts and client config.json (issue 14, item 4): discovery, the parser,
DD120 / DD121, malformed files, and credentials that never reach any output."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from cli_helpers import run
from dockerlint import discovery
from dockerlint.models.base import Span
from dockerlint.models.client import StoredCredential
from helpers import check, findings, lint, lint_tree, write_tree

REMOTE = hashlib.sha256(b"remote").hexdigest()
META = f".docker/contexts/meta/{REMOTE}/meta.json"
TLS = f".docker/contexts/tls/{REMOTE}/docker"


def context(host: str, skip: str = "false", name: str = "remote") -> str:
    return (
        f'{{\n  "Name": "{name}",\n  "Endpoints": {{\n    "docker": {{\n      "Host": "{host}",\n'
        f'      "SkipTLSVerify": {skip}\n    }}\n  }}\n}}\n'
    )


# -- discovery -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (".docker/config.json", "client"),
        ("home/me/.docker/config.json", "client"),
        (META, "client"),
        ("home/me/" + META, "client"),
        ("config.json", None),  # by content
        ("contexts/meta/x/meta.json", None),  # not under .docker
        (".docker/meta.json", None),
        (".docker/config.json.bak", None),
    ],
)
def test_names(path: str, kind: str | None) -> None:
    assert discovery.classify_name(path) == kind
    assert discovery.content_decides(path) == (path.rsplit("/", 1)[-1] == "config.json")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"auths": {}}', True),
        ('\ufeff  {\n  "HttpHeaders": {"a": "b"},\n  "credsStore": "desktop"\n}', True),
        ('{"credHelpers": {"gcr.io": "gcloud"}}', True),
        ('{"server": {"auths": {"x": {}}}}', False),  # not at the top level
        ('{"name": "auths", "version": 1}', False),  # a value, not a key
        ('{"a\\"": "\\"auths\\": ", "b": 1}', False),  # inside strings
        ('[{"auths": {}}]', False),
        ('{"a": 1} {"auths": {}}', False),  # after the top-level object
        ('"auths": {}', False),
        ("", False),
    ],
)
def test_client_config_sniff(text: str, expected: bool) -> None:
    assert discovery.is_client_config(text) is expected


def test_walk_takes_client_files_by_path_and_content(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            META: context("unix:///var/run/docker.sock"),
            ".docker/config.json": "{}",
            "deploy/config.json": '{"auths": {}}',
            "app/config.json": '{"port": 8080}',
            "app/package.json": '{"auths": {}}',
        },
    )
    cands, errors = discovery.discover([str(tmp_path)], cwd=str(tmp_path))
    assert not errors
    assert sorted((c.path, c.kind) for c in cands) == [
        (".docker/config.json", "client"),
        (META, "client"),
        ("deploy/config.json", "client"),
    ]


def test_sniff_reads_only_the_window(tmp_path: Path) -> None:
    """The key past the sniffing window is not seen: a config.json is never read whole to decide."""
    pad = " " * discovery.SNIFF_WINDOW
    (tmp_path / "config.json").write_text('{"x": 1,' + pad + '"auths": {}}', encoding="utf-8")
    assert discovery.client_config_by_content(str(tmp_path / "config.json")) is False


def test_named_config_json_that_is_not_dockers(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text('{"port": 1}\n', encoding="utf-8")
    code, _out, err = run(["config.json"], tmp_path)
    assert code == 0
    assert "not a Docker client config.json" in err


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('{"auths": {"r.io": {}}}', "client"),
        ('{"Name": "x", "Endpoints": {"docker": {"Host": "tcp://h:2376"}}}', "client"),
        ('{"hosts": ["tcp://0.0.0.0:2376"], "tls": true}', "daemon"),
        ('{"x": {"auths": {}}}', "daemon"),
    ],
)
def test_sniff_of_a_named_json_file(text: str, kind: str) -> None:
    """A file of another name named on the command line: a Docker client file by its keys, not
    a daemon.json full of unknown keys (DD112)."""
    assert discovery.sniff(text) == kind


def test_named_context_file_is_linted(tmp_path: Path) -> None:
    write_tree(tmp_path, {META: context("tcp://h:2376", "true")})
    code, out, _ = run(["--no-color", "--select", "DD120", META], tmp_path)
    assert code == 1 and "DD120" in out


def test_precommit_files_take_client_files() -> None:
    import re

    files = re.compile(discovery.PRE_COMMIT_FILES)
    for path in (".docker/config.json", "x/config.json", "config.json", META, "h/" + META):
        assert files.search(path), path
    for path in ("meta.json", "contexts/meta/x/meta.json", "config.jsonc", "myconfig.json"):
        assert not files.search(path), path


# -- DD120 ------------------------------------------------------------------------------------


def test_dd120_tcp_without_tls_material() -> None:
    check("DD120", {META: context("tcp://build.example.com:2376")}, [(META, 5, 15, "no TLS material")], name=META)


def test_dd120_a_scheme_the_client_cannot_dial_is_no_tcp_endpoint() -> None:
    # The Go client dials the network the scheme names (net.Dial knows "tcp", not "TCP"), and
    # docker/cli's ParseHost refuses any scheme but "tcp" as written: nothing is reached.
    check("DD120", {META: context("TCP://build.example.com:2376")}, [], name=META)
    check("DD120", {META: context("TCP://h:2376", "true")}, [], name=META)


def test_dd120_tls_material_is_found_by_the_sha256_of_the_name() -> None:
    pem = "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n"
    assert not findings("DD120", {META: context("tcp://h:2376"), f"{TLS}/ca.pem": pem})
    # The TLS folder of another context does not count.
    other = hashlib.sha256(b"other").hexdigest()
    assert findings("DD120", {META: context("tcp://h:2376"), f".docker/contexts/tls/{other}/docker/ca.pem": pem})


def test_dd120_skip_tls_verify_fires_even_with_material() -> None:
    pem = "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n"
    got = check(
        "DD120", {META: context("tcp://h:2376", "true"), f"{TLS}/cert.pem": pem}, [(META, 6, 7, "SkipTLSVerify: true")]
    )
    assert got[0].span.end_col == 22  # the key "SkipTLSVerify"


@pytest.mark.parametrize("host", ["ssh://u@h", "unix:///var/run/docker.sock", "npipe:////./pipe/docker_engine", ""])
def test_dd120_other_schemes_are_clean(host: str) -> None:
    assert not findings("DD120", {META: context(host, "true")})


def test_dd120_tls_folder_outside_the_tree_is_not_judged(tmp_path: Path) -> None:
    """Linting the meta.json alone: its TLS folder is outside the scanned tree, so dockerlint
    does not look (nor claim the material is missing); SkipTLSVerify is still judged."""
    write_tree(tmp_path, {META: context("tcp://h:2376")})
    folder = tmp_path / META
    result = lint_tree(folder.parent, select=["DD120"], roots=(str(folder.parent),))
    assert [f for f in result.findings if f.rule_id == "DD120"] == []
    # The same file in a scan that holds its TLS folder: the material is known to be missing.
    result = lint_tree(tmp_path, select=["DD120"], roots=(str(tmp_path),))
    assert ["no TLS material" in f.message for f in result.findings] == [True]
    write_tree(tmp_path, {META: context("tcp://h:2376", "true")})
    result = lint_tree(folder.parent, select=["DD120"], roots=(str(folder.parent),))
    assert [f.rule_id for f in result.findings] == ["DD120"]


def test_dd120_host_from_kind_client_without_layout(tmp_path: Path) -> None:
    """A context file outside a store's layout (``--kind client``): SkipTLSVerify is judged, the
    TLS material is not (there is no folder to look in)."""
    (tmp_path / "ctx.json").write_text(context("tcp://h:2376"), encoding="utf-8")
    code, out, _ = run(["--no-color", "--kind", "client", "--select", "DD120,DD000", "ctx.json"], tmp_path)
    assert code == 0, out
    (tmp_path / "ctx.json").write_text(context("tcp://h:2376", "true"), encoding="utf-8")
    code, out, _ = run(["--no-color", "--kind", "client", "--select", "DD120", "ctx.json"], tmp_path)
    assert code == 1 and "ctx.json:6:7" in out


# -- DD121 ------------------------------------------------------------------------------------

AUTH = base64.b64encode(b"deploy:Sup3r-Secret-Registry-Pw").decode()
CONFIG = f'{{\n  "auths": {{\n    "registry.example.com": {{\n      "auth": "{AUTH}"\n    }}\n  }}\n}}\n'


def test_dd121_auth() -> None:
    got = check("DD121", {".docker/config.json": CONFIG}, [(".docker/config.json", 4, 15, "user 'deploy'")])
    assert "Su********" in got[0].message


def test_dd121_fires_with_creds_store_and_helpers() -> None:
    text = (
        '{"auths": {"a.io": {"identitytoken": "tok-1234567890"}, "b.io": {"password": "pw-123456789"}},\n'
        ' "credsStore": "desktop", "credHelpers": {"b.io": "ecr-login"}}\n'
    )
    got = check("DD121", {".docker/config.json": text}, [(1, 38, "credsStore 'desktop'"), (1, 78, "credHelpers")])
    assert "tok-1234567890" not in got[0].message


@pytest.mark.parametrize(
    "entry",
    [
        "{}",
        '{"auth": ""}',
        '{"auth": "dXNlcjo="}',
        '{"auth": "${AUTH}"}',
        '{"password": "{{ registry_pw }}"}',
        '{"username": "u", "email": "u@example.com"}',
        "null",
    ],
)
def test_dd121_no_credential(entry: str) -> None:
    text = f'{{"auths": {{"r.io": {entry}}}}}\n'
    result = lint({".docker/config.json": text}, select=["DD121", "DD000"])
    assert not result.findings, [f.message for f in result.findings]


# -- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "col", "words"),
    [
        (
            '{\n  "auths": {\n    "r.io": {"auth": "x"},\n  }\n}\n',
            3,
            26,
            ("trailing comma before '}' is not allowed in a Docker client config.json (the Docker CLI rejects it)"),
        ),
        ('{"auths": []}\n', 1, 11, "'auths' must be an object"),
        ('{"auths": {"r.io": {"auth": 12}}}\n', 1, 29, "must be a string"),
        ('{"auths": {"r.io": {"auth": "not base64!"}}}\n', 1, 29, "not the base64"),
        ('{"auths": {"r.io": {"auth": "bm9jb2xvbg=="}}}\n', 1, 29, "not the base64"),  # "nocolon"
        ("[1, 2]\n", 1, 1, "JSON object"),
    ],
)
def test_malformed_config(text: str, line: int, col: int, words: str) -> None:
    result = lint({".docker/config.json": text}, select=["DD121", "DD000"])
    assert not result.internal_errors
    got = [(f.rule_id, f.span.line, f.span.col) for f in result.findings]
    assert got == [("DD000", line, col)], [(f.span, f.message) for f in result.findings]
    assert words.lower() in result.findings[0].message.lower()


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ('{"Name": "remote", "Endpoints": {"docker": {"Host": 5}}}', 1, 53),
        ('{"Name": "remote", "Endpoints": {"docker": {"Host": "ssh://h", "SkipTLSVerify": "yes"}}}', 1, 81),
        ('{"Name": "remote", "Endpoints": []}', 1, 33),
        ('{"Name": "remote", "Endpoints": {', 1, 34),
    ],
)
def test_malformed_context(text: str, line: int, col: int) -> None:
    result = lint({META: text}, select=["DD120", "DD000"])
    assert not result.internal_errors
    assert [(f.rule_id, f.span.line, f.span.col) for f in result.findings] == [("DD000", line, col)], [
        (f.span, f.message) for f in result.findings
    ]


def test_binary_and_empty_client_files(tmp_path: Path) -> None:
    write_tree(tmp_path, {".docker/config.json": b"\x00\xff\xfe{", META: ""})
    _code, out, err = run(["--no-color", "--format", "json", "."], tmp_path)
    assert "Traceback" not in err
    doc = json.loads(out)
    assert [f["rule_id"] for f in doc["findings"]] == ["DD000"]


# -- credentials never shown -----------------------------------------------------------------

SECRETS = ("Sup3r-Secret-Registry-Pw", AUTH, AUTH[:12], "tok-1234567890abcdef", "pw-plain-0123456789")


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "gitlab", "junit"])
@pytest.mark.parametrize("show", ["--show-source", "--no-show-source"])
def test_credentials_are_never_printed(tmp_path: Path, fmt: str, show: str) -> None:
    text = (
        f'{{\n  "auths": {{\n    "a.io": {{"auth": "{AUTH}"}},\n'
        '    "b.io": {"identitytoken": "tok-1234567890abcdef"},\n'
        '    "c.io": {"username": "ci", "password": "pw-plain-0123456789"}\n  },\n'
        '  "credsStore": "desktop"\n}\n'
    )
    write_tree(tmp_path, {".docker/config.json": text})
    code, out, err = run(["--no-color", "--format", fmt, show, "--select", "DD121", "."], tmp_path, tty=True)
    assert code == 1
    assert out.count("DD121") >= 3
    for secret in SECRETS:
        assert secret not in out and secret not in err, (fmt, secret)
    if fmt == "text" and show == "--show-source":
        assert '"auth": "' + "*" * len(AUTH) + '"' in out  # the excerpt, masked, carets aligned


def test_baseline_fingerprint_does_not_depend_on_the_credential(tmp_path: Path) -> None:
    """The fingerprint hashes the masked text: rotating the password keeps the finding's identity,
    and the hash of a short password cannot be brute-forced from a report."""

    def fingerprint(auth: str) -> str:
        write_tree(tmp_path, {".docker/config.json": f'{{"auths": {{"a.io": {{"auth": "{auth}"}}}}}}\n'})
        _, out, _ = run(["--format", "json", "--select", "DD121", "."], tmp_path)
        return str(json.loads(out)["findings"][0]["fingerprint"])

    first = fingerprint(base64.b64encode(b"u:password-one").decode())
    assert first == fingerprint(base64.b64encode(b"u:password-two").decode())


def test_model_serialisation_never_holds_the_credential() -> None:
    span = Span.point("c.json")
    from dockerlint.models.base import LStr

    cred = StoredCredential(
        registry=LStr("r", span), field="password", span=span, masked="hu********", user="u", value="hunter2-secret"
    )
    from dockerlint.models.schema import dump

    assert "hunter2-secret" not in repr(cred)
    assert "value" not in dump(cred) and "hunter2-secret" not in json.dumps(dump(cred))
