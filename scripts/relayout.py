#!/usr/bin/env python3
"""Issue 13, work package 1.1: move dockerlint's modules to the layout of the plan (moves only).

    python scripts/relayout.py            # apply (idempotent: a second run changes nothing)
    python scripts/relayout.py --dry-run  # print what would move
    python scripts/relayout.py --check    # exit 1 if anything is left to move or rewrite (tests/test_relayout.py)

What it does, in this order:

1. turns relative imports in ``src/dockerlint`` into absolute ones (so step 4 sees every name);
2. ``git mv``s every old path still present to its new place: the explicit table ``MOVES``
   below, and every rule module ``checks/dXNNN.py`` to ``rules/<kind>/[optional/]dxnnn.py``,
   the kind read from the first model its ``@rule(reads=...)`` declares (``KINDS``) and the
   folder from its ``enabled_by_default`` (so rule modules that other branches add later land
   by the same logic);
3. writes the new packages' ``__init__.py``; moves ``builtin_rules``/``load_builtin_rules``/
   ``manifest_text`` from ``checks/__init__.py`` into ``core/registry.py`` (walking the kind
   folders); leaves ``dockerlint/registry.py`` as a shim re-exporting the public names of
   ``core/registry.py`` (the plugin API the README documents is ``dockerlint.registry``);
   rewrites the manifest's module column relative to ``dockerlint.rules``;
4. rewrites old module names and paths (imports, ``from dockerlint import x``, strings such as
   entry points, ``mock.patch`` targets and ``-m`` invocations, ``src/dockerlint/...`` paths,
   ``"dockerlint" / "checks" / "x.py"`` path expressions) in src/, tests/, fuzz/, benchmarks/,
   scripts/, README.md, docs/, rules/*.md, pyproject.toml and the complexity allowlist;
5. sorts the imports of the Python files it changed (``ruff check --select I --fix``): the new
   names sort differently.

A branch opened before the relayout: ``git rebase main`` (git's rename detection carries edits of
moved files), then ``python scripts/relayout.py`` (moves its new files, rewrites its imports),
then ``pip install -e .`` again (the editable install's entry points name the old modules) and
the full suite.

Ambiguity kept out on purpose: ``dockerlint.fixes`` was a module and is now a package whose bulk
is ``dockerlint.fixes.plan``. The script never writes ``from dockerlint.fixes import X`` (it
writes ``from dockerlint.fixes.plan import X`` or ``import dockerlint.fixes.plan as fixes``), and
it reads ``from dockerlint.fixes import X`` as the old module's names. New code should import
``dockerlint.fixes.<module>`` explicitly.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "dockerlint"

# -- the table: old path -> new path, relative to src/dockerlint ------------------------------
# Plan §2. Where the plan splits a module in a later work package, the whole module goes where
# the bulk goes (engine -> core/engine, cli -> cli/__init__, config -> config/__init__,
# registry -> core/registry, fixes -> fixes/plan). Modules that landed after the plan was written
# are placed by the plan's rules (marked "not in the plan").
MOVES: dict[str, str] = {
    "engine.py": "core/engine.py",
    "cli.py": "cli/__init__.py",
    "config.py": "config/__init__.py",
    "registry.py": "core/registry.py",  # dockerlint/registry.py stays as a shim (step 3)
    "parallel.py": "core/parallel.py",
    "suppressions.py": "core/suppressions.py",
    "fixes.py": "fixes/plan.py",
    "fixcheck.py": "fixes/verify.py",
    "composespec.py": "knowledge/composespec.py",
    "ruledocs.py": "reporters/ruledocs.py",
    "reporters/fingerprint.py": "util/fingerprint.py",
    "fingerprint.py": "util/fingerprint.py",  # where h3-resources puts it (engine, baseline and reporters use it)
    "limits.py": "util/limits.py",
    "lines.py": "util/lines.py",
    "safetext.py": "util/safetext.py",
    "shellwords.py": "util/shellwords.py",
    "safefiles.py": "util/safefiles.py",
    "mdterm.py": "util/mdterm.py",
    "containment.py": "util/containment.py",
    "gitignore.py": "util/gitignore.py",  # not in the plan: a leaf (git's ignore rules; containment only)
    "lazyre.py": "util/lazyre.py",  # deleted by WP3.1; a leaf until then
    "inline.py": "parsers/inline.py",  # not in the plan: Compose dockerfile_inline -> Dockerfile source
    # references.py (not in the plan) stays: it turns references into discovery candidates, a peer of discovery.
    "checks/_manifest.py": "core/_manifest.py",
    "checks/_builds.py": "rules/common/builds.py",
    "checks/_scan.py": "rules/common/daemons.py",
    "checks/_options.py": "rules/common/options.py",  # api.options_of in WP1.2
    "checks/_secrets.py": "rules/common/secrets.py",  # not in the plan: DF102/DF111/DF112/DF114/DF117 and DC117
    "checks/_tree.py": "rules/common/tree.py",  # not in the plan: DF111, DF116 and rules/common/builds
    "checks/_daemon.py": "rules/daemon/_daemon.py",
    "checks/_daemon_defaults.py": "rules/daemon/_defaults.py",
    "checks/_daemon_keys.py": "rules/daemon/_keys.py",
    "checks/_hygiene.py": "rules/image/_hygiene.py",
    "checks/_shell.py": "rules/image/_shell.py",
    "checks/_image.py": "rules/common/image.py",  # the plan says image/; rules/common/builds uses it too now
    "checks/_mounts.py": "rules/container/_mounts.py",
    "checks/_secopt.py": "rules/container/_secopt.py",
}

# The model a rule reports on (the first of its ``reads``) -> its kind folder (plan §4.1).
KINDS = {
    "ImageBuild": "image",
    "Container": "container",
    "EnvFile": "container",
    "Daemon": "daemon",
    "ClientEnv": "client",
    "ClientContext": "client",
    "ClientConfig": "client",
    "Suppression": "suppression",
}
RULE_FILE = re.compile(r"^d[a-z]\d{3}\.py$")

# New packages and their __init__.py. rules/__init__.py is empty: importing it imports nothing.
INITS: dict[str, str] = {
    "core/__init__.py": '"""The engine: reading, parsing, the rule registry, running the rules, keeping findings."""\n',
    "cli/__init__.py": "",  # cli.py itself
    "config/__init__.py": "",  # config.py itself
    "fixes/__init__.py": '"""Automatic fixes: planning, applying and verifying edits (below the engine)."""\n',
    "knowledge/__init__.py": '"""Plain-data domain knowledge shared by parsers and rules (leaf modules)."""\n',
    "util/__init__.py": '"""Leaf utilities, independent of the rest of dockerlint."""\n',
    "rules/__init__.py": "",
    "rules/common/__init__.py": '"""Helpers shared by rule groups."""\n',
    "rules/image/__init__.py": '"""Rules on Dockerfiles (ImageBuild), on by default."""\n',
    "rules/image/optional/__init__.py": '"""Rules on Dockerfiles (ImageBuild), off by default."""\n',
    "rules/container/__init__.py": '"""Rules on containers (Compose services, docker run lines), on by default."""\n',
    "rules/container/optional/__init__.py": '"""Rules on containers, off by default."""\n',
    "rules/daemon/__init__.py": '"""Rules on the Docker daemon (daemon.json, dockerd flags), on by default."""\n',
    "rules/daemon/optional/__init__.py": '"""Rules on the Docker daemon, off by default."""\n',
    "rules/client/__init__.py": '"""Rules on the Docker client environment (DOCKER_HOST...), on by default."""\n',
    "rules/suppression/__init__.py": '"""Rules on suppression comments (DL), on by default."""\n',
}

# Names that checks/__init__.py defined and core/registry.py now defines.
CHECKS_NAMES = ("builtin_rules", "load_builtin_rules", "manifest_text")
BUILTIN_MARKER = "# -- built-in rules (were dockerlint/checks/__init__.py)"
BUILTIN_CODE = f'''

{BUILTIN_MARKER} ----------------------------------------------
# dockerlint registers its own rules through its ``dockerlint.rules`` entry point, which points at
# :func:`builtin_rules`, exactly as a third-party plugin would. What it gives are declarations read
# from ``core/_manifest.py`` (id, name, severity, models read, module relative to
# ``dockerlint.rules``): a rule's module is imported only when a file it reads is linted. The
# manifest is generated from the modules by :func:`manifest_text` and a test keeps the two equal
# (``DOCKERLINT_UPDATE_GOLDEN=1 pytest tests/test_registry.py`` rewrites it).
_RULES_PACKAGE = "dockerlint.rules"


def builtin_rules() -> list[RuleStub]:
    """Every built-in rule, declared from the manifest (no rule module is imported)."""
    from dockerlint.core._manifest import RULES

    return [RuleStub(id=rid, name=name, severity=Severity(sev), enabled_by_default=on, reads=reads,
                     module=f"{{_RULES_PACKAGE}}.{{module}}", hadolint=hadolint)
            for rid, name, sev, on, reads, module, hadolint in RULES]


def _builtin_rule_modules() -> list[str]:
    """The rule modules under ``dockerlint/rules/<kind>/[optional/]``, by name (nothing imported)."""
    import os

    rules_dir = os.path.join(os.path.dirname(os.path.dirname(__file__)), "rules")
    found: list[str] = []
    for folder, subdirs, files in os.walk(rules_dir):
        subdirs[:] = sorted(d for d in subdirs if d not in ("common", "__pycache__") and not d.startswith("_"))
        rel = os.path.relpath(folder, rules_dir)
        prefix = "" if rel == "." else rel.replace(os.sep, ".") + "."
        found.extend(prefix + f[:-3] for f in files if re.fullmatch(r"[a-z]{{2}}\\d{{3}}\\.py", f))
    return found


def load_builtin_rules() -> list[Rule]:
    """Every built-in rule, by importing every rule module (for the manifest and its test)."""
    import importlib

    rules: list[Rule] = []
    for name in _builtin_rule_modules():
        module = importlib.import_module(f"{{_RULES_PACKAGE}}.{{name}}")
        rules.extend(v for v in vars(module).values() if isinstance(v, Rule))
    return sorted(rules, key=lambda r: r.id)


def manifest_text() -> str:
    """The text of ``core/_manifest.py`` for the rule modules as they are."""
    lines = [
        '"""Declarations of the built-in rules, generated from the rule modules by',
        "``dockerlint.core.registry.manifest_text()``: do not edit (a test keeps it equal to them).",
        "",
        "(id, name, severity, enabled by default, models read, module in dockerlint.rules, hadolint equivalents)",
        '"""',
        "",
        "RULES = (",
    ]
    for r in load_builtin_rules():
        s = r.stub()
        module = s.module.removeprefix(_RULES_PACKAGE + ".")
        lines.append(f"    ({{s.id!r}}, {{s.name!r}}, {{s.severity.value!r}}, {{s.enabled_by_default!r}}, "
                     f"{{s.reads!r}}, {{module!r}}, {{s.hadolint!r}}),")
    lines.append(")")
    return "\\n".join(lines) + "\\n"
'''

SHIM_MARKER = "compat shim (issue 13 WP1.1)"

# Text that no module-name rule can rewrite: (file relative to ROOT, after the moves; old text, new
# text), replaced before the module names are. A ``new`` must not contain its ``old``, so that a
# second run finds nothing to do.
LITERALS: list[tuple[str, str, str]] = [
    # the start-up test: no Compose or daemon rule on a Dockerfile run (DD104 is the client group)
    (
        "tests/test_registry.py",
        '    unwanted = {m for m in modules if m.startswith(("dockerlint.checks.dc", "dockerlint.checks.dd"))}\n',
        (
            "    unwanted = {m for m in modules\n"
            '                if m.startswith(("dockerlint.rules.container", "dockerlint.rules.daemon", '
            '"dockerlint.rules.client"))}\n'
        ),
    ),
    # a line the longer name would take over 120 characters
    (
        "tests/test_referenced_dockerfiles.py",
        (
            """            "print(json.dumps([rc, 'dockerlint.references' in sys.modules, """
            """'dockerlint.inline' in sys.modules]))\\n")"""
        ),
        (
            """            "print(json.dumps([rc, 'dockerlint.references' in sys.modules, "\n"""
            """            "'dockerlint.parsers.inline' in sys.modules]))\\n")"""
        ),
    ),
    # ruledocs finds the docs from the package folder; it is one level deeper now (reporters/)
    (
        "src/dockerlint/reporters/ruledocs.py",
        "_HERE = Path(__file__).resolve().parent\n",
        "_HERE = Path(__file__).resolve().parent.parent  # the dockerlint package (this module is in reporters/)\n",
    ),
    # the contributing guide: where a rule module goes now
    (
        "docs/CONTRIBUTING-RULES.md",
        "A rule is one module in `src/dockerlint/checks/` named after its id",
        "A rule is one module in `src/dockerlint/rules/<kind>/` (`optional/` when off by default) named after its id",
    ),
    (
        "docs/CONTRIBUTING-RULES.md",
        "helpers in `dockerlint/checks/_*.py`)",
        "helpers in `dockerlint/rules/<kind>/_*.py` and `dockerlint/rules/common/`)",
    ),
    # a discovery-only run imports no rule module
    ("tests/test_discovery.py", '"dockerlint.checks.d"', '"dockerlint.rules."'),
    # the manifest's header line
    (
        "src/dockerlint/core/_manifest.py",
        "(id, name, severity, enabled by default, models read, module, hadolint equivalents)",
        "(id, name, severity, enabled by default, models read, module in dockerlint.rules, hadolint equivalents)",
    ),
    # registry <-> checks: gone with the move (rules/__init__.py is empty; core.registry imports
    # rule modules by name only). import-linter refuses an ignore_imports entry that matches nothing.
    (
        "pyproject.toml",
        (
            "    # registry <-> checks: load_registry imports checks.builtin_rules. WP1.2 (api.py, registry shim)\n"
            '    "dockerlint.registry -> dockerlint.checks",\n'
        ),
        "",
    ),
    # load_registry called the checks package's builtin_rules; it is in the same module now
    ("src/dockerlint/core/registry.py", "        from dockerlint.checks import builtin_rules\n\n", ""),
]

# Where module names are rewritten.
TEXT_GLOBS = (
    "src/**/*.py",
    "tests/**/*.py",
    "fuzz/**/*.py",
    "benchmarks/**/*.py",
    "scripts/**/*.py",
    "README.md",
    "docs/**/*.md",
    "rules/*.md",
    "pyproject.toml",
    "tests/data/complexity-allowlist.txt",
)
SELF = "scripts/relayout.py"
# Files never rewritten: they use the old public names on purpose.
KEEP = ("tests/test_plugin_api.py", "tests/test_relayout.py")
# Documents whose readers write plugins: they keep naming the public dockerlint.registry.
PUBLIC_DOCS = ("README.md", "docs/CONTRIBUTING-RULES.md")
# The built-in rules use the rule API as plugins do, through dockerlint.api (WP1.2): a branch's rule
# module that imports it from dockerlint.registry or the engine is rewritten (api_imports).
PUBLIC_API_USERS = ("src/dockerlint/rules/",)


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout


# -- step 2: where each rule module goes ---------------------------------------------------------
def _declaration(path: Path) -> tuple[str, bool]:
    """(kind, enabled_by_default) of the one ``rule(...)`` call in a rule module."""
    found: list[tuple[str, bool]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "rule"):
            continue
        kw = {k.arg: k.value for k in node.keywords if k.arg}
        if "reads" not in kw:
            continue
        reads = kw["reads"]
        first = reads.elts[0] if isinstance(reads, ast.Tuple) else reads
        name = first.attr if isinstance(first, ast.Attribute) else getattr(first, "id", "")
        if name not in KINDS:
            raise SystemExit(
                f"{path}: the rule reads {name or ast.dump(first)}, which has no kind folder: add it to KINDS"
            )
        on = kw.get("enabled_by_default")
        if on is not None and not (isinstance(on, ast.Constant) and isinstance(on.value, bool)):
            raise SystemExit(f"{path}: enabled_by_default is not a literal True/False")
        found.append((KINDS[name], True if on is None else bool(on.value)))
    if len(found) != 1:
        raise SystemExit(f"{path}: expected one rule(reads=...) declaration, found {len(found)}")
    return found[0]


def rule_moves() -> dict[str, str]:
    moves = {}
    checks = PKG / "checks"
    if checks.is_dir():
        for path in sorted(checks.iterdir()):
            if RULE_FILE.match(path.name):
                kind, on = _declaration(path)
                moves[f"checks/{path.name}"] = f"rules/{kind}/{'' if on else 'optional/'}{path.name}"
    return moves


def all_moves() -> dict[str, str]:
    """Every old path -> new path: the table, the rule modules present, and the rule modules
    already moved (so that names of rules moved by an earlier run are still rewritten)."""
    moves = dict(MOVES)
    rules = PKG / "rules"
    if rules.is_dir():
        for path in sorted(rules.rglob("d*.py")):
            if RULE_FILE.match(path.name) and "common" not in path.parts:
                moves[f"checks/{path.name}"] = path.relative_to(PKG).as_posix()
    moves.update(rule_moves())
    return moves


def check_unmapped() -> None:
    checks = PKG / "checks"
    if not checks.is_dir():
        return
    for path in sorted(checks.glob("*.py")):
        rel = f"checks/{path.name}"
        if rel != "checks/__init__.py" and rel not in MOVES and not RULE_FILE.match(path.name):
            raise SystemExit(f"src/dockerlint/{rel} is in no table: add it to MOVES in {SELF}")


# -- step 1: relative imports --------------------------------------------------------------------
_RELATIVE = re.compile(r"^(?P<indent>[ \t]*)from (?P<dots>\.+)(?P<rest>[\w.]*) import ", re.M)


def absolute_imports(path: Path, text: str) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    package = list(rel.parts[:-1])  # a module's package; for an __init__, the package itself

    def repl(m: re.Match[str]) -> str:
        up = len(m["dots"]) - 1
        base = package[: len(package) - up] if up else package
        target = ".".join([*base, *([m["rest"]] if m["rest"] else [])])
        return f"{m['indent']}from {target} import "

    return _RELATIVE.sub(repl, text)


# -- step 4: names ---------------------------------------------------------------------------------
def dotted(rel: str) -> str:
    mod = rel[:-3] if rel.endswith(".py") else rel
    if mod.endswith("/__init__"):
        mod = mod[: -len("/__init__")]
    return "dockerlint." + mod.replace("/", ".")


def module_map(moves: dict[str, str]) -> dict[str, str]:
    out = {dotted(old): dotted(new) for old, new in moves.items() if dotted(old) != dotted(new)}
    return out


NEW_PACKAGE_CHILDREN = {"dockerlint.fixes": ("plan", "diff", "write", "verify", "safety")}


class Rewriter:
    def __init__(self, moves: dict[str, str]) -> None:
        self.moves = moves
        self.modules = module_map(moves)
        # dockerlint.registry is a public module again since WP1.2 (the shim over dockerlint.api and
        # the registry): a name found there is not an old name.
        self.modules.pop("dockerlint.registry", None)
        # packages whose children moved: "from PKG import child" needs the child's new place
        self.parents = {old.rpartition(".")[0] for old in self.modules} | {"dockerlint.checks"}
        names = sorted(self.modules, key=len, reverse=True)
        guards = {old: "".join(rf"(?!\.{c}\b)" for c in NEW_PACKAGE_CHILDREN.get(old, ())) for old in names}
        for old in NEW_PACKAGE_CHILDREN:  # "dockerlint.fixes" quoted alone names the package (import-linter)
            if old in guards:
                guards[old] += '(?!")'
        self.dotted_re = re.compile(
            r"(?<![\w.])(?:" + "|".join(re.escape(n) + r"(?![\w])" + guards[n] for n in names) + ")"
        )
        self.checks_re = re.compile(
            r"(?<![\w.])dockerlint\.checks(?P<sep>[.:])(?P<name>" + "|".join(CHECKS_NAMES) + r")\b"
        )
        self.checks_bare_re = re.compile(r"(?<![\w.])dockerlint\.checks(?![\w])(?!\.(?:_?\w))")
        paths = {"dockerlint/" + old: "dockerlint/" + new for old, new in moves.items()}
        self.paths = paths
        self.path_re = re.compile(
            r"(?<![\w.-])(?:" + "|".join(re.escape(p) for p in sorted(paths, key=len, reverse=True)) + r")(?![\w/])"
        )
        short = {old: new for old, new in moves.items() if old.startswith("checks/")}
        shorts = "|".join(re.escape(p) for p in sorted(short, key=len, reverse=True))
        self.short_re = re.compile(r"(?<![\w./-])(?:" + shorts + r")(?![\w/])")
        self.short = short
        self.dir_re = re.compile(r"(?<![\w.-])dockerlint/checks/(?![\w])")
        self.from_re = re.compile(
            r"^(?P<indent>[ \t]*)from (?P<pkg>dockerlint(?:\.[\w.]+)?) import (?P<names>\([^)]*\)|[^\n]*)", re.M
        )
        self.pieces_re = re.compile(r'"dockerlint"(?P<pieces>(?:\s*/\s*"[\w.]+")+)')

    # "from dockerlint import containment, parallel" and the like
    def _from(self, m: re.Match[str]) -> str:
        pkg, indent, raw = m["pkg"], m["indent"], m["names"]
        if pkg in self.modules:
            return f"{indent}from {self.modules[pkg]} import {raw}"
        if pkg not in self.parents:
            return m[0]
        body = raw.strip()
        paren = body.startswith("(")
        items = [i.strip() for i in body.strip("()").replace("\n", " ").split(",") if i.strip()]
        if any("#" in i for i in items):
            return m[0]
        kept: list[str] = []
        lines: list[str] = []
        for item in items:
            name, _, alias = item.partition(" as ")
            name, alias = name.strip(), alias.strip()
            old = f"{pkg}.{name}"
            if pkg == "dockerlint.checks" and name in CHECKS_NAMES:
                lines.append(f"{indent}from dockerlint.core.registry import {item}")
            elif old in self.modules:
                new = self.modules[old]
                parent, _, leaf = new.rpartition(".")
                local = alias or name
                if parent in NEW_PACKAGE_CHILDREN or parent in self.modules:
                    lines.append(f"{indent}import {new} as {local}")  # never "from dockerlint.fixes import"
                else:
                    lines.append(f"{indent}from {parent} import {leaf}" + (f" as {local}" if local != leaf else ""))
            else:
                kept.append(item)
        if not lines:
            return m[0]
        if kept:
            lines.insert(0, f"{indent}from {pkg} import " + (f"({', '.join(kept)})" if paren else ", ".join(kept)))
        return "\n".join(lines)

    def _pieces(self, m: re.Match[str]) -> str:
        pieces = re.findall(r'"([\w.]+)"', m["pieces"])
        path = "dockerlint/" + "/".join(pieces)
        new = self.paths.get(path)
        if new is None and path == "dockerlint/checks":
            new = "dockerlint/rules"
        if new is None:
            return m[0]
        return " / ".join(f'"{p}"' for p in new.split("/"))

    def rewrite(self, text: str, python: bool) -> str:
        for pattern, repl in self._steps(python):
            text = pattern.sub(repl, text)
        return text

    def _steps(self, python: bool) -> list[tuple[re.Pattern[str], Callable[[re.Match[str]], str] | str]]:
        steps: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str] | str]] = []
        if python:
            steps.append((self.from_re, self._from))
            steps.append((self.pieces_re, self._pieces))
        steps += [
            (self.checks_re, lambda m: f"dockerlint.core.registry{m['sep']}{m['name']}"),
            (self.dotted_re, lambda m: self.modules[m[0]]),
            (self.checks_bare_re, "dockerlint.rules"),
            (self.path_re, lambda m: self.paths[m[0]]),
            (self.short_re, lambda m: self.short[m[0]]),
            (self.dir_re, "dockerlint/rules/"),
        ]
        return steps


# -- step 3 ---------------------------------------------------------------------------------------
def shim_text(core_registry: Path) -> str:
    tree = ast.parse(core_registry.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    # isort's order, as ruff keeps it: CONSTANTS, Classes, functions
    public = sorted(
        {n for n in names if not n.startswith("_")} - set(CHECKS_NAMES),
        key=lambda n: (0 if n.isupper() else 1 if n[0].isupper() else 2, n),
    )
    body = ",\n".join(f"    {n}" for n in public)
    listed = "\n".join(f'    "{n}",' for n in public)
    return (
        f'"""The rule API of dockerlint 0.1 plugins, ``dockerlint.registry``: a {SHIM_MARKER}.\n\n'
        "The registry lives in :mod:`dockerlint.core.registry`; plugins written against the README's\n"
        '"Plugins" section keep importing ``rule``, ``Hit``, ``Severity``... from here.\n"""\n\n'
        f"from dockerlint.core.registry import (\n{body},\n)\n\n__all__ = [\n{listed}\n]\n"
    )


def rewrite_manifest(path: Path, moves: dict[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    where = {
        Path(new).stem: new[len("rules/") : -3].replace("/", ".")
        for new in moves.values()
        if new.startswith("rules/") and RULE_FILE.match(Path(new).name)
    }

    def repl(m: re.Match[str]) -> str:
        if m[1] not in where:
            raise SystemExit(f"{path}: no rule module {m[1]}.py was found")
        return f", '{where[m[1]]}', {m[2]}),"

    new = re.sub(r", '([a-z]{2}\d{3})', ('[^']*')\),$", repl, text, flags=re.M)
    if new != text:
        path.write_text(new, encoding="utf-8")


def api_imports(text: str) -> str:
    """A rule module's imports of the rule API, as WP1.2 made them: everything from ``dockerlint.api``
    (``RuleContext`` was the engine's, ``options_of`` a helper's; ``ruff check --fix`` then merges
    the import lines)."""
    text = re.sub(
        r"^(?P<indent>[ \t]*)from dockerlint\.(?:core\.)?registry import ",
        r"\g<indent>from dockerlint.api import ",
        text,
        flags=re.M,
    )
    text = re.sub(
        r"^(?P<indent>[ \t]*)from dockerlint\.core\.engine import RuleContext$",
        r"\g<indent>from dockerlint.api import RuleContext",
        text,
        flags=re.M,
    )
    return re.sub(
        r"^(?P<indent>[ \t]*)from dockerlint\.rules\.common\.options import options_of$",
        r"\g<indent>from dockerlint.api import options_of",
        text,
        flags=re.M,
    )


def pending_rewrites(moves: dict[str, str]) -> dict[Path, str]:
    """Every file whose text the rewriting changes -> its new text."""
    rw = Rewriter(moves)
    out: dict[Path, str] = {}
    for path in text_files():
        rel = path.relative_to(ROOT).as_posix()
        if rel == "src/dockerlint/registry.py":
            continue  # the shim
        text = path.read_text(encoding="utf-8")
        new = text
        for file, old, replacement in LITERALS:
            if rel == file:
                new = new.replace(old, replacement)
        new = rw.rewrite(new, python=path.suffix == ".py")
        if rel in PUBLIC_DOCS:
            # the plugin API they document stays dockerlint.registry (the shim)
            new = new.replace("dockerlint.core.registry", "dockerlint.registry")
        elif rel.startswith(PUBLIC_API_USERS):
            new = api_imports(new)
        if new != text:
            out[path] = new
    return out


def check() -> int:
    """0 when the tree is laid out (nothing to move, no old name left), else 1 with what is left."""
    check_unmapped()
    moves = all_moves()
    left = [
        f"move src/dockerlint/{old} -> src/dockerlint/{new}"
        for old, new in moves.items()
        if (PKG / old).exists()
        and not (old == "registry.py" and SHIM_MARKER in (PKG / old).read_text(encoding="utf-8"))
    ]
    left += [
        f"relative imports in {p.relative_to(ROOT)}"
        for p in sorted(PKG.rglob("*.py"))
        if absolute_imports(p, t := p.read_text(encoding="utf-8")) != t
    ]
    left += [f"old module names in {p.relative_to(ROOT)}" for p in sorted(pending_rewrites(moves))]
    for line in left:
        print(line)
    if left:
        print(f"run: python {SELF}")
    return 1 if left else 0


# -- the run ----------------------------------------------------------------------------------------
def text_files() -> list[Path]:
    tracked = set(git("ls-files", "-z").split("\0")) | set(
        git("ls-files", "-z", "--others", "--exclude-standard").split("\0")
    )
    out = []
    for rel in sorted(t for t in tracked if t):
        if rel == SELF or rel in KEEP or not (ROOT / rel).is_file():
            continue
        if any(
            Path(rel).match(g)
            or (g.endswith("/**/*.py") and rel.startswith(g[:-7]) and rel.endswith(".py"))
            or (g == "docs/**/*.md" and rel.startswith("docs/") and rel.endswith(".md"))
            for g in TEXT_GLOBS
        ):
            out.append(ROOT / rel)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything is left to do")
    ap.add_argument("--no-sort", action="store_true", help="leave import order alone (no ruff)")
    a = ap.parse_args()
    if a.check:
        return check()
    check_unmapped()

    # 1. relative imports, in the tree as it is
    for path in sorted(PKG.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        new = absolute_imports(path, text)
        if new != text and not a.dry_run:
            path.write_text(new, encoding="utf-8")

    # 2. moves
    moves = all_moves()
    moved = 0
    for old, new in moves.items():
        src, dst = PKG / old, PKG / new
        if not src.exists():
            continue
        if old == "registry.py" and SHIM_MARKER in src.read_text(encoding="utf-8"):
            continue
        if dst.exists():
            raise SystemExit(f"both src/dockerlint/{old} and src/dockerlint/{new} exist: merge them by hand")
        print(f"move {old} -> {new}")
        moved += 1
        if not a.dry_run:
            dst.parent.mkdir(parents=True, exist_ok=True)
            git("mv", str(src.relative_to(ROOT)), str(dst.relative_to(ROOT)))
    if a.dry_run:
        print(f"{moved} moves; table: {len(MOVES)} modules + {len(moves) - len(MOVES)} rule modules")
        return 0

    # 3. packages, the built-in rule declarations, the shim, the manifest
    for rel, text in INITS.items():
        path = PKG / rel
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            git("add", str(path.relative_to(ROOT)))
    checks_init = PKG / "checks" / "__init__.py"
    core_registry = PKG / "core" / "registry.py"
    if checks_init.exists():
        git("rm", "-q", str(checks_init.relative_to(ROOT)))
    if core_registry.exists() and BUILTIN_MARKER not in core_registry.read_text(encoding="utf-8"):
        with core_registry.open("a", encoding="utf-8") as f:
            f.write(BUILTIN_CODE)
    shim = PKG / "registry.py"
    if core_registry.exists() and not shim.exists():
        shim.write_text(shim_text(core_registry), encoding="utf-8")
        git("add", str(shim.relative_to(ROOT)))
    if (PKG / "checks").is_dir():
        leftovers = [p for p in (PKG / "checks").rglob("*") if "__pycache__" not in p.parts and p.is_file()]
        if not leftovers:
            import shutil

            shutil.rmtree(PKG / "checks")
    manifest = PKG / "core" / "_manifest.py"
    if manifest.exists():
        rewrite_manifest(manifest, moves)

    # 4. names
    changed = sorted(pending_rewrites(moves).items())
    for path, new in changed:
        path.write_text(new, encoding="utf-8")
    print(f"{moved} files moved, {len(changed)} files rewritten")

    # 5. import order of the rewritten Python files
    py = [str(p.relative_to(ROOT)) for p, _ in changed if p.suffix == ".py"]
    if py and not a.no_sort:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "ruff",
                "check",
                "--no-cache",
                "--quiet",
                "--select",
                "I",
                "--fix",
                "--exit-zero",
                *sorted(set(py)),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            sys.stderr.write("ruff (import sorting) failed; run it by hand:\n" + proc.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
