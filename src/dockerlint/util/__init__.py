"""Leaf utilities, independent of the rest of dockerlint."""
