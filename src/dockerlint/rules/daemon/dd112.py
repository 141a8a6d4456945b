"""DD112: a daemon.json key or dockerd flag that dockerd rejects (it will not start) or ignores."""

from __future__ import annotations

from collections.abc import Iterator

from dockerlint.api import Hit, RuleContext, Severity, quote, rule
from dockerlint.models.daemon import Daemon, DaemonSetting
from dockerlint.rules.daemon._defaults import fit
from dockerlint.rules.daemon._keys import KeyTable, table

# What silently ignoring a singular key costs, where it matters for security.
_CONSEQUENCE = {
    "authorization-plugin": " (no authorization plugin is loaded)",
    "host": " (the daemon does not listen there)",
    "insecure-registry": " (the registry is not marked insecure)",
    "default-ulimit": " (containers get no default ulimits)",
    "log-opt": " (the log driver keeps its defaults)",
}
_REFUSES = ": dockerd refuses to start"


@rule(
    id="DD112",
    name="unknown-or-ignored-daemon-key",
    reads=Daemon,
    severity=Severity.ERROR,
    summary="A daemon.json key or dockerd flag that dockerd rejects or silently ignores",
    cwe=(665,),
    peers={"dockerd": "--validate"},
    tags=("correctness",),
)
def unknown_or_ignored_daemon_key(d: Daemon, ctx: RuleContext) -> Iterator[Hit]:
    if d.engine != "docker":
        return  # dockerd's settings; Podman's API service reads none of them
    t = table()
    for s in d.settings:
        if s.origin == "file":
            yield from _file_key(s, t)
        elif s.origin == "flag":
            yield from _flag(s, t)


def _file_key(s: DaemonSetting, t: KeyTable) -> Iterator[Hit]:
    key = s.key
    removed = t.removed.get(key)
    if removed is not None:
        yield _removed(s, key, removed)
        return
    rejected = t.rejected.get(key)
    if rejected is not None:
        use = f"; use {quote(rejected['use'])}" if "use" in rejected else ""
        yield Hit(
            s.span,
            fit(f"{quote(key)} is not accepted in daemon.json{_REFUSES}{use}", f" ({rejected['note']})"),
            context=key,
        )
        return
    ignored = t.ignored.get(key)
    if ignored is not None:
        yield Hit(
            s.span,
            _ignored_message(key, ignored.get("use", ""), ignored.get("note", "")),
            severity=Severity.MEDIUM,
            context=key,
        )
        return
    if key in t.read:
        if isinstance(s.value, dict):
            yield from (_flattened(s, t) if key not in t.flat else _struct(s, [key], t))
        return
    if isinstance(s.value, dict) and key not in t.flat:
        yield from _unknown_object(s, t)  # dockerd drops the key and checks the object's keys instead
        return
    if key in t.named:
        plural = t.named[key]
        yield Hit(
            s.span,
            fit(f"{quote(key)} is ignored{_CONSEQUENCE.get(key, '')}: daemon.json reads {quote(plural)}; rename it"),
            severity=Severity.MEDIUM,
            context=key,
        )
        return
    if key in t.flags or key in t.skip_validate:
        yield Hit(
            s.span,
            _ignored_message(key, "", f"--{key} is a command-line flag only"),
            severity=Severity.MEDIUM,
            context=key,
        )
        return
    suggestion = t.suggest(key)
    hint = f"; did you mean '{suggestion}'?" if suggestion else ""
    yield Hit(s.span, f"{quote(key)} is not a daemon.json option{_REFUSES}{hint}", context=key)


def _ignored_message(key: str, use: str, note: str) -> str:
    if use.startswith("--"):
        fix = f"set the {use} flag instead"
    elif "." in use:
        parent, child = use.split(".", 1)
        fix = f'write "{parent}": {{"{child}": ...}}'
    elif use:
        fix = f"use '{use}'"
    else:
        fix = "remove it"
    return fit(f"{quote(key)} is never read from daemon.json; {fix}", f" ({note})" if note else "")


def _removed(s: DaemonSetting, key: str, info: dict[str, str]) -> Hit:
    version, note, use = info["version"], info.get("note", ""), info.get("use", "")
    what = (
        f"--{key}"
        if s.origin == "flag" and s.written_key.startswith("--")
        else (f"{s.written_key} (--{key})" if s.origin == "flag" else quote(key))
    )
    fix = f"; use {'--' if s.origin == 'flag' else ''}{use} instead" if use else ""
    extra = f"; {note}" if note else ""
    if info.get("effect") == "ignored":
        return Hit(
            s.span,
            fit(f"{what} has had no effect since Docker {version}; remove it", extra),
            severity=Severity.MEDIUM,
            context=key,
        )
    return Hit(s.span, fit(f"{what} was removed in Docker {version}{_REFUSES}{fix}", extra), context=key)


def _flattened(s: DaemonSetting, t: KeyTable) -> Iterator[Hit]:
    """A known object dockerd flattens before checking keys (``proxies``)."""
    fields = t.struct_fields([s.key]) or []
    for m in s.members:
        if m.key in fields:
            continue
        inside = f"{quote(m.key)} inside {quote(s.key)}"
        if t.accepted(m.key):
            move = "; move it to the top level" if m.key in t.read else ""
            yield Hit(
                m.span,
                fit(f"{inside} is ignored{move}", f": {quote(s.key)} reads {', '.join(fields)}"),
                severity=Severity.MEDIUM,
                context=f"{s.key}.{m.key}",
            )
        else:
            suggestion = t.suggest(m.key, fields)
            hint = f"; did you mean '{suggestion}'?" if suggestion else ""
            yield Hit(m.span, f"{inside} is not an option{_REFUSES}{hint}", context=f"{s.key}.{m.key}")


def _struct(s: DaemonSetting, path: list[str], t: KeyTable) -> Iterator[Hit]:
    """A known object dockerd decodes as a Go struct (``builder``): unknown fields are ignored."""
    fields = t.struct_fields(path)
    if fields is None:
        return
    for m in s.members:
        if m.key not in fields:
            suggestion = t.suggest(m.key, fields)
            dotted = ".".join([*path, m.key])
            message = f"{quote(dotted)} is ignored: {quote('.'.join(path))} has no such field"
            yield Hit(
                m.span,
                fit(message, f"; did you mean '{suggestion}'?" if suggestion else f"; it reads {', '.join(fields)}"),
                severity=Severity.MEDIUM,
                context=dotted,
            )
        elif isinstance(m.value, dict):
            yield from _struct(m, [*path, m.key], t)


def _unknown_object(s: DaemonSetting, t: KeyTable) -> Iterator[Hit]:
    """An unknown key holding an object: dockerd drops the key and checks the object's keys instead."""
    bad = [m.key for m in s.members if not t.accepted(m.key)]
    if s.key in t.named:
        hint = f"; rename it to {quote(t.named[s.key])}"
    else:
        suggestion = t.suggest(s.key)
        hint = f"; did you mean '{suggestion}'?" if suggestion else ""
    if bad:
        unique = list(dict.fromkeys(bad))
        quoted = ", ".join(quote(b, 24) for b in unique[:3]) + (", ..." if len(unique) > 3 else "")
        verb = "is" if len(unique) == 1 else "are"
        yield Hit(
            s.span,
            fit(f"{quote(s.key)} is not a daemon.json option and {quoted} inside {verb} none either{_REFUSES}", hint),
            context=s.key,
        )
    else:
        yield Hit(
            s.span,
            fit(f"{quote(s.key)} is not a daemon.json option: dockerd ignores the whole object", hint),
            severity=Severity.MEDIUM,
            context=s.key,
        )


def _flag(s: DaemonSetting, t: KeyTable) -> Iterator[Hit]:
    written = s.written_key
    if written.startswith("--"):
        name = written[2:]
        if name in t.flags:
            return
        if name in t.removed or s.key in t.removed:
            yield _removed(s, name if name in t.removed else s.key, t.removed.get(name) or t.removed[s.key])
            return
        plural_only = s.key in t.named.values() and t.flag_of(s.key) != name
        if name == s.key and s.key in t.read and s.key not in t.file_only and not plural_only:
            return  # a key dockerd reads with a flag of the same name (newer than the table's list)
        suggestion = t.suggest(name, sorted(t.flags))
        hint = f"; did you mean --{suggestion}?" if suggestion else ""
        yield Hit(s.span, f"{quote(written)} is not a dockerd flag{_REFUSES}{hint}", context=written)
    elif written.startswith("-") and written[1:] not in t.shorthands and s.key in t.removed:
        yield _removed(s, s.key, t.removed[s.key])
