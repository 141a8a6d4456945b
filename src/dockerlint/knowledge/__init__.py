"""Plain-data domain knowledge shared by parsers and rules (leaf modules)."""
