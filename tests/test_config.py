"""Configuration files, environment and command line, through ``main(argv)`` on real trees."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cli_helpers import repo, run
from dockerlint.config import files as cfgfiles
from dockerlint.config import layers as cfglayers
from dockerlint.config import model as cfgmodel
from dockerlint.rules.container import dc122
from dockerlint.rules.image import df101
from helpers import registry, write_tree

ROOT_DOCKERFILE = 'FROM debian:12\nCMD ["app"]\n'  # no USER: DF101
ROOT_COMPOSE = "services:\n  web:\n    image: nginx:1.27\n    user: root\n"  # DC105
README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- config-reference:start -->\n", "<!-- config-reference:end -->"


def ids(out: str) -> list[str]:
    return [f["rule_id"] for f in json.loads(out)["findings"]]


def test_pyproject_two_levels_up_configures_a_file_in_a_subfolder(tmp_path):
    root = repo(tmp_path / "project")
    write_tree(
        root,
        {
            "pyproject.toml": """
            [project]
            name = "app"

            [tool.dockerlint]
            ignore = ["DF101"]
            fail-on = "critical"

            [tool.dockerlint.severity]
            DC105 = "high"
            """,
            "services/api/Dockerfile": ROOT_DOCKERFILE,
            "services/api/compose.yaml": ROOT_COMPOSE,
        },
    )
    sub = root / "services" / "api"
    code, out, err = run(["--format", "json", "--select", "DF101,DC105", "."], sub)
    # the command line's select restarts the selection: DF101 is back, DC105 is high
    assert sorted(ids(out)) == ["DC105", "DF101"], err
    doc = json.loads(out)
    assert {f["rule_id"]: f["severity"] for f in doc["findings"]}["DC105"] == "high"
    assert code == 0  # fail-on = critical from the file
    code, out, _ = run(["--format", "json", "Dockerfile", "compose.yaml"], sub)
    assert "DF101" not in ids(out) and "DC105" in ids(out) and code == 0
    code, _, _ = run(["--fail-on", "high", "compose.yaml"], sub)
    assert code == 1


def test_closest_configuration_wins_and_the_search_stops_at_the_repository_root(tmp_path):
    write_tree(tmp_path, {".dockerlint.toml": 'ignore = ["DC105"]\n'})  # above the repository: never read
    root = repo(tmp_path / "repo")
    write_tree(
        root,
        {
            ".dockerlint.toml": 'ignore = ["DF101"]\n',
            "a/Dockerfile": ROOT_DOCKERFILE,
            "b/.dockerlint.yaml": "select: [DF101]\n",
            "b/Dockerfile": ROOT_DOCKERFILE,
            "b/compose.yaml": ROOT_COMPOSE,
            "c/pyproject.toml": "[project]\nname = 'c'\n",  # no [tool.dockerlint]: the search goes on
            "c/Dockerfile": ROOT_DOCKERFILE,
            "compose.yaml": ROOT_COMPOSE,
        },
    )
    _, out, _ = run(["--format", "json", "."], root)
    got = sorted((f["path"], f["rule_id"]) for f in json.loads(out)["findings"] if f["rule_id"] in ("DF101", "DC105"))
    assert got == [("b/Dockerfile", "DF101"), ("compose.yaml", "DC105")]


def test_isolated_and_explicit_config(tmp_path):
    root = repo(tmp_path)
    write_tree(
        root,
        {
            ".dockerlint.toml": 'ignore = ["DF101"]\n',
            "Dockerfile": ROOT_DOCKERFILE,
            "ci/strict.toml": 'select = ["DF101"]\nper-file-ignores = {"other/*" = ["DF"]}\n',
            "other/Dockerfile": ROOT_DOCKERFILE,
        },
    )
    assert "DF101" not in ids(run(["-f", "json", "."], root)[1])
    assert "DF101" in ids(run(["-f", "json", "--isolated", "."], root)[1])
    # --config: one file for everything; its globs are relative to the working directory
    out = run(["-f", "json", "--config", "ci/strict.toml", "."], root)[1]
    assert [(f["path"], f["rule_id"]) for f in json.loads(out)["findings"]] == [("Dockerfile", "DF101")]
    out = run(["-f", "json", "."], root, env={"DOCKERLINT_CONFIG": "ci/strict.toml"})[1]
    assert ids(out) == ["DF101"]
    code, _, err = run(["--config", "missing.toml", "."], root)
    assert code == 2 and "missing.toml" in err and "cannot read" in err


def test_precedence_defaults_file_environment_command_line(tmp_path):
    root = repo(tmp_path)
    write_tree(root, {".dockerlint.toml": 'ignore = ["DF101"]\nfail-on = "never"\n', "Dockerfile": ROOT_DOCKERFILE})
    assert run([], root)[0] == 0  # file: DF101 off
    env = {"DOCKERLINT_SELECT": "DF101"}
    code, out, _ = run(["-f", "json"], root, env=env)
    assert ids(out) == ["DF101"] and code == 0  # environment selects it again; fail-on never from the file
    assert run([], root, env={**env, "DOCKERLINT_FAIL_ON": "info"})[0] == 1
    assert run(["--fail-on", "never"], root, env={**env, "DOCKERLINT_FAIL_ON": "info"})[0] == 0
    assert ids(run(["-f", "json", "--ignore", "DF"], root, env=env)[1]) == []  # command line wins
    code, out, _ = run([], root, env={**env, "DOCKERLINT_FORMAT": "json"})
    assert json.loads(out)["version"] == 1
    code, _, err = run([], root, env={"DOCKERLINT_FAIL_ON": "severe"})
    assert code == 2 and "DOCKERLINT_FAIL_ON" in err
    code, _, err = run([], root, env={"DOCKERLINT_IGNORE": "DF1O1"})
    assert code == 2 and "DOCKERLINT_IGNORE" in err and "did you mean DF101" in err


@pytest.mark.parametrize(
    ("name", "text", "line", "words"),
    [
        (
            "pyproject.toml",
            "[project]\nname = 'x'\n\n[tool.dockerlint]\nselct = ['DF']\n",
            5,
            ["unknown key 'selct'", "did you mean 'select'"],
        ),
        (".dockerlint.toml", "select = ['DF']\nfail-on = 'hihg'\n", 2, ["fail-on", "'hihg'"]),
        (".dockerlint.toml", "ignore = 'DF101'\n", 1, ["ignore", "valid list"]),
        (".dockerlint.toml", "allow-inline-ignores = 'no'\n", 1, ["allow-inline-ignores", "boolean"]),
        (
            ".dockerlint.toml",
            "# overrides\n[severity]\nDC1O5 = 'high'\n",
            3,
            ["no rule id 'DC1O5'", "did you mean 'DC105'"],
        ),
        (".dockerlint.toml", "[per-file-ignores]\n'ci/*' = ['DX']\n", 2, ["no rule id or prefix 'DX'"]),
        (
            ".dockerlint.toml",
            "[rules.DF101]\nnonroot-base-images = 'distroless'\n",
            2,
            ["rules.DF101.nonroot_base_images", "valid list"],
        ),
        (".dockerlint.toml", "[rules.DF101]\n\nnonroot-images = []\n", 3, ["did you mean 'nonroot_base_images'"]),
        # rule options, one per kind of mistake (the options are dataclasses validated by pydantic here)
        (
            ".dockerlint.toml",
            "[rules.DF101]\nnonroot_base_images = ['ok', 3]\n",
            2,
            ["rules.DF101.nonroot_base_images.1: Input should be a valid string"],
        ),
        (
            ".dockerlint.toml",
            "[rules.DC122]\nnonroot_base_images = {a = 1}\n",
            2,
            ["rules.DC122.nonroot_base_images: Input should be a valid list"],
        ),
        (
            ".dockerlint.toml",
            "[rules.DC122]\nnonroot_base_images = []\nbogus = 'x'\n",
            3,
            ["unknown key 'rules.DC122.bogus'; valid keys: nonroot_base_images"],
        ),
        (
            ".dockerlint.toml",
            "[rules.DF101]\nzzz = 1\nnonroot_base_images = 5\n",
            3,  # a bad value before a bad key
            ["rules.DF101.nonroot_base_images: Input should be a valid list"],
        ),
        (".dockerlint.toml", "[rules]\nDF101 = 5\n", 2, ["rules.DF101: Input should be a valid dictionary"]),
        (".dockerlint.toml", "[rules.DC101]\nx = 1\n", 1, ["DC101 has no options"]),
        (".dockerlint.toml", "select = ['DF'\nignore = []\n", 2, ["invalid TOML"]),
        (".dockerlint.yaml", "select: [DF]\nseverity:\n  DC105: hgh\n", 3, ["severity.DC105", "'hgh'"]),
        (".dockerlint.yaml", "select: [DF\n", 2, ["invalid YAML"]),
        (".dockerlint.yml", "- DF101\n", 1, ["must be a mapping"]),
    ],
)
def test_malformed_configuration_exits_2_with_file_and_line(tmp_path, name, text, line, words):
    root = repo(tmp_path)
    write_tree(root, {name: text, "sub/Dockerfile": ROOT_DOCKERFILE})
    code, out, err = run(["sub"], root)
    assert code == 2 and out == ""
    assert f"{name}:{line}: " in err, err
    for w in words:
        assert w in err, err


def test_two_configurations_in_one_folder_is_an_error(tmp_path):
    root = repo(tmp_path)
    write_tree(root, {".dockerlint.toml": "", "pyproject.toml": "[tool.dockerlint]\n", "Dockerfile": ROOT_DOCKERFILE})
    code, _, err = run(["."], root)
    assert code == 2 and "several dockerlint configurations" in err


def test_rule_options_reach_the_rule_validated(tmp_path):
    root = repo(tmp_path)
    write_tree(
        root,
        {
            ".dockerlint.toml": '[rules.DF101]\nnonroot-base-images = ["debian:*"]\n',
            "Dockerfile": ROOT_DOCKERFILE,
            "x/.dockerlint.toml": "",
            "x/Dockerfile": ROOT_DOCKERFILE,
        },
    )
    out = run(["-f", "json", "--select", "DF101", "."], root)[1]
    assert [f["path"] for f in json.loads(out)["findings"]] == ["x/Dockerfile"]  # x has its own (default) config
    fc = cfgfiles.load_file(str(root / ".dockerlint.toml"), registry())
    assert fc is not None
    opts = fc.rule_options["DF101"]
    assert type(opts) is df101.Options and opts.nonroot_base_images == ["debian:*"]


def test_rule_options_are_dataclasses_and_their_defaults_are_the_fields():
    """The built-in options classes are plain slotted dataclasses (no pydantic to import them);
    the engine's defaults are built from their fields, and equal what an empty ``[rules.ID]``
    table validates to."""
    import dataclasses

    from dockerlint.api import RuleContext, options_of
    from dockerlint.core.checking import default_options
    from dockerlint.rules.common.builds import NONROOT_BASE_IMAGES

    for cls in (df101.Options, dc122.Options):
        assert dataclasses.is_dataclass(cls) and not hasattr(cls(), "__dict__") and "model_validate" not in dir(cls)
        assert default_options(cls) == cls() == cfgfiles.validate_options(cls, {}, "x.toml", {}, ("rules", "X"))
        assert default_options(cls).nonroot_base_images == list(NONROOT_BASE_IMAGES)
        assert options_of(RuleContext(scan=None, options=None), cls) == cls()
        given = options_of(RuleContext(scan=None, options={"nonroot_base_images": ["a/*"]}), cls)
        assert type(given) is cls and given.nonroot_base_images == ["a/*"]
        with pytest.raises(TypeError):
            options_of(RuleContext(scan=None, options={"nonroot_images": []}), cls)

    @dataclasses.dataclass
    class Required:
        threshold: int

    assert default_options(Required) is None  # a field without a default: no default options


def test_a_plugins_pydantic_options_model_still_works():
    """Plugins written for 0.1 declare pydantic models: defaults without building the validator,
    validation by the model's own rules (``extra="forbid"``), errors as clear as the built-ins'."""
    from pydantic import BaseModel, ConfigDict

    from dockerlint.api import RuleContext, options_of
    from dockerlint.core.checking import default_options

    class AcmeOptions(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True)
        limit: int = 3

    assert default_options(AcmeOptions) == AcmeOptions()
    assert options_of(RuleContext(scan=None, options={"limit": 5}), AcmeOptions).limit == 5
    lines = {("rules", "ACME001"): 4, ("rules", "ACME001", "limit"): 5, ("rules", "ACME001", "limt"): 6}
    assert cfgfiles.validate_options(AcmeOptions, {"limit": 7}, "c.toml", lines, ("rules", "ACME001")).limit == 7
    bad_value = r"c\.toml:5: rules\.ACME001\.limit: Input should be a valid integer"
    with pytest.raises(cfgfiles.ConfigError, match=bad_value):
        cfgfiles.validate_options(AcmeOptions, {"limit": "many"}, "c.toml", lines, ("rules", "ACME001"))
    with pytest.raises(cfgfiles.ConfigError, match=r"c\.toml:6: unknown key 'rules\.ACME001\.limt' \(did you mean"):
        cfgfiles.validate_options(AcmeOptions, {"limt": 1}, "c.toml", lines, ("rules", "ACME001"))

    class Opaque:  # neither a dataclass nor a pydantic model: pydantic cannot validate it
        def __init__(self, limit: object) -> None:
            self.limit = limit

    with pytest.raises(
        cfgfiles.ConfigError,
        match=r"c\.toml:4: rules\.ACME001: the rule's options class "
        r"test_config\.Opaque cannot be validated \(PydanticSchemaGenerationError\): it must be a "
        r"dataclass or a pydantic model$",
    ):
        cfgfiles.validate_options(Opaque, {"limit": 1}, "c.toml", lines, ("rules", "ACME001"))


# Records which modules execute an import of pydantic (any ``import``/``from`` statement, also
# of a module imported already, also inside functions), then runs the case, then prints them.
_TRACK = """
import builtins, json, sys
importers = set()
_real = builtins.__import__
def _tracking(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0 and name.split(".")[0] in ("pydantic", "pydantic_core"):
        who = (globals or {}).get("__name__", "?")
        if who.split(".")[0] not in ("pydantic", "pydantic_core"):
            importers.add(who)
    return _real(name, globals, locals, fromlist, level)
builtins.__import__ = _tracking
"""
_REPORT = """
print(json.dumps({"importers": sorted(importers), "pydantic": "pydantic" in sys.modules,
                  "config_model": "dockerlint.config.model" in sys.modules,
                  "options": sorted(m.rsplit(".", 1)[1] for m in sys.modules if m.endswith((".df101", ".dc122")))}))
"""
_CASES = {
    "one Dockerfile": "from dockerlint.cli import main\nmain(['-q', 'Dockerfile'])\n",
    "Compose with a build (DC122)": "from dockerlint.cli import main\nmain(['-q', '--select', 'DF101,DC122', '.'])\n",
    "the configuration and rule API modules, the options of DF101 and DC122": (
        "import dockerlint.config, dockerlint.config.files, dockerlint.config.layers, dockerlint.config.settings\n"
        "import dockerlint.api, dockerlint.registry\n"
        "from dockerlint.api import RuleContext, options_of\n"
        "from dockerlint.core.checking import default_options\n"
        "from dockerlint.rules.image import df101\nfrom dockerlint.rules.container import dc122\n"
        "for cls in (df101.Options, dc122.Options):\n"
        "    assert options_of(RuleContext(scan=None, options=default_options(cls)), cls) == cls()\n"
        "    options_of(RuleContext(scan=None, options={'nonroot_base_images': []}), cls)\n"
    ),
}


def _pydantic_importers(cwd: Path, case: str) -> dict[str, Any]:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", _TRACK + case + _REPORT],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    got: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return got


@pytest.mark.parametrize("case", list(_CASES))
def test_pydantic_is_imported_only_by_the_models_without_a_configuration(tmp_path, case):
    """Without a configuration file, nothing but the models (``dockerlint.models``, pydantic until
    issue 13 WP2.2 makes them dataclasses) imports pydantic: not the configuration, not the rule
    API, not the rule options. Once the models no longer do, pydantic is not imported at all."""
    root = repo(tmp_path / "p")
    write_tree(root, {"Dockerfile": ROOT_DOCKERFILE, "compose.yaml": "services:\n  web:\n    build: .\n"})
    got = _pydantic_importers(root, _CASES[case])
    assert got["options"] == (["df101"] if case == "one Dockerfile" else ["dc122", "df101"])  # the rules ran
    others = [m for m in got["importers"] if not m.startswith("dockerlint.models.")]
    assert others == [], f"pydantic imported by {others}"
    assert not got["config_model"]
    if not got["importers"]:
        assert not got["pydantic"], "pydantic imported, but by none of the import statements seen"


def test_a_configuration_that_sets_rule_options_imports_pydantic_to_validate_them(tmp_path):
    """The counterpart (and a check that the importers above are seen): a configuration file is
    validated with pydantic, its rule options through a TypeAdapter in config.files."""
    root = repo(tmp_path / "p")
    write_tree(root, {"Dockerfile": ROOT_DOCKERFILE, ".dockerlint.toml": "[rules.DF101]\nnonroot-base-images = []\n"})
    got = _pydantic_importers(root, _CASES["one Dockerfile"])
    assert {"dockerlint.config.files", "dockerlint.config.model"} <= set(got["importers"])
    assert got["pydantic"] and got["config_model"]


def test_per_file_ignores_and_exclude(tmp_path):
    root = repo(tmp_path)
    write_tree(
        root,
        {
            ".dockerlint.toml": """
            exclude = ["vendor/", "*.generated.Dockerfile"]
            [per-file-ignores]
            "ci/*" = ["DF1"]
            "daemon.json" = ["DD"]
            """,
            "ci/Dockerfile": ROOT_DOCKERFILE,
            "app/Dockerfile": ROOT_DOCKERFILE,
            "vendor/x/Dockerfile": ROOT_DOCKERFILE,
            "a.generated.Dockerfile": ROOT_DOCKERFILE,
            "etc/docker/daemon.json": '{"hosts": ["tcp://0.0.0.0:2375"]}\n',
        },
    )
    out = run(["-f", "json", "--select", "DF101,DD101", "."], root)[1]
    assert sorted({f["path"] for f in json.loads(out)["findings"]}) == ["app/Dockerfile"]
    # exclude applies to files named on the command line too (the pre-commit hook passes names)
    out = run(["-f", "json", "--select", "DF101", "vendor/x/Dockerfile", "app/Dockerfile"], root)[1]
    assert [f["path"] for f in json.loads(out)["findings"]] == ["app/Dockerfile"]


def test_allow_inline_ignores_false_in_the_file(tmp_path):
    root = repo(tmp_path)
    dockerfile = "FROM debian:12\n# dockerlint: ignore[DF101] reviewed\nUSER root\n"
    write_tree(root, {"Dockerfile": dockerfile})
    assert ids(run(["-f", "json", "--select", "DF101"], root)[1]) == []
    (root / ".dockerlint.toml").write_text("allow-inline-ignores = false\n")
    assert ids(run(["-f", "json", "--select", "DF101"], root)[1]) == ["DF101"]


def test_toml_key_lines():
    text = (
        "# comment = 1\n"
        "[tool.dockerlint]\n"
        "select = [\n"
        "  'DF',  # fake = 2\n"
        "]\n"
        'tool.other = """\n'
        "not = a key\n"
        '"""\n'
        "severity = { DC105 = 'high', \"DD101\" = 'low' }\n"
        '[tool.dockerlint."per-file-ignores"]\n'
        "'ci/*' = ['DF']\n"
        "[tool.dockerlint.rules.DF101]\n"
        "nonroot-base-images = []\n"
    )
    lines = cfgfiles.toml_key_lines(text)
    assert lines[("tool", "dockerlint")] == 2
    assert lines[("tool", "dockerlint", "select")] == 3
    assert ("fake",) not in lines and ("tool", "dockerlint", "fake") not in lines
    assert ("tool", "dockerlint", "not") not in lines
    assert lines[("tool", "dockerlint", "severity", "DC105")] == 9
    assert lines[("tool", "dockerlint", "severity", "DD101")] == 9
    assert lines[("tool", "dockerlint", "per-file-ignores", "ci/*")] == 11
    assert lines[("tool", "dockerlint", "rules", "DF101", "nonroot-base-images")] == 13


def test_readme_configuration_reference_is_generated_from_the_model():
    text = README.read_text(encoding="utf-8")
    assert START in text and END in text, "README lacks the configuration reference markers"
    current = text.split(START, 1)[1].split(END, 1)[0]
    assert current == cfgmodel.reference_markdown(), (
        "README configuration reference is stale: run `python scripts/regenerate.py --only readme-config`"
    )
    for key in cfgmodel.Config.model_fields:
        alias = cfgmodel.Config.model_fields[key].alias or key
        assert f"| `{alias}` |" in current
    for env in cfglayers.ENVIRONMENT:
        assert f"`{env}`" in current


@pytest.mark.parametrize("config", [None, 'ignore = ["DF106"]\n'])
def test_the_configuration_model_is_imported_only_when_a_file_is_read(tmp_path, config):
    """config.model (pydantic's Config) is built for configuration files: a run without one
    does not import it, a run with one does (and the defaults are the model's)."""
    import subprocess
    import sys

    root = repo(tmp_path / "p")
    write_tree(root, {"Dockerfile": ROOT_DOCKERFILE, **({".dockerlint.toml": config} if config else {})})
    code = (
        "import sys\nfrom dockerlint.cli import main\nrc = main(['-q', 'Dockerfile'])\n"
        "print('dockerlint.config.model' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60, check=False
    )
    assert out.stdout.strip().splitlines()[-1] == str(config is not None), out.stderr
    assert "DF101" in out.stdout


def test_defaults_without_a_file_are_the_models(tmp_path):
    """The options of a run without a configuration file are those of an empty one (they are
    not read from the model there: that would import it)."""
    from dockerlint.config.settings import build_options
    from dockerlint.core.options import Options

    reg = registry()
    base = Options(max_file_size=1000)
    empty = cfgfiles.FileConfig(str(tmp_path / ".dockerlint.toml"), str(tmp_path), cfgmodel.Config())
    without, with_empty = (build_options(reg, fc, [], base, str(tmp_path)) for fc in (None, empty))
    for key in (
        "enabled",
        "fail_on",
        "require_reason",
        "allow_inline_ignores",
        "severity_overrides",
        "rule_options",
        "per_file_ignores",
        "base_dir",
        "max_file_size",
    ):
        assert getattr(without, key) == getattr(with_empty, key), key
    assert cfgmodel.Config.model_fields["require_reason"].default is cfglayers.REQUIRE_REASON
