"""The registry loads rules through entry points and fails loudly on bad plugins."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dockerlint.core.registry import PluginError, Registry, Severity, load_registry, rule
from dockerlint.models.image import ImageBuild


def _make_plugin(tmp_path: Path, dist: str, module_source: str, value: str) -> None:
    """Install a real (minimal) distribution with a ``dockerlint.rules`` entry point on sys.path."""
    mod_name = value.split(":")[0]
    (tmp_path / f"{mod_name}.py").write_text(textwrap.dedent(module_source), encoding="utf-8")
    info = tmp_path / f"{dist}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[dockerlint.rules]\nmain = {value}\n", encoding="utf-8")


@pytest.fixture
def plugin_path(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in list(sys.modules):
        if name.startswith("dlplugin_"):
            del sys.modules[name]


GOOD = """
    from dockerlint.core.registry import Hit, Severity, rule
    from dockerlint.models.image import ImageBuild

    @rule(id="ACME001", name="acme-no-from-scratch", reads=ImageBuild, severity=Severity.LOW,
          summary="Example plugin rule")
    def acme(build, ctx):
        for stage in build.stages:
            if stage.image.value == "scratch":
                yield Hit(stage.image.span, "scratch image")
"""


def test_builtins_are_registered_from_the_layout():
    registry = load_registry()
    for rid in ("DF000", "DC000", "DD000"):
        assert rid in registry
        assert registry.origin(rid) == "dockerlint"


def test_plugin_rule_is_loaded(plugin_path):
    _make_plugin(plugin_path, "dlplugin-good", GOOD, "dlplugin_good:acme")
    registry = load_registry()
    assert "ACME001" in registry
    assert "dlplugin-good" in registry.origin("ACME001")


def test_plugin_that_fails_to_import_names_the_culprit(plugin_path):
    _make_plugin(plugin_path, "dlplugin-broken", "raise RuntimeError('boom')\n", "dlplugin_broken:x")
    with pytest.raises(PluginError, match=r"dlplugin_broken.*RuntimeError: boom"):
        load_registry()


def test_plugin_may_not_use_a_reserved_prefix(plugin_path):
    _make_plugin(plugin_path, "dlplugin-reserved", GOOD.replace("ACME001", "DF999"), "dlplugin_reserved:acme")
    with pytest.raises(PluginError, match="reserved"):
        load_registry()


def test_duplicate_ids_fail(plugin_path):
    src = GOOD + GOOD.replace("def acme", "def acme2").replace("acme-no", "acme-dup")
    _make_plugin(plugin_path, "dlplugin-dup", src.replace("def acme2", "def acme2"), "dlplugin_dup")
    with pytest.raises(PluginError, match="duplicate rule id ACME001"):
        load_registry()


def test_plugin_giving_non_rules_fails(plugin_path):
    _make_plugin(plugin_path, "dlplugin-junk", "THINGS = [1, 2]\n", "dlplugin_junk:THINGS")
    with pytest.raises(PluginError, match="non-rule"):
        load_registry()


@pytest.mark.parametrize("bad_id", ["DF1", "df101", "D101", "DF1011", "DF-101"])
def test_malformed_ids_are_rejected(bad_id):
    r = rule(id=bad_id, name="x", reads=ImageBuild, severity=Severity.LOW, summary="x")(lambda m, c: iter(()))
    with pytest.raises(PluginError, match="not of the form"):
        Registry().add(r)


def test_invalid_name_is_rejected():
    r = rule(id="DF998", name="Bad Name", reads=ImageBuild, severity=Severity.LOW, summary="x")(lambda m, c: iter(()))
    with pytest.raises(PluginError, match="invalid name"):
        Registry().add(r)


def test_severity_parse_and_order():
    assert Severity.parse(" HIGH ") is Severity.HIGH
    assert Severity.CRITICAL.rank > Severity.HIGH.rank > Severity.MEDIUM.rank > Severity.LOW.rank > Severity.INFO.rank
    with pytest.raises(ValueError, match="unknown severity"):
        Severity.parse("severe")


# -- built-in rules: the index is the layout --------------------------------------------

RULES_DIR = Path(__file__).parents[1] / "src" / "dockerlint" / "rules"


def test_the_index_is_the_folder_listing_and_imports_nothing():
    """rules/<kind>/<id>.py is on by default, rules/<kind>/optional/<id>.py off; helpers,
    ``common`` and other names are not rules. Listing imports no rule module."""
    from dockerlint.core.registry import builtin_index

    files = sorted(p for p in RULES_DIR.glob("*/**/*.py") if re.fullmatch(r"[a-z]{2}\d{3}\.py", p.name))
    index = builtin_index()
    assert sorted(index) == sorted(p.stem.upper() for p in files) and len(index) > 90
    for p in files:
        placed = index[p.stem.upper()]
        assert placed.default == (p.parent.name != "optional")
        assert placed.kind == (p.parent.parent.name if p.parent.name == "optional" else p.parent.name)
        assert placed.module == "dockerlint." + ".".join(p.relative_to(RULES_DIR.parent).with_suffix("").parts)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import sys; from dockerlint.core.registry import Registry; "
                "r = Registry.builtin(); assert 'DF101' in r and not r.default('DF201'); "
                "print(sorted(m for m in sys.modules if m.startswith('dockerlint.rules')))"
            ),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert out.stdout.strip() == "[]"


def test_the_index_skips_what_is_not_a_rule_module(tmp_path):
    from dockerlint.core.registry import builtin_index

    for rel in (
        "image/df990.py",
        "image/optional/df991.py",
        "image/_helper.py",
        "image/DF992.py",
        "image/df9930.py",
        "common/dc994.py",
        "_private/dc995.py",
        "__pycache__/dc996.py",
        "container/dc997.txt",
        "container/optional/dc998.py",
        "container/sub/dc999.py",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("", encoding="utf-8")
    index = builtin_index(str(tmp_path))
    assert {k: (v.kind, v.default, v.module) for k, v in index.items()} == {
        "DF990": ("image", True, "dockerlint.rules.image.df990"),
        "DF991": ("image", False, "dockerlint.rules.image.optional.df991"),
        "DC998": ("container", False, "dockerlint.rules.container.optional.dc998"),
    }


def test_every_builtin_loads_and_matches_its_place():
    """Each module defines one rule, named after it, on by default unless under optional/,
    reading models of its folder's kind (and of the kinds its group's ALSO_READS names)."""
    from dockerlint.core.registry import Registry, builtin_index, kinds_read

    registry = Registry.builtin()
    also = {"DD101": {"container"}}  # rules/daemon/__init__.py
    for rid, placed in builtin_index().items():
        r = registry.get(rid)
        assert r is not None and r.id == rid
        assert registry.origin(rid) == "dockerlint"
        assert r.enabled_by_default == placed.default == registry.default(rid)
        assert kinds_read(r) == {placed.kind} | also.get(rid, set()), rid


def test_rules_for_a_kind_imports_only_that_group_and_the_rules_that_also_read_it():
    code = (
        "import sys, json\nfrom dockerlint.core.registry import Registry\nr = Registry.builtin()\n"
        "got = [x.id for x in r.rules_for('container', r.ids())]\n"
        "mods = sorted(m for m in sys.modules if m.startswith('dockerlint.rules.') and '._' not in m)\n"
        "print(json.dumps([got, mods]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    got, modules = json.loads(out.stdout)
    assert "DD101" in got and "DC101" in got and "DC119" in got
    assert not [x for x in got if x[:2] != "DC" and x != "DD101"]
    assert "dockerlint.rules.daemon.dd101" in modules
    assert not [
        m
        for m in modules
        if m.startswith(("dockerlint.rules.image.", "dockerlint.rules.client."))
        or (m.startswith("dockerlint.rules.daemon.") and m != "dockerlint.rules.daemon.dd101")
    ]


def test_only_the_enabled_rules_of_a_kind_are_imported():
    code = (
        "import sys\nfrom dockerlint.core.registry import Registry\nr = Registry.builtin()\n"
        "print([x.id for x in r.rules_for('image', {'DF101', 'DF201', 'DC101'})])\n"
        "print(sorted(m for m in sys.modules if m.startswith('dockerlint.rules.image.') and '._' not in m))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    ids, modules = out.stdout.splitlines()
    assert ids == "['DF101', 'DF201']"
    assert modules == (
        "['dockerlint.rules.image.df101', 'dockerlint.rules.image.optional', 'dockerlint.rules.image.optional.df201']"
    )


@pytest.mark.parametrize(
    ("placed", "message"),
    [
        (
            ("DF201", "image", True, "dockerlint.rules.image.optional.df201"),
            (
                r"enabled_by_default=False: move it to "
                r"rules/image/optional/"
            ),
        ),
        (("DF101", "image", False, "dockerlint.rules.image.df101"), r"move it out of rules/image/optional/"),
        (("DF102", "image", True, "dockerlint.rules.image.df101"), r"defines DF101.*rename it to df101\.py"),
        (
            ("DF101", "container", True, "dockerlint.rules.image.df101"),
            (
                r"reads models of kind\(s\) image, but its "
                r"place says container.*ALSO_READS.*\(here: image\)"
            ),
        ),
        (("DD101", "daemon", True, "dockerlint.rules.daemon.dd101"), None),
    ],
)
def test_a_rule_out_of_its_place_fails_loudly(placed, message):
    from dockerlint.core.registry import Placed

    reg = Registry()
    reg.add_placed([Placed(*placed)])
    if message is None:
        got = reg.get(placed[0])
        assert got is not None and got.id == placed[0]
        return
    with pytest.raises(PluginError, match=message):
        reg.get(placed[0])
    errors: list[str] = []  # where the engine runs it: an internal error, the other rules run
    assert reg.rules_for(placed[1], {placed[0]}, errors) == [] and len(errors) == 1


def test_a_module_defining_two_rules_fails_loudly(plugin_path):
    from dockerlint.core.registry import Placed

    src = GOOD + GOOD.replace("def acme", "def acme2").replace("ACME001", "ACME002")
    (plugin_path / "dlplugin_two.py").write_text(textwrap.dedent(src), encoding="utf-8")
    reg = Registry()
    reg.add_placed([Placed("ACME001", "image", True, "dlplugin_two")])
    with pytest.raises(PluginError, match="must define exactly one rule"):
        reg.get("ACME001")


def test_a_builtin_module_that_fails_to_import_names_it(plugin_path):
    from dockerlint.core.registry import Placed

    (plugin_path / "dlplugin_boom.py").write_text("raise RuntimeError('boom')\n", encoding="utf-8")
    reg = Registry()
    reg.add_placed([Placed("ACME001", "image", True, "dlplugin_boom")])
    with pytest.raises(PluginError, match=r"rule ACME001: importing dlplugin_boom failed: RuntimeError: boom"):
        reg.get("ACME001")


def test_a_plugin_with_the_builtins_installed_adds_only_its_rules(plugin_path):
    """With a plugin installed the entry points are read; an older dockerlint's own entry point
    (a stale ``builtin``) is skipped: the built-ins come from the layout."""
    _make_plugin(plugin_path, "dlplugin-good", GOOD, "dlplugin_good:acme")
    stale = plugin_path / "dockerlint-0.1.0.dist-info"
    stale.mkdir()
    (stale / "METADATA").write_text("Metadata-Version: 2.1\nName: dockerlint\nVersion: 0.1.0\n", encoding="utf-8")
    (stale / "entry_points.txt").write_text(
        "[dockerlint.rules]\nbuiltin = dockerlint.core.registry:builtin_rules\n", encoding="utf-8"
    )
    with_plugin = load_registry()
    assert [rid for rid in with_plugin.ids() if rid != "ACME001"] == Registry.builtin().ids()
    assert with_plugin.origin("DF101") == "dockerlint"
    assert "dlplugin-good" in with_plugin.origin("ACME001")
    assert [r.id for r in with_plugin.rules_for("image", {"ACME001", "DC101"})] == ["ACME001"]


def test_a_plugin_still_declaring_rule_stubs_is_told_they_were_removed(plugin_path):
    _make_plugin(
        plugin_path,
        "dlplugin-decl",
        """
        from dockerlint.registry import RuleStub

        def declare():
            return []
    """,
        "dlplugin_decl:declare",
    )
    with pytest.raises(PluginError, match=r"dlplugin_decl.*RuleStub.*removed in dockerlint 0\.2\.0"):
        load_registry()


def test_the_hadolint_map_is_built_from_the_rules_on_first_use():
    code = (
        "import sys\nfrom dockerlint.core.registry import Registry\nm = Registry.builtin().hadolint_map()\n"
        "before = 'dockerlint.rules.image.optional.df201' in sys.modules\n"
        "print(bool(m), before, m.get('DL3008'), m.get('DL3006'), m.get('DL3007'), m.get('DL9999'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.split() == ["True", "False", "['DF201']", "['DF106']", "['DF106']", "None"]


def test_one_dockerfile_imports_only_what_it_needs(tmp_path):
    """The pre-commit case: no Compose/daemon rule or parser, no entry-point metadata, no schema."""
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.19\nRUN apk add --no-cache curl\n", encoding="utf-8")
    code = (
        "import sys, json\nfrom dockerlint.cli import main\nrc = main(['-q', 'Dockerfile'])\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    modules = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "dockerlint.rules.image.df101" in modules  # the Dockerfile rules ran
    # Only the Dockerfile rules on by default: the other groups' (and optional/'s) packages hold
    # just their ALSO_READS declarations, and none of their rule modules is imported.
    unwanted = {
        m
        for m in modules
        if m.startswith(
            (
                "dockerlint.rules.container.",
                "dockerlint.rules.daemon.",
                "dockerlint.rules.client.",
                "dockerlint.rules.suppression.",
                "dockerlint.rules.image.optional",
            )
        )
    }
    unwanted |= modules & {
        "dockerlint.parsers.compose",
        "dockerlint.parsers.daemon_json",
        "dockerlint.parsers.systemd",
        "importlib.metadata",
        "jsonschema",
        "yaml",
        "dockerlint.reporters.sarif",
        "difflib",
        "logging",
        "csv",
        "multiprocessing",
        "dockerfile_parse",
        "pkgutil",
        "dockerlint.models.container",
        "dockerlint.models.daemon",
        "dockerlint.parsers.cmdline",
        "dockerlint.util.gitignore",
        "dockerlint.parsers.dotenv",
        "dockerlint.references",
        "dockerlint.cli.inspect",
        "dockerlint.models.schema",
        "dockerlint.reporters.inspect_text",
        # the language server's (dockerlint server): none of it for a lint
        "dockerlint.server",
        "pygls",
        "lsprotocol",
        "cattrs",
        "asyncio",
        "attrs",
        "dockerlint.parsers.jenkinsfile",
        "dockerlint.parsers.groovy",
        # the 0.1 laziness machinery, gone in 0.2.0 (issue 13 WP3.1)
        "dockerlint.core._manifest",
        "dockerlint.util.lazyre",
        # models are dataclasses and rule options validated only when configured (WP2.2, WP5.2)
        "pydantic",
        "pydantic_core",
        "dockerlint.config.model",
    }
    assert not unwanted
