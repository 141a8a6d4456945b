"""``dockerlint inspect --format text``: the inspection as a readable tree.

It renders the same data as the JSON output (:func:`dockerlint.models.schema.dump` of an
``Inspection``, credentials already masked), one setting per line, each located value followed
by where it is written (``@ path:line:col``). Unset values and empty lists are left out. Every
text from the scanned files goes through :func:`~dockerlint.util.safetext.visible`: no control
character, bidirectional override or CI log command reaches the terminal raw.
"""

from __future__ import annotations

from typing import Any

from dockerlint.util.safetext import line_start, visible

_SPAN_KEYS = frozenset({"path", "line", "col", "end_line", "end_col"})
_LOCATED_KEYS = frozenset({"value", "span", "expanded"})
# Fields already said in a section's heading.
_HEADING_FIELDS = frozenset({"path", "name", "source", "span", "anchor"})

# (field of the inspection, heading of each item)
_SECTIONS: tuple[tuple[str, str], ...] = (
    ("compose_projects", "Compose project"),
    ("daemons", "Daemon"),
    ("dockerfiles", "Dockerfile"),
    ("containers", "Container"),
    ("builds", "Image build"),
    ("client_environments", "Client environment"),
    ("client_contexts", "Client context"),
    ("client_configs", "Client configuration"),
    ("env_files", "Environment file"),
)


def render(data: dict[str, Any]) -> str:
    out: list[str] = []
    for field, heading in _SECTIONS:
        for item in data.get(field) or []:
            if field == "compose_projects":
                _project(item, out)
            else:
                out.append(f"{heading} {_title(item)}")
                _fields(item, 1, out, skip=_HEADING_FIELDS)
            out.append("")
    errors = data.get("errors") or []
    if errors:
        out.append("Errors")
        for e in errors:
            out.append(f"  {e['path']}:{e['line']}:{e['col']}: {e['rule']} {e['message']}")
        out.append("")
    if not out:
        out.append("Nothing to inspect.")
    return "\n".join(line_start(visible(line)) for line in out).rstrip("\n") + "\n"


def _title(item: dict[str, Any]) -> str:
    """A section item's heading: its name and source, and where it is."""
    name = item.get("name")
    where = _where(item.get("span") or item.get("anchor"))
    if isinstance(name, dict):  # a Compose service: where its key is written
        where = _where(name.get("span")) or where
        name = name.get("value")
    parts = [
        str(name) if isinstance(name, str) and name else "",
        f"({item['source']})" if item.get("source") else "",
        where or str(item.get("path") or ""),
    ]
    if item.get("path") and where and not where.startswith(f"{item['path']}:"):
        parts.append(f"in {item['path']}")
    return " ".join(p for p in parts if p)


def _project(item: dict[str, Any], out: list[str]) -> None:
    out.append(f"Compose project {item['path']}")
    files = item.get("files") or []
    if len(files) > 1:
        out.append(f"  files: {', '.join(files)}")
    for service in item.get("services") or []:
        out.append(f"  service {_title(service)}")
        _fields(service, 2, out, skip=_HEADING_FIELDS)


def _where(span: Any) -> str:
    if isinstance(span, dict) and _SPAN_KEYS <= span.keys():
        return f"{span['path']}:{span['line']}:{span['col']}"
    return ""


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _located(value: Any) -> str | None:
    """A located scalar (LStr, LBool, LValue) as ``value @ path:line:col``, else None."""
    if not (isinstance(value, dict) and "span" in value and "value" in value and value.keys() <= _LOCATED_KEYS):
        return None
    shown, written = value["value"], value.get("expanded")
    text = _scalar(written) + f" (written {_scalar(shown)})" if written is not None else _scalar(shown)
    where = _where(value["span"])
    return f"{text}  @ {where}" if where else text


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value if value and value.strip() == value and value not in ("true", "false") else repr(value)
    if isinstance(value, (dict, list)):
        import json

        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _fields(node: dict[str, Any], depth: int, out: list[str], skip: frozenset[str] = frozenset()) -> None:
    for key, value in node.items():
        if key in skip or _empty(value):
            continue
        _entry(f"{key}: ", value, depth, out)


def _entry(label: str, value: Any, depth: int, out: list[str]) -> None:
    pad = "  " * depth
    located = _located(value)
    if located is not None:
        out.append(f"{pad}{label}{located}")
    elif isinstance(value, dict) and _SPAN_KEYS <= value.keys():
        out.append(f"{pad}{label}{_where(value)}")
    elif isinstance(value, dict):
        out.append(f"{pad}{label.rstrip()}")
        _fields(value, depth + 1, out)
    elif isinstance(value, list):
        out.append(f"{pad}{label.rstrip()}")
        for item in value:
            _item(item, depth + 1, out)
    else:
        out.append(f"{pad}{label}{_scalar(value)}")


def _item(item: Any, depth: int, out: list[str]) -> None:
    pad = "  " * depth
    located = _located(item)
    if located is not None or not isinstance(item, (dict, list)):
        out.append(f"{pad}- {located if located is not None else _scalar(item)}")
        return
    if isinstance(item, list):
        out.append(f"{pad}-")
        for sub in item:
            _item(sub, depth + 1, out)
        return
    where = _where(item.get("span"))
    if where:
        out.append(f"{pad}- {where}")
        _fields(item, depth + 1, out, skip=frozenset({"span"}))
        return
    inner: list[str] = []
    _fields(item, depth + 1, inner)
    if inner:  # the first field on the dash's line: "- address: ..."
        inner[0] = f"{pad}- {inner[0].lstrip()}"
    out.extend(inner or [f"{pad}-"])
