"""Every regular expression of dockerlint, and strings built to make each one work hard.

:func:`patterns` collects the patterns two ways, so none is missed: the compiled patterns
(``re.compile``) held by every module, its
classes and the tuples, lists and dicts they hold; and, read from the source, the literal
patterns passed to ``re.search``/``re.match``/… inside functions. A pattern built at run
time inside a function cannot be found either way: :data:`DYNAMIC` lists those sites with
a representative instance (a test fails on a new one).

:func:`pieces` makes, from a pattern's own parse tree, the short strings whose repetition
is the classic worst case of a backtracking matcher: one string it matches, the same
string cut short (a near miss), and for each repeated part the characters it repeats
(mixed, so word boundaries and separators fall between them: ``a-a-a-…``).
"""

from __future__ import annotations

import ast
import fnmatch
import importlib
import pkgutil
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dockerlint

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        from re import _constants as C  # type: ignore[attr-defined]
        from re import _parser as P  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import sre_constants as C  # type: ignore[no-redef]
        import sre_parse as P  # type: ignore[no-redef]

SRC = Path(dockerlint.__file__).parent
_CALLS = {"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"}

# Patterns built inside a function at run time: (file, function name) -> representative
# patterns (the values the function builds, with a typical argument).
DYNAMIC: dict[tuple[str, str], list[tuple[str, int]]] = {
    ("parsers/dockerfile.py", "_word_regex"): [],  # stored in _WORDS_RE: collected from the module
    ("rules/image/df117.py", "_program"): [],  # stored in _CURL_WGET, _MYSQL, _PASSWORD_P: collected
    ("rules/image/optional/df207.py", "_last_deletion"): [(re.escape(".build-deps") + r"(?![\w.-])", 0)],
    # the escaping patterns, for each set of characters its callers keep
    ("util/safetext.py", "_pattern"): [],  # held in safetext._PATTERNS once used: see patterns()
    ("util/safetext.py", "json_text"): [],  # re.sub(_LOG_COMMAND, ...): the module's _LOG_COMMAND
    ("util/textsearch.py", "in_order"): [(r"[;&|\n]", 0)],  # one character class of stops
    # base-image globs of the configuration, through fnmatch.translate
    ("rules/common/builds.py", "_glob_matchers"): [(fnmatch.translate("docker.io/library/*:*-alpine*"), 0)],
    # a base-image glob with ? or [...] (only *-globs are matched without a regular expression)
    ("rules/common/builds.py", "_matcher"): [(fnmatch.translate("docker.io/library/python:3.1?-slim*"), 0)],
    # whether a value is one reference to the variable, alone (fullmatch of a stripped value)
    # the closing line of a heredoc (its delimiter, after tabs for ``<<-``), from main's shell reader
    ("parsers/shell.py", "bodies"): [
        ("^" + re.escape("EOF") + "\r*$", re.MULTILINE),
        ("^\t*" + re.escape("END-OF.FILE") + "\r*$", re.MULTILINE),
    ],
    ("parsers/compose_project.py", "_use"): [
        (r"\$(?:" + re.escape("NPM_TOKEN") + r"|\{" + re.escape("NPM_TOKEN") + r"(?::?[-?][^}]*)?\})", 0)
    ],
}
# Calls that fill the module caches above before the collection.
_WARM = (
    ("dockerlint.util.safetext", "visible", ("x", "")),
    ("dockerlint.util.safetext", "visible", ("x", "\t")),
    ("dockerlint.util.safetext", "visible", ("x", "\n\t")),
)


@dataclass(frozen=True)
class Found:
    pattern: str | bytes
    flags: int
    where: str  # module.NAME, or file:line for a pattern written in a call

    @property
    def module(self) -> str:
        return self.where.split(":")[0] if ":" in self.where else self.where.rsplit(".", 1)[0]


def _modules() -> list[Any]:
    out = []
    for info in pkgutil.walk_packages([str(SRC)], "dockerlint."):
        if info.name.endswith("__main__"):
            continue  # running it lints the working directory
        out.append(importlib.import_module(info.name))
    return out


def _held(value: Any, where: str, found: dict[tuple[Any, int], Found], depth: int = 0) -> None:
    if isinstance(value, re.Pattern):
        found.setdefault((value.pattern, value.flags), Found(value.pattern, value.flags, where))
    elif depth < 3 and isinstance(value, (tuple, list, set, frozenset)):
        for item in value:
            _held(item, where, found, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for item in value.values():
            _held(item, where, found, depth + 1)


def _flags(node: ast.expr | None) -> int | None:
    """The value of a flags argument written with ``re.X`` names and ``|``; None if not."""
    if node is None:
        return 0
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re":
        got = getattr(re, node.attr, None)
        return int(got) if isinstance(got, int) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        a, b = _flags(node.left), _flags(node.right)
        return None if a is None or b is None else a | b
    return None


def _written(found: dict[tuple[Any, int], Found]) -> list[tuple[str, str]]:
    """Literal patterns of calls in the source; returns the sites whose pattern is built at run
    time, as (file, enclosing function)."""
    dynamic: list[tuple[str, str]] = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                parents[child] = node
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            f = node.func
            is_re = (
                isinstance(f, ast.Attribute)
                and isinstance(f.value, ast.Name)
                and f.value.id == "re"
                and f.attr in _CALLS
            )
            if not is_re:
                continue
            first = node.args[0]
            flag_node = None
            if f.attr == "compile" and len(node.args) > 1:
                flag_node = node.args[1]
            flag_node = next((k.value for k in node.keywords if k.arg == "flags"), flag_node)
            flags = _flags(flag_node)
            if isinstance(first, ast.Constant) and isinstance(first.value, (str, bytes)) and flags is not None:
                compiled = re.compile(first.value, flags)
                found.setdefault(
                    (compiled.pattern, compiled.flags), Found(compiled.pattern, compiled.flags, f"{rel}:{node.lineno}")
                )
                continue
            scope: ast.AST = node
            while scope in parents and not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
                scope = parents[scope]
            if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
                dynamic.append((rel, scope.name))
            # else: module level, so its value is held by the module (collected above)
    return dynamic


def patterns() -> tuple[list[Found], list[tuple[str, str]]]:
    """Every pattern, and the run-time sites :data:`DYNAMIC` does not know."""
    found: dict[tuple[Any, int], Found] = {}
    modules = _modules()
    for module_name, function, args in _WARM:
        getattr(importlib.import_module(module_name), function)(*args)
    for module in modules:
        for name, value in vars(module).items():
            where = f"{module.__name__}.{name}"
            if isinstance(value, type) and value.__module__ == module.__name__:
                for attr, held in vars(value).items():
                    _held(held, f"{where}.{attr}", found)
            else:
                _held(value, where, found)
    unknown = []
    for site in _written(found):
        if site not in DYNAMIC:
            unknown.append(site)
            continue
        for pattern, flags in DYNAMIC[site]:
            compiled = re.compile(pattern, flags)
            found.setdefault(
                (compiled.pattern, compiled.flags), Found(compiled.pattern, compiled.flags, f"{site[0]}:{site[1]}")
            )
    return list(found.values()), unknown


# -- pieces ---------------------------------------------------------------------------------

_CANDIDATES = (
    "a",
    "Z",
    "0",
    "9",
    "_",
    "-",
    ".",
    "+",
    "/",
    ":",
    "@",
    "=",
    " ",
    "\t",
    "$",
    "{",
    "}",
    "'",
    '"',
    "\\",
    "é",
    "\u00a0",
    ",",
    ";",
    "&",
    "|",
    "#",
    "*",
    "q",
    "y",
    "s",
    "t",
    "x",
)
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}


def _category(cat: Any, ch: str) -> bool:
    name = str(cat).upper()
    test = {"DIGIT": r"\d", "WORD": r"\w", "SPACE": r"\s"}
    for key, pattern in test.items():
        if key in name:
            hit = re.fullmatch(pattern, ch) is not None
            return not hit if "NOT" in name else hit
    return False


def _member(items: list[Any], ch: str, ignore_case: bool) -> bool:
    negate = False
    hit = False
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            hit = hit or ord(ch) == av or (ignore_case and ch.lower() == chr(av).lower())
        elif op is C.RANGE:
            lo, hi = av
            hit = (
                hit
                or lo <= ord(ch) <= hi
                or (ignore_case and (lo <= ord(ch.lower()) <= hi or lo <= ord(ch.upper()) <= hi))
            )
        elif op is C.CATEGORY:
            hit = hit or _category(av, ch)
    return hit != negate


def _chars(op: Any, av: Any, ignore_case: bool) -> list[str]:
    """Characters a one-character element matches (a few, varied)."""
    if op is C.LITERAL:
        return [chr(av)]
    if op is C.NOT_LITERAL:
        return [c for c in _CANDIDATES if ord(c) != av][:4]
    if op is C.ANY:
        return ["a", "-", " ", "é"]
    if op is C.IN:
        return [c for c in _CANDIDATES if _member(av, c, ignore_case)][:6]
    return []


def _sample(parsed: Any, ignore_case: bool) -> str:
    out: list[str] = []
    for op, av in parsed:
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            got = _chars(op, av, ignore_case)
            out.append(got[0] if got else "")
        elif op is C.BRANCH:
            out.append(_sample(av[1][0], ignore_case))
        elif op is C.SUBPATTERN:
            out.append(_sample(av[-1], ignore_case))
        elif op in _REPEATS:
            lo, hi, sub = av
            if hi != 0:
                out.append(_sample(sub, ignore_case) * min(max(lo, 1), 64))
        elif op is getattr(C, "ATOMIC_GROUP", None):
            out.append(_sample(av, ignore_case))
    return "".join(out)


def _repeated(parsed: Any, ignore_case: bool, into: list[str]) -> None:
    for op, av in parsed:
        if op in _REPEATS:
            sub = av[2]
            items = list(sub)
            if len(items) == 1 and items[0][0] in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
                chars = _chars(items[0][0], items[0][1], ignore_case)
                if chars:
                    into.append("".join(chars))
            else:
                into.append(_sample(sub, ignore_case))
            _repeated(sub, ignore_case, into)
        elif op is C.BRANCH:
            for branch in av[1]:
                _repeated(branch, ignore_case, into)
        elif op is C.SUBPATTERN:
            _repeated(av[-1], ignore_case, into)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            _repeated(av[1], ignore_case, into)
        elif op is getattr(C, "ATOMIC_GROUP", None):
            _repeated(av, ignore_case, into)


def _literals(parsed: Any, into: set[str]) -> None:
    for op, av in parsed:
        if op is C.LITERAL:
            into.add(chr(av))
        elif op is C.IN:
            into.update(chr(a) for o, a in av if o is C.LITERAL)
        elif op is C.BRANCH:
            for branch in av[1]:
                _literals(branch, into)
        elif op is C.SUBPATTERN:
            _literals(av[-1], into)
        elif op in _REPEATS:
            _literals(av[2], into)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            _literals(av[1], into)


def _classes(parsed: Any, ignore_case: bool, literals: set[str], into: list[str]) -> None:
    """For each repeated character class: the pattern's own characters it matches (the
    separators a negated class stops at are then right next to it: ``[[[``, ``${${``)."""
    for op, av in parsed:
        if op in _REPEATS:
            items = list(av[2])
            if len(items) == 1 and items[0][0] is C.IN:
                own = sorted(c for c in literals if _member(items[0][1], c, ignore_case))
                if own:
                    into.append("".join(own))
            _classes(av[2], ignore_case, literals, into)
        elif op is C.BRANCH:
            for branch in av[1]:
                _classes(branch, ignore_case, literals, into)
        elif op is C.SUBPATTERN:
            _classes(av[-1], ignore_case, literals, into)


def pieces(found: Found) -> list[str]:
    """Short strings whose repetition makes ``found``'s pattern work hardest."""
    pattern = found.pattern.decode("latin-1") if isinstance(found.pattern, bytes) else found.pattern
    flags = found.flags & ~re.UNICODE if isinstance(found.pattern, bytes) else found.flags
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        parsed = P.parse(pattern, flags)
    ignore_case = bool(found.flags & re.IGNORECASE)
    sample = _sample(parsed, ignore_case)
    # Also separated by a blank: where a word boundary starts every repetition again.
    out = [sample, sample[:-1], sample + " ", sample[:-1] + " "]
    _repeated(parsed, ignore_case, out)
    literals: set[str] = set()
    _literals(parsed, literals)
    _classes(parsed, ignore_case, literals, out)
    seen: list[str] = []
    for whole in out:
        p = whole[:200]
        if p and p not in seen:
            seen.append(p)
    return seen


def line(piece: str, size: int) -> str:
    """``piece`` repeated to ``size`` characters."""
    return (piece * (size // len(piece) + 1))[:size]


# -- how each pattern is used -----------------------------------------------------------------

_ANCHORED = {"match", "fullmatch"}


def _uses() -> dict[str, set[str]]:
    """Name of a pattern held by a module -> the methods called on it anywhere (by name)."""
    uses: dict[str, set[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                if isinstance(owner, ast.Call) and not owner.args:  # _pattern().match(...): a cached accessor's
                    owner = owner.func
                name = (
                    owner.id
                    if isinstance(owner, ast.Name)
                    else owner.attr
                    if isinstance(owner, ast.Attribute)
                    else None
                )
                if name is not None:
                    uses.setdefault(name, set()).add(node.func.attr)
    return uses


def methods(found: Found, uses: dict[str, set[str]]) -> set[str]:
    """How the pattern is applied: {"match"} / {"fullmatch"} when only ever anchored (one
    start), else it is searched ("search": every start is tried)."""
    if ":" in found.where:  # written in a call: re.<method>(pattern, ...)
        path, line = found.where.rsplit(":", 1)
        if not line.isdigit():
            return {"search"}  # a DYNAMIC site
        lines = (SRC / path).read_text(encoding="utf-8").splitlines()
        source = lines[int(line) - 1]
        accessor = _accessor(lines, int(line) - 1) if source.lstrip().startswith("return re.compile(") else None
        if accessor is not None:  # @functools.cache def _name(): return re.compile(...): as _name() is used
            got = {m for m in uses.get(accessor, set()) if m in _CALLS}
            return got if got and got <= _ANCHORED else {"search"}
        called = re.findall(r"\bre\.(\w+)\(", source)
        got = {m for m in called if m in _CALLS and m != "compile"}
        return got if got and got <= _ANCHORED else {"search"}
    name = found.where.rsplit(".", 1)[-1]
    got = {m for m in uses.get(name, set()) if m in _CALLS}
    return got if got and got <= _ANCHORED else {"search"}


def _accessor(lines: list[str], at: int) -> str | None:
    """The name of the ``functools.cache``d function whose body is the ``return re.compile(...)``
    at line index ``at`` (None: not such an accessor)."""
    m = re.match(r"def (\w+)\(\)", lines[at - 1]) if at >= 2 else None
    return m.group(1) if m is not None and lines[at - 2].strip() == "@functools.cache" else None
