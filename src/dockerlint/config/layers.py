"""Precedence layers: the environment (``DOCKERLINT_*``) and the command line, each a
:class:`Layer`, above a configuration file's (:func:`dockerlint.config.settings.file_layer`); and the selection they
give (:func:`resolve_selection`).

For the rule selection each layer is applied in turn, as ruff does: a layer's ``select``
starts the selection over, ``extend-select`` adds to it, ``ignore`` removes from it. Other
keys: the highest layer that sets a key wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from dockerlint.core.registry import Registry, Severity
from dockerlint.core.selection import Selection, suggest_rule_id

# Environment variables read by the command line (name -> what it sets). Values of the
# list-valued ones are comma-separated.
ENVIRONMENT: dict[str, str] = {
    "DOCKERLINT_CONFIG": "a configuration file to use for every linted file, like `--config`",
    "DOCKERLINT_SELECT": "`select`",
    "DOCKERLINT_EXTEND_SELECT": "`extend-select`",
    "DOCKERLINT_IGNORE": "`ignore`",
    "DOCKERLINT_FAIL_ON": "`fail-on`",
    "DOCKERLINT_NO_INLINE_IGNORES": "`allow-inline-ignores = false` when set to `1` or `true`",
    "DOCKERLINT_FORMAT": "the output format, like `--format`",
}
TRUE_WORDS, FALSE_WORDS = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")
REQUIRE_REASON = True  # the default of ``require-reason`` (the model's too)


class SettingError(Exception):
    """A wrong setting on the command line, in the environment or in a configuration file:
    the message says where. The command line shows it as ``error: <message>`` (exit 2)."""


@dataclass
class Layer:
    """One precedence layer's settings (None: the layer does not set it)."""

    name: str
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str | None = None
    allow_inline_ignores: bool | None = None


def split_ids(values: Iterable[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or ():
        out.extend(x.strip().upper() for x in v.split(",") if x.strip())
    return out


def resolve_selection(registry: Registry, layers: Iterable[Layer]) -> frozenset[str]:
    """The ids that are on after applying each layer: select restarts, extend adds, ignore removes
    (:class:`~dockerlint.core.selection.Selection`, the engine's algorithm too)."""
    return Selection.of(layers).ids(registry)


# -- the environment and the command line ------------------------------------------


def env_value(environ: Mapping[str, str], name: str) -> str | None:
    """The variable's value; None when it is unset or blank."""
    value = environ.get(name)
    return value if value is not None and value.strip() != "" else None


def env_flag(environ: Mapping[str, str], name: str) -> bool | None:
    value = environ.get(name)
    if value is None:
        return None
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingError(f"environment variable {name}={value!r}: expected 1/true or 0/false")


def check_severity(value: str, where: str) -> str:
    """A ``fail-on`` value (a severity or ``never``), lower case."""
    word = value.strip().lower()
    if word == "never":
        return word
    try:
        Severity.parse(word)
    except ValueError as exc:
        raise SettingError(f"{where}: {exc} or 'never'") from None
    return word


def environment_fail_on(environ: Mapping[str, str]) -> str | None:
    """``DOCKERLINT_FAIL_ON``, checked (None when unset)."""
    if not env_value(environ, "DOCKERLINT_FAIL_ON"):
        return None
    return check_severity(environ["DOCKERLINT_FAIL_ON"], "environment variable DOCKERLINT_FAIL_ON")


def environment_layer(environ: Mapping[str, str], fail_on: str | None) -> Layer:
    """The ``DOCKERLINT_*`` layer (``fail_on``: :func:`environment_fail_on`'s value)."""
    layer = Layer(name="environment")
    if env_value(environ, "DOCKERLINT_SELECT"):
        layer.select = split_ids([environ["DOCKERLINT_SELECT"]])
    layer.extend_select = split_ids([environ.get("DOCKERLINT_EXTEND_SELECT", "")])
    layer.ignore = split_ids([environ.get("DOCKERLINT_IGNORE", "")])
    layer.fail_on = fail_on
    if env_flag(environ, "DOCKERLINT_NO_INLINE_IGNORES"):
        layer.allow_inline_ignores = False
    return layer


def command_layer(
    select: Iterable[str] | None,
    extend_select: Iterable[str] | None,
    ignore: Iterable[str] | None,
    fail_on: str | None,
    no_inline_ignores: bool,
) -> Layer:
    """The command line's layer (``fail_on`` checked with :func:`check_severity`)."""
    return Layer(
        name="command line",
        select=split_ids(select) if select else None,
        extend_select=split_ids(extend_select),
        ignore=split_ids(ignore),
        fail_on=fail_on,
        allow_inline_ignores=False if no_inline_ignores else None,
    )


def validate_selectors(registry: Registry, env_layer: Layer, cli_layer: Layer) -> None:
    """Every id or prefix the environment and the command line select or ignore exists."""
    for layer, what in ((env_layer, "environment variable DOCKERLINT_"), (cli_layer, "--")):
        for key, ids in (
            ("select", layer.select or []),
            ("extend-select", layer.extend_select),
            ("ignore", layer.ignore),
        ):
            where = f"{what}{key.upper().replace('-', '_')}" if what.startswith("env") else f"--{key}"
            _check_selectors(registry, ids, where)


def _check_selectors(registry: Registry, ids: list[str], where: str) -> None:
    for sel in ids:
        if sel != "ALL" and not any(rid.startswith(sel) for rid in registry.ids()):
            close = suggest_rule_id(sel, registry.ids())
            hint = f" (did you mean {close}?)" if close else ""
            raise SettingError(f"{where}: no rule id or prefix matches {sel!r}{hint} (see 'dockerlint rules')")
