"""Settings: the layers, the configuration files and the command line together, as the
engine options of each linted file (:func:`load_settings`).

Precedence, lowest first: defaults < configuration file < environment (``DOCKERLINT_*``)
< command line. ``exclude`` lists of the file and the command line both apply.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dockerlint.config.files import ConfigError, FileConfig, Finder, load_file
from dockerlint.config.layers import (
    REQUIRE_REASON,
    Layer,
    SettingError,
    command_layer,
    env_value,
    environment_layer,
    resolve_selection,
    split_ids,
    validate_selectors,
)
from dockerlint.core.options import Options
from dockerlint.core.registry import Registry, Severity
from dockerlint.core.selection import globs_match as _globs_match


@dataclass
class CommandLine:
    """What the settings take from the command line, as plain data (configuration does not
    know argparse). ``fail_on`` and ``environment_fail_on`` are checked values;
    ``read_roots``: the folders of the paths to lint (the tree nothing is read out of)."""

    select: list[str] | None = None
    extend_select: list[str] | None = None
    ignore: list[str] | None = None
    fail_on: str | None = None
    environment_fail_on: str | None = None
    no_inline_ignores: bool = False
    config: str | None = None
    isolated: bool = False
    kind: str | None = None
    max_file_size: int = 0
    progress: Any = None
    read_roots: list[str] = field(default_factory=list)


@dataclass
class Settings:
    """The settings of a run: the upper layers, the configuration (``finder`` searches for
    each file's, or ``fixed`` is the one given), the tree, and the options resolver."""

    layers: list[Layer]
    tree: Sequence[str]
    holders: Sequence[str]
    finder: Finder | None
    fixed: FileConfig | None
    base: Options
    resolver: Callable[[str], Options]

    def for_file(self, abspath: str) -> Options:
        """The engine options of the file (or folder) ``abspath``."""
        try:
            return self.resolver(abspath)
        except ConfigError as exc:
            raise SettingError(f"configuration: {exc}") from None

    def excludes(self, abspath: str) -> bool:
        """Whether the ``exclude`` globs of the configuration that applies to ``abspath`` match it
        (raises :class:`ConfigError`)."""
        fc = self.fixed if self.fixed is not None else self.finder.for_path(abspath) if self.finder else None
        if fc is None or not fc.config.exclude:
            return False
        rel = os.path.relpath(abspath, fc.base_dir).replace(os.sep, "/")
        return _globs_match(fc.config.exclude, rel)

    def has_files(self) -> bool:
        """Whether configuration files are used at all (not with ``--isolated``)."""
        return self.finder is not None or self.fixed is not None


def load_settings(cl: CommandLine, cwd: str, registry: Registry, environ: Mapping[str, str]) -> Settings:
    """The layers (each selector checked against the registry), the configuration
    (``--config``, ``DOCKERLINT_CONFIG``, none with ``--isolated``, else searched per file)
    and the options resolver. Raises :class:`SettingError`."""
    from dockerlint.util import containment
    from dockerlint.util.safefiles import guarded_dirs

    env_layer = environment_layer(environ, cl.environment_fail_on)
    cli_layer = command_layer(cl.select, cl.extend_select, cl.ignore, cl.fail_on, cl.no_inline_ignores)
    validate_selectors(registry, env_layer, cli_layer)
    # What the repository holds: nothing is read through one of its links that leads out of
    # the tree (the linted folders; the working directory when standard input alone is
    # linted); a path you name outside the working directory is yours (--config
    # /etc/dockerlint.toml). Links in the working directory and in the checkouts holding the
    # linted folders are the repository's too.
    tree = containment.tree_dirs(cl.read_roots or [cwd])
    holders = guarded_dirs(cwd, cl.read_roots)  # and every checkout holding them
    finder, fixed = _configuration(cl, cwd, registry, environ, tree, holders)
    base = Options(forced_kind=cl.kind, max_file_size=cl.max_file_size, progress=cl.progress)
    layers = [env_layer, cli_layer]
    resolver = options_resolver(registry, finder, fixed, layers, base, cwd)
    return Settings(layers, tree, holders, finder, fixed, base, resolver)


def _configuration(
    cl: CommandLine,
    cwd: str,
    registry: Registry,
    environ: Mapping[str, str],
    tree: Sequence[str],
    holders: Sequence[str],
) -> tuple[Finder | None, FileConfig | None]:
    """The configuration file given (``--config``, ``DOCKERLINT_CONFIG``), or a finder."""
    config_path = cl.config or (None if cl.isolated else env_value(environ, "DOCKERLINT_CONFIG"))
    try:
        if config_path:
            fixed = load_file(config_path, registry, tree, holders)
            if fixed is None:
                raise SettingError(f"{config_path}: has no [tool.dockerlint] table")
            fixed.base_dir = cwd  # globs of a file given with --config are relative to where we run
            return None, fixed
        if not cl.isolated:
            return Finder(registry, tree, holders), None
    except ConfigError as exc:
        raise SettingError(f"configuration: {exc}") from None
    return None, None


def file_layer(fc: FileConfig) -> Layer:
    c = fc.config
    return Layer(
        name=fc.path,
        select=split_ids(c.select) if c.select is not None else None,
        extend_select=split_ids(c.extend_select),
        ignore=split_ids(c.ignore),
        fail_on=c.fail_on if "fail_on" in c.model_fields_set else None,
        allow_inline_ignores=c.allow_inline_ignores if "allow_inline_ignores" in c.model_fields_set else None,
    )


def build_options(registry: Registry, fc: FileConfig | None, upper: list[Layer], base: Options, cwd: str) -> Options:
    """The engine options for the files ``fc`` configures, with the upper layers applied."""
    layers = ([file_layer(fc)] if fc is not None else []) + upper
    enabled = resolve_selection(registry, layers)
    fail_on = "low"
    allow = True
    for layer in layers:
        if layer.fail_on is not None:
            fail_on = layer.fail_on
        if layer.allow_inline_ignores is not None:
            allow = layer.allow_inline_ignores
    if fc is None:  # no configuration file: the defaults (building a Config would build its validator)
        return Options(
            forced_kind=base.forced_kind,
            max_file_size=base.max_file_size,
            enabled=enabled,
            base_dir=cwd,
            allow_inline_ignores=allow,
            fail_on=fail_on,
            progress=base.progress,
            require_reason=REQUIRE_REASON,
        )
    cfg = fc.config
    return Options(
        forced_kind=base.forced_kind,
        max_file_size=base.max_file_size,
        enabled=enabled,
        severity_overrides={k.upper(): Severity(v) for k, v in cfg.severity.items()},
        rule_options=dict(fc.rule_options),
        per_file_ignores=[(g, tuple(split_ids(v))) for g, v in cfg.per_file_ignores.items()],
        base_dir=fc.base_dir,
        allow_inline_ignores=allow,
        require_reason=cfg.require_reason,
        fail_on=fail_on,
        progress=base.progress,
    )


def options_resolver(
    registry: Registry, finder: Finder | None, fixed: FileConfig | None, upper: list[Layer], base: Options, cwd: str
) -> Callable[[str], Options]:
    """A function from a file's absolute path to its engine options (cached per configuration)."""
    cache: dict[str, Options] = {}

    def resolve(abspath: str) -> Options:
        fc = fixed if fixed is not None else (finder.for_path(abspath) if finder is not None else None)
        key = fc.path if fc is not None else ""
        if key not in cache:
            cache[key] = build_options(registry, fc, upper, base, cwd)
        return cache[key]

    return resolve
