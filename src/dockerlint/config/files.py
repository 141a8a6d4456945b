"""Configuration files: finding them (:class:`Finder`), reading them within the tree with the
line of every key (TOML and YAML), and validating them (:func:`load_file`, :func:`check_ids`).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import stat
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dockerlint.core.registry import Registry
from dockerlint.core.selection import suggest_rule_id

if TYPE_CHECKING:
    from pydantic import TypeAdapter, ValidationError

    from dockerlint.config.model import Config

CONFIG_NAMES = (".dockerlint.toml", ".dockerlint.yaml", ".dockerlint.yml")
PYPROJECT = "pyproject.toml"
MAX_CONFIG_SIZE = 1024 * 1024  # bytes; a configuration file is a few KiB
# TOML allows spaces and tabs around the dots of a key, never line breaks (``[ \t]``, not
# ``\s``: ``^\s*`` would rescan every blank line from each line start, quadratic).
_PYPROJECT_TABLE = re.compile(
    r"^[ \t]*(?:\[[ \t]*tool[ \t]*\.[ \t]*dockerlint\b|tool[ \t]*\.[ \t]*dockerlint[ \t]*[.=])", re.MULTILINE
)


class ConfigError(Exception):
    """A configuration mistake: ``path:line: message``."""

    def __init__(self, path: str, line: int, message: str) -> None:
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class FileConfig:
    """One configuration file, read and validated."""

    path: str  # absolute path of the file ("" for the defaults)
    base_dir: str  # folder that globs are relative to
    config: Config
    rule_options: dict[str, Any] = field(default_factory=dict)  # rule id -> validated options (an instance)


# -- reading -----------------------------------------------------------------------


def _toml() -> Any:
    # A version check, not try/except, so that mypy checks both branches against python_version.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10; tomli is installed there (mypy may run where it is not)
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    return tomllib


_KEY_PART = re.compile(r'\s*("(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_-]+)\s*')


def _key_path(text: str) -> tuple[str, ...] | None:
    """A TOML (dotted) key as a tuple of parts, or None when it is not one."""
    parts: list[str] = []
    pos = 0
    while True:
        m = _KEY_PART.match(text, pos)
        if m is None:
            return None
        word = m.group(1)
        if word[0] in "\"'":
            word = word[1:-1]
        parts.append(word)
        pos = m.end()
        if pos >= len(text):
            return tuple(parts)
        if text[pos] != ".":
            return None
        pos += 1


def _split_outside_strings(line: str) -> tuple[str, str, int]:
    """``line`` without its comment; the part before the first ``=``; bracket depth change."""
    depth = 0
    quote = ""
    eq = -1
    out = []
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\" and quote == '"':
                out.append(line[i : i + 2])
                i += 2
                continue
            if c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == "#":
            break
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
        elif c == "=" and eq < 0:
            eq = len("".join(out))
        out.append(c)
        i += 1
    code = "".join(out)
    return code, code[:eq] if eq >= 0 else "", depth


def toml_key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line (1-based) of every key and table header in a TOML document.

    tomllib reports no positions, so errors found after parsing are located here: table
    headers, ``key = value`` lines (dotted and quoted keys) and the keys of one-line inline
    tables. Multi-line strings and arrays are skipped over.
    """
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    depth = 0
    in_string = ""
    for n, raw in enumerate(text.split("\n"), 1):
        if in_string:
            if in_string in raw:
                in_string = ""
            continue
        code, key_text, change = _split_outside_strings(raw)
        if depth > 0:
            depth = max(0, depth + change)
            continue
        stripped = code.strip()
        if stripped.startswith("["):
            table = _table_header(stripped, table, n, lines)
            continue
        key = _key_path(key_text.strip()) if key_text else None
        if key is None:
            continue
        in_string = _key_value(table + key, len(table), code[len(key_text) + 1 :].strip(), n, lines)
        depth = max(0, change)
    return lines


def _table_header(stripped: str, table: tuple[str, ...], n: int, lines: dict[tuple[str, ...], int]) -> tuple[str, ...]:
    """The table a ``[header]`` line opens (the current one if it is not a key); its line recorded."""
    key = _key_path(stripped.strip("[]").strip())
    if key is None:
        return table
    for i in range(1, len(key) + 1):
        lines.setdefault(key[:i], n)
    return key


def _key_value(full: tuple[str, ...], start: int, value: str, n: int, lines: dict[tuple[str, ...], int]) -> str:
    """Record the line of a ``key = value`` line's key (``full``, the table's ``start`` parts
    first) and of a one-line inline table's keys; the delimiter of a multi-line string the
    value opens ("" if none)."""
    for i in range(start + 1, len(full) + 1):
        lines.setdefault(full[:i], n)
    in_string = ""
    for delim in ('"""', "'''"):
        if value.startswith(delim) and value.count(delim) == 1:
            in_string = delim
    if value.startswith("{"):
        for m in re.finditer(r'(?:^|[{,])\s*("(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_-]+)\s*=', value):
            word = m.group(1)
            lines.setdefault(full + ((word[1:-1] if word[0] in "\"'" else word),), n)
    return in_string


def _load_toml(path: str, text: str, pyproject: bool) -> tuple[dict[str, Any] | None, dict[tuple[str, ...], int]]:
    tomllib = _toml()
    try:
        data = tomllib.loads(text)
    except RecursionError:  # tomllib recurses into nested arrays and inline tables
        raise ConfigError(path, 0, "invalid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m.group(1)) if m else 0
        msg = re.sub(r" ?\(at line \d+, column \d+\)", "", str(exc))  # tomllib's suffix
        raise ConfigError(path, line, f"invalid TOML: {msg}") from None
    lines = toml_key_lines(text)
    if pyproject:
        tool = data.get("tool")
        section = tool.get("dockerlint") if isinstance(tool, dict) else None
        if section is None:
            return None, {}
        if not isinstance(section, dict):
            raise ConfigError(path, lines.get(("tool", "dockerlint"), 0), "tool.dockerlint must be a table")
        lines = {k[2:]: v for k, v in lines.items() if k[:2] == ("tool", "dockerlint") and len(k) > 2} | {
            (): lines.get(("tool", "dockerlint"), 0)
        }
        return section, lines
    return data, lines


def _load_yaml(path: str, text: str) -> tuple[dict[str, Any], dict[tuple[str, ...], int]]:
    """The YAML configuration read by the Compose reader's safe loader, so the same limits
    hold (``--max-depth``, ``--max-alias-expansion``: an alias bomb is a configuration error,
    not minutes of work), then turned into plain values."""
    from dockerlint.parsers import yaml_nodes
    from dockerlint.parsers.errors import ParseError

    try:
        root = yaml_nodes.load(text, path)
    except ParseError as exc:
        raise ConfigError(path, exc.line, exc.message) from None
    if root is None or (isinstance(root, yaml_nodes.YScalar) and root.is_null):
        return {}, {}
    if not isinstance(root, yaml_nodes.YMap):
        raise ConfigError(path, 1, "the configuration must be a mapping of keys to values")
    lines: dict[tuple[str, ...], int] = {}
    data = _plain(path, root, (), lines)
    assert isinstance(data, dict)
    return data, lines


def _plain(path: str, node: Any, prefix: tuple[str, ...], lines: dict[tuple[str, ...], int]) -> Any:
    """The value of a converted YAML node as PyYAML's safe loader builds it (aliases copied:
    the alias expansion limit bounds the copies); key lines recorded in ``lines``."""
    from dockerlint.parsers import yaml_nodes

    if isinstance(node, yaml_nodes.YMap):
        out: dict[str, Any] = {}
        for e in node.entries:
            key = prefix + (e.key.value,)
            lines.setdefault(key, e.key.line)
            out[e.key.value] = _plain(path, e.value, key, lines)
        return out
    if isinstance(node, yaml_nodes.YSeq):
        return [_plain(path, item, prefix, lines) for item in node.items]
    assert isinstance(node, yaml_nodes.YScalar)
    if node.tag in yaml_nodes.COMPOSE_TAGS:
        raise ConfigError(path, node.line, f"YAML tag {node.tag!r} is Compose's: not allowed here")
    if node.tag in ("!", yaml_nodes.STR):
        return node.value
    return _scalar(path, node)


def _scalar(path: str, node: Any) -> Any:
    import yaml  # type: ignore[import-untyped,unused-ignore]

    try:
        return yaml.constructor.SafeConstructor().construct_object(
            yaml.ScalarNode(node.tag, node.value, style=node.style)
        )
    except (yaml.YAMLError, ValueError) as exc:
        raise ConfigError(path, node.line, f"invalid YAML value {node.value!r}: {exc}") from None


def _line(lines: dict[tuple[str, ...], int], loc: Iterable[Any]) -> int:
    path = tuple(str(x) for x in loc if not isinstance(x, int))
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get((), 0) or min(lines.values(), default=0)


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _field_keys() -> list[str]:
    from dockerlint.config.model import Config

    return [f.alias or name for name, f in Config.model_fields.items()]


def _validation_error(
    path: str,
    exc: ValidationError,
    lines: dict[tuple[str, ...], int],
    prefix: tuple[str, ...] = (),
    allowed: Iterable[str] | None = None,
) -> ConfigError:
    err = exc.errors()[0]
    loc = prefix + tuple(err["loc"])
    key = ".".join(str(x) for x in loc)
    if err["type"] == "extra_forbidden":
        return _unknown_key(path, lines, loc, list(allowed) if allowed is not None else _field_keys())
    msg = err["msg"]
    if err["type"] == "literal_error":
        msg = f"got {err['input']!r}; " + msg[0].lower() + msg[1:]
    return ConfigError(path, _line(lines, loc), f"{key}: {msg}")


def _unknown_key(path: str, lines: dict[tuple[str, ...], int], loc: tuple[Any, ...], choices: list[str]) -> ConfigError:
    """The error of a key that is not one of ``choices``, at ``loc``, with the closest one."""
    key = ".".join(str(x) for x in loc)
    return ConfigError(
        path,
        _line(lines, loc),
        f"unknown key {key!r}{_did_you_mean(str(loc[-1]), choices)}; valid keys: {', '.join(choices)}",
    )


def _read_bytes(path: str, tree: Sequence[str] | None, holders: Sequence[str]) -> bytes:
    from dockerlint.util import containment

    if tree is None:
        tree = containment.real_dirs([os.getcwd()])
    try:
        return containment.read_in_tree(path, tree, MAX_CONFIG_SIZE, holders)
    except containment.OutsideTree as exc:
        raise ConfigError(
            path,
            0,
            f"not read: {exc} (dockerlint follows no link of the repository out of "
            "the linted folders; give the file it points to with --config to use it, or run "
            "with --isolated)",
        ) from None
    except containment.Refused as exc:
        raise ConfigError(path, 0, f"not read: {exc}") from None
    except OSError as exc:
        raise ConfigError(path, 0, f"cannot read the configuration file: {exc.strerror or exc}") from None


def _decode(path: str, data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(path, 0, f"not valid UTF-8 ({exc.reason})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as open() in text mode


def read_config(path: str, tree: Sequence[str] | None = None, holders: Sequence[str] = ()) -> str:
    """The text of a configuration file, read only within the tree (see
    :mod:`dockerlint.util.containment`): a symbolic link of the ``tree`` (or of a ``holders``
    folder) that leads out of the ``tree`` is refused, whatever it points to, and so are
    FIFOs, devices and files over :data:`MAX_CONFIG_SIZE`. ``tree`` (real paths) defaults to
    the working directory. The errors never show anything of what is outside the tree."""
    return _decode(path, _read_bytes(path, tree, holders))


def load_file(
    path: str,
    registry: Registry,
    tree: Sequence[str] | None = None,
    holders: Sequence[str] = (),
    text: str | None = None,
) -> FileConfig | None:
    """Read and validate one configuration file; None for a pyproject.toml without dockerlint's
    table. ``tree`` and ``holders``: as for :func:`read_config`; ``text``: already read."""
    abspath = os.path.abspath(path)
    if text is None:
        text = read_config(path, tree, holders)
    name = os.path.basename(abspath)
    data: dict[str, Any] | None
    if name.endswith((".yaml", ".yml")):
        data, lines = _load_yaml(path, text)
    else:
        data, lines = _load_toml(path, text, pyproject=name == PYPROJECT)
        if data is None:
            return None
    from pydantic import ValidationError

    from dockerlint.config.model import Config

    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(path, exc, lines) from None
    fc = FileConfig(abspath, os.path.dirname(abspath), config)
    check_ids(fc, registry, lines, display=path)
    return fc


def check_ids(
    fc: FileConfig, registry: Registry, lines: dict[tuple[str, ...], int] | None = None, display: str = ""
) -> None:
    """Every rule id or prefix in the configuration exists; per-rule options validate."""
    lines = lines or {}
    cfg = fc.config
    check = _SelectorCheck(registry, display or fc.path, lines)
    for key, values in (("select", cfg.select or []), ("extend-select", cfg.extend_select), ("ignore", cfg.ignore)):
        for v in values:
            check(v, (key,))
    for rule_id in cfg.severity:
        check(rule_id, ("severity", rule_id), exact=True)
    for glob, values in cfg.per_file_ignores.items():
        for v in values:
            check(v, ("per-file-ignores", glob))
    for rule_id, raw in cfg.rules.items():
        check(rule_id, ("rules", rule_id), exact=True)
        rid, options = _rule_options(registry, check.where, lines, rule_id, raw)
        fc.rule_options[rid] = options


class _SelectorCheck:
    """Raises a :class:`ConfigError` for a rule id (``exact``) or prefix the registry does not
    have, located at ``loc``'s line, with the closest id."""

    def __init__(self, registry: Registry, where: str, lines: dict[tuple[str, ...], int]) -> None:
        self.registry, self.where, self.lines = registry, where, lines
        self.ids = registry.ids()

    def __call__(self, value: str, loc: tuple[str, ...], exact: bool = False) -> None:
        word = value.strip().upper()
        if not exact and (word == "ALL" or any(i.startswith(word) for i in self.ids)) and word:
            return
        if exact and word in self.registry:
            return
        what = "rule id" if exact else "rule id or prefix"
        close = suggest_rule_id(word, self.ids)
        hint = f" (did you mean {close!r}?)" if close else ""
        raise ConfigError(
            self.where, _line(self.lines, loc), f"{'.'.join(loc)}: no {what} {value!r}{hint} (see 'dockerlint rules')"
        )


def _rule_options(
    registry: Registry, where: str, lines: dict[tuple[str, ...], int], rule_id: str, raw: dict[str, Any]
) -> tuple[str, Any]:
    """The rule's id and its options (``[rules.ID]``) validated against its options class."""
    r = registry.get(rule_id.upper())
    assert r is not None
    if r.options is None:
        raise ConfigError(where, _line(lines, ("rules", rule_id)), f"rules.{rule_id}: {r.id} has no options")
    options: dict[str, Any] = {str(k).replace("-", "_"): v for k, v in raw.items()}
    for k in raw:  # locate errors under either spelling
        written = lines.get(("rules", rule_id, str(k)))
        if written:
            lines[("rules", rule_id, str(k).replace("-", "_"))] = written
    return r.id, validate_options(r.options, options, where, lines, ("rules", rule_id))


def option_keys(cls: type) -> list[str]:
    """The keys an options class takes: a dataclass's fields, or a (plugin's) pydantic model's."""
    if dataclasses.is_dataclass(cls):
        return [f.name for f in dataclasses.fields(cls) if f.init]
    return list(getattr(cls, "model_fields", {}))


@functools.cache
def _adapter(cls: type) -> TypeAdapter[Any]:
    """The validator of an options class, built the first time a configuration sets its options."""
    from pydantic import TypeAdapter

    return TypeAdapter(cls)


def validate_options(
    cls: type, options: dict[str, Any], where: str, lines: dict[tuple[str, ...], int], prefix: tuple[str, ...]
) -> Any:
    """``options`` (keys with ``_``) as an instance of the options class ``cls``, validated by
    pydantic; a :class:`ConfigError` at the offending key's line otherwise. As pydantic reports a
    model's errors: a bad value first, then the first unknown key (with the closest known one)."""
    from pydantic import PydanticUserError, ValidationError

    keys = option_keys(cls)
    plain = dataclasses.is_dataclass(cls)  # pydantic ignores a dataclass's unknown keys: checked here
    try:
        value = _adapter(cls).validate_python({k: v for k, v in options.items() if k in keys} if plain else options)
    except ValidationError as exc:
        raise _validation_error(where, exc, lines, prefix=prefix, allowed=keys) from None
    except PydanticUserError as exc:  # a plugin's options class pydantic cannot validate
        raise ConfigError(
            where,
            _line(lines, prefix),
            f"{'.'.join(prefix)}: the rule's options class "
            f"{cls.__module__}.{cls.__name__} cannot be validated ({type(exc).__name__}): it must be "
            "a dataclass or a pydantic model",
        ) from None
    unknown = [k for k in options if k not in keys] if plain else []
    if unknown:
        raise _unknown_key(where, lines, (*prefix, unknown[0]), keys)
    return value


# -- finding -----------------------------------------------------------------------


def _present(path: str) -> bool:
    """Whether a configuration file of that name is there: a file, or a link whatever it
    points to (a link out of the tree is then refused, not skipped: skipping it only when its
    target is missing would tell whether a path outside the tree exists). A folder so named
    is not one."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return not stat.S_ISDIR(st.st_mode)


class Finder:
    """The closest configuration file of each folder, searched upward (cached per folder).

    ``tree``: the real paths of the linted folders (default: the working directory). A
    configuration file reached through a symbolic link that lies in a searched folder or in
    ``holders`` (the working directory, the checkouts) is read only when the link leads into
    the tree (see :func:`read_config`); other files, in the folders above too (up to the
    repository root), are read as they are.
    """

    def __init__(self, registry: Registry, tree: Sequence[str] | None = None, holders: Sequence[str] = ()) -> None:
        from dockerlint.util import containment

        self.registry = registry
        self.tree = tuple(tree) if tree is not None else containment.real_dirs([os.getcwd()])
        self.holders = tuple(holders)
        self._by_dir: dict[str, FileConfig | None] = {}
        self._loaded: dict[str, FileConfig | None] = {}

    def for_path(self, abspath: str) -> FileConfig | None:
        folder = abspath if os.path.isdir(abspath) else os.path.dirname(abspath)
        return self.for_dir(folder)

    def for_dir(self, folder: str) -> FileConfig | None:
        visited: list[str] = []
        found: FileConfig | None = None
        current = os.path.abspath(folder)
        while True:
            if current in self._by_dir:
                found = self._by_dir[current]
                break
            visited.append(current)
            fc = self._in_folder(current)
            if fc is not None:
                found = fc
                break
            parent = os.path.dirname(current)
            if os.path.lexists(os.path.join(current, ".git")) or parent == current:
                break
            current = parent
        for v in visited:
            self._by_dir[v] = found
        return found

    def _in_folder(self, folder: str) -> FileConfig | None:
        names = [n for n in (*CONFIG_NAMES, PYPROJECT) if _present(os.path.join(folder, n))]
        loaded = [fc for fc in (self._load(os.path.join(folder, n)) for n in names) if fc is not None]
        if len(loaded) > 1:
            names_found = ", ".join(os.path.basename(fc.path) for fc in loaded)
            raise ConfigError(
                _display(loaded[1].path),
                0,
                f"several dockerlint configurations in one folder ({names_found}): keep one",
            )
        return loaded[0] if loaded else None

    def _load(self, path: str) -> FileConfig | None:
        if path not in self._loaded:
            display = _display(path)
            # The folder searched holds the link as much as the tree does: a configuration in a
            # folder above the linted ones (up to the repository root) is the repository's too.
            data = _read_bytes(display, self.tree, (*self.holders, os.path.realpath(os.path.dirname(path))))
            if os.path.basename(path) == PYPROJECT and not _PYPROJECT_TABLE.search(data.decode("utf-8", "replace")):
                self._loaded[path] = None  # a pyproject.toml without dockerlint's table: not ours
            else:
                self._loaded[path] = load_file(display, self.registry, text=_decode(display, data))
        return self._loaded[path]


def _display(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel
