"""``dockerlint inspect``: the normalised view the rules judge (issue 14, item 5).

Golden output (JSON and text) on one fixture tree per kind of source, under
``tests/data/inspect/<tree>/``, kept in ``tests/data/inspect/golden/<tree>.json`` and ``.txt``.
Regenerate with ``python scripts/regenerate.py --only inspect`` and review the diff by hand.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from regen_script import regen

from cli_helpers import repo, run
from helpers import write_tree

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data" / "inspect"
GOLDEN = DATA / "golden"
TREES = ("compose", "host", "dockerfile", "script", "devcontainer", "client")

# Every credential the fixture trees hold: none may appear in any output.
SECRETS = {
    "compose": ["Tr0ub4dor-and-3", "9f8e7d6c5b4a39281706f5e4d3c2b1a0", "0therS3cretValue"],
    "host": ["M1rr0rPassw0rd"],
    "dockerfile": [
        "npm_Zx81kQp0aLm2Vb7Tc4Wd9Ye3Rf6Ug5Ih1Jo0",
        "ghp_R2d2C3poBb8Luke0Leia1Han2Chewie3Yoda4",
        "buildtime-Secret-42",
    ],
    "script": ["Sw0rdfish-77", "M4ilRelayPass", "CiHostPassw0rd"],
    "devcontainer": ["sk-proj-Qw3rTy8UiOp5AsDf2GhJk7Lz"],
    "client": [
        "C0ntextPassw0rd",
        "ZGVwbG95OlIzZ2lzdHJ5UDRzc3cwcmQh",
        "R3gistryP4ssw0rd!",
        "dckr_pat_Zq9Xw8Vu7Ts6Rp5On4Ml3Kj2",
    ],
}


def _normalised(text: str) -> str:
    """The output with dockerlint's version replaced (goldens outlive releases)."""
    from dockerlint import __version__

    return text.replace(f'"version": "{__version__}"', '"version": "VERSION"')


def inspect(tree: Path | str, *args: str, tty: bool = False) -> tuple[int, str, str]:
    cwd = DATA / tree if isinstance(tree, str) else tree
    code, out, err = run(["inspect", *args, "."], cwd, tty=tty)
    return code, _normalised(out), err


def schema() -> dict:
    code, out, _ = run(["inspect", "--schema"], DATA)
    assert code == 0
    return json.loads(out)


def _golden(name: str, got: str) -> str:
    path = GOLDEN / name
    assert path.is_file(), f"no golden {path}: {regen.stale_message('inspect')}"
    return path.read_text(encoding="utf-8")


# -- golden output ----------------------------------------------------------------------------------


@pytest.mark.parametrize("tree", TREES)
def test_json_golden(tree: str) -> None:
    code, out, err = inspect(tree, "--format", "json")
    assert (code, err) == (0, "")
    assert out == _golden(f"{tree}.json", out), regen.stale_message("inspect")
    assert regen.inspect_output(ROOT, tree, "json") == (code, out)  # the script makes what is tested


@pytest.mark.parametrize("tree", TREES)
def test_text_golden(tree: str) -> None:
    code, out, err = inspect(tree, "--format", "text")
    assert (code, err) == (0, "")
    assert out == _golden(f"{tree}.txt", out), regen.stale_message("inspect")


def test_schema_is_a_json_schema_and_validates_every_golden() -> None:
    s = schema()
    jsonschema.Draft202012Validator.check_schema(s)
    validator = jsonschema.Draft202012Validator(s)
    for tree in TREES:
        doc = json.loads((GOLDEN / f"{tree}.json").read_text(encoding="utf-8"))
        errors = [e.message for e in validator.iter_errors(doc)]
        assert not errors, (tree, errors[:3])
    # and a document that breaks it is refused (the schema says something)
    assert list(validator.iter_errors({"compose_projects": [{"services": "web"}]}))


def test_schema_leaves_credential_values_out() -> None:
    stored = schema()["$defs"]["StoredCredential"]["properties"]
    assert "masked" in stored and "value" not in stored


# -- what the rules see -----------------------------------------------------------------------------


def test_compose_project_shows_where_each_winning_value_is_written() -> None:
    doc = json.loads(inspect("compose", "-f", "json")[1])
    projects = {p["path"]: p for p in doc["compose_projects"]}
    shop = projects["compose.yaml"]
    assert shop["files"] == ["compose.yaml", "common.yaml", "compose.override.yaml"]
    (web,) = shop["services"]
    assert web["name"]["value"] == "web"
    # override file
    assert web["privileged"]["value"] is True
    assert (web["privileged"]["span"]["path"], web["privileged"]["span"]["line"]) == ("compose.override.yaml", 3)
    # extends
    assert web["user"]["value"] == "1000:1000" and web["user"]["span"]["path"] == "common.yaml"
    # .env interpolation: as written, and as Compose reads it
    assert web["image"]["value"] == "registry.example.com/shop/web:${WEB_TAG:-latest}"
    assert web["image"]["expanded"] == "registry.example.com/shop/web:2.4.1"
    assert [p["host_port"]["value"] for p in web["ports"]] == ["8080", "9229"]
    # include: the included file's service is a project of its own, as lint judges it
    assert projects["db/compose.yaml"]["services"][0]["image"]["value"] == "postgres:16.3"


def test_daemon_merges_daemon_json_unit_dropin_and_socket() -> None:
    (daemon,) = json.loads(inspect("host", "-f", "json")[1])["daemons"]
    assert daemon["sources"] == [
        "etc/docker/daemon.json",
        "lib/systemd/system/docker.service",
        "etc/systemd/system/docker.service.d/override.conf",
        "etc/default/docker",
        "lib/systemd/system/docker.socket",
    ]
    by_key = {(s["key"], s["origin"]): s for s in daemon["settings"]}
    assert by_key[("icc", "file")]["span"] == {
        "path": "etc/docker/daemon.json",
        "line": 2,
        "col": 3,
        "end_line": 2,
        "end_col": 8,
    }
    # the drop-in's ExecStart replaces the unit's (and with it $DOCKER_OPTS)
    assert daemon["exec_start"]["span"]["path"] == "etc/systemd/system/docker.service.d/override.conf"
    assert ("userland-proxy", "flag") not in by_key
    tcp = [x for x in daemon["listeners"] if x["scheme"] == "tcp"]
    assert [(x["host"], x["port"], x["origin"]) for x in tcp] == [("0.0.0.0", 2376, "flag")]
    assert [s["name"] for s in daemon["sockets"]] == ["docker.socket"]


def test_dockerfile_stages_and_final_user() -> None:
    (df,) = json.loads(inspect("dockerfile", "-f", "json")[1])["dockerfiles"]
    stages = df["stages"]
    assert [(s["name"]["value"], s["resolved_image"], s["parent"]) for s in stages] == [
        ("build", "golang:1.22", None),
        ("test", "build", 0),
        ("final", "gcr.io/distroless/static-debian12:nonroot", None),
    ]
    assert stages[0]["user"] is None and stages[1]["user"]["value"] == "tester"
    assert stages[2]["platform"] == "linux/amd64"
    assert df["final_user"]["value"] == "65532:65532"
    assert (df["final_user"]["span"]["line"], df["final_user"]["span"]["col"]) == (15, 6)
    assert df["final_user_from"] == "USER in stage 2 ('final')"


def test_final_user_from_the_base_image(tmp_path: Path) -> None:
    (df,) = json.loads(
        run(
            ["inspect", "-f", "json", "Dockerfile"],
            _tree_with({"Dockerfile": "FROM debian:12 AS base\nFROM base\nRUN true\n"}, tmp_path),
        )[1]
    )["dockerfiles"]
    assert df["final_user"] is None
    assert df["final_user_from"] == "the base image 'debian:12' (no USER)"


def test_command_lines_and_dev_containers_give_their_containers() -> None:
    doc = json.loads(inspect("script", "-f", "json")[1])
    run_line = next(c for c in doc["containers"] if c["source"] == "script")
    assert [c["value"] for c in run_line["cap_add"]] == ["NET_ADMIN"]
    assert run_line["image"]["span"] == {"path": "deploy.sh", "line": 10, "col": 3, "end_line": 10, "end_col": 15}
    assert doc["builds"][0]["dockerfiles"] == ["api.Dockerfile"]
    # the Dockerfile a build line names is read, as lint reads it
    assert [d["path"] for d in doc["dockerfiles"]] == ["api.Dockerfile"]
    assert doc["client_environments"][0]["scope"] == "job 'smoke'"

    (dev,) = json.loads(inspect("devcontainer", "-f", "json")[1])["containers"]
    assert dev["source"] == "devcontainer"
    assert dev["privileged"] is None  # commented out
    assert [m["source"]["value"] for m in dev["volumes"]] == ["/var/run/docker.sock"]
    assert [(p["host_ip"]["value"], p["host_port"]["value"]) for p in dev["ports"]] == [("127.0.0.1", "3000")]


def test_client_contexts_and_configurations() -> None:
    doc = json.loads(inspect("client", "-f", "json")[1])
    (ctx,) = doc["client_contexts"]
    assert ctx["name"]["value"] == "prod" and ctx["skip_tls_verify"]["value"] is True
    assert ctx["tls_dir"] == ""  # no absolute path of the machine that ran the scan
    (cfg,) = doc["client_configs"]
    assert [(c["registry"]["value"], c["field"], c["user"]) for c in cfg["credentials"]] == [
        ("registry.example.com", "auth", "deploy"),
        ("https://index.docker.io/v1/", "identitytoken", ""),
    ]


# -- credentials ------------------------------------------------------------------------------------


@pytest.mark.parametrize("tree", TREES)
def test_no_credential_appears_in_any_output(tree: str) -> None:
    outputs = [inspect(tree, "-f", fmt, tty=tty) for fmt in ("json", "text") for tty in (False, True)]
    outputs.append(inspect(tree))
    for code, out, err in outputs:
        assert code == 0
        for secret in SECRETS[tree]:
            assert secret not in out and secret not in err, (tree, secret)
            assert json.dumps(secret)[1:-1] not in out
    # the masks are there, as findings show them
    assert "********" in outputs[0][1]


def test_variables_that_are_references_are_not_masked() -> None:
    doc = json.loads(inspect("compose", "-f", "json")[1])
    web = next(p for p in doc["compose_projects"] if p["path"] == "compose.yaml")["services"][0]
    token = next(e for e in web["environment"] if e["name"]["value"] == "API_TOKEN")
    assert token["value"]["value"] == "${API_TOKEN}"  # as written: no credential
    assert token["value"]["expanded"] == "9f********"  # interpolated from .env: masked
    level = next(e for e in web["environment"] if e["name"]["value"] == "LOG_LEVEL")
    assert level["value"]["value"] == "info"


def test_mask_text() -> None:
    from dockerlint.cli.inspect import mask_text

    assert mask_text("run -e DB_PASSWORD=hunter2isme x") == "run -e DB_PASSWORD=hu******** x"
    assert mask_text("serve --db-password=hunter2isme") == "serve --db-password=hu********"
    assert mask_text("x" * 300 + "_PASSWORD=hunter2isme") == "x" * 300 + "_PASSWORD=hu********"
    assert mask_text("A=B=C SECRET=ab1=cd2") == "A=B=C SECRET=***=cd2"
    assert mask_text("DB_PASSWORD=${DB_PASSWORD} MODE=prod") == "DB_PASSWORD=${DB_PASSWORD} MODE=prod"
    assert mask_text("redis://:s3cretpass@cache:6379") == "redis://:********@cache:6379"
    assert mask_text("https://$USER:$PASS@host/") == "https://$USER:$PASS@host/"
    assert mask_text("token ghp_abcdefghijklmnopqrstuvwxyz0123456789 ok") == "token ghp_******** ok"
    assert mask_text("value Zq81-secret here", ["Zq81-secret"]) == "value Zq******** here"


@pytest.mark.parametrize("piece", ["a", "a=", "A_PASSWORD=", "-", "://", "x:y@", "ghp_", "AKIA", "$", "=x "])
def test_masking_is_linear_in_the_length_of_a_value(piece: str) -> None:
    """A value of a scanned file may be 10 MB long: masking it costs time in proportion."""
    import time

    from dockerlint.cli.inspect import mask_text

    def cost(n: int) -> float:
        text = piece * (n // len(piece))
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            mask_text(text, ["Zq81-secret"])
            best = min(best, time.process_time() - start)
        return best

    small, large = cost(20_000), cost(160_000)
    assert large < 20 * max(small, 2e-3), (piece, small, large)  # 64 times when quadratic


# -- discovery is lint's ----------------------------------------------------------------------------


def _tree_with(files: dict[str, str | bytes], root: Path) -> Path:
    repo(root)
    write_tree(root, files)
    return root


def test_excludes_kind_and_compose_file_work_as_for_lint(tmp_path: Path) -> None:
    root = _tree_with(
        {
            "a/Dockerfile": "FROM alpine:3.20\n",
            "b/Dockerfile": "FROM debian:12\n",
            ".dockerlint.toml": 'exclude = ["b/**"]\n',
            "tools/run-me": "docker run --privileged x:1\n",
            "deploy/stack.txt": "services:\n  api:\n    image: api:1\n",
        },
        tmp_path,
    )
    doc = json.loads(run(["inspect", "-f", "json", "."], root)[1])
    assert [d["path"] for d in doc["dockerfiles"]] == ["a/Dockerfile"]
    assert doc["containers"] == [] and doc["compose_projects"] == []
    doc = json.loads(run(["inspect", "-f", "json", "--exclude", "a/", "."], root)[1])
    assert doc["dockerfiles"] == []
    doc = json.loads(run(["inspect", "-f", "json", "--kind", "script", "tools/run-me"], root)[1])
    assert doc["containers"][0]["privileged"]["value"] is True
    doc = json.loads(run(["inspect", "-f", "json", "--compose-file", "deploy/stack.txt"], root)[1])
    assert [p["services"][0]["name"]["value"] for p in doc["compose_projects"]] == ["api"]


def test_default_format_is_text_on_a_terminal_and_json_otherwise() -> None:
    _, piped, _ = inspect("dockerfile")
    _, tty, _ = inspect("dockerfile", tty=True)
    assert json.loads(piped)["dockerfiles"]
    assert tty.startswith("Dockerfile Dockerfile:1:1\n")


def test_output_file(tmp_path: Path) -> None:
    root = _tree_with({"Dockerfile": "FROM alpine:3.20\nUSER app\n"}, tmp_path / "r")
    out = tmp_path / "inspect.json"
    code, stdout, _ = run(["inspect", "-o", str(out), "."], root)
    assert (code, stdout) == (0, "")
    assert json.loads(out.read_text(encoding="utf-8"))["dockerfiles"][0]["final_user"]["value"] == "app"


# -- bad and hostile input --------------------------------------------------------------------------


def test_unparseable_files_are_errors_with_their_position_and_the_run_goes_on(tmp_path: Path) -> None:
    root = _tree_with(
        {
            "compose.yaml": "services:\n  web: [\n",
            "Dockerfile": "FROM alpine:3.20\n",
            ".devcontainer/devcontainer.json": '{"image": "x:1",\n  "runArgs": [}\n',
        },
        tmp_path,
    )
    for fmt in ("json", "text"):
        code, _out, err = run(["inspect", "-f", fmt, "."], root)
        assert code == 2
        assert "compose.yaml:" in err and "DC000" in err and ".devcontainer/devcontainer.json:2:" in err
        assert "Traceback" not in err
    doc = json.loads(run(["inspect", "-f", "json", "."], root)[1])
    assert [d["path"] for d in doc["dockerfiles"]] == ["Dockerfile"]
    errors = {(e["path"], e["rule"]) for e in doc["errors"]}
    assert errors == {("compose.yaml", "DC000"), (".devcontainer/devcontainer.json", "DC000")}
    assert all(e["line"] >= 1 and e["col"] >= 1 for e in doc["errors"])
    assert "Errors\n  " in run(["inspect", "-f", "text", "."], root)[1]


def test_missing_path_and_usage_errors_exit_2(tmp_path: Path) -> None:
    root = _tree_with({"Dockerfile": "FROM alpine:3.20\n"}, tmp_path)
    assert run(["inspect", "nope"], root)[0] == 2
    assert run(["inspect", "--format", "sarif", "."], root)[0] == 2
    assert run(["inspect", "-"], root)[0] == 2


def test_control_characters_are_never_printed_raw(tmp_path: Path) -> None:
    evil = "\x1b]0;pwned\x07\u202e\r\n::error::forged"
    root = _tree_with(
        {
            "compose.yaml": "services:\n  web:\n    image: " + json.dumps("nginx:1" + evil) + "\n"
            "    user: " + json.dumps(evil) + "\n",
            "Dockerfile": 'FROM alpine:3.20\nUSER "a\x1b[31mb"\n',
        },
        tmp_path,
    )
    for fmt in ("json", "text"):
        code, out, err = run(["inspect", "-f", fmt, "."], root)
        assert code == 0, err
        for raw in ("\x1b", "\x07", "\u202e", "\r"):
            assert raw not in out and raw not in err
        assert not any(line.lstrip().startswith("::") for line in out.splitlines())
    assert "\\x1b" in run(["inspect", "-f", "text", "."], root)[1]


def test_links_out_of_the_tree_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Dockerfile").write_text("FROM secret-base:1\nUSER leaked-user\n", encoding="utf-8")
    (outside / "base.yaml").write_text("services:\n  base:\n    image: leaked-image:1\n", encoding="utf-8")
    root = _tree_with(
        {"compose.yaml": "services:\n  web:\n    extends:\n      file: ../outside/base.yaml\n      service: base\n"},
        tmp_path / "repo",
    )
    (root / "Dockerfile").symlink_to(outside / "Dockerfile")
    for fmt in ("json", "text"):
        _, out, err = run(["inspect", "-f", fmt, "."], root)
        assert "leaked" not in out and "secret-base" not in out
        assert "leaked" not in err
        # said, as a lint run says it
        assert "compose.yaml:4:13: the extended file '../outside/base.yaml' is outside the scanned folders" in err


def test_limits_hold(tmp_path: Path) -> None:
    deep = "services:\n  web:\n    image: x:1\n    labels:\n      a: " + "[" * 300 + "]" * 300 + "\n"
    root = _tree_with({"compose.yaml": deep, "big/Dockerfile": "FROM alpine:3.20\n" + "# x\n" * 4000}, tmp_path)
    code, out, _err = run(["inspect", "-f", "json", "--max-file-size", "1000", "."], root)
    assert code == 2
    doc = json.loads(out)
    assert {e["path"] for e in doc["errors"]} == {"compose.yaml", "big/Dockerfile"}
    assert doc["compose_projects"] == [] and doc["dockerfiles"] == []


# -- start-up ---------------------------------------------------------------------------------------


def test_a_lint_run_imports_nothing_of_inspect(tmp_path: Path) -> None:
    root = _tree_with(
        {"Dockerfile": "FROM alpine:3.20\n", "compose.yaml": "services:\n  a:\n    image: a:1\n"}, tmp_path
    )
    code = (
        "import sys, json\nfrom dockerlint.cli import main\nmain(['-q', '.'])\nprint(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120, check=False
    )
    modules = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert not modules & {"dockerlint.cli.inspect", "dockerlint.models.schema", "dockerlint.reporters.inspect_text"}
