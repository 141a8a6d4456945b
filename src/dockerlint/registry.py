"""The rule API of dockerlint 0.1 plugins, ``dockerlint.registry``: a compat shim (issue 13 WP1.1).

The registry lives in :mod:`dockerlint.core.registry`; plugins written against the README's
"Plugins" section keep importing ``rule``, ``Hit``, ``Severity``... from here.
"""

from dockerlint.core.registry import (
    ENTRY_POINT_GROUP,
    RESERVED_PREFIXES,
    RULE_ID,
    RULE_NAME,
    SECURITY_SEVERITY,
    Edit,
    Fix,
    Hit,
    PluginError,
    Registry,
    Rule,
    RuleStub,
    Severity,
    entry_points_of,
    load_registry,
    no_check,
    plugin_path,
    rule,
    type_key,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "RESERVED_PREFIXES",
    "RULE_ID",
    "RULE_NAME",
    "SECURITY_SEVERITY",
    "Edit",
    "Fix",
    "Hit",
    "PluginError",
    "Registry",
    "Rule",
    "RuleStub",
    "Severity",
    "entry_points_of",
    "load_registry",
    "no_check",
    "plugin_path",
    "rule",
    "type_key",
]
