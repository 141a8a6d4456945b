"""``daemon.json`` -> a :class:`DaemonJsonPart` (assembled with units into a Daemon later).

Reads the file as strictly as dockerd does (:mod:`dockerlint.parsers.jsonpos`: invalid
JSON is a fatal DD000 at the exact position), then type-checks every value against the
schema dockerlint ships (``dockerlint/data/daemon.schema.json``). A wrong type
(``"icc": "false"``) and a duplicate key are non-fatal DD000 problems: the rest of the
file is still judged. Unknown keys are kept (they are DD112's business, not a parse error).

Also home of :func:`parse_host`, dockerd's reading of a ``hosts`` / ``-H`` address, used
by the unit parser too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dockerlint.models.base import LStr, LValue, Span
from dockerlint.models.daemon import DaemonSetting, Listener
from dockerlint.models.source import SourceFile
from dockerlint.parsers import jsonpos
from dockerlint.parsers.errors import ParseError
from dockerlint.parsers.output import ParseOutput, Problem

SCHEMA_RESOURCE = "data/daemon.schema.json"
DEFAULT_TCP_PORT = 2375  # dockerd's default when a tcp:// address has no port
_PORT = re.compile(r"[0-9]+")


@dataclass
class DaemonJsonPart:
    """One daemon.json file, as the assembler needs it."""

    path: str
    span: Span  # line 1, column 1: where daemon-wide findings point
    settings: list[DaemonSetting] = field(default_factory=list)  # every key occurrence, in order
    listeners: list[Listener] = field(default_factory=list)  # from the effective (last) "hosts"
    unknown_keys: list[LStr] = field(default_factory=list)  # keys the schema does not know (DD112)
    rootless: LStr | None = None  # "rootless": true, or a rootless config location
    empty: bool = False  # whitespace-only or {} or null: dockerd runs with its defaults

    kind = "daemon.json"


# -- dockerd host addresses -----------------------------------------------------------------


def parse_host(
    address: LStr, origin: str, sub_span: Callable[[int, int], Span], unit: str | None = None
) -> tuple[Listener, str | None]:
    """Read a ``hosts`` entry / ``-H`` value the way dockerd does.

    Returns the listener and, when dockerd would reject the address, why (dockerd then
    refuses to start). ``sub_span(i, j)`` gives the span of characters ``[i, j)`` of the
    address's value (for ``port_span``).

    dockerd's rules (``opts.ParseHost``/``ParseTCPAddr``): ``tcp://HOST:PORT``; a missing
    host means ``localhost`` and a missing port 2375; an address without ``://`` is tcp
    (``0.0.0.0:5555``); ``unix://``, ``fd://``, ``npipe://`` are taken as they are.
    """
    raw = address.value
    text = raw.strip()
    lead = len(raw) - len(raw.lstrip())

    def listener(
        scheme: str, host: str | None = None, port: int | None = None, port_span: Span | None = None
    ) -> Listener:
        return Listener(
            address=address, scheme=scheme, host=host, port=port, port_span=port_span, origin=origin, unit=unit
        )

    if not text:
        return listener("unix"), None  # dockerd's default socket
    proto, sep, rest = text.partition("://")
    if not sep:
        proto, rest, rest_at = "tcp", text, lead
    else:
        rest_at = lead + len(proto) + 3
    if proto in ("unix", "fd", "npipe"):
        return listener(proto), None
    if proto == "ssh":
        return listener("ssh"), (
            f"dockerd cannot listen on {text!r}: ssh:// is a client-side DOCKER_HOST "
            "scheme (dockerd accepts unix://, tcp://, fd:// and npipe://)"
        )
    if proto != "tcp":
        return listener(""), (
            f"dockerd rejects the address {text!r}: unsupported protocol {proto!r} "
            "(use unix://, tcp://, fd:// or npipe://)"
        )
    hostport, slash, path = rest.partition("/")
    if "@" in hostport:
        return listener(""), f"dockerd rejects the address {text!r}: user information is not allowed"
    if slash and path:
        if not sep and not hostport:
            return listener(""), (f"dockerd rejects the address {text!r}: a socket path needs unix:// (unix://{text})")
        return listener(""), f"dockerd rejects the address {text!r}: a tcp address must not contain a path"
    if hostport.startswith("["):
        close = hostport.find("]")
        if close < 0:
            return listener(""), f"dockerd rejects the address {text!r}: unclosed '[' in the IPv6 address"
        host, after = hostport[1:close], hostport[close + 1 :]
        if after and not after.startswith(":"):
            return listener(""), f"dockerd rejects the address {text!r}: unexpected text after ']'"
        port_text = after[1:] if after else ""
        port_at = rest_at + close + 2
    elif ":" in hostport:
        host, _, port_text = hostport.rpartition(":")
        port_at = rest_at + len(host) + 1
    else:
        host, port_text, port_at = hostport, "", rest_at + len(hostport)
    if not host:
        host = "localhost"  # dockerd: tcp://:2375 and :2375 bind localhost
    if not port_text:
        return listener("tcp", host, DEFAULT_TCP_PORT), None
    if not _PORT.fullmatch(port_text) or int(port_text) == 0 or int(port_text) > 65535:
        return listener("tcp", host, None), f"dockerd rejects the address {text!r}: invalid port {port_text!r}"
    span = sub_span(port_at, port_at + len(port_text))
    return listener("tcp", host, int(port_text), span), None


# -- the schema ------------------------------------------------------------------------------

_VALIDATOR: Any = None
_KNOWN_KEYS: frozenset[str] | None = None


def _schema() -> dict[str, Any]:
    from importlib.resources import files

    text = (files("dockerlint") / SCHEMA_RESOURCE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validator() -> Any:
    """The cached jsonschema validator (jsonschema is imported on first use only).

    ``integer`` follows Go: ``10.0`` does not decode into an int field.
    """
    global _VALIDATOR, _KNOWN_KEYS  # noqa: PLW0603 -- built on first use: jsonschema is slow to import
    if _VALIDATOR is None:
        import jsonschema  # type: ignore[import-untyped,unused-ignore]
        from jsonschema import validators  # type: ignore[import-untyped,unused-ignore]

        base = jsonschema.Draft202012Validator
        checker = base.TYPE_CHECKER.redefine("integer", lambda _c, x: isinstance(x, int) and not isinstance(x, bool))
        cls = validators.extend(base, type_checker=checker)
        schema = _schema()
        _KNOWN_KEYS = frozenset(schema.get("properties", {}))
        _VALIDATOR = cls(schema)
    return _VALIDATOR


def known_keys() -> frozenset[str]:
    validator()
    assert _KNOWN_KEYS is not None
    return _KNOWN_KEYS


_TYPE_WORDS = {
    "boolean": "a boolean (true or false)",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "array": "an array",
    "object": "an object",
    "null": "null",
}


def _locate(node: jsonpos.Node, path: list[Any]) -> jsonpos.Node:
    for item in path:
        if isinstance(item, int) and node.kind == "array" and 0 <= item < len(node.value):
            node = node.value[item]
        elif isinstance(item, str) and node.kind == "object":
            found = node.get(item)
            if found is None:
                break
            node = found
        else:
            break
    return node


def _dotted(key: str, path: list[Any]) -> str:
    out = key
    for item in path:
        out += f"[{item}]" if isinstance(item, int) else f".{item}"
    return out


def _type_message(name: str, expected: Any, node: jsonpos.Node, text: str) -> str:
    wanted = [expected] if isinstance(expected, str) else list(expected)
    want = " or ".join(_TYPE_WORDS.get(t, t) for t in wanted)
    raw = text[node.start : node.end]
    got = node.type_name if node.kind in ("object", "array") else f"{node.type_name} ({raw})"
    msg = f"'{name}' must be {want}, not {got}"
    if node.kind == "string":
        inner = str(node.value).strip()
        if "boolean" in wanted and inner.lower() in ("true", "false"):
            msg += f": write {inner.lower()} without quotes"
        elif ("integer" in wanted or "number" in wanted) and re.fullmatch(r"-?[0-9]+", inner):
            msg += f": write {inner} without quotes"
    elif node.kind in ("number", "bool") and "string" in wanted:
        msg += f': write "{raw}" in quotes'
    elif node.kind == "string" and "array" in wanted:
        msg += f": write [{raw}]"
    return msg + "; dockerd refuses to start"


def _check_types(member: jsonpos.Member, doc: jsonpos.Document, path: str) -> list[Problem]:
    problems: list[Problem] = []
    v = validator()
    if member.key not in known_keys():
        return problems
    for err in v.iter_errors({member.key: member.value.py()}):
        rel = list(err.absolute_path)[1:]
        if err.instance is None:
            continue  # Go's encoding/json accepts null for any type (it leaves the default)
        node = _locate(member.value, rel)
        if err.validator == "type":
            message = _type_message(_dotted(member.key, rel), err.validator_value, node, doc.text)
        else:
            message = f"'{_dotted(member.key, rel)}': {err.message}"
        problems.append(Problem("DD000", message, node.span(path)))
    problems.sort(key=lambda p: (p.span.line, p.span.col))
    return problems


# -- the file --------------------------------------------------------------------------------


_NESTED_DEPTH = 4  # "builder" -> "entitlements" -> "security-insecure" is the deepest rules look


def _setting(member: jsonpos.Member, path: str, depth: int = 0) -> DaemonSetting:
    """A daemon.json member as a setting, with the members / items of its value (a few levels deep)."""
    node = member.value
    members: list[DaemonSetting] = []
    items: list[LValue] = []
    if depth >= _NESTED_DEPTH:
        pass
    elif node.kind == "object":
        members = [_setting(m, path, depth + 1) for m in node.value]
    elif node.kind == "array":
        items = [LValue(item.py(), item.span(path)) for item in node.value]
    return DaemonSetting(
        key=member.key,
        value=node.py(),
        span=member.key_node.span(path),
        value_span=node.span(path),
        origin="file",
        written_key=member.key,
        members=members,
        items=items,
    )


_ROOTLESS_CONFIG = re.compile(r"(?:^|/)\.config/docker/[^/]*daemon\.json$")


def parse(src: SourceFile) -> ParseOutput:
    doc = jsonpos.parse(src.text, what="daemon.json")
    path = src.path
    part = DaemonJsonPart(path=path, span=Span.point(path, 1, 1))
    out = ParseOutput(daemon_parts=[part])
    root = doc.root
    if _ROOTLESS_CONFIG.search(path):
        part.rootless = LStr(f"{path} (the rootless daemon's config location)", part.span)
    if root is None or root.kind == "null":
        part.empty = True
        return out
    if root.kind != "object":
        raise ParseError(
            f"daemon.json must hold a JSON object ({{...}}), not {root.type_name}: dockerd refuses to start",
            root.line,
            root.col,
            root.end_col if root.end_line == root.line else None,
        )
    part.empty = not root.value
    known = None
    first_seen: dict[str, jsonpos.Member] = {}
    for member in root.value:
        key_span = member.key_node.span(path)
        part.settings.append(_setting(member, path))
        out.problems.extend(_check_types(member, doc, path))
        if known is None:
            known = known_keys()
        if member.key not in known:
            part.unknown_keys.append(LStr(member.key, key_span))
        earlier = first_seen.get(member.key)
        if earlier is None:
            first_seen[member.key] = member
        else:
            out.problems.append(
                Problem(
                    "DD000",
                    (
                        f"key '{member.key}' is repeated (first on line {earlier.key_node.line}): dockerd takes the "
                        f"last "
                        "value; keep one"
                    ),
                    key_span,
                )
            )
    hosts = root.get("hosts")
    if hosts is not None and hosts.kind == "array":
        for item in hosts.value:
            if item.kind != "string":
                continue
            address = LStr(item.value, item.span(path))

            def sub(i: int, j: int, node: jsonpos.Node = item) -> Span:
                return doc.string_span(node, path, i, j)

            lst, error = parse_host(address, "file", sub)
            part.listeners.append(lst)
            if error:
                out.problems.append(Problem("DD000", error, address.span))
    rootless = root.get("rootless")
    if rootless is not None and rootless.value is True:
        last = root.members("rootless")[-1]
        part.rootless = LStr('"rootless": true', last.key_node.span(path))
    return out
