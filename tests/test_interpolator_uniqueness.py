"""One Compose interpolator (WP3.2): ``parsers/expansion.py`` is the only module of
``src/dockerlint/parsers/`` that reads ``${VAR:-default}``; the readers of Compose files,
``docker run`` lines and ``.env`` files import it instead of keeping a copy.

Read from the sources with :mod:`ast`, so a second interpolator cannot come back unnoticed:

* a function named like an interpolator (``_expand``, ``expand_value``, ``expand_defaults``,
  ``_interpolate``) outside expansion.py only hands the text to a function imported from
  expansion.py: no loop, no regular expression, no ``${``/``:-`` literal of its own;
* no regular expression outside expansion.py is one for the Compose default operator: it
  must not match across the ``:-`` of ``${NAME:-d}`` unless it matches any ``${...}`` alike;
* compose.py, cmdline.py, dotenv.py and compose_project.py import expansion.py.

Two other dialects keep their own readers, as expansion.py's module doc says, and are named
below with what they read; the test checks they still exist and stay off Compose's syntax.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PARSERS = Path(__file__).resolve().parent.parent / "src" / "dockerlint" / "parsers"
EXPANSION = "dockerlint.parsers.expansion"
INTERPOLATOR_NAME = re.compile(r"_expand|expand_values?|expand_defaults|_?interpolate")
REGEX_FUNCTIONS = frozenset({"compile", "match", "fullmatch", "search", "finditer", "findall", "sub", "subn", "split"})
MUST_IMPORT = ("compose.py", "cmdline.py", "dotenv.py", "compose_project.py")

# Readers of other languages' ``$`` syntax (not Compose's), with why they are not Compose's.
OTHER_DIALECTS = {
    ("script.py", "_expand"): "make's $(NAME) / ${NAME} references in a Makefile recipe",
}
OTHER_DIALECT_REGEXES = {
    ("systemd.py", "_BRACED"): "systemd's ${VAR:-d} / ${VAR:+a} in ExecStart= (replace_env, no nesting)",
}


def _modules() -> list[Path]:
    found = sorted(p for p in PARSERS.glob("*.py") if p.name != "expansion.py")
    assert len(found) > 10 and (PARSERS / "expansion.py").is_file()
    return found


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _expansion_names(tree: ast.Module) -> set[str]:
    """The names a module binds from expansion.py (``from ... import x`` or the module itself)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == EXPANSION:
            names.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module == "dockerlint.parsers":
            names.update(a.asname or a.name for a in node.names if a.name == "expansion")
        elif isinstance(node, ast.Import):
            names.update(a.asname or a.name for a in node.names if a.name == EXPANSION)
    return names


def _callee(call: ast.Call) -> str:
    f = call.func
    while isinstance(f, ast.Attribute):
        f = f.value
    return f.id if isinstance(f, ast.Name) else ""


def _own_work(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """What in ``func`` reads a template itself, instead of handing it to expansion.py."""
    out: list[str] = []
    body = func.body[1:] if ast.get_docstring(func) is not None else func.body
    for stmt in body:
        for node in ast.walk(stmt):
            if isinstance(node, (ast.For, ast.While, ast.comprehension)):
                out.append(f"a loop at line {node.lineno}" if hasattr(node, "lineno") else "a loop")
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and ("${" in node.value or ":-" in node.value)
            ):
                out.append(f"the literal {node.value!r} at line {node.lineno}")
            elif isinstance(node, ast.Call) and _callee(node) == "re":
                out.append(f"a regular expression at line {node.lineno}")
    return out


def interpolators(tree: ast.Module) -> dict[str, list[str]]:
    """Functions named like an interpolator, and for each what it does on its own (nothing, for
    a function that only calls expansion.py)."""
    imported = _expansion_names(tree)
    out: dict[str, list[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and INTERPOLATOR_NAME.fullmatch(node.name):
            problems = _own_work(node)
            delegates = any(isinstance(n, ast.Call) and _callee(n) in imported for n in ast.walk(node))
            if not delegates:
                problems.append("no call of a function from expansion.py")
            out[node.name] = problems
    return out


def _regex_constants(tree: ast.Module) -> list[tuple[str, str, int]]:
    """``(name, pattern, line)`` of every constant pattern given to a function of :mod:`re`
    (``name``: the variable it is assigned to, if any)."""
    owner: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            for sub in ast.walk(node.value):
                owner[id(sub)] = node.targets[0].id
    out = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in REGEX_FUNCTIONS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            out.append((owner.get(id(node), ""), node.args[0].value, node.lineno))
    return out


def reads_compose_defaults(pattern: str) -> bool:
    """Whether a regular expression is one for Compose's default operator: it matches across
    the ``:-`` of ``${NAME:-d}`` (or the ``-`` of ``${NAME-d}``) but not across an operator
    Compose does not have (``%%``), which a pattern for any ``${...}`` would match alike."""
    try:
        compiled = re.compile(pattern)
    except re.error:
        return False

    def spans(text: str, at: int, width: int) -> bool:  # a match from the "${" (at 2) past the operator
        return any(m.start() <= 2 and m.end() >= at + width for m in compiled.finditer(text))

    default = spans("x ${NAME:-d} y", 8, 2) or spans("x ${NAME-d} y", 8, 1)
    return default and not spans("x ${NAME%%d} y", 8, 2)


# -- the detectors find what they look for -----------------------------------------------------------


def test_the_detectors_find_an_interpolator_of_its_own():
    own = ast.parse('''
import re
from dockerlint.parsers.expansion import interpolate
_DEFAULT = re.compile(r"\\$\\{(\\w+)(:?-)([^}]*)\\}")

def expand_defaults(text):
    """Applies defaults."""
    return _DEFAULT.sub(lambda m: m.group(3), text)

def expand_value(text, env):
    out = []
    for part in text.split("${"):
        out.append(part)
    return "".join(out)

def _interpolate(text):
    return interpolate(text)
''')
    found = interpolators(own)
    assert found["expand_defaults"] == ["no call of a function from expansion.py"]
    assert any("loop" in p for p in found["expand_value"]) and any("'${'" in p for p in found["expand_value"])
    assert found["_interpolate"] == []
    assert [name for name, pattern, _ in _regex_constants(own) if reads_compose_defaults(pattern)] == ["_DEFAULT"]


@pytest.mark.parametrize(
    ("pattern", "reads"),
    [
        (r"\$\{([A-Za-z_][A-Za-z0-9_]*)(:?-)([^}]*)\}", True),
        (r"\$\{(\w+):-", True),
        (r"\$\{[^}]*\}", False),  # any ${...}: not the default operator in particular
        (r"^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[^{}]*\})$", False),
        (r"\$\{?[A-Za-z_]", False),
        (r"[", False),
    ],
)
def test_reads_compose_defaults(pattern, reads):
    assert reads_compose_defaults(pattern) is reads


# -- the sources -------------------------------------------------------------------------------------


def test_no_parser_module_but_expansion_interpolates():
    own: dict[str, list[str]] = {}
    seen_dialects = set()
    for path in _modules():
        for name, problems in interpolators(_tree(path)).items():
            if (path.name, name) in OTHER_DIALECTS:
                seen_dialects.add((path.name, name))
                continue
            if problems:
                own[f"{path.name}::{name}"] = problems
    assert own == {}, "Compose interpolation outside expansion.py: move it there"
    assert seen_dialects == set(OTHER_DIALECTS), "an exemption names a function that is gone: remove it"


def test_no_parser_module_but_expansion_has_a_regex_for_compose_defaults():
    own = []
    seen = set()
    for path in _modules():
        for name, pattern, line in _regex_constants(_tree(path)):
            if not reads_compose_defaults(pattern):
                continue
            if (path.name, name) in OTHER_DIALECT_REGEXES:
                seen.add((path.name, name))
                continue
            own.append(f"{path.name}:{line} {name} = {pattern!r}")
    assert own == []
    assert seen == set(OTHER_DIALECT_REGEXES), "an exemption names a regex that is gone: remove it"


def test_other_dialects_stay_off_compose_operators():
    """The exempted readers are not Compose's: make's expander knows no ``:-`` default."""
    for module, name in OTHER_DIALECTS:
        tree = _tree(PARSERS / module)
        func = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == name)
        literals = [n.value for n in ast.walk(func) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        assert not [s for s in literals if ":-" in s or ":?" in s or ":+" in s], (module, name)


@pytest.mark.parametrize("module", MUST_IMPORT)
def test_readers_of_compose_syntax_import_expansion(module):
    tree = _tree(PARSERS / module)
    imported = _expansion_names(tree)
    assert imported, f"{module} does not import {EXPANSION}"
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {
        _callee(n) for n in ast.walk(tree) if isinstance(n, ast.Call)
    }
    assert imported & used, f"{module} imports {sorted(imported)} from expansion.py but uses none of them"
