"""The rule API of dockerlint 0.1 plugins, ``dockerlint.registry``: a compat shim (issue 13 WP1.1).

The rule API is :mod:`dockerlint.api`; plugins written against the README's "Plugins"
section keep importing ``rule``, ``Hit``, ``Severity``... from here and get the same objects.
The registry itself lives in :mod:`dockerlint.core.registry`; its names are re-exported too
until issue 13 WP3.1 reworks it (``RuleStub`` goes then, and this module keeps the API only).
"""

from dockerlint.api import (
    Edit,
    Fix,
    Hit,
    PluginError,
    Rule,
    RuleContext,
    RuleStub,
    ScanView,
    Severity,
    Span,
    no_check,
    options_of,
    quote,
    rule,
    type_key,
)
from dockerlint.core.registry import (
    ENTRY_POINT_GROUP,
    RESERVED_PREFIXES,
    RULE_ID,
    RULE_NAME,
    SECURITY_SEVERITY,
    Registry,
    entry_points_of,
    load_registry,
    plugin_path,
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
    "RuleContext",
    "RuleStub",
    "ScanView",
    "Severity",
    "Span",
    "entry_points_of",
    "load_registry",
    "no_check",
    "options_of",
    "plugin_path",
    "quote",
    "rule",
    "type_key",
]
