"""The rule API under its dockerlint 0.1 name, ``dockerlint.registry``: a compat shim (issue 13 WP1.1).

The rule API is :mod:`dockerlint.api`; plugins written against 0.1 keep importing ``rule``,
``Hit``, ``Severity``... from here and get the same objects. The registry itself is
:mod:`dockerlint.core.registry` (not part of the plugin API). ``RuleStub`` and ``type_key``
were removed in 0.2.0 (CHANGELOG.md): dockerlint's own rules are found from the package
layout, and a plugin's rules are loaded with it.
"""

from dockerlint.api import (
    Edit,
    Fix,
    Hit,
    PluginError,
    Rule,
    RuleContext,
    ScanView,
    Severity,
    Span,
    no_check,
    options_of,
    quote,
    rule,
)

__all__ = [
    "Edit",
    "Fix",
    "Hit",
    "PluginError",
    "Rule",
    "RuleContext",
    "ScanView",
    "Severity",
    "Span",
    "no_check",
    "options_of",
    "quote",
    "rule",
]
