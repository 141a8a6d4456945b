"""The configuration model: it validates the files, and the README's configuration
reference is generated from it. It is imported when a configuration file is read (or the
reference generated), not on a run without one. pydantic's other use in the configuration is
the validation of rule options (plain dataclasses) in :mod:`dockerlint.config.files`, at the
same moment."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

from dockerlint.config.layers import ENVIRONMENT, REQUIRE_REASON

SeverityName = Literal["info", "low", "medium", "high", "error", "critical"]
FailOn = Literal["info", "low", "medium", "high", "error", "critical", "never"]


class Config(BaseModel):
    """dockerlint's configuration (``[tool.dockerlint]``, ``.dockerlint.toml``, ``.dockerlint.yaml``)."""

    # defer_build: the validator is only built when a configuration file exists
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    select: list[StrictStr] | None = Field(
        default=None,
        description="Rule ids or prefixes to turn on *instead of* the defaults (`DC`, `DF1`, `DD101`; "
        "`ALL` for every rule). A prefix of three characters or more also turns on the off-by-default "
        "rules under it.",
        json_schema_extra={"cli": "--select", "env": "DOCKERLINT_SELECT"},
    )
    extend_select: list[StrictStr] = Field(
        default_factory=list,
        alias="extend-select",
        description="Rule ids or prefixes to turn on in addition to the selection.",
        json_schema_extra={"cli": "--extend-select", "env": "DOCKERLINT_EXTEND_SELECT"},
    )
    ignore: list[StrictStr] = Field(
        default_factory=list,
        description="Rule ids or prefixes to turn off. Parse errors (`DF000`, `DC000`, `DD000`) are always reported.",
        json_schema_extra={"cli": "--ignore", "env": "DOCKERLINT_IGNORE"},
    )
    severity: dict[StrictStr, SeverityName] = Field(
        default_factory=dict, description='Per-rule severity overrides, e.g. `DC105 = "high"` (exact rule ids).'
    )
    fail_on: FailOn = Field(
        default="low",
        alias="fail-on",
        description="Lowest severity that makes the exit code 1; `never` exits 0 unless there are errors.",
        json_schema_extra={"cli": "--fail-on", "env": "DOCKERLINT_FAIL_ON"},
    )
    exclude: list[StrictStr] = Field(
        default_factory=list,
        description="`.gitignore` lines (git's semantics, `!` included: see Path patterns) of paths to skip, "
        "relative to the configuration file's folder. They apply to files named on the command line too "
        "(so the pre-commit hook honours them).",
        json_schema_extra={"cli": "--exclude (adds)"},
    )
    per_file_ignores: dict[StrictStr, list[StrictStr]] = Field(
        default_factory=dict,
        alias="per-file-ignores",
        description="Pattern (a `.gitignore` line, see Path patterns) → rule ids or prefixes turned off for the "
        "matching files, e.g. "
        '`"ci/*.Dockerfile" = ["DF101"]`. The way to silence findings in `daemon.json` (JSON has no '
        "comments).",
    )
    allow_inline_ignores: StrictBool = Field(
        default=True,
        alias="allow-inline-ignores",
        description="Honour `# dockerlint: ignore[...]` and hadolint ignore comments. `false` makes every "
        "finding non-overridable from the linted files.",
        json_schema_extra={"cli": "--no-inline-ignores", "env": "DOCKERLINT_NO_INLINE_IGNORES"},
    )
    require_reason: StrictBool = Field(
        default=REQUIRE_REASON,
        alias="require-reason",
        description="A suppression comment must say why; one without a reason is not applied (DL003).",
    )
    rules: dict[StrictStr, dict[StrictStr, Any]] = Field(
        default_factory=dict,
        description="Per-rule options, one table per rule id: `[tool.dockerlint.rules.DF101]` / "
        "`[rules.DF101]`. Each rule's options are listed in its documentation (`dockerlint rule ID`).",
    )


def _type_name(schema: dict[str, Any]) -> str:
    """A reader's name for a JSON schema type (from the model's own schema)."""
    options = [o for o in schema.get("anyOf", [schema]) if o.get("type") != "null"]
    s = options[0] if options else schema
    if "enum" in s:
        return " \\| ".join(f"`{v}`" for v in s["enum"])
    t = s.get("type")
    if t == "array":
        return f"list of {_type_name(s.get('items', {})).removeprefix('list of ')}s".replace("ss", "s")
    if t == "object":
        inner = s.get("additionalProperties")
        return f"table of {_type_name(inner)}" if isinstance(inner, dict) and inner else "table"
    return {"string": "string", "boolean": "boolean", "integer": "integer"}.get(str(t), str(t))


def reference_markdown() -> str:
    """The configuration reference for the README, generated from :class:`Config` and
    :data:`ENVIRONMENT`."""
    out = ["| key | type | default | command line / environment | meaning |", "|---|---|---|---|---|"]
    props = Config.model_json_schema(by_alias=True)["properties"]
    for name, f in Config.model_fields.items():
        key = f.alias or name
        default = f.get_default(call_default_factory=True)
        shown = (
            "(the defaults)"
            if default is None
            else (
                "`[]`"
                if default == []
                else "`{}`"
                if default == {}
                else f"`{str(default).lower()}`"
                if isinstance(default, bool)
                else f"`{default}`"
            )
        )
        extra = f.json_schema_extra if isinstance(f.json_schema_extra, dict) else {}
        where = " / ".join(f"`{x}`" for x in (extra.get("cli"), extra.get("env")) if x) or "—"
        out.append(f"| `{key}` | {_type_name(props[key])} | {shown} | {where} | {f.description} |")
    out.append("")
    out.append("| environment variable | sets |")
    out.append("|---|---|")
    for env, what in ENVIRONMENT.items():
        out.append(f"| `{env}` | {what} |")
    return "\n".join(out) + "\n"
