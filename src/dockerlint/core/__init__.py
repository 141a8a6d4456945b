"""The engine: reading, parsing, the rule registry, running the rules, keeping findings."""
